// Tests for src/tools/calicoctl/get.ts, ipam.ts and apply.ts: tables from calico-facts §7 and the
// seeds (seed 003's workload endpoints, calico#1591's nodes and bgpconfig), YAML/JSON of the
// seed 000 pool, per-version columns, ipam show percentages and the apply/patch messages.

import { formatApply, formatPatch, unsupportedKindError } from '../../../src/tools/calicoctl/apply.js';
import {
  formatGet,
  namespaceError,
  resourceNotFoundError,
  runGet,
  tableHeadings,
  type GetObject,
} from '../../../src/tools/calicoctl/get.js';
import { formatIpamShow, formatIpamShowIp } from '../../../src/tools/calicoctl/ipam.js';
import type {
  BGPConfiguration,
  BGPPeer,
  CalicoKind,
  CalicoNode,
  CalicoResource,
  IPPool,
  WorkloadEndpoint,
} from '../../../src/tools/calicoctl/resources.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

const POOL: IPPool = {
  kind: 'IPPool',
  metadata: {
    name: 'default-ipv4-ippool',
    uid: '4c3ea4b1-1f3d-4b0d-8a4e-5d1f2b3c4d5e',
    resourceVersion: '1024',
    creationTimestamp: '2025-05-16T12:30:02Z',
  },
  spec: {
    cidr: '10.233.0.0/16',
    vxlanMode: 'Never',
    ipipMode: 'Never',
    natOutgoing: true,
    blockSize: 24,
    nodeSelector: 'all()',
    allowedUses: ['Workload', 'Tunnel'],
  },
};

const list = (kind: CalicoKind, items: readonly CalicoResource[]): GetObject => ({ type: 'list', kind, items });

