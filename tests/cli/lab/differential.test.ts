// The differential test: every lab in fixtures/labs must print, in the simulator, what the real
// kernel printed (NAME.kernel.out, normalised). Where this machine can run kernel labs, the
// kernel is asked again, so a stale .kernel.out cannot hide a change of the oracle itself.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/tools/ast.js';
import { kernelLabSupport, runLabOnKernel } from '../../../cli/lab/netns.js';
import { normalizeTranscript } from '../../../cli/lab/normalize.js';
import { formatLabError, parseLab } from '../../../src/tools/lab.js';
import { renderTranscript } from '../../../src/tools/transcript.js';
import { unifiedDiff } from './diff.js';

const LABS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'labs');
/** KERNEL_CONCURRENCY bounds how many labs run on the kernel at once (they sleep more than they work). */
const KERNEL_CONCURRENCY = 8;

const names = readdirSync(LABS)
  .filter((f) => f.endsWith('.lab'))
  .map((f) => f.slice(0, -'.lab'.length))
  .sort();

interface Fixture {
  readonly lab: Lab;
  readonly labText: string;
  readonly expected: string;
}

function fixture(name: string): Fixture {
  const file = join(LABS, `${name}.lab`);
  const labText = readFileSync(file, 'utf8');
  const r = parseLab(labText, `fixtures/labs/${name}.lab`);
  if (!r.ok) throw new Error(formatLabError(r.error));
  return { lab: r.lab, labText, expected: readFileSync(join(LABS, `${name}.kernel.out`), 'utf8') };
}

/** expectSameTranscript fails with a diff when `actual` differs from the stored kernel transcript. */
function expectSameTranscript(name: string, actual: string, source: string): void {
  const diff = unifiedDiff(fixture(name).expected, actual, `fixtures/labs/${name}.kernel.out`, `${source} (normalised)`);
  if (diff !== '') throw new Error(`${source} differs from the real kernel:\n${diff}`);
}

it('has at least 14 labs, each with its kernel transcript', () => {
  expect(names.length).toBeGreaterThanOrEqual(14);
  for (const n of names) expect(() => fixture(n)).not.toThrow();
});

describe('simulator matches the kernel', () => {
  it.each(names)('%s', async (name) => {
    const { lab, labText } = fixture(name);
    // Loaded here, not at the top, so that a simulator that fails to load fails these tests only.
    const { runLabInSim } = await import('../../../src/tools/lab.js');
    const actual = normalizeTranscript(renderTranscript(runLabInSim(lab), true), labText);
    expectSameTranscript(name, actual, 'calisim run');
  });
});

const support = await kernelLabSupport();
const required = process.env.CALISIM_KERNEL_TESTS === '1';
if (!support.ok && !required) process.stderr.write(`kernel tests skipped: ${support.reason}\n`);

describe('kernel still prints the stored transcripts', () => {
  if (!support.ok) {
    if (required) {
      it('can run kernel labs (CALISIM_KERNEL_TESTS=1)', () => {
        throw new Error(`cannot run kernel labs: ${support.reason}`);
      });
    }
    return;
  }

  // Every lab starts at once (up to the bound); each test waits for its own.
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (running < KERNEL_CONCURRENCY) {
      running++;
      return;
    }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const runs = new Map<string, Promise<string>>();
  const kernelRun = (name: string): Promise<string> => {
    let p = runs.get(name);
    if (p === undefined) {
      const { lab, labText } = fixture(name);
      p = slot()
        .then(() => runLabOnKernel(lab))
        .then((entries) => normalizeTranscript(renderTranscript(entries, true), labText))
        .finally(release);
      runs.set(name, p);
    }
    return p;
  };
  beforeAll(() => {
    // Start them all now; catch here so that a failure is reported by its own test only.
    for (const n of names) kernelRun(n).catch(() => undefined);
  });

  it.each(names)('%s', async (name) => {
    expectSameTranscript(name, await kernelRun(name), 'calisim netns run');
  });
});
