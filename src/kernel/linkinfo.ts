// The attributes `ip -d link` shows, as the kernel reports them in RTM_NEWLINK (net/core/rtnetlink.c
// rtnl_fill_ifinfo, rtnl_link_fill, rtnl_link_slave_info_fill) and as each driver fills its
// IFLA_INFO_DATA: net/bridge/br_netlink.c (br_fill_info, br_port_fill_attrs), drivers/net/vxlan/
// vxlan_core.c (vxlan_fill_info), net/ipv4/ipip.c (ipip_fill_info); veth fills none. The inet6 part
// is net/ipv6/addrconf.c (inet6_fill_link_af). Field names follow the JSON keys of iproute2 6.1's
// `ip -j -d link` (ip/ipaddress.c, ip/iplink_bridge.c, ip/iplink_bridge_slave.c, ip/iplink_vxlan.c,
// ip/link_iptnl.c) in camelCase; where the text keyword differs, the doc comment says so.
//
// Only types and constants live here: a driver builds a LinkDetails from its defaults below and its
// state, and src/tools/ip/details.ts prints it. Times are centiseconds (clock_t at USER_HZ 100), as
// the kernel reports them (jiffies_to_clock_t) and iproute2 prints them (`forward_delay 1500`, timers
// `   0.00`). Values marked "this kernel" were read on Linux 6.18 with iproute2 6.1.

import type { Ipv4, Mac } from '../model/addr.js';

// ---------------------------------------------------------------------------------------------
// Limits (include/linux/netdevice.h, include/uapi/linux/if_ether.h, include/net/ip.h)

/** ETH_MIN_MTU is the smallest MTU an Ethernet-like device accepts (`minmtu 68`). */
export const ETH_MIN_MTU = 68;

/** ETH_MAX_MTU is the largest MTU of veth, bridge and VXLAN devices (`maxmtu 65535`). */
export const ETH_MAX_MTU = 65535;

/** IPV6_MIN_MTU is the MTU below which a device has no inet6_dev, so `addrgenmode` is not shown. */
export const IPV6_MIN_MTU = 1280;

/** IP_MAX_MTU is the largest IPv4 packet an IP tunnel accepts (0xFFF0); its max MTU is this less its headers. */
export const IP_MAX_MTU = 0xfff0;

/** GSO_LEGACY_MAX_SIZE is the default gso_max_size and gro_max_size of every device (64 KiB). */
export const GSO_LEGACY_MAX_SIZE = 65536;

/** TSO_LEGACY_MAX_SIZE is the default tso_max_size of a device whose driver does not raise it. */
export const TSO_LEGACY_MAX_SIZE = 65536;

/** GSO_MAX_SIZE is the tso_max_size of loopback and veth (netif_set_tso_max_size(dev, GSO_MAX_SIZE)): 8 × 65535. */
export const GSO_MAX_SIZE = 524280;

/** GSO_MAX_SEGS is the default gso_max_segs and tso_max_segs. */
export const GSO_MAX_SEGS = 65535;

/** VETH_MAX_QUEUES caps a veth's queue count (veth_get_num_queues: the rtnl_create_link limit). */
export const VETH_MAX_QUEUES = 4096;

/**
 * DEFAULT_POSSIBLE_CPUS stands in for num_possible_cpus(), which sets a veth's numtxqueues and
 * numrxqueues (drivers/net/veth.c veth_get_num_queues: min(num_possible_cpus(), 4096)). It is 2 on
 * the machine the fixtures were recorded on; the lab normaliser rewrites veth queue counts, so
 * transcripts compare on any machine.
 */
export const DEFAULT_POSSIBLE_CPUS = 2;

/** VXLAN_HEADROOM is what a VXLAN device bound to a lower device takes off that device's MTU (IPv4: 50). */
export const VXLAN_HEADROOM = 50;

/** IPIP_HLEN is the outer IPv4 header of an IPIP tunnel; tunl0's MTU is 1500 minus it. */
export const IPIP_HLEN = 20;

// ---------------------------------------------------------------------------------------------
// The device-independent part

/** AddrGenMode is IFLA_INET6_ADDR_GEN_MODE as iproute2 names it (`addrgenmode eui64`). */
export type AddrGenMode = 'eui64' | 'none' | 'stable_secret' | 'random';

