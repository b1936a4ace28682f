// Source address selection and the routes that follow IPv4 addresses: net/ipv4/devinet.c (inet_select_addr,
// __inet_insert_ifa, __inet_del_ifa), net/ipv4/fib_semantics.c (fib_result_prefsrc), net/ipv4/fib_frontend.c
// (fib_add_ifaddr, fib_del_ifaddr, fib_inetaddr_event, fib_netdev_event) and net/ipv4/route.c
// (ip_route_output_key_hash_rcu), as `ip route get`, `ip addr` and `ip route show table all` show them.

import { networkOf, maskOf } from '../model/addr.js';
import type { Ipv4 } from '../model/addr.js';
import type { FibStore } from '../model/fibstore.js';
import { makeRoute, RouteProto, RouteScope, RouteTable } from '../model/world.js';
import type { IfAddr, Link, Route, RouteType } from '../model/world.js';
import { fibDelete, fibFlushDev, fibInsert, fibRemoveWhere, inetAddrTypeTable } from './fib.js';

/** AddrContext is what source selection reads: the namespace's addresses and its dev_base list order. */
export interface AddrContext {
  readonly addrs: readonly IfAddr[];
  /** devList lists ifindexes in the order devices were registered in, or moved into, the namespace. */
  readonly devList: readonly number[];
}

/** ifaAddress is an address's ifa_address: its peer when it has one, else its local address. */
export function ifaAddress(ifa: IfAddr): Ipv4 {
  return ifa.address ?? ifa.local;
}

/** inetIfaMatch says whether `a` lies in the subnet of an address, the peer's prefix for a peer address (inet_ifa_match). */
export function inetIfaMatch(a: Ipv4, ifa: IfAddr): boolean {
  return networkOf(a, ifa.prefixlen) === networkOf(ifaAddress(ifa), ifa.prefixlen);
}

/**
 * inetSelectAddr is inet_select_addr: the source address for talking to `dst` out of device `ifindex` at route
 * scope `scope`. It takes the first primary address of the device whose scope is not narrower than `scope`
 * (a larger scope number is narrower; 127.0.0.1 is scope host) and whose subnet contains `dst`, else the first
 * such primary; when the device has none, the first primary of any device, walking the namespace's dev_base
 * list (registration order; a device moved in goes last), whose scope is neither link nor narrower than
 * `scope`. `dst` 0 means "any". The answer is 0 when nothing fits. The route_localnet sysctl and VRF masters
 * are not modelled.
 */
export function inetSelectAddr(ctx: AddrContext, ifindex: number | undefined, dst: Ipv4, scope: number): Ipv4 {
  const addrs = ctx.addrs;
  let addr = 0;
  if (ifindex !== undefined) {
    for (const ifa of addrs) {
      if (ifa.ifindex !== ifindex || ifa.secondary) continue;
      if (Math.min(ifa.scope, RouteScope.Host) > scope) continue;
      if (!dst || inetIfaMatch(dst, ifa)) return ifa.local;
      if (!addr) addr = ifa.local;
    }
    if (addr) return addr;
  }
  for (const dev of ctx.devList) {
    for (const ifa of addrs) {
      if (ifa.ifindex !== dev || ifa.secondary) continue;
      if (ifa.scope !== RouteScope.Link && ifa.scope <= scope) return ifa.local;
    }
  }
  return 0;
}

/**
 * fibResultPrefsrc is fib_result_prefsrc: a route's own prefsrc, else the address inet_select_addr picks on the
 * route's device for its gateway (0 for a connected route, so the device's first primary wins, not the one
 * containing the destination) at the route's scope. 0 when there is none.
 */
export function fibResultPrefsrc(route: Route, ctx: AddrContext): Ipv4 {
  if (route.prefsrc) return route.prefsrc;
  return inetSelectAddr(ctx, route.dev, route.gateway ?? 0, route.scope);
}

/**
 * ipRouteOutputSaddr is the source address `ip route get DST` prints for a route found for `dst` when the
 * caller gave none (ip_route_output_key_hash_rcu): for a local route its prefsrc or `dst` itself, otherwise
 * fibResultPrefsrc.
 */
