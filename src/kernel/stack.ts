// The IPv4 data path: device transmit and receive (net/core/dev.c), ARP and proxy ARP (net/ipv4/arp.c),
// the neighbour state machine (net/core/neighbour.c), input routing and forwarding (net/ipv4/route.c,
// ip_input.c, ip_forward.c), output (ip_output.c), fragmentation (ip_fragment.c) and ICMP errors
// (icmp.c). Devices are drivers (driver.ts): this file dispatches on them and holds no kind-specific
// code. Handlers change the namespaces the step context hands out and give it what they emit; they
// never print.

import { BROADCAST_MAC, type Ipv4, type Mac, ZERO_MAC, macEqualsBytes, macFromBytes } from '../model/addr.js';
import {
  ARP_PACKET_LEN,
  ArpOp,
  allocBytes,
  EtherType,
  IpProtocol,
  type Ipv4Decoded,
  type Ipv4Repr,
  decodeArp,
  decodeEthernet,
  ETHERNET_HEADER_LEN,
  decodeIcmp,
  decodeIpv4,
  decodeUdp,
  encodeArp,
  encodeEthernet,
  encodeIcmp,
  encodeIpv4,
  readU32,
} from '../model/wire/index.js';
import { confirmedNeigh, type Link, type NeighEntry, type Netns, NudState, type Route, RouteScope, neighKey } from '../model/world.js';
import { inetSelectAddr, ipRouteOutputSaddr } from './addrsel.js';
import type { LinkDriver, Tx } from './driver.js';
import { fibLookup } from './fib.js';
import { LOOPBACK_IFINDEX } from './netns.js';
import { confOf, globalNum, neighOf, neighParm } from './sysctl.js';
import { DropReason } from './trace.js';

/** WIRE_DELAY_US is how long a frame takes across a veth or bridge hop (keeps timers after traffic). */
export const WIRE_DELAY_US = 2;

/** PMTU_EXPIRES_US is net.ipv4.route.mtu_expires (600 s): how long a learned path MTU lasts. */
export const PMTU_EXPIRES_US = 600_000_000;

/** PacketType is skb->pkt_type as eth_type_trans sets it. */
export type PacketType = 'host' | 'broadcast' | 'multicast' | 'otherhost';

