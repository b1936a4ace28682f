// Tests for src/tools/kubectl/kubectl.ts. The tables are what a real kubectl v1.32.4 printed for
// the same cells, served as meta.k8s.io Tables by a stub API server on loopback in a throwaway
// network namespace; the cells follow printers.go printPod / printNode / printDaemonSet (and the
// default `Age` column apiextensions-apiserver serves for a CRD without printer columns); the
// `-o yaml|json` lists are kubectl's printGeneric output for the objects the stub served; the usage errors are
// kubectl's own, captured the same way without a server. The stub served `1h` for the zlw pods as
// seed 000 shows; HumanDuration never prints that (60–179 minutes are `60m`…`179m`), so the pods
// here are 3 hours old and print `3h`, which has the same width.

import {
  daemonSetCells,
  formatKubeObjects,
  formatLabels,
  humanDuration,
  kubectlGetClusterCustomResources,
  kubectlGetDaemonSets,
  kubectlGetNodes,
  kubectlGetPods,
  notFoundErrors,
  parseKubectlArgs,
  podCells,
  type KubeDaemonSet,
  type KubeNode,
  type KubePod,
} from '../../../src/tools/kubectl/kubectl.js';
import { goObject } from '../../../src/tools/format/govalue.js';
import { resolveResourceType } from '../../../src/tools/kubectl/resources.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const NOW = 1_750_000_000;

const running = (
  namespace: string,
  name: string,
  ageS: number,
  podIP: string | undefined,
  nodeName: string,
  extra: Partial<KubePod> = {},
): KubePod => ({
  namespace,
  name,
  creationTimestamp: NOW - ageS,
  phase: 'Running',
  containers: 1,
  containerStatuses: [{ ready: true, restartCount: 0, state: { state: 'running' } }],
  readyCondition: true,
  podIP,
  nodeName,
  ...extra,
});

const PODS: KubePod[] = [
  running('default', 'zlw-01', 3 * 3600, '10.233.133.2', '10-23-14-110'),
  running('default', 'zlw-02', 3 * 3600, '10.233.133.3', '10-23-14-110'),
  {
    namespace: 'kube-system',
    name: 'calico-node-bzttq',
    creationTimestamp: NOW - 21,
    phase: 'Pending',
    containers: 1,
    containerStatuses: [{ ready: false, restartCount: 0, state: { state: 'waiting', reason: 'PodInitializing' } }],
    nodeName: 'node01',
  },
  running('default', 'busybox-deployment-8c7dc8548-btnkv', 6, '192.168.196.131', 'node01', {
    containerStatuses: [{ ready: true, restartCount: 3, state: { state: 'running' }, lastTerminatedAt: NOW - 120 }],
  }),
];

const NODES: KubeNode[] = [
  {
    name: '10-23-14-110',
    creationTimestamp: NOW - 25 * 3600,
    ready: true,
    labels: new Map([['node-role.kubernetes.io/control-plane', '']]),
    kubeletVersion: 'v1.32.0',
    internalIP: '10.23.14.110',
    osImage: 'Ubuntu 22.04.4 LTS',
    kernelVersion: '5.15.0-105-generic',
    containerRuntimeVersion: 'containerd://1.7.13',
  },
  { name: 'node01', creationTimestamp: NOW - 9, ready: false, kubeletVersion: 'v1.18.0', internalIP: '172.17.0.40' },
];

