// The BGP attributes of a route as BIRD keeps them (projectcalico/bird proto/bgp/attrs.c, nest/a-path.c):
// one attribute per type code, sorted by type code (ea_sort), AS numbers always 4 octets inside the
// daemon; the 2-octet form and AS4_PATH/AS4_AGGREGATOR exist only on the wire of a non-AS4 session
// (RFC 6793 §4.2). Also the formats `birdc show route all` prints them in.

import { formatIpv4, type Ipv4 } from '../model/addr.js';
import {
  AS_TRANS,
  AsPathSegmentType,
  BgpAttrFlag,
  BgpAttrType,
  attributeFlags,
  attributeTypeCode,
  encodeAttribute,
  isKnownAttribute,
  type AsPathSegment,
  type BgpPathAttribute,
} from '../model/wire/bgp.js';

/** COMMUNITY_NO_EXPORT and the others are the well-known communities BIRD interprets (RFC 1997, RFC 9494). */
export const COMMUNITY_NO_EXPORT = 0xffffff01;
export const COMMUNITY_NO_ADVERTISE = 0xffffff02;
export const COMMUNITY_NO_EXPORT_SUBCONFED = 0xffffff03;
export const COMMUNITY_LLGR_STALE = 0xffff0006;

/** RouteAttrs are the path attributes of one route, one per type code, ascending by type code. */
export type RouteAttrs = readonly BgpPathAttribute[];

/** sortAttrs returns the attributes ordered by type code, as BIRD's ea_sort leaves them. */
export function sortAttrs(attrs: readonly BgpPathAttribute[]): BgpPathAttribute[] {
  return [...attrs].sort((a, b) => attributeTypeCode(a) - attributeTypeCode(b));
}

/** findAttr returns the attribute of a type, if the route has it. */
export function findAttr<T extends BgpPathAttribute['type']>(
  attrs: RouteAttrs,
  type: T,
): Extract<BgpPathAttribute, { type: T }> | undefined {
  for (const a of attrs) if (a.type === type) return a as Extract<BgpPathAttribute, { type: T }>;
  return undefined;
}

/** findCode returns the attribute with a type code (known or unknown). */
export function findCode(attrs: RouteAttrs, code: number): BgpPathAttribute | undefined {
  for (const a of attrs) if (attributeTypeCode(a) === code) return a;
  return undefined;
}

/** setAttr returns the attributes with `a` replacing the one of its type code (or added), still sorted. */
export function setAttr(attrs: RouteAttrs, a: BgpPathAttribute): BgpPathAttribute[] {
  const code = attributeTypeCode(a);
  return sortAttrs([...attrs.filter((x) => attributeTypeCode(x) !== code), a]);
}

/** removeAttr returns the attributes without the type code. */
export function removeAttr(attrs: RouteAttrs, code: number): BgpPathAttribute[] {
  return attrs.filter((x) => attributeTypeCode(x) !== code);
}

/** asPathLength counts an AS_SEQUENCE's ASes and one per AS_SET (as_path_getlen). */
export function asPathLength(segs: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of segs) n += s.type === AsPathSegmentType.Set ? 1 : s.type === AsPathSegmentType.Sequence ? s.asns.length : 0;
  return n;
}

/** asPathFirst is the neighbouring AS: the first AS of a leading AS_SEQUENCE (as_path_get_first). */
export function asPathFirst(segs: readonly AsPathSegment[]): number | undefined {
  return segs.length > 0 && segs[0].type === AsPathSegmentType.Sequence && segs[0].asns.length > 0 ? segs[0].asns[0] : undefined;
}

/** asPathLast is the origin AS: the last AS of the last AS_SEQUENCE, unless an AS_SET follows (as_path_get_last). */
export function asPathLast(segs: readonly AsPathSegment[]): number | undefined {
  let found: number | undefined;
  for (const s of segs) {
    if (s.asns.length === 0) continue;
    if (s.type === AsPathSegmentType.Set) found = undefined;
    else if (s.type === AsPathSegmentType.Sequence) found = s.asns[s.asns.length - 1];
  }
  return found;
}

