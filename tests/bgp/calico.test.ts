// Tests for Calico's BIRD policy and naming (confd templates bird.cfg, bird_ipam.cfg, bird_aggr.cfg).

import { parseCidr, parseIpv4, type Cidr } from '../../src/model/addr.js';
import {
  calicoExportFilter,
  calicoKernelFilter,
  explicitPeerProtocol,
  globalPeerName,
  meshIsPassive,
  meshProtocol,
  meshProtocolName,
  nodePeerName,
} from '../../src/bgp/calico.js';
import type { FilterRoute } from '../../src/bgp/speaker.js';

const ip = (s: string): number => parseIpv4(s)!;
const c = (s: string): Cidr => parseCidr(s)!;
const route = (p: string, ifname?: string): FilterRoute => ({ prefix: c(p), attrs: [], protocol: 'x', source: 'static', ifname });

describe('calico', () => {
  const filter = calicoExportFilter(
    {
      pools: [{ cidr: c('10.233.0.0/16') }, { cidr: c('10.250.0.0/16'), disableBgpExport: true }],
      blocks: [{ cidr: c('10.233.80.0/24') }, { cidr: c('10.233.90.0/24'), confirmed: false }],
    },
    true,
  );

  it.each([
    ['the node’s own block', '10.233.80.0/24', true],
    ['a /32 inside the own block (a pod route)', '10.233.80.7/32', false],
    ['another node’s block inside the pool (a reflected route)', '10.233.81.0/24', true],
    ['a borrowed /32 inside the pool', '10.233.81.9/32', true],
    ['a pending block: not aggregated, so the pool accepts it', '10.233.90.0/24', true],
    ['a route inside a pool with BGP export disabled', '10.250.1.0/24', false],
    ['a route outside every pool', '192.168.0.0/24', false],
  ])('export filter: %s', (_n, p, accept) => {
    expect(filter(route(p)).accept).toBe(accept);
  });

  it('rejects tunnel routes towards internal peers only, and bpf*.cali everywhere', () => {
    expect(filter(route('10.233.81.0/24', 'vxlan.calico')).accept).toBe(false);
    const ext = calicoExportFilter({ pools: [{ cidr: c('10.233.0.0/16') }], blocks: [] }, false);
    expect(ext(route('10.233.81.0/24', 'vxlan.calico')).accept).toBe(true);
    expect(ext(route('10.233.81.0/24', 'bpfout.cali')).accept).toBe(false);
  });

  it('adds prefix-advertisement communities', () => {
    const f = calicoExportFilter(
      {
        pools: [{ cidr: c('10.233.0.0/16') }],
        blocks: [],
        communities: [{ cidr: c('10.233.0.0/16'), communities: [(64512 << 16) | 100] }],
      },
      true,
    );
    const r = f(route('10.233.81.0/24'));
    expect(r.accept && r.attrs).toEqual([{ type: 'communities', flags: 0xc0, communities: [(64512 << 16) | 100] }]);
  });

  it.each([
    ['IPIP Always', { ipipMode: 'Always' as const }, ip('10.23.14.111'), { program: true, tunnel: 'tunl0' }],
    ['IPIP CrossSubnet, same subnet', { ipipMode: 'CrossSubnet' as const }, ip('10.23.14.111'), { program: true, tunnel: '' }],
    ['IPIP CrossSubnet, other subnet', { ipipMode: 'CrossSubnet' as const }, ip('10.24.0.5'), { program: true, tunnel: 'tunl0' }],
    ['VXLAN (Felix programs it)', { vxlanMode: 'Always' as const }, ip('10.23.14.111'), { program: false }],
    ['Never', { ipipMode: 'Never' as const }, ip('10.23.14.111'), { program: true, tunnel: '' }],
  ])('kernel filter: %s', (_n, mode, nh, expected) => {
    const k = calicoKernelFilter([{ cidr: c('10.233.0.0/16'), ...mode }], c('10.23.14.0/24'));
    expect(k(c('10.233.81.0/24'), nh)).toEqual(expected);
  });

  it('names protocols as confd does', () => {
    expect(meshProtocolName(ip('10.23.14.111'))).toBe('Mesh_10_23_14_111');
    expect(nodePeerName(ip('10.192.0.3'))).toBe('Node_10_192_0_3');
    expect(globalPeerName(ip('10.0.0.1'), 1790)).toBe('Global_10_0_0_1_port_1790');
  });

  it.each([
    ['10.23.14.111', '10.23.14.110', true],
    ['10.23.14.110', '10.23.14.111', false],
    // A string comparison: "10.23.14.9" > "10.23.14.111", so .111 waits for .9.
    ['10.23.14.9', '10.23.14.111', true],
    ['10.23.14.111', '10.23.14.9', false],
  ])('mesh towards %s from %s is passive: %s', (peer, own, passive) => {
    expect(meshIsPassive(ip(peer), ip(own))).toBe(passive);
    expect(meshProtocol({ ownIp: ip(own), peerIp: ip(peer), asNumber: 64512 }).passive).toBe(passive);
  });

  it('renders a route reflector’s client peering with rr client and its cluster id', () => {
    const p = explicitPeerProtocol({
      kind: 'node',
      ownIp: ip('10.192.0.1'),
      peerIp: ip('10.192.0.3'),
      asNumber: 64532,
      peerAsNumber: 64532,
      rrClusterId: ip('10.0.0.1'),
    });
    expect([p.name, p.rrClient, p.rrClusterId, p.multihop, p.addPaths, p.gracefulRestart]).toEqual([
      'Node_10_192_0_3',
      true,
      ip('10.0.0.1'),
      64,
      3,
      'able',
    ]);
    const same = explicitPeerProtocol({
      kind: 'node',
      ownIp: ip('10.192.0.1'),
      peerIp: ip('10.192.0.2'),
      asNumber: 64532,
      peerAsNumber: 64532,
      rrClusterId: ip('10.0.0.1'),
      peerClusterId: ip('10.0.0.1'),
    });
    expect(same.rrClient).toBe(false);
  });
});
