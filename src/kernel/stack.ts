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
import { type InetPeer, type Link, type Netns, neighKey, NudState, type Route, RouteScope } from '../model/world.js';

/** NUD_VALID are the neighbour states with a usable link-layer address. */
const NUD_VALID: ReadonlySet<string> = new Set([
  NudState.Permanent,
  NudState.Noarp,
  NudState.Reachable,
  NudState.Probe,
  NudState.Stale,
  NudState.Delay,
]);
import { inetSelectAddr } from './addrsel.js';
import {
  type InputRoute as RouteInput,
  inetPeerXrlimAllow,
  ipDoRedirect,
  ipErrorTokensAllow,
  ipRouteInputSlow,
  ipRouteOutput,
  newInetPeer,
  pmtuException,
  redirectAllowed,
} from './route.js';
import type { Tx } from './driver.js';
import { fibLookup, fibRouteMtu, inetAddrTypeTable } from './fib.js';
import { LOOPBACK_IFINDEX } from './netns.js';
import { confOf, globalNum } from './sysctl.js';
import { DropReason } from './trace.js';
import { arpRcv, neighConfirm, neighEventSend, neighOutput } from './arp.js';
import { udpErr, udpRcv } from './udp.js';

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

/**
 * devXmit sends a frame out of a device (dev_queue_xmit): taps see it, then its driver moves it. It
 * returns false when the driver dropped it (NET_XMIT_DROP, which a local sender sees as ENOBUFS).
 */
export function devXmit(tx: Tx, nsKey: string, ifindex: number, frame: Uint8Array): boolean {
  const l = tx.ns(nsKey)?.links.get(ifindex);
  return l === undefined || devXmitLink(tx, nsKey, l, frame);
}

