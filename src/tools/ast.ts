// The lab-script dialect as a typed tree: the subset of ip(8) (ip-link(8), ip-address(8),
// ip-route(8), ip-neighbour(8), ip-netns(8)), bridge(8), sysctl(8), ping(8), curl(1), route(8) and tcpdump(8)
// that labs use, plus the directives `listen`, `capture`, `captures` and `sleep`.
// See design.md, "Lab-script dialect". Addresses are parsed (src/model/addr.ts); names of
// namespaces and devices are kept as written, because whether they exist is a runtime question.

import type { Cidr, Ipv4, Mac } from '../model/addr.js';
import type { ParsedFilter } from './tcpdump/filter.js';
import type { NetnsRecorder } from './words.js';

/** Lab is a parsed lab file. */
export interface Lab {
  /** file is the path the lab was read from, as given (used in error messages). */
  readonly file: string;
  readonly lines: readonly LabLine[];
}

/** LabLine is one command of a lab. */
export interface LabLine {
  /** line is the 1-based number of the line the command starts on. */
  readonly line: number;
  /** text is the command as written (comment and continuations removed, trimmed): what transcripts echo. */
  readonly text: string;
  /**
   * netns is the namespace the command runs in: null for the lab's initial namespace, or the name
   * given by `ip -n NS …` / `ip netns exec NS …`. Directives name their namespace in `cmd`.
   */
  readonly netns: string | null;
  readonly cmd: Command;
}

/** Parsed is a command and the namespace it runs in (null: the one the shell was asked to run it in). */
export interface Parsed {
  readonly netns: string | null;
  readonly cmd: Command;
}

/** NestedParser parses the command of `ip netns exec NS CMD…`. */
export type NestedParser = (words: readonly string[], rec: NetnsRecorder) => Parsed;

/** Command is every form of the dialect, told apart by `kind`. */
export type Command =
  | NetnsAdd
  | NetnsDel
  | NetnsList
  | LinkAdd
  | LinkSet
  | LinkDel
  | LinkShow
  | AddrChange
  | AddrShow
  | RouteChange
  | RouteShow
  | RouteGet
  | NeighChange
  | NeighShow
  | FdbChange
  | FdbShow
  | BridgeLinkShow
  | SysctlWrite
  | SysctlRead
  | Cat
  | RouteN
  | Ping
  | Curl
  | Listen
  | Capture
  | Captures
  | Sleep
  | Tcpdump
  | ProgramRun;

/**
 * ProgramRun is a userspace program that reads its own argv when it runs (calicoctl, birdc, kubectl,
 * …): as with a real binary, a bad option is the program's own error at run time, not a lab error.
 */
export interface ProgramRun {
  readonly kind: 'program';
  readonly prog: string;
  readonly argv: readonly string[];
}

/** IpOptions are the global options of ip(8) that change how show commands print. */
export interface IpOptions {
  /** family4 is `-4` (labs are IPv4-only, so it changes nothing but is accepted). */
  readonly family4: boolean;
  /** json is `-j`: JSON output. */
  readonly json: boolean;
  /** pretty is `-p`: indented JSON. */
  readonly pretty: boolean;
  /** brief is `-br`: one line per object. */
  readonly brief: boolean;
  /** details is `-d`. */
  readonly details: boolean;
  /** stats is `-s`. */
  readonly stats: boolean;
}

/** NetnsAdd is `ip netns add NAME`. */
export interface NetnsAdd {
  readonly kind: 'netns-add';
  readonly name: string;
}

/** NetnsDel is `ip netns del NAME`. */
export interface NetnsDel {
  readonly kind: 'netns-del';
  readonly name: string;
}

/** NetnsList is `ip netns`, `ip netns list` or `ip netns show`. */
export interface NetnsList {
  readonly kind: 'netns-list';
}

/** VethSpec is `type veth peer [name] NAME [txqueuelen N] [netns NS]`. */
export interface VethSpec {
  readonly type: 'veth';
  readonly peer: string;
  /** peerNetns is the namespace the peer is created in; null means beside the first end. */
  readonly peerNetns: string | null;
  /** peerTxqueuelen is the peer's own `txqueuelen N`, null when not given. */
  readonly peerTxqueuelen: number | null;
}

/** BridgeSpec is `type bridge`. */
export interface BridgeSpec {
  readonly type: 'bridge';
}

