// BIRD 2.0.12 (CZ-NIC/bird v2.0.12, Debian 12's bird2 package): `show protocols [all]`
// (nest/proto.c proto_cmd_show, channel_show_info, channel_show_stats; proto/bgp/bgp.c
// bgp_get_status, bgp_show_proto_info, bgp_show_capabilities) and `show route [all]`
// (nest/rt-show.c rt_show_rte, rt_show_table; nest/rt-attr.c rta_show; proto/bgp/attrs.c
// bgp_get_route_info), with the FIB walk order of nest/rt-fib.c (by net_hash_ip4, the newest first
// among equal hashes). Times use TM_ISO_SHORT_MS: `%T.%3f` under 20 hours, else `%F`.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import {
  bgpStatus,
  formatAsPath,
  type AsPathSegment,
  type BgpLastError,
  type BgpStateName,
  type BirdAttribute,
  type BirdClock,
  type ProtoStats,
  type ProtocolsQuery,
  patmatch,
} from './bird1.js';
import { formatBirdTime, padLeftNum, padRight, type BirdReplyLine, type BirdTimeFormat } from './cli.js';

/** BIRD2_VERSION is the version the installed BIRD 2 reports. */
export const BIRD2_VERSION = '2.0.12';

/** BIRD2_TIMEFORMAT is TM_ISO_SHORT_MS, the default tf_proto / tf_route of 2.0. */
export const BIRD2_TIMEFORMAT: BirdTimeFormat = { fmt1: '%T.%3f', fmt2: '%F', limit: 20 * 3600 };

/** Bird2Channel is one channel of a protocol (channel_show_info) with BGP's extra lines. */
export interface Bird2Channel {
  readonly name: string;
  readonly state: 'DOWN' | 'START' | 'UP' | 'FLUSHING';
  readonly table: string;
  readonly preference: number;
  readonly inputFilter: string;
  readonly outputFilter: string;
  readonly stats?: ProtoStats;
  /** bgpNextHop is `BGP Next hop:` (shown when the channel is UP), with the link address if any. */
  readonly bgpNextHop?: { readonly addr: Ipv4; readonly link?: string };
  readonly igpTableIp4?: string;
  readonly igpTableIp6?: string;
  readonly baseTable?: string;
}

/** BgpCapabilities is the capability set bgp_show_capabilities lists (AFs by name, e.g. `ipv4`). */
export interface BgpCapabilities {
  readonly multiprotocol?: readonly string[];
  readonly routeRefresh?: boolean;
  readonly extendedNextHop?: readonly string[];
  readonly extendedMessage?: boolean;
  readonly gracefulRestartAware?: boolean;
  readonly gracefulRestart?: {
    readonly time: number;
    readonly restartRecovery?: boolean;
    readonly supported: readonly string[];
    readonly preserved: readonly string[];
  };
  readonly as4?: boolean;
  readonly addPath?: { readonly rx: readonly string[]; readonly tx: readonly string[] };
  readonly enhancedRefresh?: boolean;
  readonly llgrAware?: boolean;
  readonly llgr?: { readonly staleTime: number; readonly supported: readonly string[]; readonly preserved: readonly string[] };
  readonly hostname?: string;
  readonly role?: string;
}

/** Bird2Timer is `%t/%u`: remaining time in microseconds, configured time in seconds. */
export interface Bird2Timer {
  readonly remainingUs: number;
  readonly time: number;
}

/** Bird2Bgp is the BGP state `show protocols all` shows. */
export interface Bird2Bgp {
  readonly state: BgpStateName;
  readonly lastError?: BgpLastError;
  readonly neighborAddress: Ipv4;
  readonly neighborPort?: number;
  readonly neighborAs: number;
  readonly localAs: number;
  readonly grActive?: boolean;
  readonly errorWait?: Bird2Timer;
  readonly connectDelay?: Bird2Timer;
  readonly restartTimerUs?: number;
  readonly up?: {
    readonly neighborId: Ipv4;
    readonly localCaps: BgpCapabilities;
    readonly neighborCaps: BgpCapabilities;
    readonly session: {
      readonly internal: boolean;
      readonly multihop?: boolean;
      readonly routeReflector?: boolean;
      readonly routeServer?: boolean;
      readonly as4?: boolean;
    };
    readonly sourceAddress: Ipv4;
    readonly hold: Bird2Timer;
    readonly keepalive: Bird2Timer;
  };
}

