// ARP (RFC 826, net/ipv4/arp.c: arp_rcv, arp_process, arp_solicit), proxy ARP (RFC 1027, parp_redo)
// and the neighbour state machine (net/core/neighbour.c: __neigh_update, neigh_timer_handler,
// __neigh_event_send). The IPv4 data path (stack.ts) hands ARP frames here and asks here for a
// next hop's link-layer address.

import { BROADCAST_MAC, type Ipv4, type Mac, ZERO_MAC, macEqualsBytes, macFromBytes } from '../model/addr.js';
import {
  ARP_PACKET_LEN,
  ArpOp,
  EtherType,
  decodeArp,
  ETHERNET_HEADER_LEN,
  decodeIpv4,
  encodeArp,
  encodeEthernet,
  readU32,
} from '../model/wire/index.js';
import { confirmedNeigh, type Link, type NeighEntry, type Netns, NudState, RouteScope, neighKey } from '../model/world.js';
import { inetSelectAddr } from './addrsel.js';
import type { LinkDriver, Tx } from './driver.js';
import { confOf, neighOf, neighParm } from './sysctl.js';
import { DropReason } from './trace.js';
import { type PacketType, devXmit, drop, icmpSend, ipRouteInput, NOT_LOCAL } from './stack.js';

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
export function arpRcv(tx: Tx, nsKey: string, ns: Netns, l: Link, driver: LinkDriver, frame: Uint8Array, pktType: PacketType): void {
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
export function neighConfirm(tx: Tx, nsKey: string, dev: number, nexthop: Ipv4): void {
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