/** VxlanSpec is `type vxlan id N [dstport P] [local IP] [dev DEV] [nolearning]`. */
export interface VxlanSpec {
  readonly type: 'vxlan';
  readonly id: number;
  /** dstport is the UDP port; null leaves the kernel's default (8472, the Linux legacy port). */
  readonly dstport: number | null;
  readonly local: Ipv4 | null;
  readonly dev: string | null;
  /** learning is false for `nolearning`. */
  readonly learning: boolean;
}

/** IpipSpec is `type ipip`. */
export interface IpipSpec {
  readonly type: 'ipip';
}

export type LinkSpec = VethSpec | BridgeSpec | VxlanSpec | IpipSpec;

/** LinkAdd is `ip link add [name] NAME [txqueuelen N] type …`. */
export interface LinkAdd {
  readonly kind: 'link-add';
  readonly name: string;
  /** txqueuelen is `txqueuelen|qlen|txqlen N` (IFLA_TXQLEN), null when not given. */
  readonly txqueuelen: number | null;
  readonly spec: LinkSpec;
}

/** LinkSetOp is one change of `ip link set`; a line may carry several, applied in order. */
export type LinkSetOp =
  | { readonly op: 'netns'; readonly netns: string }
  | { readonly op: 'name'; readonly name: string }
  | { readonly op: 'address'; readonly mac: Mac }
  | { readonly op: 'mtu'; readonly mtu: number }
  | { readonly op: 'txqueuelen'; readonly txqueuelen: number }
  | { readonly op: 'master'; readonly master: string }
  | { readonly op: 'nomaster' }
  | { readonly op: 'up' }
  | { readonly op: 'down' };

/** LinkSet is `ip link set [dev] DEV OP…`. */
export interface LinkSet {
  readonly kind: 'link-set';
  readonly dev: string;
  readonly ops: readonly LinkSetOp[];
}

/** LinkDel is `ip link del [dev] DEV`. */
export interface LinkDel {
  readonly kind: 'link-del';
  readonly dev: string;
}

/** LinkShow is `ip link [show] [[dev] DEV]`. */
export interface LinkShow {
  readonly kind: 'link-show';
  readonly opts: IpOptions;
  readonly dev: string | null;
}

/** AddrChange is `ip addr add|del CIDR [broadcast IP|+] [scope S] [metric N] [noprefixroute] dev DEV`. */
export interface AddrChange {
  readonly kind: 'addr-change';
  readonly action: 'add' | 'del';
  /** cidr keeps the host bits as written (`10.0.0.1/24`); a bare address is a /32. */
  readonly cidr: Cidr;
  readonly dev: string;
  /** broadcast is an address, `+` (all host bits set) or null when not given. */
  readonly broadcast: Ipv4 | '+' | null;
  /** scope is the numeric scope (see RT_SCOPES); null when not given. */
  readonly scope: number | null;
  /** metric is `metric N` (IFA_RT_PRIORITY, the prefix route's metric); null when not given. */
  readonly metric: number | null;
  /** noprefixroute is IFA_F_NOPREFIXROUTE: no prefix route for the address. */
  readonly noprefixroute: boolean;
}

/** AddrShow is `ip addr [show] [[dev] DEV]`. */
export interface AddrShow {
  readonly kind: 'addr-show';
  readonly opts: IpOptions;
  readonly dev: string | null;
}

/** RouteType is the route types labs may add (rtnetlink RTN_*). */
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';

/** RouteSpec is the part of `ip route add|del|replace` after the verb. */
export interface RouteSpec {
  readonly type: RouteType;
  /** dst is the prefix, host bits as written; `default` is 0.0.0.0/0. */
  readonly dst: Cidr;
  readonly via: Ipv4 | null;
  readonly dev: string | null;
  /** proto is the numeric protocol (see RT_PROTOS); null when not given (the kernel takes `boot`). */
  readonly proto: number | null;
  /** scope is the numeric scope (see RT_SCOPES); null lets the kernel choose. */
  readonly scope: number | null;
  readonly src: Ipv4 | null;
  readonly metric: number | null;
  readonly onlink: boolean;
}

/** RouteChange is `ip route add|del|replace …`. */
export interface RouteChange {
  readonly kind: 'route-change';
  readonly action: 'add' | 'del' | 'replace';
  readonly route: RouteSpec;
}

