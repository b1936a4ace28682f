// What a tool gets when it runs: the simulator, the namespace it runs in, where its output goes, and
// the state that outlives one command (the running captures).

import type { Sim } from '../kernel/engine.js';
import type { ClusterRuntime } from '../scenarios/runtime/cluster.js';
import type { KernelView } from './ip/print.js';
import type { Output } from './output.js';

/** RunningCapture is a `capture` directive still recording. */
export interface RunningCapture {
  readonly ns: string;
  /** label is how the lab named the namespace (`-` for the initial one). */
  readonly label: string;
  readonly iface: string;
  readonly ifindex: number;
}

/** ToolContext is one command's run: the simulator, its namespace key, its output and the shell's state. */
export interface ToolContext {
  readonly sim: Sim;
  /** ns is the key of the namespace the command runs in. */
  readonly ns: string;
  readonly out: Output;
  readonly captures: RunningCapture[];
  /** view is the live world with its drivers, for the printers. */
  readonly view: KernelView;
  /** cluster is the Calico cluster the namespaces belong to, when the shell runs one. */
  readonly cluster?: ClusterRuntime;
  /** tcpdumpFlavour says whose tcpdump a namespace has (a scenario's Red Hat node); `upstream` otherwise. */
  readonly tcpdumpFlavour?: (ns: string) => 'upstream' | 'redhat';
  /** readFile reads a file a command names (`-f FILE`): its text, or the errno name (ENOENT, EISDIR, …). */
  readonly readFile?: (path: string) => { readonly text: string } | { readonly errno: string };
}
