// Tests of the ip route forms beyond add/del and of ip rule (src/tools/ip/parse.ts, run.ts, print.ts,
// rule.ts) against the simulated kernel. Expected lines and statuses are what iproute2 6.1 on Linux 6.18
// printed for the same commands (fixtures/labs/route-forms.lab, fixtures/labs/rule-policy.lab).

import { runLine as run, shellWith as shell } from '../../support/shell.js';

const SETUP = [
  'ip link add eth0 type veth peer name eth1',
  'ip link set eth0 up',
  'ip link set eth1 up',
  'ip addr add 10.23.14.110/24 dev eth0',
  'ip addr add 10.23.15.110/24 dev eth0',
];

describe('ip route append, prepend, change (fib_table_insert flags)', () => {
  it('keeps one key in the order the flags say, with the kernel errors', () => {
    const sh = shell(...SETUP);
    const steps: [string, string][] = [
      ['ip route add 10.5.0.0/16 via 10.23.14.1 mtu 1400', ''],
      ['ip route append 10.5.0.0/16 via 10.23.14.2', ''],
      ['ip route append 10.5.0.0/16 via 10.23.14.2', 'RTNETLINK answers: File exists\n'],
      ['ip route prepend 10.5.0.0/16 via 10.23.14.3 metric 10', ''],
      ['ip route prepend 10.5.0.0/16 via 10.23.14.4 metric 10', ''],
      ['ip route change 10.5.0.0/16 via 10.23.14.5', ''],
      ['ip route change 10.6.0.0/16 via 10.23.14.5', 'RTNETLINK answers: No such file or directory\n'],
      ['ip route add throw 10.8.0.0/16 dev eth0', 'Error: Gateway, device and multipath can not be specified for this route type.\n'],
    ];
    for (const [line, out] of steps) expect([line, run(sh, line)[0]]).toEqual([line, out]);
    expect(run(sh, 'ip route show 10.5.0.0/16')[0]).toBe(
      '10.5.0.0/16 via 10.23.14.5 dev eth0 \n' +
        '10.5.0.0/16 via 10.23.14.2 dev eth0 \n' +
        '10.5.0.0/16 via 10.23.14.4 dev eth0 metric 10 \n' +
        '10.5.0.0/16 via 10.23.14.3 dev eth0 metric 10 \n',
    );
  });
});

describe('ip route in other tables, local and throw routes, mtu', () => {
  const ROUTES = [
    ...SETUP,
    'ip route add 10.6.0.0/16 via 10.23.14.1 proto static mtu lock 1300',
    'ip route add throw 10.7.0.0/16',
    'ip route add local 10.9.0.0/24 dev lo table 100',
    'ip route add 10.10.0.0/16 via 10.23.14.1 table 100 metric 5',
    'ip route add 10.10.0.0/16 dev eth0 table 100 proto static scope link src 10.23.15.110',
    'ip route add throw 10.11.0.0/16 table 100',
  ];

  it.each([
    [
      'ip route show table 100',
      'local 10.9.0.0/24 dev lo scope host \n10.10.0.0/16 dev eth0 proto static scope link src 10.23.15.110 \n' +
        '10.10.0.0/16 via 10.23.14.1 dev eth0 metric 5 \nthrow 10.11.0.0/16 \n',
      0,
    ],
    ['ip route show type throw', 'throw 10.7.0.0/16 \n', 0],
    ['ip route show via 10.23.14.1', '10.6.0.0/16 dev eth0 proto static mtu lock 1300 \n', 0],
    ['ip route show table 100 via 10.23.14.1', '10.10.0.0/16 dev eth0 metric 5 \n', 0],
    ['ip route show src 10.23.15.110 table 100', '10.10.0.0/16 dev eth0 proto static scope link \n', 0],
    [
      'ip route show scope link',
      '10.23.14.0/24 dev eth0 proto kernel src 10.23.14.110 \n10.23.15.0/24 dev eth0 proto kernel src 10.23.15.110 \n',
      0,
    ],
    [
      'ip route show match 10.10.3.4 table 100',
      '10.10.0.0/16 dev eth0 proto static scope link src 10.23.15.110 \n10.10.0.0/16 via 10.23.14.1 dev eth0 metric 5 \n',
      0,
    ],
    ['ip route show match 10.6.0.0/8', '', 0],
    ['ip route show root 10.6.0.0/15', '10.6.0.0/16 via 10.23.14.1 dev eth0 proto static mtu lock 1300 \nthrow 10.7.0.0/16 \n', 0],
    ['ip route show exact 10.6.1.1/16', '10.6.0.0/16 via 10.23.14.1 dev eth0 proto static mtu lock 1300 \n', 0],
    ['ip route show table 400', 'Error: ipv4: FIB table does not exist.\nDump terminated\n', 2],
    ['ip route del 10.10.0.0/16 table 400', 'Error: FIB table does not exist.\n', 2],
    ['ip route get 10.7.1.1', 'RTNETLINK answers: Network is unreachable\n', 2],
    [
      'ip -j route show 10.6.0.0/16',
      '[{"dst":"10.6.0.0/16","gateway":"10.23.14.1","dev":"eth0","protocol":"static","flags":[],"metrics":[{"mtu":1300}]}]\n',
      0,
    ],
    ['ip -j route show type throw table 100', '[{"type":"throw","dst":"10.11.0.0/16","flags":[]}]\n', 0],
  ])('%s', (line, out, status) => {
    expect(run(shell(...ROUTES), line)).toEqual([out, status]);
  });

  it('a table stays after its last route goes, and a failed add makes it', () => {
    const sh = shell(...ROUTES);
    expect(run(sh, 'ip route flush table 100')).toEqual(['', 0]);
    expect(run(sh, 'ip route show table 100')).toEqual(['', 0]);
    expect(run(sh, 'ip route add 10.13.0.0/16 via 10.99.0.1 table 300')[0]).toBe('Error: Nexthop has invalid gateway.\n');
    expect(run(sh, 'ip route show table 300')).toEqual(['', 0]);
  });

  it.each([
    ['ip route flush', '"ip route flush" requires arguments.\n', 1],
    ['ip route flush table 400', 'Error: ipv4: FIB table does not exist.\nFlush terminated\n', 2],
    ['ip -s route flush proto static', '\n*** Round 1, deleting 1 entries ***\n*** Flush is complete after 1 round ***\n', 0],
    ['ip -s route flush table 100 type broadcast', 'Nothing to flush.\n', 0],
    ['ip route flush cache', '', 0],
    ['ip -s route flush cache', '*** IPv4 routing cache is flushed.\n', 0],
  ])('%s', (line, out, status) => {
    expect(run(shell(...ROUTES), line)).toEqual([out, status]);
  });

  it('flush removes what the selectors keep, kernel routes included', () => {
    const sh = shell(...ROUTES);
    run(sh, 'ip route flush proto static');
    run(sh, 'ip route flush type throw');
    expect(run(sh, 'ip route')[0]).toBe(
      '10.23.14.0/24 dev eth0 proto kernel scope link src 10.23.14.110 \n10.23.15.0/24 dev eth0 proto kernel scope link src 10.23.15.110 \n',
    );
    run(sh, 'ip route flush table main');
    expect(run(sh, 'ip route')[0]).toBe('');
  });
});

