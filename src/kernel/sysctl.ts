// The net.* sysctls of a namespace (Documentation/networking/ip-sysctl.rst, net/ipv4/devinet.c
// devinet_conf_proc / devinet_sysctl_forward, net/ipv4/sysctl_net_ipv4.c, net/core/neighbour.c
// neigh_sysctl_register, kernel/sysctl.c __do_proc_dointvec / proc_get_long, sysctl(8)). A namespace
// stores only what it must; everything else reads as its default.
//
// Every key has the kernel's handler (HANDLERS below): how a written string is parsed (proc_get_long:
// an optional '-', then decimal, 0x hex or 0 octal, at most 20 characters, followed by white space or
// the end), which values are refused (EINVAL) and what reads back (jiffies rounding). The tables hold
// every net.ipv4.* file of kernel 6.18 in a new namespace, with the values and handlers it showed.
// Device names may hold dots (vxlan.calico): in a stored (dotted) key the parameter is the last
// component and the device everything between the prefix and it; paths (parseSysctlPath) are split
// at slashes as /proc/sys is. sysctlEntries lists the files as readdir of /proc/sys does.
//
// net.ipv4.conf.DEV.* follow `default` (devinet_copy_dflt_conf) until they are written: a write, even a
// refused one, sets the parameter's bit in the device's state and the device keeps its value from then
// on. A device registered (inetdev_init) copies `default`'s values and bits, so it keeps what `default`
// had for every parameter `default` was written for. Written conf keys are therefore always stored
// (their presence is the bit). `forwarding` and `route_localnet` have handlers that never copy
// (devinet_sysctl_forward, ipv4_doint_and_flush), so a device copies them once, at registration; lo
// follows nothing, as every bit of its conf is set when it comes up (ipv4_devconf_setall, which the
// lo of every namespace has had). A device has these keys only while it has an in_device: from
// registration until its MTU goes below 68 (inetdev_event NETDEV_CHANGEMTU), and again from the MTU
// change that brings it back. net.ipv6.conf.DEV.* likewise need an inet6_dev: an MTU of at least 1280,
// or the loopback device. net.ipv4.neigh.DEV.* start at the kernel's values; a namespace other than
// the initial one has no net.ipv4.neigh.default (arp_init registers it in init_net only), and all of
// the simulator's namespaces are such namespaces (as the lab runner's are).
//
// The data path reads sysctls on every packet, so reads go through a cache of parsed numbers per
// sysctl table (keyed by the table's identity: a table immer copies is a new table). Every write goes
// through this file, which drops the table's cache.

import type { Link, Netns } from '../model/world.js';

/** Handler is how the kernel parses, checks and stores a written value: the proc_handler of a key's ctl_table. */
type Handler =
  /** int is proc_dointvec (any int) or proc_dointvec_minmax (within min..max), for each element of a vector. */
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /**
   * uint is one unsigned value within min..max (do_proc_douintvec_w: proc_dou8vec_minmax,
   * proc_douintvec_minmax): a '-' is refused, even "-0", and anything after the value is ignored.
   */
  | { readonly kind: 'uint'; readonly min: number; readonly max: number }
  /** ulong is proc_doulongvec_minmax: unsigned longs within min..max, for each element of a vector. */
  | { readonly kind: 'ulong'; readonly min: bigint; readonly max: bigint }
  /** jiffies is proc_dointvec_jiffies: seconds, at most INT_MAX / HZ either way. */
  | { readonly kind: 'jiffies' }
  /** msJiffies is proc_dointvec_ms_jiffies(_minmax): milliseconds from min up, rounded up to whole ticks. */
  | { readonly kind: 'msJiffies'; readonly min: number }
  /** userhzJiffies is proc_dointvec_userhz_jiffies: USER_HZ ticks, kept as jiffies (a negative value reads "-0"). */
  | { readonly kind: 'userhzJiffies' }
  /** readOnly is a file of mode 0444 (in a namespace other than the initial one): sysctl -w is refused. */
  | { readonly kind: 'readOnly' }
  /** flush is net.ipv4.route.flush (mode 0200, ipv4_sysctl_rtcache_flush): any write succeeds, nothing reads. */
  | { readonly kind: 'flush' }
  /** congestion is proc_tcp_congestion_control: the name of an allowed algorithm. */
  | { readonly kind: 'congestion' }
  /** fastopenKey is proc_tcp_fastopen_key: one or two keys of four hex words, `-` between the words. */
  | { readonly kind: 'fastopenKey' }
  /** portBitmap is proc_do_large_bitmap over the 65536 ports: ports and ranges, `,` between them. */
  | { readonly kind: 'portBitmap' };

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;

/** HZ is the reference kernel's tick rate (CONFIG_HZ=250); USER_HZ is the clock_t rate of every kernel. */
const HZ = 250;
const USER_HZ = 100;

/** TICK_NSEC is the length of a tick in nanoseconds (jiffies_to_clock_t). */
const TICK_NSEC = Math.floor((1_000_000_000 + HZ / 2) / HZ);

/** SKB_TRUESIZE_ETH is SKB_TRUESIZE(ETH_FRAME_LEN): what one queued packet counts in unres_qlen_bytes. */
const SKB_TRUESIZE_ETH = 2090;

/**
 * UNRES_QLEN_MAX is the largest net.ipv4.neigh.DEV.unres_qlen: the kernel keeps it in bytes
 * (unres_qlen_bytes), each packet counted as SKB_TRUESIZE(ETH_FRAME_LEN) = 2090 bytes, at most INT_MAX.
 */
const UNRES_QLEN_MAX = Math.floor(INT_MAX / SKB_TRUESIZE_ETH);

const INT: Handler = { kind: 'int', min: INT_MIN, max: INT_MAX };
const JIFFIES: Handler = { kind: 'jiffies' };
const MS_JIFFIES: Handler = { kind: 'msJiffies', min: 0 };
const USERHZ_JIFFIES: Handler = { kind: 'userhzJiffies' };
const READ_ONLY: Handler = { kind: 'readOnly' };
const ULONG_ANY: Handler = { kind: 'ulong', min: 0n, max: (1n << 64n) - 1n };

function intRange(min: number, max: number): Handler {
  return { kind: 'int', min, max };
}

function uint(min: number, max: number): Handler {
  return { kind: 'uint', min, max };
}

/**
 * CONF_TABLE are the net.ipv4.conf.* parameters (devinet.c devinet_sysctl) and a device's default:
 * all are ints written through devinet_conf_proc, devinet_sysctl_forward or ipv4_doint_and_flush
 * (any int), and mc_forwarding is read-only. `all` and lo differ on a few (confDefault).
 */
const CONF_TABLE = [
  ['accept_local', '0'],
  ['accept_redirects', '1'],
  ['accept_source_route', '1'],
  ['arp_accept', '0'],
  ['arp_announce', '0'],
  ['arp_evict_nocarrier', '1'],
  ['arp_filter', '0'],
  ['arp_ignore', '0'],
  ['arp_notify', '0'],
  ['bc_forwarding', '0'],
  ['bootp_relay', '0'],
  ['disable_policy', '0'],
  ['disable_xfrm', '0'],
  ['drop_gratuitous_arp', '0'],
  ['drop_unicast_in_l2_multicast', '0'],
  ['force_igmp_version', '0'],
  ['forwarding', '0'],
  ['igmpv2_unsolicited_report_interval', '10000'],
  ['igmpv3_unsolicited_report_interval', '1000'],
  ['ignore_routes_with_linkdown', '0'],
  ['log_martians', '0'],
  ['mc_forwarding', '0'],
  ['medium_id', '0'],
  ['promote_secondaries', '0'],
  ['proxy_arp', '0'],
  ['proxy_arp_pvlan', '0'],
  ['route_localnet', '0'],
  ['rp_filter', '0'],
  ['secure_redirects', '1'],
  ['send_redirects', '1'],
  ['shared_media', '1'],
  ['src_valid_mark', '0'],
  ['tag', '0'],
] as const;

