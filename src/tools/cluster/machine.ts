// What the programs of a Calico cluster share: which machine the namespace a command runs in stands for
// (a node, a pod, a BGP peer outside the cluster), the userspace that machine has (podToolFlavour: a
// BusyBox image or a distribution's iputils / net-tools), the cluster's clock as wall-clock seconds
// (ds.startTime is virtual time 0; every node's local time zone is UTC), and how a printer's
// CommandOutput reaches the shell.

import type { ClusterRuntime, ExternalSpeaker } from '../../scenarios/runtime/cluster.js';
import type { CalicoNodeInfo, PodInfo } from '../../scenarios/calico/datastore.js';
import { podToolFlavour } from '../../scenarios/calico/cluster.js';
import type { ToolContext } from '../context.js';
import type { CommandOutput } from '../format/output.js';
import { safeText } from '../escape.js';

/** nodeHere is the node the command runs on, when its namespace is a node's. */
export function nodeHere(ctx: ToolContext): CalicoNodeInfo | undefined {
  const m = ctx.cluster?.machineOf(ctx.ns);
  return m?.kind === 'node' ? m.node : undefined;
}

/** podHere is the pod the command runs in, when its namespace is a running pod's. */
export function podHere(ctx: ToolContext): PodInfo | undefined {
  const m = ctx.cluster?.machineOf(ctx.ns);
  return m?.kind === 'pod' ? m.pod : undefined;
}

/** peerHere is the BGP speaker outside the cluster whose namespace the command runs in (its host or its router). */
export function peerHere(ctx: ToolContext): ExternalSpeaker | undefined {
  if (ctx.cluster === undefined) return undefined;
  for (const e of ctx.cluster.external.values()) if (e.ns === ctx.ns) return e;
  return undefined;
}

/** inCluster says whether the namespace is one of the cluster's machines (a node, pod, peer, router or the fabric). */
export function inCluster(ctx: ToolContext): boolean {
  return ctx.cluster !== undefined && (ctx.cluster.machineOf(ctx.ns) !== undefined || peerHere(ctx) !== undefined);
}

/** inBusyboxPod says whether the command runs in a pod whose image is BusyBox (its applets replace the usual tools). */
export function inBusyboxPod(ctx: ToolContext): boolean {
  const pod = podHere(ctx);
  return pod !== undefined && podToolFlavour(pod.image) === 'busybox';
}

/** epochNow is the cluster's wall-clock time in seconds since the Unix epoch. */
export function epochNow(c: ClusterRuntime): number {
  return c.ds.startTime + c.nowSeconds;
}

/** epochOf turns a virtual time (seconds) into wall-clock seconds. */
export function epochOf(c: ClusterRuntime, virtualSeconds: number): number {
  return c.ds.startTime + virtualSeconds;
}

/** emit writes what a printer returned: its stdout, then its stderr, and its exit status. */
export function emit(ctx: ToolContext, r: CommandOutput): void {
  ctx.out.out(r.stdout);
  ctx.out.err(r.stderr);
  ctx.out.status = r.exitStatus;
}

/** notModelled is calisim's own answer to a form of a real program it does not reproduce (exit status 2). */
export function notModelled(ctx: ToolContext, what: string): void {
  ctx.out.errLine(safeText(`calisim: \`${what}\` is not modelled`), 2);
}
