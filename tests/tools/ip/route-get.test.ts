// Tests of `ip route get` (src/tools/ip/routeget.ts over src/kernel/route.ts): input lookups with `iif`
// (martians, broadcast, local, rp_filter, the redirect flag), source selection and `oif`, and the route
// exception an ICMP redirect leaves. Expected lines are what iproute2 6.1 printed on Linux 6.18
// (fixtures/labs/input-route.lab, src-select.lab, redirect.lab).

import type { Shell } from '../../../src/tools/shell.js';
import { runLine as run, shellWith } from '../../support/shell.js';

const EINVAL = ['RTNETLINK answers: Invalid argument\n', 2] as const;

/** ROUTER is input-route.lab's router r between a (10.0.0.2 on eth0) and b (10.1.0.2 on eth1). */
const ROUTER = [
  'ip netns add r',
  'ip netns add a',
  'ip netns add b',
  'ip -n r link add eth0 type veth peer name eth0 netns a',
  'ip -n r link add eth1 type veth peer name eth0 netns b',
  'ip -n r link set eth0 address 02:00:00:00:00:01 up',
  'ip -n r link set eth1 address 02:00:00:00:01:01 up',
  'ip -n r addr add 10.0.0.1/24 dev eth0',
  'ip -n r addr add 10.1.0.1/24 dev eth1',
  'ip netns exec r sysctl -qw net.ipv4.ip_forward=1',
];

describe('ip route get … iif (ip_route_input_slow)', () => {
  it.each([
    ['10.1.0.2 from 10.0.0.2 iif eth0', '10.1.0.2 from 10.0.0.2 dev eth1 \n    cache iif eth0 \n', 0],
    ['10.1.0.2 iif eth0', ...EINVAL],
    ['10.0.0.3 from 10.0.0.2 iif eth0', '10.0.0.3 from 10.0.0.2 dev eth0 \n    cache <redirect> iif eth0 \n', 0],
    ['10.1.0.1 from 10.0.0.2 iif eth0', 'local 10.1.0.1 from 10.0.0.2 dev lo \n    cache <local> iif eth0 \n', 0],
    ['10.0.0.255 from 10.0.0.2 iif eth0', 'broadcast 10.0.0.255 from 10.0.0.2 dev lo \n    cache <local,brd> iif eth0 \n', 0],
    ['255.255.255.255 iif eth0', 'broadcast 255.255.255.255 dev lo \n    cache <local,brd> iif eth0 \n', 0],
    ['127.0.0.1 from 10.0.0.2 iif eth0', ...EINVAL],
    ['10.1.0.2 from 127.0.0.1 iif eth0', ...EINVAL],
    ['10.1.0.2 from 224.0.0.5 iif eth0', ...EINVAL],
    ['10.1.0.2 from 255.255.255.255 iif eth0', ...EINVAL],
    ['10.1.0.2 from 10.1.0.1 iif eth0', ...EINVAL],
    ['10.0.0.1 from 10.0.0.1 iif eth0', ...EINVAL],
    ['224.0.0.5 from 10.0.0.2 iif eth0', ...EINVAL],
    ['10.9.9.9 from 10.0.0.2 iif eth0', 'RTNETLINK answers: Network is unreachable\n', 2],
    ['10.1.0.2 from 10.77.0.1 iif eth0', '10.1.0.2 from 10.77.0.1 dev eth1 \n    cache iif eth0 \n', 0],
  ])('ip -n r route get %s', (args, out, status) => {
    expect(run(shellWith(...ROUTER), `ip -n r route get ${args}`)).toEqual([out, status]);
  });

  // rp_filter is the larger of conf.all and conf.DEV: 1 wants the way back through the input device, 2 any way back.
  it.each([
    ['0', '0', true, true],
    ['0', '1', false, false],
    ['1', '0', false, false],
    ['2', '1', true, false],
    ['0', '2', true, false],
  ])('rp_filter all=%s eth0=%s', (all, dev, viaOther, viaNothing) => {
    const sh = shellWith(...ROUTER, `ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=${all} net.ipv4.conf.eth0.rp_filter=${dev}`);
    const ok = (src: string) => [`10.1.0.2 from ${src} dev eth1 \n    cache iif eth0 \n`, 0];
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.0.0.2 iif eth0')).toEqual(ok('10.0.0.2'));
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.1.0.7 iif eth0')).toEqual(viaOther ? ok('10.1.0.7') : EINVAL);
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.77.0.1 iif eth0')).toEqual(viaNothing ? ok('10.77.0.1') : EINVAL);
  });

  it('refuses forwarded destinations, not local ones, with forwarding off on the input device', () => {
    const sh = shellWith(...ROUTER, 'ip netns exec r sysctl -qw net.ipv4.conf.eth0.forwarding=0');
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.0.0.2 iif eth0')).toEqual(['RTNETLINK answers: No route to host\n', 2]);
    expect(run(sh, 'ip -n r route get 10.9.9.9 from 10.0.0.2 iif eth0')).toEqual(['RTNETLINK answers: No route to host\n', 2]);
    expect(run(sh, 'ip -n r route get 10.1.0.1 from 10.0.0.2 iif eth0')).toEqual([
      'local 10.1.0.1 from 10.0.0.2 dev lo \n    cache <local> iif eth0 \n',
      0,
    ]);
  });

  it('drops the redirect flag only when send_redirects is off for both all and the device', () => {
    const sh = shellWith(...ROUTER, 'ip netns exec r sysctl -qw net.ipv4.conf.eth0.send_redirects=0');
    const line = 'ip -n r route get 10.0.0.3 from 10.0.0.2 iif eth0';
    expect(run(sh, line)).toEqual(['10.0.0.3 from 10.0.0.2 dev eth0 \n    cache <redirect> iif eth0 \n', 0]);
    run(sh, 'ip netns exec r sysctl -qw net.ipv4.conf.all.send_redirects=0');
    expect(run(sh, line)).toEqual(['10.0.0.3 from 10.0.0.2 dev eth0 \n    cache iif eth0 \n', 0]);
  });
});

