// ICMP for IPv4 (RFC 792), with the Next-Hop MTU of "fragmentation needed" (RFC 1191 §4).

import { readU16, writeU16 } from './bytes.js';
import { internetChecksum } from './checksum.js';
import { err, ok, type Result } from './result.js';

/** IcmpType is the ICMP Type field for the messages the simulator speaks. */
export const IcmpType = {
  EchoReply: 0,
  DestUnreachable: 3,
  Echo: 8,
  TimeExceeded: 11,
} as const;

/** DestUnreachableCode is the Code of a Destination Unreachable message (RFC 792, RFC 1122 §3.2.2.1). */
export const DestUnreachableCode = {
  NetUnreachable: 0,
  HostUnreachable: 1,
  ProtocolUnreachable: 2,
  PortUnreachable: 3,
  FragmentationNeeded: 4,
  SourceRouteFailed: 5,
  NetUnknown: 6,
  HostUnknown: 7,
  NetProhibited: 9,
  HostProhibited: 10,
  AdminProhibited: 13,
} as const;

/** TimeExceededCode is the Code of a Time Exceeded message. */
export const TimeExceededCode = {
  TtlExceeded: 0,
  FragmentReassembly: 1,
} as const;

/** ICMP_HEADER_LEN is Type, Code, Checksum and the 4-byte rest of header. */
export const ICMP_HEADER_LEN = 8;

/**
 * IcmpRepr is an ICMP message without its checksum. `invoking` is the Internet Header and leading
 * data of the datagram that caused an error, exactly as the sender chose to quote it.
 * `nextHopMtu` is present exactly when a Destination Unreachable has code 4 (fragmentation needed).
 * `other` carries any message type not modelled here, `rest` being everything after the checksum.
 */
export type IcmpRepr =
  | { type: 'echo-request' | 'echo-reply'; ident: number; seq: number; data: Uint8Array }
  | { type: 'time-exceeded'; code: number; invoking: Uint8Array }
  | { type: 'dest-unreachable'; code: number; nextHopMtu?: number; invoking: Uint8Array }
  | { type: 'other'; icmpType: number; code: number; rest: Uint8Array };

/** encodeIcmp returns the message with its checksum computed. */
export function encodeIcmp(repr: IcmpRepr): Uint8Array {
  let out: Uint8Array;
  switch (repr.type) {
    case 'echo-request':
    case 'echo-reply':
      out = new Uint8Array(ICMP_HEADER_LEN + repr.data.length);
      out[0] = repr.type === 'echo-request' ? IcmpType.Echo : IcmpType.EchoReply;
      writeU16(out, 4, repr.ident);
      writeU16(out, 6, repr.seq);
      out.set(repr.data, ICMP_HEADER_LEN);
      break;
    case 'time-exceeded':
      out = new Uint8Array(ICMP_HEADER_LEN + repr.invoking.length);
      out[0] = IcmpType.TimeExceeded;
      out[1] = repr.code;
      out.set(repr.invoking, ICMP_HEADER_LEN);
      break;
    case 'dest-unreachable':
      out = new Uint8Array(ICMP_HEADER_LEN + repr.invoking.length);
      out[0] = IcmpType.DestUnreachable;
      out[1] = repr.code;
      if (repr.nextHopMtu !== undefined) writeU16(out, 6, repr.nextHopMtu);
      out.set(repr.invoking, ICMP_HEADER_LEN);
      break;
    case 'other':
      out = new Uint8Array(4 + repr.rest.length);
      out[0] = repr.icmpType;
      out[1] = repr.code;
      out.set(repr.rest, 4);
      break;
  }
  writeU16(out, 2, internetChecksum(out));
  return out;
}

/** decodeIcmp parses a message (the whole IP payload) and reports whether its checksum verifies. */
export function decodeIcmp(bytes: Uint8Array): Result<{ repr: IcmpRepr; checksumValid: boolean }> {
  if (bytes.length < 4) return err(`icmp: truncated header (${bytes.length} < 4 bytes)`);
  const icmpType = bytes[0];
  const code = bytes[1];
  const checksumValid = internetChecksum(bytes) === 0;
  const modelled =
    icmpType === IcmpType.Echo ||
    icmpType === IcmpType.EchoReply ||
    icmpType === IcmpType.TimeExceeded ||
    icmpType === IcmpType.DestUnreachable;
  if (!modelled) return ok({ repr: { type: 'other', icmpType, code, rest: bytes.slice(4) }, checksumValid });
  if (bytes.length < ICMP_HEADER_LEN) return err(`icmp: truncated header (${bytes.length} < ${ICMP_HEADER_LEN} bytes)`);
  const body = bytes.slice(ICMP_HEADER_LEN);
  let repr: IcmpRepr;
  switch (icmpType) {
    case IcmpType.Echo:
    case IcmpType.EchoReply:
      repr = {
        type: icmpType === IcmpType.Echo ? 'echo-request' : 'echo-reply',
        ident: readU16(bytes, 4),
        seq: readU16(bytes, 6),
        data: body,
      };
      break;
    case IcmpType.TimeExceeded:
      repr = { type: 'time-exceeded', code, invoking: body };
      break;
    default:
      repr =
        code === DestUnreachableCode.FragmentationNeeded
          ? { type: 'dest-unreachable', code, nextHopMtu: readU16(bytes, 6), invoking: body }
          : { type: 'dest-unreachable', code, invoking: body };
      break;
  }
  return ok({ repr, checksumValid });
}
