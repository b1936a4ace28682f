// Golden tests for src/tools/ip/print.ts. Every expected string is what iproute2 6.1 printed on a
// real kernel for the same state, built in scratch namespaces (IPv6 disabled, MACs set by hand):
// an unnamed "host" namespace (the world's INIT_NS) with ens3, cali1 and vxlan.calico; a pod pr1;
// pr2 with a bridge br0; pr3 with br1; and a lab prL with every down/no-carrier combination.
// The same states are written here by hand as worlds (tests/support/world.ts).

import { INIT_NS, NudState, RouteScope, RouteTable, type Netns, type Route } from '../../../src/model/world.js';
import { addrAdd, linkOperstate, linkSet, netnsAdd, newNetns, vethAdd } from '../../../src/kernel/netns.js';
import { formatIpAddr, formatIpLink, formatIpNeigh, formatIpRoute, formatNetnsList, formatRouteGet } from '../../../src/tools/ip/print.js';
import { CommandError } from '../../../src/tools/output.js';
import { formatSysctl } from '../../../src/tools/sysctl.js';
import {
  addr,
  allDrivers,
  bridge,
  broadcastRoute,
  fdb,
  fdbLocal,
  ip,
  kernelRoute,
  kernelView,
  LO_ADDR,
  LO_ROUTES,
  lines,
  lo,
  localRoute,
  neigh,
  netns,
  prefix,
  route,
  simulated,
  stats,
  veth,
  vxlan,
  world,
} from '../../support/world.js';

// ---------------------------------------------------------------------------------------------
// Real outputs

const H_LINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '3: cali1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns pr1',
  '4: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/ether 66:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff',
);

const H_ADDR = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '    inet 172.17.0.10/24 brd 172.17.0.255 scope global ens3',
  '       valid_lft forever preferred_lft forever',
  '3: cali1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns pr1',
  '4: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/ether 66:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff',
  '    inet 10.244.1.0/32 scope global vxlan.calico',
  '       valid_lft forever preferred_lft forever',
);

const H_ADDR4 = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netns pr2',
  '    inet 172.17.0.10/24 brd 172.17.0.255 scope global ens3',
  '       valid_lft forever preferred_lft forever',
  '4: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    inet 10.244.1.0/32 scope global vxlan.calico',
  '       valid_lft forever preferred_lft forever',
);

const H_BRLINK = lines(
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'ens3@if2         UP             02:00:00:00:00:0a <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'cali1@if2        UP             ee:ee:ee:ee:ee:ee <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vxlan.calico     UNKNOWN        66:00:00:00:00:0a <BROADCAST,MULTICAST,UP,LOWER_UP> ',
);

const H_BRADDR = lines(
  'lo               UNKNOWN        127.0.0.1/8 ',
  'ens3@if2         UP             172.17.0.10/24 ',
  'cali1@if2        UP             ',
  'vxlan.calico     UNKNOWN        10.244.1.0/32 ',
);

const H_JLINK =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:0a","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0},{"ifindex":3,"link_index":2,"ifname":"cali1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"ee:ee:ee:ee:ee:ee","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1},{"ifindex":4,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"66:00:00:00:00:0a","broadcast":"ff:ff:ff:ff:ff:ff"}]' +
  '\n';

const H_JADDR =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:0a","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"172.17.0.10","prefixlen":24,"broadcast":"172.17.0.255","scope":"global","label":"ens3","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":3,"link_index":2,"ifname":"cali1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"ee:ee:ee:ee:ee:ee","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1,"addr_info":[]},{"ifindex":4,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"ether","address":"66:00:00:00:00:0a","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.244.1.0","prefixlen":32,"scope":"global","label":"vxlan.calico","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]' +
  '\n';

const H_JADDR4 =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_netnsid":0,"addr_info":[{"family":"inet","local":"172.17.0.10","prefixlen":24,"broadcast":"172.17.0.255","scope":"global","label":"ens3","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":4,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"addr_info":[{"family":"inet","local":"10.244.1.0","prefixlen":32,"scope":"global","label":"vxlan.calico","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]' +
  '\n';

const H_LINK_CALI1 = lines(
  '3: cali1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns pr1',
);

const H_LINK_VXLAN = lines(
  '4: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/ether 66:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff',
);

const H_ADDR_ENS3 = lines(
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '    inet 172.17.0.10/24 brd 172.17.0.255 scope global ens3',
  '       valid_lft forever preferred_lft forever',
);

const PR1_LINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:01:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '3: eth1@if6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b2:02 brd ff:ff:ff:ff:ff:ff link-netns pr2',
);

const PR1_ADDR = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:01:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '    inet 10.244.1.2/32 scope global eth0',
  '       valid_lft forever preferred_lft forever',
  '3: eth1@if6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:b2:02 brd ff:ff:ff:ff:ff:ff link-netns pr2',
);

const PR1_ADDR4 = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netnsid 0',
  '    inet 10.244.1.2/32 scope global eth0',
  '       valid_lft forever preferred_lft forever',
);

const PR1_BRADDR = lines(
  'lo               UNKNOWN        127.0.0.1/8 ',
  'eth0@if3         UP             10.244.1.2/32 ',
  'eth1@if6         DOWN           ',
);

const PR1_BRLINK = lines(
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'eth0@if3         UP             02:00:00:01:00:02 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'eth1@if6         DOWN           02:00:00:00:b2:02 <BROADCAST,MULTICAST> ',
);

const PR1_JLINK =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"link_index":3,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:01:00:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0},{"ifindex":3,"link_index":6,"ifname":"eth1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1}]' +
  '\n';

const PR1_JADDR =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":3,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:01:00:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"10.244.1.2","prefixlen":32,"scope":"global","label":"eth0","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":3,"link_index":6,"ifname":"eth1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1,"addr_info":[]}]' +
  '\n';

const PR2_LINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:00:28 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '5: vp1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b1:01 brd ff:ff:ff:ff:ff:ff link-netns pr3',
  '6: vp2@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b2:01 brd ff:ff:ff:ff:ff:ff link-netns pr1',
);

const PR2_ADDR = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:00:28 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '    inet 172.17.0.40/24 brd 172.17.0.255 scope global ens3',
  '       valid_lft forever preferred_lft forever',
  '3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.10.10.10/32 scope link br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.1/24 scope global br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.3/24 scope global secondary br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.4/24 brd 192.168.50.255 scope global secondary br0:1',
  '       valid_lft forever preferred_lft forever',
  '5: vp1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000',
  '    link/ether 02:00:00:00:b1:01 brd ff:ff:ff:ff:ff:ff link-netns pr3',
  '6: vp2@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:b2:01 brd ff:ff:ff:ff:ff:ff link-netns pr1',
  '    inet 192.168.60.1/24 scope global vp2',
  '       valid_lft forever preferred_lft forever',
);

const PR2_ADDR4 = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netnsid 0',
  '    inet 172.17.0.40/24 brd 172.17.0.255 scope global ens3',
  '       valid_lft forever preferred_lft forever',
  '3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    inet 10.10.10.10/32 scope link br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.1/24 scope global br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.3/24 scope global secondary br0',
  '       valid_lft forever preferred_lft forever',
  '    inet 192.168.50.4/24 brd 192.168.50.255 scope global secondary br0:1',
  '       valid_lft forever preferred_lft forever',
  '6: vp2@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state DOWN group default qlen 1000 link-netns pr1',
  '    inet 192.168.60.1/24 scope global vp2',
  '       valid_lft forever preferred_lft forever',
);

const PR2_BRLINK = lines(
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'ens3@if2         UP             02:00:00:00:00:28 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'br0              UP             02:00:00:00:b0:00 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vp1@if4          UP             02:00:00:00:b1:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vp2@if3          DOWN           02:00:00:00:b2:01 <NO-CARRIER,BROADCAST,MULTICAST,UP> ',
);

const PR2_BRADDR = lines(
  'lo               UNKNOWN        127.0.0.1/8 ',
  'ens3@if2         UP             172.17.0.40/24 ',
  'br0              UP             10.10.10.10/32 192.168.50.1/24 192.168.50.3/24 192.168.50.4/24 ',
  'vp1@if4          UP             ',
  'vp2@if3          DOWN           192.168.60.1/24 ',
);

const PR2_BRADDR4 = lines(
  'lo               UNKNOWN        127.0.0.1/8 ',
  'ens3@if2         UP             172.17.0.40/24 ',
  'br0              UP             10.10.10.10/32 192.168.50.1/24 192.168.50.3/24 192.168.50.4/24 ',
  'vp2@if3          DOWN           192.168.60.1/24 ',
);

const PR2_JLINK =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:28","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0},{"ifindex":3,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b0:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":5,"link_index":4,"ifname":"vp1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":2},{"ifindex":6,"link_index":3,"ifname":"vp2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1}]' +
  '\n';

const PR2_JADDR =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:28","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"172.17.0.40","prefixlen":24,"broadcast":"172.17.0.255","scope":"global","label":"ens3","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":3,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b0:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.10.10.10","prefixlen":32,"scope":"link","label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.1","prefixlen":24,"scope":"global","label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.3","prefixlen":24,"scope":"global","secondary":true,"label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.4","prefixlen":24,"broadcast":"192.168.50.255","scope":"global","secondary":true,"label":"br0:1","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":5,"link_index":4,"ifname":"vp1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":2,"addr_info":[]},{"ifindex":6,"link_index":3,"ifname":"vp2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":1,"addr_info":[{"family":"inet","local":"192.168.60.1","prefixlen":24,"scope":"global","label":"vp2","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]' +
  '\n';