export function ipRouteOutputSaddr(route: Route, dst: Ipv4, ctx: AddrContext): Ipv4 {
  if (route.type === 'local') return route.prefsrc || dst;
  return fibResultPrefsrc(route, ctx);
}

/** primaryOf finds the primary address a secondary belongs to (inet_ifa_byprefix), or undefined. */
function primaryOf(ifa: IfAddr, addrs: readonly IfAddr[]): IfAddr | undefined {
  if (!ifa.secondary) return ifa;
  const prefix = networkOf(ifaAddress(ifa), ifa.prefixlen);
  return addrs.find((a) => a.ifindex === ifa.ifindex && !a.secondary && a.prefixlen === ifa.prefixlen && inetIfaMatch(prefix, a));
}

/** magic builds one route as fib_magic does: protocol kernel, the primary's address as prefsrc. */
function magic(type: RouteType, dst: Ipv4, len: number, prim: IfAddr, metric = 0): Route {
  return makeRoute({
    table: type === 'unicast' ? RouteTable.Main : RouteTable.Local,
    type,
    dst: { addr: dst, len },
    dev: prim.ifindex,
    proto: RouteProto.Kernel,
    scope: type === 'local' ? RouteScope.Host : RouteScope.Link,
    prefsrc: prim.local,
    metric,
    onlink: false,
  });
}

function isZeronet(a: Ipv4): boolean {
  return a >>> 24 === 0;
}

/**
 * addrRoutes lists, in the order fib_add_ifaddr creates them, the routes an address brings: `local ADDR` in the
 * local table (scope host, always, even on a down device); then, only while the device is up, `broadcast BRD`
 * for an explicit broadcast address other than 255.255.255.255, and for a primary address outside 0.0.0.0/8
 * that is not a /32 the prefix route (`PREFIX dev DEV proto kernel scope link src ADDR` in main, or `local
 * PREFIX … scope host` in the local table on a loopback device) and, below /31, `broadcast` of the subnet's
 * last address; an address flagged noprefixroute brings no prefix route (but its broadcast routes), and one
 * with a metric (IFA_RT_PRIORITY) gives its prefix route that metric. The kernel no longer adds a broadcast
 * route for the network address. A secondary address
 * brings its local route (and explicit broadcast) with its primary's address as src, and no prefix route; pass
 * `addrs` (the namespace's addresses, `ifa` included) so its primary can be found. Without `addrs` a secondary
 * stands in for its own primary, so its local route carries its own address as src.
 */
export function addrRoutes(ifa: IfAddr, link: Link, addrs?: readonly IfAddr[]): Route[] {
  const prim = addrs === undefined ? ifa : primaryOf(ifa, addrs);
  // fib_add_ifaddr gives up ("bug: prim == NULL") when a secondary has no primary.
  if (prim === undefined) return [];
  const out: Route[] = [magic('local', ifa.local, 32, prim)];
  if (!link.adminUp) return out;
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff) out.push(magic('broadcast', ifa.broadcast, 32, prim));
  // The prefix is the peer's for a point-to-point address (ifa_address & ifa_mask).
  const prefix = networkOf(ifaAddress(ifa), ifa.prefixlen);
  if (!isZeronet(prefix) && !ifa.secondary && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (ifa.noprefixroute !== true)
      out.push(magic(link.kind === 'loopback' ? 'local' : 'unicast', prefix, ifa.prefixlen, prim, ifa.metric ?? 0));
    if (ifa.prefixlen < 31) out.push(magic('broadcast', (prefix | ~maskOf(ifa.prefixlen)) >>> 0, 32, prim));
  }
  return out;
}

/**
 * fibAddIfaddr inserts an address's routes as fib_magic does (NLM_F_CREATE|NLM_F_APPEND, an identical route
 * already present is left alone). `addrs` already holds `ifa`.
 */
export function fibAddIfaddr(fib: FibStore, ifa: IfAddr, link: Link, addrs: readonly IfAddr[]): void {
  for (const r of addrRoutes(ifa, link, addrs)) fibInsert(fib, r, 'append');
}

/**
 * fibNetdevUp is fib_netdev_event(NETDEV_UP): when a device comes up the routes of each of its addresses are
 * added again, in address list order (the local routes, which survived the down, stay where they are).
 */
