// The IPv4 forwarding information base as Linux keeps it: net/ipv4/fib_trie.c (ordering, insert, delete,
// lookup), net/ipv4/fib_semantics.c (fib_create_info, fib_check_nh, fib_nh_match), net/ipv4/fib_frontend.c
// (fib_magic, fib_disable_ip) and the defaults of ip-route(8) (iproute2 ip/iproute.c).
//
// Every function is pure over a `readonly Route[]` that holds all tables. Within a table the array is in the
// kernel's dump order, which is fib_trie key order: prefix address ascending (unsigned); for one address the
// longer prefix first (a leaf keeps its aliases sorted by suffix length); for one prefix by tos descending (the
// model has no tos, so always 0) and metric ascending; equal keys in insertion order. Tables follow each other
// in the order `ip route show table all` dumps them (fib_table_hash bucket = id & 255, ascending).
//
// Lookups go through a FibIndex built lazily per route array and cached in a WeakMap keyed by the array, so
// immer's copy-on-write arrays invalidate it for free. The data structure was picked by measurement in Node 20
// (bench/fib.ts: seeded random tables weighted like a real one, mostly /24–/32 with some short prefixes; half
// the addresses inside a route, half uniform; ns per lookup at 100 / 10,000 / 500,000 routes):
//   - naive scan of the route objects:                           ~600 / 175,000 / 40,000,000 ns;
//   - per-prefix-length Int32 open-addressing hash tables, probed from the longest length present down:
//     ~190 / ~260 / ~400 ns, because a real-looking table has 20+ lengths present and most lookups probe them all;
//   - a multibit trie (16-8-8, DIR-24-8-like) would need 1–3 reads, but a 256-slot chunk for every distinct /24
//     holding longer prefixes costs hundreds of MB at 500,000 routes; not built;
//   - the chosen one: each trie's prefixes flattened into disjoint address intervals, each labelled with the
//     innermost (longest) prefix covering it, found by binary search inside a 65,536-entry direct table on the
//     top 16 bits: ~20 / ~30 / ~80–120 ns (the last bound by cache misses), built in ~5 / ~15 / ~300–450 ms,
//     in two Int32 arrays of at most 2n+1 entries plus 256 KB. Every prefix records its parent (the next
//     shorter prefix containing it), which is how a lookup backtracks, as fib_table_lookup does, when every
//     route of the longest match is rejected by the caller's `usable` test (say, its device is down).
// Because each change makes a new array, the first FIB_BUILD_AFTER lookups on an array scan typed-array
// columns instead (~2.7 ns a route), so programming routes one at a time costs a copy and a scan per route
// rather than a build (10,000 routes with a lookup after each: ~1.8 s instead of ~15 ms of building per route).
//
// Lookup follows fib_lookup: until an `ip rule` is added the kernel keeps the local and main tables in one
// merged trie, so the longest prefix of either wins (a main 127.0.0.5/32 beats the local 127.0.0.0/8); after
// that (FibLookupOptions.customRules) the default rules look up local, then main, then default.

import { networkOf } from '../model/addr.js';
import type { Cidr, Ipv4 } from '../model/addr.js';
import { RouteProto, RouteScope, RouteTable } from '../model/world.js';
import type { Link, Route, RouteType } from '../model/world.js';

/** RT_TABLE_DEFAULT is the `default` table (253) that the third default rule looks up. */
export const RT_TABLE_DEFAULT = 253;

/** FibErrno names the errno values the FIB code returns; the caller turns them into messages. */
export type FibErrno =
  | 'EEXIST'
  | 'ESRCH'
  | 'ENOENT'
  | 'EINVAL'
  | 'ENODEV'
  | 'ENETDOWN'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EACCES';

/** FIB_STRERROR is strerror(3) of each FibErrno, as iproute2 prints it after `RTNETLINK answers: `. */
export const FIB_STRERROR: Readonly<Record<FibErrno, string>> = {
  EEXIST: 'File exists',
  ESRCH: 'No such process',
  ENOENT: 'No such file or directory',
  EINVAL: 'Invalid argument',
  ENODEV: 'No such device',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EACCES: 'Permission denied',
};

