// The world: every network namespace with its links, addresses, routes, neighbours and sysctls.
// Field names follow rtnetlink (rtnetlink(7)) and the kernel's own structures. The records are
// plain objects and Maps, mutated in place by the kernel while nothing records a trace; while a
// trace records, each step works on immer drafts of the namespaces it touches, so every trace
// event keeps an immutable view of the world (see src/kernel/engine.ts). User-chosen names are
// keys of Maps only.

import type { Cidr, Ipv4, Mac } from './addr.js';
import type { FibStore } from './fibstore.js';

/** INIT_NS is the key of the lab's initial namespace, which has no name (like a node's root namespace). */
export const INIT_NS = '';

/** RouteType is rtm_type (rtnetlink(7)). */
export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/** RouteScope values are rtm_scope numbers (`/etc/iproute2/rt_scopes`). */
export const RouteScope = { Universe: 0, Site: 200, Link: 253, Host: 254, Nowhere: 255 } as const;

/** RouteProto values are rtm_protocol numbers (`/etc/iproute2/rt_protos`). */
export const RouteProto = {
  Unspec: 0,
  Redirect: 1,
  Kernel: 2,
  Boot: 3,
  Static: 4,
  Gated: 8,
  Ra: 9,
  Mrt: 10,
  Zebra: 11,
  Bird: 12,
  Dnrouted: 13,
  Xorp: 14,
  Ntk: 15,
  Dhcp: 16,
  Keepalived: 18,
  Babel: 42,
  Bgp: 186,
  Isis: 187,
  Ospf: 188,
  Rip: 189,
  Eigrp: 192,
} as const;

/** RouteTable is the routing table id: main (254) holds `ip route`, local (255) the address routes. */
export const RouteTable = { Main: 254, Local: 255 } as const;

/**
 * Route is one FIB alias: a prefix with its type, nexthop and attributes (`ip route` fields). Routes
 * are immutable values shared between namespaces and snapshots; build them with makeRoute so that
 * every route has the same shape.
 */
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
  /** mtu is the RTAX_MTU metric (`mtu N`), the path MTU of the route; undefined when not set. */
  readonly mtu?: number;
  /** mtuLock is RTAX_LOCK for the MTU (`mtu lock N`): learnt path MTUs do not lower it. */
  readonly mtuLock?: boolean;
}

/** RouteFields is what makeRoute takes: a Route whose optional members may be given or left out. */
export interface RouteFields {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Cidr;
  readonly gateway?: Ipv4 | undefined;
  readonly dev?: number | undefined;
  readonly proto: number;
  readonly scope: number;
  readonly prefsrc?: Ipv4 | undefined;
  readonly metric: number;
  readonly onlink: boolean;
  readonly mtu?: number | undefined;
  readonly mtuLock?: boolean | undefined;
}

/** makeRoute builds a Route with every member present in one order, so all routes share one hidden class. */
export function makeRoute(f: RouteFields): Route {
  return {
    table: f.table,
    type: f.type,
    dst: f.dst,
    gateway: f.gateway,
    dev: f.dev,
    proto: f.proto,
    scope: f.scope,
    prefsrc: f.prefsrc,
    metric: f.metric,
    onlink: f.onlink,
    mtu: f.mtu,
    mtuLock: f.mtuLock === true ? true : undefined,
  };
}

/** IfAddr is one IPv4 address on a link (`ip addr`), in the order the kernel lists them. */
export interface IfAddr {
  readonly ifindex: number;
  readonly local: Ipv4;
  /**
   * address is IFA_ADDRESS when it differs from `local`: the peer of a point-to-point address (`ip addr add
   * LOCAL peer PREFIX`). `prefixlen` is the peer's; subnet matching and the prefix route use it.
   */
  readonly address?: Ipv4;
  readonly prefixlen: number;
  readonly broadcast?: Ipv4;
  readonly scope: number;
  readonly label: string;
  /** secondary is set on a second address inside an already covered subnet. */
  readonly secondary: boolean;
  /** noprefixroute is IFA_F_NOPREFIXROUTE: the address brings no prefix route (`ip addr add … noprefixroute`). */
  readonly noprefixroute?: boolean;
  /** metric is IFA_RT_PRIORITY, the metric of the address's prefix route (`ip addr add … metric N`); 0 when absent. */
  readonly metric?: number;
}

/**
 * Inet6Addr is one IPv6 address the kernel configured on a link by itself (net/ipv6/addrconf.c): the
 * EUI-64 link-local address of an Ethernet-like device, or loopback's ::1. No IPv6 traffic is modelled.
 */