/** asPathContains says whether `asn` occurs at least `min` times (as_path_contains). */
export function asPathContains(segs: readonly AsPathSegment[], asn: number, min = 1): boolean {
  let n = 0;
  for (const s of segs) for (const a of s.asns) if (a === asn && ++n >= min) return true;
  return false;
}

/** asPathPrepend puts `asn` in front, as as_path_prepend does (a new segment when the first is full or a set). */
export function asPathPrepend(segs: readonly AsPathSegment[], asn: number): AsPathSegment[] {
  if (segs.length > 0 && segs[0].type === AsPathSegmentType.Sequence && segs[0].asns.length < 255)
    return [{ type: AsPathSegmentType.Sequence, asns: [asn, ...segs[0].asns] }, ...segs.slice(1)];
  return [{ type: AsPathSegmentType.Sequence, asns: [asn] }, ...segs];
}

/** attrsKey is a string that is equal for two attribute lists exactly when they encode the same. */
export function attrsKey(attrs: RouteAttrs): string {
  let s = '';
  for (const a of attrs) {
    const b = encodeAttribute(a, { as4: true, addPath: false });
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    s += '|';
  }
  return s;
}

/**
 * normalizeForExport is bgp_get_bucket's normalisation towards a peer: attributes not allowed on eBGP
 * (ORIGINATOR_ID, CLUSTER_LIST, and LOCAL_PREF) are dropped there, unknown non-transitive ones are
 * dropped everywhere, known flags are reset to the standard ones (Partial kept), COMMUNITIES and
 * CLUSTER_LIST values are sorted (bgp_normalize_int_set) and empty sets are left out.
 */
export function normalizeForExport(attrs: RouteAttrs, internal: boolean): BgpPathAttribute[] {
  const out: BgpPathAttribute[] = [];
  for (const a of attrs) {
    const code = attributeTypeCode(a);
    if (!isKnownAttribute(code)) {
      if ((a.flags & BgpAttrFlag.Transitive) === 0) continue;
      out.push({ ...a, flags: a.flags & ~BgpAttrFlag.ExtendedLength });
      continue;
    }
    if (code === BgpAttrType.As4Path || code === BgpAttrType.As4Aggregator) continue;
    if (!internal && (code === BgpAttrType.OriginatorId || code === BgpAttrType.ClusterList || code === BgpAttrType.LocalPref)) continue;
    const flags = (a.flags & BgpAttrFlag.Partial) | attributeFlags(code);
    if (a.type === 'communities') {
      if (a.communities.length === 0) continue;
      out.push({ type: 'communities', flags, communities: [...a.communities].sort((x, y) => x - y) });
    } else if (a.type === 'cluster-list') {
      if (a.clusterIds.length === 0) continue;
      out.push({ type: 'cluster-list', flags, clusterIds: [...a.clusterIds].sort((x, y) => x - y) });
    } else out.push({ ...a, flags } as BgpPathAttribute);
  }
  return sortAttrs(out);
}

/**
 * toWireAttrs converts the daemon's 4-octet form for a session: on a non-AS4 session AS_PATH and
 * AGGREGATOR go out with AS_TRANS and the true values follow in AS4_PATH / AS4_AGGREGATOR (RFC 6793
 * §4.2.2, bgp_encode_attrs), each right after the attribute it completes.
 */
export function toWireAttrs(attrs: RouteAttrs, as4Session: boolean): BgpPathAttribute[] {
  if (as4Session) return [...attrs];
  const out: BgpPathAttribute[] = [];
  for (const a of attrs) {
    if (a.type === 'as-path') {
      const wide = a.segments.some((s) => s.asns.some((x) => x > 0xffff));
      out.push({
        ...a,
        flags: BgpAttrFlag.Transitive,
        segments: a.segments.map((s) => ({ type: s.type, asns: s.asns.map((x) => (x > 0xffff ? AS_TRANS : x)) })),
      });
      if (wide) out.push({ type: 'as4-path', flags: BgpAttrFlag.Optional | BgpAttrFlag.Transitive, segments: a.segments });
    } else if (a.type === 'aggregator') {
      const wide = a.asn > 0xffff;
      out.push({ ...a, asn: wide ? AS_TRANS : a.asn });
      if (wide) out.push({ type: 'as4-aggregator', flags: BgpAttrFlag.Optional | BgpAttrFlag.Transitive, asn: a.asn, address: a.address });
    } else out.push(a);
  }
  return out;
}

