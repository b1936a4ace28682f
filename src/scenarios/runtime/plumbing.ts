// The machines of a scenario and what calico-node leaves on them, programmed into the kernel model:
// the networks (one bridge each, in the initial namespace, standing for the switch), the routers, the
// nodes' host interfaces and default routes, the CNI plugin's work for each pod
// (cni-plugin/pkg/dataplane/linux/dataplane_linux.go), and Felix's devices and routes (felix/dataplane/
// linux: ipip_mgr.go, vxlan_mgr.go, endpoint_mgr.go). BIRD's routes come from the BGP speakers
// (bird.ts).

import { type Ipv4, formatIpv4, networkOf } from '../../model/addr.js';
import { INIT_NS, RouteProto, RouteScope } from '../../model/world.js';
import type { Tx } from '../../kernel/driver.js';
import { createLink, linkByName, netnsAdd, nicAdd, setNetnsNamed, vethAdd } from '../../kernel/netns.js';
import type { CalicoDatastore, CalicoNodeInfo, FelixSettings, PodInfo } from '../calico/datastore.js';
import {
  hostVethSysctls,
  HOST_VETH_MAC,
  ipipDevice,
  podMacFor,
  podRoutes,
  podVethMtu,
  POD_SYSCTLS,
  vxlanDevice,
  vxlanProgramming,
  workloadRoute,
  type RouteSpec,
} from '../calico/felix.js';
import type { IpamPlan } from '../calico/ipam.js';
import { validInterfaceName } from '../calico/cluster.js';
import { address, fdbPermanent, linkOps, neighPermanent, routeAdd, sysctl, vxlanDeviceAdd } from './kernel.js';

/** Problem is something the control plane could not do on a node, in the words the real tool uses. */
export interface Problem {
  readonly where: string;
  readonly what: string;
  readonly error: string;
}

/** Topology names where each machine lives: namespace keys and the fabric's bridges. */
export interface Topology {
  /** bridges maps a network name to its bridge in the initial namespace. */
  readonly bridges: Map<string, string>;
  /** podNs maps `<namespace>/<pod>` to the pod's network namespace. */
  readonly podNs: Map<string, string>;
  /** fabricPorts counts the veth ends made in the initial namespace, for their names. */
  fabricPorts: number;
}

/** podKey is how IPAM and the topology key a pod. */
export function podKey(p: { readonly namespace: string; readonly name: string }): string {
  return `${p.namespace}/${p.name}`;
}

/**
 * podNamespaces names each pod's network namespace after the pod (`zlw-01`), or `<namespace>.<pod>`
 * when two pods of different Kubernetes namespaces share a name.
 */
export function podNamespaces(ds: CalicoDatastore): Map<string, string> {
  const count = new Map<string, number>();
  for (const p of ds.pods) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const p of ds.pods) out.set(podKey(p), count.get(p.name) === 1 ? p.name : `${p.namespace}.${p.name}`);
  return out;
}

function check(problems: Problem[], where: string, what: string, e: string | null): boolean {
  if (e !== null) problems.push({ where, what, error: e });
  return e === null;
}

/** buildFabric makes one bridge per network in the initial namespace, up. */
export function buildFabric(tx: Tx, ds: CalicoDatastore, topo: Topology, problems: Problem[]): void {
  ds.networks.forEach((net, i) => {
    const name = validInterfaceName(net.name) && net.name !== 'lo' ? net.name : `net${i}`;
    topo.bridges.set(net.name, name);
    check(problems, 'fabric', `bridge ${name}`, createBridge(tx, name));
  });
}

/** createBridge is `ip link add NAME type bridge; ip link set NAME up` in the initial namespace. */
function createBridge(tx: Tx, name: string): string | null {
  if (linkByName(tx.ns(INIT_NS)!, name) !== undefined) return null;
  const e = createLink(tx, INIT_NS, 'bridge', name, {});
  return e ?? linkOps(tx, INIT_NS, name, [{ op: 'up' }]);
}

/** HostAttachment is a machine's interface on a network. */
export interface HostAttachment {
  readonly ns: string;
  readonly network: string;
  readonly iface: string;
  readonly address: Ipv4;
  readonly prefixLen: number;
  readonly mac?: string;
  readonly mtu?: number;
  /** nic makes the machine's interface a physical NIC (ifindex 2) instead of a veth. */
  readonly nic?: boolean;
  /** ifindex pins the interface's index in the machine (a container's eth0 keeps the index docker gave it). */
  readonly ifindex?: number;
  /** noprefixroute and prefixRouteMetric are NetworkManager's addressing: it adds the prefix route itself. */
  readonly noprefixroute?: boolean;
  readonly prefixRouteMetric?: number;
}

