// `calicoctl get` output (calicoctl/commands/get.go, commands/common/printer.go and the
// resourcemgr/*.go registrations of v3.26–v3.30): the ps/wide tables are go templates whose every
// cell, the last one included, ends in a tab, run through tabwriter.NewWriter(stdout, 5, 1, 3, ' ',
// 0) — so every line ends in padding — and each table is followed by a blank line. `-o yaml` and
// `-o json` marshal the single result, or the slice of results, with go-json / go-yaml-wrapper.

import { goJsonMarshalIndent } from '../format/gojson.js';
import { goYamlMarshal } from '../format/goyaml.js';
import type { GoValue } from '../format/govalue.js';
import { CALICOCTL_TABWRITER, tabwrite } from '../format/tabwriter.js';
import type { CommandOutput } from '../format/output.js';
import { resourceJson, resourceListJson, type CalicoKind, type CalicoResource, type CalicoVersion } from './resources.js';

/** CalicoOutputFormat is the value of `-o`: ps (the default), wide, yaml or json. */
export type CalicoOutputFormat = 'ps' | 'wide' | 'yaml' | 'json';

/**
 * GetObject is one object of a get's results: a single resource (named on the command line) or
 * the `<Kind>List` a get without names returns.
 */
export type GetObject =
  | { readonly type: 'resource'; readonly resource: CalicoResource }
  | { readonly type: 'list'; readonly kind: CalicoKind; readonly items: readonly CalicoResource[]; readonly resourceVersion?: string };

/** GetPrintOptions are the settings the printers take from the command line and the datastore. */
export interface GetPrintOptions {
  readonly output: CalicoOutputFormat;
  /** printNamespace is true with -A or -n (namespaced kinds get a NAMESPACE column). */
  readonly printNamespace?: boolean;
  readonly version?: CalicoVersion;
  /** globalAsNumber is `config "asnumber"`: the default BGPConfiguration's AS (64512 when unset). */
  readonly globalAsNumber?: string;
}

interface KindTable {
  readonly headings: readonly string[];
  readonly wide: readonly string[];
  readonly namespaced: boolean;
  readonly cell: (r: never, heading: string, o: GetPrintOptions) => string;
}

const goBool = (b: boolean | undefined): string => (b ? 'true' : 'false');
const join = (a: readonly string[] | undefined): string => (a ?? []).join(',');

const TABLES: Record<CalicoKind, KindTable> = {
  IPPool: {
    headings: ['NAME', 'CIDR', 'SELECTOR'],
    wide: ['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR'],
    namespaced: false,
    cell: (r: Extract<CalicoResource, { kind: 'IPPool' }>, h) => {
      const s = r.spec;
      switch (h) {
        case 'NAME':
          return r.metadata.name;
        case 'CIDR':
          return s.cidr;
        case 'NAT':
          return goBool(s.natOutgoing);
        case 'IPIPMODE':
          return s.ipipMode || 'Never';
        case 'VXLANMODE':
          return s.vxlanMode || 'Never';
        case 'DISABLED':
          return goBool(s.disabled);
        case 'DISABLEBGPEXPORT':
          return goBool(s.disableBGPExport);
        case 'SELECTOR':
          return s.nodeSelector ?? '';
        case 'ASSIGNMENTMODE':
          // A nil *AssignmentMode prints as <nil> through text/template.
          return s.assignmentMode ?? '<nil>';
      }
      return '';
    },
  },
  Node: {
    headings: ['NAME'],
    wide: ['NAME', 'ASN', 'IPV4', 'IPV6'],
    namespaced: false,
    cell: (r: Extract<CalicoResource, { kind: 'Node' }>, h, o) => {
      const bgp = r.spec.bgp;
      switch (h) {
        case 'NAME':
          return r.metadata.name;
        case 'ASN':
          return bgp ? (bgp.asNumber !== undefined ? String(bgp.asNumber) : `(${o.globalAsNumber ?? '64512'})`) : '';
        case 'IPV4':
          return bgp?.ipv4Address ?? '';
        case 'IPV6':
          return bgp?.ipv6Address ?? '';
      }
      return '';
    },
  },
  WorkloadEndpoint: {
    headings: ['WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'],
    wide: ['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'],
    namespaced: true,
    cell: (r: Extract<CalicoResource, { kind: 'WorkloadEndpoint' }>, h) => {
      const s = r.spec;
      switch (h) {
        case 'NAME':
          return r.metadata.name;
        case 'NAMESPACE':
          return r.metadata.namespace ?? '';
        case 'NODE':
          return s.node ?? '';
        case 'ORCHESTRATOR':
          return s.orchestrator ?? '';
        case 'WORKLOAD':
          return s.workload || s.pod || '';
        case 'NETWORKS':
          return join(s.ipNetworks);
        case 'NATS':
          // fmt.Fprint of an IPNAT struct value: {internal external}.
          return (s.ipNATs ?? []).map((n) => `{${n.internalIP} ${n.externalIP}}`).join(',');
        case 'PROFILES':
          return join(s.profiles);
        case 'INTERFACE':
          return s.interfaceName ?? '';
      }
      return '';
    },
  },
  BGPPeer: {
    headings: ['NAME', 'PEERIP', 'NODE', 'ASN'],
    wide: ['NAME', 'PEERIP', 'NODE', 'ASN'],
    namespaced: false,
    cell: (r: Extract<CalicoResource, { kind: 'BGPPeer' }>, h) => {
      const s = r.spec;
      switch (h) {
        case 'NAME':
          return r.metadata.name;
        case 'PEERIP':
          return s.peerIP ?? '';
        case 'NODE':
          return s.node ? s.node : s.nodeSelector ? s.nodeSelector : '(global)';
        case 'ASN':
          return String(s.asNumber ?? 0);
      }
      return '';
    },
  },
  BGPConfiguration: {
    headings: ['NAME', 'LOGSEVERITY', 'MESHENABLED', 'ASNUMBER'],
    wide: ['NAME', 'LOGSEVERITY', 'MESHENABLED', 'ASNUMBER'],
    namespaced: false,
    cell: (r: Extract<CalicoResource, { kind: 'BGPConfiguration' }>, h) => {
      const s = r.spec;
      switch (h) {
        case 'NAME':
          return r.metadata.name;
        case 'LOGSEVERITY':
          return s.logSeverityScreen ?? '';
        case 'MESHENABLED':
          return s.nodeToNodeMeshEnabled === undefined ? '-' : goBool(s.nodeToNodeMeshEnabled);
        case 'ASNUMBER':
          return s.asNumber === undefined ? '-' : String(s.asNumber);
      }
      return '';
    },
  },
};