describe('calicoctl get tables', () => {
  it('prints ippools with the default columns', () => {
    expect(formatGet([list('IPPool', [POOL])], { output: 'ps' })).toBe(
      lines('NAME                  CIDR            SELECTOR   ', 'default-ipv4-ippool   10.233.0.0/16   all()      ', ''),
    );
  });

  it('prints ippools -o wide as v3.26–v3.29 do', () => {
    expect(formatGet([list('IPPool', [POOL])], { output: 'wide', version: 'v3.29' })).toBe(
      lines(
        'NAME                  CIDR            NAT    IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ',
        'default-ipv4-ippool   10.233.0.0/16   true   Never      Never       false      false              all()      ',
        '',
      ),
    );
  });

  it('adds ASSIGNMENTMODE in v3.30, which prints <nil> for an unset pointer', () => {
    expect(tableHeadings('IPPool', true, false, 'v3.30').at(-1)).toBe('ASSIGNMENTMODE');
    const out = formatGet([list('IPPool', [{ ...POOL, spec: { ...POOL.spec, assignmentMode: 'Automatic' } }, POOL])], {
      output: 'wide',
      version: 'v3.30',
    });
    expect(out.split('\n')[1].endsWith('all()      Automatic        ')).toBe(true);
    expect(out.split('\n')[2].endsWith('all()      <nil>            ')).toBe(true);
  });

  it('prints nodes -o wide with the global AS in parentheses (calico#1591)', () => {
    const node: CalicoNode = { kind: 'Node', metadata: { name: 'kvm335' }, spec: { bgp: { ipv4Address: '10.109.0.2/24' } } };
    expect(formatGet([list('Node', [node])], { output: 'wide' })).toBe(
      lines('NAME     ASN       IPV4            IPV6   ', 'kvm335   (64512)   10.109.0.2/24          ', ''),
    );
    expect(formatGet([list('Node', [node])], { output: 'ps' })).toBe(lines('NAME     ', 'kvm335   ', ''));
  });

  it('prints bgpconfig with - for unset pointers', () => {
    const cfg: BGPConfiguration = {
      kind: 'BGPConfiguration',
      metadata: { name: 'default' },
      spec: { logSeverityScreen: 'Info', nodeToNodeMeshEnabled: true, asNumber: 64512 },
    };
    const bare: BGPConfiguration = { kind: 'BGPConfiguration', metadata: { name: 'node.x' }, spec: {} };
    expect(formatGet([list('BGPConfiguration', [cfg, bare])], { output: 'ps' })).toBe(
      lines(
        'NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   ',
        'default   Info          true          64512      ',
        'node.x                  -             -          ',
        '',
      ),
    );
  });

  const wep = (pod: string, node: string, net: string, iface: string): WorkloadEndpoint => ({
    kind: 'WorkloadEndpoint',
    metadata: { name: `${node}-k8s-${pod.replace(/-/g, '--')}-eth0`, namespace: 'default' },
    spec: {
      orchestrator: 'k8s',
      node,
      pod,
      endpoint: 'eth0',
      ipNetworks: [net],
      profiles: ['kns.default', 'ksa.default.default'],
      interfaceName: iface,
    },
  });
  const WEPS = [
    wep('busybox-deployment-8c7dc8548-btnkv', 'node01', '192.168.196.131/32', 'calib673e730d42'),
    wep('busybox-deployment-8c7dc8548-x6ljh', 'controlplane', '192.168.49.66/32', 'cali9861acf9f07'),
  ];

  it('prints the workload endpoints of seed 003, padded to the end of the line', () => {
    expect(formatGet([list('WorkloadEndpoint', WEPS)], { output: 'ps' })).toBe(
      lines(
        'WORKLOAD                             NODE           NETWORKS             INTERFACE         ',
        'busybox-deployment-8c7dc8548-btnkv   node01         192.168.196.131/32   calib673e730d42   ',
        'busybox-deployment-8c7dc8548-x6ljh   controlplane   192.168.49.66/32     cali9861acf9f07   ',
        '',
      ),
    );
  });

  it('prints an empty list as its header line (seed 003 before any pod)', () => {
    expect(formatGet([list('WorkloadEndpoint', [])], { output: 'ps' })).toBe(lines('WORKLOAD   NODE   NETWORKS   INTERFACE   ', ''));
  });

  it('prepends NAMESPACE with -A for namespaced kinds only', () => {
    const out = formatGet([list('WorkloadEndpoint', WEPS.slice(0, 1))], { output: 'ps', printNamespace: true });
    expect(out.split('\n')[0]).toBe('NAMESPACE   WORKLOAD                             NODE     NETWORKS             INTERFACE         ');
    expect(tableHeadings('IPPool', false, true)).toEqual(['NAME', 'CIDR', 'SELECTOR']);
    expect(namespaceError('IPPool', true, '')).toBe('IPPool is not namespaced');
    expect(namespaceError('WorkloadEndpoint', true, 'kube-system')).toBe(
      'cannot use both --namespace and --all-namespaces flags at the same time',
    );
    expect(namespaceError('WorkloadEndpoint', false, 'kube-system')).toBeNull();
  });

  it('prints bgppeers with (global), the selector, or the node', () => {
    const peer = (name: string, spec: BGPPeer['spec']): BGPPeer => ({ kind: 'BGPPeer', metadata: { name }, spec });
    expect(
      formatGet(
        [
          list('BGPPeer', [
            peer('rr', { peerIP: '10.0.0.1', asNumber: 64512 }),
            peer('tor', { peerIP: '10.0.0.254', asNumber: 65001, nodeSelector: 'rack == "a"' }),
            peer('n1', { node: 'node01', peerIP: '10.0.0.2', asNumber: 64512 }),
          ]),
        ],
        {
          output: 'ps',
        },
      ),
    ).toBe(
      lines(
        'NAME   PEERIP       NODE          ASN     ',
        'rr     10.0.0.1     (global)      64512   ',
        'tor    10.0.0.254   rack == "a"   65001   ',
        'n1     10.0.0.2     node01        64512   ',
        '',
      ),
    );
  });

  it('prints one table per named resource', () => {
    const out = formatGet(
      [
        { type: 'resource', resource: POOL },
        { type: 'resource', resource: { ...POOL, metadata: { name: 'p2' }, spec: { cidr: '10.9.0.0/16' } } },
      ],
      { output: 'ps' },
    );
    expect(out).toBe(
      lines(
        'NAME                  CIDR            SELECTOR   ',
        'default-ipv4-ippool   10.233.0.0/16   all()      ',
        '',
        'NAME   CIDR          SELECTOR   ',
        'p2     10.9.0.0/16              ',
        '',
      ),
    );
  });
});

