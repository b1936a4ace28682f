#!/usr/bin/env node
// calisim(1): the command line. `calisim run FILE` runs a lab in the simulator, `calisim netns
// run FILE` runs the same lab on the real kernel (root only); the lab dialect is described in
// docs/labs.md. Bad input is one line on stderr and exit status 2, never a stack trace.
//
// The simulator runs in a worker thread (`run`, `replay`, `exec`): it writes each chunk of output
// to stdout or stderr as a command produces it, while this thread stays free to take SIGINT and
// SIGTERM and raise a flag the simulator polls between events. Exit statuses: 0 the lab ran; with
// -e the status of the command that failed; 2 bad input; 3 a budget was spent; 130 SIGINT, 143
// SIGTERM.

import { existsSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { type RunBudget, type StopReason, stopReasonText } from '../src/kernel/engine.js';
import type { Lab } from '../src/tools/ast.js';
import { checkLab, formatLabError, labLines, parseLab } from '../src/tools/lab.js';
import { renderTranscript, type TranscriptEntry } from '../src/tools/transcript.js';
import { safeText } from '../src/tools/escape.js';
import { kernelLabSupport, runLabOnKernel } from './lab/netns.js';
import { normalizeTranscript } from './lab/normalize.js';

/** UsageError is bad input from the user: printed as one line, exit status 2. */
class UsageError extends Error {}

/** PipeClosed is a write to a pipe nobody reads any more (`calisim … | head`): the run ends quietly. */
class PipeClosed extends Error {}

/** EXIT_BUDGET is the exit status of a run that spent its budget. */
const EXIT_BUDGET = 3;
/** EXIT_ERREXIT is `-e`'s status: a command of the lab failed (its own status is in the message). */
const EXIT_ERREXIT = 1;

/** Write writes to stdout (1) or stderr (2). */
type Write = (fd: 1 | 2, text: string) => void;

/** write is how the CLI prints: through process.stdout/stderr here, straight to the file descriptors in the simulator's thread. */
let write: Write = (fd, text) => {
  (fd === 1 ? process.stdout : process.stderr).write(text);
};

/** NAP is what writeAll sleeps on while a non-blocking pipe is full. */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/** writeAll writes all of `text` to `fd` before it returns, so output keeps its order and memory stays flat. */
function writeAll(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(NAP, 0, 0, 1);
      else if (code === 'EPIPE') throw new PipeClosed();
      else throw e;
    }
  }
}

/** packageRoot finds the installed package's directory (it holds fixtures/), wherever cwd is. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the calisim package directory');
    dir = up;
  }
}

/** Loaded is a parsed lab and its source text. */
interface Loaded {
  readonly lab: Lab;
  readonly text: string;
}

/** readLab reads a lab file, turning every problem into a one-line UsageError. */
function readLab(file: string): string {
  let text: string;
  try {
    // `-` is standard input, as for most Unix tools.
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new UsageError(safeText(`calisim: cannot read ${file}: ${why}`));
  }
  return text;
}

/** loadLab reads and parses a lab, turning every problem into a one-line UsageError. */
function loadLab(file: string): Loaded {
  const text = readLab(file);
  const r = parseLab(text, file);
  if (!r.ok) throw new UsageError(formatLabError(r.error));
  return { lab: r.lab, text };
}

/** printEntry writes one entry: with echo everything goes to stdout, as a terminal shows it. */
function printEntry(e: TranscriptEntry, echo: boolean): void {
  if (echo) {
    write(1, renderTranscript([e], true));
    return;
  }
  write(1, e.stdout);
  write(2, e.stderr);
}

/** RunFlags are the options `run` and `netns run` share. */
interface RunFlags {
  readonly echo?: boolean;
  readonly normalize?: boolean;
}

/** printNormalized prints a whole echo transcript normalised, as fixtures store it. */
function printNormalized(loaded: Loaded, entries: readonly TranscriptEntry[]): void {
  write(1, normalizeTranscript(renderTranscript(entries, true), loaded.text));
}

