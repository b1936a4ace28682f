// Hand-built worlds for the printer golden tests (src/model/world.ts, src/model/fibstore.ts). Each
// builder makes what the kernel model itself would hold for a state seen on a real kernel: devices
// from their driver's newLinkRecord (src/kernel/netns.ts), routes through makeRoute and fibFromRoutes
// (src/kernel/fib.ts), the neighbour table keyed by neighKey, sparse sysctls, a VXLAN device's
// configuration as src/encap/vxlan.ts keeps it, and the drivers' own state (a bridge's ports and
// carrier, a VXLAN device's UDP socket) made by the drivers' hooks themselves (create, enslave,
// open). Goldens need exact ifindexes and MACs, so devices are placed by hand rather than made by
// `ip link add`; `simulated` is there for states easier to reach through the kernel's functions.

import { parseIpv4, ZERO_MAC, type Cidr, type Ipv4, type Mac } from '../../src/model/addr.js';
import {
  makeRoute,
  neighKey,
  RouteScope,
  RouteTable,
  type FdbEntry,
  type IfAddr,
  type Link,
  type LinkKind,
  type LinkStats,
  type Listener,
  type NeighEntry,
  type Netns,
  type NudState,
  type Route,
  type RouteType,
  type World,
  type WorldView,
} from '../../src/model/world.js';
import type { DriverRegistry, Tx } from '../../src/kernel/driver.js';
import type { Sim } from '../../src/kernel/engine.js';
import { kernelDrivers } from '../../src/kernel/drivers/index.js';
import { fibFromRoutes } from '../../src/kernel/fib.js';
import { newLinkRecord } from '../../src/kernel/netns.js';
import { registerEncap, type VxlanInfo } from '../../src/encap/index.js';
import { createSimulator, type SimulatorOptions } from '../../src/scenarios/simulator.js';
import type { KernelView } from '../../src/tools/ip/print.js';

// ---------------------------------------------------------------------------------------------
// Drivers and views

/** allDrivers returns a registry holding every link kind: loopback, veth, bridge, vxlan and ipip. */
export function allDrivers(): DriverRegistry {
  const r = kernelDrivers();
  registerEncap(r, { ipip: true });
  return r;
}

/** DRIVERS is the registry the builders take device defaults from. */
const DRIVERS = allDrivers();

/** kernelView pairs a world with a registry holding every driver (or `drivers`), as the printers read it. */
export function kernelView(world: WorldView, drivers: DriverRegistry = allDrivers()): KernelView {
  return { world, drivers };
}

/**
 * simulated returns a simulator (createSimulator, ipip off as labs run unless `opts` says) after
 * `setup` ran as one control step: for states easier to reach through the kernel's own functions
 * than to write down. Read it with kernelView(sim.world, sim.drivers).
 */
export function simulated(setup: (tx: Tx) => void, opts: SimulatorOptions = {}): Sim {
  const sim = createSimulator(opts);
  sim.control(setup);
  return sim;
}

// ---------------------------------------------------------------------------------------------
// Values

/** lines joins lines, each ended by a newline, as a command prints them. */
export const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

