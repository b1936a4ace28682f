// kubectl get and kubectl exec as kubectl v1.32 prints and parses them: the cells come from the API
// server's table printers (pkg/printers/internalversion/printers.go printPod, printNode,
// printDaemonSet, translateTimestampSince → apimachinery duration.HumanDuration; for a custom resource
// without printer columns apiextensions-apiserver's default `Age` column), the layout from
// cli-runtime's table printer (upper-cased headers, priority-1 columns only with -o wide, a
// NAMESPACE column with -A for namespaced resources, cells joined by tabs, the last one not
// tab-terminated) written through liggitt/tabwriter (6, 4, 3, ' ', RememberWidths). An empty list
// prints `No resources found ...` on stderr. `-o yaml|json` is get.go printGeneric: one object when
// one name was asked for, otherwise a `v1 List` with `resourceVersion: ""`, marshalled as
// sigs.k8s.io/yaml (keys sorted) or json.MarshalIndent with four spaces. Times are seconds; `now` is
// passed in.

import { goJsonMarshalIndent } from '../format/gojson.js';
import { compareUtf8, goObject, type GoObject } from '../format/govalue.js';
import { goYamlMarshal } from '../format/goyaml.js';
import type { CommandOutput } from '../format/output.js';
import { KUBECTL_TABWRITER, tabwrite } from '../format/tabwriter.js';
import { sortedKeys } from './crd.js';
import { type KubeResourceType, qualifiedResource, resolveResourceType } from './resources.js';

/** humanDuration is duration.HumanDuration for a duration of `seconds` (fractions allowed). */
export function humanDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60 * 2) return `${s}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const r = Math.floor(seconds) % 60;
    return r === 0 ? `${minutes}m` : `${minutes}m${r}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** translateTimestampSince is printers.go's AGE cell: `<unknown>` for a zero timestamp. */
export function translateTimestampSince(timestamp: number | undefined, now: number): string {
  if (timestamp === undefined) return '<unknown>';
  return humanDuration(now - timestamp);
}

/** ContainerState is one container's current (or last) state. */
export type ContainerState =
  | { readonly state: 'running' }
  | { readonly state: 'waiting'; readonly reason?: string }
  | { readonly state: 'terminated'; readonly reason?: string; readonly exitCode: number; readonly signal?: number };

/** ContainerStatus is a pod's status of one (non-init) container. */
export interface ContainerStatus {
  readonly ready: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
  /** lastTerminatedAt is lastState.terminated.finishedAt, for `N (2m ago)` restarts. */
  readonly lastTerminatedAt?: number;
}

/** KubePod is what printPod reads of a pod (init containers left out). */
export interface KubePod {
  readonly namespace: string;
  readonly name: string;
  readonly creationTimestamp?: number;
  readonly deletionTimestamp?: number;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** reason is status.reason (e.g. Evicted, NodeLost). */
  readonly reason?: string;
  readonly containers: number;
  readonly containerStatuses: readonly ContainerStatus[];
  /** readyCondition is the Ready condition's status. */
  readonly readyCondition?: boolean;
  readonly podIP?: string;
  readonly nodeName?: string;
  readonly nominatedNodeName?: string;
  /** readinessGates lists, per gate, whether its condition is True. */
  readonly readinessGates?: readonly boolean[];
}

