// Tests for src/tools/cluster/calicoctl.ts: calicoctl on the nodes of a converged cluster. The seed
// blocks come from fixtures/scenarios/*.expect.md (read at run time); the rest checks the tables'
// structure against the cluster's own state (pools, nodes, pods, sessions).

import { RR_CLUSTER } from './rr.js';
import { clusterLab, expectBlock, linesInOrder, scenarioText, withCalicoSetting } from './support.js';

/** peerRows parses the rows of `calicoctl node status`'s table into their five cells. */
function peerRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => /^\| \d/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

describe('calicoctl node status', () => {
  it('prints seed 000 step 2 on 10-23-14-110 (bird6 running, N22)', () => {
    const lab = clusterLab(withCalicoSetting(scenarioText('seed000'), 'bird6', 'true'));
    expect(lab.run('10-23-14-110', 'calicoctl node status')).toEqual({ stdout: expectBlock('seed000', 2), stderr: '', status: 0 });
  });

  it('says bird6 is not running when calico-node runs none', () => {
    const lab = clusterLab(withCalicoSetting(scenarioText('seed000'), 'bird6', 'false'));
    const r = lab.run('10-23-14-110', 'calicoctl node status');
    expect(r.stdout.endsWith("+\n\nINFO: BIRDv6 process: 'bird6' is not running.\n\n")).toBe(true);
    expect(peerRows(r.stdout).map((row) => row[0])).toEqual([
      '10.23.14.111',
      '10.23.14.112',
      '10.23.14.113',
      '10.23.14.114',
      '10.23.14.115',
    ]);
  });

  it('prints seed 003 step 4 on controlplane (subset)', () => {
    const lab = clusterLab(scenarioText('seed003'));
    expect(linesInOrder(lab.run('controlplane', 'calicoctl node status').stdout, expectBlock('seed003', 4))).toBe(true);
  });

  it('shows a route reflector and its clients as node-specific peers, all Established', () => {
    const lab = clusterLab(RR_CLUSTER);
    const client = peerRows(lab.run('node-1', 'calicoctl node status').stdout);
    expect(client.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([['10.0.0.10', 'node specific', 'up', 'Established']]);
    const rr = peerRows(lab.run('rr-0', 'calicoctl node status').stdout);
    expect(rr.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['10.0.0.11', 'node specific', 'up', 'Established'],
      ['10.0.0.12', 'node specific', 'up', 'Established'],
    ]);
    // SINCE is the session's establishment in the node's local time (UTC): %T under 20 hours.
    for (const row of [...client, ...rr]) expect(row[3]).toMatch(/^12:00:0\d$/);
  });

  it('says BIRD is not running when calico-node runs the vxlan backend (seed 003-vxlan)', () => {
    const lab = clusterLab(scenarioText('seed003-vxlan'));
    expect(lab.run('controlplane', 'calicoctl node status')).toEqual({
      stdout: 'Calico process is running.\n\nThe BGP backend process (BIRD) is not running.\n\n',
      stderr: '',
      status: 0,
    });
  });

  it('is not installed in a pod', () => {
    const lab = clusterLab(scenarioText('seed000'));
    expect(lab.run('zlw-01', 'calicoctl node status')).toEqual({ stdout: '', stderr: 'bash: calicoctl: command not found\n', status: 127 });
  });
});

