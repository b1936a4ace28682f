// BGP-4 messages (RFC 4271 §4), capabilities (RFC 5492; MP RFC 4760, route refresh RFC 2918, extended
// next hop RFC 8950, extended messages RFC 8654, role RFC 9234, graceful restart RFC 4724, 4-octet AS
// RFC 6793, ADD-PATH RFC 7911, enhanced route refresh RFC 7313, long-lived GR and FQDN drafts, software
// version draft), extended optional parameters (RFC 9072), path attributes (RFC 4271 §5, RFC 1997,
// RFC 4456, RFC 6793) and the UPDATE error classification of RFC 4271 §6 and RFC 7606.
//
// Decoding never throws. Header and message framing faults carry the NOTIFICATION RFC 4271 §6 prescribes;
// problems inside the path attributes of a still-usable UPDATE are listed, each with its RFC 4271
// NOTIFICATION and its RFC 7606 action, so that the session layer (src/bgp/) can answer as the BIRD
// version it models. Known attributes and capabilities whose length or content does not fit their type are
// kept as `unknown` raw values, so every well-formed message re-encodes to its own bytes.

import type { Cidr, Ipv4 } from '../addr.js';
import { maskOf } from '../addr.js';
import { readU16, readU32, writeU16, writeU32 } from './bytes.js';

/** BGP_PORT is the TCP port BGP listens on (RFC 4271 §8.2.1). */
export const BGP_PORT = 179;

/** BGP_VERSION is the protocol version this module speaks. */
export const BGP_VERSION = 4;

/** BGP_HEADER_LEN is the length of the fixed header: marker 16, length 2, type 1. */
export const BGP_HEADER_LEN = 19;

/** BGP_MAX_MESSAGE_LEN is the largest message without the extended message capability (RFC 4271 §4.1). */
export const BGP_MAX_MESSAGE_LEN = 4096;

/** BGP_MAX_EXTENDED_MESSAGE_LEN is the largest message once both sides sent capability 6 (RFC 8654). */
export const BGP_MAX_EXTENDED_MESSAGE_LEN = 65535;

/** AS_TRANS is the 2-octet stand-in for a 4-octet AS number (RFC 6793 §9). */
export const AS_TRANS = 23456;

/** BgpMessageType is the Type octet of the header. */
export const BgpMessageType = { Open: 1, Update: 2, Notification: 3, Keepalive: 4, RouteRefresh: 5 } as const;

/** BgpErrorCode is the Error Code of a NOTIFICATION (RFC 4271 §4.5, RFC 7313 §5). */
export const BgpErrorCode = {
  MessageHeader: 1,
  Open: 2,
  Update: 3,
  HoldTimerExpired: 4,
  FiniteStateMachine: 5,
  Cease: 6,
  RouteRefresh: 7,
} as const;

/** BgpUpdateSubcode is the subcode of an UPDATE Message Error (RFC 4271 §6.3). */
export const BgpUpdateSubcode = {
  MalformedAttributeList: 1,
  UnrecognizedWellKnown: 2,
  MissingWellKnown: 3,
  AttributeFlags: 4,
  AttributeLength: 5,
  InvalidOrigin: 6,
  InvalidNextHop: 8,
  OptionalAttribute: 9,
  InvalidNetworkField: 10,
  MalformedAsPath: 11,
} as const;

/** BgpAttrFlag are the bits of the Attribute Flags octet (RFC 4271 §4.3). */
export const BgpAttrFlag = { Optional: 0x80, Transitive: 0x40, Partial: 0x20, ExtendedLength: 0x10 } as const;

/** BgpAttrType is the Attribute Type Code of the attributes modelled here. */
export const BgpAttrType = {
  Origin: 1,
  AsPath: 2,
  NextHop: 3,
  MultiExitDisc: 4,
  LocalPref: 5,
  AtomicAggregate: 6,
  Aggregator: 7,
  Communities: 8,
  OriginatorId: 9,
  ClusterList: 10,
  MpReachNlri: 14,
  MpUnreachNlri: 15,
  ExtendedCommunities: 16,
  As4Path: 17,
  As4Aggregator: 18,
  LargeCommunities: 32,
} as const;

/** BgpOrigin is the value of the ORIGIN attribute. */
export const BgpOrigin = { Igp: 0, Egp: 1, Incomplete: 2 } as const;

/** AsPathSegmentType is the segment type of AS_PATH and AS4_PATH (RFC 4271 §4.3, RFC 5065 §3). */
export const AsPathSegmentType = { Set: 1, Sequence: 2, ConfedSequence: 3, ConfedSet: 4 } as const;

/** BgpCapabilityCode is the Capability Code of the capabilities modelled here (IANA registry). */
export const BgpCapabilityCode = {
  Multiprotocol: 1,
  RouteRefresh: 2,
  ExtendedNextHop: 5,
  ExtendedMessage: 6,
  Role: 9,
  GracefulRestart: 64,
  As4: 65,
  AddPath: 69,
  EnhancedRouteRefresh: 70,
  LongLivedGracefulRestart: 71,
  Fqdn: 73,
  SoftwareVersion: 75,
} as const;

/** Afi and Safi are the address family numbers this simulator uses (IPv4 unicast). */
export const Afi = { Ipv4: 1, Ipv6: 2 } as const;
export const Safi = { Unicast: 1 } as const;

/** ADD_PATH_RECEIVE and ADD_PATH_SEND are the Send/Receive bits of an ADD-PATH tuple (RFC 7911 §4). */
export const ADD_PATH_RECEIVE = 1;
export const ADD_PATH_SEND = 2;

/** GR_RESTART_STATE and GR_NOTIFICATION are the Restart Flags bits (RFC 4724 §3, RFC 8538 §2). */
export const GR_RESTART_STATE = 0x8;
export const GR_NOTIFICATION = 0x4;

/** GR_FORWARDING is the Forwarding State bit of a per-family flags octet (RFC 4724 §3). */
export const GR_FORWARDING = 0x80;

/** BgpCodecContext is what the session negotiated that changes the encoding: 4-octet AS_PATH and path ids. */
export interface BgpCodecContext {
  /** as4 says both sides sent capability 65, so AS_PATH and AGGREGATOR carry 4-octet AS numbers. */
  readonly as4: boolean;
  /** addPath says NLRI and withdrawn routes carry a 4-octet Path Identifier (RFC 7911 §3). */
  readonly addPath: boolean;
  /** extendedMessages raises the message size limit to 65535 (RFC 8654). */
  readonly extendedMessages?: boolean;
}

/** BGP_DEFAULT_CONTEXT is a 4-octet-AS session without ADD-PATH, as two BIRDs negotiate by default. */
export const BGP_DEFAULT_CONTEXT: BgpCodecContext = { as4: true, addPath: false, extendedMessages: false };

/** AfiSafi names an address family. */
export interface AfiSafi {
  afi: number;
  safi: number;
}

/**
 * BgpCapability is one capability of the capabilities optional parameter. A known code whose length
 * or content does not fit its definition is kept as `unknown`, as is every other code.
 */
export type BgpCapability =
  | { code: 'multiprotocol'; afi: number; safi: number }
  | { code: 'route-refresh' }
  | { code: 'extended-next-hop'; tuples: { afi: number; safi: number; nextHopAfi: number }[] }
  | { code: 'extended-message' }
  | { code: 'role'; role: number }
  | {
      code: 'graceful-restart';
      /** flags is the 4-bit Restart Flags field (GR_RESTART_STATE, GR_NOTIFICATION). */
      flags: number;
      /** restartTime is the 12-bit Restart Time in seconds. */
      restartTime: number;
      families: { afi: number; safi: number; flags: number }[];
    }
  | { code: 'as4'; asn: number }
  | { code: 'add-path'; families: { afi: number; safi: number; sendReceive: number }[] }
  | { code: 'enhanced-route-refresh' }
  | { code: 'long-lived-graceful-restart'; families: { afi: number; safi: number; flags: number; staleTime: number }[] }
  | { code: 'fqdn'; hostname: string; domain: string }
  | { code: 'software-version'; version: string }
  | { code: 'unknown'; type: number; data: Uint8Array };

