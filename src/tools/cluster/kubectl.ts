// `kubectl` on a node of the cluster (kubectl v1.32 against the cluster's API server): `get pods` and
// `get nodes` from the running pods and the nodes (pkg/printers/internalversion/printers.go: every
// pod is Running with one ready container, a node Ready while its host interface is up), `apply -f
// FILE` (src/tools/apply.ts), and `exec POD -- CMD`, which runs CMD in the pod's network namespace
// through the shell and reports a failing command as kubectl does (`command terminated with exit
// code N`). The API server lists objects by namespace, then name.

import type { ClusterRuntime } from '../../scenarios/runtime/cluster.js';
import type { CalicoNodeInfo, PodInfo } from '../../scenarios/calico/datastore.js';
import { formatIpv4 } from '../../model/addr.js';
import { linkByName } from '../../kernel/netns.js';
import { parseCommand, runCommand } from '../commands.js';
import type { ToolContext } from '../context.js';
import { CommandError } from '../output.js';
import type { Program } from '../programs.js';
import { safeText } from '../escape.js';
import { SyntaxFault } from '../words.js';
import { type KubeNode, type KubePod, kubectlGetNodes, kubectlGetPods, parseKubectlArgs, type KubectlCommand } from '../kubectl/kubectl.js';
import { podsInApiOrder } from './calicoctl.js';
import { emit, epochNow, nodeHere, notModelled } from './machine.js';
import { kubectlApply } from '../apply.js';

/** DEFAULT_KUBELET_VERSION is the VERSION column of a node whose scenario names no kubelet version. */
export const DEFAULT_KUBELET_VERSION = 'v1.32.0';

function kubePod(c: ClusterRuntime, p: PodInfo): KubePod {
  const ip = p.ip ?? c.plan.podIps.get(`${p.namespace}/${p.name}`);
  return {
    namespace: p.namespace,
    name: p.name,
    creationTimestamp: c.podCreationTime(p) ?? c.ds.startTime,
    phase: 'Running',
    containers: 1,
    containerStatuses: [{ ready: true, restartCount: 0, state: { state: 'running' } }],
    readyCondition: true,
    ...(ip !== undefined ? { podIP: formatIpv4(ip) } : {}),
    nodeName: p.node,
  };
}

/** nodeReady is the Ready condition: the node runs and its host interface is up (a powered-off node goes NotReady). */
function nodeReady(c: ClusterRuntime, n: CalicoNodeInfo): boolean {
  if (n.state !== 'ready') return false;
  const ns = c.sim.view.namespaces.get(n.name);
  const l = ns === undefined ? undefined : linkByName(ns, n.interface);
  return l?.adminUp ?? false;
}

function kubeNode(c: ClusterRuntime, n: CalicoNodeInfo): KubeNode {
  return {
    name: n.name,
    creationTimestamp: n.creationTimestamp ?? c.ds.startTime,
    ready: nodeReady(c, n),
    labels: n.labels,
    kubeletVersion: n.kubeletVersion ?? DEFAULT_KUBELET_VERSION,
    internalIP: formatIpv4(n.address),
  };
}

const notFound = (kind: string, name: string) => ({
  stdout: '',
  stderr: `Error from server (NotFound): ${kind} "${name}" not found\n`,
  exitStatus: 1,
});

function runGet(ctx: ToolContext, c: ClusterRuntime, cmd: Extract<KubectlCommand, { command: 'get' }>): void {
  if (cmd.output !== undefined && cmd.output !== 'wide') {
    notModelled(ctx, `kubectl get ${cmd.resource} -o ${cmd.output}`);
    return;
  }
  const wide = cmd.output === 'wide';
  const now = epochNow(c);
  if (cmd.resource === 'nodes') {
    let nodes = c.ds.nodes;
    if (cmd.names.length > 0) {
      const missing = cmd.names.find((x) => !nodes.some((n) => n.name === x));
      if (missing !== undefined) {
        emit(ctx, notFound('nodes', missing));
        return;
      }
      nodes = cmd.names.map((x) => nodes.find((n) => n.name === x)!);
    }
    emit(
      ctx,
      kubectlGetNodes(
        nodes.map((n) => kubeNode(c, n)),
        now,
        { wide },
      ),
    );
    return;
  }
  const namespace = cmd.namespace ?? 'default';
  let pods = podsInApiOrder(c).filter((p) => cmd.allNamespaces || p.namespace === namespace);
  if (cmd.names.length > 0) {
    const missing = cmd.names.find((x) => !pods.some((p) => p.name === x));
    if (missing !== undefined) {
      emit(ctx, notFound('pods', missing));
      return;
    }
    pods = cmd.names.map((x) => pods.find((p) => p.name === x)!);
  }
  emit(
    ctx,
    kubectlGetPods(
      pods.map((p) => kubePod(c, p)),
      now,
      { wide, allNamespaces: cmd.allNamespaces, namespace },
    ),
  );
}

function runExec(ctx: ToolContext, c: ClusterRuntime, cmd: Extract<KubectlCommand, { command: 'exec' }>): void {
  const namespace = cmd.namespace ?? 'default';
  const pod = [...c.pods.values()].find((p) => p.namespace === namespace && p.name === cmd.pod);
  const ns = pod === undefined ? undefined : c.podNamespace(pod);
  if (pod === undefined || ns === undefined) {
    emit(ctx, notFound('pods', cmd.pod));
    return;
  }
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(cmd.argv);
  } catch (e) {
    if (!(e instanceof SyntaxFault)) throw e;
    ctx.out.errLine(safeText(`calisim: ${e.message}`), 2);
    return;
  }
  try {
    runCommand({ ...ctx, ns: parsed.netns ?? ns }, parsed.cmd);
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    ctx.out.err(e.stderr.endsWith('\n') ? e.stderr : `${e.stderr}\n`);
    ctx.out.status = e.exitCode;
  }
  // kubectl exec reports the container command's failure itself and exits with its status.
  if (ctx.out.status !== 0) ctx.out.err(`command terminated with exit code ${ctx.out.status}\n`);
}

/** KUBECTL is kubectl as installed on a node, with the cluster's credentials. */
export const KUBECTL: Program = {
  name: 'kubectl',
  available: (ctx) => nodeHere(ctx) !== undefined,
  run(ctx, argv) {
    const c = ctx.cluster!;
    const p = parseKubectlArgs(argv);
    if (!p.ok) {
      emit(ctx, p.output);
      return;
    }
    switch (p.cmd.command) {
      case 'get':
        runGet(ctx, c, p.cmd);
        return;
      case 'exec':
        runExec(ctx, c, p.cmd);
        return;
      case 'other':
        if (p.cmd.args[0] === 'apply') kubectlApply(ctx, p.cmd.args.slice(1));
        else notModelled(ctx, `kubectl ${argv.join(' ')}`);
        return;
    }
  },
};
