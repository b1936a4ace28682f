// What calico-node's BIRD answers on its control socket (/var/run/calico/bird.ctl), read from a running
// daemon of src/scenarios/runtime/bird.ts: the protocol list (nest/proto.c proto_cmd_show, with
// bgp_show_proto_info's lines as the speaker renders them), the routing table (nest/rt-table.c
// rt_show_net; the speaker keeps BIRD 1.6's FIB order), and `show status`. Filter names are the ones
// confd's bird.cfg gives each protocol (filter_name: ACCEPT for `import all` or no filter, REJECT for
// the default export, `(unnamed)` for an inline filter). Times are the cluster's wall clock.

import { formatCidr } from '../../model/addr.js';
import { RouteProto, RouteScope, RouteTable, type Route } from '../../model/world.js';
import { fibDump } from '../../kernel/fib.js';
import { findAttr } from '../../bgp/attrs.js';
import type { RibRoute } from '../../bgp/rib.js';
import type { BgpSpeaker, ProtocolStatus } from '../../bgp/speaker.js';
import type { BirdConfig } from '../../scenarios/calico/peering.js';
import type { BirdDaemon } from '../../scenarios/runtime/bird.js';
import type { ClusterRuntime } from '../../scenarios/runtime/cluster.js';
import {
  bird1BgpAttributes,
  bird1KernelAttributes,
  BIRD1_VERSION,
  type AsPathSegment,
  type Bird1Dest,
  type Bird1Network,
  type Bird1Protocol,
  type Bird1Route,
  type BirdAttribute,
  type BirdClock,
  type ProtoState,
  type ProtoStats,
  showProtocols,
  showRoute,
  showStatus1,
} from '../birdc/bird1.js';
import type { BirdCommand } from '../birdc/args.js';
import { type BirdReplyLine, helloLine, renderSocket } from '../birdc/cli.js';
import { epochNow, epochOf } from './machine.js';

/** PREFERENCE is each protocol kind's default preference (DEF_PREF_*). */
const PREFERENCE: Readonly<Record<ProtocolStatus['proto'], number>> = { BGP: 100, Static: 200, Kernel: 10, Device: 240, Direct: 240 };

/** birdClock is the daemon's clock: the cluster's wall clock, in UTC. */
export function birdClock(c: ClusterRuntime): BirdClock {
  return { now: epochNow(c), utcOffset: 0 };
}

/** ownRoutes counts a protocol's routes in the table and how many of them are the best of their network. */
function ownRoutes(speaker: BgpSpeaker, name: string): { imported: number; preferred: number } {
  let imported = 0;
  let preferred = 0;
  for (const n of speaker.showRoutes())
    for (const r of n.routes)
      if (r.route.protocol === name) {
        imported++;
        if (r.primary) preferred++;
      }
  return { imported, preferred };
}

/**
 * derivedStats are proto_stats as a history in which every route now in the table arrived once and
 * was never replaced: the speaker keeps no change counters, so these are derived from the table.
 * `offered` is what the table announced to the protocol, `rejected` what its import_control refused
 * (its own routes), `exported` what passed its filter.
 */
function derivedStats(
  imported: number,
  preferred: number,
  exp: { offered: number; rejected: number; exported: number } | null,
): ProtoStats {
  const offered = exp?.offered ?? 0;
  const rejected = exp?.rejected ?? 0;
  const exported = exp?.exported ?? 0;
  return {
    importedRoutes: imported,
    exportedRoutes: exported,
    preferredRoutes: preferred,
    importUpdates: [imported, 0, 0, 0, imported],
    importWithdraws: [0, 0, 0, 0],
    exportUpdates: [offered, rejected, Math.max(0, offered - rejected - exported), exported],
    exportWithdraws: [0, 0],
  };
}

/** primaries counts the networks of the table, and those whose best route came from `name`. */
function primaries(speaker: BgpSpeaker, name: string): { nets: number; own: number } {
  let nets = 0;
  let own = 0;
  for (const n of speaker.showRoutes()) {
    if (n.routes.length === 0) continue;
    nets++;
    if (n.routes[0].route.protocol === name) own++;
  }
  return { nets, own };
}

