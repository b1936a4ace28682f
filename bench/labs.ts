// Wall time of every fixture lab in the simulator beside the same lab on the real kernel
// (`calisim netns run`, only when this machine can create network namespaces).

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseLab, runLabInSim } from '../src/tools/lab.js';
import { runLabOnKernel } from '../cli/lab/netns.js';

const here = dirname(fileURLToPath(import.meta.url));

function labsDir(): string {
  // dist/bench/labs.js → repo root is two levels up.
  for (const up of ['../..', '..']) {
    const d = join(here, up, 'fixtures', 'labs');
    try {
      readdirSync(d);
      return d;
    } catch {
      /* try the next */
    }
  }
  throw new Error('fixtures/labs not found');
}

function canRunKernel(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** benchLabs returns table rows: lab, simulator ms per run, kernel ms, speed-up. */
export async function benchLabs(): Promise<string[]> {
  const dir = labsDir();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.lab'))
    .sort();
  const kernel = canRunKernel() && process.env.CALISIM_BENCH_KERNEL !== '0';
  const rows = [`${'lab'.padEnd(28)} ${'sim ms'.padStart(9)} ${'kernel ms'.padStart(10)} ${'speed-up'.padStart(9)}`];
  let simTotal = 0;
  let kernelTotal = 0;
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const parsed = parseLab(text, f);
    if (!parsed.ok) continue;
    runLabInSim(parsed.lab);
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) runLabInSim(parsed.lab);
    const simMs = (performance.now() - t0) / runs;
    simTotal += simMs;
    let kMs = NaN;
    if (kernel) {
      const k0 = performance.now();
      await runLabOnKernel(parsed.lab);
      kMs = performance.now() - k0;
      kernelTotal += kMs;
    }
    rows.push(
      `${f.padEnd(28)} ${simMs.toFixed(2).padStart(9)} ${Number.isNaN(kMs) ? '-'.padStart(10) : kMs.toFixed(0).padStart(10)} ${Number.isNaN(kMs) ? '-'.padStart(9) : `${(kMs / simMs).toFixed(0)}x`.padStart(9)}`,
    );
  }
  rows.push(
    `${'total'.padEnd(28)} ${simTotal.toFixed(2).padStart(9)} ${kernel ? kernelTotal.toFixed(0).padStart(10) : '-'.padStart(10)} ${kernel ? `${(kernelTotal / simTotal).toFixed(0)}x`.padStart(9) : '-'.padStart(9)}`,
  );
  return rows;
}
