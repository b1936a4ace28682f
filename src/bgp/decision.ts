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

const AS_PATH_MAXLEN = 10000;

/** DecisionFacts are what bgp_rte_better reads of a route's attributes, found once per attribute list. */
interface DecisionFacts {
  readonly stale: boolean;
  readonly localPref: number | undefined;
  readonly pathLength: number;
  /** firstAs is the neighbouring AS of the AS_PATH, when it has one. */
  readonly firstAs: number | undefined;
  readonly origin: number;
  readonly med: number | undefined;
  readonly originatorId: number | undefined;
  readonly clusterLength: number;
}

/** factsCache keys the facts by attribute list; routes share their lists, so most lookups hit (emptied when full). */
const factsCache = new Map<RouteAttrs, DecisionFacts>();
const FACTS_LIMIT = 1 << 16;

function factsOf(attrs: RouteAttrs): DecisionFacts {
  let f = factsCache.get(attrs);
  if (f === undefined) {
    const c = findAttr(attrs, 'communities');
    const p = findAttr(attrs, 'as-path');
    f = {
      stale: c?.communities.includes(COMMUNITY_LLGR_STALE) ?? false,
      localPref: findAttr(attrs, 'local-pref')?.localPref,
      pathLength: p ? asPathLength(p.segments) : AS_PATH_MAXLEN,
      firstAs: p ? asPathFirst(p.segments) : undefined,
      origin: findAttr(attrs, 'origin')?.origin ?? BgpOrigin.Incomplete,
      med: findAttr(attrs, 'med')?.med,
      originatorId: findAttr(attrs, 'originator-id')?.originatorId,
      clusterLength: findAttr(attrs, 'cluster-list')?.clusterIds.length ?? 0,
    };
    if (factsCache.size >= FACTS_LIMIT) factsCache.clear();
    factsCache.set(attrs, f);
  }
  return f;
}

/** BETTER and WORSE hold the possible answers, made once: a verdict is a value. */
const BETTER = new Map<BestPathReason, Verdict>();
const WORSE = new Map<BestPathReason, Verdict>();

function verdict(better: boolean, reason: BestPathReason): Verdict {
  const m = better ? BETTER : WORSE;
  let v = m.get(reason);
  if (v === undefined) {
    v = Object.freeze({ better, reason });
    m.set(reason, v);
  }
  return v;
}

function step(n: number, o: number, lowerWins: boolean, reason: BestPathReason): Verdict | null {
  if (n === o) return null;
  return verdict(lowerWins ? n < o : n > o, reason);
}

/** bgpRteBetter is BIRD's bgp_rte_better(new, old) with the deciding step named. */
export function bgpRteBetter(n: NonNullable<Candidate['bgp']>, o: NonNullable<Candidate['bgp']>): Verdict {
  const ns = n.source;
  const os = o.source;
  const nf = factsOf(n.attrs);
  const of = factsOf(o.attrs);
  let v: Verdict | null;
  // RFC 4271 9.1.2.1: route resolvability.
  v = step(n.resolvable ? 1 : 0, o.resolvable ? 1 : 0, false, 'Reachable Next Hop');
  if (v) return v;
  v = step(nf.stale ? 1 : 0, of.stale ? 1 : 0, true, 'no LLGR Stale');
  if (v) return v;
  const nl = nf.localPref ?? ns.defaultLocalPref;
  const ol = of.localPref ?? os.defaultLocalPref;
  v = step(nl, ol, false, 'Local Pref');
  if (v) return v;
  if (ns.comparePathLengths || os.comparePathLengths) {
    v = step(nf.pathLength, of.pathLength, true, 'AS Path');
    if (v) return v;
  }
  v = step(nf.origin, of.origin, true, 'Origin');
  if (v) return v;
  if (ns.medMetric || os.medMetric || (nf.firstAs ?? ns.remoteAs) === (of.firstAs ?? os.remoteAs)) {
    const nm = nf.med ?? ns.defaultMed;
    const om = of.med ?? os.defaultMed;
    v = step(nm, om, true, 'MED');
    if (v) return v;
  }
  // RFC 4271 9.1.2.2 d: prefer external peers.
  v = step(ns.isInternal ? 1 : 0, os.isInternal ? 1 : 0, true, 'ASN');
  if (v) return v;
  const ni = ns.igpMetric ? Math.min(n.igpMetric, IGP_METRIC_UNKNOWN) : 0;
  const oi = os.igpMetric ? Math.min(o.igpMetric, IGP_METRIC_UNKNOWN) : 0;
  v = step(ni, oi, true, 'IGP Cost');
  if (v) return v;
  // RFC 4456 9 a: ORIGINATOR_ID stands in for the router id.
  const nid = nf.originatorId ?? ns.remoteId;
  const oid = of.originatorId ?? os.remoteId;
  if ((ns.preferOlder || os.preferOlder) && !ns.isInternal && nid !== oid) return verdict(false, 'Older');
  v = step(nid >>> 0, oid >>> 0, true, 'Router ID');
  if (v) return v;
  v = step(nf.clusterLength, of.clusterLength, true, 'Cluster List');
  if (v) return v;
  return verdict(ns.remoteIp >>> 0 < os.remoteIp >>> 0, 'Neighbor Address');
}

/** rteBetter is BIRD's rte_better(new, old): preference first, then the protocol's own comparison. */
export function rteBetter(n: Candidate, o: Candidate): Verdict {
  if (n.pref !== o.pref) return verdict(n.pref > o.pref, 'Preference');
  if (n.protocolOrder !== o.protocolOrder) return verdict(n.protocolOrder > o.protocolOrder, 'Preference');
  if (n.bgp && o.bgp) return bgpRteBetter(n.bgp, o.bgp);
  return verdict(false, 'Unknown');
}