/** BudgetFlags are the budget options of `run`, `replay` and `exec`, as typed. */
interface BudgetFlags {
  readonly maxVirtualTime?: string;
  readonly maxEvents?: string;
}

/** RunFlags of `run` and `replay` that only the simulator has. */
interface SimFlags extends RunFlags, BudgetFlags {
  readonly scenario?: string;
  /** errexit is `-e`: stop at the first command that fails, name it and its status, and exit 1. */
  readonly errexit?: boolean;
}

/**
 * DEFAULT_MAX_VIRTUAL_TIME and DEFAULT_MAX_EVENTS are a run's budget unless the options say
 * otherwise (the values of the simulator's DEFAULT_RUN_BUDGET): more than any lab needs, so only a
 * runaway command meets them.
 */
const DEFAULT_MAX_VIRTUAL_TIME = '24h';
const DEFAULT_MAX_EVENTS = '100000000';

/** DURATION_UNITS are the units of --max-virtual-time, in microseconds. */
const DURATION_UNITS = new Map<string, number>([
  ['us', 1],
  ['ms', 1e3],
  ['s', 1e6],
  ['m', 60e6],
  ['h', 3600e6],
  ['d', 86400e6],
]);

/** Budget is a run's budget: the numbers for the simulator, and the options as typed, for the message that says it is spent. */
interface Budget extends RunBudget {
  readonly virtualTimeText: string;
  readonly eventsText: string;
}

/** parseBudget reads --max-virtual-time DURATION (a number and a unit: us, ms, s, m, h, d; seconds without one) and --max-events N. */
function parseBudget(o: BudgetFlags): Budget {
  const virtualTimeText = o.maxVirtualTime ?? DEFAULT_MAX_VIRTUAL_TIME;
  const eventsText = o.maxEvents ?? DEFAULT_MAX_EVENTS;
  const d = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$/.exec(virtualTimeText);
  const maxVirtualTimeUs = d === null ? Number.NaN : Number(d[1]) * DURATION_UNITS.get(d[2] ?? 's')!;
  if (!(maxVirtualTimeUs >= 1) || !Number.isFinite(maxVirtualTimeUs)) {
    throw new UsageError(safeText(`calisim: invalid --max-virtual-time "${virtualTimeText}" (a duration such as 90s, 10m, 24h, 2d)`));
  }
  if (!/^\d+$/.test(eventsText) || Number(eventsText) < 1 || !Number.isSafeInteger(Number(eventsText))) {
    throw new UsageError(safeText(`calisim: invalid --max-events "${eventsText}" (a number of events, at least 1)`));
  }
  return { maxVirtualTimeUs, maxEvents: Number(eventsText), virtualTimeText, eventsText };
}

/** stoppedText says which budget a run spent, for the one line that reports it. */
function stoppedText(reason: StopReason, b: Budget): string {
  if (reason.kind !== 'budget') return stopReasonText(reason);
  return reason.budget === 'events' ? `event budget of ${b.eventsText} events spent` : `virtual-time budget of ${b.virtualTimeText} spent`;
}

/**
 * SimControl is how the simulator's thread learns of signals: `flags[0]` is the number of the
 * signal that interrupts the run (0 for none), `flags[1]` is 1 once the lab runs (before, a signal
 * ends the thread at once).
 */
interface SimControl {
  readonly flags: Int32Array;
}

/** startRun gives the simulator its budget and the signal flag, and says the run has begun. */
function startRun(sim: import('../src/kernel/engine.js').Sim, budget: Budget, ctl: SimControl): void {
  sim.setBudget(budget);
  sim.setInterruptSource(() => Atomics.load(ctl.flags, 0) !== 0);
  Atomics.store(ctl.flags, 1, 1);
}

/** interruptedStatus is 128 + the signal's number, as a shell reports a command a signal ended (130 SIGINT, 143 SIGTERM). */
function interruptedStatus(ctl: SimControl): number {
  return 128 + (Atomics.load(ctl.flags, 0) || 2);
}