/** attachHost plugs a machine into its network's switch: a veth whose far end is a bridge port. */
export function attachHost(tx: Tx, topo: Topology, a: HostAttachment, problems: Problem[]): void {
  const bridge = topo.bridges.get(a.network);
  const where = a.ns;
  if (bridge === undefined) {
    problems.push({ where, what: `attach ${a.iface}`, error: `no network ${a.network}` });
    return;
  }
  const port = `p${topo.fabricPorts++}`;
  if (a.nic) {
    // The NIC's cable goes to a switch port (a veth end in the initial namespace).
    const e = nicAdd(tx, a.ns, a.iface, {
      ifindex: a.ifindex ?? 2,
      ...(a.mac !== undefined ? { mac: a.mac } : {}),
      switchNs: INIT_NS,
      switchPort: port,
    });
    if (!check(problems, where, `nic ${a.iface}`, e)) return;
  } else if (
    !check(
      problems,
      where,
      `veth ${a.iface}`,
      vethAdd(tx, INIT_NS, port, { peer: a.iface, peerNs: a.ns, ...(a.ifindex !== undefined ? { peerIfindex: a.ifindex } : {}) }),
    )
  )
    return;
  check(problems, 'fabric', `port ${port}`, linkOps(tx, INIT_NS, port, [{ op: 'master', master: bridge }, { op: 'up' }]));
  const ops: Parameters<typeof linkOps>[3][number][] = [];
  if (a.mac !== undefined) ops.push({ op: 'address', mac: a.mac });
  if (a.mtu !== undefined) ops.push({ op: 'mtu', mtu: a.mtu });
  ops.push({ op: 'up' });
  check(problems, where, `link ${a.iface}`, linkOps(tx, a.ns, a.iface, ops));
  const flags = a.noprefixroute ? { noprefixroute: true } : {};
  check(
    problems,
    where,
    `address ${formatIpv4(a.address)}/${a.prefixLen}`,
    address(tx, a.ns, a.iface, a.address, a.prefixLen, true, flags),
  );
  if (a.noprefixroute) {
    const dst = { addr: networkOf(a.address, a.prefixLen), len: a.prefixLen };
    const route = {
      dst,
      dev: a.iface,
      proto: RouteProto.Kernel,
      scope: RouteScope.Link,
      src: a.address,
      ...(a.prefixRouteMetric !== undefined ? { metric: a.prefixRouteMetric } : {}),
    };
    check(problems, where, 'prefix route', routeAdd(tx, a.ns, route, 'add'));
  }
}

/** buildRouters makes each router: a namespace with a leg on each of its networks, forwarding on. */
export function buildRouters(tx: Tx, ds: CalicoDatastore, topo: Topology, problems: Problem[]): void {
  for (const r of ds.routers) {
    check(problems, r.name, 'netns', netnsAdd(tx, r.name));
    check(problems, r.name, 'ip_forward', sysctl(tx, r.name, 'net.ipv4.ip_forward', '1'));
    for (const [k, v] of r.sysctls ?? []) check(problems, r.name, `sysctl ${k}`, sysctl(tx, r.name, k, v));
    r.interfaces.forEach((leg, i) => {
      const net = ds.networks.find((n) => n.name === leg.network)!;
      attachHost(
        tx,
        topo,
        { ns: r.name, network: leg.network, iface: `eth${i}`, address: leg.address, prefixLen: net.cidr.len, mac: leg.mac },
        problems,
      );
    });
  }
}

/** IPV6_ON turns IPv6 on for a namespace's devices (a namespace of the model starts with it off, as labs do). */
const IPV6_ON = ['net.ipv6.conf.all.disable_ipv6', 'net.ipv6.conf.default.disable_ipv6'];

const GATEWAY_PROTO: ReadonlyMap<string, number> = new Map([
  ['boot', RouteProto.Boot],
  ['static', RouteProto.Static],
  ['dhcp', RouteProto.Dhcp],
  ['kernel', RouteProto.Kernel],
]);