/** podCells is printPod: NAME READY STATUS RESTARTS AGE, then IP NODE NOMINATED NODE READINESS GATES. */
export function podCells(pod: KubePod, now: number, wide: boolean): string[] {
  let restarts = 0;
  let readyContainers = 0;
  let lastRestartDate: number | undefined;
  let reason: string = pod.reason || pod.phase;
  let hasRunning = false;
  for (let i = pod.containerStatuses.length - 1; i >= 0; i--) {
    const c = pod.containerStatuses[i];
    restarts += c.restartCount;
    if (c.lastTerminatedAt !== undefined && (lastRestartDate === undefined || lastRestartDate < c.lastTerminatedAt))
      lastRestartDate = c.lastTerminatedAt;
    const s = c.state;
    if (s.state === 'waiting' && s.reason) reason = s.reason;
    else if (s.state === 'terminated' && s.reason) reason = s.reason;
    else if (s.state === 'terminated') reason = s.signal ? `Signal:${s.signal}` : `ExitCode:${s.exitCode}`;
    else if (c.ready && s.state === 'running') {
      hasRunning = true;
      readyContainers++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = pod.readyCondition ? 'Running' : 'NotReady';
  if (pod.deletionTimestamp !== undefined && pod.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.deletionTimestamp !== undefined && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestartDate !== undefined) restartsStr = `${restarts} (${translateTimestampSince(lastRestartDate, now)} ago)`;
  const cells = [
    pod.name,
    `${readyContainers}/${pod.containers}`,
    reason,
    restartsStr,
    translateTimestampSince(pod.creationTimestamp, now),
  ];
  if (wide) {
    const gates =
      pod.readinessGates && pod.readinessGates.length > 0
        ? `${pod.readinessGates.filter((g) => g).length}/${pod.readinessGates.length}`
        : '<none>';
    cells.push(pod.podIP || '<none>', pod.nodeName || '<none>', pod.nominatedNodeName || '<none>', gates);
  }
  return cells;
}

/** KubeNode is what printNode reads of a node. */
export interface KubeNode {
  readonly name: string;
  readonly creationTimestamp?: number;
  /** ready is the Ready condition: true, false, or absent (Unknown). */
  readonly ready?: boolean;
  readonly unschedulable?: boolean;
  readonly labels?: ReadonlyMap<string, string>;
  readonly kubeletVersion: string;
  readonly internalIP?: string;
  readonly externalIP?: string;
  readonly osImage?: string;
  readonly kernelVersion?: string;
  readonly containerRuntimeVersion?: string;
}

/** nodeRoles is findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted. */
export function nodeRoles(labels: ReadonlyMap<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of labels ?? []) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role.length > 0) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

/** nodeCells is printNode: NAME STATUS ROLES AGE VERSION, then INTERNAL-IP ... CONTAINER-RUNTIME. */
export function nodeCells(n: KubeNode, now: number, wide: boolean): string[] {
  const status = [n.ready === undefined ? 'Unknown' : n.ready ? 'Ready' : 'NotReady'];
  if (n.unschedulable) status.push('SchedulingDisabled');
  const roles = nodeRoles(n.labels).join(',') || '<none>';
  const cells = [n.name, status.join(','), roles, translateTimestampSince(n.creationTimestamp, now), n.kubeletVersion];
  if (wide) {
    cells.push(
      n.internalIP ?? '<none>',
      n.externalIP ?? '<none>',
      n.osImage || '<unknown>',
      n.kernelVersion || '<unknown>',
      n.containerRuntimeVersion || '<unknown>',
    );
  }
  return cells;
}

const POD_HEADERS = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
const POD_WIDE = ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];
const NODE_HEADERS = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
const NODE_WIDE = ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'];

/** formatKubeTable is cli-runtime printTable through GetNewTabWriter. */
export function formatKubeTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const text = [headers, ...rows].map((r) => `${r.join('\t')}\n`).join('');
  return tabwrite(KUBECTL_TABWRITER, text);
}

/** KubeGetOptions are the flags of `kubectl get` that change the table. */
export interface KubeGetOptions {
  readonly wide?: boolean;
  /** allNamespaces is -A: a NAMESPACE column, and `No resources found` without a namespace. */
  readonly allNamespaces?: boolean;
  /** namespace is the namespace listed (the context's, `default`, unless -n). */
  readonly namespace?: string;
}