export function fibNetdevUp(fib: FibStore, link: Link, addrs: readonly IfAddr[]): void {
  for (const ifa of addrs) if (ifa.ifindex === link.ifindex) fibAddIfaddr(fib, ifa, link, addrs);
}

/** magicDelete is fib_magic(RTM_DELROUTE, …): it removes the first matching kernel route, if any. */
function magicDelete(fib: FibStore, type: RouteType, dst: Ipv4, len: number, prim: IfAddr, metric?: number): void {
  const m = magic(type, dst, len, prim);
  fibDelete(fib, {
    table: m.table,
    dst: m.dst,
    type,
    dev: m.dev,
    proto: m.proto,
    scope: m.scope,
    prefsrc: m.prefsrc,
    ...(metric !== undefined ? { metric } : {}),
  });
}

/**
 * fibDelIfaddr is fib_del_ifaddr followed by the rest of fib_inetaddr_event(NETDEV_DOWN), for an address
 * already removed from `addrs` (no promotion of secondaries). It removes the prefix route of a primary, the
 * broadcast routes and the local route unless another remaining address of the device still needs them, then,
 * once the address is no longer local anywhere, the main-table routes that had it as prefsrc
 * (fib_sync_down_addr), and when the device has no address left every route through it (fib_disable_ip with
 * force).
 */
export function fibDelIfaddr(fib: FibStore, ifa: IfAddr, link: Link, addrs: readonly IfAddr[]): void {
  const LOCAL_OK = 1;
  const BRD_OK = 2;
  const BRD0_OK = 4;
  const BRD1_OK = 8;
  const mask = maskOf(ifa.prefixlen);
  const any = networkOf(ifaAddress(ifa), ifa.prefixlen);
  const brd = (any | ~mask) >>> 0;
  const ifaBrd = ifa.broadcast ?? 0;
  const devAddrs = addrs.filter((a) => a.ifindex === ifa.ifindex);
  let subnet = false;
  let prim: IfAddr | undefined = ifa;
  if (ifa.secondary) {
    prim = primaryOf(ifa, devAddrs);
    if (prim === undefined) return;
  } else if (!isZeronet(any) && (any !== ifa.local || ifa.prefixlen < 32)) {
    if (ifa.noprefixroute !== true)
      magicDelete(fib, link.kind === 'loopback' ? 'local' : 'unicast', any, ifa.prefixlen, prim, ifa.metric ?? 0);
    subnet = true;
  }

  // Scan the remaining addresses to be sure what is really gone.
  let ok = 0;
  let samePrefsrc = false;
  let prim1: IfAddr | undefined;
  for (const ifa1 of devAddrs) {
    if (ifa1.secondary) {
      if (ifa1.prefixlen === prim.prefixlen && inetIfaMatch(ifaAddress(ifa1), prim)) prim1 = prim;
      else {
        if (!samePrefsrc) continue;
        if (prim1 === undefined || ifa1.prefixlen !== prim1.prefixlen || !inetIfaMatch(ifaAddress(ifa1), prim1)) {
          prim1 = primaryOf(ifa1, devAddrs);
        }
        if (prim1 === undefined || prim1.local !== prim.local) continue;
      }
    } else {
      if (prim.local !== ifa1.local) continue;
      prim1 = ifa1;
      if (prim !== prim1) samePrefsrc = true;
    }
    const brd1Of = ifa1.broadcast ?? 0;
    if (ifa.local === ifa1.local) ok |= LOCAL_OK;
    if (ifaBrd === brd1Of) ok |= BRD_OK;
    if (brd === brd1Of) ok |= BRD1_OK;
    if (any === brd1Of) ok |= BRD0_OK;
    // A primary has subnet-specific broadcasts.
    if (prim1 === ifa1 && ifa1.prefixlen < 31) {
      const any1 = networkOf(ifaAddress(ifa1), ifa1.prefixlen);
      const brd1 = (any1 | ~maskOf(ifa1.prefixlen)) >>> 0;
      if (!isZeronet(any1)) {
        if (ifaBrd === brd1 || ifaBrd === any1) ok |= BRD_OK;
        if (brd === brd1 || brd === any1) ok |= BRD1_OK;
        if (any === brd1 || any === any1) ok |= BRD0_OK;
      }
    }
  }

  if (!(ok & BRD_OK)) magicDelete(fib, 'broadcast', ifaBrd, 32, prim);
  if (subnet && ifa.prefixlen < 31) {
    if (!(ok & BRD1_OK)) magicDelete(fib, 'broadcast', brd, 32, prim);
    if (!(ok & BRD0_OK)) magicDelete(fib, 'broadcast', any, 32, prim);
  }
  if (!(ok & LOCAL_OK)) {
    magicDelete(fib, 'local', ifa.local, 32, prim);
    // The address is gone for good: flush the main-table routes that used it as their source.
    if (inetAddrTypeTable(fib, ifa.local, RouteTable.Local) !== 'local') {
      fibRemoveWhere(fib, (r) => r.table === RouteTable.Main && r.prefsrc === ifa.local);
    }
  }
  if (devAddrs.length === 0) fibFlushDev(fib, ifa.ifindex, true);
}

