// The Calico datastore a scenario stands for, after the defaults Calico applies when it reads it:
// calico-node's startup (node/pkg/lifecycle/startup/startup.go: autodetected node address, default pool from
// CALICO_IPV4POOL_*), confd's globalDefaults (confd/pkg/backends/calico/client.go: AS 64512, mesh on),
// Felix's config precedence (felix/config: environment over FelixConfiguration node.<name> over default) and
// IPAM's config defaults (libcalico-go/lib/ipam/ipam.go GetIPAMConfig). Lists come in the order the
// Kubernetes API returns them: by name.

import type { Cidr, Ipv4, Mac } from '../../model/addr.js';
import type { CalicoVersion, ClusterNode, ExternalPeer, Network, NodeState, Pod, Router } from './cluster.js';
import { DEFAULT_POD_IMAGE, parseRfc3339 } from './cluster.js';
import { containerIdForPod, DEFAULT_INTERFACE_PREFIX, vethNameForWorkload, vtepMacForHost, WIREGUARD_DEVICE } from './names.js';
import { compareGoStrings } from './selector.js';
import type { BGPPassword } from './resources.js';
import { parseGoIPv4, parsePeerIP, type DefaultedIPPool } from './validation.js';

/** DEFAULT_AS_NUMBER is confd's global default AS. */
export const DEFAULT_AS_NUMBER = 64512;

/** DEFAULT_MTU_IFACE_PATTERN is Felix's MTUIfacePattern default. */
export const DEFAULT_MTU_IFACE_PATTERN = '^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)';

/** CalicoNodeInfo is one node as Calico sees it: its Calico Node resource merged with the machine. */
export interface CalicoNodeInfo {
  readonly name: string;
  readonly network: string;
  /** address is spec.bgp.ipv4Address's address (autodetected from `interface`). */
  readonly address: Ipv4;
  /** subnet is spec.bgp.ipv4Address as a prefix: the address with the network's length. */
  readonly subnet: Cidr;
  readonly interface: string;
  readonly mac?: Mac;
  readonly mtu: number;
  /** labels are the node's labels: kubelet's well-known ones, then the scenario's. */
  readonly labels: ReadonlyMap<string, string>;
  /** asNumber is spec.bgp.asNumber, undefined when the node uses the global AS. */
  readonly asNumber?: number;
  /** routeReflectorClusterID is spec.bgp.routeReflectorClusterID ('' when not a route reflector). */
  readonly routeReflectorClusterID: string;
  readonly ipv4IPIPTunnelAddr?: Ipv4;
  readonly ipv4VXLANTunnelAddr?: Ipv4;
  readonly vxlanTunnelMACAddr: Mac;
  readonly state: NodeState;
  readonly sysctls: ReadonlyMap<string, string>;
  /** nic is the host interface's kind: a physical NIC or a veth. */
  readonly nic: 'physical' | 'veth';
  /** bgpStartTime is when BIRD starts, in seconds of virtual time. */
  readonly bgpStartTime: number;
  /** creationTimestamp is the Node object's creation time (epoch seconds). */
  readonly creationTimestamp?: number;
  readonly kubeletVersion?: string;
  /** setup are lab lines run in the node after it is built. */
  readonly setup: readonly string[];
  readonly noprefixroute: boolean;
  readonly prefixRouteMetric?: number;
  /** ipv6LinkLocal says whether the node's devices get fe80:: addresses. */
  readonly ipv6LinkLocal: boolean;
  /** ifindex pins the host interface's index. */
  readonly ifindex?: number;
  /** tcpdump is the node's tcpdump build. */
  readonly tcpdump: 'upstream' | 'redhat';
}

/** PodInfo is a pod with its defaults applied. */
export interface PodInfo {
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  readonly ip?: Ipv4;
  readonly mac?: Mac;
  readonly image: string;
  readonly ports: readonly number[];
  readonly hostInterface: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly containerId: string;
  readonly hostIfindex?: number;
  readonly netnsid?: number;
  readonly netnsName?: string;
  /** creationTimestamp is the Pod object's creation time (epoch seconds), when the scenario gives it. */
  readonly creationTimestamp?: number;
  /** pending pods wait for a `kubectl apply -f`. */
  readonly pending: boolean;
}