/** BUILTIN_NAME is what a built-in scenario's name looks like (`seed000`, `seed003-vxlan`). */
const BUILTIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** builtinScenarios lists the scenarios shipped in fixtures/scenarios. */
function builtinScenarios(): string[] {
  const dir = join(packageRoot(), 'fixtures', 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** ScenarioSource is a scenario's text and where its walkthrough and files are. */
interface ScenarioSource {
  readonly file: string;
  readonly text: string;
  /** builtin is the built-in name, for its walkthrough and files. */
  readonly builtin?: string;
}

/** resolveScenario reads a scenario file, or a built-in scenario by name. */
function resolveScenario(arg: string): ScenarioSource {
  if (existsSync(arg)) return { file: arg, text: readLab(arg) };
  if (BUILTIN_NAME.test(arg)) {
    const path = join(packageRoot(), 'fixtures', 'scenarios', `${arg}.yaml`);
    if (existsSync(path)) return { file: `${arg}.yaml`, text: readFileSync(path, 'utf8'), builtin: arg };
  }
  throw new UsageError(safeText(`calisim: no scenario "${arg}": not a file, nor a built-in one (${builtinScenarios().join(', ')})`));
}

/** fileReader reads the files commands name: relative paths from `dir` (a walkthrough's NAME.files/). */
function fileReader(dir: string): (path: string) => { text: string } | { errno: string } {
  return (path) => {
    try {
      return { text: readFileSync(isAbsolute(path) ? path : join(dir, path), 'utf8') };
    } catch (e) {
      return { errno: (e as NodeJS.ErrnoException).code ?? 'EIO' };
    }
  };
}

/** openShell builds the shell a lab runs in: a bare simulator, or a scenario's converged cluster. */
async function openShell(
  source: ScenarioSource | null,
  filesDir: string,
): Promise<InstanceType<typeof import('../src/tools/shell.js').Shell>> {
  if (source === null) {
    // Loaded on demand: `calisim netns run` must work even where the simulator cannot load.
    const { createSimulator } = await import('../src/scenarios/simulator.js');
    const { Shell } = await import('../src/tools/shell.js');
    return new Shell(createSimulator(), { readFile: fileReader(filesDir) });
  }
  const { openScenario } = await import('../src/tools/scenario.js');
  const r = openScenario(source.text, source.file);
  if (!r.ok) throw new UsageError(r.errors.join('\n'));
  r.opened.shell.readFile = fileReader(filesDir);
  return r.opened.shell;
}

/**
 * runText checks a lab, then runs it through the shell line by line, printing what each command
 * writes as it writes it (with --echo, a command's stderr after its stdout, as the kernel runner
 * keeps them; with --normalize, the whole transcript at the end); it returns the exit status.
 */
function runText(
  shell: Awaited<ReturnType<typeof openShell>>,
  text: string,
  file: string,
  flags: SimFlags,
  budget: Budget,
  ctl: SimControl,
): number {
  // The whole lab is checked before anything runs; then it runs and prints line by line.
  const bad = checkLab(text, file);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  const entries: TranscriptEntry[] = [];
  const flush = (): void => {
    if (flags.normalize) printNormalized({ lab: { file, lines: [] }, text }, entries);
  };
  startRun(shell.sim, budget, ctl);
  for (const l of labLines(text, file)) {
    if (!l.ok) continue;
    if (Atomics.load(ctl.flags, 0) !== 0) {
      flush();
      return interruptedStatus(ctl);
    }
    let errors = '';
    const echo = flags.echo === true && !flags.normalize;
    if (echo) write(1, `$ ${safeText(l.line.text)}\n`);
    const sink: Write | undefined = flags.normalize
      ? undefined
      : echo
        ? (fd, t) => {
            if (fd === 1) write(1, t);
            else errors += t;
          }
        : write;
    let e: TranscriptEntry;
    try {
      e = shell.runLine(l.line, sink !== undefined ? { sink } : {});
    } catch (err) {
      if (!isLineStopped(err)) throw err;
      if (echo) write(1, errors);
      entries.push(err.entry);
      flush();
      if (err.reason.kind === 'interrupted') return interruptedStatus(ctl);
      write(2, `${safeText(`${file}:${err.entry.line}: ${err.entry.command}: stopped: ${stoppedText(err.reason, budget)}`)}\n`);
      return EXIT_BUDGET;
    }
    if (echo) write(1, errors);
    if (flags.normalize) entries.push(e);
    if (flags.errexit && (e.status ?? 0) !== 0) {
      flush();
      write(2, `${safeText(`${file}:${e.line}: ${e.command}: exit status ${e.status}`)}\n`);
      return EXIT_ERREXIT;
    }
  }
  flush();
  return 0;
}

/** isLineStopped says whether `e` is the shell's LineStopped (the shell is loaded on demand, so not by instanceof). */
function isLineStopped(e: unknown): e is import('../src/tools/shell.js').LineStopped {
  return e instanceof Error && e.name === 'LineStopped';
}

async function runInSim(file: string, flags: SimFlags, ctl: SimControl): Promise<number> {
  const budget = parseBudget(flags);
  const text = readLab(file);
  const bad = checkLab(text, file);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  const source = flags.scenario !== undefined ? resolveScenario(flags.scenario) : null;
  const shell = await openShell(source, dirname(file));
  return runText(shell, text, file, flags, budget, ctl);
}

async function replay(name: string, flags: SimFlags, ctl: SimControl): Promise<number> {
  const budget = parseBudget(flags);
  const source = resolveScenario(name);
  const base =
    source.builtin !== undefined ? join(packageRoot(), 'fixtures', 'scenarios', source.builtin) : source.file.replace(/\.ya?ml$/, '');
  const walk = `${base}.walk.lab`;
  if (!existsSync(walk)) throw new UsageError(safeText(`calisim: scenario "${name}" has no walkthrough (${walk})`));
  const text = readFileSync(walk, 'utf8');
  const shown = source.builtin !== undefined ? `${source.builtin}.walk.lab` : walk;
  const bad = checkLab(text, shown);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  const shell = await openShell(source, `${base}.files`);
  return runText(shell, text, shown, { ...flags, echo: flags.echo ?? true }, budget, ctl);
}

async function execIn(scenario: string, name: string, words: readonly string[], flags: BudgetFlags, ctl: SimControl): Promise<number> {
  const budget = parseBudget(flags);
  const source = resolveScenario(scenario);
  if (words.length === 0) throw new UsageError('calisim exec: missing command (calisim exec SCENARIO NAME -- CMD...)');
  const shell = await openShell(source, process.cwd());
  const { openedMachine } = await import('../src/tools/scenario.js');
  const ns = openedMachine(shell, name);
  if (ns === null) throw new UsageError(safeText(`calisim exec: no node or pod "${name}" in ${source.file}`));
  startRun(shell.sim, budget, ctl);
  const line = words.join(' ');
  const r = shell.run(line, ns, { sink: write });
  if (r.syntaxError !== undefined) throw new UsageError(safeText(`calisim exec: ${r.syntaxError}`));
  if (r.stopped !== undefined) {
    if (r.stopped.kind === 'interrupted') return interruptedStatus(ctl);
    write(2, `${safeText(`calisim exec ${name}: ${line}: stopped: ${stoppedText(r.stopped, budget)}`)}\n`);
    return EXIT_BUDGET;
  }
  return r.output.status;
}

/** SimJob is a command the simulator's thread runs. */
type SimJob =
  | { readonly kind: 'run'; readonly file: string; readonly flags: SimFlags }
  | { readonly kind: 'replay'; readonly name: string; readonly flags: SimFlags }
  | {
      readonly kind: 'exec';
      readonly scenario: string;
      readonly name: string;
      readonly words: readonly string[];
      readonly flags: BudgetFlags;
    };

/**
 * inSimThread runs a job in the simulator's thread and returns its exit status. SIGINT and SIGTERM
 * raise the flag the simulator polls between events (ping then prints its statistics); before the
 * lab runs, or at a second signal, they end the thread at once.
 */
async function inSimThread(job: SimJob): Promise<number> {
  // Budget options are checked here, so that bad ones need no thread.
  parseBudget(job.flags);
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL(import.meta.url), { workerData: { calisimJob: job, flags } });
  let status: number | null = null;
  let killedBy = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    const no = sig === 'SIGINT' ? 2 : 15;
    if (Atomics.load(flags, 1) === 1 && Atomics.compareExchange(flags, 0, 0, no) === 0) return;
    killedBy = no;
    void worker.terminate();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.on('message', (m: { status: number }) => {
        status = m.status;
      });
      worker.on('error', reject);
      worker.on('exit', () => resolve(killedBy !== 0 ? 128 + killedBy : (status ?? 1)));
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** simThreadMain runs a job in the simulator's thread, printing straight to the file descriptors; it returns the exit status. */
async function simThreadMain(job: SimJob, ctl: SimControl): Promise<number> {
  write = writeAll;
  try {
    switch (job.kind) {
      case 'run':
        return await runInSim(job.file, job.flags, ctl);
      case 'replay':
        return await replay(job.name, job.flags, ctl);
      case 'exec':
        return await execIn(job.scenario, job.name, job.words, job.flags, ctl);
    }
  } catch (e) {
    if (e instanceof PipeClosed) return 0;
    try {
      if (e instanceof UsageError) {
        writeAll(2, `${e.message}\n`);
        return 2;
      }
      writeAll(2, `calisim: ${e instanceof Error ? e.message : String(e)}\n`);
    } catch {
      // stderr is gone too.
    }
    return 1;
  }
}

async function runOnKernel(file: string, flags: RunFlags): Promise<void> {
  const loaded = loadLab(file);
  const support = await kernelLabSupport();
  if (!support.ok) throw new UsageError(`calisim netns run: cannot run labs on this machine: ${support.reason}`);
  if (flags.normalize) printNormalized(loaded, await runLabOnKernel(loaded.lab));
  else await runLabOnKernel(loaded.lab, { onEntry: (e) => printEntry(e, flags.echo === true) });
}

/** VERSION is the package's version. */
function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** buildProgram declares the commands; each action leaves its exit status in `status`. */
function buildProgram(status: { code: number }): Command {
  const program = new Command('calisim')
    .description('Linux networking as Calico builds it, simulated and checked against the real kernel')
    .version(version(), '-V, --version')
    .exitOverride()
    // commander echoes the word it rejects: escaped and cut like every message in calisim's voice.
    .configureOutput({
      outputError: (str, write) =>
        write(
          str
            .split('\n')
            .map((line) => (line === '' ? line : safeText(line)))
            .join('\n'),
        ),
    })
    .argument('[command...]')
    .action(async (words: string[]) => {
      if (words.length === 0) {
        status.code = await inSimThread({ kind: 'replay', name: 'seed000', flags: {} });
        return;
      }
      if (words[0] === 'help') {
        const sub = words[1] !== undefined ? program.commands.find((c) => c.name() === words[1]) : undefined;
        if (words[1] !== undefined && sub === undefined) throw new UsageError(safeText(`calisim: unknown command "${words[1]}"`));
        process.stdout.write((sub ?? program).helpInformation());
        return;
      }
      throw new UsageError(safeText(`calisim: unknown command "${words[0]}" (see calisim --help)`));
    });
  program
    .command('run')
    .description('run a lab in the simulator (- reads it from standard input)')
    .argument('<file>', 'the lab (*.lab)')
    .option('--scenario <scenario>', 'run the lab in a Calico cluster: a scenario file or a built-in name (seed000, …)')
    .option('--echo', 'print each command as "$ COMMAND" before its output, all on stdout')
    .option('--normalize', 'print the --echo transcript with run-dependent values normalised')
    .option('-e, --errexit', 'stop at the first command that fails and exit 1, naming it and its status')
    .option(
      '--max-virtual-time <duration>',
      `stop (exit 3) once the lab has spent this much virtual time (us, ms, s, m, h, d)`,
      DEFAULT_MAX_VIRTUAL_TIME,
    )
    .option('--max-events <n>', 'stop (exit 3) once the lab has processed this many simulator events', DEFAULT_MAX_EVENTS)
    .action(async (file: string, o: SimFlags) => {
      status.code = await inSimThread({ kind: 'run', file, flags: o });
    });
  program
    .command('replay')
    .description("run a scenario's own walkthrough (a built-in seed, or SCENARIO.walk.lab beside a scenario file)")
    .argument('<scenario>', 'a built-in scenario name (seed000, …) or a scenario file')
    .option('--no-echo', 'print only what the commands print, not the "$ COMMAND" lines')
    .option('--normalize', 'print the transcript with run-dependent values normalised')
    .option('-e, --errexit', 'stop at the first command that fails and exit 1, naming it and its status')
    .option(
      '--max-virtual-time <duration>',
      `stop (exit 3) once the walkthrough has spent this much virtual time`,
      DEFAULT_MAX_VIRTUAL_TIME,
    )
    .option('--max-events <n>', 'stop (exit 3) once the walkthrough has processed this many simulator events', DEFAULT_MAX_EVENTS)
    .action(async (name: string, o: SimFlags) => {
      status.code = await inSimThread({ kind: 'replay', name, flags: o });
    });
  program
    .command('exec')
    .description('run one command on a node or in a pod of a scenario, after the cluster has converged')
    .argument('<scenario>', 'a built-in scenario name or a scenario file')
    .argument('<name>', 'a node or pod name')
    .argument('<command...>', 'the command (after --)')
    .option('--max-virtual-time <duration>', 'stop (exit 3) once the command has spent this much virtual time', DEFAULT_MAX_VIRTUAL_TIME)
    .option('--max-events <n>', 'stop (exit 3) once the command has processed this many simulator events', DEFAULT_MAX_EVENTS)
    .action(async (scenario: string, name: string, words: string[], o: BudgetFlags) => {
      status.code = await inSimThread({ kind: 'exec', scenario, name, words, flags: { ...o } });
    });
  program
    .command('export')
    .description("print a scenario's converged kernel state as a lab (for `calisim netns run`)")
    .argument('<scenario>', 'a built-in scenario name or a scenario file')
    .action(async (scenario: string) => {
      const source = resolveScenario(scenario);
      const shell = await openShell(source, process.cwd());
      const { exportLab } = await import('../src/tools/export.js');
      const c = shell.cluster!;
      const when = new Date((c.ds.startTime + c.nowSeconds) * 1000).toISOString();
      process.stdout.write(
        exportLab(
          { world: shell.sim.world, drivers: shell.sim.drivers },
          { title: `${source.file} as it is at ${when} (virtual ${c.nowSeconds.toFixed(3)} s)` },
        ),
      );
    });
  program
    .command('scenarios')
    .description('list the built-in scenarios')
    .action(() => {
      process.stdout.write(`${builtinScenarios().join('\n')}\n`);
    });
  program
    .command('netns')
    .description('run labs on the real kernel, in network namespaces (root only)')
    .command('run')
    .description('run a lab on the real kernel')
    .argument('<file>', 'the lab (*.lab)')
    .option('--echo', 'print each command as "$ COMMAND" before its output, all on stdout')
    .option('--normalize', 'print the --echo transcript with run-dependent values normalised, as fixtures store it')
    .action((file: string, o: RunFlags) => runOnKernel(file, o));
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  const status = { code: 0 };
  const program = buildProgram(status);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return status.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed it already
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    process.stderr.write(`calisim: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

const job = (workerData as { calisimJob?: SimJob; flags?: Int32Array } | null)?.calisimJob;
if (!isMainThread && job !== undefined) {
  // The simulator's thread.
  const status = await simThreadMain(job, { flags: (workerData as { flags: Int32Array }).flags });
  parentPort!.postMessage({ status });
} else {
  // A closed pipe (`calisim … | head`) ends the run quietly; the exit handlers still clean up.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  process.exitCode = await main(process.argv.slice(2));
}