/**
 * NEIGH_TABLE are the net.ipv4.neigh.DEV.* parameters a device stores (neighbour.c neigh_sysctl_template),
 * with the values a new device has and their handlers. Three more are other views of these
 * (NEIGH_ALIASES): unres_qlen of unres_qlen_bytes, and the deprecated base_reachable_time and
 * retrans_time of the _ms ones.
 */
const NEIGH_TABLE = [
  ['anycast_delay', '100', USERHZ_JIFFIES],
  ['app_solicit', '0', intRange(0, INT_MAX)],
  ['base_reachable_time_ms', '30000', MS_JIFFIES],
  ['delay_first_probe_time', '5', JIFFIES],
  ['gc_stale_time', '60', JIFFIES],
  ['interval_probe_time_ms', '5000', { kind: 'msJiffies', min: 1 } as Handler],
  ['locktime', '100', USERHZ_JIFFIES],
  ['mcast_resolicit', '0', intRange(0, INT_MAX)],
  ['mcast_solicit', '3', intRange(0, INT_MAX)],
  ['proxy_delay', '80', USERHZ_JIFFIES],
  ['proxy_qlen', '64', intRange(0, INT_MAX)],
  ['retrans_time_ms', '1000', MS_JIFFIES],
  ['ucast_solicit', '3', intRange(0, INT_MAX)],
  ['unres_qlen_bytes', '212992', intRange(0, INT_MAX)],
] as const;

/**
 * NeighAlias is a neighbour parameter that shows another one's value in other units: `read` turns the
 * stored value into what the file reads, `write` turns one parsed element into what is stored.
 */
interface NeighAlias {
  readonly of: string;
  readonly deprecated: boolean;
  readonly read: (stored: string) => string;
  readonly write: (neg: boolean, val: bigint) => string | null;
}

const MS_PER_JIFFY = 1000 / HZ;

/** NEIGH_ALIASES are the neighbour parameters the kernel keeps in another one's variable. */
const NEIGH_ALIASES: ReadonlyMap<string, NeighAlias> = new Map<string, NeighAlias>([
  [
    // neigh_proc_dointvec_unres_qlen: packets of SKB_TRUESIZE(ETH_FRAME_LEN) bytes.
    'unres_qlen',
    {
      of: 'unres_qlen_bytes',
      deprecated: false,
      read: (s) => String(Math.trunc(Number(s) / SKB_TRUESIZE_ETH)),
      write: (neg, val) => {
        const v = intConv({ min: 0, max: UNRES_QLEN_MAX }, neg, val);
        return v === null ? null : String(Number(v) * SKB_TRUESIZE_ETH);
      },
    },
  ],
  [
    // proc_dointvec_jiffies over the jiffies base_reachable_time_ms shows in milliseconds.
    'base_reachable_time',
    {
      of: 'base_reachable_time_ms',
      deprecated: true,
      read: (s) => String(Math.trunc(Number(s) / MS_PER_JIFFY / HZ)),
      write: (neg, val) => {
        const v = jiffiesConv(neg, val);
        return v === null ? null : String(Number(v) * 1000);
      },
    },
  ],
  [
    // proc_dointvec_userhz_jiffies over the jiffies retrans_time_ms shows in milliseconds.
    'retrans_time',
    {
      of: 'retrans_time_ms',
      deprecated: true,
      read: (s) => String(Math.trunc(((Number(s) / MS_PER_JIFFY) * TICK_NSEC) / (1_000_000_000 / USER_HZ))),
      write: (neg, val) => {
        const j = userhzToJiffies(neg, val);
        return j === null ? null : String(Number(j) * MS_PER_JIFFY);
      },
    },
  ],
]);

/**
 * GLOBAL_TABLE are the namespace-wide keys with the values a new namespace has on the reference
 * machine (kernel 6.18, 24 GiB: tcp_rmem, tcp_wmem and rmem_max are sized from memory, and the
 * congestion control and its allowed list come from the initial namespace; rp_filter and
 * igmp_link_local_mcast_reports are as the kernel runner sets them) and their handlers. The
 * port range, the privileged ports, the fragment thresholds and ping_group_range have rules of their
 * own on top (see sysctlWrite).
 */