/** birdProtocols lists the daemon's protocols in configuration order, as proto_cmd_show sees them. */
export function birdProtocols(c: ClusterRuntime, daemon: BirdDaemon, cfg: BirdConfig | undefined, verbose: boolean): Bird1Protocol[] {
  const speaker = daemon.speaker;
  const now = c.nowSeconds;
  return speaker.protocolStatus().map((row): Bird1Protocol => {
    const state = row.state as ProtoState;
    const base = { name: row.name, proto: row.proto, table: row.table, state, lastStateChange: epochOf(c, row.since), info: row.info };
    if (row.proto === 'BGP') {
      const d = speaker.protocolDetails(row.name, now);
      const bgp = cfg?.bgp.find((p) => p.name === row.name);
      const p: Bird1Protocol = {
        ...base,
        preference: d?.preference ?? PREFERENCE.BGP,
        inputFilter: bgp === undefined || bgp.importAll ? 'ACCEPT' : '(unnamed)',
        outputFilter: bgp === undefined ? 'ACCEPT' : '(unnamed)',
        ...(d?.description !== undefined ? { description: d.description } : {}),
      };
      if (!verbose || d === undefined) return p;
      const table = primaries(speaker, row.name);
      const own = ownRoutes(speaker, row.name);
      // Calico's template turns ADD-PATH on: the table offers every route, not only the best.
      const offered = speaker.session(row.name)?.addPathTx ? speaker.showRoutes().reduce((a, n) => a + n.routes.length, 0) : table.nets;
      const rejected = speaker.session(row.name)?.addPathTx ? own.imported : table.own;
      return {
        ...p,
        stats: derivedStats(
          d.routes.imported,
          d.routes.preferred,
          state === 'up' ? { offered, rejected, exported: d.routes.exported } : null,
        ),
        bgpLines: d.lines,
      };
    }
    const p: Bird1Protocol = {
      ...base,
      preference: PREFERENCE[row.proto],
      inputFilter: 'ACCEPT',
      outputFilter: row.proto === 'Kernel' && daemon.setup.kernelExport !== null ? 'calico_kernel_programming' : 'REJECT',
    };
    if (!verbose) return p;
    const own = ownRoutes(speaker, row.name);
    // Only the kernel protocol has an rt_notify hook among these, so only it counts exports.
    let exp: { offered: number; rejected: number; exported: number } | null = null;
    if (row.proto === 'Kernel') {
      const t = primaries(speaker, row.name);
      exp = { offered: t.nets, rejected: t.own, exported: daemon.kernelRoutes().size };
    }
    return { ...p, stats: derivedStats(own.imported, own.preferred, exp) };
  });
}

function asPathOf(r: RibRoute): AsPathSegment[] {
  const p = findAttr(r.attrs, 'as-path');
  // RFC 4271 4.3: segment type 1 is AS_SET, 2 AS_SEQUENCE.
  return (p?.segments ?? []).map((s) => ({ type: s.type === 1 ? 'set' : 'sequence', asns: [...s.asns] }));
}

function originOf(r: RibRoute): 'IGP' | 'EGP' | 'Incomplete' {
  const o = findAttr(r.attrs, 'origin')?.origin ?? 0;
  return o === 1 ? 'EGP' : o === 2 ? 'Incomplete' : 'IGP';
}

function destOf(r: RibRoute): Bird1Dest {
  switch (r.dest) {
    case 'router':
      return { type: 'router', gw: r.gateway ?? 0, iface: r.iface ?? '' };
    case 'device':
      return { type: 'device', iface: r.iface ?? '' };
    case 'prohibit':
      return { type: 'prohibited' };
    default:
      return { type: r.dest };
  }
}

/** bgpAttributes are a BGP route's attributes as `show route all` lists them. */
function bgpAttributes(r: RibRoute): BirdAttribute[] {
  const nh = findAttr(r.attrs, 'next-hop');
  const med = findAttr(r.attrs, 'med');
  const lp = findAttr(r.attrs, 'local-pref');
  const comm = findAttr(r.attrs, 'communities');
  const orig = findAttr(r.attrs, 'originator-id');
  const cl = findAttr(r.attrs, 'cluster-list');
  return bird1BgpAttributes({
    origin: originOf(r),
    asPath: asPathOf(r),
    nextHop: nh?.nextHop ?? 0,
    ...(med !== undefined ? { med: med.med } : {}),
    ...(lp !== undefined ? { localPref: lp.localPref } : {}),
    ...(findAttr(r.attrs, 'atomic-aggregate') !== undefined ? { atomicAggregate: true } : {}),
    ...(comm !== undefined ? { communities: comm.communities.map((v) => [(v >>> 16) & 0xffff, v & 0xffff] as const) } : {}),
    ...(orig !== undefined ? { originatorId: orig.originatorId } : {}),
    ...(cl !== undefined ? { clusterList: cl.clusterIds } : {}),
  });
}

/** isAlien is what kernel1 learns: a main-table route of another daemon (not kernel, not bird, not unspec). */
function isAlien(r: Route): boolean {
  return r.table === RouteTable.Main && r.proto !== RouteProto.Kernel && r.proto !== RouteProto.Bird && r.proto !== RouteProto.Unspec;
}

/** kernelAttributes are a learnt kernel route's Kernel.* attributes (krt_make_tmp_attrs and nl_parse_route's). */
function kernelAttributes(r: Route | undefined): BirdAttribute[] {
  if (r === undefined) return [];
  // nl_parse_route keeps the scope only when it is not the type's default: link for a device route.
  const deviceRoute = r.type === 'unicast' && r.gateway === undefined;
  const defScope = deviceRoute ? RouteScope.Link : RouteScope.Universe;
  return bird1KernelAttributes({
    source: r.proto,
    metric: r.metric,
    ...(r.prefsrc !== undefined ? { prefsrc: r.prefsrc } : {}),
    ...(r.scope !== defScope ? { scope: r.scope } : {}),
  });
}

