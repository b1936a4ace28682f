// An interval index over a FIB store for lookups in tables with many prefix lengths, where probing
// each length's hash map (src/kernel/fib.ts) costs most (a full Internet table has 24 or so). Each
// trie's prefixes are flattened into disjoint address intervals, each labelled with the innermost
// (longest) prefix covering it, found by binary search inside a 65,536-entry direct table on the top
// 16 bits; every prefix records its parent (the next shorter prefix containing it), which is how a
// lookup backtracks, as fib_table_lookup does, when every route of the longest match is rejected.
// An index is built from one version of a store and answers only for that version.

import type { Ipv4 } from '../model/addr.js';
import { RouteTable } from '../model/world.js';
import type { Route } from '../model/world.js';
import type { FibLookupOptions } from './fib.js';

/** RT_TABLE_DEFAULT is the `default` table (253) that the third default rule looks up. */
export const RT_TABLE_DEFAULT = 253;

/**
 * isRejectType says whether a route type answers lookups with an error (fib_props[type].error): blackhole,
 * unreachable, prohibit, and throw, whose -EAGAIN sends the lookup on to the next rule.
 */
export function isRejectType(type: Route['type']): boolean {
  return type === 'blackhole' || type === 'unreachable' || type === 'prohibit' || type === 'throw';
}

/** fibCompare orders two routes by their fib_trie key (table rank, prefix, length descending, metric). */
export function fibCompare(a: Route, b: Route): number {
  if (a.table !== b.table) return (a.table & 255) - (b.table & 255) || a.table - b.table;
  if (a.dst.addr !== b.dst.addr) return a.dst.addr - b.dst.addr;
  if (a.dst.len !== b.dst.len) return b.dst.len - a.dst.len;
  return a.metric - b.metric;
}

/** MERGED is the index key of the merged local+main trie. */
const MERGED = -1;

/** acceptable applies the alias checks of fib_table_lookup in their order: scope, reject type, nexthop. */
function acceptable(r: Route, opts: FibLookupOptions): boolean {
  if (opts.scope !== undefined && r.scope < opts.scope) return false;
  if (isRejectType(r.type)) return true;
  return opts.oif === undefined || opts.oif === 0 || r.dev === opts.oif;
}

const MERGED_KEYS: readonly number[] = [MERGED, RT_TABLE_DEFAULT];
const RULE_KEYS: readonly number[] = [RouteTable.Local, RouteTable.Main, RT_TABLE_DEFAULT];
const MERGED_ONLY: readonly number[] = [MERGED];

/** lookupKeys are the index keys a lookup tries in turn, as fib_lookup and the default rules do. */
function lookupKeys(opts: FibLookupOptions | undefined): readonly number[] {
  const merged = opts?.customRules !== true;
  const table = opts?.table;
  if (table !== undefined) {
    return merged && (table === RouteTable.Local || table === RouteTable.Main) ? MERGED_ONLY : [table];
  }
  return merged ? MERGED_KEYS : RULE_KEYS;
}

/**
 * mergedCompare orders the aliases of the merged trie: prefix, length descending, then table descending (a
 * leaf keeps local aliases before main ones, fib_find_alias), then metric.
 */
function mergedCompare(a: Route, b: Route): number {
  if (a.dst.addr !== b.dst.addr) return a.dst.addr - b.dst.addr;
  if (a.dst.len !== b.dst.len) return b.dst.len - a.dst.len;
  if (a.table !== b.table) return b.table - a.table;
  return a.metric - b.metric;
}

/** TableIndex is the interval map of one table (or of the merged trie). */
interface TableIndex {
  /**
   * starts are the ascending first addresses of the intervals (the first is 0), stored with the top bit
   * flipped so that signed 32-bit comparison orders them as unsigned addresses.
   */
  readonly starts: Int32Array;
  /** labels are the innermost prefix (group) covering each interval, or -1. */
  readonly labels: Int32Array;
  /** first is the route position a plain lookup returns for each interval (its group's first), or -1. */
  readonly first: Int32Array;
  /** dir maps the top 16 bits of an address to the last interval starting at or before it; null when small. */
  readonly dir: Int32Array | null;
  /** groupFirst/groupEnd delimit each prefix's routes in `members`, in lookup order. */
  readonly groupFirst: Int32Array;
  readonly groupEnd: Int32Array;
  /** parent is the next shorter prefix of the table containing each prefix, or -1. */
  readonly parent: Int32Array;
  /** members are positions in the route array. */
  readonly members: Int32Array;
}

const DIR_MIN_INTERVALS = 64;
const SIGN = -0x80000000;

