// The shell every command line goes through: lab lines, `calisim exec NODE -- CMD`, the terminal UI's
// prompt and the library API. It parses a line with the program it names (src/tools/commands.ts),
// runs it in a namespace of one simulator, and returns what the program wrote to stdout and stderr,
// in order, with its exit status.

import { INIT_NS } from '../model/world.js';
import { DEFAULT_RUN_BUDGET, type Sim, SimStopped, type StopReason, stopReasonText } from '../kernel/engine.js';
import type { ClusterRuntime } from '../scenarios/runtime/cluster.js';
import type { LabLine } from './ast.js';
import { parseCommand, runCommand } from './commands.js';
import './cluster/index.js';
import type { RunningCapture, ToolContext } from './context.js';
import type { KernelView } from './ip/print.js';
import { CommandError, Output, type OutputSink } from './output.js';
import { safeText } from './escape.js';
import type { TranscriptEntry } from './transcript.js';
import { SyntaxFault } from './words.js';

/** ShellResult is what one command line wrote, in order, and its exit status. */
export interface ShellResult {
  readonly output: Output;
  /** syntaxError is set when the line is not a command calisim knows (calisim's own message, exit 2). */
  readonly syntaxError?: string;
  /** stopped is set when the simulator stopped the command (an interrupt, a budget spent); `output` is what it wrote until then. */
  readonly stopped?: StopReason;
}

/** RunOptions are how a command line runs. */
export interface RunOptions {
  /** sink streams what the command writes as it writes it; the Output then keeps nothing. */
  readonly sink?: OutputSink;
}

/**
 * LineStopped is what Shell.runLine throws when the simulator stopped the line (an interrupt, a
 * budget spent): the reason and what the line wrote until then.
 */
export class LineStopped extends Error {
  constructor(
    readonly reason: StopReason,
    readonly entry: TranscriptEntry,
  ) {
    super(`${entry.command}: stopped: ${stopReasonText(reason)}`);
    this.name = 'LineStopped';
  }
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
    // A command that would run for ever (ping -W 0 to a silent address) ends with the budget of a lab.
    if (!sim.budgeted) sim.setBudget(DEFAULT_RUN_BUDGET);
    if (opts.cluster !== undefined) this.cluster = opts.cluster;
    if (opts.readFile !== undefined) this.readFile = opts.readFile;
  }

  /**
   * run parses and runs one command line in namespace `ns` (INIT_NS for the initial one). A line
   * calisim cannot parse gives calisim's message and exit status 2 (in `output`, never in the
   * sink); a line the real program rejects gives that program's error and status. When the
   * simulator stops the command (an interrupt, a budget spent), `stopped` says why.
   */
  run(line: string, ns: string = INIT_NS, opts: RunOptions = {}): ShellResult {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) return { output: new Output(opts.sink) };
    let parsed: ReturnType<typeof parseCommand>;
    try {
      parsed = parseCommand(words);
    } catch (e) {
      if (!(e instanceof SyntaxFault)) throw e;
      // calisim's own message, not the program's output: it stays in `output`, away from the sink.
      const output = new Output();
      output.errLine(safeText(`calisim: ${e.message}`), 2);
      return { output, syntaxError: e.message };
    }
    const output = new Output(opts.sink);
    try {
      this.runParsed(output, parsed.netns ?? ns, parsed.netns ?? (ns === INIT_NS ? null : ns), parsed.cmd);
    } catch (e) {
      if (!(e instanceof SimStopped)) throw e;
      return { output, stopped: e.reason };
    }
    return { output };
  }

  /**
   * runLine runs one parsed lab line and returns its transcript entry (empty stdout and stderr when
   * a sink streamed them). It throws LineStopped when the simulator stopped the line.
   */
  runLine(line: LabLine, opts: RunOptions = {}): TranscriptEntry {
    const out = new Output(opts.sink);
    const entry = (): TranscriptEntry => ({
      line: line.line,
      command: line.text,
      stdout: out.stdout,
      stderr: out.stderr,
      // A directive is calisim's own: the kernel runner gives its stdout, then its stderr.
      ...(DIRECTIVES.has(line.cmd.kind) ? {} : { output: out.combined }),
      status: out.status,
    });
    try {
      this.runParsed(out, line.netns ?? INIT_NS, line.netns, line.cmd);
    } catch (e) {
      if (!(e instanceof SimStopped)) throw e;
      throw new LineStopped(e.reason, entry());
    }
    return entry();
  }

  /**
   * interrupt stops what runs now, or the next command that waits on the simulator, as Ctrl-C
   * would: ping prints its statistics, and the run stops (see Sim.interrupt).
   */
  interrupt(): void {
    this.sim.interrupt();
  }

  private runParsed(out: Output, ns: string, label: string | null, cmd: LabLine['cmd']): void {
    if (!this.sim.world.namespaces.has(ns)) {
      out.errLine(`Cannot open network namespace "${label}": No such file or directory`, 1);
      return;
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
  }
}

/** DIRECTIVES are the lab lines that are no program (docs/labs.md §9). */
const DIRECTIVES: ReadonlySet<string> = new Set(['listen', 'capture', 'captures', 'sleep']);

/** clusterTcpdump is the tcpdump of a cluster's machine: its node's build, or upstream's. */
function clusterTcpdump(c: ClusterRuntime): (ns: string) => 'upstream' | 'redhat' {
  return (ns) => {
    const m = c.machineOf(ns);
    return m?.kind === 'node' ? m.node.tcpdump : 'upstream';
  };
}
