// Tests for the lab-script parser (src/tools/lab.ts and the parsers of each tool): one table of good lines and their trees,
// one of bad lines and their exact error text.

import { parseCidr, parseIpv4 } from '../../src/model/addr.js';
import type { Command, IpOptions } from '../../src/tools/ast.js';
import { formatLabError, netnsWordIndices, parseLab } from '../../src/tools/lab.js';

const ip = (s: string): number => parseIpv4(s)!;
const net = (s: string) => parseCidr(s)!;
const noOpts: IpOptions = { family4: false, json: false, pretty: false, brief: false, details: false, stats: false };
const route = {
  type: 'unicast',
  via: null,
  dev: null,
  proto: null,
  scope: null,
  src: null,
  metric: null,
  onlink: false,
} as const;
const ping = {
  kind: 'ping',
  count: 1,
  deadline: null,
  timeout: null,
  ttl: null,
  size: null,
  pmtudisc: null,
  interval: null,
  iface: null,
  quiet: false,
} as const;

/** parseOne parses a one-line lab and returns its single line. */
function parseOne(text: string) {
  const r = parseLab(text, 'labs/x.lab');
  if (!r.ok) throw new Error(formatLabError(r.error));
  expect(r.lab.lines).toHaveLength(1);
  return r.lab.lines[0];
}

