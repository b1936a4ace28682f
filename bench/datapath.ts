// Benchmark of the kernel model's data path on the converge workload: a generated Calico cluster
// (bench/clustergen.ts: N nodes × 30 pods on one LAN, two route reflectors) brought up and run until
// BGP has settled, as bench/converge.ts does. Every BGP message crosses the simulated TCP, veths and
// the LAN's bridge, and every node's ARP requests are flooded to every port, so the cost per step
// and per TCP segment is the data path's (plus the BGP work the segments cause, which the figures
// include). Run with `npm run bench`, or alone:
// `node --import ./tests/cli/lab/swc-register.mjs bench/datapath.ts [NODES…]`.

import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/scenarios/calico/load.js';
import { ClusterRuntime } from '../src/scenarios/runtime/cluster.js';
import { clusterYaml } from './clustergen.js';

/** DatapathFigures is what one converge run measures. */
export interface DatapathFigures {
  readonly nodes: number;
  readonly convergeMs: number;
  readonly steps: number;
  /** deliveries are the steps that were a frame arriving on a device. */
  readonly deliveries: number;
  /** segments are the TCP segments delivered to a socket (tcp_v4_rcv). */
  readonly segments: number;
  readonly bgpMessages: number;
  readonly peakHeapMb: number;
}

/** runDatapath brings up and converges one cluster and returns its figures. */
export function runDatapath(nodes: number): DatapathFigures {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const r = loadScenario(clusterYaml({ nodes, podsPerNode: 30, topology: 'rr', reflectors: 2 }), `gen-rr-${nodes}.yaml`);
  if (!r.ok) throw new Error(r.errors.slice(0, 3).join('\n'));
  const c = new ClusterRuntime(r.scenario);
  sample();
  const sim = c.sim;
  const steps0 = sim.steps;
  const deliveries0 = sim.deliveries;
  const segments0 = sim.tcp.segmentsIn;
  const t0 = performance.now();
  const res = c.converge();
  const convergeMs = performance.now() - t0;
  sample();
  if (!res.quiet) throw new Error(`datapath bench: ${nodes} nodes did not settle`);
  return {
    nodes,
    convergeMs,
    steps: sim.steps - steps0,
    deliveries: sim.deliveries - deliveries0,
    segments: sim.tcp.segmentsIn - segments0,
    bgpMessages: c.bgpMessages(),
    peakHeapMb: peak / 1e6,
  };
}

function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** formatFigures is the report line of one run. */
export function formatFigures(f: DatapathFigures): string {
  const perStep = (f.convergeMs * 1000) / f.steps;
  const perSegment = (f.convergeMs * 1000) / f.segments;
  return (
    `${`${f.nodes} nodes`.padEnd(10)} converge ${n(f.convergeMs).padStart(7)} ms  ` +
    `steps ${n(f.steps).padStart(10)} (${perStep.toFixed(2).padStart(6)} µs/step, ${n(f.deliveries)} frames)  ` +
    `TCP segments ${n(f.segments).padStart(8)} (${perSegment.toFixed(1).padStart(6)} µs/segment)  ` +
    `BGP messages ${n(f.bgpMessages)}  peak heap ${n(f.peakHeapMb)} MB`
  );
}

/**
 * benchDatapath converges the cluster at 100 and 300 nodes and reports the wall time per simulator
 * step and per TCP segment delivered. It returns the report lines.
 */
export async function benchDatapath(): Promise<string[]> {
  const lines = ['datapath: converge of N nodes × 30 pods, 2 route reflectors; time per step and per TCP segment (BGP work included)', ''];
  for (const nodes of [100, 300]) lines.push(formatFigures(runDatapath(nodes)));
  return lines;
}

if (process.argv[1]?.endsWith('datapath.js') || process.argv[1]?.endsWith('datapath.ts')) {
  const sizes = process.argv.slice(2).map(Number);
  for (const nodes of sizes.length > 0 ? sizes : [100, 300]) console.log(formatFigures(runDatapath(nodes)));
}
