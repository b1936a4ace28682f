// BIRD 1.6 as Calico ships it (projectcalico/bird v0.3.3-208, "BIRD v0.3.3+birdv1.6.8"): the
// replies of `show protocols [all]` (nest/proto.c proto_cmd_show, proto_show_basic_info,
// proto_show_stats; proto/bgp/bgp.c bgp_get_status, bgp_show_proto_info) and `show route [all]`
// (nest/rt-table.c rt_show_net, rt_show_rte, rt_format_via; nest/rt-attr.c rta_show, ea_show;
// proto/bgp/attrs.c bgp_get_route_info; nest/a-path.c; nest/a-set.c), as reply lines with their
// codes, and the order `show route` walks the table in (nest/rt-fib.c: by the 16-bit ip4_hash of
// the prefix address, then by insertion). Times follow the default timeformat `%T` / `%F` / 20 h.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import { formatBirdTime, padLeftNum, padRight, type BirdReplyLine, type BirdTimeFormat } from './cli.js';

/** BIRD1_VERSION is Calico's BIRD_VERSION (sysdep/config.h). */
export const BIRD1_VERSION = 'v0.3.3+birdv1.6.8';

/** BIRD1_TIMEFORMAT is conf.c's default tf_proto / tf_route. */
export const BIRD1_TIMEFORMAT: BirdTimeFormat = { fmt1: '%T', fmt2: '%F', limit: 20 * 3600 };

/** BirdClock is the daemon's notion of now and its local time offset from UTC, in seconds. */
export interface BirdClock {
  readonly now: number;
  readonly utcOffset?: number;
}

/** ProtoState is proto_state_name's result. */
export type ProtoState = 'up' | 'start' | 'down' | 'stop' | 'flush' | 'wait' | 'feed';

/** ProtoStats is struct proto_stats. */
export interface ProtoStats {
  readonly importedRoutes: number;
  readonly filteredRoutes?: number;
  readonly exportedRoutes: number;
  readonly preferredRoutes: number;
  readonly importUpdates: readonly [received: number, rejected: number, filtered: number, ignored: number, accepted: number];
  readonly importWithdraws: readonly [received: number, rejected: number, ignored: number, accepted: number];
  readonly exportUpdates: readonly [received: number, rejected: number, filtered: number, accepted: number];
  readonly exportWithdraws: readonly [received: number, accepted: number];
}

/** BgpStateName is bgp_state_dsc. */
export type BgpStateName = 'Down' | 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established' | 'Close' | 'Passive';

/** BgpErrorClass is bgp_err_classes, by name; `manual` (BE_MAN_DOWN) prints nothing and no Last error. */
export type BgpErrorClass = 'none' | 'misc' | 'socket' | 'received' | 'sent' | 'auto-down' | 'manual';

const ERR_CLASS_TEXT: Record<BgpErrorClass, string> = {
  none: '',
  misc: 'Error: ',
  socket: 'Socket: ',
  received: 'Received: ',
  sent: 'BGP Error: ',
  'auto-down': 'Automatic shutdown: ',
  manual: '',
};

/** BgpLastError is the last error of a session: its class and bgp_last_errmsg's text. */
export interface BgpLastError {
  readonly class: BgpErrorClass;
  /** message is e.g. `Connection refused`, `Connection closed`, `Hold timer expired`, `Neighbor lost`. */
  readonly message: string;
}

/** BgpTimer is `remaining/configured` as bgp_show_proto_info prints timers (whole seconds in 1.6). */
export interface BgpTimer {
  readonly remaining: number;
  readonly time: number;
}

/** Bird1BgpUp is what `show protocols all` shows of an established (PS_UP) session. */
export interface Bird1BgpUp {
  readonly neighborId: Ipv4;
  readonly neighborCaps: {
    readonly refresh?: boolean;
    readonly enhancedRefresh?: boolean;
    readonly restart?: 'able' | 'aware';
    readonly llgr?: 'able' | 'aware';
    readonly as4?: boolean;
    readonly addPathRx?: boolean;
    readonly addPathTx?: boolean;
    readonly extMessages?: boolean;
  };
  readonly session: {
    readonly internal: boolean;
    readonly multihop?: boolean;
    readonly routeReflector?: boolean;
    readonly routeServer?: boolean;
    readonly as4?: boolean;
    readonly addPathRx?: boolean;
    readonly addPathTx?: boolean;
    readonly extMessages?: boolean;
  };
  readonly sourceAddress: Ipv4;
  readonly routeLimit?: { readonly routes: number; readonly limit: number };
  readonly hold: BgpTimer;
  readonly keepalive: BgpTimer;
}

