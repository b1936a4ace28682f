// The control plane of the kernel model: namespaces, links, addresses, neighbours, FDB entries and
// sysctls, changed the way rtnetlink changes them (rtnetlink(7), ip-link(8), ip-netns(8),
// net/core/dev.c, drivers/net/veth.c, net/bridge/br_if.c). Every function mutates an immer draft
// and returns the error line the real tool prints, or null.

import type { Draft } from 'immer';
import { type Ipv4, type Mac, macCompare } from '../model/addr.js';
import {
  INIT_NS,
  type FdbEntry,
  type Link,
  type LinkKind,
  type Netns,
  type VxlanInfo,
  type World,
  RouteTable,
} from '../model/world.js';
import { addrRoutes, fibNetdevUp, inetDelIfa, inetInsertIfa } from './addrsel.js';
import { fibFlushDev, fibInsert } from './fib.js';

type DWorld = Draft<World>;
type DNetns = Draft<Netns>;
type DLink = Draft<Link>;

/** NEIGH_DEFAULTS are net.ipv4.neigh.default.* as a new namespace has them. */
const NEIGH_DEFAULTS: Record<string, string> = {
  proxy_delay: '80',
  base_reachable_time_ms: '30000',
  delay_first_probe_time: '5',
  mcast_solicit: '3',
  ucast_solicit: '3',
  app_solicit: '0',
  mcast_resolicit: '0',
  retrans_time_ms: '1000',
  locktime: '100',
  unres_qlen: '101',
  gc_stale_time: '60',
};

/** CONF_DEFAULTS are net.ipv4.conf.default.* as a new namespace has them. */
const CONF_DEFAULTS: Record<string, string> = {
  forwarding: '0',
  proxy_arp: '0',
  rp_filter: '0',
  accept_local: '0',
  send_redirects: '1',
  accept_redirects: '1',
  arp_ignore: '0',
  arp_announce: '0',
  arp_accept: '0',
  arp_filter: '0',
  shared_media: '1',
  proxy_arp_pvlan: '0',
  route_localnet: '0',
  log_martians: '0',
};

/** newNetns returns an empty namespace holding only `lo`, which is up (design.md: a lab's namespaces start with lo up). */
export function newNetns(name: string): Netns {
  const sysctl: Record<string, string> = {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.ip_default_ttl': '64',
    'net.ipv4.icmp_echo_ignore_all': '0',
    'net.ipv4.ip_no_pmtu_disc': '0',
    'net.ipv4.icmp_errors_use_inbound_ifaddr': '0',
    'net.ipv4.icmp_ratelimit': '1000',
    'net.ipv4.icmp_echo_ignore_broadcasts': '1',
    'net.ipv4.igmp_link_local_mcast_reports': '1',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    'net.ipv4.tcp_syn_retries': '6',
    'net.ipv4.tcp_timestamps': '1',
    'net.ipv4.tcp_sack': '1',
    'net.ipv4.tcp_window_scaling': '1',
    // A new namespace copies these from the host; the values are those of the reference machine (24 GiB).
    'net.ipv4.tcp_rmem': '4096\t131072\t33554432',
    'net.core.rmem_max': '4194304',
  };
  for (const [k, v] of Object.entries(CONF_DEFAULTS)) {
    sysctl[`net.ipv4.conf.all.${k}`] = v;
    sysctl[`net.ipv4.conf.default.${k}`] = v;
    sysctl[`net.ipv4.conf.lo.${k}`] = v;
  }
  for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) {
    sysctl[`net.ipv4.neigh.default.${k}`] = v;
    sysctl[`net.ipv4.neigh.lo.${k}`] = v;
  }
  const lo: Link = {
    ifindex: 1,
    name: 'lo',
    kind: 'loopback',
    mac: '00:00:00:00:00:00',
    macSet: true,
    mtu: 65536,
    adminUp: true,
    fdb: [],
    txqlen: 1000,
    everUp: true,
    stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
  const loAddr = { ifindex: 1, local: 0x7f000001, prefixlen: 8, scope: 254, label: 'lo', secondary: false };
  let routes: Netns['routes'] = [];
  for (const r of addrRoutes(loAddr, lo, [loAddr])) {
    const res = fibInsert(routes, r, 'append');
    if (res.ok) routes = res.routes;
  }
  return {
    name,
    links: { 1: lo },
    ifindexNext: 2,
    addrs: [loAddr],
    routes,
    neigh: [],
    sysctl,
    nsids: {},
    listeners: [],
    drops: {},
    ipIdent: 1,
    pmtu: {},
    reasm: {},
  };
}

