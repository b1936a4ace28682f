// Runs calisim's benchmarks and prints their reports: `npm run build && node dist/bench/run.js`.
// Each listed module exports an async `bench*` function returning report lines; a module not built yet is skipped.

import { performance } from 'node:perf_hooks';

/** BENCHES lists the benchmark modules (relative to this file) and the function each exports. */
const BENCHES: readonly { readonly module: string; readonly fn: string }[] = [
  { module: './fib.js', fn: 'benchFib' },
  { module: './labs.js', fn: 'benchLabs' },
  { module: './scale.js', fn: 'benchScale' },
  { module: './datapath.js', fn: 'benchDatapath' },
  { module: './cluster.js', fn: 'benchCluster' },
  { module: './bgp.js', fn: 'benchBgp' },
  { module: './netnsadd.js', fn: 'benchNetnsAdd' },
];

type BenchFn = () => Promise<string[]>;

/** loadBench imports a benchmark module, or returns null when it is absent. */
async function loadBench(module: string, fn: string): Promise<BenchFn | null> {
  try {
    const mod = (await import(module)) as Record<string, unknown>;
    const f = mod[fn];
    return typeof f === 'function' ? (f as BenchFn) : null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return null;
    throw e;
  }
}

/** main runs every benchmark in turn and prints each report as an indented block with its wall time. */
async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const { module, fn } of BENCHES) {
    const bench = await loadBench(module, fn);
    if (bench === null) {
      console.log(`${fn}: skipped (${module} not found)`);
      continue;
    }
    const t0 = performance.now();
    const lines = await bench();
    const secs = (performance.now() - t0) / 1000;
    console.log(`== ${fn} (${secs.toFixed(1)} s)`);
    for (const l of lines) console.log(`   ${l}`);
    rows.push([fn, `${secs.toFixed(1)} s`, `${lines.length} lines`]);
  }
  console.log('');
  console.log(`${'benchmark'.padEnd(16) + 'wall time'.padEnd(12)}report`);
  for (const [name, t, n] of rows) console.log(name.padEnd(16) + t.padEnd(12) + n);
}

await main();
