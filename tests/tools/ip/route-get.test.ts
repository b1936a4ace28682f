// Tests of `ip route get` (src/tools/ip/routeget.ts over src/kernel/route.ts): input lookups with `iif`
// (martians, broadcast, local, rp_filter, the redirect flag), source selection and `oif`, and the route
// exception an ICMP redirect leaves. Expected lines are what iproute2 6.1 printed on Linux 6.18
// (fixtures/labs/input-route.lab, src-select.lab, redirect.lab).

import { createSimulator } from '../../../src/scenarios/simulator.js';
import { Shell } from '../../../src/tools/shell.js';

function shell(setup: readonly string[]): Shell {
  const sh = new Shell(createSimulator());
  for (const l of setup) {
    const r = sh.run(l);
    expect([l, r.output.stderr]).toEqual([l, '']);
  }
  return sh;
}

function run(sh: Shell, line: string): [string, number] {
  const r = sh.run(line).output;
  return [r.stdout + r.stderr, r.status];
}

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
    expect(run(shell(ROUTER), `ip -n r route get ${args}`)).toEqual([out, status]);
  });

  // rp_filter is the larger of conf.all and conf.DEV: 1 wants the way back through the input device, 2 any way back.
  it.each([
    ['0', '0', true, true],
    ['0', '1', false, false],
    ['1', '0', false, false],
    ['2', '1', true, false],
    ['0', '2', true, false],
  ])('rp_filter all=%s eth0=%s', (all, dev, viaOther, viaNothing) => {
    const sh = shell([...ROUTER, `ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=${all} net.ipv4.conf.eth0.rp_filter=${dev}`]);
    const ok = (src: string) => [`10.1.0.2 from ${src} dev eth1 \n    cache iif eth0 \n`, 0];
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.0.0.2 iif eth0')).toEqual(ok('10.0.0.2'));
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.1.0.7 iif eth0')).toEqual(viaOther ? ok('10.1.0.7') : EINVAL);
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.77.0.1 iif eth0')).toEqual(viaNothing ? ok('10.77.0.1') : EINVAL);
  });

  it('refuses forwarded destinations, not local ones, with forwarding off on the input device', () => {
    const sh = shell([...ROUTER, 'ip netns exec r sysctl -qw net.ipv4.conf.eth0.forwarding=0']);
    expect(run(sh, 'ip -n r route get 10.1.0.2 from 10.0.0.2 iif eth0')).toEqual(['RTNETLINK answers: No route to host\n', 2]);
    expect(run(sh, 'ip -n r route get 10.9.9.9 from 10.0.0.2 iif eth0')).toEqual(['RTNETLINK answers: No route to host\n', 2]);
    expect(run(sh, 'ip -n r route get 10.1.0.1 from 10.0.0.2 iif eth0')).toEqual([
      'local 10.1.0.1 from 10.0.0.2 dev lo \n    cache <local> iif eth0 \n',
      0,
    ]);
  });

  it('drops the redirect flag only when send_redirects is off for both all and the device', () => {
    const sh = shell([...ROUTER, 'ip netns exec r sysctl -qw net.ipv4.conf.eth0.send_redirects=0']);
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
    const sh = shell(NODE);
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
    expect(run(shell(NODE), `ip -n r route get ${args}`)).toEqual([out, status]);
  });
});
