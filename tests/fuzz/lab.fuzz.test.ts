// The lab fuzzer: generated labs (tests/support/labgen.ts), valid and then broken by mutations (byte
// flips, word swaps, terminal control sequences, Object.prototype names, 1 MiB words, huge numbers,
// random bytes), each run through `calisim run` as cli/main.ts runs it (tests/fuzz/sandbox.ts).
// Every run must end with a documented exit status (docs/labs.md 1.1), never an internal error or a
// stack trace, never outlive its budget, and calisim's own messages must stay one safe line. Valid
// labs of the stable kind also run on the real kernel beside the simulator, as the fixtures do.
//
// The suite runs a few hundred labs from fixed seeds. Longer runs: CALISIM_FUZZ_RUNS=N (labs per
// property), CALISIM_FUZZ_SEED=S, CALISIM_FUZZ_KERNEL_RUNS=K (kernel labs; root only).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { kernelLabSupport } from '../../cli/lab/netns.js';
import { normalizeTranscript } from '../../cli/lab/normalize.js';
import { renderTranscript } from '../../src/tools/transcript.js';
import { unifiedDiff } from '../cli/lab/diff.js';
import { runCli } from '../cli/lab/run-cli.js';
import { describeMutations, labArb, MIB, type MutatedLab, mutatedLabArb } from '../support/labgen.js';
import { compareWithKernel, judge, type Outcome, physicalLines, Sandbox, simRun, Tally, type Verdict } from './harness.js';
import { KNOWN } from './regressions/known.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REGRESSIONS = join(HERE, 'regressions');

const LONG = process.env.CALISIM_FUZZ_RUNS !== undefined;
const RUNS = Number(process.env.CALISIM_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.CALISIM_FUZZ_SEED ?? 20250611);
const KERNEL_RUNS = Number(process.env.CALISIM_FUZZ_KERNEL_RUNS ?? (LONG ? Math.ceil(RUNS / 20) : 3));
/** MAX_TRAFFIC_US bounds a kernel lab's traffic, virtually: well inside the 5 s a DELAY neighbour waits, with room for the kernel's slower commands. */
const MAX_TRAFFIC_US = 3_600_000;
/** KERNEL_CONCURRENCY is how many generated labs run on the kernel at once. */
const KERNEL_CONCURRENCY = 3;
/** TEST_TIMEOUT_MS bounds each property: a long run takes as long as it takes. */
const TEST_TIMEOUT_MS = LONG ? 24 * 3600_000 : 120_000;

/** Flags are the options of one run. */
interface Flags {
  readonly echo: boolean;
  readonly normalize: boolean;
  readonly errexit: boolean;
}

const flagsArb: fc.Arbitrary<Flags> = fc.record({
  echo: fc.boolean(),
  normalize: fc.nat({ max: 4 }).map((n) => n === 0),
  errexit: fc.boolean(),
});

const sandbox = new Sandbox();
/** budgetArgs are the CLI's budget options, when it has them (see `budgets` below). */
let budgetArgs: string[] = [];
const tally = new Tally();
/** hangs are the labs the watchdog stopped while the CLI had no budget to stop them (reported, for the budgets to come). */
const hangs: string[] = [];

beforeAll(async () => {
  const help = await sandbox.run(['run', '--help'], 30000);
  if (/--max-events/.test(help.stdout) && /--max-virtual-time/.test(help.stdout))
    budgetArgs = ['--max-events', '500000', '--max-virtual-time', '7200'];
});

afterAll(async () => {
  await sandbox.close();
  if (LONG) process.stderr.write(`lab fuzzer: ${tally}; sandbox restarts: ${sandbox.restarts}\n`);
  if (hangs.length > 0)
    process.stderr.write(`lab fuzzer: labs only a budget can stop (${hangs.length}):\n${hangs.slice(0, 5).join('\n')}\n`);
});

/** limitMs is the watchdog: with budgets the CLI must stop itself long before; without, a lab that runs this long is one the budgets will have to end. */
function limitMs(): number {
  return budgetArgs.length > 0 ? 15000 : 8000;
}

function argsOf(flags: Flags, file: string): string[] {
  return [
    'run',
    ...(flags.normalize ? ['--normalize'] : flags.echo ? ['--echo'] : []),
    ...(flags.errexit ? ['-e'] : []),
    ...budgetArgs,
    file,
  ];
}

