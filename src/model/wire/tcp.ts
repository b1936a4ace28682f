// The TCP header (RFC 9293 §3.1), its options (RFC 9293 §3.2, RFC 7323, RFC 2018) and ECN flags (RFC 3168).

import type { Ipv4 } from '../addr.js';
import { readU16, readU32, withHeadroom, writeU16, writeU32 } from './bytes.js';
import { transportChecksum } from './checksum.js';
import { IpProtocol } from './ipv4.js';
import { err, ok, type Result } from './result.js';

/** TCP_HEADER_LEN is the length of a header without options (Data Offset 5). */
export const TCP_HEADER_LEN = 20;

/** TCP_HEADROOM is the room encodeTcp leaves in front of a segment: an IPv4 header without options and an Ethernet header. */
const TCP_HEADROOM = 20 + 14;

/** TCP_MAX_OPTIONS_LEN is the most option space a 4-bit Data Offset allows. */
export const TCP_MAX_OPTIONS_LEN = 40;

/** TcpOptionKind is the Kind octet of the options modelled here. */
export const TcpOptionKind = {
  Eol: 0,
  Nop: 1,
  Mss: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Sack: 5,
  Timestamp: 8,
} as const;

/**
 * TcpOption is one option. `eol` ends the list: encodeTcp pads the list to a 4-byte boundary with
 * zero (EOL) octets, and decodeTcp reports the first EOL it meets, padding or not, then stops.
 * `unknown` carries any other kind, or a known kind with an unexpected length, as raw data.
 */
export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'sack-permitted' }
  | { kind: 'timestamp'; tsval: number; tsecr: number }
  | { kind: 'nop' }
  | { kind: 'window-scale'; shift: number }
  | { kind: 'eol' }
  | { kind: 'unknown'; code: number; data: Uint8Array };

/** TcpFlags are the control bits. */
export interface TcpFlags {
  fin: boolean;
  syn: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  urg: boolean;
  ece: boolean;
  cwr: boolean;
}

/** TcpRepr is a TCP header without Data Offset and Checksum, which encodeTcp computes. */
export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: TcpFlags;
  window: number;
  urgent: number;
  options: TcpOption[];
}

/** TcpDecoded is a parsed segment with its payload (a view) and header facts the repr omits. */
export interface TcpDecoded {
  repr: TcpRepr;
  payload: Uint8Array;
  headerLength: number;
  checksumValid: boolean;
}

/** tcpFlags returns a flag set with the named bits on and the rest off. */
export function tcpFlags(on: Partial<TcpFlags> = {}): TcpFlags {
  return { fin: false, syn: false, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false, ...on };
}

function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'sack-permitted':
      return 2;
    case 'window-scale':
      return 3;
    case 'mss':
      return 4;
    case 'timestamp':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
  }
}

function writeOption(b: Uint8Array, at: number, o: TcpOption): void {
  switch (o.kind) {
    case 'eol':
      b[at] = TcpOptionKind.Eol;
      break;
    case 'nop':
      b[at] = TcpOptionKind.Nop;
      break;
    case 'sack-permitted':
      b[at] = TcpOptionKind.SackPermitted;
      b[at + 1] = 2;
      break;
    case 'window-scale':
      b[at] = TcpOptionKind.WindowScale;
      b[at + 1] = 3;
      b[at + 2] = o.shift;
      break;
    case 'mss':
      b[at] = TcpOptionKind.Mss;
      b[at + 1] = 4;
      writeU16(b, at + 2, o.value);
      break;
    case 'timestamp':
      b[at] = TcpOptionKind.Timestamp;
      b[at + 1] = 10;
      writeU32(b, at + 2, o.tsval);
      writeU32(b, at + 6, o.tsecr);
      break;
    case 'unknown':
      b[at] = o.code;
      b[at + 1] = 2 + o.data.length;
      b.set(o.data, at + 2);
      break;
  }
}

