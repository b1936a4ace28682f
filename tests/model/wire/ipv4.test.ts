// Tests for the IPv4 header (RFC 791) against captured datagrams.

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import { internetChecksum } from '../../../src/model/wire/checksum.js';
import { decodeIpv4, encodeIpv4, IpProtocol, type Ipv4Repr } from '../../../src/model/wire/ipv4.js';
import { arbIpv4Repr, arbPayload, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

const ip = (s: string): number => parseIpv4(s)!;

describe('ipv4', () => {
  const datagram = frameBytes('icmp-echo-request').subarray(14);
  const repr: Ipv4Repr = {
    src: ip('10.233.133.2'),
    dst: ip('10.8.152.200'),
    protocol: IpProtocol.Icmp,
    ttl: 64,
    ident: 0x8392,
    tos: 0,
    dontFrag: true,
    moreFrags: false,
    fragOffset: 0,
  };

  it('decodes a captured echo request', () => {
    const r = decodeIpv4(datagram);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr).toEqual(repr);
    expect(r.value.headerLength).toBe(20);
    expect(r.value.totalLength).toBe(84);
    expect(r.value.checksumValid).toBe(true);
    expect(r.value.payload).toEqual(datagram.subarray(20));
  });

  it('encodes every captured IPv4 datagram back to its bytes, checksum included', () => {
    for (const name of ['icmp-echo-request', 'icmp-time-exceeded', 'icmp-need-to-frag', 'tcp-http-syn-ack', 'vxlan-icmp-echo-request']) {
      const bytes = frameBytes(name).subarray(14);
      const r = decodeIpv4(bytes);
      if (!r.ok) throw new Error(r.error);
      expect(encodeIpv4(r.value.repr, r.value.payload)).toEqual(bytes);
    }
  });

  it('reads the router-generated header of an ICMP error (TOS 0xc0, no DF)', () => {
    const r = decodeIpv4(frameBytes('icmp-need-to-frag').subarray(14));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr).toMatchObject({ src: ip('10.233.133.1'), tos: 0xc0, dontFrag: false, ttl: 64 });
    expect(r.value.totalLength).toBe(576);
  });

  it('reports a corrupted header checksum without rejecting the datagram', () => {
    const bad = datagram.slice();
    bad[8] = 1;
    const r = decodeIpv4(bad);
    expect(r.ok && r.value.checksumValid).toBe(false);
  });

  it('skips options when IHL is above 5', () => {
    // IHL 6: one word of options (NOP, NOP, NOP, EOL; RFC 791 §3.1), then 8 bytes of payload.
    const bytes = hexBytes('46000020 00010000 4001 0000 0a000001 0a000002 01010100 deadbeef 01020304');
    const sum = internetChecksum(bytes.subarray(0, 24));
    bytes[10] = sum >>> 8;
    bytes[11] = sum & 0xff;
    const r = decodeIpv4(bytes);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.headerLength).toBe(24);
    expect(r.value.totalLength).toBe(32);
    expect(r.value.checksumValid).toBe(true);
    expect(r.value.payload).toEqual(hexBytes('deadbeef 01020304'));
  });

  it('drops link-layer padding past Total Length', () => {
    const padded = new Uint8Array(datagram.length + 10);
    padded.set(datagram);
    const r = decodeIpv4(padded);
    expect(r.ok && r.value.payload.length).toBe(64);
  });

  it('encodes fragment fields: offset in 8-octet units with MF', () => {
    const bytes = encodeIpv4({ ...repr, dontFrag: false, moreFrags: true, fragOffset: 185 }, new Uint8Array(8));
    expect(bytes[6]).toBe(0x20);
    expect(bytes[7]).toBe(185);
  });

  it('refuses a payload that overflows Total Length', () => {
    expect(() => encodeIpv4(repr, new Uint8Array(0x10000))).toThrow(RangeError);
  });

  const good = '45000054 83924000 4001 0000 0ae98502 0a0898c8';
  it.each([
    ['empty', ''],
    ['19 bytes', good.slice(0, -2)],
    ['version 6', `65${good.slice(2)}`],
    ['version 0', `05${good.slice(2)}`],
    ['IHL 4', `44${good.slice(2)}`],
    ['IHL 15 past the buffer', `4f${good.slice(2)}`],
    ['total length below header', `4500 0013${good.slice(8)}`],
    ['total length 0', `4500 0000${good.slice(8)}`],
    ['total length past the buffer', good],
    ['total length 65535', `4500 ffff${good.slice(8)}`],
  ])('rejects %s', (_name, hex) => {
    const r = decodeIpv4(hexBytes(hex));
    expect(r.ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbIpv4Repr, arbPayload(100), (r, payload) => {
        const d = decodeIpv4(encodeIpv4(r, payload));
        expect(d).toEqual({
          ok: true,
          value: { repr: r, payload, headerLength: 20, totalLength: 20 + payload.length, checksumValid: true },
        });
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => void decodeIpv4(b)));
  });
});