export interface Inet6Addr {
  /** local is the address as inet_ntop(3) writes it (RFC 5952), e.g. `fe80::ecee:eeff:feee:eeee`. */
  readonly local: string;
  readonly prefixlen: number;
  /** scope is the rtm_scope number iproute2 names (`link` 253, `host` 254). */
  readonly scope: number;
  /** dadUntil is the virtual time (µs) duplicate address detection ends: the address is `tentative` before it. */
  readonly dadUntil: number;
}

/** Inet6Dev is a link's IPv6 state as addrconf keeps it in struct inet6_dev. */
export interface Inet6Dev {
  /** ready is IF_READY: the link was up with carrier once since it came up, so addrconf configured it. */
  ready: boolean;
  addrs: Inet6Addr[];
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
  /** local says who to tell when resolution fails: a local socket, or the sender of a forwarded packet. */
  readonly local: boolean;
}

/** NeighEntry is one neighbour cache entry (struct neighbour). */
export interface NeighEntry {
  ip: Ipv4;
  dev: number;
  lladdr?: Mac;
  /** state is the NUD state; 'NONE' while an entry is being created for a first packet. */
  state: NudState | 'NONE';
  /** probes counts solicitations sent in the current resolution. */
  probes: number;
  /** confirmed is the virtual time (µs) reachability was last confirmed. */
  confirmed: number;
  /** updated is the virtual time (µs) of the last state change. */
  updated: number;
  /** used is the virtual time (µs) the entry last carried a packet. */
  used: number;
  /** timer is the virtual time (µs) the entry's timer fires, if armed. */
  timer?: number;
  queue: QueuedPacket[];
  /** isRouter marks an entry whose flags print `router`. */
  isRouter?: boolean;
}

/** confirmedNeigh is a new entry in `state`, confirmed, updated and used at `now` (an answer or `ip neigh add`). */
export function confirmedNeigh(ip: Ipv4, dev: number, lladdr: Mac | undefined, state: NudState, now: number): NeighEntry {
  return { ip, dev, lladdr, state, probes: 0, confirmed: now, updated: now, used: now, timer: undefined, queue: [] };
}

/** neighKey is the key of a neighbour entry in Netns.neigh: its device and address. */
export function neighKey(dev: number, ip: Ipv4): number {
  return dev * 4294967296 + ip;
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
  updated: number;
  /** vlan is set for the bridge's per-VLAN self entries (`vlan 1`). */
  readonly vlan?: number;
}

/**
 * LinkKind is the rtnetlink link kind (`ip link add … type KIND`). The kinds are drivers registered
 * with the simulator (src/kernel/driver.ts); the kernel itself knows loopback, veth and bridge.
 */
export type LinkKind = string;

/** LinkStats counts packets and bytes like `ip -s link`. */
export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  rxDropped: number;
  txDropped: number;
}

/** Link is one network device in a namespace (struct net_device as `ip link` shows it). */
export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  mac: Mac;
  /** macSet is true once the address was set by hand; a bridge then stops following its ports. */
  macSet: boolean;
  mtu: number;
  /** adminUp is IFF_UP (`ip link set … up`). */
  adminUp: boolean;
  /** master is the bridge's ifindex when this link is a bridge port. */
  master?: number;
  /** peer is the other end of a veth pair: its namespace key and ifindex. */
  peer?: { readonly ns: string; readonly ifindex: number };
  /** info holds the driver's own configuration (a VXLAN device's VNI and port, say); see its driver. */
  info?: Readonly<Record<string, unknown>>;
  /** fdb is the forwarding database of a bridge (learned and static entries) or a VXLAN device. */
  fdb: FdbEntry[];
  txqlen: number;
  /** qdisc is the root qdisc dev_activate attaches when the device comes up, when it is not `noqueue` (a multiqueue NIC's `mq`). */
  qdisc?: string;
  /** inet6 is the link's IPv6 state once addrconf has configured it (absent: no IPv6 address). */
  inet6?: Inet6Dev;
  /** everUp records that the device was once up, so a downed device prints `qdisc noqueue`. */
  everUp: boolean;
  stats: LinkStats;
  /** promisc is IFF_PROMISC set by hand (`ip link set DEV promisc on`). */
  promisc?: boolean;
  /** noarp overrides the driver's IFF_NOARP (`ip link set DEV arp off|on`); absent: the driver's flag. */
  noarp?: boolean;
  /** alias is IFLA_IFALIAS (`ip link set DEV alias NAME`); absent or empty: none. */
  alias?: string;
}

/** PneighEntry is a proxy neighbour (struct pneigh_entry, `ip neigh add proxy ADDR dev DEV`). */
export interface PneighEntry {
  readonly ip: Ipv4;
  readonly dev: number;
}

/** Listener is a TCP socket in LISTEN state (the `listen NS PORT` directive). */
export interface Listener {
  readonly port: number;
  readonly addr: Ipv4;
}

