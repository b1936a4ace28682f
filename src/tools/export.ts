// `calisim export`: the kernel state of a world written back as a lab, the commands a person would
// type to build it by hand — namespaces, links (veth pairs, bridges, VXLAN devices), MACs, MTUs and
// ports, sysctls that differ from a new namespace's, addresses, the routes no address made, permanent
// neighbours and FDB entries — then `ip addr` and `ip route` of every namespace, so that
// `calisim run` and `calisim netns run` of the lab can be compared. What the kernel the lab is run on
// cannot have (the ipip module's tunl0 and routes over it, ifindexes pinned by a scenario) is left out
// with a comment saying so.

import { formatIpv4, networkOf } from '../model/addr.js';
import { type IfAddr, INIT_NS, type Link, NudState, RouteProto, RouteScope, RouteTable, type Netns, type Route } from '../model/world.js';
import { CONF_DEFAULTS, NEIGH_DEFAULTS, parseSysctlKey } from '../kernel/sysctl.js';
import { ifaAddress } from '../kernel/addrsel.js';
import { linksInOrder } from '../kernel/netns.js';
import type { VxlanInfo } from '../encap/vxlan.js';
import { formatIpRoute, type KernelView, scopeName } from './ip/print.js';

/** ExportOptions name the lab in its header. */
export interface ExportOptions {
  readonly title: string;
}

/** label is how a lab names a namespace: `-` for the initial one. */
function nsArg(key: string): string {
  return key === INIT_NS ? '' : `-n ${key} `;
}

/**
 * sysctlArg is a key as sysctl(8) takes it: procps reads every dot of a dotted key as a separator,
 * so a device whose name holds a dot (`vxlan.calico`) is written with slashes in its place.
 */
function sysctlArg(key: string, dev: string | undefined): string {
  if (dev === undefined || !dev.includes('.')) return key;
  const at = key.indexOf(`.${dev}.`);
  return `${key.slice(0, at)}.${dev.replace(/\./g, '/')}${key.slice(at + dev.length + 1)}`;
}

/**
 * addressMade says whether a `proto kernel` main-table route is the prefix route of one of the
 * namespace's addresses (fib_add_ifaddr), which the address line brings back. One of an address
 * with `noprefixroute` was added by whoever set that flag (NetworkManager), so it is exported.
 */
function addressMade(n: Netns, r: Route): boolean {
  return n.addrs.some(
    (a) =>
      a.ifindex === r.dev &&
      a.noprefixroute !== true &&
      a.prefixlen === r.dst.len &&
      networkOf(ifaAddress(a), a.prefixlen) === r.dst.addr &&
      (a.metric ?? 0) === r.metric,
  );
}

/** addrArgs is an address as `ip addr add` takes it: LOCAL/LEN, or LOCAL peer PEER/LEN with its broadcast. */
function addrArgs(a: IfAddr): string {
  const local =
    a.address !== undefined
      ? `${formatIpv4(a.local)} peer ${formatIpv4(a.address)}/${a.prefixlen}`
      : `${formatIpv4(a.local)}/${a.prefixlen}`;
  return a.broadcast !== undefined ? `${local} brd ${formatIpv4(a.broadcast)}` : local;
}

/** addrOptions are the address's settings that `ip addr add` does not choose by itself. */
function addrOptions(a: IfAddr, dev: string): string {
  let o = '';
  if (a.scope !== RouteScope.Universe) o += ` scope ${scopeName(a.scope)}`;
  if (a.label !== dev) o += ` label ${a.label}`;
  if (a.metric !== undefined && a.metric !== 0) o += ` metric ${a.metric}`;
  if (a.noprefixroute === true) o += ' noprefixroute';
  return o;
}

/** sysctlIsDefault says whether a key holds what a new namespace has. */
function sysctlIsDefault(key: string, value: string): boolean {
  const conf = /^net\.ipv4\.conf\.[^.]+\.(.+)$/.exec(key);
  if (conf !== null) return CONF_DEFAULTS.get(conf[1]) === value;
  const neigh = /^net\.ipv4\.neigh\.[^.]+\.(.+)$/.exec(key);
  if (neigh !== null) return NEIGH_DEFAULTS.get(neigh[1]) === value;
  return false;
}

