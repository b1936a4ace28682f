// Tests for route attribute handling as BIRD keeps it (nest/a-path.c, proto/bgp/attrs.c): AS_PATH
// measures and formats, export normalisation, and the RFC 6793 2-/4-octet conversions.

import { parseIpv4 } from '../../src/model/addr.js';
import {
  asPathFirst,
  asPathLast,
  asPathLength,
  asPathPrepend,
  formatAsPath,
  formatCommunities,
  fromWireAttrs,
  normalizeForExport,
  originLetter,
  toWireAttrs,
} from '../../src/bgp/attrs.js';
import type { AsPathSegment, BgpPathAttribute } from '../../src/model/wire/bgp.js';

const ip = (s: string): number => parseIpv4(s)!;
const seq = (...a: number[]): AsPathSegment => ({ type: 2, asns: a });
const set = (...a: number[]): AsPathSegment => ({ type: 1, asns: a });

describe('route attributes', () => {
  it('measures AS paths as BIRD does', () => {
    expect(asPathLength([seq(1, 2, 3), set(4, 5)])).toBe(4);
    expect(asPathFirst([seq(65001, 65002)])).toBe(65001);
    expect(asPathFirst([set(65001)])).toBeUndefined();
    expect(asPathLast([seq(1, 2), set(3)])).toBeUndefined();
    expect(asPathLast([set(3), seq(1, 2)])).toBe(2);
    expect(formatAsPath([seq(64512, 65000), set(1, 2)])).toBe('64512 65000 {1 2}');
    expect(originLetter(0) + originLetter(1) + originLetter(2)).toBe('ie?');
    expect(formatCommunities([(65000 << 16) | 1, 0xffffff01])).toBe('(65000,1) (65535,65281)');
  });

  it('prepends into a leading sequence, or opens one', () => {
    expect(asPathPrepend([], 64512)).toEqual([seq(64512)]);
    expect(asPathPrepend([seq(1)], 2)).toEqual([seq(2, 1)]);
    expect(asPathPrepend([set(1)], 2)).toEqual([seq(2), set(1)]);
  });

  it('normalises for export: sorted communities, standard flags, unknown non-transitive and eBGP-only attributes dropped', () => {
    const attrs: BgpPathAttribute[] = [
      { type: 'origin', flags: 0x50, origin: 0 },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
      { type: 'communities', flags: 0xe0, communities: [5, 1, 3] },
      { type: 'cluster-list', flags: 0x80, clusterIds: [] },
      { type: 'unknown', flags: 0x80, code: 99, data: new Uint8Array(1) },
      { type: 'unknown', flags: 0xc0, code: 98, data: new Uint8Array(1) },
    ];
    expect(normalizeForExport(attrs, true)).toEqual([
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
      { type: 'communities', flags: 0xe0, communities: [1, 3, 5] },
      { type: 'unknown', flags: 0xc0, code: 98, data: new Uint8Array(1) },
    ]);
    expect(normalizeForExport(attrs, false).map((a) => a.type)).toEqual(['origin', 'communities', 'unknown']);
  });

  it('sends AS_TRANS and AS4_PATH / AS4_AGGREGATOR on a 2-octet session, and rebuilds them on receipt', () => {
    const attrs: BgpPathAttribute[] = [
      { type: 'as-path', flags: 0x40, segments: [seq(4200000001, 65000)] },
      { type: 'aggregator', flags: 0xc0, asn: 4200000001, address: ip('10.0.0.1') },
    ];
    const wire = toWireAttrs(attrs, false);
    expect(wire).toEqual([
      { type: 'as-path', flags: 0x40, segments: [seq(23456, 65000)] },
      { type: 'as4-path', flags: 0xc0, segments: [seq(4200000001, 65000)] },
      { type: 'aggregator', flags: 0xc0, asn: 23456, address: ip('10.0.0.1') },
      { type: 'as4-aggregator', flags: 0xc0, asn: 4200000001, address: ip('10.0.0.1') },
    ]);
    expect(fromWireAttrs(wire, false)).toEqual(attrs);
    expect(toWireAttrs(attrs, true)).toEqual(attrs);
  });
});