/**
 * LinkDetails is everything `ip -d link` adds for one device, in the order iproute2 prints it. It
 * leaves out what `ip link` already prints (flags, mtu, qdisc, master, state, qlen, addresses, the
 * peer's netns) and IFLA_GSO_IPV4_MAX_SIZE / IFLA_GRO_IPV4_MAX_SIZE, which Linux ≥ 6.3 sends but
 * iproute2 6.1 does not print.
 */
export interface LinkDetails {
  /** promiscuity counts the users of promiscuous mode (a bridge port has 1). */
  readonly promiscuity: number;
  /** allmulti counts the users of all-multicast mode (a bridge port has 1). */
  readonly allmulti: number;
  /** minMtu is IFLA_MIN_MTU (JSON `min_mtu`, text `minmtu`); 0 when the driver sets none. */
  readonly minMtu: number;
  /** maxMtu is IFLA_MAX_MTU (JSON `max_mtu`, text `maxmtu`); 0 when the driver sets none. */
  readonly maxMtu: number;
  /** kind is IFLA_INFO_KIND and its IFLA_INFO_DATA; loopback has none. */
  readonly kind?: LinkKindInfo;
  /** slave is IFLA_INFO_SLAVE_KIND and its data, for a device enslaved to a bridge. */
  readonly slave?: LinkSlaveInfo;
  /**
   * addrGenMode is the IPv6 address generation mode (JSON `inet6_addr_gen_mode`), absent when the
   * device has no inet6_dev: its MTU is below IPV6_MIN_MTU, or it was registered with a smaller MTU
   * and has not been brought up or had its MTU changed since (the fallback tunl0). Only `ip link`
   * prints it, not `ip address`.
   */
  readonly addrGenMode?: AddrGenMode;
  /** numTxQueues is IFLA_NUM_TX_QUEUES (JSON `num_tx_queues`, text `numtxqueues`). */
  readonly numTxQueues: number;
  /** numRxQueues is IFLA_NUM_RX_QUEUES (JSON `num_rx_queues`, text `numrxqueues`). */
  readonly numRxQueues: number;
  readonly gsoMaxSize: number;
  readonly gsoMaxSegs: number;
  readonly tsoMaxSize: number;
  readonly tsoMaxSegs: number;
  readonly groMaxSize: number;
  /** parentBus is IFLA_PARENT_DEV_BUS_NAME (`parentbus pci`); virtual devices have none. */
  readonly parentBus?: string;
  /** parentDev is IFLA_PARENT_DEV_NAME (`parentdev 0000:19:00.0`); virtual devices have none. */
  readonly parentDev?: string;
}

/** LinkDetailsBase is the device-independent part of LinkDetails, what the *_DEFAULTS constants hold. */
export type LinkDetailsBase = Omit<LinkDetails, 'kind' | 'slave'>;

// ---------------------------------------------------------------------------------------------
// Kinds (IFLA_INFO_KIND, IFLA_INFO_DATA)

/** LinkKindInfo is the `linkinfo` of a device: its kind (JSON `info_kind`) and data (`info_data`). */
export type LinkKindInfo = VethKindInfo | BridgeKindInfo | VxlanKindInfo | IpipKindInfo;

/** VethKindInfo is a veth's linkinfo: iproute2 6.1 has no printer for veth data, so it shows the kind only. */
export interface VethKindInfo {
  readonly infoKind: 'veth';
}

/** BridgeKindInfo is a bridge's linkinfo. */
export interface BridgeKindInfo {
  readonly infoKind: 'bridge';
  readonly infoData: BridgeInfoData;
}

/** VxlanKindInfo is a VXLAN device's linkinfo. */
export interface VxlanKindInfo {
  readonly infoKind: 'vxlan';
  readonly infoData: VxlanInfoData;
}

/** IpipKindInfo is an IPIP tunnel's linkinfo (`tunl0` and `ip link add … type ipip`). */
export interface IpipKindInfo {
  readonly infoKind: 'ipip';
  readonly infoData: IptunInfoData;
}

/** LinkSlaveInfo is the port half of `linkinfo` (JSON `info_slave_kind`, `info_slave_data`). */
export type LinkSlaveInfo = BridgePortSlaveInfo;

/** BridgePortSlaveInfo is a bridge port's data (text `bridge_slave …`). */
export interface BridgePortSlaveInfo {
  readonly infoSlaveKind: 'bridge';
  readonly infoSlaveData: BridgePortInfoData;
}