const PR2_JADDR4 =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_netnsid":0,"addr_info":[{"family":"inet","local":"172.17.0.40","prefixlen":24,"broadcast":"172.17.0.255","scope":"global","label":"ens3","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":3,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"addr_info":[{"family":"inet","local":"10.10.10.10","prefixlen":32,"scope":"link","label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.1","prefixlen":24,"scope":"global","label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.3","prefixlen":24,"scope":"global","secondary":true,"label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"192.168.50.4","prefixlen":24,"broadcast":"192.168.50.255","scope":"global","secondary":true,"label":"br0:1","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":6,"link_index":3,"ifname":"vp2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"DOWN","group":"default","txqlen":1000,"link_netnsid":1,"addr_info":[{"family":"inet","local":"192.168.60.1","prefixlen":24,"scope":"global","label":"vp2","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]' +
  '\n';

const PR2_JBRLINK =
  '[{"ifname":"lo","operstate":"UNKNOWN","address":"00:00:00:00:00:00","flags":["LOOPBACK","UP","LOWER_UP"]},{"link_index":2,"ifname":"ens3","operstate":"UP","address":"02:00:00:00:00:28","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"]},{"ifname":"br0","operstate":"UP","address":"02:00:00:00:b0:00","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"]},{"link_index":4,"ifname":"vp1","operstate":"UP","address":"02:00:00:00:b1:01","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"]},{"link_index":3,"ifname":"vp2","operstate":"DOWN","address":"02:00:00:00:b2:01","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"]}]' +
  '\n';

const PR2_JBRADDR =
  '[{"ifname":"lo","operstate":"UNKNOWN","addr_info":[{"local":"127.0.0.1","prefixlen":8}]},{"link_index":2,"ifname":"ens3","operstate":"UP","addr_info":[{"local":"172.17.0.40","prefixlen":24}]},{"ifname":"br0","operstate":"UP","addr_info":[{"local":"10.10.10.10","prefixlen":32},{"local":"192.168.50.1","prefixlen":24},{"local":"192.168.50.3","prefixlen":24},{"local":"192.168.50.4","prefixlen":24}]},{"link_index":4,"ifname":"vp1","operstate":"UP","addr_info":[]},{"link_index":3,"ifname":"vp2","operstate":"DOWN","addr_info":[{"local":"192.168.60.1","prefixlen":24}]}]' +
  '\n';

const PR2_SLINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '2: ens3@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:00:28 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '           938      17      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '           280       4      0       0       0       0 ',
  '3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '           140       3      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '           182       3      0       2       0       0 ',
  '5: vp1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b1:01 brd ff:ff:ff:ff:ff:ff link-netns pr3',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '           182       3      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '           182       3      0       0       0       0 ',
  '6: vp2@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b2:01 brd ff:ff:ff:ff:ff:ff link-netns pr1',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
);

const PR2_JSLINK_VP1 =
  '[{"ifindex":5,"link_index":4,"ifname":"vp1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:01","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":2,"stats64":{"rx":{"bytes":182,"packets":3,"errors":0,"dropped":0,"over_errors":0,"multicast":0},"tx":{"bytes":182,"packets":3,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0}}}]' +
  '\n';

const PR3_LINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '3: vq1b@vq1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:c1:02 brd ff:ff:ff:ff:ff:ff',
  '4: vp1b@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b1:02 brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '5: vq1@vq1b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:c1:01 brd ff:ff:ff:ff:ff:ff',
  '6: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:c0:00 brd ff:ff:ff:ff:ff:ff',
);

const PR3_ADDR = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    inet 127.0.0.1/8 scope host lo',
  '       valid_lft forever preferred_lft forever',
  '3: vq1b@vq1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:c1:02 brd ff:ff:ff:ff:ff:ff',
  '4: vp1b@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:b1:02 brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '    inet 192.168.50.2/24 scope global vp1b',
  '       valid_lft forever preferred_lft forever',
  '5: vq1@vq1b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP group default qlen 1000',
  '    link/ether 02:00:00:00:c1:01 brd ff:ff:ff:ff:ff:ff',
  '6: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000',
  '    link/ether 02:00:00:00:c0:00 brd ff:ff:ff:ff:ff:ff',
);

const PR3_BRLINK = lines(
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'vq1b@vq1         UP             02:00:00:00:c1:02 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vp1b@if5         UP             02:00:00:00:b1:02 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'vq1@vq1b         UP             02:00:00:00:c1:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'br1              UP             02:00:00:00:c0:00 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
);

const PR3_BRADDR = lines(
  'lo               UNKNOWN        127.0.0.1/8 ',
  'vq1b@vq1         UP             ',
  'vp1b@if5         UP             192.168.50.2/24 ',
  'vq1@vq1b         UP             ',
  'br1              UP             ',
);

const PR3_JLINK =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":3,"link":"vq1","ifname":"vq1b","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:c1:02","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":4,"link_index":5,"ifname":"vp1b","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:02","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0},{"ifindex":5,"link":"vq1b","ifname":"vq1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br1","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:c1:01","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":6,"ifname":"br1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:c0:00","broadcast":"ff:ff:ff:ff:ff:ff"}]' +
  '\n';

const L_LINK = lines(
  '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: a1@a0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default ',
  '    link/ether 02:00:00:00:0a:01 brd ff:ff:ff:ff:ff:ff',
  '3: a0@a1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0a:00 brd ff:ff:ff:ff:ff:ff',
  '4: b1@b0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0b:01 brd ff:ff:ff:ff:ff:ff',
  '5: b0@b1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0b:00 brd ff:ff:ff:ff:ff:ff',
  '6: c1@c0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1400 qdisc noqueue master br2 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0c:01 brd ff:ff:ff:ff:ff:ff',
  '7: c0@c1: <BROADCAST,MULTICAST> mtu 1400 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0c:00 brd ff:ff:ff:ff:ff:ff',
  '8: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '9: br1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b1:00 brd ff:ff:ff:ff:ff:ff',
  '10: br2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b2:00 brd ff:ff:ff:ff:ff:ff',
  '11: vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0d:00 brd ff:ff:ff:ff:ff:ff',
);

const L_ADDR = lines(
  '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: a1@a0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default ',
  '    link/ether 02:00:00:00:0a:01 brd ff:ff:ff:ff:ff:ff',
  '3: a0@a1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0a:00 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.3.0.1/24 scope global a0',
  '       valid_lft forever preferred_lft forever',
  '4: b1@b0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0b:01 brd ff:ff:ff:ff:ff:ff',
  '5: b0@b1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0b:00 brd ff:ff:ff:ff:ff:ff',
  '6: c1@c0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1400 qdisc noqueue master br2 state LOWERLAYERDOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0c:01 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.1.0.1/24 scope global c1',
  '       valid_lft forever preferred_lft forever',
  '7: c0@c1: <BROADCAST,MULTICAST> mtu 1400 qdisc noqueue state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0c:00 brd ff:ff:ff:ff:ff:ff',
  '8: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '9: br1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:b1:00 brd ff:ff:ff:ff:ff:ff',
  '10: br2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:b2:00 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.2.0.1/24 scope global br2',
  '       valid_lft forever preferred_lft forever',
  '11: vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    link/ether 02:00:00:00:0d:00 brd ff:ff:ff:ff:ff:ff',
);

const L_ADDR4 = lines(
  '3: a0@a1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default qlen 1000',
  '    inet 10.3.0.1/24 scope global a0',
  '       valid_lft forever preferred_lft forever',
  '6: c1@c0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1400 qdisc noqueue master br2 state LOWERLAYERDOWN group default qlen 1000',
  '    inet 10.1.0.1/24 scope global c1',
  '       valid_lft forever preferred_lft forever',
  '10: br2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state DOWN group default qlen 1000',
  '    inet 10.2.0.1/24 scope global br2',
  '       valid_lft forever preferred_lft forever',
);

const L_BRLINK = lines(
  'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> ',
  'a1@a0            DOWN           02:00:00:00:0a:01 <BROADCAST,MULTICAST,M-DOWN> ',
  'a0@a1            DOWN           02:00:00:00:0a:00 <BROADCAST,MULTICAST,M-DOWN> ',
  'b1@b0            DOWN           02:00:00:00:0b:01 <BROADCAST,MULTICAST> ',
  'b0@b1            LOWERLAYERDOWN 02:00:00:00:0b:00 <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ',
  'c1@c0            LOWERLAYERDOWN 02:00:00:00:0c:01 <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ',
  'c0@c1            DOWN           02:00:00:00:0c:00 <BROADCAST,MULTICAST> ',
  'br0              DOWN           02:00:00:00:b0:00 <BROADCAST,MULTICAST> ',
  'br1              DOWN           02:00:00:00:b1:00 <NO-CARRIER,BROADCAST,MULTICAST,UP> ',
  'br2              DOWN           02:00:00:00:b2:00 <NO-CARRIER,BROADCAST,MULTICAST,UP> ',
  'vx0              DOWN           02:00:00:00:0d:00 <BROADCAST,MULTICAST> ',
);