/** BgpOptionalParameter is an OPEN optional parameter: capabilities (type 2) or anything else raw. */
export type BgpOptionalParameter =
  | { type: 'capabilities'; capabilities: BgpCapability[] }
  | { type: 'unknown'; code: number; data: Uint8Array };

/** BgpOpenRepr is an OPEN message (RFC 4271 §4.2). */
export interface BgpOpenRepr {
  type: 'open';
  version: number;
  myAs: number;
  holdTime: number;
  bgpId: Ipv4;
  parameters: BgpOptionalParameter[];
  /** extendedParameters selects the RFC 9072 encoding (255, 255, 2-octet length, 2-octet parameter lengths). */
  extendedParameters?: boolean;
}

/** AsPathSegment is one AS_SET (1) or AS_SEQUENCE (2) segment; confederation types 3 and 4 are kept too. */
export interface AsPathSegment {
  type: number;
  asns: number[];
}

/**
 * BgpPathAttribute is one path attribute with its Attribute Flags octet as sent (the Extended Length
 * bit included; encodeBgp sets it when the value is longer than 255 octets). `unknown` carries any
 * other type code, and a known one whose value does not fit its type, as raw data.
 */
export type BgpPathAttribute =
  | { type: 'origin'; flags: number; origin: number }
  | { type: 'as-path'; flags: number; segments: AsPathSegment[] }
  | { type: 'next-hop'; flags: number; nextHop: Ipv4 }
  | { type: 'med'; flags: number; med: number }
  | { type: 'local-pref'; flags: number; localPref: number }
  | { type: 'atomic-aggregate'; flags: number }
  | { type: 'aggregator'; flags: number; asn: number; address: Ipv4 }
  | { type: 'communities'; flags: number; communities: number[] }
  | { type: 'originator-id'; flags: number; originatorId: Ipv4 }
  | { type: 'cluster-list'; flags: number; clusterIds: Ipv4[] }
  | { type: 'as4-path'; flags: number; segments: AsPathSegment[] }
  | { type: 'as4-aggregator'; flags: number; asn: number; address: Ipv4 }
  | { type: 'unknown'; flags: number; code: number; data: Uint8Array };

/** BgpNlri is one prefix of the NLRI or Withdrawn Routes field, with its path id under ADD-PATH. */
export interface BgpNlri {
  prefix: Cidr;
  pathId?: number;
}

/** BgpUpdateRepr is an UPDATE message (RFC 4271 §4.3) for IPv4 unicast. */
export interface BgpUpdateRepr {
  type: 'update';
  withdrawn: BgpNlri[];
  attributes: BgpPathAttribute[];
  nlri: BgpNlri[];
}

/** BgpNotificationRepr is a NOTIFICATION message (RFC 4271 §4.5). */
export interface BgpNotificationRepr {
  type: 'notification';
  code: number;
  subcode: number;
  data: Uint8Array;
}

/** BgpKeepaliveRepr is a KEEPALIVE message (RFC 4271 §4.4): the header alone. */
export interface BgpKeepaliveRepr {
  type: 'keepalive';
}

/** BgpRouteRefreshRepr is a ROUTE-REFRESH message (RFC 2918; `subtype` is the RFC 7313 Message Subtype). */
export interface BgpRouteRefreshRepr {
  type: 'route-refresh';
  afi: number;
  subtype: number;
  safi: number;
}

/** BgpRepr is any BGP message. */
export type BgpRepr = BgpOpenRepr | BgpUpdateRepr | BgpNotificationRepr | BgpKeepaliveRepr | BgpRouteRefreshRepr;

/** BgpFault is an error that makes a message unusable, with the NOTIFICATION RFC 4271 §6 prescribes. */
export interface BgpFault {
  /** kind names the check that failed. */
  kind:
    | 'connection-not-synchronized'
    | 'bad-message-length'
    | 'bad-message-type'
    | 'malformed-optional-parameters'
    | 'malformed-attribute-list'
    | 'malformed-nlri'
    | 'invalid-network-field';
  code: number;
  subcode: number;
  data: Uint8Array;
}

/** BgpDecodeResult is a decoded value, or the reason it failed with the NOTIFICATION to answer. */
export type BgpDecodeResult<T> = { ok: true; value: T } | { ok: false; error: string; fault: BgpFault };

/** Rfc7606Action is how RFC 7606 §2 handles an UPDATE error. */
export type Rfc7606Action = 'session-reset' | 'treat-as-withdraw' | 'attribute-discard';

/** BgpAttributeProblem is one error found in the path attributes of an UPDATE that was otherwise parsed. */
export interface BgpAttributeProblem {
  /** kind names the check that failed (RFC 4271 §6.3, RFC 7606 §3, §4, §7). */
  kind:
    | 'framing'
    | 'duplicate'
    | 'flags'
    | 'length'
    | 'origin-value'
    | 'as-path'
    | 'next-hop-value'
    | 'unrecognized-well-known'
    | 'missing-well-known'
    | 'nlri-without-attributes';
  /** typeCode is the attribute concerned (the first missing one for missing-well-known). */
  typeCode: number;
  /** subcode is the UPDATE Message Error subcode RFC 4271 §6.3 gives. */
  subcode: number;
  /** data is the NOTIFICATION data RFC 4271 §6.3 gives (the whole attribute, or the missing type code). */
  data: Uint8Array;
  /** action is the RFC 7606 handling. */
  action: Rfc7606Action;
  message: string;
}

/** BgpUpdateParse is an UPDATE body as far as it could be parsed, with what was wrong. */
export interface BgpUpdateParse {
  update: BgpUpdateRepr;
  /** problems lists the attribute errors in the order met. */
  problems: BgpAttributeProblem[];
  /** withdrawnFault is a syntax error in Withdrawn Routes (always a session reset, RFC 7606 §5.3). */
  withdrawnFault?: BgpFault;
  /** nlriFault is a syntax error in the NLRI field (always a session reset, RFC 7606 §5.3). */
  nlriFault?: BgpFault;
}

/** BgpDecoded is one whole message: the repr, its length, and attribute problems of an UPDATE. */
export interface BgpDecoded {
  repr: BgpRepr;
  length: number;
  problems: BgpAttributeProblem[];
}

/** BgpHeader is the fixed header of a message. */
export interface BgpHeader {
  length: number;
  type: number;
}

const EMPTY = new Uint8Array(0);

function fault(kind: BgpFault['kind'], code: number, subcode: number, data: Uint8Array, error: string): BgpDecodeResult<never> {
  return { ok: false, error: `bgp: ${error}`, fault: { kind, code, subcode, data } };
}

function good<T>(value: T): BgpDecodeResult<T> {
  return { ok: true, value };
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

// ---------------------------------------------------------------------------------------------------------
// Capabilities and optional parameters

function writeU24(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 16) & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = v & 0xff;
}