/** buildNodeHost makes a node's machine: its namespace, the scenario's sysctls, its host interface, its default route. */
export function buildNodeHost(tx: Tx, ds: CalicoDatastore, topo: Topology, node: CalicoNodeInfo, problems: Problem[]): void {
  const ns = node.name;
  check(problems, ns, 'netns', netnsAdd(tx, ns));
  // A Kubernetes node forwards (kubelet and calico-node both need it).
  check(problems, ns, 'ip_forward', sysctl(tx, ns, 'net.ipv4.ip_forward', '1'));
  // A node is a machine of its own: its /run/netns holds none of the simulator's names.
  setNetnsNamed(tx, ns, false);
  if (node.ipv6LinkLocal) for (const k of IPV6_ON) check(problems, ns, `sysctl ${k}`, sysctl(tx, ns, k, '0'));
  for (const [k, v] of node.sysctls) check(problems, ns, `sysctl ${k}`, sysctl(tx, ns, k, v));
  const net = ds.networks.find((n) => n.name === node.network)!;
  attachHost(
    tx,
    topo,
    {
      ns,
      network: node.network,
      iface: node.interface,
      address: node.address,
      prefixLen: node.subnet.len,
      mac: node.mac,
      mtu: node.mtu,
      nic: node.nic === 'physical',
      ...(node.ifindex !== undefined ? { ifindex: node.ifindex } : {}),
      noprefixroute: node.noprefixroute,
      ...(node.prefixRouteMetric !== undefined ? { prefixRouteMetric: node.prefixRouteMetric } : {}),
    },
    problems,
  );
  if (net.gateway !== undefined) {
    const proto = GATEWAY_PROTO.get(net.gatewayProto ?? 'boot');
    const route = {
      dst: { addr: 0, len: 0 },
      gateway: net.gateway,
      dev: node.interface,
      proto,
      ...(net.gatewayMetric !== undefined ? { metric: net.gatewayMetric } : {}),
    };
    check(problems, ns, 'default route', routeAdd(tx, ns, route, 'add'));
  }
  if (node.state === 'down') check(problems, ns, `down ${node.interface}`, linkOps(tx, ns, node.interface, [{ op: 'down' }]));
}

function scopeOf(s: RouteSpec['scope']): number {
  return s === 'link' ? RouteScope.Link : RouteScope.Universe;
}

/** specRoute adds one of Felix's or the CNI plugin's route specs. */
export function specRoute(tx: Tx, ns: string, r: RouteSpec, problems: Problem[]): void {
  const e = routeAdd(tx, ns, {
    type: r.type,
    dst: r.dst,
    ...(r.gateway !== undefined ? { gateway: r.gateway } : {}),
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    proto: r.proto,
    scope: scopeOf(r.scope),
    ...(r.src !== undefined ? { src: r.src } : {}),
    onlink: r.onlink,
  });
  check(problems, ns, `route ${formatIpv4(r.dst.addr)}/${r.dst.len}`, e);
}

/**
 * INHERITED_SYSCTLS are what a pod's namespace shares with its node, the machine's init_net: the TCP
 * memory settings a new namespace copies (tcp_sk_init), and the keys that exist only in init_net
 * (net.core.rmem_max, wmem_max), which the model keeps per namespace.
 */
const INHERITED_SYSCTLS: ReadonlySet<string> = new Set([
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.core.rmem_max',
  'net.core.wmem_max',
]);

/** PodPins are what a scenario fixes about a pod's plumbing beyond Calico's choices (the seeds' ifindexes). */
export interface PodPins {
  /** hostIfindex is the ifindex of the host-side veth in the node's namespace. */
  readonly hostIfindex?: number;
  /** netnsid is the id the node knows the pod's namespace by (`link-netnsid`). */
  readonly netnsid?: number;
}

/**
 * cniAdd is the Calico CNI plugin's ADD for one pod: the pod's namespace, the veth made inside it (eth0,
 * its peer the host-side `cali…` in the node's namespace), MTU, MACs, the pod's /32 and its two routes,
 * the host side's sysctls and Felix's host route.
 */