/** NODE is src-select.lab's router: wan1 (10.1.0.1), wan2 (10.2.0.1, default route), cali1 without an address. */
const NODE = [
  'ip netns add r',
  'ip netns add x',
  'ip netns add y',
  'ip netns add pod',
  'ip -n r link add wan1 type veth peer name eth0 netns x',
  'ip -n r link add wan2 type veth peer name eth0 netns y',
  'ip -n r link add cali1 type veth peer name eth0 netns pod',
  'ip -n r link set wan1 up',
  'ip -n r link set wan2 up',
  'ip -n r link set cali1 up',
  'ip -n r addr add 10.1.0.1/24 dev wan1',
  'ip -n r addr add 10.2.0.1/24 dev wan2',
  'ip -n r route add 10.3.0.5 dev cali1 scope link',
  'ip -n r route add default via 10.2.0.2 dev wan2',
];

describe('ip route get: source selection and oif (ip_route_output_key_hash_rcu)', () => {
  it('takes the first address in device-list order for a device without one, and a moved device goes last', () => {
    const sh = shellWith(...NODE);
    expect(run(sh, 'ip -n r route get 10.3.0.5')).toEqual(['10.3.0.5 dev cali1 src 10.1.0.1 uid 0 \n    cache \n', 0]);
    for (const l of [
      'ip -n r link set wan1 netns y',
      'ip -n y link set wan1 netns r',
      'ip -n r link set wan1 up',
      'ip -n r addr add 10.1.0.1/24 dev wan1',
    ]) {
      expect(run(sh, l)).toEqual(['', 0]);
    }
    expect(run(sh, 'ip -n r route get 10.3.0.5')).toEqual(['10.3.0.5 dev cali1 src 10.2.0.1 uid 0 \n    cache \n', 0]);
  });

  it.each([
    ['10.2.0.2 from 10.9.9.9', 'RTNETLINK answers: Network is unreachable\n', 2],
    ['10.2.0.2 from 127.0.0.1', ...EINVAL],
    ['10.2.0.2 from 224.0.0.1', ...EINVAL],
    ['10.2.0.2 from 10.1.0.1', '10.2.0.2 from 10.1.0.1 dev wan2 uid 0 \n    cache \n', 0],
    ['10.50.0.1 oif wan2', '10.50.0.1 via 10.2.0.2 dev wan2 src 10.2.0.1 uid 0 \n    cache \n', 0],
    ['10.50.0.1 oif cali1', '10.50.0.1 dev cali1 src 10.1.0.1 uid 0 \n    cache \n', 0],
    ['10.1.0.2 oif wan2', '10.1.0.2 via 10.2.0.2 dev wan2 src 10.2.0.1 uid 0 \n    cache \n', 0],
    ['10.50.0.1 oif lo', '10.50.0.1 dev lo src 10.1.0.1 uid 0 \n    cache <local> \n', 0],
    ['0.0.0.0 oif wan2', 'local 0.0.0.0 dev lo src 10.2.0.1 uid 0 \n    cache <local> \n', 0],
    ['10.50.0.1 oif nosuch', 'Cannot find device "nosuch"\n', 1],
  ])('ip -n r route get %s', (args, out, status) => {
    expect(run(shellWith(...NODE), `ip -n r route get ${args}`)).toEqual([out, status]);
  });
});

