// fast-check generators of header representations (RFC 826, 791, 792, 768, 9293, 7348) for the
// round-trip properties: every value generated is one decode(encode(x)) must give back unchanged.

import fc from 'fast-check';
import { macFromBytes } from '../../../src/model/addr.js';
import type { ArpRepr } from '../../../src/model/wire/arp.js';
import type { EthernetRepr } from '../../../src/model/wire/ethernet.js';
import type { IcmpRepr } from '../../../src/model/wire/icmp.js';
import type { Ipv4Repr } from '../../../src/model/wire/ipv4.js';
import type { TcpOption, TcpRepr } from '../../../src/model/wire/tcp.js';
import type { UdpRepr } from '../../../src/model/wire/udp.js';
import type { VxlanRepr } from '../../../src/model/wire/vxlan.js';

export const arbU8 = fc.integer({ min: 0, max: 0xff });
export const arbU16 = fc.integer({ min: 0, max: 0xffff });
export const arbU32 = fc.integer({ min: 0, max: 0xffffffff });
export const arbIpv4 = arbU32;
export const arbMac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macFromBytes(b));
export const arbPayload = (maxLength = 64): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength });

export const arbEthernetRepr: fc.Arbitrary<EthernetRepr> = fc.record({ dst: arbMac, src: arbMac, ethertype: arbU16 });

export const arbArpRepr: fc.Arbitrary<ArpRepr> = fc.record({
  op: arbU16,
  senderMac: arbMac,
  senderIp: arbIpv4,
  targetMac: arbMac,
  targetIp: arbIpv4,
});

export const arbIpv4Repr: fc.Arbitrary<Ipv4Repr> = fc.record({
  src: arbIpv4,
  dst: arbIpv4,
  protocol: arbU8,
  ttl: arbU8,
  ident: arbU16,
  tos: arbU8,
  dontFrag: fc.boolean(),
  moreFrags: fc.boolean(),
  fragOffset: fc.integer({ min: 0, max: 0x1fff }),
});

export const arbIcmpRepr: fc.Arbitrary<IcmpRepr> = fc.oneof(
  fc.record({
    type: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    ident: arbU16,
    seq: arbU16,
    data: arbPayload(),
  }),
  fc.record({ type: fc.constant('time-exceeded' as const), code: arbU8, invoking: arbPayload() }),
  fc.record({ type: fc.constant('dest-unreachable' as const), code: arbU8.filter((c) => c !== 4), invoking: arbPayload() }),
  fc.record({ type: fc.constant('dest-unreachable' as const), code: fc.constant(4), nextHopMtu: arbU16, invoking: arbPayload() }),
  fc.record({
    type: fc.constant('other' as const),
    icmpType: arbU8.filter((t) => t !== 0 && t !== 3 && t !== 8 && t !== 11),
    code: arbU8,
    rest: arbPayload(),
  }),
);

export const arbUdpRepr: fc.Arbitrary<UdpRepr> = fc.record({ srcPort: arbU16, dstPort: arbU16 });

/** arbTcpOption generates any option but EOL, which only ends a list. */
export const arbTcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.record({ kind: fc.constant('mss' as const), value: arbU16 }),
  fc.constant({ kind: 'sack-permitted' as const }),
  fc.record({ kind: fc.constant('timestamp' as const), tsval: arbU32, tsecr: arbU32 }),
  fc.constant({ kind: 'nop' as const }),
  fc.record({ kind: fc.constant('window-scale' as const), shift: arbU8 }),
  fc.record({
    kind: fc.constant('unknown' as const),
    code: arbU8.filter((c) => ![0, 1, 2, 3, 4, 8].includes(c)),
    data: fc.uint8Array({ maxLength: 8 }),
  }),
);

/** tcpOptionLength is the encoded size of an option. */
export function tcpOptionLength(o: TcpOption): number {
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

/**
 * canonicalTcpOptions is the list decodeTcp gives back for `options`: a list that needs padding
 * reads back with the EOL that starts the padding.
 */
export function canonicalTcpOptions(options: TcpOption[]): TcpOption[] {
  const length = options.reduce((n, o) => n + tcpOptionLength(o), 0);
  return length % 4 === 0 ? options : [...options, { kind: 'eol' }];
}

/** arbTcpOptions generates option lists that fit in 40 bytes, in canonical form. */
export const arbTcpOptions: fc.Arbitrary<TcpOption[]> = fc
  .array(arbTcpOption, { maxLength: 8 })
  .filter((os) => os.reduce((n, o) => n + tcpOptionLength(o), 0) <= 40)
  .map(canonicalTcpOptions);

export const arbTcpFlags = fc.record({
  fin: fc.boolean(),
  syn: fc.boolean(),
  rst: fc.boolean(),
  psh: fc.boolean(),
  ack: fc.boolean(),
  urg: fc.boolean(),
  ece: fc.boolean(),
  cwr: fc.boolean(),
});

export const arbTcpRepr: fc.Arbitrary<TcpRepr> = fc.record({
  srcPort: arbU16,
  dstPort: arbU16,
  seq: arbU32,
  ack: arbU32,
  flags: arbTcpFlags,
  window: arbU16,
  urgent: arbU16,
  options: arbTcpOptions,
});

export const arbVxlanRepr: fc.Arbitrary<VxlanRepr> = fc.record({ vni: fc.integer({ min: 0, max: 0xffffff }) });

/** hexBytes parses a hex string (spaces allowed) into bytes. */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}
