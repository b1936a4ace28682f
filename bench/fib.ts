// Benchmark of the IPv4 FIB lookup (src/kernel/fib.ts, after net/ipv4/fib_trie.c): the interval-map FibIndex
// against the naive longest-prefix scan and against per-prefix-length hash tables, the design it was picked over,
// on seeded random tables weighted like a real routing table.

import { performance } from 'node:perf_hooks';
import { maskOf } from '../src/model/addr.js';
import type { Ipv4 } from '../src/model/addr.js';
import { RouteProto, RouteScope, RouteTable } from '../src/model/world.js';
import type { Route } from '../src/model/world.js';
import { FibIndex, fibInsert, fibLookup, fibLookupNaive, fibSort } from '../src/kernel/fib.js';

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
  out.push({ table: RouteTable.Main, type: 'unicast', dst: { addr: 0, len: 0 }, gateway: 0x0a000001, dev: 2, proto: RouteProto.Boot, scope: 0, metric: 0, onlink: false });
  for (const [addr, len, type] of [
    [0x7f000000, 8, 'local'], [0x7f000001, 32, 'local'], [0x7fffffff, 32, 'broadcast'],
    [0x0a000002, 32, 'local'], [0x0a0000ff, 32, 'broadcast'],
  ] as const) {
    out.push({ table: RouteTable.Local, type, dst: { addr, len }, dev: 1, proto: RouteProto.Kernel, scope: type === 'local' ? RouteScope.Host : RouteScope.Link, prefsrc: 0x0a000002, metric: 0, onlink: false });
  }
  return fibSort(out);
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

/**
 * LengthHashIndex is the per-prefix-length alternative: for the merged local+main trie and the default table,
 * one Int32 open-addressing hash table per prefix length present, probed from the longest length down. It
 * answers plain lookups only (no usable/scope backtracking), enough to compare speed.
 */
export class LengthHashIndex {
  private readonly parts: { lens: Int32Array; masks: Int32Array; keys: Int32Array[]; vals: Int32Array[]; shift: Int32Array }[] = [];

  constructor(private readonly routes: readonly Route[]) {
    const keysOf = [(r: Route) => r.table === RouteTable.Local || r.table === RouteTable.Main, (r: Route) => r.table === 253];
    for (const inPart of keysOf) {
      const byLen = new Map<number, Map<number, number>>();
      routes.forEach((r, i) => {
        if (!inPart(r)) return;
        let m = byLen.get(r.dst.len);
        if (!m) byLen.set(r.dst.len, (m = new Map()));
        const cur = m.get(r.dst.addr);
        // Merged trie: local before main, then the lower metric, then the earlier route.
        if (cur === undefined) m.set(r.dst.addr, i);
        else {
          const c = routes[cur];
          if (r.table > c.table || (r.table === c.table && r.metric < c.metric)) m.set(r.dst.addr, i);
        }
      });
      const lens = [...byLen.keys()].sort((a, b) => b - a);
      const keys: Int32Array[] = [];
      const vals: Int32Array[] = [];
      const shift: number[] = [];
      for (const len of lens) {
        const m = byLen.get(len)!;
        let bits = 2;
        while (1 << bits < m.size * 2) bits++;
        const cap = 1 << bits;
        const k = new Int32Array(cap);
        const v = new Int32Array(cap).fill(-1);
        // Fibonacci hashing: the top bits of the product, since masked prefixes end in zero bits.
        for (const [addr, idx] of m) {
          let h = Math.imul(addr | 0, 0x9e3779b1) >>> (32 - bits);
          while (v[h] >= 0) h = (h + 1) & (cap - 1);
          k[h] = addr | 0;
          v[h] = idx;
        }
        keys.push(k);
        vals.push(v);
        shift.push(32 - bits);
      }
      this.parts.push({
        lens: Int32Array.from(lens),
        masks: Int32Array.from(lens.map((l) => maskOf(l) | 0)),
        keys,
        vals,
        shift: Int32Array.from(shift),
      });
    }
  }

  /** lookup returns the route for `dst`, or null. */
  lookup(dst: Ipv4): Route | null {
    for (const p of this.parts) {
      for (let i = 0; i < p.lens.length; i++) {
        const key = dst & p.masks[i];
        const keys = p.keys[i];
        const vals = p.vals[i];
        const cm = vals.length - 1;
        let h = Math.imul(key, 0x9e3779b1) >>> p.shift[i];
        for (;;) {
          const v = vals[h];
          if (v < 0) break;
          if (keys[h] === key) return this.routes[v];
          h = (h + 1) & cm;
        }
      }
    }
    return null;
  }
}

