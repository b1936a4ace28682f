// What confd renders into each node's BIRD configuration, as data: confd/etc/calico/confd/templates/
// bird.cfg.template, bird_aggr.cfg.template and bird_ipam.cfg.template (v3.26, v3.29, v3.30), fed by
// confd/pkg/backends/calico/client.go (updatePeersV1, nodeAsBGPPeers, nodesWithIPPortAndAS, globalDefaults),
// libcalico-go's bgpnodeprocessor.go (ip_addr_v4, network_v4, as_num, rr_cluster_id) and IPPoolV3ToV1.
// confd's memkv lists keys sorted, so hosts come by name and peers by key (`<ip>` or `<ip>-<port>`).
// Where Calico iterates a Go map (BGPPeers, nodesMatching) calisim goes by name.

import { cidrContains, formatCidr, formatIpv4, networkOf, type Cidr, type Ipv4 } from '../../model/addr.js';
import { createHash } from 'node:crypto';
import type { CalicoDatastore, CalicoNodeInfo, PeerInfo } from './datastore.js';
import { affineBlocks, type IpamState } from './ipam.js';
import { globalPeerProtocolName, meshProtocolName, nodePeerProtocolName } from './names.js';
import { compareGoStrings, evaluateSelector, parseSelector } from './selector.js';
import type { DefaultedIPPool } from './validation.js';

/** DEFAULT_BGP_PORT is BGP's port; a peering key omits it (combineIPAndPort). */
export const DEFAULT_BGP_PORT = 179;

/** PeerData is one `/bgp/v1/.../peer_v4/<key>` value: client.go's bgpPeer. */
export interface PeerData {
  readonly ip: Ipv4;
  readonly asNumber: number;
  readonly rrClusterId: string;
  readonly password?: string;
  /** sourceAddress is `UseNodeIP`, `None`, or '' (a peerIP BGPPeer's raw value before defaulting). */
  readonly sourceAddress: string;
  readonly port: number;
  readonly keepNextHop: boolean;
  /** restartTime is the graceful restart time in seconds, as text ('' when unset). */
  readonly restartTime: string;
  readonly calicoNode: boolean;
  readonly numAllowLocalAs: number;
  readonly ttlSecurity: number;
  readonly reachableBy?: Ipv4;
}

/** PeeringKeys are updatePeersV1's result: global peerings and per-node ones, keyed as in etcd v1. */
export interface PeeringKeys {
  readonly global: ReadonlyMap<string, PeerData>;
  /** node maps a node name to its peerings. */
  readonly node: ReadonlyMap<string, ReadonlyMap<string, PeerData>>;
}

/** peerKey is combineIPAndPort: the address, with `-<port>` unless the port is 0 or 179. */
export function peerKey(ip: Ipv4, port: number): string {
  return port === 0 || port === DEFAULT_BGP_PORT ? formatIpv4(ip) : `${formatIpv4(ip)}-${port}`;
}

function nodesMatching(ds: CalicoDatastore, selector: string): CalicoNodeInfo[] {
  const r = parseSelector(selector);
  if (!r.ok) return [];
  return ds.nodes.filter((n) => evaluateSelector(r.selector, n.labels));
}

function listenPortOf(ds: CalicoDatastore, node: string): number | undefined {
  return ds.bgpNodes.get(node)?.listenPort;
}

/** nodesWithIPPortAndAS is client.go's: nodes with that IPv4 address and AS (and listen port, quirks kept). */
function nodesWithIPPortAndAS(ds: CalicoDatastore, ip: Ipv4, asNum: number, port: number): CalicoNodeInfo[] {
  const globalAS = String(ds.bgp.asNumber);
  const asStr = asNum === 0 ? globalAS : String(asNum);
  const globalPort = ds.bgp.listenPort ?? 0;
  return ds.nodes.filter((n) => {
    if (n.address !== ip) return false;
    if (String(n.asNumber ?? ds.bgp.asNumber) !== asStr) return false;
    if (port !== 0) {
      const nodePort = listenPortOf(ds, n.name);
      if (nodePort !== undefined && port !== nodePort) return false;
      if (!(nodePort !== undefined && port !== nodePort) && globalPort !== 0 && globalPort !== port) return false;
    }
    return true;
  });
}