/** RouteShow is `ip route [show] [table ID|all] [dev DEV] [proto P] [[exact] PREFIX|default]`. */
export interface RouteShow {
  readonly kind: 'route-show';
  readonly opts: IpOptions;
  /** table is the table to show (`table local`, `table all`); null for main. */
  readonly table: number | 'all' | null;
  readonly dev: string | null;
  readonly proto: number | null;
  /** prefix shows only routes whose destination is exactly this prefix. */
  readonly prefix: Cidr | null;
}

/** RouteGet is `ip route get ADDR [from IP] [iif DEV] [oif DEV] [fibmatch]`. */
export interface RouteGet {
  readonly kind: 'route-get';
  readonly opts: IpOptions;
  readonly addr: Ipv4;
  readonly from: Ipv4 | null;
  readonly iif: string | null;
  readonly oif: string | null;
  readonly fibmatch: boolean;
}

/** NudState is a state `ip neigh add|replace … nud S` may set. */
export type NudState = 'permanent' | 'reachable' | 'stale' | 'noarp';

/** NeighChange is `ip neigh add|replace|del ADDR [lladdr MAC] dev DEV [nud S]`. */
export interface NeighChange {
  readonly kind: 'neigh-change';
  readonly action: 'add' | 'replace' | 'del';
  readonly addr: Ipv4;
  readonly lladdr: Mac | null;
  readonly dev: string;
  /** nud is null when not given (ip(8) then asks for PERMANENT). */
  readonly nud: NudState | null;
}

/** NeighShow is `ip neigh [show] [dev DEV] [ADDR]`. */
export interface NeighShow {
  readonly kind: 'neigh-show';
  readonly opts: IpOptions;
  readonly dev: string | null;
  readonly addr: Ipv4 | null;
}

/** FdbChange is `bridge fdb add|append|del MAC dev DEV [dst IP] [self] [master] [permanent]`. */
export interface FdbChange {
  readonly kind: 'fdb-change';
  readonly action: 'add' | 'append' | 'del';
  readonly mac: Mac;
  readonly dev: string;
  readonly dst: Ipv4 | null;
  readonly self: boolean;
  readonly master: boolean;
  readonly permanent: boolean;
}

/** FdbShow is `bridge fdb [show] [dev DEV] [br BR]`. */
export interface FdbShow {
  readonly kind: 'fdb-show';
  readonly dev: string | null;
  readonly br: string | null;
}

/** BridgeLinkShow is `bridge link [show]`. */
export interface BridgeLinkShow {
  readonly kind: 'bridge-link-show';
}

/** SysctlWrite is `sysctl [-q] -w KEY=VALUE…`. */
export interface SysctlWrite {
  readonly kind: 'sysctl-write';
  /** quiet is `-q`: print nothing on success. */
  readonly quiet: boolean;
  /** assignments keep the keys as written (dots or slashes). */
  readonly assignments: readonly { readonly key: string; readonly value: string }[];
}

/** SysctlRead is `sysctl [-n] KEY…`. */
export interface SysctlRead {
  readonly kind: 'sysctl-read';
  /** valuesOnly is `-n`: print only the values. */
  readonly valuesOnly: boolean;
  readonly keys: readonly string[];
}

/** Cat is `cat /proc/sys/…`. */
export interface Cat {
  readonly kind: 'cat';
  readonly path: string;
}

/** RouteN is net-tools `route -n`. */
export interface RouteN {
  readonly kind: 'route-n';
}

/** PmtuDisc is ping's `-M` argument. */
export type PmtuDisc = 'do' | 'dont' | 'want' | 'probe';

/** Ping is iputils `ping`; at least one of `count` and `deadline` is set, so it always ends. */
export interface Ping {
  readonly kind: 'ping';
  readonly dest: Ipv4;
  /** count is `-c N`. */
  readonly count: number | null;
  /** deadline is `-w S`: stop after S seconds whatever happened. */
  readonly deadline: number | null;
  /** timeout is `-W S`: how long to wait for each reply. */
  readonly timeout: number | null;
  /** ttl is `-t TTL`. */
  readonly ttl: number | null;
  /** size is `-s SIZE`, the ICMP payload (default 56). */
  readonly size: number | null;
  /** pmtudisc is `-M do|dont|want|probe`. */
  readonly pmtudisc: PmtuDisc | null;
  /** interval is `-i S` in seconds (default 1). */
  readonly interval: number | null;
  /** iface is `-I DEV` (a device name; `-I ADDR` is kept as written too). */
  readonly iface: string | null;
  /** quiet is `-q`: only the summary. */
  readonly quiet: boolean;
}