describe('kubectl get (checked against kubectl v1.32.4)', () => {
  it('get pods', () => {
    expect(kubectlGetPods(PODS, NOW).stdout).toBe(
      lines(
        'NAME                                 READY   STATUS    RESTARTS     AGE',
        'zlw-01                               1/1     Running   0            3h',
        'zlw-02                               1/1     Running   0            3h',
        'busybox-deployment-8c7dc8548-btnkv   1/1     Running   3 (2m ago)   6s',
      ),
    );
  });

  it('get pods -o wide', () => {
    expect(kubectlGetPods(PODS, NOW, { wide: true }).stdout).toBe(
      lines(
        'NAME                                 READY   STATUS    RESTARTS     AGE   IP                NODE           NOMINATED NODE   READINESS GATES',
        'zlw-01                               1/1     Running   0            3h    10.233.133.2      10-23-14-110   <none>           <none>',
        'zlw-02                               1/1     Running   0            3h    10.233.133.3      10-23-14-110   <none>           <none>',
        'busybox-deployment-8c7dc8548-btnkv   1/1     Running   3 (2m ago)   6s    192.168.196.131   node01         <none>           <none>',
      ),
    );
  });

  it('get pods -A and -A -o wide', () => {
    expect(kubectlGetPods(PODS, NOW, { allNamespaces: true }).stdout).toBe(
      lines(
        'NAMESPACE     NAME                                 READY   STATUS            RESTARTS     AGE',
        'default       zlw-01                               1/1     Running           0            3h',
        'default       zlw-02                               1/1     Running           0            3h',
        'kube-system   calico-node-bzttq                    0/1     PodInitializing   0            21s',
        'default       busybox-deployment-8c7dc8548-btnkv   1/1     Running           3 (2m ago)   6s',
      ),
    );
    expect(kubectlGetPods(PODS, NOW, { allNamespaces: true, wide: true }).stdout.split('\n')[3]).toBe(
      'kube-system   calico-node-bzttq                    0/1     PodInitializing   0            21s   <none>            node01         <none>           <none>',
    );
  });

  it('get po -n kube-system', () => {
    expect(kubectlGetPods(PODS, NOW, { namespace: 'kube-system' }).stdout).toBe(
      lines('NAME                READY   STATUS            RESTARTS   AGE', 'calico-node-bzttq   0/1     PodInitializing   0          21s'),
    );
  });

  it('get nodes and get nodes -o wide', () => {
    expect(kubectlGetNodes(NODES, NOW).stdout).toBe(
      lines(
        'NAME           STATUS     ROLES           AGE   VERSION',
        '10-23-14-110   Ready      control-plane   25h   v1.32.0',
        'node01         NotReady   <none>          9s    v1.18.0',
      ),
    );
    expect(kubectlGetNodes(NODES, NOW, { wide: true }).stdout).toBe(
      lines(
        'NAME           STATUS     ROLES           AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME',
        '10-23-14-110   Ready      control-plane   25h   v1.32.0   10.23.14.110   <none>        Ubuntu 22.04.4 LTS   5.15.0-105-generic   containerd://1.7.13',
        'node01         NotReady   <none>          9s    v1.18.0   172.17.0.40    <none>        <unknown>            <unknown>            <unknown>',
      ),
    );
  });

  it('says No resources found on stderr', () => {
    expect(kubectlGetPods([], NOW)).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', exitStatus: 0 });
    expect(kubectlGetPods(PODS, NOW, { namespace: 'empty' }).stderr).toBe('No resources found in empty namespace.\n');
    expect(kubectlGetPods([], NOW, { allNamespaces: true }).stderr).toBe('No resources found\n');
    expect(kubectlGetNodes([], NOW).stderr).toBe('No resources found\n');
  });
});

const ds = (namespace: string, name: string, counts: readonly number[], ageS: number, image: string): KubeDaemonSet => ({
  namespace,
  name,
  creationTimestamp: NOW - ageS,
  desired: counts[0],
  current: counts[1],
  ready: counts[2],
  upToDate: counts[3],
  available: counts[4],
  nodeSelector: new Map([['kubernetes.io/os', 'linux']]),
  containers: [{ name, image }],
  selector: new Map([['k8s-app', name]]),
});

const SETS: KubeDaemonSet[] = [
  ds('calico-system', 'calico-node', [3, 3, 3, 3, 3], 61, 'docker.io/calico/node:v3.26.0'),
  ds('kube-system', 'kube-proxy', [12, 12, 11, 12, 11], 3 * 86400 + 5 * 3600, 'registry.k8s.io/kube-proxy:v1.32.0'),
];