/** BGPGlobalSettings are the `/bgp/v1/global` keys confd renders from BGPConfiguration `default`. */
export interface BGPGlobalSettings {
  readonly asNumber: number;
  readonly nodeToNodeMesh: boolean;
  /** logLevel is confd's lowered logSeverityScreen: debug, info or none; undefined when unset. */
  readonly logLevel?: 'debug' | 'info' | 'none';
  readonly listenPort?: number;
  readonly bindMode?: 'None' | 'NodeIP';
  readonly nodeMeshPassword?: string;
  /** nodeMeshRestartTime is nodeMeshMaxRestartTime in whole seconds. */
  readonly nodeMeshRestartTime?: number;
  readonly ignoredInterfaces?: readonly string[];
}

/** BGPNodeSettings are the per-node keys from BGPConfiguration `node.<name>`. */
export interface BGPNodeSettings {
  readonly listenPort?: number;
  readonly logLevel?: 'debug' | 'info' | 'none';
}

/** PeerInfo is a BGPPeer with its defaults applied (confd's view). */
export interface PeerInfo {
  readonly name: string;
  readonly node?: string;
  readonly nodeSelector?: string;
  readonly peerIP?: Ipv4;
  /** port is the port written in peerIP (`a.b.c.d:port`), 0 when none. */
  readonly port: number;
  readonly asNumber: number;
  readonly peerSelector?: string;
  readonly keepOriginalNextHop: boolean;
  readonly password?: string;
  readonly sourceAddress: 'UseNodeIP' | 'None';
  /** restartTime is maxRestartTime in whole seconds. */
  readonly restartTime?: number;
  readonly numAllowedLocalASNumbers: number;
  readonly ttlSecurity: number;
  readonly reachableBy?: Ipv4;
}

/** FelixSettings are the Felix parameters calisim models, for one node. */
export interface FelixSettings {
  readonly interfacePrefix: string;
  /** ipipEnabled and vxlanEnabled come from the pools unless FelixConfiguration sets them. */
  readonly ipipEnabled: boolean;
  readonly vxlanEnabled: boolean;
  readonly wireguardEnabled: boolean;
  /** The MTUs are as configured; 0 means "host MTU minus the overhead" (ConfigureDefaultMTUs). */
  readonly ipipMTU: number;
  readonly vxlanMTU: number;
  readonly vxlanMTUV6: number;
  readonly wireguardMTU: number;
  readonly wireguardInterfaceName: string;
  readonly vxlanPort: number;
  readonly vxlanVNI: number;
  readonly natOutgoingAddress?: Ipv4;
  readonly natPortRange?: { readonly min: number; readonly max: number };
  readonly deviceRouteSourceAddress?: Ipv4;
  readonly deviceRouteProtocol: number;
  readonly iptablesNATOutgoingInterfaceFilter: string;
  readonly mtuIfacePattern: string;
  /** masqFullyRandom is the MASQFullyRandom feature: `--random-fully` on MASQUERADE. */
  readonly masqFullyRandom: boolean;
}

/** IpamSettings are the global IPAM configuration. */
export interface IpamSettings {
  readonly strictAffinity: boolean;
  readonly autoAllocateBlocks: boolean;
  /** maxBlocksPerHost is 0 for "no limit configured" (IPAM then stops at 20). */
  readonly maxBlocksPerHost: number;
}