const L_BRADDR = lines(
  'lo               DOWN           ',
  'a1@a0            DOWN           ',
  'a0@a1            DOWN           10.3.0.1/24 ',
  'b1@b0            DOWN           ',
  'b0@b1            LOWERLAYERDOWN ',
  'c1@c0            LOWERLAYERDOWN 10.1.0.1/24 ',
  'c0@c1            DOWN           ',
  'br0              DOWN           ',
  'br1              DOWN           ',
  'br2              DOWN           10.2.0.1/24 ',
  'vx0              DOWN           ',
);

const L_JLINK =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"link":"a0","ifname":"a1","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","link_type":"ether","address":"02:00:00:00:0a:01","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":3,"link":"a1","ifname":"a0","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0a:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":4,"link":"b0","ifname":"b1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0b:01","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":5,"link":"b1","ifname":"b0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1500,"qdisc":"noqueue","operstate":"LOWERLAYERDOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0b:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":6,"link":"c0","ifname":"c1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1400,"qdisc":"noqueue","master":"br2","operstate":"LOWERLAYERDOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0c:01","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":7,"link":"c1","ifname":"c0","flags":["BROADCAST","MULTICAST"],"mtu":1400,"qdisc":"noqueue","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0c:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":8,"ifname":"br0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b0:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":9,"ifname":"br1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"noqueue","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":10,"ifname":"br2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1400,"qdisc":"noqueue","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:00","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":11,"ifname":"vx0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0d:00","broadcast":"ff:ff:ff:ff:ff:ff"}]' +
  '\n';

const L_JADDR =
  '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[]},{"ifindex":2,"link":"a0","ifname":"a1","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","link_type":"ether","address":"02:00:00:00:0a:01","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":3,"link":"a1","ifname":"a0","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0a:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.3.0.1","prefixlen":24,"scope":"global","label":"a0","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":4,"link":"b0","ifname":"b1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0b:01","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":5,"link":"b1","ifname":"b0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1500,"qdisc":"noqueue","operstate":"LOWERLAYERDOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0b:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":6,"link":"c0","ifname":"c1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1400,"qdisc":"noqueue","master":"br2","operstate":"LOWERLAYERDOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0c:01","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.1.0.1","prefixlen":24,"scope":"global","label":"c1","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":7,"link":"c1","ifname":"c0","flags":["BROADCAST","MULTICAST"],"mtu":1400,"qdisc":"noqueue","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0c:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":8,"ifname":"br0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b0:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":9,"ifname":"br1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"noqueue","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b1:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":10,"ifname":"br2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1400,"qdisc":"noqueue","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:b2:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.2.0.1","prefixlen":24,"scope":"global","label":"br2","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":11,"ifname":"vx0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:0d:00","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]}]' +
  '\n';

const L_SLINK = lines(
  '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '2: a1@a0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default ',
  '    link/ether 02:00:00:00:0a:01 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '3: a0@a1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0a:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '4: b1@b0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0b:01 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '5: b0@b1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0b:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '6: c1@c0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1400 qdisc noqueue master br2 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0c:01 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '7: c0@c1: <BROADCAST,MULTICAST> mtu 1400 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0c:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '8: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b0:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
  '9: br1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b1:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       1       0       0 ',
  '10: br2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:b2:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       1       0       0 ',
  '11: vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:0d:00 brd ff:ff:ff:ff:ff:ff',
  '    RX:  bytes packets errors dropped  missed   mcast           ',
  '             0       0      0       0       0       0 ',
  '    TX:  bytes packets errors dropped carrier collsns           ',
  '             0       0      0       0       0       0 ',
);

const L_ROUTE = lines(
  '10.1.0.0/24 dev c1 proto kernel scope link src 10.1.0.1 linkdown ',
  '10.2.0.0/24 dev br2 proto kernel scope link src 10.2.0.1 linkdown ',
);

const H_ROUTE = lines(
  'default via 172.17.0.1 dev ens3 proto static metric 100 ',
  '10.89.0.0/16 via 10.244.1.2 dev cali1 ',
  'local 10.91.0.0/16 dev lo scope host ',
  '10.92.0.0/16 via 10.244.1.2 dev cali1 onlink ',
  '10.93.0.0/16 via 172.17.0.40 dev ens3 proto dhcp metric 1024 ',
  '10.94.0.0/16 dev ens3 proto unspec scope site ',
  '10.95.0.0/16 dev ens3 proto kernel scope host ',
  '10.96.0.0/16 dev ens3 proto 250 scope 10 ',
  '10.97.0.0/16 via 172.17.0.40 dev ens3 proto zebra src 172.17.0.10 ',
  'prohibit 10.98.0.0/16 metric 5 ',
  'unreachable 10.99.0.0/16 ',
  'blackhole 10.244.1.0/26 proto bird ',
  '10.244.1.2 dev cali1 scope link ',
  '10.244.2.0/26 via 10.244.2.0 dev vxlan.calico proto 80 onlink ',
  '172.17.0.0/24 dev ens3 proto kernel scope link src 172.17.0.10 ',
);

const H_ROUTE_ALL = lines(
  'default via 172.17.0.1 dev ens3 proto static metric 100 ',
  '10.89.0.0/16 via 10.244.1.2 dev cali1 ',
  'local 10.91.0.0/16 dev lo scope host ',
  '10.92.0.0/16 via 10.244.1.2 dev cali1 onlink ',
  '10.93.0.0/16 via 172.17.0.40 dev ens3 proto dhcp metric 1024 ',
  '10.94.0.0/16 dev ens3 proto unspec scope site ',
  '10.95.0.0/16 dev ens3 proto kernel scope host ',
  '10.96.0.0/16 dev ens3 proto 250 scope 10 ',
  '10.97.0.0/16 via 172.17.0.40 dev ens3 proto zebra src 172.17.0.10 ',
  'prohibit 10.98.0.0/16 metric 5 ',
  'unreachable 10.99.0.0/16 ',
  'blackhole 10.244.1.0/26 proto bird ',
  '10.244.1.2 dev cali1 scope link ',
  '10.244.2.0/26 via 10.244.2.0 dev vxlan.calico proto 80 onlink ',
  '172.17.0.0/24 dev ens3 proto kernel scope link src 172.17.0.10 ',
  'local 10.244.1.0 dev vxlan.calico table local proto kernel scope host src 10.244.1.0 ',
  'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 ',
  'local 172.17.0.10 dev ens3 table local proto kernel scope host src 172.17.0.10 ',
  'broadcast 172.17.0.255 dev ens3 table local proto kernel scope link src 172.17.0.10 ',
);

const H_ROUTE_LOCAL = lines(
  'local 10.244.1.0 dev vxlan.calico proto kernel scope host src 10.244.1.0 ',
  'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ',
  'local 172.17.0.10 dev ens3 proto kernel scope host src 172.17.0.10 ',
  'broadcast 172.17.0.255 dev ens3 proto kernel scope link src 172.17.0.10 ',
);

const H_ROUTE_ENS3 = lines(
  'default via 172.17.0.1 proto static metric 100 ',
  '10.93.0.0/16 via 172.17.0.40 proto dhcp metric 1024 ',
  '10.94.0.0/16 proto unspec scope site ',
  '10.95.0.0/16 proto kernel scope host ',
  '10.96.0.0/16 proto 250 scope 10 ',
  '10.97.0.0/16 via 172.17.0.40 proto zebra src 172.17.0.10 ',
  '172.17.0.0/24 proto kernel scope link src 172.17.0.10 ',
);

const H_JROUTE =
  '[{"dst":"default","gateway":"172.17.0.1","dev":"ens3","protocol":"static","metric":100,"flags":[]},{"dst":"10.89.0.0/16","gateway":"10.244.1.2","dev":"cali1","flags":[]},{"type":"local","dst":"10.91.0.0/16","dev":"lo","scope":"host","flags":[]},{"dst":"10.92.0.0/16","gateway":"10.244.1.2","dev":"cali1","flags":["onlink"]},{"dst":"10.93.0.0/16","gateway":"172.17.0.40","dev":"ens3","protocol":"dhcp","metric":1024,"flags":[]},{"dst":"10.94.0.0/16","dev":"ens3","protocol":"unspec","scope":"site","flags":[]},{"dst":"10.95.0.0/16","dev":"ens3","protocol":"kernel","scope":"host","flags":[]},{"dst":"10.96.0.0/16","dev":"ens3","protocol":"250","scope":"10","flags":[]},{"dst":"10.97.0.0/16","gateway":"172.17.0.40","dev":"ens3","protocol":"zebra","prefsrc":"172.17.0.10","flags":[]},{"type":"prohibit","dst":"10.98.0.0/16","metric":5,"flags":[]},{"type":"unreachable","dst":"10.99.0.0/16","flags":[]},{"type":"blackhole","dst":"10.244.1.0/26","protocol":"bird","flags":[]},{"dst":"10.244.1.2","dev":"cali1","scope":"link","flags":[]},{"dst":"10.244.2.0/26","gateway":"10.244.2.0","dev":"vxlan.calico","protocol":"80","flags":["onlink"]},{"dst":"172.17.0.0/24","dev":"ens3","protocol":"kernel","scope":"link","prefsrc":"172.17.0.10","flags":[]}]' +
  '\n';

