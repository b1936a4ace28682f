// Tests for src/tools/cluster/kubectl.ts and the command-line additions of src/tools/kubectl: kubectl
// on a node, listing the cluster's pods and nodes and running commands in pods. AGE varies (the
// *Varies* notes of the expect.md files): it is blanked in both the block and the output, which keeps
// every other cell and the column widths exact. The unknown-command messages are kubectl v1.32.4's,
// captured on this machine.

import { RR_CLUSTER } from './rr.js';
import { blankColumn, clusterLab, expectBlock, scenarioText } from './support.js';

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
