// Prints what iproute2 6.1's `ip` prints (ip(8), ip-link(8), ip-address(8), ip-route(8),
// ip-neighbour(8), ip-netns(8)), following ip/ipaddress.c (print_linkinfo, print_addrinfo,
// print_linkinfo_brief, print_stats64), ip/iproute.c (print_route, print_cache_flags),
// ip/ipneigh.c (print_neigh), ip/ipnetns.c (netns_list), lib/utils.c (print_name_and_link) and
// lib/rt_names.c, byte for byte, trailing spaces included. Device state that the kernel derives
// (carrier, operstate, IFF_RUNNING) is derived here the way net/core/link_watch.c and
// net/core/dev.c do, from the world as it is now.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import {
  INIT_NS,
  NudState,
  RouteScope,
  RouteTable,
  type IfAddr,
  type Link,
  type NeighEntry,
  type Netns,
  type Route,
  type WorldView,
} from '../../model/world.js';
import type { DriverRegistry } from '../../kernel/driver.js';
import { fibDump } from '../../kernel/fib.js';
import { linkByName, linkCarrier, linkOperstate, linkRunning, linksInOrder } from '../../kernel/netns.js';
import { type Inet6Address, inet6Addresses } from '../../kernel/ipv6.js';
import { formatLinkDetailsText, linkDetailsJson } from './details.js';
import { CommandError } from '../output.js';
import { jsonDocument, type JsonValue } from './json.js';
import { RT_PROTOS, RT_SCOPES } from '../ast.js';

/** INFINITY_LIFE_TIME is the lifetime iproute2 prints as `forever` (0xffffffff). */
const INFINITY_LIFE_TIME = 4294967295;

// ---------------------------------------------------------------------------------------------
// Lookups

/** KernelView is what the printers read: a world (live, or a trace snapshot) and the drivers of its links. */
export interface KernelView {
  readonly world: WorldView;
  readonly drivers: DriverRegistry;
}

/** netnsOf returns the namespace `ns` of the world, or throws when there is none. */
export function netnsOf(world: WorldView, ns: string): Netns {
  const n = world.namespaces.get(ns);
  if (n === undefined) throw new Error(`no namespace ${JSON.stringify(ns)}`);
  return n;
}

/** devName returns the name of ifindex `ifindex` in a namespace, as ll_index_to_name does (`if%d` when unknown). */
export function devName(netns: Netns, ifindex: number): string {
  return netns.links.get(ifindex)?.name ?? `if${ifindex}`;
}

/** LinkName is how print_name_and_link names a device: `eth0`, `eth0@veth1`, `eth0@if7`, `tunl0@NONE`. */
interface LinkName {
  readonly text: string;
  /** jsonLink is the `link` (a name or null) or `link_index` (a number) JSON member, if any. */
  readonly jsonLink?: { readonly key: 'link' | 'link_index'; readonly value: string | number | null };
  /** mdown is set when the same-namespace peer is administratively down (`M-DOWN`). */
  readonly mdown: boolean;
  /** netnsid is the id of the peer's namespace when it lives elsewhere (`link-netnsid`). */
  readonly netnsid?: number;
  /** netnsName is the peer namespace's name when it has one (`link-netns NAME`). */
  readonly netnsName?: string;
}

function linkName(k: KernelView, ns: string, link: Link): LinkName {
  const iflink = k.drivers.of(link).iflink?.(k.world, ns, link);
  if (iflink === undefined) return { text: link.name, mdown: false };
  if (iflink.ifindex === 0) return { text: `${link.name}@NONE`, jsonLink: { key: 'link', value: null }, mdown: false };
  const peer = k.world.namespaces.get(iflink.ns)?.links.get(iflink.ifindex);
  if (iflink.ns === ns) {
    const peerName = peer?.name ?? `if${iflink.ifindex}`;
    return {
      text: `${link.name}@${peerName}`,
      jsonLink: { key: 'link', value: peerName },
      mdown: !(peer?.adminUp ?? false),
    };
  }
  const here = k.world.namespaces.get(ns);
  const peerNs = k.world.namespaces.get(iflink.ns);
  // netns_map_init maps ids to the names of /run/netns: a namespace without a file there has none.
  const name = peerNs !== undefined && peerNs.name !== INIT_NS && peerNs.named !== false ? (peerNs.mountName ?? peerNs.name) : undefined;
  return {
    text: `${link.name}@if${iflink.ifindex}`,
    jsonLink: { key: 'link_index', value: iflink.ifindex },
    mdown: false,
    netnsid: here?.nsids.get(iflink.ns) ?? 0,
    netnsName: name,
  };
}