const GLOBAL_TABLE: readonly (readonly [string, string, Handler])[] = [
  ['net.core.rmem_max', '4194304', READ_ONLY],
  ['net.ipv4.fib_multipath_hash_fields', '7', uint(1, 4095)],
  ['net.ipv4.fib_multipath_hash_policy', '0', uint(0, 3)],
  ['net.ipv4.fib_multipath_hash_seed', '0', uint(0, UINT_MAX)],
  ['net.ipv4.fib_multipath_use_neigh', '0', uint(0, 1)],
  ['net.ipv4.fib_notify_on_flag_change', '0', uint(0, 2)],
  ['net.ipv4.fwmark_reflect', '0', uint(0, 255)],
  ['net.ipv4.icmp_echo_enable_probe', '0', uint(0, 1)],
  ['net.ipv4.icmp_echo_ignore_all', '0', uint(0, 1)],
  ['net.ipv4.icmp_echo_ignore_broadcasts', '1', uint(0, 1)],
  ['net.ipv4.icmp_errors_use_inbound_ifaddr', '0', uint(0, 1)],
  ['net.ipv4.icmp_ignore_bogus_error_responses', '1', uint(0, 1)],
  ['net.ipv4.icmp_msgs_burst', '50', intRange(0, INT_MAX)],
  ['net.ipv4.icmp_msgs_per_sec', '1000', intRange(0, INT_MAX)],
  ['net.ipv4.icmp_ratelimit', '1000', MS_JIFFIES],
  ['net.ipv4.icmp_ratemask', '6168', INT],
  // The kernel runner writes 0 in every namespace it makes (cli/lab/netns.ts setupNamespace); the
  // simulator's start so, and send no IGMP.
  ['net.ipv4.igmp_link_local_mcast_reports', '0', uint(0, 255)],
  ['net.ipv4.igmp_max_memberships', '20', INT],
  ['net.ipv4.igmp_max_msf', '10', INT],
  ['net.ipv4.igmp_qrv', '2', intRange(1, INT_MAX)],
  ['net.ipv4.ip_autobind_reuse', '0', uint(0, 1)],
  ['net.ipv4.ip_default_ttl', '64', uint(1, 255)],
  ['net.ipv4.ip_dynaddr', '0', uint(0, 255)],
  ['net.ipv4.ip_early_demux', '1', uint(0, 255)],
  ['net.ipv4.ip_forward', '0', INT],
  ['net.ipv4.ip_forward_update_priority', '1', uint(0, 1)],
  ['net.ipv4.ip_forward_use_pmtu', '0', uint(0, 255)],
  ['net.ipv4.ip_local_port_range', '32768\t60999', intRange(1, 65535)],
  ['net.ipv4.ip_local_reserved_ports', '', { kind: 'portBitmap' }],
  ['net.ipv4.ip_no_pmtu_disc', '0', uint(0, 255)],
  ['net.ipv4.ip_nonlocal_bind', '0', uint(0, 255)],
  ['net.ipv4.ip_unprivileged_port_start', '1024', intRange(0, 65535)],
  ['net.ipv4.ipfrag_high_thresh', '4194304', ULONG_ANY],
  ['net.ipv4.ipfrag_low_thresh', '3145728', ULONG_ANY],
  ['net.ipv4.ipfrag_max_dist', '64', intRange(0, INT_MAX)],
  ['net.ipv4.ipfrag_time', '30', JIFFIES],
  ['net.ipv4.nexthop_compat_mode', '1', uint(0, 1)],
  ['net.ipv4.ping_group_range', '1\t0', { kind: 'ulong', min: 0n, max: 4294967294n }],
  ['net.ipv4.raw_l3mdev_accept', '1', uint(0, 1)],
  ['net.ipv4.route.flush', '', { kind: 'flush' }],
  ['net.ipv4.route.min_adv_mss', '256', INT],
  ['net.ipv4.route.min_pmtu', '552', intRange(68, INT_MAX)],
  ['net.ipv4.route.mtu_expires', '600', JIFFIES],
  ['net.ipv4.tcp_abort_on_overflow', '0', uint(0, 255)],
  ['net.ipv4.tcp_adv_win_scale', '1', intRange(-31, 31)],
  ['net.ipv4.tcp_allowed_congestion_control', 'reno bbr', READ_ONLY],
  ['net.ipv4.tcp_app_win', '31', uint(0, 31)],
  ['net.ipv4.tcp_autocorking', '1', uint(0, 1)],
  ['net.ipv4.tcp_available_congestion_control', 'reno bbr cubic', READ_ONLY],
  ['net.ipv4.tcp_backlog_ack_defer', '1', uint(0, 1)],
  ['net.ipv4.tcp_base_mss', '1024', INT],
  ['net.ipv4.tcp_challenge_ack_limit', '2147483647', INT],
  ['net.ipv4.tcp_child_ehash_entries', '0', uint(0, 16777216)],
  ['net.ipv4.tcp_comp_sack_delay_ns', '1000000', ULONG_ANY],
  ['net.ipv4.tcp_comp_sack_nr', '44', uint(0, 255)],
  ['net.ipv4.tcp_comp_sack_slack_ns', '100000', ULONG_ANY],
  ['net.ipv4.tcp_congestion_control', 'bbr', { kind: 'congestion' }],
  ['net.ipv4.tcp_dsack', '1', uint(0, 255)],
  ['net.ipv4.tcp_early_demux', '1', uint(0, 255)],
  ['net.ipv4.tcp_early_retrans', '3', uint(0, 4)],
  ['net.ipv4.tcp_ecn', '2', uint(0, 2)],
  ['net.ipv4.tcp_ecn_fallback', '1', uint(0, 1)],
  ['net.ipv4.tcp_ecn_option', '2', uint(0, 2)],
  ['net.ipv4.tcp_ecn_option_beacon', '3', uint(0, 3)],
  ['net.ipv4.tcp_ehash_entries', '-262144', READ_ONLY],
  ['net.ipv4.tcp_fack', '0', uint(0, 255)],
  ['net.ipv4.tcp_fastopen', '1', INT],
  ['net.ipv4.tcp_fastopen_blackhole_timeout_sec', '0', intRange(0, INT_MAX)],
  ['net.ipv4.tcp_fastopen_key', '00000000-00000000-00000000-00000000', { kind: 'fastopenKey' }],
  ['net.ipv4.tcp_fin_timeout', '60', JIFFIES],
  ['net.ipv4.tcp_frto', '2', uint(0, 255)],
  ['net.ipv4.tcp_fwmark_accept', '0', uint(0, 255)],
  ['net.ipv4.tcp_invalid_ratelimit', '500', MS_JIFFIES],
  ['net.ipv4.tcp_keepalive_intvl', '75', JIFFIES],
  ['net.ipv4.tcp_keepalive_probes', '9', uint(0, 255)],
  ['net.ipv4.tcp_keepalive_time', '7200', JIFFIES],
  ['net.ipv4.tcp_l3mdev_accept', '0', uint(0, 1)],
  ['net.ipv4.tcp_limit_output_bytes', '4194304', INT],
  ['net.ipv4.tcp_max_reordering', '300', intRange(1, INT_MAX)],
  ['net.ipv4.tcp_max_syn_backlog', '2048', INT],
  ['net.ipv4.tcp_max_tw_buckets', '131072', INT],
  ['net.ipv4.tcp_migrate_req', '0', uint(0, 1)],
  ['net.ipv4.tcp_min_rtt_wlen', '300', intRange(0, 86400)],
  ['net.ipv4.tcp_min_snd_mss', '48', intRange(48, 65535)],
  ['net.ipv4.tcp_min_tso_segs', '2', uint(1, 255)],
  ['net.ipv4.tcp_moderate_rcvbuf', '1', uint(0, 255)],
  ['net.ipv4.tcp_mtu_probe_floor', '48', intRange(48, 65535)],
  ['net.ipv4.tcp_mtu_probing', '0', uint(0, 255)],
  ['net.ipv4.tcp_no_metrics_save', '0', uint(0, 255)],
  ['net.ipv4.tcp_no_ssthresh_metrics_save', '1', uint(0, 1)],
  ['net.ipv4.tcp_notsent_lowat', '4294967295', uint(0, UINT_MAX)],
  ['net.ipv4.tcp_orphan_retries', '0', uint(0, 255)],
  ['net.ipv4.tcp_pacing_ca_ratio', '120', intRange(0, 1000)],
  ['net.ipv4.tcp_pacing_ss_ratio', '200', intRange(0, 1000)],
  ['net.ipv4.tcp_pingpong_thresh', '1', uint(1, 255)],
  ['net.ipv4.tcp_plb_cong_thresh', '128', intRange(0, 256)],
  ['net.ipv4.tcp_plb_enabled', '0', uint(0, 1)],
  ['net.ipv4.tcp_plb_idle_rehash_rounds', '3', uint(0, 31)],
  ['net.ipv4.tcp_plb_rehash_rounds', '12', uint(0, 31)],
  ['net.ipv4.tcp_plb_suspend_rto_sec', '60', uint(0, 255)],
  ['net.ipv4.tcp_probe_interval', '600', uint(0, Math.floor(UINT_MAX / HZ))],
  ['net.ipv4.tcp_probe_threshold', '8', INT],
  ['net.ipv4.tcp_recovery', '1', uint(0, 255)],
  ['net.ipv4.tcp_reflect_tos', '0', uint(0, 1)],
  ['net.ipv4.tcp_reordering', '3', intRange(1, 300)],
  ['net.ipv4.tcp_retrans_collapse', '1', uint(0, 255)],
  ['net.ipv4.tcp_retries1', '3', uint(0, 255)],
  ['net.ipv4.tcp_retries2', '15', uint(0, 255)],
  ['net.ipv4.tcp_rfc1337', '0', uint(0, 255)],
  ['net.ipv4.tcp_rmem', '4096\t131072\t33554432', intRange(1, INT_MAX)],
  ['net.ipv4.tcp_rto_max_ms', '120000', intRange(1000, 120000)],
  ['net.ipv4.tcp_rto_min_us', '200000', intRange(1, INT_MAX)],
  ['net.ipv4.tcp_sack', '1', uint(0, 255)],
  ['net.ipv4.tcp_shrink_window', '0', uint(0, 1)],
  ['net.ipv4.tcp_slow_start_after_idle', '1', uint(0, 255)],
  ['net.ipv4.tcp_stdurg', '0', uint(0, 255)],
  ['net.ipv4.tcp_syn_linear_timeouts', '4', uint(0, 127)],
  ['net.ipv4.tcp_syn_retries', '6', uint(1, 127)],
  ['net.ipv4.tcp_synack_retries', '5', uint(0, 255)],
  ['net.ipv4.tcp_syncookies', '1', uint(0, 255)],
  ['net.ipv4.tcp_thin_linear_timeouts', '0', uint(0, 255)],
  ['net.ipv4.tcp_timestamps', '1', uint(0, 255)],
  ['net.ipv4.tcp_tso_rtt_log', '9', uint(0, 255)],
  ['net.ipv4.tcp_tso_win_divisor', '3', uint(0, 255)],
  ['net.ipv4.tcp_tw_reuse', '2', uint(0, 2)],
  ['net.ipv4.tcp_tw_reuse_delay', '1000', uint(1, 60000)],
  ['net.ipv4.tcp_window_scaling', '1', uint(0, 255)],
  ['net.ipv4.tcp_wmem', '4096\t16384\t4194304', intRange(1, INT_MAX)],
  ['net.ipv4.tcp_workaround_signed_windows', '0', uint(0, 255)],
  ['net.ipv4.udp_child_hash_entries', '0', uint(0, 65536)],
  ['net.ipv4.udp_early_demux', '1', uint(0, 255)],
  ['net.ipv4.udp_hash_entries', '-16384', READ_ONLY],
  ['net.ipv4.udp_l3mdev_accept', '0', uint(0, 1)],
  ['net.ipv4.udp_rmem_min', '4096', intRange(1, INT_MAX)],
  ['net.ipv4.udp_wmem_min', '4096', intRange(1, INT_MAX)],
  ['net.ipv4.xfrm4_gc_thresh', '32768', INT],
];

