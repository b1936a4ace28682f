// Prints what iproute2 6.1's `ip` prints (ip(8), ip-link(8), ip-address(8), ip-route(8),
// ip-neighbour(8), ip-netns(8)), following ip/ipaddress.c (print_linkinfo, print_addrinfo,
// print_linkinfo_brief, print_stats64), ip/iproute.c (print_route, print_cache_flags),
// ip/ipneigh.c (print_neigh), ip/ipnetns.c (netns_list), lib/utils.c (print_name_and_link) and
// lib/rt_names.c, byte for byte, trailing spaces included. Device state that the kernel derives
// (carrier, operstate, IFF_RUNNING) is derived here the way net/core/link_watch.c and
// net/core/dev.c do, from the world as it is now.

import { type Cidr, formatIpv4, type Ipv4 } from '../../model/addr.js';
import {
  INIT_NS,
  NudState,
  RouteScope,
  RouteTable,
  type IfAddr,
  type Link,
  type NeighEntry,
  type Netns,
  type PneighEntry,
  type Route,
  type WorldView,
} from '../../model/world.js';
import type { DriverRegistry } from '../../kernel/driver.js';
import { fibDump } from '../../kernel/fib.js';
import { linkByName, linkCarrier, linkNoarp, linkOperstate, linkRunning, linksInOrder } from '../../kernel/netns.js';
import { operstateColor, type Paint, paintWith } from './color.js';
import { type Inet6Address, inet6Addresses } from '../../kernel/ipv6.js';
import { formatLinkDetailsText, linkDetailsJson } from './details.js';
import { CommandError } from '../output.js';
import { jsonDocument, type JsonValue } from './json.js';
import { type LinkFilter, RT_PROTOS, RT_SCOPES } from '../ast.js';

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
  const driver = k.drivers.of(link);
  // print_link_flags: LOOPBACK, BROADCAST, POINTOPOINT, MULTICAST, NOARP, ALLMULTI, PROMISC, …, UP.
  flags.push(...driver.flags.filter((f) => f !== 'NOARP'));
  if (linkNoarp(driver, link)) flags.push('NOARP');
  if (link.promisc === true) flags.push('PROMISC');
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
  /** filter holds the selectors `up`, `master DEV` and `type KIND`. */
  readonly filter?: LinkFilter;
  /** oneline is `-o`: each device on one line, its line breaks printed as `\`. */
  readonly oneline?: boolean;
  /** color is `-c`. */
  readonly color?: boolean;
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
  /** stats is `-s`: each device's counters after its addresses. */
  readonly stats?: boolean;
  /** filter holds the selectors `up`, `master DEV`, `type KIND`, `label PATTERN` and `to PREFIX`. */
  readonly filter?: LinkFilter;
  /** oneline is `-o`: one line per address, `IFINDEX: DEV` first, without the device lines. */
  readonly oneline?: boolean;
  /** color is `-c`. */
  readonly color?: boolean;
}

/**
 * linkFilterKeeps is the device part of ipaddr_list_flush_or_save's filter: `up` (IFF_UP), `master DEV`
 * and `type KIND` (IFLA_INFO_KIND, or with `_slave` the master's IFLA_INFO_SLAVE_KIND).
 */
function linkFilterKeeps(k: KernelView, ns: string, netns: Netns, l: Link, f: LinkFilter | undefined): boolean {
  if (f === undefined) return true;
  if (f.up === true && !l.adminUp) return false;
  if (f.master !== undefined && (l.master === undefined || netns.links.get(l.master)?.name !== f.master)) return false;
  if (f.type !== undefined) {
    const d = k.drivers.of(l).details(k.world, ns, l);
    const want = f.type.endsWith('_slave') ? f.type.slice(0, -'_slave'.length) : null;
    if (want !== null ? d.slave?.infoSlaveKind !== want : d.kind?.infoKind !== f.type) return false;
  }
  return true;
}

/** fnmatch matches a label against a shell pattern (fnmatch(3) without flags: `*`, `?`, `[…]`). */
export function fnmatch(pattern: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(s);
}

