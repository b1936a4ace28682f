// The IPv4 forwarding information base as Linux keeps it: net/ipv4/fib_trie.c (ordering, insert, delete,
// lookup), net/ipv4/fib_semantics.c (fib_create_info, fib_check_nh, fib_nh_match), net/ipv4/fib_frontend.c
// (fib_magic, fib_disable_ip) and the defaults of ip-route(8) (iproute2 ip/iproute.c).
//
// The routes live in a FibStore (src/model/fibstore.ts): per table and prefix length a hash map from the
// network address to the aliases of that prefix, ordered by metric (tos is not modelled, so always 0), equal
// metrics in insertion order. A table dumps in fib_trie key order: prefix address ascending (unsigned); for one
// address the longer prefix first (a leaf keeps its aliases sorted by suffix length). Tables follow each other
// in the order `ip route show table all` dumps them (fib_table_hash bucket = id & 255, ascending).
//
// Insert and delete cost O(1) in the size of the table; a lookup probes the prefix lengths present, longest
// first (a Calico node's main table has four or five), which is how fib_table_lookup's backtracking behaves
// when every alias of a longer match is rejected. Measured in bench/fib.ts.
//
// Lookup follows fib_lookup: until an `ip rule` is added the kernel keeps the local and main tables in one
// merged trie, so the longest prefix of either wins (a main 127.0.0.5/32 beats the local 127.0.0.0/8), and at
// one length local aliases come before main ones, then the default table if main has no answer; after that
// (fib_has_custom_rules, a rule list in the store) every lookup walks the rules as fib_rules_lookup and
// fib4_rule_action do (net/core/fib_rules.c, net/ipv4/fib_rules.c): the first matching rule whose table
// answers wins, and a `throw` route or a table without a match falls through to the next rule.

import type { Cidr, Ipv4 } from '../model/addr.js';
import { maskOf, networkOf } from '../model/addr.js';
import { FibStore } from '../model/fibstore.js';
import { makeRoute, RouteProto, RouteScope, RouteTable } from '../model/world.js';
import type { Link, Route, RouteType } from '../model/world.js';
import type { FibRule } from '../model/fibstore.js';

import { FibIndex, RT_TABLE_DEFAULT, fibCompare, isRejectType } from './fibindex.js';

export { RT_TABLE_DEFAULT, fibCompare, isRejectType };

/** FibErrno names the errno values the FIB code returns; the caller turns them into messages. */
export type FibErrno = 'EEXIST' | 'ESRCH' | 'ENOENT' | 'EINVAL' | 'ENODEV' | 'ENETDOWN' | 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES';

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

/**
 * FibInsertMode is the netlink flag set of the request: `add` is NLM_F_CREATE|NLM_F_EXCL, `replace`
 * NLM_F_CREATE|NLM_F_REPLACE, `append` NLM_F_CREATE|NLM_F_APPEND, `prepend` NLM_F_CREATE and `change`
 * NLM_F_REPLACE alone (ip-route(8) `ip route change`).
 */
export type FibInsertMode = 'add' | 'replace' | 'append' | 'prepend' | 'change';

/** fibRejectErrno is the error a lookup hitting a reject route returns (fib_props in fib_semantics.c). */
export function fibRejectErrno(type: RouteType): FibErrno | null {
  switch (type) {
    case 'blackhole':
      return 'EINVAL';
    case 'unreachable':
      return 'EHOSTUNREACH';
    case 'prohibit':
      return 'EACCES';
    case 'throw':
      return 'ENETUNREACH';
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
    a.onlink === b.onlink &&
    a.mtu === b.mtu &&
    !a.mtuLock === !b.mtuLock
  );
}

/**
 * fibRouteMtu is ipv4_mtu: the path MTU of a route whose device has MTU `devMtu`: the route's `mtu` metric when
 * it has one, else the device's; a learnt path MTU `pmtu` (a route exception) lowers it, except under
 * `mtu lock`, which learns none (__ip_rt_update_pmtu).
 */
export function fibRouteMtu(route: Route | undefined, devMtu: number, pmtu: number | undefined): number {
  let base = route?.mtu || devMtu;
  if (route?.mtuLock === true) {
    // A locked MTU without a value (`mtu lock 0`) through a gateway is at most 576.
    if (!route.mtu && route.gateway !== undefined && base > 576) base = 576;
    return base;
  }
  return pmtu === undefined ? base : Math.min(base, pmtu);
}