/** Bird2Protocol is one protocol instance. `table` is the main channel's table or `---`. */
export interface Bird2Protocol {
  readonly name: string;
  readonly proto: string;
  readonly table: string;
  readonly state: 'up' | 'start' | 'down' | 'stop' | 'flush' | 'wait' | 'feed';
  /** lastStateChange is the epoch time in seconds (fractions kept, for the milliseconds). */
  readonly lastStateChange: number;
  readonly info?: string;
  readonly description?: string;
  readonly message?: string;
  readonly routerId?: Ipv4;
  readonly channels: readonly Bird2Channel[];
  readonly bgp?: Bird2Bgp;
}

/** formatBirdSeconds is bsprintf's `%t`: seconds with three decimals, truncated. */
export function formatBirdSeconds(us: number): string {
  const t = Math.trunc(us);
  const s = Math.trunc(t / 1e6);
  const frac = Math.trunc(Math.abs(t % 1e6) / 1000);
  return `${t < 0 && s === 0 ? '-' : ''}${s}.${String(frac).padStart(3, '0')}`;
}

const line = (text: string): BirdReplyLine => ({ code: -1006, text });

function channelLines(c: Bird2Channel): BirdReplyLine[] {
  const out = [
    line(`  Channel ${c.name}`),
    line(`    State:          ${c.state}`),
    line(`    Table:          ${c.table}`),
    line(`    Preference:     ${c.preference}`),
    line(`    Input filter:   ${c.inputFilter}`),
    line(`    Output filter:  ${c.outputFilter}`),
  ];
  if (c.state !== 'DOWN' && c.stats) {
    const s = c.stats;
    const n = (v: number): string => padLeftNum(v, 10);
    if (s.filteredRoutes !== undefined)
      out.push(
        line(
          `    Routes:         ${s.importedRoutes} imported, ${s.filteredRoutes} filtered, ${s.exportedRoutes} exported, ${s.preferredRoutes} preferred`,
        ),
      );
    else out.push(line(`    Routes:         ${s.importedRoutes} imported, ${s.exportedRoutes} exported, ${s.preferredRoutes} preferred`));
    out.push(line('    Route change stats:     received   rejected   filtered    ignored   accepted'));
    out.push(line(`      Import updates:     ${s.importUpdates.map(n).join(' ')}`));
    const [iw0, iw1, iw2, iw3] = s.importWithdraws;
    out.push(line(`      Import withdraws:   ${n(iw0)} ${n(iw1)}        --- ${n(iw2)} ${n(iw3)}`));
    const [eu0, eu1, eu2, eu3] = s.exportUpdates;
    out.push(line(`      Export updates:     ${n(eu0)} ${n(eu1)} ${n(eu2)}        --- ${n(eu3)}`));
    const [ew0, ew1] = s.exportWithdraws;
    out.push(line(`      Export withdraws:   ${n(ew0)}        ---        ---        --- ${n(ew1)}`));
  }
  return out;
}

function capabilityLines(c: BgpCapabilities): BirdReplyLine[] {
  const out: BirdReplyLine[] = [];
  const afis = (label: string, list: readonly string[]): BirdReplyLine => line(label + list.map((a) => ` ${a}`).join(''));
  if (c.multiprotocol && c.multiprotocol.length > 0) {
    out.push(line('      Multiprotocol'));
    out.push(afis('        AF announced:', c.multiprotocol));
  }
  if (c.routeRefresh) out.push(line('      Route refresh'));
  if (c.extendedNextHop && c.extendedNextHop.length > 0) {
    out.push(line('      Extended next hop'));
    out.push(afis('        IPv6 nexthop:', c.extendedNextHop));
  }
  if (c.extendedMessage) out.push(line('      Extended message'));
  if (c.gracefulRestartAware) out.push(line('      Graceful restart'));
  if (c.gracefulRestart) {
    out.push(line(`        Restart time: ${c.gracefulRestart.time}`));
    if (c.gracefulRestart.restartRecovery) out.push(line('        Restart recovery'));
    out.push(afis('        AF supported:', c.gracefulRestart.supported));
    out.push(afis('        AF preserved:', c.gracefulRestart.preserved));
  }
  if (c.as4) out.push(line('      4-octet AS numbers'));
  if (c.addPath) {
    out.push(line('      ADD-PATH'));
    out.push(afis('        RX:', c.addPath.rx));
    out.push(afis('        TX:', c.addPath.tx));
  }
  if (c.enhancedRefresh) out.push(line('      Enhanced refresh'));
  if (c.llgrAware) out.push(line('      Long-lived graceful restart'));
  if (c.llgr) {
    out.push(line(`        LL stale time: ${c.llgr.staleTime}`));
    out.push(afis('        AF supported:', c.llgr.supported));
    out.push(afis('        AF preserved:', c.llgr.preserved));
  }
  if (c.hostname) out.push(line(`      Hostname: ${c.hostname}`));
  if (c.role) out.push(line(`      Role: ${c.role}`));
  return out;
}