/** Bird1Bgp is the BGP-specific state of a protocol. */
export interface Bird1Bgp {
  readonly state: BgpStateName;
  readonly lastError?: BgpLastError;
  readonly neighborAddress: Ipv4;
  readonly neighborAs: number;
  readonly grActive?: boolean;
  /** restartTimer is `Restart timer:` (or `LL stale timer:` when llgr) remaining seconds while GR is active. */
  readonly restartTimer?: { readonly remaining: number; readonly llgr?: boolean };
  /** errorWait and connectDelay are shown while the protocol is starting. */
  readonly errorWait?: BgpTimer;
  readonly connectDelay?: BgpTimer;
  readonly up?: Bird1BgpUp;
}

/** Bird1Protocol is one protocol instance as `show protocols` sees it. */
export interface Bird1Protocol {
  readonly name: string;
  /** proto is the protocol class name: BGP, Kernel, Device, Direct, Static, Pipe, BFD. */
  readonly proto: string;
  readonly table: string;
  readonly state: ProtoState;
  /** lastStateChange is the epoch second of the last state change (the `since` column). */
  readonly lastStateChange: number;
  /** info is get_status's text for non-BGP protocols (empty for the core ones). */
  readonly info?: string;
  readonly description?: string;
  readonly message?: string;
  readonly routerId?: Ipv4;
  readonly preference: number;
  /** inputFilter and outputFilter are filter_name: ACCEPT, REJECT, (unnamed) or the filter's name. */
  readonly inputFilter: string;
  readonly outputFilter: string;
  /** stats are shown unless the protocol is down. */
  readonly stats?: ProtoStats;
  readonly bgp?: Bird1Bgp;
  /**
   * bgpLines are bgp_show_proto_info's lines after the basic info, from `  BGP state:` on, already
   * formatted (a live speaker renders them itself); `show protocols all` prints them when `bgp` is absent.
   */
  readonly bgpLines?: readonly string[];
}

/** bgpStatus is bgp_get_status: the `info` column of a BGP protocol. */
export function bgpStatus(protoDown: boolean, bgp: Pick<Bird1Bgp, 'state' | 'lastError'>): string {
  const e = bgp.lastError ?? { class: 'none', message: '' };
  const err = ERR_CLASS_TEXT[e.class] + (e.class === 'none' || e.class === 'manual' ? '' : e.message);
  return protoDown ? err : padRight(bgp.state, 14) + err;
}

function protocolInfo(p: Bird1Protocol): string {
  return p.bgp ? bgpStatus(p.state === 'down', p.bgp) : (p.info ?? '');
}

function statsLines(s: ProtoStats): BirdReplyLine[] {
  const l = (text: string): BirdReplyLine => ({ code: -1006, text });
  const c = (v: number): string => padLeftNum(v, 10);
  const out: BirdReplyLine[] = [];
  if (s.filteredRoutes !== undefined) {
    out.push(
      l(
        `  Routes:         ${s.importedRoutes} imported, ${s.filteredRoutes} filtered, ${s.exportedRoutes} exported, ${s.preferredRoutes} preferred`,
      ),
    );
  } else out.push(l(`  Routes:         ${s.importedRoutes} imported, ${s.exportedRoutes} exported, ${s.preferredRoutes} preferred`));
  out.push(l('  Route change stats:     received   rejected   filtered    ignored   accepted'));
  const [iu0, iu1, iu2, iu3, iu4] = s.importUpdates;
  out.push(l(`    Import updates:     ${c(iu0)} ${c(iu1)} ${c(iu2)} ${c(iu3)} ${c(iu4)}`));
  const [iw0, iw1, iw2, iw3] = s.importWithdraws;
  out.push(l(`    Import withdraws:   ${c(iw0)} ${c(iw1)}        --- ${c(iw2)} ${c(iw3)}`));
  const [eu0, eu1, eu2, eu3] = s.exportUpdates;
  out.push(l(`    Export updates:     ${c(eu0)} ${c(eu1)} ${c(eu2)}        --- ${c(eu3)}`));
  const [ew0, ew1] = s.exportWithdraws;
  out.push(l(`    Export withdraws:   ${c(ew0)}        ---        ---        --- ${c(ew1)}`));
  return out;
}

