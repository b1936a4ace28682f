// `gobgp` next to a GoBGP speaker outside the cluster (osrg/gobgp v3.37 cmd/gobgp): `gobgp neighbor`
// from the speaker's sessions (api.PeerState: the FSM state, the negotiated peer AS, the time of the
// last state change, the paths received) and `gobgp global rib` from its table (every path of every
// destination, the best one marked). The speaker is src/bgp's, so the best path is BIRD's choice.

import { formatCidr, formatIpv4 } from '../../model/addr.js';
import { findAttr } from '../../bgp/attrs.js';
import { bgpStateName } from '../../bgp/fsm.js';
import type { RibRoute } from '../../bgp/rib.js';
import type { ClusterRuntime, ExternalSpeaker } from '../../scenarios/runtime/cluster.js';
import type { Program } from '../programs.js';
import {
  formatGlobalRib,
  formatNeighbors,
  type GobgpAsPathSegment,
  type GobgpAttribute,
  type GobgpDestination,
  type GobgpPeer,
  type GobgpSessionState,
  parseGobgpArgs,
} from '../gobgp/gobgp.js';
import { emit, epochNow, epochOf, notModelled, peerHere } from './machine.js';

const SESSION_STATE: ReadonlyMap<string, GobgpSessionState> = new Map([
  ['Down', 'IDLE'],
  ['Idle', 'IDLE'],
  // A passive peer waits for connections in GoBGP's ACTIVE state.
  ['Passive', 'ACTIVE'],
  ['Connect', 'CONNECT'],
  ['Active', 'ACTIVE'],
  ['OpenSent', 'OPENSENT'],
  ['OpenConfirm', 'OPENCONFIRM'],
  ['Established', 'ESTABLISHED'],
]);

/** gobgpPeers are the speaker's neighbours as the API reports them. */
export function gobgpPeers(c: ClusterRuntime, peer: ExternalSpeaker): GobgpPeer[] {
  const speaker = peer.daemon.speaker;
  return speaker.protocolNames().flatMap((name): GobgpPeer[] => {
    const s = speaker.session(name);
    if (s === undefined) return [];
    const state = SESSION_STATE.get(bgpStateName(s)) ?? 'IDLE';
    const received = speaker.adjRibIn(name).length;
    return [
      {
        neighborAddress: formatIpv4(s.config.neighborAddress),
        peerAsn: s.config.peerAs,
        sessionState: state,
        ...(s.disabled ? { adminState: 'DOWN' as const } : {}),
        // The uptime of a session that never came up is unset (`never`).
        ...(state === 'ESTABLISHED' ? { uptime: epochOf(c, s.since) } : {}),
        received,
        accepted: received,
      },
    ];
  });
}

function asPath(r: RibRoute): GobgpAsPathSegment[] {
  const p = findAttr(r.attrs, 'as-path');
  // RFC 4271 / RFC 5065 segment types: 1 set, 2 sequence, 3 confed sequence, 4 confed set.
  const TYPES = new Map<number, GobgpAsPathSegment['type']>([
    [1, 'set'],
    [2, 'sequence'],
    [3, 'confed-sequence'],
    [4, 'confed-set'],
  ]);
  return (p?.segments ?? []).map((s) => ({ type: TYPES.get(s.type) ?? 'sequence', asns: [...s.asns] }));
}

/** attributes are the path attributes GoBGP lists in Attrs, in type-code order (NEXT_HOP and AS_PATH have their own columns). */
function attributes(r: RibRoute): GobgpAttribute[] {
  const out: GobgpAttribute[] = [];
  for (const a of r.attrs) {
    switch (a.type) {
      case 'origin':
        out.push({ type: 'origin', value: a.origin === 1 ? 'egp' : a.origin === 2 ? 'incomplete' : 'igp' });
        break;
      case 'med':
        out.push({ type: 'med', value: a.med });
        break;
      case 'local-pref':
        out.push({ type: 'local-pref', value: a.localPref });
        break;
      case 'atomic-aggregate':
        out.push({ type: 'atomic-aggregate' });
        break;
      case 'aggregator':
        out.push({ type: 'aggregator', as: a.asn, address: formatIpv4(a.address) });
        break;
      case 'communities':
        out.push({ type: 'communities', values: [...a.communities] });
        break;
      case 'originator-id':
        out.push({ type: 'originator', id: formatIpv4(a.originatorId) });
        break;
      case 'cluster-list':
        out.push({ type: 'cluster-list', ids: a.clusterIds.map(formatIpv4) });
        break;
      default:
        break;
    }
  }
  return out;
}

/** gobgpRib is the global table: each destination's paths, the best first. */
export function gobgpRib(c: ClusterRuntime, peer: ExternalSpeaker): GobgpDestination[] {
  return peer.daemon.speaker.showRoutes().flatMap((n): GobgpDestination[] => {
    const paths = n.routes
      .filter((x) => x.route.bgp !== undefined)
      .map(({ route: r, primary }) => {
        const nh = findAttr(r.attrs, 'next-hop');
        return {
          best: primary,
          ...(nh !== undefined ? { nextHop: formatIpv4(nh.nextHop) } : {}),
          asPath: asPath(r),
          age: epochOf(c, r.lastmod),
          attributes: attributes(r),
        };
      });
    return paths.length > 0 ? [{ prefix: formatCidr(n.prefix), paths }] : [];
  });
}

/** GOBGP is the gobgp client in the GoBGP speaker's namespace. */
export const GOBGP: Program = {
  name: 'gobgp',
  available: (ctx) => peerHere(ctx)?.software === 'gobgp',
  run(ctx, argv) {
    const c = ctx.cluster!;
    const peer = peerHere(ctx)!;
    const p = parseGobgpArgs(argv);
    if (!p.ok) {
      emit(ctx, p.output);
      return;
    }
    if (p.json) {
      notModelled(ctx, `gobgp ${argv.join(' ')}`);
      return;
    }
    const cmd = p.cmd;
    if (cmd.command === 'neighbor' && cmd.address === undefined) {
      ctx.out.out(formatNeighbors(gobgpPeers(c, peer), epochNow(c)));
      return;
    }
    if (cmd.command === 'global-rib' && cmd.family === 'ipv4' && cmd.prefix === undefined) {
      ctx.out.out(formatGlobalRib(gobgpRib(c, peer), epochNow(c)));
      return;
    }
    notModelled(ctx, `gobgp ${argv.join(' ')}`);
  },
};
