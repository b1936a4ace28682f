// What a speaker does with a received UPDATE, in two ways:
//   'rfc4271': BIRD 1.6 as Calico runs it (projectcalico/bird proto/bgp/packets.c bgp_rx_update,
//              bgp_do_rx_update; attrs.c bgp_decode_attrs, validate_path): RFC 4271 §6.3 NOTIFICATIONs,
//              except the attributes BIRD withdraws instead (AGGREGATOR, COMMUNITY, EXT_COMMUNITY,
//              LARGE_COMMUNITY of a bad length) and loop checks (RFC 4456 §8) that withdraw.
//   'rfc7606': RFC 7606 (treat-as-withdraw, attribute discard, session reset only when the NLRI cannot be
//              trusted), the way BIRD 2 applies it (CZ-NIC/bird proto/bgp/attrs.c bgp_decode_attrs), except
//              where BIRD 2 leaves the RFC: an unrecognized well-known attribute stays a session reset
//              (RFC 4271 §6.3, not revised by RFC 7606) where BIRD 2 withdraws.
// Both then rebuild 4-octet AS numbers (RFC 6793), drop AS4_* attributes, drop the attributes an eBGP
// peer may not send, and add the default LOCAL_PREF.

import type { Ipv4 } from '../model/addr.js';
import {
  AsPathSegmentType,
  BgpAttrType,
  BgpErrorCode,
  BgpUpdateSubcode,
  attributeTypeCode,
  parseUpdateBody,
  type BgpAttributeProblem,
  type BgpNlri,
  type BgpPathAttribute,
} from '../model/wire/bgp.js';
import { asPathContains, asPathFirst, findAttr, fromWireAttrs, removeAttr, setAttr, sortAttrs, type RouteAttrs } from './attrs.js';
import type { UpdateErrorHandling } from './config.js';

/** UpdateContext is what the receiving session knows that decides how an UPDATE is taken. */
export interface UpdateContext {
  readonly mode: UpdateErrorHandling;
  readonly internal: boolean;
  readonly as4Session: boolean;
  readonly addPathRx: boolean;
  readonly localAs: number;
  readonly peerAs: number;
  readonly routerId: Ipv4;
  readonly rrClient: boolean;
  readonly clusterId: Ipv4;
  readonly defaultLocalPref: number;
  /** allowLocalAs is `allow local as`: the local AS may appear that many times more (-1: any number). */
  readonly allowLocalAs?: number;
}

/** UpdateVerdict is the outcome: a NOTIFICATION to send (and the session to reset), or routes to apply. */
export type UpdateVerdict =
  | { kind: 'notify'; code: number; subcode: number; data: Uint8Array; message: string }
  | {
      kind: 'routes';
      /** endOfRib marks the empty UPDATE of RFC 4724 §2. */
      endOfRib: boolean;
      withdraw: BgpNlri[];
      /** announce carries the NLRI with `attrs`; an UPDATE treated as withdraw puts its NLRI in `withdraw`. */
      announce: BgpNlri[];
      attrs: RouteAttrs | null;
      /** logs are the lines BIRD would log (malformed attributes, withdrawn routes). */
      logs: string[];
    };

const EMPTY = new Uint8Array(0);

/** FIXED_LENGTH are the attributes BIRD 1.6 checks the length of before their flags (expected_length ≥ 0). */
const FIXED_LENGTH = new Set<number>([
  BgpAttrType.Origin,
  BgpAttrType.NextHop,
  BgpAttrType.MultiExitDisc,
  BgpAttrType.LocalPref,
  BgpAttrType.AtomicAggregate,
  BgpAttrType.OriginatorId,
]);

/** BIRD16_WITHDRAW are the attributes whose bad length BIRD 1.6 answers with a withdraw, not a NOTIFICATION. */
const BIRD16_WITHDRAW = new Set<number>([BgpAttrType.Aggregator, BgpAttrType.Communities, BgpAttrType.ExtendedCommunities, BgpAttrType.LargeCommunities]);

/** IBGP_ONLY are the attributes an eBGP peer's UPDATE loses (allow_in_ebgp = 0, and LOCAL_PREF). */
const IBGP_ONLY = new Set<number>([BgpAttrType.OriginatorId, BgpAttrType.ClusterList, BgpAttrType.LocalPref]);

function notify(subcode: number, data: Uint8Array, message: string, code: number = BgpErrorCode.Update): UpdateVerdict {
  return { kind: 'notify', code, subcode, data, message };
}

/**
 * processUpdate takes the body of a received UPDATE (after the 19-octet header) and decides, as the
 * configured BIRD version does, what becomes of it.
 */
