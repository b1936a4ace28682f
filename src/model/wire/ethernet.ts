// Ethernet II framing (IEEE 802.3 clause 3, RFC 894). Frames carry no FCS, as a capture shows them.

import { macFromBytes, macWrite, type Mac } from '../addr.js';
import { prependRoom } from './bytes.js';
import { err, ok, type Result } from './result.js';

/** EtherType names the protocols the simulator carries over Ethernet. */
export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
} as const;

/** ETHERNET_HEADER_LEN is the length of destination, source and EtherType. */
export const ETHERNET_HEADER_LEN = 14;

/** EthernetRepr is an Ethernet II header. */
export interface EthernetRepr {
  dst: Mac;
  src: Mac;
  ethertype: number;
}

/** encodeEthernet returns the header followed by `payload`. */
export function encodeEthernet(repr: EthernetRepr, payload: Uint8Array): Uint8Array {
  // The payload's own buffer holds the header when it was made with room for it (withHeadroom).
  const out = prependRoom(payload, ETHERNET_HEADER_LEN);
  macWrite(out, 0, repr.dst);
  macWrite(out, 6, repr.src);
  out[12] = (repr.ethertype >>> 8) & 0xff;
  out[13] = repr.ethertype & 0xff;
  return out;
}

/** decodeEthernet splits a frame into its header and payload (a view, not a copy). */
export function decodeEthernet(bytes: Uint8Array): Result<{ repr: EthernetRepr; payload: Uint8Array }> {
  if (bytes.length < ETHERNET_HEADER_LEN) return err(`ethernet: truncated frame (${bytes.length} < ${ETHERNET_HEADER_LEN} bytes)`);
  return ok({
    repr: { dst: macFromBytes(bytes, 0), src: macFromBytes(bytes, 6), ethertype: (bytes[12] << 8) | bytes[13] },
    payload: bytes.subarray(ETHERNET_HEADER_LEN),
  });
}