/** BridgeId is an 802.1D bridge identifier: a 16-bit priority and a MAC (printed `8000.2:0:0:0:0:fe`). */
export interface BridgeId {
  readonly priority: number;
  readonly addr: Mac;
}

/** BridgeVlanInfoData is what a kernel built with CONFIG_BRIDGE_VLAN_FILTERING adds (this kernel has none). */
export interface BridgeVlanInfoData {
  /** vlanProtocol is IFLA_BR_VLAN_PROTOCOL as ll_proto_n2a names it. */
  readonly vlanProtocol: '802.1Q' | '802.1ad';
  readonly vlanDefaultPvid: number;
  readonly vlanStatsEnabled: number;
  readonly vlanStatsPerPort: number;
}

/** BridgeMcastInfoData is what a kernel built with CONFIG_BRIDGE_IGMP_SNOOPING adds (this kernel has it). */
export interface BridgeMcastInfoData {
  readonly mcastSnooping: number;
  readonly mcastRouter: number;
  readonly mcastQueryUseIfaddr: number;
  readonly mcastQuerier: number;
  readonly mcastHashElasticity: number;
  readonly mcastHashMax: number;
  /** mcastLastMemberCnt prints as `mcast_last_member_count` (JSON `mcast_last_member_cnt`). */
  readonly mcastLastMemberCnt: number;
  /** mcastStartupQueryCnt prints as `mcast_startup_query_count`. */
  readonly mcastStartupQueryCnt: number;
  /** mcastLastMemberIntvl (centiseconds) prints as `mcast_last_member_interval`. */
  readonly mcastLastMemberIntvl: number;
  readonly mcastMembershipIntvl: number;
  readonly mcastQuerierIntvl: number;
  readonly mcastQueryIntvl: number;
  readonly mcastQueryResponseIntvl: number;
  readonly mcastStartupQueryIntvl: number;
  readonly mcastStatsEnabled: number;
  readonly mcastIgmpVersion: number;
  /** mcastMldVersion is only sent by a kernel with IPv6. */
  readonly mcastMldVersion?: number;
}

/** BridgeNfCallInfoData is what a kernel built with CONFIG_BRIDGE_NETFILTER adds (this kernel has it). */
export interface BridgeNfCallInfoData {
  readonly nfCallIptables: number;
  readonly nfCallIp6tables: number;
  readonly nfCallArptables: number;
}

/** BridgeInfoData is IFLA_INFO_DATA of a bridge (br_fill_info). */
export interface BridgeInfoData {
  readonly forwardDelay: number;
  readonly helloTime: number;
  readonly maxAge: number;
  readonly ageingTime: number;
  readonly stpState: number;
  readonly priority: number;
  readonly vlanFiltering: number;
  readonly bridgeId: BridgeId;
  /**
   * rootId is IFLA_BR_ROOT_ID (JSON `root_id`, text `designated_root`). iproute2 6.1 prints the
   * bridge id in its place (iplink_bridge.c reads IFLA_BR_BRIDGE_ID twice), so it never shows.
   */
  readonly rootId: BridgeId;
  readonly rootPort: number;
  readonly rootPathCost: number;
  readonly topologyChange: number;
  readonly topologyChangeDetected: number;
  /** helloTimer is the time left on a running timer, centiseconds; 0 when it is stopped. */
  readonly helloTimer: number;
  readonly tcnTimer: number;
  readonly topologyChangeTimer: number;
  /** gcTimer is the time left until the FDB garbage collection runs (0 while the bridge is down). */
  readonly gcTimer: number;
  readonly vlan?: BridgeVlanInfoData;
  /** groupFwdMask prints in hex (`group_fwd_mask 0`, JSON `"0"`). */
  readonly groupFwdMask: number;
  /** groupAddr is the STP group address (JSON `group_addr`, text `group_address`). */
  readonly groupAddr: Mac;
  /** noLinklocalLearn and mcastVlanSnooping come from IFLA_BR_MULTI_BOOLOPT, which every kernel sends. */
  readonly noLinklocalLearn: number;
  readonly mcastVlanSnooping: number;
  readonly mcast?: BridgeMcastInfoData;
  readonly nfCall?: BridgeNfCallInfoData;
}

/** BridgePortState is IFLA_BRPORT_STATE by name (BR_STATE_*). */
export type BridgePortState = 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking';