/** devXmitLink is devXmit for a device already in hand (taken from the step's namespace). */
export function devXmitLink(tx: Tx, nsKey: string, l: Link, frame: Uint8Array): boolean {
  const ifindex = l.ifindex;
  if (!l.adminUp) {
    drop(tx, nsKey, DropReason.LinkDown, l.name);
    return true;
  }
  const driver = tx.drivers.of(l);
  // Without carrier, linkwatch has swapped the device's qdisc for noop_qdisc (dev_deactivate): the
  // frame is dropped before the taps see it or the device counts it as sent.
  if (!driver.carrier(tx.view, tx.drivers, nsKey, l)) {
    l.stats.txDropped += 1;
    drop(tx, nsKey, DropReason.NoCarrier, l.name);
    return true;
  }
  // loopback_xmit counts a frame after eth_type_trans pulled its Ethernet header.
  const len = driver.linkType === 'loopback' ? frame.length - ETHERNET_HEADER_LEN : frame.length;
  l.stats.txPackets += 1;
  l.stats.txBytes += len;
  // libpcap skips a loopback device's outgoing copy (linux_check_direction): it sees the frame
  // when it comes back in, so a capture on lo shows each packet once.
  if (driver.linkType !== 'loopback') tx.capture(nsKey, ifindex, frame);
  tx.trace({ kind: 'tx', ns: nsKey, dev: l.name, frame });
  if (driver.xmit(tx, nsKey, l, frame) !== false) return true;
  // The driver counted the drop; a dropped frame is not counted as sent.
  l.stats.txPackets -= 1;
  l.stats.txBytes -= len;
  return false;
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
  l.stats.rxBytes += tx.drivers.of(l).linkType === 'loopback' ? frame.length - ETHERNET_HEADER_LEN : frame.length;
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

export { type OutputRoute, ipRouteConnect, ipRouteOutput } from './route.js';

/** Errno names the errors route lookups return. */
export type Errno = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EINVAL' | 'EACCES' | 'ENOBUFS';

/** IcmpErrno names what an ICMP error means to the socket it reaches (errno(3) names). */
export type IcmpErrno =
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'ENOPROTOOPT'
  | 'ECONNREFUSED'
  | 'EMSGSIZE'
  | 'EOPNOTSUPP'
  | 'EHOSTDOWN'
  | 'ENONET'
  | 'EPROTO';

/** ICMP_UNREACH_ERRNO is icmp_err_convert's table (net/ipv4/icmp.c), by Destination Unreachable code. */
const ICMP_UNREACH_ERRNO: readonly IcmpErrno[] = [
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOPROTOOPT',
  'ECONNREFUSED',
  'EMSGSIZE',
  'EOPNOTSUPP',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENONET',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTUNREACH',
  'EHOSTUNREACH',
  'EHOSTUNREACH',
];

/**
 * icmpErrConvert is the errno a socket gets for an ICMP error, as tcp_v4_err and __udp4_lib_err
 * have it: icmp_err_convert for Destination Unreachable, EHOSTUNREACH for Time Exceeded, EPROTO for a
 * Parameter Problem. null means the error is not passed on (TCP drops an unreachable code past
 * NR_ICMP_UNREACH; UDP makes it EHOSTUNREACH).
 */
export function icmpErrConvert(type: number, code: number): IcmpErrno | null {
  if (type === 3) return ICMP_UNREACH_ERRNO[code] ?? null;
  if (type === 11) return 'EHOSTUNREACH';
  if (type === 12) return 'EPROTO';
  return null;
}

/** isLocalAddr says whether `a` is one of the namespace's addresses or in 127/8. */
export function isLocalAddr(ns: Netns, a: Ipv4): boolean {
  if (a >>> 24 === 127) return true;
  for (const x of ns.addrs) if (x.local === a) return true;
  return false;
}

/** InputRoute is what ip_route_input decides for a received packet (route.ts ipRouteInputSlow). */
export type InputRoute = RouteInput;

export const NOT_LOCAL: InputRoute = { kind: 'not-local' };
const LOCAL: InputRoute = { kind: 'local', type: 'local' };

/**
 * ipRouteInput is ip_route_input_noref: a packet looped back by this host (the loopback device is trusted)
 * is local when a local route or limited broadcast says so; anything else goes through ip_route_input_slow.
 * A caller that only needs to know whether the packet is for this host (`wantForward` false: arp_process
 * without proxy ARP) gets `not-local` for everything else; the checks skipped have no side effects.
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
  if (tx.drivers.of(inDev).linkType === 'loopback') {
    return fibLookup(ns.fib, dst)?.type === 'local' || dst === 0xffffffff
      ? LOCAL
      : { kind: 'error', errno: 'ENETUNREACH', forwarding: false };
  }
  return ipRouteInputSlow(ns, dst, src, inDev, wantForward, conf);
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
      // icmp_echo: an echo request to a broadcast or multicast address is ignored by default.
      if (rt.type !== 'local' && isEchoRequest(ip) && globalNum(ns, 'net.ipv4.icmp_echo_ignore_broadcasts') === 1) return;
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
      if (ipErrorAllowed(ns, tx.now, ip.repr.src)) icmpSend(tx, nsKey, packet, 3, code, undefined, l);
      return;
    }
    case 'forward':
      tx.trace({ kind: 'fib-lookup', ns: nsKey, dst: ip.repr.dst, route: rt.route, input: true });
      ipForward(tx, nsKey, l, ip, packet, rt.dev, rt.nexthop, rt.doRedirect, rt.route);
      return;
  }
}

/** isEchoRequest says whether a datagram is an ICMP echo request (an unfragmented one: its type is readable). */
function isEchoRequest(ip: Ipv4Decoded): boolean {
  return ip.repr.protocol === IpProtocol.Icmp && ip.repr.fragOffset === 0 && ip.payload.length > 0 && ip.payload[0] === 8;
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
function ipForward(
  tx: Tx,
  nsKey: string,
  inDev: Link,
  ip: Ipv4Decoded,
  packet: Uint8Array,
  outDev: number,
  nexthop: Ipv4,
  doRedirect = false,
  route?: Route,
): void {
  const ns = tx.ns(nsKey)!;
  if (ip.repr.ttl <= 1) {
    drop(tx, nsKey, DropReason.TtlExceeded, inDev.name);
    icmpSend(tx, nsKey, packet, 11, 0, undefined, inDev);
    return;
  }
  const out = ns.links.get(outDev)!;
  // ip_dst_mtu_maybe_forward: a forwarded packet honours the route's mtu metric, not learnt path MTUs.
  const mtu = fibRouteMtu(route, out.mtu, undefined);
  if (packet.length > mtu && ip.repr.dontFrag) {
    drop(tx, nsKey, DropReason.FragNeeded, inDev.name);
    icmpSend(tx, nsKey, packet, 3, 4, mtu, inDev);
    return;
  }
  const fwd = ipDecreaseTtl(packet, ip.headerLength);
  // The redirect quotes the packet with its TTL already lowered, as ip_forward calls it after ip_decrease_ttl.
  if (doRedirect) ipRtSendRedirect(tx, nsKey, ns, out, fwd, ip.repr.src, nexthop);
  const frags = fwd.length > mtu ? ipFragment(fwd, mtu) : [fwd];
  for (const f of frags) neighOutput(tx, nsKey, outDev, nexthop, f, false);
}

/**
 * ipRtSendRedirect is ip_rt_send_redirect: an ICMP host redirect naming `gw` to the sender of a packet
 * that leaves by the device it came in on, when send_redirects is on for that device and the sender's
 * rate state (redirectAllowed) lets one through.
 */
function ipRtSendRedirect(tx: Tx, nsKey: string, ns: Netns, dev: Link, packet: Uint8Array, saddr: Ipv4, gw: Ipv4): void {
  if (confOf(ns, dev.name).send_redirects === 0 && confOf(ns, 'all').send_redirects === 0) return;
  const peers = inetPeers(ns);
  const v = redirectAllowed(peers.get(saddr), tx.now);
  peers.set(saddr, v.peer);
  if (v.send) icmpSend(tx, nsKey, packet, 5, 1, gw, dev);
}

/**
 * tcpSentFromSoftirq says whether a quoted TCP segment is a pure ACK. tcp_v4_err ignores a redirect
 * while the socket is owned by the user, and a segment sent by a system call (a SYN from connect, data
 * from sendmsg, a FIN from close) gets its redirect back within that call, socket lock held: only the
 * ACKs sent from softirq can teach TCP a new gateway.
 */
function tcpSentFromSoftirq(q: Uint8Array): boolean {
  const ihl = (q[0] & 15) * 4;
  if (q.length < ihl + 14) return false;
  const totalLength = (q[2] << 8) | q[3];
  const doff = (q[ihl + 12] >>> 4) * 4;
  return (q[ihl + 13] & 0x03) === 0 && totalLength - ihl - doff === 0;
}

/**
 * icmpRedirect is icmp_redirect with __ip_do_redirect behind it (reached from the socket that sent the
 * quoted packet: raw_err, ping_err, tcp_v4_err, __udp4_lib_err): a redirect about a packet this host
 * sent may give its destination a new first hop. A new gateway without a valid neighbour entry is
 * resolved instead (neigh_event_send) and the redirect forgotten.
 */
function icmpRedirect(tx: Tx, nsKey: string, ns: Netns, l: Link, from: Ipv4, code: number, rest: Uint8Array): void {
  if (rest.length < 4 + 20) return;
  const newGw = ((rest[0] << 24) | (rest[1] << 16) | (rest[2] << 8) | rest[3]) >>> 0;
  const q = rest.subarray(4);
  const qsrc = ((q[12] << 24) | (q[13] << 16) | (q[14] << 8) | q[15]) >>> 0;
  const qdst = ((q[16] << 24) | (q[17] << 16) | (q[18] << 8) | q[19]) >>> 0;
  if (!ns.addrs.some((a) => a.local === qsrc)) return;
  if (q[9] === IpProtocol.Tcp && !tcpSentFromSoftirq(q)) return;
  const valid = (dev: number, addr: Ipv4): boolean => {
    const n = ns.neigh.get(neighKey(dev, addr));
    return n !== undefined && n.state !== 'NONE' && NUD_VALID.has(n.state);
  };
  const v = ipDoRedirect(ns, l, code, from, newGw, qdst, qsrc, tx.now, valid);
  if (v === null) return;
  if (v.kind === 'resolve') {
    neighEventSend(tx, nsKey, v.dev, newGw);
    return;
  }
  const m = ns.redirects ?? new Map();
  ns.redirects = m;
  m.set(qdst, v.exception);
}

/**
 * fibComputeSpecDst is fib_compute_spec_dst, the source icmp_reply answers from: the destination
 * when it is a local address, else (a broadcast or multicast) the preferred source of the route back
 * to the sender, or for a sender of 0.0.0.0 an address of the receiving device of scope link.
 */
function fibComputeSpecDst(ns: Netns, l: Link, ip: Ipv4Decoded): Ipv4 {
  if (inetAddrTypeTable(ns.fib, ip.repr.dst) === 'local') return ip.repr.dst;
  if (ip.repr.src >>> 24 !== 0) {
    const rt = ipRouteOutput(ns, ip.repr.src, 0);
    if (!('errno' in rt)) return rt.prefsrc;
    return inetSelectAddr(ns, l.ifindex, ip.repr.src, RouteScope.Universe);
  }
  return inetSelectAddr(ns, l.ifindex, ip.repr.src, RouteScope.Link);
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
        const qsrc = ((quoted[12] << 24) | (quoted[13] << 16) | (quoted[14] << 8) | quoted[15]) >>> 0;
        if (m.nextHopMtu >= 552 && m.nextHopMtu < cur) {
          ns.pmtu.set(qdst, pmtuException(ns, qdst, qsrc, m.nextHopMtu, tx.now + PMTU_EXPIRES_US));
        }
      }
    }
    if (m.type === 'other' && m.icmpType === 5) icmpRedirect(tx, nsKey, ns, l, ip.repr.src, m.code, m.rest);
    // __udp4_lib_err: an error quoting a datagram of a bound UDP socket goes to its error queue.
    if (m.type === 'dest-unreachable' || m.type === 'time-exceeded') {
      const mtu = m.type === 'dest-unreachable' ? m.nextHopMtu : undefined;
      if (udpErr(tx, nsKey, ip, m.type === 'time-exceeded' ? 11 : 3, m.code, m.invoking, mtu)) return;
    }
    if (m.type === 'echo-request') {
      if (globalNum(ns, 'net.ipv4.icmp_echo_ignore_all') === 1) return;
      tx.trace({ kind: 'deliver', ns: nsKey, what: 'ICMP echo request answered by the kernel' });
      const reply = encodeIcmp({ type: 'echo-reply', ident: m.ident, seq: m.seq, data: m.data });
      ipSendLocal(tx, nsKey, fibComputeSpecDst(ns, l, ip), ip.repr.src, IpProtocol.Icmp, reply, { ttl: defaultTtl(ns), pmtudisc: 'dont' });
      return;
    }
  }
  if (ip.repr.protocol === IpProtocol.Udp) {
    const udp = decodeUdp(ip.payload, ip.repr.src, ip.repr.dst);
    if (udp.ok) {
      const sock = ns.udpEncap.get(udp.value.repr.dstPort);
      const handler = sock === undefined ? undefined : tx.drivers.get(sock.kind)?.encapRcv;
      if (sock && handler?.(tx, nsKey, sock, ip, udp.value)) return;
      if (udpRcv(tx, nsKey, ip, udp.value)) return;
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
  const rt = ipRouteOutput(ns, dst, src, opts.oif, tx.now);
  tx.trace({ kind: 'fib-lookup', ns: nsKey, dst, route: 'errno' in rt ? null : rt.route, input: false });
  if ('errno' in rt) return { errno: rt.errno };
  const ident = ns.ipIdent;
  ns.ipIdent = (ns.ipIdent + 1) & 0xffff;
  // A broadcast route is RTCF_LOCAL too, but ip_mc_output sends it out of its device.
  const viaLo = rt.local && !(rt.type === 'broadcast' && rt.dev !== LOOPBACK_IFINDEX);
  const mtu = viaLo ? 65536 : fibRouteMtu(rt.route, ns.links.get(rt.dev)!.mtu, pmtuOf(ns, dst, tx.now));
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
  if (viaLo) {
    // With lo down the packet is lost without an error: the route stays, the device drops it.
    neighOutput(tx, nsKey, LOOPBACK_IFINDEX, dst, packet, true);
    return null;
  }
  if (opts.confirmNeigh === true) neighConfirm(tx, nsKey, rt.dev, rt.nexthop);
  if (rt.local) broadcastLoop(tx, nsKey, ns, rt.dev, packet);
  // A frame the device drops comes back as NET_XMIT_DROP, which ip_push_pending_frames turns into
  // ENOBUFS; the fragments after a dropped one are not sent (ip_do_fragment).
  if (fits) return neighOutput(tx, nsKey, rt.dev, rt.nexthop, packet, true) ? null : { errno: 'ENOBUFS' };
  for (const p of ipFragment(packet, mtu)) if (!neighOutput(tx, nsKey, rt.dev, rt.nexthop, p, true)) return { errno: 'ENOBUFS' };
  return null;
}

/**
 * broadcastLoop is ip_mc_output's copy of a broadcast for this host (dev_loopback_xmit, as
 * IP_MULTICAST_LOOP is on by default): it is delivered with the route already chosen, as received
 * on the sending device, so an echo request is answered only when icmp_echo_ignore_broadcasts is 0.
 */
function broadcastLoop(tx: Tx, nsKey: string, ns: Netns, dev: number, packet: Uint8Array): void {
  const l = ns.links.get(dev);
  const dec = decodeIpv4(packet);
  // Only ICMP for now: ipLocalDeliver would answer a UDP broadcast without a socket with a port
  // unreachable, which __icmp_send never sends for a broadcast.
  if (l === undefined || !dec.ok || dec.value.repr.protocol !== IpProtocol.Icmp) return;
  if (isEchoRequest(dec.value) && globalNum(ns, 'net.ipv4.icmp_echo_ignore_broadcasts') === 1) return;
  ipLocalDeliver(tx, nsKey, l, dec.value, packet);
}

/** redirectBody is an ICMP redirect after its first four bytes: the gateway, then the quoted packet. */
function redirectBody(gw: Ipv4, invoking: Uint8Array): Uint8Array {
  const b = allocBytes(4 + invoking.length);
  b[0] = gw >>> 24;
  b[1] = (gw >>> 16) & 255;
  b[2] = (gw >>> 8) & 255;
  b[3] = gw & 255;
  b.set(invoking, 4);
  return b;
}

/** icmpSend is icmp_send (for a redirect, type 5, `mtu` carries the gateway): an error about `packet` back to its source, never about an ICMP error. */
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
      : type === 5
        ? encodeIcmp({ type: 'other', icmpType: 5, code, rest: redirectBody(mtu ?? 0, invoking) })
        : encodeIcmp({ type: 'dest-unreachable', code, ...(mtu !== undefined ? { nextHopMtu: mtu } : {}), invoking });
  if (icmpXrlimDenied(ns, tx.now, type, code, saddr, orig.repr.src)) return;
  ipSendLocal(tx, nsKey, saddr, orig.repr.src, IpProtocol.Icmp, msg, { ttl: defaultTtl(ns), pmtudisc: 'dont' });
}

