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
  decodeAttributes,
  decodePrefixes,
  parseUpdateBody,
  type AsPathSegment,
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
const BIRD16_WITHDRAW = new Set<number>([
  BgpAttrType.Aggregator,
  BgpAttrType.Communities,
  BgpAttrType.ExtendedCommunities,
  BgpAttrType.LargeCommunities,
]);

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
  return fastUpdate(body, ctx) ?? processUpdateUncached(body, ctx);
}

/** processUpdateUncached is processUpdate without the shared cache of clean attribute lists (tests compare the two). */
export function processUpdateUncached(body: Uint8Array, ctx: UpdateContext): UpdateVerdict {
  const parsed = parseUpdateBody(body, { as4: ctx.as4Session, addPath: ctx.addPathRx });
  if (!parsed.ok) return notify(parsed.fault.subcode, parsed.fault.data, parsed.error, parsed.fault.code);
  const { update, problems, withdrawnFault, nlriFault } = parsed.value;
  const logs: string[] = [];
  const bird16 = ctx.mode === 'rfc4271';

  if (bird16 && problems.some((p) => p.kind === 'nlri-without-attributes'))
    return notify(BgpUpdateSubcode.MalformedAttributeList, EMPTY, 'NLRI without path attributes');
  if (
    !withdrawnFault &&
    !nlriFault &&
    update.withdrawn.length === 0 &&
    update.attributes.length === 0 &&
    update.nlri.length === 0 &&
    problems.length === 0
  )
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
        if (
          path.segments.some(
            (s) => (s.type === AsPathSegmentType.ConfedSequence || s.type === AsPathSegmentType.ConfedSet) && s.asns.includes(ctx.peerAs),
          )
        )
          return notify(BgpUpdateSubcode.MalformedAsPath, EMPTY, 'AS_CONFED_* segment with peer ASN found');
        attrs = setAttr(attrs, {
          ...path,
          segments: path.segments.filter((s) => s.type === AsPathSegmentType.Set || s.type === AsPathSegmentType.Sequence),
        });
      }
    }
  } else {
    for (const p of problems) {
      const v = rfc7606Problem(p, logs);
      if (v === 'withdraw') withdraw = true;
      else if (v === 'drop') discard.add(p.typeCode);
      else if (v) return v;
    }
    if (withdraw && update.nlri.length === 0 && !nlriFault)
      return notify(BgpUpdateSubcode.MalformedAttributeList, EMPTY, 'Malformed attribute list and no NLRI');
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

  return loopChecked(update.withdrawn, update.nlri, finishAttributes(attrs, discard, ctx), logs, ctx);
}

/**
 * finishAttributes drops what the route does not keep: the attributes discarded, MP_(UN)REACH_NLRI (IPv4
 * BIRD ignores them), the eBGP-only ones; rebuilds 4-octet AS numbers and adds the default LOCAL_PREF.
 */
function finishAttributes(attrs: RouteAttrs, discard: ReadonlySet<number>, ctx: UpdateContext): RouteAttrs {
  for (const code of discard) attrs = removeAttr(attrs, code);
  attrs = removeAttr(removeAttr(attrs, BgpAttrType.MpReachNlri), BgpAttrType.MpUnreachNlri);
  if (!ctx.internal) for (const code of IBGP_ONLY) attrs = removeAttr(attrs, code);
  attrs = fromWireAttrs(sortAttrs(attrs), ctx.as4Session);
  // The loop checks that follow read no LOCAL_PREF: adding it first changes nothing.
  if (!findAttr(attrs, 'local-pref')) attrs = setAttr(attrs, { type: 'local-pref', flags: 0x40, localPref: ctx.defaultLocalPref });
  return attrs;
}

/** LoopFacts are the attributes the loop checks read. */
interface LoopFacts {
  readonly asPath: readonly AsPathSegment[] | null;
  readonly originatorId: Ipv4 | null;
  readonly clusterIds: readonly Ipv4[] | null;
}

function loopFacts(attrs: RouteAttrs): LoopFacts {
  return {
    asPath: findAttr(attrs, 'as-path')?.segments ?? null,
    originatorId: findAttr(attrs, 'originator-id')?.originatorId ?? null,
    clusterIds: findAttr(attrs, 'cluster-list')?.clusterIds ?? null,
  };
}

/** loopChecked withdraws routes with a loop silently (RFC 4271 §9.1.2 AS_PATH, RFC 4456 §8 ORIGINATOR_ID and CLUSTER_LIST). */
function loopChecked(
  withdrawn: BgpNlri[],
  nlri: BgpNlri[],
  attrs: RouteAttrs,
  logs: string[],
  ctx: UpdateContext,
  facts: LoopFacts = loopFacts(attrs),
): UpdateVerdict {
  const allow = ctx.allowLocalAs ?? 0;
  if (
    (facts.asPath !== null && allow >= 0 && asPathContains(facts.asPath, ctx.localAs, allow + 1)) ||
    (facts.originatorId !== null && facts.originatorId === ctx.routerId && (ctx.mode === 'rfc4271' || ctx.internal)) ||
    (facts.clusterIds !== null && ctx.rrClient && facts.clusterIds.includes(ctx.clusterId))
  )
    return {
      kind: 'routes',
      endOfRib: false,
      withdraw: withdrawn.length === 0 ? nlri : [...withdrawn, ...nlri],
      announce: NO_NLRI,
      attrs: null,
      logs,
    };
  return { kind: 'routes', endOfRib: false, withdraw: withdrawn, announce: nlri, attrs, logs };
}

