// The fuzzer's side of a run: a sandbox process (sandbox.ts) that runs `calisim run …` in-process
// through cli/main.ts and is killed when a lab does not end in time, the judge that holds every run
// to calisim's contract (docs/labs.md 1.1: exit 0, 1 only with -e, 2 for bad input, 3 for a spent
// budget; one safe line for its own messages; never a JS error or a stack trace), and the kernel
// differential for generated labs (as tests/cli/lab/differential.test.ts does for the fixtures).

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLabOnKernel } from '../../cli/lab/netns.js';
import { normalizeTranscript } from '../../cli/lab/normalize.js';
import { MAX_WORD } from '../../src/tools/escape.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { labLines, parseLab } from '../../src/tools/lab.js';
import { Shell } from '../../src/tools/shell.js';
import type { TranscriptEntry } from '../../src/tools/transcript.js';
import { renderTranscript } from '../../src/tools/transcript.js';
import { unifiedDiff } from '../cli/lab/diff.js';
import type { SandboxReply, SandboxRequest } from './sandbox.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REGISTER = join(HERE, '..', 'cli', 'lab', 'swc-register.mjs');
const QUERY_REGISTER = join(HERE, 'query-register.mjs');

/** Outcome is how one run of the CLI ended. */
export interface Outcome {
  /** code is the exit status; null when the run was killed (`hung`) or the sandbox died. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** hung is set when the run was still going after its wall-clock limit. */
  readonly hung: boolean;
  /** thrown is an exception that escaped cli/main.ts itself. */
  readonly thrown?: string;
  readonly ms: number;
}

/** Stream collects what the sandbox writes on one of its streams and cuts it at each run's marker. */
class Stream {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: { marker: Buffer; resolve: (text: string) => void } | null = null;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.check();
  }

  /** until resolves with everything before `marker`, once it has arrived. */
  until(marker: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiter = { marker: Buffer.from(marker, 'utf8'), resolve };
      this.check();
    });
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
    this.waiter = null;
  }

  private check(): void {
    const w = this.waiter;
    if (w === null) return;
    const at = this.buf.indexOf(w.marker);
    if (at < 0) return;
    const text = this.buf.subarray(0, at).toString('utf8');
    this.buf = this.buf.subarray(at + w.marker.length);
    this.waiter = null;
    w.resolve(text);
  }
}

/** Sandbox runs `calisim ARGS…` in a child process, one request at a time, restarting it after a hang. */
export class Sandbox {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 0;
  private pending: ((r: SandboxReply | null) => void) | null = null;
  private readonly out = new Stream();
  private readonly err = new Stream();
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly dir = mkdtempSync(join(tmpdir(), 'calisim-fuzz-'));
  private labSerial = 0;
  /** restarts counts how often the sandbox had to be killed and started again. */
  restarts = 0;

  private start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    this.out.reset();
    this.err.reset();
    const child = fork(join(HERE, 'sandbox.ts'), [], {
      execArgv: ['--import', REGISTER, '--import', QUERY_REGISTER, '--no-warnings', '--max-old-space-size=2048'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => this.out.push(d));
    child.stderr!.on('data', (d: Buffer) => this.err.push(d));
    this.ready = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (m: SandboxReply) => {
        if (m.id === -1) resolve();
        else this.settle(m);
      });
      child.once('exit', () => {
        if (this.child === child) {
          this.child = null;
          this.ready = null;
        }
        this.settle(null);
      });
    });
    return this.ready;
  }

  private settle(r: SandboxReply | null): void {
    const p = this.pending;
    this.pending = null;
    p?.(r);
  }

  /** labFile writes a lab's text to a file of its own and returns the path. */
  labFile(text: string): string {
    const file = join(this.dir, `lab${this.labSerial++ % 64}.lab`);
    writeFileSync(file, text);
    return file;
  }

  /** run runs `calisim ARGS…`; a run still going after `limitMs` is killed and reported as hung. */
  async run(args: readonly string[], limitMs: number): Promise<Outcome> {
    await this.start();
    const id = this.nextId++;
    const marker = `\u0000${this.nonce}:${id}\u0000`;
    const t0 = Date.now();
    const done = new Promise<SandboxReply | null>((resolve) => {
      this.pending = resolve;
    }).then(async (r) => (r === null ? null : { r, stdout: await this.out.until(marker), stderr: await this.err.until(marker) }));
    this.child!.send({ id, args, marker } satisfies SandboxRequest);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), limitMs);
    });
    const r = await Promise.race([done, timeout]);
    clearTimeout(timer);
    const ms = Date.now() - t0;
    if (r === 'hung' || r === null) {
      await this.kill();
      return { code: null, stdout: '', stderr: '', hung: r === 'hung', ms };
    }
    return {
      code: r.r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      hung: false,
      ms,
      ...(r.r.thrown !== undefined ? { thrown: r.r.thrown } : {}),
    };
  }

  private async kill(): Promise<void> {
    const c = this.child;
    if (c === null) return;
    this.restarts++;
    this.child = null;
    this.ready = null;
    this.pending = null;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }

  /** close ends the sandbox and removes its files. */
  async close(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (c !== null) {
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.disconnect();
        c.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** RunContext is what the judge needs to know about a run besides its outcome. */
export interface RunContext {
  /** file is the lab's path as given on the command line. */
  readonly file: string;
  readonly errexit: boolean;
  readonly echo: boolean;
  /** budgets is set when the run had --max-events / --max-virtual-time: exit 3 is then allowed and a hang is not. */
  readonly budgets: boolean;
  /** lines is the number of physical lines of the lab. */
  readonly lines: number;
}

/** Verdict is the judge's finding: the exit class and every broken rule. */
export interface Verdict {
  /** exit is `0`, `1`, `2`, `3`, another status, `hang` or `crash`. */
  readonly exit: string;
  readonly problems: readonly string[];
  /** hangWithoutBudget is a run killed by the watchdog while the CLI had no budget options to end it. */
  readonly hangWithoutBudget: boolean;
  /** rawEchoLines counts `$ COMMAND` lines of --echo that carry control characters (the command as written). */
  readonly rawEchoLines: number;
}

/** unsafe says whether text carries what calisim's own messages must never carry raw: C0 controls but tab, DEL, C1 controls. */
function unsafe(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c < 0xa0)) return true;
  }
  return false;
}