/** inetPeers is the namespace's inet_peer table (net->ipv4.peers), made on first use. */
function inetPeers(ns: Netns): Map<Ipv4, InetPeer> {
  ns.inetPeers ??= new Map();
  return ns.inetPeers;
}

/**
 * ipErrorAllowed is ip_error's token check for the sender `saddr` (ipErrorTokensAllow). It shares the
 * peer's tokens with icmpXrlimDenied, which then charges again, so a sender with a full bucket gets
 * two errors and then one every two seconds.
 */
function ipErrorAllowed(ns: Netns, now: number, saddr: Ipv4): boolean {
  const peers = inetPeers(ns);
  const v = ipErrorTokensAllow(peers.get(saddr) ?? newInetPeer(now), now);
  peers.set(saddr, v.peer);
  return v.allow;
}

/** NR_ICMP_TYPES is the highest ICMP type icmpv4_mask_allow knows; higher ones are never limited. */
const NR_ICMP_TYPES = 18;

/**
 * icmpXrlimDenied is icmpv4_xrlim_allow's refusal: an error of a type in icmp_ratemask (Destination
 * Unreachable, Source Quench, Time Exceeded, Parameter Problem by default; never Fragmentation Needed)
 * to `daddr` costs icmp_ratelimit of the peer's tokens, except when it goes out through lo.
 * icmp_global_allow (icmp_msgs_per_sec, icmp_msgs_burst) is not modelled: it spends a random 0–2
 * credits a message.
 */
function icmpXrlimDenied(ns: Netns, now: number, type: number, code: number, saddr: Ipv4, daddr: Ipv4): boolean {
  if (type > NR_ICMP_TYPES || (type === 3 && code === 4)) return false;
  if (((1 << type) & globalNum(ns, 'net.ipv4.icmp_ratemask')) === 0) return false;
  const rt = ipRouteOutput(ns, daddr, saddr);
  if ('errno' in rt || rt.local || rt.dev === LOOPBACK_IFINDEX) return false;
  const peers = inetPeers(ns);
  const v = inetPeerXrlimAllow(peers.get(daddr) ?? newInetPeer(now), now, globalNum(ns, 'net.ipv4.icmp_ratelimit') * 1000);
  peers.set(daddr, v.peer);
  return !v.allow;
}
