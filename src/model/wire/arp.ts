// ARP for Ethernet and IPv4 (RFC 826).

import { macFromBytes, macWrite, type Ipv4, type Mac } from '../addr.js';
import { readU16, readU32, writeU16, writeU32 } from './bytes.js';
import { EtherType } from './ethernet.js';
import { err, ok, type Result } from './result.js';

/** ArpOp is the ARP opcode (ar$op). */
export const ArpOp = {
  Request: 1,
  Reply: 2,
} as const;

/** ARP_HRD_ETHERNET is the hardware address space of Ethernet (ar$hrd). */
export const ARP_HRD_ETHERNET = 1;

/** ARP_PACKET_LEN is the length of an Ethernet/IPv4 ARP packet. */
export const ARP_PACKET_LEN = 28;

/** ArpRepr is an Ethernet/IPv4 ARP packet; `op` may hold opcodes other than ArpOp. */
export interface ArpRepr {
  op: number;
  senderMac: Mac;
  senderIp: Ipv4;
  targetMac: Mac;
  targetIp: Ipv4;
}

/** encodeArp returns the 28-byte packet. */
export function encodeArp(repr: ArpRepr): Uint8Array {
  const out = new Uint8Array(ARP_PACKET_LEN);
  writeU16(out, 0, ARP_HRD_ETHERNET);
  writeU16(out, 2, EtherType.Ipv4);
  out[4] = 6;
  out[5] = 4;
  writeU16(out, 6, repr.op);
  macWrite(out, 8, repr.senderMac);
  writeU32(out, 14, repr.senderIp);
  macWrite(out, 18, repr.targetMac);
  writeU32(out, 24, repr.targetIp);
  return out;
}

/** decodeArp parses an Ethernet/IPv4 ARP packet; trailing bytes (Ethernet padding) are ignored. */
export function decodeArp(bytes: Uint8Array): Result<ArpRepr> {
  if (bytes.length < 8) return err(`arp: truncated header (${bytes.length} < 8 bytes)`);
  const hrd = readU16(bytes, 0);
  const pro = readU16(bytes, 2);
  if (hrd !== ARP_HRD_ETHERNET) return err(`arp: unsupported hardware type ${hrd}`);
  if (pro !== EtherType.Ipv4) return err(`arp: unsupported protocol type 0x${pro.toString(16).padStart(4, '0')}`);
  if (bytes[4] !== 6 || bytes[5] !== 4) return err(`arp: bad address lengths (hln ${bytes[4]}, pln ${bytes[5]})`);
  if (bytes.length < ARP_PACKET_LEN) return err(`arp: truncated packet (${bytes.length} < ${ARP_PACKET_LEN} bytes)`);
  return ok({
    op: readU16(bytes, 6),
    senderMac: macFromBytes(bytes, 8),
    senderIp: readU32(bytes, 14),
    targetMac: macFromBytes(bytes, 18),
    targetIp: readU32(bytes, 24),
  });
}