/** ip parses a dotted quad, throwing on a typo. */
export function ip(s: string): Ipv4 {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad IPv4 address ${s}`);
  return a;
}

/** prefix parses `default`, `A.B.C.D` (a /32) or `A.B.C.D/N` the way `ip route` reads a destination. */
export function prefix(dst: string): Cidr {
  const [a, len] = dst === 'default' ? ['0.0.0.0', '0'] : dst.includes('/') ? dst.split('/') : [dst, '32'];
  return { addr: ip(a), len: Number(len) };
}

/** stats returns a device's counters (`ip -s link`); the error and dropped columns not given are 0. */
export function stats(rxBytes: number, rxPackets: number, txBytes: number, txPackets: number, txDropped = 0): LinkStats {
  return { rxPackets, rxBytes, txPackets, txBytes, rxDropped: 0, txDropped };
}

// ---------------------------------------------------------------------------------------------
// Devices

/**
 * LinkSpec overrides a device's members. Devices are up, were once up and have their MAC set by hand
 * unless told otherwise, as in labs that set every MAC.
 */
export type LinkSpec = Partial<Omit<Link, 'ifindex' | 'name' | 'kind'>>;

/** link returns a device of `kind` with its driver's defaults (MTU, txqlen), then `o`. */
export function link(ifindex: number, name: string, kind: LinkKind, o: LinkSpec = {}): Link {
  const driver = DRIVERS.get(kind);
  if (driver === undefined) throw new Error(`no driver for link kind ${kind}`);
  const l = newLinkRecord(driver, name, ifindex, ZERO_MAC);
  l.macSet = true;
  l.adminUp = true;
  l.everUp = true;
  return Object.assign(l, o);
}

/** lo returns the loopback device, ifindex 1. */
export const lo = (o: LinkSpec = {}): Link => link(1, 'lo', 'loopback', o);

/** veth returns one end of a veth pair whose other end is ifindex `peerIfindex` of namespace `peerNs`. */
export const veth = (ifindex: number, name: string, mac: Mac, peerNs: string, peerIfindex: number, o: LinkSpec = {}): Link =>
  link(ifindex, name, 'veth', { mac, peer: { ns: peerNs, ifindex: peerIfindex }, ...o });

/**
 * bridge returns a bridge device. Its ports are the devices of its namespace whose master it is;
 * world() runs the bridge driver to give it its state. `fdb` is the table as the kernel dumps it.
 */
export const bridge = (ifindex: number, name: string, mac: Mac, o: LinkSpec = {}): Link => link(ifindex, name, 'bridge', { mac, ...o });

/** VxlanSpec is a VXLAN device's configuration: the VNI, and what differs from `ip link add … type vxlan id VNI`. */
export type VxlanSpec = Partial<VxlanInfo> & { readonly vni: number };

/** vxlan returns a VXLAN device; dstport defaults to 4789, learning to on, local and dev to none. */
export function vxlan(ifindex: number, name: string, mac: Mac, cfg: VxlanSpec, o: LinkSpec = {}): Link {
  const info: VxlanInfo = {
    vni: cfg.vni,
    dstport: cfg.dstport ?? 4789,
    local: cfg.local ?? 0,
    dev: cfg.dev ?? 0,
    learning: cfg.learning ?? true,
  };
  return link(ifindex, name, 'vxlan', { mac, info: info as unknown as Readonly<Record<string, unknown>>, ...o });
}

// ---------------------------------------------------------------------------------------------
// Addresses, routes, neighbours, FDB entries

/** AddrSpec is what `ip addr add` adds besides the address: `brd`, `scope`, and whether the kernel made it secondary. */
export interface AddrSpec {
  readonly brd?: string;
  readonly scope?: number;
  readonly secondary?: boolean;
}

/** addr returns an IPv4 address `A.B.C.D/N` on device `ifindex` with label `label`. */
export function addr(ifindex: number, cidr: string, label: string, o: AddrSpec = {}): IfAddr {
  const [a, len] = cidr.split('/');
  return {
    ifindex,
    local: ip(a),
    prefixlen: Number(len),
    broadcast: o.brd === undefined ? undefined : ip(o.brd),
    scope: o.scope ?? RouteScope.Universe,
    label,
    secondary: o.secondary ?? false,
  };
}

/** RouteSpec is a route's members as `ip route` words; the defaults are `ip route add`'s (main, boot, universe). */
export interface RouteSpec {
  readonly type?: RouteType;
  readonly table?: number;
  readonly via?: string;
  readonly dev?: number;
  readonly proto?: number;
  readonly scope?: number;
  readonly src?: string;
  readonly metric?: number;
  readonly onlink?: boolean;
}

/** route returns a route to `dst` (see prefix) built with makeRoute. */
export function route(dst: string, o: RouteSpec = {}): Route {
  return makeRoute({
    table: o.table ?? RouteTable.Main,
    type: o.type ?? 'unicast',
    dst: prefix(dst),
    gateway: o.via === undefined ? undefined : ip(o.via),
    dev: o.dev,
    proto: o.proto ?? 3,
    scope: o.scope ?? RouteScope.Universe,
    prefsrc: o.src === undefined ? undefined : ip(o.src),
    metric: o.metric ?? 0,
    onlink: o.onlink ?? false,
  });
}

/** kernelRoute is the prefix route the kernel adds for an address (proto kernel scope link). */
export const kernelRoute = (dst: string, dev: number, src: string, o: RouteSpec = {}): Route =>
  route(dst, { dev, proto: 2, scope: RouteScope.Link, src, ...o });

/** localRoute is an address's `local` route in the local table. */
export const localRoute = (dev: number, a: string, src = a): Route =>
  route(a, { type: 'local', table: RouteTable.Local, dev, proto: 2, scope: RouteScope.Host, src });

/** broadcastRoute is a subnet's `broadcast` route in the local table. */
export const broadcastRoute = (dev: number, a: string, src: string): Route =>
  route(a, { type: 'broadcast', table: RouteTable.Local, dev, proto: 2, scope: RouteScope.Link, src });

/** LO_ADDR is lo's 127.0.0.1/8. */
export const LO_ADDR: IfAddr = addr(1, '127.0.0.1/8', 'lo', { scope: RouteScope.Host });

/** LO_ROUTES are the local-table routes of an up lo with 127.0.0.1/8. */
export const LO_ROUTES: readonly Route[] = [
  route('127.0.0.0/8', { type: 'local', table: RouteTable.Local, dev: 1, proto: 2, scope: RouteScope.Host, src: '127.0.0.1' }),
  localRoute(1, '127.0.0.1'),
  broadcastRoute(1, '127.255.255.255', '127.0.0.1'),
];

/** neigh returns a neighbour entry with no timers running and nothing queued. */
export function neigh(ipText: string, dev: number, state: NudState, lladdr?: Mac, isRouter = false): NeighEntry {
  return { ip: ip(ipText), dev, lladdr, state, probes: 0, confirmed: 0, updated: 0, used: 0, timer: undefined, queue: [], isRouter };
}

/** fdb returns a learned bridge FDB entry for `mac` on port `port`, then `o`. */
export const fdb = (mac: Mac, port: number, o: Partial<FdbEntry> = {}): FdbEntry => ({
  mac,
  port,
  dst: undefined,
  local: false,
  permanent: false,
  self: false,
  updated: 0,
  vlan: undefined,
  ...o,
});

/** fdbLocal is a bridge's entry for a port's (or its own) address. */
export const fdbLocal = (mac: Mac, port: number): FdbEntry => fdb(mac, port, { local: true, permanent: true });

/** vtep is a VXLAN device's `bridge fdb append … dst IP self permanent` entry. */
export const vtep = (mac: Mac, port: number, dst: string): FdbEntry => fdb(mac, port, { dst: ip(dst), permanent: true, self: true });

// ---------------------------------------------------------------------------------------------
// Namespaces and worlds

/** NetnsSpec is what a namespace holds besides its devices. Peer namespaces are named by key (INIT_NS for the unnamed one). */
export interface NetnsSpec {
  readonly addrs?: readonly IfAddr[];
  /** routes of every table, in any order across keys; routes of one key keep their order (fibFromRoutes). */
  readonly routes?: readonly Route[];
  /** neigh is the ARP table in the kernel's dump order. */
  readonly neigh?: readonly NeighEntry[];
  /** nsids are the ids this namespace gives its peers' namespaces (`link-netnsid`). */
  readonly nsids?: Iterable<readonly [string, number]>;
  /** sysctl holds the values that differ from the kernel defaults. */
  readonly sysctl?: Iterable<readonly [string, string]>;
  readonly listeners?: readonly Listener[];
  /** ifindexNext is where the allocator continues; by default after the highest ifindex. */
  readonly ifindexNext?: number;
}

/**
 * netns returns a namespace holding `links`: the links and name maps, devList in ifindex order, the
 * FIB built from `o.routes`, the neighbour table and the nsids. Put it in a world() before reading
 * it: the drivers' state of its devices is made there.
 */
export function netns(name: string, links: readonly Link[], o: NetnsSpec = {}): Netns {
  const byIndex = new Map<number, Link>();
  const names = new Map<string, number>();
  for (const l of [...links].sort((a, b) => a.ifindex - b.ifindex)) {
    if (byIndex.has(l.ifindex)) throw new Error(`${name}: ifindex ${l.ifindex} used twice`);
    if (names.has(l.name)) throw new Error(`${name}: device name ${l.name} used twice`);
    byIndex.set(l.ifindex, l);
    names.set(l.name, l.ifindex);
  }
  const nsids = new Map(o.nsids ?? []);
  const ns: Netns = {
    name,
    links: byIndex,
    linkNames: names,
    devList: [...byIndex.keys()],
    ifindexNext: o.ifindexNext ?? Math.max(0, ...byIndex.keys()) + 1,
    addrs: [...(o.addrs ?? [])],
    fib: fibFromRoutes(o.routes ?? []),
    neigh: new Map(),
    sysctl: new Map(o.sysctl ?? []),
    nsids,
    // peernet2id_alloc hands out the lowest free id: a hole exists when the ids are not 0…n-1.
    nsidHoles: [...nsids.values()].some((id) => id >= nsids.size),
    nsidHolders: new Set(),
    listeners: [...(o.listeners ?? [])],
    udpEncap: new Map(),
    drops: new Map(),
    ipIdent: 1,
    pmtu: new Map(),
    reasm: new Map(),
  };
  const known = (ifindex: number, what: string): void => {
    if (!byIndex.has(ifindex)) throw new Error(`${name}: ${what} names ifindex ${ifindex}, which is not there`);
  };
  for (const a of ns.addrs) known(a.ifindex, 'an address');
  for (const r of ns.fib.all()) if (r.dev !== undefined) known(r.dev, 'a route');
  for (const e of o.neigh ?? []) {
    known(e.dev, 'a neighbour');
    const key = neighKey(e.dev, e.ip);
    if (ns.neigh.has(key)) throw new Error(`${name}: two neighbour entries for one address`);
    ns.neigh.set(key, { ...e, queue: [...e.queue] });
  }
  for (const l of byIndex.values()) {
    if (l.master !== undefined && byIndex.get(l.master)?.kind !== 'bridge') throw new Error(`${name}: ${l.name}'s master is no bridge`);
    for (const e of l.fdb) known(e.port, `an FDB entry of ${l.name}`);
  }
  return ns;
}