/** addrFilterKeeps is the address part of the filter: `label PATTERN` and `to PREFIX`. */
export function addrFilterKeeps(a: IfAddr, f: LinkFilter | undefined): boolean {
  if (f === undefined) return true;
  if (f.label !== undefined && !fnmatch(f.label, a.label)) return false;
  if (f.to !== undefined && f.to.len > 0) {
    const mask = (0xffffffff << (32 - f.to.len)) >>> 0;
    if ((a.local & mask) >>> 0 !== (f.to.addr & mask) >>> 0) return false;
  }
  return true;
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
  /** paint colours names, addresses and states (`-c`). */
  readonly paint: Paint;
  /** linkLine says whether the `link/ether …` line is printed (not under `ip -4 addr`). */
  readonly linkLine: boolean;
  readonly stats: boolean;
  /** details is `-d`: the driver's attributes after the link line. */
  readonly details: boolean;
}

function detailsOf(k: KernelView, ns: string, netns: Netns, link: Link, p: LinkPrint) {
  const driverDetails = k.drivers.of(link).details(k.world, ns, link);
  // dev_set_promiscuity: `promisc on` is one more user of promiscuous mode.
  const d = link.promisc === true ? { ...driverDetails, promiscuity: driverDetails.promiscuity + 1 } : driverDetails;
  return { d, o: { doLink: p.doLink, ifName: (i: number) => devName(netns, i) } };
}

/** linkText prints print_linkinfo's lines for one device, without the final newline. */
function linkText(k: KernelView, ns: string, netns: Netns, link: Link, p: LinkPrint): string {
  const n = linkName(k, ns, link);
  const paint = p.paint;
  let out = `${link.ifindex}: ${paint('ifname', `${n.text}: `)}<${linkFlags(k, ns, link, n.mdown).join(',')}> `;
  out += `mtu ${link.mtu} qdisc ${qdiscOf(link)} `;
  if (link.master !== undefined) out += `master ${devName(netns, link.master)} `;
  const state = linkOperstate(k.world, k.drivers, ns, link);
  out += `state ${paint(operstateColor(state), `${state} `)}`;
  if (p.doLink) out += 'mode DEFAULT ';
  out += 'group default ';
  if (link.txqlen) out += `qlen ${link.txqlen}`;
  if (p.linkLine) {
    const ll = linkLayer(k, link);
    out += `\n    link/${ll.type} ${paint('mac', ll.address)} brd ${paint('mac', ll.broadcast)}`;
  }
  if (n.netnsName !== undefined) out += ` link-netns ${n.netnsName}`;
  else if (n.netnsid !== undefined) out += ` link-netnsid ${n.netnsid}`;
  if (p.details) {
    const { d, o } = detailsOf(k, ns, netns, link, p);
    out += formatLinkDetailsText(d, o);
  }
  if ((p.doLink || p.details) && link.alias !== undefined) out += `\n    alias ${link.alias}`;
  if (p.stats && p.doLink) out += `\n${statsLines(link)}`;
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
  if ((p.doLink || p.details) && link.alias !== undefined) o.ifalias = link.alias;
  if (p.stats && p.doLink) Object.assign(o, statsJson(link));
  return o;
}

/** addrFlags lists the address flags print_ifa_flags prints, in its order (IPv4 addresses are always permanent). */
function addrFlags(a: IfAddr): string[] {
  const flags: string[] = [];
  if (a.secondary) flags.push('secondary');
  if (a.noprefixroute === true) flags.push('noprefixroute');
  return flags;
}

/** peerText is print_addrinfo's ` peer ADDRESS` after the local address, when IFA_ADDRESS differs from it. */
function peerText(a: IfAddr, paint: Paint): string {
  return a.address !== undefined && a.address !== a.local ? ` peer ${paint('inet', formatIpv4(a.address))}` : '';
}

/** addrBriefJson is one `ip -br -j addr` entry: local, the peer as `address`, prefixlen, metric. */
function addrBriefJson(a: IfAddr, metric: boolean): Record<string, JsonValue> {
  return {
    local: formatIpv4(a.local),
    ...(a.address !== undefined && a.address !== a.local ? { address: formatIpv4(a.address) } : {}),
    prefixlen: a.prefixlen,
    ...(metric && a.metric ? { metric: a.metric } : {}),
  };
}

/** addrText prints one `inet` address and its lifetime line (print_addrinfo), newline included. */
export function addrText(a: IfAddr, paint: Paint = paintWith(false)): string {
  let out = `    inet ${paint('inet', formatIpv4(a.local))}${peerText(a, paint)}/${a.prefixlen} `;
  if (a.metric) out += `metric ${a.metric} `;
  // print_addrinfo colours the broadcast address together with the space after it ("%s ").
  if (a.broadcast !== undefined) out += `brd ${paint('inet', `${formatIpv4(a.broadcast)} `)}`;
  out += `scope ${scopeName(a.scope)} `;
  for (const f of addrFlags(a)) out += `${f} `;
  out += a.label;
  out += '\n       valid_lft forever preferred_lft forever\n';
  return out;
}

