// Tests for src/scenarios/calico/validation.ts: Calico's defaults and its validation messages
// (clientv3 validateAndSetDefaults, validator/v3, apimachinery name rules).

import { formatCidr, parseCidr } from '../../../src/model/addr.js';
import type { BGPConfiguration, BGPPeer, CalicoNode, FelixConfiguration, IPPool } from '../../../src/scenarios/calico/resources.js';
import {
  formatErroredField,
  formatErrorValidation,
  isQualifiedName,
  isValidLabelValue,
  parseGoCIDR,
  parseGoMAC,
  parsePeerIP,
  validateBGPConfiguration,
  validateBGPPeer,
  validateBlockAffinity,
  validateFelixConfiguration,
  validateIPAMConfiguration,
  validateIPPool,
  validateNode,
  type CalicoFieldError,
  type DefaultedIPPool,
} from '../../../src/scenarios/calico/validation.js';

const messages = (errs: readonly CalicoFieldError[]) => errs.map(formatErroredField);

function pool(spec: NonNullable<IPPool['spec']>, name = 'p', labels?: Map<string, string>): IPPool {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name, labels }, spec };
}

function poolErrors(spec: NonNullable<IPPool['spec']>, created: DefaultedIPPool[] = [], name = 'p'): string[] {
  const r = validateIPPool(pool(spec, name), created);
  return r.ok ? [] : messages(r.errors);
}