/** linkFlags lists the interface flags in print_link_flags order, NO-CARRIER first and M-DOWN last. */
function linkFlags(k: KernelView, ns: string, link: Link, mdown: boolean): string[] {
  const flags: string[] = [];
  const carrier = linkCarrier(k.world, k.drivers, ns, link);
  if (link.adminUp && !linkRunning(k.world, k.drivers, ns, link)) flags.push('NO-CARRIER');
  flags.push(...k.drivers.of(link).flags);
  if (link.adminUp) flags.push('UP');
  if (link.adminUp && carrier) flags.push('LOWER_UP');
  if (mdown) flags.push('M-DOWN');
  return flags;
}

/** linkLayer returns the `link/TYPE ADDR brd BRD` fields of a device. */
function linkLayer(k: KernelView, link: Link): { type: string; address: string; broadcast: string } {
  switch (k.drivers.of(link).linkType) {
    case 'loopback':
      return { type: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' };
    case 'ipip':
      return { type: 'ipip', address: '0.0.0.0', broadcast: '0.0.0.0' };
    default:
      return { type: 'ether', address: link.mac, broadcast: 'ff:ff:ff:ff:ff:ff' };
  }
}

/** qdiscOf is the root qdisc: noop until the device first comes up, then what dev_activate attached. */
function qdiscOf(link: Link): string {
  return link.everUp ? (link.qdisc ?? 'noqueue') : 'noop';
}

// ---------------------------------------------------------------------------------------------
// Names from /etc/iproute2

/** scopeName is rtnl_rtscope_n2a: a name from rt_scopes, the number otherwise. */
export function scopeName(scope: number): string {
  return RT_SCOPES.get(scope) ?? String(scope);
}

/** protoName is rtnl_rtprot_n2a with Debian's /etc/iproute2/rt_protos: a name, or the number. */
export function protoName(proto: number): string {
  return RT_PROTOS.get(proto) ?? String(proto);
}

/** tableName is rtnl_rttable_n2a with the stock rt_tables (local, main, default, unspec). */
export function tableName(table: number): string {
  switch (table) {
    case 255:
      return 'local';
    case 254:
      return 'main';
    case 253:
      return 'default';
    case 0:
      return 'unspec';
    default:
      return String(table);
  }
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

// ---------------------------------------------------------------------------------------------
// ip link / ip address

/** LinkShowOptions selects what `ip link show` prints. */
export interface LinkShowOptions {
  /** dev restricts the output to one device (`ip link show [dev] NAME`). */
  readonly dev?: string;
  /** brief is `-br`. */
  readonly brief?: boolean;
  /** json is `-j`. */
  readonly json?: boolean;
  /** stats is `-s`. */
  readonly stats?: boolean;
  /** details is `-d`. */
  readonly details?: boolean;
}

/** AddrShowOptions selects what `ip address show` prints. */
export interface AddrShowOptions {
  /** dev restricts the output to one device (`ip addr show [dev] NAME`). */
  readonly dev?: string;
  /** inet is `-4`: only links with IPv4 addresses, without their link-layer line. */
  readonly inet?: boolean;
  /** brief is `-br`. */
  readonly brief?: boolean;
  /** json is `-j`. */
  readonly json?: boolean;
  /** details is `-d`. */
  readonly details?: boolean;
}

function selectLinks(netns: Netns, dev: string | undefined): Link[] {
  if (dev === undefined) return linksInOrder(netns);
  const l = linkByName(netns, dev);
  if (!l) throw new CommandError(`Device "${dev}" does not exist.\n`, 1);
  return [l];
}

function addrsOf(netns: Netns, ifindex: number): IfAddr[] {
  return netns.addrs.filter((a) => a.ifindex === ifindex);
}

/** statsLines prints `ip -s link`'s four counter lines (print_stats64), columns sized to fit. */
function statsLines(link: Link): string {
  const s = link.stats;
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const widen = (vals: number[]): void => {
    vals.forEach((v, i) => {
      const len = String(v).length;
      if (len > cols[i]) cols[i] = len;
    });
  };
  widen([s.rxBytes, s.rxPackets, 0, s.rxDropped, 0, 0, 0, 0]);
  widen([s.txBytes, s.txPackets, 0, s.txDropped, 0, 0, 0, 0]);
  const num = (w: number, v: number): string => `${String(v).padStart(w)} `;
  const head = (names: string[]): string =>
    '    ' +
    [
      `${names[0]}:`,
      'bytes'.padStart(cols[0] - 4),
      names[1].padStart(cols[1]),
      'errors'.padStart(cols[2]),
      'dropped'.padStart(cols[3]),
      names[2].padStart(cols[4]),
      names[3].padStart(cols[5]),
      ''.padStart(cols[6]),
    ].join(' ') +
    '\n';
  let out = head(['RX', 'packets', 'missed', 'mcast']);
  out += `    ${num(cols[0], s.rxBytes)}${num(cols[1], s.rxPackets)}${num(cols[2], 0)}`;
  out += `${num(cols[3], s.rxDropped) + num(cols[4], 0) + num(cols[5], 0)}\n`;
  out += head(['TX', 'packets', 'carrier', 'collsns']);
  out += `    ${num(cols[0], s.txBytes)}${num(cols[1], s.txPackets)}${num(cols[2], 0)}`;
  out += num(cols[3], s.txDropped) + num(cols[4], 0) + num(cols[5], 0);
  return out;
}

function statsJson(link: Link): JsonValue {
  const s = link.stats;
  return {
    stats64: {
      rx: { bytes: s.rxBytes, packets: s.rxPackets, errors: 0, dropped: s.rxDropped, over_errors: 0, multicast: 0 },
      tx: { bytes: s.txBytes, packets: s.txPackets, errors: 0, dropped: s.txDropped, carrier_errors: 0, collisions: 0 },
    },
  };
}

interface LinkPrint {
  /** doLink is set for `ip link` (prints `mode DEFAULT`), clear for `ip address`. */
  readonly doLink: boolean;
  /** linkLine says whether the `link/ether …` line is printed (not under `ip -4 addr`). */
  readonly linkLine: boolean;
  readonly stats: boolean;
  /** details is `-d`: the driver's attributes after the link line. */
  readonly details: boolean;
}

function detailsOf(k: KernelView, ns: string, netns: Netns, link: Link, p: LinkPrint) {
  const d = k.drivers.of(link).details(k.world, ns, link);
  return { d, o: { doLink: p.doLink, ifName: (i: number) => devName(netns, i) } };
}

/** linkText prints print_linkinfo's lines for one device, without the final newline. */
function linkText(k: KernelView, ns: string, netns: Netns, link: Link, p: LinkPrint): string {
  const n = linkName(k, ns, link);
  let out = `${link.ifindex}: ${n.text}: <${linkFlags(k, ns, link, n.mdown).join(',')}> `;
  out += `mtu ${link.mtu} qdisc ${qdiscOf(link)} `;
  if (link.master !== undefined) out += `master ${devName(netns, link.master)} `;
  out += `state ${linkOperstate(k.world, k.drivers, ns, link)} `;
  if (p.doLink) out += 'mode DEFAULT ';
  out += 'group default ';
  if (link.txqlen) out += `qlen ${link.txqlen}`;
  if (p.linkLine) {
    const ll = linkLayer(k, link);
    out += `\n    link/${ll.type} ${ll.address} brd ${ll.broadcast}`;
  }
  if (n.netnsName !== undefined) out += ` link-netns ${n.netnsName}`;
  else if (n.netnsid !== undefined) out += ` link-netnsid ${n.netnsid}`;
  if (p.details) {
    const { d, o } = detailsOf(k, ns, netns, link, p);
    out += formatLinkDetailsText(d, o);
  }
  if (p.stats) out += `\n${statsLines(link)}`;
  return out;
}

function linkJson(k: KernelView, ns: string, netns: Netns, link: Link, p: LinkPrint): Record<string, JsonValue> {
  const n = linkName(k, ns, link);
  const o: Record<string, JsonValue> = { ifindex: link.ifindex };
  if (n.jsonLink) o[n.jsonLink.key] = n.jsonLink.value;
  o.ifname = link.name;
  o.flags = linkFlags(k, ns, link, n.mdown);
  o.mtu = link.mtu;
  o.qdisc = qdiscOf(link);
  if (link.master !== undefined) o.master = devName(netns, link.master);
  o.operstate = linkOperstate(k.world, k.drivers, ns, link);
  if (p.doLink) o.linkmode = 'DEFAULT';
  o.group = 'default';
  if (link.txqlen) o.txqlen = link.txqlen;
  if (p.linkLine) {
    const ll = linkLayer(k, link);
    o.link_type = ll.type;
    o.address = ll.address;
    o.broadcast = ll.broadcast;
  }
  if (n.netnsid !== undefined) o.link_netnsid = n.netnsid;
  if (p.details) {
    const det = detailsOf(k, ns, netns, link, p);
    Object.assign(o, linkDetailsJson(det.d, det.o));
  }
  if (p.stats) Object.assign(o, statsJson(link));
  return o;
}

/** addrFlags lists the address flags print_ifa_flags prints, in its order (IPv4 addresses are always permanent). */
function addrFlags(a: IfAddr): string[] {
  const flags: string[] = [];
  if (a.secondary) flags.push('secondary');
  if (a.noprefixroute === true) flags.push('noprefixroute');
  return flags;
}

/** addrText prints one `inet` address and its lifetime line (print_addrinfo), newline included. */
function addrText(a: IfAddr): string {
  let out = `    inet ${formatIpv4(a.local)}/${a.prefixlen} `;
  if (a.metric) out += `metric ${a.metric} `;
  if (a.broadcast !== undefined) out += `brd ${formatIpv4(a.broadcast)} `;
  out += `scope ${scopeName(a.scope)} `;
  for (const f of addrFlags(a)) out += `${f} `;
  out += a.label;
  out += '\n       valid_lft forever preferred_lft forever\n';
  return out;
}

function addrJson(a: IfAddr): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { family: 'inet', local: formatIpv4(a.local), prefixlen: a.prefixlen };
  if (a.metric) o.metric = a.metric;
  if (a.broadcast !== undefined) o.broadcast = formatIpv4(a.broadcast);
  o.scope = scopeName(a.scope);
  for (const f of addrFlags(a)) o[f] = true;
  o.label = a.label;
  o.valid_life_time = INFINITY_LIFE_TIME;
  o.preferred_life_time = INFINITY_LIFE_TIME;
  return o;
}

/** addr6Text prints one `inet6` address as print_addrinfo does: no label, so the flags end the line. */
function addr6Text(a: Inet6Address): string {
  let out = `    inet6 ${a.local}/${a.prefixlen} scope ${scopeName(a.scope)} `;
  if (a.tentative) out += 'tentative ';
  return `${out}\n       valid_lft forever preferred_lft forever\n`;
}

function addr6Json(a: Inet6Address): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { family: 'inet6', local: a.local, prefixlen: a.prefixlen, scope: scopeName(a.scope) };
  if (a.tentative) o.tentative = true;
  o.valid_life_time = INFINITY_LIFE_TIME;
  o.preferred_life_time = INFINITY_LIFE_TIME;
  return o;
}