/** nodeAsPeer is nodeAsBGPPeers for IPv4 (setPeerConfigFieldsFromV3Resource applied). */
function nodeAsPeer(ds: CalicoDatastore, node: CalicoNodeInfo, v3: PeerInfo): PeerData {
  return {
    ip: node.address,
    asNumber: node.asNumber ?? ds.bgp.asNumber,
    rrClusterId: node.routeReflectorClusterID,
    password: v3.password,
    sourceAddress: v3.sourceAddress,
    port: listenPortOf(ds, node.name) ?? ds.bgp.listenPort ?? 0,
    keepNextHop: false,
    restartTime: v3.restartTime !== undefined ? String(v3.restartTime) : '',
    calicoNode: false,
    numAllowLocalAs: 0,
    ttlSecurity: v3.ttlSecurity,
    reachableBy: v3.reachableBy,
  };
}

/**
 * computePeerings is updatePeersV1: global BGPPeers first, then node-specific ones (an explicit peering
 * wins over a later implicit one, and a global one over a node-specific one to the same address), then the
 * reverse peerings that make node-to-node BGPPeers symmetric.
 */
export function computePeerings(ds: CalicoDatastore): PeeringKeys {
  const global = new Map<string, PeerData>();
  const perNode = new Map<string, Map<string, PeerData>>();
  const emitNode = (node: string, peer: PeerData): void => {
    const key = peerKey(peer.ip, peer.port);
    if (global.has(key)) return;
    const m = perNode.get(node) ?? new Map<string, PeerData>();
    if (m.has(key)) return;
    m.set(key, peer);
    perNode.set(node, m);
  };
  const nodeIps = new Set(ds.nodes.map((n) => n.address));
  for (const globalPass of [true, false]) {
    for (const v3 of ds.peers) {
      const isGlobal = v3.nodeSelector === undefined && v3.node === undefined;
      if (globalPass !== isGlobal) continue;
      const local =
        v3.nodeSelector !== undefined ? nodesMatching(ds, v3.nodeSelector).map((n) => n.name) : v3.node !== undefined ? [v3.node] : [];
      let peers: PeerData[];
      if (v3.peerSelector !== undefined) {
        peers = nodesMatching(ds, v3.peerSelector).map((n) => nodeAsPeer(ds, n, v3));
      } else {
        if (v3.peerIP === undefined) continue;
        let port = v3.port;
        if (port === 0) {
          const matches = nodesWithIPPortAndAS(ds, v3.peerIP, v3.asNumber, 0);
          if (matches.length > 0) port = listenPortOf(ds, matches[0].name) ?? ds.bgp.listenPort ?? 0;
        }
        peers = [
          {
            ip: v3.peerIP,
            asNumber: v3.asNumber,
            rrClusterId: '',
            password: v3.password,
            sourceAddress: v3.sourceAddress,
            port,
            keepNextHop: v3.keepOriginalNextHop,
            restartTime: v3.restartTime !== undefined ? String(v3.restartTime) : '',
            calicoNode: nodeIps.has(v3.peerIP),
            numAllowLocalAs: v3.numAllowedLocalASNumbers,
            ttlSecurity: v3.ttlSecurity,
            reachableBy: v3.reachableBy,
          },
        ];
      }
      for (const peer of peers) {
        if (globalPass) {
          const key = peerKey(peer.ip, peer.port);
          if (!global.has(key)) global.set(key, peer);
        } else {
          for (const n of local) emitNode(n, peer);
        }
      }
    }
  }
  for (const v3 of ds.peers) {
    let local: CalicoNodeInfo[];
    if (v3.peerSelector !== undefined) local = nodesMatching(ds, v3.peerSelector);
    else if (v3.peerIP !== undefined) local = nodesWithIPPortAndAS(ds, v3.peerIP, v3.asNumber, v3.port);
    else continue;
    if (local.length === 0) continue;
    const peerNodes =
      v3.nodeSelector !== undefined
        ? nodesMatching(ds, v3.nodeSelector)
        : v3.node !== undefined
          ? ds.nodes.filter((n) => n.name === v3.node)
          : nodesMatching(ds, 'all()');
    for (const pn of peerNodes) {
      const peer = nodeAsPeer(ds, pn, v3);
      for (const ln of local) emitNode(ln.name, peer);
    }
  }
  return { global, node: perNode };
}

