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
import { inetIfaMatch, inetSelectAddr } from './addrsel.js';
import { inetAddrTypeTable } from './fib.js';
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
 * confirmAddrIndev is confirm_addr_indev: an address of device `ifindex` of scope `scope` or wider
 * (`local` itself when given), provided one address's subnet holds both `local` and `dst` (each
 * when given); 0 otherwise.
 */
function confirmAddrIndev(ns: Netns, ifindex: number, dst: Ipv4, local: Ipv4, scope: number): Ipv4 {
  let addr = 0;
  let same = false;
  for (const ifa of ns.addrs) {
    if (ifa.ifindex !== ifindex) continue;
    if (!addr && (local === ifa.local || !local) && ifa.scope <= scope) {
      addr = ifa.local;
      if (same) break;
    }
    if (!same) {
      same = (!local || inetIfaMatch(local, ifa)) && (!dst || inetIfaMatch(dst, ifa));
      if (same && addr) {
        if (local || !dst) break;
        // Is the chosen address in dst's subnet? If not, can this one be used instead?
        if (inetIfaMatch(addr, ifa)) break;
        if (ifa.scope <= scope) {
          addr = ifa.local;
          break;
        }
        same = false;
      }
    }
  }
  return same ? addr : 0;
}

/** inetConfirmAddr is inet_confirm_addr: confirmAddrIndev on one device, or on each in dev_base order. */
function inetConfirmAddr(ns: Netns, ifindex: number | undefined, dst: Ipv4, local: Ipv4, scope: number): Ipv4 {
  if (ifindex !== undefined) return confirmAddrIndev(ns, ifindex, dst, local, scope);
  for (const dev of ns.devList) {
    const addr = confirmAddrIndev(ns, dev, dst, local, scope);
    if (addr) return addr;
  }
  return 0;
}

/**
 * arpIgnore is arp_ignore: whether a request for local address `tip` from `sip` arriving on `l` goes
 * unanswered under net.ipv4.conf.{all,DEV}.arp_ignore (the larger of the two): 1 answers only an
 * address of `l`, 2 also wants `sip` in that address's subnet, 3 no scope-host address, 8 nothing.
 */