describe('parseLab: good lines', () => {
  const cases: [string, string | null, Command][] = [
    ['ip netns add pod1', null, { kind: 'netns-add', name: 'pod1' }],
    ['ip netns del pod1', null, { kind: 'netns-del', name: 'pod1' }],
    ['ip netns delete pod1', null, { kind: 'netns-del', name: 'pod1' }],
    ['ip netns', null, { kind: 'netns-list' }],
    ['ip netns list', null, { kind: 'netns-list' }],
    ['ip net s', null, { kind: 'netns-list' }],
    [
      'ip link add calife4cf73bf2a type veth peer name eth0 netns zlw-01',
      null,
      {
        kind: 'link-add',
        name: 'calife4cf73bf2a',
        txqueuelen: null,
        spec: { type: 'veth', peer: 'eth0', peerNetns: 'zlw-01', peerTxqueuelen: null },
      },
    ],
    [
      'ip link add name v0 type veth peer v1',
      null,
      { kind: 'link-add', name: 'v0', txqueuelen: null, spec: { type: 'veth', peer: 'v1', peerNetns: null, peerTxqueuelen: null } },
    ],
    ['ip link add br0 type bridge', null, { kind: 'link-add', name: 'br0', txqueuelen: null, spec: { type: 'bridge' } }],
    ['ip l a tunl0 type ipip', null, { kind: 'link-add', name: 'tunl0', txqueuelen: null, spec: { type: 'ipip' } }],
    [
      'ip link add vxlan.calico type vxlan id 4096 dstport 4789 local 10.0.0.1 dev eth0 nolearning',
      null,
      {
        kind: 'link-add',
        name: 'vxlan.calico',
        txqueuelen: null,
        spec: { type: 'vxlan', id: 4096, dstport: 4789, local: ip('10.0.0.1'), dev: 'eth0', learning: false },
      },
    ],
    [
      'ip link set eth0 address 4A:8D:0E:93:6A:39 mtu 1450 up',
      null,
      {
        kind: 'link-set',
        dev: 'eth0',
        ops: [{ op: 'address', mac: '4a:8d:0e:93:6a:39' }, { op: 'mtu', mtu: 1450 }, { op: 'up' }],
      },
    ],
    ['ip link set dev v1 netns pod1', null, { kind: 'link-set', dev: 'v1', ops: [{ op: 'netns', netns: 'pod1' }] }],
    ['ip -n pod1 link set v1 name eth0', 'pod1', { kind: 'link-set', dev: 'v1', ops: [{ op: 'name', name: 'eth0' }] }],
    ['ip link set v1 master br0', null, { kind: 'link-set', dev: 'v1', ops: [{ op: 'master', master: 'br0' }] }],
    ['ip link set v1 nomaster down', null, { kind: 'link-set', dev: 'v1', ops: [{ op: 'nomaster' }, { op: 'down' }] }],
    ['ip link del v1', null, { kind: 'link-del', dev: 'v1' }],
    ['ip link delete dev v1', null, { kind: 'link-del', dev: 'v1' }],
    ['ip link', null, { kind: 'link-show', opts: noOpts, dev: null }],
    ['ip l', null, { kind: 'link-show', opts: noOpts, dev: null }],
    ['ip -br link show eth0', null, { kind: 'link-show', opts: { ...noOpts, brief: true }, dev: 'eth0' }],
    ['ip -s -d link sh dev eth0', null, { kind: 'link-show', opts: { ...noOpts, stats: true, details: true }, dev: 'eth0' }],
    [
      'ip addr add 10.23.14.110/24 dev eth0',
      null,
      {
        kind: 'addr-change',
        action: 'add',
        cidr: net('10.23.14.110/24'),
        dev: 'eth0',
        broadcast: null,
        scope: null,
        metric: null,
        noprefixroute: false,
      },
    ],
    [
      'ip a add 10.0.0.1/24 brd + dev eth0',
      null,
      {
        kind: 'addr-change',
        action: 'add',
        cidr: net('10.0.0.1/24'),
        dev: 'eth0',
        broadcast: '+',
        scope: null,
        metric: null,
        noprefixroute: false,
      },
    ],
    [
      'ip addr del 10.0.0.1 dev eth0 scope link',
      null,
      {
        kind: 'addr-change',
        action: 'del',
        cidr: net('10.0.0.1/32'),
        dev: 'eth0',
        broadcast: null,
        scope: 253,
        metric: null,
        noprefixroute: false,
        bare: true,
      },
    ],
    ['ip a', null, { kind: 'addr-show', opts: noOpts, dev: null }],
    ['ip addr show', null, { kind: 'addr-show', opts: noOpts, dev: null }],
    ['ip -4 -br a s eth0', null, { kind: 'addr-show', opts: { ...noOpts, family4: true, brief: true }, dev: 'eth0' }],
    ['ip -n zlw-01 a', 'zlw-01', { kind: 'addr-show', opts: noOpts, dev: null }],
    [
      'ip route add 10.233.133.2 dev calife4cf73bf2a scope link',
      null,
      { kind: 'route-change', action: 'add', route: { ...route, dst: net('10.233.133.2/32'), dev: 'calife4cf73bf2a', scope: 253 } },
    ],
    [
      'ip route add default via 169.254.1.1 dev eth0',
      null,
      { kind: 'route-change', action: 'add', route: { ...route, dst: net('0.0.0.0/0'), via: ip('169.254.1.1'), dev: 'eth0' } },
    ],
    [
      'ip r replace 10.233.80.0/24 via 10.23.14.111 dev eth0 proto bird metric 10 onlink src 10.23.14.110',
      null,
      {
        kind: 'route-change',
        action: 'replace',
        route: {
          ...route,
          dst: net('10.233.80.0/24'),
          via: ip('10.23.14.111'),
          dev: 'eth0',
          proto: 12,
          metric: 10,
          onlink: true,
          src: ip('10.23.14.110'),
        },
      },
    ],
    [
      'ip route add blackhole 10.233.80.0/24 proto bird',
      null,
      { kind: 'route-change', action: 'add', route: { ...route, type: 'blackhole', dst: net('10.233.80.0/24'), proto: 12 } },
    ],
    [
      'ip route del unreachable 10.1.0.0/16 proto 80',
      null,
      { kind: 'route-change', action: 'del', route: { ...route, type: 'unreachable', dst: net('10.1.0.0/16'), proto: 80 } },
    ],
    [
      'ip route add to prohibit 10.9.0.0/16',
      null,
      { kind: 'route-change', action: 'add', route: { ...route, type: 'prohibit', dst: net('10.9.0.0/16') } },
    ],
    ['ip route', null, { kind: 'route-show', opts: noOpts, table: null, dev: null, proto: null, prefix: null }],
    ['ip r', null, { kind: 'route-show', opts: noOpts, table: null, dev: null, proto: null, prefix: null }],
    ['ip ro list', null, { kind: 'route-show', opts: noOpts, table: null, dev: null, proto: null, prefix: null }],
    [
      'ip -j route show dev eth0',
      null,
      { kind: 'route-show', opts: { ...noOpts, json: true }, table: null, dev: 'eth0', proto: null, prefix: null },
    ],
    ['ip route show proto bird', null, { kind: 'route-show', opts: noOpts, table: null, dev: null, proto: 12, prefix: null }],
    [
      'ip route show 10.233.80.0/24',
      null,
      { kind: 'route-show', opts: noOpts, table: null, dev: null, proto: null, prefix: net('10.233.80.0/24') },
    ],
    [
      'ip route get 10.233.80.0',
      null,
      { kind: 'route-get', opts: noOpts, addr: ip('10.233.80.0'), from: null, iif: null, oif: null, fibmatch: false },
    ],
    [
      'ip route get 10.233.80.0 fibmatch',
      null,
      { kind: 'route-get', opts: noOpts, addr: ip('10.233.80.0'), from: null, iif: null, oif: null, fibmatch: true },
    ],
    [
      'ip route get 10.233.133.3 from 10.233.133.2 iif calife4cf73bf2a',
      null,
      {
        kind: 'route-get',
        opts: noOpts,
        addr: ip('10.233.133.3'),
        from: ip('10.233.133.2'),
        iif: 'calife4cf73bf2a',
        oif: null,
        fibmatch: false,
      },
    ],
    [
      'ip neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent',
      null,
      { kind: 'neigh-change', action: 'add', addr: ip('169.254.1.1'), lladdr: 'ee:ee:ee:ee:ee:ee', dev: 'eth0', nud: 'permanent' },
    ],
    [
      'ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0 nud stale',
      null,
      { kind: 'neigh-change', action: 'replace', addr: ip('10.0.0.2'), lladdr: '02:00:00:00:00:02', dev: 'eth0', nud: 'stale' },
    ],
    [
      'ip neigh del 10.0.0.2 dev eth0',
      null,
      { kind: 'neigh-change', action: 'del', addr: ip('10.0.0.2'), lladdr: null, dev: 'eth0', nud: null },
    ],
    ['ip n', null, { kind: 'neigh-show', opts: noOpts, dev: null, addr: null }],
    ['ip neigh show dev eth0', null, { kind: 'neigh-show', opts: noOpts, dev: 'eth0', addr: null }],
    ['ip neighbour show 10.0.0.2', null, { kind: 'neigh-show', opts: noOpts, dev: null, addr: ip('10.0.0.2') }],
    [
      'bridge fdb add 66:12:34:56:78:9a dev vxlan.calico dst 10.23.14.111 self permanent',
      null,
      {
        kind: 'fdb-change',
        action: 'add',
        mac: '66:12:34:56:78:9a',
        dev: 'vxlan.calico',
        dst: ip('10.23.14.111'),
        self: true,
        master: false,
        permanent: true,
      },
    ],
    [
      'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2',
      null,
      {
        kind: 'fdb-change',
        action: 'append',
        mac: '00:00:00:00:00:00',
        dev: 'vx0',
        dst: ip('10.0.0.2'),
        self: false,
        master: false,
        permanent: false,
      },
    ],
    ['bridge fdb show', null, { kind: 'fdb-show', dev: null, br: null }],
    ['bridge fdb show dev vx0', null, { kind: 'fdb-show', dev: 'vx0', br: null }],
    ['bridge -n n1 fdb show br br0', 'n1', { kind: 'fdb-show', dev: null, br: 'br0' }],
    ['bridge link', null, { kind: 'bridge-link-show' }],
    ['bridge link show', null, { kind: 'bridge-link-show' }],
    [
      'sysctl -w net.ipv4.ip_forward=1',
      null,
      { kind: 'sysctl-write', quiet: false, assignments: [{ key: 'net.ipv4.ip_forward', value: '1' }] },
    ],
    [
      'sysctl -qw net.ipv4.conf.calife4cf73bf2a.proxy_arp=1 net.ipv4.neigh.calife4cf73bf2a.proxy_delay=0',
      null,
      {
        kind: 'sysctl-write',
        quiet: true,
        assignments: [
          { key: 'net.ipv4.conf.calife4cf73bf2a.proxy_arp', value: '1' },
          { key: 'net.ipv4.neigh.calife4cf73bf2a.proxy_delay', value: '0' },
        ],
      },
    ],
    [
      'sysctl -q -w net.ipv4.ip_forward=0',
      null,
      { kind: 'sysctl-write', quiet: true, assignments: [{ key: 'net.ipv4.ip_forward', value: '0' }] },
    ],
    ['sysctl net.ipv4.ip_forward', null, { kind: 'sysctl-read', valuesOnly: false, keys: ['net.ipv4.ip_forward'] }],
    ['sysctl -n net.ipv4.conf.all.rp_filter', null, { kind: 'sysctl-read', valuesOnly: true, keys: ['net.ipv4.conf.all.rp_filter'] }],
    [
      'cat /proc/sys/net/ipv4/conf/calife4cf73bf2a/proxy_arp',
      null,
      { kind: 'cat', path: '/proc/sys/net/ipv4/conf/calife4cf73bf2a/proxy_arp' },
    ],
    ['cat /proc/sys/net/ipv4/ip_forward', null, { kind: 'cat', path: '/proc/sys/net/ipv4/ip_forward' }],
    ['cat /proc/sys/net/ipv4/neigh/eth0/proxy_delay', null, { kind: 'cat', path: '/proc/sys/net/ipv4/neigh/eth0/proxy_delay' }],
    ['route -n', null, { kind: 'route-n' }],
    ['ip netns exec zlw-01 route -n', 'zlw-01', { kind: 'route-n' }],
    ['ip netns exec zlw-01 ping -c 1 10.233.133.3', 'zlw-01', { ...ping, dest: ip('10.233.133.3') }],
    ['ping -c1 -W1 10.0.0.1', null, { ...ping, dest: ip('10.0.0.1'), timeout: 1 }],
    ['ping 10.0.0.1 -c 3 -i 0.2', null, { ...ping, dest: ip('10.0.0.1'), count: 3, interval: 0.2 }],
    [
      'ping -qc 1 -t 1 -s 1400 -M do -I eth0 -w 2 10.0.0.1',
      null,
      { ...ping, dest: ip('10.0.0.1'), quiet: true, ttl: 1, size: 1400, pmtudisc: 'do', iface: 'eth0', deadline: 2 },
    ],
    [
      'curl -s -S -m 1 http://10.233.80.0:8080/',
      null,
      {
        kind: 'curl',
        url: 'http://10.233.80.0:8080/',
        host: ip('10.233.80.0'),
        port: 8080,
        path: '/',
        silent: true,
        showError: true,
        maxTime: 1,
      },
    ],
    [
      'curl -sSm2 10.0.0.2:80',
      null,
      { kind: 'curl', url: '10.0.0.2:80', host: ip('10.0.0.2'), port: 80, path: '/', silent: true, showError: true, maxTime: 2 },
    ],
    [
      'curl --max-time 0.5 http://10.0.0.2/x',
      null,
      { kind: 'curl', url: 'http://10.0.0.2/x', host: ip('10.0.0.2'), port: 80, path: '/x', silent: false, showError: false, maxTime: 0.5 },
    ],
    ['listen zlw-02 8080', null, { kind: 'listen', netns: 'zlw-02', port: 8080 }],
    ['listen - 22', null, { kind: 'listen', netns: null, port: 22 }],
    ['capture zlw-01 eth0', null, { kind: 'capture', netns: 'zlw-01', iface: 'eth0', filter: null, filterWords: [] }],
    ['capture - calife4cf73bf2a', null, { kind: 'capture', netns: null, iface: 'calife4cf73bf2a', filter: null, filterWords: [] }],
    [
      'capture node3 ens192 host 10.8.152.200',
      null,
      {
        kind: 'capture',
        netns: 'node3',
        iface: 'ens192',
        filter: { ok: true, expr: { op: 'host', proto: 'any', dir: 'or', addr: ip('10.8.152.200'), mask: 0xffffffff } },
        filterWords: ['host', '10.8.152.200'],
      },
    ],
    [
      'capture - eth0 port 99999',
      null,
      {
        kind: 'capture',
        netns: null,
        iface: 'eth0',
        filter: { ok: false, error: 'tcpdump: illegal port number 99999 > 65535' },
        filterWords: ['port', '99999'],
      },
    ],
    ['captures', null, { kind: 'captures' }],
    ['sleep 60', null, { kind: 'sleep', seconds: 60 }],
    ['sleep 0.5', null, { kind: 'sleep', seconds: 0.5 }],
    [
      'ip netns exec node3 tcpdump -ne -i ens192 host 10.8.152.200',
      'node3',
      {
        kind: 'tcpdump',
        iface: 'ens192',
        nflag: 1,
        timestamps: true,
        filter: { ok: true, expr: { op: 'host', proto: 'any', dir: 'or', addr: ip('10.8.152.200'), mask: 0xffffffff } },
        argv: ['-ne', '-i', 'ens192', 'host', '10.8.152.200'],
      },
    ],
    [
      'tcpdump -i eth0 -nn -e -t',
      null,
      { kind: 'tcpdump', iface: 'eth0', nflag: 2, timestamps: false, filter: null, argv: ['-i', 'eth0', '-nn', '-e', '-t'] },
    ],
    [
      'ip link add cali0 txqueuelen 0 type veth peer name eth0 qlen 5 netns pod',
      null,
      { kind: 'link-add', name: 'cali0', txqueuelen: 0, spec: { type: 'veth', peer: 'eth0', peerNetns: 'pod', peerTxqueuelen: 5 } },
    ],
    ['ip link set eth0 txqlen 0', null, { kind: 'link-set', dev: 'eth0', ops: [{ op: 'txqueuelen', txqueuelen: 0 }] }],
    [
      'ip addr add 172.16.67.138/24 dev ens192 noprefixroute metric 100',
      null,
      {
        kind: 'addr-change',
        action: 'add',
        cidr: net('172.16.67.138/24'),
        dev: 'ens192',
        broadcast: null,
        scope: null,
        metric: 100,
        noprefixroute: true,
      },
    ],
    ['ip route show table local', null, { kind: 'route-show', opts: noOpts, table: 255, dev: null, proto: null, prefix: null }],
    ['ip route show table all', null, { kind: 'route-show', opts: noOpts, table: 'all', dev: null, proto: null, prefix: null }],
  ];

  it.each(cases)('%s', (text, netns, cmd) => {
    const l = parseOne(text);
    expect(l.cmd).toEqual(cmd);
    expect(l.netns).toBe(netns);
    expect(l.text).toBe(text);
  });
});

