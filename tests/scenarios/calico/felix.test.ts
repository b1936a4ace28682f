// Tests for src/scenarios/calico/felix.ts: MTUs, the host veth, workload and VXLAN routes, and the
// natOutgoing chains with their rule hashes (checked against the hashes in public iptables dumps).

import { formatCidr, formatIpv4, parseIpv4 } from '../../../src/model/addr.js';
import type { FelixSettings } from '../../../src/scenarios/calico/datastore.js';
import {
  configureDefaultMtus,
  determinePodMtu,
  findHostMtu,
  formatRouteSpec,
  hostVethSysctls,
  natIpsets,
  natTable,
  podMacFor,
  podRoutes,
  podVethMtu,
  podWorkloadRoute,
  renderFelixRule,
  ruleHashes,
  vxlanDevice,
  vxlanProgramming,
  workloadRoute,
  type IptAction,
  type IptMatch,
} from '../../../src/scenarios/calico/felix.js';
import { loadScenario, type Scenario } from '../../../src/scenarios/calico/load.js';

const ip = (s: string) => parseIpv4(s)!;

function load(text: string): Scenario {
  const r = loadScenario(text, 's.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const FELIX: FelixSettings = {
  interfacePrefix: 'cali',
  ipipEnabled: false,
  vxlanEnabled: false,
  wireguardEnabled: false,
  ipipMTU: 0,
  vxlanMTU: 0,
  vxlanMTUV6: 0,
  wireguardMTU: 0,
  wireguardInterfaceName: 'wireguard.cali',
  vxlanPort: 4789,
  vxlanVNI: 4096,
  deviceRouteProtocol: 3,
  iptablesNATOutgoingInterfaceFilter: '',
  mtuIfacePattern: '^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)',
  masqFullyRandom: true,
};

describe('MTU', () => {
  const pattern = FELIX.mtuIfacePattern;
  it.each([
    [[{ name: 'eth0', mtu: 1500, operUp: true }], 1500],
    [
      [
        { name: 'ens192', mtu: 1500, operUp: true },
        { name: 'enp0s8', mtu: 1450, operUp: true },
      ],
      1450,
    ],
    [
      [
        { name: 'eth0', mtu: 9000, operUp: true },
        { name: 'eth1', mtu: 1400, operUp: false },
      ],
      9000,
    ],
    [
      [
        { name: 'docker0', mtu: 1400, operUp: true },
        { name: 'cali123', mtu: 1000, operUp: true },
        { name: 'tunl0', mtu: 1480, operUp: true },
      ],
      1460,
    ],
    [[], 1460],
  ])('findHostMtu(%j) is %d', (links, want) => {
    expect(findHostMtu(links, pattern)).toBe(want);
  });

  it("subtracts each encapsulation's overhead from a 1500 host", () => {
    expect(configureDefaultMtus(1500, FELIX)).toEqual({ ipip: 1480, vxlan: 1450, vxlanV6: 1430, wireguard: 1440, wireguardV6: 1420 });
    expect(configureDefaultMtus(1500, { ...FELIX, vxlanMTU: 1410 }).vxlan).toBe(1410);
  });

  it.each<[string, Partial<FelixSettings>, number, number]>([
    ['no encapsulation', {}, 1500, 1500],
    ['IPIP', { ipipEnabled: true }, 1500, 1480],
    ['VXLAN', { vxlanEnabled: true }, 1500, 1450],
    ['IPIP and WireGuard', { ipipEnabled: true, wireguardEnabled: true }, 1500, 1440],
    ['IPIP configured at 1440 (seed 003)', { ipipEnabled: true, ipipMTU: 1440 }, 1500, 1440],
    ['a 1410 host without encapsulation (seed 004)', {}, 1410, 1410],
  ])('gives pods %s the right MTU', (_what, f, host, want) => {
    expect(determinePodMtu(host, { ...FELIX, ...f })).toBe(want);
  });
});

describe('pod plumbing', () => {
  it('configures the host veth as the CNI plugin and Felix do', () => {
    expect(hostVethSysctls('calife4cf73bf2a', '0').map((s) => `${s.key}=${s.value}`)).toEqual([
      'net.ipv4.conf.calife4cf73bf2a.route_localnet=1',
      'net.ipv4.neigh.calife4cf73bf2a.proxy_delay=0',
      'net.ipv4.conf.calife4cf73bf2a.proxy_arp=1',
      'net.ipv4.conf.calife4cf73bf2a.forwarding=1',
      'net.ipv4.conf.calife4cf73bf2a.rp_filter=0',
    ]);
  });

  it('routes the pod through 169.254.1.1', () => {
    expect(podRoutes().map(formatRouteSpec)).toEqual(['169.254.1.1 dev eth0 scope link', 'default via 169.254.1.1 dev eth0']);
  });

  it('writes the workload route with src only when FELIX_DEVICEROUTESOURCEADDRESS is set', () => {
    expect(
      formatRouteSpec(workloadRoute(ip('10.233.133.2'), 'calife4cf73bf2a', { ...FELIX, deviceRouteSourceAddress: ip('10.23.14.110') })),
    ).toBe('10.233.133.2 dev calife4cf73bf2a scope link src 10.23.14.110');
    expect(formatRouteSpec(workloadRoute(ip('10.244.190.0'), 'calid7f7f4e15dd', FELIX))).toBe(
      '10.244.190.0 dev calid7f7f4e15dd scope link',
    );
  });

  it('derives a unicast, locally administered pod MAC', () => {
    const mac = podMacFor('default', 'zlw-01');
    expect(parseInt(mac.slice(0, 2), 16) & 3).toBe(2);
    expect(podMacFor('default', 'zlw-01')).toBe(mac);
  });
});

describe('seed 000 (BGP, kubekey)', () => {
  const s = load(`apiVersion: calisim/v1
kind: Cluster
metadata: {name: seed000}
spec:
  calico: {deviceRouteSourceAddress: NodeIP}
  networks: [{name: lan0, cidr: 10.23.14.0/24, gateway: 10.23.14.1}]
  nodes:
  - {name: 10-23-14-110, network: lan0, address: 10.23.14.110, blocks: [10.233.133.0/24]}
  - {name: 10-23-14-111, network: lan0, address: 10.23.14.111, blocks: [10.233.80.0/24]}
  pods:
  - {name: zlw-01, node: 10-23-14-110, ip: 10.233.133.2}
  - {name: zlw-02, node: 10-23-14-110, ip: 10.233.133.3}
  - {name: zlw-03, node: 10-23-14-111}
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata: {name: default-ipv4-ippool}
spec: {allowedUses: [Workload, Tunnel], blockSize: 24, cidr: 10.233.0.0/16, ipipMode: Never, natOutgoing: true, nodeSelector: all(), vxlanMode: Never}
`);

  it('gives the pods the addresses and host routes the seed shows', () => {
    const ds = s.datastore;
    const routes = ds.pods.map((p) => formatRouteSpec(podWorkloadRoute(s.ipam, p, ds.felix.get(p.node)!)!));
    expect(routes).toEqual([
      '10.233.133.2 dev calife4cf73bf2a scope link src 10.23.14.110',
      '10.233.133.3 dev cali957267df2c7 scope link src 10.23.14.110',
      '10.233.80.0 dev cali20e9b05e2d6 scope link src 10.23.14.111',
    ]);
    expect(podVethMtu(ds, ds.nodes[0])).toBe(1500);
  });

  it('programs no VXLAN state for a BGP-only pool', () => {
    expect(vxlanProgramming(s.datastore, s.ipam, '10-23-14-110')).toEqual({ routes: [], neighbors: [], fdb: [] });
  });
});

describe('seed 003 (VXLAN)', () => {
  const scenario = (mode: string, node01: string) => `apiVersion: calisim/v1
kind: Cluster
metadata: {name: seed003}
spec:
  networks: [{name: lan, cidr: 172.17.0.0/16, gateway: 172.17.0.1}]
  nodes:
  - {name: controlplane, network: lan, address: 172.17.0.15, interface: ens3, blocks: [192.168.49.64/26]}
  - {name: node01, network: lan, address: ${node01}, interface: ens3, blocks: [192.168.196.128/26]}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: default-ipv4-ippool}
spec: {cidr: 192.168.0.0/16, ipipMode: Never, vxlanMode: ${mode}, natOutgoing: true}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {vxlanMTU: 1440}
`;

  it('gives node01 the VTEP the seed shows, and routes its block through it', () => {
    const s = load(scenario('Always', '172.17.0.40'));
    const ds = s.datastore;
    const node01 = ds.nodes.find((n) => n.name === 'node01')!;
    const vtep = s.ipam.tunnels.get('node01')!.vxlan!;
    expect(formatIpv4(vtep)).toBe('192.168.196.128');
    expect(vxlanDevice(node01, ds.felix.get('node01')!, vtep)).toEqual({
      name: 'vxlan.calico',
      vni: 4096,
      port: 4789,
      local: ip('172.17.0.40'),
      parent: 'ens3',
      mac: '66:aa:99:2f:dc:24',
      mtu: 1440,
      address: vtep,
      learning: false,
    });
    const p = vxlanProgramming(ds, s.ipam, 'controlplane');
    expect(p.routes.map(formatRouteSpec)).toEqual([
      '192.168.196.128/26 via 192.168.196.128 dev vxlan.calico onlink',
      'blackhole 192.168.49.64/26 proto 80',
    ]);
    expect(p.neighbors).toEqual([{ ip: vtep, mac: '66:aa:99:2f:dc:24', dev: 'vxlan.calico' }]);
    expect(p.fdb).toEqual([{ mac: '66:aa:99:2f:dc:24', dev: 'vxlan.calico', dst: ip('172.17.0.40') }]);
    expect(podVethMtu(ds, ds.nodes[0])).toBe(1440);
  });

  it('routes CrossSubnet peers on the same subnet without encapsulation', () => {
    const same = load(scenario('CrossSubnet', '172.17.0.40'));
    expect(vxlanProgramming(same.datastore, same.ipam, 'controlplane').routes.map(formatRouteSpec)[0]).toBe(
      '192.168.196.128/26 via 172.17.0.40 dev ens3 proto 80 onlink',
    );
  });

  it('builds the NAT chains with the hashes of the public dumps', () => {
    const s = load(scenario('Always', '172.17.0.40'));
    const t = natTable(s.datastore, s.ipam, 'controlplane');
    const hashes = Object.fromEntries([...t.hooks, ...t.chains].map((c) => [c.name, c.rules.map((r) => r.hash)]));
    expect(hashes).toEqual({
      PREROUTING: ['6gwbT8clXdHdC1b1'],
      POSTROUTING: ['O3lYWMrLQYEMJtB5'],
      OUTPUT: ['tVnHkvAo15HuiPy0'],
      'cali-PREROUTING': ['r6XmIziWUJsdOK6Z'],
      'cali-POSTROUTING': ['Z-c7XtVd2Bq7s_hA', 'nYKhEzDlr11Jccal', 'e9dnSgSVNmIcpVhP'],
      'cali-OUTPUT': ['GBTAv2p5CwevEyJm'],
      'cali-nat-outgoing': ['flqWnvo8yq4ULQLa'],
      'cali-fip-dnat': [],
      'cali-fip-snat': [],
    });
    const out = t.chains.find((c) => c.name === 'cali-nat-outgoing')!;
    expect(renderFelixRule(out, out.rules[0])).toBe(
      '-A cali-nat-outgoing -m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst --jump MASQUERADE --random-fully',
    );
    expect(natIpsets(s.datastore.pools).map((i) => [i.name, i.members.map(formatCidr)])).toEqual([
      ['cali40all-ipam-pools', ['192.168.0.0/16']],
      ['cali40masq-ipam-pools', ['192.168.0.0/16']],
    ]);
  });
});

describe('rule hashes', () => {
  const jump = (target: string) => ({ matches: [] as IptMatch[], action: { kind: 'jump', target } as IptAction });
  const tunnel = (iface: string, randomFully: boolean) => ({
    matches: [
      { kind: 'outInterface', iface },
      { kind: 'srcAddrType', type: 'LOCAL', negated: true, limitIfaceOut: true },
      { kind: 'srcAddrType', type: 'LOCAL', negated: false, limitIfaceOut: false },
    ] as IptMatch[],
    action: { kind: 'masquerade', randomFully } as IptAction,
  });
  const masq = (randomFully: boolean) => ({
    matches: [
      { kind: 'set', set: 'cali40masq-ipam-pools', dir: 'src', negated: false },
      { kind: 'set', set: 'cali40all-ipam-pools', dir: 'dst', negated: true },
    ] as IptMatch[],
    action: { kind: 'masquerade', randomFully } as IptAction,
  });

  it.each<[string, { matches: IptMatch[]; action: IptAction }[], string[]]>([
    ['POSTROUTING', [jump('cali-POSTROUTING')], ['O3lYWMrLQYEMJtB5']],
    ['PREROUTING', [jump('cali-PREROUTING')], ['6gwbT8clXdHdC1b1']],
    ['OUTPUT', [jump('cali-OUTPUT')], ['tVnHkvAo15HuiPy0']],
    [
      'cali-POSTROUTING',
      [jump('cali-fip-snat'), jump('cali-nat-outgoing'), tunnel('tunl0', true)],
      ['Z-c7XtVd2Bq7s_hA', 'nYKhEzDlr11Jccal', 'SXWvdsbh4Mw7wOln'],
    ],
    [
      'cali-POSTROUTING',
      [jump('cali-fip-snat'), jump('cali-nat-outgoing'), tunnel('vxlan.calico', true)],
      ['Z-c7XtVd2Bq7s_hA', 'nYKhEzDlr11Jccal', 'e9dnSgSVNmIcpVhP'],
    ],
    ['cali-nat-outgoing', [masq(false)], ['Dw4T8UWPnCLxRJiI']],
    ['cali-nat-outgoing', [masq(true)], ['flqWnvo8yq4ULQLa']],
    ['cali-PREROUTING', [jump('cali-fip-dnat')], ['r6XmIziWUJsdOK6Z']],
    ['cali-OUTPUT', [jump('cali-fip-dnat')], ['GBTAv2p5CwevEyJm']],
  ])('hashes %s as Felix does', (chain, rules, want) => {
    expect(ruleHashes(chain, rules)).toEqual(want);
  });
});