/** drop counts a dropped packet on its namespace and traces it with its reason. */
export function drop(tx: Tx, nsKey: string, reason: DropReason, dev?: string, detail?: string): void {
  const ns = tx.ns(nsKey);
  if (ns !== undefined) ns.drops.set(reason, (ns.drops.get(reason) ?? 0) + 1);
  tx.trace({ kind: 'drop', ns: nsKey, ...(dev !== undefined ? { dev } : {}), reason, ...(detail !== undefined ? { detail } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Devices

/** devXmit sends a frame out of a device (dev_queue_xmit): taps see it, then its driver moves it. */
export function devXmit(tx: Tx, nsKey: string, ifindex: number, frame: Uint8Array): void {
  const l = tx.ns(nsKey)?.links.get(ifindex);
  if (l !== undefined) devXmitLink(tx, nsKey, l, frame);
}

/** devXmitLink is devXmit for a device already in hand (taken from the step's namespace). */
export function devXmitLink(tx: Tx, nsKey: string, l: Link, frame: Uint8Array): void {
  const ifindex = l.ifindex;
  if (!l.adminUp) {
    drop(tx, nsKey, DropReason.LinkDown, l.name);
    return;
  }
  l.stats.txPackets += 1;
  l.stats.txBytes += frame.length;
  tx.capture(nsKey, ifindex, frame);
  tx.trace({ kind: 'tx', ns: nsKey, dev: l.name, frame });
  tx.drivers.of(l).xmit(tx, nsKey, l, frame);
}

/** netifRx receives a frame on a device (__netif_receive_skb): taps, a master's rx handler, then the protocols. */
export function netifRx(tx: Tx, nsKey: string, ifindex: number, frame: Uint8Array): void {
  const ns = tx.ns(nsKey);
  const l = ns?.links.get(ifindex);
  if (ns === undefined || l === undefined) return;
  if (!l.adminUp) {
    drop(tx, nsKey, DropReason.LinkDown, l.name);
    return;
  }
  l.stats.rxPackets += 1;
  l.stats.rxBytes += frame.length;
  tx.capture(nsKey, ifindex, frame);
  tx.trace({ kind: 'rx', ns: nsKey, dev: l.name, frame });
  if (l.master !== undefined) {
    const master = ns.links.get(l.master);
    const handler = master === undefined ? undefined : tx.drivers.of(master).portRx;
    if (master !== undefined && handler !== undefined) {
      handler(tx, nsKey, l, master, frame);
      return;
    }
  }
  l3RxIn(tx, nsKey, ns, l, frame);
}

/** l3Rx hands a frame received by `l` itself to ARP or IPv4 (eth_type_trans + the protocol handlers). */
export function l3Rx(tx: Tx, nsKey: string, l: Link, frame: Uint8Array): void {
  l3RxIn(tx, nsKey, tx.ns(nsKey)!, l, frame);
}

/** l3RxIn is l3Rx with the step's namespace in hand. */
function l3RxIn(tx: Tx, nsKey: string, ns: Netns, l: Link, frame: Uint8Array): void {
  const driver = tx.drivers.of(l);
  if (driver.l3) {
    ipRcv(tx, nsKey, ns, l, frame, 'host');
    return;
  }
  if (frame.length < ETHERNET_HEADER_LEN) {
    const eth = decodeEthernet(frame);
    drop(tx, nsKey, DropReason.BadHeader, l.name, eth.ok ? undefined : eth.error);
    return;
  }
  const pktType = packetType(driver.linkType === 'loopback', l, frame);
  const ethertype = (frame[12] << 8) | frame[13];
  if (ethertype === EtherType.Arp) {
    arpRcv(tx, nsKey, ns, l, driver, frame, pktType);
  } else if (ethertype === EtherType.Ipv4) {
    if (pktType === 'otherhost') {
      drop(tx, nsKey, DropReason.OtherHost, l.name);
      return;
    }
    ipRcv(tx, nsKey, ns, l, frame.subarray(ETHERNET_HEADER_LEN), pktType);
  } else {
    drop(tx, nsKey, DropReason.UnknownProtocol, l.name);
  }
}

/** packetType is eth_type_trans's skb->pkt_type, read off the destination address's octets. */
function packetType(loopback: boolean, l: Link, frame: Uint8Array): PacketType {
  if (loopback) return 'host';
  if ((frame[0] & frame[1] & frame[2] & frame[3] & frame[4] & frame[5]) === 0xff) return 'broadcast';
  if ((frame[0] & 1) === 1) return 'multicast';
  return macEqualsBytes(l.mac, frame, 0) ? 'host' : 'otherhost';
}

// ---------------------------------------------------------------------------------------------
// Routing

/** OutputRoute is the result of an output route lookup (ip_route_output_key). */
export interface OutputRoute {
  readonly route: Route;
  readonly dev: number;
  readonly nexthop: Ipv4;
  readonly prefsrc: Ipv4;
  readonly local: boolean;
}

/** Errno names the errors route lookups return. */
export type Errno = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EINVAL' | 'EACCES';

/** isLocalAddr says whether `a` is one of the namespace's addresses or in 127/8. */
export function isLocalAddr(ns: Netns, a: Ipv4): boolean {
  if (a >>> 24 === 127) return true;
  for (const x of ns.addrs) if (x.local === a) return true;
  return false;
}

/** ipRouteOutput looks up the route for a locally generated packet and picks its source address. */
export function ipRouteOutput(ns: Netns, dst: Ipv4, src: Ipv4, oif?: number): OutputRoute | { errno: Errno } {
  const route = fibLookup(ns.fib, dst);
  if (route === null) return { errno: 'ENETUNREACH' };
  switch (route.type) {
    case 'blackhole':
      return { errno: 'EINVAL' };
    case 'unreachable':
      return { errno: 'EHOSTUNREACH' };
    case 'prohibit':
      return { errno: 'EACCES' };
    default:
      break;
  }
  if (route.type === 'local' || route.type === 'broadcast') {
    const dev = route.type === 'local' ? LOOPBACK_IFINDEX : route.dev!;
    return { route, dev, nexthop: dst, prefsrc: src || route.prefsrc || dst, local: route.type === 'local' };
  }
  const dev = oif ?? route.dev!;
  // A gateway that is one of our own addresses gets nexthop scope host: the kernel then ignores it.
  const gw = route.gateway !== undefined && !isLocalAddr(ns, route.gateway) ? route.gateway : undefined;
  const prefsrc =
    src ||
    (oif !== undefined && oif !== route.dev
      ? inetSelectAddr(ns, oif, gw ?? dst, gw !== undefined ? RouteScope.Link : route.scope)
      : ipRouteOutputSaddr(route, dst, ns)) ||
    0;
  return { route, dev, nexthop: gw ?? dst, prefsrc, local: false };
}

/** InputRoute is what ip_route_input decides for a received packet. */
type InputRoute =
  | { readonly kind: 'local' }
  | { readonly kind: 'forward'; readonly route: Route; readonly dev: number; readonly nexthop: Ipv4 }
  | { readonly kind: 'error'; readonly errno: Errno | 'BLACKHOLE'; readonly forwarding: boolean }
  | { readonly kind: 'martian'; readonly reason: DropReason }
  | { readonly kind: 'not-local' };

const LOCAL: InputRoute = { kind: 'local' };
const NOT_LOCAL: InputRoute = { kind: 'not-local' };
const MARTIAN_SOURCE: InputRoute = { kind: 'martian', reason: DropReason.MartianSource };
const RP_FILTERED: InputRoute = { kind: 'martian', reason: DropReason.RpFilter };

/**
 * ipRouteInput is ip_route_input_slow: local delivery, forwarding, or an error route. A caller that
 * only needs to know whether the packet is for this host (`wantForward` false: arp_process without
 * proxy ARP) gets `not-local` for everything else; the checks skipped have no side effects.
 */
function ipRouteInput(tx: Tx, ns: Netns, dst: Ipv4, src: Ipv4, inDev: Link, wantForward = true, conf = confOf(ns, inDev.name)): InputRoute {
  // Packets looped back by this host skip source validation (the loopback device is trusted).
  if (tx.drivers.of(inDev).linkType === 'loopback') {
    return fibLookup(ns.fib, dst)?.type === 'local' || dst === 0xffffffff
      ? LOCAL
      : { kind: 'error', errno: 'ENETUNREACH', forwarding: false };
  }
  if (src >>> 28 === 14 || src === 0xffffffff || src >>> 24 === 127) return MARTIAN_SOURCE;
  const route = fibLookup(ns.fib, dst);
  // IN_DEV_ACCEPT_LOCAL is IN_DEV_ORCONF: on when `all` or the device says so.
  const acceptLocal = conf.accept_local !== 0 || confOf(ns, 'all').accept_local !== 0;
  if (route && (route.type === 'local' || route.type === 'broadcast')) {
    if (route.type === 'local' && !acceptLocal && isLocalAddr(ns, src)) return MARTIAN_SOURCE;
    return LOCAL;
  }
  if (dst === 0xffffffff) return LOCAL;
  if (!wantForward) return NOT_LOCAL;
  // IN_DEV_FORWARD: any value but 0 forwards (the kernel stores what was written).
  const forwarding = conf.forwarding !== 0;
  if (!forwarding) return { kind: 'error', errno: 'EHOSTUNREACH', forwarding: false };
  if (!route) return { kind: 'error', errno: 'ENETUNREACH', forwarding };
  if (route.type === 'blackhole') return { kind: 'error', errno: 'BLACKHOLE', forwarding };
  if (route.type === 'unreachable') return { kind: 'error', errno: 'EHOSTUNREACH', forwarding };
  if (route.type === 'prohibit') return { kind: 'error', errno: 'EACCES', forwarding };
  // fib_validate_source: a local source is a martian; rp_filter checks the way back.
  if (!acceptLocal && isLocalAddr(ns, src)) return MARTIAN_SOURCE;
  const rpf = Math.max(confOf(ns, 'all').rp_filter, conf.rp_filter);
  if (rpf > 0) {
    const back = fibLookup(ns.fib, src);
    const ok = back && back.type === 'unicast' && (rpf === 2 || back.dev === inDev.ifindex);
    if (!ok) return RP_FILTERED;
  }
  const gw = route.gateway !== undefined && !isLocalAddr(ns, route.gateway) ? route.gateway : undefined;
  return { kind: 'forward', route, dev: route.dev!, nexthop: gw ?? dst };
}

// ---------------------------------------------------------------------------------------------
// ARP (RFC 826) and proxy ARP (RFC 1027)

function findNeigh(ns: Netns, ip: Ipv4, dev: number): NeighEntry | undefined {
  return ns.neigh.get(neighKey(dev, ip));
}

function setNud(tx: Tx, nsKey: string, dev: string, n: NeighEntry, to: NudState, reason: string): void {
  if (n.state !== to) {
    const from = n.state;
    n.state = to;
    n.updated = tx.now;
    tx.trace({ kind: 'neigh', ns: nsKey, dev, ip: n.ip, from, to, reason });
  }
}

/** arpSend builds and sends an ARP packet (arp_send_dst). */
function arpSend(tx: Tx, nsKey: string, l: Link, op: number, destIp: Ipv4, srcIp: Ipv4, destHw: Mac | null, targetHw: Mac | null): void {
  const arp = encodeArp({ op, senderMac: l.mac, senderIp: srcIp, targetMac: targetHw ?? ZERO_MAC, targetIp: destIp });
  // Ethernet pads short frames to 60 bytes only on real NICs; veth frames stay 42 bytes.
  const frame = encodeEthernet({ dst: destHw ?? BROADCAST_MAC, src: l.mac, ethertype: EtherType.Arp }, arp);
  devXmit(tx, nsKey, l.ifindex, frame);
}

/** neighUpdate is neigh_update for a learned address: the rules for override and STALE downgrades. */
function neighUpdate(tx: Tx, nsKey: string, l: Link, n: NeighEntry, lladdr: Mac, state: NudState, override: boolean, reason: string): void {
  const old = n.state;
  if (old === NudState.Permanent || old === NudState.Noarp) return;
  const valid = old === NudState.Reachable || old === NudState.Stale || old === NudState.Delay || old === NudState.Probe;
  let next = state;
  if (valid) {
    if (lladdr !== n.lladdr && !override) return;
    if (lladdr === n.lladdr && state === NudState.Stale) next = old as NudState;
  }
  if (next === NudState.Reachable) n.confirmed = tx.now;
  n.lladdr = lladdr;
  setNud(tx, nsKey, l.name, n, next, reason);
  const ns = tx.ns(nsKey)!;
  if (next === NudState.Reachable) {
    n.timer = tx.now + reachableTimeUs(ns, l.name);
    tx.schedule({ kind: 'neigh-timer', ns: nsKey, ip: n.ip, dev: n.dev }, n.timer - tx.now);
  } else if (next === NudState.Stale) {
    n.timer = undefined;
  }
  n.probes = 0;
  if (n.queue.length > 0) {
    const queue = n.queue;
    n.queue = [];
    for (const q of queue) neighSendResolved(tx, nsKey, l, n, q.packet);
  }
}

/** reachableTimeUs is the REACHABLE lifetime; the kernel draws it in [base/2, 3·base/2), we take base. */
function reachableTimeUs(ns: Netns, dev: string): number {
  return neighParm(ns, dev, 'base_reachable_time_ms') * 1000;
}

/** neighCreate adds an entry at the end of the table (its creation order is its dump order here). */
function neighCreate(ns: Netns, e: NeighEntry): NeighEntry {
  ns.neigh.set(neighKey(e.dev, e.ip), e);
  return ns.neigh.get(neighKey(e.dev, e.ip))!;
}

/** neighEventNs is neigh_event_ns: create or refresh the entry for the sender of a request as STALE. */
function neighEventNs(tx: Tx, nsKey: string, l: Link, ip: Ipv4, lladdr: Mac): void {
  const ns = tx.ns(nsKey)!;
  const n = findNeigh(ns, ip, l.ifindex);
  if (n === undefined) {
    neighCreate(ns, confirmedNeigh(ip, l.ifindex, lladdr, NudState.Stale, tx.now));
    tx.trace({ kind: 'neigh', ns: nsKey, dev: l.name, ip, from: 'NONE', to: NudState.Stale, reason: 'ARP request from it' });
    return;
  }
  neighUpdate(tx, nsKey, l, n, lladdr, NudState.Stale, true, 'ARP request from it');
}

/** ARP_OFFSET is where the ARP packet starts in an Ethernet frame. */
const ARP_OFFSET = ETHERNET_HEADER_LEN;

/** isEthernetIpv4Arp says whether the frame holds a whole Ethernet/IPv4 ARP packet (what decodeArp accepts). */
function isEthernetIpv4Arp(f: Uint8Array): boolean {
  const o = ARP_OFFSET;
  return (
    f.length >= o + ARP_PACKET_LEN && f[o] === 0 && f[o + 1] === 1 && f[o + 2] === 8 && f[o + 3] === 0 && f[o + 4] === 6 && f[o + 5] === 4
  );
}

/** senderMac is the ARP sender's hardware address as a string, the entry's own string when it is the same. */
function senderMac(frame: Uint8Array, n: NeighEntry | undefined): Mac {
  const at = ARP_OFFSET + 8;
  return n?.lladdr !== undefined && macEqualsBytes(n.lladdr, frame, at) ? n.lladdr : macFromBytes(frame, at);
}

/**
 * arpRcv is arp_process, reading the packet in place. A broadcast request reaches every host of a
 * LAN, so the common case (a request for someone else, no proxy ARP) costs a look at the few local
 * routes and a neighbour lookup, and makes no string.
 */
function arpRcv(tx: Tx, nsKey: string, ns: Netns, l: Link, driver: LinkDriver, frame: Uint8Array, pktType: PacketType): void {
  if (!isEthernetIpv4Arp(frame)) {
    const dec = decodeArp(frame.subarray(ARP_OFFSET));
    drop(tx, nsKey, DropReason.BadHeader, l.name, dec.ok ? undefined : dec.error);
    return;
  }
  if (pktType === 'otherhost' || driver.linkType !== 'ether' || driver.flags.includes('NOARP')) {
    drop(tx, nsKey, DropReason.OtherHost, l.name);
    return;
  }
  const o = ARP_OFFSET;
  const op = (frame[o + 6] << 8) | frame[o + 7];
  const sip = readU32(frame, o + 14);
  const tip = readU32(frame, o + 24);
  if (tip >>> 28 === 14 || tip >>> 24 === 127) return;
  if (op === ArpOp.Request && sip !== 0) {
    const all = confOf(ns, 'all');
    const dev = confOf(ns, l.name);
    const proxy = all.proxy_arp !== 0 || dev.proxy_arp !== 0;
    // Without proxy ARP only a request for one of our addresses is answered, and only a local or
    // broadcast route can make it ours: most of the requests a LAN floods need no route lookup.
    const rt = proxy || tip === 0xffffffff || ns.fib.mayBeLocal(tip) ? ipRouteInput(tx, ns, tip, sip, l, proxy, dev) : NOT_LOCAL;
    if (rt.kind === 'local') {
      const arpIgnore = Math.max(all.arp_ignore, dev.arp_ignore);
      const onDev = ns.addrs.some((a) => a.ifindex === l.ifindex && a.local === tip);
      if (arpIgnore === 0 || (arpIgnore >= 1 && onDev)) {
        const mac = senderMac(frame, findNeigh(ns, sip, l.ifindex));
        neighEventNs(tx, nsKey, l, sip, mac);
        arpSend(tx, nsKey, l, ArpOp.Reply, sip, tip, mac, mac);
      } else {
        drop(tx, nsKey, DropReason.ArpIgnored, l.name);
      }
      return;
    }
    if (rt.kind === 'forward' && rt.dev !== l.ifindex && proxy) {
      const mac = senderMac(frame, findNeigh(ns, sip, l.ifindex));
      neighEventNs(tx, nsKey, l, sip, mac);
      const delay = neighParm(ns, l.name, 'proxy_delay');
      if (pktType === 'host' || delay === 0) {
        arpSend(tx, nsKey, l, ArpOp.Reply, sip, tip, mac, mac);
      } else {
        // pneigh_enqueue waits a random time below proxy_delay (jiffies); we take half of it.
        tx.schedule({ kind: 'proxy-arp', ns: nsKey, ifindex: l.ifindex, frame: frame.subarray(ARP_OFFSET) }, (delay * 10000) / 2);
      }
      return;
    }
  }
  // Any ARP packet refreshes an existing entry for its sender.
  const n = findNeigh(ns, sip, l.ifindex);
  if (n !== undefined) {
    const state = op === ArpOp.Reply && pktType === 'host' ? NudState.Reachable : NudState.Stale;
    const locktime = neighParm(ns, l.name, 'locktime') * 10000;
    const override = tx.now > n.updated + locktime;
    neighUpdate(
      tx,
      nsKey,
      l,
      n,
      senderMac(frame, n),
      state,
      override || n.state === NudState.Incomplete,
      op === ArpOp.Reply ? 'ARP reply' : 'ARP packet from it',
    );
  }
}

/** proxyArpRedo answers a delayed proxy ARP request (parp_redo). */
export function proxyArpRedo(tx: Tx, nsKey: string, ifindex: number, payload: Uint8Array): void {
  const l = tx.ns(nsKey)?.links.get(ifindex);
  if (l === undefined || !l.adminUp) return;
  const dec = decodeArp(payload);
  if (!dec.ok) return;
  arpSend(tx, nsKey, l, ArpOp.Reply, dec.value.senderIp, dec.value.targetIp, dec.value.senderMac, dec.value.senderMac);
}

/** arpSolicit is arp_solicit: broadcast while resolving, unicast to the known address while probing. */
function arpSolicit(tx: Tx, nsKey: string, l: Link, n: NeighEntry): void {
  const ns = tx.ns(nsKey)!;
  let saddr = 0;
  const last = n.queue.length > 0 ? n.queue[n.queue.length - 1].packet : null;
  if (last !== null) {
    const ip = decodeIpv4(last);
    if (ip.ok && ns.addrs.some((a) => a.local === ip.value.repr.src)) saddr = ip.value.repr.src;
  }
  if (!saddr) saddr = inetSelectAddr(ns, l.ifindex, n.ip, RouteScope.Link) || 0;
  const ucast = neighParm(ns, l.name, 'ucast_solicit');
  const unicast = n.probes - ucast < 0 && n.lladdr !== undefined;
  arpSend(tx, nsKey, l, ArpOp.Request, n.ip, saddr, unicast ? n.lladdr! : null, null);
}

function neighMaxProbes(ns: Netns, dev: string, state: NudState | 'NONE'): number {
  return (
    neighParm(ns, dev, 'ucast_solicit') +
    neighParm(ns, dev, 'app_solicit') +
    (state === NudState.Probe ? neighParm(ns, dev, 'mcast_resolicit') : neighParm(ns, dev, 'mcast_solicit'))
  );
}

/** neighProbe sends a solicitation and counts it (neigh_probe). */
function neighProbe(tx: Tx, nsKey: string, l: Link, n: NeighEntry): void {
  arpSolicit(tx, nsKey, l, n);
  n.probes += 1;
}

function armTimer(tx: Tx, nsKey: string, n: NeighEntry, afterUs: number): void {
  n.timer = tx.now + afterUs;
  tx.schedule({ kind: 'neigh-timer', ns: nsKey, ip: n.ip, dev: n.dev }, afterUs);
}

/** KERNEL_HZ is CONFIG_HZ of the kernel the tests compare with (jiffies per second). */
const KERNEL_HZ = 250;

/**
 * timerWheelSlackUs is how late the timer wheel (kernel/time/timer.c, since 4.8) may run a timer
 * armed `afterUs` ahead: expiries round up to their level's granularity, 8^level jiffies, where
 * level 0 holds the next 63 jiffies, level 1 the next 504, level 2 the next 4032, and so on.
 */
export function timerWheelSlackUs(afterUs: number): number {
  const jiffies = Math.ceil((afterUs * KERNEL_HZ) / 1_000_000);
  let level = 0;
  while (level < 8 && jiffies >= 63 * 8 ** level) level++;
  return (8 ** level * 1_000_000) / KERNEL_HZ;
}

/** neighTimer is neigh_timer_handler. */
export function neighTimer(tx: Tx, nsKey: string, ip: Ipv4, dev: number): void {
  const ns = tx.ns(nsKey);
  if (ns === undefined) return;
  const n = findNeigh(ns, ip, dev);
  const l = ns.links.get(dev);
  if (n === undefined || l === undefined || n.timer !== tx.now) return;
  n.timer = undefined;
  const now = tx.now;
  const delayUs = neighParm(ns, l.name, 'delay_first_probe_time') * 1_000_000;
  const retransUs = Math.max(neighParm(ns, l.name, 'retrans_time_ms') * 1000, 10_000);
  switch (n.state) {
    case NudState.Reachable: {
      const reach = reachableTimeUs(ns, l.name);
      if (now < n.confirmed + reach) {
        armTimer(tx, nsKey, n, n.confirmed + reach - now);
      } else if (now < n.used + delayUs) {
        setNud(tx, nsKey, l.name, n, NudState.Delay, 'reachable time expired, recently used');
        armTimer(tx, nsKey, n, delayUs);
      } else {
        setNud(tx, nsKey, l.name, n, NudState.Stale, 'reachable time expired');
      }
      return;
    }
    case NudState.Delay: {
      // The timer wheel runs a 5 s timer up to one granularity late (timerWheelSlackUs), and the
      // check is made then: a confirmation within that slack of entering DELAY (a short TCP
      // exchange's ACKs) no longer counts, and the entry is probed.
      if (now + timerWheelSlackUs(delayUs) <= n.confirmed + delayUs) {
        setNud(tx, nsKey, l.name, n, NudState.Reachable, 'confirmed while delayed');
        armTimer(tx, nsKey, n, n.confirmed + reachableTimeUs(ns, l.name) - now);
        return;
      }
      setNud(tx, nsKey, l.name, n, NudState.Probe, 'delay expired without confirmation');
      n.probes = 0;
      neighProbe(tx, nsKey, l, n);
      armTimer(tx, nsKey, n, retransUs);
      return;
    }
    case NudState.Probe:
    case NudState.Incomplete: {
      if (n.probes >= neighMaxProbes(ns, l.name, n.state)) {
        setNud(tx, nsKey, l.name, n, NudState.Failed, 'no answer to solicitations');
        const queue = n.queue;
        n.queue = [];
        for (const q of queue) {
          drop(tx, nsKey, DropReason.NeighFailed, l.name);
          // arp_error_report: the sender learns the host is unreachable.
          icmpSend(tx, nsKey, q.packet, 3, 1, undefined, null);
        }
        return;
      }
      neighProbe(tx, nsKey, l, n);
      armTimer(tx, nsKey, n, retransUs);
      return;
    }
    default:
      return;
  }
}

/** neighSendResolved puts the Ethernet header on a packet for a resolved neighbour and sends it. */
function neighSendResolved(tx: Tx, nsKey: string, l: Link, n: NeighEntry, packet: Uint8Array): void {
  const frame = encodeEthernet({ dst: n.lladdr!, src: l.mac, ethertype: EtherType.Ipv4 }, packet);
  devXmit(tx, nsKey, l.ifindex, frame);
}

/**
 * neighConfirm is neigh_confirm from ip_finish_output2: a transport's evidence that the next hop
 * answers (a TCP ACK of new data) stamps the entry as confirmed, so its timers keep it REACHABLE.
 */
function neighConfirm(tx: Tx, nsKey: string, dev: number, nexthop: Ipv4): void {
  const ns = tx.ns(nsKey)!;
  const n = findNeigh(ns, nexthop, dev);
  if (n !== undefined) n.confirmed = tx.now;
}

/**
 * neighOutput is ip_finish_output2: a device without a link-layer header takes the packet as it is,
 * loopback gets a zero header, and anything else goes through neigh_resolve_output with
 * __neigh_event_send's state machine.
 */
export function neighOutput(tx: Tx, nsKey: string, dev: number, nexthop: Ipv4, packet: Uint8Array, local: boolean): void {
  const ns = tx.ns(nsKey)!;
  const l = ns.links.get(dev);
  if (l === undefined) return;
  const driver = tx.drivers.of(l);
  if (driver.l3) {
    devXmit(tx, nsKey, dev, packet);
    return;
  }
  if (driver.linkType === 'loopback') {
    devXmit(tx, nsKey, dev, encodeEthernet({ dst: ZERO_MAC, src: ZERO_MAC, ethertype: EtherType.Ipv4 }, packet));
    return;
  }
  let n = findNeigh(ns, nexthop, dev);
  if (n === undefined) {
    n = neighCreate(ns, {
      ip: nexthop,
      dev,
      state: 'NONE',
      probes: 0,
      confirmed: 0,
      updated: tx.now,
      used: tx.now,
      timer: undefined,
      queue: [],
    });
  }
  n.used = tx.now;
  switch (n.state) {
    case NudState.Reachable:
    case NudState.Permanent:
    case NudState.Noarp:
    case NudState.Delay:
    case NudState.Probe:
      neighSendResolved(tx, nsKey, l, n, packet);
      return;
    case NudState.Stale:
      setNud(tx, nsKey, l.name, n, NudState.Delay, 'used while stale');
      armTimer(tx, nsKey, n, neighOf(ns, l.name).delay_first_probe_time * 1_000_000);
      neighSendResolved(tx, nsKey, l, n, packet);
      return;
    case NudState.Incomplete: {
      n.queue.push({ packet, local });
      const max = neighParm(ns, l.name, 'unres_qlen');
      while (n.queue.length > max) {
        n.queue.shift();
        drop(tx, nsKey, DropReason.NeighQueueFull, l.name);
      }
      return;
    }
    default: {
      // NONE or FAILED: start resolving.
      const from = n.state;
      n.probes = neighParm(ns, l.name, 'ucast_solicit');
      n.state = NudState.Incomplete;
      n.updated = tx.now;
      n.lladdr = undefined;
      tx.trace({ kind: 'neigh', ns: nsKey, dev: l.name, ip: nexthop, from, to: NudState.Incomplete, reason: 'packet needs resolution' });
      n.queue.push({ packet, local });
      armTimer(tx, nsKey, n, Math.max(neighOf(ns, l.name).retrans_time_ms * 1000, 10_000));
      neighProbe(tx, nsKey, l, n);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// IPv4 input, forwarding and output

/** ipRcv is ip_rcv + ip_rcv_finish. */
function ipRcv(tx: Tx, nsKey: string, ns: Netns, l: Link, payload: Uint8Array, _pktType: PacketType): void {
  const dec = decodeIpv4(payload);
  if (!dec.ok || !dec.value.checksumValid) {
    drop(tx, nsKey, DropReason.BadHeader, l.name, dec.ok ? 'bad checksum' : dec.error);
    return;
  }
  const ip = dec.value;
  const rt = ipRouteInput(tx, ns, ip.repr.dst, ip.repr.src, l);
  const packet = payload.subarray(0, ip.totalLength);
  switch (rt.kind) {
    case 'martian':
      drop(tx, nsKey, rt.reason, l.name);
      return;
    case 'local':
      tx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: null, input: true });
      ipLocalDeliver(tx, nsKey, l, ip, packet);
      return;
    case 'error': {
      tx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: null, input: true });
      if (!rt.forwarding) {
        drop(tx, nsKey, DropReason.ForwardingDisabled, l.name);
        return;
      }
      if (rt.errno === 'BLACKHOLE') {
        drop(tx, nsKey, DropReason.Blackhole, l.name);
        return;
      }
      // ip_error: net/host unreachable or administratively prohibited back to the sender.
      const code = rt.errno === 'ENETUNREACH' ? 0 : rt.errno === 'EHOSTUNREACH' ? 1 : 13;
      drop(
        tx,
        nsKey,
        rt.errno === 'ENETUNREACH' ? DropReason.NoRoute : rt.errno === 'EACCES' ? DropReason.Prohibit : DropReason.Unreachable,
        l.name,
      );
      icmpSend(tx, nsKey, packet, 3, code, undefined, l);
      return;
    }
    case 'forward':
      tx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: rt.route, input: true });
      ipForward(tx, nsKey, l, ip, packet, rt.dev, rt.nexthop);
      return;
  }
}

/** ipDecreaseTtl returns a copy of the packet with its TTL one lower and the checksum updated (ip_decrease_ttl). */
function ipDecreaseTtl(packet: Uint8Array, headerLength: number): Uint8Array {
  const fwd = allocBytes(packet.length);
  fwd.set(packet);
  fwd[8] -= 1;
  // Recomputing the header checksum gives the bytes of the kernel's incremental update (RFC 1624).
  fwd[10] = 0;
  fwd[11] = 0;
  let sum = 0;
  for (let i = 0; i < headerLength; i += 2) sum += (fwd[i] << 8) | fwd[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const ck = ~sum & 0xffff;
  fwd[10] = ck >>> 8;
  fwd[11] = ck & 255;
  return fwd;
}

/** ipForward is ip_forward: TTL, MTU, then out through the neighbour layer. */
function ipForward(tx: Tx, nsKey: string, inDev: Link, ip: Ipv4Decoded, packet: Uint8Array, outDev: number, nexthop: Ipv4): void {
  const ns = tx.ns(nsKey)!;
  if (ip.repr.ttl <= 1) {
    drop(tx, nsKey, DropReason.TtlExceeded, inDev.name);
    icmpSend(tx, nsKey, packet, 11, 0, undefined, inDev);
    return;
  }
  const out = ns.links.get(outDev)!;
  if (packet.length > out.mtu && ip.repr.dontFrag) {
    drop(tx, nsKey, DropReason.FragNeeded, inDev.name);
    icmpSend(tx, nsKey, packet, 3, 4, out.mtu, inDev);
    return;
  }
  const fwd = ipDecreaseTtl(packet, ip.headerLength);
  const frags = fwd.length > out.mtu ? ipFragment(fwd, out.mtu) : [fwd];
  for (const f of frags) neighOutput(tx, nsKey, outDev, nexthop, f, false);
}

/** ipLocalDeliver is ip_local_deliver: ICMP echo is answered here, UDP tunnel sockets take theirs, the rest goes to sockets. */
function ipLocalDeliver(tx: Tx, nsKey: string, l: Link, ipIn: Ipv4Decoded, packetIn: Uint8Array): void {
  const ns = tx.ns(nsKey)!;
  let ip = ipIn;
  let packet = packetIn;
  if (ip.repr.moreFrags || ip.repr.fragOffset > 0) {
    const whole = ipDefrag(ns, ip);
    if (whole === null) return;
    packet = whole;
    const dec = decodeIpv4(whole);
    if (!dec.ok) return;
    ip = dec.value;
  }
  if (ip.repr.protocol === IpProtocol.Icmp) {
    const icmp = decodeIcmp(ip.payload);
    if (!icmp.ok) {
      drop(tx, nsKey, DropReason.BadHeader, l.name, icmp.error);
      return;
    }
    const m = icmp.value.repr;
    if (m.type === 'dest-unreachable' && m.code === 4 && m.nextHopMtu) {
      // ip_rt_update_pmtu: remember the smaller path MTU towards the quoted destination.
      const quoted = m.invoking;
      if (quoted.length >= 20) {
        const qdst = ((quoted[16] << 24) | (quoted[17] << 16) | (quoted[18] << 8) | quoted[19]) >>> 0;
        const cur = pmtuOf(ns, qdst, tx.now) ?? Infinity;
        if (m.nextHopMtu >= 552 && m.nextHopMtu < cur) ns.pmtu.set(qdst, { mtu: m.nextHopMtu, expires: tx.now + PMTU_EXPIRES_US });
      }
    }
    if (m.type === 'echo-request') {
      if (globalNum(ns, 'net.ipv4.icmp_echo_ignore_all') === 1) return;
      tx.trace({ kind: 'deliver', ns: nsKey, what: 'ICMP echo request answered by the kernel' });
      const reply = encodeIcmp({ type: 'echo-reply', ident: m.ident, seq: m.seq, data: m.data });
      ipSendLocal(tx, nsKey, ip.repr.dst, ip.repr.src, IpProtocol.Icmp, reply, { ttl: defaultTtl(ns), pmtudisc: 'dont' });
      return;
    }
  }
  if (ip.repr.protocol === IpProtocol.Udp) {
    const udp = decodeUdp(ip.payload, ip.repr.src, ip.repr.dst);
    if (udp.ok) {
      const sock = ns.udpEncap.get(udp.value.repr.dstPort);
      const handler = sock === undefined ? undefined : tx.drivers.get(sock.kind)?.encapRcv;
      if (sock && handler?.(tx, nsKey, sock, ip, udp.value)) return;
      drop(tx, nsKey, DropReason.NoSocket, l.name);
      icmpSend(tx, nsKey, packet, 3, 3, undefined, l);
      return;
    }
  }
  tx.deliver({ ns: nsKey, ip, dev: l.ifindex });
}

/** pmtuOf is the learned path MTU towards `dst`, if one has not expired. */
export function pmtuOf(ns: Netns, dst: Ipv4, now: number): number | undefined {
  const e = ns.pmtu.get(dst);
  return e !== undefined && now < e.expires ? e.mtu : undefined;
}

/** ipDefrag adds a fragment to its queue (ip_defrag) and returns the whole datagram once complete. */
function ipDefrag(ns: Netns, ip: Ipv4Decoded): Uint8Array | null {
  const key = `${ip.repr.src}-${ip.repr.dst}-${ip.repr.ident}-${ip.repr.protocol}`;
  const parts = [...(ns.reasm.get(key) ?? []), { offset: ip.repr.fragOffset * 8, data: ip.payload, more: ip.repr.moreFrags }];
  parts.sort((a, b) => a.offset - b.offset);
  let next = 0;
  let complete = false;
  for (const p of parts) {
    if (p.offset > next) break;
    next = Math.max(next, p.offset + p.data.length);
    if (!p.more) complete = true;
  }
  if (!complete) {
    ns.reasm.set(key, parts);
    return null;
  }
  ns.reasm.delete(key);
  const payload = new Uint8Array(next);
  for (const p of parts) payload.set(p.data, p.offset);
  return encodeIpv4({ ...ip.repr, moreFrags: false, fragOffset: 0 }, payload);
}

/** defaultTtl is net.ipv4.ip_default_ttl. */
export function defaultTtl(ns: Netns): number {
  return globalNum(ns, 'net.ipv4.ip_default_ttl');
}

/** SendOpts are the socket options that shape a locally generated datagram. */
export interface SendOpts {
  readonly ttl: number;
  /** pmtudisc is IP_MTU_DISCOVER (ip(7)): `do` sets DF and refuses, `want` sets DF when it fits, `dont` never. */
  readonly pmtudisc: PmtuDisc;
  readonly oif?: number;
  /** confirmNeigh is skb->dst_pending_confirm: sending confirms the next hop's neighbour entry (sock_confirm_neigh). */
  readonly confirmNeigh?: boolean;
}

/** PmtuDisc is the socket's IP_MTU_DISCOVER mode. */
export type PmtuDisc = 'do' | 'want' | 'dont';

/** ipFragment splits a datagram into fragments that fit `mtu` (ip_do_fragment); DF is cleared. */
export function ipFragment(packet: Uint8Array, mtu: number): Uint8Array[] {
  const dec = decodeIpv4(packet);
  if (!dec.ok) return [packet];
  const { repr, payload } = dec.value;
  const maxData = Math.floor((mtu - 20) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += maxData) {
    const chunk = payload.subarray(off, Math.min(payload.length, off + maxData));
    const more = off + maxData < payload.length || repr.moreFrags;
    out.push(encodeIpv4({ ...repr, dontFrag: false, moreFrags: more, fragOffset: repr.fragOffset + off / 8 }, chunk));
  }
  return out;
}

/** ipSendLocal routes and sends a locally generated datagram (ip_queue_xmit / ip_push_pending_frames). */
export function ipSendLocal(
  tx: Tx,
  nsKey: string,
  src: Ipv4,
  dst: Ipv4,
  protocol: number,
  payload: Uint8Array,
  opts: SendOpts,
): { errno: Errno | 'EMSGSIZE'; mtu?: number } | null {
  const ns = tx.ns(nsKey)!;
  const rt = ipRouteOutput(ns, dst, src, opts.oif);
  tx.trace({ kind: 'fib-lookup', ns: nsKey, dst, route: 'errno' in rt ? null : rt.route, input: false });
  if ('errno' in rt) return { errno: rt.errno };
  const ident = ns.ipIdent;
  ns.ipIdent = (ns.ipIdent + 1) & 0xffff;
  const mtu = rt.local ? 65536 : Math.min(ns.links.get(rt.dev)!.mtu, pmtuOf(ns, dst, tx.now) ?? Infinity);
  const fits = 20 + payload.length <= mtu;
  if (!fits && opts.pmtudisc === 'do') return { errno: 'EMSGSIZE', mtu };
  const repr: Ipv4Repr = {
    src: rt.prefsrc,
    dst,
    protocol,
    ttl: opts.ttl,
    ident,
    tos: 0,
    dontFrag: opts.pmtudisc !== 'dont' && fits,
    moreFrags: false,
    fragOffset: 0,
  };
  const packet = encodeIpv4(repr, payload);
  if (rt.local) {
    const lo = ns.links.get(LOOPBACK_IFINDEX);
    if (lo === undefined || !lo.adminUp) return { errno: 'ENETUNREACH' };
    neighOutput(tx, nsKey, LOOPBACK_IFINDEX, dst, packet, true);
    return null;
  }
  if (opts.confirmNeigh === true) neighConfirm(tx, nsKey, rt.dev, rt.nexthop);
  if (fits) neighOutput(tx, nsKey, rt.dev, rt.nexthop, packet, true);
  else for (const p of ipFragment(packet, mtu)) neighOutput(tx, nsKey, rt.dev, rt.nexthop, p, true);
  return null;
}

/** icmpSend is icmp_send: an error about `packet` back to its source, never about an ICMP error. */
export function icmpSend(
  tx: Tx,
  nsKey: string,
  packet: Uint8Array,
  type: number,
  code: number,
  mtu: number | undefined,
  inDev: Link | null,
): void {
  const dec = decodeIpv4(packet);
  if (!dec.ok) return;
  const orig = dec.value;
  if (orig.repr.fragOffset !== 0) return;
  if (orig.repr.protocol === IpProtocol.Icmp) {
    const inner = decodeIcmp(orig.payload);
    if (!inner.ok || (inner.value.repr.type !== 'echo-request' && inner.value.repr.type !== 'echo-reply')) return;
  }
  const ns = tx.ns(nsKey)!;
  // The source: the packet's own destination when it was for us; otherwise what routing picks.
  let saddr = isLocalAddr(ns, orig.repr.dst) ? orig.repr.dst : 0;
  if (!saddr && inDev !== null && globalNum(ns, 'net.ipv4.icmp_errors_use_inbound_ifaddr') === 1) {
    saddr = inetSelectAddr(ns, inDev.ifindex, orig.repr.src, RouteScope.Link) || 0;
  }
  // Linux quotes as much of the original as fits in 576 bytes.
  const room = 576 - 20 - 8;
  const invoking = packet.subarray(0, Math.min(packet.length, room));
  const msg =
    type === 11
      ? encodeIcmp({ type: 'time-exceeded', code, invoking })
      : encodeIcmp({ type: 'dest-unreachable', code, ...(mtu !== undefined ? { nextHopMtu: mtu } : {}), invoking });
  ipSendLocal(tx, nsKey, saddr, orig.repr.src, IpProtocol.Icmp, msg, { ttl: defaultTtl(ns), pmtudisc: 'dont' });
}