/** ConfParam names a net.ipv4.conf.DEV.* parameter. */
export type ConfParam = (typeof CONF_TABLE)[number][0];

/** NeighParam names a net.ipv4.neigh.DEV.* parameter, stored or shown through another. */
export type NeighParam = (typeof NEIGH_TABLE)[number][0] | 'unres_qlen' | 'base_reachable_time' | 'retrans_time';

/** CONF_DEFAULTS are net.ipv4.conf.{default,DEV}.* as a new namespace has them (confDefault has `all` and lo). */
export const CONF_DEFAULTS: ReadonlyMap<string, string> = new Map(CONF_TABLE);

/** NEIGH_DEFAULTS are the stored net.ipv4.neigh.DEV.* as a new device has them. */
export const NEIGH_DEFAULTS: ReadonlyMap<string, string> = new Map(NEIGH_TABLE.map(([p, d]) => [p, d]));

/**
 * IPV6_CONF_DEFAULTS are net.ipv6.conf.{all,default,DEV}.* as a lab's namespace has them: the kernel
 * runner turns IPv6 off in every namespace it makes (disable_ipv6=1 for all and default, so every
 * device too), and the simulator's namespaces start the same way. src/kernel/ipv6.ts follows writes.
 */
export const IPV6_CONF_DEFAULTS: ReadonlyMap<string, string> = new Map([['disable_ipv6', '1']]);

/** GLOBAL_DEFAULTS are the namespace-wide keys and their defaults. */
export const GLOBAL_DEFAULTS: ReadonlyMap<string, string> = new Map(GLOBAL_TABLE.map(([k, d]) => [k, d]));

const GLOBAL_HANDLERS: ReadonlyMap<string, Handler> = new Map(GLOBAL_TABLE.map(([k, , h]) => [k, h]));
const NEIGH_HANDLERS: ReadonlyMap<string, Handler> = new Map(NEIGH_TABLE.map(([p, , h]) => [p, h]));

/** NEIGH_PARAMS are every file of a net.ipv4.neigh.DEV directory, with its default as it reads. */
const NEIGH_PARAMS: ReadonlyMap<string, string> = new Map([
  ...NEIGH_DEFAULTS,
  ...[...NEIGH_ALIASES].map(([p, a]) => [p, a.read(NEIGH_DEFAULTS.get(a.of)!)] as const),
]);

const CONF = 'net.ipv4.conf.';
const NEIGH = 'net.ipv4.neigh.';
const CONF6 = 'net.ipv6.conf.';

/** INET_MIN_MTU is the smallest MTU a device keeps its IPv4 state with (inetdev_valid_mtu: 68). */
export const INET_MIN_MTU = 68;

/** IN6_MIN_MTU is IPV6_MIN_MTU: below it a device other than lo loses its inet6_dev. */
const IN6_MIN_MTU = 1280;

/** inetDevValid says whether a device has an in_device (IPv4 addresses and conf keys): its MTU is at least 68. */
export function inetDevValid(l: Link): boolean {
  return l.mtu >= INET_MIN_MTU;
}

/** inet6DevValid says whether a device keeps an inet6_dev's conf keys: lo always, others from an MTU of 1280. */
function inet6DevValid(l: Link): boolean {
  return l.kind === 'loopback' || l.mtu >= IN6_MIN_MTU;
}

/** SysctlKey is a parsed key: a namespace-wide one, or a per-device one with its device and parameter. */
export type SysctlKey =
  | { readonly kind: 'global'; readonly key: string; readonly def: string }
  | { readonly kind: 'conf' | 'neigh' | 'conf6'; readonly key: string; readonly dev: string; readonly param: string; readonly def: string };

/** sysctlKey turns `net/ipv4/conf/eth0/proxy_arp`, `/proc/sys/...` or the dotted form into the dotted key. */
export function sysctlKey(key: string): string {
  return key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** linkOf is the device of `ns` named `dev`. */
function linkOf(ns: Netns, dev: string): Link | undefined {
  const i = ns.linkNames.get(dev);
  return i === undefined ? undefined : ns.links.get(i);
}

/**
 * confDefault is what net.ipv4.conf.DEV.PARAM holds before anything is written: `all` does not accept
 * source routes (ipv4_devconf has no ACCEPT_SOURCE_ROUTE, ipv4_devconf_dflt has), and lo has
 * disable_xfrm and disable_policy set (inetdev_init for a loopback device).
 */
function confDefault(ns: Netns, dev: string, param: string): string | undefined {
  const def = CONF_DEFAULTS.get(param);
  return def === undefined ? undefined : confDefaultOf(dev, linkOf(ns, dev)?.kind === 'loopback', param, def);
}

/** confDefaultOf is confDefault for a device known to be lo or not. */
function confDefaultOf(dev: string, loopback: boolean, param: string, def: string): string {
  if (dev === 'all' && param === 'accept_source_route') return '0';
  if (loopback && (param === 'disable_xfrm' || param === 'disable_policy')) return '1';
  return def;
}

/** deviceKey parses DEV.PARAM of a per-device key (the device may hold dots) for `kind`, or null. */
function deviceKey(ns: Netns, kind: 'conf' | 'neigh' | 'conf6', key: string, dev: string, param: string): SysctlKey | null {
  if (dev === '') return null;
  if (kind === 'neigh' || (dev !== 'all' && dev !== 'default')) {
    const l = linkOf(ns, dev);
    if (l === undefined || !(kind === 'conf6' ? inet6DevValid(l) : inetDevValid(l))) return null;
  }
  const def = kind === 'conf' ? confDefault(ns, dev, param) : (kind === 'neigh' ? NEIGH_PARAMS : IPV6_CONF_DEFAULTS).get(param);
  return def === undefined ? null : { kind, key, dev, param, def };
}

/** parseSysctlKey finds what a dotted key names in `ns`, or null when the kernel has no such file. */
export function parseSysctlKey(ns: Netns, key: string): SysctlKey | null {
  const g = GLOBAL_DEFAULTS.get(key);
  if (g !== undefined) return { kind: 'global', key, def: g };
  for (const [prefix, kind] of [
    [CONF, 'conf'],
    [NEIGH, 'neigh'],
    [CONF6, 'conf6'],
  ] as const) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.lastIndexOf('.');
    if (dot <= 0) return null;
    return deviceKey(ns, kind, key, rest.slice(0, dot), rest.slice(dot + 1));
  }
  return null;
}

