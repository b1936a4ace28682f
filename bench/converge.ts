// One cluster brought up and converged: a generated scenario (bench/clustergen.ts) loaded from its
// YAML, built (machines, pods, Felix) and run until BGP has settled. Prints one JSON line with the
// figures. Run as a child process with the heap it needs:
// `node --max-old-space-size=MB dist/bench/converge.js NODES PODS mesh|rr [REFLECTORS]`.

import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/scenarios/calico/load.js';
import { ClusterRuntime } from '../src/scenarios/runtime/cluster.js';
import { clusterYaml } from './clustergen.js';

/** ConvergeFigures is what one run measures. */
export interface ConvergeFigures {
  readonly nodes: number;
  readonly pods: number;
  readonly topology: 'mesh' | 'rr';
  readonly reflectors: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly convergeMs: number;
  readonly virtualSeconds: number;
  readonly quiet: boolean;
  readonly bgpMessages: number;
  readonly steps: number;
  readonly sessions: number;
  readonly established: number;
  readonly kernelRoutes: number;
  readonly peakHeapMb: number;
  readonly rssMb: number;
}

/** converge runs one size and returns its figures. */
export function converge(nodes: number, pods: number, topology: 'mesh' | 'rr', reflectors: number): ConvergeFigures {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const text = clusterYaml({ nodes, podsPerNode: pods, topology, reflectors });
  const t0 = performance.now();
  const r = loadScenario(text, `gen-${topology}-${nodes}.yaml`);
  if (!r.ok) throw new Error(r.errors.slice(0, 3).join('\n'));
  const t1 = performance.now();
  sample();
  const c = new ClusterRuntime(r.scenario);
  const t2 = performance.now();
  sample();
  const res = c.converge();
  const t3 = performance.now();
  sample();
  let sessions = 0;
  let established = 0;
  let kernelRoutes = 0;
  for (const b of c.birds.values()) {
    for (const p of b.speaker.protocolStatus()) {
      if (p.proto !== 'BGP') continue;
      sessions++;
      if (p.info.startsWith('Established')) established++;
    }
    kernelRoutes += b.kernelRoutes().size;
  }
  return {
    nodes,
    pods,
    topology,
    reflectors: topology === 'rr' ? reflectors : 0,
    loadMs: t1 - t0,
    buildMs: t2 - t1,
    convergeMs: t3 - t2,
    virtualSeconds: res.at,
    quiet: res.quiet,
    bgpMessages: c.bgpMessages(),
    steps: c.sim.steps,
    sessions,
    established,
    kernelRoutes,
    peakHeapMb: peak / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
  };
}

if (process.argv[1]?.endsWith('converge.js') || process.argv[1]?.endsWith('converge.ts')) {
  const [n, p, topo, rr] = process.argv.slice(2);
  console.log(JSON.stringify(converge(Number(n), Number(p), topo === 'mesh' ? 'mesh' : 'rr', Number(rr ?? 2))));
}
