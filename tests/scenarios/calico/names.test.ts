// Tests for src/scenarios/calico/names.ts with the names seed 000 shows and Calico's own examples.

import fc from 'fast-check';
import { parseCidr } from '../../../src/model/addr.js';
import {
  blockAffinityName,
  cidrToName,
  cniHandleId,
  containerIdForPod,
  globalPeerProtocolName,
  ipamBlockName,
  ipsetName,
  IpsetId,
  localWorkloadProtocolName,
  meshProtocolName,
  nodePeerProtocolName,
  tunnelHandleId,
  vethNameForWorkload,
  vtepMacForHost,
  vtepMacForHostV6,
  workloadEndpointName,
} from '../../../src/scenarios/calico/names.js';

const cidr = (s: string) => parseCidr(s)!;
const ip = (s: string) => parseCidr(s)!.addr;

describe('vethNameForWorkload', () => {
  it.each([
    ['default', 'zlw-01', 'calife4cf73bf2a'],
    ['default', 'zlw-02', 'cali957267df2c7'],
    ['default', 'zlw-03', 'cali20e9b05e2d6'],
    ['default', 'busybox-deployment-8c7dc8548-btnkv', 'calib673e730d42'],
    ['default', 'busybox-deployment-8c7dc8548-x6ljh', 'cali9861acf9f07'],
    ['default', 'net-tshoot-rg2lp', 'calic8441ae7134'],
    ['default', 'net-tshoot-6wszq', 'cali0ec6986a945'],
  ])('names %s/%s %s as the seeds show', (ns, pod, want) => {
    expect(vethNameForWorkload(ns, pod)).toBe(want);
  });

  it('uses the first entry of a comma-separated FELIX_INTERFACEPREFIX', () => {
    expect(vethNameForWorkload('default', 'zlw-01', 'tap,cali')).toBe('tapfe4cf73bf2a');
    expect(vethNameForWorkload('default', 'zlw-01', '')).toBe('calife4cf73bf2a');
  });

  it('always gives the prefix and 11 lowercase hex digits', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (ns, pod) => {
        expect(vethNameForWorkload(ns, pod)).toMatch(/^cali[0-9a-f]{11}$/);
      }),
    );
  });
});

describe('workloadEndpointName', () => {
  it('doubles the dashes inside each segment', () => {
    expect(workloadEndpointName('10-23-14-110', 'zlw-01')).toEqual({ ok: true, name: '10--23--14--110-k8s-zlw--01-eth0' });
    expect(workloadEndpointName('node01', 'busybox-deployment-8c7dc8548-btnkv')).toEqual({
      ok: true,
      name: 'node01-k8s-busybox--deployment--8c7dc8548--btnkv-eth0',
    });
  });

  it.each([
    ['', 'p', 'error with field node (field should be assigned)'],
    ['n', '', "error with field pod = '' (field should be assigned)"],
    ['n', '-p', "error with field pod = '-p' (field must not begin with a '-')"],
    ['n-', 'p', "error with field node = 'n-' (field must not end with a '-')"],
  ])("refuses node %j pod %j with Calico's message", (node, pod, error) => {
    expect(workloadEndpointName(node, pod)).toEqual({ ok: false, error });
  });
});

describe('IPAM names', () => {
  it.each([
    ['10.233.80.0/26', '10-233-80-0-26'],
    ['10.233.133.0/24', '10-233-133-0-24'],
    ['192.168.196.128/26', '192-168-196-128-26'],
  ])('names the IPAMBlock of %s %s', (c, want) => {
    expect(cidrToName(cidr(c))).toBe(want);
    expect(ipamBlockName(cidr(c))).toBe(want);
  });

  it('prefixes the BlockAffinity name with the node', () => {
    expect(blockAffinityName('10-23-14-111', cidr('10.233.80.0/24'))).toBe('10-23-14-111-10-233-80-0-24');
  });

  it('shortens a BlockAffinity name of 253 characters or more and appends a hash', () => {
    const host = 'h'.repeat(250);
    const name = blockAffinityName(host, cidr('10.0.0.0/26'));
    expect(name).toMatch(/^h+-10-0-0-0-26-[0-9a-f]{11}$/);
    expect(name.length).toBe(252);
    expect(blockAffinityName('h'.repeat(239), cidr('10.0.0.0/26'))).toBe(`${'h'.repeat(239)}-10-0-0-0-26`);
  });

  it('builds the CNI and tunnel handles', () => {
    expect(cniHandleId('abc')).toBe('k8s-pod-network.abc');
    expect(tunnelHandleId('ipip', 'n1')).toBe('ipip-tunnel-addr-n1');
    expect(tunnelHandleId('vxlan', 'n1')).toBe('vxlan-tunnel-addr-n1');
    expect(containerIdForPod('default', 'zlw-01')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('vtepMacForHost', () => {
  it.each([
    ['10-23-14-110', '66:53:9a:3b:57:55'],
    ['node01', '66:aa:99:2f:dc:24'],
  ])('gives %s %s: 0x66 then five bytes of SHA-1 of the name (seed 003 shows node01)', (node, mac) => {
    expect(vtepMacForHost(node)).toBe(mac);
  });

  it('hashes `<name>-v6` for the IPv6 device', () => {
    expect(vtepMacForHostV6('10-23-14-110')).toBe(vtepMacForHost('10-23-14-110-v6'));
  });

  it('is always a locally administered unicast address', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (n) => {
        const first = parseInt(vtepMacForHost(n).slice(0, 2), 16);
        expect(first & 1).toBe(0);
        expect(first & 2).toBe(2);
      }),
    );
  });
});

describe('BIRD protocol names', () => {
  it.each([
    [meshProtocolName(ip('10.23.14.111')), 'Mesh_10_23_14_111'],
    [globalPeerProtocolName(ip('10.192.0.1')), 'Global_10_192_0_1'],
    [globalPeerProtocolName(ip('10.192.0.1'), 150), 'Global_10_192_0_1_port_150'],
    [globalPeerProtocolName(ip('10.192.0.1'), 179), 'Global_10_192_0_1_port_179'],
    [nodePeerProtocolName(ip('172.19.4.87')), 'Node_172_19_4_87'],
    [nodePeerProtocolName(ip('10.192.0.3'), 500), 'Node_10_192_0_3_port_500'],
    [localWorkloadProtocolName(ip('10.244.0.5')), 'Local_Workload_10_244_0_5'],
  ])('renders %s', (got, want) => {
    expect(got).toBe(want);
  });
});

describe('ipsetName', () => {
  it.each([
    [IpsetId.AllIpamPools, 'cali40all-ipam-pools'],
    [IpsetId.MasqIpamPools, 'cali40masq-ipam-pools'],
    [IpsetId.AllVxlanSourceNets, 'cali40all-vxlan-net'],
  ])('names %s %s', (id, want) => {
    expect(ipsetName(id)).toBe(want);
  });

  it('cuts names to 31 characters', () => {
    expect(ipsetName('x'.repeat(40))).toHaveLength(31);
    expect(ipsetName('a', 6)).toBe('cali60a');
  });
});