/** briefHead prints print_linkinfo_brief's name and state columns (`%-16s %-14s `). */
function briefHead(k: KernelView, ns: string, link: Link): string {
  const n = linkName(k, ns, link);
  return `${pad(n.text, 16)} ${pad(linkOperstate(k.world, k.drivers, ns, link), 14)} `;
}

/** formatIpLink prints `ip [-br] [-j] [-s] link [show [dev] NAME]`. */
export function formatIpLink(k: KernelView, ns: string, opts: LinkShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  const links = selectLinks(netns, opts.dev);
  const p: LinkPrint = { doLink: true, linkLine: true, stats: opts.stats ?? false, details: opts.details ?? false };
  if (opts.json) {
    if (opts.brief) {
      return jsonDocument(
        links.map((l) => {
          const n = linkName(k, ns, l);
          const o: Record<string, JsonValue> = {};
          if (n.jsonLink) o[n.jsonLink.key] = n.jsonLink.value;
          o.ifname = l.name;
          o.operstate = linkOperstate(k.world, k.drivers, ns, l);
          o.address = linkLayer(k, l).address;
          o.flags = linkFlags(k, ns, l, n.mdown);
          return o;
        }),
      );
    }
    return jsonDocument(links.map((l) => linkJson(k, ns, netns, l, p)));
  }
  let out = '';
  for (const l of links) {
    if (opts.brief) {
      const n = linkName(k, ns, l);
      out += `${briefHead(k, ns, l)}${linkLayer(k, l).address} <${linkFlags(k, ns, l, n.mdown).join(',')}> \n`;
    } else {
      out += `${linkText(k, ns, netns, l, p)}\n`;
    }
  }
  return out;
}