/**
 * fromWireAttrs rebuilds the 4-octet AS_PATH and AGGREGATOR of a route learnt over a non-AS4 session
 * (RFC 6793 §4.2.3, bgp_reconstruct_4b_atts), and drops AS4_PATH / AS4_AGGREGATOR in every case
 * (bgp_remove_as4_attrs).
 */
export function fromWireAttrs(attrs: RouteAttrs, as4Session: boolean): BgpPathAttribute[] {
  if (as4Session) return attrs.filter((a) => a.type !== 'as4-path' && a.type !== 'as4-aggregator');
  const p2 = findAttr(attrs, 'as-path');
  const p4 = findAttr(attrs, 'as4-path');
  const a2 = findAttr(attrs, 'aggregator');
  const a4 = findAttr(attrs, 'as4-aggregator');
  let out: BgpPathAttribute[] = attrs.filter((a) => a.type !== 'as4-path' && a.type !== 'as4-aggregator');
  if (a2 && a4 && a2.asn !== AS_TRANS) return out; // aggregated by an old speaker: AS4_* are stale
  if (a2 && a4) out = setAttr(out, { ...a2, asn: a4.asn, address: a4.address });
  if (!p2) return out;
  const len2 = asPathLength(p2.segments);
  const valid4 = p4 ? p4.segments.every((s) => s.type === AsPathSegmentType.Set || s.type === AsPathSegmentType.Sequence) : false;
  const len4 = p4 && valid4 ? asPathLength(p4.segments) : -1;
  if (!p4 || len4 <= 0 || len2 < len4) return out;
  // Keep the first len2 - len4 ASes of AS_PATH, then AS4_PATH.
  let keep = len2 - len4;
  const head: AsPathSegment[] = [];
  for (const s of p2.segments) {
    if (keep <= 0) break;
    if (s.type === AsPathSegmentType.Set) {
      head.push(s);
      keep -= 1;
    } else {
      const take = Math.min(keep, s.asns.length);
      head.push({ type: s.type, asns: s.asns.slice(0, take) });
      keep -= take;
    }
  }
  return setAttr(out, { ...p2, segments: [...head, ...p4!.segments] });
}

const ORIGIN_NAMES = ['IGP', 'EGP', 'Incomplete'];

/** formatOrigin prints ORIGIN as `show route all` does (bgp_format_origin). */
export function formatOrigin(origin: number): string {
  return ORIGIN_NAMES[origin] ?? String(origin);
}

/** formatAsPath prints an AS_PATH as BIRD's as_path_format: ASes space-separated, sets in braces. */
export function formatAsPath(segs: readonly AsPathSegment[]): string {
  const parts: string[] = [];
  for (const s of segs) {
    if (s.type === AsPathSegmentType.Set) parts.push(`{${s.asns.join(' ')}}`);
    else parts.push(s.asns.join(' '));
  }
  return parts.join(' ');
}

/** formatCommunities prints COMMUNITIES as `(a,b) (c,d)`, BIRD's int_set_format with way=1. */
export function formatCommunities(c: readonly number[]): string {
  return c.map((v) => `(${v >>> 16},${v & 0xffff})`).join(' ');
}

/** formatClusterList prints CLUSTER_LIST as dotted quads separated by spaces (int_set_format way=0). */
export function formatClusterList(ids: readonly Ipv4[]): string {
  return ids.map(formatIpv4).join(' ');
}

/** originLetter is the `[i]`, `[e]`, `[?]` letter of `show route` (bgp_get_route_info). */
export function originLetter(origin: number): string {
  return 'ie?'[origin] ?? '?';
}