function basicInfo(p: Bird1Protocol): BirdReplyLine[] {
  const l = (text: string): BirdReplyLine => ({ code: -1006, text });
  const out = [l(`  Preference:     ${p.preference}`), l(`  Input filter:   ${p.inputFilter}`), l(`  Output filter:  ${p.outputFilter}`)];
  if (p.state !== 'down' && p.stats) out.push(...statsLines(p.stats));
  return out;
}

function flags(pairs: readonly (readonly [boolean | undefined, string])[]): string {
  return pairs.map(([on, s]) => (on ? s : '')).join('');
}

function bgpInfo(p: Bird1Protocol, b: Bird1Bgp): BirdReplyLine[] {
  const l = (text: string): BirdReplyLine => ({ code: -1006, text });
  const out = basicInfo(p);
  out.push(l(`  BGP state:          ${b.state}`));
  out.push(l(`    Neighbor address: ${formatIpv4(b.neighborAddress)}`));
  out.push(l(`    Neighbor AS:      ${b.neighborAs}`));
  if (b.grActive) out.push(l('    Neighbor graceful restart active'));
  if (b.grActive && b.restartTimer)
    out.push(l(`    ${padRight(b.restartTimer.llgr ? 'LL stale timer:' : 'Restart timer:', 15)}   ${b.restartTimer.remaining}/-`));
  if (p.state === 'start') {
    if (b.errorWait) out.push(l(`    Error wait:       ${b.errorWait.remaining}/${b.errorWait.time}`));
    if (b.connectDelay) out.push(l(`    Connect delay:    ${b.connectDelay.remaining}/${b.connectDelay.time}`));
  } else if (p.state === 'up' && b.up) {
    const u = b.up;
    const c = u.neighborCaps;
    out.push(l(`    Neighbor ID:      ${formatIpv4(u.neighborId)}`));
    out.push(
      l(
        '    Neighbor caps:   ' +
          flags([
            [c.refresh, ' refresh'],
            [c.enhancedRefresh, ' enhanced-refresh'],
          ]) +
          (c.restart === 'able' ? ' restart-able' : c.restart === 'aware' ? ' restart-aware' : '') +
          (c.llgr === 'able' ? ' llgr-able' : c.llgr === 'aware' ? ' llgr-aware' : '') +
          flags([
            [c.as4, ' AS4'],
            [c.addPathRx, ' add-path-rx'],
            [c.addPathTx, ' add-path-tx'],
            [c.extMessages, ' ext-messages'],
          ]),
      ),
    );
    const s = u.session;
    out.push(
      l(
        '    Session:          ' +
          (s.internal ? 'internal' : 'external') +
          flags([
            [s.multihop, ' multihop'],
            [s.routeReflector, ' route-reflector'],
            [s.routeServer, ' route-server'],
            [s.as4, ' AS4'],
            [s.addPathRx, ' add-path-rx'],
            [s.addPathTx, ' add-path-tx'],
            [s.extMessages, ' ext-messages'],
          ]),
      ),
    );
    out.push(l(`    Source address:   ${formatIpv4(u.sourceAddress)}`));
    if (u.routeLimit) out.push(l(`    Route limit:      ${u.routeLimit.routes}/${u.routeLimit.limit}`));
    out.push(l(`    Hold timer:       ${u.hold.remaining}/${u.hold.time}`));
    out.push(l(`    Keepalive timer:  ${u.keepalive.remaining}/${u.keepalive.time}`));
  }
  if (b.lastError && b.lastError.class !== 'none' && b.lastError.class !== 'manual') {
    out.push(l(`    Last error:       ${ERR_CLASS_TEXT[b.lastError.class]}${b.lastError.message}`));
  }
  return out;
}

/** BIRD1_PROTOCOLS_HEADER is the header proto_cmd_show prints before the first protocol. */
export const BIRD1_PROTOCOLS_HEADER = 'name     proto    table    state  since       info';