describe('parseLab: bad lines', () => {
  const cases: [string, string][] = [
    ['ipp route', 'unknown command "ipp"'],
    ['ip addr add 10.0.0.300/24 dev eth0', 'invalid CIDR "10.0.0.300/24"'],
    ['ip route add 10.0.0.0/33 dev eth0', 'invalid CIDR "10.0.0.0/33"'],
    ['ip link set eth0 mastr br0', 'ip link set: unknown option "mastr"'],
    ['ip link set eth0 address zz:00:00:00:00:01', 'invalid MAC "zz:00:00:00:00:01"'],
    ['ip link set eth0', 'ip link set: nothing to change'],
    ['ip link set up', 'ip link set: missing device'],
    ['ip link set eth0 mtu', 'ip link set: missing value after "mtu"'],
    ['ip link add v0 type veth', 'ip link add: veth needs "peer name NAME"'],
    ['ip link add v0 type dummy', 'ip link add: type "dummy" is not supported in labs (veth, bridge, vxlan, ipip)'],
    ['ip link add vx type vxlan dstport 4789', 'ip link add type vxlan: missing "id"'],
    ['ip link add averyveryverylongname type bridge', 'invalid device name "averyveryverylongname"'],
    ['ip foo', 'ip: unknown object "foo"'],
    ['ip rule save', 'ip rule save: not supported in labs'],
    ['ip -x route', 'ip: unknown option "-x"'],
    ['ip -6 route', 'ip: option "-6" is not supported in labs'],
    ['ip', 'ip: missing object (route, addr, link, neigh, netns)'],
    ['ip route frob', 'ip route: unknown command "frob"'],
    ['ip route add 10.0.0.0/24 via 10.0.0.256', 'invalid IPv4 address "10.0.0.256"'],
    ['ip route add 10.0.0.0/24 dev eth0 foo', 'ip route add: unknown option "foo"'],
    ['ip route add dev eth0', 'ip route add: missing prefix'],
    ['ip route add nat 10.0.0.1', 'ip route add: route type "nat" is not supported in labs'],
    ['ip route add 10.0.0.0/24 dev eth0 tos 4', 'ip route add: "tos" is not supported in labs'],
    ['ip route add 10.0.0.0/24 dev eth0 proto frob', 'invalid protocol "frob"'],
    ['ip route get fibmatch', 'ip route get: missing address'],
    ['ip addr add 10.0.0.1/24', 'ip addr add: missing "dev"'],
    ['ip neigh add 10.0.0.1 lladdr 00:11:22:33:44:55 dev eth0 nud bogus', 'ip neigh add: invalid nud state "bogus"'],
    ['ip neigh add 10.0.0.1 lladdr 00:11:22:33:44', 'invalid MAC "00:11:22:33:44"'],
    ['ip netns add a:b', 'invalid namespace name "a:b"'],
    ['ip netns exec ns1', 'ip netns exec: missing command'],
    ['ip netns exec ns1 frob', 'unknown command "frob"'],
    ['ip netns exec ns1 captures', 'ip netns exec: "captures" is a lab directive, not a command'],
    ['ip -n ns1 netns add x', 'ip -n: cannot be used with "ip netns"'],
    ['bridge fdb add zz dev vx0', 'invalid MAC "zz"'],
    ['bridge fdb add 00:11:22:33:44:55', 'bridge fdb add: missing "dev"'],
    ['bridge vlan', 'bridge vlan: not supported in labs'],
    ['sysctl -w net.ipv4.ip_forward', 'sysctl: "net.ipv4.ip_forward" must be of the form name=value'],
    ['sysctl -x net.ipv4.ip_forward', 'sysctl: unknown option "-x"'],
    ['cat /etc/passwd', 'cat: only /proc/sys/ files and /proc/net/route, arp and dev can be read in labs, not "/etc/passwd"'],
    ['route -e', 'route: only "route" and "route -n" are supported in labs'],
    ['ping 10.0.0.1', 'ping: needs -c N or -w SECS in labs (it would never end)'],
    ['ping -c 1', 'ping: missing destination'],
    ['ping -c 1 example.com', 'invalid IPv4 address "example.com"'],
    ['ping -c x 10.0.0.1', 'invalid count "x"'],
    ['ping -c 1 -t 256 10.0.0.1', 'invalid TTL "256"'],
    ['ping -c 1 -M maybe 10.0.0.1', 'ping: invalid -M argument "maybe"'],
    ['ping -f -c 1 10.0.0.1', 'ping: unknown option "-f"'],
    ['curl', 'curl: missing URL'],
    ['curl https://10.0.0.1/', 'curl: invalid URL "https://10.0.0.1/" (labs use http://ADDR[:PORT][/PATH])'],
    ['curl -m 10.0.0.1', 'invalid max time "10.0.0.1"'],
    ['curl http://10.0.0.1:99999/', 'invalid port "99999"'],
    ['listen ns1', 'listen: missing port'],
    ['listen ns1 http', 'invalid port "http"'],
    ['capture ns1', 'capture: missing interface'],
    ['capture', 'capture: missing namespace (a name, or "-" for the initial one)'],
    ['captures now', 'captures: unexpected "now"'],
    ['capture - eth0 vlan 5', 'tcpdump: filter word "vlan" is not supported in labs'],
    ['capture - eth0 port http', 'tcpdump: filter word "http" is not supported in labs'],
    ['capture - eth0 host 5', 'tcpdump: a number is only supported after "port" in labs'],
    ['sleep', 'sleep: missing number of seconds'],
    ['sleep 1m', 'invalid number of seconds "1m"'],
    ['sleep 3601', 'sleep: at most 3600 seconds'],
    ['tcpdump -i eth0 -e', 'tcpdump: labs need "-n" (name lookups depend on the machine)'],
    ['tcpdump -n -i eth0', 'tcpdump: labs need "-e" (the link-level header)'],
    ['tcpdump -ne', 'tcpdump: labs need "-i IFACE"'],
    ['tcpdump -nev -i eth0', 'tcpdump: unknown option "-v"'],
    ['tcpdump -ne -tt -i eth0', 'tcpdump: only one "-t" is supported in labs'],
    ['ip link add v0 txqueuelen x type bridge', 'invalid txqueuelen "x"'],
  ];

  it.each(cases)('%s', (text, message) => {
    const r = parseLab(`# a comment\n\n${text}\n`, 'labs/x.lab');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatLabError(r.error)).toBe(`labs/x.lab:3: ${message}`);
  });
});

