// The User Datagram Protocol header and checksum (RFC 768).

import type { Ipv4 } from '../addr.js';
import { readU16, writeU16 } from './bytes.js';
import { transportChecksum } from './checksum.js';
import { IpProtocol } from './ipv4.js';
import { err, ok, type Result } from './result.js';

/** UDP_HEADER_LEN is the length of the UDP header. */
export const UDP_HEADER_LEN = 8;

/** UdpRepr is a UDP header without Length and Checksum, which encodeUdp computes. */
export interface UdpRepr {
  srcPort: number;
  dstPort: number;
}

/** UdpDecoded is a parsed datagram; `checksumValid` is true when the checksum verifies or is zero (not computed). */
export interface UdpDecoded {
  repr: UdpRepr;
  payload: Uint8Array;
  length: number;
  checksumValid: boolean;
}

/** UdpEncodeOptions choose how the checksum is sent; Linux VXLAN devices send none by default (udp_csum off). */
export interface UdpEncodeOptions {
  checksum?: boolean;
}

/**
 * encodeUdp returns header and payload, with the pseudo-header checksum over `srcIp` and `dstIp`,
 * or a zero checksum ("no checksum", RFC 768) when `options.checksum` is false.
 */
export function encodeUdp(repr: UdpRepr, payload: Uint8Array, srcIp: Ipv4, dstIp: Ipv4, options: UdpEncodeOptions = {}): Uint8Array {
  const length = UDP_HEADER_LEN + payload.length;
  if (length > 0xffff) throw new RangeError(`udp: length ${length} exceeds 65535`);
  const out = new Uint8Array(length);
  writeU16(out, 0, repr.srcPort);
  writeU16(out, 2, repr.dstPort);
  writeU16(out, 4, length);
  out.set(payload, UDP_HEADER_LEN);
  // A computed checksum of zero is sent as all ones; zero means "no checksum".
  if (options.checksum !== false) writeU16(out, 6, transportChecksum(srcIp, dstIp, IpProtocol.Udp, out) || 0xffff);
  return out;
}

/** decodeUdp parses a datagram; the payload ends at the Length field, so trailing bytes are ignored. */
export function decodeUdp(bytes: Uint8Array, srcIp: Ipv4, dstIp: Ipv4): Result<UdpDecoded> {
  if (bytes.length < UDP_HEADER_LEN) return err(`udp: truncated header (${bytes.length} < ${UDP_HEADER_LEN} bytes)`);
  const length = readU16(bytes, 4);
  if (length < UDP_HEADER_LEN) return err(`udp: bad length ${length}`);
  if (length > bytes.length) return err(`udp: truncated datagram (${bytes.length} < length ${length})`);
  const datagram = bytes.subarray(0, length);
  const checksum = readU16(bytes, 6);
  return ok({
    repr: { srcPort: readU16(bytes, 0), dstPort: readU16(bytes, 2) },
    payload: bytes.subarray(UDP_HEADER_LEN, length),
    length,
    checksumValid: checksum === 0 || transportChecksum(srcIp, dstIp, IpProtocol.Udp, datagram) === 0,
  });
}
