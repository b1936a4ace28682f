// Tests for export control and route reflection (RFC 4456) as BIRD 1.6's bgp_import_control,
// bgp_update_attrs and bgp_create_attrs code them.

import { parseIpv4 } from '../../src/model/addr.js';
import { findAttr } from '../../src/bgp/attrs.js';
import { checkBucket, importControl, receiveLoop, type PeerView } from '../../src/bgp/reflect.js';
import type { BgpPathAttribute } from '../../src/model/wire/bgp.js';

const ip = (s: string): number => parseIpv4(s)!;
const RR_ID = ip('10.0.0.1');

function peer(name: string, addr: string, over: Partial<PeerView> = {}): PeerView {
  return {
    name,
    localAs: 64512,
    isInternal: true,
    rrClient: false,
    clusterId: RR_ID,
    remoteId: ip(addr),
    neighborAddress: ip(addr),
    sourceAddress: RR_ID,
    nextHopSelf: false,
    nextHopKeep: false,
    interpretCommunities: true,
    defaultLocalPref: 100,
    peerLlgrAware: true,
    ...over,
  };
}

const clientA = peer('Node_10_0_0_2', '10.0.0.2', { rrClient: true });
const clientB = peer('Node_10_0_0_3', '10.0.0.3', { rrClient: true });
const nonClient = peer('Node_10_0_0_4', '10.0.0.4');
const nonClient2 = peer('Node_10_0_0_5', '10.0.0.5');
const ebgp = peer('Global_192_168_1_1', '192.168.1.1', { isInternal: false });

const ATTRS: BgpPathAttribute[] = [
  { type: 'origin', flags: 0x40, origin: 0 },
  { type: 'as-path', flags: 0x40, segments: [] },
  { type: 'next-hop', flags: 0x40, nextHop: ip('10.0.0.2') },
  { type: 'local-pref', flags: 0x40, localPref: 100 },
];

