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
  | AddrFlush
  | RouteChange
  | RouteShow
  | RouteGet
  | RuleCmd
  | NeighChange
  | NeighShow
  | NeighFlush
  | NeighGet
  | NetnsListId
  | NetnsExecOuter
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
  /** statsLevel counts the `-s` options (`-s -s` is 2: error details); absent when fewer than two. */
  readonly statsLevel?: number;
  /** oneline is `-o`: each record on one line, its line breaks printed as `\`. */
  readonly oneline?: boolean;
  /** color is `-c` / `-color` (`always`, or `auto`/bare on a terminal, which a lab never is). */
  readonly color?: boolean;
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

/**
 * NetnsExecOuter is `ip netns exec OUTER ip netns exec INNER …` (or `… ip -n INNER …`): the outer ip opens
 * OUTER before the inner one runs, so a missing OUTER is its error even though the command runs in INNER.
 */
export interface NetnsExecOuter {
  readonly kind: 'netns-exec-outer';
  readonly outer: string;
  readonly cmd: Command;
}

/** NetnsListId is `ip netns list-id [target-nsid N] [nsid N]`: the namespace ids of the current namespace. */
export interface NetnsListId {
  readonly kind: 'netns-list-id';
  readonly opts: IpOptions;
  readonly targetNsid: number | null;
  readonly nsid: number | null;
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
  | { readonly op: 'down' }
  | { readonly op: 'promisc'; readonly on: boolean }
  | { readonly op: 'arp'; readonly on: boolean }
  | { readonly op: 'alias'; readonly alias: string };

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

/** LinkShow is `ip link [show] [[dev] DEV] [up] [master DEV] [type KIND]`. */
export interface LinkShow {
  readonly kind: 'link-show';
  readonly opts: IpOptions;
  readonly dev: string | null;
  /** filter holds the selectors of ipaddr_list_flush_or_save (absent: none given). */
  readonly filter?: LinkFilter;
}

/** LinkFilter is what `ip link|addr show` selects on beside the device. */
export interface LinkFilter {
  /** up is `up`: only devices with IFF_UP. */
  readonly up?: boolean;
  /** master is `master DEV`: only ports of DEV. */
  readonly master?: string;
  /** type is `type KIND`: only devices of that IFLA_INFO_KIND (`bridge_slave` for ports). */
  readonly type?: string;
  /** label is `label PATTERN` (fnmatch): only addresses whose label matches (ip addr). */
  readonly label?: string;
  /** to is `to PREFIX`: only addresses inside it (ip addr). */
  readonly to?: Cidr;
}

/** AddrChange is `ip addr add|del CIDR|ADDR peer PREFIX [broadcast IP|+|-] [scope S] [metric N] [noprefixroute] dev DEV`. */
export interface AddrChange {
  readonly kind: 'addr-change';
  /** action `replace` is also `change`: an existing address keeps all but its metric (inet_rtm_newaddr). */
  readonly action: 'add' | 'del' | 'replace';
  /** label is IFA_LABEL (`label NAME`); null: the device's name. */
  readonly label?: string | null;
  /** cidr keeps the host bits as written (`10.0.0.1/24`); a bare address is a /32. */
  readonly cidr: Cidr;
  readonly dev: string;
  /** broadcast is an address, `+` (all host bits set), `-` (none set) or null when not given. */
  readonly broadcast: Ipv4 | '+' | '-' | null;
  /** scope is the numeric scope (see RT_SCOPES); null when not given. */
  readonly scope: number | null;
  /** metric is `metric N` (IFA_RT_PRIORITY, the prefix route's metric); null when not given. */
  readonly metric: number | null;
  /** noprefixroute is IFA_F_NOPREFIXROUTE: no prefix route for the address. */
  readonly noprefixroute: boolean;
  /** peer is `peer|remote PREFIX` (IFA_ADDRESS): its length is the address's prefix length; absent: the local address. */
  readonly peer?: Cidr;
  /** bare is set when the local address was written without a prefix length (`ip addr del` then matches any). */
  readonly bare?: boolean;
}

/** AddrShow is `ip addr [show] [[dev] DEV] [label PATTERN] [to PREFIX] [up]`. */
export interface AddrShow {
  readonly kind: 'addr-show';
  readonly opts: IpOptions;
  readonly dev: string | null;
  readonly filter?: LinkFilter;
}

/** AddrFlush is `ip addr flush [dev DEV] [label PATTERN] [to PREFIX]`. */
export interface AddrFlush {
  readonly kind: 'addr-flush';
  readonly opts: IpOptions;
  readonly dev: string | null;
  readonly filter: LinkFilter;
}

/** RouteType is the route types labs may add (rtnetlink RTN_*). */
export type RouteType = 'unicast' | 'local' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

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
  /** table is `table ID`; absent for the default (local for `local` routes, main otherwise). */
  readonly table?: number;
  /** mtu is the RTAX_MTU metric (`mtu [lock] N`), mtuLock its `lock`; absent when not given. */
  readonly mtu?: number;
  readonly mtuLock?: boolean;
}

