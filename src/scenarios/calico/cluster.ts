// The calisim/v1 Cluster resource: the machines, networks and pods a scenario builds, plus the calico-node
// settings that Calico takes from environment variables rather than from resources
// (node/pkg/lifecycle/startup/startup.go for the default pool, felix/config/config_params.go for
// FELIX_DEVICEROUTESOURCEADDRESS and FELIX_INTERFACEPREFIX, confd's CALICO_ROUTER_ID, the CNI `mtu`).
// Keys are exact and required fields must be present (the `calisim` dialect of decode.ts).

import { z } from 'zod';
import { parseCidr, parseIpv4, parseMac, isMulticastMac, networkOf, formatCidr, type Cidr, type Ipv4, type Mac } from '../../model/addr.js';
import { quoteForMessage } from './goyaml.js';
import { withMeta } from './decode.js';

/** CLUSTER_API is the apiVersion of the Cluster resource. */
export const CLUSTER_API = 'calisim/v1';

/** DEFAULT_START_TIME is the wall-clock time of virtual time zero when `startTime` is not given. */
export const DEFAULT_START_TIME = '2025-01-01T00:00:00Z';

/** DEFAULT_POD_IMAGE is a pod's image when none is given: an image whose ping and ip are iputils/iproute2. */
export const DEFAULT_POD_IMAGE = 'nicolaka/netshoot';

/** CalicoVersion selects the release whose behaviour calisim reproduces where releases differ. */
export type CalicoVersion = 'v3.26' | 'v3.29' | 'v3.30';

/** DEFAULT_CALICO_VERSION is the release modelled when the Cluster does not say. */
export const DEFAULT_CALICO_VERSION: CalicoVersion = 'v3.30';

const q = (v: unknown): string => quoteForMessage(String(v));

