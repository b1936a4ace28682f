// The generated world of the scaling targets: N nodes on one bridge, P pods on each node, every node
// with a route to every other node's block. Namespaces, links and addresses are made through the shell
// (the commands a person would type); the node routes go in through the kernel API `ip route add`
// uses (fibCheckNewRoute, fibInsert), as BIRD's netlink requests would. Run as a child process with
// the heap limit it needs: `node --max-old-space-size=MB dist/bench/world.js NODES PODS`.

import { performance } from 'node:perf_hooks';
import { formatIpv4 } from '../src/model/addr.js';
import { RouteProto } from '../src/model/world.js';
import { fibCheckNewRoute, fibInsert } from '../src/kernel/fib.js';
import { createSimulator } from '../src/scenarios/simulator.js';
import { Shell } from '../src/tools/shell.js';

/** WorldFigures is what one run measures. */
export interface WorldFigures {
  readonly nodes: number;
  readonly pods: number;
  readonly namespaces: number;
  readonly routes: number;
  readonly buildMs: number;
  readonly shellMs: number;
  readonly routeMs: number;
  readonly coldPingMs: number;
  readonly warmPingMs: number;
  readonly warmPingSteps: number;
  readonly usPerStep: number;
  readonly peakHeapMb: number;
  readonly routeAddUs: number;
}

const NODE_NET = 0x0a000000; // 10.0.0.0/8: node n is 10.(n >> 8).(n & 255) + 1
const POD_NET = 0x64400000; // 100.64.0.0/10: node n's block is a /26

function nodeIp(n: number): number {
  return (NODE_NET + n + 1) >>> 0;
}

function blockOf(n: number): number {
  return (POD_NET + n * 64) >>> 0;
}

/** buildWorld makes the world and measures it. */
export function buildWorld(nodes: number, pods: number): WorldFigures {
  let peak = 0;
  const sample = (): void => {
    const h = process.memoryUsage().heapUsed;
    if (h > peak) peak = h;
  };
  const sim = createSimulator();
  const shell = new Shell(sim);
  const run = (line: string, ns?: string): void => {
    const r = shell.run(line, ns);
    if (r.output.status !== 0) throw new Error(`${line}: ${r.output.stderr}`);
  };
  const t0 = performance.now();
  run('ip link add br0 type bridge');
  run('ip link set br0 up');
  for (let n = 0; n < nodes; n++) {
    const node = `n${n}`;
    run(`ip netns add ${node}`);
    run(`ip link add ${node}e type veth peer name eth0 netns ${node}`);
    run(`ip link set ${node}e master br0`);
    run(`ip link set ${node}e up`);
    run(`ip -n ${node} addr add ${formatIpv4(nodeIp(n))}/8 dev eth0`);
    run(`ip -n ${node} link set eth0 up`);
    run(`ip netns exec ${node} sysctl -qw net.ipv4.ip_forward=1`);
    // A default route, as every node has one: proxy ARP for 169.254.1.1 needs a route out another device.
    run(`ip -n ${node} route add default via 10.255.255.254 dev eth0`);
    run(`ip -n ${node} route add blackhole ${formatIpv4(blockOf(n))}/26 proto bird`);
    for (let p = 0; p < pods; p++) {
      const pod = `${node}p${p}`;
      const cali = `cali${n.toString(16)}x${p}`;
      const ip = formatIpv4(blockOf(n) + p);
      run(`ip netns add ${pod}`);
      run(`ip -n ${node} link add ${cali} type veth peer name eth0 netns ${pod}`);
      run(`ip -n ${node} link set ${cali} address ee:ee:ee:ee:ee:ee up`);
      run(`ip netns exec ${node} sysctl -qw net.ipv4.conf.${cali}.proxy_arp=1 net.ipv4.neigh.${cali}.proxy_delay=0`);
      run(`ip -n ${node} route add ${ip} dev ${cali} scope link`);
      run(`ip -n ${pod} addr add ${ip}/32 dev eth0`);
      run(`ip -n ${pod} link set eth0 up`);
      run(`ip -n ${pod} route add 169.254.1.1 dev eth0 scope link`);
      run(`ip -n ${pod} route add default via 169.254.1.1 dev eth0`);
    }
    if ((n & 63) === 0) sample();
  }
  const t1 = performance.now();
  let routes = 0;
  for (let n = 0; n < nodes; n++) {
    sim.control((tx) => {
      const ns = tx.ns(`n${n}`)!;
      const fib = tx.fib(ns);
      for (let k = 0; k < nodes; k++) {
        if (k === n) continue;
        const checked = fibCheckNewRoute(
          { dst: { addr: blockOf(k), len: 26 }, gateway: nodeIp(k), dev: 'eth0', proto: RouteProto.Bird },
          ns,
        );
        if (!checked.ok) throw new Error(checked.error);
        const e = fibInsert(fib, checked.route, 'add');
        if (e !== null) throw new Error(e.errno);
        routes++;
      }
    });
    if ((n & 63) === 0) sample();
  }
  const t2 = performance.now();
  sample();
  // A cross-node ping: the first resolves ARP on the way (the bridge floods to every node), the second
  // finds every neighbour resolved.
  const src = nodes > 1 ? 'n0p0' : 'n0p0';
  const dst = formatIpv4(blockOf(nodes - 1) + pods - 1);
  const c0 = performance.now();
  run(`ip netns exec ${src} ping -c 1 -W 1 ${dst}`);
  const c1 = performance.now();
  const s0 = sim.steps;
  const w0 = performance.now();
  run(`ip netns exec ${src} ping -c 1 -W 1 ${dst}`);
  const w1 = performance.now();
  const steps = sim.steps - s0;
  sample();
  // One more route in a FIB of `nodes` routes, timed over many adds and deletes of fresh prefixes.
  const reps = 2000;
  const r0 = performance.now();
  sim.control((tx) => {
    const ns = tx.ns('n0')!;
    const fib = tx.fib(ns);
    for (let i = 0; i < reps; i++) {
      const checked = fibCheckNewRoute(
        { dst: { addr: (0xc0000000 + i * 256) >>> 0, len: 24 }, gateway: nodeIp(nodes > 1 ? 1 : 0), dev: 'eth0' },
        ns,
      );
      if (checked.ok) fibInsert(fib, checked.route, 'add');
    }
  });
  const r1 = performance.now();
  return {
    nodes,
    pods,
    namespaces: sim.world.namespaces.size,
    routes,
    buildMs: t2 - t0,
    shellMs: t1 - t0,
    routeMs: t2 - t1,
    coldPingMs: c1 - c0,
    warmPingMs: w1 - w0,
    warmPingSteps: steps,
    usPerStep: ((w1 - w0) * 1000) / Math.max(1, steps),
    peakHeapMb: peak / 1048576,
    routeAddUs: ((r1 - r0) * 1000) / reps,
  };
}

if (process.argv[1]?.endsWith('world.js') && process.argv.length >= 4) {
  const fig = buildWorld(Number(process.argv[2]), Number(process.argv[3]));
  process.stdout.write(`${JSON.stringify(fig)}\n`);
}
