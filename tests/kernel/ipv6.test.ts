// Tests for src/kernel/ipv6.ts and addrconf as src/kernel/netns.ts drives it: the address format
// (glibc inet_ntop), EUI-64 link-local addresses of the seeds' MACs, and when addresses appear and go,
// as fixtures/labs/ipv6-link-local.kernel.out shows on the real kernel.

import fc from 'fast-check';
import { INIT_NS, type Link } from '../../src/model/world.js';
import { DAD_US, eui64LinkLocal, formatIpv6, inet6Addresses, linkLocalAddress, procIfInet6 } from '../../src/kernel/ipv6.js';
import { linkByName } from '../../src/kernel/netns.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

describe('formatIpv6', () => {
  it.each([
    [[0xfe80, 0, 0, 0, 0xecee, 0xeeff, 0xfeee, 0xeeee], 'fe80::ecee:eeff:feee:eeee'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0x2001, 0xdb8, 0, 1, 0, 0, 0, 1], '2001:db8:0:1::1'],
    [[0x2001, 0xdb8, 1, 2, 3, 4, 5, 0], '2001:db8:1:2:3:4:5:0'],
    [[0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001], '::ffff:10.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0x0a00, 0x0001], '::10.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0, 2], '::2'],
  ])('%j is %s', (groups, text) => {
    expect(formatIpv6(groups)).toBe(text);
  });

  it('agrees with the WHATWG serialiser outside the IPv4 forms (both follow RFC 5952)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), (groups) => {
        const text = formatIpv6(groups);
        fc.pre(!text.includes('.'));
        expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
      }),
    );
  });
});

describe('eui64LinkLocal', () => {
  it.each([
    ['ee:ee:ee:ee:ee:ee', 'fe80::ecee:eeff:feee:eeee'], // every cali veth (seed 000, 002, 003)
    ['00:50:56:a9:e1:02', 'fe80::250:56ff:fea9:e102'], // seed 000's eth0
    ['00:50:56:95:8d:20', 'fe80::250:56ff:fe95:8d20'], // seed 002's ens192
    ['66:aa:99:2f:dc:24', 'fe80::64aa:99ff:fe2f:dc24'], // seed 003's vxlan.calico
    ['de:85:25:60:86:5b', 'fe80::dc85:25ff:fe60:865b'], // seed 004's Pod-3 eth0
    ['02:00:00:00:00:01', 'fe80::ff:fe00:1'],
  ])('%s gives %s', (mac, ll) => {
    expect(eui64LinkLocal(mac)).toBe(ll);
  });
});

/** lab runs lab lines in a new shell and returns it. */
function lab(...lines: string[]): Shell {
  const shell = new Shell(createSimulator());
  for (const l of lines) {
    const r = shell.run(l);
    if (r.output.status !== 0) throw new Error(`${l}: ${r.output.stderr}`);
  }
  return shell;
}

function link(shell: Shell, name: string, ns = INIT_NS): Link {
  return linkByName(shell.sim.world.namespaces.get(ns)!, name)!;
}

const PAIR = [
  'ip netns add pod',
  'ip link add cali0 type veth peer name eth0 netns pod',
  'ip link set cali0 address ee:ee:ee:ee:ee:ee',
  'ip -n pod link set eth0 address 02:00:00:00:00:0a',
];

