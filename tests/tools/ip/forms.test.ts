// Tests of the ip forms beyond add/del/show (src/tools/ip/forms.ts, run.ts, print.ts; src/kernel/addrsel.ts
// inetDelIfa; src/kernel/netns.ts addrAdd, linkSet): promote_secondaries, replace, label, flush, neigh nud
// filters, change, get and proxy entries, link flags, -o, -c, netns list-id. Expected lines are what
// iproute2 6.1 on kernel 6.18 prints (fixtures/labs/ip-addr-forms.lab, ip-neigh-forms.lab,
// ip-link-forms.lab, ip-output-options.lab).

import { nudStateA2n } from '../../../src/tools/ip/parse.js';
import { fnmatch, pneighHash } from '../../../src/tools/ip/print.js';
import { runLine as run, shellWith as shell } from '../../support/shell.js';

const VETH = ['ip link add eth0 type veth peer name eth1', 'ip link set eth0 address 02:00:00:00:00:10 up', 'ip link set eth1 up'];
const inet = (a: string, rest = 'scope global eth0'): string => `    inet ${a} ${rest}\n       valid_lft forever preferred_lft forever\n`;

describe('deleting a primary address', () => {
  const SETUP = [...VETH, 'ip addr add 10.0.0.1/24 dev eth0', 'ip addr add 10.0.0.2/24 dev eth0', 'ip addr add 10.0.0.3/24 dev eth0'];

  it('takes the secondaries without promote_secondaries', () => {
    const sh = shell(...SETUP, 'ip addr del 10.0.0.1/24 dev eth0');
    // Under -4 a device without IPv4 addresses is not listed at all.
    expect(run(sh, 'ip -4 addr show dev eth0')).toEqual(['', 0]);
    expect(run(sh, 'ip route')).toEqual(['', 0]);
  });

  it.each(['net.ipv4.conf.eth0.promote_secondaries=1', 'net.ipv4.conf.all.promote_secondaries=1'])('promotes the first with %s', (key) => {
    const sh = shell(
      ...SETUP,
      'ip route add 192.168.6.0/24 via 10.0.0.254 src 10.0.0.1',
      `sysctl -qw ${key}`,
      'ip addr del 10.0.0.1/24 dev eth0',
    );
    expect(run(sh, 'ip -4 addr show dev eth0')[0].split('\n').slice(1).join('\n')).toBe(
      inet('10.0.0.2/24') + inet('10.0.0.3/24', 'scope global secondary eth0'),
    );
    expect(run(sh, 'ip route')).toEqual(['10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2 \n', 0]);
    expect(run(sh, 'ip route show table local')[0]).toContain('local 10.0.0.3 dev eth0 proto kernel scope host src 10.0.0.2 \n');
  });

  it('moves the promoted address after the last primary', () => {
    const sh = shell(
      ...VETH,
      'sysctl -qw net.ipv4.conf.all.promote_secondaries=1',
      'ip addr add 10.0.5.1/24 dev eth0',
      'ip addr add 10.0.6.1/24 dev eth0',
      'ip addr add 10.0.5.2/24 dev eth0',
      'ip addr add 10.0.5.3/24 dev eth0',
      'ip addr del 10.0.5.1/24 dev eth0',
    );
    expect(run(sh, 'ip -br -4 addr show dev eth0')[0]).toBe('eth0@eth1        UP             10.0.6.1/24 10.0.5.2/24 10.0.5.3/24 \n');
  });
});

describe('ip addr replace, label, flush', () => {
  it('keeps an existing address but for its metric', () => {
    const sh = shell(...VETH, 'ip addr add 10.0.1.1/24 dev eth0', 'ip addr replace 10.0.1.1/24 brd 10.0.1.255 dev eth0 metric 5');
    expect(run(sh, 'ip -4 addr show dev eth0')[0]).toContain(inet('10.0.1.1/24', 'metric 5 scope global eth0'));
    expect(run(sh, 'ip route')).toEqual(['10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.1 metric 5 \n', 0]);
  });

  it('shows labels and selects on them', () => {
    const sh = shell(...VETH, 'ip addr add 10.0.0.1/24 dev eth0 label eth0:web', 'ip addr add 10.0.9.1/24 dev eth0');
    expect(run(sh, 'ip addr show label eth0:*')).toEqual([inet('10.0.0.1/24', 'scope global eth0:web'), 0]);
  });

  it.each([
    ['ip addr flush dev eth0', ''],
    ['ip addr flush', 'Flush requires arguments.\n'],
    ['ip addr flush dev nosuch', 'Device "nosuch" does not exist.\n'],
    ['ip -s addr flush dev eth0', '\n*** Round 1, deleting 2 addresses ***\n*** Flush is complete after 1 round ***\n'],
  ])('%s', (line, out) => {
    const sh = shell(...VETH, 'ip addr add 10.5.0.1/24 dev eth0', 'ip addr add 10.5.0.2/24 dev eth0');
    expect(run(sh, line)[0]).toBe(out);
  });
});