/** RouteChange is `ip route add|del|replace|append|prepend|change …`. */
export interface RouteChange {
  readonly kind: 'route-change';
  readonly action: 'add' | 'del' | 'replace' | 'append' | 'prepend' | 'change';
  readonly route: RouteSpec;
}

/**
 * RouteShow is `ip route show|flush [table ID|all] [dev DEV] [proto P] [scope S] [type T] [via IP] [src IP]
 * [root|match|exact PREFIX]`.
 */
export interface RouteShow {
  readonly kind: 'route-show';
  readonly opts: IpOptions;
  /** flush deletes the selected routes instead of printing them (`ip route flush`). */
  readonly flush?: boolean;
  /** cached is `cache`/`cached`/`cloned`: with flush, the IPv4 routing cache (`ip route flush cache`). */
  readonly cached?: boolean;
  /** table is the table to show (`table local`, `table all`); null for main. */
  readonly table: number | 'all' | null;
  readonly dev: string | null;
  readonly proto: number | null;
  /** prefix shows only routes whose destination is exactly this prefix. */
  readonly prefix: Cidr | null;
  /** scope keeps routes of this scope (`scope S`); null for any (`scope all` too). */
  readonly scope?: number | null;
  /** types keeps routes of this type (`type T`). */
  readonly type?: string | null;
  /** via keeps routes whose gateway is in this prefix; src those whose prefsrc is. */
  readonly via?: Cidr | null;
  readonly src?: Cidr | null;
  /** root keeps routes inside this prefix (`root P`); match routes that contain it (`match P`). */
  readonly root?: Cidr | null;
  readonly match?: Cidr | null;
}

/** RuleSpec is what `ip rule add|del|show` was given; a field not given is null. */
export interface RuleSpec {
  readonly not: boolean;
  readonly from: Cidr | null;
  readonly to: Cidr | null;
  readonly pref: number | null;
  readonly tos: number | null;
  readonly fwmark: number | null;
  readonly fwmask: number | null;
  readonly iif: string | null;
  readonly oif: string | null;
  /** table is `table|lookup ID`. */
  readonly table: number | null;
  /** action is the rule type (`blackhole`, `unreachable`, `prohibit`); null for a table lookup. */
  readonly action: 'blackhole' | 'unreachable' | 'prohibit' | null;
  readonly suppressPrefixlen: number | null;
  readonly proto: number | null;
}

/** RuleCmd is `ip rule add|del|show|list|flush …`. */
export interface RuleCmd {
  readonly kind: 'rule';
  readonly opts: IpOptions;
  readonly verb: 'add' | 'del' | 'show' | 'flush';
  readonly rule: RuleSpec;
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
  /** action `change` is NLM_F_REPLACE without NLM_F_CREATE: the entry must exist. */
  readonly action: 'add' | 'replace' | 'del' | 'change';
  /** proxy is `proxy`: a proxy entry (pneigh) the device answers ARP for. */
  readonly proxy?: boolean;
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
  /** nud is the `nud STATE` filters (ipneigh.c nud_state_a2n, `all` included); absent: the default. */
  readonly nud?: readonly string[];
  /** proxy is `proxy`: show the proxy entries. */
  readonly proxy?: boolean;
  /** prefix is a `to PREFIX` with a length (an address alone is a /32). */
  readonly prefix?: Cidr | null;
}

/** NeighFlush is `ip neigh flush [dev DEV] [to PREFIX] [nud STATE…]`. */
export interface NeighFlush {
  readonly kind: 'neigh-flush';
  readonly opts: IpOptions;
  readonly dev: string | null;
  readonly prefix: Cidr | null;
  readonly nud: readonly string[];
}

/** NeighGet is `ip neigh get ADDR dev DEV [proxy]`. */
export interface NeighGet {
  readonly kind: 'neigh-get';
  readonly opts: IpOptions;
  readonly addr: Ipv4;
  readonly dev: string;
  readonly proxy: boolean;
}