describe('addrconf', () => {
  it('gives nothing while IPv6 is off, as the kernel runner leaves every namespace', () => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBeNull();
    expect(inet6Addresses(s.sim.world, link(s, 'lo'))).toEqual([]);
  });

  it('configures up devices with a ready link when IPv6 is turned on: tentative, then not', () => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up', 'sysctl -w net.ipv6.conf.all.disable_ipv6=0');
    expect(inet6Addresses(s.sim.world, link(s, 'cali0'))).toEqual([
      { local: 'fe80::ecee:eeff:feee:eeee', prefixlen: 64, scope: 253, tentative: true },
    ]);
    expect(inet6Addresses(s.sim.world, link(s, 'lo'))).toEqual([{ local: '::1', prefixlen: 128, scope: 254, tentative: false }]);
    s.sim.runFor(DAD_US);
    expect(inet6Addresses(s.sim.world, link(s, 'cali0'))[0].tentative).toBe(false);
    // The pod's namespace is another one, still off.
    expect(linkLocalAddress(s.sim.world, 'pod', link(s, 'eth0', 'pod'))).toBeNull();
  });

  it('waits for the link: a device up without carrier gets its address when the peer comes up', () => {
    const s = lab(...PAIR, 'sysctl -w net.ipv6.conf.all.disable_ipv6=0', 'ip link set cali0 up');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBeNull();
    s.run('ip -n pod link set eth0 up');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBe('fe80::ecee:eeff:feee:eeee');
  });

  it('keeps the address when only carrier goes, drops it when the device goes down', () => {
    const s = lab(...PAIR, 'sysctl -w net.ipv6.conf.all.disable_ipv6=0', 'ip netns exec pod sysctl -qw net.ipv6.conf.all.disable_ipv6=0');
    s.run('ip link set cali0 up');
    s.run('ip -n pod link set eth0 up');
    s.run('ip -n pod link set eth0 down');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBe('fe80::ecee:eeff:feee:eeee');
    expect(linkLocalAddress(s.sim.world, 'pod', link(s, 'eth0', 'pod'))).toBeNull();
  });

  it.each([
    ['ip link set cali0 mtu 1279', 'ip link set cali0 mtu 1500'],
    ['sysctl -w net.ipv6.conf.cali0.disable_ipv6=1', 'sysctl -w net.ipv6.conf.cali0.disable_ipv6=0'],
  ])('%s removes the address, %s makes it again', (off, on) => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up', 'sysctl -w net.ipv6.conf.all.disable_ipv6=0');
    s.run(off);
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBeNull();
    s.run(on);
    expect(inet6Addresses(s.sim.world, link(s, 'cali0'))).toEqual([
      { local: 'fe80::ecee:eeff:feee:eeee', prefixlen: 64, scope: 253, tentative: true },
    ]);
  });

  it('leaves existing devices alone when only default changes; new devices copy it', () => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up', 'sysctl -w net.ipv6.conf.default.disable_ipv6=0');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBeNull();
    s.run('ip link add cali1 type veth peer name cali1p');
    expect(s.run('sysctl -n net.ipv6.conf.cali1.disable_ipv6 net.ipv6.conf.cali0.disable_ipv6').output.stdout).toBe('0\n1\n');
  });

  it('keeps the address of a device whose MAC changes while up (addrconf ignores NETDEV_CHANGEADDR)', () => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up', 'sysctl -w net.ipv6.conf.all.disable_ipv6=0');
    s.run('ip link set cali0 address 02:00:00:00:00:01');
    expect(linkLocalAddress(s.sim.world, INIT_NS, link(s, 'cali0'))).toBe('fe80::ecee:eeff:feee:eeee');
  });
});

describe('procIfInet6', () => {
  it('gives ifconfig what /proc/net/if_inet6 holds (scope 0x20 link, 0x10 host; 0x80 permanent, 0x40 tentative)', () => {
    const s = lab(...PAIR, 'ip link set cali0 up', 'ip -n pod link set eth0 up', 'sysctl -w net.ipv6.conf.all.disable_ipv6=0');
    expect(procIfInet6(s.sim.world, link(s, 'cali0'))).toEqual([
      { addr: 'fe80::ecee:eeff:feee:eeee', prefixLen: 64, scope: 0x20, flags: 0xc0 },
    ]);
    expect(procIfInet6(s.sim.world, link(s, 'lo'))).toEqual([{ addr: '::1', prefixLen: 128, scope: 0x10, flags: 0x80 }]);
  });
});