describe('route reflection', () => {
  it.each<[string, PeerView, PeerView, string]>([
    ['client to client', clientB, clientA, 'reflected'],
    ['client to non-client', nonClient, clientA, 'reflected'],
    ['non-client to client', clientA, nonClient, 'reflected'],
    ['non-client to non-client', nonClient2, nonClient, 'iBGP to iBGP without route reflection'],
    ['back to its source', clientA, clientA, 'poison reverse'],
    ['iBGP to eBGP', ebgp, clientA, 'sent'],
  ])('%s', (_n, target, from, expected) => {
    const r = importControl(target, { kind: 'bgp', peer: from, attrs: ATTRS });
    expect(r.ok ? (r.reflected ? 'reflected' : 'sent') : r.why).toBe(expected);
  });

  it('adds ORIGINATOR_ID (the source router id) and the source client’s cluster id, and keeps NEXT_HOP', () => {
    const r = importControl(nonClient, { kind: 'bgp', peer: clientA, attrs: ATTRS });
    if (!r.ok) throw new Error(r.why);
    expect(findAttr(r.attrs, 'originator-id')?.originatorId).toBe(ip('10.0.0.2'));
    expect(findAttr(r.attrs, 'cluster-list')?.clusterIds).toEqual([RR_ID]);
    expect(findAttr(r.attrs, 'next-hop')?.nextHop).toBe(ip('10.0.0.2'));
  });

  it('keeps an existing ORIGINATOR_ID and prepends to CLUSTER_LIST; the target’s cluster id for a non-client source', () => {
    const attrs: BgpPathAttribute[] = [
      ...ATTRS,
      { type: 'originator-id', flags: 0x80, originatorId: ip('10.9.9.9') },
      { type: 'cluster-list', flags: 0x80, clusterIds: [ip('10.8.8.8')] },
    ];
    const target = peer('Node_10_0_0_6', '10.0.0.6', { rrClient: true, clusterId: ip('10.7.7.7') });
    const r = importControl(target, { kind: 'bgp', peer: nonClient, attrs });
    if (!r.ok) throw new Error(r.why);
    expect(findAttr(r.attrs, 'originator-id')?.originatorId).toBe(ip('10.9.9.9'));
    expect(findAttr(r.attrs, 'cluster-list')?.clusterIds).toEqual([ip('10.7.7.7'), ip('10.8.8.8')]);
  });

  it('prepends both cluster ids between clients of different clusters', () => {
    const target = peer('Node_10_0_0_6', '10.0.0.6', { rrClient: true, clusterId: ip('10.7.7.7') });
    const r = importControl(target, { kind: 'bgp', peer: clientA, attrs: ATTRS });
    if (!r.ok) throw new Error(r.why);
    expect(findAttr(r.attrs, 'cluster-list')?.clusterIds).toEqual([ip('10.7.7.7'), RR_ID]);
  });

  it('refuses to send a route carrying the target client’s own cluster id (export-time loop check)', () => {
    const attrs: BgpPathAttribute[] = [...ATTRS, { type: 'cluster-list', flags: 0x80, clusterIds: [RR_ID] }];
    const r = importControl(clientB, { kind: 'bgp', peer: nonClient, attrs });
    expect(r.ok ? 'sent' : r.why).toBe('cluster list loop');
  });

  it('originates a local route with an empty AS_PATH and the source address towards iBGP, [local AS] towards eBGP', () => {
    const i = importControl(clientA, { kind: 'local' });
    const e = importControl(ebgp, { kind: 'local' });
    if (!i.ok || !e.ok) throw new Error('refused');
    expect(i.attrs).toEqual([
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'as-path', flags: 0x40, segments: [] },
      { type: 'next-hop', flags: 0x40, nextHop: RR_ID },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
    ]);
    expect(findAttr(e.attrs, 'as-path')?.segments).toEqual([{ type: 2, asns: [64512] }]);
    // LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST do not go to eBGP (bgp_get_bucket).
    const b = checkBucket(ebgp, e.attrs, '10.0.0.0/8');
    expect(b.ok && b.attrs.map((a) => a.type)).toEqual(['origin', 'as-path', 'next-hop']);
  });

  it('prepends the local AS towards eBGP, zeroes MED and puts the source address as NEXT_HOP', () => {
    const r = importControl(ebgp, { kind: 'bgp', peer: clientA, attrs: [...ATTRS, { type: 'med', flags: 0x80, med: 50 }] });
    if (!r.ok) throw new Error(r.why);
    expect(findAttr(r.attrs, 'as-path')?.segments).toEqual([{ type: 2, asns: [64512] }]);
    expect(findAttr(r.attrs, 'med')?.med).toBe(0);
    expect(findAttr(r.attrs, 'next-hop')?.nextHop).toBe(RR_ID);
  });

  it.each([
    ['NO_ADVERTISE to anyone', clientB, 0xffffff02, false],
    ['NO_EXPORT to iBGP', clientB, 0xffffff01, true],
    ['NO_EXPORT to eBGP', ebgp, 0xffffff01, false],
  ])('applies the well-known community %s', (_n, target, community, sent) => {
    const r = importControl(target, {
      kind: 'bgp',
      peer: clientA,
      attrs: [...ATTRS, { type: 'communities', flags: 0xc0, communities: [community] }],
    });
    expect(r.ok).toBe(sent);
  });

  it('refuses a route whose NEXT_HOP is the neighbour itself, or without a mandatory attribute', () => {
    expect(checkBucket(clientA, ATTRS, '10.0.0.0/8')).toEqual({
      ok: false,
      log: 'Node_10_0_0_2: Invalid NEXT_HOP attribute in route 10.0.0.0/8',
    });
    expect(checkBucket(clientB, ATTRS.slice(1), '10.0.0.0/8')).toEqual({
      ok: false,
      log: 'Node_10_0_0_3: Mandatory attribute origin missing in route 10.0.0.0/8',
    });
  });

  it.each<[string, BgpPathAttribute[], boolean, string | null]>([
    [
      'our router id as ORIGINATOR_ID',
      [{ type: 'originator-id', flags: 0x80, originatorId: RR_ID }],
      false,
      'ORIGINATOR_ID is the local router id',
    ],
    [
      'our cluster id on an rr client session',
      [{ type: 'cluster-list', flags: 0x80, clusterIds: [RR_ID] }],
      true,
      'CLUSTER_LIST contains the local cluster id',
    ],
    ['our cluster id on a non-client session', [{ type: 'cluster-list', flags: 0x80, clusterIds: [RR_ID] }], false, null],
    [
      'our AS in AS_PATH',
      [{ type: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [65000, 64512] }] }],
      false,
      'AS_PATH contains the local AS',
    ],
  ])('finds the receive loop of %s', (_n, attrs, rrClient, loop) => {
    expect(receiveLoop(attrs, { localAs: 64512, routerId: RR_ID, rrClient, clusterId: RR_ID })).toBe(loop);
  });
});
