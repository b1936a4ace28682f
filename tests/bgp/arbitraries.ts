// fast-check generators of BGP message representations (RFC 4271, RFC 5492, RFC 7911) for the round-trip
// properties: every value generated is canonical, so decode(encode(x)) must give it back unchanged.

import fc from 'fast-check';
import { maskOf } from '../../src/model/addr.js';
import {
  BgpAttrFlag,
  encodeCapability,
  type AsPathSegment,
  type BgpCapability,
  type BgpCodecContext,
  type BgpNlri,
  type BgpOpenRepr,
  type BgpPathAttribute,
  type BgpRepr,
  type BgpUpdateRepr,
} from '../../src/model/wire/bgp.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const name = fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));

/** arbCapability is any capability in its decoded (canonical) form. */
export const arbCapability: fc.Arbitrary<BgpCapability> = fc.oneof(
  fc.record({ code: fc.constant('multiprotocol' as const), afi: u16, safi: u8 }),
  fc.constant({ code: 'route-refresh' as const }),
  fc.record({
    code: fc.constant('extended-next-hop' as const),
    tuples: fc.array(fc.record({ afi: u16, safi: u16, nextHopAfi: u16 }), { maxLength: 3 }),
  }),
  fc.constant({ code: 'extended-message' as const }),
  fc.record({ code: fc.constant('role' as const), role: u8 }),
  fc.record({
    code: fc.constant('graceful-restart' as const),
    flags: fc.integer({ min: 0, max: 15 }),
    restartTime: fc.integer({ min: 0, max: 4095 }),
    families: fc.array(fc.record({ afi: u16, safi: u8, flags: u8 }), { maxLength: 3 }),
  }),
  fc.record({ code: fc.constant('as4' as const), asn: u32 }),
  fc.record({
    code: fc.constant('add-path' as const),
    families: fc.array(fc.record({ afi: u16, safi: u8, sendReceive: u8 }), { maxLength: 3 }),
  }),
  fc.constant({ code: 'enhanced-route-refresh' as const }),
  fc.record({
    code: fc.constant('long-lived-graceful-restart' as const),
    families: fc.array(fc.record({ afi: u16, safi: u8, flags: u8, staleTime: fc.integer({ min: 0, max: 0xffffff }) }), { maxLength: 3 }),
  }),
  fc.record({ code: fc.constant('fqdn' as const), hostname: name, domain: name }),
  fc.record({ code: fc.constant('software-version' as const), version: name }),
  fc.record({
    code: fc.constant('unknown' as const),
    type: u8.filter((t) => ![1, 2, 5, 6, 9, 64, 65, 69, 70, 71, 73, 75].includes(t)),
    data: bytes(16),
  }),
);

/** arbOpen is an OPEN with zero or more parameters. */
export const arbOpen: fc.Arbitrary<BgpOpenRepr> = fc
  .record({
    version: u8,
    myAs: u16,
    holdTime: u16,
    bgpId: u32,
    parameters: fc.array(
      fc.oneof(
        fc.record({ type: fc.constant('capabilities' as const), capabilities: fc.array(arbCapability, { maxLength: 6 }) }),
        fc.record({ type: fc.constant('unknown' as const), code: u8.filter((c) => c !== 2 && c !== 255), data: bytes(8) }),
      ),
      { maxLength: 3 },
    ),
    ext: fc.boolean(),
  })
  .map(({ ext, ...o }) => {
    const repr: BgpOpenRepr = { type: 'open', ...o };
    // Parameters that do not fit one octet of length exist only in the RFC 9072 form.
    const lengths = repr.parameters.map((p) =>
      p.type === 'unknown' ? p.data.length : p.capabilities.reduce((n, c) => n + encodeCapability(c).length, 0),
    );
    if (ext || lengths.some((l) => l > 255) || lengths.reduce((n, l) => n + 2 + l, 0) > 255) repr.extendedParameters = true;
    return repr;
  });

/** arbPrefix is a canonical prefix (host bits clear). */
export const arbPrefix = fc
  .record({ addr: u32, len: fc.integer({ min: 0, max: 32 }) })
  .map(({ addr, len }) => ({ addr: (addr & maskOf(len)) >>> 0, len }));