describe('ip addr peer and noprefixroute (fixtures/labs/ip-addr-peer.lab)', () => {
  const PEERS = [...VETH, 'ip addr add 10.0.0.1 peer 10.0.0.2 dev eth0', 'ip addr add 10.9.0.1 remote 10.1.0.0/24 brd + dev eth0'];

  it('prints the peer after the local address, its prefix length and a broadcast made from the peer', () => {
    const sh = shell(...PEERS);
    expect(run(sh, 'ip -4 addr show dev eth0')[0].split('\n').slice(1).join('\n')).toBe(
      inet('10.0.0.1 peer 10.0.0.2/32') + inet('10.9.0.1 peer 10.1.0.0/24', 'brd 10.1.0.255 scope global eth0'),
    );
    expect(run(sh, 'ip -br addr show dev eth0')).toEqual([
      'eth0@eth1        UP             10.0.0.1 peer 10.0.0.2/32 10.9.0.1 peer 10.1.0.0/24 \n',
      0,
    ]);
    const json = JSON.parse(run(sh, 'ip -j addr show dev eth0')[0]) as { addr_info: Record<string, unknown>[] }[];
    expect(json[0].addr_info.map((a) => Object.keys(a).slice(0, 5))).toEqual([
      ['family', 'local', 'address', 'prefixlen', 'scope'],
      ['family', 'local', 'address', 'prefixlen', 'broadcast'],
    ]);
    expect(json[0].addr_info[1]).toMatchObject({ local: '10.9.0.1', address: '10.1.0.0', prefixlen: 24, broadcast: '10.1.0.255' });
  });

  it('routes the peer prefix with the local address as src', () => {
    const sh = shell(...PEERS);
    expect(run(sh, 'ip route')).toEqual([
      '10.0.0.2 dev eth0 proto kernel scope link src 10.0.0.1 \n10.1.0.0/24 dev eth0 proto kernel scope link src 10.9.0.1 \n',
      0,
    ]);
  });

  it.each([
    ['ip addr del 10.0.0.1/32 dev eth0', 'Error: ipv4: Address not found.\n', 2],
    ['ip addr del 10.9.0.1/24 dev eth0', 'Error: ipv4: Address not found.\n', 2],
    ['ip addr del 10.0.0.1 peer 10.0.0.2 dev eth0', '', 0],
    ['ip addr del 10.9.0.1 peer 10.1.0.0/24 dev eth0', '', 0],
  ])('%s needs the peer to match', (line, out, status) => {
    const sh = shell(...PEERS);
    expect(run(sh, line)).toEqual([out, status]);
  });

  it('deletes a bare address whatever its peer, with the wildcard warning', () => {
    const sh = shell(...PEERS);
    const [out, status] = run(sh, 'ip addr del 10.0.0.1 dev eth0');
    expect(status).toBe(0);
    expect(out).toMatch(/^Warning: Executing wildcard deletion.*\n.*\(10\.0\.0\.1\/32\)/);
    expect(run(sh, 'ip route')).toEqual(['10.1.0.0/24 dev eth0 proto kernel scope link src 10.9.0.1 \n', 0]);
  });

  it.each([
    ['10.3.0.1/24 peer 10.3.0.2', '10.3.0.1 peer 10.3.0.2/32', 'scope global eth0'],
    ['10.4.0.1/24 brd -', '10.4.0.1/24', 'brd 10.4.0.0 scope global eth0'],
    ['10.4.1.1/31 brd +', '10.4.1.1/31', 'scope global eth0'],
    ['10.4.2.1/32 brd -', '10.4.2.1/32', 'scope global eth0'],
  ])('ip addr add %s', (arg, addr, rest) => {
    const sh = shell(...VETH, `ip addr add ${arg} dev eth0`);
    expect(run(sh, 'ip -4 addr show dev eth0')[0]).toContain(inet(addr, rest));
  });

  it('colours the peer and the broadcast address with the space after it', () => {
    const sh = shell(...PEERS);
    expect(run(sh, 'ip -c -4 addr show dev eth0')[0]).toContain(
      '    inet \x1b[35m10.9.0.1\x1b[0m peer \x1b[35m10.1.0.0\x1b[0m/24 brd \x1b[35m10.1.0.255 \x1b[0mscope global eth0\n',
    );
  });

  it('keeps the local route of a noprefixroute address and prints the flag', () => {
    const sh = shell(...VETH, 'ip addr add 10.6.0.1 peer 10.6.0.2 dev eth0 noprefixroute');
    expect(run(sh, 'ip -4 addr show dev eth0')[0]).toContain(inet('10.6.0.1 peer 10.6.0.2/32', 'scope global noprefixroute eth0'));
    expect(run(sh, 'ip route')).toEqual(['', 0]);
    expect(run(sh, 'ip route show table local')[0]).toContain('local 10.6.0.1 dev eth0 proto kernel scope host src 10.6.0.1 \n');
  });
});