/** PMTU_PATH is route-exceptions.lab's path: h → r1 (10.0.1.1) → r2 (10.0.2.2) → srv 10.0.3.2 behind a 1400-byte link. */
const PMTU_PATH = [
  'ip netns add r1',
  'ip netns add h',
  'ip netns add r2',
  'ip netns add srv',
  'ip -n r1 link add eth0 type veth peer name eth0 netns h',
  'ip -n r1 link add eth1 type veth peer name eth0 netns r2',
  'ip -n r2 link add eth1 type veth peer name eth0 netns srv',
  'ip -n r1 link set eth0 up',
  'ip -n r1 link set eth1 up',
  'ip -n r1 addr add 10.0.1.1/24 dev eth0',
  'ip -n r1 addr add 10.0.2.1/24 dev eth1',
  'ip -n r1 route add 10.0.3.0/24 via 10.0.2.2',
  'ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1',
  'ip -n h link set eth0 up',
  'ip -n h addr add 10.0.1.2/24 dev eth0',
  'ip -n h route add default via 10.0.1.1',
  'ip -n r2 link set eth0 up',
  'ip -n r2 link set eth1 mtu 1400 up',
  'ip -n r2 addr add 10.0.2.2/24 dev eth0',
  'ip -n r2 addr add 10.0.3.1/24 dev eth1',
  'ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1',
  'ip -n r2 route add default via 10.0.2.1',
  'ip -n srv link set eth0 mtu 1400 up',
  'ip -n srv addr add 10.0.3.2/24 dev eth0',
  'ip -n srv route add default via 10.0.3.1',
];

const H_PLAIN = '10.0.3.2 via 10.0.1.1 dev eth0 src 10.0.1.2 uid 0 \n    cache \n';
const H_PMTU = '10.0.3.2 via 10.0.1.1 dev eth0 src 10.0.1.2 uid 0 \n    cache expires 599sec mtu 1400 \n';

function learnt(): Shell {
  const sh = shellWith(...PMTU_PATH);
  sh.run('ip netns exec h ping -c 1 -W 1 -M do -s 1400 10.0.3.2');
  return sh;
}