const ERR_TEXT: Record<string, string> = {
  none: '',
  misc: 'Error: ',
  socket: 'Socket: ',
  received: 'Received: ',
  sent: 'BGP Error: ',
  'auto-down': 'Automatic shutdown: ',
  manual: '',
};

function bgpLines(p: Bird2Protocol, b: Bird2Bgp): BirdReplyLine[] {
  const out = [line(`  BGP state:          ${b.state}`), line(`    Neighbor address: ${formatIpv4(b.neighborAddress)}`)];
  if (b.neighborPort !== undefined && b.neighborPort !== 179) out.push(line(`    Neighbor port:    ${b.neighborPort}`));
  out.push(line(`    Neighbor AS:      ${b.neighborAs}`));
  out.push(line(`    Local AS:         ${b.localAs}`));
  if (b.grActive) out.push(line('    Neighbor graceful restart active'));
  if (p.state === 'start') {
    if (b.errorWait) out.push(line(`    Error wait:       ${formatBirdSeconds(b.errorWait.remainingUs)}/${b.errorWait.time}`));
    if (b.connectDelay) out.push(line(`    Connect delay:    ${formatBirdSeconds(b.connectDelay.remainingUs)}/${b.connectDelay.time}`));
    if (b.grActive && b.restartTimerUs !== undefined) out.push(line(`    Restart timer:    ${formatBirdSeconds(b.restartTimerUs)}/-`));
  } else if (p.state === 'up' && b.up) {
    const u = b.up;
    out.push(line(`    Neighbor ID:      ${formatIpv4(u.neighborId)}`));
    out.push(line('    Local capabilities'));
    out.push(...capabilityLines(u.localCaps));
    out.push(line('    Neighbor capabilities'));
    out.push(...capabilityLines(u.neighborCaps));
    const s = u.session;
    out.push(
      line(
        `    Session:          ${s.internal ? 'internal' : 'external'}${s.multihop ? ' multihop' : ''}${s.routeReflector ? ' route-reflector' : ''}${s.routeServer ? ' route-server' : ''}${s.as4 ? ' AS4' : ''}`,
      ),
    );
    out.push(line(`    Source address:   ${formatIpv4(u.sourceAddress)}`));
    out.push(line(`    Hold timer:       ${formatBirdSeconds(u.hold.remainingUs)}/${u.hold.time}`));
    out.push(line(`    Keepalive timer:  ${formatBirdSeconds(u.keepalive.remainingUs)}/${u.keepalive.time}`));
  }
  if (b.lastError && b.lastError.class !== 'none' && b.lastError.class !== 'manual') {
    out.push(line(`    Last error:       ${ERR_TEXT[b.lastError.class]}${b.lastError.message}`));
  }
  for (const c of p.channels) {
    out.push(...channelLines(c));
    if (c.state === 'UP' && c.bgpNextHop) {
      out.push(line(`    BGP Next hop:   ${formatIpv4(c.bgpNextHop.addr)}${c.bgpNextHop.link ? ` ${c.bgpNextHop.link}` : ''}`));
    }
    if (c.igpTableIp4) out.push(line(`    IGP IPv4 table: ${c.igpTableIp4}`));
    if (c.igpTableIp6) out.push(line(`    IGP IPv6 table: ${c.igpTableIp6}`));
    if (c.baseTable) out.push(line(`    Base table:     ${c.baseTable}`));
  }
  return out;
}

