// The control plane of the kernel model: namespaces, links, addresses, neighbours, FDB entries and
// sysctls, changed the way rtnetlink changes them (rtnetlink(7), ip-link(8), ip-netns(8),
// net/core/dev.c, net/core/net_namespace.c, net/ipv4/devinet.c). Every function changes the
// namespaces it gets from the step context and returns the error line the real tool prints, or null.
// Kind-specific work (a bridge's ports, a VXLAN device's socket) is its driver's.

import type { Ipv4, Mac } from '../model/addr.js';
import { FibStore } from '../model/fibstore.js';
import { INIT_NS, type FdbEntry, type IfAddr, type Link, type LinkKind, type Netns, type Route, type WorldView } from '../model/world.js';
import { addrRoutes, fibNetdevUp, ifaAddress, inetDelIfa, inetIfaMatch, inetInsertIfa } from './addrsel.js';
import { arpNotify, neighCarrierDown, neighChangeaddr } from './arp.js';
import type { DriverRegistry, LinkDriver, Tx } from './driver.js';
import { fibDelete, fibFlushDev, fibInsert } from './fib.js';
import { fnheRelease } from './route.js';
import { addrconfDown, addrconfUp, ipv6Disabled } from './ipv6.js';
import { IPV6_MIN_MTU } from './linkinfo.js';
import {
  confGet,
  devSysctlInit,
  devSysctlMove,
  INET_MIN_MTU,
  inet6SysctlInit,
  inetDevValid,
  inetSysctlInit,
  parseSysctlKey,
  sysctlKey,
  sysctlStore,
  sysctlWrite,
} from './sysctl.js';

/** LOOPBACK_IFINDEX is lo's ifindex in every namespace (loopback_net_init registers it first). */
export const LOOPBACK_IFINDEX = 1;

