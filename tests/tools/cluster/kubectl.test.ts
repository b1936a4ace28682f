// Tests for src/tools/cluster/kubectl.ts and the command-line additions of src/tools/kubectl: kubectl
// on a node, listing the cluster's pods, nodes, calico-node's DaemonSet and Calico's CRDs, and running
// commands in pods. AGE varies (the
// *Varies* notes of the expect.md files): it is blanked in both the block and the output, which keeps
// every other cell and the column widths exact. The unknown-command messages are kubectl v1.32.4's,
// captured on this machine.

import { loadScenario } from '../../../src/scenarios/calico/load.js';
import { RR_CLUSTER } from './rr.js';
import { blankColumn, clusterLab, expectBlock, scenarioText, withCalicoSetting } from './support.js';

const noAge = (s: string): string => blankColumn(s, 'AGE', '<age>');

describe('kubectl get', () => {
  it('prints seed 000 step 3 before zlw-03 is created, and step 16 after', () => {
    const lab = clusterLab(scenarioText('seed000'));
    const r = lab.run('10-23-14-110', 'kubectl get pods -owide');
    expect(r.status).toBe(0);
    expect(noAge(r.stdout)).toBe(noAge(expectBlock('seed000', 3)));
    const after = clusterLab(scenarioText('seed000'), { start: true });
    expect(noAge(after.run('10-23-14-110', 'kubectl get pods -o wide').stdout)).toBe(noAge(expectBlock('seed000', 16)));
  });

  it('prints seed 003 step 2 (nodes) and step 6 (the busybox pods, in name order)', () => {
    const lab = clusterLab(scenarioText('seed003'), { start: true });
    expect(noAge(lab.run('controlplane', 'kubectl get nodes').stdout)).toBe(noAge(expectBlock('seed003', 2)));
    expect(noAge(lab.run('controlplane', 'kubectl get pods -o wide').stdout)).toBe(noAge(expectBlock('seed003', 6)));
  });

  it("prints seed 003 step 5: `kubectl apply -f busybox.yaml` starts the Deployment's pods", () => {
    const lab = clusterLab(scenarioText('seed003'), { files: 'seed003' });
    expect(lab.run('controlplane', 'kubectl get pods').stderr).toBe('No resources found in default namespace.\n');
    expect(lab.run('controlplane', 'kubectl apply -f busybox.yaml')).toEqual({ stdout: expectBlock('seed003', 5), stderr: '', status: 0 });
    expect(noAge(lab.run('controlplane', 'kubectl get pods -o wide').stdout)).toBe(noAge(expectBlock('seed003', 6)));
  });

  it('lists every namespace with -A, the API server order by namespace then name', () => {
    const lab = clusterLab(scenarioText('seed003'), { start: true });
    const rows = lab.run('controlplane', 'kubectl get pods -A').stdout.split('\n').slice(1, -1);
    const keys = rows.map((l) => l.split(/ +/).slice(0, 2).join('/'));
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain('default/busybox-deployment-8c7dc8548-x6ljh');
    expect(keys.some((k) => k.startsWith('kube-system/'))).toBe(true);
    // Global flags may come before the subcommand.
    expect(lab.run('controlplane', 'kubectl -n kube-system get pods')).toEqual(
      lab.run('controlplane', 'kubectl get pods --namespace=kube-system'),
    );
  });

  it('finds pods and nodes by name, and says so when one is missing', () => {
    const lab = clusterLab(RR_CLUSTER);
    expect(lab.run('node-1', 'kubectl get pods web-2 -o wide').stdout.split('\n')[1]).toMatch(
      /^web-2 +1\/1 +Running +0 +\S+ +10\.200\.\d+\.\d+ +node-2 +<none> +<none>$/,
    );
    expect(lab.run('node-1', 'kubectl get pods nosuch')).toEqual({
      stdout: '',
      stderr: 'Error from server (NotFound): pods "nosuch" not found\n',
      status: 1,
    });
    expect(lab.run('node-1', 'kubectl get nodes nosuch')).toEqual({
      stdout: '',
      stderr: 'Error from server (NotFound): nodes "nosuch" not found\n',
      status: 1,
    });
    expect(lab.run('node-1', 'kubectl get pods -n nosuch')).toEqual({
      stdout: '',
      stderr: 'No resources found in nosuch namespace.\n',
      status: 0,
    });
  });

  it('shows a powered-off node NotReady', () => {
    const lab = clusterLab(RR_CLUSTER);
    expect(lab.cluster.nodeDown('node-2')).toBeNull();
    const rows = lab.run('node-1', 'kubectl get nodes').stdout.split('\n');
    expect(rows.find((l) => l.startsWith('node-2 '))).toMatch(/^node-2 +NotReady +<none> /);
    expect(rows.find((l) => l.startsWith('node-1 '))).toMatch(/^node-1 +Ready +<none> /);
  });
});