/** createWorld returns a world holding only the lab's initial namespace. */
export function createWorld(): World {
  return { now: 0, namespaces: { [INIT_NS]: newNetns(INIT_NS) }, nsOrder: [INIT_NS], seq: 0 };
}

/** nsName prints a namespace key the way error messages name it. */
export function nsLabel(key: string): string {
  return key === INIT_NS ? '(initial)' : key;
}

/** linkByName finds a link by interface name. */
export function linkByName(ns: Netns | DNetns, name: string): Link | undefined {
  for (const k in ns.links) {
    const l = ns.links[k];
    if (l.name === name) return l as Link;
  }
  return undefined;
}

/** sortedLinks lists a namespace's links by ifindex, as dumps do. */
export function sortedLinks(ns: Netns): Link[] {
  return Object.values(ns.links).sort((a, b) => a.ifindex - b.ifindex);
}

/** hasCarrier says whether a link has carrier (LOWER_UP): a veth needs both ends up, a bridge an up port. */
export function hasCarrier(w: World, nsKey: string, l: Link): boolean {
  if (!l.adminUp) return false;
  switch (l.kind) {
    case 'veth': {
      if (!l.peer) return false;
      const peer = w.namespaces[l.peer.ns]?.links[l.peer.ifindex];
      return !!peer && peer.adminUp;
    }
    case 'bridge': {
      const ns = w.namespaces[nsKey];
      const ports = Object.values(ns.links).filter((p) => p.master === l.ifindex);
      // A bridge without ports has carrier (state UNKNOWN); with ports it follows them.
      if (ports.length === 0) return true;
      return ports.some((p) => hasCarrier(w, nsKey, p));
    }
    case 'vxlan':
      return true;
    default:
      return true;
  }
}