function addrJson(a: IfAddr): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { family: 'inet', ...addrBriefJson(a, false) };
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
function addr6Text(a: Inet6Address, paint: Paint = paintWith(false)): string {
  let out = `    inet6 ${paint('inet6', a.local)}/${a.prefixlen} scope ${scopeName(a.scope)} `;
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
function briefHead(k: KernelView, ns: string, link: Link, paint: Paint = paintWith(false)): string {
  const n = linkName(k, ns, link);
  const state = linkOperstate(k.world, k.drivers, ns, link);
  return `${paint('ifname', `${pad(n.text, 16)} `)}${paint(operstateColor(state), `${pad(state, 14)} `)}`;
}

/** oneline is what `-o` makes of a record: its inner line breaks become `\` (_SL_), the final one stays. */
function oneline(record: string, on: boolean | undefined): string {
  return on ? record.split('\n').join('\\') : record;
}

/** formatIpLink prints `ip [-br] [-j] [-s] link [show [dev] NAME]`. */
export function formatIpLink(k: KernelView, ns: string, opts: LinkShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  const links = selectLinks(netns, opts.dev).filter((l) => linkFilterKeeps(k, ns, netns, l, opts.filter));
  const paint = paintWith(opts.color === true && opts.json !== true);
  const p: LinkPrint = { doLink: true, paint, linkLine: true, stats: opts.stats ?? false, details: opts.details ?? false };
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
      out += `${briefHead(k, ns, l, paint)}${paint('mac', `${linkLayer(k, l).address} `)}<${linkFlags(k, ns, l, n.mdown).join(',')}> \n`;
    } else {
      out += `${oneline(linkText(k, ns, netns, l, p), opts.oneline)}\n`;
    }
  }
  return out;
}

