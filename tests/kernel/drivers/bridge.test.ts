// Tests of the bridge driver's port events (src/kernel/drivers/bridge.ts): the learned FDB entries
// of a port that stops forwarding or leaves go (br_stp_disable_port / del_nbp →
// br_fdb_delete_by_port), the bridge's MTU follows its smallest port until it is set on the bridge
// itself (br_mtu_auto_adjust, BROPT_MTU_SET_BY_USER), and frames passed up to the bridge are counted
// without their Ethernet header (br_pass_frame_up); floods take br->port_list order, and a bridge
// that loses carrier loses its neighbours (neigh_carrier_down). Expected values are kernel 6.18's for
// fixtures/labs/bridge-ports.lab and tests/fuzz/regressions/bridge-rx-bytes.lab.

import { createSimulator } from '../../../src/scenarios/simulator.js';
import { Shell } from '../../../src/tools/shell.js';
import { INIT_NS } from '../../../src/model/world.js';
import { linkByName } from '../../../src/kernel/netns.js';

function run(sh: Shell, line: string): string {
  const r = sh.run(line);
  if (r.output.status !== 0 && !line.includes('ping ')) throw new Error(`${line}: ${r.output.stderr}`);
  return r.output.stdout;
}

/** bridgeLab makes br0 (192.168.10.254/24) with ports port1..port3 to hosts h1..h3 of the given MTUs. */
function bridgeLab(mtus: readonly number[] = [1500, 1500, 1500]): Shell {
  const sh = new Shell(createSimulator());
  const lines = [
    'sysctl -w net.ipv4.igmp_link_local_mcast_reports=0',
    'ip link add br0 type bridge',
    'ip link set br0 address 02:00:00:00:00:fe up',
  ];
  mtus.forEach((mtu, i) => {
    const n = i + 1;
    lines.push(
      `ip netns add h${n}`,
      `ip link add port${n} type veth peer name eth0 netns h${n}`,
      `ip link set port${n} address 02:00:00:00:01:0${n} mtu ${mtu} master br0 up`,
      `ip -n h${n} link set eth0 address 02:00:00:00:00:0${n} up`,
      `ip -n h${n} addr add 192.168.10.${n}/24 dev eth0`,
    );
  });
  lines.push('ip addr add 192.168.10.254/24 dev br0', 'sleep 1');
  for (const l of lines) run(sh, l);
  return sh;
}

function mtuOf(sh: Shell, dev: string): number {
  return linkByName(sh.sim.world.namespaces.get(INIT_NS)!, dev)!.mtu;
}

/** learned lists the FDB lines of br0 that were learned (neither permanent, static nor the bridge's own). */
function learned(sh: Shell): string[] {
  return run(sh, 'bridge fdb show br br0')
    .split('\n')
    .filter((l) => l.includes('dev port') && !l.includes('permanent') && !l.includes('static'));
}

describe('FDB entries learned on a port', () => {
  function pinged(): Shell {
    const sh = bridgeLab();
    for (const n of [1, 2, 3]) run(sh, `ip netns exec h${n} ping -c 1 -W 1 192.168.10.254`);
    return sh;
  }

  it.each([
    ['goes down', 'ip link set port1 down'],
    ["loses its peer's carrier", 'ip -n h1 link set eth0 down'],
    ['leaves the bridge', 'ip link set port1 nomaster'],
    ['is deleted', 'ip link del port1'],
  ])('go when the port %s, and only its', (_what, line) => {
    const sh = pinged();
    expect(learned(sh)).toEqual([
      '02:00:00:00:00:01 dev port1 master br0 ',
      '02:00:00:00:00:02 dev port2 master br0 ',
      '02:00:00:00:00:03 dev port3 master br0 ',
    ]);
    run(sh, line);
    expect(learned(sh)).toEqual(['02:00:00:00:00:02 dev port2 master br0 ', '02:00:00:00:00:03 dev port3 master br0 ']);
  });

  it('go for every port when the bridge goes down; static entries stay', () => {
    const sh = pinged();
    run(sh, 'bridge fdb add 02:00:00:00:00:99 dev port2 master');
    run(sh, 'ip link set br0 down');
    expect(learned(sh)).toEqual([]);
    expect(run(sh, 'bridge fdb show br br0')).toContain('02:00:00:00:00:99 dev port2 master br0 ');
  });
});