describe('kubectl get daemonsets (checked against kubectl v1.32.4)', () => {
  it('-n calico-system get daemonset (seed 004 step 1)', () => {
    expect(kubectlGetDaemonSets(SETS, NOW, { namespace: 'calico-system' })).toEqual({
      stdout: lines(
        'NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
        'calico-node   3         3         3       3            3           kubernetes.io/os=linux   61s',
      ),
      stderr: '',
      exitStatus: 0,
    });
  });

  it('-o wide adds CONTAINERS, IMAGES and SELECTOR', () => {
    expect(kubectlGetDaemonSets(SETS, NOW, { namespace: 'calico-system', wide: true }).stdout).toBe(
      lines(
        'NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS    IMAGES                          SELECTOR',
        'calico-node   3         3         3       3            3           kubernetes.io/os=linux   61s   calico-node   docker.io/calico/node:v3.26.0   k8s-app=calico-node',
      ),
    );
  });

  it('-A and -A -o wide', () => {
    expect(kubectlGetDaemonSets(SETS, NOW, { allNamespaces: true }).stdout).toBe(
      lines(
        'NAMESPACE       NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
        'calico-system   calico-node   3         3         3       3            3           kubernetes.io/os=linux   61s',
        'kube-system     kube-proxy    12        12        11      12           11          kubernetes.io/os=linux   3d5h',
      ),
    );
    expect(kubectlGetDaemonSets(SETS, NOW, { allNamespaces: true, wide: true }).stdout).toBe(
      lines(
        'NAMESPACE       NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE    CONTAINERS    IMAGES                               SELECTOR',
        'calico-system   calico-node   3         3         3       3            3           kubernetes.io/os=linux   61s    calico-node   docker.io/calico/node:v3.26.0        k8s-app=calico-node',
        'kube-system     kube-proxy    12        12        11      12           11          kubernetes.io/os=linux   3d5h   kube-proxy    registry.k8s.io/kube-proxy:v1.32.0   k8s-app=kube-proxy',
      ),
    );
  });

  it.each([
    [{}, 'No resources found in default namespace.\n'],
    [{ namespace: 'nosuchns' }, 'No resources found in nosuchns namespace.\n'],
  ])('an empty namespace (%j) says so on stderr', (o, stderr) => {
    expect(kubectlGetDaemonSets(SETS, NOW, o)).toEqual({ stdout: '', stderr, exitStatus: 0 });
  });

  it.each([
    [new Map<string, string>(), '<none>'],
    [new Map([['kubernetes.io/os', 'linux']]), 'kubernetes.io/os=linux'],
    [
      new Map([
        ['b', '2'],
        ['a', '1'],
      ]),
      'a=1,b=2',
    ],
  ])('formatLabels(%j) is %s', (m, want) => {
    expect(formatLabels(m)).toBe(want);
  });

  it('lays out several containers and an empty selector as printers.go does', () => {
    const d: KubeDaemonSet = {
      ...SETS[0],
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'y:2' },
      ],
      nodeSelector: new Map(),
      selector: new Map(),
    };
    expect(daemonSetCells(d, NOW, true)).toEqual(['calico-node', '3', '3', '3', '3', '3', '<none>', '61s', 'a,b', 'x:1,y:2', '<none>']);
  });
});