/** formatIpAddr prints `ip [-4] [-br] [-j] address [show [dev] NAME]`: each link's IPv4 addresses, then (unless `-4`) its IPv6 ones. */
export function formatIpAddr(k: KernelView, ns: string, opts: AddrShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  const f = opts.filter;
  let links = selectLinks(netns, opts.dev).filter((l) => linkFilterKeeps(k, ns, netns, l, f));
  const addrFilter = f !== undefined && (f.label !== undefined || (f.to !== undefined && f.to.len > 0));
  const v4 = (l: Link): IfAddr[] => addrsOf(netns, l.ifindex).filter((a) => addrFilterKeeps(a, f));
  // ipaddr_filter: under -4 (or a label / prefix selector) only links with a matching IPv4 address are listed;
  // without a family (a bare `label`) a link with no address at all stays.
  const family = opts.inet === true || f?.to !== undefined;
  if (family || addrFilter)
    links = links.filter(
      (l) => v4(l).length > 0 || (!family && addrsOf(netns, l.ifindex).length === 0 && inet6Addresses(k.world, l).length === 0),
    );
  const labelOnly = f?.label !== undefined;
  const paint = paintWith(opts.color === true && opts.json !== true);
  // Under -d the link line is printed even by `ip -4 address`.
  const p: LinkPrint = {
    doLink: false,
    paint,
    // `to PREFIX` sets the filter's family to inet, as -4 does.
    linkLine: !(opts.inet || f?.to !== undefined) || opts.details === true,
    stats: opts.stats ?? false,
    details: opts.details ?? false,
  };
  const six = (l: Link): Inet6Address[] => (opts.inet || addrFilter || f?.to !== undefined ? [] : inet6Addresses(k.world, l));
  if (opts.json) {
    return jsonDocument(
      links.map((l) => {
        // Under `label` print_linkinfo fills in nothing: only the addresses are left.
        if (labelOnly)
          return {
            addr_info: v4(l).map((a): JsonValue => (opts.brief ? addrBriefJson(a, false) : addrJson(a))),
          };
        if (opts.brief) {
          const n = linkName(k, ns, l);
          const o: Record<string, JsonValue> = {};
          if (n.jsonLink) o[n.jsonLink.key] = n.jsonLink.value;
          o.ifname = l.name;
          o.operstate = linkOperstate(k.world, k.drivers, ns, l);
          o.addr_info = [
            ...v4(l).map((a): JsonValue => addrBriefJson(a, true)),
            ...six(l).map((a): JsonValue => ({ local: a.local, prefixlen: a.prefixlen })),
          ];
          return o;
        }
        const o = linkJson(k, ns, netns, l, p);
        o.addr_info = [...v4(l).map(addrJson), ...six(l).map(addr6Json)];
        if (p.stats) Object.assign(o, statsJson(l));
        return o;
      }),
    );
  }
  let out = '';
  for (const l of links) {
    const addrs = v4(l);
    if (opts.brief) {
      out +=
        (labelOnly ? '' : briefHead(k, ns, l, paint)) +
        addrs
          .map((a) => `${paint('inet', formatIpv4(a.local))}${peerText(a, paint)}/${a.prefixlen} ${a.metric ? `metric ${a.metric} ` : ''}`)
          .join('') +
        six(l)
          .map((a) => `${paint('inet6', a.local)}/${a.prefixlen} `)
          .join('') +
        '\n';
    } else if (opts.oneline) {
      // print_addrinfo under -o: `IFINDEX: DEV` before each address, no device lines.
      const head = `${l.ifindex}: ${l.name}`;
      for (const a of addrs) out += `${head}${oneline(addrText(a, paint).slice(0, -1), true)}\n`;
      for (const a of six(l)) out += `${head}${oneline(addr6Text(a, paint).slice(0, -1), true)}\n`;
    } else if (f?.label !== undefined) {
      // print_linkinfo prints nothing for a device under `label`: only the matching addresses show.
      out += addrs.map((a) => addrText(a, paint)).join('');
    } else {
      out += `${linkText(k, ns, netns, l, p)}\n${addrs.map((a) => addrText(a, paint)).join('')}${six(l)
        .map((a) => addr6Text(a, paint))
        .join('')}`;
      if (p.stats) out += `${statsLines(l)}\n`;
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
  /** details is `-d`. */
  readonly details?: boolean;
  /** filter keeps only the routes it accepts (the selectors of `ip route show`). */
  readonly filter?: (r: Route) => boolean;
  /**
   * omit names the fields print_route leaves out because the command filtered on one exact value: `scope S`,
   * `via IP` and `src IP` (a host prefix), `proto P` (text only, as iproute2 6.1 prints JSON).
   */
  readonly omit?: { readonly scope?: boolean; readonly gateway?: boolean; readonly prefsrc?: boolean; readonly proto?: boolean };
  /** color is `-c` (off under `-j`). */
  readonly color?: boolean;
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
  readonly omitScope?: boolean;
  readonly omitGateway?: boolean;
  readonly omitPrefsrc?: boolean;
  readonly omitProto?: boolean;
  /** paint colours addresses and device names (`-c`, print_color_string / print_rta_ifidx). */
  readonly paint?: Paint;
  /** details is `-d`: print_route names the type of a unicast route too. */
  readonly details?: boolean;
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
  // print_route colours the destination (not `default`), the gateway, the device and the source; the
  // space after each is inside the colour.
  const paint = p.paint ?? paintWith(false);
  let out = '';
  if (type !== 'unicast' || p.details === true) out += `${type} `;
  out += paint(r.dst.len === 0 ? null : 'inet', `${routeDst(r)} `);
  if (r.gateway !== undefined && !p.omitGateway) out += `via ${paint('inet', `${formatIpv4(r.gateway)} `)}`;
  if (r.dev !== undefined && !p.omitDev) out += `dev ${paint('ifname', `${devName(netns, r.dev)} `)}`;
  if (p.showTable && r.table !== RouteTable.Main) out += `table ${tableName(r.table)} `;
  // Under -d print_route also names `proto boot` and `scope global`.
  if ((r.proto !== 3 || p.details === true) && !p.omitProto) out += `proto ${protoName(r.proto)} `;
  if ((r.scope !== RouteScope.Universe || p.details === true) && !p.omitScope) out += `scope ${scopeName(r.scope)} `;
  if (r.prefsrc !== undefined && !p.omitPrefsrc) out += `src ${paint('inet', `${formatIpv4(r.prefsrc)} `)}`;
  if (r.metric) out += `metric ${r.metric} `;
  for (const f of routeFlags(k, ns, r)) out += `${f} `;
  // print_rta_metrics: RTAX_MTU, `lock` when RTAX_LOCK has its bit.
  if (r.mtu !== undefined) out += `mtu ${r.mtuLock ? 'lock ' : ''}${r.mtu} `;
  return out;
}

function routeJson(k: KernelView, ns: string, netns: Netns, r: Route, p: RoutePrint, type: string = r.type): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  if (type !== 'unicast' || p.details === true) o.type = type;
  o.dst = routeDst(r);
  if (r.gateway !== undefined && !p.omitGateway) o.gateway = formatIpv4(r.gateway);
  if (r.dev !== undefined && !p.omitDev) o.dev = devName(netns, r.dev);
  if (p.showTable && r.table !== RouteTable.Main) o.table = tableName(r.table);
  if (r.proto !== 3 || p.details === true) o.protocol = protoName(r.proto);
  if ((r.scope !== RouteScope.Universe || p.details === true) && !p.omitScope) o.scope = scopeName(r.scope);
  if (r.prefsrc !== undefined && !p.omitPrefsrc) o.prefsrc = formatIpv4(r.prefsrc);
  if (r.metric) o.metric = r.metric;
  o.flags = routeFlags(k, ns, r);
  if (r.mtu !== undefined) o.metrics = [{ mtu: r.mtu }];
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
  const p: RoutePrint = {
    omitDev: dev !== undefined,
    showTable: table === 'all',
    omitScope: opts.omit?.scope === true,
    omitGateway: opts.omit?.gateway === true,
    omitPrefsrc: opts.omit?.prefsrc === true,
    omitProto: opts.omit?.proto === true && opts.json !== true,
    paint: paintWith(opts.color === true && opts.json !== true),
    ...(opts.details === true ? { details: true } : {}),
  };
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
  /** redirect is RTCF_DOREDIRECT: a forwarded packet would leave by its input device and earn its sender a redirect. */
  readonly redirect?: boolean;
  /** redirected is RTCF_REDIRECTED: the route follows a redirect's exception, which ends in `expires` seconds. */
  readonly redirected?: boolean;
  readonly expires?: number;
  /** mtu is RTAX_MTU of the cached route (RTA_METRICS): a learnt path MTU while its exception lasts, else the route's `mtu`. */
  readonly mtu?: number;
  /** mtuLock is RTAX_LOCK's MTU bit (`mtu lock N`, text only). */
  readonly mtuLock?: boolean;
  /** local is RTCF_LOCAL on a unicast route: it leaves by lo (`oif lo` with no route through lo). */
  readonly local?: boolean;
}

/** formatRouteGet prints the answer of `ip [-j] route get [fibmatch] ADDR [from SRC]`. */
export function formatRouteGet(
  k: KernelView,
  ns: string,
  res: RouteGetResult,
  opts: { readonly json?: boolean; readonly color?: boolean } = {},
): string {
  const netns = netnsOf(k.world, ns);
  const paint = paintWith(opts.color === true && opts.json !== true);
  const type = res.type ?? (res.route?.type === 'local' ? 'local' : res.route?.type === 'broadcast' ? 'broadcast' : 'unicast');
  // The local and main tables are one trie until the first rule change unmerges them (fib_unmerge):
  // a lookup answered from local then reports the main table.
  const merged = netns.fib.rules === null;
  if (res.fibmatch && res.route !== undefined) {
    // The kernel reports the table the lookup used (local and main are one merged trie while no
    // rules are configured) and the type of the lookup's result, so a multicast or limited
    // broadcast destination matched by the default route prints `multicast default via …`.
    const r = res.route;
    const p: RoutePrint = { omitDev: false, showTable: true, paint };
    const shown: Route = r.table === RouteTable.Local && merged ? { ...r, table: RouteTable.Main } : r;
    const shownType = type === 'unicast' ? r.type : type;
    if (opts.json) return jsonDocument([routeJson(k, ns, netns, shown, p, shownType)]);
    return `${routeText(k, ns, netns, shown, p, shownType)}\n`;
  }
  // print_cache_flags' order: local, reject, mc, brd, …, redirected, redirect.
  const cache: string[] = [];
  if (type === 'local' || type === 'broadcast' || res.local === true) cache.push('local');
  if (type === 'multicast') cache.push('mc');
  if (type === 'broadcast') cache.push('brd');
  if (res.redirected === true) cache.push('redirected');
  if (res.redirect === true) cache.push('redirect');
  // RTCF_MULTICAST shares its bit with RTM_F_OFFLOAD_FAILED, so print_rt_flags names it.
  const flags = type === 'multicast' ? ['rt_offload_failed'] : [];
  const rt = res.route?.table;
  const table = rt !== undefined && rt !== RouteTable.Main && !(rt === RouteTable.Local && merged) ? rt : undefined;
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
    if (res.iif === undefined) o.uid = uid;
    o.cache = cache;
    if (res.expires !== undefined && res.expires > 0) o.expires = res.expires;
    if (res.mtu !== undefined) o.metrics = [{ mtu: res.mtu }];
    if (res.iif !== undefined) o.iif = res.iif;
    return jsonDocument([o]);
  }
  let out = '';
  if (type !== 'unicast') out += `${type} `;
  out += paint('inet', `${formatIpv4(res.dst)} `);
  if (res.from !== undefined) out += paint('inet', `from ${formatIpv4(res.from)} `);
  if (res.gateway !== undefined) out += `via ${paint('inet', `${formatIpv4(res.gateway)} `)}`;
  out += `dev ${paint('ifname', `${res.dev} `)}`;
  if (table !== undefined) out += `table ${tableName(table)} `;
  if (res.prefsrc !== undefined) out += `src ${paint('inet', `${formatIpv4(res.prefsrc)} `)}`;
  for (const f of flags) out += `${f} `;
  if (res.iif === undefined) out += `uid ${uid} `;
  out += `\n    cache `;
  if (cache.length) out += `<${cache.join(',')}> `;
  if (res.expires !== undefined && res.expires > 0) out += `expires ${res.expires}sec `;
  if (res.mtu !== undefined) out += `mtu ${res.mtuLock === true ? 'lock ' : ''}${res.mtu} `;
  if (res.iif !== undefined) out += `iif ${paint('ifname', `${res.iif} `)}`;
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
  /** prefix keeps the entries inside a prefix (`ip neigh show to PREFIX`). */
  readonly prefix?: Cidr;
  /** nudAll is `nud all`: NOARP entries are shown too (they are hidden by default). */
  readonly nudAll?: boolean;
  /** state is do_show_or_flush's state mask (NUD_* bits, 0x100 for NUD_NONE); it overrides nudAll. */
  readonly state?: number;
  /** proxy is `proxy`: the proxy entries instead of the neighbours. */
  readonly proxy?: boolean;
  /** json is `-j`. */
  readonly json?: boolean;
  /** color is `-c`. */
  readonly color?: boolean;
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

/** NUD_BIT is each state's bit in include/uapi/linux/neighbour.h (NUD_NONE is 0). */
const NUD_BIT: ReadonlyMap<NudState | 'NONE', number> = new Map<NudState | 'NONE', number>([
  ['NONE', 0],
  [NudState.Incomplete, 0x01],
  [NudState.Reachable, 0x02],
  [NudState.Stale, 0x04],
  [NudState.Delay, 0x08],
  [NudState.Probe, 0x10],
  [NudState.Failed, 0x20],
  [NudState.Noarp, 0x40],
  [NudState.Permanent, 0x80],
]);

/** neighStateShown is print_neigh's state test: a state bit in the mask, or NUD_NONE when the mask has 0x100. */
export function neighStateShown(state: NudState | 'NONE', mask: number): boolean {
  const bit = NUD_BIT.get(state) ?? 0;
  return bit === 0 ? (mask & 0x100) !== 0 : (mask & bit) !== 0;
}

/** pneighHash is pneigh_hash for an IPv4 key: its last four bytes read as a little-endian word, folded to 4 bits. */
export function pneighHash(ip: Ipv4): number {
  let h = ((ip & 0xff) << 24) | (((ip >>> 8) & 0xff) << 16) | (((ip >>> 16) & 0xff) << 8) | (ip >>> 24);
  h >>>= 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = (h ^ (h >>> 8)) >>> 0;
  h = (h ^ (h >>> 4)) >>> 0;
  return h & 0xf;
}

/** pneighDumpOrder lists the proxy entries as pneigh_dump_table walks them: bucket by bucket, newest first. */
export function pneighDumpOrder(netns: Netns): PneighEntry[] {
  // Entries of a device that is gone went with it (neigh_ifdown on unregister).
  const all = [...(netns.pneigh?.values() ?? [])].filter((e) => netns.links.has(e.dev)).reverse();
  return all
    .map((e, i) => ({ e, i, h: pneighHash(e.ip) }))
    .sort((a, b) => a.h - b.h || a.i - b.i)
    .map((x) => x.e);
}

/** neighSelected lists the entries `ip neigh show|flush` selects, in the world's order. */
export function neighSelected(netns: Netns, dev: number | undefined, opts: NeighShowOptions): NeighEntry[] {
  const mask = opts.state ?? (opts.nudAll ? ~0 : 0xff & ~0x40);
  const pfx = opts.prefix;
  const pmask = pfx === undefined || pfx.len === 0 ? 0 : (0xffffffff << (32 - pfx.len)) >>> 0;
  return [...netns.neigh.values()].filter(
    (e: NeighEntry) =>
      (dev === undefined || e.dev === dev) &&
      (opts.addr === undefined || e.ip === opts.addr) &&
      (pfx === undefined || (e.ip & pmask) >>> 0 === (pfx.addr & pmask) >>> 0) &&
      neighStateShown(e.state, mask),
  );
}

/** neighLine prints one entry as print_neigh does (text, `dev` left out under a device filter), newline included. */
export function neighLine(netns: Netns, e: NeighEntry, showDev: boolean, paint: Paint = paintWith(false)): string {
  let out = paint('inet', `${formatIpv4(e.ip)} `);
  if (showDev) out += `dev ${paint('ifname', `${devName(netns, e.dev)} `)}`;
  const ll = e.state !== 'NONE' && NUD_VALID.has(e.state) ? e.lladdr : undefined;
  if (ll !== undefined) out += `lladdr ${paint('mac', `${ll} `)}`;
  if (e.isRouter) out += 'router ';
  if (e.state !== 'NONE') out += `${e.state} `;
  return `${out}\n`;
}

/**
 * formatIpNeigh prints `ip [-j] neigh [show] [proxy] [dev NAME] [to PREFIX] [nud STATE…]`. The kernel dumps its
 * hash table bucket by bucket (a per-boot random hash), so entries are printed in the world's order; proxy
 * entries come from pneigh's fixed hash (pneighDumpOrder).
 */
export function formatIpNeigh(k: KernelView, ns: string, opts: NeighShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  let dev: number | undefined;
  if (opts.dev !== undefined) {
    const l = linkByName(netns, opts.dev);
    if (!l) throw new CommandError(`Cannot find device "${opts.dev}"\n`, 1);
    dev = l.ifindex;
  }
  const paint = paintWith(opts.color === true && opts.json !== true);
  if (opts.proxy) {
    const pfx = opts.prefix;
    const pmask = pfx === undefined || pfx.len === 0 ? 0 : (0xffffffff << (32 - pfx.len)) >>> 0;
    const rows = pneighDumpOrder(netns).filter(
      (e) =>
        (dev === undefined || e.dev === dev) &&
        (opts.addr === undefined || e.ip === opts.addr) &&
        (pfx === undefined || (e.ip & pmask) >>> 0 === (pfx.addr & pmask) >>> 0),
    );
    if (opts.json)
      return jsonDocument(
        rows.map(
          (e): JsonValue =>
            dev === undefined ? { dst: formatIpv4(e.ip), dev: devName(netns, e.dev), proxy: null } : { dst: formatIpv4(e.ip), proxy: null },
        ),
      );
    return rows.map((e) => `${pneighLine(netns, e, dev === undefined, paint)}`).join('');
  }
  const entries = neighSelected(netns, dev, opts);
  if (opts.json) {
    return jsonDocument(
      entries.map((e) => {
        const o: Record<string, JsonValue> = { dst: formatIpv4(e.ip) };
        if (dev === undefined) o.dev = devName(netns, e.dev);
        const ll = e.state !== 'NONE' && NUD_VALID.has(e.state) ? e.lladdr : undefined;
        if (ll !== undefined) o.lladdr = ll;
        if (e.isRouter) o.router = null;
        if (e.state !== 'NONE') o.state = [e.state];
        return o;
      }),
    );
  }
  return entries.map((e) => neighLine(netns, e, dev === undefined, paint)).join('');
}

/** pneighLine prints one proxy entry (`ADDR dev DEV proxy `), newline included. */
export function pneighLine(netns: Netns, e: PneighEntry, showDev: boolean, paint: Paint = paintWith(false)): string {
  let out = paint('inet', `${formatIpv4(e.ip)} `);
  if (showDev) out += `dev ${paint('ifname', `${devName(netns, e.dev)} `)}`;
  return `${out}proxy \n`;
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