describe("the bridge's MTU", () => {
  it('follows its smallest port as ports join, change and leave', () => {
    const sh = new Shell(createSimulator());
    run(sh, 'ip link add br0 type bridge');
    expect(mtuOf(sh, 'br0')).toBe(1500);
    for (const [n, mtu] of [
      [1, 1450],
      [2, 1400],
      [3, 1500],
    ]) {
      run(sh, `ip link add port${n} type veth peer name peer${n}`);
      run(sh, `ip link set port${n} mtu ${mtu} master br0`);
    }
    expect(mtuOf(sh, 'br0')).toBe(1400);
    run(sh, 'ip link set port2 nomaster');
    expect(mtuOf(sh, 'br0')).toBe(1450);
    run(sh, 'ip link set port3 mtu 1300');
    expect(mtuOf(sh, 'br0')).toBe(1300);
    // A larger MTU also counts: the bridge takes the smallest, whichever way it moved.
    run(sh, 'ip link set port3 mtu 9000');
    expect(mtuOf(sh, 'br0')).toBe(1450);
    run(sh, 'ip link del port1');
    expect(mtuOf(sh, 'br0')).toBe(9000);
    run(sh, 'ip link set port3 nomaster');
    expect(mtuOf(sh, 'br0')).toBe(1500);
  });

  it('stays where it was set on the bridge itself', () => {
    const sh = bridgeLab([1450, 1400, 1500]);
    run(sh, 'ip link set br0 mtu 1200');
    for (const line of ['ip link set port3 mtu 1000', 'ip link set port2 nomaster', 'ip link del port1', 'ip link set port3 nomaster']) {
      run(sh, line);
      expect(mtuOf(sh, 'br0')).toBe(1200);
    }
  });
});

describe("the bridge's own counters", () => {
  it('count what it passes up without the Ethernet header, what it sends with it', () => {
    const sh = bridgeLab([1500]);
    const ns = sh.sim.world.namespaces.get(INIT_NS)!;
    const before = { ...linkByName(ns, 'br0')!.stats };
    run(sh, 'ip netns exec h1 ping -c 1 -W 1 192.168.10.254');
    const after = linkByName(sh.sim.world.namespaces.get(INIT_NS)!, 'br0')!.stats;
    // An ARP request (42) and an echo request (98) up; an ARP reply (42) and an echo reply (98) out.
    expect(after.rxPackets - before.rxPackets).toBe(2);
    expect(after.rxBytes - before.rxBytes).toBe(42 + 98 - 2 * 14);
    expect(after.txBytes - before.txBytes).toBe(42 + 98);
  });
});

describe('a flood', () => {
  it('reaches the newest port first (br->port_list, br_add_if adds at the head)', () => {
    const sh = new Shell(createSimulator());
    for (const l of [
      'ip link add br0 type bridge',
      'ip link set br0 address 02:00:00:00:00:fe up',
      'ip link add p1 type veth peer name q1',
      'ip link add p3 type veth peer name q3',
      'ip link add p2 type veth peer name q2',
      // Joined in the order p3, p1, p2: ifindex order is not join order.
      'ip link set p3 master br0 up',
      'ip link set p1 master br0 up',
      'ip link set p2 master br0 up',
      'ip link set q1 up',
      'ip link set q2 up',
      'ip link set q3 up',
      'ip addr add 192.168.10.254/24 dev br0',
    ]) {
      run(sh, l);
    }
    // A broadcast ARP request the host sends through br0 (br_dev_xmit floods it).
    const trace = sh.sim.record();
    run(sh, 'ping -c 1 -W 1 192.168.10.1');
    trace.close();
    const order = trace.steps.map((t) => t.event).flatMap((e) => (e.kind === 'tx' && /^p\d$/.test(e.dev) ? [e.dev] : []));
    expect(order.slice(0, 3)).toEqual(['p2', 'p1', 'p3']);
  });
});

describe('a bridge that loses carrier', () => {
  it('forgets its neighbours but the permanent ones, when its last forwarding port goes', () => {
    const sh = bridgeLab([1500]);
    run(sh, 'ip netns exec h1 ping -c 1 -W 1 192.168.10.254');
    run(sh, 'ip neigh add 192.168.10.9 lladdr 02:00:00:00:00:09 dev br0');
    expect(
      run(sh, 'ip neigh show dev br0')
        .split('\n')
        .filter((l) => l !== '').length,
    ).toBe(2);
    run(sh, 'ip -n h1 link set eth0 down');
    expect(run(sh, 'ip neigh show dev br0')).toBe('192.168.10.9 lladdr 02:00:00:00:00:09 PERMANENT \n');
  });

  it('keeps them while another port forwards', () => {
    const sh = bridgeLab([1500, 1500]);
    run(sh, 'ip netns exec h1 ping -c 1 -W 1 192.168.10.254');
    run(sh, 'ip -n h2 link set eth0 down');
    expect(run(sh, 'ip neigh show dev br0')).toContain('192.168.10.1 lladdr 02:00:00:00:00:01 ');
  });
});
