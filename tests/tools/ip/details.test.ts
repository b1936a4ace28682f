// Tests of src/tools/ip/details.ts against what iproute2 6.1 prints on Linux 6.18 (`ip -V`, `uname -r`
// on the machine the goldens were recorded on, 2 possible CPUs). The KERNEL goldens are the exact
// output of the commands above each one, run in throwaway namespaces `a` and `b` set up as the lab
// runner does (IPv6 off, rp_filter 0, lo up); the namespace names were shortened to `a` and `b`.
// The DERIVED goldens (ipip, options labs cannot set) come from reading net/ipv4/ipip.c,
// net/ipv4/ip_tunnel.c and iproute2's ip/link_iptnl.c and ip/iplink_vxlan.c: this kernel has no
// ipip module (`Error: Unknown device type.`).

import fc from 'fast-check';
import { jsonValue } from '../../../src/tools/ip/json.js';
import { parseIpv4 } from '../../../src/model/addr.js';
import {
  BRIDGE_DEFAULTS,
  BRIDGE_INFO_DEFAULTS,
  BRIDGE_PORT_INFO_DEFAULTS,
  GSO_MAX_SIZE,
  IPIP_FALLBACK_DETAILS,
  IPIP_FALLBACK_INFO,
  IPIP_NETLINK_INFO_DEFAULTS,
  LOOPBACK_DETAILS,
  VETH_DEFAULTS,
  VXLAN_DEFAULTS,
  VXLAN_INFO_DEFAULTS,
  type BridgeId,
  type BridgeInfoData,
  type BridgePortInfoData,
  type IptunInfoData,
  type LinkDetails,
  type LinkDetailsBase,
  type VxlanInfoData,
} from '../../../src/kernel/linkinfo.js';
import {
  formatBridgeId,
  formatLinkDetailsText,
  formatTimerText,
  hex,
  linkDetailsJson,
  timerJson,
  type DetailsJson,
  type DetailsOptions,
} from '../../../src/tools/ip/details.js';
import { arbMac, arbU16 } from '../../model/wire/arbitraries.js';

