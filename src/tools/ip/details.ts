// What `ip -d link` and `ip -d address` add to a device, as iproute2 6.1 prints it: ip/ipaddress.c
// (print_linkinfo's show_details block, print_linktype, print_af_spec), ip/iplink_bridge.c
// (bridge_print_opt, _bridge_print_timer, br_dump_bridge_id), ip/iplink_bridge_slave.c
// (bridge_slave_print_opt), ip/iplink_vxlan.c (vxlan_print_opt), ip/link_iptnl.c
// (iptunnel_print_opt), ip/tunnel.c (tnl_print_endpoint, tnl_print_encap) and lib/json_print.c
// (print_0xhex, print_on_off). Byte for byte, double and trailing spaces included; checked against
// Linux 6.18 (tests/tools/ip/details.test.ts).
//
// The text starts where the `link/ether … brd …` line (and its ` link-netns NAME`) ends: iproute2
// prints ` promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ` there, then one line per kind
// (`\n    veth `, `\n    bridge_slave …`), then the device-independent tail on the last of those
// lines. Under -d the link/ether line is printed even by `ip -4 address`.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import type { BridgeId, BridgeInfoData, BridgePortInfoData, IptunInfoData, LinkDetails, VxlanInfoData } from '../../kernel/linkinfo.js';
import { JsonNumberText, type JsonValue } from './json.js';

/** DetailsJson is a value linkDetailsJson emits: JSON data with JsonNumberText leaves for timers. */
export type DetailsJson = JsonValue;

/** DetailsJsonObject is an ordered JSON object of DetailsJson members. */
export type DetailsJsonObject = { [key: string]: DetailsJson };

/** DetailsOptions says where the details are printed. */
export interface DetailsOptions {
  /** doLink is set for `ip link` and clear for `ip address`, which leaves out `addrgenmode`. */
  readonly doLink: boolean;
  /** ifName names an ifindex of the namespace being shown (ll_index_to_name: `if%u` when unknown). */
  readonly ifName: (ifindex: number) => string;
}

// ---------------------------------------------------------------------------------------------
// Value formats

/** hex prints a value as C's `%#llx` does: `0x8001`, but a bare `0` for zero. */
export function hex(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}

/** formatBridgeId prints a bridge id as br_dump_bridge_id does: `%.2x%.2x.` and ether_ntoa's unpadded hex. */
export function formatBridgeId(id: BridgeId): string {
  const prio = id.priority.toString(16).padStart(4, '0');
  const mac = id.addr
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':');
  return `${prio}.${mac}`;
}

/** timerSeconds prints centiseconds as `%i.%.2i` (`299.57`, `0.00`). */
function timerSeconds(cs: number): string {
  return `${Math.trunc(cs / 100)}.${String(cs % 100).padStart(2, '0')}`;
}

/** formatTimerText prints one timer as _bridge_print_timer does in text: `%s %4i.%.2i ` (`gc_timer    0.00 `). */
export function formatTimerText(name: string, cs: number): string {
  return `${name} ${String(Math.trunc(cs / 100)).padStart(4)}.${String(cs % 100).padStart(2, '0')} `;
}

/** timerJson is a timer's JSON value (`"gc_timer":299.57`). */
export function timerJson(cs: number): JsonNumberText {
  return new JsonNumberText(timerSeconds(cs));
}

/** onOff prints print_on_off's text form. */
function onOff(b: boolean): string {
  return b ? 'on' : 'off';
}

/** bitmaskString is _bitmask2str over fwd_mask_tbl: known bits by name, others as hex, `0x0` for none. */
function bitmaskString(mask: number): string {
  const names: Readonly<Record<number, string>> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };
  const parts: string[] = [];
  for (let i = 0; i < 16; i++) {
    if (mask & (1 << i)) parts.push(names[i] ?? `0x${(1 << i).toString(16)}`);
  }
  return parts.length === 0 ? '0x0' : parts.join(',');
}

/** isMulticast says whether an IPv4 address is class D (IN_MULTICAST). */
function isMulticast(a: Ipv4): boolean {
  return a >>> 28 === 0xe;
}