/** hashToIPv4 is confd's template function for CALICO_ROUTER_ID=hash: SHA-256 of the name, 224+ folded down by 32. */
export function hashToIPv4(nodeName: string): string {
  const h = createHash('sha256').update(nodeName, 'utf8').digest();
  const first = h[0] > 223 ? h[0] - 32 : h[0];
  return `${first}.${h[1]}.${h[2]}.${h[3]}`;
}

/** BirdDebug is what the LOGGING template writes into device, direct and bgp_template. */
export type BirdDebug = 'all' | 'states' | 'none';

/** ExportFilter is `calico_export_to_bgp_peers(...)`: internalPeer is the argument (null before v3.29). */
export interface ExportFilter {
  readonly internalPeer: boolean | null;
}

/** BgpProtocolKind is the section of bird.cfg a protocol comes from. */
export type BgpProtocolKind = 'mesh' | 'global' | 'node';

/** BgpProtocol is one `protocol bgp NAME from bgp_template { ... }` block. */
export interface BgpProtocol {
  readonly name: string;
  readonly kind: BgpProtocolKind;
  readonly neighbor: Ipv4;
  /** port is written as `neighbor X port N as A` when non-zero. */
  readonly port: number;
  readonly neighborAs: number;
  /** sourceAddress is `source address X`, absent with sourceAddress None. */
  readonly sourceAddress?: Ipv4;
  /** multihop: mesh peers have none; others `multihop` (true) or `multihop N` with ttl security on. */
  readonly multihop: boolean | number;
  readonly ttlSecurity: boolean;
  /** importAll is `import all` (mesh); otherwise `import filter { accept; }`. */
  readonly importAll: boolean;
  readonly exportFilter: ExportFilter;
  readonly passive: boolean;
  readonly gracefulRestartTime?: number;
  readonly rrClient: boolean;
  readonly rrClusterId?: string;
  readonly password?: string;
  readonly nextHopKeep: boolean;
  readonly allowLocalAs?: number;
}

/** BirdComment is one of the informative comments the template writes instead of a protocol. */
export type BirdComment =
  | { readonly kind: 'skipping-ourselves'; readonly section: BgpProtocolKind; readonly ip: Ipv4 }
  | { readonly kind: 'skipping-route-reflector'; readonly ip: Ipv4; readonly node: string; readonly clusterId: string }
  | { readonly kind: 'route-reflector-mesh'; readonly node: string; readonly clusterId: string }
  | { readonly kind: 'mesh-disabled' }
  | { readonly kind: 'no-global-peers' }
  | { readonly kind: 'no-node-peers' };

/** KernelFilterRule is one pool's part of `filter calico_kernel_programming`. */
export type KernelFilterRule =
  | { readonly pool: Cidr; readonly action: 'reject' }
  | { readonly pool: Cidr; readonly action: 'tunnel'; readonly tunnel: string }
  | { readonly pool: Cidr; readonly action: 'cross-subnet'; readonly subnet: Cidr; readonly tunnel: string };

/** AggrBlock is one block in `calico_aggr()` (and, unless /32, a blackhole in `protocol static`). */
export interface AggrBlock {
  readonly cidr: Cidr;
  readonly state: 'confirmed';
}

/** ExportPool is one pool in calico_export_to_bgp_peers: accepted, or skipped (disableBGPExport). */
export interface ExportPool {
  readonly cidr: Cidr;
  readonly disableBGPExport: boolean;
}