/** parseRfc3339 turns `YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)` into seconds since the Unix epoch, or null. */
export function parseRfc3339(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return null;
  const [year, month, day, hour, min, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || min > 59 || sec > 60) return null;
  const frac = m[7] ? Number(`0${m[7]}`) : 0;
  let offset = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec + frac - offset;
}

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** daysFromCivil is the day number of a Gregorian date since 1970-01-01 (H. Hinnant's algorithm). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// ---- value schemas -------------------------------------------------------------------------------

const ipv4Schema = z
  .string()
  .refine((s) => parseIpv4(s) !== null, { error: (iss) => `invalid IPv4 address ${q(iss.input)}` })
  .transform((s): Ipv4 => parseIpv4(s) as Ipv4);

const networkCidrSchema = z
  .string()
  .refine((s) => s.includes('/') && parseCidr(s, false) !== null, { error: (iss) => `invalid CIDR ${q(iss.input)}` })
  .refine(
    (s) => {
      const c = parseCidr(s, false) as Cidr;
      return networkOf(c.addr, c.len) === c.addr;
    },
    {
      error: (iss) => {
        const c = parseCidr(String(iss.input), false) as Cidr;
        return `${q(iss.input)} is not a network address (did you mean ${formatCidr({ addr: networkOf(c.addr, c.len), len: c.len })}?)`;
      },
    },
  )
  .transform((s): Cidr => parseCidr(s, false) as Cidr);

const blockCidrSchema = z
  .string()
  .refine((s) => s.includes('/') && parseCidr(s, false) !== null, { error: (iss) => `invalid CIDR ${q(iss.input)}` })
  .transform((s): Cidr => parseCidr(s, false) as Cidr);

const macSchema = z
  .string()
  .refine((s) => parseMac(s) !== null, { error: (iss) => `invalid MAC address ${q(iss.input)}` })
  .refine((s) => !isMulticastMac(parseMac(s) as Mac), { error: (iss) => `MAC address ${q(iss.input)} is a multicast address` })
  .transform((s): Mac => parseMac(s) as Mac);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const subdomainSchema = z.string().refine((s) => s.length <= 253 && DNS_SUBDOMAIN.test(s), {
  error: (iss) =>
    `invalid name ${q(iss.input)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
});

const labelNameSchema = z.string().refine((s) => s.length <= 63 && DNS_LABEL.test(s), {
  error: (iss) =>
    `invalid name ${q(iss.input)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
});

const plainNameSchema = z.string().refine((s) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s), {
  error: (iss) => `invalid name ${q(iss.input)}: use letters, digits, '_', '.' and '-'`,
});

/** validInterfaceName is the kernel's dev_valid_name: 1–15 bytes, not `.`/`..`, no `/`, `:` or whitespace. */
export function validInterfaceName(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') >= 1 && Buffer.byteLength(s, 'utf8') <= 15 && s !== '.' && s !== '..' && !/[/:\s]/.test(s);
}

const ifnameSchema = z
  .string()
  .refine(validInterfaceName, { error: (iss) => `invalid interface name ${q(iss.input)}: 1 to 15 bytes, no '/', ':' or whitespace` });

const mtuSchema = z
  .number()
  .int()
  .refine((n) => n >= 68 && n <= 65535, { error: (iss) => `MTU ${String(iss.input)} is out of range 68 to 65535` });

const portSchema = z
  .number()
  .int()
  .refine((n) => n >= 1 && n <= 65535, { error: (iss) => `port ${String(iss.input)} is out of range 1 to 65535` });

const asNumberSchema = withMeta(
  z
    .number()
    .int()
    .refine((n) => n >= 1 && n <= 0xffffffff, { error: (iss) => `AS number ${String(iss.input)} is out of range 1 to 4294967295` }),
  { decode: 'asnumber' },
);

const rrClusterIdSchema = z.string().refine((s) => parseIpv4(s) !== null, {
  error: (iss) => `invalid route reflector cluster ID ${q(iss.input)}: it is written as an IPv4 address`,
});

const labelsSchema = z.map(z.string(), z.string());

const SYSCTL_KEY = /^(net|kernel|vm|fs)(\.[A-Za-z0-9_*-][A-Za-z0-9_.*-]*)+$/;
const sysctlsSchema = z
  .map(
    z.string().refine((k) => SYSCTL_KEY.test(k) && !k.includes('..') && !k.endsWith('.'), {
      error: (iss) => `invalid sysctl name ${q(iss.input)}`,
    }),
    z.union([z.string(), z.number()]),
  )
  .transform((m) => new Map([...m].map(([k, v]) => [k, String(v)] as const)));

const startTimeSchema = z
  .string()
  .refine((s) => parseRfc3339(s) !== null, { error: (iss) => `invalid time ${q(iss.input)}: want RFC 3339, e.g. 2025-05-16T03:24:00Z` });

// ---- the resource --------------------------------------------------------------------------------

const timeSchema = startTimeSchema;

const ROUTE_PROTOS = ['boot', 'static', 'dhcp', 'kernel'] as const;

/** NetworkSchema is an L2 segment (a switch): its subnet and default gateway. */
export const NetworkSchema = z.strictObject({
  name: plainNameSchema,
  cidr: networkCidrSchema,
  /** gateway is the default route of the nodes on this network; a router interface usually holds it. */
  gateway: ipv4Schema.optional(),
  /** gatewayProto is the default route's protocol (NetworkManager writes `static`; default `boot`). */
  gatewayProto: z
    .enum(ROUTE_PROTOS, { error: (iss) => `invalid gatewayProto ${q(iss.input)}: must be boot, static, dhcp or kernel` })
    .optional(),
  /** gatewayMetric is the default route's metric (NetworkManager: 100 for wired); default 0. */
  gatewayMetric: z.number().int().min(0).max(0xffffffff).optional(),
});

/** RouterInterfaceSchema is one leg of a router. */
export const RouterInterfaceSchema = z.strictObject({
  network: z.string(),
  address: ipv4Schema,
  mac: macSchema.optional(),
});

/** RouterSchema is a forwarding box between networks (IP forwarding on, no Calico). */
export const RouterSchema = z.strictObject({
  name: plainNameSchema,
  interfaces: z.array(RouterInterfaceSchema),
  /** sysctls are set in the router's namespace (e.g. `net.ipv4.ip_default_ttl` for a far-away host's replies). */
  sysctls: sysctlsSchema.optional(),
});

/** NodeState says whether a node takes part: `ready`, or `down` (powered off: no links, no BGP). */
export type NodeState = 'ready' | 'down';

/** ClusterNodeSchema is a Kubernetes node running calico-node. */
export const ClusterNodeSchema = z.strictObject({
  name: subdomainSchema,
  network: z.string(),
  address: ipv4Schema,
  /** interface is the host interface on the network; default `eth0`. */
  interface: ifnameSchema.optional(),
  mac: macSchema.optional(),
  /** mtu is the host interface MTU; default 1500. */
  mtu: mtuSchema.optional(),
  labels: labelsSchema.optional(),
  /** asNumber overrides the global AS (as Node spec.bgp.asNumber does). */
  asNumber: asNumberSchema.optional(),
  /** routeReflectorClusterID makes the node a route reflector (Node spec.bgp.routeReflectorClusterID). */
  routeReflectorClusterID: rrClusterIdSchema.optional(),
  /** sysctls are set in the node's root namespace before anything else. */
  sysctls: sysctlsSchema.optional(),
  state: z.enum(['ready', 'down'], { error: (iss) => `invalid state ${q(iss.input)}: must be ready or down` }).optional(),
  /** blocks are IPAM blocks this node claims first, in order, when it first needs one (a real cluster's choice is pseudo-random). */
  blocks: z.array(blockCidrSchema).optional(),
  /** ifindex is the host interface's index in the node (a kind node's eth0 keeps docker's); default the next free (2). */
  ifindex: z
    .number()
    .int()
    .refine((n) => n >= 2 && n <= 0x7fffffff, { error: (iss) => `ifindex ${String(iss.input)} is out of range 2 to 2147483647` })
    .optional(),
  /** nic `physical` makes the host interface a physical NIC (ifindex 2, `qdisc mq`, no `@ifN`); default `veth`. */
  nic: z.enum(['physical', 'veth'], { error: (iss) => `invalid nic ${q(iss.input)}: must be physical or veth` }).optional(),
  /** bgpStartTime is when calico-node starts BIRD on this node (default: startTime). */
  bgpStartTime: timeSchema.optional(),
  /** creationTimestamp is the Node object's (kubectl's AGE); default: startTime. */
  creationTimestamp: timeSchema.optional(),
  /** kubeletVersion is what kubectl shows as VERSION. */
  kubeletVersion: z.string().optional(),
  /** setup are lab lines run in the node's namespace once calisim has built it (what the schema has no field for). */
  setup: z.array(z.string()).optional(),
  /** addressFlags are flags of the host address (`noprefixroute`, as NetworkManager adds it). */
  addressFlags: z
    .array(z.enum(['noprefixroute'], { error: (iss) => `invalid address flag ${q(iss.input)}: must be noprefixroute` }))
    .optional(),
  /** prefixRouteMetric is the metric of the prefix route NetworkManager adds itself (`proto kernel … metric N`). */
  prefixRouteMetric: z.number().int().min(0).max(0xffffffff).optional(),
  /** ipv6LinkLocal overrides spec.kernel.ipv6LinkLocal.nodes for this node. */
  ipv6LinkLocal: z.boolean().optional(),
  /** tcpdump is whose tcpdump the node has: `redhat` (RHEL/CentOS: `-n` still names ports) or `upstream`. */
  tcpdump: z.enum(['upstream', 'redhat'], { error: (iss) => `invalid tcpdump ${q(iss.input)}: must be upstream or redhat` }).optional(),
});

/** PodSchema is a pod with one Calico interface. */
export const PodSchema = z.strictObject({
  name: subdomainSchema,
  /** namespace defaults to `default`. */
  namespace: labelNameSchema.optional(),
  node: z.string(),
  /** ip is a fixed address (the `cni.projectcalico.org/ipAddrs` annotation); otherwise Calico IPAM picks one. */
  ip: ipv4Schema.optional(),
  /** mac is the pod eth0's MAC (`cni.projectcalico.org/hwAddr`); otherwise calisim derives one. */
  mac: macSchema.optional(),
  /** image chooses the userspace tools' flavour; default DEFAULT_POD_IMAGE. */
  image: z
    .string()
    .refine((s) => s.length > 0, { error: 'image must not be empty' })
    .optional(),
  /** ports are TCP ports the pod listens on. */
  ports: z.array(portSchema).optional(),
  /** hostInterface overrides the host-side veth name (by default vethNameForWorkload). */
  hostInterface: ifnameSchema.optional(),
  labels: labelsSchema.optional(),
  /** hostIfindex is the ifindex of the host-side veth in the node (`eth0@ifN`); default: the node's next. */
  hostIfindex: z
    .number()
    .int()
    .refine((n) => n >= 1 && n <= 0x7fffffff, { error: (iss) => `hostIfindex ${String(iss.input)} is out of range 1 to 2147483647` })
    .optional(),
  /** netnsid is the id the node knows the pod's namespace by (`link-netnsid N`); default: the next free one. */
  netnsid: z.number().int().min(0).max(0x7fffffff).optional(),
  /** netnsName is the pod namespace's name in the node's /run/netns (containerd's `cni-<uuid>`); default: unnamed. */
  netnsName: z
    .string()
    .refine((s) => s.length > 0 && s.length <= 255 && !s.includes('/'), { error: (iss) => `invalid netnsName ${q(iss.input)}` })
    .optional(),
  /** creationTimestamp is the Pod object's (kubectl's AGE); default: startTime, or when a pending pod is applied. */
  creationTimestamp: timeSchema.optional(),
  /** pending keeps the pod out of the cluster until a `kubectl apply -f` names it. */
  pending: z.boolean().optional(),
});

/** ExternalPeerSchema is a BGP speaker that is not a Calico node: a ToR, or a route reflector like GoBGP. */
export const ExternalPeerSchema = z.strictObject({
  name: plainNameSchema,
  /** software is the implementation whose behaviour and CLI calisim imitates. */
  software: z.enum(['bird', 'gobgp'], { error: (iss) => `invalid software ${q(iss.input)}: must be bird or gobgp` }),
  /** router names the router this speaker runs on; its address must be one of the router's. */
  router: z.string().optional(),
  /** network is the network of a stand-alone speaker host (when `router` is not given). */
  network: z.string().optional(),
  address: ipv4Schema,
  mac: macSchema.optional(),
  asNumber: asNumberSchema,
  routerID: ipv4Schema.optional(),
  /** routeReflector makes every iBGP neighbour a route-reflector client. */
  routeReflector: z.boolean().optional(),
  /** neighbors are the addresses it peers with; by default every node whose bird.cfg names it. */
  neighbors: z.array(ipv4Schema).optional(),
  /** passive makes it wait for the nodes to connect (GoBGP `passive-mode`). */
  passive: z.boolean().optional(),
  /** clusterID is its route-reflector cluster id (default: its router id). */
  clusterID: ipv4Schema.optional(),
});

/** SecretSchema is a Kubernetes Secret in calico-node's namespace (BGP passwords), with plain-text data. */
export const SecretSchema = z.strictObject({
  name: subdomainSchema,
  data: z.map(z.string(), z.string()),
});

/** DefaultPoolSchema is the CALICO_IPV4POOL_* environment of calico-node, used only when there is no IPPool. */
export const DefaultPoolSchema = z.strictObject({
  cidr: z.string().optional(),
  blockSize: z.number().int().optional(),
  ipipMode: z.string().optional(),
  vxlanMode: z.string().optional(),
  natOutgoing: z.boolean().optional(),
  nodeSelector: z.string().optional(),
});

/** CALICO_INSTALLS are the ways of installing Calico calisim tells apart. */
export const CALICO_INSTALLS = ['manifest', 'operator'] as const;

/** CalicoInstall is how Calico was installed. */
export type CalicoInstall = (typeof CALICO_INSTALLS)[number];

/** DEFAULT_CALICO_INSTALL is the install assumed when the Cluster does not say: the calico.yaml manifest. */
export const DEFAULT_CALICO_INSTALL: CalicoInstall = 'manifest';

/** CalicoSettingsSchema holds calico-node settings that come from its environment. */
export const CalicoSettingsSchema = z.strictObject({
  version: z
    .enum(['v3.26', 'v3.29', 'v3.30'], { error: (iss) => `invalid version ${q(iss.input)}: must be v3.26, v3.29 or v3.30` })
    .optional(),
  /** deviceRouteSourceAddress `NodeIP` is FELIX_DEVICEROUTESOURCEADDRESS from status.hostIP (kubekey does this). */
  deviceRouteSourceAddress: z
    .enum(['NodeIP'], { error: (iss) => `invalid deviceRouteSourceAddress ${q(iss.input)}: must be NodeIP` })
    .optional(),
  /** interfacePrefix is FELIX_INTERFACEPREFIX. */
  interfacePrefix: z.string().optional(),
  /** vethMTU is the CNI configuration's `mtu`; 0 (the default) uses the MTU Felix computes. */
  vethMTU: z.number().int().min(0).optional(),
  /** routerID is CALICO_ROUTER_ID: an IPv4 address, `hash`, or empty for the node address. */
  routerID: z.string().optional(),
  ipv4Pool: DefaultPoolSchema.optional(),
  /** natOutgoingRandomFully is Felix's feature detection of MASQUERADE --random-fully (iptables ≥ 1.6.2). */
  natOutgoingRandomFully: z.boolean().optional(),
  /** podAddressBroadcast puts `brd <address>` on a pod's /32, as the netlink library of older CNI plugins did. */
  podAddressBroadcast: z.boolean().optional(),
  /** backend is CALICO_NETWORKING_BACKEND: `bird` (default) runs BIRD; `vxlan` and `none` run no BGP. */
  backend: z.enum(['bird', 'vxlan', 'none'], { error: (iss) => `invalid backend ${q(iss.input)}: must be bird, vxlan or none` }).optional(),
  /** bird6 says whether calico-node runs bird6 (an IPv4-only cluster's `calicoctl node status` then prints "No IPv6 peers found."). */
  bird6: z.boolean().optional(),
  /**
   * install is how Calico was installed, which decides where its DaemonSet lives: `manifest` (calico.yaml:
   * calico-node in kube-system, the default) or `operator` (tigera-operator: calico-system).
   */
  install: z.enum(CALICO_INSTALLS, { error: (iss) => `invalid install ${q(iss.input)}: must be manifest or operator` }).optional(),
  /** installTime is when the calico-node DaemonSet was created (kubectl's AGE); default: startTime. */
  installTime: timeSchema.optional(),
});

/** KernelSettingsSchema describes the nodes' kernel where it differs from the one calisim models by default. */
export const KernelSettingsSchema = z.strictObject({
  /** modules lists the loaded modules that change what every namespace has; default [ipip] (calico-node loads it). */
  modules: z.array(z.enum(['ipip'], { error: (iss) => `invalid module ${q(iss.input)}: must be ipip` })).optional(),
  /** ipv6LinkLocal says whether nodes' and pods' devices get IPv6 link-local addresses (default: no). */
  ipv6LinkLocal: z.strictObject({ nodes: z.boolean().optional(), pods: z.boolean().optional() }).optional(),
  /** vethTxQueueLen is the txqueuelen new veths get (1000 on current kernels, 0 on older ones). */
  vethTxQueueLen: z.number().int().min(0).max(0xffffffff).optional(),
});

/** ClusterSpecSchema is the spec of a Cluster. */
export const ClusterSpecSchema = z.strictObject({
  startTime: startTimeSchema.optional(),
  kernel: KernelSettingsSchema.optional(),
  calico: CalicoSettingsSchema.optional(),
  networks: z.array(NetworkSchema),
  routers: z.array(RouterSchema).optional(),
  nodes: z.array(ClusterNodeSchema),
  pods: z.array(PodSchema).optional(),
  externalPeers: z.array(ExternalPeerSchema).optional(),
  secrets: z.array(SecretSchema).optional(),
});

/** ClusterSchema is the whole calisim/v1 Cluster document. */
export const ClusterSchema = z.strictObject({
  apiVersion: z.literal(CLUSTER_API),
  kind: z.literal('Cluster'),
  metadata: z.strictObject({ name: z.string() }),
  spec: ClusterSpecSchema,
});

export type Cluster = z.infer<typeof ClusterSchema>;
export type ClusterSpec = z.infer<typeof ClusterSpecSchema>;
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;
export type Pod = z.infer<typeof PodSchema>;
export type Network = z.infer<typeof NetworkSchema>;
export type Router = z.infer<typeof RouterSchema>;
export type ExternalPeer = z.infer<typeof ExternalPeerSchema>;
export type CalicoSettings = z.infer<typeof CalicoSettingsSchema>;

/** podToolFlavour says which userspace a pod image has: BusyBox applets, or iputils/iproute2. */
export function podToolFlavour(image: string | undefined): 'busybox' | 'iputils' {
  const ref = (image ?? DEFAULT_POD_IMAGE).split('@')[0];
  const lastSlash = ref.lastIndexOf('/');
  const repo = (lastSlash >= 0 ? ref.slice(lastSlash + 1) : ref).split(':')[0];
  return repo === 'busybox' ? 'busybox' : 'iputils';
}