/** BridgePortInfoData is IFLA_INFO_SLAVE_DATA of a bridge port (br_port_fill_attrs). */
export interface BridgePortInfoData {
  /** state is `disabled` while the port or its bridge is down, `forwarding` once both are up (STP off). */
  readonly state: BridgePortState;
  readonly priority: number;
  readonly cost: number;
  /** hairpin is IFLA_BRPORT_MODE. */
  readonly hairpin: boolean;
  readonly guard: boolean;
  /** rootBlock is IFLA_BRPORT_PROTECT (text `root_block`). */
  readonly rootBlock: boolean;
  /** fastleave also prints, text only, as `mcast_fast_leave`. */
  readonly fastleave: boolean;
  readonly learning: boolean;
  /** flood is IFLA_BRPORT_UNICAST_FLOOD. */
  readonly flood: boolean;
  /** id is the port id, priority << 10 | port number (JSON `id`, text `port_id 0x8001`). */
  readonly id: number;
  /** no is the port number (JSON `no`, text `port_no 0x1`). */
  readonly no: number;
  readonly designatedPort: number;
  readonly designatedCost: number;
  /** designatedBridge is IFLA_BRPORT_BRIDGE_ID (JSON `bridge_id`, text `designated_bridge`). */
  readonly designatedBridge: BridgeId;
  /** designatedRoot is IFLA_BRPORT_ROOT_ID (JSON `root_id`, text `designated_root`). */
  readonly designatedRoot: BridgeId;
  readonly holdTimer: number;
  readonly messageAgeTimer: number;
  /** forwardDelayTimer runs for forward_delay after the port starts forwarding, even with STP off. */
  readonly forwardDelayTimer: number;
  readonly topologyChangeAck: number;
  readonly configPending: number;
  readonly proxyArp: boolean;
  readonly proxyArpWifi: boolean;
  /** multicastRouter (text `mcast_router`) is only sent by a kernel with CONFIG_BRIDGE_IGMP_SNOOPING. */
  readonly multicastRouter?: number;
  readonly mcastFlood: boolean;
  readonly bcastFlood: boolean;
  /** mcastToUnicast is IFLA_BRPORT_MCAST_TO_UCAST. */
  readonly mcastToUnicast: boolean;
  readonly neighSuppress: boolean;
  readonly groupFwdMask: number;
  readonly vlanTunnel: boolean;
  readonly isolated: boolean;
  readonly locked: boolean;
  /** backupPort is the ifindex of IFLA_BRPORT_BACKUP_PORT, sent only when one is set. */
  readonly backupPort?: number;
}

/** VxlanDf is IFLA_VXLAN_DF. */
export type VxlanDf = 'unset' | 'set' | 'inherit';

/** VxlanInfoData is IFLA_INFO_DATA of a VXLAN device (vxlan_fill_info), IPv4 only. */
export interface VxlanInfoData {
  /** external is collect_metadata (printed only when set). */
  readonly external: boolean;
  readonly id: number;
  /** group is IFLA_VXLAN_GROUP: 0 for none, `group` when multicast, `remote` otherwise. */
  readonly group: Ipv4;
  /** local is IFLA_VXLAN_LOCAL, 0 for none. */
  readonly local: Ipv4;
  /** link is the ifindex of the lower device (IFLA_VXLAN_LINK, text `dev NAME`), 0 for none. */
  readonly link: number;
  /** portRange is the UDP source port range (`srcport 0 0`: the kernel's ephemeral range). */
  readonly portRange: { readonly low: number; readonly high: number };
  /** port is the destination UDP port (JSON `port`, text `dstport`). */
  readonly port: number;
  /** learning prints `nolearning` in text when false; JSON always carries it. */
  readonly learning: boolean;
  readonly proxy: boolean;
  readonly rsc: boolean;
  readonly l2miss: boolean;
  readonly l3miss: boolean;
  /** tos is 0 for none, 1 for inherit. */
  readonly tos: number;
  readonly ttlInherit: boolean;
  /** ttl 0 prints `ttl auto`. */
  readonly ttl: number;
  readonly df: VxlanDf;
  /** label is the IPv6 flow label (`flowlabel`), 0 for none. */
  readonly label: number;
  /** ageing is the FDB ageing time in seconds; 0 prints `ageing none`. */
  readonly ageing: number;
  /** limit is the FDB size limit (text `maxaddr`), 0 for none. */
  readonly limit: number;
  readonly udpCsum: boolean;
  readonly udpZeroCsum6Tx: boolean;
  readonly udpZeroCsum6Rx: boolean;
  readonly remcsumTx: boolean;
  readonly remcsumRx: boolean;
  readonly gbp: boolean;
  readonly gpe: boolean;
}