const H_JROUTE_ENS3 =
  '[{"dst":"default","gateway":"172.17.0.1","protocol":"static","metric":100,"flags":[]},{"dst":"10.93.0.0/16","gateway":"172.17.0.40","protocol":"dhcp","metric":1024,"flags":[]},{"dst":"10.94.0.0/16","protocol":"unspec","scope":"site","flags":[]},{"dst":"10.95.0.0/16","protocol":"kernel","scope":"host","flags":[]},{"dst":"10.96.0.0/16","protocol":"250","scope":"10","flags":[]},{"dst":"10.97.0.0/16","gateway":"172.17.0.40","protocol":"zebra","prefsrc":"172.17.0.10","flags":[]},{"dst":"172.17.0.0/24","protocol":"kernel","scope":"link","prefsrc":"172.17.0.10","flags":[]}]' +
  '\n';

const PR1_ROUTE = lines('default via 169.254.1.1 dev eth0 ', '169.254.1.1 dev eth0 scope link ');

const PR1_ROUTE_ALL = lines(
  'default via 169.254.1.1 dev eth0 ',
  '169.254.1.1 dev eth0 scope link ',
  'local 10.244.1.2 dev eth0 table local proto kernel scope host src 10.244.1.2 ',
  'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 ',
);

const PR1_JROUTE =
  '[{"dst":"default","gateway":"169.254.1.1","dev":"eth0","flags":[]},{"dst":"169.254.1.1","dev":"eth0","scope":"link","flags":[]}]' + '\n';

const PR2_ROUTE = lines(
  'default via 172.17.0.10 dev ens3 ',
  '10.50.0.0/16 via 192.168.60.2 dev vp2 metric 7 linkdown ',
  '172.17.0.0/24 dev ens3 proto kernel scope link src 172.17.0.40 ',
  '192.168.50.0/24 dev br0 proto kernel scope link src 192.168.50.1 ',
  '192.168.60.0/24 dev vp2 proto kernel scope link src 192.168.60.1 linkdown ',
);

const PR2_ROUTE_ALL = lines(
  'default via 172.17.0.10 dev ens3 ',
  '10.50.0.0/16 via 192.168.60.2 dev vp2 metric 7 linkdown ',
  '172.17.0.0/24 dev ens3 proto kernel scope link src 172.17.0.40 ',
  '192.168.50.0/24 dev br0 proto kernel scope link src 192.168.50.1 ',
  '192.168.60.0/24 dev vp2 proto kernel scope link src 192.168.60.1 linkdown ',
  'local 10.10.10.10 dev br0 table local proto kernel scope host src 10.10.10.10 ',
  'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 ',
  'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 ',
  'local 172.17.0.40 dev ens3 table local proto kernel scope host src 172.17.0.40 ',
  'broadcast 172.17.0.255 dev ens3 table local proto kernel scope link src 172.17.0.40 ',
  'local 192.168.50.1 dev br0 table local proto kernel scope host src 192.168.50.1 ',
  'local 192.168.50.3 dev br0 table local proto kernel scope host src 192.168.50.1 ',
  'local 192.168.50.4 dev br0 table local proto kernel scope host src 192.168.50.1 ',
  'broadcast 192.168.50.255 dev br0 table local proto kernel scope link src 192.168.50.1 ',
  'local 192.168.60.1 dev vp2 table local proto kernel scope host src 192.168.60.1 ',
  'broadcast 192.168.60.255 dev vp2 table local proto kernel scope link src 192.168.60.1 linkdown ',
);

const PR2_JROUTE =
  '[{"dst":"default","gateway":"172.17.0.10","dev":"ens3","flags":[]},{"dst":"10.50.0.0/16","gateway":"192.168.60.2","dev":"vp2","metric":7,"flags":["linkdown"]},{"dst":"172.17.0.0/24","dev":"ens3","protocol":"kernel","scope":"link","prefsrc":"172.17.0.40","flags":[]},{"dst":"192.168.50.0/24","dev":"br0","protocol":"kernel","scope":"link","prefsrc":"192.168.50.1","flags":[]},{"dst":"192.168.60.0/24","dev":"vp2","protocol":"kernel","scope":"link","prefsrc":"192.168.60.1","flags":["linkdown"]}]' +
  '\n';

const H_NEIGH = lines(
  '172.17.0.99 dev ens3 FAILED ',
  '172.17.0.70 dev ens3 lladdr 02:00:00:00:00:46 PROBE ',
  '172.17.0.40 dev ens3 lladdr 02:00:00:00:00:28 DELAY ',
  '172.17.0.53 dev ens3 FAILED ',
  '172.17.0.98 dev ens3 INCOMPLETE ',
  '172.17.0.52 dev ens3 FAILED ',
  '172.17.0.58 dev ens3 lladdr 02:00:00:00:00:3a router STALE ',
  '172.17.0.55 dev ens3 INCOMPLETE ',
  '172.17.0.54 dev ens3 FAILED ',
  '172.17.0.51 dev ens3 lladdr 02:00:00:00:00:33 STALE ',
  '172.17.0.57 dev ens3 lladdr 02:00:00:00:00:39 router PERMANENT ',
  '172.17.0.71 dev ens3 lladdr 02:00:00:00:00:47 DELAY ',
  '172.17.0.50 dev ens3 lladdr 02:00:00:00:00:32 STALE ',
  '10.244.2.0 dev vxlan.calico lladdr 66:00:00:00:00:14 PERMANENT ',
);

const H_NEIGH_ALL = lines(
  '172.17.0.99 dev ens3 FAILED ',
  '172.17.0.56 dev ens3 lladdr 02:00:00:00:00:38 NOARP ',
  '172.17.0.70 dev ens3 lladdr 02:00:00:00:00:46 PROBE ',
  '172.17.0.40 dev ens3 lladdr 02:00:00:00:00:28 DELAY ',
  '172.17.0.53 dev ens3 FAILED ',
  '172.17.0.98 dev ens3 INCOMPLETE ',
  '172.17.0.52 dev ens3 FAILED ',
  '172.17.0.58 dev ens3 lladdr 02:00:00:00:00:3a router STALE ',
  '172.17.0.55 dev ens3 INCOMPLETE ',
  '172.17.0.54 dev ens3 FAILED ',
  '172.17.0.51 dev ens3 lladdr 02:00:00:00:00:33 STALE ',
  '172.17.0.57 dev ens3 lladdr 02:00:00:00:00:39 router PERMANENT ',
  '172.17.0.71 dev ens3 lladdr 02:00:00:00:00:47 DELAY ',
  '172.17.0.50 dev ens3 lladdr 02:00:00:00:00:32 STALE ',
  '10.244.2.0 dev vxlan.calico lladdr 66:00:00:00:00:14 PERMANENT ',
);

const H_JNEIGH =
  '[{"dst":"172.17.0.99","dev":"ens3","state":["FAILED"]},{"dst":"172.17.0.70","dev":"ens3","lladdr":"02:00:00:00:00:46","state":["PROBE"]},{"dst":"172.17.0.40","dev":"ens3","lladdr":"02:00:00:00:00:28","state":["DELAY"]},{"dst":"172.17.0.53","dev":"ens3","state":["FAILED"]},{"dst":"172.17.0.98","dev":"ens3","state":["INCOMPLETE"]},{"dst":"172.17.0.52","dev":"ens3","state":["FAILED"]},{"dst":"172.17.0.58","dev":"ens3","lladdr":"02:00:00:00:00:3a","router":null,"state":["STALE"]},{"dst":"172.17.0.55","dev":"ens3","state":["INCOMPLETE"]},{"dst":"172.17.0.54","dev":"ens3","state":["FAILED"]},{"dst":"172.17.0.51","dev":"ens3","lladdr":"02:00:00:00:00:33","state":["STALE"]},{"dst":"172.17.0.57","dev":"ens3","lladdr":"02:00:00:00:00:39","router":null,"state":["PERMANENT"]},{"dst":"172.17.0.71","dev":"ens3","lladdr":"02:00:00:00:00:47","state":["DELAY"]},{"dst":"172.17.0.50","dev":"ens3","lladdr":"02:00:00:00:00:32","state":["STALE"]},{"dst":"10.244.2.0","dev":"vxlan.calico","lladdr":"66:00:00:00:00:14","state":["PERMANENT"]}]' +
  '\n';

const H_NEIGH_DEV = lines(
  '172.17.0.99 FAILED ',
  '172.17.0.70 lladdr 02:00:00:00:00:46 PROBE ',
  '172.17.0.40 lladdr 02:00:00:00:00:28 DELAY ',
  '172.17.0.53 FAILED ',
  '172.17.0.98 INCOMPLETE ',
  '172.17.0.52 FAILED ',
  '172.17.0.58 lladdr 02:00:00:00:00:3a router STALE ',
  '172.17.0.55 INCOMPLETE ',
  '172.17.0.54 FAILED ',
  '172.17.0.51 lladdr 02:00:00:00:00:33 STALE ',
  '172.17.0.57 lladdr 02:00:00:00:00:39 router PERMANENT ',
  '172.17.0.71 lladdr 02:00:00:00:00:47 DELAY ',
  '172.17.0.50 lladdr 02:00:00:00:00:32 STALE ',
);

