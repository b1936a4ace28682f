// Tests for UDP (RFC 768) against datagrams the Linux kernel sent.

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import { decodeUdp, encodeUdp } from '../../../src/model/wire/udp.js';
import { VXLAN_PORT } from '../../../src/model/wire/vxlan.js';
import { arbIpv4, arbPayload, arbUdpRepr, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

const ip = (s: string): number => parseIpv4(s)!;
const POD = ip('10.233.133.2');
const PEER = ip('10.8.152.200');

describe('udp', () => {
  const datagram = frameBytes('udp-to-closed-port').subarray(34);

  it('decodes a captured datagram and verifies its checksum', () => {
    const r = decodeUdp(datagram, POD, PEER);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr.dstPort).toBe(9999);
    expect(r.value.length).toBe(10);
    expect(r.value.payload).toEqual(hexBytes('780a')); // "x\n" from nc
    expect(r.value.checksumValid).toBe(true);
  });

  it('encodes captured datagrams back to their bytes, checksum included', () => {
    const r = decodeUdp(datagram, POD, PEER);
    if (!r.ok) throw new Error(r.error);
    expect(encodeUdp(r.value.repr, r.value.payload, POD, PEER)).toEqual(datagram);
    const outer = frameBytes('vxlan-icmp-echo-request').subarray(34);
    const v = decodeUdp(outer, POD, PEER);
    if (!v.ok) throw new Error(v.error);
    expect(v.value.repr.dstPort).toBe(VXLAN_PORT);
    expect(encodeUdp(v.value.repr, v.value.payload, POD, PEER)).toEqual(outer);
  });

  it('detects a checksum computed over the wrong pseudo-header', () => {
    const r = decodeUdp(datagram, POD, ip('10.8.152.201'));
    expect(r.ok && r.value.checksumValid).toBe(false);
  });

  it('sends and accepts a zero checksum as "no checksum"', () => {
    const bytes = encodeUdp({ srcPort: 1, dstPort: VXLAN_PORT }, hexBytes('08'), POD, PEER, { checksum: false });
    expect(bytes).toEqual(hexBytes('0001 12b5 0009 0000 08'));
    const r = decodeUdp(bytes, POD, PEER);
    expect(r.ok && r.value.checksumValid).toBe(true);
  });

  it('sends a computed checksum of zero as all ones', () => {
    // Find a payload word that makes the sum 0xffff, so the checksum field would be 0.
    const base = encodeUdp({ srcPort: 1, dstPort: 2 }, new Uint8Array(2), POD, PEER);
    const c = (base[6] << 8) | base[7];
    const bytes = encodeUdp({ srcPort: 1, dstPort: 2 }, Uint8Array.from([c >>> 8, c & 0xff]), POD, PEER);
    expect([bytes[6], bytes[7]]).toEqual([0xff, 0xff]);
    const r = decodeUdp(bytes, POD, PEER);
    expect(r.ok && r.value.checksumValid).toBe(true);
  });

  it('ignores bytes past the Length field', () => {
    const padded = new Uint8Array(datagram.length + 6);
    padded.set(datagram);
    const r = decodeUdp(padded, POD, PEER);
    expect(r.ok && r.value.payload).toEqual(hexBytes('780a'));
  });

  it.each([
    ['empty', ''],
    ['7 bytes', '8eba 270f 000a 00'],
    ['length below 8', '8eba 270f 0007 0000'],
    ['length past the buffer', '8eba 270f 000b 0000 780a'],
  ])('rejects %s', (_name, hex) => {
    expect(decodeUdp(hexBytes(hex), POD, PEER).ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbUdpRepr, arbPayload(100), arbIpv4, arbIpv4, (repr, payload, src, dst) => {
        const d = decodeUdp(encodeUdp(repr, payload, src, dst), src, dst);
        expect(d).toEqual({ ok: true, value: { repr, payload, length: 8 + payload.length, checksumValid: true } });
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), arbIpv4, arbIpv4, (b, s, d) => void decodeUdp(b, s, d)));
  });
});