/** encodeCapability returns one capability: code, length, value. */
export function encodeCapability(c: BgpCapability): Uint8Array {
  let code: number;
  let v: Uint8Array;
  switch (c.code) {
    case 'multiprotocol':
      code = BgpCapabilityCode.Multiprotocol;
      v = new Uint8Array(4);
      writeU16(v, 0, c.afi);
      v[3] = c.safi;
      break;
    case 'route-refresh':
      code = BgpCapabilityCode.RouteRefresh;
      v = EMPTY;
      break;
    case 'extended-next-hop':
      code = BgpCapabilityCode.ExtendedNextHop;
      v = new Uint8Array(6 * c.tuples.length);
      c.tuples.forEach((t, i) => {
        writeU16(v, 6 * i, t.afi);
        writeU16(v, 6 * i + 2, t.safi);
        writeU16(v, 6 * i + 4, t.nextHopAfi);
      });
      break;
    case 'extended-message':
      code = BgpCapabilityCode.ExtendedMessage;
      v = EMPTY;
      break;
    case 'role':
      code = BgpCapabilityCode.Role;
      v = Uint8Array.of(c.role);
      break;
    case 'graceful-restart':
      code = BgpCapabilityCode.GracefulRestart;
      v = new Uint8Array(2 + 4 * c.families.length);
      writeU16(v, 0, ((c.flags & 0xf) << 12) | (c.restartTime & 0xfff));
      c.families.forEach((f, i) => {
        writeU16(v, 2 + 4 * i, f.afi);
        v[4 + 4 * i] = f.safi;
        v[5 + 4 * i] = f.flags;
      });
      break;
    case 'as4':
      code = BgpCapabilityCode.As4;
      v = new Uint8Array(4);
      writeU32(v, 0, c.asn);
      break;
    case 'add-path':
      code = BgpCapabilityCode.AddPath;
      v = new Uint8Array(4 * c.families.length);
      c.families.forEach((f, i) => {
        writeU16(v, 4 * i, f.afi);
        v[4 * i + 2] = f.safi;
        v[4 * i + 3] = f.sendReceive;
      });
      break;
    case 'enhanced-route-refresh':
      code = BgpCapabilityCode.EnhancedRouteRefresh;
      v = EMPTY;
      break;
    case 'long-lived-graceful-restart':
      code = BgpCapabilityCode.LongLivedGracefulRestart;
      v = new Uint8Array(7 * c.families.length);
      c.families.forEach((f, i) => {
        writeU16(v, 7 * i, f.afi);
        v[7 * i + 2] = f.safi;
        v[7 * i + 3] = f.flags;
        writeU24(v, 7 * i + 4, f.staleTime);
      });
      break;
    case 'fqdn': {
      code = BgpCapabilityCode.Fqdn;
      const h = fromLatin1(c.hostname);
      const d = fromLatin1(c.domain);
      if (h.length > 255 || d.length > 255) throw new RangeError('bgp: FQDN capability name longer than 255');
      v = new Uint8Array(2 + h.length + d.length);
      v[0] = h.length;
      v.set(h, 1);
      v[1 + h.length] = d.length;
      v.set(d, 2 + h.length);
      break;
    }
    case 'software-version': {
      code = BgpCapabilityCode.SoftwareVersion;
      const s = fromLatin1(c.version);
      if (s.length > 255) throw new RangeError('bgp: software version longer than 255');
      v = new Uint8Array(1 + s.length);
      v[0] = s.length;
      v.set(s, 1);
      break;
    }
    case 'unknown':
      code = c.type;
      v = c.data;
      break;
  }
  if (v.length > 255) throw new RangeError(`bgp: capability ${code} value of ${v.length} bytes`);
  const out = new Uint8Array(2 + v.length);
  out[0] = code;
  out[1] = v.length;
  out.set(v, 2);
  return out;
}

/** decodeCapability interprets one capability value; what does not fit its code is `unknown`. */
export function decodeCapability(type: number, v: Uint8Array): BgpCapability {
  const raw: BgpCapability = { code: 'unknown', type, data: v.slice() };
  switch (type) {
    case BgpCapabilityCode.Multiprotocol:
      return v.length === 4 && v[2] === 0 ? { code: 'multiprotocol', afi: readU16(v, 0), safi: v[3] } : raw;
    case BgpCapabilityCode.RouteRefresh:
      return v.length === 0 ? { code: 'route-refresh' } : raw;
    case BgpCapabilityCode.ExtendedNextHop: {
      if (v.length % 6 !== 0) return raw;
      const tuples = [];
      for (let i = 0; i < v.length; i += 6) tuples.push({ afi: readU16(v, i), safi: readU16(v, i + 2), nextHopAfi: readU16(v, i + 4) });
      return { code: 'extended-next-hop', tuples };
    }
    case BgpCapabilityCode.ExtendedMessage:
      return v.length === 0 ? { code: 'extended-message' } : raw;
    case BgpCapabilityCode.Role:
      return v.length === 1 ? { code: 'role', role: v[0] } : raw;
    case BgpCapabilityCode.GracefulRestart: {
      if (v.length % 4 !== 2) return raw;
      const families = [];
      for (let i = 2; i < v.length; i += 4) families.push({ afi: readU16(v, i), safi: v[i + 2], flags: v[i + 3] });
      return { code: 'graceful-restart', flags: v[0] >>> 4, restartTime: readU16(v, 0) & 0xfff, families };
    }
    case BgpCapabilityCode.As4:
      return v.length === 4 ? { code: 'as4', asn: readU32(v, 0) } : raw;
    case BgpCapabilityCode.AddPath: {
      if (v.length % 4 !== 0) return raw;
      const families = [];
      for (let i = 0; i < v.length; i += 4) families.push({ afi: readU16(v, i), safi: v[i + 2], sendReceive: v[i + 3] });
      return { code: 'add-path', families };
    }
    case BgpCapabilityCode.EnhancedRouteRefresh:
      return v.length === 0 ? { code: 'enhanced-route-refresh' } : raw;
    case BgpCapabilityCode.LongLivedGracefulRestart: {
      if (v.length % 7 !== 0) return raw;
      const families = [];
      for (let i = 0; i < v.length; i += 7)
        families.push({ afi: readU16(v, i), safi: v[i + 2], flags: v[i + 3], staleTime: (v[i + 4] << 16) | (v[i + 5] << 8) | v[i + 6] });
      return { code: 'long-lived-graceful-restart', families };
    }
    case BgpCapabilityCode.Fqdn: {
      if (v.length < 2) return raw;
      const hl = v[0];
      if (1 + hl >= v.length) return raw;
      const dl = v[1 + hl];
      if (2 + hl + dl !== v.length) return raw;
      return { code: 'fqdn', hostname: latin1(v.subarray(1, 1 + hl)), domain: latin1(v.subarray(2 + hl)) };
    }
    case BgpCapabilityCode.SoftwareVersion:
      return v.length >= 1 && v[0] + 1 === v.length ? { code: 'software-version', version: latin1(v.subarray(1)) } : raw;
    default:
      return raw;
  }
}

/** decodeCapabilities parses the value of a capabilities optional parameter (RFC 5492 §4). */
export function decodeCapabilities(v: Uint8Array): BgpDecodeResult<BgpCapability[]> {
  const caps: BgpCapability[] = [];
  let i = 0;
  while (i < v.length) {
    if (i + 2 > v.length || i + 2 + v[i + 1] > v.length)
      return fault('malformed-optional-parameters', BgpErrorCode.Open, 0, EMPTY, `capability at offset ${i} overruns its parameter`);
    caps.push(decodeCapability(v[i], v.subarray(i + 2, i + 2 + v[i + 1])));
    i += 2 + v[i + 1];
  }
  return good(caps);
}

