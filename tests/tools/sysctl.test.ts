// Tests of sysctl(8) as procps-ng 4.0.2 runs it (src/tools/sysctl.ts): a write echoes the value as
// it was given, not as the kernel keeps it; a refused write prints only its error, with status 1;
// and each key of a command line is written on its own. Expected lines are what procps-ng printed on
// kernel 6.18 (fixtures/labs/validate-sysctl.lab). Then procps's key to path conversion (slashdot),
// its listing (-a in /proc/sys order, -r, -N, -b, -e, --deprecated, directories) and its messages and
// exit statuses, as procps-ng 4.0.2 printed them in a new namespace (fixtures/labs/sysctl-all.lab).

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';
import { slashdot } from '../../src/tools/sysctl.js';

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

describe('slashdot', () => {
  it.each([
    // key, turned into a path, turned into a name, the warning
    ['net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'net.ipv4.ip_forward', null],
    ['net/ipv4/conf/eth0.1/forwarding', 'net/ipv4/conf/eth0.1/forwarding', 'net.ipv4.conf.eth0/1.forwarding', null],
    ['net.ipv4.conf.eth0/1.forwarding', 'net/ipv4/conf/eth0.1/forwarding', 'net.ipv4.conf.eth0/1.forwarding', null],
    [
      'net..ipv4.ip_forward',
      'net//ipv4/ip_forward',
      'net..ipv4.ip_forward',
      'sysctl: separators should not be repeated: ..ipv4.ip_forward',
    ],
    ['kernel', 'kernel', 'kernel', null],
  ])('%s', (key, path, name, warning) => {
    expect(slashdot(key, '.', '/')).toEqual({ text: path, warning });
    expect(slashdot(key, '/', '.').text).toBe(name);
  });
});

describe('sysctl reading and listing', () => {
  function shell(...links: string[]): Shell {
    const sh = new Shell(createSimulator());
    for (const l of links) expect(sh.run(l).output.status).toBe(0);
    return sh;
  }

  it.each([
    // command line, stdout, stderr, exit status
    [
      'sysctl -N net.ipv4.ip_forward net.ipv4.nosuch',
      'net.ipv4.ip_forward\n',
      'sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory\n',
      1,
    ],
    [
      'sysctl net.ipv4.nosuch net.ipv4.nosuch2',
      '',
      'sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory\nsysctl: cannot stat /proc/sys/net/ipv4/nosuch2: No such file or directory\n',
      2,
    ],
    ['sysctl -e net.ipv4.nosuch net.ipv4.ip_forward', 'net.ipv4.ip_forward = 0\n', '', 0],
    ['sysctl -q net.ipv4.ip_forward', 'net.ipv4.ip_forward = 0\n', '', 0],
    ['sysctl -b net.ipv4.ip_forward net.ipv4.tcp_rmem', '04096\t131072\t33554432', '', 0],
    ['sysctl -N -q net.ipv4.ip_forward', '', "sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n", 1],
    ['sysctl -r forward net.ipv4.ip_forward net.ipv4.tcp_sack', 'net.ipv4.ip_forward = 0\n', '', 0],
    ['sysctl -r x( net.ipv4.ip_forward', '', '', 0],
    ['sysctl net.ipv4.route.flush', '', '', 0],
    ['sysctl net.ipv4.route', 'net.ipv4.route.min_adv_mss = 256\nnet.ipv4.route.min_pmtu = 552\nnet.ipv4.route.mtu_expires = 600\n', '', 0],
    ['sysctl -n -a -r ^net\\.ipv4\\.ip_forward$', '0\n', '', 0],
    ['sysctl -N -a -r ip_forward$', 'net.ipv4.ip_forward\n', '', 0],
    ['sysctl --all --pattern ^net.ipv4.ip_forward$ net.ipv4.tcp_sack', 'net.ipv4.ip_forward = 0\n', '', 0],
    [
      'sysctl --deprecated -a -r neigh.lo.retrans',
      'net.ipv4.neigh.lo.retrans_time = 100\nnet.ipv4.neigh.lo.retrans_time_ms = 1000\n',
      '',
      0,
    ],
    ['sysctl -a -r neigh.lo.retrans', 'net.ipv4.neigh.lo.retrans_time_ms = 1000\n', '', 0],
    ['sysctl net..ipv4.ip_forward', 'net..ipv4.ip_forward = 0\n', 'sysctl: separators should not be repeated: ..ipv4.ip_forward\n', 0],
  ])('%s', (line, stdout, stderr, status) => {
    const o = shell().run(line).output;
    expect([o.stdout, o.stderr, o.status]).toEqual([stdout, stderr, status]);
  });

  it('lists conf directories by name, devices among all and default, with a device dot as a slash', () => {
    const sh = shell('ip link add name zz type veth peer name Abc', 'ip link add name eth0.1 type veth peer name _x');
    const o = sh.run('sysctl -a -N -r conf\\.[^.]+\\.tag$').output;
    expect(o.stdout).toBe(['Abc', '_x', 'all', 'default', 'eth0/1', 'lo', 'zz'].map((d) => `net.ipv4.conf.${d}.tag\n`).join(''));
  });

  it('reaches a device with a dot in its name only through slashes', () => {
    const sh = shell('ip link add name eth0.1 type veth peer name v1');
    const w = sh.run('sysctl -w net/ipv4/conf/eth0.1/arp_accept=1').output;
    expect([w.stdout, w.status]).toEqual(['net.ipv4.conf.eth0/1.arp_accept = 1\n', 0]);
    expect(sh.run('sysctl net.ipv4.conf.eth0/1.arp_accept').output.stdout).toBe('net.ipv4.conf.eth0/1.arp_accept = 1\n');
    const r = sh.run('sysctl net.ipv4.conf.eth0.1.arp_accept').output;
    expect([r.stderr, r.status]).toEqual(['sysctl: cannot stat /proc/sys/net/ipv4/conf/eth0/1/arp_accept: No such file or directory\n', 1]);
  });
});

describe('sysctl writing with options', () => {
  it.each([
    // command line, stdout, stderr, exit status
    ['sysctl -n -w net.ipv4.ip_forward=1', '1\n', '', 0],
    ['sysctl -N -w net.ipv4.ip_forward=0', '0\n', '', 0],
    ['sysctl -w net.ipv4.tcp_ehash_entries=1', '', 'sysctl: setting key "net.ipv4.tcp_ehash_entries": Invalid argument\n', 0],
    ['sysctl -w net.ipv4.route.flush=1', 'net.ipv4.route.flush = 1\n', '', 0],
    ['sysctl -w net.ipv4.conf=1', '', 'sysctl: setting key "net.ipv4.conf": Invalid argument\n', 0],
    [
      'sysctl -w net.ipv4.tcp_congestion_control=cubic',
      '',
      'sysctl: setting key "net.ipv4.tcp_congestion_control": Operation not permitted\n',
      1,
    ],
    ['sysctl -e -w net.ipv4.nosuch=1', '', '', 0],
    ['sysctl -r tcp -w net.ipv4.ip_forward=0', '', '', 1],
    ['sysctl net.ipv4.ip_forward=1 net.ipv4.tcp_sack', 'net.ipv4.ip_forward = 1\nnet.ipv4.tcp_sack = 1\n', '', 0],
    [
      'sysctl -w net.ipv4.nosuch=1 net.ipv4.ip_forward=1',
      'net.ipv4.ip_forward = 1\n',
      'sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory\n',
      1,
    ],
  ])('%s', (line, stdout, stderr, status) => {
    const o = new Shell(createSimulator()).run(line).output;
    expect([o.stdout, o.stderr, o.status]).toEqual([stdout, stderr, status]);
  });
});