/** protocolRow is the `"%-8s %-8s %-8s %-5s  %-10s  %s"` line of one protocol. */
export function protocolRow(p: Bird1Protocol, clock: BirdClock): string {
  const since = formatBirdTime(BIRD1_TIMEFORMAT, p.lastStateChange, clock.now, clock.utcOffset);
  return `${padRight(p.name, 8)} ${padRight(p.proto, 8)} ${padRight(p.table, 8)} ${padRight(p.state, 5)}  ${padRight(since, 10)}  ${protocolInfo(p)}`;
}

/** ProtocolsQuery selects protocols: all of them, one by name, or a shell pattern (`"Mesh*"`). */
export type ProtocolsQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'pattern'; readonly pattern: string };

/** patmatch is lib/patmatch.c: `*` matches any run, `?` any one character. */
export function patmatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    's',
  );
  return re.test(s);
}

/**
 * showProtocols is `show protocols [all] [NAME | "PATTERN"]` in config order (proto_list).
 * A name that is no protocol gives `9002 NAME is not a protocol`; an empty match `8003 No protocols match`.
 */
export function showProtocols(
  protocols: readonly Bird1Protocol[],
  clock: BirdClock,
  verbose: boolean,
  query: ProtocolsQuery = { kind: 'all' },
): BirdReplyLine[] {
  let selected: readonly Bird1Protocol[];
  if (query.kind === 'name') {
    const p = protocols.find((x) => x.name === query.name);
    if (!p) return [{ code: 9002, text: `${query.name} is not a protocol` }];
    selected = [p];
  } else if (query.kind === 'pattern') selected = protocols.filter((p) => patmatch(query.pattern, p.name));
  else selected = protocols;
  if (selected.length === 0) return [{ code: 8003, text: 'No protocols match' }];
  const out: BirdReplyLine[] = [{ code: -2002, text: BIRD1_PROTOCOLS_HEADER }];
  for (const p of selected) {
    out.push({ code: -1002, text: protocolRow(p, clock) });
    if (verbose) {
      if (p.description) out.push({ code: -1006, text: `  Description:    ${p.description}` });
      if (p.message) out.push({ code: -1006, text: `  Message:        ${p.message}` });
      if (p.routerId !== undefined) out.push({ code: -1006, text: `  Router ID:      ${formatIpv4(p.routerId)}` });
      if (p.bgp) out.push(...bgpInfo(p, p.bgp));
      else out.push(...basicInfo(p), ...(p.bgpLines ?? []).map((text): BirdReplyLine => ({ code: -1006, text })));
      out.push({ code: -1006, text: '' });
    }
  }
  out.push({ code: 0, text: '' });
  return out;
}

// ---- routes ----

/** Bird1Dest is where a route goes (rta->dest with its gateway and interface). */
export type Bird1Dest =
  | { readonly type: 'router'; readonly gw: Ipv4; readonly iface: string }
  | { readonly type: 'device'; readonly iface: string }
  | { readonly type: 'blackhole' }
  | { readonly type: 'unreachable' }
  | { readonly type: 'prohibited' }
  | { readonly type: 'multipath'; readonly nexthops: readonly { readonly gw: Ipv4; readonly iface: string; readonly weight: number }[] };

/** BgpRouteInfo is what bgp_get_route_info shows after the preference. */
export interface BgpRouteInfo {
  readonly suppressed?: boolean;
  readonly stale?: boolean;
  /** igpMetric is set for routes with a recursive next hop: a metric, `unknown` (/?) or `unresolvable` (/-). */
  readonly igpMetric?: number | 'unknown' | 'unresolvable';
  /** asPath is the AS_PATH as segments (sequence or set); [] for an empty path. */
  readonly asPath: readonly AsPathSegment[];
  readonly origin: 'IGP' | 'EGP' | 'Incomplete';
}

/** AsPathSegment is one AS_PATH segment. */
export type AsPathSegment =
  | { readonly type: 'sequence'; readonly asns: readonly number[] }
  | { readonly type: 'set'; readonly asns: readonly number[] };

/** BirdAttribute is one `\t<Class>.<name>: <value>` line of `show route all`. */
export interface BirdAttribute {
  readonly name: string;
  readonly value: string;
}