/** mix32 is a deterministic integer hash used to make generated MAC addresses look like the kernel's random ones. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** randomMac returns the next deterministic locally administered unicast MAC (eth_hw_addr_random). */
export function randomMac(w: DWorld): Mac {
  w.seq += 1;
  const a = mix32(w.seq * 2 + 1);
  const b = mix32(w.seq * 2 + 2);
  const bytes = [(a >>> 24) & 0xfe | 0x02, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255];
  bytes[0] = (bytes[0] & 0xfe) | 0x02;
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** allocIfindex reserves an ifindex the way dev_index_reserve does: cyclic, skipping used ones. */
function allocIfindex(ns: DNetns, wanted = 0): number {
  if (wanted > 0 && !ns.links[wanted]) return wanted;
  let i = ns.ifindexNext;
  while (ns.links[i]) i++;
  ns.ifindexNext = i + 1;
  return i;
}

/** devSysctlInit copies net.ipv4.conf.default.* and neigh.default.* to a new device's keys. */
function devSysctlInit(ns: DNetns, name: string): void {
  for (const k of Object.keys(CONF_DEFAULTS)) {
    ns.sysctl[`net.ipv4.conf.${name}.${k}`] = ns.sysctl[`net.ipv4.conf.default.${k}`];
  }
  // forwarding of a new device follows the namespace's ip_forward.
  ns.sysctl[`net.ipv4.conf.${name}.forwarding`] = ns.sysctl['net.ipv4.conf.all.forwarding'];
  for (const k of Object.keys(NEIGH_DEFAULTS)) {
    ns.sysctl[`net.ipv4.neigh.${name}.${k}`] = ns.sysctl[`net.ipv4.neigh.default.${k}`];
  }
}

/** devSysctlMove renames (or drops, when `to` is null) a device's per-device sysctl keys. */
function devSysctlMove(from: DNetns, to: DNetns | null, oldName: string, newName: string): void {
  const prefixes = [`net.ipv4.conf.${oldName}.`, `net.ipv4.neigh.${oldName}.`];
  for (const key of Object.keys(from.sysctl)) {
    for (const p of prefixes) {
      if (key.startsWith(p)) {
        const rest = key.slice(p.length);
        const kind = p.startsWith('net.ipv4.conf') ? 'conf' : 'neigh';
        const value = from.sysctl[key];
        delete from.sysctl[key];
        if (to) to.sysctl[`net.ipv4.${kind}.${newName}.${rest}`] = value;
      }
    }
  }
}

function newLink(w: DWorld, ns: DNetns, name: string, kind: LinkKind, ifindex: number): Link {
  return {
    ifindex,
    name,
    kind,
    mac: kind === 'ipip' ? '00:00:00:00:00:00' : randomMac(w),
    macSet: kind === 'ipip',
    mtu: kind === 'vxlan' ? 1450 : kind === 'ipip' ? 1480 : 1500,
    adminUp: false,
    fdb: [],
    txqlen: kind === 'vxlan' || kind === 'ipip' ? 1000 : 1000,
    everUp: false,
    stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
}

function validName(name: string): string | null {
  if (name.length === 0 || name.length > 15 || /[\s/:]/.test(name) || name === '.' || name === '..') {
    return `Error: argument "${name}" is wrong: "name" not a valid ifname`;
  }
  return null;
}

/** allocNsid gives `ns` an id for `peer` if it has none (peernet2id_alloc: lowest free id). */
export function allocNsid(w: DWorld, nsKey: string, peerKey: string): void {
  if (nsKey === peerKey) return;
  const ns = w.namespaces[nsKey];
  if (!ns || ns.nsids[peerKey] !== undefined) return;
  const used = new Set(Object.values(ns.nsids));
  let id = 0;
  while (used.has(id)) id++;
  ns.nsids[peerKey] = id;
}

/** netnsAdd is `ip netns add NAME`. */
export function netnsAdd(w: DWorld, name: string): string | null {
  if (w.namespaces[name]) return `Cannot create namespace file "/run/netns/${name}": File exists`;
  w.namespaces[name] = newNetns(name) as DNetns;
  w.nsOrder.push(name);
  return null;
}

/** netnsDel is `ip netns del NAME`: its veths die, and with them their peers elsewhere. */
export function netnsDel(w: DWorld, name: string): string | null {
  const ns = w.namespaces[name];
  if (!ns || name === INIT_NS) return `Cannot remove namespace file "/run/netns/${name}": No such file or directory`;
  for (const l of Object.values(ns.links)) {
    if (l.kind === 'veth' && l.peer && l.peer.ns !== name) removeLink(w, l.peer.ns, l.peer.ifindex);
  }
  delete w.namespaces[name];
  w.nsOrder = w.nsOrder.filter((n) => n !== name);
  for (const other of Object.values(w.namespaces)) delete other.nsids[name];
  return null;
}

/** removeLink unregisters a device: its addresses, routes, neighbours and bridge membership go. */
export function removeLink(w: DWorld, nsKey: string, ifindex: number): void {
  const ns = w.namespaces[nsKey];
  const l = ns?.links[ifindex];
  if (!l) return;
  ns.addrs = ns.addrs.filter((a) => a.ifindex !== ifindex);
  ns.routes = fibFlushDev(ns.routes, ifindex, true) as Draft<Netns['routes']>;
  ns.neigh = ns.neigh.filter((n) => n.dev !== ifindex);
  for (const other of Object.values(ns.links)) {
    if (other.master === ifindex) delete other.master;
    if (other.kind === 'bridge') other.fdb = other.fdb.filter((f) => f.port !== ifindex);
  }
  devSysctlMove(ns, null, l.name, l.name);
  delete ns.links[ifindex];
  if (l.master !== undefined) refreshBridgeMac(ns, l.master);
}

/** LinkAddOpts describes `ip link add NAME type KIND …`. */
export type LinkAddOpts =
  | { readonly type: 'veth'; readonly peer: string; readonly peerNs: string | null }
  | { readonly type: 'bridge' }
  | { readonly type: 'vxlan'; readonly vni: number; readonly dstport: number | null; readonly local: Ipv4 | null; readonly dev: string | null; readonly learning: boolean }
  | { readonly type: 'ipip' };

/** linkAdd is `ip link add`. */
export function linkAdd(w: DWorld, nsKey: string, name: string, opts: LinkAddOpts): string | null {
  const ns = w.namespaces[nsKey];
  const bad = validName(name);
  if (bad) return bad;
  if (linkByName(ns, name)) return 'RTNETLINK answers: File exists';
  switch (opts.type) {
    case 'veth': {
      const peerNsKey = opts.peerNs ?? nsKey;
      const peerNs = w.namespaces[peerNsKey];
      if (!peerNs) return `Invalid "netns" value "${opts.peerNs}"`;
      const badPeer = validName(opts.peer);
      if (badPeer) return badPeer;
      if (linkByName(peerNs, opts.peer) || (peerNsKey === nsKey && opts.peer === name)) return 'RTNETLINK answers: File exists';
      // veth_newlink registers the peer first, so it takes the lower ifindex.
      const peerIndex = allocIfindex(peerNs);
      const peer = newLink(w, peerNs, opts.peer, 'veth', peerIndex) as DLink;
      peerNs.links[peerIndex] = peer;
      const index = allocIfindex(ns);
      const dev = newLink(w, ns, name, 'veth', index) as DLink;
      dev.peer = { ns: peerNsKey, ifindex: peerIndex };
      peer.peer = { ns: nsKey, ifindex: index };
      ns.links[index] = dev;
      devSysctlInit(peerNs, opts.peer);
      devSysctlInit(ns, name);
      if (peerNsKey !== nsKey) {
        allocNsid(w, nsKey, peerNsKey);
        allocNsid(w, peerNsKey, nsKey);
      }
      return null;
    }
    case 'bridge': {
      const index = allocIfindex(ns);
      const br = newLink(w, ns, name, 'bridge', index) as DLink;
      // The bridge's own address has a local entry from the start (br_fdb_change_mac_address).
      br.fdb.push({ mac: br.mac, port: index, local: true, permanent: true, self: false, updated: w.now });
      ns.links[index] = br;
      devSysctlInit(ns, name);
      return null;
    }
    case 'vxlan': {
      let devIndex: number | undefined;
      if (opts.dev !== null) {
        const d = linkByName(ns, opts.dev);
        if (!d) return `Cannot find device "${opts.dev}"`;
        devIndex = d.ifindex;
      }
      const index = allocIfindex(ns);
      const link = newLink(w, ns, name, 'vxlan', index) as DLink;
      const info: VxlanInfo = {
        vni: opts.vni,
        dstport: opts.dstport ?? 8472,
        ...(opts.local !== null ? { local: opts.local } : {}),
        ...(devIndex !== undefined ? { dev: devIndex } : {}),
        learning: opts.learning,
      };
      link.vxlan = info;
      ns.links[index] = link;
      devSysctlInit(ns, name);
      return null;
    }
    case 'ipip': {
      const index = allocIfindex(ns);
      ns.links[index] = newLink(w, ns, name, 'ipip', index) as DLink;
      devSysctlInit(ns, name);
      return null;
    }
  }
}

/** linkDel is `ip link del DEV`: a veth takes its peer with it. */
export function linkDel(w: DWorld, nsKey: string, name: string): string | null {
  const ns = w.namespaces[nsKey];
  const l = linkByName(ns, name);
  if (!l) return `Cannot find device "${name}"`;
  if (l.kind === 'loopback') return 'RTNETLINK answers: Operation not supported';
  if (l.kind === 'veth' && l.peer) removeLink(w, l.peer.ns, l.peer.ifindex);
  removeLink(w, nsKey, l.ifindex);
  return null;
}

/** refreshBridgeMac makes a bridge whose address was never set take the lowest port address (br_stp_recalculate_bridge_id). */
export function refreshBridgeMac(ns: DNetns, bridgeIndex: number): void {
  const br = ns.links[bridgeIndex];
  if (!br || br.kind !== 'bridge' || br.macSet) return;
  const ports = Object.values(ns.links).filter((p) => p.master === bridgeIndex);
  if (ports.length === 0) return;
  let lowest = ports[0].mac;
  for (const p of ports) if (macCompare(p.mac, lowest) < 0) lowest = p.mac;
  if (br.mac !== lowest) {
    replaceLocalFdb(br, bridgeIndex, br.mac, lowest);
    br.mac = lowest;
  }
}

function replaceLocalFdb(br: DLink, port: number, oldMac: Mac, newMac: Mac): void {
  br.fdb = br.fdb.filter((f) => !(f.local && f.port === port && f.mac === oldMac));
  // fdb_insert adds at the head of the bridge's list, so dumps show the newest entry first.
  br.fdb.unshift({ mac: newMac, port, local: true, permanent: true, self: false, updated: 0 });
}

/** addrsUp adds the routes of every address of a link that just came up (fib_netdev_event NETDEV_UP). */
function addrsUp(ns: DNetns, l: Link): void {
  ns.routes = fibNetdevUp(ns.routes as Netns['routes'], l, ns.addrs as Netns['addrs']) as Draft<Netns['routes']>;
}

/** linkUpDown is `ip link set DEV up|down`. */
function linkUpDown(w: DWorld, nsKey: string, l: DLink, up: boolean): string | null {
  const ns = w.namespaces[nsKey];
  if (l.adminUp === up) return null;
  l.adminUp = up;
  if (up) {
    l.everUp = true;
    addrsUp(ns, l);
  } else {
    ns.routes = fibFlushDev(ns.routes, l.ifindex) as Draft<Netns['routes']>;
    ns.neigh = ns.neigh.filter((n) => n.dev !== l.ifindex);
  }
  return null;
}

/** LinkSetOp is one change of `ip link set`. */
export type LinkSetOp =
  | { readonly op: 'netns'; readonly netns: string }
  | { readonly op: 'name'; readonly name: string }
  | { readonly op: 'address'; readonly mac: Mac }
  | { readonly op: 'mtu'; readonly mtu: number }
  | { readonly op: 'master'; readonly master: string }
  | { readonly op: 'nomaster' }
  | { readonly op: 'up' }
  | { readonly op: 'down' };

/** linkSet is `ip link set DEV OP…`; iproute2 sends one request, so checks come before changes. */
export function linkSet(w: DWorld, nsKey: string, devName: string, ops: readonly LinkSetOp[]): string | null {
  const ns = w.namespaces[nsKey];
  const found = linkByName(ns, devName);
  if (!found) return `Cannot find device "${devName}"`;
  let l = ns.links[found.ifindex];
  let curNsKey = nsKey;
  // rtnetlink's do_setlink applies netns first, then the rest in a fixed order.
  const order = ['netns', 'mtu', 'address', 'name', 'master', 'nomaster', 'down', 'up'];
  const sorted = [...ops].sort((a, b) => order.indexOf(a.op) - order.indexOf(b.op));
  for (const op of sorted) {
    const cur = w.namespaces[curNsKey];
    switch (op.op) {
      case 'netns': {
        const target = w.namespaces[op.netns];
        if (!target) return `Error: argument "${op.netns}" is wrong: Invalid "netns" value\n`;
        if (op.netns === curNsKey) break;
        if (l.kind === 'loopback') return 'RTNETLINK answers: Invalid argument';
        if (linkByName(target, l.name)) return 'RTNETLINK answers: File exists';
        const moved = moveLink(w, curNsKey, op.netns, l.ifindex);
        curNsKey = op.netns;
        l = w.namespaces[curNsKey].links[moved];
        break;
      }
      case 'mtu': {
        if (op.mtu < 68 && l.kind !== 'loopback') return `Error: mtu less than device minimum.`;
        if (l.kind === 'veth' && op.mtu > 65535) return 'Error: mtu greater than device maximum.';
        l.mtu = op.mtu;
        break;
      }
      case 'address': {
        if (l.kind === 'loopback' || l.kind === 'ipip') return 'RTNETLINK answers: Operation not supported';
        if ((parseInt(op.mac.slice(0, 2), 16) & 1) === 1) return 'RTNETLINK answers: Cannot assign requested address';
        const old = l.mac;
        l.mac = op.mac;
        l.macSet = true;
        if (l.kind === 'bridge') replaceLocalFdb(l, l.ifindex, old, op.mac);
        if (l.master !== undefined) {
          const br = cur.links[l.master];
          if (br) {
            replaceLocalFdb(br, l.ifindex, old, op.mac);
            refreshBridgeMac(cur, l.master);
          }
        }
        break;
      }
      case 'name': {
        const bad = validName(op.name);
        if (bad) return bad;
        if (op.name === l.name) break;
        if (linkByName(cur, op.name)) return 'RTNETLINK answers: File exists';
        if (l.adminUp) return 'RTNETLINK answers: Device or resource busy';
        devSysctlMove(cur, cur, l.name, op.name);
        for (const a of cur.addrs) if (a.ifindex === l.ifindex && a.label === l.name) (a as { label: string }).label = op.name;
        l.name = op.name;
        break;
      }
      case 'master': {
        const br = linkByName(cur, op.master);
        // iproute2 resolves the master itself and prints its usage error, then a blank line.
        if (!br) return `Error: argument "${op.master}" is wrong: Device does not exist\n`;
        if (br.kind !== 'bridge') return 'RTNETLINK answers: Operation not supported';
        if (br.ifindex === l.ifindex) return 'RTNETLINK answers: Invalid argument';
        if (l.master === br.ifindex) break;
        if (l.master !== undefined) return 'RTNETLINK answers: Device or resource busy';
        if (l.kind === 'bridge' || l.kind === 'loopback') return 'RTNETLINK answers: Invalid argument';
        l.master = br.ifindex;
        const brd = cur.links[br.ifindex];
        brd.fdb.unshift({ mac: l.mac, port: l.ifindex, local: true, permanent: true, self: false, updated: w.now });
        refreshBridgeMac(cur, br.ifindex);
        break;
      }
      case 'nomaster': {
        if (l.master === undefined) break;
        const brIndex = l.master;
        const br = cur.links[brIndex];
        delete l.master;
        if (br) br.fdb = br.fdb.filter((f) => f.port !== l.ifindex);
        refreshBridgeMac(cur, brIndex);
        break;
      }
      case 'up':
      case 'down':
        linkUpDown(w, curNsKey, l, op.op === 'up');
        break;
    }
  }
  return null;
}

/** moveLink moves a device to another namespace (dev_change_net_namespace): it goes down, loses its addresses and routes, keeps its ifindex if free. */
export function moveLink(w: DWorld, fromKey: string, toKey: string, ifindex: number): number {
  const from = w.namespaces[fromKey];
  const to = w.namespaces[toKey];
  const l = from.links[ifindex];
  const name = l.name;
  // The RTM_DELLINK sent in the old namespace names the new one, so the old one gets an id for it.
  allocNsid(w, fromKey, toKey);
  linkUpDown(w, fromKey, l, false);
  if (l.master !== undefined) {
    const br = from.links[l.master];
    const brIndex = l.master;
    delete l.master;
    if (br) br.fdb = br.fdb.filter((f) => f.port !== ifindex);
    refreshBridgeMac(from, brIndex);
  }
  removeLink(w, fromKey, ifindex);
  const moved = JSON.parse(JSON.stringify(l)) as Link;
  const newIndex = allocIfindex(to, ifindex);
  const placed = { ...moved, ifindex: newIndex } as DLink;
  to.links[newIndex] = placed;
  devSysctlInit(to, name);
  if (placed.kind === 'veth' && placed.peer) {
    const peerNs = w.namespaces[placed.peer.ns];
    const peer = peerNs?.links[placed.peer.ifindex];
    if (peer) {
      peer.peer = { ns: toKey, ifindex: newIndex };
      // The move's notifications make both sides allocate ids for each other.
      allocNsid(w, toKey, placed.peer.ns);
      allocNsid(w, placed.peer.ns, toKey);
    }
  }
  return newIndex;
}

/** addrAdd is `ip addr add CIDR dev DEV [broadcast B] [scope S]`. */
export function addrAdd(
  w: DWorld,
  nsKey: string,
  devName: string,
  local: Ipv4,
  prefixlen: number,
  broadcast: Ipv4 | '+' | null,
  scope: number | null,
): string | null {
  const ns = w.namespaces[nsKey];
  const l = linkByName(ns, devName);
  if (!l) return `Cannot find device "${devName}"`;
  const mask = prefixlen === 0 ? 0 : (0xffffffff << (32 - prefixlen)) >>> 0;
  const brd = broadcast === '+' ? (local | ~mask) >>> 0 : broadcast ?? undefined;
  const ifaddr = {
    ifindex: l.ifindex,
    local,
    prefixlen,
    ...(brd !== undefined ? { broadcast: brd } : {}),
    scope: scope ?? 0,
    label: l.name,
    secondary: false,
  };
  const res = inetInsertIfa(ns.addrs as Netns['addrs'], ns.routes as Netns['routes'], ifaddr, l as Link);
  if (!res.ok) return res.error;
  ns.addrs = res.addrs as Draft<Netns['addrs']>;
  ns.routes = res.routes as Draft<Netns['routes']>;
  return null;
}

/** addrDel is `ip addr del CIDR dev DEV`. */
export function addrDel(w: DWorld, nsKey: string, devName: string, local: Ipv4, prefixlen: number): string | null {
  const ns = w.namespaces[nsKey];
  const l = linkByName(ns, devName);
  if (!l) return `Cannot find device "${devName}"`;
  const target = ns.addrs.find((a) => a.ifindex === l.ifindex && a.local === local && a.prefixlen === prefixlen);
  if (!target) return 'Error: ipv4: Address not found.';
  const res = inetDelIfa(ns.addrs as Netns['addrs'], ns.routes as Netns['routes'], target as Netns['addrs'][number], l as Link);
  if (!res.ok) return res.error;
  ns.addrs = res.addrs as Draft<Netns['addrs']>;
  ns.routes = res.routes as Draft<Netns['routes']>;
  return null;
}

/** sysctlPath turns `net/ipv4/conf/eth0/proxy_arp` or the dotted form into the dotted key. */
export function sysctlKey(key: string): string {
  return key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** sysctlValue is how the kernel stores a written value: integers, tab-separated for vectors. */
export function sysctlValue(value: string): string {
  return value.trim().split(/\s+/).map((x) => String(Number(x))).join('\t');
}

/** sysctlGet reads a key, or returns null when the kernel has no such file. */
export function sysctlGet(ns: Netns, key: string): string | null {
  const v = ns.sysctl[sysctlKey(key)];
  return v === undefined ? null : v;
}

/** sysctlSet writes a key as sysctl(8) -w does; ip_forward also flips every device's forwarding. */
export function sysctlSet(w: DWorld, nsKey: string, rawKey: string, value: string): string | null {
  const ns = w.namespaces[nsKey];
  const key = sysctlKey(rawKey);
  if (ns.sysctl[key] === undefined) return `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`;
  if (!/^-?\d+(\s+-?\d+)*$/.test(value.trim())) return `sysctl: setting key "${key}": Invalid argument`;
  const v = sysctlValue(value);
  ns.sysctl[key] = v;
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    // devinet_sysctl_forward: all/forwarding and ip_forward propagate to default and every device.
    const on = v === '0' ? '0' : '1';
    ns.sysctl['net.ipv4.ip_forward'] = on;
    ns.sysctl['net.ipv4.conf.all.forwarding'] = on;
    ns.sysctl['net.ipv4.conf.default.forwarding'] = on;
    for (const l of Object.values(ns.links)) ns.sysctl[`net.ipv4.conf.${l.name}.forwarding`] = on;
  }
  return null;
}

/** confGet reads net.ipv4.conf.DEV.KEY as a number. */
export function confGet(ns: Netns, dev: string, key: string): number {
  return Number(ns.sysctl[`net.ipv4.conf.${dev}.${key}`] ?? ns.sysctl[`net.ipv4.conf.default.${key}`] ?? '0');
}

/** neighParm reads net.ipv4.neigh.DEV.KEY as a number. */
export function neighParm(ns: Netns, dev: string, key: string): number {
  return Number(ns.sysctl[`net.ipv4.neigh.${dev}.${key}`] ?? NEIGH_DEFAULTS[key] ?? '0');
}

/** fdbChange is `bridge fdb add|append|del MAC dev DEV [dst IP] [self] [permanent]`. */
export function fdbChange(
  w: DWorld,
  nsKey: string,
  action: 'add' | 'append' | 'del',
  mac: Mac,
  devName: string,
  dst: Ipv4 | null,
): string | null {
  const ns = w.namespaces[nsKey];
  const l = linkByName(ns, devName);
  if (!l) return `Cannot find device "${devName}"`;
  const dl = ns.links[l.ifindex];
  if (l.kind === 'vxlan') {
    const same = (f: FdbEntry) => f.mac === mac && (action !== 'del' || dst === null || f.dst === dst);
    if (action === 'del') {
      if (!dl.fdb.some(same)) return 'RTNETLINK answers: No such file or directory';
      dl.fdb = dl.fdb.filter((f) => !same(f));
      return null;
    }
    if (action === 'add' && dl.fdb.some((f) => f.mac === mac)) return 'RTNETLINK answers: File exists';
    dl.fdb.push({ mac, port: l.ifindex, ...(dst !== null ? { dst } : {}), local: false, permanent: true, self: true, updated: w.now });
    return null;
  }
  if (l.master !== undefined) {
    const br = ns.links[l.master];
    if (action === 'del') {
      const before = br.fdb.length;
      br.fdb = br.fdb.filter((f) => !(f.mac === mac && f.port === l.ifindex && !f.local));
      return before === br.fdb.length ? 'RTNETLINK answers: No such file or directory' : null;
    }
    br.fdb = br.fdb.filter((f) => !(f.mac === mac && !f.local));
    br.fdb.unshift({ mac, port: l.ifindex, local: false, permanent: true, self: false, updated: w.now });
    return null;
  }
  if (action === 'del') {
    const before = dl.fdb.length;
    dl.fdb = dl.fdb.filter((f) => f.mac !== mac);
    return before === dl.fdb.length ? 'RTNETLINK answers: No such file or directory' : null;
  }
  dl.fdb.push({ mac, port: l.ifindex, local: false, permanent: true, self: true, updated: w.now });
  return null;
}