describe('kubectl get of a Calico CRD (checked against kubectl v1.32.4)', () => {
  const POOLS = [
    { name: 'default-ipv4-ippool', creationTimestamp: NOW - 21 * 60 },
    { name: 'b-pool', creationTimestamp: NOW - 5 * 86400 },
  ];

  it('prints NAME and AGE, in the order listed, and No resources found for none', () => {
    expect(kubectlGetClusterCustomResources(POOLS, NOW)).toEqual({
      stdout: lines('NAME                  AGE', 'default-ipv4-ippool   21m', 'b-pool                5d'),
      stderr: '',
      exitStatus: 0,
    });
    expect(kubectlGetClusterCustomResources([], NOW)).toEqual({ stdout: '', stderr: 'No resources found\n', exitStatus: 0 });
  });

  it('prints the NotFound errors of the API server', () => {
    const t = resolveResourceType('ippool');
    const d = resolveResourceType('ds');
    expect(t.ok && notFoundErrors(t.type, ['nosuch'])).toBe(
      'Error from server (NotFound): ippools.crd.projectcalico.org "nosuch" not found\n',
    );
    expect(d.ok && notFoundErrors(d.type, ['nosuch'])).toBe('Error from server (NotFound): daemonsets.apps "nosuch" not found\n');
  });

  const pool = (name: string) =>
    goObject([
      ['apiVersion', 'crd.projectcalico.org/v1'],
      ['kind', 'IPPool'],
      [
        'metadata',
        goObject([
          ['name', name],
          ['resourceVersion', '777'],
        ]),
      ],
      [
        'spec',
        goObject([
          ['cidr', '10.99.0.0/16'],
          ['disabled', true],
        ]),
      ],
    ]);

  it('wraps several objects, or none, in a v1 List', () => {
    expect(formatKubeObjects([], false, 'yaml')).toBe(
      lines('apiVersion: v1', 'items: []', 'kind: List', 'metadata:', '  resourceVersion: ""'),
    );
    expect(formatKubeObjects([pool('a'), pool('b')], false, 'yaml')).toBe(
      lines(
        'apiVersion: v1',
        'items:',
        '- apiVersion: crd.projectcalico.org/v1',
        '  kind: IPPool',
        '  metadata:',
        '    name: a',
        '    resourceVersion: "777"',
        '  spec:',
        '    cidr: 10.99.0.0/16',
        '    disabled: true',
        '- apiVersion: crd.projectcalico.org/v1',
        '  kind: IPPool',
        '  metadata:',
        '    name: b',
        '    resourceVersion: "777"',
        '  spec:',
        '    cidr: 10.99.0.0/16',
        '    disabled: true',
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
      ),
    );
    // Two names asked for are a List even when both are found; one name is the object.
    expect(formatKubeObjects([pool('a')], false, 'yaml').startsWith('apiVersion: v1\nitems:\n')).toBe(true);
    expect(formatKubeObjects([pool('a')], true, 'yaml').startsWith('apiVersion: crd.projectcalico.org/v1\nkind: IPPool\n')).toBe(true);
  });

  it('prints -o json with four-space indents and sorted keys', () => {
    expect(formatKubeObjects([], false, 'json')).toBe(
      lines(
        '{',
        '    "apiVersion": "v1",',
        '    "items": [],',
        '    "kind": "List",',
        '    "metadata": {',
        '        "resourceVersion": ""',
        '    }',
        '}',
      ),
    );
    const withNote = goObject([
      ['metadata', goObject([['annotations', goObject([['projectcalico.org/metadata', '{"creationTimestamp":"2025-05-16T12:31:27Z"}']])]])],
      ['apiVersion', 'crd.projectcalico.org/v1'],
    ]);
    expect(formatKubeObjects([withNote], true, 'json')).toBe(
      lines(
        '{',
        '    "apiVersion": "crd.projectcalico.org/v1",',
        '    "metadata": {',
        '        "annotations": {',
        '            "projectcalico.org/metadata": "{\\"creationTimestamp\\":\\"2025-05-16T12:31:27Z\\"}"',
        '        }',
        '    }',
        '}',
      ),
    );
  });
});