/** CalicoDatastore is everything the control-plane functions read, defaults applied. */
export interface CalicoDatastore {
  readonly version: CalicoVersion;
  /** startTime is the wall-clock second of virtual time zero (seconds since the Unix epoch). */
  readonly startTime: number;
  readonly networks: readonly Network[];
  readonly routers: readonly Router[];
  /** pools are sorted by name, as IPAM lists them. */
  readonly pools: readonly DefaultedIPPool[];
  /** nodes are sorted by name, as confd's `lsdir /bgp/v1/host` lists them. */
  readonly nodes: readonly CalicoNodeInfo[];
  readonly pods: readonly PodInfo[];
  readonly bgp: BGPGlobalSettings;
  readonly bgpNodes: ReadonlyMap<string, BGPNodeSettings>;
  /** peers are sorted by name (Calico walks a Go map; calisim fixes the order). */
  readonly peers: readonly PeerInfo[];
  readonly felix: ReadonlyMap<string, FelixSettings>;
  readonly ipam: IpamSettings;
  /** pinnedBlocks are each node's blocks to claim before any allocation, in order. */
  readonly pinnedBlocks: ReadonlyMap<string, readonly Cidr[]>;
  readonly externalPeers: readonly ExternalPeer[];
  /** routerID is CALICO_ROUTER_ID ('' for the node address). */
  readonly routerID: string;
  /** vethMTU is the CNI `mtu` (0: use Felix's computed pod MTU). */
  readonly vethMTU: number;
  readonly kernel: KernelSettings;
  /** backend is CALICO_NETWORKING_BACKEND. */
  readonly backend: 'bird' | 'vxlan' | 'none';
  readonly bird6: boolean;
  readonly podAddressBroadcast: boolean;
}

/** KernelSettings are the nodes' kernel as the scenario describes it, defaults applied. */
export interface KernelSettings {
  readonly ipipModule: boolean;
  readonly ipv6LinkLocalPods: boolean;
  /** vethTxQueueLen is undefined for the modelled kernel's default. */
  readonly vethTxQueueLen?: number;
}

/** kubeletLabels are the labels kubelet puts on every Linux amd64 node. */
export function kubeletLabels(nodeName: string): Map<string, string> {
  return new Map([
    ['beta.kubernetes.io/arch', 'amd64'],
    ['beta.kubernetes.io/os', 'linux'],
    ['kubernetes.io/arch', 'amd64'],
    ['kubernetes.io/hostname', nodeName],
    ['kubernetes.io/os', 'linux'],
  ]);
}

/** byName sorts by Go string order of `name`, the order the Kubernetes API lists resources in. */
export function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareGoStrings(a.name, b.name));
}

/** NodeOverrides are the Calico Node resource fields that refine a Cluster node. */
export interface NodeOverrides {
  readonly labels?: ReadonlyMap<string, string>;
  readonly asNumber?: number;
  readonly routeReflectorClusterID?: string;
  readonly ipv4IPIPTunnelAddr?: string;
  readonly ipv4VXLANTunnelAddr?: string;
  readonly vxlanTunnelMACAddr?: string;
}

/** nodeInfo builds a CalicoNodeInfo from a Cluster node, its network and its Node resource (if any). */
export function nodeInfo(
  node: ClusterNode,
  network: Network,
  overrides: NodeOverrides = {},
  times: { readonly startTime: number; readonly ipv6LinkLocal: boolean } = { startTime: 0, ipv6LinkLocal: false },
): CalicoNodeInfo {
  const labels = kubeletLabels(node.name);
  for (const [k, v] of node.labels ?? []) labels.set(k, v);
  for (const [k, v] of overrides.labels ?? []) labels.set(k, v);
  const ipip = overrides.ipv4IPIPTunnelAddr ? (parseGoIPv4(overrides.ipv4IPIPTunnelAddr) ?? undefined) : undefined;
  const vxlan = overrides.ipv4VXLANTunnelAddr ? (parseGoIPv4(overrides.ipv4VXLANTunnelAddr) ?? undefined) : undefined;
  const vtepMac = overrides.vxlanTunnelMACAddr
    ? overrides.vxlanTunnelMACAddr.toLowerCase().replaceAll('-', ':')
    : vtepMacForHost(node.name);
  return {
    name: node.name,
    network: network.name,
    address: node.address,
    subnet: { addr: node.address, len: network.cidr.len },
    interface: node.interface ?? 'eth0',
    mac: node.mac,
    mtu: node.mtu ?? 1500,
    labels,
    asNumber: overrides.asNumber ?? node.asNumber,
    routeReflectorClusterID: overrides.routeReflectorClusterID ?? node.routeReflectorClusterID ?? '',
    ipv4IPIPTunnelAddr: ipip,
    ipv4VXLANTunnelAddr: vxlan,
    vxlanTunnelMACAddr: vtepMac,
    state: node.state ?? 'ready',
    sysctls: node.sysctls ?? new Map(),
    nic: node.nic ?? 'veth',
    bgpStartTime: node.bgpStartTime !== undefined ? (parseRfc3339(node.bgpStartTime) as number) - times.startTime : 0,
    ...(node.creationTimestamp !== undefined ? { creationTimestamp: parseRfc3339(node.creationTimestamp) as number } : {}),
    ...(node.kubeletVersion !== undefined ? { kubeletVersion: node.kubeletVersion } : {}),
    setup: node.setup ?? [],
    noprefixroute: (node.addressFlags ?? []).includes('noprefixroute'),
    ...(node.prefixRouteMetric !== undefined ? { prefixRouteMetric: node.prefixRouteMetric } : {}),
    ipv6LinkLocal: node.ipv6LinkLocal ?? times.ipv6LinkLocal,
    tcpdump: node.tcpdump ?? 'upstream',
    ...(node.ifindex !== undefined ? { ifindex: node.ifindex } : {}),
  };
}