/** IptunEncap is the FOU/GUE encapsulation of an IP tunnel (IFLA_IPTUN_ENCAP_*). */
export interface IptunEncap {
  readonly type: 'fou' | 'gue';
  readonly sport: number;
  readonly dport: number;
  readonly csum: boolean;
  readonly csum6: boolean;
  readonly remcsum: boolean;
}

/** IptunInfoData is IFLA_INFO_DATA of an IPIP tunnel (ipip_fill_info). */
export interface IptunInfoData {
  /** external is collect_md (IFLA_IPTUN_COLLECT_METADATA). */
  readonly external: boolean;
  /** proto is the inner protocol: 4 `ipip`, 137 `mplsip`, 0 `any` (the fallback tunl0). */
  readonly proto: number;
  /** remote is 0 for `any`. */
  readonly remote: Ipv4;
  /** local is 0 for `any`. */
  readonly local: Ipv4;
  /** link is the ifindex the tunnel is bound to (text `dev NAME`), 0 for none. */
  readonly link: number;
  /** ttl 0 prints `ttl inherit`. */
  readonly ttl: number;
  /** tos is 0 for none, 1 for inherit. */
  readonly tos: number;
  /** pmtudisc is the DF bit of the outer header (`pmtudisc` / `nopmtudisc`). */
  readonly pmtudisc: boolean;
  /** fwmark is 0 for none. */
  readonly fwmark: number;
  readonly encap?: IptunEncap;
}

// ---------------------------------------------------------------------------------------------
// Defaults a driver starts from (this kernel: Linux 6.18, no CONFIG_BRIDGE_VLAN_FILTERING)

/** NETDEV_DEFAULTS is what alloc_netdev gives every device before its driver changes anything. */
export const NETDEV_DEFAULTS: LinkDetailsBase = {
  promiscuity: 0,
  allmulti: 0,
  minMtu: 0,
  maxMtu: 0,
  addrGenMode: 'eui64',
  numTxQueues: 1,
  numRxQueues: 1,
  gsoMaxSize: GSO_LEGACY_MAX_SIZE,
  gsoMaxSegs: GSO_MAX_SEGS,
  tsoMaxSize: TSO_LEGACY_MAX_SIZE,
  tsoMaxSegs: GSO_MAX_SEGS,
  groMaxSize: GSO_LEGACY_MAX_SIZE,
};

/** LOOPBACK_DETAILS is `lo` (drivers/net/loopback.c): no linkinfo, no MTU range, tso_max_size raised. */
export const LOOPBACK_DETAILS: LinkDetails = { ...NETDEV_DEFAULTS, tsoMaxSize: GSO_MAX_SIZE };

/**
 * VETH_DEFAULTS is one end of a veth pair. numTxQueues and numRxQueues are min(possible CPUs, 4096):
 * a driver that models the CPU count replaces them. A bridge port adds promiscuity 1, allmulti 1.
 */
export const VETH_DEFAULTS: LinkDetails = {
  ...NETDEV_DEFAULTS,
  minMtu: ETH_MIN_MTU,
  maxMtu: ETH_MAX_MTU,
  kind: { infoKind: 'veth' },
  numTxQueues: DEFAULT_POSSIBLE_CPUS,
  numRxQueues: DEFAULT_POSSIBLE_CPUS,
  tsoMaxSize: GSO_MAX_SIZE,
};

/**
 * BRIDGE_DEFAULTS is the device-independent part of a new bridge. Its tso_max_size is 65536 until
 * the first port is added; from then on (br_set_gso_limits) it is the smallest of its ports'
 * (GSO_MAX_SIZE, 524280, with veth ports), and stays GSO_MAX_SIZE when the last port leaves.
 */
export const BRIDGE_DEFAULTS: LinkDetailsBase = { ...NETDEV_DEFAULTS, minMtu: ETH_MIN_MTU, maxMtu: ETH_MAX_MTU };

/** BRIDGE_PRIORITY_DEFAULT is a bridge's priority (0x8000), the first half of its bridge id. */
export const BRIDGE_PRIORITY_DEFAULT = 0x8000;