/** KERNEL holds real `ip -d` output, byte for byte. */
const KERNEL = {
  // $ ip -n a -d link show lo
  loUpLink:
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show lo
  loUpLinkJson:
    '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":0,"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d addr show lo
  loUpAddr:
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n' +
    '    inet 127.0.0.1/8 scope host lo\n' +
    '       valid_lft forever preferred_lft forever\n',
  // $ ip -n a -j -d addr show lo
  loUpAddrJson:
    '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":0,"num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]\n',
  // $ ip -n a -d link show lo
  loDownLink:
    '1: lo: <LOOPBACK> mtu 65536 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -d link show v1
  v1MdownLink:
    '3: v1@v2: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show v1
  v1MdownLinkJson:
    '[{"ifindex":3,"link":"v2","ifname":"v1","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:01","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show v1
  v1UpPeerDownLink:
    '3: v1@v2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -d link show v2
  v2DownLink:
    '2: v2@v1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -d link show v2
  v2Mtu9000Link:
    '2: v2@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show v2
  v2Mtu9000LinkJson:
    '[{"ifindex":2,"link":"v1","ifname":"v2","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":9000,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:02","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show v2
  v2Mtu1000Link:
    '2: v2@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1000 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show v2
  v2Mtu1000LinkJson:
    '[{"ifindex":2,"link":"v1","ifname":"v2","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1000,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:02","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d addr show v2
  v2Mtu1000Addr:
    '2: v2@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1000 qdisc noqueue state UP group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -d link show x1
  x1NetnsLink:
    '4: x1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff link-netns b promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n b -d link show x2
  x2NetnsLink:
    '2: x2@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:12 brd ff:ff:ff:ff:ff:ff link-netns a promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n b -j -d link show x2
  x2NetnsLinkJson:
    '[{"ifindex":2,"link_index":4,"ifname":"x2","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:12","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show br0
  br0NewLink:
    '5: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 06:47:85:3c:93:1e brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -d link show br0
  br0MacLink:
    '5: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:fe brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show br0
  br0MacLinkJson:
    '[{"ifindex":5,"ifname":"br0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:fe","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":0.00,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":1,"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3124,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show p1
  p1DisabledLink:
    '6: p1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns b promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \n' +
    '    veth \n' +
    '    bridge_slave state disabled priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show p1
  p1DisabledLinkJson:
    '[{"ifindex":6,"link_index":3,"ifname":"p1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","master":"br0","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:01:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":1,"allmulti":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"disabled","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":0.00,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show br0
  br0UpLink:
    '5: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:fe brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  299.79 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show br0
  br0UpLinkJson:
    '[{"ifindex":5,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:fe","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":299.78,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":1,"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3124,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show p1
  p1ForwardingLink:
    '6: p1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns b promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \n' +
    '    veth \n' +
    '    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   14.68 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show p1
  p1ForwardingLinkJson:
    '[{"ifindex":6,"link_index":3,"ifname":"p1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:01:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":1,"allmulti":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":14.67,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d addr show p1
  p1ForwardingAddr:
    '6: p1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000\n' +
    '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns b promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \n' +
    '    veth \n' +
    '    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   14.67 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d addr show p1
  p1ForwardingAddrJson:
    '[{"ifindex":6,"link_index":3,"ifname":"p1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:01:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":1,"allmulti":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":14.66,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}},"num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536,"addr_info":[]}]\n',
  // $ ip -n a -d link show vx0
  vx0Link:
    '7: vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    vxlan id 42 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show vx0
  vx0LinkJson:
    '[{"ifindex":7,"ifname":"vx0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:a0","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":42,"port_range":{"low":0,"high":0},"port":8472,"learning":true,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d link show vxlan.calico
  vxlanCalicoLink:
    '8: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 66:53:9a:3b:57:55 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    vxlan id 4096 local 10.23.14.110 dev v1 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n',
  // $ ip -n a -j -d link show vxlan.calico
  vxlanCalicoLinkJson:
    '[{"ifindex":8,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"66:53:9a:3b:57:55","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":4096,"local":"10.23.14.110","link":"v1","port_range":{"low":0,"high":0},"port":4789,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  // $ ip -n a -d addr show vxlan.calico
  vxlanCalicoAddr:
    '8: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
    '    link/ether 66:53:9a:3b:57:55 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    vxlan id 4096 local 10.23.14.110 dev v1 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n' +
    '    inet 10.233.133.1/32 scope global vxlan.calico\n' +
    '       valid_lft forever preferred_lft forever\n',
  // $ ip -n a -j -d addr show vxlan.calico
  vxlanCalicoAddrJson:
    '[{"ifindex":8,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"ether","address":"66:53:9a:3b:57:55","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":4096,"local":"10.23.14.110","link":"v1","port_range":{"low":0,"high":0},"port":4789,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536,"addr_info":[{"family":"inet","local":"10.233.133.1","prefixlen":32,"scope":"global","label":"vxlan.calico","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]\n',
  // $ ip -n a -d link show vx2
  vx2Link:
    '9: vx2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:a2 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    vxlan id 44 local 10.23.14.110 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
};

