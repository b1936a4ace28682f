// IPv4 route lookups and ICMP redirects, after net/ipv4/route.c (ip_route_output_key_hash_rcu,
// __mkroute_output, ip_route_input_slow, __mkroute_input, ip_rt_send_redirect, __ip_do_redirect,
// find_exception) and net/ipv4/fib_frontend.c (fib_validate_source, __fib_validate_source).
// Route exceptions (fib_nh_exception) made by redirects and by `frag needed` (__ip_rt_update_pmtu) are
// kept per destination on the namespace; rt_fill_info's cache metrics, fib_release_info's and
// fnhe_genid_bump's flushes follow net/ipv4/route.c and fib_semantics.c.

import type { Ipv4 } from '../model/addr.js';
import {
  type InetPeer,
  type Link,
  makeRoute,
  type Netns,
  type PmtuException,
  type RedirectExceptionEntry,
  type Route,
  RouteProto,
  RouteScope,
  RouteTable,
} from '../model/world.js';
import { fibResultPrefsrc, inetIfaMatch, inetSelectAddr } from './addrsel.js';
import { fibLookup } from './fib.js';
import { LOOPBACK_IFINDEX } from './netns.js';
import type { Errno } from './stack.js';
import { type ConfValues, confOf, inetDevValid } from './sysctl.js';
import { DropReason } from './trace.js';

const INADDR_LOOPBACK = 0x7f000001;
const INADDR_BROADCAST = 0xffffffff;
const INADDR_ALLHOSTS = 0xe0000001;

/** isMulticast is ipv4_is_multicast (224.0.0.0/4). */
export const isMulticast = (a: Ipv4): boolean => a >>> 28 === 14;
/** isZeronet is ipv4_is_zeronet (0.0.0.0/8). */
export const isZeronet = (a: Ipv4): boolean => a >>> 24 === 0;
/** isLoopbackAddr is ipv4_is_loopback (127.0.0.0/8). */
export const isLoopbackAddr = (a: Ipv4): boolean => a >>> 24 === 127;
const isLocalMulticast = (a: Ipv4): boolean => a >>> 8 === 0xe00000;

/** RtnType is the type of a cached route (rtm_type as `ip route get` prints it). */
export type RtnType = 'unicast' | 'local' | 'broadcast' | 'multicast';

/** OutputRoute is the result of an output route lookup (ip_route_output_key). */
export interface OutputRoute {
  /**
   * route is the FIB entry the lookup matched. Routes the kernel makes without one (res->fi NULL: a
   * destination 0.0.0.0, `oif DEV` with no route through DEV, a limited broadcast from a given source)
   * carry a stand-in of the same type on the output device.
   */
  readonly route: Route;
  readonly type: RtnType;
  readonly dev: number;
  readonly nexthop: Ipv4;
  /** gateway says the nexthop is a gateway (rt_gw4 set by rt_set_nexthop), even one equal to the destination. */
  readonly gateway: boolean;
  readonly prefsrc: Ipv4;
  /** local is RTCF_LOCAL: the packet is delivered to this host through lo. */
  readonly local: boolean;
  /** dst is the destination after the lookup (0.0.0.0 becomes the source, or 127.0.0.1). */
  readonly dst: Ipv4;
  /** standIn says `route` is a stand-in: the lookup found no FIB entry (`ip route get fibmatch` has none to print). */
  readonly standIn?: true;
  /** redirected is the route exception a redirect made (RTCF_REDIRECTED), with its expiry time (µs). */
  readonly redirected?: { readonly expires: number };
  /** cacheMetrics is what rt_fill_info reports of the cached route: its expiry and RTAX_MTU (RTA_METRICS). */
  readonly cacheMetrics?: CacheMetrics;
}

/**
 * CacheMetrics is the expiry and MTU metric of a cached route as rt_fill_info fills them: `expires` (µs,
 * virtual time) is the bound exception's fnhe_expires; `mtu` its learnt path MTU while it lasts, else the
 * route's own `mtu` metric, with `mtuLock` for RTAX_LOCK.
 */
export interface CacheMetrics {
  readonly expires?: number;
  readonly mtu?: number;
  readonly mtuLock?: true;
}

/** PmtuExceptionEntry is a learnt path MTU with the fib_info (fibInfoKey) whose nexthop it hangs off. */
export interface PmtuExceptionEntry extends PmtuException {
  readonly fi?: string;
}

