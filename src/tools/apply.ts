// Changes to a running cluster, as people make them: `calicoctl apply|create|replace -f FILE` and
// `calicoctl patch KIND NAME -p PATCH` (calicoctl/commands/{apply,create,replace,patch}.go and
// common/resources.go ExecuteConfigCommand: "Successfully applied 1 'IPPool' resource(s)"), and
// `kubectl apply -f FILE` for a Pod or a workload (kubectl prints `pod/NAME created`,
// `deployment.apps/NAME created`). calisim does not schedule: a workload starts the scenario's pending
// pods it selects. After a change the clock runs until the cluster is quiet again, as it is by the
// time a person types the next command.

import { parseAllDocuments } from 'yaml';
import { formatCidr } from '../model/addr.js';
import { applyResources } from '../scenarios/calico/load.js';
import type { PodInfo } from '../scenarios/calico/datastore.js';
import type { ToolContext } from './context.js';
import { safeText } from './escape.js';

/** SETTLE_LIMIT_S bounds how long a change may take to settle (virtual seconds). */
const SETTLE_LIMIT_S = 300;

/** readManifest reads `-f FILE` / `--filename=FILE` from argv; it returns the file's text, or prints the error. */
function readManifest(ctx: ToolContext, argv: readonly string[], prog: string): { file: string; text: string } | null {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--filename') file = argv[++i];
    else if (a.startsWith('--filename=')) file = a.slice('--filename='.length);
    else if (a.startsWith('-f') && a.length > 2) file = a.slice(2);
  }
  if (file === undefined) {
    ctx.out.errLine(prog === 'kubectl' ? 'error: must specify one of -f and -k' : 'Invalid option: no file given (use -f FILE)', 1);
    return null;
  }
  const r = ctx.readFile?.(file) ?? { errno: 'ENOENT' };
  if ('errno' in r) {
    const why = r.errno === 'ENOENT' ? 'no such file or directory' : r.errno === 'EISDIR' ? 'is a directory' : r.errno;
    ctx.out.errLine(
      safeText(prog === 'kubectl' ? `error: the path "${file}" does not exist` : `Failed to execute command: open ${file}: ${why}`),
      1,
    );
    return null;
  }
  return { file, text: r.text };
}

/** settle runs the clock until nothing is due for a second, as the cluster reacts to a change. */
function settle(ctx: ToolContext): void {
  const c = ctx.cluster;
  if (c !== undefined) c.settle(SETTLE_LIMIT_S);
}

/** PAST is the past tense calicoctl prints for each verb. */
const PAST: ReadonlyMap<string, string> = new Map([
  ['apply', 'applied'],
  ['create', 'created'],
  ['replace', 'replaced'],
]);

/** calicoctlApply is `calicoctl apply|create|replace -f FILE`. */
export function calicoctlApply(ctx: ToolContext, verb: 'apply' | 'create' | 'replace', argv: readonly string[]): void {
  const c = ctx.cluster;
  if (c === undefined) return;
  const m = readManifest(ctx, argv, 'calicoctl');
  if (m === null) return;
  const r = applyResources(c.scenario, m.text, m.file);
  if (!r.ok) {
    ctx.out.errLine(safeText(`Failed to execute command: ${r.errors.join('; ')}`), 1);
    return;
  }
  const kinds = new Set(r.applied.map((a) => a.kind));
  const single = kinds.size === 1 ? [...kinds][0] : '';
  if (verb === 'create') {
    const exists = r.applied.filter((a) => !a.created);
    if (exists.length > 0) {
      const errs = exists.map((a) => `resource already exists: ${a.kind}(${a.name})`).join(' ');
      ctx.out.errLine(
        r.applied.length === 1
          ? `Failed to create '${single}' resource: [${errs}]`
          : `Failed to create any${single !== '' ? ` '${single}'` : ''} resources: [${errs}]`,
        1,
      );
      return;
    }
  }
  if (verb === 'replace') {
    const missing = r.applied.filter((a) => a.created);
    if (missing.length > 0) {
      const a = missing[0];
      ctx.out.errLine(`Failed to replace '${a.kind}' resource: resource does not exist: ${a.kind}(${a.name}) with error: <nil>`, 1);
      return;
    }
  }
  c.applyScenario(r.scenario);
  const n = r.applied.length;
  ctx.out.out(
    single !== '' ? `Successfully ${PAST.get(verb)} ${n} '${single}' resource(s)\n` : `Successfully ${PAST.get(verb)} ${n} resource(s)\n`,
  );
  settle(ctx);
}