/** FdbChange is `bridge fdb add|append|del MAC dev DEV [dst IP] [self] [master] [permanent]`. */
export interface FdbChange {
  readonly kind: 'fdb-change';
  readonly action: 'add' | 'append' | 'del' | 'replace';
  /** static is `static` (NUD_NOARP): a bridge entry that is not local; otherwise `permanent` (NUD_PERMANENT, local). */
  readonly static?: boolean;
  /** dynamic is `dynamic` (NUD_REACHABLE alone): a bridge entry that ages like a learned one. */
  readonly dynamic?: boolean;
  readonly mac: Mac;
  readonly dev: string;
  readonly dst: Ipv4 | null;
  readonly self: boolean;
  readonly master: boolean;
  readonly permanent: boolean;
}

/** FdbShow is `bridge fdb [show] [dev|brport DEV] [br BR] [vlan N] [state S]… [dynamic]`. */
export interface FdbShow {
  readonly kind: 'fdb-show';
  /** json is `-j`, pretty `-p` with it. */
  readonly json?: boolean;
  readonly pretty?: boolean;
  readonly dev: string | null;
  readonly br: string | null;
  /** state is the NUD bits `state` asked for (an entry must have one); vlan the `vlan` filter. */
  readonly state?: number;
  readonly vlan?: number;
  /** dynamic leaves out permanent entries. */
  readonly dynamic?: boolean;
}

/** BridgeLinkShow is `bridge link [show]`. */
export interface BridgeLinkShow {
  readonly kind: 'bridge-link-show';
  /** dev is `dev DEV`: that port only. */
  readonly dev?: string;
  /** json is `-j`, pretty `-p` with it. */
  readonly json?: boolean;
  readonly pretty?: boolean;
}

/** SysctlWrite is `sysctl [-q] -w KEY=VALUE…`. */
export interface SysctlWrite {
  readonly kind: 'sysctl-write';
  /** quiet is `-q`: print nothing on success. */
  readonly quiet: boolean;
  /** assignments keep the keys as written (dots or slashes). */
  readonly assignments: readonly { readonly key: string; readonly value: string }[];
}

/** SysctlRead is `sysctl [-n] KEY…`, or with `opts` any other procps-ng sysctl(8) command line. */
export interface SysctlRead {
  readonly kind: 'sysctl-read';
  /** valuesOnly is `-n`: print only the values. */
  readonly valuesOnly: boolean;
  /** keys are the operands as written: keys, and with `opts` also KEY=VALUE assignments. */
  readonly keys: readonly string[];
  /** opts are the options beyond -n, when there are any (or reads and writes are mixed). */
  readonly opts?: SysctlOptions;
}

/** SysctlOptions are sysctl(8)'s options (procps-ng 4.0.2 sysctl.c main). */
export interface SysctlOptions {
  /** all is `-a`, `-A`, `-X`, `--all`: every key, the operands ignored. */
  readonly all: boolean;
  /** write is `-w`: every operand is an assignment. */
  readonly write: boolean;
  /** quiet is `-q`: print nothing for a write that succeeds. */
  readonly quiet: boolean;
  /** names is `-N`: print names without values. */
  readonly names: boolean;
  /** binary is `-b`: values without a newline. */
  readonly binary: boolean;
  /** ignore is `-e`: say nothing about keys that do not exist. */
  readonly ignore: boolean;
  /** deprecated is `--deprecated`: list the deprecated keys too. */
  readonly deprecated: boolean;
  /** pattern is `-r REGEX`: only keys whose name the extended regular expression matches. */
  readonly pattern: string | null;
}

/** Cat is `cat /proc/sys/…`. */
export interface Cat {
  readonly kind: 'cat';
  readonly path: string;
}

/** RouteN is net-tools `route -n`, or plain `route` (`resolve`: names instead of numbers where it can). */
export interface RouteN {
  readonly kind: 'route-n';
  readonly resolve?: boolean;
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
  /** source is `-I ADDR`: bind to that source address (iputils' opt_strictsource). */
  readonly source?: Ipv4;
  /** broadcast is `-b`: SO_BROADCAST, so a broadcast destination may be pinged. */
  readonly broadcast?: boolean;
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
  /** opts are curl's other options (-v, -I, -o, -w, --connect-timeout), absent when none is given. */
  readonly opts?: CurlOptions;
}

/** CurlOptions are curl's output and timing options beyond -s, -S and -m. */
export interface CurlOptions {
  /** verbose is `-v`: the connection and the HTTP header lines on stderr. */
  readonly verbose: boolean;
  /** head is `-I`: a HEAD request, and the response header printed as the body. */
  readonly head: boolean;
  /** output is `-o FILE`: the body goes there instead of stdout (`/dev/null` discards it). */
  readonly output: string | null;
  /** writeOut is `-w FORMAT`, printed on stdout once the transfer ends. */
  readonly writeOut: string | null;
  /** connectTimeout is `--connect-timeout SECS`, null for curl's default (300 s). */
  readonly connectTimeout: number | null;
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
