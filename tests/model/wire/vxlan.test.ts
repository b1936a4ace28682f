// Tests for the VXLAN header (RFC 7348) against frames a Linux VXLAN device sent.

import fc from 'fast-check';
import { decodeVxlan, encodeVxlan } from '../../../src/model/wire/vxlan.js';
import { arbPayload, arbVxlanRepr, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

describe('vxlan', () => {
  // Ethernet 14 + IPv4 20 + UDP 8 bytes lead to the VXLAN header.
  const packet = frameBytes('vxlan-arp-request').subarray(42);

  it('decodes a captured header with VNI 4096 and the inner frame', () => {
    const r = decodeVxlan(packet);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr).toEqual({ vni: 4096 });
    expect(r.value.payload.length).toBe(42);
    expect(r.value.payload.subarray(12, 14)).toEqual(hexBytes('0806'));
  });

  it('encodes the captured bytes', () => {
    const r = decodeVxlan(packet);
    if (!r.ok) throw new Error(r.error);
    expect(encodeVxlan(r.value.repr, r.value.payload)).toEqual(packet);
    expect(encodeVxlan({ vni: 0xabcdef }, new Uint8Array(0))).toEqual(hexBytes('08000000 abcdef00'));
  });

  it.each([
    ['empty', ''],
    ['7 bytes', '08000000 001000'],
    ['I flag clear', '00000000 00100000'],
  ])('rejects %s', (_name, hex) => {
    expect(decodeVxlan(hexBytes(hex)).ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbVxlanRepr, arbPayload(), (repr, payload) => {
        expect(decodeVxlan(encodeVxlan(repr, payload))).toEqual({ ok: true, value: { repr, payload } });
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (b) => void decodeVxlan(b)));
  });
});