describe('parseLab: file structure', () => {
  it('skips comments and blank lines, keeps line numbers and original text', () => {
    const r = parseLab('# setup\nip netns add a   # first\n\n  ip -n a   l set lo up\n', 'f.lab');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lab.file).toBe('f.lab');
    expect(r.lab.lines.map((l) => [l.line, l.text, l.netns])).toEqual([
      [2, 'ip netns add a', null],
      [4, 'ip -n a l set lo up', 'a'],
    ]);
  });

  it('joins backslash continuations and reports the first line', () => {
    const r = parseLab('ip route add 10.0.0.0/24 \\\n    via 10.0.0.1 \\\n  dev eth0\nping -c 1 \\\n 10.0.0.300\n', 'f.lab');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatLabError(r.error)).toBe('f.lab:4: invalid IPv4 address "10.0.0.300"');
    const ok = parseLab('ip route add 10.0.0.0/24 \\\n    via 10.0.0.1 \\\n  dev eth0\n', 'f.lab');
    expect(ok.ok && ok.lab.lines.map((l) => [l.line, l.text])).toEqual([[1, 'ip route add 10.0.0.0/24 via 10.0.0.1 dev eth0']]);
  });

  it('reports only the first error', () => {
    const r = parseLab('ip r\nfoo\nbar\n', 'f.lab');
    expect(!r.ok && formatLabError(r.error)).toBe('f.lab:2: unknown command "foo"');
  });
});

describe('netnsWordIndices', () => {
  it.each([
    ['ip netns add zlw-01', [3]],
    ['ip -n zlw-01 link set eth0 up', [2]],
    ['ip -netns a link set v1 netns b', [2, 7]],
    ['ip link add cali1 type veth peer name eth0 netns zlw-01', [10]],
    ['ip netns exec a ip -n b route', [3, 6]],
    ['ip netns exec a ping -c 1 10.0.0.1', [3]],
    ['bridge -n a fdb show', [2]],
    ['ip route', []],
  ])('%s', (text, indices) => {
    expect(netnsWordIndices(text)).toEqual(indices);
  });
});