/** fibValidKeyLen says whether a prefix has no host bits set (fib_valid_key_len). */
export function fibValidKeyLen(dst: Cidr): boolean {
  return dst.len >= 0 && dst.len <= 32 && networkOf(dst.addr, dst.len) === dst.addr;
}

const INVALID_PREFIX: FibError = { ok: false, errno: 'EINVAL', msg: 'Invalid prefix for given prefix length' };

// ---------------------------------------------------------------------------------------------
// Interning: identical routes in different namespaces (a Calico node's route to every other
// node's block) share one object, which is what makes 25 million routes fit.

const INTERN_MAX = 1 << 20;
/** internTable maps a route's hash to the interned routes with that hash (almost always one). */
let internTable = new Map<number, Route | Route[]>();
let internCount = 0;

const ROUTE_TYPE_CODE: Readonly<Record<RouteType, number>> = {
  unicast: 1,
  local: 2,
  broadcast: 3,
  blackhole: 4,
  unreachable: 5,
  prohibit: 6,
  throw: 9,
};

function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193);
}

/** routeHash hashes every field internRoute compares (an absent gateway, device or prefsrc differs from 0). */
function routeHash(r: Route): number {
  let h = mix(0x811c9dc5, r.table);
  h = mix(h, ROUTE_TYPE_CODE[r.type] ?? 0);
  h = mix(h, r.dst.addr | 0);
  h = mix(h, r.dst.len);
  h = mix(h, r.gateway === undefined ? -1 : r.gateway | 0);
  h = mix(h, r.dev === undefined ? -1 : r.dev);
  h = mix(h, r.proto);
  h = mix(h, r.scope);
  h = mix(h, r.prefsrc === undefined ? -1 : r.prefsrc | 0);
  h = mix(h, r.metric);
  h = mix(h, r.mtu === undefined ? -1 : r.mtu | 0);
  h = mix(h, r.mtuLock ? 1 : 0);
  return mix(h, r.onlink ? 1 : 0);
}

function sameRoute(a: Route, b: Route): boolean {
  return (
    a.table === b.table &&
    a.type === b.type &&
    a.dst.addr === b.dst.addr &&
    a.dst.len === b.dst.len &&
    a.gateway === b.gateway &&
    a.dev === b.dev &&
    a.proto === b.proto &&
    a.scope === b.scope &&
    a.prefsrc === b.prefsrc &&
    a.metric === b.metric &&
    !a.onlink === !b.onlink &&
    a.mtu === b.mtu &&
    !a.mtuLock === !b.mtuLock
  );
}

/** internRoute returns the shared object equal to `r`, built with makeRoute. */
export function internRoute(r: Route): Route {
  const h = routeHash(r);
  const found = internTable.get(h);
  if (found !== undefined) {
    if (!Array.isArray(found)) {
      if (sameRoute(found as Route, r)) return found as Route;
    } else {
      for (const x of found as Route[]) if (sameRoute(x, r)) return x;
    }
  }
  // A bounded table: when full it starts again; routes already shared stay shared.
  if (internCount >= INTERN_MAX) {
    internTable = new Map();
    internCount = 0;
  }
  const v = makeRoute(r);
  const again = internTable.get(h);
  if (again === undefined) internTable.set(h, v);
  else if (Array.isArray(again)) (again as Route[]).push(v);
  else internTable.set(h, [again as Route, v]);
  internCount++;
  return v;
}

/**
 * fibInsert adds a route as fib_table_insert does. A route's key is (table, prefix, tos, metric): `add` of an
 * existing key fails with EEXIST; `append` goes after the routes of its key and `prepend` before them, both
 * failing with EEXIST when an identical route (fibInfoEqual) is already there; `replace` overwrites the first
 * route of the key (EEXIST if an identical route sits further down the key, a no-op if it is the first) or
 * inserts when the key is new; `change` is `replace` that fails with ENOENT instead of inserting. A prefix with
 * host bits set is EINVAL `Invalid prefix for given prefix length`. The store must not be frozen.
 */