/** WorldSpec is the world's clock. */
export interface WorldSpec {
  /** now is the virtual clock in microseconds. */
  readonly now?: number;
}

/** builderTx is a step context over a world being built: changes go to its records, nothing is scheduled or traced. */
function builderTx(w: World, drivers: DriverRegistry): Tx {
  return {
    now: w.now,
    drivers,
    view: w,
    ns: (key) => w.namespaces.get(key),
    fib: (ns) => ns.fib,
    addNs: () => {
      throw new Error('a driver made a namespace while a world was built');
    },
    delNs: () => {
      throw new Error('a driver deleted a namespace while a world was built');
    },
    nsKeys: () => w.nsOrder,
    nextSeq: () => ++w.seq,
    schedule: () => {},
    trace: () => {},
    deliver: () => {},
    capture: () => {},
    capturing: () => false,
    flooded: () => {},
  };
}

/**
 * startBridge gives a bridge the state the bridge driver keeps, by running the hooks `ip link add …
 * type bridge`, `ip link set … address` (when its MAC was set by hand) and `ip link set PORT master`
 * (each port, in ifindex order) run; then the ports are selected again as they and their peers are
 * now, which decides the bridge's carrier. The bridge's MAC must be what the driver leaves it with;
 * its FDB and the namespace's neighbour table stay as given (a bridge that has no forwarding port for
 * a moment on the way would flush its neighbours). The driver's state shape stays the driver's business.
 */
