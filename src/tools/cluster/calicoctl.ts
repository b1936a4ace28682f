// `calicoctl` on a node of the cluster (calicoctl/calicoctl.go and commands/{get,node/status,ipam/show}.go,
// v3.26–v3.30, against the Kubernetes datastore): `node status` reads the node's BIRD and bird6 over
// their control sockets; `get` lists the datastore's resources (common/resources.go
// ExecuteConfigCommand: a list per kind, or one object per name, with handleNamespace's rules; the
// Kubernetes API returns them by name, workload endpoints in their pods' order); `ipam show` reads
// the IPAM blocks. apply, create, replace and patch change the running cluster (src/tools/apply.ts).

import { formatCidr, formatIpv4 } from '../../model/addr.js';
import type { ClusterRuntime } from '../../scenarios/runtime/cluster.js';
import type { CalicoNodeInfo, PodInfo } from '../../scenarios/calico/datastore.js';
import { utilization } from '../../scenarios/calico/ipam.js';
import { workloadEndpointName } from '../../scenarios/calico/names.js';
import { compareGoStrings } from '../../scenarios/calico/selector.js';
import type { ToolContext } from '../context.js';
import type { Program } from '../programs.js';
import { strftime } from '../birdc/cli.js';
import { type CalicoctlCommand, parseCalicoctlArgs } from '../calicoctl/args.js';
import { type GetObject, namespaceError, resourceNotFoundError, runGet } from '../calicoctl/get.js';
import { formatIpamShow } from '../calicoctl/ipam.js';
import type {
  BGPConfiguration,
  BGPPeer,
  CalicoKind,
  CalicoNode,
  CalicoResource,
  CalicoVersion,
  IPPool,
  WorkloadEndpoint,
} from '../calicoctl/resources.js';
import { formatNodeStatus } from '../calicoctl/status.js';
import { unsupportedKindError } from '../calicoctl/apply.js';
import { bird6Running, birdRunning } from './birdc.js';
import { socketReply } from './birdstate.js';
import { emit, nodeHere, notModelled } from './machine.js';
import { calicoctlApply, calicoctlPatch } from '../apply.js';

/** rfc3339 is metav1.Time as JSON writes it (UTC, whole seconds). */
export function rfc3339(epoch: number): string {
  return `${strftime('%F', Math.floor(epoch))}T${strftime('%T', Math.floor(epoch))}Z`;
}

/** ippools are the datastore's pools, defaults applied, as the v3 client returns them. */
export function ippools(c: ClusterRuntime, version: CalicoVersion): IPPool[] {
  return c.ds.pools.map((p) => ({
    kind: 'IPPool',
    metadata: { name: p.name, creationTimestamp: rfc3339(c.ds.startTime) },
    spec: {
      cidr: formatCidr(p.cidr),
      vxlanMode: p.vxlanMode,
      ipipMode: p.ipipMode,
      natOutgoing: p.natOutgoing,
      disabled: p.disabled,
      disableBGPExport: p.disableBGPExport,
      blockSize: p.blockSize,
      nodeSelector: p.nodeSelector,
      allowedUses: [...p.allowedUses],
      ...(version === 'v3.30' ? { assignmentMode: p.assignmentMode } : {}),
    },
  }));
}

/** calicoNode is a node as the Kubernetes datastore's Node conversion shows it (its k8s Node and calico-node's annotations). */
function calicoNode(c: ClusterRuntime, n: CalicoNodeInfo): CalicoNode {
  const tunnels = c.plan.tunnels.get(n.name);
  const ipip = tunnels?.ipip ?? n.ipv4IPIPTunnelAddr;
  const vxlan = tunnels?.vxlan ?? n.ipv4VXLANTunnelAddr;
  const cidr = `${formatIpv4(n.address)}/${n.subnet.len}`;
  return {
    kind: 'Node',
    metadata: { name: n.name, creationTimestamp: rfc3339(n.creationTimestamp ?? c.ds.startTime), labels: n.labels },
    spec: {
      bgp: {
        ...(n.asNumber !== undefined ? { asNumber: n.asNumber } : {}),
        ipv4Address: cidr,
        ...(ipip !== undefined ? { ipv4IPIPTunnelAddr: formatIpv4(ipip) } : {}),
        ...(n.routeReflectorClusterID !== '' ? { routeReflectorClusterID: n.routeReflectorClusterID } : {}),
      },
      ...(vxlan !== undefined ? { ipv4VXLANTunnelAddr: formatIpv4(vxlan), vxlanTunnelMACAddr: n.vxlanTunnelMACAddr } : {}),
      orchRefs: [{ nodeName: n.name, orchestrator: 'k8s' }],
      addresses: [
        { address: cidr, type: 'CalicoNodeIP' },
        { address: formatIpv4(n.address), type: 'InternalIP' },
      ],
    },
  };
}