describe('ip neigh', () => {
  const SETUP = [
    ...VETH,
    'ip addr add 10.0.0.1/24 dev eth0',
    'ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0',
    'ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev eth0 nud stale',
    'ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev eth0 nud noarp',
  ];

  it.each([
    ['ip neigh show nud perm', '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n'],
    ['ip neigh show nud noarp', '10.0.0.6 dev eth0 lladdr 02:00:00:00:00:06 NOARP \n'],
    ['ip neigh show dev eth0 nud stale', '10.0.0.4 lladdr 02:00:00:00:00:04 STALE \n'],
    ['ip neigh show to 10.0.0.0/30', '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n'],
    ['ip neigh get 10.0.0.4 dev eth0', '10.0.0.4 dev eth0 lladdr 02:00:00:00:00:04 STALE \n'],
    ['ip -j neigh get 10.0.0.4 dev eth0', '10.0.0.4 dev eth0 lladdr 02:00:00:00:00:04 STALE \n'],
    ['ip neigh get 10.0.0.9 dev eth0', 'Error: Neighbour entry not found.\n'],
    ['ip neigh change 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0', 'RTNETLINK answers: No such file or directory\n'],
    ['ip -c neigh show nud perm', '\x1b[35m10.0.0.2 \x1b[0mdev \x1b[36meth0 \x1b[0mlladdr \x1b[33m02:00:00:00:00:02 \x1b[0mPERMANENT \n'],
  ])('%s', (line, out) => {
    expect(run(shell(...SETUP), line)[0]).toBe(out);
  });

  it('flushes all but PERMANENT and NOARP entries by default', () => {
    const sh = shell(...SETUP);
    expect(run(sh, 'ip -s neigh flush all')[0]).toBe('\n*** Round 1, deleting 1 entries ***\n*** Flush is complete after 1 round ***\n');
    expect(run(sh, 'ip neigh show nud all')[0]).toBe(
      '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n10.0.0.6 dev eth0 lladdr 02:00:00:00:00:06 NOARP \n',
    );
    expect(run(sh, 'ip -s neigh flush all')[0]).toBe('Nothing to flush.\n');
  });

  it('keeps the entry a refused add made (NUD_NONE)', () => {
    const sh = shell(...SETUP);
    expect(run(sh, 'ip neigh add 10.0.0.7 dev eth0 nud noarp')).toEqual(['Error: No link layer address given.\n', 2]);
    expect(run(sh, 'ip neigh show nud none')[0]).toBe('10.0.0.7 dev eth0 \n');
  });

  it('keeps proxy entries apart, in pneigh hash order', () => {
    const sh = shell(...SETUP, 'ip neigh add proxy 10.0.0.50 dev eth0', 'ip neigh add proxy 10.0.0.51 dev eth0');
    expect(run(sh, 'ip neigh add proxy 10.0.0.50 dev eth0')).toEqual(['', 0]);
    expect(run(sh, 'ip neigh show proxy')[0]).toBe('10.0.0.51 dev eth0 proxy \n10.0.0.50 dev eth0 proxy \n');
    expect(run(sh, 'ip -j neigh show proxy dev eth0')[0]).toBe('[{"dst":"10.0.0.51","proxy":null},{"dst":"10.0.0.50","proxy":null}]\n');
    expect(run(sh, 'ip neigh del proxy 10.0.0.51 dev eth0')).toEqual(['', 0]);
    expect(run(sh, 'ip neigh del proxy 10.0.0.51 dev eth0')).toEqual(['RTNETLINK answers: No such file or directory\n', 2]);
  });

  it.each([
    ['perm', 0x80],
    ['reachable', 0x02],
    ['noarp', 0x40],
    ['none', 0],
    ['f', 0x20],
    ['0x10', 0x10],
    ['3', null],
    ['nope', null],
  ])('nud_state_a2n(%s)', (w, bit) => {
    expect(nudStateA2n(w)).toBe(bit);
  });

  it.each([
    ['10.0.0.50', 0xb],
    ['10.0.0.51', 0xa],
  ])('pneigh_hash(%s)', (ip, h) => {
    const [a, b, c, d] = ip.split('.').map(Number);
    expect(pneighHash(((a << 24) | (b << 16) | (c << 8) | d) >>> 0)).toBe(h);
  });
});