/** IPTUN_PROTOS names IFLA_IPTUN_PROTO values as iptunnel_print_opt does. */
const IPTUN_PROTOS: Readonly<Record<number, string>> = { 4: 'ipip', 41: 'ip6ip', 137: 'mplsip', 0: 'any' };

// ---------------------------------------------------------------------------------------------
// Text

function bridgeText(d: BridgeInfoData): string {
  let out = `forward_delay ${d.forwardDelay} hello_time ${d.helloTime} max_age ${d.maxAge} `;
  out += `ageing_time ${d.ageingTime} stp_state ${d.stpState} priority ${d.priority} `;
  out += `vlan_filtering ${d.vlanFiltering} `;
  if (d.vlan) out += `vlan_protocol ${d.vlan.vlanProtocol} `;
  out += `bridge_id ${formatBridgeId(d.bridgeId)} `;
  // iplink_bridge.c formats IFLA_BR_BRIDGE_ID under the designated_root label.
  out += `designated_root ${formatBridgeId(d.bridgeId)} `;
  out += `root_port ${d.rootPort} root_path_cost ${d.rootPathCost} `;
  out += `topology_change ${d.topologyChange} topology_change_detected ${d.topologyChangeDetected} `;
  out += formatTimerText('hello_timer', d.helloTimer);
  out += formatTimerText('tcn_timer', d.tcnTimer);
  out += formatTimerText('topology_change_timer', d.topologyChangeTimer);
  out += formatTimerText('gc_timer', d.gcTimer);
  if (d.vlan) {
    out += `vlan_default_pvid ${d.vlan.vlanDefaultPvid} vlan_stats_enabled ${d.vlan.vlanStatsEnabled} `;
    out += `vlan_stats_per_port ${d.vlan.vlanStatsPerPort} `;
  }
  out += `group_fwd_mask ${hex(d.groupFwdMask)} group_address ${d.groupAddr} `;
  const m = d.mcast;
  if (m) out += `mcast_snooping ${m.mcastSnooping} `;
  out += `no_linklocal_learn ${d.noLinklocalLearn} mcast_vlan_snooping ${d.mcastVlanSnooping} `;
  if (m) {
    out += `mcast_router ${m.mcastRouter} mcast_query_use_ifaddr ${m.mcastQueryUseIfaddr} `;
    out += `mcast_querier ${m.mcastQuerier} mcast_hash_elasticity ${m.mcastHashElasticity} `;
    out += `mcast_hash_max ${m.mcastHashMax} mcast_last_member_count ${m.mcastLastMemberCnt} `;
    out += `mcast_startup_query_count ${m.mcastStartupQueryCnt} `;
    out += `mcast_last_member_interval ${m.mcastLastMemberIntvl} `;
    out += `mcast_membership_interval ${m.mcastMembershipIntvl} `;
    out += `mcast_querier_interval ${m.mcastQuerierIntvl} mcast_query_interval ${m.mcastQueryIntvl} `;
    out += `mcast_query_response_interval ${m.mcastQueryResponseIntvl} `;
    out += `mcast_startup_query_interval ${m.mcastStartupQueryIntvl} `;
    out += `mcast_stats_enabled ${m.mcastStatsEnabled} mcast_igmp_version ${m.mcastIgmpVersion} `;
    if (m.mcastMldVersion !== undefined) out += `mcast_mld_version ${m.mcastMldVersion} `;
  }
  if (d.nfCall) {
    out += `nf_call_iptables ${d.nfCall.nfCallIptables} nf_call_ip6tables ${d.nfCall.nfCallIp6tables} `;
    out += `nf_call_arptables ${d.nfCall.nfCallArptables} `;
  }
  return out;
}

