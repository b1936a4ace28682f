// Tests of the control plane's checks on hostile values (src/kernel/netns.ts): MTUs outside a
// device's range (dev_validate_mtu and the drivers' limits), what an MTU under 68 does to a device's
// IPv4 state and that nothing of it comes back (inetdev_event NETDEV_CHANGEMTU), lo's 127.0.0.1 on
// NETDEV_UP, and the devices that cannot change namespace. Expected lines are what kernel 6.18 and
// iproute2 6.1 print (fixtures/labs/validate-mtu.lab, validate-netns.lab).

import { addrAdd, addrDel, createLink, linkByName, linkSet, netnsAdd, sysctlSet, vethAdd } from '../../src/kernel/netns.js';
import type { Tx } from '../../src/kernel/driver.js';
import { sysctlRead } from '../../src/kernel/sysctl.js';
import { INIT_NS, NudState } from '../../src/model/world.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

const LESS = 'Error: mtu less than device minimum.';
const MORE = 'Error: mtu greater than device maximum.';

/** world returns a simulator whose initial namespace holds br0, a veth pair v0/v1, vx0 and vx1 bound to v0. */
function world() {
  const sim = createSimulator();
  sim.control((tx) => {
    expect(createLink(tx, INIT_NS, 'bridge', 'br0', {})).toBeNull();
    expect(vethAdd(tx, INIT_NS, 'v0', { peer: 'v1', peerNs: null })).toBeNull();
    expect(createLink(tx, INIT_NS, 'vxlan', 'vx0', { vni: 5, dstport: 4789, local: null, dev: null, learning: true })).toBeNull();
    expect(createLink(tx, INIT_NS, 'vxlan', 'vx1', { vni: 6, dstport: 4790, local: null, dev: 'v0', learning: true })).toBeNull();
  });
  return sim;
}

function mtu(tx: Tx, dev: string, value: number): string | null {
  return linkSet(tx, INIT_NS, dev, [{ op: 'mtu', mtu: value }]);
}

describe('MTU limits', () => {
  it.each([
    ['br0', 67, LESS],
    ['br0', 68, null],
    ['br0', 65535, null],
    ['br0', 65536, MORE],
    ['v0', 67, LESS],
    ['v0', 65535, null],
    ['v0', 65536, MORE],
    ['vx0', 65535, null],
    ['vx0', 65536, MORE],
    ['vx1', 1400, null],
    ['vx1', 1451, 'RTNETLINK answers: Invalid argument'],
    ['vx1', 65536, MORE],
    ['lo', 0, null],
    ['lo', 2147483647, null],
    ['lo', -1, LESS],
  ])('%s mtu %d: %s', (dev, value, error) => {
    const sim = world();
    const before = linkByName(sim.world.namespaces.get(INIT_NS)!, dev)!.mtu;
    expect(sim.control((tx) => mtu(tx, dev, value))).toBe(error);
    expect(linkByName(sim.world.namespaces.get(INIT_NS)!, dev)!.mtu).toBe(error === null ? value : before);
  });

  it('checks a vxlan device against its lower device’s MTU as it is now', () => {
    const sim = world();
    sim.control((tx) => {
      expect(mtu(tx, 'v0', 9000)).toBeNull();
      expect(mtu(tx, 'vx1', 8950)).toBeNull();
      expect(mtu(tx, 'vx1', 8951)).toBe('RTNETLINK answers: Invalid argument');
    });
  });
});