/** exportLab writes the lab. */
export function exportLab(k: KernelView, opts: ExportOptions): string {
  const out: string[] = [`# ${opts.title}`, '# Written by `calisim export`: the kernel state, as the commands that build it.', ''];
  const order = [INIT_NS, ...k.world.nsOrder.filter((n) => n !== INIT_NS)];
  const nss = new Map<string, Netns>();
  for (const key of order) {
    const n = k.world.namespaces.get(key);
    if (n !== undefined) nss.set(key, n);
  }
  out.push('# Namespaces');
  for (const key of order) if (key !== INIT_NS && nss.has(key)) out.push(`ip netns add ${key}`);
  out.push('', '# Links');
  const made = new Set<string>();
  const later: string[] = [];
  const tunnels: string[] = [];
  for (const [key, n] of nss) {
    for (const l of linksInOrder(n)) {
      const id = `${key}/${l.ifindex}`;
      if (made.has(id) || l.kind === 'loopback') continue;
      made.add(id);
      if (l.kind === 'ipip') {
        tunnels.push(`# ${key}: ${l.name} (ipip)${l.adminUp ? ' up' : ''}: the kernel labs run on has no ipip module`);
        continue;
      }
      // A physical NIC is exported as the veth it is underneath (the test kernel has no such hardware).
      if ((l.kind === 'veth' || l.kind === 'nic') && l.peer !== undefined) {
        made.add(`${l.peer.ns}/${l.peer.ifindex}`);
        const peer = nss.get(l.peer.ns)?.links.get(l.peer.ifindex);
        if (peer === undefined) continue;
        const peerNs = l.peer.ns === key ? '' : ` netns ${l.peer.ns === INIT_NS ? '1' : l.peer.ns}`;
        out.push(`ip ${nsArg(key)}link add ${l.name} type veth peer name ${peer.name}${peerNs}`);
        later.push(...linkSettings(key, l, nss), ...linkSettings(l.peer.ns, peer, nss));
        continue;
      }
      if (l.kind === 'bridge') out.push(`ip ${nsArg(key)}link add ${l.name} type bridge`);
      else if (l.kind === 'vxlan') {
        const i = l.info as VxlanInfo | undefined;
        const parts = [`ip ${nsArg(key)}link add ${l.name} type vxlan id ${i?.vni ?? 0}`];
        if (i?.dstport !== undefined) parts.push(`dstport ${i.dstport}`);
        if (i?.local !== undefined) parts.push(`local ${formatIpv4(i.local)}`);
        // The lower device by name: ip link add takes `dev NAME`, and the lab's ifindexes are not the world's.
        const lower = i !== undefined && i.dev !== 0 ? n.links.get(i.dev) : undefined;
        if (lower !== undefined) parts.push(`dev ${lower.name}`);
        if (i?.learning === false) parts.push('nolearning');
        out.push(parts.join(' '));
      } else {
        out.push(`# ${key}: ${l.name} (${l.kind}) is not exported`);
        continue;
      }
      later.push(...linkSettings(key, l, nss));
    }
  }
  out.push(...tunnels, '', '# MACs, MTUs, bridge ports, up', ...later, '', '# Sysctls');
  for (const [key, n] of nss) {
    const exported = new Set([...n.links.values()].filter((l) => l.kind !== 'ipip').map((l) => l.name));
    const forward = n.sysctl.get('net.ipv4.ip_forward');
    const keys = [...n.sysctl].sort((a, b) =>
      a[0] === 'net.ipv4.ip_forward' ? -1 : b[0] === 'net.ipv4.ip_forward' ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
    );
    for (const [sk, v] of keys) {
      if (sysctlIsDefault(sk, v)) continue;
      const parsed = parseSysctlKey(n, sk);
      const dev = parsed !== null && parsed.kind !== 'global' ? parsed.dev : undefined;
      if (dev !== undefined && dev !== 'all' && dev !== 'default' && !exported.has(dev)) continue;
      // Writing ip_forward sets every conf.*.forwarding (devinet_sysctl_forward).
      if (forward !== undefined && parsed?.kind === 'conf' && parsed.param === 'forwarding' && v === forward) continue;
      // … and conf.all.accept_redirects to its opposite (inet_forward_change).
      if (forward !== undefined && sk === 'net.ipv4.conf.all.accept_redirects' && v === (forward === '0' ? '1' : '0')) continue;
      if (/\s/.test(v)) out.push(`# ${key}: ${sk} = ${v.replace(/\s+/g, ' ')}: a vector, which a lab line cannot quote`);
      else out.push(`${key === INIT_NS ? '' : `ip netns exec ${key} `}sysctl -q -w ${sysctlArg(sk, dev)}=${v}`);
    }
  }
  out.push('', '# Addresses');
  for (const [key, n] of nss) {
    for (const a of n.addrs) {
      const l = n.links.get(a.ifindex);
      if (l === undefined || l.kind === 'loopback' || l.kind === 'ipip') continue;
      out.push(`ip ${nsArg(key)}addr add ${addrArgs(a)} dev ${l.name}${addrOptions(a, l.name)}`);
    }
  }
  out.push('', '# Routes no address made (BIRD, Felix, the CNI plugin, the machine)');
  for (const [key, n] of nss) {
    const ipip = new Set([...n.links.values()].filter((l) => l.kind === 'ipip').map((l) => l.ifindex));
    const lines = formatIpRoute(k, key).split('\n');
    // formatIpRoute prints the main table in dump order, one line per route; routes without a
    // gateway go first, so that every gateway is reachable when its route is added.
    const routes = n.fib.dump(RouteTable.Main).map((r, i) => ({ r, text: (lines[i] ?? '').replace(/ linkdown/, '').trimEnd() }));
    const ordered = [...routes.filter((x) => x.r.gateway === undefined), ...routes.filter((x) => x.r.gateway !== undefined)];
    for (const { r, text } of ordered) {
      if (r.proto === RouteProto.Kernel && addressMade(n, r)) continue;
      if (r.dev !== undefined && ipip.has(r.dev)) out.push(`# ${key}: ${text}: over the ipip tunnel`);
      else out.push(`ip ${nsArg(key)}route add ${text}`);
    }
  }
  out.push('', '# Permanent neighbours and FDB entries');
  for (const [key, n] of nss) {
    for (const e of n.neigh.values()) {
      if (e.state !== NudState.Permanent || e.lladdr === undefined) continue;
      const l = n.links.get(e.dev);
      if (l !== undefined) out.push(`ip ${nsArg(key)}neigh add ${formatIpv4(e.ip)} lladdr ${e.lladdr} dev ${l.name} nud permanent`);
    }
    for (const l of n.links.values()) {
      if (l.kind !== 'vxlan') continue;
      for (const f of l.fdb) {
        if (f.dst === undefined) continue;
        out.push(`bridge ${key === INIT_NS ? '' : `-n ${key} `}fdb append ${f.mac} dev ${l.name} dst ${formatIpv4(f.dst)} self permanent`);
      }
    }
  }
  // IPv6 duplicate address detection takes up to 2 s after a link comes up (a random delay below
  // rtr_solicit_delay, then one probe and retrans_time): until then an address reads `tentative`,
  // on a machine as fast or slow as it happens to be.
  out.push('', '# Duplicate address detection ends', 'sleep 3');
  out.push('', '# The state, as iproute2 prints it');
  for (const key of nss.keys()) {
    if (key === INIT_NS) continue;
    out.push(`ip -n ${key} addr`, `ip -n ${key} route`);
  }
  return `${out.join('\n')}\n`;
}

/** linkSettings are `ip link set` lines for a link: MAC, MTU, master, then up. */
function linkSettings(key: string, l: Link, nss: ReadonlyMap<string, Netns>): string[] {
  const out: string[] = [];
  const set = `ip ${nsArg(key)}link set ${l.name}`;
  const isVeth = l.kind === 'veth' || l.kind === 'nic';
  if (l.macSet || isVeth || l.kind === 'vxlan') out.push(`${set} address ${l.mac}`);
  if (l.mtu !== 1500 && l.kind !== 'bridge') out.push(`${set} mtu ${l.mtu}`);
  if (l.master !== undefined) {
    const m = nss.get(key)?.links.get(l.master);
    if (m !== undefined) out.push(`${set} master ${m.name}`);
  }
  if (l.adminUp) out.push(`${set} up`);
  return out;
}