/** BirdConfig is one node's rendered BIRD configuration. */
export interface BirdConfig {
  readonly node: string;
  /** running is false for a node that is down (no BIRD). */
  readonly running: boolean;
  /** routerId is `router id X;` as written. */
  readonly routerId: string;
  readonly localAs: number;
  readonly nodeIp: Ipv4;
  readonly routeReflectorClusterId: string;
  readonly debug: BirdDebug;
  /** listen is `listen bgp [address X] [port N];`, when bindMode NodeIP or a listen port is set. */
  readonly listen?: { readonly address?: Ipv4; readonly port?: number };
  /** directInterfaces are the patterns of `protocol direct { interface ...; }`, in order. */
  readonly directInterfaces: readonly string[];
  /** protocols lists every protocol in configuration order: static1, kernel1, device1, direct1, then BGP. */
  readonly protocols: readonly string[];
  readonly bgp: readonly BgpProtocol[];
  readonly comments: readonly BirdComment[];
  /** staticBlackholes are bird_aggr.cfg's `route B blackhole;` lines (affine blocks other than /32). */
  readonly staticBlackholes: readonly Cidr[];
  /** staticPeerRoutes are `route <peer>/32 via <reachableBy>;` for peers with reachableBy. */
  readonly staticPeerRoutes: readonly { readonly dst: Ipv4; readonly via: Ipv4 }[];
  readonly aggr: readonly AggrBlock[];
  readonly rejectPools: readonly Cidr[];
  readonly exportPools: readonly ExportPool[];
  /** rejectTunnelRoutes is whether calico_export_to_bgp_peers rejects `*.cali`/`*.calico` routes to internal peers (v3.29+). */
  readonly rejectTunnelRoutes: boolean;
  /** kernelFilter is calico_kernel_programming's per-pool rules (empty without network_v4), then `accept`. */
  readonly kernelFilter: readonly KernelFilterRule[];
}

/** poolKeyOrder sorts pools as `ls /v1/ipam/v4/pool` does: by `<addr>-<len>` text. */
export function poolKeyOrder(pools: readonly DefaultedIPPool[]): DefaultedIPPool[] {
  return [...pools].sort((a, b) => compareGoStrings(formatCidr(a.cidr).replace('/', '-'), formatCidr(b.cidr).replace('/', '-')));
}

function gtString(a: Ipv4, b: Ipv4): boolean {
  return compareGoStrings(formatIpv4(a), formatIpv4(b)) > 0;
}

function debugOf(ds: CalicoDatastore, node: string): BirdDebug {
  const level = ds.bgpNodes.get(node)?.logLevel ?? ds.bgp.logLevel;
  if (level === undefined) return 'states';
  return level === 'debug' ? 'all' : level === 'none' ? 'none' : 'states';
}

function peerProtocol(
  kind: 'global' | 'node',
  data: PeerData,
  node: CalicoNodeInfo,
  localAs: number,
  rrId: string,
  version: CalicoDatastore['version'],
): BgpProtocol {
  const sameAs = data.asNumber === localAs;
  const name = kind === 'global' ? globalPeerProtocolName(data.ip, data.port) : nodePeerProtocolName(data.ip, data.port);
  return {
    name,
    kind,
    neighbor: data.ip,
    port: data.port,
    neighborAs: data.asNumber,
    sourceAddress: data.sourceAddress === 'UseNodeIP' ? node.address : undefined,
    multihop: data.ttlSecurity !== 0 ? data.ttlSecurity : true,
    ttlSecurity: data.ttlSecurity !== 0,
    importAll: false,
    exportFilter: { internalPeer: version === 'v3.26' ? null : sameAs },
    passive: kind === 'global' && data.calicoNode && gtString(data.ip, node.address),
    gracefulRestartTime: data.restartTime !== '' ? Number(data.restartTime) : undefined,
    rrClient: sameAs && rrId !== '' && data.rrClusterId !== rrId,
    rrClusterId: sameAs && rrId !== '' && data.rrClusterId !== rrId ? rrId : undefined,
    password: data.password,
    nextHopKeep: !sameAs && data.keepNextHop,
    allowLocalAs: data.numAllowLocalAs !== 0 ? data.numAllowLocalAs : undefined,
  };
}

/**
 * birdConfig renders one node's bird.cfg, bird_aggr.cfg and bird_ipam.cfg as data. `ipam` supplies the
 * node's affine blocks (all confirmed in calisim).
 */
