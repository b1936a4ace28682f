// `kubectl` on a node of the cluster (kubectl v1.32 against the cluster's API server): `get pods` and
// `get nodes` from the running pods and the nodes (pkg/printers/internalversion/printers.go: every
// pod is Running with one ready container, a node Ready while its host interface is up), `get
// daemonsets` (calico-node only: in kube-system for a calico.yaml install, calico-system for the
// tigera-operator's; scheduled on every Linux node, ready where the node is), `get ippools|bgppeers|
// bgpconfigurations [-o yaml|json]` (Calico's CRDs as the Kubernetes datastore stores them,
// src/tools/kubectl/crd.ts; no Calico API server), `apply -f FILE` (src/tools/apply.ts), and `exec POD
// -- CMD`, which runs CMD in the pod's network namespace through the shell and reports a failing
// command as kubectl does (`command terminated with exit code N`). The API server lists objects by
// namespace, then name.

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
import {
  formatKubeObjects,
  type KubeDaemonSet,
  type KubeNode,
  type KubePod,
  kubectlGetClusterCustomResources,
  kubectlGetDaemonSets,
  kubectlGetNodes,
  kubectlGetPods,
  notFoundErrors,
  parseKubectlArgs,
  type KubectlCommand,
} from '../kubectl/kubectl.js';
import { CALICO_CRD_API_VERSION, calicoCustomResource, type CustomResourceMeta } from '../kubectl/crd.js';
import { type CalicoVersion, DEFAULT_CALICO_INSTALL, parseRfc3339 } from '../../scenarios/calico/cluster.js';
import type { Loaded } from '../../scenarios/calico/load.js';
import { compareGoStrings } from '../../scenarios/calico/selector.js';
import type { GoObject } from '../format/govalue.js';
import { resourceJson, type CalicoResource } from '../calicoctl/resources.js';
import { bgpConfigurations, bgpPeers, ippools, podsInApiOrder } from './calicoctl.js';
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

type GetCommand = Extract<KubectlCommand, { command: 'get' }>;

/** CALICO_NODE_IMAGE_TAGS are the calico/node tags of the DaemonSet, by modelled release (the .0 release: the scenario names no patch). */
const CALICO_NODE_IMAGE_TAGS: Record<CalicoVersion, string> = { 'v3.26': 'v3.26.0', 'v3.29': 'v3.29.0', 'v3.30': 'v3.30.0' };

/**
 * calicoNodeDaemonSet is calico-node's DaemonSet: nodeSelector `kubernetes.io/os: linux` and selector
 * `k8s-app: calico-node` in both calico.yaml and the operator's render; every selected node runs its
 * pod (calico-node tolerates every taint, so a NotReady node keeps it) and the pod is ready while the
 * node is. calisim models no other DaemonSet (kube-proxy, csi-node-driver).
 */
function calicoNodeDaemonSet(c: ClusterRuntime): KubeDaemonSet {
  const calico = c.scenario.cluster.value.spec.calico;
  const install = calico?.install ?? DEFAULT_CALICO_INSTALL;
  const installTime = calico?.installTime !== undefined ? parseRfc3339(calico.installTime) : null;
  const nodeSelector = new Map([['kubernetes.io/os', 'linux']]);
  const scheduled = c.ds.nodes.filter((n) => n.labels.get('kubernetes.io/os') === 'linux');
  const ready = scheduled.filter((n) => nodeReady(c, n)).length;
  return {
    namespace: install === 'operator' ? 'calico-system' : 'kube-system',
    name: 'calico-node',
    creationTimestamp: installTime ?? c.ds.startTime,
    desired: scheduled.length,
    current: scheduled.length,
    ready,
    upToDate: scheduled.length,
    available: ready,
    nodeSelector,
    containers: [{ name: 'calico-node', image: `docker.io/calico/node:${CALICO_NODE_IMAGE_TAGS[c.ds.version]}` }],
    selector: new Map([['k8s-app', 'calico-node']]),
  };
}

/** namespaceScope is the namespace a namespaced get lists, or kubectl's error for names with -A. */
function namespaceScope(ctx: ToolContext, cmd: GetCommand): string | null {
  if (cmd.allNamespaces && cmd.names.length > 0) {
    emit(ctx, { stdout: '', stderr: 'error: a resource cannot be retrieved by name across all namespaces\n', exitStatus: 1 });
    return null;
  }
  return cmd.namespace ?? 'default';
}

function getDaemonSets(ctx: ToolContext, c: ClusterRuntime, cmd: GetCommand): void {
  if (cmd.output !== undefined && cmd.output !== 'wide') {
    notModelled(ctx, `kubectl get ${cmd.resource} -o ${cmd.output}`);
    return;
  }
  const namespace = namespaceScope(ctx, cmd);
  if (namespace === null) return;
  const all = [calicoNodeDaemonSet(c)].filter((d) => cmd.allNamespaces || d.namespace === namespace);
  const found = cmd.names.length === 0 ? all : cmd.names.flatMap((x) => all.filter((d) => d.name === x));
  const missing = cmd.names.filter((x) => !all.some((d) => d.name === x));
  const out = kubectlGetDaemonSets(found, epochNow(c), { wide: cmd.output === 'wide', allNamespaces: cmd.allNamespaces, namespace });
  if (missing.length === 0) emit(ctx, out);
  else emit(ctx, { stdout: found.length > 0 ? out.stdout : '', stderr: notFoundErrors(cmd.type, missing), exitStatus: 1 });
}