describe('calicoctl get -o yaml / json', () => {
  it('writes a named pool as one document with sorted keys and quoted timestamps', () => {
    expect(formatGet([{ type: 'resource', resource: POOL }], { output: 'yaml' })).toBe(
      lines(
        'apiVersion: projectcalico.org/v3',
        'kind: IPPool',
        'metadata:',
        '  creationTimestamp: "2025-05-16T12:30:02Z"',
        '  name: default-ipv4-ippool',
        '  resourceVersion: "1024"',
        '  uid: 4c3ea4b1-1f3d-4b0d-8a4e-5d1f2b3c4d5e',
        'spec:',
        '  allowedUses:',
        '  - Workload',
        '  - Tunnel',
        '  blockSize: 24',
        '  cidr: 10.233.0.0/16',
        '  ipipMode: Never',
        '  natOutgoing: true',
        '  nodeSelector: all()',
        '  vxlanMode: Never',
      ),
    );
  });

  it('writes a list as an IPPoolList with items', () => {
    const out = formatGet([{ type: 'list', kind: 'IPPool', items: [POOL], resourceVersion: '2048' }], { output: 'yaml' });
    expect(
      out.startsWith('apiVersion: projectcalico.org/v3\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n  metadata:\n'),
    ).toBe(true);
    expect(out.endsWith('    vxlanMode: Never\nkind: IPPoolList\nmetadata:\n  resourceVersion: "2048"\n')).toBe(true);
  });

  it('writes JSON in struct order, kind first, with a zero creationTimestamp as null', () => {
    const out = formatGet(
      [{ type: 'resource', resource: { kind: 'Node', metadata: { name: 'node01' }, spec: { bgp: { ipv4Address: '172.17.0.40/16' } } } }],
      { output: 'json' },
    );
    expect(out).toBe(
      '{\n  "kind": "Node",\n  "apiVersion": "projectcalico.org/v3",\n  "metadata": {\n    "name": "node01",\n    "creationTimestamp": null\n  },\n' +
        '  "spec": {\n    "bgp": {\n      "ipv4Address": "172.17.0.40/16"\n    }\n  },\n  "status": {}\n}\n',
    );
  });

  it('writes null for no results and fails with the errors after the output', () => {
    expect(runGet([], [resourceNotFoundError('IPPool', 'foo')], { output: 'yaml' })).toEqual({
      stdout: 'null\n',
      stderr: 'resource does not exist: IPPool(foo) with error: ippools.crd.projectcalico.org "foo" not found\n',
      exitStatus: 1,
    });
  });
});

describe('calicoctl ipam show', () => {
  it('prints pools with %.5g counts and %.f%% shares, blocks with --show-blocks', () => {
    const pools = [
      {
        cidr: '10.233.0.0/16',
        blocks: [
          { cidr: '10.233.133.0/24', capacity: 256, available: 253 },
          { cidr: '10.233.80.0/24', capacity: 256, available: 255 },
        ],
      },
    ];
    expect(formatIpamShow(pools, true)).toBe(
      lines(
        '+----------+-----------------+-----------+------------+--------------+',
        '| GROUPING |      CIDR       | IPS TOTAL | IPS IN USE |   IPS FREE   |',
        '+----------+-----------------+-----------+------------+--------------+',
        '| IP Pool  | 10.233.0.0/16   |     65536 | 4 (0%)     | 65532 (100%) |',
        '| Block    | 10.233.133.0/24 |       256 | 3 (1%)     | 253 (99%)    |',
        '| Block    | 10.233.80.0/24  |       256 | 1 (0%)     | 255 (100%)   |',
        '+----------+-----------------+-----------+------------+--------------+',
      ),
    );
    expect(formatIpamShow([{ cidr: '10.0.0.0/8', blocks: [] }], false)).toContain(
      '| IP Pool  | 10.0.0.0/8 | 1.6777e+07 | 0 (0%)     | 1.6777e+07 (100%) |',
    );
  });

  it('answers --ip', () => {
    expect(formatIpamShowIp('10.233.133.9', { assigned: false })).toBe('10.233.133.9 is not assigned\n');
    expect(formatIpamShowIp('10.233.133.2', { assigned: true, attributes: new Map([['node', '10-23-14-110']]) })).toBe(
      'IP 10.233.133.2 is in use\nAttributes:\n  node: 10-23-14-110\n',
    );
  });
});

describe('calicoctl apply / patch', () => {
  it('reports success as apply.go does (seed 003)', () => {
    expect(formatApply({ numResources: 1, numHandled: 1, singleKind: 'IPPool', resErrs: [] })).toEqual({
      stdout: "Successfully applied 1 'IPPool' resource(s)\n",
      stderr: '',
      exitStatus: 0,
    });
    expect(formatApply({ numResources: 2, numHandled: 2, singleKind: '', resErrs: [] }).stdout).toBe(
      'Successfully applied 2 resource(s)\n',
    );
  });

  it('reports failures on stderr with status 1', () => {
    expect(formatApply({ numResources: 1, numHandled: 0, singleKind: 'IPPool', resErrs: ['boom'] })).toEqual({
      stdout: '',
      stderr: "Failed to apply 'IPPool' resource: [boom]\n",
      exitStatus: 1,
    });
    expect(
      formatApply({ fileError: 'open x.yaml: no such file or directory', numResources: 0, numHandled: 0, singleKind: '', resErrs: [] })
        .stderr,
    ).toBe('Failed to execute command: open x.yaml: no such file or directory\n');
    expect(formatApply({ numResources: 3, numHandled: 2, singleKind: 'IPPool', resErrs: ['e'] })).toEqual({
      stdout: "Partial success: applied the first 2 out of 3 'IPPool' resources:\n",
      stderr: 'Hit error(s): [e]\n',
      exitStatus: 1,
    });
    expect(formatPatch({ numResources: 1, numHandled: 1, singleKind: 'Node', resErrs: [] }).stdout).toBe(
      "Successfully patched 1 'Node' resource\n",
    );
    expect(unsupportedKindError('foo')).toBe("resource type 'foo' is not supported");
  });
});