/**
 * BRIDGE_INFO_DEFAULTS is a new bridge's data. Its bridge id and root id carry the zero MAC until
 * the bridge's address is set or a port is added, up or down (from then on the bridge's MAC, which
 * follows its lowest port's unless set by hand); the timers are stopped while it is down, and once
 * it is up gc_timer runs (BRIDGE_GC_START, then the ageing time or the next FDB expiry).
 */
export const BRIDGE_INFO_DEFAULTS: BridgeInfoData = {
  forwardDelay: 1500,
  helloTime: 200,
  maxAge: 2000,
  ageingTime: 30000,
  stpState: 0,
  priority: BRIDGE_PRIORITY_DEFAULT,
  vlanFiltering: 0,
  bridgeId: { priority: BRIDGE_PRIORITY_DEFAULT, addr: '00:00:00:00:00:00' },
  rootId: { priority: BRIDGE_PRIORITY_DEFAULT, addr: '00:00:00:00:00:00' },
  rootPort: 0,
  rootPathCost: 0,
  topologyChange: 0,
  topologyChangeDetected: 0,
  helloTimer: 0,
  tcnTimer: 0,
  topologyChangeTimer: 0,
  gcTimer: 0,
  groupFwdMask: 0,
  groupAddr: '01:80:c2:00:00:00',
  noLinklocalLearn: 0,
  mcastVlanSnooping: 0,
  mcast: {
    mcastSnooping: 1,
    mcastRouter: 1,
    mcastQueryUseIfaddr: 0,
    mcastQuerier: 0,
    mcastHashElasticity: 16,
    mcastHashMax: 4096,
    mcastLastMemberCnt: 2,
    mcastStartupQueryCnt: 2,
    mcastLastMemberIntvl: 100,
    mcastMembershipIntvl: 26000,
    mcastQuerierIntvl: 25500,
    mcastQueryIntvl: 12500,
    mcastQueryResponseIntvl: 1000,
    mcastStartupQueryIntvl: 3124,
    mcastStatsEnabled: 0,
    mcastIgmpVersion: 2,
    mcastMldVersion: 1,
  },
  nfCall: { nfCallIptables: 0, nfCallIp6tables: 0, nfCallArptables: 0 },
};

/** BRIDGE_GC_START is gc_timer right after the bridge comes up (br_stp_enable_bridge: HZ / 10). */
export const BRIDGE_GC_START = 10;

/** BR_PORT_BITS is how far a port's priority is shifted in its port id (net/bridge/br_private.h). */
export const BR_PORT_BITS = 10;

/** BRIDGE_PORT_PRIORITY_DEFAULT is a new port's priority (0x8000 >> BR_PORT_BITS). */
export const BRIDGE_PORT_PRIORITY_DEFAULT = 0x8000 >> BR_PORT_BITS;

/** BR_PORT_COST_10G is the cost of a port whose link reports 10 Gb/s, as veth does (br_port_cost). */
export const BR_PORT_COST_10G = 2;

/** BR_PORT_COST_UNKNOWN is the cost of a port whose speed is unknown, a VXLAN device say (br_port_cost). */
export const BR_PORT_COST_UNKNOWN = 100;

/**
 * BRIDGE_PORT_INFO_DEFAULTS is a new port's data before its numbers are known. A driver sets `no`
 * (the lowest number no other port of the bridge holds, from 1: find_portno, so a port keeps its
 * number when another leaves), `id` = BRIDGE_PORT_PRIORITY_DEFAULT << BR_PORT_BITS | no,
 * `designatedPort` = id, the designated bridge and root = the bridge's id, `cost` by the link's
 * speed, and `state`: `forwarding` while the bridge is up and the port is up with carrier
 * (br_port_carrier_check), `disabled` otherwise. `forwardDelayTimer` starts at the bridge's
 * forward_delay (1500) each time the port turns forwarding and stops when it is disabled.
 */