/** podInfo applies a pod's defaults: namespace `default`, the default image, and the derived veth name. */
export function podInfo(pod: Pod, interfacePrefix: string): PodInfo {
  const namespace = pod.namespace ?? 'default';
  return {
    name: pod.name,
    namespace,
    node: pod.node,
    ip: pod.ip,
    mac: pod.mac,
    image: pod.image ?? DEFAULT_POD_IMAGE,
    ports: pod.ports ?? [],
    hostInterface: pod.hostInterface ?? vethNameForWorkload(namespace, pod.name, interfacePrefix),
    labels: pod.labels ?? new Map(),
    containerId: containerIdForPod(namespace, pod.name),
    ...(pod.hostIfindex !== undefined ? { hostIfindex: pod.hostIfindex } : {}),
    ...(pod.netnsid !== undefined ? { netnsid: pod.netnsid } : {}),
    ...(pod.netnsName !== undefined ? { netnsName: pod.netnsName } : {}),
    ...(pod.creationTimestamp !== undefined ? { creationTimestamp: parseRfc3339(pod.creationTimestamp) as number } : {}),
    pending: pod.pending ?? false,
  };
}

/** confdLogLevel is getLogSeverityKVPair: Debug and Info kept (lowercase), anything else `none`. */
export function confdLogLevel(severity: string | undefined): 'debug' | 'info' | 'none' | undefined {
  if (severity === undefined || severity === '') return undefined;
  const l = severity.toLowerCase();
  return l === 'debug' || l === 'info' ? l : 'none';
}

/** goRoundSeconds is `int(math.Round(d.Seconds()))`, how confd writes restart times. */
export function goRoundSeconds(seconds: number): number {
  return Math.sign(seconds) * Math.round(Math.abs(seconds));
}

/** SecretLookup returns a Secret's key, or undefined. */
export type SecretLookup = (name: string, key: string) => string | undefined;

/** passwordOf resolves a BGPPassword through the scenario's secrets (getPassword). */
export function passwordOf(p: BGPPassword | undefined, secrets: SecretLookup): string | undefined {
  const ref = p?.secretKeyRef;
  if (!ref || ref.name === undefined || ref.key === undefined) return undefined;
  return secrets(ref.name, ref.key);
}

/** peerInfo applies confd's reading of a BGPPeer spec. */
export function peerInfo(
  name: string,
  spec: {
    node?: string;
    nodeSelector?: string;
    peerIP?: string;
    asNumber?: number;
    peerSelector?: string;
    keepOriginalNextHop?: boolean;
    password?: BGPPassword;
    sourceAddress?: string;
    maxRestartTime?: number;
    numAllowedLocalASNumbers?: number;
    ttlSecurity?: number;
    reachableBy?: string;
  },
  secrets: SecretLookup,
): PeerInfo {
  const p = spec.peerIP ? parsePeerIP(spec.peerIP) : null;
  const reach = spec.reachableBy ? parseGoIPv4(spec.reachableBy) : null;
  return {
    name,
    node: spec.node || undefined,
    nodeSelector: spec.nodeSelector || undefined,
    peerIP: p?.ip,
    port: p?.port ?? 0,
    asNumber: spec.asNumber ?? 0,
    peerSelector: spec.peerSelector || undefined,
    keepOriginalNextHop: spec.keepOriginalNextHop ?? false,
    password: passwordOf(spec.password, secrets),
    sourceAddress: spec.sourceAddress === 'None' ? 'None' : 'UseNodeIP',
    restartTime: spec.maxRestartTime !== undefined ? goRoundSeconds(spec.maxRestartTime) : undefined,
    numAllowedLocalASNumbers: spec.numAllowedLocalASNumbers ?? 0,
    ttlSecurity: spec.ttlSecurity ?? 0,
    reachableBy: reach ?? undefined,
  };
}

