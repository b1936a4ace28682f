// The differential fuzzer at any size: `npm run fuzz:kernel -- --count N --seed S [--jobs J]
// [--keep DIR] [--min-rate R] [--repeat K] [--user]`. It generates N stable labs from seed S
// (tests/support/labgen.ts, as tests/fuzz/lab.fuzz.test.ts does), runs each in the simulator and on
// the real kernel (cli/lab/netns.ts; J labs at a time), compares the normalised transcripts
// (cli/lab/normalize.ts, docs/labs.md 12) and prints one line per mismatch and a summary with the
// mismatch classes (the command of the first line that differs). A mismatch is run on the kernel a
// second time: when the two kernel runs disagree it is `unstable` (runner noise), not a finding.
// With --repeat K it instead runs every lab K times on the kernel and counts the labs whose
// transcript changes (the runner's determinism). It needs root; without it, it says so in one line.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { kernelLabSupport, runLabOnKernel } from '../../cli/lab/netns.js';
import { normalizeTranscript } from '../../cli/lab/normalize.js';
import { machineVersions, parseVersionsTable, versionsReport } from '../../cli/lab/versions.js';
import { parseLab } from '../../src/tools/lab.js';
import { renderTranscript } from '../../src/tools/transcript.js';
import { unifiedDiff } from '../cli/lab/diff.js';
import { labArb } from '../support/labgen.js';
import { simRun } from './harness.js';
import { KNOWN } from './regressions/known.js';

/** MAX_TRAFFIC_US is the in-suite fuzzer's bound on a lab's virtual traffic time (lab.fuzz.test.ts). */
const MAX_TRAFFIC_US = 3_600_000;

/** FuzzLab is one generated lab, numbered in seed order. */
interface FuzzLab {
  readonly index: number;
  readonly text: string;
}

/** Finding is how one lab fared. */
interface Finding {
  readonly lab: FuzzLab;
  readonly kind: 'same' | 'differs' | 'unstable' | 'known';
  readonly kernel: string;
  readonly sim: string;
  /** cls is the mismatch class: the command of the first line that differs. */
  readonly cls: string;
  readonly known?: string;
}

/** generateLabs returns `count` stable labs from `seed`, leaving out those whose traffic takes too long. */
export function generateLabs(count: number, seed: number): FuzzLab[] {
  const labs: FuzzLab[] = [];
  let index = 0;
  for (let batch = 0; labs.length < count && batch < 20; batch++) {
    const texts = fc.sample(labArb({ stable: true }), { seed: seed + batch, numRuns: count }).map((l) => l.text);
    for (const text of texts) {
      const i = index++;
      if (simRun(text, `gen${i}.lab`).trafficUs > MAX_TRAFFIC_US) continue;
      labs.push({ index: i, text });
      if (labs.length === count) break;
    }
  }
  return labs;
}

/**
 * commandClass names the kind of a lab command: its program and first words, without the namespace
 * (`ip -n NS`, `ip netns exec NS`) and without addresses or numbers, e.g. `ping`, `ip neigh show`.
 */
export function commandClass(command: string): string {
  let w = command.trim().split(/\s+/);
  if (w[0] === 'ip' && w[1] === 'netns' && w[2] === 'exec' && w.length > 4) w = w.slice(4);
  const out: string[] = [];
  for (let i = 0; i < w.length && out.length < 3; i++) {
    const x = w[i];
    if ((x === '-n' || x === '-netns') && (w[0] === 'ip' || w[0] === 'bridge')) {
      i++;
      continue;
    }
    if (out.length > 0 && (w[0] === 'ping' || w[0] === 'curl' || w[0] === 'sysctl' || w[0] === 'capture' || w[0] === 'listen')) break;
    if (/[\d:./]/.test(x) && out.length > 0) break;
    out.push(x);
  }
  return out.join(' ');
}

/** frameKind names what a tcpdump line carries: arp, icmp, tcp, igmp, or other. */
function frameKind(line: string): string {
  if (/ethertype ARP/.test(line)) return 'arp';
  if (/: ICMP /.test(line)) return 'icmp';
  if (/ Flags \[/.test(line)) return 'tcp';
  if (/ igmp /.test(line)) return 'igmp';
  return 'other';
}

/**
 * firstDifference returns the class of the first line where two transcripts (with `$ COMMAND` lines)
 * differ: the command's class, and for `captures` the kind of the first frame that differs.
 */
export function firstDifference(kernel: string, sim: string): string {
  const a = kernel.split('\n');
  const b = sim.split('\n');
  let command = '(start)';
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const cls = commandClass(command);
      const frame = (l: string | undefined): boolean => l !== undefined && l !== '' && !l.startsWith('=== ');
      return cls === 'captures' ? `captures (${frameKind(frame(a[i]) ? a[i] : (b[i] ?? ''))})` : cls;
    }
    if (a[i].startsWith('$ ')) command = a[i].slice(2);
  }
  return '(none)';
}

async function kernelTranscript(text: string, file: string): Promise<string> {
  const r = parseLab(text, file);
  if (!r.ok) throw new Error(`generated lab does not parse: ${r.error.message}`);
  return normalizeTranscript(renderTranscript(await runLabOnKernel(r.lab), true), text);
}

