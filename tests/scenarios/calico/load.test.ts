// Tests for src/scenarios/calico/load.ts: loading scenarios as calicoctl and kubectl print resources,
// every error a `FILE:LINE: PATH: message` line at the offending node.

import { formatCidr, formatIpv4, parseIpv4 } from '../../../src/model/addr.js';
import { loadScenario, type Scenario } from '../../../src/scenarios/calico/load.js';

const CLUSTER = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: two-nodes}
spec:
  startTime: "2025-05-16T03:24:00Z"
  networks: [{name: lan0, cidr: 10.23.14.0/24, gateway: 10.23.14.1}, {name: lanB, cidr: 192.168.200.0/24, gateway: 192.168.200.1}]
  routers: [{name: rtr, interfaces: [{network: lan0, address: 10.23.14.1}, {network: lanB, address: 192.168.200.1}]}]
  nodes: [{name: n110, network: lan0, address: 10.23.14.110, interface: eth0, mac: 00:50:56:a9:e1:02}]
  pods: [{name: zlw-01, namespace: default, node: n110, ip: 10.233.133.2, mac: 4a:8d:0e:93:6a:39, image: busybox, ports: [80]}]
`;

/** SEED000_POOL is the IPPool of seed 000 as `kubectl get IPPool -oyaml` prints it, server fields included. */
const SEED000_POOL = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  annotations:
    projectcalico.org/metadata: '{"creationTimestamp":null}'
  creationTimestamp: "2025-05-16T03:20:11Z"
  generation: 1
  name: default-ipv4-ippool
  resourceVersion: "1385"
  uid: 0c8e2b06-6a53-4a0c-9d0f-2d7c1e5a2f11
spec:
  allowedUses:
  - Workload
  - Tunnel
  blockSize: 24
  cidr: 10.233.0.0/16
  ipipMode: Never
  natOutgoing: true
  nodeSelector: all()
  vxlanMode: Never
`;

/** BASE is the Cluster and seed 000's pool: 30 lines, so a document after `---` starts at line 32. */
const BASE = `${CLUSTER}---\n${SEED000_POOL}`;