function bridgePortText(d: BridgePortInfoData, o: DetailsOptions): string {
  let out = `state ${d.state} priority ${d.priority} cost ${d.cost} `;
  out += `hairpin ${onOff(d.hairpin)} guard ${onOff(d.guard)} root_block ${onOff(d.rootBlock)} `;
  out += `fastleave ${onOff(d.fastleave)} learning ${onOff(d.learning)} flood ${onOff(d.flood)} `;
  out += `port_id ${hex(d.id)} port_no ${hex(d.no)} `;
  out += `designated_port ${d.designatedPort} designated_cost ${d.designatedCost} `;
  out += `designated_bridge ${formatBridgeId(d.designatedBridge)} designated_root ${formatBridgeId(d.designatedRoot)} `;
  out += formatTimerText('hold_timer', d.holdTimer);
  out += formatTimerText('message_age_timer', d.messageAgeTimer);
  out += formatTimerText('forward_delay_timer', d.forwardDelayTimer);
  out += `topology_change_ack ${d.topologyChangeAck} config_pending ${d.configPending} `;
  out += `proxy_arp ${onOff(d.proxyArp)} proxy_arp_wifi ${onOff(d.proxyArpWifi)} `;
  if (d.multicastRouter !== undefined) out += `mcast_router ${d.multicastRouter} `;
  out += `mcast_fast_leave ${onOff(d.fastleave)} `;
  out += `mcast_flood ${onOff(d.mcastFlood)} bcast_flood ${onOff(d.bcastFlood)} `;
  out += `mcast_to_unicast ${onOff(d.mcastToUnicast)} neigh_suppress ${onOff(d.neighSuppress)} `;
  out += `group_fwd_mask ${hex(d.groupFwdMask)} group_fwd_mask_str ${bitmaskString(d.groupFwdMask)} `;
  out += `vlan_tunnel ${onOff(d.vlanTunnel)} isolated ${onOff(d.isolated)} locked ${onOff(d.locked)} `;
  if (d.backupPort !== undefined) out += `backup_port ${o.ifName(d.backupPort)} `;
  return out;
}

function vxlanText(d: VxlanInfoData, o: DetailsOptions): string {
  let out = '';
  if (d.external) out += 'external ';
  out += `id ${d.id} `;
  if (d.group !== 0) out += `${isMulticast(d.group) ? 'group' : 'remote'} ${formatIpv4(d.group)} `;
  if (d.local !== 0) out += `local ${formatIpv4(d.local)} `;
  if (d.link !== 0) out += `dev ${o.ifName(d.link)} `;
  out += `srcport ${d.portRange.low} ${d.portRange.high} dstport ${d.port} `;
  if (!d.learning) out += 'nolearning ';
  if (d.proxy) out += 'proxy ';
  if (d.rsc) out += 'rsc ';
  if (d.l2miss) out += 'l2miss ';
  if (d.l3miss) out += 'l3miss ';
  if (d.tos) out += d.tos === 1 ? 'tos inherit ' : `tos ${hex(d.tos)} `;
  if (d.ttlInherit) out += 'ttl inherit ';
  else out += d.ttl ? `ttl ${d.ttl} ` : 'ttl auto ';
  if (d.df !== 'unset') out += `df ${d.df} `;
  if (d.label) out += `flowlabel ${hex(d.label)} `;
  out += d.ageing === 0 ? 'ageing none ' : `ageing ${d.ageing} `;
  if (d.limit) out += `maxaddr ${d.limit} `;
  out += `${d.udpCsum ? '' : 'no'}udpcsum `;
  out += `${d.udpZeroCsum6Tx ? '' : 'no'}udp6zerocsumtx `;
  out += `${d.udpZeroCsum6Rx ? '' : 'no'}udp6zerocsumrx `;
  if (d.remcsumTx) out += 'remcsumtx ';
  if (d.remcsumRx) out += 'remcsumrx ';
  if (d.gbp) out += 'gbp ';
  if (d.gpe) out += 'gpe ';
  return out;
}

function encapText(e: IptunInfoData['encap']): string {
  if (!e) return '';
  // tnl_encap_str: sport 0 is `auto`; the flags print as `csum`/`nocsum` and so on.
  let out = `encap ${e.type} `;
  out += e.sport ? `encap-sport ${e.sport} ` : 'encap-sport auto ';
  out += `encap-dport ${e.dport} `;
  out += `${e.csum ? '' : 'no'}encap-csum `;
  out += `${e.csum6 ? '' : 'no'}encap-csum6 `;
  out += `${e.remcsum ? '' : 'no'}encap-remcsum `;
  return out;
}

