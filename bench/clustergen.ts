// Cluster scenarios of any size for the benchmarks: N nodes on one LAN (or split over several LANs
// joined by a router), P pods per node, and either the node-to-node mesh or route reflectors (R
// nodes with routeReflectorClusterID and a BGPPeer from every node to them), as a Calico operator
// would configure it (docs.tigera.io "Configure BGP peering": peer-with-route-reflectors).

/** ClusterShape is what a generated cluster looks like. */
export interface ClusterShape {
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly topology: 'mesh' | 'rr';
  /** reflectors is how many nodes are route reflectors (rr only; default 3). */
  readonly reflectors?: number;
  /** networks splits the nodes over this many /16 LANs joined by one router (default 1). */
  readonly networks?: number;
  readonly blockSize?: number;
  readonly ipipMode?: 'Never' | 'Always' | 'CrossSubnet';
}

function nodeAddress(i: number, networks: number): { net: number; a: string } {
  const net = i % networks;
  const host = Math.floor(i / networks) + 10;
  return { net, a: `10.${net}.${host >> 8}.${host & 255}` };
}

/** clusterYaml writes the scenario text. */
export function clusterYaml(s: ClusterShape): string {
  const networks = s.networks ?? 1;
  const rr = s.topology === 'rr' ? (s.reflectors ?? 3) : 0;
  const out: string[] = [
    'apiVersion: calisim/v1',
    'kind: Cluster',
    'metadata:',
    `  name: gen-${s.topology}-${s.nodes}`,
    'spec:',
    '  networks:',
  ];
  for (let n = 0; n < networks; n++) out.push(`  - {name: lan${n}, cidr: 10.${n}.0.0/16, gateway: 10.${n}.0.1}`);
  if (networks > 1) {
    out.push('  routers:', '  - name: rtr', '    interfaces:');
    for (let n = 0; n < networks; n++) out.push(`    - {network: lan${n}, address: 10.${n}.0.1}`);
  } else {
    out.push('  routers:', '  - name: rtr', '    interfaces:', '    - {network: lan0, address: 10.0.0.1}');
  }
  out.push('  nodes:');
  for (let i = 0; i < s.nodes; i++) {
    const { net, a } = nodeAddress(i, networks);
    const extra = i < rr ? `, routeReflectorClusterID: 244.0.0.1, labels: {route-reflector: "true"}` : '';
    out.push(`  - {name: node-${i}, network: lan${net}, address: ${a}${extra}}`);
  }
  if (s.podsPerNode > 0) {
    out.push('  pods:');
    for (let i = 0; i < s.nodes; i++) for (let p = 0; p < s.podsPerNode; p++) out.push(`  - {name: pod-${i}-${p}, node: node-${i}}`);
  }
  out.push(
    '---',
    'apiVersion: projectcalico.org/v3',
    'kind: IPPool',
    'metadata:',
    '  name: default-ipv4-ippool',
    'spec:',
    '  cidr: 10.128.0.0/9',
    `  blockSize: ${s.blockSize ?? 26}`,
    `  ipipMode: ${s.ipipMode ?? 'Never'}`,
    '  vxlanMode: Never',
    '  natOutgoing: true',
    '  nodeSelector: all()',
  );
  if (s.topology === 'rr') {
    out.push(
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: BGPConfiguration',
      'metadata:',
      '  name: default',
      'spec:',
      '  nodeToNodeMeshEnabled: false',
      '  asNumber: 64512',
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: BGPPeer',
      'metadata:',
      '  name: peer-with-route-reflectors',
      'spec:',
      '  nodeSelector: all()',
      "  peerSelector: route-reflector == 'true'",
    );
  }
  return `${out.join('\n')}\n`;
}