/** TcbState is a TCP connection state (RFC 9293 §3.3.2), plus LISTEN and CLOSED. */
export type TcbState =
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT'
  | 'CLOSED';

/**
 * Tcb is one TCP socket as data: its Transmission Control Block (RFC 9293 §3.3.1) with the parts of
 * struct tcp_sock that shape what Linux sends (window, MSS, delayed ACK, timers). src/kernel/tcp.ts
 * runs it; sequence numbers are unsigned 32-bit values, times virtual microseconds, and timers the
 * ids of the simulator's application timers.
 */
export interface Tcb {
  readonly id: number;
  state: TcbState;
  laddr: Ipv4;
  lport: number;
  raddr: Ipv4;
  rport: number;
  /** parent is the listener a passively opened connection came from, until it is accepted. */
  parent?: number;
  /** backlog and acceptQueue are a listener's listen(2) backlog and its not yet accepted connections. */
  backlog: number;
  acceptQueue: number;
  /** reads is false for an application that never reads what arrives (it stays in the receive queue). */
  reads: boolean;
  iss: number;
  sndUna: number;
  sndNxt: number;
  /** sndMax is the highest sequence number sent so far (snd_nxt before a retransmission rewinds it). */
  sndMax: number;
  sndWnd: number;
  sndWl1: number;
  sndWl2: number;
  sndWscale: number;
  /** sndBuf holds the bytes written and not yet acknowledged; sndBufSeq is the sequence number of its first byte. */
  sndBuf: Uint8Array;
  sndBufSeq: number;
  /** finQueued says the application closed: a FIN follows the data; finSent that it went out. */
  finQueued: boolean;
  finSent: boolean;
  /** sndSml is the end of the last small segment sent (Minshall's Nagle check). */
  sndSml: number;
  cork: boolean;
  nodelay: boolean;
  /** mssClamp is the peer's MSS option; mss is the payload a segment carries (mss_cache); advmss what we announce. */
  mssClamp: number;
  mss: number;
  advmss: number;
  tsOk: boolean;
  sackOk: boolean;
  wscaleOk: boolean;
  tsRecent: number;
  cwnd: number;
  ssthresh: number;
  srtt: number;
  rttvar: number;
  rto: number;
  /** retransmits counts retransmissions of the oldest unacknowledged segment; retransStamp is when it was first sent. */
  retransmits: number;
  /** dstPendingConfirm is sk_dst_pending_confirm: an ACK showed the path works, so the next segment sent confirms the neighbour. */
  dstPendingConfirm: boolean;
  retransStamp: number;
  /** rttSeq and rttAt time one segment for an RTT sample (Karn: never a retransmitted one). */
  rttSeq: number | null;
  rttAt: number;
  irs: number;
  rcvNxt: number;
  rcvWnd: number;
  rcvWup: number;
  rcvWscale: number;
  rcvSsthresh: number;
  windowClamp: number;
  rcvbuf: number;
  /** scalingRatio is tp->scaling_ratio: the share of a buffer's bytes that is payload, in 256ths. */
  scalingRatio: number;
  rcvMss: number;
  /** rcvQueued is what the application has not read (bytes, plus 1 for an unread FIN); rmemAlloc its memory. */
  rcvQueued: number;
  rmemAlloc: number;
  finReceived: boolean;
  /** quick, pingpong, ato and lrcvtime are the delayed-ACK engine (struct inet_connection_sock icsk_ack). */
  quick: number;
  pingpong: boolean;
  ato: number;
  lrcvtime: number;
  ackPending: boolean;
  rtoTimer: number | null;
  delackTimer: number | null;
  /** stateTimer is the TIME-WAIT or orphaned FIN-WAIT-2 timer. */
  stateTimer: number | null;
  /** orphan says the application closed the socket: nothing more is reported to it. */
  orphan: boolean;
  /** softErr is the last ICMP error on an established connection, reported if it times out. */
  softErr: string | null;
}

/** PmtuException is a learned path MTU towards one destination (fib_nh_exception). */
export interface PmtuException {
  readonly mtu: number;
  /** expires is the virtual time (µs) the exception ends (net.ipv4.route.mtu_expires after it was learnt). */
  readonly expires: number;
}

/** RedirectExceptionEntry is a redirect's route exception: the new gateway for one destination through one nexthop. */
export interface RedirectExceptionEntry {
  readonly gw: Ipv4;
  /** expires is the virtual time (µs) it ends (net.ipv4.route.gc_timeout, 300 s, after it was learnt). */
  readonly expires: number;
  /** dev and oldGw name the nexthop (device and gateway) the exception hangs off. */
  readonly dev: number;
  readonly oldGw: Ipv4;
}