export function fibInsert(store: FibStore, route: Route, mode: FibInsertMode): FibError | null {
  // inet_rtm_newroute creates the table (fib_new_table) before fib_table_insert checks anything.
  store.createTable(route.table);
  if (!fibValidKeyLen(route.dst)) return INVALID_PREFIX;
  const r = internRoute(route);
  const list = store.aliases(r.table, r.dst.addr, r.dst.len);
  let first = 0;
  while (first < list.length && list[first].metric < r.metric) first++;
  let end = first;
  while (end < list.length && list[end].metric === r.metric) end++;
  const put = (at: number, del: number): null => {
    const next = list.slice();
    next.splice(at, del, r);
    store.setAliases(r.table, r.dst.addr, r.dst.len, next);
    return null;
  };
  if (first === end) {
    if (mode === 'change') return { ok: false, errno: 'ENOENT' };
    return put(first, 0);
  }
  if (mode === 'add') return { ok: false, errno: 'EEXIST' };
  let match = -1;
  for (let i = first; i < end; i++) {
    if (fibInfoEqual(list[i], r)) {
      match = i;
      break;
    }
  }
  if (mode === 'replace' || mode === 'change') {
    if (match === first) return null;
    if (match >= 0) return { ok: false, errno: 'EEXIST' };
    return put(first, 1);
  }
  if (match >= 0) return { ok: false, errno: 'EEXIST' };
  return put(mode === 'append' ? end : first, 0);
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
 * fibTableExists is fib_get_table: main and local always exist, any other table once a request to add a route
 * to it was made (fib_new_table), and it stays after its last route is deleted or flushed. Table 0 is main.
 */
export function fibTableExists(store: FibStore, table: number): boolean {
  return store.tableExists(table === 0 ? RouteTable.Main : table);
}

/**
 * fibDelete removes the first route, in dump order, of the match's table and prefix whose other fields agree
 * (fib_table_delete) and returns it. No such route is ESRCH (`RTNETLINK answers: No such process`); a prefix
 * with host bits is EINVAL `Invalid prefix for given prefix length`; an unknown table is ESRCH `FIB table does
 * not exist`. The store must not be frozen.
 */
export function fibDelete(store: FibStore, match: RouteMatch): FibError | Route {
  if (!fibTableExists(store, match.table)) return { ok: false, errno: 'ESRCH', msg: 'FIB table does not exist' };
  if (!fibValidKeyLen(match.dst)) return INVALID_PREFIX;
  const list = store.aliases(match.table, match.dst.addr, match.dst.len);
  for (let i = 0; i < list.length; i++) {
    if (fibRouteMatches(list[i], match)) {
      const next = list.slice();
      next.splice(i, 1);
      store.setAliases(match.table, match.dst.addr, match.dst.len, next);
      return list[i];
    }
  }
  return { ok: false, errno: 'ESRCH' };
}

/**
 * fibFlushDev removes the routes whose nexthop is device `ifindex`, as fib_sync_down_dev and fib_flush do.
 * When the device goes down (`force` false) routes of scope host survive (their nexthop scope is
 * RT_SCOPE_NOWHERE), which keeps `local` address routes; when it is unregistered or moved to another namespace,
 * or its last IPv4 address is deleted (`force` true), every route through it goes. It returns how many went.
 */
export function fibFlushDev(store: FibStore, ifindex: number, force = false): number {
  return fibRemoveWhere(store, (r) => r.dev === ifindex && (force || r.scope !== RouteScope.Host));
}

/** fibRemoveWhere removes every route for which `gone` holds and returns how many went. */
export function fibRemoveWhere(store: FibStore, gone: (r: Route) => boolean): number {
  const changes: [number, Route, readonly Route[]][] = [];
  for (const table of store.tableIds()) {
    for (const r of store.dump(table)) {
      if (!gone(r)) continue;
      const list = store.aliases(table, r.dst.addr, r.dst.len);
      if (changes.length > 0) {
        const last = changes[changes.length - 1];
        if (last[0] === table && last[1].dst.addr === r.dst.addr && last[1].dst.len === r.dst.len) continue;
      }
      changes.push([table, r, list.filter((x) => !gone(x))]);
    }
  }
  let n = 0;
  for (const [table, r, keep] of changes) {
    n += store.aliases(table, r.dst.addr, r.dst.len).length - keep.length;
    store.setAliases(table, r.dst.addr, r.dst.len, keep);
  }
  return n;
}

/** FibLookupOptions narrow a lookup. */
export interface FibLookupOptions {
  /**
   * table restricts the lookup to one table (fib_table_lookup); without it the default rules are followed.
   * While the tables are merged, local and main are one trie, so asking for either searches both.
   */
  readonly table?: number;
  /**
   * oif is flowi4_oif: a unicast/local/broadcast route whose nexthop device is another one is skipped and the
   * search backtracks to shorter prefixes (fib_table_lookup). Blackhole/unreachable/prohibit routes, which the
   * kernel returns before it looks at any nexthop, are never skipped. fib_check_nh uses it for `dev DEV`.
   */
  readonly oif?: number;
  /** scope is flowi4_scope: routes of a narrower scope number (fib_scope < scope) are skipped. */
  readonly scope?: number;
  /**
   * customRules says an `ip rule` was ever added in the namespace (fib_has_custom_rules). Until then the kernel
   * keeps the local and main tables in one trie and a lookup takes the longest prefix of both (a main /32 beats
   * the local 127.0.0.0/8); afterwards (fib_unmerge) the rules look up local, then main, then default.
   */
  readonly customRules?: boolean;
}

/** acceptable applies the alias checks of fib_table_lookup in their order: scope, reject type, nexthop. */
function acceptable(r: Route, opts: FibLookupOptions | undefined): boolean {
  if (opts === undefined) return true;
  if (opts.scope !== undefined && r.scope < opts.scope) return false;
  if (isRejectType(r.type)) return true;
  return opts.oif === undefined || opts.oif === 0 || r.dev === opts.oif;
}

/** lookupTable is fib_table_lookup over one table: the longest acceptable prefix containing `dst`. */
function lookupTable(store: FibStore, table: number, dst: Ipv4, opts: FibLookupOptions | undefined): Route | null {
  for (const len of store.lengths(table)) {
    const list = store.probe(table, (dst & maskOf(len)) >>> 0, len);
    if (list === undefined) continue;
    for (const r of list) if (acceptable(r, opts)) return r;
  }
  return null;
}

/** lookupMerged searches the merged local+main trie: at each length local aliases, then main ones. */
function lookupMerged(store: FibStore, dst: Ipv4, opts: FibLookupOptions | undefined): Route | null {
  const local = store.lengths(RouteTable.Local);
  const main = store.lengths(RouteTable.Main);
  let i = 0;
  let j = 0;
  while (i < local.length || j < main.length) {
    const len = i < local.length && (j >= main.length || local[i] >= main[j]) ? local[i] : main[j];
    const net = (dst & maskOf(len)) >>> 0;
    if (i < local.length && local[i] === len) {
      i++;
      const list = store.probe(RouteTable.Local, net, len);
      if (list !== undefined) for (const r of list) if (acceptable(r, opts)) return r;
    }
    if (j < main.length && main[j] === len) {
      j++;
      const list = store.probe(RouteTable.Main, net, len);
      if (list !== undefined) for (const r of list) if (acceptable(r, opts)) return r;
    }
  }
  return null;
}

/**
 * fibLookup is fib_lookup. Without custom rules the merged local+main trie is searched, then, when it has no
 * answer or a `throw` route answers, the default table (253) if it exists. Once an `ip rule` was added or
 * deleted (the store has a rule list) the rules are walked (fibRulesLookup) with the flow's source address
 * `saddr`, input device `iif` (the name; `lo` for locally generated packets, as ip_route_output_key_hash sets
 * LOOPBACK_IFINDEX), output device `oif` (the name, when the socket or `ping -I` binds one), `mark` and `tos`;
 * a namespace with the default rules ignores them. `opts.table` searches one table (fib_table_lookup). In a
 * trie the longest prefix containing `dst` wins, then (merged) local routes before main ones, then the lowest
 * metric, then dump order; routes of another device than `opts.oif` or `opts.scope` are skipped and the search
 * backtracks to shorter prefixes. Reject routes (blackhole, unreachable, prohibit) are returned like any match
 * (a rule's blackhole or prohibit action returns such a route too, of table 0): the caller turns them into
 * EINVAL, EHOSTUNREACH and EACCES (fibRejectErrno). A `throw` route is never returned: it continues the search
 * as -EAGAIN does. No match is null, which `ip route get` reports as ENETUNREACH.
 */
export function fibLookup(
  store: FibStore,
  dst: Ipv4,
  opts?: FibLookupOptions,
  saddr: Ipv4 = 0,
  iif?: string,
  oif?: string,
  mark = 0,
  tos = 0,
): Route | null {
  const rules = store.rules;
  if (rules !== null) {
    const table = opts?.table;
    if (table !== undefined) return unthrow(lookupTable(store, table === 0 ? RouteTable.Main : table, dst, opts));
    return fibRulesLookup(store, rules, dst, opts, saddr, iif ?? 'lo', oif, mark, tos);
  }
  if (opts === undefined) {
    // The data path looks the same few destinations up again and again: answers are kept until the FIB changes.
    const known = store.answer(dst);
    if (known !== undefined) return known;
    const r = fibLookupUncached(store, dst, undefined);
    store.remember(dst, r);
    return r;
  }
  return fibLookupUncached(store, dst, opts);
}

function unthrow(r: Route | null): Route | null {
  return r !== null && r.type === 'throw' ? null : r;
}

/** ruleReject builds the route a rule action returns: its type carries the errno (fib4_rule_action). */
function ruleReject(type: RouteType): Route {
  return makeRoute({ table: 0, type, dst: { addr: 0, len: 0 }, proto: 0, scope: RouteScope.Universe, metric: 0, onlink: false });
}

const RULE_BLACKHOLE = ruleReject('blackhole');
const RULE_PROHIBIT = ruleReject('prohibit');

/**
 * fibRuleMatches is fib_rule_match with fib4_rule_match: input and output device (by name: the kernel follows
 * a rule's device name as devices come, go and are renamed), fwmark under its mask, then source and
 * destination prefixes and TOS; `not` inverts the answer.
 */
export function fibRuleMatches(
  rule: FibRule,
  dst: Ipv4,
  saddr: Ipv4,
  iif: string | undefined,
  oif: string | undefined,
  mark: number,
  tos: number,
): boolean {
  let ok = true;
  if (rule.iifname !== null && rule.iifname !== iif) ok = false;
  else if (rule.oifname !== null && rule.oifname !== oif) ok = false;
  else if (((rule.mark ^ mark) & rule.markMask) !== 0) ok = false;
  else if (((saddr ^ rule.src) & maskOf(rule.srcLen)) !== 0 || ((dst ^ rule.dst) & maskOf(rule.dstLen)) !== 0) ok = false;
  else if (rule.tos !== 0 && rule.tos !== tos) ok = false;
  return rule.invert ? !ok : ok;
}

/**
 * fibRulesLookup is fib_rules_lookup over fib4_rule_action: rules in order; a matching rule's blackhole,
 * unreachable or prohibit action ends the walk with EINVAL, ENETUNREACH (null) or EACCES; a `lookup` searches
 * its table if the table exists. No match or a `throw` route there (-EAGAIN), or an answer whose prefix is no
 * longer than the rule's suppress_prefixlength (fib4_rule_suppress), continues with the next rule; any other
 * answer, reject routes included, ends the walk. When no rule answers the lookup fails (ENETUNREACH).
 */
function fibRulesLookup(
  store: FibStore,
  rules: readonly FibRule[],
  dst: Ipv4,
  opts: FibLookupOptions | undefined,
  saddr: Ipv4,
  iif: string | undefined,
  oif: string | undefined,
  mark: number,
  tos: number,
): Route | null {
  for (const rule of rules) {
    if (!fibRuleMatches(rule, dst, saddr, iif, oif, mark, tos)) continue;
    switch (rule.action) {
      case 'blackhole':
        return RULE_BLACKHOLE;
      case 'prohibit':
        return RULE_PROHIBIT;
      case 'unreachable':
        return null;
      default:
        break;
    }
    const table = rule.table === 0 ? RouteTable.Main : rule.table;
    if (!store.tableExists(table)) continue;
    const r = lookupTable(store, table, dst, opts);
    if (r === null || r.type === 'throw') continue;
    if (!isRejectType(r.type) && r.dst.len <= rule.suppressPrefixlen) continue;
    return r;
  }
  return null;
}

function fibLookupUncached(store: FibStore, dst: Ipv4, opts: FibLookupOptions | undefined): Route | null {
  const index = indexFor(store);
  if (index !== null) return plainResult(store, index.lookup(dst, opts), dst, opts);
  const merged = opts?.customRules !== true;
  const table = opts?.table;
  if (table !== undefined) {
    if (merged && (table === RouteTable.Local || table === RouteTable.Main || table === 0)) {
      return unthrow(lookupMerged(store, dst, opts));
    }
    return unthrow(lookupTable(store, table, dst, opts));
  }
  if (merged) return plainResult(store, lookupMerged(store, dst, opts), dst, opts);
  return (
    unthrow(lookupTable(store, RouteTable.Local, dst, opts)) ??
    unthrow(lookupTable(store, RouteTable.Main, dst, opts)) ??
    unthrow(lookupTable(store, RT_TABLE_DEFAULT, dst, opts))
  );
}

/**
 * plainResult finishes fib_lookup without custom rules: when the merged trie has no answer or answers with a
 * `throw` route (-EAGAIN), the default table, if it exists, is searched instead. `r` is what the merged trie
 * (or the index, which also covers the default table for a plain lookup) answered.
 */
function plainResult(store: FibStore, r: Route | null, dst: Ipv4, opts: FibLookupOptions | undefined): Route | null {
  if (opts?.table !== undefined) return unthrow(r);
  if (r !== null && r.type !== 'throw') return r;
  if (r !== null && r.table === RT_TABLE_DEFAULT) return null;
  if (!store.tableExists(RT_TABLE_DEFAULT)) return null;
  return unthrow(lookupTable(store, RT_TABLE_DEFAULT, dst, opts));
}

/** IndexState is what fibLookup remembers of a store: the version it counted lookups of, and the index if built. */
interface IndexState {
  version: number;
  lookups: number;
  index: FibIndex | null;
}

const indexes = new WeakMap<FibStore, IndexState>();

/** INDEX_MIN_LENGTHS is how many prefix lengths a store's local+main tables must hold before an interval index pays. */
const INDEX_MIN_LENGTHS = 8;

/**
 * indexFor returns an interval index of the store's current version once the store has many prefix
 * lengths and has answered enough lookups since it last changed to pay for building one (64 plus one in
 * 64 routes); until then lookups probe the per-length hash maps. A Calico node's tables have four or
 * five lengths and never build one.
 */
function indexFor(store: FibStore): FibIndex | null {
  if (store.lengths(RouteTable.Local).length + store.lengths(RouteTable.Main).length < INDEX_MIN_LENGTHS) return null;
  let st = indexes.get(store);
  if (st === undefined || st.version !== store.version) {
    st = { version: store.version, lookups: 0, index: null };
    indexes.set(store, st);
  }
  if (st.index !== null) return st.index;
  if (++st.lookups < 64 + store.size / 64) return null;
  st.index = new FibIndex(store.all());
  return st.index;
}

/** fibDump lists one table's routes in dump order. */
export function fibDump(store: FibStore, table: number): readonly Route[] {
  return store.dump(table);
}

/** fibFromRoutes builds a store holding `routes`, each added after the routes of its key given before it. */
export function fibFromRoutes(routes: Iterable<Route>): FibStore {
  const s = new FibStore();
  for (const r0 of routes) {
    const r = internRoute(r0);
    const list = s.aliases(r.table, r.dst.addr, r.dst.len);
    let at = list.length;
    while (at > 0 && list[at - 1].metric > r.metric) at--;
    const next = list.slice();
    next.splice(at, 0, r);
    s.setAliases(r.table, r.dst.addr, r.dst.len, next);
  }
  return s;
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
  /** mtu is the RTAX_MTU metric; mtuLock its RTAX_LOCK bit. */
  readonly mtu?: number;
  readonly mtuLock?: boolean;
}

/** FibCheckResult is a completed route, or the exact line `ip route` prints and the errno behind it. */
export type FibCheckResult =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly error: string; readonly errno?: FibErrno };

