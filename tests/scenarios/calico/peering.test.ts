// Tests for src/scenarios/calico/peering.ts against the BIRD configurations confd renders in Calico's own
// template tests (confd/tests/compiled_templates, v3.30.0): each case recreates the test's input resources
// as a calisim scenario (IPv6 parts left out: calisim does not model IPv6) and compares the protocols.

import { formatCidr, parseCidr, parseIpv4 } from '../../../src/model/addr.js';
import { loadScenario, type Scenario } from '../../../src/scenarios/calico/load.js';
import {
  birdConfig,
  birdConfigs,
  computePeerings,
  exportDecision,
  externalPeerNeighbors,
  hashToIPv4,
  kernelFilterDecision,
  peerKey,
  renderBgpProtocolBlock,
  type BirdConfig,
} from '../../../src/scenarios/calico/peering.js';

const ip = (s: string) => parseIpv4(s)!;
const cidr = (s: string) => parseCidr(s)!;

/** confdScenario is a Cluster of the confd test nodes (on 10.192.0.0/16) plus the given resources. */
function confdScenario(nodes: [string, string][], docs: string, network = '10.192.0.0/16'): Scenario {
  const cluster = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: confd}
spec:
  networks: [{name: lan, cidr: ${network}}]
  nodes:
${nodes.map(([name, addr]) => `  - {name: ${name}, network: lan, address: ${addr}}`).join('\n')}
`;
  const r = loadScenario(`${cluster}---\n${docs}`, 'confd.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const NODES: [string, string][] = [
  ['kube-master', '10.192.0.2'],
  ['kube-node-1', '10.192.0.3'],
  ['kube-node-2', '10.192.0.4'],
];

const POOL_IPIP = `---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: ippool-1}
spec: {cidr: 192.168.0.0/16, ipipMode: Always, natOutgoing: true}
`;

function node(name: string, labels: string, bgp: string): string {
  return `---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: ${name}${labels ? `, labels: {${labels}}` : ''}}\nspec: {bgp: {${bgp}}}\n`;
}

function bgpConfig(spec: string, name = 'default'): string {
  return `---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: ${name}}\nspec: {${spec}}\n`;
}

function peer(name: string, spec: string): string {
  return `---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: ${name}}\nspec: {${spec}}\n`;
}

function master(s: Scenario, name = 'kube-master'): BirdConfig {
  return birdConfig(s.datastore, computePeerings(s.datastore), s.ipam.state, name);
}

/** COMPILED holds protocol blocks from confd/tests/compiled_templates (v3.30.0), the oracle of these tests. */
const COMPILED: Record<string, Record<string, string>> = {
  'explicit_peering/global': {
    Global_10_192_0_1_port_150: `protocol bgp Global_10_192_0_1_port_150 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.1 port 150 as 64567;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}`,
    Global_10_192_0_1_port_166: `protocol bgp Global_10_192_0_1_port_166 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.1 port 166 as 64567;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}`,
    Global_10_192_0_3_port_150: `protocol bgp Global_10_192_0_3_port_150 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.3 port 150 as 64567;
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on; # Peering is unidirectional, peer will connect to us.
}`,
  },
  'explicit_peering/route_reflector': {
    Node_10_192_0_3: `protocol bgp Node_10_192_0_3 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.3 as 64532;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  rr client;
  rr cluster id 10.0.0.1;
}`,
    Node_10_192_0_4: `protocol bgp Node_10_192_0_4 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.4 as 64532;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  rr client;
  rr cluster id 10.0.0.1;
}`,
    Node_172_19_4_87: `protocol bgp Node_172_19_4_87 from bgp_template {
  ttl security off;
  multihop;
  neighbor 172.19.4.87 as 64533;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(false);
    reject;
  };  # Only want to export routes for workloads.
}`,
  },
  'mesh/restart-time': {
    Mesh_10_192_0_3: `protocol bgp Mesh_10_192_0_3 from bgp_template {
  neighbor 10.192.0.3 as 64512;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import all;        # Import all routes, since we don't know what the upstream
                     # topology is and therefore have to trust the ToR/RR.
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on; # Mesh is unidirectional, peer will connect to us.
  graceful restart time 10;
}`,
  },
  'ttl_security/global': {
    Global_10_192_0_3: `protocol bgp Global_10_192_0_3 from bgp_template {
  ttl security on;
  multihop 1;
  neighbor 10.192.0.3 as 64512;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}`,
  },
  'explicit_peering/keepnexthop': {
    Node_172_19_4_87: `protocol bgp Node_172_19_4_87 from bgp_template {
  ttl security off;
  multihop;
  neighbor 172.19.4.87 as 64533;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(false);
    reject;
  };  # Only want to export routes for workloads.
  next hop keep;
}`,
  },
  'explicit_peering/local-as': {
    Node_10_192_0_3: `protocol bgp Node_10_192_0_3 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.3 as 64512;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  allow local as 1;
}`,
  },
  'reachable_by/global_peers': {
    Global_10_225_0_4: `protocol bgp Global_10_225_0_4 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.225.0.4 as 65515;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(false);
    reject;
  };  # Only want to export routes for workloads.
  next hop keep;
}`,
  },
  'mesh/route-reflector-mesh-enabled': {
    Mesh_10_192_0_3: `protocol bgp Mesh_10_192_0_3 from bgp_template {
  neighbor 10.192.0.3 as 64532;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import all;        # Import all routes, since we don't know what the upstream
                     # topology is and therefore have to trust the ToR/RR.
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on; # Mesh is unidirectional, peer will connect to us.
}`,
    Node_10_192_0_4: `protocol bgp Node_10_192_0_4 from bgp_template {
  ttl security off;
  multihop;
  neighbor 10.192.0.4 as 64532;
  source address 10.192.0.2;  # The local address we use for the TCP connection
  import filter {
    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
  };
  export filter {
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}`,
  },
};

interface ConfdCase {
  readonly name: string;
  readonly nodes?: [string, string][];
  readonly network?: string;
  readonly docs: string;
  readonly node?: string;
  readonly routerId: string;
  readonly localAs: number;
  readonly protocols: readonly string[];
  readonly comments: readonly string[];
}

const CASES: readonly ConfdCase[] = [
  {
    name: 'mesh/ipip-always',
    docs: bgpConfig('nodeToNodeMeshEnabled: true, asNumber: 64512') + POOL_IPIP,
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Mesh_10_192_0_3', 'Mesh_10_192_0_4'],
    comments: ['skipping-ourselves mesh', 'no-global-peers', 'no-node-peers'],
  },
  {
    name: 'mesh/ipip-cross-subnet',
    nodes: [
      ['kube-master', '10.192.0.2'],
      ['kube-node-1', '10.192.0.3'],
      ['kube-node-2', '10.192.0.6'],
    ],
    docs: bgpConfig('nodeToNodeMeshEnabled: true, asNumber: 64512') + POOL_IPIP.replace('Always', 'CrossSubnet'),
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Mesh_10_192_0_3', 'Mesh_10_192_0_6'],
    comments: ['skipping-ourselves mesh', 'no-global-peers', 'no-node-peers'],
  },
  {
    name: 'explicit_peering/route_reflector',
    docs:
      bgpConfig('asNumber: 64532, nodeToNodeMeshEnabled: false') +
      peer('bgppeer-1', 'peerIP: 172.19.4.87, asNumber: 64533, nodeSelector: has(routeReflector)') +
      peer('bgppeer-other-nodes', "nodeSelector: has(routeReflector), peerSelector: '!has(routeReflector)'") +
      POOL_IPIP +
      node('kube-master', 'routeReflector: true', 'ipv4Address: 10.192.0.2/16, routeReflectorClusterID: 10.0.0.1') +
      node('kube-node-1', '', 'ipv4Address: 10.192.0.3/16') +
      node('kube-node-2', '', 'ipv4Address: 10.192.0.4/16'),
    routerId: '10.192.0.2',
    localAs: 64532,
    protocols: ['Node_10_192_0_3', 'Node_10_192_0_4', 'Node_172_19_4_87'],
    comments: ['route-reflector-mesh', 'no-global-peers'],
  },
  {
    name: 'explicit_peering/global',
    nodes: [
      ['kube-master', '10.192.0.2'],
      ['kube-node-1', '10.192.0.3'],
      ['kube-node-2', '10.192.0.1'],
    ],
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false, logSeverityScreen: Debug, asNumber: 64567, listenPort: 150, bindMode: NodeIP') +
      peer('bgppeer-1', 'peerIP: 10.192.0.3, asNumber: 64567, sourceAddress: None') +
      peer('bgppeer-2', 'peerIP: "10.192.0.1:166", asNumber: 64567') +
      peer('bgppeer-3', 'peerIP: 10.192.0.1, asNumber: 64567') +
      POOL_IPIP,
    routerId: '10.192.0.2',
    localAs: 64567,
    protocols: ['Global_10_192_0_1_port_150', 'Global_10_192_0_1_port_166', 'Global_10_192_0_3_port_150'],
    comments: ['mesh-disabled', 'no-node-peers'],
  },
  {
    name: 'explicit_peering/specific_node',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      peer('bgppeer-1', 'peerIP: 10.192.0.3, asNumber: 64512, node: kube-master') +
      peer('bgppeer-2', 'peerIP: 10.192.0.4, asNumber: 64566, node: kube-master') +
      POOL_IPIP,
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Node_10_192_0_3', 'Node_10_192_0_4'],
    comments: ['mesh-disabled', 'no-global-peers'],
  },
  {
    name: 'explicit_peering/selectors',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      bgpConfig('listenPort: 500', 'node.kube-node-1') +
      peer('bgppeer-1', "nodeSelector: group=='one', peerSelector: group=='two'") +
      POOL_IPIP +
      node('kube-master', 'group: one', 'ipv4Address: 10.192.0.2/16') +
      node('kube-node-1', 'group: two', 'ipv4Address: 10.192.0.3/16') +
      node('kube-node-2', 'group: two', 'ipv4Address: 10.192.0.4/16'),
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Node_10_192_0_3_port_500', 'Node_10_192_0_4'],
    comments: ['mesh-disabled', 'no-global-peers'],
  },
  {
    name: 'mesh/route-reflector-mesh-enabled',
    docs:
      bgpConfig('asNumber: 64532, nodeToNodeMeshEnabled: true') +
      peer('bgppeer-1', 'peerIP: 172.19.4.87, asNumber: 64533, nodeSelector: has(routeReflector)') +
      peer('bgppeer-other-nodes', "nodeSelector: has(routeReflector), peerSelector: '!has(routeReflector)'") +
      POOL_IPIP +
      node('kube-node-2', 'routeReflector: true', 'ipv4Address: 10.192.0.4/16, routeReflectorClusterID: 10.0.0.1'),
    routerId: '10.192.0.2',
    localAs: 64532,
    protocols: ['Mesh_10_192_0_3', 'Node_10_192_0_4'],
    comments: ['skipping-ourselves mesh', 'skipping-route-reflector', 'no-global-peers'],
  },
  {
    name: 'mesh/restart-time',
    docs: bgpConfig('nodeToNodeMeshEnabled: true, nodeMeshMaxRestartTime: 10s') + POOL_IPIP,
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Mesh_10_192_0_3', 'Mesh_10_192_0_4'],
    comments: ['skipping-ourselves mesh', 'no-global-peers', 'no-node-peers'],
  },
  {
    name: 'explicit_peering/keepnexthop',
    docs:
      bgpConfig('asNumber: 64532, nodeToNodeMeshEnabled: false') +
      peer('bgppeer-1', 'peerIP: 172.19.4.87, asNumber: 64533, nodeSelector: has(routeReflector), keepOriginalNextHop: true') +
      peer('bgppeer-other-nodes', 'nodeSelector: all(), peerSelector: has(routeReflector)') +
      POOL_IPIP +
      node('kube-master', 'routeReflector: true', 'ipv4Address: 10.192.0.2/16, routeReflectorClusterID: 10.0.0.1'),
    routerId: '10.192.0.2',
    localAs: 64532,
    protocols: ['Node_10_192_0_3', 'Node_10_192_0_4', 'Node_172_19_4_87'],
    comments: ['route-reflector-mesh', 'no-global-peers', 'skipping-ourselves node'],
  },
  {
    name: 'explicit_peering/local-as',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      peer('bgppeer-1', 'peerIP: 10.192.0.3, asNumber: 64512, node: kube-master, numAllowedLocalASNumbers: 1') +
      peer('bgppeer-2', 'peerIP: 10.192.0.4, asNumber: 64566, node: kube-master') +
      POOL_IPIP,
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Node_10_192_0_3', 'Node_10_192_0_4'],
    comments: ['mesh-disabled', 'no-global-peers'],
  },
  {
    name: 'ttl_security/global',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      node('kube-master', 'ttl-security-node: yes', 'ipv4Address: 10.192.0.2/16') +
      node('kube-node-1', 'ttl-security-node: yes', 'ipv4Address: 10.192.0.3/16') +
      node('kube-node-2', 'ttl-security-node: yes', 'ipv4Address: 10.192.0.4/16') +
      peer('ttl-selector-peers', 'peerSelector: has(ttl-security-node), ttlSecurity: 1'),
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Global_10_192_0_3', 'Global_10_192_0_4'],
    comments: ['mesh-disabled', 'skipping-ourselves global', 'no-node-peers'],
  },
  {
    name: 'ttl_security/peer_selector',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      node('kube-node-1', 'ttl-security-node: yes', 'ipv4Address: 10.192.0.3/16') +
      node('kube-node-2', 'ttl-security-node: yes', 'ipv4Address: 10.192.0.4/16') +
      peer('ttl-selector-peers', 'node: kube-master, peerSelector: has(ttl-security-node), ttlSecurity: 1'),
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Node_10_192_0_3', 'Node_10_192_0_4'],
    comments: ['mesh-disabled', 'no-global-peers'],
  },
  {
    name: 'reachable_by/global_peers',
    docs:
      bgpConfig('nodeToNodeMeshEnabled: false') +
      peer('external-route-reflector-a-ipv4', 'peerIP: 10.225.0.4, asNumber: 65515, reachableBy: 10.224.0.1, keepOriginalNextHop: true') +
      peer('external-route-reflector-b-ipv4', 'peerIP: 10.225.0.5, asNumber: 65515, reachableBy: 10.224.0.1, keepOriginalNextHop: true'),
    routerId: '10.192.0.2',
    localAs: 64512,
    protocols: ['Global_10_225_0_4', 'Global_10_225_0_5'],
    comments: ['mesh-disabled', 'no-node-peers'],
  },
  {
    name: 'sourceaddr_gracefulrestart/step1',
    nodes: [
      ['kube-master', '172.17.0.5'],
      ['kube-node-1', '172.17.0.6'],
    ],
    network: '172.17.0.0/16',
    docs: bgpConfig('nodeToNodeMeshEnabled: false') + peer('bgppeer-1', 'node: kube-master, peerIP: 172.17.0.6, asNumber: 64512'),
    routerId: '172.17.0.5',
    localAs: 64512,
    protocols: ['Node_172_17_0_6'],
    comments: ['mesh-disabled', 'no-global-peers'],
  },
];

function commentKinds(cfg: BirdConfig): string[] {
  return cfg.comments.map((c) => (c.kind === 'skipping-ourselves' ? `${c.kind} ${c.section}` : c.kind));
}

describe('bird.cfg as confd renders it', () => {
  it.each(CASES)('$name', (c) => {
    const s = confdScenario(c.nodes ?? NODES, c.docs, c.network);
    const cfg = master(s, c.node);
    expect(cfg.routerId).toBe(c.routerId);
    expect(cfg.localAs).toBe(c.localAs);
    expect(cfg.protocols).toEqual(['static1', 'kernel1', 'device1', 'direct1', ...c.protocols]);
    expect(commentKinds(cfg)).toEqual(c.comments);
    for (const [name, block] of Object.entries(COMPILED[c.name] ?? {})) {
      const p = cfg.bgp.find((b) => b.name === name);
      expect(p && renderBgpProtocolBlock(p)).toBe(block);
    }
  });

  it('writes the listen and debug lines of explicit_peering/global', () => {
    const s = confdScenario(
      [['kube-master', '10.192.0.2']],
      bgpConfig('nodeToNodeMeshEnabled: false, logSeverityScreen: Debug, listenPort: 150, bindMode: NodeIP'),
    );
    const cfg = master(s);
    expect(cfg.listen).toEqual({ address: ip('10.192.0.2'), port: 150 });
    expect(cfg.debug).toBe('all');
    expect(master(confdScenario(NODES, bgpConfig('logSeverityScreen: Warning'))).debug).toBe('none');
    expect(master(confdScenario(NODES, '')).debug).toBe('states');
  });

  it('adds the static routes reachable_by needs to bird_aggr.cfg', () => {
    const c = CASES.find((x) => x.name === 'reachable_by/global_peers')!;
    const cfg = master(confdScenario(NODES, c.docs));
    expect(cfg.staticPeerRoutes).toEqual([
      { dst: ip('10.225.0.4'), via: ip('10.224.0.1') },
      { dst: ip('10.225.0.5'), via: ip('10.224.0.1') },
    ]);
  });

  it('makes the mesh passive on the lexically smaller address (a string comparison)', () => {
    const s = confdScenario(
      [
        ['n9', '10.23.14.9'],
        ['n111', '10.23.14.111'],
      ],
      '',
      '10.23.14.0/24',
    );
    const [a, b] = birdConfigs(s.datastore, s.ipam.state);
    // "10.23.14.9" > "10.23.14.111", so n111 waits for n9 although 9 < 111.
    expect(a.node).toBe('n111');
    expect(a.bgp[0]).toMatchObject({ name: 'Mesh_10_23_14_9', passive: true });
    expect(b.bgp[0]).toMatchObject({ name: 'Mesh_10_23_14_111', passive: false });
    expect(renderBgpProtocolBlock(b.bgp[0])).not.toContain('passive');
  });

  it('keys peerings as combineIPAndPort does', () => {
    expect(peerKey(ip('10.0.0.1'), 0)).toBe('10.0.0.1');
    expect(peerKey(ip('10.0.0.1'), 179)).toBe('10.0.0.1');
    expect(peerKey(ip('10.0.0.1'), 150)).toBe('10.0.0.1-150');
  });

  it('writes the v3.26 export call without an argument', () => {
    const s = loadScenario(
      `apiVersion: calisim/v1\nkind: Cluster\nmetadata: {name: old}\nspec:\n  calico: {version: v3.26}\n  networks: [{name: lan, cidr: 10.0.0.0/24}]\n  nodes: [{name: a, network: lan, address: 10.0.0.1}, {name: b, network: lan, address: 10.0.0.2}]\n`,
      'old.yaml',
    );
    if (!s.ok) throw new Error(s.errors.join('\n'));
    const cfg = master(s.scenario, 'a');
    expect(renderBgpProtocolBlock(cfg.bgp[0])).toContain('    calico_export_to_bgp_peers();\n    reject;\n');
    expect(cfg.rejectTunnelRoutes).toBe(false);
  });

  it('hashes the router id for CALICO_ROUTER_ID=hash', () => {
    expect(hashToIPv4('kube-master')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const first = Number(hashToIPv4('kube-master').split('.')[0]);
    expect(first).toBeLessThanOrEqual(223);
  });
});

describe('filters', () => {
  function withPools(pools: string): BirdConfig {
    return master(confdScenario(NODES, pools));
  }

  it('programs IPIP Always through tunl0 and Never without a tunnel', () => {
    const cfg = withPools(POOL_IPIP);
    expect(kernelFilterDecision(cfg, cidr('192.168.5.0/26'), ip('10.192.0.3'))).toEqual({ accept: true, tunnel: 'tunl0' });
    expect(kernelFilterDecision(cfg, cidr('10.9.0.0/24'), ip('10.192.0.3'))).toEqual({ accept: true });
    const never = withPools(POOL_IPIP.replace('Always', 'Never'));
    expect(kernelFilterDecision(never, cidr('192.168.5.0/26'), ip('10.192.0.3'))).toEqual({ accept: true, tunnel: '' });
  });

  it("uses the tunnel for CrossSubnet only when the next hop is off the node's subnet", () => {
    const cfg = withPools(POOL_IPIP.replace('Always', 'CrossSubnet'));
    expect(cfg.kernelFilter[0]).toMatchObject({ action: 'cross-subnet', tunnel: 'tunl0' });
    expect(formatCidr((cfg.kernelFilter[0] as { subnet: { addr: number; len: number } }).subnet)).toBe('10.192.0.0/16');
    expect(kernelFilterDecision(cfg, cidr('192.168.5.0/26'), ip('10.192.7.7'))).toEqual({ accept: true, tunnel: '' });
    expect(kernelFilterDecision(cfg, cidr('192.168.5.0/26'), ip('10.193.0.1'))).toEqual({ accept: true, tunnel: 'tunl0' });
  });

  it('leaves VXLAN pools to Felix (mesh/vxlan-always)', () => {
    const cfg = withPools(POOL_IPIP.replace('ipipMode: Always', 'ipipMode: Never, vxlanMode: Always'));
    expect(kernelFilterDecision(cfg, cidr('192.168.5.0/26'), ip('10.192.0.3'))).toEqual({ accept: false });
  });

  it('exports blocks and in-pool routes but not disabled pools (mesh/bgp-export)', () => {
    const pool = (name: string, extra: string) =>
      `---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: ${name}}\nspec: {ipipMode: Never, natOutgoing: true, ${extra}}\n`;
    const pools =
      pool('ippool-1', 'cidr: 192.168.1.0/24') +
      pool('ippool-2', 'cidr: 192.168.2.0/24, disableBGPExport: true') +
      pool('ippool-3', 'cidr: 192.168.3.0/24, disableBGPExport: false');
    const cfg = withPools(pools);
    expect(cfg.exportPools.map((p) => [formatCidr(p.cidr), p.disableBGPExport])).toEqual([
      ['192.168.1.0/24', false],
      ['192.168.2.0/24', true],
      ['192.168.3.0/24', false],
    ]);
    expect(exportDecision(cfg, { net: cidr('192.168.1.7/32') }, true)).toBe('accept');
    expect(exportDecision(cfg, { net: cidr('192.168.2.0/26') }, true)).toBe('reject');
    expect(exportDecision(cfg, { net: cidr('10.0.0.0/8') }, true)).toBe('reject');
    expect(exportDecision(cfg, { net: cidr('192.168.3.0/26'), ifname: 'vxlan.calico' }, true)).toBe('reject');
    expect(exportDecision(cfg, { net: cidr('192.168.3.0/26'), ifname: 'vxlan.calico' }, false)).toBe('accept');
  });

  it("exports a node's block but nothing more specific inside it", () => {
    const noTunnel = master(confdScenario(NODES.slice(0, 1), POOL_IPIP.replace('Always', 'Never')));
    expect(noTunnel.aggr).toEqual([]);
    expect(noTunnel.staticBlackholes).toEqual([]);
    // With IPIP the tunnel address claims a block before any pod exists.
    const tunnel = master(confdScenario(NODES.slice(0, 1), POOL_IPIP));
    expect(tunnel.aggr).toHaveLength(1);
    const pinned = loadScenario(
      `apiVersion: calisim/v1\nkind: Cluster\nmetadata: {name: p}\nspec:\n  networks: [{name: lan, cidr: 10.192.0.0/16}]\n  nodes: [{name: kube-master, network: lan, address: 10.192.0.2, blocks: [192.168.221.64/26]}]\n${POOL_IPIP}`,
      'p.yaml',
    );
    if (!pinned.ok) throw new Error(pinned.errors.join('\n'));
    const withBlock = master(pinned.scenario);
    expect(withBlock.staticBlackholes.map(formatCidr)).toEqual(['192.168.221.64/26']);
    expect(exportDecision(withBlock, { net: cidr('192.168.221.64/26') }, true)).toBe('accept');
    expect(exportDecision(withBlock, { net: cidr('192.168.221.66/32') }, true)).toBe('reject');
    expect(exportDecision(withBlock, { net: cidr('192.168.9.9/32') }, true)).toBe('accept');
  });
});

describe('external peers', () => {
  it('lists the nodes that peer with a speaker', () => {
    const s = confdScenario(NODES, bgpConfig('nodeToNodeMeshEnabled: false') + peer('rr', 'peerIP: 10.192.0.100, asNumber: 64512'));
    const configs = birdConfigs(s.datastore, s.ipam.state);
    expect(externalPeerNeighbors(configs, ip('10.192.0.100')).map((n) => [n.node, n.protocol.name])).toEqual([
      ['kube-master', 'Global_10_192_0_100'],
      ['kube-node-1', 'Global_10_192_0_100'],
      ['kube-node-2', 'Global_10_192_0_100'],
    ]);
  });
});

describe('seed 004 (kind nodes peering with a GoBGP route reflector)', () => {
  const yaml = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: k8s-guide}
spec:
  networks: [{name: kind, cidr: 172.18.0.0/16, gateway: 172.18.0.1}]
  nodes:
  - {name: k8s-guide-control-plane, network: kind, address: 172.18.0.5, mtu: 1410, blocks: [10.244.236.0/24]}
  - {name: k8s-guide-worker, network: kind, address: 172.18.0.4, mtu: 1410, blocks: [10.244.175.0/24]}
  - {name: k8s-guide-worker2, network: kind, address: 172.18.0.3, mtu: 1410, blocks: [10.244.190.0/24]}
  externalPeers:
  - {name: gobgp, software: gobgp, network: kind, address: 172.18.0.6, asNumber: 64512, routeReflector: true}
  pods:
  - {name: net-tshoot-rg2lp, node: k8s-guide-worker}
  - {name: net-tshoot-6wszq, node: k8s-guide-control-plane}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: default-ipv4-ippool}
spec: {cidr: 10.244.128.0/17, blockSize: 24, ipipMode: Never, vxlanMode: Never, natOutgoing: true}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
spec: {nodeToNodeMeshEnabled: false, asNumber: 64512}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: gobgp-rr}
spec: {peerIP: 172.18.0.6, asNumber: 64512}
`;

  it('peers every node with the route reflector only', () => {
    const r = loadScenario(yaml, 'seed004.yaml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const configs = birdConfigs(r.scenario.datastore, r.scenario.ipam.state);
    for (const c of configs) {
      expect(c.protocols).toEqual(['static1', 'kernel1', 'device1', 'direct1', 'Global_172_18_0_6']);
      expect(c.bgp[0]).toMatchObject({ passive: false, neighborAs: 64512, exportFilter: { internalPeer: true }, rrClient: false });
    }
    expect(externalPeerNeighbors(configs, ip('172.18.0.6')).map((n) => n.node)).toEqual([
      'k8s-guide-control-plane',
      'k8s-guide-worker',
      'k8s-guide-worker2',
    ]);
    const cp = configs[0];
    expect(cp.staticBlackholes.map(formatCidr)).toEqual(['10.244.236.0/24']);
    expect(exportDecision(cp, { net: cidr('10.244.236.0/24') }, true)).toBe('accept');
    expect(formatCidr(cidr('10.244.236.0/24'))).toBe('10.244.236.0/24');
    expect(r.scenario.ipam.podIps.get('default/net-tshoot-6wszq')).toBe(ip('10.244.236.0'));
  });
});