/**
 * rtnlErrorLine is the line iproute2 prints for a failed request: `Error: MSG.` when the kernel attached an
 * extended ack message, otherwise `RTNETLINK answers: STRERROR`.
 */
export function rtnlErrorLine(errno: FibErrno, msg?: string): string {
  return msg !== undefined ? `Error: ${msg}.` : `RTNETLINK answers: ${FIB_STRERROR[errno]}`;
}

/** FibError is a failed FIB change: the errno and, when the kernel sets one, its extack message. */
export interface FibError {
  readonly ok: false;
  readonly errno: FibErrno;
  readonly msg?: string;
}

/** FibResult is the outcome of a FIB change: the new route array, or the error. */
export type FibResult = { readonly ok: true; readonly routes: readonly Route[] } | FibError;

/**
 * FibInsertMode is the netlink flag set of the request: `add` is NLM_F_CREATE|NLM_F_EXCL, `replace`
 * NLM_F_CREATE|NLM_F_REPLACE, `append` NLM_F_CREATE|NLM_F_APPEND, `prepend` NLM_F_CREATE and `change`
 * NLM_F_REPLACE alone (ip-route(8) `ip route change`).
 */
export type FibInsertMode = 'add' | 'replace' | 'append' | 'prepend' | 'change';

/** fibTableDumpRank orders tables as inet_dump_fib walks fib_table_hash: by bucket (id & 255), then by id. */
export function fibTableDumpRank(table: number): number {
  // Within one bucket the kernel lists the newest table first; the id is the best stand-in a route array has.
  return (table & 255) * 4294967296 + table;
}

/** fibCompare orders two routes by their fib_trie key (table, prefix, length descending, metric). */
export function fibCompare(a: Route, b: Route): number {
  if (a.table !== b.table) return fibTableDumpRank(a.table) - fibTableDumpRank(b.table);
  if (a.dst.addr !== b.dst.addr) return a.dst.addr - b.dst.addr;
  if (a.dst.len !== b.dst.len) return b.dst.len - a.dst.len;
  return a.metric - b.metric;
}

/** fibSort returns the routes in dump order; equal keys keep their relative order (Array.sort is stable). */
export function fibSort(routes: readonly Route[]): Route[] {
  return [...routes].sort(fibCompare);
}

/** isRejectType says whether a route type answers lookups with an error (fib_props[type].error). */
export function isRejectType(type: RouteType): boolean {
  return type === 'blackhole' || type === 'unreachable' || type === 'prohibit';
}

/** fibRejectErrno is the error a lookup hitting a reject route returns (fib_props in fib_semantics.c). */
export function fibRejectErrno(type: RouteType): FibErrno | null {
  switch (type) {
    case 'blackhole':
      return 'EINVAL';
    case 'unreachable':
      return 'EHOSTUNREACH';
    case 'prohibit':
      return 'EACCES';
    default:
      return null;
  }
}

/**
 * fibInfoEqual says whether two routes of one key share a fib_info and type, which is what makes a second
 * `ip route append` of the same route fail with EEXIST (fib_find_info compares these fields).
 */
export function fibInfoEqual(a: Route, b: Route): boolean {
  return (
    a.type === b.type &&
    a.proto === b.proto &&
    a.scope === b.scope &&
    a.prefsrc === b.prefsrc &&
    a.metric === b.metric &&
    a.gateway === b.gateway &&
    a.dev === b.dev &&
    a.onlink === b.onlink
  );
}

/** fibValidKeyLen says whether a prefix has no host bits set (fib_valid_key_len). */
export function fibValidKeyLen(dst: Cidr): boolean {
  return dst.len >= 0 && dst.len <= 32 && networkOf(dst.addr, dst.len) === dst.addr;
}

const INVALID_PREFIX: FibError = { ok: false, errno: 'EINVAL', msg: 'Invalid prefix for given prefix length' };