/** newLinkRecord returns a device of `driver`'s kind with its defaults, down. */
export function newLinkRecord(driver: LinkDriver, name: string, ifindex: number, mac: Mac): Link {
  return {
    ifindex,
    name,
    kind: driver.kind,
    mac,
    macSet: !driver.randomMac,
    mtu: driver.defaultMtu,
    adminUp: false,
    master: undefined,
    peer: undefined,
    info: undefined,
    fdb: [],
    txqlen: driver.txqlen,
    everUp: false,
    stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
}

/** newNetns returns a namespace holding only `lo`, which is up (a lab's namespaces start with lo up). */
export function newNetns(name: string, drivers: DriverRegistry): Netns {
  const loDriver = drivers.get('loopback');
  if (loDriver === undefined) throw new Error('the loopback driver is not registered');
  const lo = newLinkRecord(loDriver, 'lo', LOOPBACK_IFINDEX, '00:00:00:00:00:00');
  lo.adminUp = true;
  lo.everUp = true;
  const loAddr = loopbackAddr();
  const fib = new FibStore();
  for (const r of addrRoutes(loAddr, lo, [loAddr])) fibInsert(fib, r, 'append');
  return {
    name,
    links: new Map([[LOOPBACK_IFINDEX, lo]]),
    linkNames: new Map([['lo', LOOPBACK_IFINDEX]]),
    devList: [LOOPBACK_IFINDEX],
    ifindexNext: 2,
    addrs: [loAddr],
    fib,
    neigh: new Map(),
    sysctl: new Map(),
    nsids: new Map(),
    nsidHoles: false,
    nsidHolders: new Set(),
    listeners: [],
    udpEncap: new Map(),
    drops: new Map(),
    ipIdent: 1,
    pmtu: new Map(),
    reasm: new Map(),
  };
}

/** loopbackAddr is 127.0.0.1/8 on lo, scope host, which lo gets whenever it comes up (inetdev_event NETDEV_UP). */
function loopbackAddr(): IfAddr {
  return { ifindex: LOOPBACK_IFINDEX, local: 0x7f000001, prefixlen: 8, scope: 254, label: 'lo', secondary: false };
}

/** nsLabel prints a namespace key the way error messages name it. */
export function nsLabel(key: string): string {
  return key === INIT_NS ? '(initial)' : key;
}

/** linkByName finds a link by interface name. */
export function linkByName(ns: Netns, name: string): Link | undefined {
  const i = ns.linkNames.get(name);
  return i === undefined ? undefined : ns.links.get(i);
}

/** linksInOrder lists a namespace's links by ifindex, as rtnetlink dumps them. */
export function linksInOrder(ns: Netns): Link[] {
  return [...ns.links.values()].sort((a, b) => a.ifindex - b.ifindex);
}

/** peerLink returns the other end of a veth pair, wherever it lives. */
export function peerLink(view: WorldView, l: Link): Link | undefined {
  if (l.peer === undefined) return undefined;
  return view.namespaces.get(l.peer.ns)?.links.get(l.peer.ifindex);
}

/** linkCarrier says whether a device has carrier (netif_carrier_ok): it is up and its driver says so. */
export function linkCarrier(view: WorldView, drivers: DriverRegistry, nsKey: string, l: Link): boolean {
  return l.adminUp && drivers.of(l).carrier(view, drivers, nsKey, l);
}

/** OperState is the RFC 2863 operational state `ip link` prints after `state`. */
export type OperState = 'UNKNOWN' | 'DOWN' | 'LOWERLAYERDOWN' | 'UP';

/**
 * linkOperstate returns the operational state as default_operstate() in net/core/link_watch.c computes
 * it: DOWN when administratively down; UNKNOWN for devices that never report carrier (loopback, VXLAN,
 * IPIP); UP with carrier; without carrier DOWN when the device's iflink is itself or names a device of
 * its own namespace that has carrier, LOWERLAYERDOWN otherwise. A veth's iflink is the peer's ifindex,
 * looked up (as the kernel does) in the veth's own namespace.
 */
export function linkOperstate(view: WorldView, drivers: DriverRegistry, nsKey: string, l: Link): OperState {
  if (!l.adminUp) return 'DOWN';
  const driver = drivers.of(l);
  if (!driver.reportsCarrier || driver.operstateUnknown?.(view, nsKey, l) === true) return 'UNKNOWN';
  if (linkCarrier(view, drivers, nsKey, l)) return 'UP';
  if (l.peer === undefined) return 'DOWN';
  const iflink = l.peer.ifindex;
  if (iflink === l.ifindex) return 'DOWN';
  const other = view.namespaces.get(nsKey)?.links.get(iflink);
  if (other === undefined) return 'DOWN';
  return linkCarrier(view, drivers, nsKey, other) ? 'DOWN' : 'LOWERLAYERDOWN';
}

/** linkRunning is IFF_RUNNING as dev_get_flags reports it: up and operationally UP or UNKNOWN. */
export function linkRunning(view: WorldView, drivers: DriverRegistry, nsKey: string, l: Link): boolean {
  if (!l.adminUp) return false;
  const s = linkOperstate(view, drivers, nsKey, l);
  return s === 'UP' || s === 'UNKNOWN';
}

/** mix32 is a deterministic integer hash that makes generated MAC addresses look like the kernel's random ones. */
function mix32(x: number): number {
  let y = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  y = Math.imul(y ^ (y >>> 15), 0x846ca68b);
  return (y ^ (y >>> 16)) >>> 0;
}

/** randomMac returns the next deterministic locally administered unicast MAC (eth_hw_addr_random). */
export function randomMac(tx: Tx): Mac {
  const seq = tx.nextSeq();
  const a = mix32(seq * 2 + 1);
  const b = mix32(seq * 2 + 2);
  const bytes = [((a >>> 24) & 0xfe) | 0x02, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** allocIfindex reserves an ifindex the way dev_index_reserve does: cyclic, skipping used ones. */
function allocIfindex(ns: Netns, wanted = 0): number {
  if (wanted > 0 && !ns.links.has(wanted)) return wanted;
  const i = peekIfindex(ns);
  ns.ifindexNext = i + 1;
  return i;
}

/** peekIfindex is the ifindex allocIfindex would hand out next. */
function peekIfindex(ns: Netns): number {
  let i = ns.ifindexNext;
  while (ns.links.has(i)) i++;
  return i;
}

/** validName checks an interface name as dev_valid_name does (iproute2 rejects it first, with its own words). */
export function validName(name: string): string | null {
  if (name.length === 0 || name.length > 15 || /[\s/:]/.test(name) || name === '.' || name === '..') {
    return `Error: argument "${name}" is wrong: "name" not a valid ifname`;
  }
  return null;
}

/** registerLink adds a device to a namespace's tables: links, names, dev_base list, sysctls. */
function registerLink(ns: Netns, l: Link): void {
  ns.links.set(l.ifindex, l);
  ns.linkNames.set(l.name, l.ifindex);
  ns.devList.push(l.ifindex);
  devSysctlInit(ns, l.name);
}

/** LinkCommon are the attributes of `ip link add` that every kind takes (IFLA_TXQLEN, …). */
export interface LinkCommon {
  /** txqueuelen is `txqueuelen N`; the driver's default otherwise. */
  readonly txqueuelen?: number;
}

/** createLink makes a device of `kind` in a namespace and registers it; the driver's create hook runs first. */
export function createLink(
  tx: Tx,
  nsKey: string,
  kind: LinkKind,
  name: string,
  options: Readonly<Record<string, unknown>>,
  common: LinkCommon = {},
): string | null {
  const ns = tx.ns(nsKey)!;
  const bad = validName(name);
  if (bad) return bad;
  // rtnl_newlink finds an existing device before it looks for the kind.
  if (ns.linkNames.has(name)) return 'RTNETLINK answers: File exists';
  const driver = tx.drivers.get(kind);
  if (driver === undefined) return 'Error: Unknown device type.';
  const l = newLinkRecord(driver, name, peekIfindex(ns), driver.randomMac ? randomMac(tx) : '00:00:00:00:00:00');
  if (common.txqueuelen !== undefined) l.txqlen = common.txqueuelen;
  if (driver.create) {
    const e = driver.create(tx, nsKey, l, { name, options });
    if (e !== null) return e;
  }
  allocIfindex(ns);
  registerLink(ns, l);
  return null;
}

/** allocNsid gives `ns` an id for `peer` if it has none (peernet2id_alloc: lowest free id). */
export function allocNsid(tx: Tx, nsKey: string, peerKey: string): void {
  if (nsKey === peerKey) return;
  const ns = tx.ns(nsKey);
  const peer = tx.ns(peerKey);
  if (ns === undefined || peer === undefined || ns.nsids.has(peerKey)) return;
  // Ids are handed out from 0 and only a deletion leaves a hole: the lowest free id is the count unless one does.
  let id = ns.nsids.size;
  if (ns.nsidHoles) {
    const used = new Set(ns.nsids.values());
    id = 0;
    while (used.has(id)) id++;
    if (id === ns.nsids.size) ns.nsidHoles = false;
  }
  ns.nsids.set(peerKey, id);
  peer.nsidHolders.add(nsKey);
}

/** netnsAdd is `ip netns add NAME`; every registered driver's per-namespace init runs (ipip's tunl0). */
export function netnsAdd(tx: Tx, name: string): string | null {
  if (tx.ns(name) !== undefined) return `Cannot create namespace file "/run/netns/${name}": File exists`;
  tx.addNs(name, newNetns(name, tx.drivers));
  pernetInit(tx, name);
  return null;
}

/**
 * setNetnsNamed says whether a namespace has a file in /run/netns. A pod's namespace made by a
 * container runtime has none: the node's `ip` then prints `link-netnsid N` for links into it, as
 * iproute2 names an nsid only when it finds it among /run/netns's files, and `ip netns` does not list
 * it. The simulator keeps addressing it by its key (`ip netns exec` in walkthroughs still works).
 */
export function setNetnsNamed(tx: Tx, nsKey: string, named: boolean, mountName?: string): void {
  const ns = tx.ns(nsKey);
  if (ns === undefined) return;
  if (named) delete ns.named;
  else ns.named = false;
  if (mountName !== undefined) ns.mountName = mountName;
  else delete ns.mountName;
}

/** pernetInit runs the drivers' per-namespace init for a new namespace (register_pernet_device). */
export function pernetInit(tx: Tx, nsKey: string): void {
  for (const kind of tx.drivers.kinds()) tx.drivers.get(kind)!.pernetInit?.(tx, nsKey);
}

/** netnsDel is `ip netns del NAME`: its devices die, veths take their peers elsewhere with them. */
export function netnsDel(tx: Tx, name: string): string | null {
  const ns = tx.ns(name);
  if (ns === undefined || name === INIT_NS) return `Cannot remove namespace file "/run/netns/${name}": No such file or directory`;
  for (const l of [...ns.links.values()]) {
    if (l.peer !== undefined && l.peer.ns !== name) removeLink(tx, l.peer.ns, l.peer.ifindex);
  }
  for (const holder of ns.nsidHolders) {
    const h = tx.ns(holder);
    if (h?.nsids.delete(name)) h.nsidHoles = true;
  }
  for (const peer of ns.nsids.keys()) tx.ns(peer)?.nsidHolders.delete(name);
  tx.delNs(name);
  return null;
}

/** unregisterLink takes a device out of its namespace: its addresses, routes, neighbours, sysctls and master go. */
function unregisterLink(tx: Tx, nsKey: string, ifindex: number, force: boolean): Link | undefined {
  const ns = tx.ns(nsKey);
  const l = ns?.links.get(ifindex);
  if (ns === undefined || l === undefined) return undefined;
  const driver = tx.drivers.of(l);
  if (l.adminUp) linkUpDown(tx, nsKey, l, false);
  if (l.master !== undefined) releasePort(tx, nsKey, l);
  driver.uninit?.(tx, nsKey, l);
  for (const other of ns.links.values()) {
    if (other.master === ifindex) releasePort(tx, nsKey, other);
  }
  ns.addrs = ns.addrs.filter((a) => a.ifindex !== ifindex);
  fibFlushDev(tx.fib(ns), ifindex, force);
  fnheRelease(ns);
  for (const [k, n] of ns.neigh) if (n.dev === ifindex) ns.neigh.delete(k);
  devSysctlMove(ns, l.name, null);
  ns.links.delete(ifindex);
  ns.linkNames.delete(l.name);
  ns.devList = ns.devList.filter((i) => i !== ifindex);
  return l;
}

/** removeLink unregisters a device for good. */
export function removeLink(tx: Tx, nsKey: string, ifindex: number): void {
  unregisterLink(tx, nsKey, ifindex, true);
}

/** releasePort takes a device off its master. */
function releasePort(tx: Tx, nsKey: string, port: Link): void {
  const ns = tx.ns(nsKey)!;
  const master = port.master === undefined ? undefined : ns.links.get(port.master);
  port.master = undefined;
  if (master !== undefined) {
    tx.drivers.of(master).release?.(tx, nsKey, master, port);
    masterMtuAdjust(tx, nsKey, master);
  }
}

/** masterMtuAdjust gives a master the MTU its driver wants now (br_mtu_auto_adjust → dev_set_mtu). */
function masterMtuAdjust(tx: Tx, nsKey: string, master: Link): void {
  const mtu = tx.drivers.of(master).autoMtu?.(tx, nsKey, master) ?? null;
  if (mtu === null || mtu === master.mtu) return;
  const old = master.mtu;
  master.mtu = mtu;
  mtuChanged(tx, nsKey, master, old);
}

/** VethCreate is `ip link add NAME [txqueuelen N] type veth peer [name] PEER [txqueuelen N] [netns NS]`. */
export interface VethCreate {
  readonly peer: string;
  readonly peerNs: string | null;
  /** peerIfindex asks for the peer's ifindex (IFLA_LINK_NETNSID + ifindex in the peer's ifinfomsg), when free. */
  readonly peerIfindex?: number;
  /** ifindex asks for this end's ifindex, when free. */
  readonly ifindex?: number;
  /** txqueuelen is this end's IFLA_TXQLEN (older kernels made veths with 0, which `ip link` then leaves out). */
  readonly txqueuelen?: number;
  /** peerTxqueuelen is the peer's own IFLA_TXQLEN; each end has its own, the driver's 1000 by default. */
  readonly peerTxqueuelen?: number;
}

/** PairEnd is one end of a pair of devices wired back to back: its driver, name, namespace and wishes. */
interface PairEnd {
  readonly driver: LinkDriver;
  readonly name: string;
  readonly nsKey: string;
  readonly ifindex?: number;
  readonly txqueuelen?: number;
  readonly mac?: Mac;
}

/**
 * pairAdd registers two devices that are each other's peer, `peer` first so that it takes the lower
 * ifindex (veth_newlink registers the peer before the device). The checks are veth_newlink's and
 * rtnl_newlink's, in their order.
 */
function pairAdd(tx: Tx, dev: PairEnd, peer: PairEnd, peerNsLabel: string | null): string | null {
  const ns = tx.ns(dev.nsKey)!;
  const bad = validName(dev.name);
  if (bad) return bad;
  if (ns.linkNames.has(dev.name)) return 'RTNETLINK answers: File exists';
  const peerNs = tx.ns(peer.nsKey);
  if (peerNs === undefined) return `Invalid "netns" value "${peerNsLabel}"`;
  const badPeer = validName(peer.name);
  if (badPeer) return badPeer;
  if (peerNs.linkNames.has(peer.name) || (peer.nsKey === dev.nsKey && peer.name === dev.name)) return 'RTNETLINK answers: File exists';
  const place = (end: PairEnd, n: Netns): Link => {
    const l = newLinkRecord(end.driver, end.name, allocIfindex(n, end.ifindex), end.mac ?? randomMac(tx));
    if (end.mac !== undefined) l.macSet = true;
    if (end.txqueuelen !== undefined) l.txqlen = end.txqueuelen;
    return l;
  };
  const p = place(peer, peerNs);
  registerLink(peerNs, p);
  const d = place(dev, ns);
  d.peer = { ns: peer.nsKey, ifindex: p.ifindex };
  p.peer = { ns: dev.nsKey, ifindex: d.ifindex };
  registerLink(ns, d);
  return null;
}

/** vethAdd makes a veth pair (veth_newlink): the peer is registered first, so it takes the lower ifindex. */
export function vethAdd(tx: Tx, nsKey: string, name: string, opts: VethCreate): string | null {
  const driver = tx.drivers.get('veth');
  if (driver === undefined) return 'Error: Unknown device type.';
  const peerNsKey = opts.peerNs ?? nsKey;
  const e = pairAdd(
    tx,
    {
      driver,
      name,
      nsKey,
      ...(opts.ifindex !== undefined ? { ifindex: opts.ifindex } : {}),
      ...(opts.txqueuelen !== undefined ? { txqueuelen: opts.txqueuelen } : {}),
    },
    {
      driver,
      name: opts.peer,
      nsKey: peerNsKey,
      ...(opts.peerIfindex !== undefined ? { ifindex: opts.peerIfindex } : {}),
      ...(opts.peerTxqueuelen !== undefined ? { txqueuelen: opts.peerTxqueuelen } : {}),
    },
    opts.peerNs,
  );
  if (e !== null) return e;
  // The namespace that asked gets an id for the peer's at once; the peer's namespace gets one for it
  // only when a dump first reports the link (rtnl_fill_link_netnsid), as `ip link` does.
  if (peerNsKey !== nsKey) allocNsid(tx, nsKey, peerNsKey);
  return null;
}

/** NIC_KIND is the link kind of a physical Ethernet NIC (src/kernel/drivers/nic.ts). */
export const NIC_KIND = 'nic';

/**
 * NicCreate describes a node's physical NIC and the switch port its cable plugs into. The port is a
 * veth end in the switch's namespace (so it can be a bridge port there); the NIC itself shows as a
 * physical device: no `@ifN`, no `link-netnsid`, no linkinfo, `qdisc mq` once up.
 */
export interface NicCreate {
  /** ifindex is the NIC's index in its namespace, when free (a node's first NIC is 2). */
  readonly ifindex?: number;
  /** mac is the NIC's burnt-in address; a random one otherwise. */
  readonly mac?: Mac;
  /** switchNs is the namespace of the switch port. */
  readonly switchNs: string;
  /** switchPort is the switch port's device name there. */
  readonly switchPort: string;
  readonly switchPortIfindex?: number;
  /** txqueuelen is the NIC's; 1000 by default. */
  readonly txqueuelen?: number;
  /** queues is the number of TX and RX queues (more than one gives the `mq` qdisc); 2 by default. */
  readonly queues?: number;
  /** parentDev is the PCI address `ip -d link` prints as `parentdev` (`0000:0b:00.0` by default). */
  readonly parentDev?: string;
}

/**
 * nicAdd plugs a physical NIC named `name` into namespace `nsKey`, cabled to a new switch port. Only
 * the switch side learns an nsid for the node (its port prints `link-netnsid`); the node's own ids
 * are untouched, as a real NIC refers to no namespace.
 */
export function nicAdd(tx: Tx, nsKey: string, name: string, opts: NicCreate): string | null {
  const nic = tx.drivers.get(NIC_KIND);
  const veth = tx.drivers.get('veth');
  if (nic === undefined || veth === undefined) return 'Error: Unknown device type.';
  const e = pairAdd(
    tx,
    {
      driver: nic,
      name,
      nsKey,
      ...(opts.ifindex !== undefined ? { ifindex: opts.ifindex } : {}),
      ...(opts.txqueuelen !== undefined ? { txqueuelen: opts.txqueuelen } : {}),
      ...(opts.mac !== undefined ? { mac: opts.mac } : {}),
    },
    {
      driver: veth,
      name: opts.switchPort,
      nsKey: opts.switchNs,
      ...(opts.switchPortIfindex !== undefined ? { ifindex: opts.switchPortIfindex } : {}),
    },
    opts.switchNs,
  );
  if (e !== null) return e;
  const l = linkByName(tx.ns(nsKey)!, name)!;
  const queues = opts.queues ?? 2;
  l.info = { queues, parentDev: opts.parentDev ?? '0000:0b:00.0' };
  l.qdisc = queues > 1 ? 'mq' : 'fq_codel';
  if (opts.switchNs !== nsKey) allocNsid(tx, opts.switchNs, nsKey);
  return null;
}

/** linkDel is `ip link del DEV`: a veth takes its peer with it. */
export function linkDel(tx: Tx, nsKey: string, name: string): string | null {
  const ns = tx.ns(nsKey)!;
  const l = linkByName(ns, name);
  if (l === undefined) return `Cannot find device "${name}"`;
  // A device without rtnl_link_ops (lo, a physical NIC) cannot be deleted.
  if (l.kind === 'loopback' || l.kind === NIC_KIND) return 'RTNETLINK answers: Operation not supported';
  if (l.peer !== undefined) removeLink(tx, l.peer.ns, l.peer.ifindex);
  removeLink(tx, nsKey, l.ifindex);
  return null;
}

/** linkUpDown is `ip link set DEV up|down` (dev_open / dev_close and the notifiers that follow). */
function linkUpDown(tx: Tx, nsKey: string, l: Link, up: boolean): string | null {
  const ns = tx.ns(nsKey)!;
  if (l.adminUp === up) return null;
  const driver = tx.drivers.of(l);
  if (up) {
    const e = driver.open?.(tx, nsKey, l) ?? null;
    if (e !== null) return e;
    l.adminUp = true;
    l.everUp = true;
    // inetdev_event(NETDEV_UP): lo gets 127.0.0.1/8 back (an error, as when it is there, is ignored).
    if (driver.linkType === 'loopback' && inetDevValid(l)) {
      const r = inetInsertIfa(ns.addrs, tx.fib(ns), { ...loopbackAddr(), ifindex: l.ifindex, label: l.name }, l);
      if (r.ok) ns.addrs = r.addrs;
    }
    // fib_netdev_event(NETDEV_UP): the routes of every address come back.
    fibNetdevUp(tx.fib(ns), l, ns.addrs);
    arpNotify(tx, nsKey, l);
  } else {
    l.adminUp = false;
    driver.stop?.(tx, nsKey, l);
    fibFlushDev(tx.fib(ns), l.ifindex);
    fnheRelease(ns);
    for (const [k, n] of ns.neigh) if (n.dev === l.ifindex) ns.neigh.delete(k);
    addrconfDown(l);
    // The peer loses carrier, and with it its neighbours (linkwatch → NETDEV_CHANGE → neigh_carrier_down).
    const peer = l.peer === undefined ? undefined : tx.ns(l.peer.ns)?.links.get(l.peer.ifindex);
    if (peer?.adminUp) neighCarrierDown(tx, l.peer!.ns, peer.ifindex);
  }
  notifyCarrier(tx, nsKey, l);
  addrconfSync(tx, nsKey);
  if (l.peer !== undefined && l.peer.ns !== nsKey) addrconfSync(tx, l.peer.ns);
  return null;
}

/**
 * addrconfSync runs addrconf's NETDEV_UP / NETDEV_CHANGE handling for every up device of a namespace
 * after a change that may have given links carrier (a device or its peer came up, a port joined a
 * bridge): a device whose link is now ready for the first time since it came up gets its IPv6
 * addresses (src/kernel/ipv6.ts). Devices already configured, down, or with IPv6 disabled cost a
 * check each.
 */
export function addrconfSync(tx: Tx, nsKey: string): void {
  // Read through the view: a namespace is taken for change (a draft, while a trace records) only
  // when one of its devices is a candidate.
  const seen = tx.view.namespaces.get(nsKey);
  if (seen === undefined) return;
  for (const l of seen.links.values()) {
    if (!l.adminUp || l.inet6?.ready === true || l.mtu < IPV6_MIN_MTU || ipv6Disabled(seen, l.name)) continue;
    addrconfLink(tx, nsKey, tx.ns(nsKey)!.links.get(l.ifindex)!);
  }
}

/** addrconfLink is addrconfSync for one device. */
function addrconfLink(tx: Tx, nsKey: string, l: Link): void {
  const driver = tx.drivers.of(l);
  addrconfUp(tx, nsKey, l, { linkType: driver.linkType, noarp: driver.flags.includes('NOARP') }, () =>
    linkRunning(tx.view, tx.drivers, nsKey, l),
  );
}

/**
 * ipv6DisableChange follows a write of net.ipv6.conf.DEV.disable_ipv6 (addrconf_disable_ipv6): `all`
 * also sets `default` and every device that has an inet6_dev (MTU ≥ 1280); `default` changes only
 * what new devices start with. A device that turns disabled loses its IPv6 addresses
 * (addrconf_ifdown); one that turns enabled is configured as if it had just come up.
 */
function ipv6DisableChange(tx: Tx, nsKey: string, dev: string, value: string): void {
  const ns = tx.ns(nsKey)!;
  if (dev === 'default') return;
  const devices = dev === 'all' ? [...ns.links.values()] : [linkByName(ns, dev)!];
  if (dev === 'all') {
    for (const key of [
      'net.ipv6.conf.default.disable_ipv6',
      ...devices.filter((l) => l.mtu >= IPV6_MIN_MTU).map((l) => `net.ipv6.conf.${l.name}.disable_ipv6`),
    ]) {
      const k = parseSysctlKey(ns, key);
      if (k !== null) sysctlStore(ns, k, value);
    }
  }
  for (const l of devices) {
    if (value !== '0') addrconfDown(l);
    else addrconfLink(tx, nsKey, l);
  }
}

/**
 * sysctlSet writes a net.* sysctl of a namespace as sysctl(8) -w does (src/kernel/sysctl.ts) and runs
 * what the kernel's handler does beyond storing the value. It returns sysctl's error line, or null.
 */
export function sysctlSet(tx: Tx, nsKey: string, rawKey: string, value: string): string | null {
  const ns = tx.ns(nsKey)!;
  const e = sysctlWrite(ns, rawKey, value);
  if (e !== null) return e;
  const k = parseSysctlKey(ns, sysctlKey(rawKey));
  if (k !== null && k.kind === 'conf6' && k.param === 'disable_ipv6') ipv6DisableChange(tx, nsKey, k.dev, ns.sysctl.get(k.key) ?? k.def);
  return null;
}

/**
 * notifyCarrier tells the masters whose ports' carrier may have changed with `l`: its own (l is a
 * master, or a port), and its veth peer's master.
 */
function notifyCarrier(tx: Tx, nsKey: string, l: Link): void {
  const tell = (key: string, master: Link | undefined, changed: Link): void => {
    if (master === undefined) return;
    tx.drivers.of(master).carrierChanged?.(tx, key, master, changed);
  };
  const ns = tx.ns(nsKey)!;
  tell(nsKey, l, l);
  if (l.master !== undefined) tell(nsKey, ns.links.get(l.master), l);
  if (l.peer !== undefined) {
    const peerNs = tx.ns(l.peer.ns);
    const peer = peerNs?.links.get(l.peer.ifindex);
    if (peer?.master !== undefined) tell(l.peer.ns, peerNs!.links.get(peer.master), peer);
  }
}

/** LinkSetOp is one change of `ip link set`. */
export type LinkSetOp =
  | { readonly op: 'netns'; readonly netns: string }
  | { readonly op: 'name'; readonly name: string }
  | { readonly op: 'address'; readonly mac: Mac }
  | { readonly op: 'mtu'; readonly mtu: number }
  | { readonly op: 'txqueuelen'; readonly txqueuelen: number }
  | { readonly op: 'master'; readonly master: string }
  | { readonly op: 'nomaster' }
  | { readonly op: 'up' }
  | { readonly op: 'down' }
  | { readonly op: 'promisc'; readonly on: boolean }
  | { readonly op: 'arp'; readonly on: boolean }
  | { readonly op: 'alias'; readonly alias: string };

const SETLINK_ORDER = ['netns', 'mtu', 'address', 'name', 'alias', 'master', 'nomaster', 'promisc', 'arp', 'down', 'up', 'txqueuelen'];

/** linkNoarp says whether a device has IFF_NOARP: set by `ip link set DEV arp off`, else its type's flag. */
export function linkNoarp(driver: LinkDriver, l: Link): boolean {
  return l.noarp ?? driver.flags.includes('NOARP');
}

/** linkSet is `ip link set DEV OP…`; iproute2 sends one request, and do_setlink applies netns first, then a fixed order. */
export function linkSet(tx: Tx, nsKey: string, devName: string, ops: readonly LinkSetOp[]): string | null {
  const start = tx.ns(nsKey)!;
  const found = linkByName(start, devName);
  if (found === undefined) return `Cannot find device "${devName}"`;
  let ifindex = found.ifindex;
  let curKey = nsKey;
  const sorted = [...ops].sort((a, b) => SETLINK_ORDER.indexOf(a.op) - SETLINK_ORDER.indexOf(b.op));
  for (const op of sorted) {
    const cur = tx.ns(curKey)!;
    const l = cur.links.get(ifindex)!;
    const driver = tx.drivers.of(l);
    switch (op.op) {
      case 'netns': {
        const target = tx.ns(op.netns);
        if (target === undefined) return `Error: argument "${op.netns}" is wrong: Invalid "netns" value\n`;
        if (op.netns === curKey) break;
        // __dev_change_net_namespace: lo, a bridge (NETIF_F_NETNS_LOCAL) stay where they were made.
        if (driver.netnsLocal) return 'Error: The interface netns is immutable.';
        if (target.linkNames.has(l.name)) return 'Error: An interface with the same name exists in the target netns.';
        ifindex = moveLink(tx, curKey, op.netns, ifindex);
        curKey = op.netns;
        break;
      }
      case 'mtu': {
        // dev_set_mtu_ext: the same MTU is no change at all; then dev_validate_mtu, then the driver.
        if (op.mtu === l.mtu) break;
        if (op.mtu < 0 || op.mtu < driver.minMtu) return 'Error: mtu less than device minimum.';
        if (driver.maxMtu > 0 && op.mtu > driver.maxMtu) return 'Error: mtu greater than device maximum.';
        const e = driver.changeMtu?.(tx.view, curKey, l, op.mtu) ?? null;
        if (e !== null) return e;
        const old = l.mtu;
        l.mtu = op.mtu;
        mtuChanged(tx, curKey, l, old);
        break;
      }
      case 'txqueuelen':
        // dev_change_tx_queue_len: the value is kept as given (`qlen` is printed when not 0).
        l.txqlen = op.txqueuelen;
        break;
      case 'address': {
        if (driver.linkType !== 'ether') return 'RTNETLINK answers: Operation not supported';
        if ((parseInt(op.mac.slice(0, 2), 16) & 1) === 1) return 'RTNETLINK answers: Cannot assign requested address';
        const old = l.mac;
        l.mac = op.mac;
        l.macSet = true;
        // NETDEV_CHANGEADDR: the device's neighbours go (neigh_changeaddr), arp_notify announces the new MAC.
        neighChangeaddr(tx, curKey, l.ifindex);
        arpNotify(tx, curKey, l);
        driver.addressChanged?.(tx, curKey, l, l, old);
        if (l.master !== undefined) {
          const master = cur.links.get(l.master);
          if (master !== undefined) tx.drivers.of(master).addressChanged?.(tx, curKey, master, l, old);
        }
        break;
      }
      case 'name': {
        const bad = validName(op.name);
        if (bad) return bad;
        if (op.name === l.name) break;
        if (cur.linkNames.has(op.name)) return 'RTNETLINK answers: File exists';
        if (l.adminUp) return 'RTNETLINK answers: Device or resource busy';
        devSysctlMove(cur, l.name, op.name);
        cur.addrs = cur.addrs.map((a) => (a.ifindex === l.ifindex && a.label === l.name ? { ...a, label: op.name } : a));
        cur.linkNames.delete(l.name);
        cur.linkNames.set(op.name, l.ifindex);
        l.name = op.name;
        break;
      }
      case 'master': {
        const brIndex = cur.linkNames.get(op.master);
        // iproute2 resolves the master itself and prints its usage error, then a blank line.
        if (brIndex === undefined) return `Error: argument "${op.master}" is wrong: Device does not exist\n`;
        const br = cur.links.get(brIndex)!;
        const brDriver = tx.drivers.of(br);
        if (brDriver.enslave === undefined) return 'RTNETLINK answers: Operation not supported';
        if (br.ifindex === l.ifindex) return 'RTNETLINK answers: Invalid argument';
        if (l.master === br.ifindex) break;
        if (l.master !== undefined) return 'RTNETLINK answers: Device or resource busy';
        l.master = br.ifindex;
        const e = brDriver.enslave(tx, curKey, br, l);
        if (e !== null) {
          l.master = undefined;
          return e;
        }
        masterMtuAdjust(tx, curKey, br);
        break;
      }
      case 'nomaster':
        if (l.master !== undefined) releasePort(tx, curKey, l);
        break;
      case 'promisc':
        // dev_change_flags keeps a user's IFF_PROMISC in gflags, which is what dev_get_flags reports.
        if (op.on) l.promisc = true;
        else delete l.promisc;
        break;
      case 'arp': {
        const was = linkNoarp(driver, l);
        if (op.on === driver.flags.includes('NOARP')) l.noarp = !op.on;
        else delete l.noarp;
        // arp_netdev_event(NETDEV_CHANGE): a change of IFF_NOARP flushes the device's neighbours (neigh_changeaddr).
        if (was !== linkNoarp(driver, l)) for (const [k, n] of cur.neigh) if (n.dev === l.ifindex) cur.neigh.delete(k);
        break;
      }
      case 'alias':
        // dev_set_alias: an empty alias removes it.
        if (op.alias === '') delete l.alias;
        else l.alias = op.alias;
        break;
      case 'up':
      case 'down': {
        const e = linkUpDown(tx, curKey, l, op.op === 'up');
        if (e !== null) return e;
        break;
      }
    }
  }
  // A port joining or leaving a bridge changes the bridge's carrier.
  if (sorted.some((o) => o.op === 'master' || o.op === 'nomaster')) addrconfSync(tx, curKey);
  setlinkNotifyNsids(tx, curKey, ifindex, sorted);
  pneighIfdown(tx, curKey, ifindex);
  return null;
}

/** pneighIfdown is the proxy half of neigh_ifdown (NETDEV_DOWN): a device that is down keeps no proxy entries. */
function pneighIfdown(tx: Tx, nsKey: string, ifindex: number): void {
  const ns = tx.ns(nsKey);
  const l = ns?.links.get(ifindex);
  if (ns?.pneigh === undefined || l === undefined || l.adminUp) return;
  for (const [k, p] of ns.pneigh) if (p.dev === ifindex) ns.pneigh.delete(k);
}

/**
 * setlinkNotifyNsids gives out the namespace ids the change's RTM_NEWLINK notifications need: building one
 * for a device whose other end lives elsewhere allocates an id for that namespace in the device's own
 * (rtnl_fill_link_netnsid calls peernet2id_alloc); up or down also changes the carrier of an up peer, whose
 * namespace then notifies (linkwatch) and allocates one for the device's.
 */
function setlinkNotifyNsids(tx: Tx, nsKey: string, ifindex: number, ops: readonly LinkSetOp[]): void {
  const l = tx.ns(nsKey)?.links.get(ifindex);
  const other = l?.peer;
  if (l === undefined || other === undefined || other.ns === nsKey || tx.ns(other.ns) === undefined) return;
  // Only a device that reports its other end (a veth's IFLA_LINK) names a namespace: a physical NIC's
  // cable to the simulated switch is no kernel object.
  if (tx.drivers.of(l).iflink === undefined) return;
  allocNsid(tx, nsKey, other.ns);
  const peer = tx.ns(other.ns)!.links.get(other.ifindex);
  if (peer?.adminUp === true && ops.some((o) => o.op === 'up' || o.op === 'down')) allocNsid(tx, other.ns, nsKey);
}

/**
 * mtuChanged follows an MTU change as inetdev_event and addrconf_notify do (NETDEV_CHANGEMTU). Below 68
 * the device's in_device goes (inetdev_destroy): its IPv4 addresses one by one with their routes, then
 * every route through it (fib_disable_ip), its neighbours (arp_ifdown) and its net.ipv4.conf and neigh
 * keys; from 68 up a new one is made (inetdev_init) with `default`'s values and no address, so nothing
 * comes back. Below IPV6_MIN_MTU the IPv6 addresses go, and a device other than lo loses its inet6_dev
 * and net.ipv6.conf keys; back above it they are made again.
 */
function mtuChanged(tx: Tx, nsKey: string, l: Link, old: number): void {
  const ns = tx.ns(nsKey)!;
  if (old >= INET_MIN_MTU && !inetDevValid(l)) {
    for (let a = ns.addrs.find((x) => x.ifindex === l.ifindex); a !== undefined; a = ns.addrs.find((x) => x.ifindex === l.ifindex)) {
      const r = inetDelIfa(ns.addrs, tx.fib(ns), a, l);
      ns.addrs = r.ok ? r.addrs : ns.addrs.filter((x) => x !== a);
    }
    fibFlushDev(tx.fib(ns), l.ifindex, true);
    fnheRelease(ns);
    for (const [k, n] of ns.neigh) if (n.dev === l.ifindex) ns.neigh.delete(k);
    devSysctlMove(ns, l.name, null, 'inet');
  } else if (old < INET_MIN_MTU && inetDevValid(l)) inetSysctlInit(ns, l.name);
  if (l.kind !== 'loopback') {
    if (old >= IPV6_MIN_MTU && l.mtu < IPV6_MIN_MTU) devSysctlMove(ns, l.name, null, 'inet6');
    else if (old < IPV6_MIN_MTU && l.mtu >= IPV6_MIN_MTU) inet6SysctlInit(ns, l.name);
  }
  if (l.mtu < IPV6_MIN_MTU) addrconfDown(l);
  else addrconfLink(tx, nsKey, l);
  // NETDEV_CHANGEMTU of a port: its master may follow (br_device_event → br_mtu_auto_adjust).
  const master = l.master === undefined ? undefined : ns.links.get(l.master);
  if (master !== undefined) masterMtuAdjust(tx, nsKey, master);
}

/**
 * moveLink moves a device to another namespace (dev_change_net_namespace): it goes down, leaves its master,
 * loses its addresses, routes and neighbours, keeps its ifindex if free there, and goes last in the new
 * namespace's dev_base list. It returns the device's ifindex in its new namespace.
 */
export function moveLink(tx: Tx, fromKey: string, toKey: string, ifindex: number): number {
  // The RTM_DELLINK sent in the old namespace names the new one, so the old one gets an id for it.
  allocNsid(tx, fromKey, toKey);
  const l = unregisterLink(tx, fromKey, ifindex, true)!;
  const to = tx.ns(toKey)!;
  const newIndex = allocIfindex(to, ifindex);
  // A copy that shares nothing with the namespace the device left (plain data only).
  const placed = JSON.parse(JSON.stringify(l)) as Link;
  placed.ifindex = newIndex;
  placed.master = undefined;
  // dev_shutdown: the qdiscs go, so until it is up again the device shows `qdisc noop`.
  placed.everUp = false;
  registerLink(to, placed);
  if (placed.peer !== undefined) {
    const peer = tx.ns(placed.peer.ns)?.links.get(placed.peer.ifindex);
    if (peer !== undefined) {
      peer.peer = { ns: toKey, ifindex: newIndex };
      // The move's notifications make both sides allocate ids for each other.
      allocNsid(tx, toKey, placed.peer.ns);
      allocNsid(tx, placed.peer.ns, toKey);
    }
  }
  return newIndex;
}

/** AddrFlags are the address attributes of `ip addr add` beyond the address, broadcast and scope. */
export interface AddrFlags {
  /** noprefixroute is IFA_F_NOPREFIXROUTE: no prefix route is made for the address (NetworkManager adds its own). */
  readonly noprefixroute?: boolean;
  /** metric is IFA_RT_PRIORITY: the metric of the prefix route the address brings. */
  readonly metric?: number;
  /** label is IFA_LABEL; absent: the device's name. */
  readonly label?: string;
  /** replace is NLM_F_REPLACE (`ip addr replace|change`): an existing address only takes the new metric. */
  readonly replace?: boolean;
  /** peer is IFA_ADDRESS when it differs from the local address (`peer PREFIX`); the prefix length is then the peer's. */
  readonly peer?: Ipv4;
}

/**
 * addrAdd is `ip addr add CIDR|LOCAL peer PREFIX dev DEV [broadcast B] [scope S] [metric N] [noprefixroute]`
 * (inet_rtm_newaddr). `prefixlen` is the peer's when there is one. `broadcast` `+` sets every host bit of the
 * peer (or the local address), also on a /32 (as old netlink libraries did for pods); ip(8) resolves its own
 * `brd +|-` before (ipaddrBroadcast).
 */
export function addrAdd(
  tx: Tx,
  nsKey: string,
  devName: string,
  local: Ipv4,
  prefixlen: number,
  broadcast: Ipv4 | '+' | null,
  scope: number | null,
  flags: AddrFlags = {},
): string | null {
  const ns = tx.ns(nsKey)!;
  const l = linkByName(ns, devName);
  if (l === undefined) return `Cannot find device "${devName}"`;
  // rtm_to_ifaddr: a device without an in_device (MTU below 68) takes no IPv4 address.
  if (!inetDevValid(l)) return 'RTNETLINK answers: No buffer space available';
  const mask = prefixlen === 0 ? 0 : (0xffffffff << (32 - prefixlen)) >>> 0;
  const address = flags.peer ?? local;
  const brd = broadcast === '+' ? (address | ~mask) >>> 0 : (broadcast ?? undefined);
  const ifaddr: IfAddr = {
    ifindex: l.ifindex,
    local,
    ...(address !== local ? { address } : {}),
    prefixlen,
    ...(brd !== undefined ? { broadcast: brd } : {}),
    scope: scope ?? 0,
    label: flags.label ?? l.name,
    secondary: false,
    ...(flags.noprefixroute === true ? { noprefixroute: true } : {}),
    ...(flags.metric ? { metric: flags.metric } : {}),
  };
  if (flags.replace === true) {
    // inet_rtm_newaddr: find_matching_ifa (same mask, subnet and local); it keeps all but its metric.
    const i = ns.addrs.findIndex(
      (a) => a.ifindex === l.ifindex && a.prefixlen === prefixlen && inetIfaMatch(ifaAddress(a), ifaddr) && a.local === local,
    );
    if (i >= 0) {
      const old = ns.addrs[i];
      const metric = flags.metric ?? 0;
      if ((old.metric ?? 0) !== metric) {
        const next: IfAddr = { ...old, metric };
        if (!metric) delete (next as { metric?: number }).metric;
        fibModifyPrefixMetric(tx.fib(ns), l, old, next, ns.addrs);
        ns.addrs = ns.addrs.map((a) => (a === old ? next : a));
      }
      return null;
    }
  }
  const res = inetInsertIfa(ns.addrs, tx.fib(ns), ifaddr, l);
  if (!res.ok) return res.error;
  ns.addrs = res.addrs;
  return null;
}

/**
 * addrDel is `ip addr del CIDR|LOCAL peer PREFIX dev DEV [label L]` (inet_rtm_deladdr): the device's first
 * address with that local address (and label) whose prefix length is `prefixlen` and whose subnet (the peer's
 * for a peer address) holds `address` (IFA_ADDRESS: the peer, else the local address). `address` null is
 * iproute2's wildcard deletion of a bare address: any prefix length and peer.
 */
export function addrDel(
  tx: Tx,
  nsKey: string,
  devName: string,
  local: Ipv4,
  prefixlen: number,
  address: Ipv4 | null = local,
  label?: string,
): string | null {
  const ns = tx.ns(nsKey)!;
  const l = linkByName(ns, devName);
  if (l === undefined) return `Cannot find device "${devName}"`;
  if (!inetDevValid(l)) return 'Error: ipv4: Device not found.';
  const target = ns.addrs.find(
    (a) =>
      a.ifindex === l.ifindex &&
      a.local === local &&
      (label === undefined || a.label === label) &&
      (address === null || (a.prefixlen === prefixlen && inetIfaMatch(address, a))),
  );
  if (target === undefined) return 'Error: ipv4: Address not found.';
  const res = inetDelIfa(
    ns.addrs,
    tx.fib(ns),
    target,
    l,
    // IN_DEV_ORCONF: `all` or the device's own key.
    confGet(ns, 'all', 'promote_secondaries') !== 0 || confGet(ns, l.name, 'promote_secondaries') !== 0,
  );
  if (!res.ok) return res.error;
  ns.addrs = res.addrs;
  // The routes the address took free their nexthops' exceptions (fib_release_info).
  fnheRelease(ns);
  return null;
}

/**
 * fibModifyPrefixMetric is fib_modify_prefix_metric: the prefix route of an up device's primary address
 * (not noprefixroute, not in 0.0.0.0/8, not a /32 of itself) is added with the new metric, then the one
 * with the old metric deleted.
 */
function fibModifyPrefixMetric(fib: FibStore, l: Link, old: IfAddr, next: IfAddr, addrs: readonly IfAddr[]): void {
  if (!l.adminUp || old.secondary || old.noprefixroute === true) return;
  const prefixOf = (a: IfAddr): Route | undefined =>
    addrRoutes(a, l, addrs).find((r) => r.type === 'unicast' && r.dst.len === a.prefixlen && r.table !== 255);
  const added = prefixOf(next);
  const gone = prefixOf(old);
  if (added === undefined || gone === undefined) return;
  fibInsert(fib, added, 'append');
  fibDelete(fib, { table: gone.table, dst: gone.dst, type: 'unicast', dev: l.ifindex, proto: gone.proto, metric: gone.metric });
}

/**
 * fdbChange is `bridge fdb add|append|replace|del MAC dev DEV [dst IP] [self] [static]`: an entry of a VXLAN
 * device's own table (vxlan_fdb_add, vxlan_fdb_update: `replace` changes the first remote of a unicast entry),
 * of the bridge a port belongs to (br_fdb_add, fdb_add_entry: `add` refuses a MAC the bridge knows on any port,
 * `replace` moves it to this port; the state is `permanent`, which makes it local, unless `static`), or of the
 * device's own address list otherwise (ndo_dflt_fdb_add).
 */
export function fdbChange(
  tx: Tx,
  nsKey: string,
  action: 'add' | 'append' | 'del' | 'replace',
  mac: Mac,
  devName: string,
  dst: Ipv4 | null,
  isStatic = false,
  dynamic = false,
): string | null {
  const ns = tx.ns(nsKey)!;
  const l = linkByName(ns, devName);
  if (l === undefined) return `Cannot find device "${devName}"`;
  const unicast = (parseInt(mac.slice(0, 2), 16) & 1) === 0 && mac !== '00:00:00:00:00:00';
  if (tx.drivers.of(l).fdbOwner) {
    const same = (f: FdbEntry): boolean => f.mac === mac && (action !== 'del' || dst === null || f.dst === dst);
    if (action === 'del') {
      if (!l.fdb.some(same)) return 'RTNETLINK answers: No such file or directory';
      l.fdb = l.fdb.filter((f) => !same(f));
      return null;
    }
    const first = l.fdb.findIndex((f) => f.mac === mac);
    if (action === 'add' && first >= 0) return 'RTNETLINK answers: File exists';
    if (action === 'replace' && first >= 0) {
      if (!unicast) return 'Error: Cannot replace non-unicast fdb entries.';
      const { dst: _old, ...rest } = l.fdb[first];
      l.fdb[first] = { ...rest, ...(dst !== null ? { dst } : {}), updated: tx.now };
      return null;
    }
    l.fdb.push({ mac, port: l.ifindex, ...(dst !== null ? { dst } : {}), local: false, permanent: true, self: true, updated: tx.now });
    return null;
  }
  if (l.master !== undefined) {
    const br = ns.links.get(l.master)!;
    if (action === 'del') {
      const before = br.fdb.length;
      br.fdb = br.fdb.filter((f) => !(f.mac === mac && f.port === l.ifindex && !f.self));
      return before === br.fdb.length ? 'RTNETLINK answers: No such file or directory' : null;
    }
    const at = br.fdb.findIndex((f) => f.mac === mac && !f.self);
    if (at >= 0 && action !== 'replace') return 'RTNETLINK answers: File exists';
    // NUD_PERMANENT sets BR_FDB_LOCAL (frames to the MAC go up to the bridge), NUD_NOARP only BR_FDB_STATIC;
    // NUD_REACHABLE alone (`dynamic`) neither, so the entry ages like a learned one.
    const local = !isStatic && !dynamic;
    const permanent = !dynamic;
    const entry: FdbEntry = { mac, port: l.ifindex, local, permanent, self: false, updated: tx.now };
    if (at >= 0) br.fdb[at] = { ...br.fdb[at], port: l.ifindex, local, permanent, updated: tx.now };
    else br.fdb.unshift(entry);
    return null;
  }
  if (action === 'del') {
    const before = l.fdb.length;
    l.fdb = l.fdb.filter((f) => f.mac !== mac);
    return before === l.fdb.length ? 'RTNETLINK answers: No such file or directory' : null;
  }
  // dev_uc_add_excl: the address once; `replace` (no NLM_F_EXCL) accepts it being there.
  if (l.fdb.some((f) => f.mac === mac)) return action === 'replace' ? null : 'RTNETLINK answers: File exists';
  l.fdb.unshift({ mac, port: l.ifindex, local: false, permanent: true, self: true, updated: tx.now });
  return null;
}
