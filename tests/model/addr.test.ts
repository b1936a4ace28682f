// Tests of the MAC address helpers (src/model/addr.ts) the data path uses to read and write addresses
// in frames without making strings: round trips through octets, comparison in place, the 48-bit
// number a bridge's forwarding table is keyed by, and the group bit (IEEE 802 §8.2).

import fc from 'fast-check';
import {
  isMulticastMac,
  macEqualsBytes,
  macFromBytes,
  macNumber,
  macNumberOfBytes,
  macToBytes,
  macWrite,
  parseMac,
} from '../../src/model/addr.js';

const octets = fc.uint8Array({ minLength: 6, maxLength: 6 });

describe('MAC addresses', () => {
  it.each([
    ['00:00:00:00:00:00', [0, 0, 0, 0, 0, 0]],
    ['ff:ff:ff:ff:ff:ff', [255, 255, 255, 255, 255, 255]],
    ['4a:8d:0e:93:6a:39', [0x4a, 0x8d, 0x0e, 0x93, 0x6a, 0x39]],
    ['ee:ee:ee:ee:ee:ee', [0xee, 0xee, 0xee, 0xee, 0xee, 0xee]],
  ])('%s is %j', (mac, bytes) => {
    expect(Array.from(macToBytes(mac))).toEqual(bytes);
    expect(macFromBytes(Uint8Array.from(bytes))).toBe(mac);
    expect(macNumber(mac)).toBe(bytes.reduce((n, b) => n * 256 + b, 0));
  });

  it('goes to octets and back, in place at any offset', () => {
    fc.assert(
      fc.property(octets, fc.nat(10), (b, at) => {
        const mac = macFromBytes(b);
        expect(parseMac(mac)).toBe(mac);
        const buf = new Uint8Array(at + 6);
        macWrite(buf, at, mac);
        expect(buf.subarray(at)).toEqual(b);
        expect(macFromBytes(buf, at)).toBe(mac);
      }),
    );
  });

  it('reads an upper-case address as its lower-case form', () => {
    expect(Array.from(macToBytes('4A:8D:0E:93:6A:39'))).toEqual(Array.from(macToBytes('4a:8d:0e:93:6a:39')));
  });

  it('compares octets in place as the strings compare', () => {
    fc.assert(
      fc.property(octets, octets, (a, b) => {
        const same = macFromBytes(a) === macFromBytes(b);
        expect(macEqualsBytes(macFromBytes(a), b, 0)).toBe(same);
        expect(macNumberOfBytes(b, 0) === macNumber(macFromBytes(a))).toBe(same);
      }),
    );
  });

  it('numbers an address the same from its string and from its octets', () => {
    fc.assert(fc.property(octets, (b) => expect(macNumberOfBytes(b, 0)).toBe(macNumber(macFromBytes(b)))));
  });

  it('sees the group bit in the first octet', () => {
    fc.assert(fc.property(octets, (b) => expect(isMulticastMac(macFromBytes(b))).toBe((b[0] & 1) === 1)));
  });
});
