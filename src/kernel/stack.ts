// The IPv4 data path: device transmit and receive (net/core/dev.c), veth (drivers/net/veth.c),
// the bridge (net/bridge/br_input.c, br_forward.c, br_fdb.c), ARP and proxy ARP (net/ipv4/arp.c),
// the neighbour state machine (net/core/neighbour.c), input routing and forwarding
// (net/ipv4/route.c, ip_input.c, ip_forward.c), output (ip_output.c) and ICMP errors (icmp.c).
// Handlers mutate an immer draft and hand what they emit to a StepCtx; they never print.

import type { Draft } from 'immer';
import { BROADCAST_MAC, ZERO_MAC, type Ipv4, type Mac, cidrContains, isMulticastMac } from '../model/addr.js';
import {
  ArpOp,
  EtherType,
  IpProtocol,
  type Ipv4Decoded,
  type Ipv4Repr,
  decodeArp,
  decodeEthernet,
  decodeIcmp,
  decodeIpv4,
  decodeUdp,
  decodeVxlan,
  encodeArp,
  encodeEthernet,
  encodeIcmp,
  encodeIpv4,
  encodeUdp,
  encodeVxlan,
} from '../model/wire/index.js';
import {
  type Link,
  type NeighEntry,
  type Netns,
  NudState,
  type Route,
  RouteScope,
  type World,
} from '../model/world.js';
import { inetSelectAddr } from './addrsel.js';
import { fibLookup } from './fib.js';
import { confGet, hasCarrier, neighParm } from './netns.js';
import { DropReason, type TraceEvent } from './trace.js';

type DWorld = Draft<World>;
type DNetns = Draft<Netns>;

/** SimEvent is something scheduled on the virtual clock. */
export type SimEvent =
  | { readonly kind: 'rx'; readonly ns: string; readonly ifindex: number; readonly frame: Uint8Array }
  | { readonly kind: 'neigh-timer'; readonly ns: string; readonly ip: Ipv4; readonly dev: number }
  | { readonly kind: 'proxy-arp'; readonly ns: string; readonly ifindex: number; readonly frame: Uint8Array }
  | { readonly kind: 'app'; readonly id: number };

/** LocalPacket is an IPv4 datagram delivered to this host's sockets (after ICMP echo handling). */
export interface LocalPacket {
  readonly ns: string;
  readonly ip: Ipv4Decoded;
  readonly dev: number;
}

/** StepCtx receives what a handler emits: scheduled events, trace events and local deliveries. */
export interface StepCtx {
  schedule(ev: SimEvent, delayUs: number): void;
  trace(ev: TraceEvent): void;
  deliver(p: LocalPacket): void;
  /** captureHook lets the engine see every frame a device sends or receives (tcpdump). */
  capture(ns: string, ifindex: number, frame: Uint8Array): void;
}

/** WIRE_DELAY_US is how long a frame takes across a veth or bridge hop (keeps timers after traffic). */
export const WIRE_DELAY_US = 2;

/** PacketType is skb->pkt_type as eth_type_trans sets it. */
type PacketType = 'host' | 'broadcast' | 'multicast' | 'otherhost';