function iptunText(d: IptunInfoData, o: DetailsOptions): string {
  let out = '';
  if (d.external) out += 'external ';
  const proto = IPTUN_PROTOS[d.proto];
  if (proto !== undefined) out += `${proto} `;
  out += `remote ${d.remote === 0 ? 'any' : formatIpv4(d.remote)} `;
  out += `local ${d.local === 0 ? 'any' : formatIpv4(d.local)} `;
  if (d.link !== 0) out += `dev ${o.ifName(d.link)} `;
  out += d.ttl ? `ttl ${d.ttl} ` : 'ttl inherit ';
  if (d.tos) out += d.tos === 1 ? 'tos inherit ' : `tos ${hex(d.tos)} `;
  out += d.pmtudisc ? 'pmtudisc ' : 'nopmtudisc ';
  if (d.fwmark) out += `fwmark ${hex(d.fwmark)} `;
  out += encapText(d.encap);
  return out;
}

/**
 * formatLinkDetailsText prints what `ip -d link` (doLink) or `ip -d address` adds to one device: the
 * text that follows `link/TYPE ADDR brd BRD` and its ` link-netns NAME` / ` link-netnsid N`, up to
 * (without) the newline that ends the device. It starts with a space (` promiscuity 0  allmulti 0 …`),
 * may contain `\n    KIND …` lines, and ends with a space. `ip -s` statistics follow it on new lines.
 */