/** podsInApiOrder are the running pods in the order the API server lists them: by namespace, then name. */
export function podsInApiOrder(c: ClusterRuntime): PodInfo[] {
  return [...c.pods.values()].sort((a, b) => compareGoStrings(a.namespace, b.namespace) || compareGoStrings(a.name, b.name));
}

/** workloadEndpoint is a pod as the Kubernetes datastore's Pod→WorkloadEndpoint conversion shows it. */
function workloadEndpoint(c: ClusterRuntime, p: PodInfo): WorkloadEndpoint | undefined {
  const ip = p.ip ?? c.plan.podIps.get(`${p.namespace}/${p.name}`);
  const name = workloadEndpointName(p.node, p.name);
  if (ip === undefined || !name.ok) return undefined;
  const labels = new Map(p.labels);
  labels.set('projectcalico.org/namespace', p.namespace);
  labels.set('projectcalico.org/orchestrator', 'k8s');
  labels.set('projectcalico.org/serviceaccount', 'default');
  return {
    kind: 'WorkloadEndpoint',
    metadata: { name: name.name, namespace: p.namespace, creationTimestamp: rfc3339(c.podCreationTime(p) ?? c.ds.startTime), labels },
    spec: {
      orchestrator: 'k8s',
      node: p.node,
      containerID: p.containerId,
      pod: p.name,
      endpoint: 'eth0',
      serviceAccountName: 'default',
      ipNetworks: [`${formatIpv4(ip)}/32`],
      profiles: [`kns.${p.namespace}`, `ksa.${p.namespace}.default`],
      interfaceName: p.hostInterface,
    },
  };
}

export function bgpPeers(c: ClusterRuntime): BGPPeer[] {
  return [...c.scenario.bgpPeers]
    .sort((a, b) => compareGoStrings(a.name, b.name))
    .map((l) => {
      const s = l.value.spec ?? {};
      return {
        kind: 'BGPPeer',
        metadata: { name: l.name, creationTimestamp: rfc3339(c.ds.startTime) },
        spec: {
          ...(s.node !== undefined ? { node: s.node } : {}),
          ...(s.nodeSelector !== undefined ? { nodeSelector: s.nodeSelector } : {}),
          ...(s.peerIP !== undefined ? { peerIP: s.peerIP } : {}),
          ...(s.asNumber !== undefined ? { asNumber: s.asNumber } : {}),
          ...(s.peerSelector !== undefined ? { peerSelector: s.peerSelector } : {}),
          ...(s.keepOriginalNextHop !== undefined ? { keepOriginalNextHop: s.keepOriginalNextHop } : {}),
          ...(s.sourceAddress !== undefined ? { sourceAddress: s.sourceAddress } : {}),
          ...(s.ttlSecurity !== undefined ? { ttlSecurity: s.ttlSecurity } : {}),
          ...(s.reachableBy !== undefined ? { reachableBy: s.reachableBy } : {}),
        },
      };
    });
}

export function bgpConfigurations(c: ClusterRuntime): BGPConfiguration[] {
  return [...c.scenario.bgpConfigurations]
    .sort((a, b) => compareGoStrings(a.name, b.name))
    .map((l) => {
      const s = l.value.spec ?? {};
      return {
        kind: 'BGPConfiguration',
        metadata: { name: l.name, creationTimestamp: rfc3339(c.ds.startTime) },
        spec: {
          ...(s.logSeverityScreen !== undefined ? { logSeverityScreen: s.logSeverityScreen } : {}),
          ...(s.nodeToNodeMeshEnabled !== undefined ? { nodeToNodeMeshEnabled: s.nodeToNodeMeshEnabled } : {}),
          ...(s.asNumber !== undefined ? { asNumber: s.asNumber } : {}),
          ...(s.listenPort !== undefined ? { listenPort: s.listenPort } : {}),
          ...(s.bindMode !== undefined ? { bindMode: s.bindMode } : {}),
        },
      };
    });
}

/** resourcesOf lists a kind's resources in the namespace asked for ('' for every namespace). */
function resourcesOf(c: ClusterRuntime, kind: CalicoKind, namespace: string, version: CalicoVersion): CalicoResource[] {
  switch (kind) {
    case 'IPPool':
      return ippools(c, version);
    case 'Node':
      return c.ds.nodes.map((n) => calicoNode(c, n));
    case 'WorkloadEndpoint':
      return podsInApiOrder(c)
        .filter((p) => namespace === '' || p.namespace === namespace)
        .flatMap((p) => workloadEndpoint(c, p) ?? []);
    case 'BGPPeer':
      return bgpPeers(c);
    case 'BGPConfiguration':
      return bgpConfigurations(c);
  }
}