/** protocolRow2 is proto_cmd_show's `"%-10s %-10s %-10s %-6s %-12s  %s"` line. */
export function protocolRow2(p: Bird2Protocol, clock: BirdClock): string {
  const since = formatBirdTime(BIRD2_TIMEFORMAT, p.lastStateChange, clock.now, clock.utcOffset);
  const info = p.bgp ? bgpStatus(p.state === 'down', p.bgp) : (p.info ?? '');
  return `${padRight(p.name, 10)} ${padRight(p.proto, 10)} ${padRight(p.table, 10)} ${padRight(p.state, 6)} ${padRight(since, 12)}  ${info}`;
}

/** BIRD2_PROTOCOLS_HEADER is the header line of `show protocols`. */
export const BIRD2_PROTOCOLS_HEADER = 'Name       Proto      Table      State  Since         Info';

/**
 * showProtocols2 is `show protocols [all] [NAME | "PATTERN"]`. An unknown name is a parse error
 * in 2.0 (the grammar wants a known symbol), reported as BIRD 2.0.12 does.
 */
export function showProtocols2(
  protocols: readonly Bird2Protocol[],
  clock: BirdClock,
  verbose: boolean,
  query: ProtocolsQuery = { kind: 'all' },
): BirdReplyLine[] {
  let selected: readonly Bird2Protocol[];
  if (query.kind === 'name') {
    const p = protocols.find((x) => x.name === query.name);
    if (!p) return [{ code: 9001, text: 'syntax error, unexpected CF_SYM_UNDEFINED, expecting END or CF_SYM_KNOWN or TEXT or ALL' }];
    selected = [p];
  } else if (query.kind === 'pattern') selected = protocols.filter((p) => patmatch(query.pattern, p.name));
  else selected = protocols;
  if (selected.length === 0) return [{ code: 8003, text: 'No protocols match' }];
  const out: BirdReplyLine[] = [{ code: -2002, text: BIRD2_PROTOCOLS_HEADER }];
  for (const p of selected) {
    out.push({ code: -1002, text: protocolRow2(p, clock) });
    if (!verbose) continue;
    if (p.description) out.push(line(`  Description:    ${p.description}`));
    if (p.message) out.push(line(`  Message:        ${p.message}`));
    if (p.routerId !== undefined) out.push(line(`  Router ID:      ${formatIpv4(p.routerId)}`));
    if (p.bgp) out.push(...bgpLines(p, p.bgp));
    else for (const c of p.channels) out.push(...channelLines(c));
    out.push(line(''));
  }
  out.push({ code: 0, text: '' });
  return out;
}

// ---- routes ----

/** Bird2Nexthop is one next hop of a unicast route. */
export interface Bird2Nexthop {
  readonly gw?: Ipv4;
  readonly iface: string;
  readonly onlink?: boolean;
  readonly weight?: number;
}

/** Bird2Route is one rte. */
export interface Bird2Route {
  readonly dest: 'unicast' | 'blackhole' | 'unreachable' | 'prohibited';
  readonly nexthops?: readonly Bird2Nexthop[];
  readonly protocol: string;
  readonly lastmod: number;
  readonly from?: Ipv4;
  readonly pref: number;
  readonly syncError?: boolean;
  readonly bgp?: {
    readonly suppressed?: boolean;
    readonly stale?: boolean;
    readonly igpMetric?: number | 'unknown' | 'unresolvable';
    readonly asPath: readonly AsPathSegment[];
    readonly origin: 'IGP' | 'EGP' | 'Incomplete';
  };
  /** source and scope make `\tType: <source> <scope>`: static, inherit, device, BGP ... and univ, link ... */
  readonly source: string;
  readonly scope?: string;
  readonly attributes?: readonly BirdAttribute[];
}

/** Bird2Network is one network with its routes, best first. */
export interface Bird2Network {
  readonly prefix: Ipv4;
  readonly len: number;
  readonly routes: readonly Bird2Route[];
}

/** netHashIp4 is BIRD 2's net_hash_ip4: u32_hash(addr) ^ (pxlen << 26). */
export function netHashIp4(prefix: Ipv4, len: number): number {
  return (Number((BigInt(prefix >>> 0) * 2902958171n) & 0xffffffffn) ^ ((len << 26) >>> 0)) >>> 0;
}