describe('calicoctl get', () => {
  const lab = clusterLab(scenarioText('seed003'));

  it('prints seed 003 step 3: no workload endpoints before the Deployment', () => {
    expect(lab.run('controlplane', 'calicoctl get workloadendpoints')).toEqual({
      stdout: expectBlock('seed003', 3),
      stderr: '',
      status: 0,
    });
  });

  it('prints seed 003 step 7 once the busybox pods run, in their pods order', () => {
    const started = clusterLab(scenarioText('seed003'), { start: true });
    expect(started.run('controlplane', 'calicoctl get workloadendpoints')).toEqual({
      stdout: expectBlock('seed003', 7),
      stderr: '',
      status: 0,
    });
    const wide = started.run('controlplane', 'calicoctl get wep -o wide').stdout.split('\n');
    expect(wide[0]).toMatch(/^NAME +WORKLOAD +NODE +NETWORKS +INTERFACE +PROFILES +NATS +$/);
    expect(wide[1]).toMatch(
      /^node01-k8s-busybox--deployment--8c7dc8548--btnkv-eth0 +busybox-deployment-8c7dc8548-btnkv +node01 +192\.168\.196\.131\/32 +calib673e730d42 +kns\.default,ksa\.default\.default +$/,
    );
    // -A lists every namespace, with a NAMESPACE column: the kube-system pods are there too.
    const all = started.run('controlplane', 'calicoctl get wep -A').stdout.split('\n');
    expect(all[0]).toMatch(/^NAMESPACE +WORKLOAD +NODE +NETWORKS +INTERFACE +$/);
    expect(all.filter((l) => l.startsWith('kube-system ')).length).toBeGreaterThan(0);
  });

  it('prints seed 003 step 17: the pool as YAML (subset)', () => {
    const r = lab.run('controlplane', 'calicoctl get ippool default-ipv4-ippool -o yaml');
    expect(r.status).toBe(0);
    expect(linesInOrder(r.stdout, expectBlock('seed003', 17))).toBe(true);
  });

  it('lists pools and nodes in ps and wide form', () => {
    expect(lab.run('controlplane', 'calicoctl get ippools -o wide').stdout).toBe(
      [
        'NAME                  CIDR             NAT    IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ',
        'default-ipv4-ippool   192.168.0.0/16   true   Always     Never       false      false              all()      ',
        '',
        '',
      ].join('\n'),
    );
    expect(lab.run('controlplane', 'calicoctl get nodes').stdout).toBe(
      ['NAME           ', 'controlplane   ', 'node01         ', '', ''].join('\n'),
    );
    expect(lab.run('controlplane', 'calicoctl get nodes -o wide').stdout).toBe(
      [
        'NAME           ASN       IPV4             IPV6   ',
        'controlplane   (64512)   172.17.0.32/16          ',
        'node01         (64512)   172.17.0.40/16          ',
        '',
        '',
      ].join('\n'),
    );
  });

  it('gets one node as JSON, with its tunnel address from IPAM', () => {
    const r = lab.run('controlplane', 'calicoctl get node node01 -o json');
    const node = JSON.parse(r.stdout);
    expect(node).toMatchObject({
      kind: 'Node',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'node01' },
      spec: {
        bgp: { ipv4Address: '172.17.0.40/16', ipv4IPIPTunnelAddr: '192.168.196.128' },
        orchRefs: [{ nodeName: 'node01', orchestrator: 'k8s' }],
      },
    });
  });

  it('lists BGP peers and configurations', () => {
    const rr = clusterLab(RR_CLUSTER);
    expect(rr.run('node-1', 'calicoctl get bgppeer').stdout).toBe(
      ['NAME            PEERIP   NODE    ASN   ', 'peer-with-rrs            all()   0     ', '', ''].join('\n'),
    );
    expect(rr.run('node-1', 'calicoctl get bgpconfig').stdout).toBe(
      ['NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   ', 'default   Info          false         -          ', '', ''].join('\n'),
    );
    // With no BGPConfiguration there is an empty table.
    expect(lab.run('controlplane', 'calicoctl get bgpconfigs').stdout).toBe('NAME   LOGSEVERITY   MESHENABLED   ASNUMBER   \n\n');
  });

  it.each([
    ['calicoctl get node nosuch', '', 'resource does not exist: Node(nosuch) with error: nodes "nosuch" not found\n', 1],
    ['calicoctl get ippool -n default', '', 'IPPool is not namespaced\n', 1],
    ['calicoctl get frobs', '', "Failed to get resources: resource type 'frobs' is not supported\n", 1],
    ['calicoctl get ippool -o xml', '', "unrecognized output format 'xml'\n", 1],
  ])('%s fails as calicoctl does', (line, stdout, stderr, status) => {
    expect(lab.run('controlplane', line)).toEqual({ stdout, stderr, status });
  });

  it('answers an unknown command with its usage', () => {
    const r = lab.run('controlplane', 'calicoctl nodes');
    expect(r.status).toBe(1);
    expect(r.stderr.startsWith('Unknown command: "nodes"\nUsage:\n  calicoctl [options] <command> [<args>...]\n')).toBe(true);
  });

  it('hands writes to the running cluster: seed 003 step 18', () => {
    const rw = clusterLab(scenarioText('seed003'), { files: 'seed003' });
    expect(rw.run('controlplane', 'calicoctl apply -f ippool.yaml')).toEqual({ stdout: expectBlock('seed003', 18), stderr: '', status: 0 });
    expect(rw.run('controlplane', 'calicoctl get ippool -o wide').stdout.split('\n')[1]).toMatch(
      /^default-ipv4-ippool +192\.168\.0\.0\/16 +true +Never +Never /,
    );
  });
});

describe('calicoctl ipam show', () => {
  it('counts the addresses of each pool and block', () => {
    const lab = clusterLab(scenarioText('seed000'), { start: true });
    expect(lab.run('10-23-14-110', 'calicoctl ipam show --show-blocks').stdout).toBe(
      [
        '+----------+-----------------+-----------+------------+--------------+',
        '| GROUPING |      CIDR       | IPS TOTAL | IPS IN USE |   IPS FREE   |',
        '+----------+-----------------+-----------+------------+--------------+',
        '| IP Pool  | 10.233.0.0/16   |     65536 | 3 (0%)     | 65533 (100%) |',
        '| Block    | 10.233.133.0/24 |       256 | 2 (1%)     | 254 (99%)    |',
        '| Block    | 10.233.80.0/24  |       256 | 1 (0%)     | 255 (100%)   |',
        '+----------+-----------------+-----------+------------+--------------+',
        '',
      ].join('\n'),
    );
    expect(lab.run('10-23-14-110', 'calicoctl ipam show').stdout.split('\n')).toHaveLength(6);
  });
});