/** runLab runs one lab text through the sandbox and judges it. */
async function runLab(text: string, flags: Flags, limit = limitMs()): Promise<{ outcome: Outcome; verdict: Verdict; args: string[] }> {
  const file = sandbox.labFile(text);
  const args = argsOf(flags, file);
  const outcome = await sandbox.run(args, limit);
  const verdict = judge(outcome, {
    file,
    errexit: flags.errexit,
    echo: flags.echo || flags.normalize,
    budgets: budgetArgs.length > 0,
    lines: physicalLines(text),
  });
  return { outcome, verdict, args };
}

/** knownIssue names the regression a failing run matches, if any (tests/fuzz/regressions/known.ts). */
function knownIssue(text: string, outcome: Outcome, verdict: Verdict, args: readonly string[]): string | null {
  for (const k of KNOWN) if (k.matches(text, outcome, verdict, args)) return k.name;
  return null;
}

/** Found is a failure: the generated value, what broke, and where to replay it. */
interface Found {
  readonly index: number;
  readonly problems: readonly string[];
  readonly summary: string;
}

/**
 * sweep runs `numRuns` values of `arb` through `check` without stopping at the first failure, then
 * asks fast-check to replay and shrink the first failure of each kind, so the report is the
 * smallest lab that still fails.
 */
