// Tests for the BGP-4 messages (RFC 4271, 5492, 6793, 7911, 9072) and the UPDATE error classification of
// RFC 4271 §6.3 / RFC 7606, against messages a real BIRD 2.0.12 sent (captured by tests/support/bird).

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import {
  bgpErrorText,
  decodeBgp,
  decodeBgpHeader,
  encodeBgp,
  openCapabilities,
  parseUpdateBody,
  splitBgpStream,
  type BgpCodecContext,
  type BgpOpenRepr,
  type BgpUpdateRepr,
} from '../../../src/model/wire/bgp.js';
import { arbMessage, hex, toHex } from '../../bgp/arbitraries.js';

const ip = (s: string): number => parseIpv4(s)!;
const MARKER = 'ffffffffffffffffffffffffffffffff';
const ADD_PATH: BgpCodecContext = { as4: true, addPath: true };
const PLAIN: BgpCodecContext = { as4: true, addPath: false };

/** BIRD2_OPEN is the OPEN BIRD 2.0.12 sent for `local as 64512; graceful restart; ipv4 { add paths on; }`. */
const BIRD2_OPEN = `${MARKER}003f 01 04 fc00 00f0 0a630001 22 02 20 010400010001 0200 4006007800010100 41040000fc00 450400010103 4600 4700`;
/** BIRD2_UPDATE is its first UPDATE over ADD-PATH: three static blackholes (path id 3) and a direct route (4). */
const BIRD2_UPDATE =
  MARKER +
  '004e 02 0000 0015 40010100 400200 4003040a630001 40050400000064' +
  '00000003 1a 0ae95040  00000003 18 0ae951  00000003 1a 0ae95000  00000004 18 0a6300';
/** BIRD2_END_OF_RIB is the IPv4 End-of-RIB marker that followed (RFC 4724 §2). */
const BIRD2_END_OF_RIB = `${MARKER}0017 02 0000 0000`;
/** BIRD2_NOTIFICATION is BIRD's answer to an OPEN whose parameters overran: 2/0, no data. */
const BIRD2_NOTIFICATION = `${MARKER}0015 03 0200`;

