// Random Calico clusters for property tests: 1–30 nodes on 1–3 LANs joined by a router, 0–2 pods per
// node, the node-to-node mesh or route reflectors, one pool with a random IPIP mode. Written as the
// scenario YAML a person would write, so the loader is exercised too.

import fc from 'fast-check';

/** RandomCluster is the shape of a generated cluster. */
export interface RandomCluster {
  readonly nodes: number;
  readonly networks: number;
  readonly pods: readonly number[];
  readonly topology: 'mesh' | 'rr';
  readonly reflectors: number;
  readonly ipipMode: 'Never' | 'Always' | 'CrossSubnet';
}

/** arbCluster draws a cluster. */
export function arbCluster(maxNodes = 30): fc.Arbitrary<RandomCluster> {
  return fc.integer({ min: 1, max: maxNodes }).chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      networks: fc.integer({ min: 1, max: Math.min(3, nodes) }),
      pods: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nodes, maxLength: nodes }),
      topology: fc.constantFrom<'mesh' | 'rr'>('mesh', 'rr'),
      reflectors: fc.integer({ min: 1, max: Math.min(3, nodes) }),
      ipipMode: fc.constantFrom<'Never' | 'Always' | 'CrossSubnet'>('Never', 'Always', 'CrossSubnet'),
    }),
  );
}

/** nodeNetwork is the LAN node i is on. */
export function nodeNetwork(c: RandomCluster, i: number): number {
  return i % c.networks;
}

/** nodeAddress is node i's address. */
export function nodeAddress(c: RandomCluster, i: number): string {
  return `10.${nodeNetwork(c, i)}.0.${10 + Math.floor(i / c.networks)}`;
}

/** clusterText writes the scenario, with `topology` overriding the cluster's own. */
export function clusterText(c: RandomCluster, topology: 'mesh' | 'rr' = c.topology): string {
  const out = ['apiVersion: calisim/v1', 'kind: Cluster', 'metadata: {name: random}', 'spec:', '  networks:'];
  for (let n = 0; n < c.networks; n++) out.push(`  - {name: lan${n}, cidr: 10.${n}.0.0/24, gateway: 10.${n}.0.1}`);
  out.push('  routers:', '  - name: rtr', '    interfaces:');
  for (let n = 0; n < c.networks; n++) out.push(`    - {network: lan${n}, address: 10.${n}.0.1}`);
  out.push('  nodes:');
  for (let i = 0; i < c.nodes; i++) {
    const rr = topology === 'rr' && i < c.reflectors ? ', routeReflectorClusterID: 244.0.0.1, labels: {route-reflector: "true"}' : '';
    out.push(`  - {name: node-${i}, network: lan${nodeNetwork(c, i)}, address: ${nodeAddress(c, i)}${rr}}`);
  }
  const pods = c.pods.flatMap((k, i) => Array.from({ length: k }, (_, j) => `  - {name: pod-${i}-${j}, node: node-${i}, ports: [80]}`));
  if (pods.length > 0) out.push('  pods:', ...pods);
  out.push('---', 'apiVersion: projectcalico.org/v3', 'kind: IPPool', 'metadata: {name: default-ipv4-ippool}', 'spec:');
  out.push(
    '  cidr: 10.200.0.0/16',
    '  blockSize: 26',
    `  ipipMode: ${c.ipipMode}`,
    '  vxlanMode: Never',
    '  natOutgoing: true',
    '  nodeSelector: all()',
  );
  if (topology === 'rr') {
    out.push(
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: BGPConfiguration',
      'metadata: {name: default}',
      'spec: {nodeToNodeMeshEnabled: false}',
    );
    out.push(
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: BGPPeer',
      'metadata: {name: peer-with-rrs}',
      'spec:',
      '  nodeSelector: all()',
    );
    out.push("  peerSelector: route-reflector == 'true'");
  }
  return `${out.join('\n')}\n`;
}