/** FibCheckContext is what the validation reads from the namespace. */
export interface FibCheckContext {
  readonly links: ReadonlyMap<number, Link>;
  readonly linkNames: ReadonlyMap<string, number>;
  readonly fib: FibStore;
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
  throw: RouteScope.Universe,
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
  store: FibStore,
  addr: Ipv4,
  table: number = RouteTable.Local,
  opts?: { readonly customRules?: boolean },
): RouteType | 'multicast' {
  if (isZeronet(addr) || addr === 0xffffffff) return 'broadcast';
  if (addr >>> 28 === 0xe) return 'multicast';
  if (!fibTableExists(store, table)) return 'broadcast';
  const r = fibLookup(store, addr, { table, customRules: opts?.customRules });
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
      const found = ctx.linkNames.get(spec.dev);
      if (found === undefined) return { ok: false, error: `Cannot find device "${spec.dev}"` };
      ifindex = found;
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
  const base = makeRoute({
    table,
    type,
    dst: spec.dst,
    proto: spec.proto ?? RouteProto.Boot,
    scope,
    metric: spec.metric ?? 0,
    onlink,
    prefsrc: spec.prefsrc ? spec.prefsrc : undefined,
    // ip_metrics_convert caps RTAX_MTU at 65535 - 15; a zero metric is not kept, but its RTAX_LOCK bit is
    // (`mtu lock 0` dumps as such).
    mtu: spec.mtu ? Math.min(spec.mtu, 65520) : spec.mtu === 0 && spec.mtuLock === true ? 0 : undefined,
    mtuLock: spec.mtu !== undefined && spec.mtuLock === true ? true : undefined,
  });

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
    if (ctx.links.get(dev) === undefined) return fail('ENODEV');
  } else if (gateway !== undefined) {
    if (onlink) {
      if (scope >= RouteScope.Link) return fail('EINVAL', 'Nexthop has invalid scope');
      const link = ctx.links.get(dev);
      if (link === undefined) return fail('ENODEV', 'Nexthop device required for onlink');
      if (!link.adminUp) return fail('ENETDOWN', 'Nexthop device is not up');
      if (inetAddrTypeTable(ctx.fib, gateway, RouteTable.Local, ctx) !== 'unicast') {
        return fail('EINVAL', 'Nexthop has invalid gateway');
      }
    } else {
      const opts: FibLookupOptions = {
        customRules: ctx.customRules,
        scope: Math.max(scope + 1, RouteScope.Link),
        oif: ifindex !== 0 ? ifindex : undefined,
      };
      let res: Route | null = null;
      if (table !== RouteTable.Main && fibTableExists(ctx.fib, table)) {
        res = fibLookup(ctx.fib, gateway, { ...opts, table });
        if (res !== null && isRejectType(res.type)) res = null;
      }
      if (res === null) res = fibLookup(ctx.fib, gateway, opts);
      if (res === null || isRejectType(res.type)) return fail('EINVAL', 'Nexthop has invalid gateway');
      if (res.type !== 'unicast' && res.type !== 'local') return fail('EINVAL', 'Nexthop has invalid gateway');
      if (res.dev === undefined) return fail('EINVAL', 'No egress device for nexthop gateway');
      dev = res.dev;
      if (!ctx.links.get(dev)?.adminUp) return fail('ENETDOWN');
    }
  } else {
    if (onlink) return fail('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set');
    const link = ctx.links.get(dev);
    if (link === undefined) return fail('ENODEV');
    if (!link.adminUp) return fail('ENETDOWN', 'Device for nexthop is not up');
  }

  if (spec.prefsrc && !fibValidPrefsrc(ctx, type, spec.dst, table, spec.prefsrc)) {
    return fail('EINVAL', 'Invalid prefsrc address');
  }
  return { ok: true, route: makeRoute({ ...base, dev, gateway }) };
}

/** fibValidPrefsrc says whether a prefsrc is a local address (fib_valid_prefsrc). */
function fibValidPrefsrc(ctx: FibCheckContext, type: RouteType, dst: Cidr, table: number, src: Ipv4): boolean {
  if (type === 'local' && dst.addr !== 0 && src === dst.addr) return true;
  const tb = table === RouteTable.Main ? RouteTable.Local : table;
  let t = inetAddrTypeTable(ctx.fib, src, tb, ctx);
  if (t !== 'local' && tb !== RouteTable.Local) t = inetAddrTypeTable(ctx.fib, src, RouteTable.Local, ctx);
  return t === 'local';
}