/**
 * parseSysctlPath finds the file a path under /proc/sys names (`net/ipv4/conf/eth0.1/forwarding`:
 * components between slashes, empty ones skipped as the kernel's path walk does), or null.
 */
export function parseSysctlPath(ns: Netns, path: string): SysctlKey | null {
  const c = path.split('/').filter((s) => s !== '');
  if (c.some((s) => s === '.' || s === '..')) return null;
  if (c.length === 5 && c[0] === 'net' && (c[2] === 'conf' || c[2] === 'neigh')) {
    const kind = c[1] === 'ipv4' ? (c[2] === 'conf' ? 'conf' : 'neigh') : c[1] === 'ipv6' && c[2] === 'conf' ? 'conf6' : null;
    if (kind === null) return null;
    return deviceKey(ns, kind, `net.${c[1]}.${c[2]}.${c[3]}.${c[4]}`, c[3], c[4]);
  }
  if (c.length < 3 || c.length > 4) return null;
  const key = c.join('.');
  const g = GLOBAL_DEFAULTS.get(key);
  return g === undefined ? null : { kind: 'global', key, def: g };
}

/** SysctlMode is what a file allows: reading and writing, reading only (0444) or writing only (0200). */
export type SysctlMode = 'rw' | 'ro' | 'wo';

/** sysctlMode is the mode of a parsed key's file. */
export function sysctlMode(k: SysctlKey): SysctlMode {
  if (k.kind === 'conf') return k.param === 'mc_forwarding' ? 'ro' : 'rw';
  if (k.kind !== 'global') return 'rw';
  const h = GLOBAL_HANDLERS.get(k.key);
  return h?.kind === 'readOnly' ? 'ro' : h?.kind === 'flush' ? 'wo' : 'rw';
}

/** SysctlEntry is one file of /proc/sys as `sysctl -a` walks them: its path, key, mode and deprecation. */
export interface SysctlEntry {
  /** path is the file's path under /proc/sys, with slashes (a device's dots kept). */
  readonly path: string;
  readonly key: SysctlKey;
  readonly mode: SysctlMode;
  /** deprecated is procps's list (base_reachable_time, retrans_time): `sysctl -a` skips them. */
  readonly deprecated: boolean;
}

/** comparePaths orders paths as readdir of /proc/sys lists each directory: by name, bytewise (proc_sysctl.c namecmp). */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/**
 * sysctlEntries lists the files of a namespace's /proc/sys/net that the simulator has, in the order
 * procps's DisplayAll walks them (every directory sorted by name: `all`, `default` and the devices
 * among each other). A directory has every parameter of its table; a device has its conf and neigh
 * directories while it has an in_device, its IPv6 one while it has an inet6_dev.
 */
export function sysctlEntries(ns: Netns): SysctlEntry[] {
  const out: { c: string[]; e: SysctlEntry }[] = [];
  const add = (c: string[], k: SysctlKey | null, deprecated = false): void => {
    if (k !== null) out.push({ c, e: { path: c.join('/'), key: k, mode: sysctlMode(k), deprecated } });
  };
  for (const key of GLOBAL_DEFAULTS.keys()) add(key.split('.'), parseSysctlKey(ns, key));
  const inet = ['all', 'default'];
  const inet6 = ['all', 'default'];
  const neigh: string[] = [];
  for (const l of ns.links.values()) {
    if (inetDevValid(l)) {
      inet.push(l.name);
      neigh.push(l.name);
    }
    if (inet6DevValid(l)) inet6.push(l.name);
  }
  for (const dev of inet)
    for (const p of CONF_DEFAULTS.keys()) add(['net', 'ipv4', 'conf', dev, p], deviceKey(ns, 'conf', `${CONF}${dev}.${p}`, dev, p));
  for (const dev of neigh)
    for (const p of NEIGH_PARAMS.keys())
      add(['net', 'ipv4', 'neigh', dev, p], deviceKey(ns, 'neigh', `${NEIGH}${dev}.${p}`, dev, p), NEIGH_ALIASES.get(p)?.deprecated);
  for (const dev of inet6)
    for (const p of IPV6_CONF_DEFAULTS.keys()) add(['net', 'ipv6', 'conf', dev, p], deviceKey(ns, 'conf6', `${CONF6}${dev}.${p}`, dev, p));
  return out.sort((x, y) => comparePaths(x.c, y.c)).map((x) => x.e);
}

/** sysctlIsDir says whether a path under /proc/sys is a directory the simulator has (`net/ipv4/conf/eth0`). */
export function sysctlIsDir(ns: Netns, path: string): boolean {
  const c = path.split('/').filter((s) => s !== '');
  if (c.length === 0) return true;
  return sysctlEntries(ns).some((e) => {
    const ec = e.path.split('/');
    return ec.length > c.length && c.every((s, i) => ec[i] === s);
  });
}

/**
 * COPIED_ONCE are the conf parameters a device copies from `default` only when it is made: those whose
 * handlers never copy `default` to the devices (not devinet_conf_proc), and rp_filter, which the kernel
 * runner writes in `default` of every namespace it makes (as systemd does on a real node), so every
 * device starts with its bit set.
 */
const COPIED_ONCE: ReadonlySet<string> = new Set([
  'rp_filter',
  'forwarding',
  'disable_xfrm',
  'disable_policy',
  'promote_secondaries',
  'route_localnet',
  'drop_unicast_in_l2_multicast',
]);

/** follows says whether an unwritten net.ipv4.conf.DEV.PARAM reads `default`'s current value (devinet_copy_dflt_conf). */
function follows(ns: Netns, dev: string, param: string): boolean {
  if (dev === 'all' || dev === 'default' || COPIED_ONCE.has(param)) return false;
  const i = ns.linkNames.get(dev);
  return i !== undefined && ns.links.get(i)?.kind !== 'loopback';
}

/** keyValue is what a key reads: stored, or `default`'s for a conf key that follows it, or the kernel's. */
function keyValue(ns: Netns, k: SysctlKey): string {
  if (k.kind === 'neigh') {
    const a = NEIGH_ALIASES.get(k.param);
    if (a !== undefined) return a.read(ns.sysctl.get(`${NEIGH}${k.dev}.${a.of}`) ?? NEIGH_DEFAULTS.get(a.of)!);
  }
  const v = ns.sysctl.get(k.key);
  if (v !== undefined) return v;
  if (k.kind === 'conf' && follows(ns, k.dev, k.param)) return ns.sysctl.get(`${CONF}default.${k.param}`) ?? k.def;
  return k.def;
}

/** sysctlRead returns the value of a key (stored, or its default), or null when there is no such file. */
export function sysctlRead(ns: Netns, key: string): string | null {
  const k = parseSysctlKey(ns, key);
  return k === null ? null : keyValue(ns, k);
}

/** sysctlValue returns what a parsed key's file reads (null for a file that cannot be read). */
export function sysctlValue(ns: Netns, k: SysctlKey): string | null {
  return sysctlMode(k) === 'wo' ? null : keyValue(ns, k);
}

/** keepsBit says whether a written key must stay stored, whatever its value: a conf key `default` is copied to. */
function keepsBit(k: SysctlKey): boolean {
  return k.kind === 'conf' && !COPIED_ONCE.has(k.param);
}

/**
 * sysctlStore writes a value. A conf key that follows `default` is always stored (a write sets its
 * bit); any other key is kept only while it differs from its default.
 */
export function sysctlStore(ns: Netns, k: SysctlKey, value: string): void {
  changed(ns);
  if (value === k.def && !keepsBit(k)) ns.sysctl.delete(k.key);
  else ns.sysctl.set(k.key, value);
}

