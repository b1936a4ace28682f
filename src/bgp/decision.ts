// Best-path selection as BIRD codes it: across protocols the higher preference wins (projectcalico/bird
// nest/rt-table.c rte_better); between BGP routes bgp_rte_better (proto/bgp/attrs.c, the same in 1.6 and
// 2.x): resolvable next hop, not LLGR-stale, LOCAL_PREF, AS_PATH length (RFC 4271 §9.1.2.2 a), ORIGIN (b),
// MED from the same neighbour AS (c), eBGP over iBGP (d), IGP metric (e), ORIGINATOR_ID or router id
// (f, RFC 4456 §9), CLUSTER_LIST length (RFC 4456 §9), peer address (g). BIRD records no reason; each
// choice here carries the name GoBGP gives the deciding step (internal/pkg/table/destination.go
// BestPathReason), with "Preference" and "Cluster List" for the steps GoBGP lacks.

import type { Ipv4 } from '../model/addr.js';
import { BgpOrigin } from '../model/wire/bgp.js';
import { COMMUNITY_LLGR_STALE, asPathFirst, asPathLength, findAttr, type RouteAttrs } from './attrs.js';

/** BestPathReason names the step that decided between two routes, in GoBGP's words. */
export type BestPathReason =
  | 'Only Path'
  | 'Preference'
  | 'Reachable Next Hop'
  | 'no LLGR Stale'
  | 'Local Pref'
  | 'AS Path'
  | 'Origin'
  | 'MED'
  | 'ASN'
  | 'IGP Cost'
  | 'Older'
  | 'Router ID'
  | 'Cluster List'
  | 'Neighbor Address'
  | 'Unknown';

/** BgpSourceInfo is what bgp_rte_better reads from the protocol a route came from. */
export interface BgpSourceInfo {
  /** isInternal is local AS == peer AS. */
  readonly isInternal: boolean;
  /** remoteId is the peer's BGP identifier. */
  readonly remoteId: Ipv4;
  /** remoteIp is the configured neighbour address. */
  readonly remoteIp: Ipv4;
  /** remoteAs is the peer's AS, the neighbour AS of a route with an empty AS_PATH. */
  readonly remoteAs: number;
  readonly defaultLocalPref: number;
  readonly defaultMed: number;
  /** comparePathLengths is `path metric` (default on). */
  readonly comparePathLengths: boolean;
  /** medMetric is `med metric` (default off: MED only between routes from the same neighbour AS). */
  readonly medMetric: boolean;
  /** igpMetric is `igp metric` (default on). */
  readonly igpMetric: boolean;
  /** preferOlder is `prefer older` (default off, RFC 5004). */
  readonly preferOlder: boolean;
}

/** Candidate is one route as the decision process sees it. */
export interface Candidate {
  /** pref is the protocol preference: direct 240, static 200, BGP 100, kernel 10. */
  readonly pref: number;
  /** protocolOrder breaks preference ties between protocol types, as BIRD compares protocol pointers. */
  readonly protocolOrder: number;
  /** bgp is present for BGP routes. */
  readonly bgp?: {
    readonly attrs: RouteAttrs;
    readonly source: BgpSourceInfo;
    readonly resolvable: boolean;
    readonly igpMetric: number;
  };
}

/** Verdict says whether the first route is better and which step decided. */
export interface Verdict {
  readonly better: boolean;
  readonly reason: BestPathReason;
}

const IGP_METRIC_UNKNOWN = 0x80000000;

function isStale(attrs: RouteAttrs): boolean {
  const c = findAttr(attrs, 'communities');
  return c !== undefined && c.communities.includes(COMMUNITY_LLGR_STALE);
}

function neighborAs(c: NonNullable<Candidate['bgp']>): number {
  const p = findAttr(c.attrs, 'as-path');
  return (p && asPathFirst(p.segments)) ?? c.source.remoteAs;
}

function step(n: number, o: number, lowerWins: boolean, reason: BestPathReason): Verdict | null {
  if (n === o) return null;
  return { better: lowerWins ? n < o : n > o, reason };
}

