// The IPv4 header (RFC 791 §3.1). Options are skipped on decode and never emitted.

import type { Ipv4 } from '../addr.js';
import { prependRoom, readU16, readU32, writeU16, writeU32 } from './bytes.js';
import { internetChecksum } from './checksum.js';
import { err, ok, type Result } from './result.js';

/** IpProtocol is the Protocol field (RFC 790 "Assigned Internet Protocol Numbers"). */
export const IpProtocol = {
  Icmp: 1,
  Ipip: 4,
  Tcp: 6,
  Udp: 17,
} as const;

/** IPV4_HEADER_LEN is the length of a header without options (IHL 5). */
export const IPV4_HEADER_LEN = 20;

/** IPV4_MAX_TOTAL_LEN is the largest Total Length the 16-bit field holds. */
export const IPV4_MAX_TOTAL_LEN = 0xffff;

/**
 * Ipv4Repr is an IPv4 header without its lengths and checksum, which encodeIpv4 computes.
 * `fragOffset` is the Fragment Offset field, in units of 8 octets as on the wire.
 */
export interface Ipv4Repr {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  ttl: number;
  ident: number;
  tos: number;
  dontFrag: boolean;
  moreFrags: boolean;
  fragOffset: number;
}

/** Ipv4Decoded is a parsed datagram: header, payload (a view) and the header facts the repr omits. */
export interface Ipv4Decoded {
  repr: Ipv4Repr;
  payload: Uint8Array;
  headerLength: number;
  totalLength: number;
  checksumValid: boolean;
}

/** encodeIpv4 returns a 20-byte header with Total Length and Header Checksum filled in, then `payload`. */
export function encodeIpv4(repr: Ipv4Repr, payload: Uint8Array): Uint8Array {
  const totalLength = IPV4_HEADER_LEN + payload.length;
  if (totalLength > IPV4_MAX_TOTAL_LEN) throw new RangeError(`ipv4: total length ${totalLength} exceeds ${IPV4_MAX_TOTAL_LEN}`);
  const out = prependRoom(payload, IPV4_HEADER_LEN);
  out[0] = 0x45;
  out[1] = repr.tos & 0xff;
  writeU16(out, 2, totalLength);
  writeU16(out, 4, repr.ident);
  writeU16(out, 6, (repr.dontFrag ? 0x4000 : 0) | (repr.moreFrags ? 0x2000 : 0) | (repr.fragOffset & 0x1fff));
  out[8] = repr.ttl & 0xff;
  out[9] = repr.protocol & 0xff;
  writeU32(out, 12, repr.src);
  writeU32(out, 16, repr.dst);
  writeU16(out, 10, internetChecksum(out.subarray(0, IPV4_HEADER_LEN)));
  return out;
}

/**
 * decodeIpv4 parses a datagram. The payload ends at Total Length, so link-layer padding is dropped;
 * a datagram longer than `bytes` is an error. A bad header checksum is reported, not rejected.
 */
export function decodeIpv4(bytes: Uint8Array): Result<Ipv4Decoded> {
  if (bytes.length < IPV4_HEADER_LEN) return err(`ipv4: truncated header (${bytes.length} < ${IPV4_HEADER_LEN} bytes)`);
  const version = bytes[0] >>> 4;
  if (version !== 4) return err(`ipv4: bad version ${version}`);
  const headerLength = (bytes[0] & 0x0f) * 4;
  if (headerLength < IPV4_HEADER_LEN) return err(`ipv4: bad header length ${headerLength}`);
  if (headerLength > bytes.length) return err(`ipv4: truncated options (${bytes.length} < ${headerLength} bytes)`);
  const totalLength = readU16(bytes, 2);
  if (totalLength < headerLength) return err(`ipv4: total length ${totalLength} < header length ${headerLength}`);
  if (totalLength > bytes.length) return err(`ipv4: truncated datagram (${bytes.length} < total length ${totalLength})`);
  const flagsFrag = readU16(bytes, 6);
  return ok({
    repr: {
      src: readU32(bytes, 12),
      dst: readU32(bytes, 16),
      protocol: bytes[9],
      ttl: bytes[8],
      ident: readU16(bytes, 4),
      tos: bytes[1],
      dontFrag: (flagsFrag & 0x4000) !== 0,
      moreFrags: (flagsFrag & 0x2000) !== 0,
      fragOffset: flagsFrag & 0x1fff,
    },
    payload: bytes.subarray(headerLength, totalLength),
    headerLength,
    totalLength,
    checksumValid: internetChecksum(bytes.subarray(0, headerLength)) === 0,
  });
}
