#!/usr/bin/env node
// calisim(1): the command line. `calisim run FILE` runs a lab in the simulator, `calisim netns
// run FILE` runs the same lab on the real kernel (root only); the lab dialect is described in
// design.md. Bad input is one line on stderr and exit status 2, never a stack trace.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { Lab } from '../src/tools/ast.js';
import { checkLab, formatLabError, labLines, parseLab } from '../src/tools/lab.js';
import { renderTranscript, type TranscriptEntry } from '../src/tools/transcript.js';
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
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new UsageError(`calisim: cannot read ${file}: ${why}`);
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

async function runInSim(file: string, flags: RunFlags): Promise<void> {
  const text = readLab(file);
  // The whole lab is checked before anything runs; then it runs and prints line by line.
  const bad = checkLab(text, file);
  if (bad !== null) throw new UsageError(formatLabError(bad));
  // Loaded on demand: `calisim netns run` must work even where the simulator cannot load.
  const { createSimulator } = await import('../src/scenarios/simulator.js');
  const { Shell } = await import('../src/tools/shell.js');
  const shell = new Shell(createSimulator());
  const entries: TranscriptEntry[] = [];
  for (const l of labLines(text, file)) {
    if (!l.ok) continue;
    const e = shell.runLine(l.line);
    if (flags.normalize) entries.push(e);
    else printEntry(e, flags.echo === true);
  }
  if (flags.normalize) printNormalized({ lab: { file, lines: [] }, text }, entries);
}

async function runOnKernel(file: string, flags: RunFlags): Promise<void> {
  const loaded = loadLab(file);
  const support = await kernelLabSupport();
  if (!support.ok) throw new UsageError(`calisim netns run: cannot run labs on this machine: ${support.reason}`);
  if (flags.normalize) printNormalized(loaded, await runLabOnKernel(loaded.lab));
  else await runLabOnKernel(loaded.lab, { onEntry: (e) => printEntry(e, flags.echo === true) });
}

/** buildProgram declares the commands. */
function buildProgram(): Command {
  const program = new Command('calisim')
    .description('Linux networking as Calico builds it, simulated and checked against the real kernel')
    .exitOverride()
    .action(() => runInSim(join(packageRoot(), 'fixtures', 'labs', 'seed000-same-node.lab'), { echo: true }));
  program
    .command('run')
    .description('run a lab in the simulator')
    .argument('<file>', 'the lab (*.lab)')
    .option('--echo', 'print each command as "$ COMMAND" before its output, all on stdout')
    .option('--normalize', 'print the --echo transcript with run-dependent values normalised')
    .action((file: string, o: RunFlags) => runInSim(file, o));
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
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed it already
    if (e instanceof UsageError) {
      process.stderr.write(e.message + '\n');
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