/** lowerBound is the first position whose route is not before `r` by key (table, prefix, length, metric). */
function lowerBound(routes: readonly Route[], r: Route): number {
  let lo = 0;
  let hi = routes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fibCompare(routes[mid], r) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** spliceRoutes returns a copy of `routes` with `del` entries at `at` replaced by `ins`. */
function spliceRoutes(routes: readonly Route[], at: number, del: number, ...ins: Route[]): Route[] {
  const next = routes.slice();
  next.splice(at, del, ...ins);
  return next;
}

/**
 * fibInsert adds a route as fib_table_insert does. A route's key is (table, prefix, tos, metric): `add` of an
 * existing key fails with EEXIST; `append` goes after the routes of its key and `prepend` before them, both
 * failing with EEXIST when an identical route (fibInfoEqual) is already there; `replace` overwrites the first
 * route of the key (EEXIST if an identical route sits further down the key, a no-op if it is the first) or
 * inserts when the key is new; `change` is `replace` that fails with ENOENT instead of inserting. A prefix with
 * host bits set is EINVAL `Invalid prefix for given prefix length`.
 */
export function fibInsert(routes: readonly Route[], route: Route, mode: FibInsertMode): FibResult {
  if (!fibValidKeyLen(route.dst)) return INVALID_PREFIX;
  const first = lowerBound(routes, route);
  let end = first;
  while (end < routes.length && fibCompare(routes[end], route) === 0) end++;
  if (first === end) {
    if (mode === 'change') return { ok: false, errno: 'ENOENT' };
    return { ok: true, routes: spliceRoutes(routes, first, 0, route) };
  }
  if (mode === 'add') return { ok: false, errno: 'EEXIST' };
  let match = -1;
  for (let i = first; i < end; i++) {
    if (fibInfoEqual(routes[i], route)) {
      match = i;
      break;
    }
  }
  if (mode === 'replace' || mode === 'change') {
    if (match === first) return { ok: true, routes };
    if (match >= 0) return { ok: false, errno: 'EEXIST' };
    return { ok: true, routes: spliceRoutes(routes, first, 1, route) };
  }
  if (match >= 0) return { ok: false, errno: 'EEXIST' };
  return { ok: true, routes: spliceRoutes(routes, mode === 'append' ? end : first, 0, route) };
}

/**
 * RouteMatch is an `ip route del` request after iproute2's defaults: table and prefix are required, every
 * other field matches only when given (and, as in the kernel, a zero metric, protocol, prefsrc, gateway or
 * device means "any"; scope 255, RT_SCOPE_NOWHERE, too).
 */
export interface RouteMatch {
  readonly table: number;
  readonly dst: Cidr;
  readonly type?: RouteType;
  readonly dev?: number;
  readonly gateway?: Ipv4;
  readonly proto?: number;
  readonly metric?: number;
  readonly scope?: number;
  readonly prefsrc?: Ipv4;
}

/** fibRouteMatches says whether a route of the right table and prefix satisfies the other fields of a match. */
export function fibRouteMatches(r: Route, m: RouteMatch): boolean {
  if (m.type !== undefined && r.type !== m.type) return false;
  if (m.scope !== undefined && m.scope !== RouteScope.Nowhere && r.scope !== m.scope) return false;
  if (m.prefsrc && r.prefsrc !== m.prefsrc) return false;
  if (m.proto && r.proto !== m.proto) return false;
  // fib_nh_match: priority, then the nexthop's device and gateway.
  if (m.metric && r.metric !== m.metric) return false;
  if (m.dev && r.dev !== m.dev) return false;
  if (m.gateway && r.gateway !== m.gateway) return false;
  return true;
}

/**
 * fibTableExists approximates fib_get_table: main and local always exist (a namespace whose loopback is up
 * has both), any other table once a route of it is present. The kernel keeps a table after its last route is
 * deleted, so `ip route del` there says ESRCH where this says `FIB table does not exist`.
 */
export function fibTableExists(routes: readonly Route[], table: number): boolean {
  if (table === RouteTable.Main || table === RouteTable.Local) return true;
  return routes.some((r) => r.table === table);
}

/**
 * fibDelete removes the first route, in dump order, of the match's table and prefix whose other fields agree
 * (fib_table_delete). No such route is ESRCH (`RTNETLINK answers: No such process`); a prefix with host bits is
 * EINVAL `Invalid prefix for given prefix length`; an unknown table is ESRCH `FIB table does not exist`.
 */
export function fibDelete(routes: readonly Route[], match: RouteMatch): FibResult {
  if (!fibTableExists(routes, match.table)) return { ok: false, errno: 'ESRCH', msg: 'FIB table does not exist' };
  if (!fibValidKeyLen(match.dst)) return INVALID_PREFIX;
  const probe: Route = {
    table: match.table, type: 'unicast', dst: match.dst, proto: 0, scope: 0, metric: -Infinity, onlink: false,
  };
  for (let i = lowerBound(routes, probe); i < routes.length; i++) {
    const r = routes[i];
    if (r.table !== match.table || r.dst.addr !== match.dst.addr || r.dst.len !== match.dst.len) break;
    if (fibRouteMatches(r, match)) return { ok: true, routes: spliceRoutes(routes, i, 1) };
  }
  return { ok: false, errno: 'ESRCH' };
}

/**
 * fibFlushDev removes the routes whose nexthop is device `ifindex`, as fib_sync_down_dev and fib_flush do.
 * When the device goes down (`force` false) routes of scope host survive (their nexthop scope is
 * RT_SCOPE_NOWHERE), which keeps `local` address routes; when it is unregistered or moved to another namespace,
 * or its last IPv4 address is deleted (`force` true), every route through it goes.
 */
export function fibFlushDev(routes: readonly Route[], ifindex: number, force = false): readonly Route[] {
  const keep = routes.filter((r) => r.dev !== ifindex || (!force && r.scope === RouteScope.Host));
  return keep.length === routes.length ? routes : keep;
}

/** FibLookupOptions narrow a lookup. */
export interface FibLookupOptions {
  /**
   * table restricts the lookup to one table (fib_table_lookup); without it the default rules are followed.
   * While the tables are merged, local and main are one trie, so asking for either searches both.
   */
  readonly table?: number;
  /**
   * usable says whether a unicast/local/broadcast route's nexthop can be used; rejected ones are skipped and
   * the search backtracks to shorter prefixes. It is not asked about blackhole/unreachable/prohibit routes,
   * which the kernel returns before looking at any nexthop.
   */
  readonly usable?: (r: Route) => boolean;
  /** scope is flowi4_scope: routes of a narrower scope number (fib_scope < scope) are skipped. */
  readonly scope?: number;
  /**
   * customRules says an `ip rule` was ever added in the namespace (fib_has_custom_rules). Until then the kernel
   * keeps the local and main tables in one trie and a lookup takes the longest prefix of both (a main /32 beats
   * the local 127.0.0.0/8); afterwards (fib_unmerge) the rules look up local, then main, then default.
   */
  readonly customRules?: boolean;
}

/** MERGED is the index key of the merged local+main trie. */
const MERGED = -1;

/** acceptable applies the alias checks of fib_table_lookup in their order: scope, reject type, nexthop. */
function acceptable(r: Route, opts: FibLookupOptions): boolean {
  if (opts.scope !== undefined && r.scope < opts.scope) return false;
  if (isRejectType(r.type)) return true;
  return opts.usable === undefined || opts.usable(r);
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

/** inKey says whether a route belongs to an index key. */
function inKey(r: Route, key: number): boolean {
  return key === MERGED ? r.table === RouteTable.Local || r.table === RouteTable.Main : r.table === key;
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

/** contains says whether prefix `c` holds address `a`. */
function contains(c: Cidr, a: Ipv4): boolean {
  return c.len === 0 || (a ^ c.addr) >>> (32 - c.len) === 0;
}

/** preferred says whether `a` beats `b` among routes containing one address: longer, local, lower metric. */
function preferred(a: Route, b: Route): boolean {
  if (a.dst.len !== b.dst.len) return a.dst.len > b.dst.len;
  if (a.table !== b.table) return a.table > b.table;
  return a.metric < b.metric;
}

/**
 * fibLookupNaive is the reference lookup. It scans every route: in the first table (or merged local+main trie)
 * holding an acceptable route that contains `dst`, the longest prefix wins, then (merged) the local table, then
 * the lowest metric, then the earlier one in the array.
 */
export function fibLookupNaive(routes: readonly Route[], dst: Ipv4, opts: FibLookupOptions = {}): Route | null {
  for (const key of lookupKeys(opts)) {
    let best: Route | null = null;
    for (const r of routes) {
      if (!inKey(r, key) || !contains(r.dst, dst)) continue;
      if (best !== null && !preferred(r, best)) continue;
      if (acceptable(r, opts)) best = r;
    }
    if (best !== null) return best;
  }
  return null;
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

/** FIB_BUILD_AFTER is how many lookups a FibIndex answers by scanning before it builds its interval maps. */
export const FIB_BUILD_AFTER = 64;

/**
 * FibIndex answers longest-prefix lookups over one route array. Get it with fibIndex(routes), which caches it
 * per array. Because every route change makes a new array, the index is adaptive: its first `buildAfter`
 * lookups scan typed-array columns of the routes (about 1–2 ns a route, nothing to build beyond one pass), which
 * keeps a burst of changes each followed by a lookup (fibCheckNewRoute resolving gateways while thousands of
 * routes are programmed) linear; an array still in use after that gets the interval maps, built per table on
 * first need, and every later lookup is a binary search.
 */
export class FibIndex {
  private readonly positions = new Map<number, Int32Array>();
  private readonly tables = new Map<number, TableIndex | null>();
  private merged: TableIndex | null | undefined;
  /** addrs, lens, tables and metrics are the routes' key fields as columns, for the scanning phase. */
  private readonly colAddr: Int32Array;
  private readonly colLen: Uint8Array;
  private readonly colMetric: Float64Array;
  private scans = 0;

  /**
   * FibIndex's constructor takes the routes' key fields into columns and groups their positions by table;
   * `buildAfter` lookups are answered by scanning before the interval maps are built (0 builds them at once).
   */
  constructor(
    private readonly routes: readonly Route[],
    private readonly buildAfter: number = FIB_BUILD_AFTER,
  ) {
    const n = routes.length;
    this.colAddr = new Int32Array(n);
    this.colLen = new Uint8Array(n);
    this.colMetric = new Float64Array(n);
    const lists = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const r = routes[i];
      this.colAddr[i] = r.dst.addr;
      this.colLen[i] = r.dst.len;
      this.colMetric[i] = r.metric;
      let list = lists.get(r.table);
      if (list === undefined) lists.set(r.table, (list = []));
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
    if (this.scans < this.buildAfter) {
      this.scans++;
      for (const key of lookupKeys(opts)) {
        const r = this.scanKey(key, dst, opts);
        if (r !== null) return r;
      }
      return null;
    }
    if (opts === undefined) {
      // The common case: no filters, merged local+main trie, then the default table.
      const m = this.merged !== undefined ? this.merged : (this.merged = this.table(MERGED));
      if (m !== null) {
        const p = m.first[intervalOf(m, dst)];
        if (p >= 0) return this.routes[p];
      }
      return this.lookupKey(RT_TABLE_DEFAULT, dst, undefined);
    }
    for (const key of lookupKeys(opts)) {
      const r = this.lookupKey(key, dst, opts);
      if (r !== null) return r;
    }
    return null;
  }

  /** scanKey is lookupKey by a scan of the columns: the same answer without building anything. */
  private scanKey(key: number, dst: Ipv4, opts?: FibLookupOptions): Route | null {
    let best = -1;
    let bestLen = -1;
    let bestMetric = 0;
    // The merged trie holds local then main: on equal length and metric the local route, seen first, stays.
    const lists =
      key === MERGED ? [this.positions.get(RouteTable.Local), this.positions.get(RouteTable.Main)] : [this.positions.get(key)];
    const addrs = this.colAddr;
    const lens = this.colLen;
    const metrics = this.colMetric;
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l];
      if (list === undefined) continue;
      for (let k = 0; k < list.length; k++) {
        const i = list[k];
        const len = lens[i];
        if (len !== 0 && (dst ^ addrs[i]) >>> (32 - len) !== 0) continue;
        if (len < bestLen) continue;
        if (len === bestLen && (l > 0 ? this.routes[best].table === RouteTable.Local || metrics[i] >= bestMetric : metrics[i] >= bestMetric)) {
          continue;
        }
        if (opts !== undefined && !acceptable(this.routes[i], opts)) continue;
        best = i;
        bestLen = len;
        bestMetric = metrics[i];
      }
    }
    return best < 0 ? null : this.routes[best];
  }

  /** lookupKey is fib_table_lookup: the longest acceptable prefix of one trie, backtracking as needed. */
  private lookupKey(key: number, dst: Ipv4, opts?: FibLookupOptions): Route | null {
    const t = this.table(key);
    if (t === null) return null;
    const i = intervalOf(t, dst);
    if (opts === undefined || (opts.usable === undefined && opts.scope === undefined)) {
      const p = t.first[i];
      return p < 0 ? null : this.routes[p];
    }
    let g = t.labels[i];
    while (g >= 0) {
      for (let k = t.groupFirst[g], end = t.groupEnd[g]; k < end; k++) {
        const r = this.routes[t.members[k]];
        if (acceptable(r, opts)) return r;
      }
      g = t.parent[g];
    }
    return null;
  }
}

const indexCache = new WeakMap<readonly Route[], FibIndex>();

/** fibIndex returns the FibIndex of a route array, building it on first use. */
export function fibIndex(routes: readonly Route[]): FibIndex {
  let idx = indexCache.get(routes);
  if (idx === undefined) {
    idx = new FibIndex(routes);
    indexCache.set(routes, idx);
  }
  return idx;
}

/**
 * fibLookup is fib_lookup. Without custom rules the merged local+main trie is searched, then the default table
 * (253); with them (opts.customRules) the default rules look up local (255), main (254) and default in turn;
 * `opts.table` searches one table. In a trie the longest prefix containing `dst` wins, then (merged) local
 * routes before main ones, then the lowest metric, then dump order; routes failing `opts.usable` or
 * `opts.scope` are skipped and the search backtracks to shorter prefixes. Reject routes (blackhole,
 * unreachable, prohibit) are returned like any match: the caller turns them into EINVAL, EHOSTUNREACH and
 * EACCES (fibRejectErrno). No match is null, which `ip route get` reports as ENETUNREACH.
 */
export function fibLookup(routes: readonly Route[], dst: Ipv4, opts?: FibLookupOptions): Route | null {
  return fibIndex(routes).lookup(dst, opts);
}

/**
 * RouteSpec is an `ip route add/replace/append/prepend` request as parsed, before the defaults: `dev` is the
 * device name as typed (or an ifindex already resolved).
 */
export interface RouteSpec {
  readonly type?: RouteType;
  readonly dst: Cidr;
  readonly gateway?: Ipv4;
  readonly dev?: string | number;
  readonly table?: number;
  readonly proto?: number;
  readonly scope?: number;
  readonly prefsrc?: Ipv4;
  readonly metric?: number;
  readonly onlink?: boolean;
}

/** FibCheckResult is a completed route, or the exact line `ip route` prints and the errno behind it. */
export type FibCheckResult =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly error: string; readonly errno?: FibErrno };

/** FibCheckContext is what the validation reads from the namespace. */
export interface FibCheckContext {
  readonly links: Readonly<Record<number, Link>>;
  readonly routes: readonly Route[];
  /** customRules is FibLookupOptions.customRules for the lookups the validation makes. */
  readonly customRules?: boolean;
}

/** fib_props[type].scope: the narrowest scope a route type may have. */
const TYPE_MIN_SCOPE: Readonly<Record<RouteType, number>> = {
  unicast: RouteScope.Universe,
  local: RouteScope.Host,
  broadcast: RouteScope.Link,
  blackhole: RouteScope.Universe,
  unreachable: RouteScope.Universe,
  prohibit: RouteScope.Universe,
};

function fail(errno: FibErrno, msg?: string): FibCheckResult {
  return { ok: false, error: rtnlErrorLine(errno, msg), errno };
}

function isZeronet(a: Ipv4): boolean {
  return a >>> 24 === 0;
}

/**
 * inetAddrTypeTable is inet_addr_type_table (and inet_addr_type_dev_table, which passes no device on): the type
 * of `addr` in table `table`, `broadcast` for 0.0.0.0/8 and 255.255.255.255, `multicast` for 224.0.0.0/4,
 * otherwise the type of the route the lookup finds there, or `unicast` when it finds none or a reject route. An
 * address is `local` whichever device holds it.
 */
export function inetAddrTypeTable(
  routes: readonly Route[],
  addr: Ipv4,
  table: number = RouteTable.Local,
  opts?: { readonly customRules?: boolean },
): RouteType | 'multicast' {
  if (isZeronet(addr) || addr === 0xffffffff) return 'broadcast';
  if (addr >>> 28 === 0xe) return 'multicast';
  if (!fibTableExists(routes, table)) return 'broadcast';
  const r = fibLookup(routes, addr, { table, customRules: opts?.customRules });
  return r === null || isRejectType(r.type) ? 'unicast' : r.type;
}

/**
 * fibCheckNewRoute validates a new route as iproute2 and the kernel do, in their order, and fills in the
 * defaults: iproute2 resolves the device name (`Cannot find device "X"`), puts local/broadcast routes in the
 * local table and everything else in main, gives local routes scope host, broadcast routes and unicast routes
 * without a gateway scope link, the rest scope universe, protocol boot and metric 0. The kernel then rejects host
 * bits in the prefix (fib_valid_key_len) and runs fib_create_info: the type's minimum scope, no nexthop on
 * reject routes, no gateway with scope host, and fib_check_nh: an onlink gateway needs an up device and must not
 * be a local or broadcast address of it; any other gateway must be reached, through the given device if there is
 * one, by a route of scope link or host (a connected or a local route) of type unicast or local, and the route
 * takes that route's device; a route without a gateway needs an up device. Last, a prefsrc must be a local
 * address. The returned Route is what the kernel stores and dumps.
 */
export function fibCheckNewRoute(spec: RouteSpec, ctx: FibCheckContext): FibCheckResult {
  const type: RouteType = spec.type ?? 'unicast';
  let ifindex = 0;
  if (spec.dev !== undefined) {
    if (typeof spec.dev === 'number') ifindex = spec.dev;
    else {
      const link = Object.values(ctx.links).find((l) => l.name === spec.dev);
      if (link === undefined) return { ok: false, error: `Cannot find device "${spec.dev}"` };
      ifindex = link.ifindex;
    }
  }
  const gwGiven = spec.gateway !== undefined;
  // rtm_to_fib_config: RTA_GATEWAY 0.0.0.0 leaves the nexthop without a gateway.
  const gateway = spec.gateway ? spec.gateway : undefined;
  const table = spec.table ?? (type === 'local' || type === 'broadcast' ? RouteTable.Local : RouteTable.Main);
  let scope = spec.scope;
  if (scope === undefined) {
    if (type === 'local') scope = RouteScope.Host;
    else if (type === 'broadcast') scope = RouteScope.Link;
    else if (type === 'unicast' && !gwGiven) scope = RouteScope.Link;
    else scope = RouteScope.Universe;
  }
  const onlink = spec.onlink ?? false;
  const base = {
    table,
    type,
    dst: spec.dst,
    proto: spec.proto ?? RouteProto.Boot,
    scope,
    metric: spec.metric ?? 0,
    onlink,
    ...(spec.prefsrc ? { prefsrc: spec.prefsrc } : {}),
  };

  if (!fibValidKeyLen(spec.dst)) return fail('EINVAL', INVALID_PREFIX.msg);
  if (TYPE_MIN_SCOPE[type] > scope) return fail('EINVAL', 'Invalid scope');
  if (isRejectType(type)) {
    if (gateway !== undefined || ifindex !== 0) {
      return fail('EINVAL', 'Gateway, device and multipath can not be specified for this route type');
    }
    return { ok: true, route: base };
  }
  if (scope > RouteScope.Host) return fail('EINVAL', 'Invalid scope');

  let dev = ifindex;
  if (scope === RouteScope.Host) {
    if (gateway !== undefined) return fail('EINVAL', 'Route with host scope can not have a gateway');
    if (ctx.links[dev] === undefined) return fail('ENODEV');
  } else if (gateway !== undefined) {
    if (onlink) {
      if (scope >= RouteScope.Link) return fail('EINVAL', 'Nexthop has invalid scope');
      const link = ctx.links[dev];
      if (link === undefined) return fail('ENODEV', 'Nexthop device required for onlink');
      if (!link.adminUp) return fail('ENETDOWN', 'Nexthop device is not up');
      if (inetAddrTypeTable(ctx.routes, gateway, RouteTable.Local, ctx) !== 'unicast') {
        return fail('EINVAL', 'Nexthop has invalid gateway');
      }
    } else {
      const opts: FibLookupOptions = {
        customRules: ctx.customRules,
        scope: Math.max(scope + 1, RouteScope.Link),
        usable: ifindex !== 0 ? (r) => r.dev === ifindex : undefined,
      };
      let res: Route | null = null;
      if (table !== RouteTable.Main && fibTableExists(ctx.routes, table)) {
        res = fibLookup(ctx.routes, gateway, { ...opts, table });
        if (res !== null && isRejectType(res.type)) res = null;
      }
      if (res === null) res = fibLookup(ctx.routes, gateway, opts);
      if (res === null || isRejectType(res.type)) return fail('EINVAL', 'Nexthop has invalid gateway');
      if (res.type !== 'unicast' && res.type !== 'local') return fail('EINVAL', 'Nexthop has invalid gateway');
      if (res.dev === undefined) return fail('EINVAL', 'No egress device for nexthop gateway');
      dev = res.dev;
      if (!ctx.links[dev]?.adminUp) return fail('ENETDOWN');
    }
  } else {
    if (onlink) return fail('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set');
    const link = ctx.links[dev];
    if (link === undefined) return fail('ENODEV');
    if (!link.adminUp) return fail('ENETDOWN', 'Device for nexthop is not up');
  }

  if (spec.prefsrc && !fibValidPrefsrc(ctx, type, spec.dst, table, spec.prefsrc)) {
    return fail('EINVAL', 'Invalid prefsrc address');
  }
  return { ok: true, route: { ...base, dev, ...(gateway !== undefined ? { gateway } : {}) } };
}

/** fibValidPrefsrc says whether a prefsrc is a local address (fib_valid_prefsrc). */
function fibValidPrefsrc(ctx: FibCheckContext, type: RouteType, dst: Cidr, table: number, src: Ipv4): boolean {
  if (type === 'local' && dst.addr !== 0 && src === dst.addr) return true;
  const tb = table === RouteTable.Main ? RouteTable.Local : table;
  let t = inetAddrTypeTable(ctx.routes, src, tb, ctx);
  if (t !== 'local' && tb !== RouteTable.Local) t = inetAddrTypeTable(ctx.routes, src, RouteTable.Local, ctx);
  return t === 'local';
}