describe('ip route get and PMTU exceptions (rt_fill_info RTA_CACHEINFO, RTA_METRICS)', () => {
  it('shows the learnt path MTU and its expiry for that destination only', () => {
    const sh = learnt();
    expect(run(sh, 'ip -n h route get 10.0.3.2')).toEqual([H_PMTU, 0]);
    expect(run(sh, 'ip -n h route get 10.0.3.9')).toEqual([H_PLAIN.replace('10.0.3.2', '10.0.3.9'), 0]);
    expect(run(sh, 'ip -n h -j route get 10.0.3.2')[0]).toBe(
      '[{"dst":"10.0.3.2","gateway":"10.0.1.1","dev":"eth0","prefsrc":"10.0.1.2","flags":[],"uid":0,"cache":[],"expires":599,"metrics":[{"mtu":1400}]}]\n',
    );
    // fibmatch prints the FIB entry, which has no cache line.
    expect(run(sh, 'ip -n h route get 10.0.3.2 fibmatch')).toEqual(['default via 10.0.1.1 dev eth0 \n', 0]);
  });

  it('counts the expiry down in virtual time', () => {
    const sh = learnt();
    sh.run('sleep 100');
    expect(run(sh, 'ip -n h route get 10.0.3.2')[0]).toContain('cache expires 499sec mtu 1400 \n');
  });

  it('shows a router’s exception in input lookups (__mkroute_input binds it)', () => {
    const sh = shellWith(...PMTU_PATH);
    sh.run('ip netns exec r1 ping -c 1 -W 1 -M do -s 1400 10.0.3.2');
    expect(run(sh, 'ip -n r1 route get 10.0.3.2 from 10.0.1.2 iif eth0')).toEqual([
      '10.0.3.2 from 10.0.1.2 via 10.0.2.2 dev eth1 \n    cache expires 599sec mtu 1400 iif eth0 \n',
      0,
    ]);
    expect(run(sh, 'ip -n r1 route get 10.0.3.3 from 10.0.1.2 iif eth0')[0]).toBe(
      '10.0.3.3 from 10.0.1.2 via 10.0.2.2 dev eth1 \n    cache iif eth0 \n',
    );
  });

  it.each([
    ['10.0.9.0/24 via 10.0.1.1 mtu 1300', '10.0.9.1', 'cache mtu 1300 \n'],
    ['10.0.9.0/24 via 10.0.1.1 mtu lock 1280', '10.0.9.1', 'cache mtu lock 1280 \n'],
  ])('shows the route’s own metric: %s', (route, dst, tail) => {
    const sh = shellWith(...PMTU_PATH, `ip -n h route add ${route}`);
    expect(run(sh, `ip -n h route get ${dst}`)[0]).toBe(`${dst} via 10.0.1.1 dev eth0 src 10.0.1.2 uid 0 \n    ${tail}`);
  });

  it.each([
    // Another route with the same fib_info keeps it alive.
    [['ip -n h route add 10.0.7.0/24 via 10.0.1.1', 'ip -n h route del 10.0.7.0/24'], H_PMTU],
    [['ip -n h route del default via 10.0.1.1', 'ip -n h route add default via 10.0.1.1'], H_PLAIN],
    [['ip -n h route replace default via 10.0.1.1'], H_PMTU],
    [['ip -n h route replace default via 10.0.1.1 proto static'], H_PLAIN],
    [['ip -n h route flush cache'], H_PLAIN],
    [['ip -n h route flush default', 'ip -n h route add default via 10.0.1.1'], H_PLAIN],
  ])('after %j the cache line is as expected', (cmds, out) => {
    const sh = learnt();
    for (const c of cmds) expect(run(sh, c)).toEqual(['', 0]);
    expect(run(sh, 'ip -n h route get 10.0.3.2')[0]).toBe(out);
  });

  it('sends full-size packets again once the exception went', () => {
    const sh = learnt();
    sh.run('ip -n h route flush cache');
    const r = run(sh, 'ip netns exec h ping -c 1 -W 1 -M do -s 1400 10.0.3.2')[0];
    expect(r).toContain('From 10.0.2.2 icmp_seq=1 Frag needed and DF set (mtu = 1400)');
  });
});

/** inet is an address painted as COLOR_INET (magenta), the space after it inside the colour. */
const inet = (s: string): string => `\x1b[35m${s} \x1b[0m`;
/** ifname is a device name painted as COLOR_IFNAME (cyan). */
const ifname = (s: string): string => `\x1b[36m${s} \x1b[0m`;