/** Bird1Route is one rte of a network. */
export interface Bird1Route {
  readonly dest: Bird1Dest;
  /** protocol is the name of the protocol the route came from (`static1`, `Mesh_10_23_14_111`). */
  readonly protocol: string;
  readonly lastmod: number;
  /** from is printed as ` from X` when set and different from the gateway (BGP's neighbour). */
  readonly from?: Ipv4;
  readonly pref: number;
  readonly syncError?: boolean;
  readonly bgp?: BgpRouteInfo;
  /** source, cast and scope make the `\tType:` line: e.g. BGP unicast univ, static, inherit, device. */
  readonly source:
    | 'dummy'
    | 'static'
    | 'inherit'
    | 'device'
    | 'static-device'
    | 'redirect'
    | 'RIP'
    | 'OSPF'
    | 'OSPF-IA'
    | 'OSPF-E1'
    | 'OSPF-E2'
    | 'BGP'
    | 'pipe'
    | 'babel';
  readonly cast?: 'unicast' | 'broadcast' | 'multicast' | 'anycast';
  readonly scope?: 'host' | 'link' | 'site' | 'org' | 'univ';
  /** attributes are the extended attributes in id order (see bird1BgpAttributes, bird1KernelAttributes). */
  readonly attributes?: readonly BirdAttribute[];
}

/** Bird1Network is one network of the master table with its routes, best (primary) first. */
export interface Bird1Network {
  readonly prefix: Ipv4;
  readonly len: number;
  readonly routes: readonly Bird1Route[];
}

/** ip4Hash16 is 1.6's ip4_hash: the FIB bucket key of a prefix address. */
export function ip4Hash16(a: Ipv4): number {
  let x = a >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = (x ^ (x << 10)) >>> 0;
  return x & 0xffff;
}

/**
 * bird1FibOrder sorts networks given in insertion order into the order the FIB iterator visits
 * them: by ip4Hash16 of the address, ties in insertion order (fib_get assigns uids that way).
 */
export function bird1FibOrder<T extends { readonly prefix: Ipv4 }>(inserted: readonly T[]): T[] {
  return inserted
    .map((n, i) => ({ n, i, h: ip4Hash16(n.prefix) }))
    .sort((a, b) => a.h - b.h || a.i - b.i)
    .map((x) => x.n);
}

function formatVia(d: Bird1Dest): string {
  switch (d.type) {
    case 'router':
      return `via ${formatIpv4(d.gw)} on ${d.iface}`;
    case 'device':
      return `dev ${d.iface}`;
    default:
      return d.type;
  }
}

/** asPathLast is as_path_get_last: the origin AS when the path ends in a sequence. */
function asPathLast(path: readonly AsPathSegment[]): number | undefined {
  let found: number | undefined;
  for (const s of path) {
    if (s.asns.length === 0) continue;
    found = s.type === 'sequence' ? s.asns[s.asns.length - 1] : undefined;
  }
  return found;
}

/** formatAsPath is as_path_format: sequences as `1 2 3`, sets as `{4 5}`. */
export function formatAsPath(path: readonly AsPathSegment[]): string {
  let out = '';
  let sp = true;
  for (const s of path) {
    if (s.type === 'set') {
      if (!sp) out += ' ';
      out += '{';
      sp = false;
    }
    for (const a of s.asns) {
      if (!sp) out += ' ';
      out += String(a);
      sp = false;
    }
    if (s.type === 'set') {
      out += ' }';
      sp = false;
    }
  }
  return out;
}

/** bgpRouteInfo is bgp_get_route_info: ` (100/0) [AS64512i]`. */
export function bgpRouteInfo(pref: number, b: BgpRouteInfo): string {
  let s = ` (${pref}`;
  if (b.suppressed) s += '-';
  if (b.stale) s += 's';
  if (b.igpMetric !== undefined) s += b.igpMetric === 'unresolvable' ? '/-' : b.igpMetric === 'unknown' ? '/?' : `/${b.igpMetric}`;
  s += ') [';
  const last = asPathLast(b.asPath);
  if (last !== undefined) s += `AS${last}`;
  s += { IGP: 'i', EGP: 'e', Incomplete: '?' }[b.origin];
  return `${s}]`;
}