/** InetIfaResult is the new address list after an address change (the FIB changed in place), or the error line. */
export type InetIfaResult = { readonly ok: true; readonly addrs: IfAddr[] } | { readonly ok: false; readonly error: string };

/**
 * inetInsertIfa is `ip addr add` after parsing (__inet_insert_ifa, then fib_add_ifaddr): the same address and
 * prefix length again is `Error: ipv4: Address already assigned.`; an address inside the subnet of another address of
 * the device with the same prefix length becomes secondary (a different scope there is `Error: ipv4: Invalid
 * scope value.`); a primary goes after the device's last primary of the same or a narrower scope (so scope
 * host, then link, then global), a secondary after all of the device's addresses. The namespace list keeps
 * devices in ifindex order. The `secondary` flag of `ifa` is ignored and recomputed.
 */
export function inetInsertIfa(addrs: readonly IfAddr[], fib: FibStore, ifa: IfAddr, link: Link): InetIfaResult {
  let secondary = false;
  let lastPrimary = -1;
  let devStart = -1;
  let devEnd = -1;
  for (let i = 0; i < addrs.length; i++) {
    const a = addrs[i];
    if (a.ifindex !== ifa.ifindex) continue;
    if (devStart < 0) devStart = i;
    devEnd = i + 1;
    if (!a.secondary && ifa.scope <= a.scope) lastPrimary = i + 1;
    if (a.prefixlen === ifa.prefixlen && inetIfaMatch(ifaAddress(a), ifa)) {
      if (a.local === ifa.local) return { ok: false, error: 'Error: ipv4: Address already assigned.' };
      if (a.scope !== ifa.scope) return { ok: false, error: 'Error: ipv4: Invalid scope value.' };
      secondary = true;
    }
  }
  if (devStart < 0) {
    // The device's first address: its block goes before the first device of a higher ifindex.
    const after = addrs.findIndex((a) => a.ifindex > ifa.ifindex);
    devStart = devEnd = after < 0 ? addrs.length : after;
  }
  const at = secondary ? devEnd : lastPrimary >= 0 ? lastPrimary : devStart;
  const added: IfAddr = { ...ifa, secondary };
  const next = [...addrs.slice(0, at), added, ...addrs.slice(at)];
  fibAddIfaddr(fib, added, link, next);
  return { ok: true, addrs: next };
}

/**
 * inetDelIfa is `ip addr del` (inet_rtm_deladdr, then __inet_del_ifa): an address not on the device is
 * `Error: ipv4: Address not found.`. Deleting a primary without `promote` (net.ipv4.conf.DEV.promote_secondaries
 * 0, the default) first deletes, one by one, the secondaries of its subnet, each with its routes, then the
 * primary itself (fibDelIfaddr). With `promote` the first secondary of the subnet survives: the routes of the
 * subnet's secondaries go silently while the primary is still listed, the primary goes, and the secondary
 * becomes primary (moved after the last primary that followed the deleted one, when others stood between
 * them), its routes and those of the secondaries after it added again with its address as their source.
 */