describe('ip -c route (print_color_string, print_rta_ifidx)', () => {
  it.each([
    [
      'ip -c -n h route',
      `default via ${inet('10.0.1.1')}dev ${ifname('eth0')}\n${inet('10.0.1.0/24')}dev ${ifname('eth0')}proto kernel scope link src ${inet('10.0.1.2')}\n`,
    ],
    [
      'ip -c -n h route get 10.0.3.2',
      `${inet('10.0.3.2')}via ${inet('10.0.1.1')}dev ${ifname('eth0')}src ${inet('10.0.1.2')}uid 0 \n    cache \n`,
    ],
    ['ip -c -n h route get 10.0.1.2', `local ${inet('10.0.1.2')}dev ${ifname('lo')}src ${inet('10.0.1.2')}uid 0 \n    cache <local> \n`],
    [
      'ip -c -n r1 route get 10.0.3.2 from 10.0.1.2 iif eth0',
      `${inet('10.0.3.2')}${inet('from 10.0.1.2')}via ${inet('10.0.2.2')}dev ${ifname('eth1')}\n    cache iif ${ifname('eth0')}\n`,
    ],
    ['ip -c -n h route get fibmatch 10.0.3.2', `default via ${inet('10.0.1.1')}dev ${ifname('eth0')}\n`],
    ['ip -c -j -n h route get 10.0.1.1', '[{"dst":"10.0.1.1","dev":"eth0","prefsrc":"10.0.1.2","flags":[],"uid":0,"cache":[]}]\n'],
  ])('%s', (line, out) => {
    expect(run(shellWith(...PMTU_PATH), line)).toEqual([out, 0]);
  });
});

describe('fib_validate_source with rules (__fib_validate_source, fib4_has_custom_rules)', () => {
  const OK = '10.0.3.2 from 10.0.1.255 via 10.0.2.2 dev eth1 \n    cache iif eth0 \n';
  it.each([
    // Without rules an address that is not ours passes; with any rule the full check finds it is a broadcast.
    [[], '10.0.3.2 from 10.0.1.255', OK],
    [['ip -n r1 rule add from 10.9.9.0/24 lookup 100 pref 90'], '10.0.3.2 from 10.0.1.255', EINVAL[0]],
    // A hand-made local route (fib_has_custom_local_routes) does the same.
    [['ip -n r1 route add local 10.0.9.9 dev eth0'], '10.0.3.2 from 10.0.1.255', EINVAL[0]],
    // rp_filter 1: the reverse flow comes from the packet's destination (rule `from`) …
    [
      [
        'ip -n r1 route add 10.0.1.0/24 dev eth1 table 100',
        'ip -n r1 rule add from 10.0.3.2 lookup 100 pref 90',
        'ip netns exec r1 sysctl -qw net.ipv4.conf.all.rp_filter=1',
      ],
      '10.0.3.2 from 10.0.1.2',
      EINVAL[0],
    ],
    [
      [
        'ip -n r1 route add 10.0.1.0/24 dev eth1 table 100',
        'ip -n r1 rule add from 10.0.3.2 lookup 100 pref 90',
        'ip netns exec r1 sysctl -qw net.ipv4.conf.all.rp_filter=1',
      ],
      '10.0.3.3 from 10.0.1.2',
      '10.0.3.3 from 10.0.1.2 via 10.0.2.2 dev eth1 \n    cache iif eth0 \n',
    ],
    // … and enters by the output device (rule `iif`), by lo for a local destination.
    [
      [
        'ip -n r1 route add 10.0.1.0/24 dev eth1 table 100',
        'ip -n r1 rule add iif eth1 lookup 100 pref 80',
        'ip netns exec r1 sysctl -qw net.ipv4.conf.all.rp_filter=1',
      ],
      '10.0.3.3 from 10.0.1.2',
      EINVAL[0],
    ],
    [
      [
        'ip -n r1 route add 10.0.1.0/24 dev eth1 table 100',
        'ip -n r1 rule add iif eth1 lookup 100 pref 80',
        'ip netns exec r1 sysctl -qw net.ipv4.conf.all.rp_filter=1',
      ],
      '10.0.1.1 from 10.0.1.2',
      'local 10.0.1.1 from 10.0.1.2 dev lo table local \n    cache <local> iif eth0 \n',
    ],
  ])('after %j: ip route get %s iif eth0', (setup, args, out) => {
    expect(run(shellWith(...PMTU_PATH, ...setup), `ip -n r1 route get ${args} iif eth0`)[0]).toBe(out);
  });
});