/** DERIVED holds output reconstructed from the kernel and iproute2 sources (see the file comment). */
const DERIVED = {
  // A pod's tunl0: the fallback device every namespace gets once the ipip module is loaded, never up
  // (seed 000: `2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN group default qlen 1000`). It was
  // registered with MTU 0, so it has no inet6_dev and prints no addrgenmode.
  tunl0FallbackLink:
    '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
    '    ipip any remote any local any ttl inherit nopmtudisc numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
  // A Calico node's tunl0: the same fallback device, which `ip tunnel add tunl0 mode ipip` finds
  // (EEXIST), brought up by Felix with MTU 1480 and the node's tunnel address: NETDEV_UP gives it an
  // inet6_dev.
  tunl0CalicoLink:
    '5: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
    '    ipip any remote any local any ttl inherit nopmtudisc addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
  tunl0CalicoLinkJson:
    '[{"ifindex":5,"link":null,"ifname":"tunl0","flags":["NOARP","UP","LOWER_UP"],"mtu":1480,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ipip","address":"0.0.0.0","broadcast":"0.0.0.0","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":0,"linkinfo":{"info_kind":"ipip","info_data":{"proto":"any","remote":"any","local":"any","ttl":0,"pmtudisc":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536}]\n',
  tunl0CalicoAddr:
    '5: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
    '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
    '    ipip any remote any local any ttl inherit nopmtudisc numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n' +
    '    inet 10.233.133.1/32 brd 10.233.133.1 scope global tunl0\n' +
    '       valid_lft forever preferred_lft forever\n',
  // `ip link add ipip1 type ipip remote 10.23.14.111 local 10.23.14.110 dev eth0 ttl 64`: a
  // netlink-made tunnel (protocol IPIP, pmtudisc by default, no MTU range), point-to-point.
  ipipNetlinkLink:
    '6: ipip1@eth0: <POINTOPOINT,NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ipip 10.23.14.110 peer 10.23.14.111 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
    '    ipip ipip remote 10.23.14.111 local 10.23.14.110 dev eth0 ttl 64 pmtudisc addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
};

const IFNAMES = new Map([
  [2, 'eth0'],
  [3, 'v1'],
]);
const LINK: DetailsOptions = { doLink: true, ifName: (i) => IFNAMES.get(i) ?? `if${i}` };
const ADDR: DetailsOptions = { ...LINK, doLink: false };

/** serialise writes linkDetailsJson's members as iproute2's JSON writer does (src/tools/ip/json.ts). */
function serialise(v: DetailsJson): string {
  return jsonValue(v);
}

/** members serialises an object's members without the braces. */
function members(o: { readonly [key: string]: DetailsJson }): string {
  return serialise(o).slice(1, -1);
}

/** expectText checks that the text after `link/TYPE … brd …` in one device's output is the printer's. */
function expectText(golden: string, d: LinkDetails, o: DetailsOptions): void {
  const at = golden.indexOf(' promiscuity ');
  expect(at).toBeGreaterThan(0);
  // The details continue the link-layer line, after its peer and netns.
  expect(golden.slice(0, at).split('\n').pop()).toMatch(/^ {4}link\/\w+ \S+ (brd|peer) \S+( link-netns \S+)?$/);
  const text = formatLinkDetailsText(d, o);
  const tail = golden.slice(at);
  expect(tail.slice(0, text.length + 1)).toBe(`${text}\n`);
  // What follows is `ip address`'s own lines.
  expect(tail.slice(text.length + 1)).toMatch(/^( {4}inet .*\n {7}valid_lft .*\n)*$/);
}

/** expectJson checks that the members after `broadcast` (or `link_netnsid`) are the printer's, in order. */
function expectJson(golden: string, d: LinkDetails, o: DetailsOptions): void {
  const at = golden.indexOf(',"promiscuity":');
  expect(at).toBeGreaterThan(0);
  expect(golden.slice(0, at)).toMatch(/"broadcast":"[^"]*"(,"link_netnsid":\d+)?$/);
  const m = members(linkDetailsJson(d, o));
  expect(golden.slice(at + 1, at + 1 + m.length)).toBe(m);
  expect(golden.slice(at + 1 + m.length)).toMatch(/^(\}\]\n|,"addr_info":)/);
}

const ip = (s: string): number => parseIpv4(s)!;
const bridgeId = (addr: string): BridgeId => ({ priority: 0x8000, addr });
const BR0 = bridgeId('02:00:00:00:00:fe');

function bridge(info: Partial<BridgeInfoData>, base: Partial<LinkDetailsBase> = {}): LinkDetails {
  return { ...BRIDGE_DEFAULTS, ...base, kind: { infoKind: 'bridge', infoData: { ...BRIDGE_INFO_DEFAULTS, ...info } } };
}