/** buildTable flattens the routes at `positions` into an interval map; `positions` end up in `cmp` order. */
function buildTable(routes: readonly Route[], positions: number[], cmp: (a: Route, b: Route) => number): TableIndex {
  let sorted = true;
  for (let i = 1; i < positions.length && sorted; i++) {
    if (cmp(routes[positions[i - 1]], routes[positions[i]]) > 0) sorted = false;
  }
  if (!sorted) positions.sort((x, y) => cmp(routes[x], routes[y]) || x - y);

  const n = positions.length;
  const members = Int32Array.from(positions);
  // Groups are runs of one prefix; inside a run the order is the lookup order.
  const gFirst: number[] = [];
  const gEnd: number[] = [];
  const gAddr: number[] = [];
  const gLen: number[] = [];
  for (let i = 0; i < n; ) {
    const d = routes[positions[i]].dst;
    let j = i + 1;
    while (j < n) {
      const e = routes[positions[j]].dst;
      if (e.addr !== d.addr || e.len !== d.len) break;
      j++;
    }
    gFirst.push(i);
    gEnd.push(j);
    gAddr.push(d.addr);
    gLen.push(d.len);
    i = j;
  }
  const g = gFirst.length;
  // The sweep needs containing prefixes first: address ascending, then length ascending. Groups come by
  // address ascending with longer prefixes first, so reversing each run of one address is enough.
  const order = new Int32Array(g);
  for (let i = 0; i < g; ) {
    let j = i + 1;
    while (j < g && gAddr[j] === gAddr[i]) j++;
    for (let k = 0; k < j - i; k++) order[i + k] = j - 1 - k;
    i = j;
  }

  const parent = new Int32Array(g);
  const starts: number[] = [];
  const labels: number[] = [];
  const emit = (at: number, label: number): void => {
    const last = starts.length - 1;
    if (last >= 0 && starts[last] === at) {
      labels[last] = label;
      if (last > 0 && labels[last - 1] === label) {
        starts.pop();
        labels.pop();
      }
    } else if (last < 0 || labels[last] !== label) {
      starts.push(at);
      labels.push(label);
    }
  };
  const stackG: number[] = [];
  const stackEnd: number[] = [];
  const pop = (): void => {
    const end = stackEnd.pop() as number;
    stackG.pop();
    if (end + 1 < 4294967296) emit(end + 1, stackG.length > 0 ? stackG[stackG.length - 1] : -1);
  };
  emit(0, -1);
  for (let k = 0; k < g; k++) {
    const gi = order[k];
    const s = gAddr[gi];
    const e = s + 2 ** (32 - gLen[gi]) - 1;
    while (stackEnd.length > 0 && stackEnd[stackEnd.length - 1] < s) pop();
    parent[gi] = stackG.length > 0 ? stackG[stackG.length - 1] : -1;
    emit(s, gi);
    stackG.push(gi);
    stackEnd.push(e);
  }
  while (stackEnd.length > 0) pop();

  const count = starts.length;
  let dir: Int32Array | null = null;
  if (count >= DIR_MIN_INTERVALS) {
    dir = new Int32Array(65537);
    let i = 0;
    for (let h = 0; h < 65536; h++) {
      const base = h * 65536;
      while (i + 1 < count && starts[i + 1] <= base) i++;
      dir[h] = i;
    }
    dir[65536] = count - 1;
  }
  const biased = new Int32Array(count);
  const first = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    biased[i] = starts[i] ^ SIGN;
    first[i] = labels[i] < 0 ? -1 : members[gFirst[labels[i]]];
  }
  return {
    starts: biased,
    first,
    labels: Int32Array.from(labels),
    dir,
    groupFirst: Int32Array.from(gFirst),
    groupEnd: Int32Array.from(gEnd),
    parent,
    members,
  };
}

/** intervalOf finds the last interval of `t` starting at or before `dst`. */
function intervalOf(t: TableIndex, dst: number): number {
  let lo: number;
  let hi: number;
  const dir = t.dir;
  if (dir !== null) {
    const h = dst >>> 16;
    lo = dir[h];
    hi = dir[h + 1];
  } else {
    lo = 0;
    hi = t.starts.length - 1;
  }
  const starts = t.starts;
  const key = dst ^ SIGN;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** mergeSorted merges two position lists, each already in `cmp` order, into one. */
function mergeSorted(routes: readonly Route[], a: number[], b: number[], cmp: (x: Route, y: Route) => number): number[] {
  const out: number[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const c = cmp(routes[a[i]], routes[b[j]]) || a[i] - b[j];
    out[k++] = c <= 0 ? a[i++] : b[j++];
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** FibIndex answers longest-prefix lookups over one route array in dump order, like fibLookup over its store. */
export class FibIndex {
  private readonly positions = new Map<number, Int32Array>();
  private readonly tables = new Map<number, TableIndex | null>();

  /** FibIndex's constructor groups the routes' positions by table; interval maps are built per table on first need. */
  constructor(private readonly routes: readonly Route[]) {
    const lists = new Map<number, number[]>();
    for (let i = 0; i < routes.length; i++) {
      const t = routes[i].table;
      let list = lists.get(t);
      if (list === undefined) {
        list = [];
        lists.set(t, list);
      }
      list.push(i);
    }
    for (const [t, list] of lists) this.positions.set(t, Int32Array.from(list));
  }

  /** table returns the interval map of an index key (a table id, or MERGED), or null when it has no routes. */
  private table(key: number): TableIndex | null {
    let t = this.tables.get(key);
    if (t === undefined) {
      if (key === MERGED) {
        const local = Array.from(this.positions.get(RouteTable.Local) ?? []);
        const main = Array.from(this.positions.get(RouteTable.Main) ?? []);
        const both = mergeSorted(this.routes, local, main, mergedCompare);
        t = both.length === 0 ? null : buildTable(this.routes, both, mergedCompare);
      } else {
        const p = this.positions.get(key);
        t = p === undefined ? null : buildTable(this.routes, Array.from(p), fibCompare);
      }
      this.tables.set(key, t);
    }
    return t;
  }

  /** lookup is fibLookup over this index. */
  lookup(dst: Ipv4, opts?: FibLookupOptions): Route | null {
    for (const key of lookupKeys(opts)) {
      const t = this.table(key);
      if (t === null) continue;
      const i = intervalOf(t, dst);
      if (opts === undefined || (!opts.oif && opts.scope === undefined)) {
        const p = t.first[i];
        if (p >= 0) return this.routes[p];
        continue;
      }
      let g = t.labels[i];
      while (g >= 0) {
        for (let k = t.groupFirst[g], end = t.groupEnd[g]; k < end; k++) {
          const r = this.routes[t.members[k]];
          if (acceptable(r, opts)) return r;
        }
        g = t.parent[g];
      }
    }
    return null;
  }
}