function encodeParameterValue(p: BgpOptionalParameter): { code: number; value: Uint8Array } {
  if (p.type === 'unknown') return { code: p.code, value: p.data };
  const parts = p.capabilities.map(encodeCapability);
  const value = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    value.set(x, o);
    o += x.length;
  }
  return { code: 2, value };
}

function encodeOpenBody(m: BgpOpenRepr): Uint8Array {
  const params = m.parameters.map(encodeParameterValue);
  const ext =
    m.extendedParameters === true || params.some((p) => p.value.length > 255) || params.reduce((n, p) => n + 2 + p.value.length, 0) > 255;
  const hdr = ext ? 3 : 2;
  const plen = params.reduce((n, p) => n + hdr + p.value.length, 0);
  const out = new Uint8Array(10 + (ext ? 3 : 0) + plen);
  out[0] = m.version;
  writeU16(out, 1, m.myAs);
  writeU16(out, 3, m.holdTime);
  writeU32(out, 5, m.bgpId);
  let o: number;
  if (ext) {
    if (plen > 0xffff) throw new RangeError('bgp: optional parameters longer than 65535');
    out[9] = 255;
    out[10] = 255;
    writeU16(out, 11, plen);
    o = 13;
  } else {
    out[9] = plen;
    o = 10;
  }
  for (const p of params) {
    out[o] = p.code;
    if (ext) writeU16(out, o + 1, p.value.length);
    else out[o + 1] = p.value.length;
    out.set(p.value, o + hdr);
    o += hdr + p.value.length;
  }
  return out;
}

/**
 * decodeOpenBody parses an OPEN message after the header. The optional parameters must fill the
 * message exactly (Optional Parameters Length agrees with the message length); RFC 9072 extended
 * parameters are recognised by a Non-Ext OP Type of 255.
 */
export function decodeOpenBody(b: Uint8Array): BgpDecodeResult<BgpOpenRepr> {
  if (b.length < 10)
    return fault('bad-message-length', BgpErrorCode.MessageHeader, 2, u16(BGP_HEADER_LEN + b.length), 'OPEN shorter than 29 bytes');
  const repr: BgpOpenRepr = {
    type: 'open',
    version: b[0],
    myAs: readU16(b, 1),
    holdTime: readU16(b, 3),
    bgpId: readU32(b, 5),
    parameters: [],
  };
  let len = b[9];
  let o = 10;
  let ext = false;
  if (len > 0 && b.length > 10 && b[10] === 255) {
    if (b.length < 13) return fault('malformed-optional-parameters', BgpErrorCode.Open, 0, EMPTY, 'truncated extended optional parameters');
    ext = true;
    len = readU16(b, 11);
    o = 13;
    repr.extendedParameters = true;
  }
  if (o + len !== b.length)
    return fault(
      'malformed-optional-parameters',
      BgpErrorCode.Open,
      0,
      EMPTY,
      `optional parameters length ${len} disagrees with the message`,
    );
  const end = o + len;
  const hdr = ext ? 3 : 2;
  while (o < end) {
    if (o + hdr > end) return fault('malformed-optional-parameters', BgpErrorCode.Open, 0, EMPTY, 'truncated optional parameter');
    const code = b[o];
    const plen = ext ? readU16(b, o + 1) : b[o + 1];
    if (o + hdr + plen > end)
      return fault('malformed-optional-parameters', BgpErrorCode.Open, 0, EMPTY, `optional parameter ${code} overruns`);
    const value = b.subarray(o + hdr, o + hdr + plen);
    if (code === 2) {
      const caps = decodeCapabilities(value);
      if (!caps.ok) return caps;
      repr.parameters.push({ type: 'capabilities', capabilities: caps.value });
    } else repr.parameters.push({ type: 'unknown', code, data: value.slice() });
    o += hdr + plen;
  }
  return good(repr);
}

/** openCapabilities returns every capability of an OPEN, across all its capabilities parameters, in order. */
export function openCapabilities(m: BgpOpenRepr): BgpCapability[] {
  return m.parameters.flatMap((p) => (p.type === 'capabilities' ? p.capabilities : []));
}

// ---------------------------------------------------------------------------------------------------------
// Prefixes

function u16(v: number): Uint8Array {
  const b = new Uint8Array(2);
  writeU16(b, 0, v);
  return b;
}

function nlriLength(n: BgpNlri, ctx: BgpCodecContext): number {
  return (ctx.addPath ? 4 : 0) + 1 + ((n.prefix.len + 7) >>> 3);
}

function writeNlri(out: Uint8Array, o: number, n: BgpNlri, ctx: BgpCodecContext): number {
  if (n.prefix.len > 32) throw new RangeError(`bgp: prefix length ${n.prefix.len}`);
  if (ctx.addPath) {
    writeU32(out, o, n.pathId ?? 0);
    o += 4;
  }
  out[o++] = n.prefix.len;
  const bytes = (n.prefix.len + 7) >>> 3;
  const a = (n.prefix.addr & maskOf(n.prefix.len)) >>> 0;
  for (let i = 0; i < bytes; i++) out[o++] = (a >>> (24 - 8 * i)) & 0xff;
  return o;
}

/**
 * decodePrefixes parses a Withdrawn Routes or NLRI field (RFC 4271 §4.3, with path ids per RFC 7911 §3).
 * Host bits past the prefix length are cleared, as BIRD and tcpdump do.
 */
export function decodePrefixes(b: Uint8Array, ctx: BgpCodecContext): BgpDecodeResult<BgpNlri[]> {
  const out: BgpNlri[] = [];
  let o = 0;
  while (o < b.length) {
    let pathId: number | undefined;
    if (ctx.addPath) {
      if (o + 5 > b.length) return fault('malformed-nlri', BgpErrorCode.Update, 1, EMPTY, 'truncated path identifier');
      pathId = readU32(b, o);
      o += 4;
    }
    const len = b[o++];
    if (len > 32) return fault('invalid-network-field', BgpErrorCode.Update, 10, EMPTY, `prefix length ${len}`);
    const bytes = (len + 7) >>> 3;
    if (o + bytes > b.length) return fault('malformed-nlri', BgpErrorCode.Update, 1, EMPTY, `prefix /${len} overruns the field`);
    let a = 0;
    for (let i = 0; i < 4; i++) a = a * 256 + (i < bytes ? b[o + i] : 0);
    o += bytes;
    const prefix = { addr: (a & maskOf(len)) >>> 0, len };
    out.push(pathId === undefined ? { prefix } : { prefix, pathId });
  }
  return good(out);
}

// ---------------------------------------------------------------------------------------------------------
// Path attributes