/** NO_NLRI and NO_LOGS are shared empty lists (nothing changes them). */
const NO_NLRI: BgpNlri[] = Object.freeze([]) as unknown as BgpNlri[];
const NO_LOGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * The common UPDATE (NLRI with well-formed attributes) takes a shorter way: its attribute list, as
 * octets, is decoded and cleaned once and the result shared by every later UPDATE that carries the same
 * octets under the same session kind, in any speaker of the process (the attributes of a route are
 * immutable values). Reflected routes reach thousands of clients with identical attribute octets.
 */
interface CleanAttributes {
  readonly octets: Uint8Array;
  readonly ctxKey: string;
  readonly attrs: RouteAttrs;
  readonly facts: LoopFacts;
}

/** CLEAN_CACHE_LIMIT bounds the cache (it is emptied when full). */
const CLEAN_CACHE_LIMIT = 1 << 17;
const cleanCache = new Map<number, CleanAttributes | CleanAttributes[]>();
let cleanCacheSize = 0;

/** ctxKeys caches, per context object, what of it the cleaned attributes depend on, and its hash. */
const ctxKeys = new WeakMap<UpdateContext, { readonly key: string; readonly hash: number }>();

function ctxKeyOf(ctx: UpdateContext): { readonly key: string; readonly hash: number } {
  let k = ctxKeys.get(ctx);
  if (k === undefined) {
    const key = `${ctx.mode}|${ctx.internal ? 1 : 0}|${ctx.as4Session ? 1 : 0}|${ctx.peerAs}|${ctx.defaultLocalPref}`;
    k = { key, hash: hashString(key) };
    ctxKeys.set(ctx, k);
  }
  return k;
}

function hashOctets(b: Uint8Array, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

function sameOctets(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** deepFreeze makes shared attribute values immutable, so that no holder can change another's. */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v) && !(v instanceof Uint8Array)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** cleanAttributes is processUpdate's attribute handling for a list without problems, or null where that path needs more (then the full one runs). */
function cleanAttributes(decoded: BgpPathAttribute[], ctx: UpdateContext): RouteAttrs | null {
  let attrs: RouteAttrs = decoded;
  const path = findAttr(attrs, 'as-path');
  if (path) {
    const confed = path.segments.some((s) => s.type === AsPathSegmentType.ConfedSequence || s.type === AsPathSegmentType.ConfedSet);
    if (ctx.mode === 'rfc4271') {
      if (confed) return null;
      attrs = setAttr(attrs, {
        ...path,
        segments: path.segments.filter((s) => s.type === AsPathSegmentType.Set || s.type === AsPathSegmentType.Sequence),
      });
    } else if (confed || (!ctx.internal && asPathFirst(path.segments) !== ctx.peerAs)) return null;
  }
  return finishAttributes(attrs, NO_DISCARD, ctx);
}

const NO_DISCARD: ReadonlySet<number> = new Set();
const CODEC_AS4 = { as4: true, addPath: false };
const CODEC_AS2 = { as4: false, addPath: false };
const CODEC_AS4_ADDPATH = { as4: true, addPath: true };
const CODEC_AS2_ADDPATH = { as4: false, addPath: true };

/** fastUpdate is processUpdate for an UPDATE with NLRI and clean attributes, or null for the full path. */
function fastUpdate(body: Uint8Array, ctx: UpdateContext): UpdateVerdict | null {
  if (body.length < 4) return null;
  const wlen = (body[0] << 8) | body[1];
  if (2 + wlen + 2 > body.length) return null;
  const alen = (body[2 + wlen] << 8) | body[3 + wlen];
  const nstart = 4 + wlen + alen;
  if (alen === 0 || nstart >= body.length) return null;
  const octets = body.subarray(4 + wlen, nstart);
  const codec = ctx.addPathRx ? (ctx.as4Session ? CODEC_AS4_ADDPATH : CODEC_AS2_ADDPATH) : ctx.as4Session ? CODEC_AS4 : CODEC_AS2;
  const { key: ctxKey, hash } = ctxKeyOf(ctx);
  const h = hashOctets(octets, hash);
  let entry: CleanAttributes | undefined;
  const hit = cleanCache.get(h);
  if (hit !== undefined) {
    if (!Array.isArray(hit)) {
      if (hit.ctxKey === ctxKey && sameOctets(hit.octets, octets)) entry = hit;
    } else
      for (const e of hit)
        if (e.ctxKey === ctxKey && sameOctets(e.octets, octets)) {
          entry = e;
          break;
        }
  }
  if (entry === undefined) {
    const d = decodeAttributes(octets, codec, true);
    if (d.problems.length > 0) return null;
    const clean = cleanAttributes(d.attributes, ctx);
    if (clean === null) return null;
    const attrs = deepFreeze(clean);
    if (cleanCacheSize >= CLEAN_CACHE_LIMIT) {
      cleanCache.clear();
      cleanCacheSize = 0;
    }
    entry = { octets: octets.slice(), ctxKey, attrs, facts: loopFacts(attrs) };
    const cur = cleanCache.get(h);
    cleanCache.set(h, cur === undefined ? entry : Array.isArray(cur) ? [...cur, entry] : [cur, entry]);
    cleanCacheSize++;
  }
  let withdrawn = NO_NLRI;
  if (wlen > 0) {
    const w = decodePrefixes(body.subarray(2, 2 + wlen), codec);
    if (!w.ok) return null;
    withdrawn = w.value;
  }
  const n = decodePrefixes(body.subarray(nstart), codec);
  if (!n.ok) return null;
  return loopChecked(withdrawn, n.value, entry.attrs, NO_LOGS, ctx, entry.facts);
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
      return notify(
        p.kind === 'duplicate' ? BgpUpdateSubcode.MalformedAttributeList : p.subcode,
        p.kind === 'duplicate' ? EMPTY : p.data,
        p.message,
      );
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
