// Felix's and the CNI plugin's decisions, as pure functions: host MTU detection and pod MTU
// (felix/dataplane/linux/int_dataplane.go findHostMTU, ConfigureDefaultMTUs, determinePodMTU), the
// host-side veth (cni-plugin/pkg/dataplane/linux/dataplane_linux.go; felix endpoint_mgr.go
// configureInterface), workload routes (felix/routetable/route_table.go), VXLAN routes, neighbours and FDB
// entries (felix/dataplane/linux/vxlan_mgr.go, felix/vxlanfdb/vxlan_fdb.go, felix/calc/l3_route_resolver.go),
// and the natOutgoing iptables chains with their rule-hash comments (felix/rules/nat.go, static.go,
// felix/iptables/renderer.go, match_builder.go, actions.go, felix/generictables/rules.go RuleHashes).

import { createHash } from 'node:crypto';
import { cidrContains, formatCidr, formatIpv4, networkOf, type Cidr, type Ipv4, type Mac } from '../../model/addr.js';
import type { CalicoDatastore, CalicoNodeInfo, FelixSettings, PodInfo } from './datastore.js';
import { affineBlocks, blockOwnerOf, type IpamPlan } from './ipam.js';
import { CalicoChain, IPIP_DEVICE, IpsetId, ipsetName, VXLAN_DEVICE } from './names.js';
import type { DefaultedIPPool } from './validation.js';

// ---- MTU ---------------------------------------------------------------------------------------------

/** Encapsulation overheads Felix subtracts from the host MTU (int_dataplane.go). */
export const MTU_OVERHEAD = { ipip: 20, vxlan: 50, vxlanV6: 70, wireguard: 60, wireguardV6: 80, aks: 100 } as const;

/** NO_MATCH_HOST_MTU is findHostMTU's answer when no interface matches MTUIfacePattern. */
export const NO_MATCH_HOST_MTU = 1460;

/** HostLink is what findHostMTU reads of a link. */
export interface HostLink {
  readonly name: string;
  readonly mtu: number;
  readonly operUp: boolean;
}

/**
 * findHostMtu is findHostMTU: the smallest MTU among oper-up links whose name matches the pattern, or
 * 1460 when none matches.
 */
export function findHostMtu(links: readonly HostLink[], pattern: string): number {
  let re: RegExp | null;
  try {
    re = new RegExp(pattern);
  } catch {
    re = null;
  }
  let smallest = 0;
  for (const l of links) {
    if (re === null || !re.test(l.name) || !l.operUp) continue;
    if (l.mtu < smallest || smallest === 0) smallest = l.mtu;
  }
  return smallest === 0 ? NO_MATCH_HOST_MTU : smallest;
}

/** EncapMtus are the tunnel MTUs after ConfigureDefaultMTUs. */
export interface EncapMtus {
  readonly ipip: number;
  readonly vxlan: number;
  readonly vxlanV6: number;
  readonly wireguard: number;
  readonly wireguardV6: number;
}

/** configureDefaultMtus is ConfigureDefaultMTUs: each unset (0) MTU becomes host MTU minus its overhead. */
export function configureDefaultMtus(hostMtu: number, f: FelixSettings): EncapMtus {
  return {
    ipip: f.ipipMTU !== 0 ? f.ipipMTU : hostMtu - MTU_OVERHEAD.ipip,
    vxlan: f.vxlanMTU !== 0 ? f.vxlanMTU : hostMtu - MTU_OVERHEAD.vxlan,
    vxlanV6: f.vxlanMTUV6 !== 0 ? f.vxlanMTUV6 : hostMtu - MTU_OVERHEAD.vxlanV6,
    wireguard: f.wireguardMTU !== 0 ? f.wireguardMTU : hostMtu - MTU_OVERHEAD.wireguard,
    wireguardV6: hostMtu - MTU_OVERHEAD.wireguardV6,
  };
}