/**
 * fibInfoKey names a route's fib_info: routes that fib_find_info would give one shared fib_info (same type,
 * protocol, scope, prefsrc, priority, metrics, flags and nexthop) have the same key.
 */
export function fibInfoKey(r: Route): string {
  return `${r.type}|${r.proto}|${r.scope}|${r.prefsrc ?? 0}|${r.metric}|${r.mtu ?? 0}|${r.mtuLock === true}|${r.onlink}|${r.dev ?? 0}|${r.gateway ?? 0}`;
}

/** MTU_EXPIRES_US is net.ipv4.route.mtu_expires (600 s), the life of a PMTU exception. */
const MTU_EXPIRES_US = 600_000_000;

/** RedirectException is a fib_nh_exception made by an accepted ICMP redirect: a new gateway for one destination. */
export type RedirectException = RedirectExceptionEntry;

export type { InetPeer } from '../model/world.js';

/** newInetPeer is inet_getpeer's new entry: rate_last a minute back, so the first check finds a full burst. */
export function newInetPeer(now: number): InetPeer {
  return { rateLast: now - 60_000_000, rateTokens: 0, nRedirects: 0 };
}

/** XRLIM_BURST_FACTOR is how many timeouts' worth of tokens inet_peer_xrlim_allow lets a peer save up. */
const XRLIM_BURST_FACTOR = 6;
/** IP_RT_ERROR_COST_US and IP_RT_ERROR_BURST_US are ip_rt_error_cost (HZ) and ip_rt_error_burst (5 HZ). */
const IP_RT_ERROR_COST_US = 1_000_000;
const IP_RT_ERROR_BURST_US = 5_000_000;

/** spendTokens takes `cost` from a peer whose tokens are now `token` (refilled up to `now`), if it has them. */
function spendTokens(peer: InetPeer, now: number, token: number, cost: number): { allow: boolean; peer: InetPeer } {
  const allow = token >= cost;
  return { allow, peer: { rateLast: now, rateTokens: allow ? token - cost : token, nRedirects: peer.nRedirects } };
}

/**
 * inetPeerXrlimAllow is inet_peer_xrlim_allow: a token bucket that gains one µs of credit per µs since
 * the peer's last check, up to six timeouts, and spends one timeout (icmp_ratelimit) per message sent.
 */
export function inetPeerXrlimAllow(peer: InetPeer, now: number, timeout: number): { allow: boolean; peer: InetPeer } {
  const token = now !== peer.rateLast ? Math.min(peer.rateTokens + (now - peer.rateLast), XRLIM_BURST_FACTOR * timeout) : peer.rateTokens;
  return spendTokens(peer, now, token, timeout);
}

/**
 * ipErrorTokensAllow is ip_error's own use of the same tokens, before icmp_send charges them again: one
 * second of credit per unreachable, the refill capped at five seconds even when no time has passed.
 */
export function ipErrorTokensAllow(peer: InetPeer, now: number): { allow: boolean; peer: InetPeer } {
  return spendTokens(peer, now, Math.min(peer.rateTokens + (now - peer.rateLast), IP_RT_ERROR_BURST_US), IP_RT_ERROR_COST_US);
}

/** REDIRECT_GC_TIMEOUT_US is ip_rt_gc_timeout (300 s): how long a redirect's exception lasts. */
export const REDIRECT_GC_TIMEOUT_US = 300_000_000;
/** REDIRECT_LOAD_US is ip_rt_redirect_load (HZ/50): the first gap between redirects, doubled after each one. */
const REDIRECT_LOAD_US = 20_000;
/** REDIRECT_NUMBER is ip_rt_redirect_number: redirects sent to one source before r stops. */
const REDIRECT_NUMBER = 9;
/** REDIRECT_SILENCE_US is ip_rt_redirect_silence ((HZ/50) << 10): quiet time that resets the count. */
const REDIRECT_SILENCE_US = REDIRECT_LOAD_US << (REDIRECT_NUMBER + 1);

/** ipDevFind is __ip_dev_find: the device holding address `a`, or the device of a local route for it. */
export function ipDevFind(ns: Netns, a: Ipv4): number | undefined {
  for (const x of ns.addrs) if (x.local === a) return x.ifindex;
  const r = fibLookup(ns.fib, a, { table: RouteTable.Local });
  return r !== null && r.type === 'local' ? r.dev : undefined;
}