const H_JNEIGH_DEV =
  '[{"dst":"172.17.0.99","state":["FAILED"]},{"dst":"172.17.0.70","lladdr":"02:00:00:00:00:46","state":["PROBE"]},{"dst":"172.17.0.40","lladdr":"02:00:00:00:00:28","state":["DELAY"]},{"dst":"172.17.0.53","state":["FAILED"]},{"dst":"172.17.0.98","state":["INCOMPLETE"]},{"dst":"172.17.0.52","state":["FAILED"]},{"dst":"172.17.0.58","lladdr":"02:00:00:00:00:3a","router":null,"state":["STALE"]},{"dst":"172.17.0.55","state":["INCOMPLETE"]},{"dst":"172.17.0.54","state":["FAILED"]},{"dst":"172.17.0.51","lladdr":"02:00:00:00:00:33","state":["STALE"]},{"dst":"172.17.0.57","lladdr":"02:00:00:00:00:39","router":null,"state":["PERMANENT"]},{"dst":"172.17.0.71","lladdr":"02:00:00:00:00:47","state":["DELAY"]},{"dst":"172.17.0.50","lladdr":"02:00:00:00:00:32","state":["STALE"]}]' +
  '\n';

const H_NEIGH_ADDR = lines('172.17.0.57 dev ens3 lladdr 02:00:00:00:00:39 router PERMANENT ');

const PR2_NEIGH = lines('172.17.0.10 dev ens3 lladdr 02:00:00:00:00:0a DELAY ', '192.168.50.2 dev br0 lladdr 02:00:00:00:b1:02 STALE ');

const PR3_NEIGH = lines('192.168.50.1 dev vp1b lladdr 02:00:00:00:b0:00 STALE ');

const H_NETNS = lines('pr3', 'pr2 (id: 0)', 'pr1 (id: 1)');

const PR1_NETNS = lines('pr3', 'pr2 (id: 1)', 'pr1');

const PR2_NETNS = lines('pr3 (id: 2)', 'pr2', 'pr1 (id: 1)');

const PR3_NETNS = lines('pr3', 'pr2 (id: 0)', 'pr1');

// ---------------------------------------------------------------------------------------------
// The node: an unnamed host namespace, a pod pr1, pr2 with bridge br0, pr3 with bridge br1

const HOST = netns(
  INIT_NS,
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:0a', 'pr2', 2),
    veth(3, 'cali1', 'ee:ee:ee:ee:ee:ee', 'pr1', 2),
    vxlan(4, 'vxlan.calico', '66:00:00:00:00:0a', { vni: 4096, local: ip('172.17.0.10'), dev: 2, learning: false }, { mtu: 1450 }),
  ],
  {
    nsids: [
      ['pr2', 0],
      ['pr1', 1],
    ],
    addrs: [LO_ADDR, addr(2, '172.17.0.10/24', 'ens3', { brd: '172.17.0.255' }), addr(4, '10.244.1.0/32', 'vxlan.calico')],
    routes: [
      route('default', { via: '172.17.0.1', dev: 2, proto: 4, metric: 100 }),
      route('10.89.0.0/16', { via: '10.244.1.2', dev: 3 }),
      route('10.91.0.0/16', { type: 'local', dev: 1, scope: RouteScope.Host }),
      route('10.92.0.0/16', { via: '10.244.1.2', dev: 3, onlink: true }),
      route('10.93.0.0/16', { via: '172.17.0.40', dev: 2, proto: 16, metric: 1024 }),
      route('10.94.0.0/16', { dev: 2, proto: 0, scope: RouteScope.Site }),
      route('10.95.0.0/16', { dev: 2, proto: 2, scope: RouteScope.Host }),
      route('10.96.0.0/16', { dev: 2, proto: 250, scope: 10 }),
      route('10.97.0.0/16', { via: '172.17.0.40', dev: 2, proto: 11, src: '172.17.0.10' }),
      route('10.98.0.0/16', { type: 'prohibit', metric: 5 }),
      route('10.99.0.0/16', { type: 'unreachable' }),
      route('10.244.1.0/26', { type: 'blackhole', proto: 12 }),
      route('10.244.1.2', { dev: 3, scope: RouteScope.Link }),
      route('10.244.2.0/26', { via: '10.244.2.0', dev: 4, proto: 80, onlink: true }),
      kernelRoute('172.17.0.0/24', 2, '172.17.0.10'),
      localRoute(4, '10.244.1.0'),
      ...LO_ROUTES,
      localRoute(2, '172.17.0.10'),
      broadcastRoute(2, '172.17.0.255', '172.17.0.10'),
    ],
    neigh: [
      neigh('172.17.0.99', 2, NudState.Failed),
      neigh('172.17.0.56', 2, NudState.Noarp, '02:00:00:00:00:38'),
      neigh('172.17.0.70', 2, NudState.Probe, '02:00:00:00:00:46'),
      neigh('172.17.0.40', 2, NudState.Delay, '02:00:00:00:00:28'),
      neigh('172.17.0.53', 2, NudState.Failed, '02:00:00:00:00:35'),
      neigh('172.17.0.98', 2, NudState.Incomplete),
      neigh('172.17.0.52', 2, NudState.Failed, '02:00:00:00:00:34'),
      neigh('172.17.0.58', 2, NudState.Stale, '02:00:00:00:00:3a', true),
      neigh('172.17.0.55', 2, NudState.Incomplete),
      neigh('172.17.0.54', 2, NudState.Failed),
      neigh('172.17.0.51', 2, NudState.Stale, '02:00:00:00:00:33'),
      neigh('172.17.0.57', 2, NudState.Permanent, '02:00:00:00:00:39', true),
      neigh('172.17.0.71', 2, NudState.Delay, '02:00:00:00:00:47'),
      neigh('172.17.0.50', 2, NudState.Stale, '02:00:00:00:00:32'),
      neigh('10.244.2.0', 4, NudState.Permanent, '66:00:00:00:00:14'),
    ],
  },
);

const POD = netns(
  'pr1',
  [
    lo(),
    veth(2, 'eth0', '02:00:00:01:00:02', INIT_NS, 3),
    veth(3, 'eth1', '02:00:00:00:b2:02', 'pr2', 6, { adminUp: false, everUp: false }),
  ],
  {
    nsids: [
      [INIT_NS, 0],
      ['pr2', 1],
    ],
    addrs: [LO_ADDR, addr(2, '10.244.1.2/32', 'eth0')],
    routes: [
      route('default', { via: '169.254.1.1', dev: 2 }),
      route('169.254.1.1', { dev: 2, scope: RouteScope.Link }),
      localRoute(2, '10.244.1.2'),
      ...LO_ROUTES,
    ],
  },
);

const PR2 = netns(
  'pr2',
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:28', INIT_NS, 2, { stats: stats(938, 17, 280, 4) }),
    bridge(3, 'br0', '02:00:00:00:b0:00', {
      stats: stats(140, 3, 182, 3, 2),
      fdb: [
        fdbLocal('02:00:00:00:b0:00', 3),
        fdb('02:00:00:00:b1:02', 5),
        fdbLocal('02:00:00:00:b1:01', 5),
        fdbLocal('02:00:00:00:b2:01', 6),
      ],
    }),
    veth(5, 'vp1', '02:00:00:00:b1:01', 'pr3', 4, { master: 3, stats: stats(182, 3, 182, 3) }),
    veth(6, 'vp2', '02:00:00:00:b2:01', 'pr1', 3, { master: 3 }),
  ],
  {
    nsids: [
      [INIT_NS, 0],
      ['pr1', 1],
      ['pr3', 2],
    ],
    addrs: [
      LO_ADDR,
      addr(2, '172.17.0.40/24', 'ens3', { brd: '172.17.0.255' }),
      addr(3, '10.10.10.10/32', 'br0', { scope: RouteScope.Link }),
      addr(3, '192.168.50.1/24', 'br0'),
      addr(3, '192.168.50.3/24', 'br0', { secondary: true }),
      addr(3, '192.168.50.4/24', 'br0:1', { brd: '192.168.50.255', secondary: true }),
      addr(6, '192.168.60.1/24', 'vp2'),
    ],
    routes: [
      route('default', { via: '172.17.0.10', dev: 2 }),
      route('10.50.0.0/16', { via: '192.168.60.2', dev: 6, metric: 7 }),
      kernelRoute('172.17.0.0/24', 2, '172.17.0.40'),
      kernelRoute('192.168.50.0/24', 3, '192.168.50.1'),
      kernelRoute('192.168.60.0/24', 6, '192.168.60.1'),
      localRoute(3, '10.10.10.10'),
      ...LO_ROUTES,
      localRoute(2, '172.17.0.40'),
      broadcastRoute(2, '172.17.0.255', '172.17.0.40'),
      localRoute(3, '192.168.50.1'),
      localRoute(3, '192.168.50.3', '192.168.50.1'),
      localRoute(3, '192.168.50.4', '192.168.50.1'),
      broadcastRoute(3, '192.168.50.255', '192.168.50.1'),
      localRoute(6, '192.168.60.1'),
      broadcastRoute(6, '192.168.60.255', '192.168.60.1'),
    ],
    neigh: [neigh('172.17.0.10', 2, NudState.Delay, '02:00:00:00:00:0a'), neigh('192.168.50.2', 3, NudState.Stale, '02:00:00:00:b1:02')],
  },
);