function startBridge(tx: Tx, nsKey: string, br: Link): void {
  const ns = tx.ns(nsKey)!;
  const driver = tx.drivers.of(br);
  const { fdb: given, mac } = br;
  const fail = (e: string | null): void => {
    if (e !== null) throw new Error(`bridge ${br.name} in ${JSON.stringify(nsKey)}: ${e}`);
  };
  const neigh = new Map(ns.neigh);
  br.fdb = [];
  fail(driver.create?.(tx, nsKey, br, { name: br.name, options: {} }) ?? null);
  if (br.macSet) driver.addressChanged?.(tx, nsKey, br, br, mac);
  for (const port of linksOf(ns)) if (port.master === br.ifindex) fail(driver.enslave?.(tx, nsKey, br, port) ?? null);
  if (br.mac !== mac) throw new Error(`bridge ${br.name} in ${JSON.stringify(nsKey)} would have MAC ${br.mac}, not ${mac}`);
  driver.carrierChanged?.(tx, nsKey, br, br);
  br.fdb = given;
  ns.neigh.clear();
  for (const [k, e] of neigh) ns.neigh.set(k, e);
}

function linksOf(ns: Netns): Link[] {
  return [...ns.links.values()].sort((a, b) => a.ifindex - b.ifindex);
}

/**
 * world returns a world of the namespaces, created in the order given, at time `o.now`. It holds
 * copies of them with what depends on more than one namespace filled in: nsidHolders, each
 * bridge's driver state (see startBridge; which ports forward depends on their veth peers), and
 * what each up device's driver does when it opens (a VXLAN device's UDP socket, a bridge's gc
 * timer). Veth pairs whose both ends are in the world must name each other.
 */