function drop(d: DWorld, ctx: StepCtx, nsKey: string, reason: DropReason, dev?: string, detail?: string): void {
  const ns = d.namespaces[nsKey];
  if (ns) ns.drops[reason] = (ns.drops[reason] ?? 0) + 1;
  ctx.trace({ kind: 'drop', ns: nsKey, ...(dev !== undefined ? { dev } : {}), reason, ...(detail !== undefined ? { detail } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Devices

/** devXmit sends a frame out of a device (dev_queue_xmit): taps see it, then the driver moves it. */
export function devXmit(d: DWorld, ctx: StepCtx, nsKey: string, ifindex: number, frame: Uint8Array): void {
  const ns = d.namespaces[nsKey];
  const l = ns?.links[ifindex];
  if (!l) return;
  if (!l.adminUp) {
    drop(d, ctx, nsKey, DropReason.LinkDown, l.name);
    return;
  }
  l.stats.txPackets += 1;
  l.stats.txBytes += frame.length;
  ctx.capture(nsKey, ifindex, frame);
  ctx.trace({ kind: 'tx', ns: nsKey, dev: l.name, frame });
  switch (l.kind) {
    case 'veth': {
      const peer = l.peer && d.namespaces[l.peer.ns]?.links[l.peer.ifindex];
      if (!peer || !peer.adminUp) {
        l.stats.txDropped += 1;
        drop(d, ctx, nsKey, DropReason.NoCarrier, l.name);
        return;
      }
      ctx.schedule({ kind: 'rx', ns: l.peer!.ns, ifindex: l.peer!.ifindex, frame }, WIRE_DELAY_US);
      return;
    }
    case 'loopback':
      ctx.schedule({ kind: 'rx', ns: nsKey, ifindex, frame }, 0);
      return;
    case 'bridge':
      bridgeDevXmit(d, ctx, nsKey, l as Link, frame);
      return;
    case 'vxlan':
      vxlanXmit(d, ctx, nsKey, l as Link, frame);
      return;
    default:
      return;
  }
}

/** netifRx receives a frame on a device (__netif_receive_skb): taps, bridge hook, then the protocols. */
export function netifRx(d: DWorld, ctx: StepCtx, nsKey: string, ifindex: number, frame: Uint8Array): void {
  const ns = d.namespaces[nsKey];
  const l = ns?.links[ifindex];
  if (!l) return;
  if (!l.adminUp) {
    drop(d, ctx, nsKey, DropReason.LinkDown, l.name);
    return;
  }
  l.stats.rxPackets += 1;
  l.stats.rxBytes += frame.length;
  ctx.capture(nsKey, ifindex, frame);
  ctx.trace({ kind: 'rx', ns: nsKey, dev: l.name, frame });
  if (l.master !== undefined) {
    bridgeInput(d, ctx, nsKey, l as Link, frame);
    return;
  }
  l3Rx(d, ctx, nsKey, l as Link, frame);
}

/** l3Rx hands a frame received by `l` itself to ARP or IPv4 (eth_type_trans + the protocol handlers). */
function l3Rx(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, frame: Uint8Array): void {
  const eth = decodeEthernet(frame);
  if (!eth.ok) {
    drop(d, ctx, nsKey, DropReason.BadHeader, l.name, eth.error);
    return;
  }
  const dst = eth.value.repr.dst;
  const pktType: PacketType =
    l.kind === 'loopback'
      ? 'host'
      : dst === BROADCAST_MAC
        ? 'broadcast'
        : isMulticastMac(dst)
          ? 'multicast'
          : dst === l.mac
            ? 'host'
            : 'otherhost';
  if (eth.value.repr.ethertype === EtherType.Arp) {
    arpRcv(d, ctx, nsKey, l, eth.value.payload, pktType);
  } else if (eth.value.repr.ethertype === EtherType.Ipv4) {
    if (pktType === 'otherhost') {
      drop(d, ctx, nsKey, DropReason.OtherHost, l.name);
      return;
    }
    ipRcv(d, ctx, nsKey, l, eth.value.payload, pktType);
  } else {
    drop(d, ctx, nsKey, DropReason.UnknownProtocol, l.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Bridge

function bridgePorts(ns: DNetns, br: number): Draft<Link>[] {
  return Object.values(ns.links)
    .filter((p) => p.master === br)
    .sort((a, b) => a.ifindex - b.ifindex);
}

/** bridgeInput is br_handle_frame: learn the source, then deliver up, forward or flood. */
function bridgeInput(d: DWorld, ctx: StepCtx, nsKey: string, port: Link, frame: Uint8Array): void {
  const ns = d.namespaces[nsKey];
  const br = ns.links[port.master!];
  if (!br || !br.adminUp) {
    drop(d, ctx, nsKey, DropReason.NotBridgeForwarding, port.name);
    return;
  }
  const eth = decodeEthernet(frame);
  if (!eth.ok) {
    drop(d, ctx, nsKey, DropReason.BadHeader, port.name, eth.error);
    return;
  }
  const { src, dst } = eth.value.repr;
  if (!isMulticastMac(src)) fdbLearn(d, br, port.ifindex, src);
  if (isMulticastMac(dst)) {
    bridgeFlood(d, ctx, nsKey, br as Link, frame, port.ifindex);
    bridgeLocalIn(d, ctx, nsKey, br as Link, frame);
    return;
  }
  const entry = br.fdb.find((f) => f.mac === dst && !f.self);
  if (entry && entry.local) {
    bridgeLocalIn(d, ctx, nsKey, br as Link, frame);
    return;
  }
  if (entry) {
    if (entry.port === port.ifindex) {
      drop(d, ctx, nsKey, DropReason.BridgeSamePort, port.name);
      return;
    }
    devXmit(d, ctx, nsKey, entry.port, frame);
    return;
  }
  bridgeFlood(d, ctx, nsKey, br as Link, frame, port.ifindex);
}

function fdbLearn(d: DWorld, br: Draft<Link>, port: number, mac: Mac): void {
  const existing = br.fdb.find((f) => f.mac === mac && !f.self);
  if (existing) {
    if (existing.local || existing.permanent) return;
    existing.port = port;
    existing.updated = d.now;
    return;
  }
  br.fdb.unshift({ mac, port, local: false, permanent: false, self: false, updated: d.now });
}

function bridgeFlood(d: DWorld, ctx: StepCtx, nsKey: string, br: Link, frame: Uint8Array, except: number): void {
  const ns = d.namespaces[nsKey];
  for (const p of bridgePorts(ns, br.ifindex)) {
    if (p.ifindex === except || !p.adminUp) continue;
    devXmit(d, ctx, nsKey, p.ifindex, frame);
  }
}

/** bridgeLocalIn passes a frame up the bridge device itself (br_pass_frame_up). */
function bridgeLocalIn(d: DWorld, ctx: StepCtx, nsKey: string, br: Link, frame: Uint8Array): void {
  const dbr = d.namespaces[nsKey].links[br.ifindex];
  dbr.stats.rxPackets += 1;
  dbr.stats.rxBytes += frame.length;
  ctx.capture(nsKey, br.ifindex, frame);
  ctx.trace({ kind: 'rx', ns: nsKey, dev: br.name, frame });
  l3Rx(d, ctx, nsKey, br, frame);
}

/** bridgeDevXmit is br_dev_xmit: frames the host sends through the bridge device. */
function bridgeDevXmit(d: DWorld, ctx: StepCtx, nsKey: string, br: Link, frame: Uint8Array): void {
  const eth = decodeEthernet(frame);
  if (!eth.ok) return;
  const dst = eth.value.repr.dst;
  if (!isMulticastMac(dst)) {
    const entry = d.namespaces[nsKey].links[br.ifindex].fdb.find((f) => f.mac === dst && !f.self);
    if (entry && !entry.local) {
      devXmit(d, ctx, nsKey, entry.port, frame);
      return;
    }
    if (entry && entry.local) return;
  }
  bridgeFlood(d, ctx, nsKey, br, frame, -1);
}

// ---------------------------------------------------------------------------------------------
// VXLAN (RFC 7348, drivers/net/vxlan/vxlan_core.c)

/** vxlanXmit encapsulates an Ethernet frame in UDP towards the VTEP its FDB names. */
function vxlanXmit(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, frame: Uint8Array): void {
  const eth = decodeEthernet(frame);
  if (!eth.ok || !l.vxlan) return;
  const dst = eth.value.repr.dst;
  let remotes = l.fdb.filter((f) => f.mac === dst && f.dst !== undefined);
  if (remotes.length === 0) remotes = l.fdb.filter((f) => f.mac === ZERO_MAC && f.dst !== undefined);
  if (remotes.length === 0) {
    drop(d, ctx, nsKey, DropReason.VxlanNoFdb, l.name);
    return;
  }
  const ns = d.namespaces[nsKey];
  for (const r of remotes) {
    const payload = encodeVxlan({ vni: l.vxlan.vni }, frame);
    // udp_flow_src_port: a hash of the inner flow inside the local port range.
    // The flow hash is symmetric (flow_hash_from_keys orders the addresses), so both directions share a port.
    let h = 0;
    const inner = eth.value.payload;
    if (eth.value.repr.ethertype === EtherType.Ipv4 && inner.length >= 20) {
      const a = ((inner[12] << 24) | (inner[13] << 16) | (inner[14] << 8) | inner[15]) >>> 0;
      const b = ((inner[16] << 24) | (inner[17] << 16) | (inner[18] << 8) | inner[19]) >>> 0;
      h = (Math.imul(Math.min(a, b) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.max(a, b), 0xc2b2ae35) ^ inner[9]) >>> 0;
    } else {
      for (let i = 0; i < Math.min(frame.length, 64); i++) h = (Math.imul(h, 31) + frame[i]) >>> 0;
    }
    const srcPort = 32768 + (h % (60999 - 32768 + 1));
    const route = ipRouteOutput(ns as Netns, r.dst!, 0);
    if ('errno' in route) {
      drop(d, ctx, nsKey, DropReason.NoRoute, l.name);
      continue;
    }
    const src = l.vxlan.local ?? route.prefsrc;
    const udp = encodeUdp({ srcPort, dstPort: l.vxlan.dstport }, payload, src, r.dst!);
    const repr: Ipv4Repr = {
      src,
      dst: r.dst!,
      protocol: IpProtocol.Udp,
      ttl: 64,
      ident: 0,
      tos: 0,
      dontFrag: false,
      moreFrags: false,
      fragOffset: 0,
    };
    const packet = encodeIpv4(repr, udp);
    ctx.trace({ kind: 'encap', ns: nsKey, dev: l.name, outer: packet });
    neighOutput(d, ctx, nsKey, route.dev, route.nexthop, packet, true);
  }
}

/** vxlanRcv decapsulates a datagram that arrived on a VXLAN device's UDP port. */
function vxlanRcv(d: DWorld, ctx: StepCtx, nsKey: string, ip: Ipv4Decoded, dport: number, payload: Uint8Array): boolean {
  const ns = d.namespaces[nsKey];
  const dev = Object.values(ns.links).find((l) => l.kind === 'vxlan' && l.vxlan && l.vxlan.dstport === dport && l.adminUp);
  if (!dev || !dev.vxlan) return false;
  const vx = decodeVxlan(payload);
  if (!vx.ok || vx.value.repr.vni !== dev.vxlan.vni) return false;
  const inner = vx.value.payload;
  ctx.trace({ kind: 'decap', ns: nsKey, dev: dev.name, inner });
  if (dev.vxlan.learning) {
    const eth = decodeEthernet(inner);
    if (eth.ok && !dev.fdb.some((f) => f.mac === eth.value.repr.src)) {
      dev.fdb.push({ mac: eth.value.repr.src, port: dev.ifindex, dst: ip.repr.src, local: false, permanent: false, self: true, updated: d.now });
    }
  }
  netifRx(d, ctx, nsKey, dev.ifindex, inner);
  return true;
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

function usable(ns: Netns) {
  return (r: Route) => r.dev === undefined || !!ns.links[r.dev]?.adminUp;
}

/** ipRouteOutput looks up the route for a locally generated packet and picks its source address. */
export function ipRouteOutput(ns: Netns, dst: Ipv4, src: Ipv4, oif?: number): OutputRoute | { errno: Errno } {
  const route = fibLookup(ns.routes, dst, { usable: usable(ns) });
  if (!route) return { errno: 'ENETUNREACH' };
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
    return { route, dev: route.type === 'local' ? 1 : route.dev!, nexthop: dst, prefsrc: src || route.prefsrc || dst, local: route.type === 'local' };
  }
  const dev = oif ?? route.dev!;
  // A gateway that is one of our own addresses gets nexthop scope host: the kernel then ignores it.
  const gw = route.gateway !== undefined && !isLocalAddr(ns, route.gateway) ? route.gateway : undefined;
  const prefsrc =
    src ||
    route.prefsrc ||
    inetSelectAddr(ns.addrs, ns.links, dev, gw ?? dst, gw !== undefined ? RouteScope.Link : route.scope) ||
    0;
  return { route, dev, nexthop: gw ?? dst, prefsrc, local: false };
}

/** InputRoute is what ip_route_input decides for a received packet. */
type InputRoute =
  | { readonly kind: 'local' }
  | { readonly kind: 'forward'; readonly route: Route; readonly dev: number; readonly nexthop: Ipv4 }
  | { readonly kind: 'error'; readonly errno: Errno | 'BLACKHOLE'; readonly forwarding: boolean }
  | { readonly kind: 'martian'; readonly reason: DropReason };

function isLocalAddr(ns: Netns, a: Ipv4): boolean {
  return ns.addrs.some((x) => x.local === a) || (a >>> 24) === 127;
}

/** ipRouteInput is ip_route_input_slow: local delivery, forwarding, or an error route. */
function ipRouteInput(ns: Netns, dst: Ipv4, src: Ipv4, inDev: Link): InputRoute {
  // Packets looped back by this host skip source validation (the loopback device is trusted).
  if (inDev.kind === 'loopback') return fibLookup(ns.routes, dst, { usable: usable(ns) })?.type === 'local' || dst === 0xffffffff ? { kind: 'local' } : { kind: 'error', errno: 'ENETUNREACH', forwarding: false };
  if ((src >>> 28) === 14 || src === 0xffffffff || (src >>> 24) === 127) return { kind: 'martian', reason: DropReason.MartianSource };
  const route = fibLookup(ns.routes, dst, { usable: usable(ns) });
  if (route && (route.type === 'local' || route.type === 'broadcast')) {
    if (isLocalAddr(ns, src) && confGet(ns, inDev.name, 'accept_local') === 0 && route.type === 'local') {
      return { kind: 'martian', reason: DropReason.MartianSource };
    }
    return { kind: 'local' };
  }
  if (dst === 0xffffffff) return { kind: 'local' };
  const forwarding = confGet(ns, inDev.name, 'forwarding') === 1;
  if (!forwarding) return { kind: 'error', errno: 'EHOSTUNREACH', forwarding: false };
  if (!route) return { kind: 'error', errno: 'ENETUNREACH', forwarding };
  if (route.type === 'blackhole') return { kind: 'error', errno: 'BLACKHOLE', forwarding };
  if (route.type === 'unreachable') return { kind: 'error', errno: 'EHOSTUNREACH', forwarding };
  if (route.type === 'prohibit') return { kind: 'error', errno: 'EACCES', forwarding };
  // fib_validate_source: a local source is a martian; rp_filter checks the way back.
  if (isLocalAddr(ns, src) && confGet(ns, inDev.name, 'accept_local') === 0) return { kind: 'martian', reason: DropReason.MartianSource };
  const rpf = Math.max(confGet(ns, 'all', 'rp_filter'), confGet(ns, inDev.name, 'rp_filter'));
  if (rpf > 0) {
    const back = fibLookup(ns.routes, src, { usable: usable(ns) });
    const ok = back && back.type === 'unicast' && (rpf === 2 || back.dev === inDev.ifindex);
    if (!ok) return { kind: 'martian', reason: DropReason.RpFilter };
  }
  const gw = route.gateway !== undefined && !isLocalAddr(ns, route.gateway) ? route.gateway : undefined;
  return { kind: 'forward', route, dev: route.dev!, nexthop: gw ?? dst };
}

// ---------------------------------------------------------------------------------------------
// ARP (RFC 826) and proxy ARP (RFC 1027)

function findNeigh(ns: DNetns, ip: Ipv4, dev: number): Draft<NeighEntry> | undefined {
  return ns.neigh.find((n) => n.ip === ip && n.dev === dev);
}

function setNud(ctx: StepCtx, nsKey: string, dev: string, n: Draft<NeighEntry>, to: NudState, reason: string, now: number): void {
  if (n.state !== to) {
    ctx.trace({ kind: 'neigh', ns: nsKey, dev, ip: n.ip, from: n.state, to, reason });
    n.state = to;
    n.updated = now;
  }
}

/** arpSend builds and sends an ARP packet (arp_send_dst). */
function arpSend(
  d: DWorld,
  ctx: StepCtx,
  nsKey: string,
  l: Link,
  op: number,
  destIp: Ipv4,
  srcIp: Ipv4,
  destHw: Mac | null,
  targetHw: Mac | null,
): void {
  const arp = encodeArp({
    op,
    senderMac: l.mac,
    senderIp: srcIp,
    targetMac: targetHw ?? ZERO_MAC,
    targetIp: destIp,
  });
  // Ethernet pads short frames to 60 bytes only on real NICs; veth frames stay 42 bytes.
  const frame = encodeEthernet({ dst: destHw ?? BROADCAST_MAC, src: l.mac, ethertype: EtherType.Arp }, arp);
  devXmit(d, ctx, nsKey, l.ifindex, frame);
}

/** neighUpdate is neigh_update for a learned address: the rules for override and STALE downgrades. */
function neighUpdate(
  d: DWorld,
  ctx: StepCtx,
  nsKey: string,
  l: Link,
  n: Draft<NeighEntry>,
  lladdr: Mac,
  state: NudState,
  override: boolean,
  reason: string,
): void {
  const old = n.state;
  if (old === NudState.Permanent || old === NudState.Noarp) return;
  const valid = old === NudState.Reachable || old === NudState.Stale || old === NudState.Delay || old === NudState.Probe;
  let next = state;
  if (valid) {
    if (lladdr !== n.lladdr && !override) return;
    if (lladdr === n.lladdr && state === NudState.Stale) next = old;
  }
  if (next === NudState.Reachable) n.confirmed = d.now;
  n.lladdr = lladdr;
  setNud(ctx, nsKey, l.name, n, next, reason, d.now);
  if (next === NudState.Reachable) {
    n.timer = d.now + reachableTimeUs(d.namespaces[nsKey] as Netns, l.name);
    ctx.schedule({ kind: 'neigh-timer', ns: nsKey, ip: n.ip, dev: n.dev }, n.timer - d.now);
  } else if (next === NudState.Stale) {
    delete n.timer;
  }
  n.probes = 0;
  if (n.queue.length > 0) {
    const queue = n.queue;
    n.queue = [];
    for (const q of queue) neighSendResolved(d, ctx, nsKey, l, n, q.packet);
  }
}

/** reachableTimeUs is the REACHABLE lifetime; the kernel draws it in [base/2, 3·base/2), we take base. */
function reachableTimeUs(ns: Netns, dev: string): number {
  return neighParm(ns, dev, 'base_reachable_time_ms') * 1000;
}

/** neighEventNs is neigh_event_ns: create or refresh the entry for the sender of a request as STALE. */
function neighEventNs(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, ip: Ipv4, lladdr: Mac): void {
  const ns = d.namespaces[nsKey];
  let n = findNeigh(ns, ip, l.ifindex);
  if (!n) {
    ns.neigh.push({ ip, dev: l.ifindex, state: NudState.Stale, lladdr, probes: 0, confirmed: d.now, updated: d.now, used: d.now, queue: [] });
    ctx.trace({ kind: 'neigh', ns: nsKey, dev: l.name, ip, from: 'NONE', to: NudState.Stale, reason: 'ARP request from it' });
    return;
  }
  neighUpdate(d, ctx, nsKey, l, n, lladdr, NudState.Stale, true, 'ARP request from it');
}

/** arpRcv is arp_process. */
function arpRcv(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, payload: Uint8Array, pktType: PacketType): void {
  const dec = decodeArp(payload);
  if (!dec.ok) {
    drop(d, ctx, nsKey, DropReason.BadHeader, l.name, dec.error);
    return;
  }
  if (pktType === 'otherhost' || l.kind === 'loopback' || l.kind === 'ipip') {
    drop(d, ctx, nsKey, DropReason.OtherHost, l.name);
    return;
  }
  const arp = dec.value;
  const ns = d.namespaces[nsKey];
  const sip = arp.senderIp;
  const tip = arp.targetIp;
  if ((tip >>> 28) === 14 || (tip >>> 24) === 127) return;
  if (arp.op === ArpOp.Request && sip !== 0) {
    const rt = ipRouteInput(ns as Netns, tip, sip, l);
    if (rt.kind === 'local') {
      const arpIgnore = Math.max(confGet(ns, 'all', 'arp_ignore'), confGet(ns, l.name, 'arp_ignore'));
      const onDev = ns.addrs.some((a) => a.ifindex === l.ifindex && a.local === tip);
      if (arpIgnore === 0 || (arpIgnore >= 1 && onDev)) {
        neighEventNs(d, ctx, nsKey, l, sip, arp.senderMac);
        arpSend(d, ctx, nsKey, l, ArpOp.Reply, sip, tip, arp.senderMac, arp.senderMac);
      } else {
        drop(d, ctx, nsKey, DropReason.ArpIgnored, l.name);
      }
      return;
    }
    if (rt.kind === 'forward') {
      const proxy = confGet(ns, 'all', 'proxy_arp') === 1 || confGet(ns, l.name, 'proxy_arp') === 1;
      if (rt.dev !== l.ifindex && proxy) {
        neighEventNs(d, ctx, nsKey, l, sip, arp.senderMac);
        const delay = neighParm(ns as Netns, l.name, 'proxy_delay');
        if (pktType === 'host' || delay === 0) {
          arpSend(d, ctx, nsKey, l, ArpOp.Reply, sip, tip, arp.senderMac, arp.senderMac);
        } else {
          // pneigh_enqueue waits a random time below proxy_delay (jiffies); we take half of it.
          ctx.schedule({ kind: 'proxy-arp', ns: nsKey, ifindex: l.ifindex, frame: payload }, (delay * 10000) / 2);
        }
        return;
      }
    }
  }
  // Any ARP packet refreshes an existing entry for its sender.
  const n = findNeigh(ns, sip, l.ifindex);
  if (n) {
    const state = arp.op === ArpOp.Reply && pktType === 'host' ? NudState.Reachable : NudState.Stale;
    const locktime = neighParm(ns as Netns, l.name, 'locktime') * 10000;
    const override = d.now > n.updated + locktime;
    neighUpdate(d, ctx, nsKey, l, n, arp.senderMac, state, override || n.state === NudState.Incomplete, arp.op === ArpOp.Reply ? 'ARP reply' : 'ARP packet from it');
  }
}

/** proxyArpRedo answers a delayed proxy ARP request (parp_redo). */
export function proxyArpRedo(d: DWorld, ctx: StepCtx, nsKey: string, ifindex: number, payload: Uint8Array): void {
  const ns = d.namespaces[nsKey];
  const l = ns?.links[ifindex];
  if (!l || !l.adminUp) return;
  const dec = decodeArp(payload);
  if (!dec.ok) return;
  arpSend(d, ctx, nsKey, l as Link, ArpOp.Reply, dec.value.senderIp, dec.value.targetIp, dec.value.senderMac, dec.value.senderMac);
}

/** arpSolicit is arp_solicit: broadcast while resolving, unicast to the known address while probing. */
function arpSolicit(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, n: Draft<NeighEntry>): void {
  const ns = d.namespaces[nsKey] as Netns;
  let saddr = 0;
  const last = n.queue.length > 0 ? n.queue[n.queue.length - 1].packet : null;
  if (last) {
    const ip = decodeIpv4(last);
    if (ip.ok && ns.addrs.some((a) => a.local === ip.value.repr.src)) saddr = ip.value.repr.src;
  }
  if (!saddr) saddr = inetSelectAddr(ns.addrs, ns.links, l.ifindex, n.ip, RouteScope.Link) || 0;
  const ucast = neighParm(ns, l.name, 'ucast_solicit');
  const unicast = n.probes - ucast < 0 && n.lladdr !== undefined;
  arpSend(d, ctx, nsKey, l, ArpOp.Request, n.ip, saddr, unicast ? n.lladdr! : null, null);
}

function neighMaxProbes(ns: Netns, dev: string, state: NudState): number {
  return (
    neighParm(ns, dev, 'ucast_solicit') +
    neighParm(ns, dev, 'app_solicit') +
    (state === NudState.Probe ? neighParm(ns, dev, 'mcast_resolicit') : neighParm(ns, dev, 'mcast_solicit'))
  );
}

/** neighProbe sends a solicitation and counts it (neigh_probe). */
function neighProbe(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, n: Draft<NeighEntry>): void {
  arpSolicit(d, ctx, nsKey, l, n);
  n.probes += 1;
}

function armTimer(d: DWorld, ctx: StepCtx, nsKey: string, n: Draft<NeighEntry>, afterUs: number): void {
  n.timer = d.now + afterUs;
  ctx.schedule({ kind: 'neigh-timer', ns: nsKey, ip: n.ip, dev: n.dev }, afterUs);
}

/** neighTimer is neigh_timer_handler. */
export function neighTimer(d: DWorld, ctx: StepCtx, nsKey: string, ip: Ipv4, dev: number): void {
  const ns = d.namespaces[nsKey];
  if (!ns) return;
  const n = findNeigh(ns, ip, dev);
  const l = ns.links[dev];
  if (!n || !l || n.timer !== d.now) return;
  delete n.timer;
  const now = d.now;
  const delayUs = neighParm(ns as Netns, l.name, 'delay_first_probe_time') * 1_000_000;
  const retransUs = Math.max(neighParm(ns as Netns, l.name, 'retrans_time_ms') * 1000, 10_000);
  switch (n.state) {
    case NudState.Reachable: {
      const reach = reachableTimeUs(ns as Netns, l.name);
      if (now < n.confirmed + reach) {
        armTimer(d, ctx, nsKey, n, n.confirmed + reach - now);
      } else if (now < n.used + delayUs) {
        setNud(ctx, nsKey, l.name, n, NudState.Delay, 'reachable time expired, recently used', now);
        armTimer(d, ctx, nsKey, n, delayUs);
      } else {
        setNud(ctx, nsKey, l.name, n, NudState.Stale, 'reachable time expired', now);
      }
      return;
    }
    case NudState.Delay: {
      if (now < n.confirmed + delayUs) {
        setNud(ctx, nsKey, l.name, n, NudState.Reachable, 'confirmed while delayed', now);
        armTimer(d, ctx, nsKey, n, n.confirmed + reachableTimeUs(ns as Netns, l.name) - now);
        return;
      }
      setNud(ctx, nsKey, l.name, n, NudState.Probe, 'delay expired without confirmation', now);
      n.probes = 0;
      neighProbe(d, ctx, nsKey, l as Link, n);
      armTimer(d, ctx, nsKey, n, retransUs);
      return;
    }
    case NudState.Probe:
    case NudState.Incomplete: {
      if (n.probes >= neighMaxProbes(ns as Netns, l.name, n.state)) {
        setNud(ctx, nsKey, l.name, n, NudState.Failed, 'no answer to solicitations', now);
        const queue = n.queue;
        n.queue = [];
        for (const q of queue) {
          drop(d, ctx, nsKey, DropReason.NeighFailed, l.name);
          // arp_error_report: the sender learns the host is unreachable.
          icmpSend(d, ctx, nsKey, q.packet, 3, 1, undefined, null);
        }
        return;
      }
      neighProbe(d, ctx, nsKey, l as Link, n);
      armTimer(d, ctx, nsKey, n, retransUs);
      return;
    }
    default:
      return;
  }
}

/** neighSendResolved puts the Ethernet header on a packet for a resolved neighbour and sends it. */
function neighSendResolved(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, n: Draft<NeighEntry>, packet: Uint8Array): void {
  const frame = encodeEthernet({ dst: n.lladdr!, src: l.mac, ethertype: EtherType.Ipv4 }, packet);
  devXmit(d, ctx, nsKey, l.ifindex, frame);
}

/** neighOutput is neigh_resolve_output with __neigh_event_send's state machine. */
export function neighOutput(d: DWorld, ctx: StepCtx, nsKey: string, dev: number, nexthop: Ipv4, packet: Uint8Array, local: boolean): void {
  const ns = d.namespaces[nsKey];
  const l = ns.links[dev];
  if (!l) return;
  if (l.kind === 'loopback') {
    devXmit(d, ctx, nsKey, dev, encodeEthernet({ dst: ZERO_MAC, src: ZERO_MAC, ethertype: EtherType.Ipv4 }, packet));
    return;
  }
  if (l.kind === 'ipip') {
    drop(d, ctx, nsKey, DropReason.LinkDown, l.name, 'ipip needs the encap module');
    return;
  }
  if (!hasCarrier(d as World, nsKey, l as Link) && l.kind !== 'veth') {
    drop(d, ctx, nsKey, DropReason.NoCarrier, l.name);
    return;
  }
  let n = findNeigh(ns, nexthop, dev);
  if (!n) {
    ns.neigh.push({ ip: nexthop, dev, state: NudState.Failed, probes: 0, confirmed: 0, updated: d.now, used: d.now, queue: [] });
    n = ns.neigh[ns.neigh.length - 1];
    (n as { state: NudState | 'NONE' }).state = 'NONE' as NudState;
  }
  n.used = d.now;
  const delayUs = neighParm(ns as Netns, l.name, 'delay_first_probe_time') * 1_000_000;
  const retransUs = Math.max(neighParm(ns as Netns, l.name, 'retrans_time_ms') * 1000, 10_000);
  switch (n.state) {
    case NudState.Reachable:
    case NudState.Permanent:
    case NudState.Noarp:
    case NudState.Delay:
    case NudState.Probe:
      neighSendResolved(d, ctx, nsKey, l as Link, n, packet);
      return;
    case NudState.Stale:
      setNud(ctx, nsKey, l.name, n, NudState.Delay, 'used while stale', d.now);
      armTimer(d, ctx, nsKey, n, delayUs);
      neighSendResolved(d, ctx, nsKey, l as Link, n, packet);
      return;
    case NudState.Incomplete: {
      n.queue.push({ packet, local });
      const max = neighParm(ns as Netns, l.name, 'unres_qlen');
      while (n.queue.length > max) {
        n.queue.shift();
        drop(d, ctx, nsKey, DropReason.NeighQueueFull, l.name);
      }
      return;
    }
    default: {
      // NONE or FAILED: start resolving.
      const from = n.state as NudState | 'NONE';
      n.probes = neighParm(ns as Netns, l.name, 'ucast_solicit');
      n.state = NudState.Incomplete;
      n.updated = d.now;
      delete n.lladdr;
      ctx.trace({ kind: 'neigh', ns: nsKey, dev: l.name, ip: nexthop, from, to: NudState.Incomplete, reason: 'packet needs resolution' });
      n.queue.push({ packet, local });
      armTimer(d, ctx, nsKey, n, retransUs);
      neighProbe(d, ctx, nsKey, l as Link, n);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// IPv4 input, forwarding and output

/** ipRcv is ip_rcv + ip_rcv_finish. */
function ipRcv(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, payload: Uint8Array, _pktType: PacketType): void {
  const dec = decodeIpv4(payload);
  if (!dec.ok || !dec.value.checksumValid) {
    drop(d, ctx, nsKey, DropReason.BadHeader, l.name, dec.ok ? 'bad checksum' : dec.error);
    return;
  }
  const ip = dec.value;
  const ns = d.namespaces[nsKey];
  const rt = ipRouteInput(ns as Netns, ip.repr.dst, ip.repr.src, l);
  const packet = payload.subarray(0, ip.totalLength);
  switch (rt.kind) {
    case 'martian':
      drop(d, ctx, nsKey, rt.reason, l.name);
      return;
    case 'local':
      ctx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: null, input: true });
      ipLocalDeliver(d, ctx, nsKey, l, ip, packet);
      return;
    case 'error': {
      ctx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: null, input: true });
      if (!rt.forwarding) {
        drop(d, ctx, nsKey, DropReason.ForwardingDisabled, l.name);
        return;
      }
      if (rt.errno === 'BLACKHOLE') {
        drop(d, ctx, nsKey, DropReason.Blackhole, l.name);
        return;
      }
      // ip_error: net/host unreachable or administratively prohibited back to the sender.
      const code = rt.errno === 'ENETUNREACH' ? 0 : rt.errno === 'EHOSTUNREACH' ? 1 : 13;
      drop(d, ctx, nsKey, rt.errno === 'ENETUNREACH' ? DropReason.NoRoute : rt.errno === 'EACCES' ? DropReason.Prohibit : DropReason.Unreachable, l.name);
      icmpSend(d, ctx, nsKey, packet, 3, code, undefined, l);
      return;
    }
    case 'forward':
      ctx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: rt.route, input: true });
      ipForward(d, ctx, nsKey, l, ip, packet, rt.dev, rt.nexthop);
      return;
  }
}

/** ipForward is ip_forward: TTL, MTU, then out through the neighbour layer. */
function ipForward(d: DWorld, ctx: StepCtx, nsKey: string, inDev: Link, ip: Ipv4Decoded, packet: Uint8Array, outDev: number, nexthop: Ipv4): void {
  const ns = d.namespaces[nsKey];
  if (ip.repr.ttl <= 1) {
    drop(d, ctx, nsKey, DropReason.TtlExceeded, inDev.name);
    icmpSend(d, ctx, nsKey, packet, 11, 0, undefined, inDev);
    return;
  }
  const out = ns.links[outDev];
  if (packet.length > out.mtu && ip.repr.dontFrag) {
    drop(d, ctx, nsKey, DropReason.FragNeeded, inDev.name);
    icmpSend(d, ctx, nsKey, packet, 3, 4, out.mtu, inDev);
    return;
  }
  const fwd = new Uint8Array(packet);
  fwd[8] = ip.repr.ttl - 1;
  // Incremental checksum update (RFC 1624) is what ip_decrease_ttl does; recomputing gives the same bytes.
  fwd[10] = 0;
  fwd[11] = 0;
  let sum = 0;
  for (let i = 0; i < ip.headerLength; i += 2) sum += (fwd[i] << 8) | fwd[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const ck = ~sum & 0xffff;
  fwd[10] = ck >>> 8;
  fwd[11] = ck & 255;
  const frags = fwd.length > out.mtu ? ipFragment(fwd, out.mtu) : [fwd];
  for (const f of frags) neighOutput(d, ctx, nsKey, outDev, nexthop, f, false);
}

/** ipLocalDeliver is ip_local_deliver: ICMP echo is answered here, the rest goes to sockets. */
function ipLocalDeliver(d: DWorld, ctx: StepCtx, nsKey: string, l: Link, ipIn: Ipv4Decoded, packetIn: Uint8Array): void {
  const ns = d.namespaces[nsKey];
  let ip = ipIn;
  let packet = packetIn;
  if (ip.repr.moreFrags || ip.repr.fragOffset > 0) {
    const whole = ipDefrag(d, nsKey, ip);
    if (!whole) return;
    packet = whole;
    const dec = decodeIpv4(whole);
    if (!dec.ok) return;
    ip = dec.value;
  }
  if (ip.repr.protocol === IpProtocol.Icmp) {
    const icmp = decodeIcmp(ip.payload);
    if (!icmp.ok) {
      drop(d, ctx, nsKey, DropReason.BadHeader, l.name, icmp.error);
      return;
    }
    const m = icmp.value.repr;
    if (m.type === 'dest-unreachable' && m.code === 4 && m.nextHopMtu) {
      // ip_rt_update_pmtu: remember the smaller path MTU towards the quoted destination.
      const quoted = m.invoking;
      if (quoted.length >= 20) {
        const qdst = ((quoted[16] << 24) | (quoted[17] << 16) | (quoted[18] << 8) | quoted[19]) >>> 0;
        const cur = ns.pmtu[qdst] ?? Infinity;
        if (m.nextHopMtu >= 552 && m.nextHopMtu < cur) ns.pmtu[qdst] = m.nextHopMtu;
      }
    }
    if (m.type === 'echo-request') {
      if (ns.sysctl['net.ipv4.icmp_echo_ignore_all'] === '1') return;
      ctx.trace({ kind: 'deliver', ns: nsKey, what: 'ICMP echo request answered by the kernel' });
      const reply = encodeIcmp({ type: 'echo-reply', ident: m.ident, seq: m.seq, data: m.data });
      ipSendLocal(d, ctx, nsKey, ip.repr.dst, ip.repr.src, IpProtocol.Icmp, reply, { ttl: defaultTtl(ns as Netns), pmtudisc: 'dont' });
      return;
    }
  }
  if (ip.repr.protocol === IpProtocol.Udp) {
    const udp = decodeUdp(ip.payload, ip.repr.src, ip.repr.dst);
    if (udp.ok && vxlanRcv(d, ctx, nsKey, ip, udp.value.repr.dstPort, udp.value.payload)) return;
    if (udp.ok) {
      drop(d, ctx, nsKey, DropReason.NoSocket, l.name);
      icmpSend(d, ctx, nsKey, packet, 3, 3, undefined, l);
      return;
    }
  }
  ctx.deliver({ ns: nsKey, ip, dev: l.ifindex });
}

/** ipDefrag adds a fragment to its queue (ip_defrag) and returns the whole datagram once complete. */
function ipDefrag(d: DWorld, nsKey: string, ip: Ipv4Decoded): Uint8Array | null {
  const ns = d.namespaces[nsKey];
  const key = `${ip.repr.src}-${ip.repr.dst}-${ip.repr.ident}-${ip.repr.protocol}`;
  const parts = [...(ns.reasm[key] ?? []), { offset: ip.repr.fragOffset * 8, data: ip.payload, more: ip.repr.moreFrags }];
  parts.sort((a, b) => a.offset - b.offset);
  let next = 0;
  let complete = false;
  for (const p of parts) {
    if (p.offset > next) break;
    next = Math.max(next, p.offset + p.data.length);
    if (!p.more) complete = true;
  }
  if (!complete) {
    ns.reasm[key] = parts;
    return null;
  }
  delete ns.reasm[key];
  const payload = new Uint8Array(next);
  for (const p of parts) payload.set(p.data, p.offset);
  return encodeIpv4({ ...ip.repr, moreFrags: false, fragOffset: 0 }, payload);
}

/** defaultTtl is net.ipv4.ip_default_ttl. */
export function defaultTtl(ns: Netns): number {
  return Number(ns.sysctl['net.ipv4.ip_default_ttl'] ?? '64');
}

/** SendOpts are the socket options that shape a locally generated datagram. */
export interface SendOpts {
  readonly ttl: number;
  /** pmtudisc is IP_MTU_DISCOVER (ip(7)): `do` sets DF and refuses, `want` sets DF when it fits, `dont` never. */
  readonly pmtudisc: PmtuDisc;
  readonly oif?: number;
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
  d: DWorld,
  ctx: StepCtx,
  nsKey: string,
  src: Ipv4,
  dst: Ipv4,
  protocol: number,
  payload: Uint8Array,
  opts: SendOpts,
): { errno: Errno | 'EMSGSIZE'; mtu?: number } | null {
  const ns = d.namespaces[nsKey];
  const rt = ipRouteOutput(ns as Netns, dst, src, opts.oif);
  ctx.trace({ kind: 'fib-lookup', ns: nsKey, dst, route: 'errno' in rt ? null : rt.route, input: false });
  if ('errno' in rt) return { errno: rt.errno };
  const ident = ns.ipIdent;
  ns.ipIdent = (ns.ipIdent + 1) & 0xffff;
  const mtu = rt.local ? 65536 : Math.min(ns.links[rt.dev].mtu, ns.pmtu[dst] ?? Infinity);
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
    const lo = ns.links[1];
    if (!lo || !lo.adminUp) return { errno: 'ENETUNREACH' };
    devXmit(d, ctx, nsKey, 1, encodeEthernet({ dst: ZERO_MAC, src: ZERO_MAC, ethertype: EtherType.Ipv4 }, packet));
    return null;
  }
  for (const p of fits ? [packet] : ipFragment(packet, mtu)) neighOutput(d, ctx, nsKey, rt.dev, rt.nexthop, p, true);
  return null;
}

/** icmpSend is icmp_send: an error about `packet` back to its source, never about an ICMP error. */
export function icmpSend(
  d: DWorld,
  ctx: StepCtx,
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
  const ns = d.namespaces[nsKey];
  // The source: the packet's own destination when it was for us; otherwise what routing picks.
  let saddr = isLocalAddr(ns as Netns, orig.repr.dst) ? orig.repr.dst : 0;
  if (!saddr && inDev && ns.sysctl['net.ipv4.icmp_errors_use_inbound_ifaddr'] === '1') {
    saddr = inetSelectAddr(ns.addrs, ns.links, inDev.ifindex, orig.repr.src, RouteScope.Link) || 0;
  }
  // Linux quotes as much of the original as fits in 576 bytes.
  const room = 576 - 20 - 8;
  const invoking = packet.subarray(0, Math.min(packet.length, room));
  const msg =
    type === 11
      ? encodeIcmp({ type: 'time-exceeded', code, invoking })
      : encodeIcmp({ type: 'dest-unreachable', code, ...(mtu !== undefined ? { nextHopMtu: mtu } : {}), invoking });
  ipSendLocal(d, ctx, nsKey, saddr, orig.repr.src, IpProtocol.Icmp, msg, { ttl: defaultTtl(ns as Netns), pmtudisc: 'dont' });
}

/** routeCoversConnected says whether `a` is on a connected subnet of the namespace (used by callers). */
export function onConnectedSubnet(ns: Netns, a: Ipv4): boolean {
  return ns.addrs.some((x) => cidrContains({ addr: x.local, len: x.prefixlen }, a));
}