function load(text: string): Scenario {
  const r = loadScenario(text, 'x.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

function errorsOf(text: string): readonly string[] {
  const r = loadScenario(text, 'x.yaml');
  return r.ok ? [] : r.errors;
}

const ip = (s: string) => parseIpv4(s)!;

describe('loading', () => {
  it('loads the Cluster example with its defaults', () => {
    const s = load(CLUSTER.replace('ip: 10.233.133.2, ', ''));
    const ds = s.datastore;
    expect(s.cluster.name).toBe('two-nodes');
    expect(ds.startTime).toBe(1747365840);
    expect(ds.nodes.map((n) => [n.name, formatIpv4(n.address), n.interface, n.mtu, n.state])).toEqual([
      ['n110', '10.23.14.110', 'eth0', 1500, 'ready'],
    ]);
    expect(ds.pods[0]).toMatchObject({
      name: 'zlw-01',
      namespace: 'default',
      image: 'busybox',
      hostInterface: 'calife4cf73bf2a',
      ports: [80],
    });
    // No IPPool document: calico-node creates default-ipv4-ippool from CALICO_IPV4POOL_* defaults.
    expect(ds.pools.map((p) => [p.name, formatCidr(p.cidr), p.blockSize, p.ipipMode, p.natOutgoing])).toEqual([
      ['default-ipv4-ippool', '192.168.0.0/16', 26, 'Never', true],
    ]);
    expect(ds.bgp).toMatchObject({ asNumber: 64512, nodeToNodeMesh: true });
    expect(ds.version).toBe('v3.30');
  });

  it("fails a pod address outside every pool with IPAM's message", () => {
    // Without an IPPool the pool is calico-node's 192.168.0.0/16, which 10.233.133.2 is not in.
    expect(errorsOf(CLUSTER)).toEqual(['x.yaml:9: spec.pods[0].ip: The provided IP address is not in a configured pool']);
  });

  it('loads seed 000 with its kubectl-printed IPPool', () => {
    const s = load(`${CLUSTER}---\n${SEED000_POOL}`);
    expect(s.ipPools).toHaveLength(1);
    expect(s.ipPools[0].apiVersion).toBe('crd.projectcalico.org/v1');
    expect(s.datastore.pools[0]).toMatchObject({
      name: 'default-ipv4-ippool',
      blockSize: 24,
      natOutgoing: true,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
    });
    expect(s.ipam.podIps.get('default/zlw-01')).toBe(ip('10.233.133.2'));
    expect(s.ipPools[0].lineOf(['spec', 'cidr'])).toBe(26);
  });

  it('takes a calicoctl list, a kubectl List and a YAML sequence of resources', () => {
    const calicoctlList = `apiVersion: projectcalico.org/v3
kind: IPPoolList
items:
- apiVersion: projectcalico.org/v3
  kind: IPPool
  metadata: {name: a}
  spec: {cidr: 10.233.0.0/16, blockSize: 24}
metadata: {resourceVersion: "77"}
`;
    const kubectlList = `apiVersion: v1
kind: List
items:
- apiVersion: crd.projectcalico.org/v1
  kind: BGPConfiguration
  metadata: {name: default}
  spec: {asNumber: 64513, nodeToNodeMeshEnabled: true}
metadata: {resourceVersion: ""}
`;
    const sequence = `- apiVersion: projectcalico.org/v3
  kind: BGPPeer
  metadata: {name: tor}
  spec: {peerIP: 10.23.14.1, asNumber: 65001}
`;
    const s = load([CLUSTER, calicoctlList, kubectlList, sequence].join('---\n').replace('ip: 10.233.133.2, ', ''));
    expect(s.ipPools.map((p) => [p.name, p.path])).toEqual([['a', ['items', 0]]]);
    expect(s.datastore.bgp.asNumber).toBe(64513);
    expect(s.bgpPeers.map((p) => p.name)).toEqual(['tor']);
  });

  it('matches Calico fields case-insensitively, as encoding/json does', () => {
    const s = load(
      `${CLUSTER}---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: {CIDR: 10.233.0.0/16, BlockSize: 24, IPIPMode: Never}\n`,
    );
    expect(s.datastore.pools).toHaveLength(1);
    expect(s.datastore.pools[0]).toMatchObject({ blockSize: 24, ipipMode: 'Never' });
  });

  it('turns YAML numbers and booleans into strings in string fields (go-yaml-wrapper)', () => {
    const s = load(`${BASE}---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: n110, labels: {routeReflector: true, version: 1.10, rack: 7}}
spec: {bgp: {ipv4Address: 10.23.14.110/24, routeReflectorClusterID: 224.0.0.1}}
`);
    const labels = s.datastore.nodes[0].labels;
    expect([labels.get('routeReflector'), labels.get('version'), labels.get('rack')]).toEqual(['true', '1.1', '7']);
    expect(s.datastore.nodes[0].routeReflectorClusterID).toBe('224.0.0.1');
  });

  it('reads yes/no booleans as yaml.v2 does', () => {
    const s = load(
      `${BASE}---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: no}\n`,
    );
    expect(s.datastore.bgp.nodeToNodeMesh).toBe(false);
  });
});

describe('errors', () => {
  it.each<[string, string, string[]]>([
    [
      'an unknown field in a Calico spec',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 10.240.0.0/16\n  colour: blue\n',
      ['x.yaml:6: spec.colour: json: unknown field "colour"'],
    ],
    [
      'a wrongly typed Calico field',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 10.240.0.0/16\n  blockSize: "24"\n',
      ['x.yaml:6: spec.blockSize: json: cannot unmarshal string into Go struct field IPPoolSpec.spec.blockSize of type int'],
    ],
    [
      'a fractional block size',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.240.0.0/16, blockSize: 26.5}\n',
      ['x.yaml:4: spec.blockSize: json: cannot unmarshal number 26.5 into Go struct field IPPoolSpec.spec.blockSize of type int'],
    ],
    [
      'a label value that is a mapping',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels:\n    a: {b: c}\nspec: {cidr: 10.240.0.0/16}\n',
      ['x.yaml:6: metadata.labels.a: json: cannot unmarshal object into Go struct field ObjectMeta.metadata.labels of type string'],
    ],
    [
      'an AS number in an unknown format',
      'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIP: 10.23.14.1, asNumber: 64.5x}\n',
      ['x.yaml:4: spec.asNumber: invalid AS Number format (64.5x)'],
    ],
    [
      'a duplicate key',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 10.240.0.0/16\n  cidr: 10.241.0.0/16\n',
      ['x.yaml:6: spec.cidr: mapping key "cidr" already defined at line 36'],
    ],
    [
      'a Calico validation failure',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec:\n  cidr: 10.240.0.1/16\n',
      ["x.yaml:5: spec.cidr: error with field IPPool.Spec.CIDR = '10.240.0.0/16' (IPPool CIDR is not strictly masked)"],
    ],
    [
      'an unknown kind',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
      ['x.yaml:1: kind: Unknown resource type (Deployment) and/or version (apps/v1)'],
    ],
    [
      'a Calico kind calisim does not model',
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: d}\n',
      ['x.yaml:1: kind: kind GlobalNetworkPolicy (projectcalico.org/v3) is not modelled by calisim'],
    ],
    [
      'a crd Node',
      'apiVersion: crd.projectcalico.org/v1\nkind: Node\nmetadata: {name: d}\n',
      [
        'x.yaml:1: kind: kind Node (crd.projectcalico.org/v1) is not modelled by calisim (the Kubernetes datastore has no Node CRD: use projectcalico.org/v3 Node)',
      ],
    ],
    [
      'a document that is not a mapping',
      'just words\n',
      ['x.yaml:1: a document must be a resource (a mapping) or a sequence of resources'],
    ],
    ['a resource without kind', 'apiVersion: projectcalico.org/v3\nmetadata: {name: d}\n', ['x.yaml:1: a resource needs kind']],
  ])('reports %s', (_what, doc, want) => {
    expect(errorsOf(`${BASE}---\n${doc}`)).toEqual(want.map((w) => w.replace(/^x\.yaml:(\d+)/, (_, n) => `x.yaml:${Number(n) + 31}`)));
  });

  it('reports a YAML syntax error at its line', () => {
    expect(errorsOf(`${BASE}---\nfoo: [\n`)).toEqual([
      'x.yaml:33: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('requires exactly one Cluster', () => {
    expect(errorsOf(SEED000_POOL)).toEqual(['x.yaml:1: no calisim/v1 Cluster document']);
    expect(errorsOf(`${BASE}---\n${CLUSTER.replace('two-nodes', 'again')}`)).toEqual([
      'x.yaml:32: a second Cluster ("again"); the first is at line 1',
    ]);
  });

  it('reports Cluster problems at the offending node', () => {
    const bad = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: bad}
spec:
  networks:
  - {name: lan0, cidr: 10.23.14.5/24}
  nodes:
  - {name: n1, network: lan0, address: 10.23.14.1, mac: 01:00:5e:00:00:01}
  - {name: n2, network: lan0, address: 10.23.14.2, colour: red}
  - {name: n3, network: lan0, address: 10.23.14.3, interface: "a\\tb"}
  - {name: N4, network: lan0}
`;
    expect(errorsOf(bad)).toEqual([
      'x.yaml:6: spec.networks[0].cidr: "10.23.14.5/24" is not a network address (did you mean 10.23.14.0/24?)',
      'x.yaml:8: spec.nodes[0].mac: MAC address "01:00:5e:00:00:01" is a multicast address',
      'x.yaml:9: spec.nodes[1].colour: unknown field "colour"',
      "x.yaml:10: spec.nodes[2].interface: invalid interface name \"a\\tb\": 1 to 15 bytes, no '/', ':' or whitespace",
      'x.yaml:11: spec.nodes[3].address: required field is missing',
      "x.yaml:11: spec.nodes[3].name: invalid name \"N4\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  it('cross-checks names and addresses', () => {
    const bad = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: bad}
spec:
  networks:
  - {name: lan0, cidr: 10.23.14.0/24, gateway: 10.23.15.1}
  - {name: lan1, cidr: 10.23.14.128/25}
  routers:
  - {name: n1, interfaces: [{network: lan0, address: 10.23.14.1}]}
  nodes:
  - {name: n1, network: lan0, address: 10.23.14.1}
  - {name: n2, network: lanX, address: 10.23.14.2}
  - {name: n3, network: lan0, address: 10.23.14.255}
  pods:
  - {name: p, node: n9}
  - {name: p, node: n3, ip: 10.9.9.9}
`;
    expect(errorsOf(bad)).toEqual([
      'x.yaml:6: spec.networks[0].gateway: gateway 10.23.15.1 is not a host address of 10.23.14.0/24',
      'x.yaml:7: spec.networks[1].cidr: 10.23.14.128/25 overlaps network "lan0" (10.23.14.0/24, line 6)',
      'x.yaml:11: spec.nodes[0].name: name "n1" is already used by router "n1" (line 9)',
      'x.yaml:11: spec.nodes[0].address: address 10.23.14.1 is already used by router "n1" (line 9)',
      'x.yaml:12: spec.nodes[1].network: unknown network "lanX"',
      'x.yaml:13: spec.nodes[2].address: address 10.23.14.255 is not a host address of network "lan0" (10.23.14.0/24)',
      'x.yaml:15: spec.pods[0].node: unknown node "n9"',
      'x.yaml:16: spec.pods[1].name: pod default/p is already defined at line 15',
      'x.yaml:16: spec.pods[1].ip: The provided IP address is not in a configured pool',
    ]);
  });

  it('cross-checks Calico resources against the Cluster', () => {
    const docs = `---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: n999}
---
apiVersion: projectcalico.org/v3
kind: Node
metadata: {name: n110}
spec: {bgp: {ipv4Address: 10.23.14.111/24}}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: something}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: p}
spec: {node: n2, peerIP: 10.23.14.1}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: p}
spec: {peerIP: 10.23.14.1, asNumber: 1, password: {secretKeyRef: {name: s, key: k}}}
`;
    expect(errorsOf(BASE + docs)).toEqual([
      'x.yaml:34: metadata.name: Node "n999" is not a node of Cluster "two-nodes"',
      "x.yaml:39: spec.bgp.ipv4Address: 10.23.14.111/24 is not the address calico-node detects on n110's eth0 (10.23.14.110/24)",
      'x.yaml:43: metadata.name: BGPConfiguration must be named "default" or "node.<nodename>", not "something"',
      'x.yaml:48: spec.node: node "n2" is not a node of the Cluster',
      'x.yaml:48: spec.asNumber: a peerIP needs an asNumber (confd would write `as 0`, which BIRD rejects)',
      'x.yaml:52: metadata.name: BGPPeer "p" is already defined at line 45',
      'x.yaml:53: spec.password.secretKeyRef: no key "k" in secret "s" (add it to the Cluster\'s spec.secrets)',
    ]);
  });

  it('escapes control characters and cuts long values in messages', () => {
    const long = 'x'.repeat(300);
    expect(
      errorsOf(
        `${BASE}---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIP: 10.23.14.1, asNumber: 1, "a\\u0007b": 1, ${long}: 2}\n`,
      ),
    ).toEqual([
      'x.yaml:35: spec["a\\ab"]: json: unknown field "a\\ab"',
      `x.yaml:35: spec["${'x'.repeat(256)}…"]: json: unknown field "${'x'.repeat(256)}…"`,
    ]);
  });

  it('reports IPAM failures at the pod that asked', () => {
    const two = CLUSTER.replace('pods: [', 'pods: [{name: a, node: n110, ip: 10.233.133.2}, ');
    expect(errorsOf(`${two}---\n${SEED000_POOL}`)).toEqual([
      'x.yaml:9: spec.pods[1].ip: resource already exists: 10.233.133.2 (pod default/a has it)',
    ]);
  });

  it('reports a pinned block that does not fit the pool', () => {
    const pinned = CLUSTER.replace('mac: 00:50:56:a9:e1:02}', 'mac: 00:50:56:a9:e1:02, blocks: [10.233.133.0/26, 10.99.0.0/24]}');
    expect(errorsOf(`${pinned}---\n${SEED000_POOL}`)).toEqual([
      "x.yaml:8: spec.nodes[0].blocks[0]: block 10.233.133.0/26 does not have IPPool default-ipv4-ippool's block size /24",
      'x.yaml:8: spec.nodes[0].blocks[1]: block 10.99.0.0/24 is not inside any IPPool',
    ]);
  });
});

describe('Cluster features', () => {
  it('carries sysctls, state, MTU, AS, route reflection, external peers and secrets', () => {
    const s = load(`apiVersion: calisim/v1
kind: Cluster
metadata: {name: full}
spec:
  calico: {version: v3.29, routerID: hash, vethMTU: 1400, interfacePrefix: tap}
  networks: [{name: lan, cidr: 10.0.0.0/24, gateway: 10.0.0.1}, {name: wan, cidr: 10.9.0.0/24}]
  routers: [{name: tor, interfaces: [{network: lan, address: 10.0.0.1}, {network: wan, address: 10.9.0.1}]}]
  nodes:
  - name: a
    network: lan
    address: 10.0.0.10
    mtu: 9000
    asNumber: "1.10"
    routeReflectorClusterID: 224.0.0.1
    state: down
    sysctls: {net.ipv4.tcp_rmem: "4096 87380 6291456", net.core.rmem_max: 212992}
  externalPeers:
  - {name: tor-bgp, software: bird, router: tor, address: 10.0.0.1, asNumber: 65001}
  - {name: rr, software: gobgp, network: wan, address: 10.9.0.5, asNumber: 64512, routerID: 10.9.0.5}
  secrets: [{name: bgp, data: {password: s3cret}}]
  pods: [{name: p, node: a}]
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: tor}
spec: {peerIP: 10.0.0.1, asNumber: 65001, password: {secretKeyRef: {name: bgp, key: password}}}
`);
    const ds = s.datastore;
    const a = ds.nodes[0];
    expect([a.mtu, a.asNumber, a.routeReflectorClusterID, a.state]).toEqual([9000, 65546, '224.0.0.1', 'down']);
    expect([...a.sysctls]).toEqual([
      ['net.ipv4.tcp_rmem', '4096 87380 6291456'],
      ['net.core.rmem_max', '212992'],
    ]);
    expect(ds.externalPeers.map((p) => p.name)).toEqual(['tor-bgp', 'rr']);
    expect(ds.peers[0]).toMatchObject({ password: 's3cret', asNumber: 65001 });
    expect([ds.version, ds.routerID, ds.vethMTU]).toEqual(['v3.29', 'hash', 1400]);
    expect(ds.pods[0].hostInterface).toMatch(/^tap[0-9a-f]{11}$/);
  });

  it('checks external peers against routers and networks', () => {
    const base = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: x}
spec:
  networks: [{name: lan, cidr: 10.0.0.0/24}]
  routers: [{name: tor, interfaces: [{network: lan, address: 10.0.0.1}]}]
  nodes: [{name: a, network: lan, address: 10.0.0.10}]
  externalPeers:
`;
    expect(errorsOf(`${base}  - {name: p, software: bird, router: tor, address: 10.0.0.2, asNumber: 1}\n`)).toEqual([
      'x.yaml:9: spec.externalPeers[0].address: address 10.0.0.2 is not one of router "tor"\'s addresses',
    ]);
    expect(errorsOf(`${base}  - {name: p, software: bird, address: 10.0.0.2, asNumber: 1}\n`)).toEqual([
      'x.yaml:9: spec.externalPeers[0]: an external peer needs exactly one of router (it runs on a router) and network (it is a host)',
    ]);
    expect(errorsOf(`${base}  - {name: p, software: frr, network: lan, address: 10.0.0.10, asNumber: 1}\n`)).toEqual([
      'x.yaml:9: spec.externalPeers[0].software: invalid software "frr": must be bird or gobgp',
    ]);
    expect(errorsOf(`${base}  - {name: p, software: gobgp, network: lan, address: 10.0.0.10, asNumber: 1}\n`)).toEqual([
      'x.yaml:9: spec.externalPeers[0].address: address 10.0.0.10 is already used by node "a" (line 7)',
    ]);
  });
});

describe('text shapes', () => {
  it('reports an empty text as a missing Cluster', () => {
    expect(errorsOf('')).toEqual(['x.yaml:1: no calisim/v1 Cluster document']);
  });

  it('counts lines the same with CRLF line ends', () => {
    const crlf =
      `${BASE}---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIP: 10.23.14.1, asNumber: 1, colour: x}\n`.replaceAll(
        '\n',
        '\r\n',
      );
    expect(errorsOf(crlf)).toEqual(['x.yaml:35: spec.colour: json: unknown field "colour"']);
  });
});