/** port is p1, port 1 of br0 (02:00:00:00:00:fe), a veth. */
function port(info: Partial<BridgePortInfoData>): LinkDetails {
  const data: BridgePortInfoData = {
    ...BRIDGE_PORT_INFO_DEFAULTS,
    no: 1,
    id: 0x8001,
    designatedPort: 0x8001,
    designatedBridge: BR0,
    designatedRoot: BR0,
    ...info,
  };
  return { ...VETH_DEFAULTS, promiscuity: 1, allmulti: 1, slave: { infoSlaveKind: 'bridge', infoSlaveData: data } };
}

function vxlan(info: Partial<VxlanInfoData>, base: Partial<LinkDetailsBase> = {}): LinkDetails {
  return { ...VXLAN_DEFAULTS, ...base, kind: { infoKind: 'vxlan', infoData: { ...VXLAN_INFO_DEFAULTS, ...info } } };
}

function ipip(info: Partial<IptunInfoData>, base: Partial<LinkDetailsBase> = {}): LinkDetails {
  return { ...IPIP_FALLBACK_DETAILS, ...base, kind: { infoKind: 'ipip', infoData: { ...IPIP_FALLBACK_INFO, ...info } } };
}

const BR0_DOWN = bridge({ bridgeId: BR0, rootId: BR0 });
const BR0_UP = (gcTimer: number): LinkDetails => bridge({ bridgeId: BR0, rootId: BR0, gcTimer }, { tsoMaxSize: GSO_MAX_SIZE });
const VETH_NO_INET6: LinkDetails = { ...VETH_DEFAULTS, addrGenMode: undefined };
// vxlan.calico bound to v1 (ifindex 3), whose tso_max_size it takes.
const VXLAN_CALICO = vxlan({ id: 4096, local: ip('10.23.14.110'), link: 3, port: 4789, learning: false }, { tsoMaxSize: GSO_MAX_SIZE });
const TUNL0_UP = ipip({}, { addrGenMode: 'eui64' });

describe('formatLinkDetailsText on the kernel goldens', () => {
  it.each<[string, string, LinkDetails, DetailsOptions]>([
    ['lo up, ip link', KERNEL.loUpLink, LOOPBACK_DETAILS, LINK],
    ['lo up, ip addr: no addrgenmode', KERNEL.loUpAddr, LOOPBACK_DETAILS, ADDR],
    ['lo down', KERNEL.loDownLink, LOOPBACK_DETAILS, LINK],
    ['veth, both ends down (M-DOWN)', KERNEL.v1MdownLink, VETH_DEFAULTS, LINK],
    ['veth up, peer down', KERNEL.v1UpPeerDownLink, VETH_DEFAULTS, LINK],
    ['veth down, peer up', KERNEL.v2DownLink, VETH_DEFAULTS, LINK],
    ['veth, mtu 9000', KERNEL.v2Mtu9000Link, VETH_DEFAULTS, LINK],
    ['veth, mtu 1000: below IPV6_MIN_MTU, no addrgenmode', KERNEL.v2Mtu1000Link, VETH_NO_INET6, LINK],
    ['veth, mtu 1000, ip addr', KERNEL.v2Mtu1000Addr, VETH_NO_INET6, ADDR],
    ['veth across namespaces (link-netns b)', KERNEL.x1NetnsLink, VETH_DEFAULTS, LINK],
    ['veth across namespaces (link-netns a)', KERNEL.x2NetnsLink, VETH_DEFAULTS, LINK],
    ['bridge just made: zero bridge id, random MAC', KERNEL.br0NewLink, bridge({}), LINK],
    ['bridge with its MAC set, down', KERNEL.br0MacLink, BR0_DOWN, LINK],
    ['bridge port, bridge down: disabled', KERNEL.p1DisabledLink, port({}), LINK],
    ['bridge up with a port: gc_timer runs, tso_max_size of its port', KERNEL.br0UpLink, BR0_UP(29979), LINK],
    [
      'bridge port forwarding: forward_delay_timer runs',
      KERNEL.p1ForwardingLink,
      port({ state: 'forwarding', forwardDelayTimer: 1468 }),
      LINK,
    ],
    ['bridge port, ip addr', KERNEL.p1ForwardingAddr, port({ state: 'forwarding', forwardDelayTimer: 1467 }), ADDR],
    ['vxlan id 42: dstport 8472, no dev', KERNEL.vx0Link, vxlan({ id: 42 }), LINK],
    ['vxlan.calico', KERNEL.vxlanCalicoLink, VXLAN_CALICO, LINK],
    ['vxlan.calico, ip addr', KERNEL.vxlanCalicoAddr, VXLAN_CALICO, ADDR],
    ['vxlan local, learning, dstport 0', KERNEL.vx2Link, vxlan({ id: 44, local: ip('10.23.14.110') }), LINK],
  ])('%s', (_name, golden, d, o) => {
    expectText(golden, d, o);
  });
});