/** inOrder says whether every line of `want` appears in `got`, in order (an expect.md `subset` block). */
function inOrder(want: string, got: string): boolean {
  const lines = got.split('\n');
  let at = 0;
  for (const w of want.split('\n').filter((l) => l !== '')) {
    const i = lines.indexOf(w, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

describe('kubectl get of Calico resources', () => {
  it('prints seed 000 step 1: the IPPool as the datastore stores it, with the server metadata the document left out', () => {
    const lab = clusterLab(scenarioText('seed000'));
    const r = lab.run('10-23-14-110', 'kubectl get IPPool default-ipv4-ippool -oyaml');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(inOrder(expectBlock('seed000', 1), r.stdout)).toBe(true);
    const meta = r.stdout.split('\n').slice(3, 10);
    expect(meta[0]).toBe('  annotations:');
    // v3.26 keeps the v3 uid in the annotation.
    expect(meta[1]).toMatch(
      new RegExp(`^    projectcalico\\.org/metadata: '\\{"uid":"${UUID}","creationTimestamp":"2025-05-16T12:31:27Z"\\}'$`),
    );
    expect(meta.slice(2, 4)).toEqual(['  creationTimestamp: "2025-05-16T12:31:27Z"', '  generation: 1']);
    expect(meta[5]).toMatch(/^ {2}resourceVersion: "\d+"$/);
    expect(meta[6]).toMatch(new RegExp(`^  uid: ${UUID}$`));
    // The same scenario prints the same object, and every way of naming the type finds it.
    expect(
      clusterLab(scenarioText('seed000')).run('10-23-14-110', 'kubectl get ippools.crd.projectcalico.org default-ipv4-ippool -o yaml'),
    ).toEqual(r);
  });

  it('lists the pools as a table and as a v1 List', () => {
    const lab = clusterLab(scenarioText('seed000'));
    expect(noAge(lab.run('10-23-14-110', 'kubectl get ippools').stdout)).toBe(
      noAge('NAME                  AGE\ndefault-ipv4-ippool   0s\n'),
    );
    const list = lab.run('10-23-14-110', 'kubectl get ippool -o yaml').stdout;
    expect(list.startsWith('apiVersion: v1\nitems:\n- apiVersion: crd.projectcalico.org/v1\n  kind: IPPool\n')).toBe(true);
    expect(list.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);
  });

  it('prints a v3.30 pool without the v3 uid, with its assignmentMode', () => {
    const lab = clusterLab(RR_CLUSTER);
    const r = lab.run('node-1', 'kubectl get ippools default-ipv4-ippool -o yaml');
    expect(r.stdout).toContain(`\n    projectcalico.org/metadata: '{"creationTimestamp":"2025-05-16T12:00:00Z"}'\n`);
    expect(r.stdout).toContain('\n  assignmentMode: Automatic\n');
    expect(r.stdout).toContain('\n  blockSize: 26\n');
  });

  it("uses the resource's own metadata when the scenario gives it", () => {
    const text = RR_CLUSTER.replace(
      'metadata: {name: default-ipv4-ippool}',
      'metadata: {name: default-ipv4-ippool, uid: 5d3b9e3f-0000-4000-8000-000000000001, resourceVersion: "725", creationTimestamp: "2025-05-16T11:00:00Z", labels: {zone: a}}',
    );
    const out = clusterLab(text).run('node-1', 'kubectl get ippools default-ipv4-ippool -o json').stdout;
    const obj = JSON.parse(out);
    expect(obj.metadata).toEqual({
      // A uid written in a projectcalico.org/v3 resource is the v3 one; the custom resource has its own.
      annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":"2025-05-16T11:00:00Z"}' },
      creationTimestamp: '2025-05-16T11:00:00Z',
      generation: 1,
      labels: { zone: 'a' },
      name: 'default-ipv4-ippool',
      resourceVersion: '725',
      uid: expect.stringMatching(new RegExp(`^${UUID}$`)),
    });
  });

  it('prints the BGP configuration and peers of seed 004', () => {
    const lab = clusterLab(scenarioText('seed004'));
    const conf = lab.run('k8s-guide-control-plane', 'kubectl get bgpconfiguration default -o yaml').stdout;
    expect(conf).toMatch(/^apiVersion: crd\.projectcalico\.org\/v1\nkind: BGPConfiguration\nmetadata:\n/);
    expect(conf.endsWith('spec:\n  asNumber: 64496\n  nodeToNodeMeshEnabled: false\n')).toBe(true);
    const peers = lab.run('k8s-guide-control-plane', 'kubectl get bgppeers -o yaml').stdout;
    expect(peers).toContain('\n    name: gobgp-peer-updated\n');
    expect(peers).toContain('\n  spec:\n    asNumber: 64496\n    nodeSelector: all()\n    peerIP: 172.18.0.6\n');
  });

  it.each([
    [
      'kubectl get ippool nosuch',
      { stdout: '', stderr: 'Error from server (NotFound): ippools.crd.projectcalico.org "nosuch" not found\n', status: 1 },
    ],
    [
      'kubectl get ippool nosuch -o yaml',
      { stdout: '', stderr: 'Error from server (NotFound): ippools.crd.projectcalico.org "nosuch" not found\n', status: 1 },
    ],
    ['kubectl get bgppeers', { stdout: '', stderr: 'No resources found\n', status: 0 }],
    [
      'kubectl get bgppeers -o yaml',
      { stdout: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n', stderr: '', status: 0 },
    ],
    ['kubectl get foo', { stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', status: 1 }],
    ['kubectl get svc', { stdout: '', stderr: 'calisim: `kubectl get services` is not modelled\n', status: 2 }],
  ])('%s', (line, want) => {
    expect(clusterLab(scenarioText('seed000')).run('10-23-14-110', line)).toEqual(want);
  });

  it('prints the found pools and the NotFound of the others', () => {
    const r = clusterLab(scenarioText('seed000')).run('10-23-14-110', 'kubectl get ippools default-ipv4-ippool nosuch');
    expect({ ...r, stdout: noAge(r.stdout) }).toEqual({
      stdout: noAge('NAME                  AGE\ndefault-ipv4-ippool   0s\n'),
      stderr: 'Error from server (NotFound): ippools.crd.projectcalico.org "nosuch" not found\n',
      status: 1,
    });
  });
});

describe('kubectl get daemonsets', () => {
  it('prints seed 004 step 1: the operator install in calico-system', () => {
    const lab = clusterLab(scenarioText('seed004'));
    const r = lab.run('k8s-guide-control-plane', 'kubectl -n calico-system get daemonset');
    expect({ ...r, stdout: noAge(r.stdout) }).toEqual({ stdout: noAge(expectBlock('seed004', 1)), stderr: '', status: 0 });
    expect(lab.run('k8s-guide-control-plane', 'kubectl get ds -n kube-system').stderr).toBe(
      'No resources found in kube-system namespace.\n',
    );
  });

  it('puts a manifest install in kube-system, on every node, with -o wide and -A', () => {
    const lab = clusterLab(scenarioText('seed000'));
    expect(lab.run('10-23-14-110', 'kubectl get ds')).toEqual({
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
      status: 0,
    });
    const wide = lab.run('10-23-14-110', 'kubectl get daemonsets.apps -n kube-system -o wide').stdout.split('\n');
    expect(wide[0]).toBe(
      'NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS    IMAGES                          SELECTOR',
    );
    expect(wide[1]).toMatch(
      /^calico-node {3}6 {9}6 {9}6 {7}6 {12}6 {11}kubernetes\.io\/os=linux {3}\S+ +calico-node {3}docker\.io\/calico\/node:v3\.26\.0 {3}k8s-app=calico-node$/,
    );
    expect(lab.run('10-23-14-110', 'kubectl get ds -A').stdout.split('\n')[1]).toMatch(/^kube-system {3}calico-node {3}6 /);
  });

  it('counts a powered-off node as scheduled but not ready', () => {
    const lab = clusterLab(RR_CLUSTER);
    expect(lab.cluster.nodeDown('node-2')).toBeNull();
    expect(lab.run('node-1', 'kubectl get ds calico-node -n kube-system').stdout.split('\n')[1]).toMatch(
      /^calico-node {3}3 {9}3 {9}2 {7}3 {12}2 {11}kubernetes\.io\/os=linux /,
    );
  });

  it.each([
    [
      'kubectl get ds calico-node -A',
      { stdout: '', stderr: 'error: a resource cannot be retrieved by name across all namespaces\n', status: 1 },
    ],
    [
      'kubectl get ds nosuch -n kube-system',
      { stdout: '', stderr: 'Error from server (NotFound): daemonsets.apps "nosuch" not found\n', status: 1 },
    ],
    [
      'kubectl get ds -n kube-system -o yaml',
      { stdout: '', stderr: 'calisim: `kubectl get daemonsets -o yaml` is not modelled\n', status: 2 },
    ],
    [
      'kubectl get pods zlw-01 -A',
      { stdout: '', stderr: 'error: a resource cannot be retrieved by name across all namespaces\n', status: 1 },
    ],
    [
      'kubectl get ds -l k8s-app=calico-node',
      { stdout: '', stderr: 'calisim: `kubectl get ds -l k8s-app=calico-node` is not modelled\n', status: 2 },
    ],
  ])('%s', (line, want) => {
    expect(clusterLab(scenarioText('seed000')).run('10-23-14-110', line)).toEqual(want);
  });

  it('takes its creation time from calico.installTime, and checks calico.install', () => {
    const at = withCalicoSetting(scenarioText('seed000'), 'installTime', '"2025-05-16T12:29:27Z"');
    const row = clusterLab(at).run('10-23-14-110', 'kubectl get ds -n kube-system').stdout.split('\n')[1];
    expect(row).toMatch(/ 2m\d*s?$/);
    const bad = loadScenario(withCalicoSetting(scenarioText('seed000'), 'install', 'helm'), 'x.yaml');
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/invalid install "helm": must be manifest or operator/);
  });
});

describe('kubectl exec', () => {
  const lab = clusterLab(scenarioText('seed000'));

  it('runs the command in the pod (seed 000 step 6: `kubectl exec -it zlw-01 -- ip r`)', () => {
    expect(lab.run('10-23-14-110', 'kubectl exec -it zlw-01 -- ip r')).toEqual({
      stdout: expectBlock('seed000', 6),
      stderr: '',
      status: 0,
    });
    expect(lab.run('10-23-14-110', 'kubectl exec zlw-01 -- route -n')).toEqual({
      stdout: expectBlock('seed000', 7),
      stderr: '',
      status: 0,
    });
  });

  it('reports a failing command with its exit code', () => {
    expect(lab.run('10-23-14-110', 'kubectl exec zlw-01 -- ip link show nosuch')).toEqual({
      stdout: '',
      stderr: 'Device "nosuch" does not exist.\ncommand terminated with exit code 1\n',
      status: 1,
    });
    expect(lab.run('10-23-14-110', 'kubectl exec nosuch -- ip r')).toEqual({
      stdout: '',
      stderr: 'Error from server (NotFound): pods "nosuch" not found\n',
      status: 1,
    });
  });
});

describe('kubectl usage', () => {
  const lab = clusterLab(scenarioText('seed000'));

  it.each([
    ['kubectl foo', 'Error: unknown command "foo" for "kubectl"\n\nDid you mean this?\n\ttop\n\n'],
    ['kubectl gte pods', 'Error: unknown command "gte" for "kubectl"\n\nDid you mean this?\n\tget\n\n'],
    ['kubectl xyzzy', 'Error: unknown command "xyzzy" for "kubectl"\n'],
    [
      'kubectl ap',
      'Error: unknown command "ap" for "kubectl"\n\nDid you mean this?\n\ttop\n\tcp\n\tapply\n\tapi-versions\n\tapi-resources\n\n',
    ],
    [
      'kubectl de',
      'Error: unknown command "de" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\tdelete\n\tdescribe\n\tcp\n\tdebug\n\n',
    ],
  ])('%s', (line, stderr) => {
    expect(lab.run('10-23-14-110', line)).toEqual({ stdout: '', stderr, status: 1 });
  });

  it('is only on nodes', () => {
    expect(lab.run('zlw-01', 'kubectl get pods').stderr).toBe('bash: kubectl: command not found\n');
  });
});
