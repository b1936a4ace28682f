// The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768).

import type { Ipv4 } from '../addr.js';

/**
 * onesComplementSum adds `bytes` as big-endian 16-bit words to `initial`, padding an odd last
 * octet with zero, and returns the sum folded to 16 bits (not complemented).
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = bytes.length - (bytes.length & 1);
  for (let i = 0; i < n; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  return fold(sum);
}

/** fold reduces a 32-bit-or-wider sum to 16 bits with end-around carry. */
export function fold(sum: number): number {
  // Two folds suffice for any sum below 2^32; loop for sums built from many partial sums.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** internetChecksum returns the one's complement of the one's complement sum of `bytes`. */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/** pseudoHeaderSum is the folded sum of the IPv4 pseudo-header: source, destination, zero, protocol, length. */
export function pseudoHeaderSum(src: Ipv4, dst: Ipv4, protocol: number, length: number): number {
  return fold((src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length);
}

/** transportChecksum returns the TCP or UDP checksum of `segment` (its checksum field zeroed or not, as the caller wants). */
export function transportChecksum(src: Ipv4, dst: Ipv4, protocol: number, segment: Uint8Array): number {
  return internetChecksum(segment, pseudoHeaderSum(src, dst, protocol, segment.length));
}