/** KIND_ALIASES maps what calicoctl accepts as a kind name to the kind. */
const KIND_ALIASES: ReadonlyMap<string, string> = new Map([
  ['ippool', 'IPPool'],
  ['ippools', 'IPPool'],
  ['ipp', 'IPPool'],
  ['ipps', 'IPPool'],
  ['pool', 'IPPool'],
  ['pools', 'IPPool'],
  ['node', 'Node'],
  ['nodes', 'Node'],
  ['no', 'Node'],
  ['bgppeer', 'BGPPeer'],
  ['bgppeers', 'BGPPeer'],
  ['bgpp', 'BGPPeer'],
  ['bgpconfig', 'BGPConfiguration'],
  ['bgpconfigs', 'BGPConfiguration'],
  ['bgpconfiguration', 'BGPConfiguration'],
  ['bgpconfigurations', 'BGPConfiguration'],
  ['felixconfig', 'FelixConfiguration'],
  ['felixconfigs', 'FelixConfiguration'],
  ['felixconfiguration', 'FelixConfiguration'],
  ['felixconfigurations', 'FelixConfiguration'],
]);

/** mergePatch is RFC 7386 JSON merge patch (what calicoctl's strategic and merge types do to these resources). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = new Map<string, unknown>(
    target !== null && typeof target === 'object' && !Array.isArray(target) ? Object.entries(target) : [],
  );
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) out.delete(k);
    else out.set(k, mergePatch(out.get(k), v));
  }
  return Object.fromEntries(out);
}

/** unquote drops the shell quotes around a word (`'{"spec":…}'`), as sh would. */
function unquote(s: string): string {
  return s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) ? s.slice(1, -1) : s;
}

/**
 * implicitResource is a resource the datastore holds without a document in the scenario: the pool
 * calico-node creates from CALICO_IPV4POOL_* when there is none (startup.go createIPPool).
 */
function implicitResource(ctx: ToolContext, kind: string, name: string): unknown {
  const c = ctx.cluster;
  if (c === undefined || kind !== 'IPPool') return undefined;
  const p = c.ds.pools.find((x) => x.name === name);
  if (p === undefined) return undefined;
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name: p.name },
    spec: {
      allowedUses: [...p.allowedUses],
      blockSize: p.blockSize,
      cidr: formatCidr(p.cidr),
      ipipMode: p.ipipMode,
      natOutgoing: p.natOutgoing,
      nodeSelector: p.nodeSelector,
      vxlanMode: p.vxlanMode,
      ...(p.disabled ? { disabled: true } : {}),
      ...(p.disableBGPExport ? { disableBGPExport: true } : {}),
    },
  };
}

/** calicoctlPatch is `calicoctl patch KIND NAME -p PATCH`. */
export function calicoctlPatch(ctx: ToolContext, argv: readonly string[]): void {
  const c = ctx.cluster;
  if (c === undefined) return;
  const pos: string[] = [];
  let patch: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-p' || a === '--patch') patch = argv[++i];
    else if (a.startsWith('--patch=')) patch = a.slice('--patch='.length);
    else if (a === '-t' || a === '--type' || a === '-c' || a === '--config' || a === '-n' || a === '--namespace') i++;
    else if (!a.startsWith('-')) pos.push(a);
  }
  if (pos.length !== 2 || patch === undefined) {
    ctx.out.errLine('Invalid option: calicoctl patch <KIND> <NAME> --patch=<PATCH>', 1);
    return;
  }
  const kind = KIND_ALIASES.get(pos[0].toLowerCase());
  if (kind === undefined) {
    ctx.out.errLine(safeText(`Failed to execute command: resource type '${pos[0]}' is not supported`), 1);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(unquote(patch));
  } catch {
    ctx.out.errLine(safeText(`Failed to patch '${kind}' resource: invalid character in patch ${JSON.stringify(unquote(patch))}`), 1);
    return;
  }
  const base = c.scenario.resources.find((r) => r.kind === kind && r.name === pos[1])?.value ?? implicitResource(ctx, kind, pos[1]);
  if (base === undefined) {
    ctx.out.errLine(safeText(`Failed to patch '${kind}' resource: resource does not exist: ${kind}(${pos[1]}) with error: <nil>`), 1);
    return;
  }
  const merged = mergePatch(base, parsed) as Record<string, unknown>;
  const r = applyResources(c.scenario, JSON.stringify(merged), `${kind}(${pos[1]})`);
  if (!r.ok) {
    ctx.out.errLine(safeText(`Failed to patch '${kind}' resource: ${r.errors.join('; ')}`), 1);
    return;
  }
  c.applyScenario(r.scenario);
  ctx.out.out(`Successfully patched 1 '${kind}' resource\n`);
  settle(ctx);
}