export function birdConfig(ds: CalicoDatastore, peerings: PeeringKeys, ipam: IpamState, nodeName: string): BirdConfig {
  const node = ds.nodes.find((n) => n.name === nodeName) as CalicoNodeInfo;
  const localAs = node.asNumber ?? ds.bgp.asNumber;
  const rrId = node.routeReflectorClusterID;
  const routerId = ds.routerID === 'hash' ? hashToIPv4(node.name) : ds.routerID !== '' ? ds.routerID : formatIpv4(node.address);
  const bgp: BgpProtocol[] = [];
  const comments: BirdComment[] = [];
  if (rrId !== '') {
    comments.push({ kind: 'route-reflector-mesh', node: node.name, clusterId: rrId });
  } else if (ds.bgp.nodeToNodeMesh) {
    for (const other of ds.nodes) {
      if (other.address === node.address) {
        comments.push({ kind: 'skipping-ourselves', section: 'mesh', ip: node.address });
        continue;
      }
      if (other.routeReflectorClusterID !== '') {
        comments.push({ kind: 'skipping-route-reflector', ip: other.address, node: other.name, clusterId: other.routeReflectorClusterID });
        continue;
      }
      bgp.push({
        name: meshProtocolName(other.address),
        kind: 'mesh',
        neighbor: other.address,
        port: listenPortOf(ds, other.name) ?? ds.bgp.listenPort ?? 0,
        neighborAs: other.asNumber ?? ds.bgp.asNumber,
        sourceAddress: node.address,
        multihop: false,
        ttlSecurity: false,
        importAll: true,
        exportFilter: { internalPeer: ds.version === 'v3.26' ? null : true },
        passive: gtString(other.address, node.address),
        gracefulRestartTime: ds.bgp.nodeMeshRestartTime,
        rrClient: false,
        password: ds.bgp.nodeMeshPassword,
        nextHopKeep: false,
      });
    }
  } else {
    comments.push({ kind: 'mesh-disabled' });
  }
  const byKey = (m: ReadonlyMap<string, PeerData>): [string, PeerData][] => [...m].sort((a, b) => compareGoStrings(a[0], b[0]));
  if (peerings.global.size === 0) comments.push({ kind: 'no-global-peers' });
  for (const [, data] of byKey(peerings.global)) {
    if (data.ip === node.address) comments.push({ kind: 'skipping-ourselves', section: 'global', ip: node.address });
    else bgp.push(peerProtocol('global', data, node, localAs, rrId, ds.version));
  }
  const mine = peerings.node.get(node.name) ?? new Map<string, PeerData>();
  if (mine.size === 0) comments.push({ kind: 'no-node-peers' });
  for (const [, data] of byKey(mine)) {
    if (data.ip === node.address) comments.push({ kind: 'skipping-ourselves', section: 'node', ip: node.address });
    else bgp.push(peerProtocol('node', data, node, localAs, rrId, ds.version));
  }
  const blocks = affineBlocks(ipam, node.name).sort((a, b) =>
    compareGoStrings(formatCidr(a).replace('/', '-'), formatCidr(b).replace('/', '-')),
  );
  const staticPeerRoutes = [
    ...byKey(peerings.global).filter(([, d]) => d.reachableBy !== undefined),
    ...byKey(mine).filter(([, d]) => d.reachableBy !== undefined),
  ].map(([, d]) => ({ dst: d.ip, via: d.reachableBy as Ipv4 }));
  const pools = poolKeyOrder(ds.pools);
  const subnet: Cidr = { addr: networkOf(node.subnet.addr, node.subnet.len), len: node.subnet.len };
  const kernelFilter: KernelFilterRule[] = pools.map((p) => {
    if (p.vxlanMode !== 'Never') return { pool: p.cidr, action: 'reject' };
    if (p.ipipMode === 'CrossSubnet') return { pool: p.cidr, action: 'cross-subnet', subnet, tunnel: 'tunl0' };
    return { pool: p.cidr, action: 'tunnel', tunnel: p.ipipMode === 'Always' ? 'tunl0' : '' };
  });
  const bindAddress = ds.bgp.bindMode === 'NodeIP' ? node.address : undefined;
  const listenPort = listenPortOf(ds, node.name) ?? ds.bgp.listenPort;
  return {
    node: node.name,
    running: node.state === 'ready',
    routerId,
    localAs,
    nodeIp: node.address,
    routeReflectorClusterId: rrId,
    debug: debugOf(ds, node.name),
    listen: bindAddress !== undefined || listenPort !== undefined ? { address: bindAddress, port: listenPort } : undefined,
    directInterfaces: [...(ds.bgp.ignoredInterfaces ?? []).map((i) => `-"${i}"`), '-"cali*"', '-"kube-ipvs*"', '"*"'],
    protocols: ['static1', 'kernel1', 'device1', 'direct1', ...bgp.map((b) => b.name)],
    bgp,
    comments,
    staticBlackholes: blocks.filter((b) => b.len !== 32),
    staticPeerRoutes,
    aggr: blocks.map((cidr) => ({ cidr, state: 'confirmed' })),
    rejectPools: pools.filter((p) => p.disableBGPExport).map((p) => p.cidr),
    exportPools: pools.map((p) => ({ cidr: p.cidr, disableBGPExport: p.disableBGPExport })),
    rejectTunnelRoutes: ds.version !== 'v3.26',
    kernelFilter,
  };
}

