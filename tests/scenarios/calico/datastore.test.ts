// Tests for src/scenarios/calico/datastore.ts: the defaults Calico applies when it reads a scenario.

import { parseIpv4 } from '../../../src/model/addr.js';
import type { CalicoNodeInfo } from '../../../src/scenarios/calico/datastore.js';
import {
  byName,
  confdLogLevel,
  felixSettings,
  goRoundSeconds,
  kubeletLabels,
  parsePortRange,
  peerInfo,
} from '../../../src/scenarios/calico/datastore.js';
import type { DefaultedIPPool } from '../../../src/scenarios/calico/validation.js';

const NODE: CalicoNodeInfo = {
  name: 'n1',
  network: 'lan',
  address: parseIpv4('10.0.0.1')!,
  subnet: { addr: parseIpv4('10.0.0.1')!, len: 24 },
  interface: 'eth0',
  mtu: 1500,
  labels: new Map(),
  routeReflectorClusterID: '',
  vxlanTunnelMACAddr: '66:00:00:00:00:01',
  state: 'ready',
  sysctls: new Map(),
  nic: 'veth',
  bgpStartTime: 0,
  setup: [],
  noprefixroute: false,
  ipv6LinkLocal: false,
  tcpdump: 'upstream',
};

const POOL = { ipipMode: 'Never', vxlanMode: 'Never' } as DefaultedIPPool;
const ENV = { deviceRouteSourceAddressNodeIP: false, masqFullyRandom: true };

describe('felixSettings', () => {
  it("has Felix's defaults", () => {
    expect(felixSettings(NODE, undefined, undefined, ENV, [POOL])).toMatchObject({
      interfacePrefix: 'cali',
      ipipEnabled: false,
      vxlanEnabled: false,
      vxlanPort: 4789,
      vxlanVNI: 4096,
      deviceRouteProtocol: 3,
      deviceRouteSourceAddress: undefined,
      masqFullyRandom: true,
    });
  });

  it('turns encapsulation on from the pools', () => {
    expect(felixSettings(NODE, undefined, undefined, ENV, [{ ...POOL, ipipMode: 'CrossSubnet' }]).ipipEnabled).toBe(true);
    expect(felixSettings(NODE, undefined, undefined, ENV, [{ ...POOL, vxlanMode: 'Always' }]).vxlanEnabled).toBe(true);
    expect(felixSettings(NODE, { vxlanEnabled: false }, undefined, ENV, [{ ...POOL, vxlanMode: 'Always' }]).vxlanEnabled).toBe(false);
  });

  it('prefers node.<name> over default, and the environment over both', () => {
    const f = felixSettings(NODE, { vxlanMTU: 1400, deviceRouteSourceAddress: '10.9.9.9' }, { vxlanMTU: 1410 }, ENV, [POOL]);
    expect(f.vxlanMTU).toBe(1410);
    expect(f.deviceRouteSourceAddress).toBe(parseIpv4('10.9.9.9'));
    const env = felixSettings(
      NODE,
      { deviceRouteSourceAddress: '10.9.9.9' },
      undefined,
      { ...ENV, deviceRouteSourceAddressNodeIP: true, interfacePrefix: 'tap' },
      [POOL],
    );
    expect(env.deviceRouteSourceAddress).toBe(NODE.address);
    expect(env.interfacePrefix).toBe('tap');
  });

  it('reads MASQFullyRandom from featureDetectOverride', () => {
    expect(
      felixSettings(NODE, { featureDetectOverride: 'SNATFullyRandom=true,MASQFullyRandom=false' }, undefined, ENV, [POOL]).masqFullyRandom,
    ).toBe(false);
  });
});

describe('confd readings', () => {
  it.each([
    ['Debug', 'debug'],
    ['Info', 'info'],
    ['Warning', 'none'],
    ['', undefined],
    [undefined, undefined],
  ])('lowers logSeverityScreen %j to %j', (s, want) => {
    expect(confdLogLevel(s)).toBe(want);
  });

  it('rounds restart times as int(math.Round(seconds))', () => {
    expect(goRoundSeconds(119.5)).toBe(120);
    expect(goRoundSeconds(10)).toBe(10);
    expect(goRoundSeconds(-0.5)).toBe(-1);
  });

  it('defaults a BGPPeer as confd reads it', () => {
    expect(peerInfo('p', { peerIP: '10.0.0.9:1790', asNumber: 65001 }, () => undefined)).toMatchObject({
      peerIP: parseIpv4('10.0.0.9'),
      port: 1790,
      sourceAddress: 'UseNodeIP',
      keepOriginalNextHop: false,
      ttlSecurity: 0,
    });
    expect(
      peerInfo('p', { password: { secretKeyRef: { name: 's', key: 'k' } } }, (n, k) => (n === 's' && k === 'k' ? 'pw' : undefined))
        .password,
    ).toBe('pw');
  });

  it('parses port ranges', () => {
    expect(parsePortRange('32768:65535')).toEqual({ min: 32768, max: 65535 });
    expect(parsePortRange(1024)).toEqual({ min: 1024, max: 1024 });
    expect(parsePortRange('x')).toBeUndefined();
  });
});

describe('ordering and labels', () => {
  it('orders by Go string order, as the Kubernetes API lists', () => {
    expect(byName([{ name: 'n9' }, { name: 'n10' }, { name: 'N1' }]).map((n) => n.name)).toEqual(['N1', 'n10', 'n9']);
  });

  it("puts kubelet's well-known labels on every node", () => {
    expect(kubeletLabels('n1').get('kubernetes.io/hostname')).toBe('n1');
    expect([...kubeletLabels('n1').keys()]).toContain('kubernetes.io/os');
  });
});