describe('an MTU under 68', () => {
  function loLab() {
    const sim = world();
    sim.control((tx) => {
      expect(linkSet(tx, INIT_NS, 'v0', [{ op: 'up' }])).toBeNull();
      expect(linkSet(tx, INIT_NS, 'v1', [{ op: 'up' }])).toBeNull();
      expect(addrAdd(tx, INIT_NS, 'lo', 0x7f000002, 8, null, 254)).toBeNull();
      expect(addrAdd(tx, INIT_NS, 'v0', 0x0a000001, 24, null, null)).toBeNull();
      expect(sysctlSet(tx, INIT_NS, 'net.ipv4.conf.lo.proxy_arp', '1')).toBeNull();
      const ns = tx.ns(INIT_NS)!;
      ns.neigh.set(1 * 4294967296 + 0x7f000009, {
        ip: 0x7f000009,
        dev: 1,
        state: NudState.Permanent,
        probes: 0,
        confirmed: 0,
        updated: 0,
        used: 0,
        queue: [],
      });
    });
    return sim;
  }

  it('removes the addresses, routes, neighbours and conf keys of the device, and only its', () => {
    const sim = loLab();
    sim.control((tx) => expect(mtu(tx, 'lo', 67)).toBeNull());
    const ns = sim.world.namespaces.get(INIT_NS)!;
    expect(ns.addrs.map((a) => a.ifindex)).toEqual([linkByName(ns, 'v0')!.ifindex]);
    expect([...ns.fib.tableIds()].flatMap((t) => ns.fib.dump(t)).filter((r) => r.dev === 1)).toEqual([]);
    expect([...ns.neigh.values()].filter((n) => n.dev === 1)).toEqual([]);
    expect(sysctlRead(ns, 'net.ipv4.conf.lo.proxy_arp')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv4.neigh.lo.proxy_delay')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv6.conf.lo.disable_ipv6')).toBe('1');
    expect(sysctlRead(ns, 'net.ipv4.conf.v0.proxy_arp')).toBe('0');
  });

  it('refuses addresses while it lasts', () => {
    const sim = loLab();
    sim.control((tx) => {
      expect(mtu(tx, 'lo', 60)).toBeNull();
      expect(addrAdd(tx, INIT_NS, 'lo', 0x0a000201, 24, null, null)).toBe('RTNETLINK answers: No buffer space available');
      expect(addrDel(tx, INIT_NS, 'lo', 0x7f000001, 8)).toBe('Error: ipv4: Device not found.');
    });
  });

  it('gives nothing back at 68 but fresh conf keys, and lo its 127.0.0.1 when it comes up again', () => {
    const sim = loLab();
    sim.control((tx) => {
      expect(sysctlSet(tx, INIT_NS, 'net.ipv4.ip_forward', '1')).toBeNull();
      expect(mtu(tx, 'lo', 67)).toBeNull();
      expect(mtu(tx, 'lo', 68)).toBeNull();
    });
    const ns = (): ReturnType<typeof sim.world.namespaces.get> => sim.world.namespaces.get(INIT_NS);
    expect(ns()!.addrs.filter((a) => a.ifindex === 1)).toEqual([]);
    expect(sysctlRead(ns()!, 'net.ipv4.conf.lo.proxy_arp')).toBe('0');
    expect(sysctlRead(ns()!, 'net.ipv4.conf.lo.forwarding')).toBe('1');
    sim.control((tx) => {
      expect(linkSet(tx, INIT_NS, 'lo', [{ op: 'down' }])).toBeNull();
      expect(linkSet(tx, INIT_NS, 'lo', [{ op: 'up' }])).toBeNull();
    });
    expect(
      ns()!
        .addrs.filter((a) => a.ifindex === 1)
        .map((a) => [a.local, a.prefixlen, a.scope]),
    ).toEqual([[0x7f000001, 8, 254]]);
  });

  it('takes a veth’s IPv6 conf keys under 1280 and gives them back from 1280', () => {
    const sim = world();
    const ns = (): ReturnType<typeof sim.world.namespaces.get> => sim.world.namespaces.get(INIT_NS);
    sim.control((tx) => expect(mtu(tx, 'v0', 1279)).toBeNull());
    expect(sysctlRead(ns()!, 'net.ipv6.conf.v0.disable_ipv6')).toBeNull();
    expect(sysctlRead(ns()!, 'net.ipv4.conf.v0.forwarding')).toBe('0');
    sim.control((tx) => expect(mtu(tx, 'v0', 1280)).toBeNull());
    expect(sysctlRead(ns()!, 'net.ipv6.conf.v0.disable_ipv6')).toBe('1');
  });
});