export function formatLinkDetailsText(d: LinkDetails, o: DetailsOptions): string {
  let out = ` promiscuity ${d.promiscuity}  allmulti ${d.allmulti} minmtu ${d.minMtu} maxmtu ${d.maxMtu} `;
  if (d.kind) {
    out += `\n    ${d.kind.infoKind} `;
    switch (d.kind.infoKind) {
      case 'veth':
        break;
      case 'bridge':
        out += bridgeText(d.kind.infoData);
        break;
      case 'vxlan':
        out += vxlanText(d.kind.infoData, o);
        break;
      case 'ipip':
        out += iptunText(d.kind.infoData, o);
        break;
    }
  }
  if (d.slave) out += `\n    ${d.slave.infoSlaveKind}_slave ${bridgePortText(d.slave.infoSlaveData, o)}`;
  if (o.doLink && d.addrGenMode !== undefined) out += `addrgenmode ${d.addrGenMode} `;
  out += `numtxqueues ${d.numTxQueues} numrxqueues ${d.numRxQueues} `;
  out += `gso_max_size ${d.gsoMaxSize} gso_max_segs ${d.gsoMaxSegs} `;
  out += `tso_max_size ${d.tsoMaxSize} tso_max_segs ${d.tsoMaxSegs} gro_max_size ${d.groMaxSize} `;
  if (d.parentBus !== undefined) out += `parentbus ${d.parentBus} `;
  if (d.parentDev !== undefined) out += `parentdev ${d.parentDev} `;
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

function bridgeIdJson(id: BridgeId): string {
  return formatBridgeId(id);
}

function bridgeJson(d: BridgeInfoData): DetailsJsonObject {
  const o: DetailsJsonObject = {
    forward_delay: d.forwardDelay,
    hello_time: d.helloTime,
    max_age: d.maxAge,
    ageing_time: d.ageingTime,
    stp_state: d.stpState,
    priority: d.priority,
    vlan_filtering: d.vlanFiltering,
  };
  if (d.vlan) o.vlan_protocol = d.vlan.vlanProtocol;
  o.bridge_id = bridgeIdJson(d.bridgeId);
  o.root_id = bridgeIdJson(d.bridgeId);
  o.root_port = d.rootPort;
  o.root_path_cost = d.rootPathCost;
  o.topology_change = d.topologyChange;
  o.topology_change_detected = d.topologyChangeDetected;
  o.hello_timer = timerJson(d.helloTimer);
  o.tcn_timer = timerJson(d.tcnTimer);
  o.topology_change_timer = timerJson(d.topologyChangeTimer);
  o.gc_timer = timerJson(d.gcTimer);
  if (d.vlan) {
    o.vlan_default_pvid = d.vlan.vlanDefaultPvid;
    o.vlan_stats_enabled = d.vlan.vlanStatsEnabled;
    o.vlan_stats_per_port = d.vlan.vlanStatsPerPort;
  }
  o.group_fwd_mask = hex(d.groupFwdMask);
  o.group_addr = d.groupAddr;
  const m = d.mcast;
  if (m) o.mcast_snooping = m.mcastSnooping;
  o.no_linklocal_learn = d.noLinklocalLearn;
  o.mcast_vlan_snooping = d.mcastVlanSnooping;
  if (m) {
    o.mcast_router = m.mcastRouter;
    o.mcast_query_use_ifaddr = m.mcastQueryUseIfaddr;
    o.mcast_querier = m.mcastQuerier;
    o.mcast_hash_elasticity = m.mcastHashElasticity;
    o.mcast_hash_max = m.mcastHashMax;
    o.mcast_last_member_cnt = m.mcastLastMemberCnt;
    o.mcast_startup_query_cnt = m.mcastStartupQueryCnt;
    o.mcast_last_member_intvl = m.mcastLastMemberIntvl;
    o.mcast_membership_intvl = m.mcastMembershipIntvl;
    o.mcast_querier_intvl = m.mcastQuerierIntvl;
    o.mcast_query_intvl = m.mcastQueryIntvl;
    o.mcast_query_response_intvl = m.mcastQueryResponseIntvl;
    o.mcast_startup_query_intvl = m.mcastStartupQueryIntvl;
    o.mcast_stats_enabled = m.mcastStatsEnabled;
    o.mcast_igmp_version = m.mcastIgmpVersion;
    if (m.mcastMldVersion !== undefined) o.mcast_mld_version = m.mcastMldVersion;
  }
  if (d.nfCall) {
    o.nf_call_iptables = d.nfCall.nfCallIptables;
    o.nf_call_ip6tables = d.nfCall.nfCallIp6tables;
    o.nf_call_arptables = d.nfCall.nfCallArptables;
  }
  return o;
}

function bridgePortJson(d: BridgePortInfoData, opts: DetailsOptions): DetailsJsonObject {
  const o: DetailsJsonObject = {
    state: d.state,
    priority: d.priority,
    cost: d.cost,
    hairpin: d.hairpin,
    guard: d.guard,
    root_block: d.rootBlock,
    fastleave: d.fastleave,
    learning: d.learning,
    flood: d.flood,
    id: hex(d.id),
    no: hex(d.no),
    designated_port: d.designatedPort,
    designated_cost: d.designatedCost,
    bridge_id: bridgeIdJson(d.designatedBridge),
    root_id: bridgeIdJson(d.designatedRoot),
    hold_timer: timerJson(d.holdTimer),
    message_age_timer: timerJson(d.messageAgeTimer),
    forward_delay_timer: timerJson(d.forwardDelayTimer),
    topology_change_ack: d.topologyChangeAck,
    config_pending: d.configPending,
    proxy_arp: d.proxyArp,
    proxy_arp_wifi: d.proxyArpWifi,
  };
  if (d.multicastRouter !== undefined) o.multicast_router = d.multicastRouter;
  // mcast_fast_leave is text only: JSON has fastleave already.
  o.mcast_flood = d.mcastFlood;
  o.bcast_flood = d.bcastFlood;
  o.mcast_to_unicast = d.mcastToUnicast;
  o.neigh_suppress = d.neighSuppress;
  o.group_fwd_mask = hex(d.groupFwdMask);
  o.group_fwd_mask_str = bitmaskString(d.groupFwdMask);
  o.vlan_tunnel = d.vlanTunnel;
  o.isolated = d.isolated;
  o.locked = d.locked;
  if (d.backupPort !== undefined) o.backup_port = opts.ifName(d.backupPort);
  return o;
}

function vxlanJson(d: VxlanInfoData, opts: DetailsOptions): DetailsJsonObject {
  const o: DetailsJsonObject = {};
  if (d.external) o.external = true;
  o.id = d.id;
  if (d.group !== 0) o[isMulticast(d.group) ? 'group' : 'remote'] = formatIpv4(d.group);
  if (d.local !== 0) o.local = formatIpv4(d.local);
  if (d.link !== 0) o.link = opts.ifName(d.link);
  o.port_range = { low: d.portRange.low, high: d.portRange.high };
  o.port = d.port;
  o.learning = d.learning;
  if (d.proxy) o.proxy = true;
  if (d.rsc) o.rsc = true;
  if (d.l2miss) o.l2miss = true;
  if (d.l3miss) o.l3miss = true;
  if (d.tos) o.tos = hex(d.tos);
  // JSON has no `ttl inherit`: vxlan_print_opt prints nothing for it.
  if (!d.ttlInherit) o.ttl = d.ttl;
  o.df = d.df;
  if (d.label) o.label = hex(d.label);
  o.ageing = d.ageing;
  if (d.limit) o.limit = d.limit;
  o.udp_csum = d.udpCsum;
  o.udp_zero_csum6_tx = d.udpZeroCsum6Tx;
  o.udp_zero_csum6_rx = d.udpZeroCsum6Rx;
  if (d.remcsumTx) o.remcsum_tx = true;
  if (d.remcsumRx) o.remcsum_rx = true;
  if (d.gbp) o.gbp = true;
  if (d.gpe) o.gpe = true;
  return o;
}

function iptunJson(d: IptunInfoData, opts: DetailsOptions): DetailsJsonObject {
  const o: DetailsJsonObject = {};
  if (d.external) o.external = true;
  const proto = IPTUN_PROTOS[d.proto];
  if (proto !== undefined) o.proto = proto;
  o.remote = d.remote === 0 ? 'any' : formatIpv4(d.remote);
  o.local = d.local === 0 ? 'any' : formatIpv4(d.local);
  if (d.link !== 0) o.link = opts.ifName(d.link);
  o.ttl = d.ttl;
  if (d.tos) o.tos = hex(d.tos);
  o.pmtudisc = d.pmtudisc;
  if (d.fwmark) o.fwmark = hex(d.fwmark);
  if (d.encap) {
    o.encap = {
      type: d.encap.type,
      sport: d.encap.sport,
      dport: d.encap.dport,
      csum: d.encap.csum,
      csum6: d.encap.csum6,
      remcsum: d.encap.remcsum,
    };
  }
  return o;
}

/**
 * linkDetailsJson returns the members `ip -j -d link` (doLink) or `ip -j -d address` adds to a
 * device object, in iproute2's order: they follow `link_netnsid` (or `broadcast`) and precede
 * `stats64` and `addr_info`. Bridge timers are JsonNumberText values.
 */
export function linkDetailsJson(d: LinkDetails, opts: DetailsOptions): DetailsJsonObject {
  const o: DetailsJsonObject = {
    promiscuity: d.promiscuity,
    allmulti: d.allmulti,
    min_mtu: d.minMtu,
    max_mtu: d.maxMtu,
  };
  if (d.kind || d.slave) {
    const li: DetailsJsonObject = {};
    if (d.kind) {
      li.info_kind = d.kind.infoKind;
      switch (d.kind.infoKind) {
        case 'veth':
          break;
        case 'bridge':
          li.info_data = bridgeJson(d.kind.infoData);
          break;
        case 'vxlan':
          li.info_data = vxlanJson(d.kind.infoData, opts);
          break;
        case 'ipip':
          li.info_data = iptunJson(d.kind.infoData, opts);
          break;
      }
    }
    if (d.slave) {
      li.info_slave_kind = d.slave.infoSlaveKind;
      li.info_slave_data = bridgePortJson(d.slave.infoSlaveData, opts);
    }
    o.linkinfo = li;
  }
  if (opts.doLink && d.addrGenMode !== undefined) o.inet6_addr_gen_mode = d.addrGenMode;
  o.num_tx_queues = d.numTxQueues;
  o.num_rx_queues = d.numRxQueues;
  o.gso_max_size = d.gsoMaxSize;
  o.gso_max_segs = d.gsoMaxSegs;
  o.tso_max_size = d.tsoMaxSize;
  o.tso_max_segs = d.tsoMaxSegs;
  o.gro_max_size = d.groMaxSize;
  if (d.parentBus !== undefined) o.parentbus = d.parentBus;
  if (d.parentDev !== undefined) o.parentdev = d.parentDev;
  return o;
}