/** Curl is `curl [-s] [-S] [-m SECS] [http://]ADDR[:PORT][/PATH]`: one HTTP GET over TCP. */
export interface Curl {
  readonly kind: 'curl';
  /** url is the argument as written (curl's messages quote parts of it). */
  readonly url: string;
  readonly host: Ipv4;
  /** port is 80 when the URL names none. */
  readonly port: number;
  /** path is `/` when the URL names none. */
  readonly path: string;
  readonly silent: boolean;
  readonly showError: boolean;
  /** maxTime is `-m SECS`, null for no limit. */
  readonly maxTime: number | null;
}

/**
 * Listen is the directive `listen NS PORT [http]`: a TCP listener that accepts and stays silent, or
 * with `http` a server that answers one GET per connection and closes (src/tools/directives.ts).
 */
export interface Listen {
  readonly kind: 'listen';
  /** netns is null for the lab's initial namespace (written `-`). */
  readonly netns: string | null;
  readonly port: number;
  /** http is set (true) for `listen NS PORT http`; the silent listener has no such member. */
  readonly http?: true;
}

/** Capture is the directive `capture NS IFACE [EXPR…]`: start `tcpdump -n -e -t -i IFACE [EXPR…]` in NS. */
export interface Capture {
  readonly kind: 'capture';
  /** netns is null for the lab's initial namespace (written `-`). */
  readonly netns: string | null;
  readonly iface: string;
  /** filter is the pcap-filter(7) expression (src/tools/tcpdump/filter.ts), null for every frame. */
  readonly filter: ParsedFilter | null;
  /** filterWords are the expression's words as written, handed to tcpdump by the kernel runner. */
  readonly filterWords: readonly string[];
}

/**
 * Tcpdump is the program form `tcpdump -n -e [-t] -i IFACE [EXPR…]`: a capture in the command's
 * namespace, printed with the running captures at the next `captures` (the lab's second terminal).
 */
export interface Tcpdump {
  readonly kind: 'tcpdump';
  readonly iface: string;
  /** nflag counts `-n`: 1 prints no host names; 2 (`-nn`) no port names either (a distinction Red Hat's tcpdump makes). */
  readonly nflag: number;
  /** timestamps is false under `-t`. */
  readonly timestamps: boolean;
  readonly filter: ParsedFilter | null;
  /** argv is the program's words as written after `tcpdump`, for the kernel runner. */
  readonly argv: readonly string[];
}

/** Sleep is the directive `sleep SECONDS`: virtual time passes (timers fire); the kernel runner really sleeps. */
export interface Sleep {
  readonly kind: 'sleep';
  readonly seconds: number;
}

/** Captures is the directive `captures`: print and stop every running capture. */
export interface Captures {
  readonly kind: 'captures';
}

/** RT_PROTOS maps route protocol numbers to the names iproute2 6.1 prints (/etc/iproute2/rt_protos). */
export const RT_PROTOS: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [1, 'redirect'],
  [2, 'kernel'],
  [3, 'boot'],
  [4, 'static'],
  [8, 'gated'],
  [9, 'ra'],
  [10, 'mrt'],
  [11, 'zebra'],
  [12, 'bird'],
  [13, 'dnrouted'],
  [14, 'xorp'],
  [15, 'ntk'],
  [16, 'dhcp'],
  [18, 'keepalived'],
  [42, 'babel'],
  [99, 'openr'],
  [186, 'bgp'],
  [187, 'isis'],
  [188, 'ospf'],
  [189, 'rip'],
  [192, 'eigrp'],
]);

/** RT_SCOPES maps route and address scope numbers to their names (/etc/iproute2/rt_scopes). */
export const RT_SCOPES: ReadonlyMap<number, string> = new Map([
  [0, 'global'],
  [200, 'site'],
  [253, 'link'],
  [254, 'host'],
  [255, 'nowhere'],
]);

/** INITIAL_NETNS is how directives write the lab's initial (unnamed) namespace. */
export const INITIAL_NETNS = '-';