/** standIn is the route the kernel builds without a FIB entry (res->fi NULL), as a Route value. */
function standIn(type: 'unicast' | 'local' | 'broadcast', dst: Ipv4, dev: number): Route {
  return makeRoute({
    table: RouteTable.Main,
    type,
    dst: { addr: dst, len: 32 },
    dev,
    proto: RouteProto.Kernel,
    scope: type === 'unicast' ? RouteScope.Link : RouteScope.Host,
    metric: 0,
    onlink: false,
  });
}

/** findException is find_exception: the live redirect exception for `dst` through this route's nexthop. */
function findException(ns: Netns, route: Route, dst: Ipv4, now: number | undefined): RedirectException | undefined {
  if (now === undefined || route.type !== 'unicast') return undefined;
  const e = ns.redirects?.get(dst);
  if (e === undefined || now >= e.expires || e.dev !== route.dev || e.oldGw !== (route.gateway ?? 0)) return undefined;
  return e;
}

/**
 * pmtuException is the exception __ip_rt_update_pmtu makes (update_or_create_fnhe): a path MTU for `dst`
 * on the nexthop a FIB lookup for the quoted flow gives, until `expires` (µs).
 */
export function pmtuException(ns: Netns, dst: Ipv4, src: Ipv4, mtu: number, expires: number): PmtuExceptionEntry {
  const r = fibLookup(ns.fib, dst, undefined, src);
  if (r === null || r.type !== 'unicast' || r.dev === undefined) return { mtu, expires };
  return { mtu, expires, fi: fibInfoKey(r) };
}

/** findPmtu is find_exception for the path MTU: the live one for `dst` through this route's nexthop. */
function findPmtu(ns: Netns, route: Route, dst: Ipv4, now: number): PmtuExceptionEntry | undefined {
  const e: PmtuExceptionEntry | undefined = ns.pmtu.get(dst);
  if (e === undefined || now >= e.expires) return undefined;
  if (e.fi !== undefined && e.fi !== fibInfoKey(route)) return undefined;
  return e;
}

/**
 * cacheMetrics is rt_set_nexthop + rt_bind_exception + rt_fill_info for a route through `route`: the
 * route's metrics (RTAX_MTU, RTAX_LOCK), the exception's gateway and expiry, its path MTU while it lasts.
 * One fib_nh_exception holds both a redirect's gateway and a path MTU; its expiry is the last one learnt.
 */
