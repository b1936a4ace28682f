// A reference FIB for tests: the naive longest-prefix scan the kernel's rules describe, to compare
// src/kernel/fib.ts's indexed store against.

import type { Ipv4 } from '../../src/model/addr.js';
import { RouteTable } from '../../src/model/world.js';
import type { Route } from '../../src/model/world.js';
import { RT_TABLE_DEFAULT, isRejectType, type FibLookupOptions } from '../../src/kernel/fib.js';

function contains(r: Route, a: Ipv4): boolean {
  return r.dst.len === 0 || (a ^ r.dst.addr) >>> (32 - r.dst.len) === 0;
}

function acceptable(r: Route, opts: FibLookupOptions): boolean {
  if (opts.scope !== undefined && r.scope < opts.scope) return false;
  if (isRejectType(r.type)) return true;
  return opts.oif === undefined || opts.oif === 0 || r.dev === opts.oif;
}

/** preferred says whether `a` beats `b` among routes containing one address: longer, local, lower metric. */
function preferred(a: Route, b: Route): boolean {
  if (a.dst.len !== b.dst.len) return a.dst.len > b.dst.len;
  if (a.table !== b.table) return a.table > b.table;
  return a.metric < b.metric;
}

/**
 * fibLookupNaive scans every route (given in dump order): in the first table group (merged local+main, then
 * default; or local, main, default with custom rules) holding an acceptable route that contains `dst`, the
 * longest prefix wins, then the local table, then the lowest metric, then the earlier one.
 */
export function fibLookupNaive(routes: readonly Route[], dst: Ipv4, opts: FibLookupOptions = {}): Route | null {
  const merged = opts.customRules !== true;
  let groups: number[][] = merged
    ? [[RouteTable.Local, RouteTable.Main], [RT_TABLE_DEFAULT]]
    : [[RouteTable.Local], [RouteTable.Main], [RT_TABLE_DEFAULT]];
  if (opts.table !== undefined) {
    groups =
      merged && (opts.table === RouteTable.Local || opts.table === RouteTable.Main)
        ? [[RouteTable.Local, RouteTable.Main]]
        : [[opts.table]];
  }
  for (const tables of groups) {
    let best: Route | null = null;
    for (const r of routes) {
      if (!tables.includes(r.table) || !contains(r, dst)) continue;
      if (best !== null && !preferred(r, best)) continue;
      if (acceptable(r, opts)) best = r;
    }
    if (best !== null) return best;
  }
  return null;
}