export function processUpdate(body: Uint8Array, ctx: UpdateContext): UpdateVerdict {
  const parsed = parseUpdateBody(body, { as4: ctx.as4Session, addPath: ctx.addPathRx });
  if (!parsed.ok) return notify(parsed.fault.subcode, parsed.fault.data, parsed.error, parsed.fault.code);
  const { update, problems, withdrawnFault, nlriFault } = parsed.value;
  const logs: string[] = [];
  const bird16 = ctx.mode === 'rfc4271';

  if (bird16 && problems.some((p) => p.kind === 'nlri-without-attributes')) return notify(BgpUpdateSubcode.MalformedAttributeList, EMPTY, 'NLRI without path attributes');
  if (!withdrawnFault && !nlriFault && update.withdrawn.length === 0 && update.attributes.length === 0 && update.nlri.length === 0 && problems.length === 0)
    return { kind: 'routes', endOfRib: true, withdraw: [], announce: [], attrs: null, logs };
  if (withdrawnFault) return notify(withdrawnFault.subcode, EMPTY, `withdrawn routes: ${withdrawnFault.kind}`);
  if (update.attributes.length === 0 && update.nlri.length === 0 && !nlriFault && problems.length === 0)
    return { kind: 'routes', endOfRib: false, withdraw: update.withdrawn, announce: [], attrs: null, logs };

  let attrs: BgpPathAttribute[] = [...update.attributes];
  let withdraw = false;
  const discard = new Set<number>();
  if (bird16) {
    for (let i = 0; i < problems.length; i++) {
      let p = problems[i];
      const next = problems[i + 1];
      // BIRD 1.6 checks a fixed-length attribute's length before its flags.
      if (p.kind === 'flags' && next && next.kind === 'length' && next.typeCode === p.typeCode && FIXED_LENGTH.has(p.typeCode)) {
        p = next;
        i++;
      }
      if (!ctx.internal && IBGP_ONLY.has(p.typeCode) && p.kind === 'length' && !FIXED_LENGTH.has(p.typeCode)) continue;
      const v = bird16Problem(p, logs);
      if (v === 'withdraw') withdraw = true;
      else if (v === 'drop') discard.add(p.typeCode);
      else if (v) return v;
    }
    if (!withdraw) {
      const path = findAttr(attrs, 'as-path');
      if (path) {
        if (path.segments.some((s) => (s.type === AsPathSegmentType.ConfedSequence || s.type === AsPathSegmentType.ConfedSet) && s.asns.includes(ctx.peerAs)))
          return notify(BgpUpdateSubcode.MalformedAsPath, EMPTY, 'AS_CONFED_* segment with peer ASN found');
        attrs = setAttr(attrs, { ...path, segments: path.segments.filter((s) => s.type === AsPathSegmentType.Set || s.type === AsPathSegmentType.Sequence) });
      }
    }
  } else {
    for (const p of problems) {
      const v = rfc7606Problem(p, logs);
      if (v === 'withdraw') withdraw = true;
      else if (v === 'drop') discard.add(p.typeCode);
      else if (v) return v;
    }
    if (withdraw && update.nlri.length === 0 && !nlriFault) return notify(BgpUpdateSubcode.MalformedAttributeList, EMPTY, 'Malformed attribute list and no NLRI');
    const path = findAttr(attrs, 'as-path');
    if (!withdraw && path) {
      if (path.segments.some((s) => s.type === AsPathSegmentType.ConfedSequence || s.type === AsPathSegmentType.ConfedSet)) {
        logs.push('Malformed AS_PATH attribute - unexpected AS_CONFED_* segment');
        withdraw = true;
      } else if (!ctx.internal && update.nlri.length > 0 && asPathFirst(path.segments) !== ctx.peerAs) {
        logs.push('Malformed AS_PATH attribute - First AS differs from neigbor AS');
        withdraw = true;
      }
    }
  }
  const nlriError = nlriFault ? notify(nlriFault.subcode, EMPTY, `NLRI: ${nlriFault.kind}`) : null;
  if (bird16) {
    // A withdraw skips the mandatory check; a missing attribute is reported before a bad prefix.
    if (withdraw) return nlriError ?? treatAsWithdraw(update.withdrawn, update.nlri, logs);
    const missing = problems.find((p) => p.kind === 'missing-well-known');
    if (missing) return notify(BgpUpdateSubcode.MissingWellKnown, missing.data, missing.message);
    if (nlriError) return nlriError;
  } else {
    if (nlriError) return nlriError;
    if (withdraw) return treatAsWithdraw(update.withdrawn, update.nlri, logs);
  }
  if (update.nlri.length === 0) return { kind: 'routes', endOfRib: false, withdraw: update.withdrawn, announce: [], attrs: null, logs };

  // Attributes dropped: those discarded above, MP_(UN)REACH_NLRI (IPv4 BIRD ignores them), eBGP-only ones.
  for (const code of discard) attrs = removeAttr(attrs, code);
  attrs = removeAttr(removeAttr(attrs, BgpAttrType.MpReachNlri), BgpAttrType.MpUnreachNlri);
  if (!ctx.internal) for (const code of IBGP_ONLY) attrs = removeAttr(attrs, code);
  attrs = fromWireAttrs(sortAttrs(attrs), ctx.as4Session);

  // Loops are withdrawn silently (RFC 4271 §9.1.2 AS_PATH, RFC 4456 §8 ORIGINATOR_ID and CLUSTER_LIST).
  const path = findAttr(attrs, 'as-path');
  const allow = ctx.allowLocalAs ?? 0;
  if (path && allow >= 0 && asPathContains(path.segments, ctx.localAs, allow + 1)) return { kind: 'routes', endOfRib: false, withdraw: [...update.withdrawn, ...update.nlri], announce: [], attrs: null, logs };
  const orig = findAttr(attrs, 'originator-id');
  if (orig && orig.originatorId === ctx.routerId && (bird16 || ctx.internal))
    return { kind: 'routes', endOfRib: false, withdraw: [...update.withdrawn, ...update.nlri], announce: [], attrs: null, logs };
  const cl = findAttr(attrs, 'cluster-list');
  if (cl && ctx.rrClient && cl.clusterIds.includes(ctx.clusterId))
    return { kind: 'routes', endOfRib: false, withdraw: [...update.withdrawn, ...update.nlri], announce: [], attrs: null, logs };
  if (!findAttr(attrs, 'local-pref')) attrs = setAttr(attrs, { type: 'local-pref', flags: 0x40, localPref: ctx.defaultLocalPref });
  return { kind: 'routes', endOfRib: false, withdraw: update.withdrawn, announce: update.nlri, attrs, logs };
}

