// The userspace programs found on a Calico node or in a pod, beyond the lab dialect's: each reads its
// argv when it runs and prints as the real one does. A program exists only where the real one would
// (calicoctl and birdc on a node of a cluster, busybox applets in a busybox pod, …): elsewhere the
// shell answers as bash does, `CMD: command not found`, status 127.

import type { ToolContext } from './context.js';
import { TRACEPATH } from './tracepath.js';
import { TRACEROUTE } from './traceroute.js';

/** Program is one executable. */
export interface Program {
  readonly name: string;
  /** available says whether the program is installed in the namespace the command runs in. */
  available(ctx: ToolContext): boolean;
  /** run parses argv and runs; it writes to ctx.out and sets its status. */
  run(ctx: ToolContext, argv: readonly string[]): void;
}

const registry = new Map<string, Program>();

/** registerProgram adds a program to the shell's PATH. */
export function registerProgram(p: Program): void {
  registry.set(p.name, p);
}

/** programNamed finds a registered program. */
export function programNamed(name: string): Program | undefined {
  return registry.get(name);
}

/** runProgram runs `prog argv…`, or answers as bash does when it is not there. */
export function runProgram(ctx: ToolContext, prog: string, argv: readonly string[]): void {
  const p = registry.get(prog);
  if (p === undefined || !p.available(ctx)) {
    ctx.out.errLine(`bash: ${prog}: command not found`, 127);
    return;
  }
  p.run(ctx, argv);
}

// The network tools every machine has, beyond the lab dialect's own commands.
registerProgram(TRACEROUTE);
registerProgram(TRACEPATH);
