// Tests for best-path selection as BIRD's bgp_rte_better and rte_better code it, each case naming the
// step that decides in GoBGP's words.

import { parseIpv4 } from '../../src/model/addr.js';
import { bgpRteBetter, rteBetter, type BgpSourceInfo, type Candidate } from '../../src/bgp/decision.js';
import type { BgpPathAttribute } from '../../src/model/wire/bgp.js';

const ip = (s: string): number => parseIpv4(s)!;

const SRC: BgpSourceInfo = {
  isInternal: true,
  remoteId: ip('10.0.0.2'),
  remoteIp: ip('10.0.0.2'),
  remoteAs: 64512,
  defaultLocalPref: 100,
  defaultMed: 0,
  comparePathLengths: true,
  medMetric: false,
  igpMetric: true,
  preferOlder: false,
};

type Bgp = NonNullable<Candidate['bgp']>;

function route(attrs: BgpPathAttribute[], src: Partial<BgpSourceInfo> = {}, extra: Partial<Bgp> = {}): Bgp {
  return {
    attrs: [
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'as-path', flags: 0x40, segments: [] },
      { type: 'next-hop', flags: 0x40, nextHop: ip('10.0.0.9') },
      ...attrs,
    ],
    source: { ...SRC, ...src },
    resolvable: true,
    igpMetric: 0,
    ...extra,
  };
}

const seq = (...asns: number[]): BgpPathAttribute => ({ type: 'as-path', flags: 0x40, segments: [{ type: 2, asns }] });
const withAttr = (r: Bgp, a: BgpPathAttribute): Bgp => ({ ...r, attrs: [...r.attrs.filter((x) => x.type !== a.type), a] });

describe('bgp best path', () => {
  it.each<[string, Bgp, Bgp, string]>([
    ['a resolvable next hop wins', route([]), route([], { remoteIp: ip('10.0.0.1') }, { resolvable: false }), 'Reachable Next Hop'],
    [
      'a route not LLGR-stale wins',
      route([]),
      route([{ type: 'communities', flags: 0xc0, communities: [0xffff0006] }], { remoteIp: ip('10.0.0.1') }),
      'no LLGR Stale',
    ],
    [
      'higher LOCAL_PREF wins',
      route([{ type: 'local-pref', flags: 0x40, localPref: 200 }]),
      route([], { remoteIp: ip('10.0.0.1') }),
      'Local Pref',
    ],
    [
      'a missing LOCAL_PREF counts as the default 100',
      route([{ type: 'local-pref', flags: 0x40, localPref: 101 }]),
      route([], { remoteIp: ip('10.0.0.1') }),
      'Local Pref',
    ],
    [
      'a shorter AS_PATH wins',
      withAttr(route([]), seq(65001)),
      withAttr(route([], { remoteIp: ip('10.0.0.1') }), seq(65001, 65002)),
      'AS Path',
    ],
    [
      'an AS_SET counts as one AS',
      withAttr(route([]), { type: 'as-path', flags: 0x40, segments: [{ type: 1, asns: [1, 2, 3] }] }),
      withAttr(route([], { remoteIp: ip('10.0.0.1') }), seq(1, 2)),
      'AS Path',
    ],
    [
      'a lower ORIGIN wins',
      route([]),
      withAttr(route([], { remoteIp: ip('10.0.0.1') }), { type: 'origin', flags: 0x40, origin: 2 }),
      'Origin',
    ],
    [
      'a lower MED from the same neighbour AS wins',
      withAttr(withAttr(route([]), seq(65001)), { type: 'med', flags: 0x80, med: 5 }),
      withAttr(withAttr(route([], { remoteIp: ip('10.0.0.1') }), seq(65001)), { type: 'med', flags: 0x80, med: 10 }),
      'MED',
    ],
    [
      'an eBGP route beats an iBGP one',
      route([], { isInternal: false, remoteIp: ip('10.0.0.5') }),
      route([], { remoteIp: ip('10.0.0.1') }),
      'ASN',
    ],
    ['a lower IGP metric wins', route([], {}, { igpMetric: 1 }), route([], { remoteIp: ip('10.0.0.1') }, { igpMetric: 20 }), 'IGP Cost'],
    [
      'a lower router id wins',
      route([], { remoteId: ip('1.1.1.1'), remoteIp: ip('10.0.0.9') }),
      route([], { remoteId: ip('2.2.2.2'), remoteIp: ip('10.0.0.1') }),
      'Router ID',
    ],
    [
      'ORIGINATOR_ID stands in for the router id (RFC 4456 §9)',
      route([{ type: 'originator-id', flags: 0x80, originatorId: ip('1.0.0.1') }], { remoteId: ip('9.9.9.9') }),
      route([], { remoteId: ip('2.0.0.1'), remoteIp: ip('10.0.0.1') }),
      'Router ID',
    ],
    [
      'a shorter CLUSTER_LIST wins',
      route([{ type: 'cluster-list', flags: 0x80, clusterIds: [1] }]),
      route([{ type: 'cluster-list', flags: 0x80, clusterIds: [1, 2] }], { remoteIp: ip('10.0.0.1') }),
      'Cluster List',
    ],
    [
      'the lower peer address wins last',
      route([], { remoteIp: ip('10.0.0.1') }),
      route([], { remoteIp: ip('10.0.0.2') }),
      'Neighbor Address',
    ],
  ])('%s', (_n, better, worse, reason) => {
    expect(bgpRteBetter(better, worse)).toEqual({ better: true, reason });
    expect(bgpRteBetter(worse, better)).toEqual({ better: false, reason });
  });

  it('ignores MED between different neighbour ASes (no `med metric`)', () => {
    const a = withAttr(withAttr(route([], { remoteIp: ip('10.0.0.9') }), seq(65001)), { type: 'med', flags: 0x80, med: 50 });
    const b = withAttr(withAttr(route([], { remoteIp: ip('10.0.0.1') }), seq(65002)), { type: 'med', flags: 0x80, med: 1 });
    expect(bgpRteBetter(a, b).reason).toBe('Neighbor Address');
    expect(bgpRteBetter({ ...a, source: { ...a.source, medMetric: true } }, b)).toEqual({ better: false, reason: 'MED' });
  });

  it('compares preferences first: a static route beats BGP', () => {
    const stat: Candidate = { pref: 200, protocolOrder: 2 };
    const bgp: Candidate = { pref: 100, protocolOrder: 4, bgp: route([]) };
    expect(rteBetter(stat, bgp)).toEqual({ better: true, reason: 'Preference' });
    expect(rteBetter(bgp, stat)).toEqual({ better: false, reason: 'Preference' });
  });
});