export const BRIDGE_PORT_INFO_DEFAULTS: BridgePortInfoData = {
  state: 'disabled',
  priority: BRIDGE_PORT_PRIORITY_DEFAULT,
  cost: BR_PORT_COST_10G,
  hairpin: false,
  guard: false,
  rootBlock: false,
  fastleave: false,
  learning: true,
  flood: true,
  id: BRIDGE_PORT_PRIORITY_DEFAULT << BR_PORT_BITS,
  no: 0,
  designatedPort: BRIDGE_PORT_PRIORITY_DEFAULT << BR_PORT_BITS,
  designatedCost: 0,
  designatedBridge: { priority: BRIDGE_PRIORITY_DEFAULT, addr: '00:00:00:00:00:00' },
  designatedRoot: { priority: BRIDGE_PRIORITY_DEFAULT, addr: '00:00:00:00:00:00' },
  holdTimer: 0,
  messageAgeTimer: 0,
  forwardDelayTimer: 0,
  topologyChangeAck: 0,
  configPending: 0,
  proxyArp: false,
  proxyArpWifi: false,
  multicastRouter: 1,
  mcastFlood: true,
  bcastFlood: true,
  mcastToUnicast: false,
  neighSuppress: false,
  groupFwdMask: 0,
  vlanTunnel: false,
  isolated: false,
  locked: false,
};

/**
 * VXLAN_DEFAULTS is the device-independent part of a VXLAN device. With a lower device (`dev`) its
 * MTU is the lower MTU less VXLAN_HEADROOM and its tso_max_size the lower device's; without, MTU 1500
 * and tso_max_size 65536. Its MTU may not exceed the lower MTU less VXLAN_HEADROOM even though
 * maxmtu says 65535 (`RTNETLINK answers: Invalid argument`).
 */
export const VXLAN_DEFAULTS: LinkDetailsBase = { ...NETDEV_DEFAULTS, minMtu: ETH_MIN_MTU, maxMtu: ETH_MAX_MTU };

/** VXLAN_LEGACY_PORT is the kernel's default destination port when `dstport` is not given (or 0). */
export const VXLAN_LEGACY_PORT = 8472;

/** VXLAN_INFO_DEFAULTS is `ip link add NAME type vxlan id 0` on this kernel; a driver sets id, local, link, port, learning. */
export const VXLAN_INFO_DEFAULTS: VxlanInfoData = {
  external: false,
  id: 0,
  group: 0,
  local: 0,
  link: 0,
  portRange: { low: 0, high: 0 },
  port: VXLAN_LEGACY_PORT,
  learning: true,
  proxy: false,
  rsc: false,
  l2miss: false,
  l3miss: false,
  tos: 0,
  ttlInherit: false,
  ttl: 0,
  df: 'unset',
  label: 0,
  ageing: 300,
  limit: 0,
  udpCsum: true,
  udpZeroCsum6Tx: false,
  udpZeroCsum6Rx: false,
  remcsumTx: false,
  remcsumRx: false,
  gbp: false,
  gpe: false,
};

/**
 * IPIP_FALLBACK_DETAILS is the `tunl0` every namespace gets once the ipip module is loaded
 * (ip_tunnel_init_net → __ip_tunnel_create): no MTU range, default queues and GSO limits. It is
 * registered with MTU 0 (its MTU of 1480 is assigned afterwards without a notification), so it has
 * no inet6_dev and no addrgenmode until it is brought up. Derived from net/ipv4/ip_tunnel.c, not
 * observed: this kernel has no ipip module.
 */
export const IPIP_FALLBACK_DETAILS: LinkDetailsBase = { ...NETDEV_DEFAULTS, addrGenMode: undefined };

/** IPIP_FALLBACK_INFO is the fallback tunl0's data: every parameter zero (`ipip any remote any local any ttl inherit nopmtudisc`). */
export const IPIP_FALLBACK_INFO: IptunInfoData = {
  external: false,
  proto: 0,
  remote: 0,
  local: 0,
  link: 0,
  ttl: 0,
  tos: 0,
  pmtudisc: false,
  fwmark: 0,
};

/**
 * IPIP_NETLINK_INFO_DEFAULTS is a tunnel made by `ip link add NAME type ipip` (ipip_netlink_parms:
 * protocol IPIP; iproute2 sends pmtudisc 1 unless told `nopmtudisc`). Such a tunnel, like the
 * fallback, has minmtu 0 maxmtu 0 (ip_tunnel_newlink sets no range); one made by `ip tunnel add`
 * (ip_tunnel_create) has ETH_MIN_MTU and IP_MAX_MTU - IPIP_HLEN.
 */
export const IPIP_NETLINK_INFO_DEFAULTS: IptunInfoData = { ...IPIP_FALLBACK_INFO, proto: 4, pmtudisc: true };