/** StoredCalicoObject is a Calico custom resource: its name and creation time, and the object itself. */
interface StoredCalicoObject {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly object: GoObject;
}

/** ScenarioMeta is the metadata a scenario's Calico resource may give (metav1.ObjectMeta as decoded). */
interface ScenarioMeta {
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: unknown;
  readonly labels?: ReadonlyMap<string, string>;
  readonly annotations?: ReadonlyMap<string, string>;
}

/** storedMeta is the custom resource's metadata: the scenario's where it gives any, the cluster's start otherwise. */
function storedMeta(c: ClusterRuntime, name: string, l: Loaded<{ readonly metadata?: ScenarioMeta }> | undefined): CustomResourceMeta {
  const m = l?.value.metadata;
  const created = typeof m?.creationTimestamp === 'string' ? parseRfc3339(m.creationTimestamp) : null;
  // A uid written in a crd.projectcalico.org/v1 resource is the custom resource's; in a v3 one, the v3 resource's.
  const uidKey = l?.apiVersion === CALICO_CRD_API_VERSION ? 'uid' : 'v3Uid';
  return {
    name,
    ...(m?.uid ? { [uidKey]: m.uid } : {}),
    ...(m?.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
    ...(m?.generation ? { generation: m.generation } : {}),
    creationTimestamp: created ?? c.ds.startTime,
    ...(m?.labels !== undefined ? { labels: m.labels } : {}),
    ...(m?.annotations !== undefined ? { annotations: m.annotations } : {}),
  };
}

/** calicoSpec is a resource's v3 spec as encoding/json writes it (what calicoctl prints). */
function calicoSpec(r: CalicoResource): GoObject {
  return resourceJson(r).get('spec') as GoObject;
}

/** calicoObjects are the datastore's custom resources of a plural, by name, with the spec fields calicoctl get prints. */
function calicoObjects(c: ClusterRuntime, plural: string): StoredCalicoObject[] {
  const version = c.ds.version;
  const opts = { v3UidInAnnotation: version === 'v3.26' };
  const stored = (kind: string, name: string, l: Loaded<{ readonly metadata?: ScenarioMeta }> | undefined, spec: GoObject) => {
    const meta = storedMeta(c, name, l);
    return { name, creationTimestamp: meta.creationTimestamp, object: calicoCustomResource(kind, plural, meta, spec, opts) };
  };
  const byName = <T extends { readonly metadata: { readonly name: string } }>(xs: T[]): T[] =>
    xs.sort((a, b) => compareGoStrings(a.metadata.name, b.metadata.name));
  const scenarioDoc = <T extends { readonly name: string }>(docs: readonly T[], name: string): T | undefined =>
    docs.find((l) => l.name === name);
  switch (plural) {
    case 'ippools':
      return byName(ippools(c, version)).map((r) =>
        stored('IPPool', r.metadata.name, scenarioDoc(c.scenario.ipPools, r.metadata.name), calicoSpec(r)),
      );
    case 'bgppeers':
      return bgpPeers(c).map((r) => stored('BGPPeer', r.metadata.name, scenarioDoc(c.scenario.bgpPeers, r.metadata.name), calicoSpec(r)));
    case 'bgpconfigurations':
      return bgpConfigurations(c).map((r) =>
        stored('BGPConfiguration', r.metadata.name, scenarioDoc(c.scenario.bgpConfigurations, r.metadata.name), calicoSpec(r)),
      );
  }
  return [];
}

/** CALICO_CRDS are the Calico custom resources `kubectl get` lists here. */
const CALICO_CRDS: ReadonlySet<string> = new Set(['ippools', 'bgppeers', 'bgpconfigurations']);

function getCalicoResources(ctx: ToolContext, c: ClusterRuntime, cmd: GetCommand): void {
  const format = cmd.output;
  if (format !== undefined && format !== 'wide' && format !== 'yaml' && format !== 'json') {
    notModelled(ctx, `kubectl get ${cmd.resource} -o ${format}`);
    return;
  }
  const all = calicoObjects(c, cmd.resource);
  const found = cmd.names.length === 0 ? all : cmd.names.flatMap((x) => all.filter((o) => o.name === x));
  const missing = cmd.names.filter((x) => !all.some((o) => o.name === x));
  const errors = notFoundErrors(cmd.type, missing);
  const status = missing.length > 0 ? 1 : 0;
  if (format === 'yaml' || format === 'json') {
    // A single name that is not found is only the error.
    const single = cmd.names.length === 1;
    const stdout =
      single && found.length === 0
        ? ''
        : formatKubeObjects(
            found.map((o) => o.object),
            single,
            format,
          );
    emit(ctx, { stdout, stderr: errors, exitStatus: status });
    return;
  }
  const table = kubectlGetClusterCustomResources(found, epochNow(c));
  if (missing.length === 0) emit(ctx, table);
  else emit(ctx, { stdout: table.stdout, stderr: errors, exitStatus: status });
}

function runGet(ctx: ToolContext, c: ClusterRuntime, cmd: GetCommand): void {
  if (cmd.resource === 'daemonsets') {
    getDaemonSets(ctx, c, cmd);
    return;
  }
  if (CALICO_CRDS.has(cmd.resource) && cmd.type.group === 'crd.projectcalico.org') {
    getCalicoResources(ctx, c, cmd);
    return;
  }
  if (cmd.resource !== 'pods' && cmd.resource !== 'nodes') {
    notModelled(ctx, `kubectl get ${cmd.resource}`);
    return;
  }
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
  const namespace = namespaceScope(ctx, cmd);
  if (namespace === null) return;
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
