// The world: every network namespace with its links, addresses, routes, neighbours and sysctls,
// as plain readonly records so immer can draft it and every step leaves an immutable snapshot.
// Field names follow rtnetlink (rtnetlink(7)) and the kernel's own structures.

import type { Cidr, Ipv4, Mac } from './addr.js';

/** INIT_NS is the key of the lab's initial namespace, which has no name (like a node's root namespace). */
export const INIT_NS = '';

/** RouteType is rtm_type (rtnetlink(7)). */
export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';

/** RouteScope values are rtm_scope numbers (`/etc/iproute2/rt_scopes`). */
export const RouteScope = { Universe: 0, Site: 200, Link: 253, Host: 254, Nowhere: 255 } as const;

/** RouteProto values are rtm_protocol numbers (`/etc/iproute2/rt_protos`). */
export const RouteProto = {
  Unspec: 0, Redirect: 1, Kernel: 2, Boot: 3, Static: 4, Gated: 8, Ra: 9, Mrt: 10, Zebra: 11,
  Bird: 12, Dnrouted: 13, Xorp: 14, Ntk: 15, Dhcp: 16, Keepalived: 18, Babel: 42, Bgp: 186,
  Isis: 187, Ospf: 188, Rip: 189, Eigrp: 192,
} as const;

/** RouteTable is the routing table id: main (254) holds `ip route`, local (255) the address routes. */
export const RouteTable = { Main: 254, Local: 255 } as const;

/** Route is one FIB alias: a prefix with its type, nexthop and attributes (`ip route` fields). */
export interface Route {
  readonly table: number;
  readonly type: RouteType;
  /** dst is the prefix with host bits cleared. */
  readonly dst: Cidr;
  readonly gateway?: Ipv4;
  /** dev is the output link's ifindex in this namespace. */
  readonly dev?: number;
  readonly proto: number;
  readonly scope: number;
  readonly prefsrc?: Ipv4;
  readonly metric: number;
  readonly onlink: boolean;
}

/** IfAddr is one IPv4 address on a link (`ip addr`), in the order the kernel lists them. */
export interface IfAddr {
  readonly ifindex: number;
  readonly local: Ipv4;
  readonly prefixlen: number;
  readonly broadcast?: Ipv4;
  readonly scope: number;
  readonly label: string;
  /** secondary is set on a second address inside an already covered subnet. */
  readonly secondary: boolean;
}

/** NudState is the neighbour cache state (include/uapi/linux/neighbour.h, ip-neighbour(8)). */
export enum NudState {
  Incomplete = 'INCOMPLETE',
  Reachable = 'REACHABLE',
  Stale = 'STALE',
  Delay = 'DELAY',
  Probe = 'PROBE',
  Failed = 'FAILED',
  Noarp = 'NOARP',
  Permanent = 'PERMANENT',
}

/** QueuedPacket is an IPv4 packet waiting in a neighbour entry's arp_queue for resolution. */
export interface QueuedPacket {
  readonly packet: Uint8Array;
  /** origin says who to tell when resolution fails: a local socket or a forwarded packet. */
  readonly local: boolean;
}

/** NeighEntry is one neighbour cache entry (struct neighbour). */
export interface NeighEntry {
  readonly ip: Ipv4;
  readonly dev: number;
  readonly lladdr?: Mac;
  readonly state: NudState;
  /** probes counts solicitations sent in the current resolution. */
  readonly probes: number;
  /** confirmed is the virtual time (µs) reachability was last confirmed. */
  readonly confirmed: number;
  /** updated is the virtual time (µs) of the last state change. */
  readonly updated: number;
  /** used is the virtual time (µs) the entry last carried a packet. */
  readonly used: number;
  /** timer is the virtual time (µs) the entry's timer fires, if armed. */
  readonly timer?: number;
  readonly queue: readonly QueuedPacket[];
  /** isRouter marks an entry that was created by `ip neigh add` (its flags print as given). */
  readonly isRouter?: boolean;
}

/** FdbEntry is one forwarding database entry of a bridge port or a VXLAN device (`bridge fdb`). */
export interface FdbEntry {
  readonly mac: Mac;
  /** port is the bridge port's ifindex (for a bridge) or the VXLAN device's own ifindex. */
  readonly port: number;
  /** dst is the remote VTEP for a VXLAN entry. */
  readonly dst?: Ipv4;
  /** local marks the port's own address (`permanent` in bridge fdb show). */
  readonly local: boolean;
  readonly permanent: boolean;
  /** self marks an entry in the device's own table, not the bridge's (`self`). */
  readonly self: boolean;
  /** updated is the virtual time (µs) a learned entry was last refreshed. */
  readonly updated: number;
  /** vlan is set for the bridge's per-VLAN self entries (`vlan 1`). */
  readonly vlan?: number;
}