/**
 * programRoutes adds `n` routes one at a time, each followed by a lookup through the cached index (as
 * fibCheckNewRoute's gateway check does), which makes a new array and so a new FibIndex every time.
 */
function programRoutes(n: number): string[] {
  const all = randomRoutes(n, 7);
  let routes: readonly Route[] = [];
  let sink = 0;
  const t0 = performance.now();
  for (const r of all) {
    const res = fibInsert(routes, r, 'append');
    if (res.ok) routes = res.routes;
    if (fibLookup(routes, r.dst.addr) !== null) sink++;
  }
  const ms = performance.now() - t0;
  return [`program ${n.toLocaleString('en-US')} routes one by one, a lookup after each: ${ms.toFixed(0)} ms (${((ms * 1000) / n).toFixed(1)} µs a route, ${sink} hits)`];
}

interface Measured {
  readonly nsPerLookup: number;
  readonly perSecond: number;
}

/** measure times `iterations` lookups cycling through `dsts`, after a warm-up. */
function measure(lookup: (dst: number) => Route | null, dsts: Float64Array, iterations: number): Measured {
  let sink = 0;
  const warm = Math.min(Math.ceil(iterations / 10), 200_000);
  for (let i = 0; i < warm; i++) if (lookup(dsts[i % dsts.length]) !== null) sink++;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) if (lookup(dsts[i % dsts.length]) !== null) sink++;
  const ms = performance.now() - t0;
  if (sink < 0) console.log(sink);
  const ns = (ms * 1e6) / iterations;
  return { nsPerLookup: ns, perSecond: 1e9 / ns };
}

function fmt(m: Measured): string {
  return `${m.nsPerLookup.toFixed(1).padStart(10)} ns ${Math.round(m.perSecond).toLocaleString('en-US').padStart(14)}/s`;
}

/**
 * benchFib measures, at 100, 10,000 and 500,000 routes, the build time and lookup speed of FibIndex, of the
 * per-length hash tables and of the naive scan (fewer iterations where it is slow), and checks that the three
 * agree on a sample. It returns the report lines.
 */
export async function benchFib(): Promise<string[]> {
  const lines: string[] = ['fib: lookup speed (ns/lookup, lookups/s); build time', ''];
  for (const n of [100, 10_000, 500_000]) {
    const routes = randomRoutes(n, n);
    const dsts = randomDsts(routes, 1 << 16, n + 1);
    const t0 = performance.now();
    const idx = new FibIndex(routes, 0);
    idx.lookup(0);
    const buildIdx = performance.now() - t0;
    const scanning = new FibIndex(routes, Infinity);
    const t1 = performance.now();
    const hash = new LengthHashIndex(routes);
    const buildHash = performance.now() - t1;
    for (let i = 0; i < (n > 10_000 ? 20 : 2000); i++) {
      const d = dsts[i];
      const a = idx.lookup(d);
      const b = fibLookupNaive(routes, d);
      const c = hash.lookup(d);
      if (a !== b || a !== c || a !== scanning.lookup(d)) throw new Error(`fib bench: lookups disagree for ${d} at ${n} routes`);
    }
    const iters = 2_000_000;
    const naiveIters = n <= 100 ? 1_000_000 : n <= 10_000 ? 10_000 : 100;
    const mIdx = measure((d) => idx.lookup(d), dsts, iters);
    const mScan = measure((d) => scanning.lookup(d), dsts, n <= 10_000 ? naiveIters * 10 : 1_000);
    const mHash = measure((d) => hash.lookup(d), dsts, iters);
    const mNaive = measure((d) => fibLookupNaive(routes, d), dsts, naiveIters);
    const label = `${n.toLocaleString('en-US')} routes`;
    lines.push(`${label.padEnd(16)} FibIndex      ${fmt(mIdx)}   build ${buildIdx.toFixed(1)} ms`);
    lines.push(`${''.padEnd(16)} column scan   ${fmt(mScan)}   (FibIndex before it builds)`);
    lines.push(`${''.padEnd(16)} length-hash   ${fmt(mHash)}   build ${buildHash.toFixed(1)} ms`);
    lines.push(`${''.padEnd(16)} naive scan    ${fmt(mNaive)}   (${naiveIters.toLocaleString('en-US')} lookups)`);
  }
  lines.push('');
  lines.push(...programRoutes(10_000));
  return lines;
}