function arpIgnore(ns: Netns, l: Link, sip: Ipv4, tip: Ipv4): boolean {
  switch (Math.max(confOf(ns, 'all').arp_ignore, confOf(ns, l.name).arp_ignore)) {
    case 1:
      return !inetConfirmAddr(ns, l.ifindex, 0, tip, RouteScope.Host);
    case 2:
      return !inetConfirmAddr(ns, l.ifindex, sip, tip, RouteScope.Host);
    case 3:
      return !inetConfirmAddr(ns, undefined, 0, tip, RouteScope.Link);
    case 8:
      return true;
    default:
      return false;
  }
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
  if (pktType === 'otherhost' || driver.linkType !== 'ether' || (l.noarp ?? driver.flags.includes('NOARP'))) {
    drop(tx, nsKey, DropReason.OtherHost, l.name);
    return;
  }
  const o = ARP_OFFSET;
  const op = (frame[o + 6] << 8) | frame[o + 7];
  const sip = readU32(frame, o + 14);
  const tip = readU32(frame, o + 24);
  if (tip >>> 28 === 14 || tip >>> 24 === 127) return;
  // RFC 5227 probes (sender 0.0.0.0) for a local address get a reply to the asker's MAC, and teach nothing.
  if (sip === 0) {
    if (op === ArpOp.Request && inetAddrTypeTable(ns.fib, tip) === 'local' && !arpIgnore(ns, l, sip, tip)) {
      const sha = macFromBytes(frame, o + 8);
      arpSend(tx, nsKey, l, ArpOp.Reply, sip, tip, sha, sha);
    }
    return;
  }
  if (op === ArpOp.Request) {
    const all = confOf(ns, 'all');
    const dev = confOf(ns, l.name);
    const proxyArp = all.proxy_arp !== 0 || dev.proxy_arp !== 0;
    // pneigh_lookup: a proxy entry (`ip neigh add proxy ADDR dev DEV`) answers for ADDR on DEV.
    const proxy = proxyArp || ns.pneigh?.has(l.ifindex * 4294967296 + tip) === true;
    // Without proxy ARP only a request for one of our addresses is answered, and only a local or
    // broadcast route can make it ours: most of the requests a LAN floods need no route lookup.
    const rt = proxy || tip === 0xffffffff || ns.fib.mayBeLocal(tip) ? ipRouteInput(tx, ns, tip, sip, l, proxy, dev) : NOT_LOCAL;
    if (rt.kind === 'local') {
      if (!arpIgnore(ns, l, sip, tip)) {
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

/** inetAddrOnlink is inet_addr_onlink: one subnet of the device holds `a` and (when given) `b`. */
function inetAddrOnlink(ns: Netns, ifindex: number, a: Ipv4, b: Ipv4): boolean {
  return ns.addrs.some((ifa) => ifa.ifindex === ifindex && inetIfaMatch(a, ifa) && (!b || inetIfaMatch(b, ifa)));
}

/** arpSolicit is arp_solicit: broadcast while resolving, unicast to the known address while probing. */
function arpSolicit(tx: Tx, nsKey: string, l: Link, n: NeighEntry): void {
  const ns = tx.ns(nsKey)!;
  let saddr = 0;
  const last = n.queue.length > 0 ? n.queue[n.queue.length - 1].packet : null;
  // arp_announce (the larger of all and DEV): 0 takes the queued packet's source if it is local, 1
  // only if it is also on a subnet of the device that holds the target, 2 never.
  const announce = Math.max(confOf(ns, 'all').arp_announce, confOf(ns, l.name).arp_announce);
  if (last !== null && announce !== 2) {
    const ip = decodeIpv4(last);
    const src = ip.ok ? ip.value.repr.src : 0;
    if (src && inetAddrTypeTable(ns.fib, src) === 'local' && (announce !== 1 || inetAddrOnlink(ns, l.ifindex, n.ip, src))) saddr = src;
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

/** neighSendResolved puts the Ethernet header on a packet for a resolved neighbour and sends it; false when the device dropped it. */
function neighSendResolved(tx: Tx, nsKey: string, l: Link, n: NeighEntry, packet: Uint8Array): boolean {
  const frame = encodeEthernet({ dst: n.lladdr!, src: l.mac, ethertype: EtherType.Ipv4 }, packet);
  return devXmit(tx, nsKey, l.ifindex, frame);
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

/** ipEthMcMap is ip_eth_mc_map: 01:00:5e and the low 23 bits of the group address. */
function ipEthMcMap(group: Ipv4): Mac {
  return macFromBytes(new Uint8Array([0x01, 0x00, 0x5e, (group >>> 16) & 0x7f, (group >>> 8) & 0xff, group & 0xff]));
}

/**
 * neighOutput is ip_finish_output2: a device without a link-layer header takes the packet as it is,
 * loopback gets a zero header, and anything else goes through neigh_resolve_output with
 * __neigh_event_send's state machine. It returns false when the device dropped the packet at once
 * (NET_XMIT_DROP); a packet queued for resolution counts as sent.
 */
export function neighOutput(tx: Tx, nsKey: string, dev: number, nexthop: Ipv4, packet: Uint8Array, local: boolean): boolean {
  const ns = tx.ns(nsKey)!;
  const l = ns.links.get(dev);
  if (l === undefined) return true;
  const driver = tx.drivers.of(l);
  if (driver.l3) return devXmit(tx, nsKey, dev, packet);
  if (driver.linkType === 'loopback') {
    return devXmit(tx, nsKey, dev, encodeEthernet({ dst: ZERO_MAC, src: ZERO_MAC, ethertype: EtherType.Ipv4 }, packet));
  }
  let n = findNeigh(ns, nexthop, dev);
  if (n === undefined) {
    // arp_constructor: a multicast next hop is NOARP with its mapped group address (arp_mc_map); on a
    // device with IFF_NOARP (`ip link set DEV arp off`) the entry is NOARP with the device's own
    // address; a broadcast next hop is NOARP with the device's broadcast address.
    const type = inetAddrTypeTable(ns.fib, nexthop);
    const lladdr =
      type === 'multicast'
        ? ipEthMcMap(nexthop)
        : (l.noarp ?? driver.flags.includes('NOARP'))
          ? l.mac
          : type === 'broadcast'
            ? BROADCAST_MAC
            : undefined;
    n = neighCreate(ns, {
      ip: nexthop,
      dev,
      ...(lladdr !== undefined ? { lladdr } : {}),
      state: lladdr !== undefined ? NudState.Noarp : 'NONE',
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
      return neighSendResolved(tx, nsKey, l, n, packet);
    case NudState.Stale:
      setNud(tx, nsKey, l.name, n, NudState.Delay, 'used while stale');
      armTimer(tx, nsKey, n, neighOf(ns, l.name).delay_first_probe_time * 1_000_000);
      return neighSendResolved(tx, nsKey, l, n, packet);
    case NudState.Incomplete: {
      n.queue.push({ packet, local });
      const max = neighParm(ns, l.name, 'unres_qlen');
      while (n.queue.length > max) {
        n.queue.shift();
        drop(tx, nsKey, DropReason.NeighQueueFull, l.name);
      }
      return true;
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
      return true;
    }
  }
}

/**
 * neighEventSend is neigh_event_send(n, NULL) on a possibly new entry (__ipv4_neigh_lookup or
 * neigh_create): resolution starts without a packet to queue, as __ip_do_redirect does for a new
 * gateway. A STALE entry goes to DELAY; a resolving or valid one is left alone.
 */
export function neighEventSend(tx: Tx, nsKey: string, dev: number, ip: Ipv4): void {
  const ns = tx.ns(nsKey)!;
  const l = ns.links.get(dev);
  if (l === undefined || tx.drivers.of(l).l3 || tx.drivers.of(l).linkType === 'loopback') return;
  let n = findNeigh(ns, ip, dev);
  if (n === undefined) {
    n = neighCreate(ns, { ip, dev, state: 'NONE', probes: 0, confirmed: 0, updated: tx.now, used: tx.now, timer: undefined, queue: [] });
  }
  if (n.state === NudState.Stale) {
    setNud(tx, nsKey, l.name, n, NudState.Delay, 'used while stale');
    armTimer(tx, nsKey, n, neighOf(ns, l.name).delay_first_probe_time * 1_000_000);
    return;
  }
  if (n.state !== 'NONE' && n.state !== NudState.Failed) return;
  const from = n.state;
  n.probes = neighParm(ns, l.name, 'ucast_solicit');
  n.state = NudState.Incomplete;
  n.updated = tx.now;
  n.lladdr = undefined;
  tx.trace({ kind: 'neigh', ns: nsKey, dev: l.name, ip, from, to: NudState.Incomplete, reason: 'redirect gateway needs resolution' });
  armTimer(tx, nsKey, n, Math.max(neighOf(ns, l.name).retrans_time_ms * 1000, 10_000));
  neighProbe(tx, nsKey, l, n);
}

/**
 * neighChangeaddr is neigh_changeaddr (arp_netdev_event on NETDEV_CHANGEADDR): every neighbour entry
 * of the device goes, permanent ones too, with what was queued on them.
 */
export function neighChangeaddr(tx: Tx, nsKey: string, ifindex: number): void {
  const ns = tx.ns(nsKey)!;
  for (const [k, n] of ns.neigh) if (n.dev === ifindex) ns.neigh.delete(k);
}

/**
 * neighCarrierDown is neigh_carrier_down (arp_netdev_event on NETDEV_CHANGE without carrier): the
 * device's entries go, except permanent ones.
 */
export function neighCarrierDown(tx: Tx, nsKey: string, ifindex: number): void {
  const ns = tx.ns(nsKey)!;
  for (const [k, n] of ns.neigh) if (n.dev === ifindex && n.state !== NudState.Permanent) ns.neigh.delete(k);
}

/**
 * arpNotify is inetdev_event's NETDEV_UP / NETDEV_CHANGEADDR case: with net.ipv4.conf.{all,DEV}.arp_notify
 * set, a gratuitous ARP request (sender and target the address, broadcast) for each of the device's
 * addresses in turn (inetdev_send_gratuitous_arp). An address added later sends nothing.
 */
export function arpNotify(tx: Tx, nsKey: string, l: Link): void {
  const ns = tx.ns(nsKey)!;
  const driver = tx.drivers.of(l);
  // arp_send sends nothing on a device with IFF_NOARP.
  if (driver.linkType !== 'ether' || (l.noarp ?? driver.flags.includes('NOARP'))) return;
  if (Math.max(confOf(ns, 'all').arp_notify, confOf(ns, l.name).arp_notify) === 0) return;
  for (const a of ns.addrs) if (a.ifindex === l.ifindex) arpSend(tx, nsKey, l, ArpOp.Request, a.local, a.local, null, null);
}