/** LinkKind is the rtnetlink link kind (`ip link add … type KIND`). */
export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'ipip';

/** VxlanInfo holds a VXLAN device's parameters (ip-link(8) `type vxlan`). */
export interface VxlanInfo {
  readonly vni: number;
  readonly dstport: number;
  readonly local?: Ipv4;
  /** dev is the underlay link's ifindex. */
  readonly dev?: number;
  readonly learning: boolean;
}

/** Link is one network device in a namespace (struct net_device as `ip link` shows it). */
export interface Link {
  readonly ifindex: number;
  readonly name: string;
  readonly kind: LinkKind;
  readonly mac: Mac;
  /** macSet is true once the address was set by hand; a bridge then stops following its ports. */
  readonly macSet: boolean;
  readonly mtu: number;
  /** adminUp is IFF_UP (`ip link set … up`). */
  readonly adminUp: boolean;
  /** master is the bridge's ifindex when this link is a bridge port. */
  readonly master?: number;
  /** peer is the other end of a veth pair: its namespace key and ifindex. */
  readonly peer?: { readonly ns: string; readonly ifindex: number };
  readonly vxlan?: VxlanInfo;
  /** fdb is the forwarding database of a bridge (learned and static entries) or a VXLAN device. */
  readonly fdb: readonly FdbEntry[];
  readonly txqlen: number;
  /** everUp records that the device was once up, so a downed device prints `qdisc noqueue`. */
  readonly everUp: boolean;
  readonly stats: LinkStats;
}

/** LinkStats counts packets and bytes like `ip -s link`. */
export interface LinkStats {
  readonly rxPackets: number;
  readonly rxBytes: number;
  readonly txPackets: number;
  readonly txBytes: number;
  readonly rxDropped: number;
  readonly txDropped: number;
}

/** Listener is a TCP socket in LISTEN state (the `listen NS PORT` directive). */
export interface Listener {
  readonly port: number;
  readonly addr: Ipv4;
}

/** Netns is one network namespace. */
export interface Netns {
  /** name is the `ip netns` name; INIT_NS for the lab's initial namespace. */
  readonly name: string;
  readonly links: Readonly<Record<number, Link>>;
  /** ifindexNext is where the per-namespace ifindex allocator continues (dev_index_reserve). */
  readonly ifindexNext: number;
  readonly addrs: readonly IfAddr[];
  /** routes holds every table's routes in the kernel's dump order within each table. */
  readonly routes: readonly Route[];
  readonly neigh: readonly NeighEntry[];
  /** sysctl holds net.* values keyed like `net.ipv4.conf.eth0.proxy_arp`. */
  readonly sysctl: Readonly<Record<string, string>>;
  /** nsids maps a peer namespace key to the id this namespace knows it by (`link-netnsid`). */
  readonly nsids: Readonly<Record<string, number>>;
  readonly listeners: readonly Listener[];
  /** drops counts dropped packets by reason (kernel drop reasons). */
  readonly drops: Readonly<Record<string, number>>;
  /** ipIdent is the next IPv4 identification value handed out for locally generated packets. */
  readonly ipIdent: number;
  /** pmtu holds learned path MTUs by destination (route exceptions, fib_nh_exception). */
  readonly pmtu: Readonly<Record<number, number>>;
  /** reasm holds fragments waiting for reassembly (ipq), keyed by source, destination, id and protocol. */
  readonly reasm: Readonly<Record<string, readonly ReasmFragment[]>>;
}

/** ReasmFragment is one received fragment: its offset in bytes, its data and whether more follow. */
export interface ReasmFragment {
  readonly offset: number;
  readonly data: Uint8Array;
  readonly more: boolean;
}

/** World is the whole simulated machine set at one instant. */
export interface World {
  /** now is the virtual clock in microseconds. */
  readonly now: number;
  readonly namespaces: Readonly<Record<string, Netns>>;
  /** nsOrder is the creation order of namespaces (`ip netns list` prints newest first). */
  readonly nsOrder: readonly string[];
  /** seq is a deterministic counter for generated MAC addresses and ids. */
  readonly seq: number;
}