/** determinePodMtu is determinePodMTU: the smallest enabled encapsulation's MTU, else the host MTU. */
export function determinePodMtu(hostMtu: number, f: FelixSettings): number {
  const m = configureDefaultMtus(hostMtu, f);
  let mtu = 0;
  for (const [v, on] of [
    [m.ipip, f.ipipEnabled],
    [m.vxlan, f.vxlanEnabled],
    [m.wireguard, f.wireguardEnabled],
  ] as const) {
    if (on && v !== 0 && (v < mtu || mtu === 0)) mtu = v;
  }
  return mtu === 0 ? hostMtu : mtu;
}

/** nodeHostMtu is the host MTU Felix detects on a calisim node (its one host interface, up). */
export function nodeHostMtu(node: CalicoNodeInfo, f: FelixSettings): number {
  return findHostMtu([{ name: node.interface, mtu: node.mtu, operUp: node.state === 'ready' }], f.mtuIfacePattern);
}

/** podVethMtu is the pod veth MTU: the CNI `mtu` when set, else what Felix writes to /var/lib/calico/mtu. */
export function podVethMtu(ds: CalicoDatastore, node: CalicoNodeInfo): number {
  if (ds.vethMTU !== 0) return ds.vethMTU;
  const f = ds.felix.get(node.name) as FelixSettings;
  return determinePodMtu(nodeHostMtu(node, f), f);
}

// ---- the pod's veth ----------------------------------------------------------------------------------

/** HOST_VETH_MAC is the MAC the CNI plugin gives every host-side veth. */
export const HOST_VETH_MAC: Mac = 'ee:ee:ee:ee:ee:ee';

/** POD_GATEWAY is the link-local next hop of every pod's default route. */
export const POD_GATEWAY: Ipv4 = 0xa9fe0101;

/** Sysctl is one `net.…` key and its value, in the order it is written. */
export interface Sysctl {
  readonly key: string;
  readonly value: string;
}

/**
 * hostVethSysctls are the IPv4 sysctls of a host-side veth, as the CNI plugin writes them and Felix
 * re-applies them: route_localnet, proxy_delay, proxy_arp, forwarding, then Felix's rp_filter (the value
 * of net.ipv4.conf.default.rp_filter when Felix started). The IPv6 accept_ra write is left out.
 */
export function hostVethSysctls(dev: string, defaultRpFilter: string): Sysctl[] {
  return [
    { key: `net.ipv4.conf.${dev}.route_localnet`, value: '1' },
    { key: `net.ipv4.neigh.${dev}.proxy_delay`, value: '0' },
    { key: `net.ipv4.conf.${dev}.proxy_arp`, value: '1' },
    { key: `net.ipv4.conf.${dev}.forwarding`, value: '1' },
    { key: `net.ipv4.conf.${dev}.rp_filter`, value: defaultRpFilter },
  ];
}

/** POD_SYSCTLS are what the CNI plugin sets inside the pod (configureContainerSysctls, no allow_ip_forwarding). */
export const POD_SYSCTLS: readonly Sysctl[] = [{ key: 'net.ipv4.ip_forward', value: '0' }];

/**
 * podMacFor is calisim's stand-in for the kernel's random MAC of a pod's eth0 (when no
 * cni.projectcalico.org/hwAddr is given): SHA-256("<namespace>/<pod>"), locally administered, unicast.
 */