const PR3 = netns(
  'pr3',
  [
    lo(),
    veth(3, 'vq1b', '02:00:00:00:c1:02', 'pr3', 5),
    veth(4, 'vp1b', '02:00:00:00:b1:02', 'pr2', 5),
    veth(5, 'vq1', '02:00:00:00:c1:01', 'pr3', 3, { master: 6 }),
    bridge(6, 'br1', '02:00:00:00:c0:00', { fdb: [fdbLocal('02:00:00:00:c1:01', 5), fdbLocal('02:00:00:00:c0:00', 6)] }),
  ],
  {
    nsids: [['pr2', 0]],
    addrs: [LO_ADDR, addr(4, '192.168.50.2/24', 'vp1b')],
    routes: [
      kernelRoute('192.168.50.0/24', 4, '192.168.50.2'),
      localRoute(4, '192.168.50.2'),
      broadcastRoute(4, '192.168.50.255', '192.168.50.2'),
      ...LO_ROUTES,
    ],
    neigh: [neigh('192.168.50.1', 4, NudState.Stale, '02:00:00:00:b0:00')],
  },
);

const NODE = kernelView(world([HOST, POD, PR2, PR3]));

// ---------------------------------------------------------------------------------------------
// The lab prL: veths never up (a0/a1, a1 with txqueuelen 0), one end up (b0/b1), both once up then
// one down (c0/c1, c1 a port of br2), a bridge never up (br0), up without ports (br1), up with a
// port without carrier (br2), a VXLAN device never up (vx0), and loopback down. Every bridge had
// its address set by hand, so br_port_state_selection has run for all three.

const LAB = kernelView(
  world([
    netns(
      'prL',
      [
        lo({ adminUp: false, everUp: false }),
        veth(2, 'a1', '02:00:00:00:0a:01', 'prL', 3, { adminUp: false, everUp: false, txqlen: 0 }),
        veth(3, 'a0', '02:00:00:00:0a:00', 'prL', 2, { adminUp: false, everUp: false }),
        veth(4, 'b1', '02:00:00:00:0b:01', 'prL', 5, { adminUp: false, everUp: false }),
        veth(5, 'b0', '02:00:00:00:0b:00', 'prL', 4),
        veth(6, 'c1', '02:00:00:00:0c:01', 'prL', 7, { mtu: 1400, master: 10 }),
        veth(7, 'c0', '02:00:00:00:0c:00', 'prL', 6, { mtu: 1400, adminUp: false }),
        bridge(8, 'br0', '02:00:00:00:b0:00', { adminUp: false, everUp: false, fdb: [fdbLocal('02:00:00:00:b0:00', 8)] }),
        bridge(9, 'br1', '02:00:00:00:b1:00', { stats: stats(0, 0, 0, 0, 1), fdb: [fdbLocal('02:00:00:00:b1:00', 9)] }),
        bridge(10, 'br2', '02:00:00:00:b2:00', {
          mtu: 1400,
          stats: stats(0, 0, 0, 0, 1),
          fdb: [fdbLocal('02:00:00:00:0c:01', 6), fdbLocal('02:00:00:00:b2:00', 10)],
        }),
        vxlan(11, 'vx0', '02:00:00:00:0d:00', { vni: 42 }, { adminUp: false, everUp: false }),
      ],
      {
        addrs: [addr(3, '10.3.0.1/24', 'a0'), addr(6, '10.1.0.1/24', 'c1'), addr(10, '10.2.0.1/24', 'br2')],
        // a0 is down, so its address brings only its local route (fib_add_ifaddr); lo has no address.
        routes: [
          kernelRoute('10.1.0.0/24', 6, '10.1.0.1'),
          kernelRoute('10.2.0.0/24', 10, '10.2.0.1'),
          localRoute(3, '10.3.0.1'),
          localRoute(6, '10.1.0.1'),
          broadcastRoute(6, '10.1.0.255', '10.1.0.1'),
          localRoute(10, '10.2.0.1'),
          broadcastRoute(10, '10.2.0.255', '10.2.0.1'),
        ],
      },
    ),
  ]),
);

// ---------------------------------------------------------------------------------------------
// A host whose veth peers are still down: ens3@if2 names ifindex 2 of its own namespace, which is
// itself, so without carrier it is DOWN; cali1@if2 names ens3 (no carrier), so it is LOWERLAYERDOWN.

const EARLY = kernelView(
  world([
    netns(INIT_NS, [lo(), veth(2, 'ens3', '02:00:00:00:00:0a', 'pr2', 2), veth(3, 'cali1', 'ee:ee:ee:ee:ee:ee', 'pr1', 2)], {
      nsids: [
        ['pr2', 0],
        ['pr1', 1],
      ],
    }),
    netns(
      'pr1',
      [lo({ adminUp: false, everUp: false }), veth(2, 'eth0', '02:00:00:01:00:02', INIT_NS, 3, { adminUp: false, everUp: false })],
      {
        nsids: [[INIT_NS, 0]],
      },
    ),
    netns(
      'pr2',
      [lo({ adminUp: false, everUp: false }), veth(2, 'ens3', '02:00:00:00:00:28', INIT_NS, 2, { adminUp: false, everUp: false })],
      {
        nsids: [[INIT_NS, 0]],
      },
    ),
  ]),
);

const EARLY_HOST_LINK = lines(
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: ens3@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff link-netns pr2',
  '3: cali1@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000',
  '    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns pr1',
);
const EARLY_POD_LINK = lines(
  '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:01:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
);
const EARLY_PR2_LINK = lines(
  '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: ens3@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
  '    link/ether 02:00:00:00:00:28 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
);

// ---------------------------------------------------------------------------------------------
// Tests

describe('ip link', () => {
  test.each([
    ['host (unnamed namespace: link-netns NAME for named peers, vxlan without @)', INIT_NS, H_LINK],
    ['pod (peer in the unnamed namespace: link-netnsid 0; eth1 never up)', 'pr1', PR1_LINK],
    ['pr2 (bridge with ports, a port without carrier)', 'pr2', PR2_LINK],
    ['pr3 (same-namespace veth pair: name@peer)', 'pr3', PR3_LINK],
    ['lab (down, no carrier, M-DOWN, noop qdisc, qlen 0)', 'prL', L_LINK],
  ])('%s', (_name, ns, want) => {
    const w = ns === 'prL' ? LAB : NODE;
    expect(formatIpLink(w, ns)).toBe(want);
  });

  test('a veth whose peer is down, iflink equal to its own ifindex or naming a device without carrier', () => {
    expect(formatIpLink(EARLY, INIT_NS)).toBe(EARLY_HOST_LINK);
    expect(formatIpLink(EARLY, 'pr1')).toBe(EARLY_POD_LINK);
    expect(formatIpLink(EARLY, 'pr2')).toBe(EARLY_PR2_LINK);
    const host = EARLY.world.namespaces.get(INIT_NS)!;
    expect(linkOperstate(EARLY.world, EARLY.drivers, INIT_NS, host.links.get(2)!)).toBe('DOWN');
    expect(linkOperstate(EARLY.world, EARLY.drivers, INIT_NS, host.links.get(3)!)).toBe('LOWERLAYERDOWN');
  });

  test('show dev NAME', () => {
    expect(formatIpLink(NODE, INIT_NS, { dev: 'cali1' })).toBe(H_LINK_CALI1);
    expect(formatIpLink(NODE, INIT_NS, { dev: 'vxlan.calico' })).toBe(H_LINK_VXLAN);
  });

  test('an unknown device fails like ip does', () => {
    expect(() => formatIpLink(NODE, 'pr1', { dev: 'nosuch' })).toThrow(CommandError);
    try {
      formatIpLink(NODE, 'pr1', { dev: 'nosuch' });
    } catch (e) {
      expect((e as CommandError).stderr).toBe('Device "nosuch" does not exist.\n');
      expect((e as CommandError).exitCode).toBe(1);
    }
  });

  test.each([
    [INIT_NS, H_BRLINK],
    ['pr1', PR1_BRLINK],
    ['pr2', PR2_BRLINK],
    ['pr3', PR3_BRLINK],
  ])('-br link in %j', (ns, want) => {
    expect(formatIpLink(NODE, ns, { brief: true })).toBe(want);
  });

  test('-br link in the lab (LOWERLAYERDOWN fills the state column)', () => {
    expect(formatIpLink(LAB, 'prL', { brief: true })).toBe(L_BRLINK);
  });

  test.each([
    [INIT_NS, H_JLINK],
    ['pr1', PR1_JLINK],
    ['pr2', PR2_JLINK],
    ['pr3', PR3_JLINK],
  ])('-j link in %j', (ns, want) => {
    expect(formatIpLink(NODE, ns, { json: true })).toBe(want);
  });

  test('-j link in the lab (no txqlen member for qlen 0, M-DOWN in flags)', () => {
    expect(formatIpLink(LAB, 'prL', { json: true })).toBe(L_JLINK);
  });

  test('-j -br link', () => {
    expect(formatIpLink(NODE, 'pr2', { json: true, brief: true })).toBe(PR2_JBRLINK);
  });

  test('-s link', () => {
    expect(formatIpLink(NODE, 'pr2', { stats: true })).toBe(PR2_SLINK);
    expect(formatIpLink(LAB, 'prL', { stats: true })).toBe(L_SLINK);
    expect(formatIpLink(NODE, 'pr2', { stats: true, json: true, dev: 'vp1' })).toBe(PR2_JSLINK_VP1);
  });

  test('-s link widens a column for a long counter', () => {
    // A fresh namespace as the kernel makes it (lo up), with lo's counters grown.
    const x = newNetns('x', allDrivers());
    x.links.get(1)!.stats = { rxPackets: 123456789, rxBytes: 12345678901234, txPackets: 1, txBytes: 2, rxDropped: 0, txDropped: 0 };
    const big = kernelView(world([x]));
    expect(formatIpLink(big, 'x', { stats: true })).toBe(
      lines(
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    RX:      bytes   packets errors dropped  missed   mcast           ',
        '    12345678901234 123456789      0       0       0       0 ',
        '    TX:      bytes   packets errors dropped carrier collsns           ',
        '                 2         1      0       0       0       0 ',
      ),
    );
  });
});

