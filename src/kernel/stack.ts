// The IPv4 data path: device transmit and receive (net/core/dev.c), input routing and forwarding (net/ipv4/route.c,
// ip_input.c, ip_forward.c), output (ip_output.c), fragmentation (ip_fragment.c) and ICMP errors
// (icmp.c). Devices are drivers (driver.ts): this file dispatches on them and holds no kind-specific
// code. Handlers change the namespaces the step context hands out and give it what they emit; they
// never print.

import { type Ipv4, macEqualsBytes } from '../model/addr.js';
import {
  allocBytes,
  EtherType,
  IpProtocol,
  type Ipv4Decoded,
  type Ipv4Repr,
  decodeEthernet,
  ETHERNET_HEADER_LEN,
  decodeIcmp,
  decodeIpv4,
  decodeUdp,
  encodeIcmp,
  encodeIpv4,
} from '../model/wire/index.js';
import { type Link, type Netns, type Route, RouteScope } from '../model/world.js';
import { inetSelectAddr, ipRouteOutputSaddr } from './addrsel.js';
import type { Tx } from './driver.js';
import { fibLookup } from './fib.js';
import { LOOPBACK_IFINDEX } from './netns.js';
import { confOf, globalNum } from './sysctl.js';
import { DropReason } from './trace.js';
import { arpRcv, neighConfirm, neighOutput } from './arp.js';

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
export type InputRoute =
  | { readonly kind: 'local' }
  | { readonly kind: 'forward'; readonly route: Route; readonly dev: number; readonly nexthop: Ipv4 }
  | { readonly kind: 'error'; readonly errno: Errno | 'BLACKHOLE'; readonly forwarding: boolean }
  | { readonly kind: 'martian'; readonly reason: DropReason }
  | { readonly kind: 'not-local' };

const LOCAL: InputRoute = { kind: 'local' };
export const NOT_LOCAL: InputRoute = { kind: 'not-local' };
const MARTIAN_SOURCE: InputRoute = { kind: 'martian', reason: DropReason.MartianSource };
const RP_FILTERED: InputRoute = { kind: 'martian', reason: DropReason.RpFilter };

/**
 * ipRouteInput is ip_route_input_slow: local delivery, forwarding, or an error route. A caller that
 * only needs to know whether the packet is for this host (`wantForward` false: arp_process without
 * proxy ARP) gets `not-local` for everything else; the checks skipped have no side effects.
 */
export function ipRouteInput(
  tx: Tx,
  ns: Netns,
  dst: Ipv4,
  src: Ipv4,
  inDev: Link,
  wantForward = true,
  conf = confOf(ns, inDev.name),
): InputRoute {
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
