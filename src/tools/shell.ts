// The shell every command line goes through: lab lines, `calisim exec NODE -- CMD`, the terminal UI's
// prompt and the library API. It parses a line with the program it names (src/tools/commands.ts),
// runs it in a namespace of one simulator, and returns what the program wrote to stdout and stderr,
// in order, with its exit status.

import { INIT_NS } from '../model/world.js';
import type { Sim } from '../kernel/engine.js';
import type { ClusterRuntime } from '../scenarios/runtime/cluster.js';
import type { LabLine } from './ast.js';
import { parseCommand, runCommand } from './commands.js';
import './cluster/index.js';
import type { RunningCapture, ToolContext } from './context.js';
import type { KernelView } from './ip/print.js';
import { CommandError, Output } from './output.js';
import { safeText } from './escape.js';
import type { TranscriptEntry } from './transcript.js';
import { SyntaxFault } from './words.js';

/** ShellResult is what one command line wrote, in order, and its exit status. */
export interface ShellResult {
  readonly output: Output;
  /** syntaxError is set when the line is not a command calisim knows (calisim's own message, exit 2). */
  readonly syntaxError?: string;
}

/** Shell runs command lines against one simulator. */
export class Shell {
  private readonly captures: RunningCapture[] = [];
  private readonly view: KernelView;

  /** cluster is set when the shell runs a Calico cluster's namespaces (its nodes' and pods' tools). */
  readonly cluster?: ClusterRuntime;
  /** readFile is how commands read the files they name; none means there is no file to read. */
  readFile?: (path: string) => { readonly text: string } | { readonly errno: string };

  constructor(
    readonly sim: Sim,
    opts: { readonly cluster?: ClusterRuntime; readonly readFile?: Shell['readFile'] } = {},
  ) {
    this.view = { world: sim.world, drivers: sim.drivers };
    if (opts.cluster !== undefined) this.cluster = opts.cluster;
    if (opts.readFile !== undefined) this.readFile = opts.readFile;
  }

  /**
   * run parses and runs one command line in namespace `ns` (INIT_NS for the initial one). A line
   * calisim cannot parse gives calisim's message and exit status 2; a line the real program rejects
   * gives that program's error and status.
   */
  run(line: string, ns: string = INIT_NS): ShellResult {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) return { output: new Output() };
    let parsed: ReturnType<typeof parseCommand>;
    try {
      parsed = parseCommand(words);
    } catch (e) {
      if (!(e instanceof SyntaxFault)) throw e;
      const output = new Output();
      output.errLine(safeText(`calisim: ${e.message}`), 2);
      return { output, syntaxError: e.message };
    }
    return { output: this.runParsed(parsed.netns ?? ns, parsed.netns ?? (ns === INIT_NS ? null : ns), parsed.cmd) };
  }

  /** runLine runs one parsed lab line and returns its transcript entry. */
  runLine(line: LabLine): TranscriptEntry {
    const out = this.runParsed(line.netns ?? INIT_NS, line.netns, line.cmd);
    return { line: line.line, command: line.text, stdout: out.stdout, stderr: out.stderr, status: out.status };
  }

  private runParsed(ns: string, label: string | null, cmd: LabLine['cmd']): Output {
    const out = new Output();
    if (!this.sim.world.namespaces.has(ns)) {
      out.errLine(`Cannot open network namespace "${label}": No such file or directory`, 1);
      return out;
    }
    const ctx: ToolContext = {
      sim: this.sim,
      ns,
      out,
      captures: this.captures,
      view: this.view,
      ...(this.cluster !== undefined ? { cluster: this.cluster, tcpdumpFlavour: clusterTcpdump(this.cluster) } : {}),
      ...(this.readFile !== undefined ? { readFile: this.readFile } : {}),
    };
    try {
      runCommand(ctx, cmd);
    } catch (e) {
      // Printers report a missing device the way the real tool does: a line on stderr.
      if (!(e instanceof CommandError)) throw e;
      out.err(e.stderr.endsWith('\n') ? e.stderr : `${e.stderr}\n`);
      out.status = e.exitCode;
    }
    return out;
  }
}

/** clusterTcpdump is the tcpdump of a cluster's machine: its node's build, or upstream's. */
function clusterTcpdump(c: ClusterRuntime): (ns: string) => 'upstream' | 'redhat' {
  return (ns) => {
    const m = c.machineOf(ns);
    return m?.kind === 'node' ? m.node.tcpdump : 'upstream';
  };
}