/** birdConfigs renders every node's configuration, in node-name order. */
export function birdConfigs(ds: CalicoDatastore, ipam: IpamState): BirdConfig[] {
  const peerings = computePeerings(ds);
  return ds.nodes.map((n) => birdConfig(ds, peerings, ipam, n.name));
}

function netMatches(net: Cidr, prefix: Cidr): boolean {
  // BIRD's `net ~ P`: net lies within P (and is at least as long).
  return net.len >= prefix.len && cidrContains(prefix, net.addr);
}

function netEquals(a: Cidr, b: Cidr): boolean {
  return a.len === b.len && networkOf(a.addr, a.len) === networkOf(b.addr, b.len);
}

/** KernelDecision is calico_kernel_programming's verdict on a route: reject, or accept with krt_tunnel. */
export type KernelDecision = { readonly accept: false } | { readonly accept: true; readonly tunnel?: string };

/**
 * kernelFilterDecision runs calico_kernel_programming on a route to `net` with BGP next hop `nextHop`
 * (undefined for routes without one). `tunnel` is the krt_tunnel set, undefined when none is.
 */
export function kernelFilterDecision(cfg: BirdConfig, net: Cidr, nextHop?: Ipv4): KernelDecision {
  for (const r of cfg.kernelFilter) {
    if (!netMatches(net, r.pool)) continue;
    if (r.action === 'reject') return { accept: false };
    if (r.action === 'tunnel') return { accept: true, tunnel: r.tunnel };
    const onSubnet = nextHop !== undefined && cidrContains(r.subnet, nextHop);
    return { accept: true, tunnel: onSubnet ? '' : r.tunnel };
  }
  return { accept: true };
}

/** ExportRoute is what calico_export_to_bgp_peers looks at: the prefix and, for device routes, ifname. */
export interface ExportRoute {
  readonly net: Cidr;
  readonly ifname?: string;
}

const patternCache = new Map<string, RegExp>();

function birdMatch(pattern: string, s: string): boolean {
  // BIRD's `~` on strings is a shell-like pattern with `*` and `?`.
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
    );
    patternCache.set(pattern, re);
  }
  return re.test(s);
}

/**
 * exportDecision runs a peer's export filter: calico_export_to_bgp_peers(internal), then the final
 * `reject`. It accepts the node's blocks, nothing more specific inside them, and any other route within
 * an exportable pool (borrowed /32s, routes learned from other nodes when reflecting).
 */