describe('ip address', () => {
  test.each([
    [INIT_NS, H_ADDR],
    ['pr1', PR1_ADDR],
    ['pr2', PR2_ADDR],
    ['pr3', PR3_ADDR],
  ])('ip addr in %j', (ns, want) => {
    expect(formatIpAddr(NODE, ns)).toBe(want);
  });

  test('ip addr in the lab (an address on a down device, qlen 0)', () => {
    expect(formatIpAddr(LAB, 'prL')).toBe(L_ADDR);
  });

  test.each([
    [INIT_NS, H_ADDR4],
    ['pr1', PR1_ADDR4],
    ['pr2', PR2_ADDR4],
  ])('ip -4 addr in %j (link-netns joins the first line)', (ns, want) => {
    expect(formatIpAddr(NODE, ns, { inet: true })).toBe(want);
  });

  test('ip -4 addr in the lab', () => {
    expect(formatIpAddr(LAB, 'prL', { inet: true })).toBe(L_ADDR4);
  });

  test('show dev NAME', () => {
    expect(formatIpAddr(NODE, INIT_NS, { dev: 'ens3' })).toBe(H_ADDR_ENS3);
    expect(formatIpAddr(NODE, INIT_NS, { dev: 'cali1', inet: true })).toBe('');
  });

  test.each([
    [INIT_NS, H_BRADDR],
    ['pr1', PR1_BRADDR],
    ['pr2', PR2_BRADDR],
    ['pr3', PR3_BRADDR],
  ])('-br addr in %j', (ns, want) => {
    expect(formatIpAddr(NODE, ns, { brief: true })).toBe(want);
  });

  test('-br -4 addr and -br addr in the lab', () => {
    expect(formatIpAddr(NODE, 'pr2', { brief: true, inet: true })).toBe(PR2_BRADDR4);
    expect(formatIpAddr(LAB, 'prL', { brief: true })).toBe(L_BRADDR);
  });

  test.each([
    [INIT_NS, false, H_JADDR],
    ['pr1', false, PR1_JADDR],
    ['pr2', false, PR2_JADDR],
    [INIT_NS, true, H_JADDR4],
    ['pr2', true, PR2_JADDR4],
  ])('-j addr in %j (-4: %j)', (ns, inet, want) => {
    expect(formatIpAddr(NODE, ns, { json: true, inet })).toBe(want);
  });

  test('-j addr in the lab and -j -br addr', () => {
    expect(formatIpAddr(LAB, 'prL', { json: true })).toBe(L_JADDR);
    expect(formatIpAddr(NODE, 'pr2', { json: true, brief: true })).toBe(PR2_JBRADDR);
  });
});

describe('ip route', () => {
  test.each([
    [INIT_NS, H_ROUTE],
    ['pr1', PR1_ROUTE],
    ['pr2', PR2_ROUTE],
  ])('ip route in %j', (ns, want) => {
    expect(formatIpRoute(NODE, ns)).toBe(want);
  });

  test('linkdown on routes whose device has no carrier', () => {
    expect(formatIpRoute(LAB, 'prL')).toBe(L_ROUTE);
  });

  test.each([
    [INIT_NS, H_ROUTE_ALL],
    ['pr1', PR1_ROUTE_ALL],
    ['pr2', PR2_ROUTE_ALL],
  ])('ip route show table all in %j', (ns, want) => {
    expect(formatIpRoute(NODE, ns, { table: 'all' })).toBe(want);
  });

  test('ip route show table local', () => {
    expect(formatIpRoute(NODE, INIT_NS, { table: 255 })).toBe(H_ROUTE_LOCAL);
  });

  test('ip route show dev NAME drops dev', () => {
    expect(formatIpRoute(NODE, INIT_NS, { dev: 'ens3' })).toBe(H_ROUTE_ENS3);
    expect(formatIpRoute(NODE, INIT_NS, { dev: 'ens3', json: true })).toBe(H_JROUTE_ENS3);
    expect(() => formatIpRoute(NODE, INIT_NS, { dev: 'nosuch' })).toThrow('Cannot find device "nosuch"');
  });

  test.each([
    [INIT_NS, H_JROUTE],
    ['pr1', PR1_JROUTE],
    ['pr2', PR2_JROUTE],
  ])('ip -j route in %j', (ns, want) => {
    expect(formatIpRoute(NODE, ns, { json: true })).toBe(want);
  });
});

describe('a namespace as the kernel model makes it', () => {
  // The real kernel printed the same lo in every namespace of the node; these are its lines.
  const fresh = kernelView(world([newNetns('x', allDrivers())]));
  const loAddr = `${H_ADDR.split('\n').slice(0, 4).join('\n')}\n`;
  const loRoutes = `${PR1_ROUTE_ALL.split('\n').slice(3, 6).join('\n')}\n`;

  test('lo is up with 127.0.0.1/8 and its local routes, as the hand-built namespaces have it', () => {
    expect(formatIpAddr(fresh, 'x')).toBe(loAddr);
    expect(formatIpRoute(fresh, 'x', { table: 'all' })).toBe(loRoutes);
    const ns = fresh.world.namespaces.get('x')!;
    expect(ns.addrs).toEqual([LO_ADDR]);
    expect(ns.fib.all()).toEqual([...LO_ROUTES]);
  });
});