// ---------------------------------------------------------------------------------------------
// Reads as numbers, cached per table

/** ConfValues are one device's (or `all`'s) net.ipv4.conf.* as numbers. */
export type ConfValues = { readonly [P in ConfParam]: number };

/** NeighValues are one device's net.ipv4.neigh.* as numbers. */
export type NeighValues = { readonly [P in NeighParam]: number };

/** SysctlCache is what the readers below parsed out of one sysctl table. */
interface SysctlCache {
  readonly conf: Map<string, ConfValues>;
  readonly neigh: Map<string, NeighValues>;
  readonly conf6: Map<string, ReadonlyMap<string, number>>;
  readonly global: Map<string, number>;
  tcpRmem: readonly [number, number, number] | null;
}

const caches = new WeakMap<ReadonlyMap<string, string>, SysctlCache>();

function cacheOf(ns: Netns): SysctlCache {
  const table = ns.sysctl;
  let c = caches.get(table);
  if (c === undefined) {
    c = { conf: new Map(), neigh: new Map(), conf6: new Map(), global: new Map(), tcpRmem: null };
    caches.set(table, c);
  }
  return c;
}

/** changed forgets what was parsed out of a namespace's table; every write calls it first. */
function changed(ns: Netns): void {
  caches.delete(ns.sysctl);
}

/** confRaw reads net.ipv4.conf.DEV.PARAM as stored or followed, without checking that the device exists. */
function confRaw(ns: Netns, dev: string, param: string, def: string): string {
  const v = ns.sysctl.get(`${CONF}${dev}.${param}`);
  if (v !== undefined) return v;
  return follows(ns, dev, param) ? (ns.sysctl.get(`${CONF}default.${param}`) ?? def) : def;
}

/** confOf returns net.ipv4.conf.DEV.* (DEV may be `all` or `default`) as numbers. */
export function confOf(ns: Netns, dev: string): ConfValues {
  const c = cacheOf(ns);
  let v = c.conf.get(dev);
  if (v === undefined) {
    const o: Record<string, number> = {};
    const loopback = linkOf(ns, dev)?.kind === 'loopback';
    for (const [param, def] of CONF_TABLE) o[param] = Number(confRaw(ns, dev, param, confDefaultOf(dev, loopback, param, def)));
    v = o as ConfValues;
    c.conf.set(dev, v);
  }
  return v;
}

/** neighOf returns net.ipv4.neigh.DEV.* as numbers. */
export function neighOf(ns: Netns, dev: string): NeighValues {
  const c = cacheOf(ns);
  let v = c.neigh.get(dev);
  if (v === undefined) {
    const o: Record<string, number> = {};
    for (const [param, def] of NEIGH_TABLE) o[param] = Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? def);
    for (const [param, a] of NEIGH_ALIASES) o[param] = Number(a.read(String(o[a.of])));
    v = o as NeighValues;
    c.neigh.set(dev, v);
  }
  return v;
}

/** globalNum reads a namespace-wide scalar key as a number. */
export function globalNum(ns: Netns, key: string): number {
  const c = cacheOf(ns);
  let v = c.global.get(key);
  if (v === undefined) {
    v = Number(globalGet(ns, key));
    c.global.set(key, v);
  }
  return v;
}

/** tcpRmem is net.ipv4.tcp_rmem: the minimum, default and maximum receive buffer of a TCP socket. */
export function tcpRmem(ns: Netns): readonly [number, number, number] {
  const c = cacheOf(ns);
  if (c.tcpRmem === null) {
    const v = globalGet(ns, 'net.ipv4.tcp_rmem').split('\t').map(Number);
    c.tcpRmem = [v[0], v[1], v[2]];
  }
  return c.tcpRmem;
}

/** confGet reads net.ipv4.conf.DEV.KEY as a number. */
export function confGet(ns: Netns, dev: string, param: string): number {
  const v = CONF_DEFAULTS.has(param) ? (confOf(ns, dev) as Readonly<Record<string, number>>)[param] : undefined;
  return v !== undefined ? v : Number(ns.sysctl.get(`${CONF}${dev}.${param}`) ?? '0');
}

/** conf6Get reads net.ipv6.conf.DEV.KEY as a number. */
export function conf6Get(ns: Netns, dev: string, param: string): number {
  const c = cacheOf(ns).conf6;
  let v = c.get(dev);
  if (v === undefined) {
    const m = new Map<string, number>();
    for (const [p, def] of IPV6_CONF_DEFAULTS) m.set(p, Number(ns.sysctl.get(`${CONF6}${dev}.${p}`) ?? def));
    c.set(dev, m);
    v = m;
  }
  return v.get(param) ?? Number(ns.sysctl.get(`${CONF6}${dev}.${param}`) ?? '0');
}

/** neighParm reads net.ipv4.neigh.DEV.KEY as a number. */
export function neighParm(ns: Netns, dev: string, param: string): number {
  const v = NEIGH_PARAMS.has(param) ? (neighOf(ns, dev) as Readonly<Record<string, number>>)[param] : undefined;
  return v !== undefined ? v : Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? '0');
}

/** globalGet reads a namespace-wide key. */
export function globalGet(ns: Netns, key: string): string {
  return ns.sysctl.get(key) ?? GLOBAL_DEFAULTS.get(key) ?? '0';
}

// ---------------------------------------------------------------------------------------------
// A device's entries

/**
 * inetSysctlInit gives a device its net.ipv4.conf.DEV.* when it gets an in_device (inetdev_init): a
 * copy of every `default` value that was written, bit included; net.ipv4.neigh.DEV.* start at the
 * kernel's values.
 */
export function inetSysctlInit(ns: Netns, name: string): void {
  // A namespace that stores nothing has no `default` entry to copy.
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const param of CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF}${name}.${param}`, v);
  }
}

/** inet6SysctlInit gives a device its net.ipv6.conf.DEV.* when it gets an inet6_dev: copies of `default`'s. */
export function inet6SysctlInit(ns: Netns, name: string): void {
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const param of IPV6_CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF6}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF6}${name}.${param}`, v);
  }
}

/** devSysctlInit gives a new device its IPv4 and IPv6 entries (devinet_init_net, addrconf's ipv6_add_dev). */
export function devSysctlInit(ns: Netns, name: string): void {
  inetSysctlInit(ns, name);
  inet6SysctlInit(ns, name);
}

/** SysctlFamily selects a device's IPv4 entries (conf and neigh), its IPv6 ones, or both. */
export type SysctlFamily = 'inet' | 'inet6' | 'both';