describe('linkDetailsJson on the kernel goldens', () => {
  it.each<[string, string, LinkDetails, DetailsOptions]>([
    ['lo, ip link', KERNEL.loUpLinkJson, LOOPBACK_DETAILS, LINK],
    ['lo, ip addr: no inet6_addr_gen_mode', KERNEL.loUpAddrJson, LOOPBACK_DETAILS, ADDR],
    ['veth: linkinfo without info_data', KERNEL.v1MdownLinkJson, VETH_DEFAULTS, LINK],
    ['veth, mtu 9000', KERNEL.v2Mtu9000LinkJson, VETH_DEFAULTS, LINK],
    ['veth, mtu 1000', KERNEL.v2Mtu1000LinkJson, VETH_NO_INET6, LINK],
    ['veth across namespaces: after link_netnsid', KERNEL.x2NetnsLinkJson, VETH_DEFAULTS, LINK],
    ['bridge down', KERNEL.br0MacLinkJson, BR0_DOWN, LINK],
    ['bridge port, disabled', KERNEL.p1DisabledLinkJson, port({}), LINK],
    ['bridge up: timers as 0.00 and 299.78', KERNEL.br0UpLinkJson, BR0_UP(29978), LINK],
    ['bridge port forwarding', KERNEL.p1ForwardingLinkJson, port({ state: 'forwarding', forwardDelayTimer: 1467 }), LINK],
    ['bridge port, ip addr', KERNEL.p1ForwardingAddrJson, port({ state: 'forwarding', forwardDelayTimer: 1466 }), ADDR],
    ['vxlan id 42', KERNEL.vx0LinkJson, vxlan({ id: 42 }), LINK],
    ['vxlan.calico', KERNEL.vxlanCalicoLinkJson, VXLAN_CALICO, LINK],
    ['vxlan.calico, ip addr', KERNEL.vxlanCalicoAddrJson, VXLAN_CALICO, ADDR],
  ])('%s', (_name, golden, d, o) => {
    expectJson(golden, d, o);
  });
});

