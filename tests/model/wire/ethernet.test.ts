// Tests for Ethernet II framing (IEEE 802.3, RFC 894) against captured frames.

import fc from 'fast-check';
import { decodeEthernet, encodeEthernet, EtherType } from '../../../src/model/wire/ethernet.js';
import { arbEthernetRepr, arbPayload, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

describe('ethernet', () => {
  const frame = frameBytes('arp-request-gateway');

  it('decodes a captured broadcast ARP frame', () => {
    const r = decodeEthernet(frame);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.repr).toEqual({ dst: 'ff:ff:ff:ff:ff:ff', src: '4a:8d:0e:93:6a:39', ethertype: EtherType.Arp });
    expect(r.value.payload).toEqual(frame.subarray(14));
  });

  it('encodes the same bytes back', () => {
    const r = decodeEthernet(frame);
    if (!r.ok) throw new Error(r.error);
    expect(encodeEthernet(r.value.repr, r.value.payload)).toEqual(frame);
  });

  it('encodes a header by hand', () => {
    const bytes = encodeEthernet({ dst: 'ee:ee:ee:ee:ee:ee', src: '4a:8d:0e:93:6a:39', ethertype: EtherType.Ipv4 }, hexBytes('45'));
    expect(bytes).toEqual(hexBytes('eeeeeeeeeeee 4a8d0e936a39 0800 45'));
  });

  it.each([
    ['empty', ''],
    ['one byte', 'ff'],
    ['addresses only', 'ffffffffffff 4a8d0e936a39'],
    ['half an EtherType', 'ffffffffffff 4a8d0e936a39 08'],
  ])('rejects a truncated frame: %s', (_name, hex) => {
    const r = decodeEthernet(hexBytes(hex));
    expect(r.ok).toBe(false);
  });

  it('accepts a header with no payload', () => {
    const r = decodeEthernet(hexBytes('ffffffffffff 4a8d0e936a39 0806'));
    expect(r.ok && r.value.payload.length).toBe(0);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbEthernetRepr, arbPayload(), (repr, payload) => {
        const r = decodeEthernet(encodeEthernet(repr, payload));
        expect(r).toEqual({ ok: true, value: { repr, payload } });
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => void decodeEthernet(b)));
  });
});