/** routeLine is rt_show_rte's `"%-18s %s [%s %s%s]%s%s"`; `ia` is empty after a net's first route. */
export function routeLine(ia: string, r: Bird1Route, primary: boolean, clock: BirdClock): string {
  const tm = formatBirdTime(BIRD1_TIMEFORMAT, r.lastmod, clock.now, clock.utcOffset);
  const gw = r.dest.type === 'router' ? r.dest.gw : undefined;
  const from = r.from !== undefined && r.from !== 0 && r.from !== gw ? ` from ${formatIpv4(r.from)}` : '';
  const mark = primary ? (r.syncError ? ' !' : ' *') : '';
  const info = r.bgp ? bgpRouteInfo(r.pref, r.bgp) : ` (${r.pref})`;
  return `${padRight(ia, 18)} ${formatVia(r.dest)} [${r.protocol} ${tm}${from}]${mark}${info}`;
}

/** RouteQuery is the subset of `show route` arguments modelled here. */
export interface RouteQuery {
  /** prefix shows one network exactly; `for` shows the longest match of an address. */
  readonly prefix?: { readonly addr: Ipv4; readonly len: number };
  readonly forAddr?: Ipv4;
  readonly verbose?: boolean;
  readonly primaryOnly?: boolean;
  readonly protocol?: string;
  /** stats is `count`: `N of M routes for K networks` instead of the routes. */
  readonly stats?: boolean;
}

function networkLines(
  n: Bird1Network,
  q: RouteQuery,
  clock: BirdClock,
  counters: { rt: number; net: number; show: number },
): BirdReplyLine[] {
  const out: BirdReplyLine[] = [];
  let ia = `${formatIpv4(n.prefix)}/${n.len}`;
  let first = true;
  for (let i = 0; i < n.routes.length; i++) {
    const r = n.routes[i];
    counters.rt++;
    if (first) counters.net++;
    first = false;
    if (!q.protocol || q.protocol === r.protocol) {
      counters.show++;
      if (!q.stats) {
        out.push({ code: -1007, text: routeLine(ia, r, i === 0, clock) });
        if (r.dest.type === 'multipath') {
          for (const nh of r.dest.nexthops)
            out.push({ code: -1007, text: `\tvia ${formatIpv4(nh.gw)} on ${nh.iface} weight ${nh.weight + 1}` });
        }
        if (q.verbose) {
          out.push({ code: -1008, text: `\tType: ${r.source} ${r.cast ?? 'unicast'} ${r.scope ?? 'univ'}` });
          for (const a of r.attributes ?? []) out.push({ code: -1012, text: `\t${a.name}: ${a.value}` });
        }
      }
      ia = '';
    }
    if (q.primaryOnly) break;
  }
  return out;
}

/**
 * showRoute is `show route [PREFIX | for ADDR] [all] [primary] [protocol P] [count]` over the
 * master table; `networks` must be in FIB order (see bird1FibOrder).
 */
export function showRoute(networks: readonly Bird1Network[], clock: BirdClock, q: RouteQuery = {}): BirdReplyLine[] {
  const counters = { rt: 0, net: 0, show: 0 };
  if (q.prefix !== undefined || q.forAddr !== undefined) {
    let n: Bird1Network | undefined;
    if (q.prefix) n = networks.find((x) => x.prefix === q.prefix!.addr && x.len === q.prefix!.len);
    else {
      const a = q.forAddr! >>> 0;
      for (let len = 32; len >= 0 && !n; len--) {
        const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
        n = networks.find((x) => x.len === len && x.prefix === (a & mask) >>> 0);
      }
    }
    const lines = n ? networkLines(n, q, clock, counters) : [];
    if (counters.rt === 0) return [{ code: 8001, text: 'Network not in table' }];
    return [...lines, { code: 0, text: '' }];
  }
  const lines: BirdReplyLine[] = [];
  for (const n of networks) lines.push(...networkLines(n, q, clock, counters));
  if (q.stats) lines.push({ code: 14, text: `${counters.show} of ${counters.rt} routes for ${counters.net} networks` });
  else lines.push({ code: 0, text: '' });
  return lines;
}