describe('ipip (derived from source)', () => {
  it.each<[string, string, LinkDetails, DetailsOptions]>([
    ['fallback tunl0, never up: no addrgenmode', DERIVED.tunl0FallbackLink, ipip({}), LINK],
    ["Calico's tunl0, up", DERIVED.tunl0CalicoLink, TUNL0_UP, LINK],
    ["Calico's tunl0, ip addr", DERIVED.tunl0CalicoAddr, TUNL0_UP, ADDR],
    [
      'ip link add type ipip',
      DERIVED.ipipNetlinkLink,
      ipip(
        { ...IPIP_NETLINK_INFO_DEFAULTS, remote: ip('10.23.14.111'), local: ip('10.23.14.110'), link: 2, ttl: 64 },
        { addrGenMode: 'eui64' },
      ),
      LINK,
    ],
  ])('%s', (_name, golden, d, o) => {
    expectText(golden, d, o);
  });

  it("prints Calico's tunl0 as JSON", () => {
    expectJson(DERIVED.tunl0CalicoLinkJson, TUNL0_UP, LINK);
  });

  it.each<[string, Partial<IptunInfoData>, string, string]>([
    ['tos inherit', { tos: 1 }, 'ttl inherit tos inherit nopmtudisc ', '"ttl":0,"tos":"0x1","pmtudisc":false'],
    ['tos 0x10 and fwmark', { tos: 0x10, fwmark: 7 }, 'tos 0x10 nopmtudisc fwmark 0x7 ', '"tos":"0x10","pmtudisc":false,"fwmark":"0x7"'],
    ['mplsip, external', { proto: 137, external: true }, 'ipip external mplsip remote any', '"external":true,"proto":"mplsip"'],
    [
      'fou encapsulation',
      { encap: { type: 'fou', sport: 0, dport: 5555, csum: false, csum6: false, remcsum: false } },
      'nopmtudisc encap fou encap-sport auto encap-dport 5555 noencap-csum noencap-csum6 noencap-remcsum numtxqueues',
      '"encap":{"type":"fou","sport":0,"dport":5555,"csum":false,"csum6":false,"remcsum":false}',
    ],
  ])('iptunnel_print_opt: %s', (_name, info, text, json) => {
    const d = ipip(info);
    expect(formatLinkDetailsText(d, LINK)).toContain(text);
    expect(serialise(linkDetailsJson(d, LINK))).toContain(json);
  });
});

describe('vxlan_print_opt options labs do not set (derived from source)', () => {
  it.each<[string, Partial<VxlanInfoData>, string, string]>([
    ['a remote', { group: ip('10.0.0.2') }, 'id 7 remote 10.0.0.2 srcport', '"id":7,"remote":"10.0.0.2","port_range"'],
    ['a multicast group', { group: ip('239.1.1.1') }, 'id 7 group 239.1.1.1 srcport', '"id":7,"group":"239.1.1.1","port_range"'],
    ['external', { external: true }, 'vxlan external id 7 ', '"external":true,"id":7'],
    [
      'proxy, l2miss, l3miss',
      { proxy: true, l2miss: true, l3miss: true },
      'dstport 8472 proxy l2miss l3miss ttl auto',
      '"learning":true,"proxy":true,"l2miss":true,"l3miss":true,"ttl":0',
    ],
    ['ttl 64, tos inherit', { ttl: 64, tos: 1 }, 'tos inherit ttl 64 ageing', '"tos":"0x1","ttl":64,"df":"unset"'],
    ['ttl inherit, df set', { ttlInherit: true, df: 'set' }, 'ttl inherit df set ageing', '"learning":true,"df":"set","ageing"'],
    ['ageing 0, maxaddr', { ageing: 0, limit: 100 }, 'ageing none maxaddr 100 udpcsum', '"ageing":0,"limit":100,"udp_csum"'],
    [
      'no checksums',
      { udpCsum: false, udpZeroCsum6Tx: true },
      'noudpcsum udp6zerocsumtx noudp6zerocsumrx ',
      '"udp_csum":false,"udp_zero_csum6_tx":true',
    ],
  ])('%s', (_name, info, text, json) => {
    const d = vxlan({ id: 7, ...info });
    expect(formatLinkDetailsText(d, LINK)).toContain(text);
    expect(serialise(linkDetailsJson(d, LINK))).toContain(json);
  });
});