describe('ip route get', () => {
  const H = NODE.world.namespaces.get(INIT_NS)!;
  const find = (ns: Netns, dst: string, table: number = RouteTable.Main): Route => {
    const d = prefix(dst);
    const r = ns.fib.aliases(table, d.addr, d.len)[0];
    if (!r) throw new Error(dst);
    return r;
  };
  const SRC = ip('172.17.0.10');

  test('through a gateway', () => {
    const res = {
      dst: ip('10.244.2.5'),
      route: find(H, '10.244.2.0/26'),
      dev: 'vxlan.calico',
      gateway: ip('10.244.2.0'),
      prefsrc: ip('10.244.1.0'),
    };
    expect(formatRouteGet(NODE, INIT_NS, res)).toBe(
      lines('10.244.2.5 via 10.244.2.0 dev vxlan.calico src 10.244.1.0 uid 0 ', '    cache '),
    );
    expect(formatRouteGet(NODE, INIT_NS, { ...res, fibmatch: true })).toBe(
      lines('10.244.2.0/26 via 10.244.2.0 dev vxlan.calico proto 80 onlink '),
    );
    expect(formatRouteGet(NODE, INIT_NS, res, { json: true })).toBe(
      '[{"dst":"10.244.2.5","gateway":"10.244.2.0","dev":"vxlan.calico","prefsrc":"10.244.1.0","flags":[],"uid":0,"cache":[]}]\n',
    );
    expect(formatRouteGet(NODE, INIT_NS, { ...res, fibmatch: true }, { json: true })).toBe(
      '[{"dst":"10.244.2.0/26","gateway":"10.244.2.0","dev":"vxlan.calico","protocol":"80","flags":["onlink"]}]\n',
    );
    const dflt = { dst: ip('8.8.8.8'), route: find(H, 'default'), dev: 'ens3', gateway: ip('172.17.0.1'), prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, dflt)).toBe(lines('8.8.8.8 via 172.17.0.1 dev ens3 src 172.17.0.10 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, INIT_NS, { ...dflt, fibmatch: true })).toBe(
      lines('default via 172.17.0.1 dev ens3 proto static metric 100 '),
    );
    const zebra = { dst: ip('10.97.1.1'), route: find(H, '10.97.0.0/16'), dev: 'ens3', gateway: ip('172.17.0.40'), prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, zebra)).toBe(lines('10.97.1.1 via 172.17.0.40 dev ens3 src 172.17.0.10 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, INIT_NS, { ...zebra, fibmatch: true })).toBe(
      lines('10.97.0.0/16 via 172.17.0.40 dev ens3 proto zebra src 172.17.0.10 '),
    );
  });

  test('directly connected', () => {
    const res = { dst: ip('172.17.0.40'), route: find(H, '172.17.0.0/24'), dev: 'ens3', prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, res)).toBe(lines('172.17.0.40 dev ens3 src 172.17.0.10 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, INIT_NS, { ...res, fibmatch: true })).toBe(
      lines('172.17.0.0/24 dev ens3 proto kernel scope link src 172.17.0.10 '),
    );
    const pod = { dst: ip('10.244.1.2'), route: find(H, '10.244.1.2'), dev: 'cali1', prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, pod)).toBe(lines('10.244.1.2 dev cali1 src 172.17.0.10 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, INIT_NS, { ...pod, fibmatch: true })).toBe(lines('10.244.1.2 dev cali1 scope link '));
  });

  test('local destinations', () => {
    const res = { dst: ip('172.17.0.10'), route: find(H, '172.17.0.10', 255), dev: 'lo', prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, res)).toBe(lines('local 172.17.0.10 dev lo src 172.17.0.10 uid 0 ', '    cache <local> '));
    expect(formatRouteGet(NODE, INIT_NS, { ...res, fibmatch: true })).toBe(
      lines('local 172.17.0.10 dev ens3 proto kernel scope host src 172.17.0.10 '),
    );
    expect(formatRouteGet(NODE, INIT_NS, res, { json: true })).toBe(
      '[{"type":"local","dst":"172.17.0.10","dev":"lo","prefsrc":"172.17.0.10","flags":[],"uid":0,"cache":["local"]}]\n',
    );
    const inMain = { dst: ip('10.91.1.1'), route: find(H, '10.91.0.0/16'), dev: 'lo', prefsrc: ip('10.91.1.1') };
    expect(formatRouteGet(NODE, INIT_NS, inMain)).toBe(lines('local 10.91.1.1 dev lo src 10.91.1.1 uid 0 ', '    cache <local> '));
    expect(formatRouteGet(NODE, INIT_NS, { ...inMain, fibmatch: true })).toBe(lines('local 10.91.0.0/16 dev lo scope host '));
    const loop = { dst: ip('127.1.2.3'), route: find(H, '127.0.0.0/8', 255), dev: 'lo', prefsrc: ip('127.0.0.1') };
    expect(formatRouteGet(NODE, INIT_NS, loop)).toBe(lines('local 127.1.2.3 dev lo src 127.0.0.1 uid 0 ', '    cache <local> '));
    expect(formatRouteGet(NODE, INIT_NS, { ...loop, fibmatch: true })).toBe(
      lines('local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 '),
    );
  });

  test('broadcast and multicast destinations', () => {
    const brd = { dst: ip('172.17.0.255'), route: find(H, '172.17.0.255', 255), dev: 'ens3', prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, brd)).toBe(
      lines('broadcast 172.17.0.255 dev ens3 src 172.17.0.10 uid 0 ', '    cache <local,brd> '),
    );
    expect(formatRouteGet(NODE, INIT_NS, { ...brd, fibmatch: true })).toBe(
      lines('broadcast 172.17.0.255 dev ens3 proto kernel scope link src 172.17.0.10 '),
    );
    expect(formatRouteGet(NODE, INIT_NS, brd, { json: true })).toBe(
      '[{"type":"broadcast","dst":"172.17.0.255","dev":"ens3","prefsrc":"172.17.0.10","flags":[],"uid":0,"cache":["local","brd"]}]\n',
    );
    const mc = { dst: ip('224.0.0.5'), route: find(H, 'default'), type: 'multicast' as const, dev: 'ens3', prefsrc: SRC };
    expect(formatRouteGet(NODE, INIT_NS, mc)).toBe(
      lines('multicast 224.0.0.5 dev ens3 src 172.17.0.10 rt_offload_failed uid 0 ', '    cache <mc> '),
    );
    expect(formatRouteGet(NODE, INIT_NS, { ...mc, fibmatch: true })).toBe(
      lines('multicast default via 172.17.0.1 dev ens3 proto static metric 100 '),
    );
  });

  test('from a pod, with and without from', () => {
    const P = NODE.world.namespaces.get('pr1')!;
    const res = { dst: ip('10.244.2.5'), route: find(P, 'default'), dev: 'eth0', gateway: ip('169.254.1.1'), prefsrc: ip('10.244.1.2') };
    expect(formatRouteGet(NODE, 'pr1', res)).toBe(lines('10.244.2.5 via 169.254.1.1 dev eth0 src 10.244.1.2 uid 0 ', '    cache '));
    const from = { ...res, prefsrc: undefined, from: ip('10.244.1.2') };
    expect(formatRouteGet(NODE, 'pr1', from)).toBe(lines('10.244.2.5 from 10.244.1.2 via 169.254.1.1 dev eth0 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, 'pr1', from, { json: true })).toBe(
      '[{"dst":"10.244.2.5","from":"10.244.1.2","gateway":"169.254.1.1","dev":"eth0","flags":[],"uid":0,"cache":[]}]\n',
    );
  });

  test('a route without carrier: linkdown under fibmatch only', () => {
    const P = NODE.world.namespaces.get('pr2')!;
    const res = {
      dst: ip('10.50.1.1'),
      route: find(P, '10.50.0.0/16'),
      dev: 'vp2',
      gateway: ip('192.168.60.2'),
      prefsrc: ip('192.168.60.1'),
    };
    expect(formatRouteGet(NODE, 'pr2', res)).toBe(lines('10.50.1.1 via 192.168.60.2 dev vp2 src 192.168.60.1 uid 0 ', '    cache '));
    expect(formatRouteGet(NODE, 'pr2', { ...res, fibmatch: true })).toBe(lines('10.50.0.0/16 via 192.168.60.2 dev vp2 metric 7 linkdown '));
    const conn = { dst: ip('192.168.60.7'), route: find(P, '192.168.60.0/24'), dev: 'vp2', prefsrc: ip('192.168.60.1'), fibmatch: true };
    expect(formatRouteGet(NODE, 'pr2', conn)).toBe(lines('192.168.60.0/24 dev vp2 proto kernel scope link src 192.168.60.1 linkdown '));
  });
});

describe('ip neigh', () => {
  test('every state, NOARP hidden, lladdr only for valid states', () => {
    expect(formatIpNeigh(NODE, INIT_NS)).toBe(H_NEIGH);
    expect(formatIpNeigh(NODE, INIT_NS, { json: true })).toBe(H_JNEIGH);
  });

  test('nud all shows NOARP', () => {
    expect(formatIpNeigh(NODE, INIT_NS, { nudAll: true })).toBe(H_NEIGH_ALL);
  });

  test('show dev NAME drops dev; show ADDR', () => {
    expect(formatIpNeigh(NODE, INIT_NS, { dev: 'ens3' })).toBe(H_NEIGH_DEV);
    expect(formatIpNeigh(NODE, INIT_NS, { dev: 'ens3', json: true })).toBe(H_JNEIGH_DEV);
    expect(formatIpNeigh(NODE, INIT_NS, { addr: ip('172.17.0.57') })).toBe(H_NEIGH_ADDR);
    expect(() => formatIpNeigh(NODE, INIT_NS, { dev: 'nosuch' })).toThrow('Cannot find device "nosuch"');
  });

  test('other namespaces, and an empty cache', () => {
    expect(formatIpNeigh(NODE, 'pr2')).toBe(PR2_NEIGH);
    expect(formatIpNeigh(NODE, 'pr3')).toBe(PR3_NEIGH);
    expect(formatIpNeigh(NODE, 'pr1')).toBe('');
    expect(formatIpNeigh(NODE, 'pr1', { json: true })).toBe('[]\n');
  });

  test('a REACHABLE entry', () => {
    // Reached through the kernel model: n pings m over a veth pair, and m's ARP reply confirms 10.0.0.2.
    const sim = simulated((tx) => {
      netnsAdd(tx, 'n');
      netnsAdd(tx, 'm');
      vethAdd(tx, 'n', 'eth0', { peer: 'eth0', peerNs: 'm' });
      linkSet(tx, 'n', 'eth0', [{ op: 'address', mac: '02:00:00:00:00:01' }, { op: 'up' }]);
      linkSet(tx, 'm', 'eth0', [{ op: 'address', mac: '02:00:00:00:00:02' }, { op: 'up' }]);
      addrAdd(tx, 'n', 'eth0', ip('10.0.0.1'), 24, null, null);
      addrAdd(tx, 'm', 'eth0', ip('10.0.0.2'), 24, null, null);
    });
    expect(sim.sendEcho('n', ip('10.0.0.2'), sim.nextPingIdent(), 1, 56, 64, 'do')).toBeNull();
    sim.runFor(1_000_000);
    const w = kernelView(sim.world, sim.drivers);
    expect(formatIpNeigh(w, 'n')).toBe(lines('10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE '));
  });
});

describe('ip netns', () => {
  // The real lists also held other users' namespaces; only this test's are kept.
  test.each([
    [INIT_NS, H_NETNS],
    ['pr1', PR1_NETNS],
    ['pr2', PR2_NETNS],
    ['pr3', PR3_NETNS],
  ])('ip netns list in %j: newest first, (id: N) when this namespace has one', (ns, want) => {
    expect(formatNetnsList(NODE, ns)).toBe(want);
  });

  test('-j', () => {
    expect(formatNetnsList(NODE, INIT_NS, { json: true })).toBe('[{"name":"pr3"},{"name":"pr2","id":0},{"name":"pr1","id":1}]\n');
    expect(formatNetnsList(NODE, 'pr2', { json: true })).toBe('[{"name":"pr3","id":2},{"name":"pr2"},{"name":"pr1","id":1}]\n');
  });
});

describe('sysctl', () => {
  test('key = value', () => {
    expect(formatSysctl('net.ipv4.ip_forward', '1')).toBe('net.ipv4.ip_forward = 1\n');
  });
});