describe('IPPool', () => {
  it("applies Calico's defaults", () => {
    const r = validateIPPool(pool({ cidr: '10.233.0.0/16' }), []);
    expect(r.ok && r.pool).toEqual({
      name: 'p',
      cidr: parseCidr('10.233.0.0/16'),
      blockSize: 26,
      ipipMode: 'Never',
      vxlanMode: 'Never',
      natOutgoing: false,
      disabled: false,
      disableBGPExport: false,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    });
  });

  it.each<[string, NonNullable<IPPool['spec']>, string[]]>([
    ['no CIDR', {}, ['IPPool.Spec.CIDR (IPPool CIDR must be specified)']],
    ['an unparsable CIDR', { cidr: '10.233.0.0' }, ["IPPool.Spec.CIDR = '10.233.0.0' (IPPool CIDR must be a valid subnet)"]],
    ['leading zeros', { cidr: '010.233.0.0/16' }, ["IPPool.Spec.CIDR = '010.233.0.0/16' (IPPool CIDR must be a valid subnet)"]],
    ['an IPv6 pool', { cidr: 'fd00::/64' }, ["IPPool.Spec.CIDR = 'fd00::/64' (IPv6 IP pools are not modelled by calisim)"]],
    ['host bits', { cidr: '10.233.0.1/16' }, ["IPPool.Spec.CIDR = '10.233.0.0/16' (IPPool CIDR is not strictly masked)"]],
    [
      'a block size of 19',
      { cidr: '10.0.0.0/8', blockSize: 19 },
      ["IPPool.Spec.BlockSize = '19' (IPv4 block size must be between 20 and 32)"],
    ],
    [
      'a block size of 33',
      { cidr: '10.0.0.0/8', blockSize: 33 },
      ["IPPool.Spec.BlockSize = '33' (IPv4 block size must be between 20 and 32)"],
    ],
    [
      'a pool smaller than a block',
      { cidr: '10.0.0.0/28' },
      [
        "IPPool.Spec.CIDR = '10.0.0.0/28' (IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.)",
      ],
    ],
    [
      'both encapsulations',
      { cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'CrossSubnet' },
      ["IPPool.Spec.VXLANMode = 'CrossSubnet' (Cannot enable both VXLAN and IPIP on the same IPPool)"],
    ],
    [
      'link-local addresses',
      { cidr: '169.254.0.0/16' },
      ["IPPool.Spec.CIDR = '169.254.0.0/16' (IPPool CIDR overlaps with IPv4 Link Local range 169.254.0.0/16)"],
    ],
    [
      'an unknown IPIP mode',
      { cidr: '10.0.0.0/16', ipipMode: 'always' },
      ["IPIPMode = 'always' (Reason: failed to validate Field: IPIPMode because of Tag: ipIpMode )"],
    ],
    [
      'an unknown VXLAN mode',
      { cidr: '10.0.0.0/16', vxlanMode: 'Sometimes' },
      ["VXLANMode = 'Sometimes' (Reason: failed to validate Field: VXLANMode because of Tag: vxlanMode )"],
    ],
    [
      'a bad node selector',
      { cidr: '10.0.0.0/16', nodeSelector: 'has(' },
      ["NodeSelector = 'has(' (Reason: failed to validate Field: NodeSelector because of Tag: selector )"],
    ],
    [
      'the v1 ipip field',
      { cidr: '10.0.0.0/16', ipip: { enabled: true, mode: 'always' } },
      ["IPIP = '&{true always}' (Reason: failed to validate Field: IPIP because of Tag: mustBeNil )"],
    ],
    [
      'the v1 nat-outgoing field',
      { cidr: '10.0.0.0/16', 'nat-outgoing': true },
      ["NATOutgoingV1 = 'true' (Reason: failed to validate Field: NATOutgoingV1 because of Tag: mustBeFalse )"],
    ],
    [
      'an unknown use',
      { cidr: '10.0.0.0/16', allowedUses: ['Workload', 'Pets'] },
      ["IPpool.AllowedUses = '[Workload Pets]' (unknown use: Pets)"],
    ],
    [
      'LoadBalancer with Tunnel',
      { cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer', 'Tunnel'] },
      ["IPpool.AllowedUses = '[LoadBalancer Tunnel]' (LoadBalancer cannot be used at the same time as: Tunnel)"],
    ],
    [
      'an unknown assignment mode',
      { cidr: '10.0.0.0/16', assignmentMode: 'Sometimes' },
      ["AssignmentMode = 'Sometimes' (Reason: failed to validate Field: AssignmentMode because of Tag: assignmentMode )"],
    ],
  ])('refuses %s', (_what, spec, want) => {
    expect(poolErrors(spec)).toEqual(want);
  });

  it('checks overlaps against the pools created before, as a Create does', () => {
    const first = validateIPPool(pool({ cidr: '10.233.0.0/16' }, 'first'), []);
    if (!first.ok) throw new Error('first pool');
    expect(poolErrors({ cidr: '10.233.128.0/17' }, [first.pool], 'second')).toEqual([
      "IPPool.Spec.CIDR = '10.233.128.0/17' (IPPool(second) CIDR overlaps with IPPool(first) CIDR 10.233.0.0/16)",
    ]);
    expect(poolErrors({ cidr: '10.234.0.0/16' }, [first.pool], 'second')).toEqual([]);
  });

  it("gives Calico's text for one and for several fields", () => {
    const r = validateIPPool(pool({ cidr: '10.0.0.1/28' }), []);
    if (r.ok) throw new Error('expected errors');
    expect(formatErrorValidation(r.errors)).toBe(
      'error with the following fields:\n' +
        "-  IPPool.Spec.CIDR = '10.0.0.0/28' (IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.)\n" +
        "-  IPPool.Spec.CIDR = '10.0.0.0/28' (IPPool CIDR is not strictly masked)\n",
    );
    expect(formatErrorValidation(r.errors.slice(1))).toBe(
      "error with field IPPool.Spec.CIDR = '10.0.0.0/28' (IPPool CIDR is not strictly masked)",
    );
  });

  it('validates metadata: names and labels', () => {
    const r = validateIPPool(pool({ cidr: '10.0.0.0/16' }, 'Bad_Name', new Map([['ok', 'in valid']])), []);
    expect(r.ok ? [] : messages(r.errors)).toEqual([
      "Metadata.Name = 'Bad_Name' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))",
      "Metadata.Labels (value) = 'in valid' (a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'))",
    ]);
  });
});

describe('Kubernetes name rules', () => {
  it.each([
    ['kubernetes.io/hostname', []],
    ['routeReflector', []],
    [
      '-x',
      [
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    ['/x', ['prefix part must be non-empty']],
    [
      'Example.com/x',
      [
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [`${'a'.repeat(64)}`, ['name part must be no more than 63 characters']],
  ])('checks the label key %j', (key, want) => {
    expect(isQualifiedName(key)).toEqual(want);
  });

  it('accepts empty and plain label values', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('a.b_c-1')).toEqual([]);
    expect(isValidLabelValue('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });
});

describe('BGPPeer', () => {
  const peer = (spec: NonNullable<BGPPeer['spec']>): string[] =>
    messages(validateBGPPeer({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, spec }));

  it.each<[string, NonNullable<BGPPeer['spec']>, string[]]>([
    ['a plain peer', { peerIP: '10.0.0.1', asNumber: 64512 }, []],
    ['a peer with a port', { peerIP: '10.0.0.1:1790', asNumber: 64512 }, []],
    [
      'port 0',
      { peerIP: '10.0.0.1:0', asNumber: 64512 },
      ["PeerIP = '10.0.0.1:0' (Reason: failed to validate Field: PeerIP because of Tag: IP:port )"],
    ],
    [
      'node and nodeSelector',
      { node: 'a', nodeSelector: 'all()', peerIP: '10.0.0.1' },
      ["Node = 'a' (Node field must be empty when NodeSelector is specified)"],
    ],
    [
      'peerIP, asNumber and peerSelector',
      { peerIP: '10.0.0.1', asNumber: 1, peerSelector: 'all()' },
      [
        "PeerIP = '10.0.0.1' (PeerIP field must be empty when PeerSelector is specified)",
        "ASNumber = '1' (ASNumber field must be empty when PeerSelector is specified)",
      ],
    ],
    [
      'reachableBy without peerIP',
      { peerSelector: 'all()', reachableBy: '10.0.0.1' },
      ["ReachableBy = '10.0.0.1' (ReachablyBy field must be empty when PeerIP is empty)"],
    ],
    [
      'a bad sourceAddress',
      { peerIP: '10.0.0.1', sourceAddress: 'Node' },
      ["SourceAddress = 'Node' (Reason: failed to validate Field: SourceAddress because of Tag: sourceAddress )"],
    ],
    ['filters', { peerIP: '10.0.0.1', filters: ['f1', 'f2'] }, ["BGPPeer.Spec.Filters = '[f1 f2]' (BGPFilter(s) not found)"]],
    [
      'a bad node name',
      { node: 'Node_1', peerIP: '10.0.0.1' },
      ["Node = 'Node_1' (Reason: failed to validate Field: Node because of Tag: name )"],
    ],
  ])('%s', (_what, spec, want) => {
    expect(peer(spec)).toEqual(want);
  });

  it('parses peerIP as processIPPort does', () => {
    expect(parsePeerIP('10.0.0.1:179')).toEqual({ ip: 0x0a000001, port: 179 });
    expect(parsePeerIP('10.0.0.1')).toEqual({ ip: 0x0a000001, port: 0 });
    expect(parsePeerIP('10.0.0.1:65536')).toBeNull();
  });
});

describe('BGPConfiguration', () => {
  const cfg = (name: string, spec: NonNullable<BGPConfiguration['spec']>) =>
    messages(validateBGPConfiguration({ apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', metadata: { name }, spec }));

  it.each<[string, string, NonNullable<BGPConfiguration['spec']>, string[]]>([
    [
      'a bad log level',
      'default',
      { logSeverityScreen: 'Verbose' },
      ["LogSeverityScreen = 'Verbose' (Reason: failed to validate Field: LogSeverityScreen because of Tag: logLevel )"],
    ],
    [
      'a bad ignored interface',
      'default',
      { ignoredInterfaces: ['eth0', 'a b'] },
      ["IgnoredInterfaces[1] = 'a b' (Reason: failed to validate Field: IgnoredInterfaces[1] because of Tag: ignoredInterface )"],
    ],
    [
      'a restart time with the mesh off',
      'default',
      { nodeToNodeMeshEnabled: false, nodeMeshMaxRestartTime: 120 },
      ["Spec.NodeMeshMaxRestartTime = '{...}' (spec.NodeMeshMaxRestartTime cannot be set if spec.NodeToNodeMesh is disabled)"],
    ],
    [
      'default-only fields on a node configuration',
      'node.n1',
      { asNumber: 64513, nodeToNodeMeshEnabled: true, listenPort: 1790 },
      [
        'BGPConfiguration.Spec.NodeToNodeMeshEnabled (Cannot set nodeToNodeMeshEnabled on a non default BGP Configuration.)',
        'BGPConfiguration.Spec.ASNumber (Cannot set ASNumber on a non default BGP Configuration.)',
      ],
    ],
  ])('%s', (_what, name, spec, want) => {
    expect(cfg(name, spec)).toEqual(want);
  });
});

describe('Node, Felix, IPAM and BlockAffinity', () => {
  it("checks a Node's addresses and refuses an empty bgp section", () => {
    const node = (spec: NonNullable<CalicoNode['spec']>) =>
      messages(validateNode({ apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n1' }, spec }));
    expect(node({ bgp: { ipv4Address: '10.0.0.1/24', ipv4IPIPTunnelAddr: '10.1.0.1' }, vxlanTunnelMACAddr: '66:53:9a:3b:57:55' })).toEqual(
      [],
    );
    expect(node({ bgp: { ipv4Address: '10.0.0.300/24' } })).toEqual([
      "IPv4Address = '10.0.0.300/24' (Reason: failed to validate Field: IPv4Address because of Tag: cidrv4 )",
    ]);
    expect(node({ bgp: {} })).toEqual(["BGP = '&{<nil>    }' (Spec.BGP should not be empty)"]);
    expect(node({ vxlanTunnelMACAddr: 'zz' })).toEqual([
      "VXLANTunnelMACAddr = 'zz' (Reason: failed to validate Field: VXLANTunnelMACAddr because of Tag: mac )",
    ]);
  });

  it('checks the modelled FelixConfiguration fields', () => {
    const felix = (spec: Record<string, unknown>) =>
      messages(
        validateFelixConfiguration({
          apiVersion: 'projectcalico.org/v3',
          kind: 'FelixConfiguration',
          metadata: { name: 'default' },
          spec,
        } as FelixConfiguration),
      );
    expect(felix({ deviceRouteSourceAddress: '10.0.0.1', mtuIfacePattern: '^eth' })).toEqual([]);
    expect(felix({ natOutgoingAddress: 'x' })).toEqual(["NATOutgoingAddress = 'x' (is not a valid IPv4 address)"]);
    expect(felix({ mtuIfacePattern: '(' })).toEqual([
      "MTUIfacePattern = '(' (Reason: failed to validate Field: MTUIfacePattern because of Tag: regexp )",
    ]);
  });

  it('checks maxBlocksPerHost and block affinities', () => {
    expect(
      messages(
        validateIPAMConfiguration({
          apiVersion: 'crd.projectcalico.org/v1',
          kind: 'IPAMConfig',
          metadata: { name: 'default' },
          spec: { maxBlocksPerHost: -1 },
        }),
      ),
    ).toEqual(["MaxBlocksPerHost = '-1' (must be greater than or equal to 0)"]);
    const aff = (spec: Record<string, unknown>) =>
      messages(
        validateBlockAffinity({ apiVersion: 'crd.projectcalico.org/v1', kind: 'BlockAffinity', metadata: { name: 'a' }, spec } as never),
      );
    expect(aff({ node: 'n1', cidr: '10.0.0.0/26', state: 'confirmed', deleted: 'false' })).toEqual([]);
    expect(aff({ node: 'n1', cidr: '10.0.0.0/26', deleted: 'true' })).toEqual([
      'Spec.Deleted = \'{...}\' (spec.Deleted cannot be set to "true")',
    ]);
    expect(aff({ node: 'n1', cidr: '10.0.0.0/26', state: 'pending' })).toEqual([
      "BlockAffinity.Spec.State = 'pending' (calisim only models confirmed block affinities)",
    ]);
  });
});

describe('Go parsing', () => {
  it('parses CIDRs and MACs as net.ParseCIDR and net.ParseMAC do', () => {
    expect(formatCidr(parseGoCIDR('10.233.0.1/16')!)).toBe('10.233.0.1/16');
    expect(parseGoCIDR('10.233.0.1/33')).toBeNull();
    expect(parseGoCIDR('10.233.0.1/016')).toBeNull();
    expect(parseGoMAC('66-53-9A-3B-57-55')).toBe('66:53:9a:3b:57:55');
    expect(parseGoMAC('6653.9a3b.5755')).toBe('66:53:9a:3b:57:55');
    expect(parseGoMAC('66:53:9a:3b:57')).toBeNull();
  });
});
