// The cluster benchmark: full meshes of 100, 200 and 500 nodes and route reflectors at 1,000 and 5,000
// nodes, 30 pods each, built from their scenario YAML and converged (bench/converge.ts), each in its own
// Node process with the heap it needs. Reported beside the figures a real deployment gives: Calico
// advises a full mesh only up to about 100 nodes (docs.tigera.io, "Configure BGP peering"), and a
// real BIRD takes a full table of ~1M routes in tens of seconds (bgperf). CALISIM_BENCH_MAX_NODES caps
// the sizes: the default stops at 2,000 nodes; CALISIM_BENCH_MAX_NODES=5000 runs 5,000 × 30 too, which
// needs far more memory than 23 GB.

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConvergeFigures } from './converge.js';

const here = dirname(fileURLToPath(import.meta.url));

/** SIZES are the runs: nodes, topology, reflectors, heap limit (MB). */
const SIZES: readonly { nodes: number; topology: 'mesh' | 'rr'; reflectors: number; heap: number }[] = [
  { nodes: 100, topology: 'mesh', reflectors: 0, heap: 2048 },
  { nodes: 200, topology: 'mesh', reflectors: 0, heap: 4096 },
  { nodes: 500, topology: 'mesh', reflectors: 0, heap: 8192 },
  { nodes: 1000, topology: 'rr', reflectors: 2, heap: 4096 },
  { nodes: 2000, topology: 'rr', reflectors: 1, heap: 12288 },
  { nodes: 5000, topology: 'rr', reflectors: 1, heap: 40960 },
];

/** benchCluster returns the report lines. */
export async function benchCluster(): Promise<string[]> {
  // 5,000 × 30 holds 25 million routes in the nodes' RIBs and FIBs: more than a 23 GB machine has.
  const max = Number(process.env.CALISIM_BENCH_MAX_NODES ?? 2000);
  const lines = [
    'clusters: N nodes × 30 pods from scenario YAML, built and converged (BGP over the simulated TCP and network)',
    '',
    `${'nodes'.padEnd(7)}${'topology'.padEnd(10)}${'load s'.padStart(8)}${'build s'.padStart(9)}${'converge s'.padStart(12)}${'total s'.padStart(9)}${'BGP msgs'.padStart(12)}${'msgs/s'.padStart(10)}${'sessions'.padStart(16)}${'routes'.padStart(11)}${'heap MB'.padStart(9)}${'RSS MB'.padStart(8)}`,
  ];
  for (const s of SIZES) {
    if (s.nodes > max) continue;
    let f: ConvergeFigures;
    try {
      const out = execFileSync(
        process.execPath,
        [`--max-old-space-size=${s.heap}`, join(here, 'converge.js'), String(s.nodes), '30', s.topology, String(s.reflectors)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      f = JSON.parse(out.trim().split('\n').pop()!) as ConvergeFigures;
    } catch (e) {
      lines.push(`${String(s.nodes).padEnd(7)}${s.topology.padEnd(10)}failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const total = (f.loadMs + f.buildMs + f.convergeMs) / 1000;
    const topo = s.topology === 'rr' ? `rr×${s.reflectors}` : 'mesh';
    lines.push(
      `${String(s.nodes).padEnd(7)}${topo.padEnd(10)}${(f.loadMs / 1000).toFixed(1).padStart(8)}${(f.buildMs / 1000).toFixed(1).padStart(9)}` +
        `${(f.convergeMs / 1000).toFixed(1).padStart(12)}${total.toFixed(1).padStart(9)}${f.bgpMessages.toLocaleString('en-US').padStart(12)}` +
        `${Math.round(f.bgpMessages / (f.convergeMs / 1000))
          .toLocaleString('en-US')
          .padStart(10)}${`${f.established}/${f.sessions}`.padStart(16)}` +
        `${f.kernelRoutes.toLocaleString('en-US').padStart(11)}${f.peakHeapMb.toFixed(0).padStart(9)}${f.rssMb.toFixed(0).padStart(8)}`,
    );
  }
  lines.push('', 'sessions counts both ends (Established/all); routes are the proto bird routes BIRD put into the kernels.');
  return lines;
}