async function compare(lab: FuzzLab): Promise<Finding> {
  const file = `gen${lab.index}.lab`;
  const sim = normalizeTranscript(renderTranscript(simRun(lab.text, file).entries, true), lab.text);
  const kernel = await kernelTranscript(lab.text, file);
  if (kernel === sim) return { lab, kind: 'same', kernel, sim, cls: '' };
  const again = await kernelTranscript(lab.text, file);
  if (again !== kernel) return { lab, kind: 'unstable', kernel, sim: again, cls: firstDifference(kernel, again) };
  const diff = unifiedDiff(kernel, sim, 'kernel', 'simulator');
  const known = KNOWN.find((k) => k.kernelDiff?.(lab.text, diff) === true);
  return {
    lab,
    kind: known ? 'known' : 'differs',
    kernel,
    sim,
    cls: firstDifference(kernel, sim),
    ...(known ? { known: known.name } : {}),
  };
}

/** pool runs `work` on every item, `jobs` at a time. */
async function pool<T, R>(items: readonly T[], jobs: number, work: (t: T) => Promise<R>, done: (r: R) => void): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) done(await work(t));
    }),
  );
}

function countBy(keys: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100' },
      seed: { type: 'string', default: '20250611' },
      jobs: { type: 'string', default: '4' },
      keep: { type: 'string' },
      'min-rate': { type: 'string' },
      repeat: { type: 'string' },
      user: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed) || !Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write('fuzz:kernel: --count and --jobs take positive integers, --seed an integer\n');
    return 2;
  }
  const support = await kernelLabSupport();
  if (!support.ok) {
    process.stderr.write(`fuzz:kernel: cannot run kernel labs here: ${support.reason}\n`);
    return 2;
  }
  const versions = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'labs', 'VERSIONS.md');
  process.stdout.write(versionsReport(parseVersionsTable(readFileSync(versions, 'utf8')), machineVersions()));
  const t0 = Date.now();
  // --user leaves out what a careful lab writes only for the kernel's sake (docs/labs.md 13), as a
  // user's own lab may: the IGMP sysctl before a bridge.
  const labs = generateLabs(count, seed).map((l) =>
    values.user ? { ...l, text: l.text.replace(/^.*sysctl -w net\.ipv4\.igmp_link_local_mcast_reports=0\n/gm, '') } : l,
  );
  const keep = values.keep;
  if (keep !== undefined) mkdirSync(keep, { recursive: true });

  if (values.repeat !== undefined) {
    const k = Number(values.repeat);
    let changed = 0;
    const classes: string[] = [];
    await pool(
      labs,
      jobs,
      async (lab) => {
        const runs: string[] = [];
        for (let i = 0; i < k; i++) runs.push(await kernelTranscript(lab.text, `gen${lab.index}.lab`));
        return { lab, runs };
      },
      ({ lab, runs }) => {
        const other = runs.find((r) => r !== runs[0]);
        if (other === undefined) return;
        changed++;
        const cls = firstDifference(runs[0], other);
        classes.push(cls);
        process.stdout.write(`unstable lab ${lab.index}: ${cls}\n`);
        if (keep !== undefined) {
          writeFileSync(join(keep, `gen${lab.index}.lab`), lab.text);
          writeFileSync(join(keep, `gen${lab.index}.diff`), unifiedDiff(runs[0], other, 'kernel run 1', 'kernel run N'));
        }
      },
    );
    process.stdout.write(
      `seed ${seed}: ${labs.length} labs run ${k} times on the kernel; ${changed} changed between runs` +
        `${countBy(classes)
          .map(([c, n]) => `\n  ${n}  ${c}`)
          .join('')}\n(${Math.round((Date.now() - t0) / 1000)} s)\n`,
    );
    return changed > 0 ? 1 : 0;
  }

  const findings: Finding[] = [];
  let done = 0;
  await pool(labs, jobs, compare, (f) => {
    findings.push(f);
    done++;
    if (f.kind !== 'same') {
      process.stdout.write(`${f.kind} lab ${f.lab.index}: ${f.cls}${f.known ? ` (known: ${f.known})` : ''}\n`);
      if (keep !== undefined) {
        const base = join(keep, `gen${f.lab.index}`);
        writeFileSync(`${base}.lab`, `# seed ${seed}, lab ${f.lab.index}: ${f.kind} (${f.cls})\n${f.lab.text}`);
        writeFileSync(`${base}.kernel.out`, f.kernel);
        writeFileSync(`${base}.${f.kind === 'unstable' ? 'kernel2' : 'sim'}.out`, f.sim);
        writeFileSync(`${base}.diff`, unifiedDiff(f.kernel, f.sim, 'kernel', f.kind === 'unstable' ? 'kernel (again)' : 'simulator'));
      }
    }
    if (done % 50 === 0) process.stderr.write(`fuzz:kernel: ${done}/${labs.length}\n`);
  });
  const matched = findings.filter((f) => f.kind === 'same').length;
  const rate = (100 * matched) / findings.length;
  const bad = findings.filter((f) => f.kind !== 'same');
  const lines = [
    `seed ${seed}: ${matched}/${findings.length} labs match (${rate.toFixed(1)}%)`,
    ...(['differs', 'known', 'unstable'] as const).map((k) => {
      const of = bad.filter((f) => f.kind === k);
      return `${k}: ${of.length}${countBy(of.map((f) => (f.known ? `${f.known}: ${f.cls}` : f.cls)))
        .map(([c, n]) => `\n  ${n}  ${c}`)
        .join('')}`;
    }),
    `(${Math.round((Date.now() - t0) / 1000)} s, ${jobs} at a time)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const minRate = values['min-rate'] === undefined ? null : Number(values['min-rate']);
  return minRate !== null && rate < minRate ? 1 : 0;
}

// Run as a program (npm run fuzz:kernel), not when a test imports the helpers above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