/** tableHeadings returns the columns of `kind` for ps or wide output in `version`. */
export function tableHeadings(kind: CalicoKind, wide: boolean, printNamespace: boolean, version: CalicoVersion = 'v3.30'): string[] {
  const t = TABLES[kind];
  let h = [...(wide ? t.wide : t.headings)];
  if (kind === 'IPPool' && wide && version === 'v3.30') h.push('ASSIGNMENTMODE');
  if (printNamespace && t.namespaced) h = ['NAMESPACE', ...h];
  return h;
}

/** formatTable prints one object as printer.go's ResourcePrinterTable does, blank line included. */
export function formatTable(obj: GetObject, o: GetPrintOptions): string {
  const kind = obj.type === 'list' ? obj.kind : obj.resource.kind;
  const items = obj.type === 'list' ? obj.items : [obj.resource];
  const headings = tableHeadings(kind, o.output === 'wide', o.printNamespace ?? false, o.version);
  const cell = TABLES[kind].cell as (r: CalicoResource, h: string, o: GetPrintOptions) => string;
  let text = `${headings.map((h) => `${h}\t`).join('')}\n`;
  for (const r of items) text += `${headings.map((h) => `${cell(r, h, o)}\t`).join('')}\n`;
  return `${tabwrite(CALICOCTL_TABWRITER, text)}\n`;
}

function objectJson(obj: GetObject): GoValue {
  return obj.type === 'list' ? resourceListJson(obj.kind, obj.items, obj.resourceVersion) : resourceJson(obj.resource);
}

/** getResultValue is what the YAML and JSON printers marshal: the only result, or all of them. */
export function getResultValue(objects: readonly GetObject[]): GoValue {
  if (objects.length === 1) return objectJson(objects[0]);
  // A nil []runtime.Object (no results at all) marshals as null.
  return objects.length === 0 ? null : objects.map(objectJson);
}

/** formatGet prints the results of `calicoctl get` in the requested output format. */
export function formatGet(objects: readonly GetObject[], o: GetPrintOptions): string {
  switch (o.output) {
    case 'yaml':
      return goYamlMarshal(getResultValue(objects));
    case 'json':
      return `${goJsonMarshalIndent(getResultValue(objects))}\n`;
    default:
      return objects.map((obj) => formatTable(obj, o)).join('');
  }
}

/** CRD_PLURALS names the custom resources of the Kubernetes datastore, for not-found errors. */
const CRD_PLURALS: Partial<Record<CalicoKind, string>> = {
  IPPool: 'ippools.crd.projectcalico.org',
  BGPPeer: 'bgppeers.crd.projectcalico.org',
  BGPConfiguration: 'bgpconfigurations.crd.projectcalico.org',
};

/**
 * resourceNotFoundError is libcalico-go's ErrorResourceDoesNotExist for a get of a missing name in
 * the Kubernetes datastore: `resource does not exist: IPPool(foo) with error: ...`. Nodes are
 * Kubernetes nodes there. Derived from the error types; not checked against a cluster.
 */
export function resourceNotFoundError(kind: CalicoKind, name: string, namespace?: string): string {
  const id = namespace ? `${kind}(${namespace}/${name})` : `${kind}(${name})`;
  let inner: string;
  if (kind === 'Node') inner = `nodes "${name}" not found`;
  else if (kind === 'WorkloadEndpoint') inner = `pods "${name}" not found`;
  else inner = `${CRD_PLURALS[kind]} "${name}" not found`;
  return `resource does not exist: ${id} with error: ${inner}`;
}

/** isNamespacedKind says whether a kind lives in a namespace (only WorkloadEndpoint among these). */
export function isNamespacedKind(kind: CalicoKind): boolean {
  return TABLES[kind].namespaced;
}

/**
 * namespaceError is common/resources.go handleNamespace for a resource built from the command
 * line: the error of `-A`/`-n` on a kind that has no namespace, or of both at once.
 */
export function namespaceError(kind: CalicoKind, allNamespaces: boolean, namespace: string): string | null {
  if (isNamespacedKind(kind)) {
    return allNamespaces && namespace !== '' ? 'cannot use both --namespace and --all-namespaces flags at the same time' : null;
  }
  return allNamespaces || namespace !== '' ? `${kind} is not namespaced` : null;
}

/**
 * runGet is the end of get.go: print the results, then fail with the per-resource errors (joined
 * by newlines) if there were any.
 */
export function runGet(objects: readonly GetObject[], resErrs: readonly string[], o: GetPrintOptions): CommandOutput {
  const stdout = formatGet(objects, o);
  if (resErrs.length > 0) return { stdout, stderr: `${resErrs.join('\n')}\n`, exitStatus: 1 };
  return { stdout, stderr: '', exitStatus: 0 };
}
