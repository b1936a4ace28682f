// The VXLAN header (RFC 7348 §5): flags with the I bit, 24-bit VNI, reserved fields zero.

import { err, ok, type Result } from './result.js';

/** VXLAN_PORT is the IANA-assigned UDP destination port (RFC 7348 §5). */
export const VXLAN_PORT = 4789;

/** VXLAN_HEADER_LEN is the length of the VXLAN header. */
export const VXLAN_HEADER_LEN = 8;

/** VXLAN_FLAG_I is the flag that marks the VNI as valid. */
export const VXLAN_FLAG_I = 0x08;

/** VxlanRepr is a VXLAN header; the I flag is always set. */
export interface VxlanRepr {
  vni: number;
}

/** encodeVxlan returns the 8-byte header followed by the inner Ethernet frame. */
export function encodeVxlan(repr: VxlanRepr, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(VXLAN_HEADER_LEN + payload.length);
  out[0] = VXLAN_FLAG_I;
  out[4] = (repr.vni >>> 16) & 0xff;
  out[5] = (repr.vni >>> 8) & 0xff;
  out[6] = repr.vni & 0xff;
  out.set(payload, VXLAN_HEADER_LEN);
  return out;
}

/** decodeVxlan parses the header; a header without the I flag carries no valid VNI and is an error. */
export function decodeVxlan(bytes: Uint8Array): Result<{ repr: VxlanRepr; payload: Uint8Array }> {
  if (bytes.length < VXLAN_HEADER_LEN) return err(`vxlan: truncated header (${bytes.length} < ${VXLAN_HEADER_LEN} bytes)`);
  if ((bytes[0] & VXLAN_FLAG_I) === 0) return err('vxlan: I flag not set');
  return ok({
    repr: { vni: (bytes[4] << 16) | (bytes[5] << 8) | bytes[6] },
    payload: bytes.subarray(VXLAN_HEADER_LEN),
  });
}