/** bird2FibOrder sorts networks given in insertion order into FIB walk order (equal hashes: newest first). */
export function bird2FibOrder<T extends { readonly prefix: Ipv4; readonly len: number }>(inserted: readonly T[]): T[] {
  return inserted
    .map((n, i) => ({ n, i, h: netHashIp4(n.prefix, n.len) }))
    .sort((a, b) => a.h - b.h || b.i - a.i)
    .map((x) => x.n);
}

function routeInfo2(r: Bird2Route): string {
  if (!r.bgp) return ` (${r.pref})`;
  const b = r.bgp;
  let s = ` (${r.pref}`;
  if (b.suppressed) s += '-';
  if (b.stale) s += 's';
  if (b.igpMetric !== undefined && b.igpMetric !== 0)
    s += b.igpMetric === 'unresolvable' ? '/-' : b.igpMetric === 'unknown' ? '/?' : `/${b.igpMetric}`;
  s += ') [';
  let last: number | undefined;
  for (const seg of b.asPath) if (seg.asns.length > 0) last = seg.type === 'sequence' ? seg.asns[seg.asns.length - 1] : undefined;
  if (last !== undefined) s += `AS${last}`;
  return `${s + { IGP: 'i', EGP: 'e', Incomplete: '?' }[b.origin]}]`;
}

/** routeLines2 is rt_show_rte for one route. */
export function routeLines2(ia: string, r: Bird2Route, primary: boolean, clock: BirdClock, verbose: boolean): BirdReplyLine[] {
  const tm = formatBirdTime(BIRD2_TIMEFORMAT, r.lastmod, clock.now, clock.utcOffset);
  const gw = r.nexthops?.[0]?.gw;
  const from = r.from !== undefined && r.from !== 0 && r.from !== gw ? ` from ${formatIpv4(r.from)}` : '';
  const mark = primary ? (r.syncError ? ' !' : ' *') : '';
  const out: BirdReplyLine[] = [{ code: -1007, text: `${padRight(ia, 20)} ${r.dest} [${r.protocol} ${tm}${from}]${mark}${routeInfo2(r)}` }];
  if (r.dest === 'unicast') {
    const nhs = r.nexthops ?? [];
    for (const nh of nhs) {
      const onlink = nh.onlink ? ' onlink' : '';
      const weight = nhs.length > 1 ? ` weight ${(nh.weight ?? 0) + 1}` : '';
      if (nh.gw !== undefined && nh.gw !== 0)
        out.push({ code: -1007, text: `\tvia ${formatIpv4(nh.gw)} on ${nh.iface}${onlink}${weight}` });
      // rt_show_rte passes the weight to a format without a slot for it: `dev` lines never show one.
      else out.push({ code: -1007, text: `\tdev ${nh.iface}${onlink}` });
    }
  }
  if (verbose) {
    out.push({ code: -1008, text: `\tType: ${r.source} ${r.scope ?? 'univ'}` });
    for (const a of r.attributes ?? []) out.push({ code: -1012, text: `\t${a.name}: ${a.value}` });
  }
  return out;
}

/** Route2Query is the subset of `show route` arguments modelled here. */
export interface Route2Query {
  readonly prefix?: { readonly addr: Ipv4; readonly len: number };
  readonly forAddr?: Ipv4;
  readonly verbose?: boolean;
  readonly primaryOnly?: boolean;
  readonly protocol?: string;
  readonly stats?: boolean;
  /** table is the table name printed in `Table NAME:` (master4). */
  readonly table?: string;
}