function treatAsWithdraw(withdrawn: BgpNlri[], nlri: BgpNlri[], logs: string[]): UpdateVerdict {
  return { kind: 'routes', endOfRib: false, withdraw: [...withdrawn, ...nlri], announce: [], attrs: null, logs };
}

/** bird16Problem maps one problem to BIRD 1.6's answer: a NOTIFICATION, a withdraw, a dropped attribute, or nothing. */
function bird16Problem(p: BgpAttributeProblem, logs: string[]): UpdateVerdict | 'withdraw' | 'drop' | null {
  switch (p.kind) {
    case 'framing':
    case 'duplicate':
      return notify(BgpUpdateSubcode.MalformedAttributeList, EMPTY, p.message);
    case 'flags':
      return notify(BgpUpdateSubcode.AttributeFlags, p.data, p.message);
    case 'length':
      if (BIRD16_WITHDRAW.has(p.typeCode)) {
        logs.push(`Attribute ${bird16Name(p.typeCode)} is malformed, withdrawing update`);
        return 'withdraw';
      }
      // AS4_AGGREGATOR is only checked when 4-octet attributes are rebuilt, and then skipped.
      if (p.typeCode === BgpAttrType.As4Aggregator) return 'drop';
      return notify(BgpUpdateSubcode.AttributeLength, p.data, p.message);
    case 'origin-value':
      return notify(BgpUpdateSubcode.InvalidOrigin, p.data, p.message);
    case 'next-hop-value':
      return notify(BgpUpdateSubcode.InvalidNextHop, p.data, p.message);
    case 'as-path':
      if (p.typeCode === BgpAttrType.As4Path) return 'drop';
      return notify(BgpUpdateSubcode.MalformedAsPath, p.data, p.message);
    case 'unrecognized-well-known':
      return notify(BgpUpdateSubcode.UnrecognizedWellKnown, p.data, p.message);
    case 'missing-well-known':
    case 'nlri-without-attributes':
      return null;
  }
}

/** rfc7606Problem maps one problem to its RFC 7606 handling. */
function rfc7606Problem(p: BgpAttributeProblem, logs: string[]): UpdateVerdict | 'withdraw' | 'drop' | null {
  logs.push(p.message);
  if (p.kind === 'unrecognized-well-known') return notify(BgpUpdateSubcode.UnrecognizedWellKnown, p.data, p.message);
  switch (p.action) {
    case 'session-reset':
      return notify(p.kind === 'duplicate' ? BgpUpdateSubcode.MalformedAttributeList : p.subcode, p.kind === 'duplicate' ? EMPTY : p.data, p.message);
    case 'treat-as-withdraw':
      return 'withdraw';
    case 'attribute-discard':
      // A duplicate keeps its first instance, which the parse already did.
      return p.kind === 'duplicate' ? null : 'drop';
  }
}

function bird16Name(code: number): string {
  switch (code) {
    case BgpAttrType.Aggregator:
      return 'aggregator';
    case BgpAttrType.Communities:
      return 'community';
    case BgpAttrType.ExtendedCommunities:
      return 'ext_community';
    case BgpAttrType.LargeCommunities:
      return 'large_community';
    default:
      return String(code);
  }
}

/** attributeCodes lists the type codes of a route's attributes (for tests and printers). */
export function attributeCodes(attrs: RouteAttrs): number[] {
  return attrs.map(attributeTypeCode);
}
