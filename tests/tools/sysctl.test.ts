// Tests of sysctl(8) as procps-ng 4.0.2 runs it (src/tools/sysctl.ts): a write echoes the value as
// it was given, not as the kernel keeps it; a refused write prints only its error, with status 1;
// and each key of a command line is written on its own. Expected lines are what procps-ng printed on
// kernel 6.18 (fixtures/labs/validate-sysctl.lab).

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

describe('sysctl -w', () => {
  it.each([
    ['net.ipv4.ip_forward=05', 'net.ipv4.ip_forward = 05\n', 'net.ipv4.ip_forward = 5\n'],
    ['net.ipv4.ip_forward=0x1F', 'net.ipv4.ip_forward = 0x1F\n', 'net.ipv4.ip_forward = 31\n'],
    ['net.ipv4.ip_forward=-0', 'net.ipv4.ip_forward = -0\n', 'net.ipv4.ip_forward = 0\n'],
    ['net.ipv4.icmp_ratelimit=1001', 'net.ipv4.icmp_ratelimit = 1001\n', 'net.ipv4.icmp_ratelimit = 1004\n'],
    ['net.ipv4.ip_local_port_range=40000', 'net.ipv4.ip_local_port_range = 40000\n', 'net.ipv4.ip_local_port_range = 40000\t60999\n'],
  ])('%s echoes what was given and reads what the kernel kept', (assignment, echo, read) => {
    const sh = new Shell(createSimulator());
    const w = sh.run(`sysctl -w ${assignment}`).output;
    expect([w.stdout, w.stderr, w.status]).toEqual([echo, '', 0]);
    const r = sh.run(`sysctl ${assignment.split('=')[0]}`).output;
    expect(r.stdout).toBe(read);
  });

  it('prints only the error of a refused write, with status 1, and goes on with the next key', () => {
    const sh = new Shell(createSimulator());
    const w = sh.run('sysctl -w net.ipv4.ip_default_ttl=0 net.ipv4.ip_default_ttl=255').output;
    expect([w.stdout, w.stderr, w.status]).toEqual([
      'net.ipv4.ip_default_ttl = 255\n',
      'sysctl: setting key "net.ipv4.ip_default_ttl": Invalid argument\n',
      1,
    ]);
    expect(sh.run('sysctl -n net.ipv4.ip_default_ttl').output.stdout).toBe('255\n');
  });
});