function cacheMetrics(ns: Netns, route: Route, dst: Ipv4, now: number | undefined, redirects = true): CacheMetrics {
  const redirect = now === undefined || !redirects ? undefined : findException(ns, route, dst, now);
  const pmtu = now === undefined || route.type !== 'unicast' ? undefined : findPmtu(ns, route, dst, now);
  let expires: number | undefined;
  if (redirect !== undefined && pmtu !== undefined) {
    const rLearnt = redirect.expires - REDIRECT_GC_TIMEOUT_US;
    const pLearnt = pmtu.expires - MTU_EXPIRES_US;
    expires = pLearnt >= rLearnt ? pmtu.expires : redirect.expires;
  } else expires = redirect?.expires ?? pmtu?.expires;
  const mtu = pmtu !== undefined && !route.mtuLock ? pmtu.mtu : route.mtu;
  return {
    ...(expires !== undefined ? { expires } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
    ...(route.mtuLock === true ? { mtuLock: true as const } : {}),
  };
}

/**
 * fnheGenidBump is a write to /proc/sys/net/ipv4/route/flush (`ip route flush cache`): rt_cache_flush and
 * fnhe_genid_bump, after which rt_bind_exception resets every exception it meets, so none shows any more.
 */
export function fnheGenidBump(ns: Netns): void {
  ns.pmtu.clear();
  ns.redirects?.clear();
}

/**
 * fnheRelease drops the exceptions of nexthops no route uses any more: deleting or replacing a route frees
 * its fib_info once no other route shares it (fib_release_info), and with it the nexthop's exceptions
 * (free_fib_info_rcu → fib_nh_common_release → free_nh_exceptions). Call it after a route went.
 */
export function fnheRelease(ns: Netns): void {
  // Most namespaces hold no exception: then no route need be looked at (a cluster's BIRD withdraws).
  if (ns.pmtu.size === 0 && (ns.redirects === undefined || ns.redirects.size === 0)) return;
  const infos = new Set<string>();
  const nexthops = new Set<string>();
  for (const t of ns.fib.tableIds()) {
    for (const r of ns.fib.dump(t)) {
      if (r.type !== 'unicast' || r.dev === undefined) continue;
      infos.add(fibInfoKey(r));
      nexthops.add(`${r.dev}/${r.gateway ?? 0}`);
    }
  }
  for (const [dst, e] of ns.pmtu as Map<Ipv4, PmtuExceptionEntry>) if (e.fi !== undefined && !infos.has(e.fi)) ns.pmtu.delete(dst);
  // A redirect's exception names only its nexthop (device and old gateway).
  if (ns.redirects !== undefined) {
    for (const [dst, e] of ns.redirects) if (!nexthops.has(`${e.dev}/${e.oldGw}`)) ns.redirects.delete(dst);
  }
}

/**
 * ipRouteOutput is ip_route_output_key_hash_rcu with __mkroute_output: the route of a locally generated
 * packet and its source address. A given source must be a local address (ENETUNREACH) and not multicast,
 * limited broadcast or 0.0.0.0/8 (EINVAL); `oif` constrains the FIB lookup to routes through that device
 * and, when none matches, sends on-link out of it; destination 0.0.0.0 goes to the source itself (or
 * 127.0.0.1) through lo. With `now`, a redirect exception for the destination replaces the gateway.
 */
export function ipRouteOutput(ns: Netns, dstIn: Ipv4, srcIn: Ipv4, oif?: number, now?: number): OutputRoute | { errno: Errno } {
  let dst = dstIn;
  let src = srcIn;
  if (src) {
    if (isMulticast(src) || src === INADDR_BROADCAST || isZeronet(src)) return { errno: 'EINVAL' };
    const srcDev = ipDevFind(ns, src);
    if (srcDev === undefined) return { errno: 'ENETUNREACH' };
    if (oif === undefined && (isMulticast(dst) || dst === INADDR_BROADCAST)) {
      return mkrouteOutput(ns, dst, src, srcDev, null, 'unicast');
    }
  }
  if (oif !== undefined) {
    const out = ns.links.get(oif);
    if (out === undefined || !out.adminUp || !inetDevValid(out)) return { errno: 'ENETUNREACH' };
    if (isLocalMulticast(dst) || dst === INADDR_BROADCAST) {
      if (!src) src = inetSelectAddr(ns, oif, 0, RouteScope.Link);
      return mkrouteOutput(ns, dst, src, oif, null, 'unicast');
    }
    if (!src) {
      if (isMulticast(dst)) src = inetSelectAddr(ns, oif, 0, RouteScope.Universe);
      else if (!dst) src = inetSelectAddr(ns, oif, 0, RouteScope.Host);
    }
  }
  if (!dst) {
    dst = src;
    if (!dst) dst = src = INADDR_LOOPBACK;
    return mkrouteOutput(ns, dst, src, LOOPBACK_IFINDEX, null, 'local');
  }
  // The flow's source and bound device only matter to `ip rule` selectors (fibLookup ignores them otherwise).
  const route = fibLookup(
    ns.fib,
    dst,
    oif !== undefined ? { oif } : undefined,
    src,
    undefined,
    oif !== undefined ? ns.links.get(oif)?.name : undefined,
  );
  if (route === null || route.type === 'throw') {
    if (oif !== undefined) {
      // No route through oif: the destination is taken to be on-link there.
      if (!src) src = inetSelectAddr(ns, oif, 0, RouteScope.Link);
      return mkrouteOutput(ns, dst, src, oif, null, 'unicast');
    }
    return { errno: 'ENETUNREACH' };
  }
  switch (route.type) {
    case 'blackhole':
      return { errno: 'EINVAL' };
    case 'unreachable':
      return { errno: 'EHOSTUNREACH' };
    case 'prohibit':
      return { errno: 'EACCES' };
    case 'local':
      if (!src) src = route.prefsrc || dst;
      return mkrouteOutput(ns, dst, src, LOOPBACK_IFINDEX, route, 'local', now);
    default:
      break;
  }
  if (!src) src = fibResultPrefsrc(route, ns);
  return mkrouteOutput(ns, dst, src, route.dev!, route, route.type === 'broadcast' ? 'broadcast' : 'unicast', now);
}

/**
 * ipRouteConnect is ip_route_connect for a socket's connect(2): when the destination or the source
 * is unset, a first lookup fills them in, and the route is looked up again for the filled-in flow on
 * the socket's own `oif` (flowi4_update_output). The second lookup can refuse what the first made:
 * 0.0.0.0 from a socket bound to a device without an address becomes 127.0.0.1 from 127.0.0.1,
 * which may not leave by that device (EINVAL).
 */
export function ipRouteConnect(ns: Netns, dst: Ipv4, src: Ipv4, oif?: number, now?: number): OutputRoute | { errno: Errno } {
  if (dst !== 0 && src !== 0) return ipRouteOutput(ns, dst, src, oif, now);
  const first = ipRouteOutput(ns, dst, src, oif, now);
  if ('errno' in first) return first;
  return ipRouteOutput(ns, first.dst, first.prefsrc, oif, now);
}

/** mkrouteOutput is __mkroute_output: the cached route's type, flags and nexthop. */
function mkrouteOutput(
  ns: Netns,
  dst: Ipv4,
  src: Ipv4,
  dev: number,
  fi: Route | null,
  resType: 'unicast' | 'local' | 'broadcast',
  now?: number,
): OutputRoute | { errno: Errno } {
  if (isLoopbackAddr(src) && dev !== LOOPBACK_IFINDEX) return { errno: 'EINVAL' };
  let type: RtnType = resType;
  let route = fi;
  if (dst === INADDR_BROADCAST) type = 'broadcast';
  else if (isMulticast(dst)) type = 'multicast';
  else if (isZeronet(dst)) return { errno: 'EINVAL' };
  // A broadcast route, and a multicast one matched by a prefix shorter than /4, keep no fib_info: no gateway.
  if (type === 'broadcast' || (type === 'multicast' && route !== null && route.dst.len < 4)) route = null;
  const local = dev === LOOPBACK_IFINDEX || type === 'broadcast' || resType === 'local';
  const shown = route ?? fi ?? standIn(resType === 'local' ? 'local' : type === 'broadcast' ? 'broadcast' : 'unicast', dst, dev);
  // A gateway that is one of our own addresses gets nexthop scope host: the kernel then ignores it.
  let nexthop = dst;
  let gateway = false;
  let redirected: { readonly expires: number } | undefined;
  const metrics = route !== null ? cacheMetrics(ns, route, dst, resType === 'local' ? undefined : now) : undefined;
  if (route !== null && resType !== 'local') {
    if (route.gateway !== undefined && !ns.addrs.some((a) => a.local === route!.gateway)) {
      nexthop = route.gateway;
      gateway = true;
    }
    const e = findException(ns, route, dst, now);
    if (e !== undefined) {
      nexthop = e.gw;
      gateway = true;
      redirected = { expires: e.expires };
    }
  }
  return {
    route: shown,
    type: resType === 'local' ? 'local' : type,
    dev,
    nexthop,
    gateway,
    prefsrc: src,
    local,
    dst,
    ...((route ?? fi) ? {} : { standIn: true as const }),
    ...(redirected !== undefined ? { redirected } : {}),
    ...(metrics !== undefined && (metrics.expires !== undefined || metrics.mtu !== undefined) ? { cacheMetrics: metrics } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Input

/** InputRoute is what ip_route_input decides for a received packet. */
export type InputRoute =
  | { readonly kind: 'local'; readonly type: 'local' | 'broadcast' | 'multicast' }
  | {
      readonly kind: 'forward';
      readonly route: Route;
      readonly dev: number;
      readonly nexthop: Ipv4;
      /** doRedirect is IPSKB_DOREDIRECT: the packet leaves by the device it came in on, to an on-link sender. */
      readonly doRedirect: boolean;
      /** cacheMetrics is the cached route's expiry and MTU metric (rt_fill_info). */
      readonly cacheMetrics?: CacheMetrics;
    }
  | { readonly kind: 'error'; readonly errno: Errno | 'BLACKHOLE'; readonly forwarding: boolean }
  | { readonly kind: 'martian'; readonly reason: DropReason }
  | { readonly kind: 'not-local' };

/** IN_DEV_ORCONF: on when `all` or the device says so. */
function orconf(ns: Netns, conf: ConfValues, key: keyof ConfValues): boolean {
  return conf[key] !== 0 || confOf(ns, 'all')[key] !== 0;
}

/**
 * fibValidateSource is fib_validate_source: whether a packet from `src` may come in on `inDev`. It is
 * negative when not (`martian-source` for an own or non-unicast source, `rp-filter` when the way back
 * fails rp_filter), 1 when the source is directly connected through `inDev` (a nexthop of scope host),
 * else 0. `oif` is the output device of a forwarded packet (0 otherwise): when it is the input device and
 * send_redirects is on, the full check runs even without rp_filter, to learn whether the sender is on-link;
 * so it does once rules were configured or a `local` route added by hand (fib4_has_custom_rules,
 * fib_has_custom_local_routes), where an own address is not enough to judge. The check
 * (__fib_validate_source) looks up the reverse flow: to `src` from the packet's destination `dst`,
 * entering by `oif` (lo when the packet is delivered here), which `ip rule` selectors see.
 */
export function fibValidateSource(
  ns: Netns,
  src: Ipv4,
  oif: number,
  inDev: Link,
  conf: ConfValues,
  dst: Ipv4 = 0,
): 0 | 1 | DropReason.MartianSource | DropReason.RpFilter {
  const rpf = Math.max(confOf(ns, 'all').rp_filter, conf.rp_filter);
  const acceptLocal = orconf(ns, conf, 'accept_local');
  if (!rpf && (inDev.ifindex !== oif || !orconf(ns, conf, 'send_redirects'))) {
    if (acceptLocal) return 0;
    if (ns.fib.rules === null && !hasCustomLocalRoutes(ns)) return ns.addrs.some((a) => a.local === src) ? DropReason.MartianSource : 0;
  }
  const iif = (oif ? ns.links.get(oif)?.name : undefined) ?? devNameOf(ns, LOOPBACK_IFINDEX);
  const back = fibLookup(ns.fib, src, undefined, dst, iif);
  if (back === null || back.type === 'blackhole' || back.type === 'unreachable' || back.type === 'prohibit' || back.type === 'throw') {
    return rpf ? DropReason.RpFilter : 0;
  }
  if (back.type !== 'unicast' && !(back.type === 'local' && acceptLocal)) return DropReason.MartianSource;
  const nhScopeHost = (r: Route): 0 | 1 => (r.gateway === undefined || r.type === 'local' ? 1 : 0);
  if (back.dev === inDev.ifindex) return nhScopeHost(back);
  if (!ns.addrs.some((a) => a.ifindex === inDev.ifindex)) return rpf ? DropReason.RpFilter : 0;
  if (rpf === 1) return DropReason.RpFilter;
  const via = fibLookup(ns.fib, src, { oif: inDev.ifindex }, dst, iif, inDev.name);
  return via !== null && via.type === 'unicast' ? nhScopeHost(via) : 0;
}

/** devNameOf is the name of device `ifindex` (lo's own, which a lab may not rename, for LOOPBACK_IFINDEX). */
function devNameOf(ns: Netns, ifindex: number): string {
  return ns.links.get(ifindex)?.name ?? 'lo';
}

/**
 * hasCustomLocalRoutes stands for fib_has_custom_local_routes, set when a `local` route is added over
 * netlink: a local route in the local table that the kernel did not make for an address (protocol other
 * than kernel). The flag stays set after such a route goes; this one does not.
 */
function hasCustomLocalRoutes(ns: Netns): boolean {
  return ns.fib.dump(RouteTable.Local).some((r) => r.type === 'local' && r.proto !== RouteProto.Kernel);
}

/** inetAddrOnlink is inet_addr_onlink: whether `a` (and `b`, unless 0) lie in the subnet of one of the device's primaries. */
function inetAddrOnlink(ns: Netns, ifindex: number, a: Ipv4, b: Ipv4): boolean {
  return ns.addrs.some((x) => x.ifindex === ifindex && !x.secondary && inetIfaMatch(a, x) && (!b || inetIfaMatch(b, x)));
}

/**
 * ipRouteInputSlow is ip_route_input_slow for a packet from `src` to `dst` received on `inDev` (not lo):
 * martian sources (multicast, limited broadcast, 0.0.0.0/8 but towards 255.255.255.255, loopback) and
 * destinations (0.0.0.0/8, loopback) are refused; limited broadcast and broadcast routes are delivered
 * after checking the source, local routes after fib_validate_source; the rest is forwarded when
 * forwarding is on for `inDev` (ip_mkroute_input: fib_validate_source against the output device, and the
 * redirect flag). `wantForward` false stops before forwarding with `not-local` (arp_process without proxy
 * ARP). route_localnet, multicast routing and bc_forwarding are not modelled: of multicast destinations
 * only 224.0.0.1 (joined by every device that is up) is delivered, any other is refused.
 */
export function ipRouteInputSlow(
  ns: Netns,
  dst: Ipv4,
  src: Ipv4,
  inDev: Link,
  wantForward: boolean,
  conf: ConfValues,
  now?: number,
): InputRoute {
  if (!inetDevValid(inDev)) return { kind: 'martian', reason: DropReason.MartianDestination };
  if (isMulticast(dst)) {
    // ip_route_input_mc for a group the device joined: only all-hosts (224.0.0.1), which every device up joins.
    if (dst !== INADDR_ALLHOSTS || !inDev.adminUp) return { kind: 'martian', reason: DropReason.MartianDestination };
    if (isMulticast(src) || src === INADDR_BROADCAST || isLoopbackAddr(src)) return { kind: 'martian', reason: DropReason.MartianSource };
    if (src !== 0 && typeof fibValidateSource(ns, src, 0, inDev, conf) === 'string')
      return { kind: 'martian', reason: DropReason.MartianSource };
    return { kind: 'local', type: 'multicast' };
  }
  if (isMulticast(src) || src === INADDR_BROADCAST) return { kind: 'martian', reason: DropReason.MartianSource };
  const brd = (): InputRoute => {
    if (src !== 0 && typeof fibValidateSource(ns, src, 0, inDev, conf) === 'string')
      return { kind: 'martian', reason: DropReason.MartianSource };
    return { kind: 'local', type: 'broadcast' };
  };
  if (dst === INADDR_BROADCAST || (src === 0 && dst === 0)) return brd();
  if (isZeronet(src)) return { kind: 'martian', reason: DropReason.MartianSource };
  if (isZeronet(dst) || isLoopbackAddr(dst)) return { kind: 'martian', reason: DropReason.MartianDestination };
  if (isLoopbackAddr(src)) return { kind: 'martian', reason: DropReason.MartianSource };
  // IN_DEV_FORWARD: any value but 0 forwards (the kernel stores what was written).
  const forwarding = conf.forwarding !== 0;
  const route = fibLookup(ns.fib, dst, undefined, src, inDev.name);
  if (route === null || route.type === 'blackhole' || route.type === 'unreachable' || route.type === 'prohibit' || route.type === 'throw') {
    if (!wantForward) return { kind: 'not-local' };
    if (!forwarding) return { kind: 'error', errno: 'EHOSTUNREACH', forwarding };
    if (route === null || route.type === 'throw') return { kind: 'error', errno: 'ENETUNREACH', forwarding };
    return {
      kind: 'error',
      errno: route.type === 'blackhole' ? 'BLACKHOLE' : route.type === 'unreachable' ? 'EHOSTUNREACH' : 'EACCES',
      forwarding,
    };
  }
  if (route.type === 'broadcast') return brd();
  if (route.type === 'local') {
    const v = fibValidateSource(ns, src, 0, inDev, conf, dst);
    if (typeof v === 'string') return { kind: 'martian', reason: v };
    return { kind: 'local', type: 'local' };
  }
  if (!wantForward) return { kind: 'not-local' };
  if (!forwarding) return { kind: 'error', errno: 'EHOSTUNREACH', forwarding };
  const outDev = route.dev!;
  const v = fibValidateSource(ns, src, outDev, inDev, conf, dst);
  if (typeof v === 'string') return { kind: 'martian', reason: v };
  const gw = route.gateway !== undefined && !ns.addrs.some((a) => a.local === route.gateway) ? route.gateway : undefined;
  const doRedirect =
    outDev === inDev.ifindex &&
    v === 1 &&
    orconf(ns, conf, 'send_redirects') &&
    (orconf(ns, conf, 'shared_media') || inetAddrOnlink(ns, inDev.ifindex, src, gw ?? 0));
  // With `now` (`ip route get … iif`), the route carries its path MTU exception as __mkroute_input binds it.
  const metrics = cacheMetrics(ns, route, dst, now, false);
  const shown = metrics.expires !== undefined || metrics.mtu !== undefined ? { cacheMetrics: metrics } : {};
  return { kind: 'forward', route, dev: outDev, nexthop: gw ?? dst, doRedirect, ...shown };
}

// ---------------------------------------------------------------------------------------------
// Redirects

/**
 * redirectAllowed is ip_rt_send_redirect's rate limit (the inet_peer token bucket for the packet's source):
 * whether to send a redirect now, with the peer's new state. After 20.48 s of silence the count restarts;
 * each redirect doubles the gap the next one needs (20 ms, 40 ms, …); after 9 it sends none.
 */
export function redirectAllowed(peer: InetPeer | undefined, now: number): { send: boolean; peer: InetPeer } {
  let p = peer ?? newInetPeer(now);
  if (now > p.rateLast + REDIRECT_SILENCE_US) p = { rateLast: p.rateLast, rateTokens: 0, nRedirects: 0 };
  if (p.nRedirects >= REDIRECT_NUMBER) return { send: false, peer: { ...p, rateLast: now } };
  if (p.nRedirects === 0 || now > p.rateLast + REDIRECT_LOAD_US * 2 ** p.nRedirects) {
    return { send: true, peer: { ...p, rateLast: now, nRedirects: p.nRedirects + 1 } };
  }
  return { send: false, peer: p };
}

/** RedirectVerdict is what __ip_do_redirect makes of a redirect: an exception, an ARP probe first, or nothing. */
export type RedirectVerdict =
  | { readonly kind: 'learn'; readonly exception: RedirectException }
  | { readonly kind: 'resolve'; readonly dev: number }
  | null;

/**
 * ipDoRedirect is __ip_do_redirect for an ICMP redirect (code `code`) from `oldGw` received on `inDev`,
 * saying `newGw` is the better first hop to `dst` for packets from `src`. The route this host uses for
 * `dst` must go through `oldGw`; accept_redirects must be on for the device (all and the device when
 * forwarding, either otherwise); the new gateway must be unicast, and without shared_media on-link with
 * the old one and, with secure_redirects, the gateway of some route through the device. It is learnt
 * only when the new gateway's neighbour entry is valid (`neighValid`); otherwise the caller resolves it.
 */
export function ipDoRedirect(
  ns: Netns,
  inDev: Link,
  code: number,
  oldGw: Ipv4,
  newGw: Ipv4,
  dst: Ipv4,
  src: Ipv4,
  now: number,
  neighValid: (dev: number, addr: Ipv4) => boolean,
): RedirectVerdict {
  if ((code & 7) > 3) return null;
  const rt = ipRouteOutput(ns, dst, ns.addrs.some((a) => a.local === src) ? src : 0, undefined, now);
  if ('errno' in rt || rt.type !== 'unicast' || rt.nexthop === dst || rt.nexthop !== oldGw) return null;
  if (!inetDevValid(inDev)) return null;
  const conf = confOf(ns, inDev.name);
  const all = confOf(ns, 'all');
  const rx = conf.forwarding !== 0 ? conf.accept_redirects !== 0 && all.accept_redirects !== 0 : orconf(ns, conf, 'accept_redirects');
  if (newGw === oldGw || !rx || isMulticast(newGw) || newGw === INADDR_BROADCAST || isZeronet(newGw)) return null;
  if (!orconf(ns, conf, 'shared_media')) {
    if (!inetAddrOnlink(ns, inDev.ifindex, newGw, oldGw)) return null;
    if (orconf(ns, conf, 'secure_redirects') && !ns.fib.all().some((r) => r.dev === inDev.ifindex && r.gateway === newGw)) return null;
  } else {
    // inet_addr_type: what the (merged) local table says of the address; unicast when nothing matches.
    const t = fibLookup(ns.fib, newGw);
    if (t !== null && t.type !== 'unicast') return null;
  }
  if (!neighValid(rt.dev, newGw)) return { kind: 'resolve', dev: rt.dev };
  return {
    kind: 'learn',
    exception: { gw: newGw, expires: now + REDIRECT_GC_TIMEOUT_US, dev: rt.route.dev!, oldGw: rt.route.gateway ?? 0 },
  };
}