describe('printPod cells', () => {
  it.each([
    [{ state: 'waiting' as const, reason: 'CrashLoopBackOff' }, 'CrashLoopBackOff'],
    [{ state: 'terminated' as const, reason: 'Completed', exitCode: 0 }, 'Completed'],
    [{ state: 'terminated' as const, exitCode: 137, signal: 9 }, 'Signal:9'],
    [{ state: 'terminated' as const, exitCode: 1 }, 'ExitCode:1'],
  ])('STATUS of a container in %j is %s', (state, want) => {
    expect(
      podCells(
        running('default', 'p', 60, '10.0.0.1', 'n', { containerStatuses: [{ ready: false, restartCount: 0, state }] }),
        NOW,
        false,
      )[2],
    ).toBe(want);
  });

  it('shows Terminating and <none> cells', () => {
    expect(podCells({ ...running('default', 'p', 60, undefined, ''), deletionTimestamp: NOW }, NOW, true)).toEqual([
      'p',
      '1/1',
      'Terminating',
      '0',
      '60s',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });
});

describe('HumanDuration', () => {
  it.each([
    [-5, '<invalid>'],
    [-1, '0s'],
    [0, '0s'],
    [6, '6s'],
    [119, '119s'],
    [120, '2m'],
    [450, '7m30s'],
    [419, '6m59s'],
    [600, '10m'],
    [3540, '59m'],
    [3600, '60m'],
    [3600 * 3, '3h'],
    [3600 * 3 + 60 * 25, '3h25m'],
    [3600 * 25, '25h'],
    [86400 * 3, '3d'],
    [86400 * 3 + 3600 * 5, '3d5h'],
    [86400 * 30, '30d'],
    [86400 * 365 * 3, '3y'],
    [86400 * (365 * 3 + 7), '3y7d'],
    [86400 * 365 * 9, '9y'],
  ])('%p seconds is %s', (s, want) => {
    expect(humanDuration(s)).toBe(want);
  });
});

describe('kubectl argv (messages of kubectl v1.32.4)', () => {
  it('parses exec with -it, -c and --', () => {
    expect(parseKubectlArgs(['exec', '-it', 'zlw-01', '--', 'ping', '-c', '1', '10.233.133.3'])).toEqual({
      ok: true,
      cmd: {
        command: 'exec',
        pod: 'zlw-01',
        container: undefined,
        namespace: undefined,
        stdin: true,
        tty: true,
        quiet: false,
        argv: ['ping', '-c', '1', '10.233.133.3'],
      },
    });
    expect(parseKubectlArgs(['exec', 'busybox', '-c', 'app', '-n', 'demo', '--', 'ifconfig'])).toMatchObject({
      ok: true,
      cmd: { container: 'app', namespace: 'demo', argv: ['ifconfig'] },
    });
  });

  it.each([
    [['exec'], 'error: pod, type/name or --filename must be specified\n'],
    [['exec', 'foo'], 'error: you must specify at least one command for the container\n'],
    [['exec', 'foo', '--'], 'error: you must specify at least one command for the container\n'],
    [
      ['exec', 'foo', 'ls'],
      "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    ],
    [['exec', '-c'], "Error: flag needs an argument: 'c' in -c\nSee 'kubectl exec --help' for usage.\n"],
    [['exec', '-x', 'foo', '--', 'ls'], "Error: unknown shorthand flag: 'x' in -x\nSee 'kubectl exec --help' for usage.\n"],
    [['get', 'pods', '--bogus'], "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"],
  ])('rejects %j', (argv, stderr) => {
    expect(parseKubectlArgs(argv)).toEqual({ ok: false, output: { stdout: '', stderr, exitStatus: 1 } });
  });

  it.each([
    [['get', 'foo'], 'error: the server doesn\'t have a resource type "foo"\n'],
    [['get', 'Foo.bar', '-o', 'yaml'], 'error: the server doesn\'t have a resource type "Foo"\n'],
  ])('says the server has no resource type for %j', (argv, stderr) => {
    expect(parseKubectlArgs(argv)).toEqual({ ok: false, output: { stdout: '', stderr, exitStatus: 1 } });
  });

  it('resolves the resource type of get', () => {
    expect(parseKubectlArgs(['-n', 'calico-system', 'get', 'daemonset'])).toMatchObject({
      ok: true,
      cmd: { command: 'get', resource: 'daemonsets', namespace: 'calico-system', names: [] },
    });
    expect(parseKubectlArgs(['get', 'IPPool', 'default-ipv4-ippool', '-oyaml'])).toMatchObject({
      ok: true,
      cmd: {
        command: 'get',
        resource: 'ippools',
        type: { group: 'crd.projectcalico.org' },
        names: ['default-ipv4-ippool'],
        output: 'yaml',
      },
    });
    expect(parseKubectlArgs(['get', 'pods,nodes'])).toMatchObject({ ok: true, cmd: { command: 'other' } });
  });

  it('needs a resource type for get', () => {
    const r = parseKubectlArgs(['get']);
    expect(!r.ok && r.output.stderr).toBe(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n' +
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
    );
    expect(parseKubectlArgs(['get', 'pods', '-owide', '-A'])).toMatchObject({
      ok: true,
      cmd: { command: 'get', resource: 'pods', output: 'wide', allNamespaces: true },
    });
  });
});
