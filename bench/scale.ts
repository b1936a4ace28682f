// The scaling benchmark: the generated world of bench/world.ts at 10, 100, 1,000 and 5,000 nodes × 30
// pods, each size in its own Node process with the heap limit it needs, and the growth between sizes.
// CALISIM_BENCH_MAX_NODES caps the largest size (5,000 × 30 takes about two minutes and 5 GB).

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorldFigures } from './world.js';

const here = dirname(fileURLToPath(import.meta.url));

/** HEAP_MB is the heap limit each size runs with. */
const HEAP_MB: ReadonlyMap<number, number> = new Map([
  [10, 512],
  [100, 1024],
  [1000, 4096],
  [5000, 12288],
]);

/** benchScale returns the report lines. */
export async function benchScale(): Promise<string[]> {
  const max = Number(process.env.CALISIM_BENCH_MAX_NODES ?? 5000);
  const rows: WorldFigures[] = [];
  const lines = [
    'scale: N nodes on one bridge × 30 pods, a route per remote block on every node; a cross-node ping (cold: ARP floods; warm: resolved)',
    '',
    `${'nodes×pods'.padEnd(12)}${'netns'.padStart(9)}${'routes'.padStart(12)}${'build s'.padStart(9)}${'  (shell'.padStart(9)}${' routes)'.padStart(9)}${'cold ms'.padStart(9)}${'warm ms'.padStart(9)}${'µs/step'.padStart(9)}${'route µs'.padStart(10)}${'heap MB'.padStart(9)}`,
  ];
  for (const [nodes, heap] of HEAP_MB) {
    if (nodes > max) continue;
    const out = execFileSync(process.execPath, [`--max-old-space-size=${heap}`, join(here, 'world.js'), String(nodes), '30'], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const f = JSON.parse(out.trim().split('\n').pop()!) as WorldFigures;
    rows.push(f);
    lines.push(
      `${`${nodes}×30`.padEnd(12)}${f.namespaces.toLocaleString('en-US').padStart(9)}${f.routes.toLocaleString('en-US').padStart(12)}` +
        `${(f.buildMs / 1000).toFixed(1).padStart(9)}${(f.shellMs / 1000).toFixed(1).padStart(9)}${(f.routeMs / 1000).toFixed(1).padStart(9)}` +
        `${f.coldPingMs.toFixed(1).padStart(9)}${f.warmPingMs.toFixed(2).padStart(9)}${f.usPerStep.toFixed(0).padStart(9)}${f.routeAddUs.toFixed(1).padStart(10)}${f.peakHeapMb.toFixed(0).padStart(9)}`,
    );
  }
  lines.push('');
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    lines.push(
      `${a.nodes} → ${b.nodes} nodes (×${(b.namespaces / a.namespaces).toFixed(0)} namespaces, ×${(b.routes / Math.max(1, a.routes)).toFixed(0)} routes): ` +
        `build ×${(b.buildMs / a.buildMs).toFixed(1)}, warm ping ×${(b.warmPingMs / a.warmPingMs).toFixed(2)}, per step ×${(b.usPerStep / a.usPerStep).toFixed(2)}, heap ×${(b.peakHeapMb / a.peakHeapMb).toFixed(1)}`,
    );
  }
  return lines;
}