/** birdNetworks is the master table in BIRD 1.6's FIB order, each network's routes best first. */
export function birdNetworks(c: ClusterRuntime, daemon: BirdDaemon, ns: string): Bird1Network[] {
  const speaker = daemon.speaker;
  const kinds = new Map(speaker.protocolStatus().map((p) => [p.name, p.proto] as const));
  const netns = c.sim.view.namespaces.get(ns);
  const alien = new Map<string, Route>();
  if (netns !== undefined)
    for (const r of fibDump(netns.fib, RouteTable.Main)) if (isAlien(r) && !alien.has(formatCidr(r.dst))) alien.set(formatCidr(r.dst), r);
  return speaker.showRoutes().map((n) => ({
    prefix: n.prefix.addr,
    len: n.prefix.len,
    routes: n.routes.map(({ route: r }): Bird1Route => {
      const kind = r.bgp !== undefined ? 'BGP' : kinds.get(r.protocol);
      const base = {
        dest: destOf(r),
        protocol: r.protocol,
        lastmod: epochOf(c, r.lastmod),
        pref: r.pref,
        cast: 'unicast',
        scope: 'univ',
      } as const;
      if (kind === 'BGP') {
        const resolvable = r.dest === 'router' || r.dest === 'device';
        const metric = r.bgp?.igpMetric ?? 0;
        return {
          ...base,
          ...(r.from !== undefined ? { from: r.from } : {}),
          source: 'BGP',
          bgp: {
            ...(r.stale ? { stale: true } : {}),
            ...(r.hostentry ? { igpMetric: !resolvable ? 'unresolvable' : metric >= 0x80000000 ? 'unknown' : metric } : {}),
            asPath: asPathOf(r),
            origin: originOf(r),
          },
          attributes: bgpAttributes(r),
        };
      }
      if (kind === 'Kernel') return { ...base, source: 'inherit', attributes: kernelAttributes(alien.get(formatCidr(r.prefix))) };
      return { ...base, source: kind === 'Direct' || kind === 'Device' ? 'device' : 'static' };
    }),
  }));
}

/**
 * BirdInstance says which of calico-node's daemons answers: BIRD itself, or bird6, which in an IPv4
 * cluster runs the same core protocols (static1, kernel1, device1, direct1), no BGP, and has no routes.
 */
export type BirdInstance = 'bird' | 'bird6';

/** birdReply is the daemon's reply to one command (the modelled ones; null for any other). */
export function birdReply(
  c: ClusterRuntime,
  daemon: BirdDaemon,
  cfg: BirdConfig | undefined,
  ns: string,
  cmd: BirdCommand,
  instance: BirdInstance = 'bird',
): BirdReplyLine[] | null {
  const clock = birdClock(c);
  switch (cmd.type) {
    case 'show-protocols': {
      const query =
        cmd.name !== undefined
          ? { kind: 'name' as const, name: cmd.name }
          : cmd.pattern !== undefined
            ? { kind: 'pattern' as const, pattern: cmd.pattern }
            : { kind: 'all' as const };
      const protocols = birdProtocols(c, daemon, cfg, cmd.verbose).filter((p) => instance === 'bird' || p.proto !== 'BGP');
      return showProtocols(protocols, clock, cmd.verbose, query);
    }
    case 'show-route':
      return showRoute(instance === 'bird' ? birdNetworks(c, daemon, ns) : [], clock, {
        ...(cmd.prefix !== undefined ? { prefix: cmd.prefix } : {}),
        ...(cmd.forAddr !== undefined ? { forAddr: cmd.forAddr } : {}),
        verbose: cmd.verbose,
        primaryOnly: cmd.primaryOnly,
        ...(cmd.protocol !== undefined ? { protocol: cmd.protocol } : {}),
        stats: cmd.stats,
      });
    case 'show-status': {
      const started = Math.min(...daemon.speaker.protocolStatus().map((p) => p.since));
      const boot = epochOf(c, Number.isFinite(started) ? started : c.nowSeconds);
      return showStatus1({ routerId: daemon.speaker.config.routerId, bootTime: boot, loadTime: boot }, clock);
    }
    case 'other':
      return null;
  }
}

/** socketReply is what a client reading the control socket gets for `show protocols`: the hello, then the reply, with codes. */
export function socketReply(c: ClusterRuntime, daemon: BirdDaemon, cfg: BirdConfig | undefined, instance: BirdInstance = 'bird'): string {
  const reply = birdReply(c, daemon, cfg, '', { type: 'show-protocols', verbose: false }, instance)!;
  return renderSocket([helloLine(BIRD1_VERSION), ...reply]);
}
