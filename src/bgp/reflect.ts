// Which routes go to which peer, with which attributes: BIRD 1.6's bgp_import_control, bgp_create_attrs
// and bgp_update_attrs (projectcalico/bird proto/bgp/attrs.c), including route reflection as RFC 4456
// §6–§8 and BIRD code it: never back to the source; iBGP to iBGP only when the target or the source is
// an `rr client`; ORIGINATOR_ID added when absent; CLUSTER_LIST prepended with the source's cluster id
// (client source) or the target's; NEXT_HOP kept on iBGP. Then bgp_get_bucket's checks.

import type { Ipv4 } from '../model/addr.js';
import { AsPathSegmentType, BgpAttrType, attributeTypeCode, type BgpPathAttribute } from '../model/wire/bgp.js';
import {
  COMMUNITY_LLGR_STALE,
  COMMUNITY_NO_ADVERTISE,
  COMMUNITY_NO_EXPORT,
  COMMUNITY_NO_EXPORT_SUBCONFED,
  asPathPrepend,
  findAttr,
  normalizeForExport,
  setAttr,
  type RouteAttrs,
} from './attrs.js';

/** PeerView is what bgp_import_control reads from a BGP protocol (source or target). */
export interface PeerView {
  readonly name: string;
  readonly localAs: number;
  readonly isInternal: boolean;
  readonly rrClient: boolean;
  /** clusterId is the `rr cluster id` of an rr client protocol (router id by default). */
  readonly clusterId: Ipv4;
  readonly remoteId: Ipv4;
  readonly neighborAddress: Ipv4;
  readonly sourceAddress: Ipv4;
  readonly nextHopSelf: boolean;
  readonly nextHopKeep: boolean;
  readonly interpretCommunities: boolean;
  readonly defaultLocalPref: number;
  /** peerLlgrAware is whether the target's peer sent the LLGR capability. */
  readonly peerLlgrAware: boolean;
}

/** ExportSource is the route to export: from a BGP peer (with its view) or a local protocol. */
export type ExportSource =
  | { kind: 'bgp'; peer: PeerView; attrs: RouteAttrs }
  /** local: a static, kernel or device route; `gateway` is its next hop, if it has one. */
  | { kind: 'local'; gateway?: Ipv4; origin?: number };

/** ImportControl is bgp_import_control's result: refused (with why), or the attributes to send. */
export type ImportControl = { ok: false; why: string } | { ok: true; attrs: BgpPathAttribute[]; reflected: boolean };

/**
 * importControl is bgp_import_control(target, route): decides whether a route may go to the target peer
 * and builds its attributes before the export filter sees them.
 */
export function importControl(target: PeerView, src: ExportSource): ImportControl {
  if (src.kind === 'local') return { ok: true, attrs: createAttrs(target, src), reflected: false };
  const from = src.peer;
  if (from.name === target.name) return { ok: false, why: 'poison reverse' };
  // The receiving instance may have another cluster id than the one checked on receipt.
  const cl = findAttr(src.attrs, 'cluster-list');
  if (cl && target.rrClient && cl.clusterIds.includes(target.clusterId)) return { ok: false, why: 'cluster list loop' };
  if (target.interpretCommunities && communityFiltered(target, src.attrs)) return { ok: false, why: 'community' };
  if (target.localAs === from.localAs && target.isInternal && from.isInternal) {
    if (target.rrClient || from.rrClient) return { ok: true, attrs: updateAttrs(target, from, src.attrs, true), reflected: true };
    return { ok: false, why: 'iBGP to iBGP without route reflection' };
  }
  return { ok: true, attrs: updateAttrs(target, from, src.attrs, false), reflected: false };
}

/** communityFiltered is bgp_community_filter: NO_ADVERTISE, NO_EXPORT(_SUBCONFED) towards eBGP, LLGR_STALE to non-LLGR peers. */
function communityFiltered(target: PeerView, attrs: RouteAttrs): boolean {
  const c = findAttr(attrs, 'communities');
  if (!c) return false;
  if (c.communities.includes(COMMUNITY_NO_ADVERTISE)) return true;
  if (!target.isInternal && (c.communities.includes(COMMUNITY_NO_EXPORT) || c.communities.includes(COMMUNITY_NO_EXPORT_SUBCONFED)))
    return true;
  return !target.peerLlgrAware && c.communities.includes(COMMUNITY_LLGR_STALE);
}

/**
 * createAttrs is bgp_create_attrs for a route of a local protocol: ORIGIN IGP, AS_PATH empty towards
 * iBGP or [local AS] towards eBGP, NEXT_HOP the source address (a blackhole has no gateway; iBGP keeps a
 * route's own gateway), LOCAL_PREF the default (dropped later towards eBGP).
 */