/** WORKLOAD_KINDS maps a workload kind to how kubectl names it. */
const WORKLOAD_KINDS: ReadonlyMap<string, string> = new Map([
  ['Deployment', 'deployment.apps'],
  ['DaemonSet', 'daemonset.apps'],
  ['ReplicaSet', 'replicaset.apps'],
  ['StatefulSet', 'statefulset.apps'],
]);

function labelsOf(v: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) m.set(k, String(x));
  return m;
}

function get(v: unknown, ...path: string[]): unknown {
  let x = v;
  for (const k of path) {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
    x = new Map(Object.entries(x)).get(k);
  }
  return x;
}

/** kubectlApply is `kubectl apply -f FILE`: each Pod or workload starts the pending pods it stands for. */
export function kubectlApply(ctx: ToolContext, argv: readonly string[]): void {
  const c = ctx.cluster;
  if (c === undefined) return;
  const m = readManifest(ctx, argv, 'kubectl');
  if (m === null) return;
  const docs = parseAllDocuments(m.text);
  for (const d of docs) {
    if (d.errors.length > 0) {
      ctx.out.errLine(safeText(`error: error parsing ${m.file}: ${d.errors[0].message.split('\n')[0]}`), 1);
      return;
    }
  }
  let status = 0;
  for (const d of docs) {
    const obj = d.toJS() as unknown;
    if (obj === null || obj === undefined) continue;
    const kind = String(get(obj, 'kind') ?? '');
    const name = String(get(obj, 'metadata', 'name') ?? '');
    const namespace = String(get(obj, 'metadata', 'namespace') ?? 'default');
    let picked: PodInfo[];
    let shown: string;
    if (kind === 'Pod') {
      shown = `pod/${name}`;
      picked = c.ds.pods.filter((p) => p.name === name && p.namespace === namespace);
    } else if (WORKLOAD_KINDS.has(kind)) {
      shown = `${WORKLOAD_KINDS.get(kind)}/${name}`;
      const sel = labelsOf(get(obj, 'spec', 'selector', 'matchLabels') ?? get(obj, 'spec', 'template', 'metadata', 'labels'));
      picked = c.ds.pods.filter((p) => p.namespace === namespace && sel.size > 0 && [...sel].every(([k, v]) => p.labels.get(k) === v));
    } else {
      ctx.out.errLine(
        safeText(
          `error: calisim: kubectl apply of kind "${kind}" is not modelled (Pod, Deployment, DaemonSet, ReplicaSet, StatefulSet are)`,
        ),
        1,
      );
      status = 1;
      continue;
    }
    if (picked.length === 0) {
      ctx.out.errLine(
        safeText(
          `error: calisim: no pod of the scenario is ${shown} (calisim does not schedule: declare its pods in spec.pods, pending: true)`,
        ),
        1,
      );
      status = 1;
      continue;
    }
    const pending = picked.filter((p) => !c.pods.has(`${p.namespace}/${p.name}`));
    for (const p of pending) {
      const e = c.startPod(p);
      if (e !== null) {
        ctx.out.errLine(safeText(`error: calisim: pod ${p.name}: the CNI plugin failed: ${e}`), 1);
        status = 1;
      }
    }
    ctx.out.out(`${shown} ${pending.length > 0 ? 'created' : 'unchanged'}\n`);
  }
  ctx.out.status = status;
  settle(ctx);
}