/** FelixSpecLike is the subset of FelixConfigurationSpec felixSettings reads. */
export type FelixSpecLike = Readonly<Record<string, unknown>>;

/** parsePortRange reads numorstring.Port text: `n` or `min:max`. */
export function parsePortRange(v: unknown): { min: number; max: number } | undefined {
  if (typeof v === 'number') return { min: v, max: v };
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)(?::(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
}

function featureOverride(text: string | undefined, key: string): boolean | undefined {
  for (const item of (text ?? '').split(',')) {
    const m = /^\s*(\w+)=(.*)$/.exec(item);
    if (m && m[1] === key) return m[2].trim().toLowerCase() === 'true';
  }
  return undefined;
}

/**
 * felixSettings merges FelixConfiguration `default`, then `node.<name>`, then calico-node's environment,
 * over Felix's defaults. Encapsulation is on when some pool uses it, unless configured.
 */
export function felixSettings(
  node: CalicoNodeInfo,
  globalSpec: FelixSpecLike | undefined,
  nodeSpec: FelixSpecLike | undefined,
  env: { readonly deviceRouteSourceAddressNodeIP: boolean; readonly interfacePrefix?: string; readonly masqFullyRandom: boolean },
  pools: readonly DefaultedIPPool[],
): FelixSettings {
  const get = <T>(k: string): T | undefined => {
    const n = nodeSpec?.[k];
    if (n !== undefined) return n as T;
    return globalSpec?.[k] as T | undefined;
  };
  const num = (k: string, dflt: number): number => get<number>(k) ?? dflt;
  const ipipFromPools = pools.some((p) => p.ipipMode !== 'Never');
  const vxlanFromPools = pools.some((p) => p.vxlanMode !== 'Never');
  const dra = env.deviceRouteSourceAddressNodeIP
    ? node.address
    : (() => {
        const v = get<string>('deviceRouteSourceAddress');
        return v ? (parseGoIPv4(v) ?? undefined) : undefined;
      })();
  const nat = get<string>('natOutgoingAddress');
  const fullyRandom = featureOverride(get<string>('featureDetectOverride'), 'MASQFullyRandom');
  return {
    interfacePrefix: env.interfacePrefix ?? get<string>('interfacePrefix') ?? DEFAULT_INTERFACE_PREFIX,
    ipipEnabled: get<boolean>('ipipEnabled') ?? ipipFromPools,
    vxlanEnabled: get<boolean>('vxlanEnabled') ?? vxlanFromPools,
    wireguardEnabled: get<boolean>('wireguardEnabled') ?? false,
    ipipMTU: num('ipipMTU', 0),
    vxlanMTU: num('vxlanMTU', 0),
    vxlanMTUV6: num('vxlanMTUV6', 0),
    wireguardMTU: num('wireguardMTU', 0),
    wireguardInterfaceName: get<string>('wireguardInterfaceName') || WIREGUARD_DEVICE,
    vxlanPort: num('vxlanPort', 4789),
    vxlanVNI: num('vxlanVNI', 4096),
    natOutgoingAddress: nat ? (parseGoIPv4(nat) ?? undefined) : undefined,
    natPortRange: parsePortRange(get('natPortRange')),
    deviceRouteSourceAddress: dra,
    deviceRouteProtocol: num('deviceRouteProtocol', 3),
    iptablesNATOutgoingInterfaceFilter: get<string>('iptablesNATOutgoingInterfaceFilter') ?? '',
    mtuIfacePattern: get<string>('mtuIfacePattern') || DEFAULT_MTU_IFACE_PATTERN,
    masqFullyRandom: fullyRandom ?? env.masqFullyRandom,
  };
}