function runGetCommand(
  ctx: ToolContext,
  c: ClusterRuntime,
  cmd: Extract<CalicoctlCommand, { command: 'get' }>,
  version: CalicoVersion,
): void {
  if (cmd.filename !== undefined) {
    notModelled(ctx, `calicoctl get -f ${cmd.filename}`);
    return;
  }
  const kind = cmd.resolvedKind;
  if (kind === undefined) {
    emit(ctx, { stdout: '', stderr: `Failed to get resources: ${unsupportedKindError(cmd.kind ?? '')}\n`, exitStatus: 1 });
    return;
  }
  if (kind === 'other') {
    notModelled(ctx, `calicoctl get ${cmd.kind ?? ''}`);
    return;
  }
  const opts = {
    output: cmd.output,
    printNamespace: cmd.allNamespaces || cmd.namespace !== '',
    version,
    globalAsNumber: String(c.ds.bgp.asNumber),
  };
  const nsErr = namespaceError(kind, cmd.allNamespaces, cmd.namespace);
  if (nsErr !== null) {
    emit(ctx, runGet([], [nsErr], opts));
    return;
  }
  // handleNamespace: a namespaced kind without -n or -A is looked up in `default`.
  const namespace = kind === 'WorkloadEndpoint' && !cmd.allNamespaces ? cmd.namespace || 'default' : '';
  const all = resourcesOf(c, kind, namespace, version);
  if (cmd.names.length === 0) {
    emit(ctx, runGet([{ type: 'list', kind, items: all }], [], opts));
    return;
  }
  const objects: GetObject[] = [];
  const errs: string[] = [];
  for (const name of cmd.names) {
    const r = all.find((x) => x.metadata.name === name);
    if (r !== undefined) objects.push({ type: 'resource', resource: r });
    else errs.push(resourceNotFoundError(kind, name, namespace === '' ? undefined : namespace));
  }
  emit(ctx, runGet(objects, errs, opts));
}

function runNodeStatus(ctx: ToolContext, c: ClusterRuntime, node: CalicoNodeInfo): void {
  const daemon = c.birds.get(node.name);
  const bird = birdRunning(c, node);
  const bird6 = bird6Running(c, node);
  const cfg = c.configs.get(node.name);
  emit(
    ctx,
    formatNodeStatus({
      calicoRunning: node.state === 'ready',
      birdRunning: bird,
      bird6Running: bird6,
      ...(bird && daemon !== undefined ? { bird4: { ok: true, reply: socketReply(c, daemon, cfg) } } : {}),
      ...(bird6 && daemon !== undefined ? { bird6: { ok: true, reply: socketReply(c, daemon, undefined, 'bird6') } } : {}),
    }),
  );
}

function runIpamShow(ctx: ToolContext, c: ClusterRuntime, cmd: Extract<CalicoctlCommand, { command: 'ipam-show' }>): void {
  if (cmd.ip !== undefined) {
    notModelled(ctx, `calicoctl ipam show --ip=${cmd.ip}`);
    return;
  }
  if (cmd.showBorrowed) {
    notModelled(ctx, 'calicoctl ipam show --show-borrowed');
    return;
  }
  if (cmd.showConfiguration) {
    notModelled(ctx, 'calicoctl ipam show --show-configuration');
    return;
  }
  const pools = utilization(c.plan.state).map((p) => ({
    cidr: formatCidr(p.cidr),
    blocks: p.blocks.map((b) => ({ cidr: formatCidr(b.cidr), capacity: b.capacity, available: b.available })),
  }));
  ctx.out.out(formatIpamShow(pools, cmd.showBlocks));
}

/** after is argv after its first `word` (the subcommand, behind any global options). */
function after(argv: readonly string[], word: string): readonly string[] {
  const i = argv.indexOf(word);
  return i < 0 ? [] : argv.slice(i + 1);
}

/** CALICOCTL is calicoctl as installed on a node; its writes go to the running cluster (src/tools/apply.ts). */
export const CALICOCTL: Program = {
  name: 'calicoctl',
  available: (ctx) => nodeHere(ctx) !== undefined,
  run(ctx, argv) {
    const c = ctx.cluster!;
    const node = nodeHere(ctx)!;
    const version: CalicoVersion = c.ds.version;
    const p = parseCalicoctlArgs(argv, version);
    if (!p.ok) {
      emit(ctx, p.output);
      return;
    }
    const cmd = p.cmd;
    switch (cmd.command) {
      case 'node-status':
        runNodeStatus(ctx, c, node);
        return;
      case 'get':
        runGetCommand(ctx, c, cmd, version);
        return;
      case 'ipam-show':
        runIpamShow(ctx, c, cmd);
        return;
      case 'help':
        notModelled(ctx, `calicoctl ${cmd.topic} --help`);
        return;
      case 'apply':
        calicoctlApply(ctx, 'apply', after(argv, 'apply'));
        return;
      case 'patch':
        calicoctlPatch(ctx, after(argv, 'patch'));
        return;
      case 'other':
        if (cmd.name === 'create' || cmd.name === 'replace') calicoctlApply(ctx, cmd.name, after(argv, cmd.name));
        else notModelled(ctx, `calicoctl ${cmd.name}`);
        return;
    }
  },
};
