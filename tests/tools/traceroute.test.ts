// Tests for src/tools/traceroute.ts (traceroute 2.1.2): its hop lines, the annotations of
// unreachables, the end of a trace, and its argv. The kernel's output for the same topology is in
// fixtures/labs/trace-hops.kernel.out.

import { parseTracerouteArgs, unreachText } from '../../src/tools/traceroute.js';
import { shellWith } from '../support/shell.js';

const TWO_ROUTERS = [
  'ip netns add a',
  'ip netns add r1',
  'ip netns add r2',
  'ip netns add b',
  'ip -n a link add eth0 type veth peer name eth0 netns r1',
  'ip -n r1 link add eth1 type veth peer name eth0 netns r2',
  'ip -n r2 link add eth1 type veth peer name eth0 netns b',
  'ip -n a link set eth0 up',
  'ip -n r1 link set eth0 up',
  'ip -n r1 link set eth1 up',
  'ip -n r2 link set eth0 up',
  'ip -n r2 link set eth1 up',
  'ip -n b link set eth0 up',
  'ip -n a addr add 10.0.1.2/24 dev eth0',
  'ip -n r1 addr add 10.0.1.1/24 dev eth0',
  'ip -n r1 addr add 10.0.2.1/24 dev eth1',
  'ip -n r2 addr add 10.0.2.2/24 dev eth0',
  'ip -n r2 addr add 10.0.3.1/24 dev eth1',
  'ip -n b addr add 10.0.3.2/24 dev eth0',
  'ip -n a route add default via 10.0.1.1',
  'ip -n r1 route add default via 10.0.2.2',
  'ip -n r2 route add 10.0.1.0/24 via 10.0.2.1',
  'ip -n b route add default via 10.0.3.1',
  'ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1',
  'ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1',
  'ip -n r2 route add unreachable 10.0.9.0/24',
  'ip -n r2 route add blackhole 10.0.8.0/24',
];

const shell = () => shellWith(...TWO_ROUTERS);

/** hops strips the round trips from hop lines. */
const hops = (text: string): string[] => text.split('\n').map((l) => l.replace(/ {2}\d+\.\d{3} ms/g, '  T'));

describe('traceroute', () => {
  it.each(['', '-I '])('traceroute -n %sfinds both routers and the destination', (opt) => {
    const r = shell().run(`ip netns exec a traceroute -n ${opt}10.0.3.2`).output;
    expect(hops(r.stdout)).toEqual([
      'traceroute to 10.0.3.2 (10.0.3.2), 30 hops max, 60 byte packets',
      ' 1  10.0.1.1  T  T  T',
      ' 2  10.0.2.2  T  T  T',
      ' 3  10.0.3.2  T  T  T',
      '',
    ]);
    expect(r.status).toBe(0);
  });

  it('ends at the router that answers host unreachable, and stars a blackhole', () => {
    const sh = shell();
    expect(hops(sh.run('ip netns exec a traceroute -n -q 1 10.0.9.9').output.stdout).slice(1)).toEqual([
      ' 1  10.0.1.1  T',
      ' 2  10.0.2.2  T !H',
      '',
    ]);
    expect(hops(sh.run('ip netns exec a traceroute -n -q 2 -w 1 -m 3 10.0.8.8').output.stdout).slice(1)).toEqual([
      ' 1  10.0.1.1  T  T',
      ' 2  * *',
      ' 3  * *',
      '',
    ]);
  });

  it.each([
    ['', 'traceroute to 10.9.0.1 (10.9.0.1), 30 hops max, 60 byte packets'],
    ['-I ', ''],
  ])('traceroute -n %sfails at connect without a route, as error() prints it', (opt, stdout) => {
    const sh = shell();
    sh.run('ip -n a route del default');
    const r = sh.run(`ip netns exec a traceroute -n ${opt}10.9.0.1`).output;
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({
      stdout,
      stderr: '\nconnect: Network is unreachable\n',
      status: 1,
    });
  });

  it('prints `name (addr)` without -n, the address standing for the name', () => {
    const r = shell().run('ip netns exec a traceroute -q 1 10.0.1.1').output;
    expect(hops(r.stdout)[1]).toBe(' 1  10.0.1.1 (10.0.1.1)  T');
  });

  it.each([
    [0, '!N'],
    [1, '!H'],
    [2, '!P'],
    [3, ''],
    [4, '!F-1400'],
    [10, '!X'],
    [13, '!X'],
    [99, '!<99>'],
  ])('annotates unreachable code %i as "%s"', (code, text) => {
    expect(unreachText(code, 1400)).toBe(text);
  });

  it.each([
    [[], 'Specify "host" missing argument.'],
    [['-m', '0', '10.0.0.1'], 'first hop out of range'],
    [['-m', '256', '10.0.0.1'], 'max hops cannot be more than 255'],
    [['-f', '5', '-m', '3', '10.0.0.1'], 'first hop out of range'],
    [['-x', '10.0.0.1'], "Bad option `-x' (argc 1)"],
  ])('refuses %j: %s', (argv, message) => {
    expect(parseTracerouteArgs(argv)).toBe(message);
  });
});
