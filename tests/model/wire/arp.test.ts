// Tests for Ethernet/IPv4 ARP (RFC 826) against captured packets.

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import { ArpOp, decodeArp, encodeArp, type ArpRepr } from '../../../src/model/wire/arp.js';
import { arbArpRepr, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

const ip = (s: string): number => parseIpv4(s)!;

describe('arp', () => {
  const request = frameBytes('arp-request-gateway').subarray(14);
  const reply = frameBytes('arp-reply-gateway').subarray(14);
  const requestRepr: ArpRepr = {
    op: ArpOp.Request,
    senderMac: '4a:8d:0e:93:6a:39',
    senderIp: ip('10.233.133.2'),
    targetMac: '00:00:00:00:00:00',
    targetIp: ip('10.233.133.1'),
  };
  const replyRepr: ArpRepr = {
    op: ArpOp.Reply,
    senderMac: 'ee:ee:ee:ee:ee:ee',
    senderIp: ip('10.233.133.1'),
    targetMac: '4a:8d:0e:93:6a:39',
    targetIp: ip('10.233.133.2'),
  };

  it('decodes a captured request and reply', () => {
    expect(decodeArp(request)).toEqual({ ok: true, value: requestRepr });
    expect(decodeArp(reply)).toEqual({ ok: true, value: replyRepr });
  });

  it('encodes the captured bytes', () => {
    expect(encodeArp(requestRepr)).toEqual(request);
    expect(encodeArp(replyRepr)).toEqual(reply);
  });

  it('ignores Ethernet padding after the 28 bytes', () => {
    const padded = new Uint8Array(46);
    padded.set(request);
    expect(decodeArp(padded)).toEqual({ ok: true, value: requestRepr });
  });

  const good = '0001 0800 06 04 0001 4a8d0e936a39 0ae98502 000000000000 0ae98501';
  it.each([
    ['empty', ''],
    ['fixed part cut short', '0001 0800 06 04 00'],
    ['addresses cut short', good.slice(0, -2)],
    ['hardware type 6', `0006${good.slice(4)}`],
    ['protocol IPv6', `0001 86dd${good.slice(9)}`],
    ['hardware length 8', `0001 0800 08 04${good.slice(15)}`],
    ['protocol length 16', `0001 0800 06 10${good.slice(15)}`],
  ])('rejects %s', (_name, hex) => {
    expect(decodeArp(hexBytes(hex)).ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(fc.property(arbArpRepr, (repr) => expect(decodeArp(encodeArp(repr))).toEqual({ ok: true, value: repr })));
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => void decodeArp(b)));
  });
});
