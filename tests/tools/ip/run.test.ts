// Tests of `ip` against the simulated kernel on hostile input (src/tools/ip/run.ts, parse.ts):
// `ip route get 0.0.0.0`, namespace names iproute2 refuses, the MTU as get_integer reads it, a device
// whose MTU is under 68 (no in_device), the default scope of a loopback address, and forwarding
// that is on for any value but 0. Expected lines and statuses are what iproute2 6.1 on kernel 6.18
// prints (fixtures/labs/validate-route-get.lab, validate-netns.lab, validate-mtu.lab).

import { mtuValue } from '../../../src/tools/ip/parse.js';
import { runLine as run, shellWith as shell } from '../../support/shell.js';

describe('ip route get 0.0.0.0', () => {
  const SETUP = [
    'ip link add v0 type veth peer name v1',
    'ip link set v0 up',
    'ip link set v1 up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip route add default via 10.0.0.2',
  ];

  it.each([
    ['ip route get 0.0.0.0', 'local 0.0.0.0 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n', 0],
    ['ip route get 0.0.0.0 from 127.0.0.1', 'local 0.0.0.0 from 127.0.0.1 dev lo uid 0 \n    cache <local> \n', 0],
    ['ip route get 0.0.0.0 from 127.0.0.5', 'local 0.0.0.0 from 127.0.0.5 dev lo uid 0 \n    cache <local> \n', 0],
    ['ip route get 0.0.0.0 from 10.0.0.1', 'local 0.0.0.0 from 10.0.0.1 dev lo uid 0 \n    cache <local> \n', 0],
    ['ip route get 0.0.0.0 from 10.0.0.9', 'RTNETLINK answers: Network is unreachable\n', 2],
    ['ip route get 0.0.0.0 from 224.0.0.1', 'RTNETLINK answers: Invalid argument\n', 2],
    ['ip route get 0.0.0.0 iif v0', 'broadcast 0.0.0.0 dev lo \n    cache <local,brd> iif v0 \n', 0],
    ['ip route get 0.0.0.0 iif v0 from 10.0.0.2', 'RTNETLINK answers: Invalid argument\n', 2],
    ['ip route get 0.0.0.0 iif nosuch', 'Cannot find device "nosuch"\n', 1],
    ['ip route get 0.0.0.0 fibmatch', 'RTNETLINK answers: No route to host\n', 2],
    [
      'ip -j route get 0.0.0.0',
      '[{"type":"local","dst":"0.0.0.0","dev":"lo","prefsrc":"127.0.0.1","flags":[],"uid":0,"cache":["local"]}]\n',
      0,
    ],
  ])('%s', (line, out, status) => {
    expect(run(shell(...SETUP), line)).toEqual([out, status]);
  });

  it('answers the same with lo down', () => {
    const sh = shell(...SETUP, 'ip link set lo down');
    expect(run(sh, 'ip route get 0.0.0.0')).toEqual(['local 0.0.0.0 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n', 0]);
  });
});

describe('namespace names iproute2 refuses', () => {
  it.each(['n'.repeat(256), 'a/b', '/', '.', '..'])('%s', (name) => {
    const sh = shell();
    for (const verb of ['add', 'del']) expect(run(sh, `ip netns ${verb} ${name}`)).toEqual([`Invalid netns name "${name}"\n`, 255]);
    expect(run(sh, 'ip netns list')).toEqual(['', 0]);
  });

  it('takes a name of 255 characters', () => {
    const sh = shell();
    expect(run(sh, `ip netns add ${'n'.repeat(255)}`)).toEqual(['', 0]);
    expect(run(sh, 'ip netns list')).toEqual([`${'n'.repeat(255)}\n`, 0]);
  });
});

describe('the MTU word', () => {
  it.each([
    ['1500', 1500],
    ['0x100', 256],
    ['010', 8],
    ['0', 0],
    ['-1', -1],
    ['+68', 68],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
  ])('%s is %d', (w, n) => {
    expect(mtuValue(w)).toBe(n);
  });

  it.each(['2147483648', '1e3', 'abc', '08', '0x', '', '1500x'])('%j is refused', (w) => {
    expect(() => mtuValue(w)).toThrow(`invalid MTU "${w}"`);
  });
});

describe('a device under 68', () => {
  it.each([
    ['ip addr add 10.0.2.1/24 dev lo', 'RTNETLINK answers: No buffer space available\n', 2],
    ['ip addr del 127.0.0.1/8 dev lo', 'Error: ipv4: Device not found.\n', 2],
    ['ip route add 10.6.0.0/16 dev lo', 'RTNETLINK answers: No such device\n', 2],
    ['ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev lo', 'RTNETLINK answers: Invalid argument\n', 2],
    ['ip route get 127.0.0.1', 'RTNETLINK answers: Network is unreachable\n', 2],
    ['ip -br addr show dev lo', 'lo               UNKNOWN        \n', 0],
  ])('%s', (line, out, status) => {
    expect(run(shell('ip link set lo mtu 67'), line)).toEqual([out, status]);
  });
});

describe('ip addr add 127.x', () => {
  it('gives a loopback address scope host, so it joins lo’s /8 as a secondary', () => {
    const sh = shell('ip addr add 127.0.0.2/8 dev lo');
    expect(run(sh, 'ip -br addr show dev lo')).toEqual(['lo               UNKNOWN        127.0.0.1/8 127.0.0.2/8 \n', 0]);
  });
});

describe('ip route get … iif', () => {
  it.each([
    ['5', 0],
    ['-1', 0],
    ['0', 2],
  ])('forwards with forwarding=%s (status %d)', (value, status) => {
    const sh = shell(
      'ip link add eth0 type veth peer name p0',
      'ip link add eth1 type veth peer name p1',
      'ip link set eth0 up',
      'ip link set eth1 up',
      'ip link set p0 up',
      'ip link set p1 up',
      'ip addr add 10.0.0.1/24 dev eth0',
      'ip addr add 10.1.0.1/24 dev eth1',
      `sysctl -qw net.ipv4.conf.eth0.forwarding=${value}`,
    );
    expect(run(sh, 'ip route get 10.1.0.9 from 10.0.0.2 iif eth0')[1]).toBe(status);
  });
});