export function exportDecision(cfg: BirdConfig, route: ExportRoute, internalPeer: boolean): 'accept' | 'reject' {
  for (const p of cfg.rejectPools) if (netMatches(route.net, p)) return 'reject';
  if (
    cfg.rejectTunnelRoutes &&
    internalPeer &&
    route.ifname !== undefined &&
    (birdMatch('*.cali', route.ifname) || birdMatch('*.calico', route.ifname))
  )
    return 'reject';
  if (cfg.rejectTunnelRoutes && route.ifname !== undefined && birdMatch('bpf*.cali', route.ifname)) return 'reject';
  for (const b of cfg.aggr) {
    if (netEquals(route.net, b.cidr)) return 'accept';
    if (netMatches(route.net, b.cidr)) return 'reject';
  }
  for (const p of cfg.exportPools) if (!p.disableBGPExport && netMatches(route.net, p.cidr)) return 'accept';
  return 'reject';
}

/** externalPeerNeighbors lists, for an external speaker, the nodes whose bird.cfg has a protocol to it. */
export function externalPeerNeighbors(configs: readonly BirdConfig[], address: Ipv4): { node: string; protocol: BgpProtocol }[] {
  const out: { node: string; protocol: BgpProtocol }[] = [];
  for (const c of configs) for (const p of c.bgp) if (p.neighbor === address) out.push({ node: c.node, protocol: p });
  return out;
}

/**
 * renderBgpProtocolBlock writes one protocol as bird.cfg.template does, from `protocol bgp` to its `}`,
 * comments and spacing included (v3.26 has the argument-less export call).
 */
export function renderBgpProtocolBlock(p: BgpProtocol): string {
  const lines = [`protocol bgp ${p.name} from bgp_template {`];
  const exportCall =
    p.exportFilter.internalPeer === null ? 'calico_export_to_bgp_peers();' : `calico_export_to_bgp_peers(${p.exportFilter.internalPeer});`;
  const neighbor = `  neighbor ${formatIpv4(p.neighbor)} ${p.port !== 0 ? `port ${p.port} ` : ''}as ${p.neighborAs};`;
  const source =
    p.sourceAddress !== undefined
      ? [`  source address ${formatIpv4(p.sourceAddress)};  # The local address we use for the TCP connection`]
      : [];
  if (p.kind === 'mesh') {
    lines.push(
      neighbor,
      ...source,
      "  import all;        # Import all routes, since we don't know what the upstream",
      '                     # topology is and therefore have to trust the ToR/RR.',
      '  export filter {',
      `    ${exportCall}`,
      '    reject;',
      '  };  # Only want to export routes for workloads.',
    );
    if (p.passive) lines.push('  passive on; # Mesh is unidirectional, peer will connect to us.');
    if (p.gracefulRestartTime !== undefined) lines.push(`  graceful restart time ${p.gracefulRestartTime};`);
    if (p.password !== undefined && p.password !== '') lines.push(`  password "${p.password}";`);
    lines.push('}');
    return lines.join('\n');
  }
  if (p.ttlSecurity) lines.push('  ttl security on;', `  multihop ${p.multihop};`);
  else lines.push('  ttl security off;', '  multihop;');
  lines.push(
    neighbor,
    ...source,
    '  import filter {',
    '    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import',
    '  };',
    '  export filter {',
    `    ${exportCall}`,
    ...(p.exportFilter.internalPeer === null
      ? [
          '    reject; # Prior to introduction of BGP Filters anything not explicitly exported through calico_export_to_bgp_peers()',
          '            # was rejected so use default reject behaviour on export',
        ]
      : ['    reject;']),
    '  };  # Only want to export routes for workloads.',
  );
  if (p.passive) lines.push('  passive on; # Peering is unidirectional, peer will connect to us.');
  if (p.gracefulRestartTime !== undefined) lines.push(`  graceful restart time ${p.gracefulRestartTime};`);
  if (p.rrClient) lines.push('  rr client;', `  rr cluster id ${p.rrClusterId};`);
  if (p.password !== undefined && p.password !== '') lines.push(`  password "${p.password}";`);
  if (p.nextHopKeep) lines.push('  next hop keep;');
  if (p.allowLocalAs !== undefined) lines.push(`  allow local as ${p.allowLocalAs};`);
  lines.push('}');
  return lines.join('\n');
}