export function inetDelIfa(addrs: readonly IfAddr[], fib: FibStore, ifa: IfAddr, link: Link, promote = false): InetIfaResult {
  let list = addrs.slice();
  const target = list.includes(ifa)
    ? ifa
    : list.find(
        (a) => a.ifindex === ifa.ifindex && a.local === ifa.local && a.prefixlen === ifa.prefixlen && ifaAddress(a) === ifaAddress(ifa),
      );
  if (target === undefined) return { ok: false, error: 'Error: ipv4: Address not found.' };
  const inSubnet = (a: IfAddr): boolean =>
    a.ifindex === target.ifindex && a.secondary && a.prefixlen === target.prefixlen && inetIfaMatch(ifaAddress(target), a);
  if (!target.secondary && promote) {
    const at = list.indexOf(target);
    let lastPrim = at;
    let promoteAt = -1;
    for (let i = at + 1; i < list.length; i++) {
      const a = list[i];
      if (a.ifindex !== target.ifindex) continue;
      if (!a.secondary && target.scope <= a.scope) lastPrim = i;
      if (inSubnet(a)) {
        promoteAt = i;
        break;
      }
    }
    if (promoteAt >= 0) return promoteSecondary(list, fib, target, link, at, lastPrim, promoteAt);
  }
  if (!target.secondary) {
    for (const sec of addrs) {
      if (!inSubnet(sec)) continue;
      list = list.filter((a) => a !== sec);
      fibDelIfaddr(fib, sec, link, list);
    }
  }
  list = list.filter((a) => a !== target);
  fibDelIfaddr(fib, target, link, list);
  return { ok: true, addrs: list };
}

/**
 * promoteSecondary is the promotion half of __inet_del_ifa: `list[at]` (the primary) goes and
 * `list[promoteAt]` takes its place. `lastPrim` is the index of the last primary of the same or a
 * narrower scope between them (or `at`).
 */
function promoteSecondary(
  addrs: IfAddr[],
  fib: FibStore,
  target: IfAddr,
  link: Link,
  at: number,
  lastPrim: number,
  promoteAt: number,
): InetIfaResult {
  const sameSubnet = (a: IfAddr): boolean =>
    a.ifindex === target.ifindex && a.secondary && a.prefixlen === target.prefixlen && inetIfaMatch(ifaAddress(target), a);
  // fib_del_ifaddr(ifa, ifa1) for each secondary from the promoted one on, while all are listed (so
  // nothing is flushed for good): its local route and its own broadcast route unless a sibling needs it.
  const targetAny = networkOf(ifaAddress(target), target.prefixlen);
  const targetBrd = (targetAny | ~maskOf(target.prefixlen)) >>> 0;
  for (let i = promoteAt; i < addrs.length; i++) {
    const sec = addrs[i];
    if (!sameSubnet(sec)) continue;
    const brd = sec.broadcast ?? 0;
    const brdOk =
      addrs.some((o) => o !== sec && (o === target || sameSubnet(o)) && (o.broadcast ?? 0) === brd) ||
      (target.prefixlen < 31 && !isZeronet(targetAny) && (brd === targetBrd || brd === targetAny));
    if (!brdOk) magicDelete(fib, 'broadcast', brd, 32, target);
    magicDelete(fib, 'local', sec.local, 32, target);
  }
  let list = addrs.filter((a) => a !== target);
  fibDelIfaddr(fib, target, link, list);
  const old = addrs[promoteAt];
  const promoted: IfAddr = { ...old, secondary: false };
  list = list.map((a) => (a === old ? promoted : a));
  // When something stood between the two, the promoted address moves to just after the last primary.
  if (promoteAt > at + 1) {
    list = list.filter((a) => a !== promoted);
    const insertAt = lastPrim === at ? at : lastPrim;
    list.splice(insertAt, 0, promoted);
  }
  fibAddIfaddr(fib, promoted, link, list);
  const from = list.indexOf(promoted);
  for (let i = from + 1; i < list.length; i++) {
    const a = list[i];
    if (a.ifindex === promoted.ifindex && a.secondary && a.prefixlen === promoted.prefixlen && inetIfaMatch(ifaAddress(promoted), a))
      fibAddIfaddr(fib, a, link, list);
  }
  return { ok: true, addrs: list };
}