/**
 * LONG_WORD matches a word longer than a message may echo whole (MAX_WORD and the `…` that cuts it).
 * safeText cuts a word at MAX_WORD characters of input and then escapes them, so a cut word of
 * control characters reads up to four times as long (`\033` for each): such a word must still carry
 * the `…`, and no word may be longer than that.
 */
const LONG_WORD = new RegExp(`\\S{${MAX_WORD + 2},}`, 'gu');
const MAX_ECHOED = 4 * MAX_WORD + 8;

/** STACK matches a line of a V8 stack trace. */
const STACK = /^\s+at (?:.+ \()?(?:file:|node:|\/).+:\d+(?::\d+)?\)?$/m;

/** ownLines are the lines of stderr calisim writes in its own voice: `FILE:LINE:`, `calisim…:`, commander's `error:`. */
function ownLines(stderr: string, file: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith(`${file}:`) || l.startsWith('calisim') || l.startsWith('error:'));
}

/** judge checks one outcome against the CLI's contract. */
export function judge(o: Outcome, ctx: RunContext): Verdict {
  const problems: string[] = [];
  const exit = o.hung ? 'hang' : o.code === null ? 'crash' : String(o.code);
  let hangWithoutBudget = false;
  if (o.hung) {
    if (ctx.budgets) problems.push(`still running after ${o.ms} ms with a budget`);
    else hangWithoutBudget = true;
  } else if (o.code === null) problems.push('the sandbox died (out of memory, or a native crash)');
  if (o.thrown !== undefined) problems.push(`an exception escaped cli/main.ts: ${o.thrown.split('\n')[0]}`);
  if (STACK.test(o.stderr)) problems.push('a stack trace on stderr');
  const own = ownLines(o.stderr, ctx.file);
  for (const l of own) {
    if (unsafe(l)) problems.push(`a control character in calisim's own message: ${JSON.stringify(l.slice(0, 200))}`);
    for (const [w] of l.matchAll(LONG_WORD))
      if (!w.includes('…') || w.length > MAX_ECHOED)
        problems.push(`a word over ${MAX_WORD} characters not cut with … in: ${JSON.stringify(l.slice(0, 200))}`);
  }
  const internal = own.filter((l) => /^calisim: /.test(l) && !/^calisim: cannot read /.test(l));
  const syntax = own.filter((l) => l.startsWith(`${ctx.file}:`));
  const usage = own.filter((l) => l.startsWith('error:') || /^calisim: cannot read /.test(l));
  if (o.code === 1 && !ctx.errexit) problems.push(`exit 1 without -e: ${JSON.stringify(o.stderr.slice(0, 300))}`);
  if (o.code !== null && internal.length > 0 && o.code !== 3)
    problems.push(`an internal error: ${JSON.stringify(internal[0].slice(0, 300))}`);
  if (o.code === 3 && !ctx.budgets) problems.push('exit 3 (budget spent) without a budget');
  if (o.code === 2 && syntax.length > 0) {
    // A syntax error: one line, FILE:LINE: message, at a line the lab has, and nothing else.
    const m = /^(.*):(\d+): (.+)$/.exec(syntax[0]);
    if (o.stderr !== `${syntax[0]}\n`) problems.push(`a syntax error is not exactly one line: ${JSON.stringify(o.stderr.slice(0, 300))}`);
    if (o.stdout !== '') problems.push('a syntax error printed on stdout too');
    if (m === null || Number(m[2]) < 1 || Number(m[2]) > ctx.lines)
      problems.push(`a syntax error at a line the lab does not have: ${syntax[0].slice(0, 200)}`);
  } else if (o.code === 2 && usage.length > 0) {
    // A usage error or a file that cannot be read: one line too.
    if (o.stderr !== `${usage[0]}\n`) problems.push(`a usage error is not exactly one line: ${JSON.stringify(o.stderr.slice(0, 300))}`);
  } else if (o.code === 2 && !ctx.errexit) problems.push(`exit 2 without a FILE:LINE: message: ${JSON.stringify(o.stderr.slice(0, 300))}`);
  // With -e calisim exits 1 for the command that failed, whatever that command's own status was.
  if (o.code !== null && ![0, 1, 2, 3].includes(o.code)) problems.push(`undocumented exit status ${o.code}`);
  if (ctx.echo && o.code === 0 && !ctx.errexit && o.stderr !== '')
    problems.push(`--echo left output on stderr: ${JSON.stringify(o.stderr.slice(0, 200))}`);
  let rawEchoLines = 0;
  if (ctx.echo) for (const l of o.stdout.split('\n')) if (l.startsWith('$ ') && unsafe(l)) rawEchoLines++;
  return { exit, problems, hangWithoutBudget, rawEchoLines };
}