function arbNlri(addPath: boolean): fc.Arbitrary<BgpNlri> {
  return addPath ? fc.record({ prefix: arbPrefix, pathId: u32 }) : fc.record({ prefix: arbPrefix });
}

const arbSegments = (asn: fc.Arbitrary<number>): fc.Arbitrary<AsPathSegment[]> =>
  fc.array(fc.record({ type: fc.integer({ min: 1, max: 4 }), asns: fc.array(asn, { minLength: 1, maxLength: 6 }) }), { maxLength: 3 });

/** arbAttribute is a well-formed attribute with the flags a speaker would send (or an extended-length bit). */
export function arbAttribute(ctx: BgpCodecContext): fc.Arbitrary<BgpPathAttribute> {
  const asn = ctx.as4 ? u32 : u16;
  const T = BgpAttrFlag.Transitive;
  const O = BgpAttrFlag.Optional;
  const ext = fc.boolean().map((e) => (e ? BgpAttrFlag.ExtendedLength : 0));
  return fc.oneof(
    fc.record({ type: fc.constant('origin' as const), flags: ext.map((e) => T | e), origin: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ type: fc.constant('as-path' as const), flags: ext.map((e) => T | e), segments: arbSegments(asn) }),
    fc.record({
      type: fc.constant('next-hop' as const),
      flags: ext.map((e) => T | e),
      nextHop: fc.integer({ min: 0x01000000, max: 0xdfffffff }),
    }),
    fc.record({ type: fc.constant('med' as const), flags: ext.map((e) => O | e), med: u32 }),
    fc.record({ type: fc.constant('local-pref' as const), flags: ext.map((e) => T | e), localPref: u32 }),
    fc.record({ type: fc.constant('atomic-aggregate' as const), flags: ext.map((e) => T | e) }),
    fc.record({ type: fc.constant('aggregator' as const), flags: ext.map((e) => O | T | e), asn, address: u32 }),
    fc.record({
      type: fc.constant('communities' as const),
      flags: ext.map((e) => O | T | e),
      communities: fc.array(u32, { maxLength: 80 }),
    }),
    fc.record({ type: fc.constant('originator-id' as const), flags: ext.map((e) => O | e), originatorId: u32 }),
    fc.record({ type: fc.constant('cluster-list' as const), flags: ext.map((e) => O | e), clusterIds: fc.array(u32, { maxLength: 5 }) }),
    fc.record({ type: fc.constant('as4-path' as const), flags: ext.map((e) => O | T | e), segments: arbSegments(u32) }),
    fc.record({ type: fc.constant('as4-aggregator' as const), flags: ext.map((e) => O | T | e), asn: u32, address: u32 }),
    fc.record({
      type: fc.constant('unknown' as const),
      flags: ext.map((e) => O | T | e),
      code: u8.filter((c) => c > 18 && c !== 32),
      data: bytes(300),
    }),
  );
}

/** arbUpdate is an UPDATE with each attribute type at most once, canonical in `ctx`. */
export function arbUpdate(ctx: BgpCodecContext): fc.Arbitrary<BgpUpdateRepr> {
  return fc
    .record({
      withdrawn: fc.array(arbNlri(ctx.addPath), { maxLength: 20 }),
      attributes: fc.uniqueArray(arbAttribute(ctx), {
        maxLength: 8,
        selector: (a) => (a.type === 'unknown' ? a.code : a.type),
      }),
      nlri: fc.array(arbNlri(ctx.addPath), { maxLength: 20 }),
    })
    .map((u) => ({ type: 'update' as const, ...u }));
}

/** arbMessage is any message canonical in `ctx`. */
export function arbMessage(ctx: BgpCodecContext): fc.Arbitrary<BgpRepr> {
  return fc.oneof(
    arbOpen,
    arbUpdate(ctx),
    fc.record({ type: fc.constant('notification' as const), code: u8, subcode: u8, data: bytes(20) }),
    fc.constant({ type: 'keepalive' as const }),
    fc.record({ type: fc.constant('route-refresh' as const), afi: u16, subtype: u8, safi: u8 }),
  );
}

/** hex parses a hex string (spaces allowed) into bytes. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

/** toHex prints bytes as lowercase hex. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