export function cniAdd(
  tx: Tx,
  ds: CalicoDatastore,
  plan: IpamPlan,
  topo: Topology,
  pod: PodInfo,
  node: CalicoNodeInfo,
  problems: Problem[],
): void {
  const pins: PodPins = {
    ...(pod.hostIfindex !== undefined ? { hostIfindex: pod.hostIfindex } : {}),
    ...(pod.netnsid !== undefined ? { netnsid: pod.netnsid } : {}),
  };
  const nsKey = topo.podNs.get(podKey(pod))!;
  const felix = ds.felix.get(pod.node) as FelixSettings;
  const ip = plan.podIps.get(podKey(pod));
  const where = nsKey;
  check(problems, where, 'netns', netnsAdd(tx, nsKey));
  // containerd's /run/netns is the node's, not the pod's: the pod sees its node unnamed, and the node
  // sees the pod's namespace under the name the scenario gives it, if any.
  if (pod.netnsName !== undefined) setNetnsNamed(tx, nsKey, true, pod.netnsName);
  else setNetnsNamed(tx, nsKey, false);
  if (ds.kernel.ipv6LinkLocalPods) for (const k of IPV6_ON) check(problems, where, `sysctl ${k}`, sysctl(tx, nsKey, k, '0'));
  if (pins.netnsid !== undefined) {
    // The node had already given this id to the pod's namespace (the seed's link-netnsid).
    const n = tx.ns(node.name)!;
    n.nsids.set(nsKey, pins.netnsid);
    n.nsidHoles = true;
    tx.ns(nsKey)!.nsidHolders.add(node.name);
  }
  const host = pod.hostInterface;
  if (
    !check(
      problems,
      where,
      `veth ${host}`,
      vethAdd(tx, nsKey, 'eth0', {
        peer: host,
        peerNs: node.name,
        peerIfindex: pins.hostIfindex,
        ...(ds.kernel.vethTxQueueLen !== undefined
          ? { txqueuelen: ds.kernel.vethTxQueueLen, peerTxqueuelen: ds.kernel.vethTxQueueLen }
          : {}),
      }),
    )
  )
    return;
  const mtu = podVethMtu(ds, node);
  check(
    problems,
    where,
    'eth0',
    linkOps(tx, nsKey, 'eth0', [{ op: 'mtu', mtu }, { op: 'address', mac: pod.mac ?? podMacFor(pod.namespace, pod.name) }, { op: 'up' }]),
  );
  for (const s of POD_SYSCTLS) check(problems, where, `sysctl ${s.key}`, sysctl(tx, nsKey, s.key, s.value));
  // A new namespace starts with init_net's TCP memory settings (tcp_sk_init): the node's, for its pods.
  for (const [k, v] of node.sysctls) if (INHERITED_SYSCTLS.has(k)) check(problems, where, `sysctl ${k}`, sysctl(tx, nsKey, k, v));
  if (ip !== undefined) {
    check(problems, where, `address ${formatIpv4(ip)}/32`, address(tx, nsKey, 'eth0', ip, 32, ds.podAddressBroadcast));
    for (const r of podRoutes('eth0')) specRoute(tx, nsKey, r, problems);
  }
  check(problems, node.name, host, linkOps(tx, node.name, host, [{ op: 'mtu', mtu }, { op: 'address', mac: HOST_VETH_MAC }, { op: 'up' }]));
  for (const s of hostVethSysctls(host, '0')) check(problems, node.name, `sysctl ${s.key}`, sysctl(tx, node.name, s.key, s.value));
  if (ip !== undefined) specRoute(tx, node.name, workloadRoute(ip, host, felix), problems);
}

/** felixTunnels makes the node's tunnel devices as Felix keeps them: tunl0 (MTU, address, up) and vxlan.calico. */
export function felixTunnels(tx: Tx, ds: CalicoDatastore, plan: IpamPlan, node: CalicoNodeInfo, problems: Problem[]): void {
  const felix = ds.felix.get(node.name) as FelixSettings;
  const tunnels = plan.tunnels.get(node.name);
  const ns = node.name;
  if (felix.ipipEnabled && tunnels?.ipip !== undefined) {
    const d = ipipDevice(node, felix, tunnels.ipip);
    check(problems, ns, 'tunl0', linkOps(tx, ns, d.name, [{ op: 'mtu', mtu: d.mtu }, { op: 'up' }]));
    check(problems, ns, 'tunl0 address', address(tx, ns, d.name, d.address, 32, false));
  }
  if (felix.vxlanEnabled && tunnels?.vxlan !== undefined) {
    const d = vxlanDevice(node, felix, tunnels.vxlan);
    if (
      !check(
        problems,
        ns,
        d.name,
        vxlanDeviceAdd(tx, ns, d.name, {
          vni: d.vni,
          port: d.port,
          local: d.local,
          dev: d.parent,
          learning: false,
          ...(ds.kernel.vethTxQueueLen !== undefined ? { txqueuelen: ds.kernel.vethTxQueueLen } : {}),
        }),
      )
    )
      return;
    check(problems, ns, d.name, linkOps(tx, ns, d.name, [{ op: 'mtu', mtu: d.mtu }, { op: 'address', mac: d.mac }, { op: 'up' }]));
    check(problems, ns, `${d.name} address`, address(tx, ns, d.name, d.address, 32, false));
  }
}

/** felixVxlan programs the node's VXLAN routes, ARP entries and FDB entries for every remote VTEP. */
export function felixVxlan(tx: Tx, ds: CalicoDatastore, plan: IpamPlan, node: CalicoNodeInfo, problems: Problem[]): void {
  const felix = ds.felix.get(node.name) as FelixSettings;
  if (!felix.vxlanEnabled) return;
  const p = vxlanProgramming(ds, plan, node.name);
  const ns = node.name;
  for (const n of p.neighbors) check(problems, ns, `neigh ${formatIpv4(n.ip)}`, neighPermanent(tx, ns, n.ip, n.mac, n.dev));
  for (const f of p.fdb) check(problems, ns, `fdb ${f.mac}`, fdbPermanent(tx, ns, f.mac, f.dev, f.dst));
  for (const r of p.routes) specRoute(tx, ns, r, problems);
}

/** nodeSubnet is the node's connected prefix. */
export function nodeSubnet(node: CalicoNodeInfo): { addr: number; len: number } {
  return { addr: networkOf(node.subnet.addr, node.subnet.len), len: node.subnet.len };
}
