// Loading a scenario: a multi-document YAML holding one calisim/v1 Cluster and Calico resources as
// calicoctl (projectcalico.org/v3) or kubectl (crd.projectcalico.org/v1, `v1 List`) print them. Documents
// are split and typed the way calicoctl's resourcemgr does (calicoctl/calicoctl/resourcemgr/resourcemgr.go
// createResourcesFromBytes: one resource, a `<Kind>List`, or a YAML sequence of resources), decoded as in
// decode.ts, validated as in validation.ts, then cross-checked against the Cluster. Every problem is one
// line `FILE:LINE: FIELD.PATH: message`, LINE being the line of the offending node.

import { cidrContains, formatCidr, formatIpv4, networkOf, broadcastOf, type Cidr, type Ipv4 } from '../../model/addr.js';
import {
  ClusterSchema,
  CLUSTER_API,
  DEFAULT_CALICO_VERSION,
  DEFAULT_START_TIME,
  parseRfc3339,
  type Cluster,
  type ClusterNode,
} from './cluster.js';
import {
  byName,
  confdLogLevel,
  DEFAULT_AS_NUMBER,
  felixSettings,
  goRoundSeconds,
  nodeInfo,
  passwordOf,
  peerInfo,
  podInfo,
  type BGPGlobalSettings,
  type BGPNodeSettings,
  type CalicoDatastore,
  type CalicoNodeInfo,
  type FelixSettings,
  type NodeOverrides,
} from './datastore.js';
import { decodeNode, offsetFor, type Positions } from './decode.js';
import { planIpam, type IpamPlan } from './ipam.js';
import { escapeForMessage, quoteForMessage, formatPath, parseGoYamlStream, type PathSegment, type YMap, type YNode } from './goyaml.js';
import {
  API_CORE_V1,
  API_CRD,
  API_V3,
  KINDS,
  listSchema,
  ListMetaSchema,
  UNMODELLED_KINDS,
  type BGPConfiguration,
  type BGPPeer,
  type BlockAffinity,
  type CalicoKind,
  type CalicoNode,
  type FelixConfiguration,
  type IPAMConfiguration,
  type IPPool,
} from './resources.js';
import {
  formatErroredField,
  parseGoCIDR,
  parseGoCIDROrIP,
  parseGoIPv4,
  validateBGPConfiguration,
  validateBGPPeer,
  validateBlockAffinity,
  validateFelixConfiguration,
  validateIPAMConfiguration,
  validateIPPool,
  validateNode,
  type CalicoFieldError,
  type DefaultedIPPool,
} from './validation.js';

/** Loaded is one decoded resource and the means to find the line of any of its fields. */
export interface Loaded<T> {
  readonly apiVersion: string;
  /** kind is the canonical kind (`IPAMConfiguration` for a crd IPAMConfig). */
  readonly kind: CalicoKind | 'Cluster';
  readonly name: string;
  readonly value: T;
  /** path is where the resource sits in its document (`[]`, or `items[2]` in a list). */
  readonly path: readonly PathSegment[];
  /** line is the line of the resource's first key. */
  readonly line: number;
  /** lineOf returns the line of a field (a path within the resource), or of its nearest ancestor. */
  readonly lineOf: (path: readonly PathSegment[]) => number;
}

/** Scenario is a loaded, validated scenario: the documents, and the datastore they make. */
export interface Scenario {
  readonly file: string;
  /** resources are every loaded document, in order (the Cluster included). */
  readonly resources: readonly Loaded<unknown>[];
  readonly cluster: Loaded<Cluster>;
  readonly ipPools: readonly Loaded<IPPool>[];
  readonly bgpConfigurations: readonly Loaded<BGPConfiguration>[];
  readonly bgpPeers: readonly Loaded<BGPPeer>[];
  readonly nodes: readonly Loaded<CalicoNode>[];
  readonly felixConfigurations: readonly Loaded<FelixConfiguration>[];
  readonly ipamConfigurations: readonly Loaded<IPAMConfiguration>[];
  readonly blockAffinities: readonly Loaded<BlockAffinity>[];
  readonly datastore: CalicoDatastore;
  /** ipam is the address plan: pinned blocks, tunnel addresses and pod addresses (see planIpam). */
  readonly ipam: IpamPlan;
}

/** LoadResult is a scenario or its error lines, sorted by line. */
export type LoadResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly errors: readonly string[] };

interface Problem {
  readonly line: number;
  readonly path: string;
  readonly message: string;
  readonly seq: number;
}

type AnyLoaded = Loaded<unknown>;

class Loader {
  readonly problems: Problem[] = [];
  readonly resources: AnyLoaded[] = [];
  private seq = 0;

  constructor(
    readonly file: string,
    readonly lineOf: (offset: number) => number,
  ) {}

  add(line: number, path: readonly PathSegment[], message: string): void {
    this.problems.push({ line, path: formatPath(path), message, seq: this.seq++ });
  }

  addAt(offset: number, path: readonly PathSegment[], message: string): void {
    this.add(this.lineOf(offset), path, message);
  }