/** devSysctlMove renames a device's entries, or drops them when `to` is null (the device left or died). */
export function devSysctlMove(ns: Netns, oldName: string, newName: string | null, family: SysctlFamily = 'both'): void {
  if (ns.sysctl.size === 0) return;
  changed(ns);
  const tables: (readonly [string, ReadonlyMap<string, string>])[] = [];
  if (family !== 'inet6') tables.push([CONF, CONF_DEFAULTS], [NEIGH, NEIGH_DEFAULTS]);
  if (family !== 'inet') tables.push([CONF6, IPV6_CONF_DEFAULTS]);
  for (const [prefix, table] of tables) {
    for (const param of table.keys()) {
      const key = `${prefix}${oldName}.${param}`;
      const v = ns.sysctl.get(key);
      if (v === undefined) continue;
      ns.sysctl.delete(key);
      if (newName !== null) ns.sysctl.set(`${prefix}${newName}.${param}`, v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writes: kernel/sysctl.c's parsing and conversions

/** TMPBUFLEN is proc_get_long's buffer: a number of 21 characters or more is refused. */
const TMPBUFLEN = 22;
const ULONG_MAX = (1n << 64n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** digit is the value of a digit of any base up to 16, or -1 (_parse_integer). */
function digit(c: string | undefined): number {
  if (c === undefined) return -1;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  const l = c.toLowerCase();
  return l >= 'a' && l <= 'f' ? l.charCodeAt(0) - 87 : -1;
}

/** skipSpaces is proc_skip_spaces. */
function skipSpaces(s: string, p: number): number {
  while (p < s.length && isSpace(s[p])) p++;
  return p;
}

/** ProcLong is what proc_get_long read: a sign, a magnitude up to ULONG_MAX and where it stopped. */
interface ProcLong {
  readonly neg: boolean;
  readonly val: bigint;
  readonly end: number;
}

/**
 * procGetLong is proc_get_long: an optional '-', an unsigned number as strtoul reads it with base 0
 * (decimal, 0x hex, 0 octal) that fits an unsigned long, at most 20 characters in all, followed by
 * a space, a tab, a newline or the end. It returns null for EINVAL.
 */
function procGetLong(s: string, p: number): ProcLong | null {
  const size = s.length - p;
  if (size <= 0) return null;
  const tmp = s.slice(p, p + Math.min(size, TMPBUFLEN - 1));
  let i = 0;
  let neg = false;
  if (tmp[0] === '-' && size > 1) {
    neg = true;
    i = 1;
  }
  const d0 = digit(tmp[i]);
  if (d0 < 0 || d0 > 9) return null;
  let base = 10;
  if (tmp[i] === '0') {
    if ((tmp[i + 1] === 'x' || tmp[i + 1] === 'X') && digit(tmp[i + 2]) >= 0) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let val = 0n;
  for (; i < tmp.length; i++) {
    const d = digit(tmp[i]);
    if (d < 0 || d >= base) break;
    val = val * BigInt(base) + BigInt(d);
  }
  if (val > ULONG_MAX) return null;
  if (i === TMPBUFLEN - 1) return null;
  if (i < size && tmp[i] !== ' ' && tmp[i] !== '\t' && tmp[i] !== '\n') return null;
  return { neg, val, end: p + i };
}

/** intConv is do_proc_dointvec_minmax_conv: an int within min..max, or null. */
function intConv(h: { readonly min: number; readonly max: number }, neg: boolean, val: bigint): string | null {
  if (val > (neg ? 2147483648n : 2147483647n)) return null;
  const v = neg ? -val : val;
  if (v < BigInt(h.min) || v > BigInt(h.max)) return null;
  return String(v);
}

/** jiffiesConv is do_proc_dointvec_jiffies_conv: seconds up to INT_MAX / HZ either way, read back as written. */
function jiffiesConv(neg: boolean, val: bigint): string | null {
  if (val > BigInt(Math.floor(INT_MAX / HZ))) return null;
  return String(neg ? -val : val);
}

/**
 * msJiffiesConv is do_proc_dointvec_ms_jiffies_conv: msecs_to_jiffies of the value as a 32-bit unsigned
 * number (a negative one wraps; from 2^31 up it is refused), rounded up to whole ticks, read back as
 * milliseconds. The _minmax form also refuses fewer than `min` (in ticks: 1 ms is one).
 */
function msJiffiesConv(min: number, neg: boolean, val: bigint): string | null {
  if (min > 0 && (neg || val < BigInt(min))) return null;
  const m = BigInt.asUintN(32, neg ? -val : val);
  if (m >= 1n << 31n) return null;
  const per = BigInt(MS_PER_JIFFY);
  const jif = (m + per - 1n) / per;
  return String(jif * per);
}

/**
 * userhzToJiffies is clock_t_to_jiffies of a written value (a negative one saturates to ~0), cut to
 * the int the kernel keeps, or null when it is refused.
 */
function userhzToJiffies(neg: boolean, val: bigint): bigint | null {
  if (val > (LONG_MAX / BigInt(HZ)) * BigInt(USER_HZ)) return null;
  const x = neg ? BigInt.asUintN(64, -val) : val;
  const jif = x >= (ULONG_MAX / BigInt(HZ)) * BigInt(USER_HZ) ? ULONG_MAX : BigInt.asUintN(64, x * BigInt(HZ)) / BigInt(USER_HZ);
  return BigInt.asIntN(32, jif);
}

/**
 * userhzJiffiesConv is do_proc_dointvec_userhz_jiffies_conv: the jiffies of userhzToJiffies read back
 * through jiffies_to_clock_t with the sign printed apart (so -1 jiffy reads "-0").
 */
function userhzJiffiesConv(neg: boolean, val: bigint): string | null {
  const stored = userhzToJiffies(neg, val);
  if (stored === null) return null;
  const mag = stored < 0n ? -stored : stored;
  const clock = (mag * BigInt(TICK_NSEC)) / BigInt(1_000_000_000 / USER_HZ);
  return `${stored < 0n ? '-' : ''}${clock}`;
}

/** ulongConv is __do_proc_doulongvec_minmax's check of one element: no sign, within min..max. */
function ulongConv(min: bigint, max: bigint, neg: boolean, val: bigint): string | null {
  return neg || val < min || val > max ? null : String(val);
}

/** convOf returns the element conversion of a vector handler. */
function convOf(h: Handler): (neg: boolean, val: bigint) => string | null {
  switch (h.kind) {
    case 'jiffies':
      return jiffiesConv;
    case 'msJiffies':
      return (neg, val) => msJiffiesConv(h.min, neg, val);
    case 'userhzJiffies':
      return userhzJiffiesConv;
    case 'ulong':
      return (neg, val) => ulongConv(h.min, h.max, neg, val);
    case 'int':
      return (neg, val) => intConv(h, neg, val);
    default:
      return () => null;
  }
}

/** ProcWrite is what a handler made of a write: the values now held and whether the write succeeded. */
interface ProcWrite {
  readonly values: readonly string[];
  readonly ok: boolean;
}

/**
 * procWrite runs a handler's write over the current values. A vector (__do_proc_dointvec,
 * __do_proc_doulongvec_minmax) takes the elements given, in order, and ignores any beyond its length;
 * an element that does not parse or convert stops the write there, keeping the elements before it,
 * and fails it; nothing at all fails it. A uint key (do_proc_douintvec_w) takes one unsigned value and
 * ignores the rest.
 */
function procWrite(
  h: Handler,
  current: readonly string[],
  s: string,
  conv: (neg: boolean, val: bigint) => string | null = convOf(h),
): ProcWrite {
  if (h.kind === 'uint') {
    const p = skipSpaces(s, 0);
    const r = p < s.length ? procGetLong(s, p) : null;
    if (r === null || r.neg || r.val < BigInt(h.min) || r.val > BigInt(h.max)) return { values: current, ok: false };
    return { values: [String(r.val)], ok: true };
  }
  const out = current.slice();
  let p = 0;
  let first = true;
  for (let i = 0; i < out.length && p < s.length; i++, first = false) {
    p = skipSpaces(s, p);
    if (p >= s.length) break;
    const r = procGetLong(s, p);
    const v = r === null ? null : conv(r.neg, r.val);
    if (r === null || v === null) return { values: out, ok: false };
    out[i] = v;
    p = r.end;
  }
  return { values: out, ok: !first };
}

/** CONGESTION_AVAILABLE and CONGESTION_ALLOWED are the reference machine's algorithms (tcp_cong.c). */
const CONGESTION_AVAILABLE = ['reno', 'bbr', 'cubic'];
const CONGESTION_ALLOWED = ['reno', 'bbr'];

/**
 * stringWrite is proc_dostring: the value up to the first newline (at most maxlen - 1 bytes).
 */
function stringWrite(s: string, maxlen: number): string {
  const nl = s.indexOf('\n');
  return (nl < 0 ? s : s.slice(0, nl)).slice(0, maxlen - 1);
}

/**
 * congestionWrite is proc_tcp_congestion_control in a namespace other than the initial one
 * (tcp_set_default_congestion_control): an allowed algorithm, ENOENT for an unknown one and EPERM for
 * one that is built but not allowed.
 */
function congestionWrite(s: string): { readonly value: string } | { readonly errno: string } {
  const name = stringWrite(s, 16);
  if (CONGESTION_ALLOWED.includes(name)) return { value: name };
  return { errno: CONGESTION_AVAILABLE.includes(name) ? 'Operation not permitted' : 'No such file or directory' };
}

/**
 * fastopenKeyWrite is proc_tcp_fastopen_key: one key, or a primary and a backup with `,` between them,
 * each four hex words of up to 32 bits with `-` between them (sscanf "%x-%x-%x-%x"), read back as
 * eight hex digits each.
 */
function fastopenKeyWrite(s: string): string | null {
  const keys = stringWrite(s, 2 * 4 * 9 + 1).split(',');
  if (keys.length > 2) return null;
  const out: string[] = [];
  for (const k of keys) {
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)-(?:0[xX])?([0-9a-fA-F]+)-(?:0[xX])?([0-9a-fA-F]+)-(?:0[xX])?([0-9a-fA-F]+)/.exec(k);
    if (m === null) return null;
    out.push(
      m
        .slice(1)
        .map((w) => (BigInt(`0x${w}`) & 0xffffffffn).toString(16).padStart(8, '0'))
        .join('-'),
    );
  }
  return out.join(',');
}

/**
 * portBitmapWrite is proc_do_large_bitmap over 65536 bits: numbers and low-high ranges with `,`
 * between them, each below 65536 and a range's low end not above its high end; the whole list replaces
 * the old one. It reads back sorted, runs of ports as ranges.
 */
function portBitmapWrite(s: string): string | null {
  const text = s.replace(/\s+$/, '');
  const set = new Set<number>();
  if (text !== '') {
    for (const part of text.split(',')) {
      const m = /^\s*(\d+)(?:-(\d+))?$/.exec(part);
      if (m === null) return null;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (hi >= 65536 || lo > hi) return null;
      for (let p = lo; p <= hi; p++) set.add(p);
    }
  }
  const ports = [...set].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j] + 1) j++;
    runs.push(i === j ? String(ports[i]) : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}

const PORT_RANGE = 'net.ipv4.ip_local_port_range';
const PRIVILEGED_PORTS = 'net.ipv4.ip_unprivileged_port_start';
const FRAG_HIGH = 'net.ipv4.ipfrag_high_thresh';
const FRAG_LOW = 'net.ipv4.ipfrag_low_thresh';
const PING_GROUPS = 'net.ipv4.ping_group_range';

/** handlerOf is a parsed key's handler: every conf key is an int, neighbour and global keys have their own. */
function handlerOf(ns: Netns, k: SysctlKey): Handler {
  if (k.kind === 'global') {
    // The fragment thresholds bound each other (ipv4_frags_ctl_table: extra1/extra2 point at the other).
    if (k.key === FRAG_HIGH) return { kind: 'ulong', min: BigInt(globalGet(ns, FRAG_LOW)), max: ULONG_MAX };
    if (k.key === FRAG_LOW) return { kind: 'ulong', min: 0n, max: BigInt(globalGet(ns, FRAG_HIGH)) };
    return GLOBAL_HANDLERS.get(k.key) ?? INT;
  }
  if (k.kind === 'neigh') return NEIGH_HANDLERS.get(k.param) ?? INT;
  return INT;
}

/**
 * sysctlWrite writes a key as sysctl(8) -w does and returns sysctl's error line, or null. The key is
 * dotted (a device's dots taken as its own) or a path with slashes.
 */
export function sysctlWrite(ns: Netns, rawKey: string, value: string): string | null {
  const key = sysctlKey(rawKey);
  const k = parseSysctlKey(ns, key);
  if (k === null) return `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`;
  const e = writeKey(ns, k, value);
  return e === null ? null : `sysctl: setting key "${key}": ${e}`;
}

/**
 * writeKey writes a parsed key and returns the error (strerror) of the write, or null. A conf key keeps
 * what the write left, even when it failed (devinet_conf_proc sets the bit regardless). The port range
 * is written whole or not at all, and only with its low end at most its high end and not below
 * ip_unprivileged_port_start (ipv4_local_port_range), which in turn may not go above the range's low end
 * (ipv4_privileged_ports). ping_group_range is written whole, and a range whose high end is below its
 * low end becomes `1 0` (ipv4_ping_group_range). A write that changes ip_forward or conf.all.forwarding
 * (one variable) sets `default` and every device to it and all.accept_redirects to its negation
 * (inet_forward_change).
 */
function writeKey(ns: Netns, k: SysctlKey, value: string): string | null {
  const invalid = 'Invalid argument';
  if (sysctlMode(k) === 'ro') return invalid;
  const h = handlerOf(ns, k);
  switch (h.kind) {
    case 'readOnly':
      return invalid;
    case 'flush':
      return null;
    case 'congestion': {
      const r = congestionWrite(value);
      if ('errno' in r) return r.errno;
      sysctlStore(ns, k, r.value);
      return null;
    }
    case 'fastopenKey':
    case 'portBitmap': {
      const v = h.kind === 'fastopenKey' ? fastopenKeyWrite(value) : portBitmapWrite(value);
      if (v === null) return invalid;
      sysctlStore(ns, k, v);
      return null;
    }
    default:
      break;
  }
  if (k.kind === 'neigh') {
    const a = NEIGH_ALIASES.get(k.param);
    if (a !== undefined) {
      const w = procWrite(INT, [keyValue(ns, k)], value, a.write);
      if (!w.ok) return invalid;
      const target = parseSysctlKey(ns, `${NEIGH}${k.dev}.${a.of}`)!;
      sysctlStore(ns, target, w.values[0]);
      return null;
    }
  }
  const key = k.key;
  const before = keyValue(ns, k);
  const w = procWrite(h, before.split('\t'), value);
  let result = w.values.join('\t');
  if (key === PORT_RANGE) {
    const [low, high] = w.values.map(Number);
    if (!w.ok || high < low || low < Number(globalGet(ns, PRIVILEGED_PORTS))) return invalid;
  } else if (key === PRIVILEGED_PORTS) {
    if (!w.ok || Number(globalGet(ns, PORT_RANGE).split('\t')[0]) < Number(result)) return invalid;
  } else if (key === PING_GROUPS) {
    if (!w.ok) return invalid;
    if (BigInt(w.values[1]) < BigInt(w.values[0])) result = '1\t0';
  }
  const forward = key === 'net.ipv4.ip_forward' || key === `${CONF}all.forwarding`;
  if (w.ok || result !== before || keepsBit(k)) sysctlStore(ns, k, result);
  if (forward && Number(result) !== Number(before)) inetForwardChange(ns, result);
  return w.ok ? null : invalid;
}

/** inetForwardChange is inet_forward_change: forwarding `on` everywhere, and accept_redirects its negation on `all`. */
function inetForwardChange(ns: Netns, on: string): void {
  const set = (key: string, v: string): void => {
    const pk = parseSysctlKey(ns, key);
    if (pk !== null) sysctlStore(ns, pk, v);
  };
  set('net.ipv4.ip_forward', on);
  set(`${CONF}all.forwarding`, on);
  set(`${CONF}all.accept_redirects`, Number(on) === 0 ? '1' : '0');
  set(`${CONF}default.forwarding`, on);
  for (const l of ns.links.values()) set(`${CONF}${l.name}.forwarding`, on);
}