export function createAttrs(target: PeerView, src: { gateway?: Ipv4; origin?: number }): BgpPathAttribute[] {
  const useSelf = target.nextHopSelf || src.gateway === undefined || src.gateway === 0 || (!target.isInternal && !target.nextHopKeep);
  return [
    { type: 'origin', flags: 0x40, origin: src.origin ?? 0 },
    { type: 'as-path', flags: 0x40, segments: target.isInternal ? [] : [{ type: AsPathSegmentType.Sequence, asns: [target.localAs] }] },
    { type: 'next-hop', flags: 0x40, nextHop: useSelf ? target.sourceAddress : src.gateway! },
    { type: 'local-pref', flags: 0x40, localPref: target.defaultLocalPref },
  ];
}

/**
 * updateAttrs is bgp_update_attrs for a BGP route: towards eBGP prepend the local AS and zero a MED;
 * keep NEXT_HOP towards iBGP (unless `next hop self`), else put the source address; when reflecting,
 * add ORIGINATOR_ID and prepend the cluster id (twice between clients of different clusters).
 */
export function updateAttrs(target: PeerView, from: PeerView, attrs: RouteAttrs, rr: boolean): BgpPathAttribute[] {
  let out: BgpPathAttribute[] = [...attrs];
  if (!target.isInternal) {
    const p = findAttr(out, 'as-path');
    out = setAttr(out, { type: 'as-path', flags: 0x40, segments: asPathPrepend(p?.segments ?? [], target.localAs) });
    if (findAttr(out, 'med')) out = setAttr(out, { type: 'med', flags: 0x80, med: 0 });
  }
  const nh = findAttr(out, 'next-hop');
  const keep = nh !== undefined && !target.nextHopSelf && (target.nextHopKeep || (target.isInternal && nh.nextHop !== 0));
  if (!keep) out = setAttr(out, { type: 'next-hop', flags: 0x40, nextHop: target.sourceAddress });
  if (rr) {
    if (!findAttr(out, 'originator-id')) out = setAttr(out, { type: 'originator-id', flags: 0x80, originatorId: from.remoteId });
    const cl = findAttr(out, 'cluster-list')?.clusterIds ?? [];
    let ids = [from.rrClient ? from.clusterId : target.clusterId, ...cl];
    if (from.rrClient && target.rrClient && from.clusterId !== target.clusterId) ids = [target.clusterId, ...ids];
    out = setAttr(out, { type: 'cluster-list', flags: 0x80, clusterIds: ids });
  }
  return out;
}

/** BucketCheck is bgp_get_bucket's verdict on the attributes after the export filter. */
export type BucketCheck = { ok: true; attrs: BgpPathAttribute[] } | { ok: false; log: string };

/**
 * checkBucket normalises the attributes for the target (normalizeForExport) and refuses a route without
 * ORIGIN, AS_PATH or NEXT_HOP, or whose NEXT_HOP is the neighbour's own address.
 */
export function checkBucket(target: PeerView, attrs: RouteAttrs, prefixText: string): BucketCheck {
  const n = normalizeForExport(attrs, target.isInternal);
  for (const [code, name] of [
    [BgpAttrType.Origin, 'origin'],
    [BgpAttrType.AsPath, 'as_path'],
    [BgpAttrType.NextHop, 'next_hop'],
  ] as const)
    if (!n.some((a) => attributeTypeCode(a) === code))
      return { ok: false, log: `${target.name}: Mandatory attribute ${name} missing in route ${prefixText}` };
  const nh = findAttr(n, 'next-hop');
  if (!nh || nh.nextHop === target.neighborAddress)
    return { ok: false, log: `${target.name}: Invalid NEXT_HOP attribute in route ${prefixText}` };
  return { ok: true, attrs: n };
}

/**
 * receiveLoop names the RFC 4456 §8 / RFC 4271 §9 loop a received route has, as BIRD 1.6 checks on
 * receipt (bgp_decode_attrs): our AS in AS_PATH, ORIGINATOR_ID equal to our router id (every session),
 * our cluster id in CLUSTER_LIST (rr client sessions only). Such routes are treated as withdrawn.
 */
export function receiveLoop(
  attrs: RouteAttrs,
  self: { localAs: number; routerId: Ipv4; rrClient: boolean; clusterId: Ipv4 },
): string | null {
  const p = findAttr(attrs, 'as-path');
  if (p?.segments.some((s) => s.asns.includes(self.localAs))) return 'AS_PATH contains the local AS';
  const o = findAttr(attrs, 'originator-id');
  if (o && o.originatorId === self.routerId) return 'ORIGINATOR_ID is the local router id';
  const c = findAttr(attrs, 'cluster-list');
  if (c && self.rrClient && c.clusterIds.includes(self.clusterId)) return 'CLUSTER_LIST contains the local cluster id';
  return null;
}