async function sweep<T>(
  arb: fc.Arbitrary<T>,
  check: (v: T) => Promise<readonly string[]>,
  describe: (v: T) => string,
  seed: number,
  numRuns: number,
): Promise<string[]> {
  const found: Found[] = [];
  let index = 0;
  await fc.check(
    fc.asyncProperty(arb, async (v) => {
      const problems = await check(v);
      if (problems.length > 0) found.push({ index, problems, summary: describe(v) });
      index++;
      return true;
    }),
    { seed, numRuns },
  );
  const reports: string[] = [];
  const kinds = new Set<string>();
  for (const f of found) {
    const kind = f.problems[0].replace(/".*$|\d+/g, '');
    if (kinds.has(kind)) continue;
    kinds.add(kind);
    let shrunk = '';
    if (kinds.size <= 3) {
      const r = await fc.check(
        fc.asyncProperty(arb, async (v) => (await check(v)).length === 0),
        { seed, path: String(f.index), numRuns: 1 },
      );
      if (r.failed && r.counterexample !== null)
        shrunk = `\n  shrunk to: ${describe(r.counterexample[0])}\n  ${(await check(r.counterexample[0])).join('\n  ')}`;
    }
    reports.push(`seed ${seed}, run ${f.index}: ${f.problems.join('; ')}\n  ${f.summary}${shrunk}`);
  }
  return reports.length < found.length ? [...reports, `(${found.length} failing runs in all)`] : reports;
}

/** showLab prints a lab for a report: its text, with long words and control characters made visible. */
function showLab(text: string): string {
  return JSON.stringify(text.length > 4000 ? `${text.slice(0, 2000)}…(${text.length} characters)…${text.slice(-500)}` : text).replace(
    /(.)\1{80,}/g,
    (m, c: string) => `${c.repeat(8)}…(${m.length}×)`,
  );
}

describe('calisim run on generated labs', () => {
  it(
    'runs every valid generated lab to its end: exit 0, no calisim message',
    async () => {
      const reports = await sweep(
        fc.tuple(labArb(), flagsArb),
        async ([lab, flags]) => {
          const { outcome, verdict, args } = await runLab(lab.text, { ...flags, errexit: false });
          tally.add(verdict);
          const problems = [...verdict.problems];
          if (outcome.code !== 0 && !verdict.hangWithoutBudget) problems.push(`exit ${verdict.exit}: ${outcome.stderr.slice(0, 300)}`);
          if (problems.length > 0 && knownIssue(lab.text, outcome, verdict, args) !== null) return [];
          return problems;
        },
        ([lab, flags]) => `${JSON.stringify(flags)} ${showLab(lab.text)}`,
        SEED,
        Math.ceil(RUNS / 3),
      );
      expect(reports).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'ends every mutated lab with a documented status, in safe words',
    async () => {
      const reports = await sweep(
        fc.tuple(mutatedLabArb(), flagsArb),
        async ([lab, flags]: [MutatedLab, Flags]) => {
          const { outcome, verdict, args } = await runLab(lab.text, flags);
          tally.add(verdict);
          if (verdict.hangWithoutBudget) hangs.push(`  ${describeMutations(lab.mutations)}\n  ${showLab(lab.text)}`);
          if (verdict.problems.length > 0 && knownIssue(lab.text, outcome, verdict, args) !== null) return [];
          return verdict.problems;
        },
        ([lab, flags]) => `${JSON.stringify(flags)} mutations ${describeMutations(lab.mutations)}\n  lab ${showLab(lab.text)}`,
        SEED + 1,
        RUNS,
      );
      expect(reports).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'runs what the CLI runs: a sample as real processes prints the same bytes',
    async () => {
      const sample = fc.sample(fc.tuple(mutatedLabArb(2), flagsArb), { seed: SEED + 2, numRuns: LONG ? 20 : 3 });
      for (const [lab, flags] of sample) {
        const file = sandbox.labFile(lab.text);
        const inProcess = await sandbox.run(argsOf(flags, file), limitMs());
        if (inProcess.hung) continue;
        const child = await runCli(argsOf(flags, file));
        expect({ code: child.code, stdout: child.stdout, stderr: child.stderr }).toEqual({
          code: inProcess.code,
          stdout: inProcess.stdout,
          stderr: inProcess.stderr,
        });
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('calisim echoes what a lab says safely', () => {
  const word300 = 'x'.repeat(300);
  it.each([
    ['a 300-character device name', `ip link add ${word300} type bridge\n`],
    ['a 1 MiB MTU', `ip link set dev eth0 mtu ${'9'.repeat(MIB)}\n`],
    ['a 1 MiB prefix', `ip route add ${'1'.repeat(MIB)}/8 dev lo\n`],
    ['a 1 MiB unknown command', `${'c'.repeat(MIB)}\n`],
    ['a 1 MiB word of escape sequences', `ip ${'\x1b['.repeat(MIB / 2)}\n`],
    ['a 300-character option', `ip -${word300} link\n`],
    ['an OSC title sequence as a command', 'ip link\n\x1b]0;pwned\x07 up\n'],
    ['a CSI sequence in a device name', 'ip link set \x1b[2Jeth0 up\n'],
    ['a C1 CSI in a sysctl key', 'sysctl net.ipv4.\x9b31m=1\n'],
    ['NUL and DEL in a route', 'ip route add 10.0.0.0/8 via 10.\x00.0.1\x7f\n'],
  ])('%s: one line, cut at 256 characters with …, controls escaped', async (_name, text) => {
    const { outcome, verdict } = await runLab(text, { echo: false, normalize: false, errexit: false });
    expect(verdict.problems).toEqual([]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.length).toBeLessThan(1000);
    if (text.length > 300) expect(outcome.stderr).toContain('…');
  });
});

/** Regression is a lab the fuzzer once broke calisim with, kept in tests/fuzz/regressions/NAME.lab. */
interface Regression {
  readonly name: string;
  readonly text: string;
  /** args are the options after `run` (`# args:` in its header). */
  readonly flags: Flags;
  /** argv replaces `run OPTIONS FILE` when the header has `# argv: JSON` (`$LAB` stands for the file). */
  readonly argv: readonly string[] | null;
  /** failing holds the reason while the bug is open (`# status: failing REASON`). */
  readonly failing: string | null;
  /** kernel is the stored kernel transcript (NAME.kernel.out) the simulator must print. */
  readonly kernel: string | null;
  /** exit is the status the run must end with (`# exit: N`), when the header says. */
  readonly exit: number | null;
  /** limitMs is the watchdog for a lab that is expected to run forever until budgets stop it (`# limit-ms:`). */
  readonly limitMs: number | undefined;
}

function regressions(): Regression[] {
  return readdirSync(REGRESSIONS)
    .filter((f) => f.endsWith('.lab'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.lab'.length);
      // {{'WORD' * N}} stands for WORD repeated N times, so a regression may need a huge word and stay small.
      const text = readFileSync(join(REGRESSIONS, f), 'utf8').replace(/\{\{'([^']*)' \* (\d+)\}\}/g, (_m, w: string, n: string) =>
        w.repeat(Number(n)),
      );
      const header = (key: string): string | null => new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1] ?? null;
      const args = header('args') ?? '';
      const status = header('status') ?? 'fixed';
      let kernel: string | null = null;
      try {
        kernel = readFileSync(join(REGRESSIONS, `${name}.kernel.out`), 'utf8');
      } catch {
        kernel = null;
      }
      return {
        name,
        text,
        flags: { echo: args.includes('--echo'), normalize: args.includes('--normalize'), errexit: /(^|\s)-e(\s|$)/.test(args) },
        exit: header('exit') !== null ? Number(header('exit')) : null,
        limitMs: header('limit-ms') !== null ? Number(header('limit-ms')) : undefined,
        argv: header('argv') !== null ? (JSON.parse(header('argv')!) as string[]) : null,
        failing: status.startsWith('failing') ? status.slice('failing'.length).trim() : null,
        kernel,
      };
    });
}

describe('regressions the fuzzer found', () => {
  const all = regressions();
  it('has its regressions', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  for (const r of all) {
    const test = r.failing !== null ? it.failing : it;
    test(`${r.name}${r.failing !== null ? ` (open: ${r.failing})` : ''}`, async () => {
      if (r.kernel !== null) {
        const actual = normalizeTranscript(renderTranscript(simRun(r.text, `${r.name}.lab`).entries, true), r.text);
        expect(unifiedDiff(r.kernel, actual, `${r.name}.kernel.out`, 'calisim run --normalize')).toBe('');
        return;
      }
      if (r.argv !== null) {
        const file = sandbox.labFile(r.text);
        const o = await sandbox.run(
          r.argv.map((a) => (a === '$LAB' ? file : a)),
          limitMs(),
        );
        expect(
          judge(o, { file, errexit: false, echo: false, budgets: budgetArgs.length > 0, lines: physicalLines(r.text) }).problems,
        ).toEqual([]);
        return;
      }
      const { outcome, verdict } = await runLab(r.text, r.flags, r.limitMs);
      expect(verdict.problems).toEqual([]);
      if (r.exit !== null) expect(outcome.code).toBe(r.exit);
      expect(verdict.hangWithoutBudget).toBe(false);
    });
  }
});

const support = await kernelLabSupport();
const required = process.env.CALISIM_KERNEL_TESTS === '1';

describe('generated labs on the real kernel', () => {
  if (!support.ok) {
    if (required) {
      it('can run kernel labs (CALISIM_KERNEL_TESTS=1)', () => {
        throw new Error(`cannot run kernel labs: ${support.reason}`);
      });
    } else process.stderr.write(`kernel fuzzing skipped: ${support.reason}\n`);
    return;
  }
  it(
    `prints what the simulator prints for ${KERNEL_RUNS} stable labs`,
    async () => {
      const counts = { same: 0, unstable: 0, differs: 0, known: 0, tooLong: 0 };
      const reports: string[] = [];
      // Candidates in seed order; those whose traffic takes too long in the simulator are left out.
      const labs = fc
        .sample(labArb({ stable: true }), { seed: SEED + 3, numRuns: KERNEL_RUNS * 4 })
        .map((lab, i) => ({ lab, i, file: `gen${i}.lab` }))
        .map((c) => ({ ...c, sim: simRun(c.lab.text, c.file) }))
        .filter((c) => {
          const ok = c.sim.trafficUs <= MAX_TRAFFIC_US;
          if (!ok) counts.tooLong++;
          return ok;
        })
        .slice(0, KERNEL_RUNS);
      const one = async (c: (typeof labs)[number]): Promise<void> => {
        const r = await compareWithKernel(c.lab.text, c.file, c.sim.entries);
        if (r.kind === 'differs' && KNOWN.some((k) => k.kernelDiff?.(c.lab.text, r.diff) === true)) {
          counts.known++;
          return;
        }
        counts[r.kind]++;
        const report = `seed ${SEED + 3}, lab ${c.i}:\n${c.lab.text}\n${r.kind === 'same' ? '' : r.diff}`;
        if (r.kind === 'differs') reports.push(report);
        if (r.kind === 'unstable' || (LONG && r.kind === 'differs'))
          process.stderr.write(
            `kernel fuzzing: ${r.kind === 'unstable' ? 'two kernel runs disagree on' : 'the simulator differs on'} ${report}\n`,
          );
      };
      // Kernel labs mostly wait; a few at a time, as the fixtures' differential test runs them.
      const queue = [...labs];
      await Promise.all(
        Array.from({ length: KERNEL_CONCURRENCY }, async () => {
          for (let c = queue.shift(); c !== undefined; c = queue.shift()) await one(c);
        }),
      );
      if (LONG) process.stderr.write(`kernel fuzzing: ${JSON.stringify(counts)}\n`);
      expect(reports).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
