#!/usr/bin/env node
// calisim(1): the command line. `calisim run FILE` runs a lab in the simulator, `calisim netns
// run FILE` runs the same lab on the real kernel (root only); the lab dialect is described in
// design.md. Bad input is one line on stderr and exit status 2, never a stack trace.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { Lab } from '../src/tools/ast.js';
import { checkLab, formatLabError, labLines, parseLab } from '../src/tools/lab.js';
import { renderTranscript, type TranscriptEntry } from '../src/tools/transcript.js';
import { safeText } from '../src/tools/escape.js';
import { kernelLabSupport, runLabOnKernel } from './lab/netns.js';
import { normalizeTranscript } from './lab/normalize.js';

/** UsageError is bad input from the user: printed as one line, exit status 2. */
class UsageError extends Error {}

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
    process.stdout.write(renderTranscript([e], true));
    return;
  }
  process.stdout.write(e.stdout);
  process.stderr.write(e.stderr);
}

/** RunFlags are the options `run` and `netns run` share. */
interface RunFlags {
  readonly echo?: boolean;
  readonly normalize?: boolean;
}

/** printNormalized prints a whole echo transcript normalised, as fixtures store it. */
function printNormalized(loaded: Loaded, entries: readonly TranscriptEntry[]): void {
  process.stdout.write(normalizeTranscript(renderTranscript(entries, true), loaded.text));
}

/** RunFlags of `run` and `replay` that only the simulator has. */
interface SimFlags extends RunFlags {
  readonly scenario?: string;
  /** errexit is `-e`: stop at the first command that fails and exit with its status, as `bash -e` does. */
  readonly errexit?: boolean;
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

/** runText checks a lab, then runs it through the shell and prints it line by line; it returns the exit status. */
function runText(shell: Awaited<ReturnType<typeof openShell>>, text: string, file: string, flags: SimFlags): number {
  // The whole lab is checked before anything runs; then it runs and prints line by line.
  const bad = checkLab(text, file);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  const entries: TranscriptEntry[] = [];
  let status = 0;
  for (const l of labLines(text, file)) {
    if (!l.ok) continue;
    const e = shell.runLine(l.line);
    if (flags.normalize) entries.push(e);
    else printEntry(e, flags.echo === true);
    if ((e.status ?? 0) !== 0) {
      status = e.status ?? 1;
      if (flags.errexit) break;
    } else status = 0;
  }
  if (flags.normalize) printNormalized({ lab: { file, lines: [] }, text }, entries);
  return flags.errexit ? status : 0;
}

async function runInSim(file: string, flags: SimFlags): Promise<number> {
  const text = readLab(file);
  const bad = checkLab(text, file);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  const source = flags.scenario !== undefined ? resolveScenario(flags.scenario) : null;
  const shell = await openShell(source, dirname(file));
  return runText(shell, text, file, flags);
}

async function replay(name: string, flags: SimFlags): Promise<number> {
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
  return runText(shell, text, shown, { ...flags, echo: flags.echo ?? true });
}

async function execIn(scenario: string, name: string, words: readonly string[]): Promise<number> {
  const source = resolveScenario(scenario);
  if (words.length === 0) throw new UsageError('calisim exec: missing command (calisim exec SCENARIO NAME -- CMD...)');
  const shell = await openShell(source, process.cwd());
  const { openedMachine } = await import('../src/tools/scenario.js');
  const ns = openedMachine(shell, name);
  if (ns === null) throw new UsageError(safeText(`calisim exec: no node or pod "${name}" in ${source.file}`));
  const r = shell.run(words.join(' '), ns);
  if (r.syntaxError !== undefined) throw new UsageError(safeText(`calisim exec: ${r.syntaxError}`));
  for (const c of r.output.chunks) (c.fd === 1 ? process.stdout : process.stderr).write(c.text);
  return r.output.status;
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
    .argument('[command...]')
    .action(async (words: string[]) => {
      if (words.length === 0) {
        status.code = await replay('seed000', {});
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
    .option('-e, --errexit', 'stop at the first command that fails and exit with its status')
    .action(async (file: string, o: SimFlags) => {
      status.code = await runInSim(file, o);
    });
  program
    .command('replay')
    .description("run a scenario's own walkthrough (a built-in seed, or SCENARIO.walk.lab beside a scenario file)")
    .argument('<scenario>', 'a built-in scenario name (seed000, …) or a scenario file')
    .option('--no-echo', 'print only what the commands print, not the "$ COMMAND" lines')
    .option('--normalize', 'print the transcript with run-dependent values normalised')
    .option('-e, --errexit', 'stop at the first command that fails and exit with its status')
    .action(async (name: string, o: SimFlags) => {
      status.code = await replay(name, o);
    });
  program
    .command('exec')
    .description('run one command on a node or in a pod of a scenario, after the cluster has converged')
    .argument('<scenario>', 'a built-in scenario name or a scenario file')
    .argument('<name>', 'a node or pod name')
    .argument('<command...>', 'the command (after --)')
    .action(async (scenario: string, name: string, words: string[]) => {
      status.code = await execIn(scenario, name, words);
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

// A closed pipe (`calisim … | head`) ends the run quietly; the exit handlers still clean up.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});
process.exitCode = await main(process.argv.slice(2));