/** showRoute2 is `show route ...` over one table; `networks` must be in FIB order (bird2FibOrder). */
export function showRoute2(networks: readonly Bird2Network[], clock: BirdClock, q: Route2Query = {}): BirdReplyLine[] {
  const table = q.table ?? 'master4';
  let nets: readonly Bird2Network[] = networks;
  if (q.prefix) nets = networks.filter((x) => x.prefix === q.prefix!.addr && x.len === q.prefix!.len);
  else if (q.forAddr !== undefined) {
    const a = q.forAddr >>> 0;
    let best: Bird2Network | undefined;
    for (let len = 32; len >= 0 && !best; len--) {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      best = networks.find((x) => x.len === len && x.prefix === (a & mask) >>> 0);
    }
    nets = best ? [best] : [];
  }
  const out: BirdReplyLine[] = [];
  let rt = 0;
  let netCount = 0;
  let shown = 0;
  let headed = false;
  for (const n of nets) {
    let ia = `${formatIpv4(n.prefix)}/${n.len}`;
    let first = true;
    for (let i = 0; i < n.routes.length; i++) {
      const r = n.routes[i];
      rt++;
      if (first) netCount++;
      first = false;
      if (q.protocol && q.protocol !== r.protocol) continue;
      shown++;
      if (!q.stats) {
        if (!headed) {
          out.push({ code: -1007, text: `Table ${table}:` });
          headed = true;
        }
        out.push(...routeLines2(ia, r, i === 0, clock, q.verbose ?? false));
      }
      ia = '';
      if (q.primaryOnly) break;
    }
  }
  if ((q.prefix || q.forAddr !== undefined) && rt === 0) return [{ code: 8001, text: 'Network not found' }];
  if (q.stats) {
    out.push({ code: -1007, text: `${shown} of ${rt} routes for ${netCount} networks in table ${table}` });
  }
  out.push({ code: 0, text: '' });
  return out;
}

/** bird2BgpAttributes lists BGP attributes as BIRD 2.0.12 prints them in `show route all`. */
export function bird2BgpAttributes(a: {
  readonly origin: 'IGP' | 'EGP' | 'Incomplete';
  readonly asPath: readonly AsPathSegment[];
  readonly nextHop: Ipv4;
  readonly med?: number;
  readonly localPref?: number;
  readonly communities?: readonly (readonly [number, number])[];
  readonly originatorId?: Ipv4;
  readonly clusterList?: readonly Ipv4[];
}): BirdAttribute[] {
  const out: BirdAttribute[] = [
    { name: 'BGP.origin', value: a.origin },
    { name: 'BGP.as_path', value: formatAsPath(a.asPath) },
    { name: 'BGP.next_hop', value: formatIpv4(a.nextHop) },
  ];
  if (a.med !== undefined) out.push({ name: 'BGP.med', value: String(a.med) });
  if (a.localPref !== undefined) out.push({ name: 'BGP.local_pref', value: String(a.localPref) });
  if (a.communities && a.communities.length > 0)
    out.push({ name: 'BGP.community', value: a.communities.map(([x, y]) => `(${x},${y})`).join(' ') });
  if (a.originatorId !== undefined) out.push({ name: 'BGP.originator_id', value: formatIpv4(a.originatorId) });
  if (a.clusterList && a.clusterList.length > 0) out.push({ name: 'BGP.cluster_list', value: a.clusterList.map(formatIpv4).join(' ') });
  return out;
}

/** BirdStatus is what `show status` reports (nest/cmds.c cmd_show_status). */
export interface BirdStatus {
  readonly routerId: Ipv4;
  /** hostname is printed by BIRD 2 only. */
  readonly hostname?: string;
  readonly bootTime: number;
  readonly loadTime: number;
  readonly state?: 'running' | 'shutdown' | 'reconfiguring';
}

const STATUS_TEXT = {
  running: 'Daemon is up and running',
  shutdown: 'Shutdown in progress',
  reconfiguring: 'Reconfiguration in progress',
} as const;

/** showStatus2 is BIRD 2's `show status`; times use tf_base, `%F %T.%3f`. */
export function showStatus2(s: BirdStatus, clock: BirdClock): BirdReplyLine[] {
  const tf: BirdTimeFormat = { fmt1: '%F %T.%3f', fmt2: '%F %T.%3f', limit: 0 };
  const t = (x: number): string => formatBirdTime(tf, x, clock.now, clock.utcOffset);
  return [
    { code: -1000, text: `BIRD ${BIRD2_VERSION}` },
    { code: -1011, text: `Router ID is ${formatIpv4(s.routerId)}` },
    { code: -1011, text: `Hostname is ${s.hostname ?? ''}` },
    { code: -1011, text: `Current server time is ${t(clock.now)}` },
    { code: -1011, text: `Last reboot on ${t(s.bootTime)}` },
    { code: -1011, text: `Last reconfiguration on ${t(s.loadTime)}` },
    { code: 13, text: STATUS_TEXT[s.state ?? 'running'] },
  ];
}