/** physicalLines counts a text's lines as `FILE:LINE:` numbers them. */
export function physicalLines(text: string): number {
  return text.split('\n').length;
}

/** Tally counts runs by exit class, for the report of a long run. */
export class Tally {
  readonly exits = new Map<string, number>();
  runs = 0;
  hangsWithoutBudget = 0;
  rawEchoLines = 0;
  readonly failures: string[] = [];

  add(v: Verdict): void {
    this.runs++;
    this.exits.set(v.exit, (this.exits.get(v.exit) ?? 0) + 1);
    if (v.hangWithoutBudget) this.hangsWithoutBudget++;
    this.rawEchoLines += v.rawEchoLines;
  }

  toString(): string {
    const exits = [...this.exits].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`);
    return `${this.runs} runs (exit ${exits.join(', ')}); ${this.hangsWithoutBudget} stopped by the watchdog without a budget; ${this.rawEchoLines} echoed commands with raw control characters`;
  }
}

/** KernelComparison is how a generated lab fared on the kernel beside the simulator. */
export type KernelComparison =
  | { readonly kind: 'same' }
  | { readonly kind: 'unstable'; readonly diff: string }
  | { readonly kind: 'differs'; readonly diff: string };

/** compareWithKernel runs a valid lab in the simulator and twice on the kernel; two kernel runs that disagree make the lab unstable, not a finding. */
export async function compareWithKernel(text: string, file: string, simEntries: readonly TranscriptEntry[]): Promise<KernelComparison> {
  const r = parseLab(text, file);
  if (!r.ok) throw new Error(`generated lab does not parse: ${r.error.message}`);
  const sim = normalizeTranscript(renderTranscript(simEntries, true), text);
  const k1 = normalizeTranscript(renderTranscript(await runLabOnKernel(r.lab), true), text);
  if (k1 === sim) return { kind: 'same' };
  const k2 = normalizeTranscript(renderTranscript(await runLabOnKernel(r.lab), true), text);
  if (k2 !== k1) return { kind: 'unstable', diff: unifiedDiff(k1, k2, 'kernel run 1', 'kernel run 2') };
  return { kind: 'differs', diff: unifiedDiff(k1, sim, 'calisim netns run --normalize', 'calisim run --normalize') };
}

/** SimRun is a lab run in the simulator with its clock read: how long its traffic took, virtually. */
export interface SimRun {
  readonly entries: TranscriptEntry[];
  /** trafficUs is the virtual time from the end of the lab's first `sleep` (its settling pause) to the end. */
  readonly trafficUs: number;
}

/** simRun runs a valid lab in a new simulator, as `calisim run` does, reading the clock as it goes. */
export function simRun(text: string, file: string): SimRun {
  const shell = new Shell(createSimulator());
  const entries: TranscriptEntry[] = [];
  let settled: number | null = null;
  for (const l of labLines(text, file)) {
    if (!l.ok) throw new Error(`generated lab does not parse: ${l.error.message}`);
    entries.push(shell.runLine(l.line));
    if (settled === null && l.line.cmd.kind === 'sleep') settled = shell.sim.world.now;
  }
  return { entries, trafficUs: shell.sim.world.now - (settled ?? 0) };
}
