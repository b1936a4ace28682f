// Benchmark of the IPv4 FIB (src/kernel/fib.ts over src/model/fibstore.ts, after net/ipv4/fib_trie.c): lookups
// and single-route inserts at 100, 10,000 and 500,000 routes, beside the naive longest-prefix scan, on seeded
// random tables weighted like a real routing table. An insert must cost the same at any size.

import { performance } from 'node:perf_hooks';
import { maskOf } from '../src/model/addr.js';
import { RouteProto, RouteScope, RouteTable } from '../src/model/world.js';
import type { Route } from '../src/model/world.js';
import type { FibStore } from '../src/model/fibstore.js';
import { fibDelete, fibFromRoutes, fibInsert, fibLookup } from '../src/kernel/fib.js';
import { fibLookupNaive } from '../tests/support/fib.js';

/** mulberry32 is a small seeded PRNG so every run measures the same tables. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** randomLen draws a prefix length weighted like a real table: mostly /24–/32, some short ones. */
function randomLen(rnd: () => number): number {
  const x = rnd();
  if (x < 0.3) return 32;
  if (x < 0.55) return 24;
  if (x < 0.75) return 25 + Math.floor(rnd() * 7);
  if (x < 0.93) return 16 + Math.floor(rnd() * 8);
  if (x < 0.99) return 8 + Math.floor(rnd() * 8);
  return 1 + Math.floor(rnd() * 7);
}

/** randomRoutes builds `n` main-table routes plus a node's local table and a default route, in dump order. */
export function randomRoutes(n: number, seed = 1): Route[] {
  const rnd = mulberry32(seed);
  const out: Route[] = [];
  for (let i = 0; i < n; i++) {
    const len = randomLen(rnd);
    const addr = (Math.floor(rnd() * 4294967296) & maskOf(len)) >>> 0;
    const gw = rnd() < 0.5;
    out.push({
      table: RouteTable.Main,
      type: rnd() < 0.02 ? 'blackhole' : 'unicast',
      dst: { addr, len },
      ...(gw ? { gateway: 0x0a000001 + Math.floor(rnd() * 200) } : {}),
      dev: 2 + Math.floor(rnd() * 8),
      proto: RouteProto.Bird,
      scope: gw ? RouteScope.Universe : RouteScope.Link,
      metric: Math.floor(rnd() * 3),
      onlink: false,
    });
  }
  out.push({
    table: RouteTable.Main,
    type: 'unicast',
    dst: { addr: 0, len: 0 },
    gateway: 0x0a000001,
    dev: 2,
    proto: RouteProto.Boot,
    scope: 0,
    metric: 0,
    onlink: false,
  });
  for (const [addr, len, type] of [
    [0x7f000000, 8, 'local'],
    [0x7f000001, 32, 'local'],
    [0x7fffffff, 32, 'broadcast'],
    [0x0a000002, 32, 'local'],
    [0x0a0000ff, 32, 'broadcast'],
  ] as const) {
    out.push({
      table: RouteTable.Local,
      type,
      dst: { addr, len },
      dev: 1,
      proto: RouteProto.Kernel,
      scope: type === 'local' ? RouteScope.Host : RouteScope.Link,
      prefsrc: 0x0a000002,
      metric: 0,
      onlink: false,
    });
  }
  return fibFromRoutes(out).all();
}

/** randomDsts draws lookup addresses: half inside a random route's prefix, half uniformly random. */
export function randomDsts(routes: readonly Route[], count: number, seed = 2): Float64Array {
  const rnd = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (rnd() < 0.5) {
      const r = routes[Math.floor(rnd() * routes.length)];
      const host = Math.floor(rnd() * 2 ** (32 - r.dst.len));
      out[i] = (r.dst.addr + host) >>> 0;
    } else out[i] = Math.floor(rnd() * 4294967296);
  }
  return out;
}

interface Measured {
  readonly nsPerOp: number;
  readonly perSecond: number;
}

/** measure times `iterations` calls cycling through `dsts`, after a warm-up. */
function measure(op: (dst: number) => unknown, dsts: Float64Array, iterations: number): Measured {
  let sink = 0;
  const warm = Math.min(Math.ceil(iterations / 10), 200_000);
  for (let i = 0; i < warm; i++) if (op(dsts[i % dsts.length]) !== null) sink++;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) if (op(dsts[i % dsts.length]) !== null) sink++;
  const ms = performance.now() - t0;
  if (sink < 0) console.log(sink);
  const ns = (ms * 1e6) / iterations;
  return { nsPerOp: ns, perSecond: 1e9 / ns };
}

function fmt(m: Measured): string {
  return `${m.nsPerOp.toFixed(1).padStart(10)} ns ${Math.round(m.perSecond).toLocaleString('en-US').padStart(14)}/s`;
}

/** insertCost times adding and deleting one fresh /28 route, `reps` times, in a store of the given size. */
function insertCost(store: FibStore, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const dst = { addr: (0xcb007100 + ((i & 0xfff) << 4)) >>> 0, len: 28 };
    fibInsert(
      store,
      { table: RouteTable.Main, type: 'unicast', dst, dev: 2, proto: RouteProto.Bird, scope: RouteScope.Link, metric: 0, onlink: false },
      'add',
    );
    fibDelete(store, { table: RouteTable.Main, dst });
  }
  return ((performance.now() - t0) * 1e6) / reps / 2;
}

/**
 * benchFib measures, at 100, 10,000 and 500,000 routes, the build time, the lookup speed of the store and of
 * the naive scan (fewer iterations where it is slow), and the cost of one insert or delete; it checks that the
 * store and the scan agree on a sample. It returns the report lines.
 */
export async function benchFib(): Promise<string[]> {
  const lines: string[] = ['fib: lookups (ns, lookups/s), one insert or delete (ns), build time', ''];
  for (const n of [100, 10_000, 500_000]) {
    const routes = randomRoutes(n, n);
    const dsts = randomDsts(routes, 1 << 16, n + 1);
    const t0 = performance.now();
    const store = fibFromRoutes(routes);
    const build = performance.now() - t0;
    for (let i = 0; i < (n > 10_000 ? 20 : 2000); i++) {
      const d = dsts[i];
      if (fibLookup(store, d) !== fibLookupNaive(routes, d)) throw new Error(`fib bench: lookups disagree for ${d} at ${n} routes`);
    }
    const naiveIters = n <= 100 ? 1_000_000 : n <= 10_000 ? 10_000 : 100;
    const mStore = measure((d) => fibLookup(store, d), dsts, 2_000_000);
    const mNaive = measure((d) => fibLookupNaive(routes, d), dsts, naiveIters);
    const ins = insertCost(store, 100_000);
    const label = `${n.toLocaleString('en-US')} routes`;
    lines.push(`${label.padEnd(16)} store lookup  ${fmt(mStore)}   build ${build.toFixed(1)} ms`);
    lines.push(`${''.padEnd(16)} naive scan    ${fmt(mNaive)}   (${naiveIters.toLocaleString('en-US')} lookups)`);
    lines.push(`${''.padEnd(16)} insert/delete ${ins.toFixed(1).padStart(10)} ns`);
  }
  return lines;
}