/** bgpRteBetter is BIRD's bgp_rte_better(new, old) with the deciding step named. */
export function bgpRteBetter(n: NonNullable<Candidate['bgp']>, o: NonNullable<Candidate['bgp']>): Verdict {
  const ns = n.source;
  const os = o.source;
  let v: Verdict | null;
  // RFC 4271 9.1.2.1: route resolvability.
  if ((v = step(n.resolvable ? 1 : 0, o.resolvable ? 1 : 0, false, 'Reachable Next Hop'))) return v;
  if ((v = step(isStale(n.attrs) ? 1 : 0, isStale(o.attrs) ? 1 : 0, true, 'no LLGR Stale'))) return v;
  const nl = findAttr(n.attrs, 'local-pref')?.localPref ?? ns.defaultLocalPref;
  const ol = findAttr(o.attrs, 'local-pref')?.localPref ?? os.defaultLocalPref;
  if ((v = step(nl, ol, false, 'Local Pref'))) return v;
  if (ns.comparePathLengths || os.comparePathLengths) {
    const np = findAttr(n.attrs, 'as-path');
    const op = findAttr(o.attrs, 'as-path');
    const AS_PATH_MAXLEN = 10000;
    if ((v = step(np ? asPathLength(np.segments) : AS_PATH_MAXLEN, op ? asPathLength(op.segments) : AS_PATH_MAXLEN, true, 'AS Path'))) return v;
  }
  const no = findAttr(n.attrs, 'origin')?.origin ?? BgpOrigin.Incomplete;
  const oo = findAttr(o.attrs, 'origin')?.origin ?? BgpOrigin.Incomplete;
  if ((v = step(no, oo, true, 'Origin'))) return v;
  if (ns.medMetric || os.medMetric || neighborAs(n) === neighborAs(o)) {
    const nm = findAttr(n.attrs, 'med')?.med ?? ns.defaultMed;
    const om = findAttr(o.attrs, 'med')?.med ?? os.defaultMed;
    if ((v = step(nm, om, true, 'MED'))) return v;
  }
  // RFC 4271 9.1.2.2 d: prefer external peers.
  if ((v = step(ns.isInternal ? 1 : 0, os.isInternal ? 1 : 0, true, 'ASN'))) return v;
  const ni = ns.igpMetric ? Math.min(n.igpMetric, IGP_METRIC_UNKNOWN) : 0;
  const oi = os.igpMetric ? Math.min(o.igpMetric, IGP_METRIC_UNKNOWN) : 0;
  if ((v = step(ni, oi, true, 'IGP Cost'))) return v;
  // RFC 4456 9 a: ORIGINATOR_ID stands in for the router id.
  const nid = findAttr(n.attrs, 'originator-id')?.originatorId ?? ns.remoteId;
  const oid = findAttr(o.attrs, 'originator-id')?.originatorId ?? os.remoteId;
  if ((ns.preferOlder || os.preferOlder) && !ns.isInternal && nid !== oid) return { better: false, reason: 'Older' };
  if ((v = step(nid >>> 0, oid >>> 0, true, 'Router ID'))) return v;
  const nc = findAttr(n.attrs, 'cluster-list')?.clusterIds.length ?? 0;
  const oc = findAttr(o.attrs, 'cluster-list')?.clusterIds.length ?? 0;
  if ((v = step(nc, oc, true, 'Cluster List'))) return v;
  return { better: ns.remoteIp >>> 0 < os.remoteIp >>> 0, reason: 'Neighbor Address' };
}

/** rteBetter is BIRD's rte_better(new, old): preference first, then the protocol's own comparison. */
export function rteBetter(n: Candidate, o: Candidate): Verdict {
  if (n.pref !== o.pref) return { better: n.pref > o.pref, reason: 'Preference' };
  if (n.protocolOrder !== o.protocolOrder) return { better: n.protocolOrder > o.protocolOrder, reason: 'Preference' };
  if (n.bgp && o.bgp) return bgpRteBetter(n.bgp, o.bgp);
  return { better: false, reason: 'Unknown' };
}