/** ReasmFragment is one received fragment: its offset in bytes, its data and whether more follow. */
export interface ReasmFragment {
  readonly offset: number;
  readonly data: Uint8Array;
  readonly more: boolean;
}

/** UdpEncapSocket is a kernel UDP socket that hands datagrams to a driver (udp_tunnel_sock_cfg.encap_rcv). */
export interface UdpEncapSocket {
  /** kind is the link kind whose driver decapsulates (vxlan). */
  readonly kind: LinkKind;
  /** ifindex is the device that opened the socket. */
  readonly ifindex: number;
}

/** Netns is one network namespace. */
export interface Netns {
  /** name is the `ip netns` name; INIT_NS for the lab's initial namespace. */
  readonly name: string;
  /**
   * named is false for a namespace that has no file in /run/netns (a pod's namespace made by a
   * container runtime, `unshare --net`): iproute2 then prints `link-netnsid N` for it, never its name,
   * and `ip netns` does not list it. Absent means true, as `ip netns add` makes them.
   */
  named?: boolean;
  /** mountName is the name its /run/netns file has, when not `name` (containerd's `cni-<uuid>` for a pod). */
  mountName?: string;
  links: Map<number, Link>;
  /** linkNames maps an interface name to its ifindex (the namespace's name hash). */
  linkNames: Map<string, number>;
  /** devList is the dev_base list: ifindexes in the order devices were registered in or moved into the namespace. */
  devList: number[];
  /** ifindexNext is where the per-namespace ifindex allocator continues (dev_index_reserve). */
  ifindexNext: number;
  addrs: IfAddr[];
  /** fib holds every table's routes (src/kernel/fib.ts knows their order and lookup rules). */
  fib: FibStore;
  /** neigh is the ARP table, keyed by neighKey(dev, ip), in creation order. */
  neigh: Map<number, NeighEntry>;
  /** pneigh holds the proxy entries (arp_tbl.phash), keyed like `neigh`, newest first; absent until the first. */
  pneigh?: Map<number, PneighEntry>;
  /** sysctl holds the net.* values that differ from their defaults, keyed like `net.ipv4.conf.eth0.proxy_arp`. */
  sysctl: Map<string, string>;
  /** nsids maps a peer namespace key to the id this namespace knows it by (`link-netnsid`). */
  nsids: Map<string, number>;
  /** nsidHoles says an id was freed below the highest, so the lowest free id must be searched for. */
  nsidHoles: boolean;
  /** nsidHolders lists the namespaces that hold an nsid for this one, so a deletion finds them. */
  nsidHolders: Set<string>;
  listeners: Listener[];
  /** tcp holds the namespace's TCP sockets by id in creation order (src/kernel/tcp.ts); absent until the first. */
  tcp?: Map<number, Tcb>;
  /** udpEncap holds the kernel's UDP tunnel sockets by local port. */
  udpEncap: Map<number, UdpEncapSocket>;
  /** drops counts dropped packets by reason (kernel drop reasons). */
  drops: Map<string, number>;
  /** ipIdent is the next IPv4 identification value handed out for locally generated packets. */
  ipIdent: number;
  /** pmtu holds learned path MTUs by destination (route exceptions). */
  pmtu: Map<Ipv4, PmtuException>;
  /** reasm holds fragments waiting for reassembly (ipq), keyed by source, destination, id and protocol. */
  reasm: Map<string, ReasmFragment[]>;
  /** redirects holds the route exceptions accepted ICMP redirects made, by destination (fib_nh_exception); made on first use. */
  redirects?: Map<Ipv4, RedirectExceptionEntry>;
  /** inetPeers holds the rate state of ICMP errors and redirects by remote address (struct inet_peer); made on first use. */
  inetPeers?: Map<Ipv4, InetPeer>;
}

/**
 * InetPeer is struct inet_peer's rate state (µs): `rateLast` and `rateTokens` are the ICMP error token
 * bucket (inet_peer_xrlim_allow); ip_rt_send_redirect shares `rateLast` and keeps `nRedirects`.
 */
export interface InetPeer {
  readonly rateLast: number;
  readonly rateTokens: number;
  readonly nRedirects: number;
}

/** WorldView is the world as readers see it: the live world, or a trace snapshot of it. */
export interface WorldView {
  /** now is the virtual clock in microseconds. */
  readonly now: number;
  readonly namespaces: ReadonlyMap<string, Netns>;
  /** nsOrder is the creation order of namespaces (`ip netns list` prints newest first). */
  readonly nsOrder: readonly string[];
}

/** World is the whole simulated machine set: the live state the kernel changes. */
export interface World extends WorldView {
  now: number;
  readonly namespaces: Map<string, Netns>;
  nsOrder: string[];
  /** seq is a deterministic counter for generated MAC addresses and ids. */
  seq: number;
}