describe('ip rule', () => {
  const RULES = [
    ...SETUP,
    'ip route add default via 10.23.14.1 table 200',
    'ip rule add from 10.1.2.0/24 table 200',
    'ip rule add iif eth0 to 192.0.2.0/24 lookup 100 pref 1000',
    'ip rule add to 192.0.2.99 prohibit pref 900',
    'ip rule add to 192.0.2.98 type blackhole pref 901',
    'ip rule add not fwmark 0x200/0x200 lookup 300 pref 50',
    'ip rule add iif nosuch lookup 100 pref 2000',
    'ip rule add lookup main suppress_prefixlength 0 pref 10',
    'ip rule add from 10.1.1.0/24 tos 0x10 lookup 200',
  ];

  it('prints the rules as print_rule does, priorities as the kernel gave them', () => {
    expect(run(shell(...RULES), 'ip rule')).toEqual([
      '0:\tfrom all lookup local\n' +
        '9:\tfrom 10.1.1.0/24 tos 0x10 lookup 200\n' +
        '10:\tfrom all lookup main suppress_prefixlength 0\n' +
        '50:\tnot from all fwmark 0x200/0x200 lookup 300\n' +
        '900:\tfrom all to 192.0.2.99 prohibit\n' +
        '901:\tfrom all to 192.0.2.98 blackhole\n' +
        '1000:\tfrom all to 192.0.2.0/24 iif eth0 lookup 100\n' +
        '2000:\tfrom all iif nosuch [detached] lookup 100\n' +
        '32765:\tfrom 10.1.2.0/24 lookup 200\n' +
        '32766:\tfrom all lookup main\n' +
        '32767:\tfrom all lookup default\n',
      0,
    ]);
  });

  it.each([
    [
      'ip rule show table 100',
      '1000:\tfrom all to 192.0.2.0/24 iif eth0 lookup 100\n2000:\tfrom all iif nosuch [detached] lookup 100\n',
      0,
    ],
    ['ip rule list pref 900', '900:\tfrom all to 192.0.2.99 prohibit\n', 0],
    ['ip rule show from 10.1.0.0/16', '9:\tfrom 10.1.1.0/24 tos 0x10 lookup 200\n32765:\tfrom 10.1.2.0/24 lookup 200\n', 0],
    ['ip rule show not', '50:\tnot from all fwmark 0x200/0x200 lookup 300\n', 0],
    ['ip -j rule show table 300', '[{"priority":50,"not":null,"src":"all","fwmark":"0x200","fwmask":"0x200","table":"300"}]\n', 0],
    ['ip rule add iif eth0 to 192.0.2.0/24 lookup 100 pref 1000', 'RTNETLINK answers: File exists\n', 2],
    ['ip rule del pref 1234', 'RTNETLINK answers: No such file or directory\n', 2],
    ['ip rule del', '"ip rule del" requires arguments.\n', 1],
    ['ip rule add', '"ip rule add" requires arguments.\n', 1],
  ])('%s', (line, out, status) => {
    expect(run(shell(...RULES), line)).toEqual([out, status]);
  });

  it('a device of the rule name attaches it; flush keeps only the rule of priority 0', () => {
    const sh = shell(...RULES);
    run(sh, 'ip link add nosuch type veth peer name nosuchp');
    expect(run(sh, 'ip rule show pref 2000')[0]).toBe('2000:\tfrom all iif nosuch lookup 100\n');
    expect(run(sh, 'ip rule flush')).toEqual(['', 0]);
    expect(run(sh, 'ip rule')[0]).toBe('0:\tfrom all lookup local\n');
    expect(run(sh, 'ip rule add pref 32766 lookup main')).toEqual(['', 0]);
    expect(run(sh, 'ip rule')[0]).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n');
  });

  it('ip route get follows the rules for locally sent traffic (source 0 matches only from-all rules)', () => {
    const sh = shell(
      ...SETUP,
      'ip route add default via 10.23.14.1',
      'ip route add unreachable 192.0.2.0/24 table 7',
      'ip rule add to 192.0.2.0/24 lookup 7',
    );
    expect(run(sh, 'ip route get 192.0.2.1')).toEqual(['RTNETLINK answers: No route to host\n', 2]);
  });
});
