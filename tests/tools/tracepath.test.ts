// Tests for src/tools/tracepath.ts (iputils 20221126 tracepath): the local MTU error of the first
// probe, the first hop printed twice after the MTU changed, `reached` with its Resume line, `!H`,
// `no reply`, and its argv. The kernel's output for the same topology is in
// fixtures/labs/trace-hops.kernel.out.

import { parseTracepathArgs } from '../../src/tools/tracepath.js';
import { ROUTED, shellWith } from '../support/shell.js';

const shell = () => shellWith(...ROUTED, 'ip -n r route add unreachable 10.0.9.0/24', 'ip -n r route add blackhole 10.0.8.0/24');

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