function decodeOk(h: string, ctx: BgpCodecContext = PLAIN) {
  const r = decodeBgp(hex(h), ctx);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('bgp wire format', () => {
  it('decodes the OPEN BIRD 2 sends with its capabilities in order', () => {
    const d = decodeOk(BIRD2_OPEN);
    expect(d.length).toBe(63);
    expect(d.repr).toEqual<BgpOpenRepr>({
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 240,
      bgpId: ip('10.99.0.1'),
      parameters: [
        {
          type: 'capabilities',
          capabilities: [
            { code: 'multiprotocol', afi: 1, safi: 1 },
            { code: 'route-refresh' },
            { code: 'graceful-restart', flags: 0, restartTime: 120, families: [{ afi: 1, safi: 1, flags: 0 }] },
            { code: 'as4', asn: 64512 },
            { code: 'add-path', families: [{ afi: 1, safi: 1, sendReceive: 3 }] },
            { code: 'enhanced-route-refresh' },
            { code: 'long-lived-graceful-restart', families: [] },
          ],
        },
      ],
    });
    expect(toHex(encodeBgp(d.repr))).toBe(toHex(hex(BIRD2_OPEN)));
  });

  it('decodes an ADD-PATH UPDATE only with the ADD-PATH context, and encodes it back', () => {
    const d = decodeOk(BIRD2_UPDATE, ADD_PATH);
    const u = d.repr as BgpUpdateRepr;
    expect(d.problems).toEqual([]);
    expect(u.withdrawn).toEqual([]);
    expect(u.attributes).toEqual([
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'as-path', flags: 0x40, segments: [] },
      { type: 'next-hop', flags: 0x40, nextHop: ip('10.99.0.1') },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
    ]);
    expect(u.nlri).toEqual([
      { prefix: { addr: ip('10.233.80.64'), len: 26 }, pathId: 3 },
      { prefix: { addr: ip('10.233.81.0'), len: 24 }, pathId: 3 },
      { prefix: { addr: ip('10.233.80.0'), len: 26 }, pathId: 3 },
      { prefix: { addr: ip('10.99.0.0'), len: 24 }, pathId: 4 },
    ]);
    expect(toHex(encodeBgp(u, ADD_PATH))).toBe(toHex(hex(BIRD2_UPDATE)));
    // Without ADD-PATH the path id 0 reads as a /0 and the next octets as garbage prefixes.
    expect(decodeBgp(hex(BIRD2_UPDATE), PLAIN).ok).toBe(false);
  });

  it.each([
    ['End-of-RIB', BIRD2_END_OF_RIB, { type: 'update', withdrawn: [], attributes: [], nlri: [] }],
    ['KEEPALIVE', `${MARKER}0013 04`, { type: 'keepalive' }],
    ['NOTIFICATION 2/0', BIRD2_NOTIFICATION, { type: 'notification', code: 2, subcode: 0, data: new Uint8Array(0) }],
    ['ROUTE-REFRESH', `${MARKER}0017 05 0001 00 01`, { type: 'route-refresh', afi: 1, subtype: 0, safi: 1 }],
  ])('decodes and re-encodes %s', (_n, h, repr) => {
    expect(decodeOk(h).repr).toEqual(repr);
    expect(toHex(encodeBgp(decodeOk(h).repr))).toBe(toHex(hex(h)));
  });

  it('decodes a GoBGP OPEN: FQDN, software version, extended next hop', () => {
    const caps = '0200 4907 05676f626770 00 4b0d 0c476f4247502f332e33372e30 010400010001 41040000fc00 0506000100010002';
    const body = `04 fc00 005a 0a000001 ${(2 + hex(caps).length).toString(16)} 02${hex(caps).length.toString(16)} ${caps}`;
    const msg = `${MARKER + (19 + hex(body).length).toString(16).padStart(4, '0')}01${body}`;
    const d = decodeOk(msg);
    expect(openCapabilities(d.repr as BgpOpenRepr)).toEqual([
      { code: 'route-refresh' },
      { code: 'fqdn', hostname: 'gobgp', domain: '' },
      { code: 'software-version', version: 'GoBGP/3.37.0' },
      { code: 'multiprotocol', afi: 1, safi: 1 },
      { code: 'as4', asn: 64512 },
      { code: 'extended-next-hop', tuples: [{ afi: 1, safi: 1, nextHopAfi: 2 }] },
    ]);
    expect(toHex(encodeBgp(d.repr))).toBe(toHex(hex(msg)));
  });

  it('keeps known capabilities of the wrong length as unknown raw values', () => {
    const caps = '0201ff 4103000001 0105000100010a';
    const body = `04 0001 00b4 0a000001 ${(2 + hex(caps).length).toString(16).padStart(2, '0')} 02${hex(caps).length.toString(16).padStart(2, '0')} ${caps}`;
    const msg = `${MARKER + (19 + hex(body).length).toString(16).padStart(4, '0')}01${body}`;
    expect(openCapabilities(decodeOk(msg).repr as BgpOpenRepr)).toEqual([
      { code: 'unknown', type: 2, data: hex('ff') },
      { code: 'unknown', type: 65, data: hex('000001') },
      { code: 'unknown', type: 1, data: hex('000100010a') },
    ]);
  });

  it('encodes RFC 9072 extended optional parameters when asked or when they are too long', () => {
    const long: BgpOpenRepr = {
      type: 'open',
      version: 4,
      myAs: 1,
      holdTime: 90,
      bgpId: 1,
      parameters: [{ type: 'unknown', code: 7, data: new Uint8Array(300) }],
    };
    const b = encodeBgp(long);
    expect(toHex(b.subarray(19, 35))).toBe('040001005a00000001ffff012f07012c');
    expect(decodeOk(toHex(b)).repr).toEqual({ ...long, extendedParameters: true });
  });

  it('uses the extended length for attribute values over 255 octets and keeps a sender’s extended bit', () => {
    const u: BgpUpdateRepr = {
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'communities', flags: 0xc0, communities: Array.from({ length: 70 }, (_, i) => i) },
        { type: 'local-pref', flags: 0x50, localPref: 7 },
      ],
      nlri: [],
    };
    const b = encodeBgp(u);
    expect(toHex(b.subarray(23, 27))).toBe('d0080118');
    const d = decodeOk(toHex(b));
    expect((d.repr as BgpUpdateRepr).attributes).toEqual([{ ...u.attributes[0], flags: 0xd0 }, u.attributes[1]]);
  });

  it('reads AS_PATH in 2- or 4-octet form as the session negotiated', () => {
    const upd = (path: string) => {
      const attrs = `40010100 4002${hex(path).length.toString(16).padStart(2, '0')}${path} 4003040a000001`;
      const body = `0000 ${hex(attrs).length.toString(16).padStart(4, '0')} ${attrs} 080a`;
      return `${MARKER + (19 + hex(body).length).toString(16).padStart(4, '0')}02${body}`;
    };
    const two = decodeOk(upd('0202fde8fde9'), { as4: false, addPath: false }).repr as BgpUpdateRepr;
    expect(two.attributes[1]).toEqual({ type: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [65000, 65001] }] });
    const four = decodeOk(upd('01010000fc00'), PLAIN).repr as BgpUpdateRepr;
    expect(four.attributes[1]).toEqual({ type: 'as-path', flags: 0x40, segments: [{ type: 1, asns: [64512] }] });
    expect(() => encodeBgp(four, { as4: false, addPath: false })).not.toThrow();
    expect(() =>
      encodeBgp(
        { ...four, attributes: [{ type: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [70000] }] }] },
        { as4: false, addPath: false },
      ),
    ).toThrow(RangeError);
  });

  it.each([
    ['marker not all ones', 1, 1, `${MARKER.slice(0, 30)}000013 04`, ''],
    ['length below 19', 1, 2, `${MARKER}0012 04 00`, '0012'],
    ['length above 4096', 1, 2, `${MARKER}1001 04`, '1001'],
    ['type 6', 1, 3, `${MARKER}0013 06`, '06'],
    ['KEEPALIVE of 20 bytes', 1, 2, `${MARKER}0014 04 00`, '0014'],
    ['OPEN of 28 bytes', 1, 2, `${MARKER}001c 01 04 fc00 00f0 0a630001`, '001c'],
    ['UPDATE of 22 bytes', 1, 2, `${MARKER}0016 02 000000`, '0016'],
    ['NOTIFICATION of 20 bytes', 1, 2, `${MARKER}0014 03 06`, '0014'],
    ['length field disagreeing with the bytes', 1, 2, `${MARKER}0014 04`, '0014'],
    ['withdrawn length overrunning', 3, 1, `${MARKER}0017 02 0005 0000`, ''],
    ['attribute length overrunning', 3, 1, `${MARKER}0017 02 0000 0001`, ''],
    ['prefix length 33', 3, 10, `${MARKER}0019 02 0002 2100 0000`, ''],
    ['prefix overrunning the withdrawn field', 3, 1, `${MARKER}0019 02 0002 1800 0000`, ''],
    ['OPEN parameters overrunning', 2, 0, `${MARKER}0020 01 04 fc00 00f0 0a630001 04 0206 01`, ''],
  ])('fails on %s with NOTIFICATION %i/%i', (_n, code, subcode, h, data) => {
    const r = decodeBgp(hex(h));
    expect(r.ok).toBe(false);
    if (!r.ok) expect({ code: r.fault.code, subcode: r.fault.subcode, data: toHex(r.fault.data) }).toEqual({ code, subcode, data });
  });

  const GOOD = { origin: '40010100', path: '400200', nh: '4003040a000001' };
  /** update builds an UPDATE announcing 10.0.0.0/8 with the given attribute hex. */
  const update = (attrs: string, nlri = '080a'): string => {
    const body = `0000 ${hex(attrs).length.toString(16).padStart(4, '0')} ${attrs} ${nlri}`;
    return `${MARKER + (19 + hex(body).length).toString(16).padStart(4, '0')}02${body}`;
  };

  it.each([
    ['ORIGIN 3', `40010103 ${GOOD.path} ${GOOD.nh}`, 'origin-value', 6, '40010103', 'treat-as-withdraw'],
    ['ORIGIN of length 2', `4001020000 ${GOOD.path} ${GOOD.nh}`, 'length', 5, '4001020000', 'treat-as-withdraw'],
    ['ORIGIN flagged optional', `c0010100 ${GOOD.path} ${GOOD.nh}`, 'flags', 4, 'c0010100', 'treat-as-withdraw'],
    [
      'AS_PATH segment overrunning',
      `${GOOD.origin} 400206020300000001 ${GOOD.nh}`,
      'as-path',
      11,
      '400206020300000001',
      'treat-as-withdraw',
    ],
    ['AS_PATH segment of type 5', `${GOOD.origin} 400206050100000001 ${GOOD.nh}`, 'as-path', 11, '400206050100000001', 'treat-as-withdraw'],
    ['NEXT_HOP 0.0.0.0', `${GOOD.origin} ${GOOD.path} 40030400000000`, 'next-hop-value', 8, '40030400000000', 'treat-as-withdraw'],
    ['NEXT_HOP 224.0.0.1', `${GOOD.origin} ${GOOD.path} 400304e0000001`, 'next-hop-value', 8, '400304e0000001', 'treat-as-withdraw'],
    ['NEXT_HOP of length 3', `${GOOD.origin} ${GOOD.path} 4003030a0000`, 'length', 5, '4003030a0000', 'treat-as-withdraw'],
    ['missing ORIGIN', `${GOOD.path} ${GOOD.nh}`, 'missing-well-known', 3, '01', 'treat-as-withdraw'],
    ['missing NEXT_HOP', `${GOOD.origin} ${GOOD.path}`, 'missing-well-known', 3, '03', 'treat-as-withdraw'],
    [
      'unknown well-known type 99',
      `${GOOD.origin} ${GOOD.path} ${GOOD.nh} 406301ff`,
      'unrecognized-well-known',
      2,
      '406301ff',
      'session-reset',
    ],
    ['duplicate ORIGIN', `${GOOD.origin} ${GOOD.origin} ${GOOD.path} ${GOOD.nh}`, 'duplicate', 1, '', 'attribute-discard'],
    ['COMMUNITY of length 3', `${GOOD.origin} ${GOOD.path} ${GOOD.nh} c00803000001`, 'length', 5, 'c00803000001', 'treat-as-withdraw'],
    [
      'AGGREGATOR of length 7',
      `${GOOD.origin} ${GOOD.path} ${GOOD.nh} c00707000000010a0000`,
      'length',
      5,
      'c00707000000010a0000',
      'attribute-discard',
    ],
    ['ATOMIC_AGGREGATE of length 1', `${GOOD.origin} ${GOOD.path} ${GOOD.nh} 400601ff`, 'length', 5, '400601ff', 'attribute-discard'],
    [
      'CLUSTER_LIST of length 5',
      `${GOOD.origin} ${GOOD.path} ${GOOD.nh} 800a050a00000101`,
      'length',
      5,
      '800a050a00000101',
      'treat-as-withdraw',
    ],
    ['attribute overrunning the list', `${GOOD.origin} ${GOOD.path} ${GOOD.nh} 400505000000`, 'framing', 1, '', 'treat-as-withdraw'],
  ])('classifies %s', (_n, attrs, kind, subcode, data, action) => {
    const d = decodeOk(update(attrs));
    expect(d.problems.map((p) => ({ kind: p.kind, subcode: p.subcode, data: toHex(p.data), action: p.action }))).toEqual([
      { kind, subcode, data, action },
    ]);
  });

  it('flags NLRI without attributes (BIRD 1.6 answers 3/1, RFC 7606 treats it as a withdraw)', () => {
    const d = decodeOk(update(''));
    expect(d.problems.map((p) => p.kind)).toEqual(['nlri-without-attributes']);
  });

  it('parses the NLRI of an UPDATE whose attributes are broken (RFC 7606 §4 relies on Total Attribute Length)', () => {
    const body = hex(`0000 0006 40010100 4005 080a 100b0c`);
    const r = parseUpdateBody(body, PLAIN);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.update.nlri.map((n) => n.prefix)).toEqual([
      { addr: ip('10.0.0.0'), len: 8 },
      { addr: ip('11.12.0.0'), len: 16 },
    ]);
    expect(r.value.problems.map((p) => p.kind)).toEqual(['framing']);
  });

  it('clears host bits past the prefix length, as BIRD and tcpdump do', () => {
    const u = decodeOk(update(`${GOOD.origin} ${GOOD.path} ${GOOD.nh}`, '0f0aff')).repr as BgpUpdateRepr;
    expect(u.nlri).toEqual([{ prefix: { addr: ip('10.254.0.0'), len: 15 } }]);
  });

  it('splits a receive buffer into messages and keeps the incomplete tail', () => {
    const stream = hex(`${BIRD2_OPEN + MARKER}0013 04${MARKER.slice(0, 10)}`);
    const s = splitBgpStream(stream);
    expect(s.messages.map((m) => m.length)).toEqual([63, 19]);
    expect(s.rest.length).toBe(5);
    expect(s.fault).toBeUndefined();
    const bad = splitBgpStream(hex(`${MARKER}0013 04${'00'.repeat(19)}`));
    expect(bad.messages.length).toBe(1);
    expect(bad.fault?.kind).toBe('connection-not-synchronized');
  });

  it('checks the header length against the extended message limit when negotiated', () => {
    const h = hex(`${MARKER}2000 02`);
    expect(decodeBgpHeader(h).ok).toBe(false);
    expect(decodeBgpHeader(h, { as4: true, addPath: false, extendedMessages: true }).ok).toBe(true);
  });

  it('describes errors in BIRD 1.6 words', () => {
    expect(bgpErrorText(4, 0)).toBe('Hold timer expired');
    expect(bgpErrorText(2, 2)).toBe('Bad peer AS');
    expect(bgpErrorText(6, 7)).toBe('Connection collision resolution');
    expect(bgpErrorText(9, 1)).toBe('Unknown error 9.1');
  });

  it.each([
    ['4-octet AS, no ADD-PATH', { as4: true, addPath: false }],
    ['2-octet AS, no ADD-PATH', { as4: false, addPath: false }],
    ['4-octet AS, ADD-PATH', { as4: true, addPath: true }],
  ])('property: decode(encode(x)) is x (%s)', (_n, ctx: BgpCodecContext) => {
    fc.assert(
      fc.property(arbMessage(ctx), (m) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeBgp(m, { ...ctx, extendedMessages: true });
        } catch (e) {
          // Only size limits may refuse a generated message.
          expect(String(e)).toMatch(/exceeds|longer than/);
          return;
        }
        const r = decodeBgp(bytes, { ...ctx, extendedMessages: true });
        if (!r.ok) throw new Error(r.error);
        expect(r.value.repr).toEqual(m);
        expect(r.value.length).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });
});