/** EXPECTED_FLAGS are the Optional and Transitive bits RFC 4271 §5 gives each known type. */
const EXPECTED_FLAGS = new Map<number, number>([
  [BgpAttrType.Origin, BgpAttrFlag.Transitive],
  [BgpAttrType.AsPath, BgpAttrFlag.Transitive],
  [BgpAttrType.NextHop, BgpAttrFlag.Transitive],
  [BgpAttrType.MultiExitDisc, BgpAttrFlag.Optional],
  [BgpAttrType.LocalPref, BgpAttrFlag.Transitive],
  [BgpAttrType.AtomicAggregate, BgpAttrFlag.Transitive],
  [BgpAttrType.Aggregator, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
  [BgpAttrType.Communities, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
  [BgpAttrType.OriginatorId, BgpAttrFlag.Optional],
  [BgpAttrType.ClusterList, BgpAttrFlag.Optional],
  [BgpAttrType.MpReachNlri, BgpAttrFlag.Optional],
  [BgpAttrType.MpUnreachNlri, BgpAttrFlag.Optional],
  [BgpAttrType.ExtendedCommunities, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
  [BgpAttrType.As4Path, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
  [BgpAttrType.As4Aggregator, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
  [BgpAttrType.LargeCommunities, BgpAttrFlag.Optional | BgpAttrFlag.Transitive],
]);

/** attributeFlags returns the flags octet an attribute of `code` carries when a speaker creates it. */
export function attributeFlags(code: number): number {
  return EXPECTED_FLAGS.get(code) ?? BgpAttrFlag.Optional | BgpAttrFlag.Transitive;
}

/** isKnownAttribute says whether this module knows the type code (its flags are checked on decode). */
export function isKnownAttribute(code: number): boolean {
  return EXPECTED_FLAGS.has(code);
}

/** attributeTypeCode returns the type code of an attribute value. */
export function attributeTypeCode(a: BgpPathAttribute): number {
  switch (a.type) {
    case 'origin':
      return BgpAttrType.Origin;
    case 'as-path':
      return BgpAttrType.AsPath;
    case 'next-hop':
      return BgpAttrType.NextHop;
    case 'med':
      return BgpAttrType.MultiExitDisc;
    case 'local-pref':
      return BgpAttrType.LocalPref;
    case 'atomic-aggregate':
      return BgpAttrType.AtomicAggregate;
    case 'aggregator':
      return BgpAttrType.Aggregator;
    case 'communities':
      return BgpAttrType.Communities;
    case 'originator-id':
      return BgpAttrType.OriginatorId;
    case 'cluster-list':
      return BgpAttrType.ClusterList;
    case 'as4-path':
      return BgpAttrType.As4Path;
    case 'as4-aggregator':
      return BgpAttrType.As4Aggregator;
    case 'unknown':
      return a.code;
  }
}

function u32s(vals: readonly number[]): Uint8Array {
  const b = new Uint8Array(4 * vals.length);
  vals.forEach((v, i) => {
    writeU32(b, 4 * i, v);
  });
  return b;
}

function encodeSegments(segs: readonly AsPathSegment[], width: 2 | 4): Uint8Array {
  let n = 0;
  for (const s of segs) {
    if (s.asns.length > 255) throw new RangeError('bgp: AS_PATH segment of more than 255 ASes');
    n += 2 + width * s.asns.length;
  }
  const b = new Uint8Array(n);
  let o = 0;
  for (const s of segs) {
    b[o++] = s.type;
    b[o++] = s.asns.length;
    for (const asn of s.asns) {
      if (width === 2) {
        if (asn > 0xffff) throw new RangeError(`bgp: AS ${asn} in a 2-octet AS_PATH`);
        writeU16(b, o, asn);
      } else writeU32(b, o, asn);
      o += width;
    }
  }
  return b;
}

/** attributeValue returns the value octets of an attribute as it goes on the wire in `ctx`. */
export function attributeValue(a: BgpPathAttribute, ctx: BgpCodecContext): Uint8Array {
  switch (a.type) {
    case 'origin':
      return Uint8Array.of(a.origin);
    case 'as-path':
      return encodeSegments(a.segments, ctx.as4 ? 4 : 2);
    case 'next-hop':
      return u32s([a.nextHop]);
    case 'med':
      return u32s([a.med]);
    case 'local-pref':
      return u32s([a.localPref]);
    case 'atomic-aggregate':
      return EMPTY;
    case 'aggregator': {
      if (ctx.as4) return u32s([a.asn, a.address]);
      if (a.asn > 0xffff) throw new RangeError(`bgp: AS ${a.asn} in a 2-octet AGGREGATOR`);
      const b = new Uint8Array(6);
      writeU16(b, 0, a.asn);
      writeU32(b, 2, a.address);
      return b;
    }
    case 'communities':
      return u32s(a.communities);
    case 'originator-id':
      return u32s([a.originatorId]);
    case 'cluster-list':
      return u32s(a.clusterIds);
    case 'as4-path':
      return encodeSegments(a.segments, 4);
    case 'as4-aggregator':
      return u32s([a.asn, a.address]);
    case 'unknown':
      return a.data;
  }
}

/** encodeAttribute returns flags, type, length (1 or 2 octets) and value of one attribute. */
export function encodeAttribute(a: BgpPathAttribute, ctx: BgpCodecContext): Uint8Array {
  const v = attributeValue(a, ctx);
  if (v.length > 0xffff) throw new RangeError('bgp: attribute longer than 65535');
  const flags = v.length > 255 ? a.flags | BgpAttrFlag.ExtendedLength : a.flags;
  const ext = (flags & BgpAttrFlag.ExtendedLength) !== 0;
  const out = new Uint8Array((ext ? 4 : 3) + v.length);
  out[0] = flags;
  out[1] = attributeTypeCode(a);
  if (ext) writeU16(out, 2, v.length);
  else out[2] = v.length;
  out.set(v, ext ? 4 : 3);
  return out;
}

function decodeSegments(v: Uint8Array, width: 2 | 4): AsPathSegment[] | null {
  const segs: AsPathSegment[] = [];
  let o = 0;
  while (o < v.length) {
    if (o + 2 > v.length) return null;
    const type = v[o];
    const n = v[o + 1];
    if (type < 1 || type > 4 || n === 0 || o + 2 + width * n > v.length) return null;
    const asns: number[] = [];
    for (let i = 0; i < n; i++) asns.push(width === 2 ? readU16(v, o + 2 + 2 * i) : readU32(v, o + 2 + 4 * i));
    segs.push({ type, asns });
    o += 2 + width * n;
  }
  return segs;
}

/** isHostAddress says whether an IPv4 address may be a NEXT_HOP: not 0/8, class D or 255.255.255.255. */
export function isHostAddress(a: Ipv4): boolean {
  const b = a >>> 24;
  if (b >= 1 && b <= 0xdf) return true;
  return b >= 0xf0 && a >>> 0 !== 0xffffffff;
}

/** LENGTH_ACTION is the RFC 7606 §7 handling of an attribute whose length does not fit its type. */
const LENGTH_ACTION = new Map<number, Rfc7606Action>([
  [BgpAttrType.Origin, 'treat-as-withdraw'],
  [BgpAttrType.AsPath, 'treat-as-withdraw'],
  [BgpAttrType.NextHop, 'treat-as-withdraw'],
  [BgpAttrType.MultiExitDisc, 'treat-as-withdraw'],
  [BgpAttrType.LocalPref, 'treat-as-withdraw'],
  [BgpAttrType.AtomicAggregate, 'attribute-discard'],
  [BgpAttrType.Aggregator, 'attribute-discard'],
  [BgpAttrType.Communities, 'treat-as-withdraw'],
  [BgpAttrType.OriginatorId, 'treat-as-withdraw'],
  [BgpAttrType.ClusterList, 'treat-as-withdraw'],
  [BgpAttrType.ExtendedCommunities, 'treat-as-withdraw'],
  [BgpAttrType.As4Path, 'attribute-discard'],
  [BgpAttrType.As4Aggregator, 'attribute-discard'],
  [BgpAttrType.LargeCommunities, 'treat-as-withdraw'],
]);

const ATTR_NAMES = new Map<number, string>([
  [1, 'ORIGIN'],
  [2, 'AS_PATH'],
  [3, 'NEXT_HOP'],
  [4, 'MULTI_EXIT_DISC'],
  [5, 'LOCAL_PREF'],
  [6, 'ATOMIC_AGGREGATE'],
  [7, 'AGGREGATOR'],
  [8, 'COMMUNITY'],
  [9, 'ORIGINATOR_ID'],
  [10, 'CLUSTER_LIST'],
  [14, 'MP_REACH_NLRI'],
  [15, 'MP_UNREACH_NLRI'],
  [16, 'EXT_COMMUNITY'],
  [17, 'AS4_PATH'],
  [18, 'AS4_AGGREGATOR'],
  [32, 'LARGE_COMMUNITY'],
]);

/** attributeName is the RFC name of a type code, or `attribute N`. */
export function attributeName(code: number): string {
  return ATTR_NAMES.get(code) ?? `attribute ${code}`;
}

/**
 * decodeAttributeValue interprets the value of one attribute of a known type. It returns the attribute
 * and, when the value does not fit the type, the problem (then the attribute is `unknown` raw).
 */
function decodeAttributeValue(
  flags: number,
  code: number,
  v: Uint8Array,
  ctx: BgpCodecContext,
  whole: Uint8Array,
): { attr: BgpPathAttribute; problem?: BgpAttributeProblem } {
  const raw: BgpPathAttribute = { type: 'unknown', flags, code, data: v.slice() };
  const name = attributeName(code);
  const lengthProblem = (): { attr: BgpPathAttribute; problem: BgpAttributeProblem } => ({
    attr: raw,
    problem: {
      kind: 'length',
      typeCode: code,
      subcode: code === BgpAttrType.AsPath ? BgpUpdateSubcode.MalformedAsPath : BgpUpdateSubcode.AttributeLength,
      data: whole.slice(),
      action: LENGTH_ACTION.get(code) ?? 'treat-as-withdraw',
      message: `Malformed ${name} attribute - invalid length (${v.length})`,
    },
  });
  switch (code) {
    case BgpAttrType.Origin: {
      if (v.length !== 1) return lengthProblem();
      const attr: BgpPathAttribute = { type: 'origin', flags, origin: v[0] };
      if (v[0] <= 2) return { attr };
      return {
        attr,
        problem: {
          kind: 'origin-value',
          typeCode: code,
          subcode: BgpUpdateSubcode.InvalidOrigin,
          data: whole.slice(),
          action: 'treat-as-withdraw',
          message: `Malformed ORIGIN attribute - invalid value (${v[0]})`,
        },
      };
    }
    case BgpAttrType.AsPath:
    case BgpAttrType.As4Path: {
      const segs = decodeSegments(v, code === BgpAttrType.As4Path || ctx.as4 ? 4 : 2);
      if (segs === null)
        return {
          attr: raw,
          problem: {
            kind: 'as-path',
            typeCode: code,
            subcode: BgpUpdateSubcode.MalformedAsPath,
            data: whole.slice(),
            action: code === BgpAttrType.AsPath ? 'treat-as-withdraw' : 'attribute-discard',
            message: `Malformed ${name} attribute`,
          },
        };
      return {
        attr: code === BgpAttrType.AsPath ? { type: 'as-path', flags, segments: segs } : { type: 'as4-path', flags, segments: segs },
      };
    }
    case BgpAttrType.NextHop: {
      if (v.length !== 4) return lengthProblem();
      const nextHop = readU32(v, 0);
      const attr: BgpPathAttribute = { type: 'next-hop', flags, nextHop };
      if (isHostAddress(nextHop)) return { attr };
      return {
        attr,
        problem: {
          kind: 'next-hop-value',
          typeCode: code,
          subcode: BgpUpdateSubcode.InvalidNextHop,
          data: whole.slice(),
          action: 'treat-as-withdraw',
          message: 'Invalid NEXT_HOP attribute',
        },
      };
    }
    case BgpAttrType.MultiExitDisc:
      return v.length === 4 ? { attr: { type: 'med', flags, med: readU32(v, 0) } } : lengthProblem();
    case BgpAttrType.LocalPref:
      return v.length === 4 ? { attr: { type: 'local-pref', flags, localPref: readU32(v, 0) } } : lengthProblem();
    case BgpAttrType.AtomicAggregate:
      return v.length === 0 ? { attr: { type: 'atomic-aggregate', flags } } : lengthProblem();
    case BgpAttrType.Aggregator: {
      if (v.length !== (ctx.as4 ? 8 : 6)) return lengthProblem();
      return ctx.as4
        ? { attr: { type: 'aggregator', flags, asn: readU32(v, 0), address: readU32(v, 4) } }
        : { attr: { type: 'aggregator', flags, asn: readU16(v, 0), address: readU32(v, 2) } };
    }
    case BgpAttrType.As4Aggregator:
      return v.length === 8 ? { attr: { type: 'as4-aggregator', flags, asn: readU32(v, 0), address: readU32(v, 4) } } : lengthProblem();
    case BgpAttrType.Communities: {
      if (v.length % 4 !== 0) return lengthProblem();
      const communities: number[] = [];
      for (let i = 0; i < v.length; i += 4) communities.push(readU32(v, i));
      return { attr: { type: 'communities', flags, communities } };
    }
    case BgpAttrType.OriginatorId:
      return v.length === 4 ? { attr: { type: 'originator-id', flags, originatorId: readU32(v, 0) } } : lengthProblem();
    case BgpAttrType.ClusterList: {
      if (v.length % 4 !== 0) return lengthProblem();
      const clusterIds: number[] = [];
      for (let i = 0; i < v.length; i += 4) clusterIds.push(readU32(v, i));
      return { attr: { type: 'cluster-list', flags, clusterIds } };
    }
    case BgpAttrType.ExtendedCommunities:
      return v.length % 8 === 0 ? { attr: raw } : lengthProblem();
    case BgpAttrType.LargeCommunities:
      return v.length % 12 === 0 ? { attr: raw } : lengthProblem();
    default:
      return { attr: raw };
  }
}

/**
 * decodeAttributes parses the Path Attributes field. `hasNlri` says whether the UPDATE carries NLRI,
 * which makes ORIGIN, AS_PATH and NEXT_HOP mandatory (RFC 4271 §6.3, RFC 7606 §3(d)). Problems are
 * listed in the order met; a framing error ends the parse (RFC 7606 §4).
 */
export function decodeAttributes(
  b: Uint8Array,
  ctx: BgpCodecContext,
  hasNlri: boolean,
): { attributes: BgpPathAttribute[]; problems: BgpAttributeProblem[] } {
  const attributes: BgpPathAttribute[] = [];
  const problems: BgpAttributeProblem[] = [];
  const seen = new Set<number>();
  let o = 0;
  while (o < b.length) {
    const start = o;
    if (o + 2 > b.length) {
      problems.push(framingProblem(b.length - o, 'truncated attribute header'));
      break;
    }
    const flags = b[o];
    const code = b[o + 1];
    const ext = (flags & BgpAttrFlag.ExtendedLength) !== 0;
    if (o + (ext ? 4 : 3) > b.length) {
      problems.push(framingProblem(b.length - o, 'truncated attribute length'));
      break;
    }
    const len = ext ? readU16(b, o + 2) : b[o + 2];
    o += ext ? 4 : 3;
    if (o + len > b.length) {
      problems.push(framingProblem(len, `attribute ${code} overruns the attribute list`));
      break;
    }
    const v = b.subarray(o, o + len);
    const whole = b.subarray(start, o + len);
    o += len;
    if (seen.has(code)) {
      const mp = code === BgpAttrType.MpReachNlri || code === BgpAttrType.MpUnreachNlri;
      problems.push({
        kind: 'duplicate',
        typeCode: code,
        subcode: BgpUpdateSubcode.MalformedAttributeList,
        data: EMPTY,
        action: mp ? 'session-reset' : 'attribute-discard',
        message: `Discarding duplicate attribute (code ${code})`,
      });
      continue;
    }
    seen.add(code);
    const expected = EXPECTED_FLAGS.get(code);
    if (expected === undefined) {
      if ((flags & BgpAttrFlag.Optional) === 0)
        problems.push({
          kind: 'unrecognized-well-known',
          typeCode: code,
          subcode: BgpUpdateSubcode.UnrecognizedWellKnown,
          data: whole.slice(),
          action: 'session-reset',
          message: `Unknown attribute (code ${code}) - conflicting flags (${hex2(flags)})`,
        });
      attributes.push({ type: 'unknown', flags, code, data: v.slice() });
      continue;
    }
    const d = decodeAttributeValue(flags, code, v, ctx, whole);
    if ((flags ^ expected) & (BgpAttrFlag.Optional | BgpAttrFlag.Transitive))
      problems.push({
        kind: 'flags',
        typeCode: code,
        subcode: BgpUpdateSubcode.AttributeFlags,
        data: whole.slice(),
        action: 'treat-as-withdraw',
        message: `Malformed ${attributeName(code)} attribute - conflicting flags (${hex2(flags)})`,
      });
    if (d.problem) problems.push(d.problem);
    attributes.push(d.attr);
  }
  if (hasNlri) {
    if (b.length === 0)
      problems.push({
        kind: 'nlri-without-attributes',
        typeCode: BgpAttrType.Origin,
        subcode: BgpUpdateSubcode.MissingWellKnown,
        data: Uint8Array.of(BgpAttrType.Origin),
        action: 'treat-as-withdraw',
        message: 'NLRI without path attributes',
      });
    else if (!problems.some((p) => p.kind === 'framing'))
      for (const code of [BgpAttrType.Origin, BgpAttrType.AsPath, BgpAttrType.NextHop])
        if (!seen.has(code)) {
          problems.push({
            kind: 'missing-well-known',
            typeCode: code,
            subcode: BgpUpdateSubcode.MissingWellKnown,
            data: Uint8Array.of(code),
            action: 'treat-as-withdraw',
            message: `Missing mandatory ${attributeName(code)} attribute`,
          });
          break;
        }
  }
  return { attributes, problems };
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function framingProblem(len: number, message: string): BgpAttributeProblem {
  return {
    kind: 'framing',
    typeCode: 0,
    subcode: BgpUpdateSubcode.MalformedAttributeList,
    data: EMPTY,
    action: 'treat-as-withdraw',
    message: `Malformed attribute list - framing error (${len}): ${message}`,
  };
}

/**
 * parseUpdateBody parses an UPDATE after the header as far as it can. It fails only when the NLRI cannot
 * be located (RFC 4271 §6.3 first check, RFC 7606 §4: Malformed Attribute List, session reset).
 */
export function parseUpdateBody(b: Uint8Array, ctx: BgpCodecContext): BgpDecodeResult<BgpUpdateParse> {
  if (b.length < 4)
    return fault('bad-message-length', BgpErrorCode.MessageHeader, 2, u16(BGP_HEADER_LEN + b.length), 'UPDATE shorter than 23 bytes');
  const wlen = readU16(b, 0);
  if (2 + wlen + 2 > b.length)
    return fault('malformed-attribute-list', BgpErrorCode.Update, 1, EMPTY, `withdrawn routes length ${wlen} overruns`);
  const alen = readU16(b, 2 + wlen);
  if (4 + wlen + alen > b.length)
    return fault('malformed-attribute-list', BgpErrorCode.Update, 1, EMPTY, `total path attribute length ${alen} overruns`);
  const wfield = b.subarray(2, 2 + wlen);
  const afield = b.subarray(4 + wlen, 4 + wlen + alen);
  const nfield = b.subarray(4 + wlen + alen);
  const update: BgpUpdateRepr = { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  const out: BgpUpdateParse = { update, problems: [] };
  const w = decodePrefixes(wfield, ctx);
  if (w.ok) update.withdrawn = w.value;
  else out.withdrawnFault = w.fault;
  const n = decodePrefixes(nfield, ctx);
  if (n.ok) update.nlri = n.value;
  else out.nlriFault = n.fault;
  const a = decodeAttributes(afield, ctx, nfield.length > 0);
  update.attributes = a.attributes;
  out.problems = a.problems;
  return good(out);
}

// ---------------------------------------------------------------------------------------------------------
// Messages

function body(m: BgpRepr, ctx: BgpCodecContext): { type: number; bytes: Uint8Array } {
  switch (m.type) {
    case 'open':
      return { type: BgpMessageType.Open, bytes: encodeOpenBody(m) };
    case 'update': {
      const attrs = m.attributes.map((a) => encodeAttribute(a, ctx));
      const wlen = m.withdrawn.reduce((n, x) => n + nlriLength(x, ctx), 0);
      const alen = attrs.reduce((n, x) => n + x.length, 0);
      const nlen = m.nlri.reduce((n, x) => n + nlriLength(x, ctx), 0);
      if (wlen > 0xffff || alen > 0xffff) throw new RangeError('bgp: UPDATE field longer than 65535');
      const out = new Uint8Array(4 + wlen + alen + nlen);
      writeU16(out, 0, wlen);
      let o = 2;
      for (const x of m.withdrawn) o = writeNlri(out, o, x, ctx);
      writeU16(out, o, alen);
      o += 2;
      for (const x of attrs) {
        out.set(x, o);
        o += x.length;
      }
      for (const x of m.nlri) o = writeNlri(out, o, x, ctx);
      return { type: BgpMessageType.Update, bytes: out };
    }
    case 'notification': {
      const out = new Uint8Array(2 + m.data.length);
      out[0] = m.code;
      out[1] = m.subcode;
      out.set(m.data, 2);
      return { type: BgpMessageType.Notification, bytes: out };
    }
    case 'keepalive':
      return { type: BgpMessageType.Keepalive, bytes: EMPTY };
    case 'route-refresh': {
      const out = new Uint8Array(4);
      writeU16(out, 0, m.afi);
      out[2] = m.subtype;
      out[3] = m.safi;
      return { type: BgpMessageType.RouteRefresh, bytes: out };
    }
  }
}

/** bgpMaxLength is the largest message the context allows. */
export function bgpMaxLength(ctx: BgpCodecContext): number {
  return ctx.extendedMessages ? BGP_MAX_EXTENDED_MESSAGE_LEN : BGP_MAX_MESSAGE_LEN;
}

/** encodeBgpHeader returns the marker (all ones), length and type. */
export function encodeBgpHeader(length: number, type: number): Uint8Array {
  const h = new Uint8Array(BGP_HEADER_LEN);
  h.fill(0xff, 0, 16);
  writeU16(h, 16, length);
  h[18] = type;
  return h;
}

/**
 * encodeBgp returns the whole message, header included, lengths computed. It throws a RangeError for a
 * message that cannot be encoded (longer than the context allows, an AS over 65535 without as4).
 */
export function encodeBgp(m: BgpRepr, ctx: BgpCodecContext = BGP_DEFAULT_CONTEXT): Uint8Array {
  const b = body(m, ctx);
  const length = BGP_HEADER_LEN + b.bytes.length;
  if (length > bgpMaxLength(ctx)) throw new RangeError(`bgp: message of ${length} bytes exceeds ${bgpMaxLength(ctx)}`);
  const out = new Uint8Array(length);
  out.set(encodeBgpHeader(length, b.type), 0);
  out.set(b.bytes, BGP_HEADER_LEN);
  return out;
}

/**
 * decodeBgpHeader checks the marker and the length field against the limit of `ctx` (RFC 4271 §6.1,
 * in BIRD's order: marker, then 19 ≤ length ≤ maximum). The type is not checked here.
 */
export function decodeBgpHeader(bytes: Uint8Array, ctx: BgpCodecContext = BGP_DEFAULT_CONTEXT): BgpDecodeResult<BgpHeader> {
  if (bytes.length < BGP_HEADER_LEN)
    return fault(
      'bad-message-length',
      BgpErrorCode.MessageHeader,
      2,
      EMPTY,
      `truncated header (${bytes.length} < ${BGP_HEADER_LEN} bytes)`,
    );
  for (let i = 0; i < 16; i++)
    if (bytes[i] !== 0xff) return fault('connection-not-synchronized', BgpErrorCode.MessageHeader, 1, EMPTY, 'marker is not all ones');
  const length = readU16(bytes, 16);
  if (length < BGP_HEADER_LEN || length > bgpMaxLength(ctx))
    return fault('bad-message-length', BgpErrorCode.MessageHeader, 2, bytes.slice(16, 18), `bad message length ${length}`);
  return good({ length, type: bytes[18] });
}

/** MIN_LENGTH is the least length of each message type; KEEPALIVE and ROUTE-REFRESH have exactly it. */
const MIN_LENGTH = new Map<number, number>([
  [BgpMessageType.Open, 29],
  [BgpMessageType.Update, 23],
  [BgpMessageType.Notification, 21],
  [BgpMessageType.Keepalive, 19],
  [BgpMessageType.RouteRefresh, 23],
]);

/**
 * decodeBgp parses exactly one message (RFC 4271 §6.1 header checks, then the body). An UPDATE whose
 * attributes are in error still decodes: its problems are listed for the session to act on; only faults
 * that make the message unusable fail.
 */
export function decodeBgp(bytes: Uint8Array, ctx: BgpCodecContext = BGP_DEFAULT_CONTEXT): BgpDecodeResult<BgpDecoded> {
  const h = decodeBgpHeader(bytes, ctx);
  if (!h.ok) return h;
  const { length, type } = h.value;
  if (length !== bytes.length)
    return fault(
      'bad-message-length',
      BgpErrorCode.MessageHeader,
      2,
      bytes.slice(16, 18),
      `length field ${length} but ${bytes.length} bytes`,
    );
  const min = MIN_LENGTH.get(type);
  if (min === undefined) return fault('bad-message-type', BgpErrorCode.MessageHeader, 3, Uint8Array.of(type), `bad message type ${type}`);
  const exact = type === BgpMessageType.Keepalive || type === BgpMessageType.RouteRefresh;
  if (length < min || (exact && length !== min))
    return fault('bad-message-length', BgpErrorCode.MessageHeader, 2, bytes.slice(16, 18), `bad length ${length} for type ${type}`);
  const b = bytes.subarray(BGP_HEADER_LEN, length);
  switch (type) {
    case BgpMessageType.Open: {
      const r = decodeOpenBody(b);
      return r.ok ? good({ repr: r.value, length, problems: [] }) : r;
    }
    case BgpMessageType.Update: {
      const r = parseUpdateBody(b, ctx);
      if (!r.ok) return r;
      const f = r.value.withdrawnFault ?? r.value.nlriFault;
      if (f) return { ok: false, error: `bgp: ${f.kind}`, fault: f };
      return good({ repr: r.value.update, length, problems: r.value.problems });
    }
    case BgpMessageType.Notification:
      return good({ repr: { type: 'notification', code: b[0], subcode: b[1], data: b.slice(2) }, length, problems: [] });
    case BgpMessageType.Keepalive:
      return good({ repr: { type: 'keepalive' }, length, problems: [] });
    default:
      return good({ repr: { type: 'route-refresh', afi: readU16(b, 0), subtype: b[2], safi: b[3] }, length, problems: [] });
  }
}

/** BgpStreamSplit is what splitBgpStream found in a receive buffer. */
export interface BgpStreamSplit {
  /** messages are whole messages (views into the buffer), in order. */
  messages: Uint8Array[];
  /** rest is the incomplete tail to keep for the next read. */
  rest: Uint8Array;
  /** fault is a header error that ends the stream (the connection must be closed with it). */
  fault?: BgpFault;
}

/**
 * splitBgpStream cuts a TCP receive buffer into messages as BIRD's bgp_rx does: each header is checked
 * (marker, then length) before the message is taken; a bad header stops the split with its fault.
 */
export function splitBgpStream(buffer: Uint8Array, ctx: BgpCodecContext = BGP_DEFAULT_CONTEXT): BgpStreamSplit {
  const messages: Uint8Array[] = [];
  let o = 0;
  while (buffer.length - o >= BGP_HEADER_LEN) {
    const h = decodeBgpHeader(buffer.subarray(o, o + BGP_HEADER_LEN), ctx);
    if (!h.ok) return { messages, rest: buffer.subarray(o), fault: h.fault };
    if (buffer.length - o < h.value.length) break;
    messages.push(buffer.subarray(o, o + h.value.length));
    o += h.value.length;
  }
  return { messages, rest: buffer.subarray(o) };
}

/** BGP_ERROR_TEXT is the description of each code/subcode, as BIRD's bgp_error_dsc prints it. */
export const BGP_ERROR_TEXT: ReadonlyMap<number, string> = new Map([
  [0x0100, 'Invalid message header'],
  [0x0101, 'Connection not synchronized'],
  [0x0102, 'Bad message length'],
  [0x0103, 'Bad message type'],
  [0x0200, 'Invalid OPEN message'],
  [0x0201, 'Unsupported version number'],
  [0x0202, 'Bad peer AS'],
  [0x0203, 'Bad BGP identifier'],
  [0x0204, 'Unsupported optional parameter'],
  [0x0205, 'Authentication failure'],
  [0x0206, 'Unacceptable hold time'],
  [0x0207, 'Required capability missing'],
  [0x0208, 'No supported AFI/SAFI'],
  [0x0300, 'Invalid UPDATE message'],
  [0x0301, 'Malformed attribute list'],
  [0x0302, 'Unrecognized well-known attribute'],
  [0x0303, 'Missing mandatory attribute'],
  [0x0304, 'Invalid attribute flags'],
  [0x0305, 'Invalid attribute length'],
  [0x0306, 'Invalid ORIGIN attribute'],
  [0x0307, 'AS routing loop'],
  [0x0308, 'Invalid NEXT_HOP attribute'],
  [0x0309, 'Optional attribute error'],
  [0x030a, 'Invalid network field'],
  [0x030b, 'Malformed AS_PATH'],
  [0x0400, 'Hold timer expired'],
  [0x0500, 'Finite state machine error'],
  [0x0501, 'Unexpected message in OpenSent state'],
  [0x0502, 'Unexpected message in OpenConfirm state'],
  [0x0503, 'Unexpected message in Established state'],
  [0x0600, 'Cease'],
  [0x0601, 'Maximum number of prefixes reached'],
  [0x0602, 'Administrative shutdown'],
  [0x0603, 'Peer de-configured'],
  [0x0604, 'Administrative reset'],
  [0x0605, 'Connection rejected'],
  [0x0606, 'Other configuration change'],
  [0x0607, 'Connection collision resolution'],
  [0x0608, 'Out of Resources'],
  [0x0700, 'Invalid ROUTE-REFRESH message'],
  [0x0701, 'Invalid ROUTE-REFRESH message length'],
]);

/** bgpErrorText is BIRD 1.6's description of a NOTIFICATION code and subcode (`Unknown error C.S` otherwise). */
export function bgpErrorText(code: number, subcode: number): string {
  return BGP_ERROR_TEXT.get(((code & 0xff) << 8) | (subcode & 0xff)) ?? `Unknown error ${code}.${subcode}`;
}