export function world(spaces: readonly Netns[], o: WorldSpec = {}): World {
  const namespaces = new Map<string, Netns>();
  for (const n of spaces) {
    if (namespaces.has(n.name)) throw new Error(`namespace ${JSON.stringify(n.name)} given twice`);
    const links = new Map([...n.links].map(([i, l]) => [i, { ...l, fdb: [...l.fdb], stats: { ...l.stats } }]));
    namespaces.set(n.name, { ...n, links, nsidHolders: new Set(), udpEncap: new Map(n.udpEncap) });
  }
  const w: World = { now: o.now ?? 0, namespaces, nsOrder: spaces.map((n) => n.name), seq: 0 };
  for (const [key, n] of namespaces) {
    for (const peer of n.nsids.keys()) namespaces.get(peer)?.nsidHolders.add(key);
    for (const l of n.links.values()) {
      if (l.peer === undefined) continue;
      const peerNs = namespaces.get(l.peer.ns);
      if (peerNs === undefined) continue;
      const p = peerNs.links.get(l.peer.ifindex);
      if (p?.peer?.ns !== key || p.peer.ifindex !== l.ifindex) {
        throw new Error(`veth ${l.name} in ${JSON.stringify(key)}: its peer does not name it back`);
      }
    }
  }
  const tx = builderTx(w, DRIVERS);
  for (const [key, n] of namespaces) for (const l of linksOf(n)) if (l.kind === 'bridge') startBridge(tx, key, l);
  for (const [key, n] of namespaces) {
    for (const l of linksOf(n)) {
      if (!l.adminUp) continue;
      const e = DRIVERS.of(l).open?.(tx, key, l) ?? null;
      if (e !== null) throw new Error(`${l.name} in ${JSON.stringify(key)} does not open: ${e}`);
    }
  }
  return w;
}