/** BgpAttributes are the BGP path attributes `show route all` lists, all optional but ORIGIN/AS_PATH/NEXT_HOP. */
export interface BgpAttributes {
  readonly origin: 'IGP' | 'EGP' | 'Incomplete';
  readonly asPath: readonly AsPathSegment[];
  readonly nextHop: Ipv4;
  readonly med?: number;
  readonly localPref?: number;
  readonly atomicAggregate?: boolean;
  readonly communities?: readonly (readonly [number, number])[];
  readonly originatorId?: Ipv4;
  readonly clusterList?: readonly Ipv4[];
}

/** bird1BgpAttributes lists BGP attributes in attribute-code order, as ea_show prints them in 1.6. */
export function bird1BgpAttributes(a: BgpAttributes): BirdAttribute[] {
  const out: BirdAttribute[] = [
    { name: 'BGP.origin', value: a.origin },
    { name: 'BGP.as_path', value: formatAsPath(a.asPath) },
    { name: 'BGP.next_hop', value: formatIpv4(a.nextHop) },
  ];
  if (a.med !== undefined) out.push({ name: 'BGP.med', value: String(a.med) });
  if (a.localPref !== undefined) out.push({ name: 'BGP.local_pref', value: String(a.localPref) });
  if (a.atomicAggregate) out.push({ name: 'BGP.atomic_aggr', value: '' });
  if (a.communities && a.communities.length > 0)
    out.push({ name: 'BGP.community', value: a.communities.map(([x, y]) => `(${x},${y})`).join(' ') });
  if (a.originatorId !== undefined) out.push({ name: 'BGP.originator_id', value: formatIpv4(a.originatorId) });
  if (a.clusterList && a.clusterList.length > 0) out.push({ name: 'BGP.cluster_list', value: a.clusterList.map(formatIpv4).join(' ') });
  return out;
}

/** KernelAttributes are what a route learned from the kernel carries (krt_make_tmp_attrs, nl_parse_route). */
export interface KernelAttributes {
  /** source is the kernel's rtm_protocol (3 = boot, Felix's routes). */
  readonly source: number;
  readonly metric: number;
  readonly prefsrc?: Ipv4;
  readonly realm?: number;
  /** scope is set when the route's scope differs from the default for its type. */
  readonly scope?: number;
}

/** bird1KernelAttributes lists a kernel route's attributes in id order (source, metric, prefsrc, realm, scope). */
export function bird1KernelAttributes(k: KernelAttributes): BirdAttribute[] {
  const out: BirdAttribute[] = [
    { name: 'Kernel.source', value: String(k.source) },
    { name: 'Kernel.metric', value: String(k.metric) },
  ];
  if (k.prefsrc !== undefined) out.push({ name: 'Kernel.prefsrc', value: formatIpv4(k.prefsrc) });
  if (k.realm !== undefined) out.push({ name: 'Kernel.realm', value: String(k.realm) });
  if (k.scope !== undefined) out.push({ name: 'Kernel.scope', value: String(k.scope) });
  return out;
}

/** showStatus1 is BIRD 1.6's `show status`; times use tf_base, `%F %T`. */
export function showStatus1(
  s: {
    readonly routerId: Ipv4;
    readonly bootTime: number;
    readonly loadTime: number;
    readonly state?: 'running' | 'shutdown' | 'reconfiguring';
  },
  clock: BirdClock,
): BirdReplyLine[] {
  const tf: BirdTimeFormat = { fmt1: '%F %T', fmt2: '%F %T', limit: 0 };
  const t = (x: number): string => formatBirdTime(tf, x, clock.now, clock.utcOffset);
  const last = { running: 'Daemon is up and running', shutdown: 'Shutdown in progress', reconfiguring: 'Reconfiguration in progress' }[
    s.state ?? 'running'
  ];
  return [
    { code: -1000, text: `BIRD ${BIRD1_VERSION}` },
    { code: -1011, text: `Router ID is ${formatIpv4(s.routerId)}` },
    { code: -1011, text: `Current server time is ${t(clock.now)}` },
    { code: -1011, text: `Last reboot on ${t(s.bootTime)}` },
    { code: -1011, text: `Last reconfiguration on ${t(s.loadTime)}` },
    { code: 13, text: last },
  ];
}
