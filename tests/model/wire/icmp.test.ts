// Tests for ICMP (RFC 792) and the RFC 1191 Next-Hop MTU against messages the Linux kernel sent.

import fc from 'fast-check';
import { DestUnreachableCode, decodeIcmp, encodeIcmp, type IcmpRepr } from '../../../src/model/wire/icmp.js';
import { arbIcmpRepr, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

/** icmpOf returns the ICMP message of a captured frame (Ethernet and a 20-byte IP header stripped). */
const icmpOf = (name: string): Uint8Array => frameBytes(name).subarray(34);

function decoded(bytes: Uint8Array): IcmpRepr {
  const r = decodeIcmp(bytes);
  if (!r.ok) throw new Error(r.error);
  expect(r.value.checksumValid).toBe(true);
  return r.value.repr;
}

describe('icmp', () => {
  it('decodes a captured echo request', () => {
    const repr = decoded(icmpOf('icmp-echo-request'));
    expect(repr).toMatchObject({ type: 'echo-request', ident: 0x2ff4, seq: 1 });
    expect(repr.type === 'echo-request' && repr.data.length).toBe(56);
  });

  it('decodes a captured echo reply', () => {
    expect(decoded(icmpOf('icmp-echo-reply'))).toMatchObject({ type: 'echo-reply', ident: 0x2ff4, seq: 1 });
  });

  it('decodes a time exceeded that quotes the whole original datagram', () => {
    const repr = decoded(icmpOf('icmp-time-exceeded'));
    expect(repr.type).toBe('time-exceeded');
    if (repr.type !== 'time-exceeded') return;
    expect(repr.code).toBe(0);
    // Linux quotes the original datagram as it arrived (TTL 1), its 64-byte echo included.
    expect(repr.invoking).toEqual(frameBytes('icmp-echo-request-ttl1').subarray(14));
  });

  it('decodes fragmentation needed with the next-hop MTU, quoting up to 576 bytes', () => {
    const repr = decoded(icmpOf('icmp-need-to-frag'));
    expect(repr).toMatchObject({ type: 'dest-unreachable', code: DestUnreachableCode.FragmentationNeeded, nextHopMtu: 1450 });
    expect(repr.type === 'dest-unreachable' && repr.invoking.length).toBe(576 - 20 - 8);
  });

  it.each([
    ['icmp-host-unreachable', DestUnreachableCode.HostUnreachable],
    ['icmp-admin-prohibited-filter', DestUnreachableCode.AdminProhibited],
    ['icmp-udp-port-unreachable', DestUnreachableCode.PortUnreachable],
  ])('decodes %s without a next-hop MTU', (name, code) => {
    const repr = decoded(icmpOf(name));
    expect(repr).toMatchObject({ type: 'dest-unreachable', code });
    expect('nextHopMtu' in repr).toBe(false);
  });

  it.each([
    'icmp-echo-request',
    'icmp-echo-reply',
    'icmp-time-exceeded',
    'icmp-need-to-frag',
    'icmp-host-unreachable',
    'icmp-admin-prohibited-filter',
    'icmp-udp-port-unreachable',
  ])('encodes captured %s back to its bytes, checksum included', (name) => {
    const bytes = icmpOf(name);
    expect(encodeIcmp(decoded(bytes))).toEqual(bytes);
  });

  it('keeps unmodelled types whole, e.g. a timestamp request', () => {
    const bytes = encodeIcmp({ type: 'other', icmpType: 13, code: 0, rest: hexBytes('0001 0002 00000000 00000000 00000000') });
    expect(decoded(bytes)).toEqual({ type: 'other', icmpType: 13, code: 0, rest: hexBytes('0001 0002 00000000 00000000 00000000') });
  });

  it('reports a wrong checksum', () => {
    const bytes = icmpOf('icmp-echo-request').slice();
    bytes[2] ^= 0xff;
    const r = decodeIcmp(bytes);
    expect(r.ok && r.value.checksumValid).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['type and code only', '0800'],
    ['echo without identifier', '0800 f7ff'],
    ['echo without sequence', '0800 f7ff 0001'],
    ['time exceeded without unused word', '0b00 f4ff 00'],
    ['unreachable cut in the MTU', '0304 0000 0000 05'],
  ])('rejects %s', (_name, hex) => {
    expect(decodeIcmp(hexBytes(hex)).ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbIcmpRepr, (repr) => {
        expect(decodeIcmp(encodeIcmp(repr))).toEqual({ ok: true, value: { repr, checksumValid: true } });
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => void decodeIcmp(b)));
  });
});
