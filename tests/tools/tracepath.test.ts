// Tests for src/tools/tracepath.ts (iputils 20221126 tracepath): the local MTU error of the first
// probe, the first hop printed twice after the MTU changed, `reached` with its Resume line, `!H`,
// `no reply`, and its argv. The kernel's output for the same topology is in
// fixtures/labs/trace-hops.kernel.out.

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';
import { parseTracepathArgs } from '../../src/tools/tracepath.js';

const ROUTED = [
  'ip netns add a',
  'ip netns add r',
  'ip netns add b',
  'ip -n a link add eth0 type veth peer name eth0 netns r',
  'ip -n r link add eth1 type veth peer name eth0 netns b',
  'ip -n a link set eth0 up',
  'ip -n r link set eth0 up',
  'ip -n r link set eth1 up',
  'ip -n b link set eth0 up',
  'ip -n a addr add 10.0.1.2/24 dev eth0',
  'ip -n r addr add 10.0.1.1/24 dev eth0',
  'ip -n r addr add 10.0.2.1/24 dev eth1',
  'ip -n b addr add 10.0.2.2/24 dev eth0',
  'ip -n a route add default via 10.0.1.1',
  'ip -n b route add default via 10.0.2.1',
  'ip netns exec r sysctl -qw net.ipv4.ip_forward=1',
  'ip -n r route add unreachable 10.0.9.0/24',
  'ip -n r route add blackhole 10.0.8.0/24',
];

function shell(): Shell {
  const sh = new Shell(createSimulator());
  for (const l of ROUTED) expect(sh.run(l).output.stderr).toBe('');
  return sh;
}

/** hops replaces the round trip, which pads the host column, with T. */
const hops = (text: string): string[] => text.split('\n').map((l) => l.replace(/ +\d+\.\d{3}ms /, ' T '));

describe('tracepath', () => {
  it('learns the MTU locally, probes the first hop again, and reaches the destination', () => {
    const r = shell().run('ip netns exec a tracepath -n 10.0.2.2').output;
    expect(hops(r.stdout)).toEqual([
      ' 1?: [LOCALHOST]                      pmtu 1500',
      ' 1:  10.0.1.1 T ',
      ' 1:  10.0.1.1 T ',
      ' 2:  10.0.2.2 T reached',
      '     Resume: pmtu 1500 hops 2 back 2 ',
      '',
    ]);
  });

  it('pads the address to the host column before the round trip', () => {
    const line = shell().run('ip netns exec a tracepath -n -l 1000 10.0.2.2').output.stdout.split('\n')[0];
    expect(line).toMatch(/^ 1: {2}10\.0\.1\.1 {44} {2}0\.\d{3}ms $/);
  });

  it.each([
    ['10.0.9.9', [' 1:  10.0.1.1 T !H', ' 1:  10.0.1.1 T !H', '     Resume: pmtu 1500 ']],
    ['-m 3 10.0.8.8', [' 1:  no reply', ' 2:  no reply', ' 3:  no reply', '     Too many hops: pmtu 1500', '     Resume: pmtu 1500 ']],
  ])('tracepath -n %s ends as iputils does', (args, tail) => {
    const lines = hops(shell().run(`ip netns exec a tracepath -n ${args}`).output.stdout);
    expect(lines.slice(1, -1)).toEqual(tail);
  });

  it('says `send failed` when every send fails for want of a route', () => {
    const sh = shell();
    sh.run('ip -n a route del default');
    const r = sh.run('ip netns exec a tracepath -n 10.9.0.1').output;
    expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: ' 1:  send failed\n     Resume: pmtu 65535 \n', status: 0 });
  });

  it.each([
    [[], 255],
    [['-m', 'x', '10.0.0.1'], 1],
    [['-z', '10.0.0.1'], 255],
  ])('refuses %j with status %i', (argv, status) => {
    const r = parseTracepathArgs(argv);
    expect('status' in r ? r.status : null).toBe(status);
  });
});