  formatted(): string[] {
    return [...this.problems]
      .sort((a, b) => a.line - b.line || a.seq - b.seq)
      .map((p) => `${this.file}:${p.line}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
  }

  /** document handles one YAML document: a resource, or a sequence of them. */
  document(root: YNode, basePath: readonly PathSegment[]): void {
    if (root.kind === 'seq') {
      root.items.forEach((item, i) => {
        if (item.kind !== 'map') this.addAt(item.offset, [...basePath, i], 'a resource must be a mapping');
        else this.resource(item, [...basePath, i]);
      });
      return;
    }
    if (root.kind !== 'map') {
      this.addAt(root.offset, basePath, 'a document must be a resource (a mapping) or a sequence of resources');
      return;
    }
    this.resource(root, basePath);
  }

  private typeOf(n: YMap): { apiVersion: string; kind: string } {
    const get = (k: string): string => {
      const e = n.entries.find((x) => x.key === k);
      return e && e.value.kind === 'scalar' && e.value.value !== null ? e.value.text : '';
    };
    return { apiVersion: get('apiVersion'), kind: get('kind') };
  }

  private resource(n: YMap, basePath: readonly PathSegment[]): void {
    const { apiVersion, kind } = this.typeOf(n);
    if (apiVersion === '' || kind === '') {
      const missing = apiVersion === '' && kind === '' ? 'apiVersion and kind' : apiVersion === '' ? 'apiVersion' : 'kind';
      this.addAt(n.offset, basePath, `a resource needs ${missing}`);
      return;
    }
    if (apiVersion === CLUSTER_API && kind === 'Cluster') {
      this.cluster(n, basePath);
      return;
    }
    if (apiVersion === API_CORE_V1 && kind === 'List') {
      this.genericList(n, basePath);
      return;
    }
    const group = KINDS.get(apiVersion);
    if (group) {
      const info = group.get(kind);
      if (info) {
        this.calico(n, basePath, apiVersion, info.kind, info.schema, info.goType);
        return;
      }
      const item = kind.endsWith('List') ? group.get(kind.slice(0, -4)) : undefined;
      if (item) {
        this.calicoList(n, basePath, apiVersion, kind, item.kind, item.schema);
        return;
      }
      const bare = kind.endsWith('List') ? kind.slice(0, -4) : kind;
      if (UNMODELLED_KINDS.has(bare) || (apiVersion === API_CRD && bare === 'Node')) {
        const why = bare === 'Node' ? ' (the Kubernetes datastore has no Node CRD: use projectcalico.org/v3 Node)' : '';
        this.addAt(n.offset, [...basePath, 'kind'], `kind ${escapeForMessage(kind)} (${apiVersion}) is not modelled by calisim${why}`);
        return;
      }
    }
    this.addAt(
      n.offset,
      [...basePath, 'kind'],
      `Unknown resource type (${escapeForMessage(kind)}) and/or version (${escapeForMessage(apiVersion)})`,
    );
  }

  private loaded<T>(
    apiVersion: string,
    kind: CalicoKind | 'Cluster',
    value: T,
    name: string,
    n: YNode,
    positions: Positions,
    basePath: readonly PathSegment[],
  ): Loaded<T> {
    const lineOf = (path: readonly PathSegment[]): number => this.lineOf(offsetFor(positions, [...basePath, ...path]));
    return { apiVersion, kind, value, name, path: basePath, line: this.lineOf(n.offset), lineOf };
  }

  /** zodIssues reports schema issues, except those at or under a path the decoder already reported. */
  private zodIssues(
    zodIssues: readonly { path: PropertyKey[]; message: string }[],
    decodeIssues: readonly { path: readonly PathSegment[] }[],
    positions: Positions,
    basePath: readonly PathSegment[],
  ): void {
    const reported = decodeIssues.map((i) => formatPath(i.path));
    for (const iss of zodIssues) {
      const path = [...basePath, ...(iss.path as PathSegment[])];
      const text = formatPath(path);
      if (reported.some((r) => text === r || text.startsWith(`${r}.`) || text.startsWith(`${r}[`))) continue;
      this.addAt(offsetFor(positions, path), path, iss.message);
    }
  }

  private cluster(n: YMap, basePath: readonly PathSegment[]): void {
    const d = decodeNode(n, ClusterSchema, 'calisim', 'Cluster', this.lineOf, basePath);
    for (const i of d.issues) this.addAt(i.offset, i.path, i.message);
    const parsed = ClusterSchema.safeParse(d.value);
    if (!parsed.success) {
      this.zodIssues(parsed.error.issues, d.issues, d.positions, basePath);
      return;
    }
    if (d.issues.length > 0) return;
    this.resources.push(this.loaded(CLUSTER_API, 'Cluster', parsed.data, parsed.data.metadata.name, n, d.positions, basePath) as AnyLoaded);
  }

  private calico(
    n: YMap,
    basePath: readonly PathSegment[],
    apiVersion: string,
    kind: CalicoKind,
    schema: import('zod').ZodType,
    goType: string,
  ): void {
    const d = decodeNode(n, schema, 'go', goType, this.lineOf, basePath);
    this.afterDecode(n, d.value, d.positions, d.issues, basePath, apiVersion, kind, schema);
  }

  private afterDecode(
    n: YNode,
    value: unknown,
    positions: Positions,
    issues: readonly { path: readonly PathSegment[]; offset: number; message: string }[],
    basePath: readonly PathSegment[],
    apiVersion: string,
    kind: CalicoKind,
    schema: import('zod').ZodType,
  ): void {
    for (const i of issues) this.addAt(i.offset, i.path, i.message);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      this.zodIssues(parsed.error.issues, issues, positions, basePath);
      return;
    }
    if (issues.length > 0) return;
    const data = parsed.data as { metadata?: { name?: string } };
    const name = data.metadata?.name ?? '';
    const res = this.loaded(apiVersion, kind, parsed.data, name, n, positions, basePath);
    const errs = calicoValidation(kind, parsed.data);
    for (const e of errs) {
      const path = [...basePath, ...e.path];
      this.addAt(
        offsetFor(positions, path, e.path[e.path.length - 2] === 'labels' || e.path[e.path.length - 2] === 'annotations'),
        path,
        `error with field ${formatErroredField(e)}`,
      );
    }
    if (errs.length === 0 || kind === 'IPPool') this.resources.push(res as AnyLoaded);
  }

  private calicoList(
    n: YMap,
    basePath: readonly PathSegment[],
    apiVersion: string,
    listKind: string,
    kind: CalicoKind,
    itemSchema: import('zod').ZodType,
  ): void {
    const schema = listSchema(itemSchema, listKind);
    const d = decodeNode(n, schema, 'go', listKind, this.lineOf, basePath);
    const itemsEntry = n.entries.find((e) => e.key.toLowerCase() === 'items');
    const decoded = (d.value as { items?: unknown[] } | undefined)?.items ?? [];
    const itemNodes = itemsEntry && itemsEntry.value.kind === 'seq' ? itemsEntry.value.items : [];
    for (const i of d.issues) this.addAt(i.offset, i.path, i.message);
    if (d.issues.length > 0) return;
    itemNodes.forEach((itemNode, i) => {
      const base = [...basePath, 'items', i];
      if (itemNode.kind === 'map') {
        const t = this.typeOf(itemNode);
        if ((t.apiVersion !== '' && t.apiVersion !== apiVersion) || (t.kind !== '' && t.kind !== listKind.slice(0, -4))) {
          this.addAt(
            itemNode.offset,
            base,
            `an item of a ${listKind} must be a ${listKind.slice(0, -4)} (${apiVersion}), not ${escapeForMessage(t.kind)} (${escapeForMessage(t.apiVersion)})`,
          );
          return;
        }
      }
      this.afterDecode(itemNode, decoded[i], d.positions, [], base, apiVersion, kind, itemSchema);
    });
  }

  private genericList(n: YMap, basePath: readonly PathSegment[]): void {
    for (const e of n.entries) {
      const path = [...basePath, e.key];
      if (e.key === 'apiVersion' || e.key === 'kind') continue;
      if (e.key === 'metadata') {
        const d = decodeNode(e.value, ListMetaSchema, 'go', 'List', this.lineOf, path);
        for (const i of d.issues) this.addAt(i.offset, i.path, i.message);
      } else if (e.key === 'items') {
        if (e.value.kind === 'scalar' && e.value.goKind === 'null') continue;
        if (e.value.kind !== 'seq') {
          this.addAt(e.value.offset, path, 'json: cannot unmarshal object into Go struct field List.items of type []runtime.RawExtension');
          continue;
        }
        e.value.items.forEach((item, i) => {
          if (item.kind !== 'map') this.addAt(item.offset, [...path, i], 'a resource must be a mapping');
          else this.resource(item, [...path, i]);
        });
      } else {
        this.addAt(e.keyOffset, path, `json: unknown field ${quoteForMessage(e.key)}`);
      }
    }
  }
}

function calicoValidation(kind: CalicoKind, value: unknown): CalicoFieldError[] {
  switch (kind) {
    case 'IPPool':
      return []; // validated with the other pools, in document order (validateAndSetDefaults checks overlaps).
    case 'BGPConfiguration':
      return validateBGPConfiguration(value as BGPConfiguration);
    case 'BGPPeer':
      return validateBGPPeer(value as BGPPeer);
    case 'Node':
      return validateNode(value as CalicoNode);
    case 'FelixConfiguration':
      return validateFelixConfiguration(value as FelixConfiguration);
    case 'IPAMConfiguration':
      return validateIPAMConfiguration(value as IPAMConfiguration);
    case 'BlockAffinity':
      return validateBlockAffinity(value as BlockAffinity);
  }
}

/** loadDocuments parses a multi-document text and decodes and validates each document on its own. */
function loadDocuments(text: string, file: string): { stream: ReturnType<typeof parseGoYamlStream>; loader: Loader } {
  const stream = parseGoYamlStream(text);
  const loader = new Loader(file, stream.lineOf);
  stream.documents.forEach((doc) => {
    for (const e of doc.errors) loader.addAt(e.offset, [], e.message);
    if (doc.errors.length === 0 && doc.root !== null) loader.document(doc.root, []);
  });
  return { stream, loader };
}

/** ResourcesByKind are a scenario's Calico resources, one list per kind, in document order. */
type ResourcesByKind = Pick<
  Scenario,
  'ipPools' | 'bgpConfigurations' | 'bgpPeers' | 'nodes' | 'felixConfigurations' | 'ipamConfigurations' | 'blockAffinities'
>;

/** resourcesByKind splits loaded resources by kind. */
function resourcesByKind(resources: readonly AnyLoaded[]): ResourcesByKind {
  const of = <T>(k: CalicoKind): Loaded<T>[] => resources.filter((r) => r.kind === k) as Loaded<T>[];
  return {
    ipPools: of<IPPool>('IPPool'),
    bgpConfigurations: of<BGPConfiguration>('BGPConfiguration'),
    bgpPeers: of<BGPPeer>('BGPPeer'),
    nodes: of<CalicoNode>('Node'),
    felixConfigurations: of<FelixConfiguration>('FelixConfiguration'),
    ipamConfigurations: of<IPAMConfiguration>('IPAMConfiguration'),
    blockAffinities: of<BlockAffinity>('BlockAffinity'),
  };
}

/**
 * loadScenario parses, decodes, validates and cross-checks a scenario text. `file` only names the
 * text in error lines.
 */
export function loadScenario(text: string, file: string): LoadResult {
  const { loader } = loadDocuments(text, file);
  const checker = new CrossChecker(loader);
  const datastore = checker.run();
  let ipam = datastore !== null && loader.problems.length === 0 ? planIpam(datastore, true) : null;
  if (ipam !== null) checker.ipamProblems(ipam);
  // The cluster starts without its pending pods: they get their addresses when they are applied.
  if (ipam && datastore?.pods.some((p) => p.pending)) ipam = planIpam(datastore, false);
  const errors = loader.formatted();
  if (errors.length > 0 || datastore === null || ipam === null)
    return { ok: false, errors: errors.length > 0 ? errors : [`${file}:1: no scenario`] };
  return {
    ok: true,
    scenario: {
      file,
      resources: loader.resources,
      cluster: checker.cluster as Loaded<Cluster>,
      ...resourcesByKind(loader.resources),
      datastore,
      ipam,
    },
  };
}

/** AppliedResource names one resource of an apply. */
export interface AppliedResource {
  readonly kind: string;
  readonly name: string;
  /** created is true when no resource of that kind and name existed. */
  readonly created: boolean;
}

/** ApplyResult is the scenario with the resources applied (and what was applied), or error lines. */
export type ApplyResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly applied: readonly AppliedResource[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * applyResources is `calicoctl apply -f FILE` on a running scenario: the file's Calico resources replace
 * those of the same kind and name (or are added), and the whole is checked again as at load. The
 * cluster's own layout (the calisim/v1 Cluster) cannot be applied. The IPAM plan is the base's.
 */
export function applyResources(base: Scenario, text: string, file: string): ApplyResult {
  const { stream, loader } = loadDocuments(text, file);
  if (loader.problems.length > 0) return { ok: false, errors: loader.formatted() };
  const incoming = loader.resources;
  if (incoming.length === 0) return { ok: false, errors: [`${file}:1: no resources`] };
  const cluster = incoming.find((r) => r.kind === 'Cluster');
  if (cluster !== undefined)
    return { ok: false, errors: [`${file}:${cluster.line}: the ${CLUSTER_API} Cluster is the scenario's layout: it cannot be applied`] };
  const keyOf = (r: AnyLoaded): string => `${r.kind}/${r.name}`;
  const replaced = new Map(incoming.map((r) => [keyOf(r), r] as const));
  const existing = new Set(base.resources.map(keyOf));
  const merged = base.resources.map((r) => replaced.get(keyOf(r)) ?? r);
  for (const r of incoming) if (!existing.has(keyOf(r))) merged.push(r);
  const check = new Loader(file, stream.lineOf);
  check.resources.push(...merged);
  const checker = new CrossChecker(check);
  const datastore = checker.run();
  if (datastore === null || check.problems.length > 0) return { ok: false, errors: check.formatted() };
  return {
    ok: true,
    applied: incoming.map((r) => ({ kind: r.kind, name: r.name, created: !existing.has(keyOf(r)) })),
    scenario: {
      file: base.file,
      resources: merged,
      cluster: base.cluster,
      ...resourcesByKind(merged),
      datastore,
      ipam: base.ipam,
    },
  };
}

// ---- cross-references --------------------------------------------------------------------------------

interface Machine {
  readonly what: string;
  readonly line: number;
}

/** isUsableHost says whether an address may be a host's on a subnet (not its network or broadcast address). */
function isUsableHost(subnet: Cidr, ip: Ipv4): boolean {
  if (subnet.len >= 31) return true;
  return ip !== networkOf(subnet.addr, subnet.len) && ip !== broadcastOf(subnet.addr, subnet.len);
}

function cidrOverlap(a: Cidr, b: Cidr): boolean {
  const len = Math.min(a.len, b.len);
  return networkOf(a.addr, len) === networkOf(b.addr, len);
}

class CrossChecker {
  cluster: Loaded<Cluster> | null = null;
  /** pinSources says where each pinned block (`node/cidr`) was written. */
  private readonly pinSources = new Map<string, { res: AnyLoaded; path: PathSegment[] }>();

  constructor(private readonly l: Loader) {}

  private err(res: AnyLoaded, path: readonly PathSegment[], message: string): void {
    this.l.add(res.lineOf(path), [...res.path, ...path], message);
  }

  run(): CalicoDatastore | null {
    const poolDocs = this.validatePools();
    const clusters = this.l.resources.filter((r) => r.kind === 'Cluster') as Loaded<Cluster>[];
    if (clusters.length === 0) {
      if (this.l.problems.length === 0) this.l.add(1, [], `no ${CLUSTER_API} Cluster document`);
      return null;
    }
    for (const extra of clusters.slice(1))
      this.l.add(extra.line, [], `a second Cluster ("${escapeForMessage(extra.name)}"); the first is at line ${clusters[0].line}`);
    this.cluster = clusters[0];
    this.duplicates();
    const pools = poolDocs ?? this.defaultPool();
    const topology = this.topology();
    const overrides = this.calicoNodes(topology.nodeNames);
    const secrets = this.secrets();
    this.configs(topology.nodeNames);
    this.peers(topology.nodeNames, secrets);
    const pinned = this.pinnedBlocks(pools, topology.nodeNames);
    this.pods(pools, topology.nodeNames);
    const routerID = this.cluster.value.spec.calico?.routerID ?? '';
    if (parseRouterId(routerID) === null)
      this.err(
        this.cluster,
        ['spec', 'calico', 'routerID'],
        `invalid CALICO_ROUTER_ID "${escapeForMessage(routerID)}": an IPv4 address, or hash`,
      );
    if (this.l.problems.length > 0) return null;
    return this.datastore(pools, overrides, secrets, pinned);
  }

  private duplicates(): void {
    const seen = new Map<string, AnyLoaded>();
    for (const r of this.l.resources) {
      if (r.kind === 'Cluster') continue;
      const key = `${r.kind}/${r.name}`;
      const prev = seen.get(key);
      if (prev) this.err(r, ['metadata', 'name'], `${r.kind} "${escapeForMessage(r.name)}" is already defined at line ${prev.line}`);
      else seen.set(key, r);
    }
  }

  /** validatePools validates the IPPool documents in order (each a Create); null when there are none. */
  private validatePools(): DefaultedIPPool[] | null {
    const loaded = this.l.resources.filter((r) => r.kind === 'IPPool') as Loaded<IPPool>[];
    if (loaded.length === 0) return null;
    const created: DefaultedIPPool[] = [];
    for (const p of loaded) {
      const r = validateIPPool(p.value, created);
      if (!r.ok) {
        for (const e of r.errors) this.err(p, e.path, `error with field ${formatErroredField(e)}`);
        continue;
      }
      created.push(r.pool);
    }
    return byName(created);
  }

  /** defaultPool is calico-node's default-ipv4-ippool from CALICO_IPV4POOL_* (startup.go createIPPool). */
  private defaultPool(): DefaultedIPPool[] {
    const c = this.cluster as Loaded<Cluster>;
    const env = c.value.spec.calico?.ipv4Pool ?? {};
    const base = ['spec', 'calico', 'ipv4Pool'];
    const mode = (text: string | undefined, what: 'IPIP' | 'VXLAN', field: string): string | null => {
      const t = (text ?? '').toLowerCase();
      if (t === '' || t === 'off' || t === 'never') return 'Never';
      if (t === 'crosssubnet' || t === 'cross-subnet') return 'CrossSubnet';
      if (t === 'always') return 'Always';
      this.err(c, [...base, field], `Unrecognized ${what} mode specified in CALICO_IPV4POOL_${what} '${escapeForMessage(text ?? '')}'`);
      return null;
    };
    const ipipMode = mode(env.ipipMode, 'IPIP', 'ipipMode');
    const vxlanMode = mode(env.vxlanMode, 'VXLAN', 'vxlanMode');
    if (ipipMode === null || vxlanMode === null) return [];
    const pool: IPPool = {
      apiVersion: API_V3,
      kind: 'IPPool',
      metadata: { name: 'default-ipv4-ippool' },
      spec: {
        cidr: env.cidr ?? '192.168.0.0/16',
        blockSize: env.blockSize ?? 26,
        ipipMode,
        vxlanMode,
        natOutgoing: env.natOutgoing ?? true,
        nodeSelector: env.nodeSelector ?? 'all()',
      },
    };
    const r = validateIPPool(pool, []);
    if (!r.ok) {
      for (const e of r.errors) this.err(c, base, `error with field ${formatErroredField(e)}`);
      return [];
    }
    return [r.pool];
  }

  private topology(): { nodeNames: Set<string> } {
    const c = this.cluster as Loaded<Cluster>;
    const spec = c.value.spec;
    const networks = new Map<string, number>();
    spec.networks.forEach((n, i) => {
      const prev = networks.get(n.name);
      if (prev !== undefined)
        this.err(
          c,
          ['spec', 'networks', i, 'name'],
          `network "${n.name}" is already defined at line ${c.lineOf(['spec', 'networks', prev])}`,
        );
      else networks.set(n.name, i);
      spec.networks.slice(0, i).forEach((o, j) => {
        if (o.name !== n.name && cidrOverlap(o.cidr, n.cidr)) {
          this.err(
            c,
            ['spec', 'networks', i, 'cidr'],
            `${formatCidr(n.cidr)} overlaps network "${o.name}" (${formatCidr(o.cidr)}, line ${c.lineOf(['spec', 'networks', j])})`,
          );
        }
      });
      if (n.gateway !== undefined && (!cidrContains(n.cidr, n.gateway) || !isUsableHost(n.cidr, n.gateway))) {
        this.err(c, ['spec', 'networks', i, 'gateway'], `gateway ${formatIpv4(n.gateway)} is not a host address of ${formatCidr(n.cidr)}`);
      }
    });
    const netOf = (name: string) => spec.networks.find((n) => n.name === name);
    const machines = new Map<string, Machine>();
    const addresses = new Map<number, Machine>();
    const macs = new Map<string, Machine>();
    const claimName = (name: string, what: string, path: PathSegment[]): void => {
      const prev = machines.get(name);
      if (prev) this.err(c, path, `name "${name}" is already used by ${prev.what} (line ${prev.line})`);
      else machines.set(name, { what, line: c.lineOf(path) });
    };
    const claimAddress = (network: string, ip: Ipv4, mac: string | undefined, what: string, path: PathSegment[]): void => {
      const net = netOf(network);
      if (!net) {
        this.err(c, [...path, 'network'], `unknown network "${escapeForMessage(network)}"`);
        return;
      }
      if (!cidrContains(net.cidr, ip) || !isUsableHost(net.cidr, ip)) {
        this.err(
          c,
          [...path, 'address'],
          `address ${formatIpv4(ip)} is not a host address of network "${net.name}" (${formatCidr(net.cidr)})`,
        );
      }
      const prev = addresses.get(ip);
      if (prev) this.err(c, [...path, 'address'], `address ${formatIpv4(ip)} is already used by ${prev.what} (line ${prev.line})`);
      else addresses.set(ip, { what, line: c.lineOf([...path, 'address']) });
      if (mac !== undefined) {
        const key = `${network}/${mac}`;
        const prevMac = macs.get(key);
        if (prevMac)
          this.err(
            c,
            [...path, 'mac'],
            `MAC address ${mac} is already used on network "${network}" by ${prevMac.what} (line ${prevMac.line})`,
          );
        else macs.set(key, { what, line: c.lineOf([...path, 'mac']) });
      }
    };
    (spec.routers ?? []).forEach((r, i) => {
      claimName(r.name, `router "${r.name}"`, ['spec', 'routers', i, 'name']);
      const nets = new Set<string>();
      r.interfaces.forEach((ifc, j) => {
        const path: PathSegment[] = ['spec', 'routers', i, 'interfaces', j];
        if (nets.has(ifc.network)) this.err(c, [...path, 'network'], `router "${r.name}" has two interfaces on network "${ifc.network}"`);
        nets.add(ifc.network);
        claimAddress(ifc.network, ifc.address, ifc.mac, `router "${r.name}"`, path);
      });
    });
    const nodeNames = new Set<string>();
    spec.nodes.forEach((n, i) => {
      const path: PathSegment[] = ['spec', 'nodes', i];
      claimName(n.name, `node "${n.name}"`, [...path, 'name']);
      nodeNames.add(n.name);
      claimAddress(n.network, n.address, n.mac, `node "${n.name}"`, path);
    });
    (spec.externalPeers ?? []).forEach((p, i) => {
      const path: PathSegment[] = ['spec', 'externalPeers', i];
      claimName(p.name, `external peer "${p.name}"`, [...path, 'name']);
      if ((p.router === undefined) === (p.network === undefined)) {
        this.err(c, path, 'an external peer needs exactly one of router (it runs on a router) and network (it is a host)');
        return;
      }
      if (p.router !== undefined) {
        const r = (spec.routers ?? []).find((x) => x.name === p.router);
        if (!r) this.err(c, [...path, 'router'], `unknown router "${escapeForMessage(p.router)}"`);
        else if (!r.interfaces.some((ifc) => ifc.address === p.address)) {
          this.err(c, [...path, 'address'], `address ${formatIpv4(p.address)} is not one of router "${r.name}"'s addresses`);
        }
      } else {
        claimAddress(p.network as string, p.address, p.mac, `external peer "${p.name}"`, path);
      }
    });
    return { nodeNames };
  }

  private calicoNodes(nodeNames: ReadonlySet<string>): Map<string, NodeOverrides> {
    const c = this.cluster as Loaded<Cluster>;
    const out = new Map<string, NodeOverrides>();
    const clusterNodes = new Map(c.value.spec.nodes.map((n) => [n.name, n] as const));
    for (const r of this.l.resources.filter((x) => x.kind === 'Node') as Loaded<CalicoNode>[]) {
      if (!nodeNames.has(r.name)) {
        this.err(r, ['metadata', 'name'], `Node "${escapeForMessage(r.name)}" is not a node of Cluster "${c.name}"`);
        continue;
      }
      const cn = clusterNodes.get(r.name) as ClusterNode;
      const net = c.value.spec.networks.find((n) => n.name === cn.network);
      const bgp = r.value.spec?.bgp;
      if (bgp?.ipv4Address && net) {
        const want = `${formatIpv4(cn.address)}/${net.cidr.len}`;
        const got = parseGoCIDROrIP(bgp.ipv4Address);
        if (got === null || got.addr !== cn.address || got.len !== net.cidr.len) {
          this.err(
            r,
            ['spec', 'bgp', 'ipv4Address'],
            `${escapeForMessage(bgp.ipv4Address)} is not the address calico-node detects on ${cn.name}'s ${cn.interface ?? 'eth0'} (${want})`,
          );
        }
      }
      if (bgp?.asNumber !== undefined && cn.asNumber !== undefined && bgp.asNumber !== cn.asNumber) {
        this.err(
          r,
          ['spec', 'bgp', 'asNumber'],
          `AS ${bgp.asNumber} contradicts the Cluster's asNumber ${cn.asNumber} for node ${cn.name}`,
        );
      }
      const rr = bgp?.routeReflectorClusterID;
      if (rr && cn.routeReflectorClusterID !== undefined && rr !== cn.routeReflectorClusterID) {
        this.err(
          r,
          ['spec', 'bgp', 'routeReflectorClusterID'],
          `${rr} contradicts the Cluster's routeReflectorClusterID ${cn.routeReflectorClusterID} for node ${cn.name}`,
        );
      }
      out.set(r.name, {
        labels: r.value.metadata?.labels,
        asNumber: bgp?.asNumber,
        routeReflectorClusterID: rr || undefined,
        ipv4IPIPTunnelAddr: bgp?.ipv4IPIPTunnelAddr || undefined,
        ipv4VXLANTunnelAddr: r.value.spec?.ipv4VXLANTunnelAddr || undefined,
        vxlanTunnelMACAddr: r.value.spec?.vxlanTunnelMACAddr || undefined,
      });
    }
    return out;
  }

  private secrets(): (name: string, key: string) => string | undefined {
    const c = this.cluster as Loaded<Cluster>;
    const secrets = new Map<string, ReadonlyMap<string, string>>();
    (c.value.spec.secrets ?? []).forEach((s, i) => {
      if (secrets.has(s.name)) this.err(c, ['spec', 'secrets', i, 'name'], `secret "${s.name}" is already defined`);
      else secrets.set(s.name, s.data);
    });
    return (name, key) => secrets.get(name)?.get(key);
  }

  private checkPassword(
    r: AnyLoaded,
    path: readonly PathSegment[],
    ref: { secretKeyRef?: { name?: string; key?: string } } | undefined,
    secrets: (n: string, k: string) => string | undefined,
  ): void {
    const s = ref?.secretKeyRef;
    if (!s) return;
    if (s.name === undefined || s.key === undefined || secrets(s.name, s.key) === undefined) {
      this.err(
        r,
        [...path, 'secretKeyRef'],
        `no key "${escapeForMessage(s.key ?? '')}" in secret "${escapeForMessage(s.name ?? '')}" (add it to the Cluster's spec.secrets)`,
      );
    }
  }

  private configs(nodeNames: ReadonlySet<string>): void {
    for (const r of this.l.resources) {
      if (r.kind !== 'BGPConfiguration' && r.kind !== 'FelixConfiguration' && r.kind !== 'IPAMConfiguration') continue;
      if (r.kind === 'IPAMConfiguration') {
        if (r.name !== 'default') this.err(r, ['metadata', 'name'], `${r.kind} must be named "default", not "${escapeForMessage(r.name)}"`);
        continue;
      }
      if (r.name === 'default') continue;
      const node = r.name.startsWith('node.') ? r.name.slice(5) : null;
      if (node === null)
        this.err(r, ['metadata', 'name'], `${r.kind} must be named "default" or "node.<nodename>", not "${escapeForMessage(r.name)}"`);
      else if (!nodeNames.has(node))
        this.err(r, ['metadata', 'name'], `${r.kind} "${escapeForMessage(r.name)}" names no node of the Cluster`);
    }
  }

  private peers(nodeNames: ReadonlySet<string>, secrets: (n: string, k: string) => string | undefined): void {
    for (const r of this.l.resources.filter((x) => x.kind === 'BGPPeer') as Loaded<BGPPeer>[]) {
      const spec = r.value.spec ?? {};
      if (spec.node && !nodeNames.has(spec.node))
        this.err(r, ['spec', 'node'], `node "${escapeForMessage(spec.node)}" is not a node of the Cluster`);
      if ((spec.peerIP ?? '') !== '' && (spec.asNumber ?? 0) === 0) {
        this.err(r, ['spec', 'asNumber'], 'a peerIP needs an asNumber (confd would write `as 0`, which BIRD rejects)');
      }
      if ((spec.peerIP ?? '') === '' && (spec.peerSelector ?? '') === '' && (spec.localWorkloadSelector ?? '') === '') {
        this.err(r, ['spec'], 'a BGPPeer needs peerIP or peerSelector');
      }
      if ((spec.localWorkloadSelector ?? '') !== '')
        this.err(r, ['spec', 'localWorkloadSelector'], 'local workload peering is not modelled by calisim');
      this.checkPassword(r, ['spec', 'password'], spec.password, secrets);
    }
    for (const r of this.l.resources.filter((x) => x.kind === 'BGPConfiguration') as Loaded<BGPConfiguration>[]) {
      this.checkPassword(r, ['spec', 'nodeMeshPassword'], r.value.spec?.nodeMeshPassword, secrets);
    }
  }

  private pinnedBlocks(pools: readonly DefaultedIPPool[], nodeNames: ReadonlySet<string>): Map<string, Cidr[]> {
    const c = this.cluster as Loaded<Cluster>;
    const pinned = new Map<string, Cidr[]>();
    const owner = new Map<string, { node: string; line: number }>();
    const claim = (node: string, block: Cidr, res: AnyLoaded, path: PathSegment[]): void => {
      const pool = pools.find((p) => cidrContains(p.cidr, block.addr));
      const text = formatCidr(block);
      let problem: string | null = null;
      if (!pool) problem = `block ${text} is not inside any IPPool`;
      else if (block.len !== pool.blockSize) problem = `block ${text} does not have IPPool ${pool.name}'s block size /${pool.blockSize}`;
      else if (networkOf(block.addr, block.len) !== block.addr) problem = `block ${text} does not start on a /${block.len} boundary`;
      if (problem !== null) {
        this.err(res, path, problem);
        return;
      }
      const prev = owner.get(text);
      if (prev) {
        if (prev.node !== node) this.err(res, path, `block ${text} is already pinned to node ${prev.node} (line ${prev.line})`);
        return;
      }
      owner.set(text, { node, line: res.lineOf(path) });
      this.pinSources.set(`${node}/${text}`, { res, path });
      const list = pinned.get(node) ?? [];
      list.push(block);
      pinned.set(node, list);
    };
    c.value.spec.nodes.forEach((n, i) => {
      (n.blocks ?? []).forEach((b, j) => {
        claim(n.name, b, c, ['spec', 'nodes', i, 'blocks', j]);
      });
    });
    for (const r of this.l.resources.filter((x) => x.kind === 'BlockAffinity') as Loaded<BlockAffinity>[]) {
      const node = r.value.spec?.node ?? '';
      if (!nodeNames.has(node)) {
        this.err(r, ['spec', 'node'], `node "${escapeForMessage(node)}" is not a node of the Cluster`);
        continue;
      }
      const block = parseGoCIDR(r.value.spec?.cidr ?? '');
      if (block) claim(node, block, r, ['spec', 'cidr']);
    }
    return pinned;
  }

  private pods(pools: readonly DefaultedIPPool[], nodeNames: ReadonlySet<string>): void {
    const c = this.cluster as Loaded<Cluster>;
    const names = new Map<string, number>();
    const ips = new Map<number, string>();
    const ifaces = new Map<string, string>();
    const prefix = c.value.spec.calico?.interfacePrefix;
    (c.value.spec.pods ?? []).forEach((p, i) => {
      const path: PathSegment[] = ['spec', 'pods', i];
      const info = podInfo(p, prefix ?? 'cali');
      const id = `${info.namespace}/${info.name}`;
      const prev = names.get(id);
      if (prev !== undefined) this.err(c, [...path, 'name'], `pod ${id} is already defined at line ${c.lineOf(['spec', 'pods', prev])}`);
      else names.set(id, i);
      if (!nodeNames.has(p.node)) this.err(c, [...path, 'node'], `unknown node "${escapeForMessage(p.node)}"`);
      if (p.ip !== undefined) {
        if (!pools.some((pool) => !pool.disabled && cidrContains(pool.cidr, p.ip as Ipv4))) {
          this.err(c, [...path, 'ip'], 'The provided IP address is not in a configured pool');
        } else {
          const other = ips.get(p.ip);
          if (other) this.err(c, [...path, 'ip'], `resource already exists: ${formatIpv4(p.ip)} (pod ${other} has it)`);
          else ips.set(p.ip, id);
        }
      }
      const ports = p.ports ?? [];
      ports.forEach((port, j) => {
        if (ports.indexOf(port) !== j) this.err(c, [...path, 'ports', j], `port ${port} is listed twice`);
      });
      const ifKey = `${p.node}/${info.hostInterface}`;
      const otherIf = ifaces.get(ifKey);
      if (otherIf)
        this.err(
          c,
          [...path, p.hostInterface ? 'hostInterface' : 'name'],
          `host interface ${info.hostInterface} on ${p.node} is already pod ${otherIf}'s`,
        );
      else ifaces.set(ifKey, id);
    });
  }

  /** ipamProblems reports the allocations planIpam could not make, at the lines that asked for them. */
  ipamProblems(plan: IpamPlan): void {
    const c = this.cluster as Loaded<Cluster>;
    for (const p of plan.problems) {
      if (p.subject === 'block') {
        const src = this.pinSources.get(`${p.node}/${formatCidr(p.block)}`);
        if (src) this.err(src.res, src.path, p.message);
      } else if (p.subject === 'tunnel') {
        const i = c.value.spec.nodes.findIndex((n) => n.name === p.node);
        this.err(c, ['spec', 'nodes', i], `${p.tunnel === 'ipip' ? 'IPIP' : 'VXLAN'} tunnel address: ${p.message}`);
      } else {
        const pod = (c.value.spec.pods ?? [])[p.index];
        this.err(c, ['spec', 'pods', p.index, ...(pod?.ip !== undefined ? ['ip'] : [])], p.message);
      }
    }
  }

  private datastore(
    pools: readonly DefaultedIPPool[],
    overrides: ReadonlyMap<string, NodeOverrides>,
    secrets: (n: string, k: string) => string | undefined,
    pinned: ReadonlyMap<string, readonly Cidr[]>,
  ): CalicoDatastore {
    const c = this.cluster as Loaded<Cluster>;
    const spec = c.value.spec;
    const calico = spec.calico ?? {};
    const startTime = parseRfc3339(spec.startTime ?? DEFAULT_START_TIME) as number;
    const kernel = spec.kernel ?? {};
    const networkByName = new Map(spec.networks.map((x) => [x.name, x] as const));
    const nodes = byName(
      spec.nodes.map((n) =>
        nodeInfo(n, networkByName.get(n.network) as (typeof spec.networks)[number], overrides.get(n.name), {
          startTime,
          ipv6LinkLocal: kernel.ipv6LinkLocal?.nodes ?? false,
        }),
      ),
    );
    const bgpConfigs = this.l.resources.filter((r) => r.kind === 'BGPConfiguration') as Loaded<BGPConfiguration>[];
    const dflt = bgpConfigs.find((r) => r.name === 'default')?.value.spec;
    const bgp: BGPGlobalSettings = {
      asNumber: dflt?.asNumber ?? DEFAULT_AS_NUMBER,
      nodeToNodeMesh: dflt?.nodeToNodeMeshEnabled ?? true,
      logLevel: confdLogLevel(dflt?.logSeverityScreen),
      listenPort: dflt?.listenPort || undefined,
      bindMode: dflt?.bindMode === 'NodeIP' || dflt?.bindMode === 'None' ? dflt.bindMode : undefined,
      nodeMeshPassword: passwordOf(dflt?.nodeMeshPassword, secrets),
      nodeMeshRestartTime: dflt?.nodeMeshMaxRestartTime !== undefined ? goRoundSeconds(dflt.nodeMeshMaxRestartTime) : undefined,
      ignoredInterfaces: dflt?.ignoredInterfaces,
    };
    const bgpNodes = new Map<string, BGPNodeSettings>();
    for (const r of bgpConfigs) {
      if (!r.name.startsWith('node.')) continue;
      bgpNodes.set(r.name.slice(5), {
        listenPort: r.value.spec?.listenPort || undefined,
        logLevel: confdLogLevel(r.value.spec?.logSeverityScreen),
      });
    }
    const peers = byName(
      (this.l.resources.filter((r) => r.kind === 'BGPPeer') as Loaded<BGPPeer>[]).map((r) => peerInfo(r.name, r.value.spec ?? {}, secrets)),
    );
    const felixDocs = this.l.resources.filter((r) => r.kind === 'FelixConfiguration') as Loaded<FelixConfiguration>[];
    const felixGlobal = felixDocs.find((r) => r.name === 'default')?.value.spec as Record<string, unknown> | undefined;
    const felix = new Map<string, FelixSettings>();
    for (const n of nodes) {
      const nodeSpec = felixDocs.find((r) => r.name === `node.${n.name}`)?.value.spec as Record<string, unknown> | undefined;
      felix.set(
        n.name,
        felixSettings(
          n,
          felixGlobal,
          nodeSpec,
          {
            deviceRouteSourceAddressNodeIP: calico.deviceRouteSourceAddress === 'NodeIP',
            interfacePrefix: calico.interfacePrefix,
            masqFullyRandom: calico.natOutgoingRandomFully ?? true,
          },
          pools,
        ),
      );
    }
    const ipamDoc = (this.l.resources.find((r) => r.kind === 'IPAMConfiguration') as Loaded<IPAMConfiguration> | undefined)?.value.spec as
      | { strictAffinity?: boolean; autoAllocateBlocks?: boolean; maxBlocksPerHost?: number }
      | undefined;
    const prefix = calico.interfacePrefix ?? 'cali';
    return {
      version: calico.version ?? DEFAULT_CALICO_VERSION,
      startTime,
      networks: spec.networks,
      routers: spec.routers ?? [],
      pools,
      nodes,
      pods: (spec.pods ?? []).map((p) => podInfo(p, prefix)),
      bgp,
      bgpNodes,
      peers,
      felix,
      ipam: {
        strictAffinity: ipamDoc?.strictAffinity ?? false,
        autoAllocateBlocks: ipamDoc?.autoAllocateBlocks ?? true,
        maxBlocksPerHost: ipamDoc?.maxBlocksPerHost ?? 0,
      },
      pinnedBlocks: pinned,
      externalPeers: spec.externalPeers ?? [],
      routerID: calico.routerID ?? '',
      vethMTU: calico.vethMTU ?? 0,
      kernel: {
        ipipModule: (kernel.modules ?? ['ipip']).includes('ipip'),
        ipv6LinkLocalPods: kernel.ipv6LinkLocal?.pods ?? false,
        ...(kernel.vethTxQueueLen !== undefined ? { vethTxQueueLen: kernel.vethTxQueueLen } : {}),
      },
      backend: calico.backend ?? 'bird',
      bird6: calico.bird6 ?? false,
      podAddressBroadcast: calico.podAddressBroadcast ?? false,
    };
  }
}

/** nodeByName finds a node of the datastore. */
export function nodeByName(ds: CalicoDatastore, name: string): CalicoNodeInfo | undefined {
  return ds.nodes.find((n) => n.name === name);
}

/** parseRouterId checks CALICO_ROUTER_ID: empty, `hash`, or an IPv4 address. */
export function parseRouterId(s: string): Ipv4 | 'hash' | null | undefined {
  if (s === '') return undefined;
  if (s === 'hash') return 'hash';
  return parseGoIPv4(s);
}