/** formatIpAddr prints `ip [-4] [-br] [-j] address [show [dev] NAME]`: each link's IPv4 addresses, then (unless `-4`) its IPv6 ones. */
export function formatIpAddr(k: KernelView, ns: string, opts: AddrShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  let links = selectLinks(netns, opts.dev);
  // ipaddr_filter: under -4 only links with an IPv4 address are listed.
  if (opts.inet) links = links.filter((l) => addrsOf(netns, l.ifindex).length > 0);
  // Under -d the link line is printed even by `ip -4 address`.
  const p: LinkPrint = { doLink: false, linkLine: !opts.inet || opts.details === true, stats: false, details: opts.details ?? false };
  const six = (l: Link): Inet6Address[] => (opts.inet ? [] : inet6Addresses(k.world, l));
  if (opts.json) {
    return jsonDocument(
      links.map((l) => {
        if (opts.brief) {
          const n = linkName(k, ns, l);
          const o: Record<string, JsonValue> = {};
          if (n.jsonLink) o[n.jsonLink.key] = n.jsonLink.value;
          o.ifname = l.name;
          o.operstate = linkOperstate(k.world, k.drivers, ns, l);
          o.addr_info = [
            ...addrsOf(netns, l.ifindex).map(
              (a): JsonValue => ({ local: formatIpv4(a.local), prefixlen: a.prefixlen, ...(a.metric ? { metric: a.metric } : {}) }),
            ),
            ...six(l).map((a): JsonValue => ({ local: a.local, prefixlen: a.prefixlen })),
          ];
          return o;
        }
        const o = linkJson(k, ns, netns, l, p);
        o.addr_info = [...addrsOf(netns, l.ifindex).map(addrJson), ...six(l).map(addr6Json)];
        return o;
      }),
    );
  }
  let out = '';
  for (const l of links) {
    const addrs = addrsOf(netns, l.ifindex);
    if (opts.brief) {
      out +=
        briefHead(k, ns, l) +
        addrs.map((a) => `${formatIpv4(a.local)}/${a.prefixlen} ${a.metric ? `metric ${a.metric} ` : ''}`).join('') +
        six(l)
          .map((a) => `${a.local}/${a.prefixlen} `)
          .join('') +
        '\n';
    } else {
      out += `${linkText(k, ns, netns, l, p)}\n${addrs.map(addrText).join('')}${six(l).map(addr6Text).join('')}`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ip route

/** RouteShowOptions selects what `ip route show` prints. */
export interface RouteShowOptions {
  /** dev keeps only routes out of this device and drops `dev NAME` from the lines (`ip route show dev NAME`). */
  readonly dev?: string;
  /** table is `table ID|all`; main (254) by default. Under `all`, routes outside main say `table NAME`. */
  readonly table?: number | 'all';
  /** json is `-j`. */
  readonly json?: boolean;
  /** filter keeps only the routes it accepts (the selectors of `ip route show`). */
  readonly filter?: (r: Route) => boolean;
}

/** routeLinkdown says whether the kernel flags the nexthop RTNH_F_LINKDOWN: its device has no carrier (host-scope routes excepted). */
export function routeLinkdown(k: KernelView, ns: string, r: Route): boolean {
  if (r.dev === undefined || r.scope === RouteScope.Host) return false;
  const link = k.world.namespaces.get(ns)?.links.get(r.dev);
  return link !== undefined && !linkCarrier(k.world, k.drivers, ns, link);
}

interface RoutePrint {
  readonly omitDev: boolean;
  readonly showTable: boolean;
}

function routeDst(r: Route): string {
  if (r.dst.len === 0) return 'default';
  if (r.dst.len === 32) return formatIpv4(r.dst.addr);
  return `${formatIpv4(r.dst.addr)}/${r.dst.len}`;
}

function routeFlags(k: KernelView, ns: string, r: Route): string[] {
  const flags: string[] = [];
  if (r.onlink) flags.push('onlink');
  if (routeLinkdown(k, ns, r)) flags.push('linkdown');
  return flags;
}

/** routeText prints one route as print_route does, with its trailing space and without the newline. */
function routeText(k: KernelView, ns: string, netns: Netns, r: Route, p: RoutePrint, type: string = r.type): string {
  let out = '';
  if (type !== 'unicast') out += `${type} `;
  out += `${routeDst(r)} `;
  if (r.gateway !== undefined) out += `via ${formatIpv4(r.gateway)} `;
  if (r.dev !== undefined && !p.omitDev) out += `dev ${devName(netns, r.dev)} `;
  if (p.showTable && r.table !== RouteTable.Main) out += `table ${tableName(r.table)} `;
  if (r.proto !== 3) out += `proto ${protoName(r.proto)} `;
  if (r.scope !== RouteScope.Universe) out += `scope ${scopeName(r.scope)} `;
  if (r.prefsrc !== undefined) out += `src ${formatIpv4(r.prefsrc)} `;
  if (r.metric) out += `metric ${r.metric} `;
  for (const f of routeFlags(k, ns, r)) out += `${f} `;
  return out;
}

function routeJson(k: KernelView, ns: string, netns: Netns, r: Route, p: RoutePrint, type: string = r.type): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  if (type !== 'unicast') o.type = type;
  o.dst = routeDst(r);
  if (r.gateway !== undefined) o.gateway = formatIpv4(r.gateway);
  if (r.dev !== undefined && !p.omitDev) o.dev = devName(netns, r.dev);
  if (p.showTable && r.table !== RouteTable.Main) o.table = tableName(r.table);
  if (r.proto !== 3) o.protocol = protoName(r.proto);
  if (r.scope !== RouteScope.Universe) o.scope = scopeName(r.scope);
  if (r.prefsrc !== undefined) o.prefsrc = formatIpv4(r.prefsrc);
  if (r.metric) o.metric = r.metric;
  o.flags = routeFlags(k, ns, r);
  return o;
}

/** formatIpRoute prints `ip [-j] route [show] [table ID|all] [dev NAME]`; routes keep the world's order within a table. */
export function formatIpRoute(k: KernelView, ns: string, opts: RouteShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  let dev: number | undefined;
  if (opts.dev !== undefined) {
    const l = linkByName(netns, opts.dev);
    if (!l) throw new CommandError(`Cannot find device "${opts.dev}"\n`, 1);
    dev = l.ifindex;
  }
  const table = opts.table ?? RouteTable.Main;
  // inet_dump_fib walks the table hash (id & 255) in bucket order.
  let routes: readonly Route[] = table === 'all' ? netns.fib.all() : fibDump(netns.fib, table);
  if (dev !== undefined) routes = routes.filter((r) => r.dev === dev);
  if (opts.filter !== undefined) routes = routes.filter(opts.filter);
  const p: RoutePrint = { omitDev: dev !== undefined, showTable: table === 'all' };
  if (opts.json) return jsonDocument(routes.map((r) => routeJson(k, ns, netns, r, p)));
  return routes.map((r) => `${routeText(k, ns, netns, r, p)}\n`).join('');
}

/** RouteGetResult is what `ip route get` learnt from the kernel for one destination. */
export interface RouteGetResult {
  readonly dst: Ipv4;
  /** route is the FIB entry the lookup matched (printed as such under `fibmatch`); none for 0.0.0.0, which no lookup sees. */
  readonly route?: Route;
  /**
   * type is the cached route's type: `local` for delivery to this host, `broadcast`, `multicast`,
   * or `unicast`; by default the matched route's type (a `local` route gives `local`).
   */
  readonly type?: 'unicast' | 'local' | 'broadcast' | 'multicast';
  /** dev is the output device's name (`lo` for a local destination). */
  readonly dev: string;
  readonly gateway?: Ipv4;
  /** prefsrc is the source address chosen (`src`); the kernel leaves it out when `from` was given. */
  readonly prefsrc?: Ipv4;
  /** from is the source address given with `ip route get ADDR from SRC`. */
  readonly from?: Ipv4;
  /** uid is the requesting user (0 for root); an input lookup (`iif`) prints none. */
  readonly uid?: number;
  /** iif is the input device of `ip route get ADDR from SRC iif DEV`: the cache line names it. */
  readonly iif?: string;
  /** fibmatch prints the matched FIB entry instead of the cached route (`ip route get fibmatch`). */
  readonly fibmatch?: boolean;
}

/** formatRouteGet prints the answer of `ip [-j] route get [fibmatch] ADDR [from SRC]`. */
export function formatRouteGet(k: KernelView, ns: string, res: RouteGetResult, opts: { readonly json?: boolean } = {}): string {
  const netns = netnsOf(k.world, ns);
  const type = res.type ?? (res.route?.type === 'local' ? 'local' : res.route?.type === 'broadcast' ? 'broadcast' : 'unicast');
  if (res.fibmatch && res.route !== undefined) {
    // The kernel reports the table the lookup used (local and main are one merged trie while no
    // rules are configured) and the type of the lookup's result, so a multicast or limited
    // broadcast destination matched by the default route prints `multicast default via …`.
    const r = res.route;
    const p: RoutePrint = { omitDev: false, showTable: true };
    const shown: Route = r.table === RouteTable.Local ? { ...r, table: RouteTable.Main } : r;
    const shownType = type === 'unicast' ? r.type : type;
    if (opts.json) return jsonDocument([routeJson(k, ns, netns, shown, p, shownType)]);
    return `${routeText(k, ns, netns, shown, p, shownType)}\n`;
  }
  const cache = type === 'local' ? ['local'] : type === 'broadcast' ? ['local', 'brd'] : type === 'multicast' ? ['mc'] : [];
  // RTCF_MULTICAST shares its bit with RTM_F_OFFLOAD_FAILED, so print_rt_flags names it.
  const flags = type === 'multicast' ? ['rt_offload_failed'] : [];
  const rt = res.route?.table;
  const table = rt !== undefined && rt !== RouteTable.Main && rt !== RouteTable.Local ? rt : undefined;
  const uid = res.uid ?? 0;
  if (opts.json) {
    const o: Record<string, JsonValue> = {};
    if (type !== 'unicast') o.type = type;
    o.dst = formatIpv4(res.dst);
    if (res.from !== undefined) o.from = formatIpv4(res.from);
    if (res.gateway !== undefined) o.gateway = formatIpv4(res.gateway);
    o.dev = res.dev;
    if (table !== undefined) o.table = tableName(table);
    if (res.prefsrc !== undefined) o.prefsrc = formatIpv4(res.prefsrc);
    o.flags = flags;
    o.uid = uid;
    o.cache = cache;
    return jsonDocument([o]);
  }
  let out = '';
  if (type !== 'unicast') out += `${type} `;
  out += `${formatIpv4(res.dst)} `;
  if (res.from !== undefined) out += `from ${formatIpv4(res.from)} `;
  if (res.gateway !== undefined) out += `via ${formatIpv4(res.gateway)} `;
  out += `dev ${res.dev} `;
  if (table !== undefined) out += `table ${tableName(table)} `;
  if (res.prefsrc !== undefined) out += `src ${formatIpv4(res.prefsrc)} `;
  for (const f of flags) out += `${f} `;
  if (res.iif === undefined) out += `uid ${uid} `;
  out += `\n    cache `;
  if (cache.length) out += `<${cache.join(',')}> `;
  if (res.iif !== undefined) out += `iif ${res.iif} `;
  return `${out}\n`;
}

// ---------------------------------------------------------------------------------------------
// ip neigh

/** NeighShowOptions selects what `ip neigh show` prints. */
export interface NeighShowOptions {
  /** dev keeps one device's entries and drops `dev NAME` from the lines. */
  readonly dev?: string;
  /** addr keeps the entry for one address (`ip neigh show ADDR`). */
  readonly addr?: Ipv4;
  /** nudAll is `nud all`: NOARP entries are shown too (they are hidden by default). */
  readonly nudAll?: boolean;
  /** json is `-j`. */
  readonly json?: boolean;
}

/** NUD_VALID states carry a link-layer address in the dump (NDA_LLADDR). */
const NUD_VALID: ReadonlySet<NudState> = new Set([
  NudState.Permanent,
  NudState.Noarp,
  NudState.Reachable,
  NudState.Probe,
  NudState.Stale,
  NudState.Delay,
]);

/**
 * formatIpNeigh prints `ip [-j] neigh [show] [dev NAME] [ADDR] [nud all]`. The kernel dumps its
 * hash table bucket by bucket (a per-boot random hash), so entries are printed in the world's order.
 */
export function formatIpNeigh(k: KernelView, ns: string, opts: NeighShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  let dev: number | undefined;
  if (opts.dev !== undefined) {
    const l = linkByName(netns, opts.dev);
    if (!l) throw new CommandError(`Cannot find device "${opts.dev}"\n`, 1);
    dev = l.ifindex;
  }
  const entries = [...netns.neigh.values()].filter(
    (e: NeighEntry) =>
      e.state !== 'NONE' &&
      (dev === undefined || e.dev === dev) &&
      (opts.addr === undefined || e.ip === opts.addr) &&
      (opts.nudAll || e.state !== NudState.Noarp),
  );
  const lladdrOf = (e: NeighEntry): string | undefined => (e.state !== 'NONE' && NUD_VALID.has(e.state) ? e.lladdr : undefined);
  if (opts.json) {
    return jsonDocument(
      entries.map((e) => {
        const o: Record<string, JsonValue> = { dst: formatIpv4(e.ip) };
        if (dev === undefined) o.dev = devName(netns, e.dev);
        const ll = lladdrOf(e);
        if (ll !== undefined) o.lladdr = ll;
        if (e.isRouter) o.router = null;
        o.state = [e.state];
        return o;
      }),
    );
  }
  let out = '';
  for (const e of entries) {
    out += `${formatIpv4(e.ip)} `;
    if (dev === undefined) out += `dev ${devName(netns, e.dev)} `;
    const ll = lladdrOf(e);
    if (ll !== undefined) out += `lladdr ${ll} `;
    if (e.isRouter) out += 'router ';
    out += `${e.state} \n`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ip netns, sysctl

/**
 * formatNetnsList prints `ip [-j] netns [list]` as run in namespace `ns`: every named namespace,
 * newest first (the order readdir returns them from /run/netns), with ` (id: N)` when `ns` has
 * assigned it an nsid.
 */
export function formatNetnsList(k: KernelView, ns: string, opts: { readonly json?: boolean } = {}): string {
  const here = k.world.namespaces.get(ns);
  const items: { name: string; id?: number }[] = [];
  const order = k.world.nsOrder;
  for (let i = order.length - 1; i >= 0; i--) {
    const key = order[i];
    const n = k.world.namespaces.get(key);
    if (n === undefined || n.name === INIT_NS || n.named === false) continue;
    items.push({ name: n.mountName ?? n.name, id: here?.nsids.get(key) });
  }
  if (opts.json) {
    return jsonDocument(items.map((i): JsonValue => (i.id === undefined ? { name: i.name } : { name: i.name, id: i.id })));
  }
  return items.map((i) => (i.id === undefined ? `${i.name}\n` : `${i.name} (id: ${i.id})\n`)).join('');
}