/** encodeTcp returns header, options (in the given order, zero-padded) and payload, with the pseudo-header checksum. */
export function encodeTcp(repr: TcpRepr, payload: Uint8Array, srcIp: Ipv4, dstIp: Ipv4): Uint8Array {
  let optionsLen = 0;
  for (const o of repr.options) optionsLen += optionLength(o);
  if (optionsLen > TCP_MAX_OPTIONS_LEN) throw new RangeError(`tcp: ${optionsLen} option bytes exceed ${TCP_MAX_OPTIONS_LEN}`);
  const headerLength = TCP_HEADER_LEN + ((optionsLen + 3) & ~3);
  // Room in front for the IPv4 and Ethernet headers, so the frame is built in one buffer.
  const out = withHeadroom(headerLength + payload.length, TCP_HEADROOM);
  writeU16(out, 0, repr.srcPort);
  writeU16(out, 2, repr.dstPort);
  writeU32(out, 4, repr.seq);
  writeU32(out, 8, repr.ack);
  out[12] = (headerLength / 4) << 4;
  const f = repr.flags;
  out[13] =
    (f.cwr ? 0x80 : 0) |
    (f.ece ? 0x40 : 0) |
    (f.urg ? 0x20 : 0) |
    (f.ack ? 0x10 : 0) |
    (f.psh ? 0x08 : 0) |
    (f.rst ? 0x04 : 0) |
    (f.syn ? 0x02 : 0) |
    (f.fin ? 0x01 : 0);
  writeU16(out, 14, repr.window);
  writeU16(out, 18, repr.urgent);
  let at = TCP_HEADER_LEN;
  for (const o of repr.options) {
    writeOption(out, at, o);
    at += optionLength(o);
  }
  out.set(payload, headerLength);
  writeU16(out, 16, transportChecksum(srcIp, dstIp, IpProtocol.Tcp, out));
  return out;
}

/** decodeTcpOptions parses the option bytes of a header; a length octet that is below 2 or overruns is an error. */
export function decodeTcpOptions(bytes: Uint8Array): Result<TcpOption[]> {
  const options: TcpOption[] = [];
  let i = 0;
  while (i < bytes.length) {
    const kind = bytes[i];
    if (kind === TcpOptionKind.Eol) {
      options.push({ kind: 'eol' });
      break;
    }
    if (kind === TcpOptionKind.Nop) {
      options.push({ kind: 'nop' });
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) return err(`tcp: option ${kind} has no length octet`);
    const len = bytes[i + 1];
    if (len < 2 || i + len > bytes.length) return err(`tcp: option ${kind} has bad length ${len}`);
    if (kind === TcpOptionKind.Mss && len === 4) options.push({ kind: 'mss', value: readU16(bytes, i + 2) });
    else if (kind === TcpOptionKind.SackPermitted && len === 2) options.push({ kind: 'sack-permitted' });
    else if (kind === TcpOptionKind.WindowScale && len === 3) options.push({ kind: 'window-scale', shift: bytes[i + 2] });
    else if (kind === TcpOptionKind.Timestamp && len === 10)
      options.push({ kind: 'timestamp', tsval: readU32(bytes, i + 2), tsecr: readU32(bytes, i + 6) });
    else options.push({ kind: 'unknown', code: kind, data: bytes.slice(i + 2, i + len) });
    i += len;
  }
  return ok(options);
}

/** decodeTcp parses a segment (the whole IP payload) and verifies its checksum over `srcIp` and `dstIp`. */
export function decodeTcp(bytes: Uint8Array, srcIp: Ipv4, dstIp: Ipv4): Result<TcpDecoded> {
  if (bytes.length < TCP_HEADER_LEN) return err(`tcp: truncated header (${bytes.length} < ${TCP_HEADER_LEN} bytes)`);
  const headerLength = (bytes[12] >>> 4) * 4;
  if (headerLength < TCP_HEADER_LEN) return err(`tcp: bad data offset ${headerLength / 4}`);
  if (headerLength > bytes.length) return err(`tcp: truncated options (${bytes.length} < ${headerLength} bytes)`);
  const options = decodeTcpOptions(bytes.subarray(TCP_HEADER_LEN, headerLength));
  if (!options.ok) return options;
  const f = bytes[13];
  return ok({
    repr: {
      srcPort: readU16(bytes, 0),
      dstPort: readU16(bytes, 2),
      seq: readU32(bytes, 4),
      ack: readU32(bytes, 8),
      flags: {
        fin: (f & 0x01) !== 0,
        syn: (f & 0x02) !== 0,
        rst: (f & 0x04) !== 0,
        psh: (f & 0x08) !== 0,
        ack: (f & 0x10) !== 0,
        urg: (f & 0x20) !== 0,
        ece: (f & 0x40) !== 0,
        cwr: (f & 0x80) !== 0,
      },
      window: readU16(bytes, 14),
      urgent: readU16(bytes, 18),
      options: options.value,
    },
    payload: bytes.subarray(headerLength),
    headerLength,
    checksumValid: transportChecksum(srcIp, dstIp, IpProtocol.Tcp, bytes) === 0,
  });
}