describe('ip link set flags and ip link show filters', () => {
  it('prints NOARP, PROMISC and the alias', () => {
    const sh = shell(...VETH, 'ip link set eth1 address 02:00:00:00:00:11 promisc on arp off alias up1 txqueuelen 500');
    expect(run(sh, 'ip link show eth1')[0]).toBe(
      '2: eth1@eth0: <BROADCAST,MULTICAST,NOARP,PROMISC,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 500\n' +
        '    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff\n    alias up1\n',
    );
    expect(run(sh, 'ip -d link show eth1')[0]).toContain(' promiscuity 1 ');
    run(sh, 'ip link set eth1 promisc off arp on');
    expect(run(sh, 'ip -br link show eth1')[0]).toBe(
      'eth1@eth0        UP             02:00:00:00:00:11 <BROADCAST,MULTICAST,UP,LOWER_UP> \n',
    );
  });

  it.each([
    ['ip -br link show type bridge', 'br0              DOWN           02:00:00:00:00:20 <BROADCAST,MULTICAST> \n'],
    ['ip -br link show type bridge_slave', 'eth0@eth1        UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> \n'],
    ['ip -br link show master br0', 'eth0@eth1        UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> \n'],
    ['ip link show master nosuch', 'Error: argument "nosuch" is wrong: Device does not exist\n\n'],
    ['ip link show type vxlan', ''],
  ])('%s', (line, out) => {
    const sh = shell(...VETH, 'ip link add br0 type bridge', 'ip link set br0 address 02:00:00:00:00:20', 'ip link set eth0 master br0');
    expect(run(sh, line)[0]).toBe(out);
  });

  it('prints one line per record under -o and colours under -c', () => {
    const sh = shell(...VETH, 'ip addr add 10.0.0.1/24 dev eth0');
    expect(run(sh, 'ip -o addr show dev eth0')[0]).toBe(
      '3: eth0    inet 10.0.0.1/24 scope global eth0\\       valid_lft forever preferred_lft forever\n',
    );
    expect(run(sh, 'ip -c -br addr show dev eth0')[0]).toBe(
      '\x1b[36meth0@eth1        \x1b[0m\x1b[32mUP             \x1b[0m\x1b[35m10.0.0.1\x1b[0m/24 \n',
    );
  });
});

describe('ip netns list-id', () => {
  it('lists the ids in id order with their names', () => {
    const sh = shell(
      'ip netns add a',
      'ip netns add b',
      'ip link add v0 type veth peer name v1 netns a',
      'ip link add v2 type veth peer name v3 netns b',
    );
    expect(run(sh, 'ip netns list-id')[0]).toBe('nsid 0 (iproute2 netns name: a)\nnsid 1 (iproute2 netns name: b)\n');
    expect(run(sh, 'ip -j netns list-id')[0]).toBe('[{"nsid":0,"name":"a"},{"nsid":1,"name":"b"}]\n');
    expect(run(sh, 'ip netns list-id target-nsid 7')[0]).toBe('Error: Invalid target network namespace id.\nDump terminated\n');
  });
});

describe('fnmatch', () => {
  it.each([
    ['eth0:*', 'eth0:web', true],
    ['eth0:*', 'eth0', false],
    ['eth?', 'eth1', true],
    ['eth[01]', 'eth2', false],
    ['eth[!0]', 'eth2', true],
    ['a.b', 'axb', false],
  ])('%s ~ %s', (p, s, ok) => {
    expect(fnmatch(p, s)).toBe(ok);
  });
});

describe('namespaces a command names', () => {
  it.each([
    [
      'ip netns exec missing ip netns exec here ip -br link show lo',
      'Cannot open network namespace "missing": No such file or directory\n',
      1,
    ],
    ['ip netns exec missing ip -n here -br link show lo', 'Cannot open network namespace "missing": No such file or directory\n', 1],
    [
      'ip netns exec here ip netns exec missing ip -br link show lo',
      'Cannot open network namespace "missing": No such file or directory\n',
      1,
    ],
    ['ip link add v0 type veth peer name v1 netns missing', 'Error: argument "missing" is wrong: Invalid "netns" value\n\n', 255],
  ])('%s', (line, out, status) => {
    expect(run(shell('ip netns add here'), line)).toEqual([out, status]);
  });

  it('gives the peer namespace an id when a device changes (rtnl_fill_link_netnsid)', () => {
    const sh = shell(
      'ip netns add a',
      'ip netns add b',
      'ip link add v0 type veth peer name v1 netns a',
      'ip -n a link set v1 address 02:00:00:00:00:01',
      'ip -n a link add v2 type veth peer name v3 netns b',
    );
    expect(run(sh, 'ip netns exec a ip netns list-id')[0]).toBe('nsid 0 \nnsid 1 (iproute2 netns name: b)\n');
  });
});