describe('bridge details iproute2 6.1 prints oddly (derived from source)', () => {
  it('labels the bridge id designated_root, whatever the root id is', () => {
    const d = bridge({ bridgeId: BR0, rootId: bridgeId('02:00:00:00:00:01') });
    expect(formatLinkDetailsText(d, LINK)).toContain('bridge_id 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe ');
    expect(serialise(linkDetailsJson(d, LINK))).toContain('"bridge_id":"8000.2:0:0:0:0:fe","root_id":"8000.2:0:0:0:0:fe"');
  });

  it('prints the VLAN attributes of a CONFIG_BRIDGE_VLAN_FILTERING kernel where iproute2 puts them', () => {
    const d = bridge({
      vlan: { vlanProtocol: '802.1Q', vlanDefaultPvid: 1, vlanStatsEnabled: 0, vlanStatsPerPort: 0 },
    });
    const text = formatLinkDetailsText(d, LINK);
    expect(text).toContain('vlan_filtering 0 vlan_protocol 802.1Q bridge_id ');
    expect(text).toContain('gc_timer    0.00 vlan_default_pvid 1 vlan_stats_enabled 0 vlan_stats_per_port 0 group_fwd_mask 0 ');
  });

  it('names group_fwd_mask bits as _bitmask2str does', () => {
    const d = port({ groupFwdMask: 0x4005 });
    expect(formatLinkDetailsText(d, LINK)).toContain('group_fwd_mask 0x4005 group_fwd_mask_str stp,lacp,lldp ');
    expect(formatLinkDetailsText(port({ groupFwdMask: 0x2 }), LINK)).toContain('group_fwd_mask_str 0x2 ');
  });

  it('names a backup port by its ifindex', () => {
    expect(formatLinkDetailsText(port({ backupPort: 3 }), LINK)).toContain('locked off backup_port v1 addrgenmode');
  });
});

describe('value formats', () => {
  it.each<[number, string]>([
    [0, '0'],
    [1, '0x1'],
    [0x8001, '0x8001'],
  ])('hex(%d) is %s', (v, s) => {
    expect(hex(v)).toBe(s);
  });

  it.each<[BridgeId, string]>([
    [bridgeId('02:00:00:00:00:fe'), '8000.2:0:0:0:0:fe'],
    [bridgeId('00:00:00:00:00:00'), '8000.0:0:0:0:0:0'],
    [bridgeId('0c:ca:bf:21:00:02'), '8000.c:ca:bf:21:0:2'],
    [{ priority: 0x1000, addr: 'ee:ee:ee:ee:ee:ee' }, '1000.ee:ee:ee:ee:ee:ee'],
  ])('formatBridgeId(%j) is %s', (id, s) => {
    expect(formatBridgeId(id)).toBe(s);
  });

  it.each<[number, string, string]>([
    [0, 'gc_timer    0.00 ', '0.00'],
    [10, 'gc_timer    0.10 ', '0.10'],
    [1449, 'gc_timer   14.49 ', '14.49'],
    [29957, 'gc_timer  299.57 ', '299.57'],
    [123456, 'gc_timer 1234.56 ', '1234.56'],
  ])('a timer of %d cs prints as "%s" and %s', (cs, text, json) => {
    expect(formatTimerText('gc_timer', cs)).toBe(text);
    expect(timerJson(cs).text).toBe(json);
  });

  it('prints any bridge id so that padding its MAC back gives the MAC', () => {
    fc.assert(
      fc.property(arbU16, arbMac, (priority, addr) => {
        const s = formatBridgeId({ priority, addr });
        expect(s).toMatch(/^[0-9a-f]{4}\.[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/);
        expect(parseInt(s.slice(0, 4), 16)).toBe(priority);
        const mac = s
          .slice(5)
          .split(':')
          .map((b) => b.padStart(2, '0'))
          .join(':');
        expect(mac).toBe(addr);
      }),
    );
  });

  it('prints any timer in a field of at least four digits before the point, and reads back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (cs) => {
        const m = /^hold_timer ( *\d+)\.(\d\d) $/.exec(formatTimerText('hold_timer', cs));
        expect(m).not.toBeNull();
        expect(m![1].length).toBeGreaterThanOrEqual(4);
        expect(Number(m![1]) * 100 + Number(m![2])).toBe(cs);
        expect(Math.round(Number(timerJson(cs).text) * 100)).toBe(cs);
      }),
    );
  });
});