/** kubectlGetPods prints `kubectl get pods` for the pods of the namespace (or all, with -A), in list order. */
export function kubectlGetPods(pods: readonly KubePod[], now: number, o: KubeGetOptions = {}): CommandOutput {
  const ns = o.namespace ?? 'default';
  const listed = o.allNamespaces ? pods : pods.filter((p) => p.namespace === ns);
  if (listed.length === 0) {
    return { stdout: '', stderr: o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`, exitStatus: 0 };
  }
  const headers = [...(o.allNamespaces ? ['NAMESPACE'] : []), ...POD_HEADERS, ...(o.wide ? POD_WIDE : [])];
  const rows = listed.map((p) => [...(o.allNamespaces ? [p.namespace] : []), ...podCells(p, now, o.wide ?? false)]);
  return { stdout: formatKubeTable(headers, rows), stderr: '', exitStatus: 0 };
}

/** kubectlGetNodes prints `kubectl get nodes`. */
export function kubectlGetNodes(nodes: readonly KubeNode[], now: number, o: { readonly wide?: boolean } = {}): CommandOutput {
  if (nodes.length === 0) return { stdout: '', stderr: 'No resources found\n', exitStatus: 0 };
  const headers = [...NODE_HEADERS, ...(o.wide ? NODE_WIDE : [])];
  return {
    stdout: formatKubeTable(
      headers,
      nodes.map((n) => nodeCells(n, now, o.wide ?? false)),
    ),
    stderr: '',
    exitStatus: 0,
  };
}

/** KubeContainer is a container of a pod template: its name and image. */
export interface KubeContainer {
  readonly name: string;
  readonly image: string;
}

/** KubeDaemonSet is what printDaemonSet reads of a DaemonSet. */
export interface KubeDaemonSet {
  readonly namespace: string;
  readonly name: string;
  readonly creationTimestamp?: number;
  /** desired … available are status.desiredNumberScheduled, currentNumberScheduled, numberReady, updatedNumberScheduled, numberAvailable. */
  readonly desired: number;
  readonly current: number;
  readonly ready: number;
  readonly upToDate: number;
  readonly available: number;
  /** nodeSelector is spec.template.spec.nodeSelector. */
  readonly nodeSelector: ReadonlyMap<string, string>;
  readonly containers: readonly KubeContainer[];
  /** selector is spec.selector.matchLabels. */
  readonly selector: ReadonlyMap<string, string>;
}

/** formatLabels is labels.FormatLabels: `k=v` in key order, joined by commas; `<none>` when empty. */
export function formatLabels(m: ReadonlyMap<string, string>): string {
  const keys = [...m.keys()].sort(compareUtf8);
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${m.get(k)}`).join(',');
}

/** daemonSetCells is printDaemonSet: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, then CONTAINERS IMAGES SELECTOR. */
export function daemonSetCells(d: KubeDaemonSet, now: number, wide: boolean): string[] {
  const cells = [
    d.name,
    String(d.desired),
    String(d.current),
    String(d.ready),
    String(d.upToDate),
    String(d.available),
    formatLabels(d.nodeSelector),
    translateTimestampSince(d.creationTimestamp, now),
  ];
  if (wide) {
    // layoutContainerCells, then metav1.FormatLabelSelector (a matchLabels selector prints as FormatLabels does).
    cells.push(d.containers.map((c) => c.name).join(','), d.containers.map((c) => c.image).join(','), formatLabels(d.selector));
  }
  return cells;
}

const DAEMONSET_HEADERS = ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'];
const DAEMONSET_WIDE = ['CONTAINERS', 'IMAGES', 'SELECTOR'];

/** kubectlGetDaemonSets prints `kubectl get daemonsets` for the DaemonSets of the namespace (or all, with -A), in list order. */
export function kubectlGetDaemonSets(sets: readonly KubeDaemonSet[], now: number, o: KubeGetOptions = {}): CommandOutput {
  const ns = o.namespace ?? 'default';
  const listed = o.allNamespaces ? sets : sets.filter((d) => d.namespace === ns);
  if (listed.length === 0) {
    return { stdout: '', stderr: o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`, exitStatus: 0 };
  }
  const headers = [...(o.allNamespaces ? ['NAMESPACE'] : []), ...DAEMONSET_HEADERS, ...(o.wide ? DAEMONSET_WIDE : [])];
  const rows = listed.map((d) => [...(o.allNamespaces ? [d.namespace] : []), ...daemonSetCells(d, now, o.wide ?? false)]);
  return { stdout: formatKubeTable(headers, rows), stderr: '', exitStatus: 0 };
}

/** KubeClusterObject is a cluster-scoped custom resource as its default table shows it. */
export interface KubeClusterObject {
  readonly name: string;
  readonly creationTimestamp?: number;
}

/**
 * kubectlGetClusterCustomResources prints `kubectl get` of a cluster-scoped custom resource whose CRD
 * has no additionalPrinterColumns: apiextensions-apiserver serves NAME and a date column `Age`
 * (-o wide adds nothing; -A adds no NAMESPACE column to a cluster-scoped resource).
 */
export function kubectlGetClusterCustomResources(items: readonly KubeClusterObject[], now: number): CommandOutput {
  if (items.length === 0) return { stdout: '', stderr: 'No resources found\n', exitStatus: 0 };
  return {
    stdout: formatKubeTable(
      ['NAME', 'AGE'],
      items.map((x) => [x.name, translateTimestampSince(x.creationTimestamp, now)]),
    ),
    stderr: '',
    exitStatus: 0,
  };
}

/** KubeObjectFormat is a `-o` that prints the objects themselves. */
export type KubeObjectFormat = 'yaml' | 'json';

/**
 * formatKubeObjects is printGeneric: the object when exactly one name was asked for and found
 * (`singleItemImplied`), otherwise every object in a `v1 List`.
 */
export function formatKubeObjects(objects: readonly GoObject[], singleItemImplied: boolean, format: KubeObjectFormat): string {
  const value: GoObject =
    singleItemImplied && objects.length === 1
      ? objects[0]
      : goObject([
          ['apiVersion', 'v1'],
          ['items', [...objects]],
          ['kind', 'List'],
          ['metadata', goObject([['resourceVersion', '']])],
        ]);
  return format === 'yaml' ? goYamlMarshal(value) : `${goJsonMarshalIndent(sortedKeys(value), '', '    ')}\n`;
}

/** notFoundErrors are the API server's NotFound errors for the names not found, as kubectl prints them. */
export function notFoundErrors(type: KubeResourceType, names: readonly string[]): string {
  return names.map((n) => `Error from server (NotFound): ${qualifiedResource(type)} "${n}" not found\n`).join('');
}

// ---- argv ----

/** KubectlCommand is a kubectl command line modelled here. */
export type KubectlCommand =
  | {
      readonly command: 'get';
      /** resource is the resource type's plural (`pods`, `daemonsets`, `ippools`). */
      readonly resource: string;
      readonly type: KubeResourceType;
      readonly names: readonly string[];
      readonly output?: string;
      readonly namespace?: string;
      readonly allNamespaces: boolean;
    }
  | {
      readonly command: 'exec';
      readonly pod: string;
      readonly container?: string;
      readonly namespace?: string;
      readonly stdin: boolean;
      readonly tty: boolean;
      readonly quiet: boolean;
      readonly argv: readonly string[];
    }
  | { readonly command: 'other'; readonly args: readonly string[] };

/** KubectlParse is a parsed command line or kubectl's usage error. */
export type KubectlParse = { readonly ok: true; readonly cmd: KubectlCommand } | { readonly ok: false; readonly output: CommandOutput };

const usageFail = (sub: string, msg: string): KubectlParse => ({
  ok: false,
  output: { stdout: '', stderr: `error: ${msg}\nSee 'kubectl ${sub} -h' for help and examples\n`, exitStatus: 1 },
});

const flagFail = (sub: string, msg: string): KubectlParse => ({
  ok: false,
  output: { stdout: '', stderr: `Error: ${msg}\nSee 'kubectl ${sub} --help' for usage.\n`, exitStatus: 1 },
});

interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly value: boolean;
}

/** pflagParse is spf13/pflag's interspersed parsing, for the flags given; `--` ends the flags. */
function pflagParse(
  sub: string,
  args: readonly string[],
  specs: readonly FlagSpec[],
): { ok: true; flags: Map<string, string>; positional: string[]; dash: number } | { ok: false; fail: KubectlParse } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  let dash = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      dash = positional.length;
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = specs.find((s) => s.long === name);
      if (!spec) return { ok: false, fail: flagFail(sub, `unknown flag: --${name}`) };
      if (spec.value) {
        let v = eq < 0 ? undefined : a.slice(eq + 1);
        if (v === undefined) {
          if (i + 1 >= args.length) return { ok: false, fail: flagFail(sub, `flag needs an argument: --${name}`) };
          v = args[++i];
        }
        flags.set(spec.long, v);
      } else flags.set(spec.long, eq < 0 ? 'true' : a.slice(eq + 1));
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const spec = specs.find((s) => s.short === c);
        if (!spec) return { ok: false, fail: flagFail(sub, `unknown shorthand flag: '${c}' in ${a}`) };
        if (spec.value) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (v === '') {
            if (i + 1 >= args.length) return { ok: false, fail: flagFail(sub, `flag needs an argument: '${c}' in ${a}`) };
            v = args[++i];
          }
          flags.set(spec.long, v);
          break;
        }
        flags.set(spec.long, 'true');
      }
      continue;
    }
    positional.push(a);
  }
  return { ok: true, flags, positional, dash };
}

const GLOBAL_FLAGS: FlagSpec[] = [
  { long: 'namespace', short: 'n', value: true },
  { long: 'kubeconfig', value: true },
  { long: 'context', value: true },
  { long: 'v', short: 'v', value: true },
];

/**
 * KUBECTL_COMMANDS are kubectl v1.32's available subcommands in the order cobra walks them for
 * suggestions (the order cmd.go adds them; `alpha` has no commands in a release build and `help` is
 * never suggested).
 */
export const KUBECTL_COMMANDS: readonly string[] = [
  'create',
  'expose',
  'run',
  'set',
  'explain',
  'get',
  'edit',
  'delete',
  'rollout',
  'scale',
  'autoscale',
  'certificate',
  'cluster-info',
  'top',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'describe',
  'logs',
  'attach',
  'exec',
  'port-forward',
  'proxy',
  'cp',
  'auth',
  'debug',
  'events',
  'diff',
  'apply',
  'patch',
  'replace',
  'wait',
  'kustomize',
  'label',
  'annotate',
  'completion',
  'config',
  'plugin',
  'version',
  'api-versions',
  'api-resources',
  'options',
];

/** levenshtein is cobra's ld with ignoreCase. */
function levenshtein(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[t.length];
}

/**
 * unknownCommand is cobra's error for a subcommand kubectl does not have (and no `kubectl-NAME`
 * plugin on PATH): SuggestionsFor's names within distance 2 or starting with the word, printed by
 * kubectl as `Error: ...` on stderr, exit 1 (checked against kubectl v1.32.4).
 */
export function unknownCommand(name: string): CommandOutput {
  const suggestions = KUBECTL_COMMANDS.filter((c) => levenshtein(name, c) <= 2 || c.toLowerCase().startsWith(name.toLowerCase()));
  const hint = suggestions.length > 0 ? `\n\nDid you mean this?\n${suggestions.map((c) => `\t${c}\n`).join('')}` : '';
  return { stdout: '', stderr: `Error: unknown command "${name}" for "kubectl"${hint}\n`, exitStatus: 1 };
}

/**
 * hoistGlobalFlags moves the global flags written before the subcommand (`kubectl -n NS get pods`)
 * behind it, where pflag's interspersed parsing reads them the same.
 */
function hoistGlobalFlags(argv: readonly string[]): readonly string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') {
    const a = argv[i];
    const long = a.startsWith('--') ? a.slice(2).split('=')[0] : undefined;
    const spec = GLOBAL_FLAGS.find((f) => (long !== undefined ? f.long === long : f.short === a[1]));
    if (spec === undefined) break;
    lead.push(a);
    const inline = long !== undefined ? a.includes('=') : a.length > 2;
    if (spec.value && !inline && i + 1 < argv.length) lead.push(argv[++i]);
    i++;
  }
  if (lead.length === 0 || i >= argv.length) return argv;
  return [argv[i], ...lead, ...argv.slice(i + 1)];
}

/** parseKubectlArgs parses `kubectl ARGV...` for `get TYPE [NAME...]` and `exec`; an unknown subcommand is cobra's error. */
export function parseKubectlArgs(argv0: readonly string[]): KubectlParse {
  const argv = hoistGlobalFlags(argv0);
  const [sub, ...rest] = argv;
  if (sub !== undefined && !sub.startsWith('-') && !KUBECTL_COMMANDS.includes(sub) && sub !== 'help' && sub !== 'alpha')
    return { ok: false, output: unknownCommand(sub) };
  if (sub === 'exec') {
    const p = pflagParse('exec', rest, [
      ...GLOBAL_FLAGS,
      { long: 'container', short: 'c', value: true },
      { long: 'stdin', short: 'i', value: false },
      { long: 'tty', short: 't', value: false },
      { long: 'quiet', short: 'q', value: false },
      { long: 'filename', short: 'f', value: true },
      { long: 'pod-running-timeout', value: true },
    ]);
    if (!p.ok) return p.fail;
    const pos = p.positional;
    if (pos.length === 0 || p.dash === 0)
      return { ok: false, output: { stdout: '', stderr: 'error: pod, type/name or --filename must be specified\n', exitStatus: 1 } };
    if (p.dash < 0 && pos.length > 1)
      return usageFail('exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
    const command = pos.slice(1);
    if (command.length === 0)
      return {
        ok: false,
        output: { stdout: '', stderr: 'error: you must specify at least one command for the container\n', exitStatus: 1 },
      };
    const isTrue = (k: string): boolean => p.flags.get(k) === 'true';
    return {
      ok: true,
      cmd: {
        command: 'exec',
        pod: pos[0],
        container: p.flags.get('container'),
        namespace: p.flags.get('namespace'),
        stdin: isTrue('stdin'),
        tty: isTrue('tty'),
        quiet: isTrue('quiet'),
        argv: command,
      },
    };
  }
  if (sub === 'get') {
    const p = pflagParse('get', rest, [
      ...GLOBAL_FLAGS,
      { long: 'output', short: 'o', value: true },
      { long: 'all-namespaces', short: 'A', value: false },
      { long: 'selector', short: 'l', value: true },
      { long: 'watch', short: 'w', value: false },
      { long: 'show-labels', value: false },
      { long: 'no-headers', value: false },
    ]);
    if (!p.ok) return p.fail;
    if (p.positional.length === 0) {
      return {
        ok: false,
        output: {
          stdout: '',
          stderr:
            'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
            'error: Required resource not specified.\n' +
            'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
            "See 'kubectl get -h' for help and examples\n",
          exitStatus: 1,
        },
      };
    }
    const [res, ...names] = p.positional;
    // Several types (`pods,nodes`), TYPE/NAME arguments, selectors, watches and the table options are not modelled.
    const unmodelled = ['selector', 'watch', 'show-labels', 'no-headers'].some((f) => p.flags.has(f));
    if (unmodelled || res.includes(',') || p.positional.some((x) => x.includes('/')))
      return { ok: true, cmd: { command: 'other', args: argv } };
    const t = resolveResourceType(res);
    if (!t.ok) return { ok: false, output: { stdout: '', stderr: t.error, exitStatus: 1 } };
    return {
      ok: true,
      cmd: {
        command: 'get',
        resource: t.type.plural,
        type: t.type,
        names,
        output: p.flags.get('output'),
        namespace: p.flags.get('namespace'),
        allNamespaces: p.flags.get('all-namespaces') === 'true',
      },
    };
  }
  return { ok: true, cmd: { command: 'other', args: argv } };
}