export function podMacFor(namespace: string, pod: string): Mac {
  const h = createHash('sha256').update(`${namespace}/${pod}`, 'utf8').digest();
  const b = [(h[0] & 0xfe) | 0x02, h[1], h[2], h[3], h[4], h[5]];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** RouteSpec is a route as `ip route add` takes it. Proto 3 is `boot` (iproute2 does not print it). */
export interface RouteSpec {
  readonly type: 'unicast' | 'blackhole';
  readonly dst: Cidr;
  readonly gateway?: Ipv4;
  readonly dev?: string;
  readonly scope: 'link' | 'universe';
  readonly proto: number;
  readonly src?: Ipv4;
  readonly onlink: boolean;
}

/** podRoutes are the pod's own routes (utils.DefaultRoutes): `169.254.1.1 dev eth0 scope link`, then the default. */
export function podRoutes(dev = 'eth0'): RouteSpec[] {
  return [
    { type: 'unicast', dst: { addr: POD_GATEWAY, len: 32 }, dev, scope: 'link', proto: 3, onlink: false },
    { type: 'unicast', dst: { addr: 0, len: 0 }, gateway: POD_GATEWAY, dev, scope: 'universe', proto: 3, onlink: false },
  ];
}

/**
 * workloadRoute is the host route Felix keeps for a local pod: `<ip>/32 dev <veth> scope link`, protocol
 * DeviceRouteProtocol, and `src` only when FELIX_DEVICEROUTESOURCEADDRESS is set.
 */
export function workloadRoute(ip: Ipv4, hostInterface: string, f: FelixSettings): RouteSpec {
  return {
    type: 'unicast',
    dst: { addr: ip, len: 32 },
    dev: hostInterface,
    scope: 'link',
    proto: f.deviceRouteProtocol,
    src: f.deviceRouteSourceAddress,
    onlink: false,
  };
}

/** podWorkloadRoute is workloadRoute for a pod with its planned address, or undefined without one. */
export function podWorkloadRoute(plan: IpamPlan, pod: PodInfo, f: FelixSettings): RouteSpec | undefined {
  const ip = plan.podIps.get(`${pod.namespace}/${pod.name}`);
  return ip === undefined ? undefined : workloadRoute(ip, pod.hostInterface, f);
}

// ---- VXLAN -------------------------------------------------------------------------------------------

/** VXLAN_NOENCAP_PROTO is the protocol of Felix's same-subnet and blackhole VXLAN routes (VXLANDefaultProto). */
export const VXLAN_NOENCAP_PROTO = 80;

/** VxlanDevice is vxlan.calico as configureVXLANDevice makes it. */
export interface VxlanDevice {
  readonly name: string;
  readonly vni: number;
  readonly port: number;
  readonly local: Ipv4;
  readonly parent: string;
  readonly mac: Mac;
  readonly mtu: number;
  readonly address: Ipv4;
  readonly learning: false;
}

/** vxlanDevice describes a node's vxlan.calico, given its tunnel address. */
export function vxlanDevice(node: CalicoNodeInfo, f: FelixSettings, tunnelIp: Ipv4): VxlanDevice {
  const mtu = configureDefaultMtus(nodeHostMtu(node, f), f).vxlan;
  return {
    name: VXLAN_DEVICE,
    vni: f.vxlanVNI,
    port: f.vxlanPort,
    local: node.address,
    parent: node.interface,
    mac: node.vxlanTunnelMACAddr,
    mtu,
    address: tunnelIp,
    learning: false,
  };
}

/** IpipDevice is tunl0 as Felix keeps it: MTU IPIPMTU, the tunnel address as /32, up. */
export interface IpipDevice {
  readonly name: string;
  readonly mtu: number;
  readonly address: Ipv4;
}

/** ipipDevice describes a node's tunl0, given its tunnel address. */
export function ipipDevice(node: CalicoNodeInfo, f: FelixSettings, tunnelIp: Ipv4): IpipDevice {
  return { name: IPIP_DEVICE, mtu: configureDefaultMtus(nodeHostMtu(node, f), f).ipip, address: tunnelIp };
}

/** NeighborSpec is a PERMANENT neighbour entry. */
export interface NeighborSpec {
  readonly ip: Ipv4;
  readonly mac: Mac;
  readonly dev: string;
}

/** FdbSpec is `bridge fdb add <mac> dev <dev> dst <ip> self permanent`. */
export interface FdbSpec {
  readonly mac: Mac;
  readonly dev: string;
  readonly dst: Ipv4;
}

/** VxlanProgramming is what Felix programs on one node for VXLAN pools. */
export interface VxlanProgramming {
  readonly routes: readonly RouteSpec[];
  readonly neighbors: readonly NeighborSpec[];
  readonly fdb: readonly FdbSpec[];
}

function vxlanPools(pools: readonly DefaultedIPPool[]): DefaultedIPPool[] {
  return pools.filter((p) => p.vxlanMode !== 'Never');
}

const borrowedCache = new WeakMap<IpamPlan, ReadonlyMap<string, readonly Ipv4[]>>();

/** borrowedPodIps lists, per node, its pods' addresses that lie in VXLAN pools but not in its own blocks. */
function borrowedPodIps(ds: CalicoDatastore, plan: IpamPlan, pools: readonly DefaultedIPPool[]): ReadonlyMap<string, readonly Ipv4[]> {
  const cached = borrowedCache.get(plan);
  if (cached) return cached;
  const out = new Map<string, Ipv4[]>();
  for (const pod of ds.pods) {
    const ip = plan.podIps.get(`${pod.namespace}/${pod.name}`);
    if (ip === undefined || !pools.some((p) => cidrContains(p.cidr, ip))) continue;
    if (blockOwnerOf(plan.state, ip) === pod.node) continue;
    const list = out.get(pod.node) ?? [];
    list.push(ip);
    out.set(pod.node, list);
  }
  borrowedCache.set(plan, out);
  return out;
}

/**
 * vxlanProgramming is vxlan_mgr's output for `node`: for every other node with a VTEP, a PERMANENT
 * neighbour for its tunnel address and an FDB entry to its node address; a route per remote block of a
 * VXLAN pool (`via <vtep> dev vxlan.calico onlink`, or with CrossSubnet and the peer on the same subnet,
 * `via <node ip> dev <parent> proto 80 onlink`); a /32 route for each remote pod whose address is borrowed;
 * and a `blackhole <block> proto 80` for each local block of a VXLAN pool.
 */
export function vxlanProgramming(ds: CalicoDatastore, plan: IpamPlan, nodeName: string): VxlanProgramming {
  const node = ds.nodes.find((n) => n.name === nodeName) as CalicoNodeInfo;
  const f = ds.felix.get(nodeName) as FelixSettings;
  const pools = vxlanPools(ds.pools);
  const inVxlanPool = (ip: Ipv4): DefaultedIPPool | undefined => pools.find((p) => cidrContains(p.cidr, ip));
  const routes: RouteSpec[] = [];
  const neighbors: NeighborSpec[] = [];
  const fdb: FdbSpec[] = [];
  if (pools.length === 0) return { routes, neighbors, fdb };
  const localSubnet: Cidr = { addr: networkOf(node.subnet.addr, node.subnet.len), len: node.subnet.len };
  for (const other of ds.nodes) {
    if (other.name === nodeName) continue;
    const vtep = plan.tunnels.get(other.name)?.vxlan;
    if (vtep === undefined) continue;
    neighbors.push({ ip: vtep, mac: other.vxlanTunnelMACAddr, dev: VXLAN_DEVICE });
    fdb.push({ mac: other.vxlanTunnelMACAddr, dev: VXLAN_DEVICE, dst: other.address });
    const sameSubnet = cidrContains(localSubnet, other.address);
    const routeTo = (dst: Cidr, pool: DefaultedIPPool): RouteSpec =>
      pool.vxlanMode === 'CrossSubnet' && sameSubnet
        ? {
            type: 'unicast',
            dst,
            gateway: other.address,
            dev: node.interface,
            scope: 'universe',
            proto: VXLAN_NOENCAP_PROTO,
            src: f.deviceRouteSourceAddress,
            onlink: true,
          }
        : {
            type: 'unicast',
            dst,
            gateway: vtep,
            dev: VXLAN_DEVICE,
            scope: 'universe',
            proto: f.deviceRouteProtocol,
            src: f.deviceRouteSourceAddress,
            onlink: true,
          };
    for (const block of affineBlocks(plan.state, other.name)) {
      const pool = inVxlanPool(block.addr);
      if (pool) routes.push(routeTo(block, pool));
    }
    const vtepPool = inVxlanPool(vtep);
    if (vtepPool && blockOwnerOf(plan.state, vtep) !== other.name) {
      routes.push({
        type: 'unicast',
        dst: { addr: vtep, len: 32 },
        dev: VXLAN_DEVICE,
        scope: 'link',
        proto: f.deviceRouteProtocol,
        src: f.deviceRouteSourceAddress,
        onlink: false,
      });
    }
    for (const ip of borrowedPodIps(ds, plan, pools).get(other.name) ?? []) {
      routes.push(routeTo({ addr: ip, len: 32 }, inVxlanPool(ip) as DefaultedIPPool));
    }
  }
  for (const block of affineBlocks(plan.state, nodeName)) {
    if (inVxlanPool(block.addr)) {
      routes.push({
        type: 'blackhole',
        dst: block,
        scope: 'universe',
        proto: VXLAN_NOENCAP_PROTO,
        src: f.deviceRouteSourceAddress,
        onlink: false,
      });
    }
  }
  return { routes, neighbors, fdb };
}

// ---- iptables NAT ------------------------------------------------------------------------------------

/** IptMatch is one match of a Felix rule, in the order Felix renders it. */
export type IptMatch =
  | { readonly kind: 'set'; readonly set: string; readonly dir: 'src' | 'dst'; readonly negated: boolean }
  | { readonly kind: 'outInterface'; readonly iface: string }
  | { readonly kind: 'protocol'; readonly protocol: string }
  | { readonly kind: 'srcAddrType'; readonly type: 'LOCAL'; readonly negated: boolean; readonly limitIfaceOut: boolean };

/** IptAction is a Felix rule's action. */
export type IptAction =
  | { readonly kind: 'jump'; readonly target: string }
  | { readonly kind: 'masquerade'; readonly toPorts?: string; readonly randomFully: boolean }
  | { readonly kind: 'snat'; readonly toSource: string; readonly randomFully: boolean }
  | { readonly kind: 'return' };

/** IptRule is one rule with its `cali:` hash. */
export interface IptRule {
  readonly matches: readonly IptMatch[];
  readonly action: IptAction;
  readonly hash: string;
}

/** IptChain is a chain in the nat table. */
export interface IptChain {
  readonly name: string;
  readonly rules: readonly IptRule[];
}

/** renderMatch is match_builder.go's long-form fragment of a match. */
export function renderMatch(m: IptMatch): string {
  switch (m.kind) {
    case 'set':
      return `-m set ${m.negated ? '! ' : ''}--match-set ${m.set} ${m.dir}`;
    case 'outInterface':
      return `--out-interface ${m.iface}`;
    case 'protocol':
      return `-p ${m.protocol}`;
    case 'srcAddrType':
      return `-m addrtype ${m.negated ? '! ' : ''}--src-type ${m.type}${m.limitIfaceOut ? ' --limit-iface-out' : ''}`;
  }
}

/** renderAction is actions.go ToFragment. */
export function renderAction(a: IptAction): string {
  switch (a.kind) {
    case 'jump':
      return `--jump ${a.target}`;
    case 'masquerade':
      return `--jump MASQUERADE${a.toPorts ? ` --to-ports ${a.toPorts}` : ''}${a.randomFully ? ' --random-fully' : ''}`;
    case 'snat':
      return `--jump SNAT --to-source ${a.toSource}${a.randomFully ? ' --random-fully' : ''}`;
    case 'return':
      return '--jump RETURN';
  }
}

/** renderRule is the iptables renderer's RenderAppend: `-A <chain> [comment] <matches> <action>`. */
export function renderRule(chain: string, matches: readonly IptMatch[], action: IptAction, hashFragment: string): string {
  return ['-A', chain, ...(hashFragment !== '' ? [hashFragment] : []), ...matches.map(renderMatch), renderAction(action)].join(' ');
}

/**
 * ruleHashes is generictables.RuleHashes: h0 = SHA-224(chain name); hᵢ = SHA-224(hᵢ₋₁ ‖ the rule rendered
 * with `HASH` for its comment); each hash is the first 16 characters of its unpadded base64url.
 */
export function ruleHashes(chain: string, rules: readonly { matches: readonly IptMatch[]; action: IptAction }[]): string[] {
  let h = createHash('sha224').update(chain, 'utf8').digest();
  return rules.map((r) => {
    h = createHash('sha224')
      .update(h)
      .update(renderRule(chain, r.matches, r.action, 'HASH'), 'utf8')
      .digest();
    return h.toString('base64url').slice(0, 16);
  });
}

function chain(name: string, rules: { matches: IptMatch[]; action: IptAction }[]): IptChain {
  const hashes = ruleHashes(name, rules);
  return { name, rules: rules.map((r, i) => ({ ...r, hash: hashes[i] })) };
}

/** renderFelixRule is the line Felix gives iptables-restore: `-A <chain> -m comment --comment "cali:<hash>" …`. */
export function renderFelixRule(c: IptChain, r: IptRule): string {
  return renderRule(c.name, r.matches, r.action, `-m comment --comment "cali:${r.hash}"`);
}

/** NatTable is the nat-table state Felix programs: its chains and the hooks into the kernel's chains. */
export interface NatTable {
  /** hooks are the rules Felix inserts at the top of PREROUTING, POSTROUTING and OUTPUT. */
  readonly hooks: readonly IptChain[];
  readonly chains: readonly IptChain[];
}

/**
 * natTable is Felix's nat table for a node: the kernel chains' jumps into cali-PREROUTING,
 * cali-POSTROUTING and cali-OUTPUT; cali-PREROUTING and cali-OUTPUT jumping to cali-fip-dnat;
 * cali-POSTROUTING jumping to cali-fip-snat and cali-nat-outgoing, then a MASQUERADE per tunnel device with
 * an address (tunl0, vxlan.calico, the WireGuard device); cali-nat-outgoing masquerading traffic from the
 * natOutgoing pools to anywhere outside every pool (empty when no pool has natOutgoing).
 */
export function natTable(ds: CalicoDatastore, plan: IpamPlan, nodeName: string): NatTable {
  const f = ds.felix.get(nodeName) as FelixSettings;
  const tunnels = plan.tunnels.get(nodeName) ?? {};
  const hooks = [
    chain('PREROUTING', [{ matches: [], action: { kind: 'jump', target: CalicoChain.NatPrerouting } }]),
    chain('POSTROUTING', [{ matches: [], action: { kind: 'jump', target: CalicoChain.NatPostrouting } }]),
    chain('OUTPUT', [{ matches: [], action: { kind: 'jump', target: CalicoChain.NatOutput } }]),
  ];
  const tunnelIfaces: string[] = [];
  if (f.ipipEnabled && tunnels.ipip !== undefined) tunnelIfaces.push(IPIP_DEVICE);
  if (f.vxlanEnabled && tunnels.vxlan !== undefined) tunnelIfaces.push(VXLAN_DEVICE);
  if (f.wireguardEnabled) tunnelIfaces.push(f.wireguardInterfaceName);
  const masq = (toPorts?: string): IptAction => ({ kind: 'masquerade', toPorts, randomFully: f.masqFullyRandom });
  const postrouting: { matches: IptMatch[]; action: IptAction }[] = [
    { matches: [], action: { kind: 'jump', target: CalicoChain.FipSnat } },
    { matches: [], action: { kind: 'jump', target: CalicoChain.NatOutgoing } },
    ...tunnelIfaces.map((iface) => ({
      matches: [
        { kind: 'outInterface', iface } as IptMatch,
        { kind: 'srcAddrType', type: 'LOCAL', negated: true, limitIfaceOut: true } as IptMatch,
        { kind: 'srcAddrType', type: 'LOCAL', negated: false, limitIfaceOut: false } as IptMatch,
      ],
      action: masq(),
    })),
  ];
  const natActive = ds.pools.some((p) => p.natOutgoing);
  const outgoing: { matches: IptMatch[]; action: IptAction }[] = [];
  if (natActive) {
    const base = (protocol: string): IptMatch[] => [
      { kind: 'set', set: ipsetName(IpsetId.MasqIpamPools), dir: 'src', negated: false },
      { kind: 'set', set: ipsetName(IpsetId.AllIpamPools), dir: 'dst', negated: true },
      ...(protocol !== '' ? [{ kind: 'protocol', protocol } as IptMatch] : []),
      ...(f.iptablesNATOutgoingInterfaceFilter !== ''
        ? [{ kind: 'outInterface', iface: f.iptablesNATOutgoingInterfaceFilter } as IptMatch]
        : []),
    ];
    const nat = f.natOutgoingAddress !== undefined ? formatIpv4(f.natOutgoingAddress) : undefined;
    const dflt: IptAction = nat !== undefined ? { kind: 'snat', toSource: nat, randomFully: f.masqFullyRandom } : masq();
    const range = f.natPortRange;
    if (range !== undefined && range.max > 0) {
      const ports = `${range.min}-${range.max}`;
      const ranged: IptAction =
        nat !== undefined ? { kind: 'snat', toSource: `${nat}:${ports}`, randomFully: f.masqFullyRandom } : masq(ports);
      outgoing.push(
        { matches: base('tcp'), action: ranged },
        { matches: base('tcp'), action: { kind: 'return' } },
        { matches: base('udp'), action: ranged },
        { matches: base('udp'), action: { kind: 'return' } },
        { matches: base(''), action: dflt },
      );
    } else {
      outgoing.push({ matches: base(''), action: dflt });
    }
  }
  const chains = [
    chain(CalicoChain.NatPrerouting, [{ matches: [], action: { kind: 'jump', target: CalicoChain.FipDnat } }]),
    chain(CalicoChain.NatPostrouting, postrouting),
    chain(CalicoChain.NatOutput, [{ matches: [], action: { kind: 'jump', target: CalicoChain.FipDnat } }]),
    chain(CalicoChain.NatOutgoing, outgoing),
    chain(CalicoChain.FipDnat, []),
    chain(CalicoChain.FipSnat, []),
  ];
  return { hooks, chains };
}

/** IpsetSpec is a hash:net ipset Felix keeps. */
export interface IpsetSpec {
  readonly name: string;
  readonly type: 'hash:net';
  readonly members: readonly Cidr[];
}

/** natIpsets are cali40all-ipam-pools (every pool, disabled ones too) and cali40masq-ipam-pools (natOutgoing pools). */
export function natIpsets(pools: readonly DefaultedIPPool[]): IpsetSpec[] {
  return [
    { name: ipsetName(IpsetId.AllIpamPools), type: 'hash:net', members: pools.map((p) => p.cidr) },
    { name: ipsetName(IpsetId.MasqIpamPools), type: 'hash:net', members: pools.filter((p) => p.natOutgoing).map((p) => p.cidr) },
  ];
}

/** formatRouteSpec prints a RouteSpec for messages and tests, in `ip route` word order. */
export function formatRouteSpec(r: RouteSpec): string {
  const words: string[] = [];
  if (r.type === 'blackhole') words.push('blackhole');
  words.push(r.dst.len === 32 ? formatIpv4(r.dst.addr) : r.dst.len === 0 ? 'default' : formatCidr(r.dst));
  if (r.gateway !== undefined) words.push('via', formatIpv4(r.gateway));
  if (r.dev !== undefined) words.push('dev', r.dev);
  if (r.proto !== 3) words.push('proto', String(r.proto));
  if (r.scope === 'link') words.push('scope', 'link');
  if (r.src !== undefined) words.push('src', formatIpv4(r.src));
  if (r.onlink) words.push('onlink');
  return words.join(' ');
}
