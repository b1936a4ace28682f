// Tests for the RFC 1071 Internet checksum and the TCP/UDP pseudo-header sum.

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import { fold, internetChecksum, onesComplementSum, pseudoHeaderSum, transportChecksum } from '../../../src/model/wire/checksum.js';
import { IpProtocol } from '../../../src/model/wire/ipv4.js';
import { hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

describe('internet checksum (RFC 1071)', () => {
  it('sums the RFC 1071 §3 example to ddf2 and complements it to 220d', () => {
    const bytes = hexBytes('0001 f203 f4f5 f6f7');
    expect(onesComplementSum(bytes)).toBe(0xddf2);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('pads an odd final octet with zero', () => {
    expect(onesComplementSum(hexBytes('0001 f203 f4f5 f6'))).toBe(onesComplementSum(hexBytes('0001 f203 f4f5 f600')));
  });

  it('folds carries end-around', () => {
    expect(fold(0x1ffff)).toBe(0x0001);
    expect(fold(0xffff)).toBe(0xffff);
    expect(fold(0x2fffd)).toBe(0xffff);
    expect(fold(0x3fffd)).toBe(0x0001);
  });

  it('verifies the header of a captured IPv4 datagram to zero', () => {
    const header = frameBytes('icmp-echo-request').subarray(14, 34);
    expect(internetChecksum(header)).toBe(0);
  });

  it('verifies a captured UDP datagram with its pseudo-header', () => {
    const frame = frameBytes('udp-to-closed-port');
    const src = parseIpv4('10.233.133.2')!;
    const dst = parseIpv4('10.8.152.200')!;
    expect(transportChecksum(src, dst, IpProtocol.Udp, frame.subarray(34))).toBe(0);
  });

  it('sums the pseudo-header as the RFC 768 layout', () => {
    const pseudo = hexBytes('0ae98502 0a0898c8 0011 000a');
    expect(pseudoHeaderSum(parseIpv4('10.233.133.2')!, parseIpv4('10.8.152.200')!, 17, 10)).toBe(onesComplementSum(pseudo));
  });

  it('property: data carrying its own checksum sums to zero', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }).map((b) => (b.length % 2 ? b.subarray(1) : b)),
        (data) => {
          const withSum = new Uint8Array(data.length + 2);
          withSum.set(data);
          const c = internetChecksum(withSum);
          withSum[data.length] = c >>> 8;
          withSum[data.length + 1] = c & 0xff;
          expect(internetChecksum(withSum)).toBe(0);
        },
      ),
    );
  });
});