describe('changing namespace', () => {
  it.each([
    ['br0', 'Error: The interface netns is immutable.'],
    ['lo', 'Error: The interface netns is immutable.'],
    ['v0', 'Error: An interface with the same name exists in the target netns.'],
    ['v1', null],
  ])('%s: %s', (dev, error) => {
    const sim = world();
    sim.control((tx) => {
      expect(netnsAdd(tx, 'a')).toBeNull();
      expect(vethAdd(tx, 'a', 'v0', { peer: 'v9', peerNs: null })).toBeNull();
      expect(linkSet(tx, INIT_NS, dev, [{ op: 'netns', netns: 'a' }])).toBe(error);
    });
    expect(linkByName(sim.world.namespaces.get(INIT_NS)!, dev) === undefined).toBe(error === null);
  });

  it('shuts the device down on the way: DOWN with the noop qdisc until it is up again (dev_shutdown)', () => {
    const sh = new Shell(createSimulator());
    for (const l of [
      'ip netns add a',
      'ip link add v0 type veth peer name v1',
      'ip link set v0 up',
      'ip link set v1 up',
      'ip link set v1 netns a',
    ]) {
      expect(sh.run(l).output.status).toBe(0);
    }
    expect(sh.run('ip -n a link show v1').output.stdout).toMatch(/^2: v1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN /);
    expect(sh.run('ip link show v0').output.stdout).toMatch(
      /^3: v0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN /,
    );
    expect(sh.run('ip -n a link set v1 up').output.status).toBe(0);
    expect(sh.run('ip -n a link show v1').output.stdout).toMatch(
      /^2: v1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP /,
    );
  });

  it('takes a move to the namespace a device is in as no change, for a bridge too', () => {
    const sim = world();
    sim.control((tx) => {
      expect(netnsAdd(tx, 'a')).toBeNull();
      expect(createLink(tx, 'a', 'bridge', 'br0', {})).toBeNull();
      expect(linkSet(tx, 'a', 'br0', [{ op: 'netns', netns: 'a' }])).toBeNull();
    });
  });
});

describe('a device that goes down', () => {
  /** shell makes v0 (10.0.0.1/24) wired to namespace a (10.0.0.2/24) and 10.9.9.9 on lo, then runs `lines`. */
  function shell(lines: readonly string[]): Shell {
    const sh = new Shell(createSimulator());
    for (const l of [
      'ip netns add a',
      'ip link add v0 type veth peer name eth0 netns a',
      'ip link set v0 up',
      'ip -n a link set eth0 up',
      'ip addr add 10.0.0.1/24 dev v0',
      'ip -n a addr add 10.0.0.2/24 dev eth0',
      'ip addr add 10.9.9.9/32 dev lo',
      ...lines,
    ]) {
      expect(sh.run(l).output.status).toBe(0);
    }
    return sh;
  }

  it('keeps its host-scope local routes and loses the rest (fib_sync_down_dev without force)', () => {
    const sh = shell(['ip link set v0 down']);
    expect(
      sh
        .run('ip route show table local')
        .output.stdout.split('\n')
        .filter((l) => l.includes('dev v0')),
    ).toEqual(['local 10.0.0.1 dev v0 proto kernel scope host src 10.0.0.1 ']);
    expect(sh.run('ip route').output.stdout).toBe('');
    // Its address is still the host's: a ping to it is answered through lo.
    expect(sh.run('ping -c 1 -W 1 10.0.0.1').output.stdout).toContain('1 received');
  });

  it.each(['127.0.0.1', '10.9.9.9', '10.0.0.1'])('with lo down, loses a ping to %s without an error', (dst) => {
    const sh = shell(['ip link set lo down']);
    const r = sh.run(`ping -c 1 -W 1 ${dst}`).output;
    expect(r.stdout).toContain('1 packets transmitted, 0 received, 100% packet loss');
    expect(r.stderr).toBe('');
    expect(sh.run('ip route show table local').output.stdout).toContain('local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ');
  });
});
