// Tests for the physical NIC (src/kernel/drivers/nic.ts, nicAdd in src/kernel/netns.ts) and the other
// node-side features the seeds show together: seed 002's node2 (`ip addr`), whose ens192 is a VMware
// NIC with a NetworkManager address, beside a pod veth made with txqueuelen 0 into a namespace the
// node's /run/netns does not hold. The NIC cannot be made on the test kernel, so its lines are the
// seed's own.

import { addrAdd, linkByName, linkDel, linkSet, netnsAdd, nicAdd, setNetnsNamed, sysctlSet, vethAdd } from '../../../src/kernel/netns.js';
import { DAD_US } from '../../../src/kernel/ipv6.js';
import { createSimulator } from '../../../src/scenarios/simulator.js';
import { formatIpAddr, formatIpLink, formatNetnsList } from '../../../src/tools/ip/print.js';
import { Shell } from '../../../src/tools/shell.js';
import { ip, kernelView, lines } from '../../support/world.js';

/** seed002Node builds node2: ens192 (index 2) cabled to a switch, three pods, the third behind index 192. */
function seed002Node() {
  const sim = createSimulator();
  sim.control((tx) => {
    for (const ns of ['lan', 'node2', 'pa', 'pb', 'nginx']) netnsAdd(tx, ns);
    expect(sysctlSet(tx, 'node2', 'net.ipv6.conf.all.disable_ipv6', '0')).toBeNull();
    expect(nicAdd(tx, 'node2', 'ens192', { ifindex: 2, mac: '00:50:56:95:8d:20', switchNs: 'lan', switchPort: 'node2' })).toBeNull();
    expect(linkSet(tx, 'lan', 'node2', [{ op: 'up' }])).toBeNull();
    expect(linkSet(tx, 'node2', 'ens192', [{ op: 'up' }])).toBeNull();
    expect(addrAdd(tx, 'node2', 'ens192', ip('172.16.67.138'), 24, '+', null, { noprefixroute: true })).toBeNull();
    vethAdd(tx, 'node2', 'calia', { peer: 'eth0', peerNs: 'pa' });
    vethAdd(tx, 'node2', 'calib', { peer: 'eth0', peerNs: 'pb' });
    expect(
      vethAdd(tx, 'node2', 'cali459253b413d', {
        peer: 'eth0',
        peerNs: 'nginx',
        ifindex: 192,
        peerIfindex: 3,
        txqueuelen: 0,
        peerTxqueuelen: 0,
      }),
    ).toBeNull();
    for (const pod of ['pa', 'pb', 'nginx']) setNetnsNamed(tx, pod, false);
    linkSet(tx, 'node2', 'cali459253b413d', [{ op: 'address', mac: 'ee:ee:ee:ee:ee:ee' }, { op: 'up' }]);
    linkSet(tx, 'nginx', 'eth0', [{ op: 'up' }]);
  });
  sim.runFor(DAD_US);
  return sim;
}

describe('a node with a physical NIC (seed 002, node2)', () => {
  it('prints ens192 and the pod veth as the seed shows them', () => {
    const sim = seed002Node();
    const k = kernelView(sim.world, sim.drivers);
    const text = formatIpAddr(k, 'node2', { dev: 'ens192' }) + formatIpAddr(k, 'node2', { dev: 'cali459253b413d' });
    expect(text).toBe(
      lines(
        '2: ens192: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000',
        '    link/ether 00:50:56:95:8d:20 brd ff:ff:ff:ff:ff:ff',
        '    inet 172.16.67.138/24 brd 172.16.67.255 scope global noprefixroute ens192',
        '       valid_lft forever preferred_lft forever',
        '    inet6 fe80::250:56ff:fe95:8d20/64 scope link ',
        '       valid_lft forever preferred_lft forever',
        '192: cali459253b413d@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
        '    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netnsid 2',
        '    inet6 fe80::ecee:eeff:feee:eeee/64 scope link ',
        '       valid_lft forever preferred_lft forever',
      ),
    );
  });

  it('prints seed 000 eth0 of 10-23-14-110 in `ip link` form, before and after it first comes up', () => {
    const sim = createSimulator();
    sim.control((tx) => {
      netnsAdd(tx, 'sw');
      netnsAdd(tx, 'n110');
      nicAdd(tx, 'n110', 'eth0', { ifindex: 2, mac: '00:50:56:a9:e1:02', switchNs: 'sw', switchPort: 'p110' });
    });
    const k = kernelView(sim.world, sim.drivers);
    expect(formatIpLink(k, 'n110', { dev: 'eth0' })).toBe(
      lines(
        '2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ether 00:50:56:a9:e1:02 brd ff:ff:ff:ff:ff:ff',
      ),
    );
    sim.control((tx) => {
      linkSet(tx, 'n110', 'eth0', [{ op: 'up' }]);
      linkSet(tx, 'sw', 'p110', [{ op: 'up' }]);
    });
    expect(formatIpLink(k, 'n110', { dev: 'eth0' })).toBe(
      lines(
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000',
        '    link/ether 00:50:56:a9:e1:02 brd ff:ff:ff:ff:ff:ff',
      ),
    );
    // The switch port is a veth there, naming the node's namespace by its id.
    expect(formatIpLink(k, 'sw', { dev: 'p110' })).toContain('p110@if2: <BROADCAST,MULTICAST,UP,LOWER_UP>');
    expect(formatIpLink(k, 'sw', { dev: 'p110' })).toContain(' link-netns n110');
  });

  it('has no linkinfo under -d, sits on the PCI bus, and cannot be deleted', () => {
    const sim = seed002Node();
    const k = kernelView(sim.world, sim.drivers);
    const d = formatIpLink(k, 'node2', { dev: 'ens192', details: true });
    expect(d).toContain(
      '    link/ether 00:50:56:95:8d:20 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 60 maxmtu 9000 addrgenmode eui64 numtxqueues 2 numrxqueues 2',
    );
    expect(d).toContain('parentbus pci parentdev 0000:0b:00.0');
    expect(d).not.toContain('veth');
    expect(sim.control((tx) => linkDel(tx, 'node2', 'ens192'))).toBe('RTNETLINK answers: Operation not supported');
  });

  it('carries frames to the switch port and back', () => {
    const sim = seed002Node();
    const shell = new Shell(sim);
    const run = (line: string): string => {
      const r = shell.run(line);
      return r.output.stdout + r.output.stderr;
    };
    run('ip -n lan addr add 172.16.67.1/24 dev node2');
    run('ip -n node2 route add 172.16.67.0/24 dev ens192 proto kernel scope link src 172.16.67.138 metric 100');
    run('capture lan node2 icmp');
    expect(run('ip netns exec node2 ping -c 1 -W 1 172.16.67.1')).toContain('1 packets transmitted, 1 received');
    expect(run('captures')).toBe(
      lines(
        '=== capture lan node2',
        '00:50:56:95:8d:20 > ' +
          linkByName(sim.world.namespaces.get('lan')!, 'node2')!.mac +
          ', ethertype IPv4 (0x0800), length 98: 172.16.67.138 > 172.16.67.1: ICMP echo request, id 12345, seq 1, length 64',
        linkByName(sim.world.namespaces.get('lan')!, 'node2')!.mac +
          ' > 00:50:56:95:8d:20, ethertype IPv4 (0x0800), length 98: 172.16.67.1 > 172.16.67.138: ICMP echo reply, id 12345, seq 1, length 64',
      ),
    );
  });
});

describe('namespaces not in /run/netns', () => {
  it('are named by their id and left out of `ip netns`', () => {
    const sim = seed002Node();
    const k = kernelView(sim.world, sim.drivers);
    expect(formatIpLink(k, 'node2', { dev: 'calia' })).toContain(' link-netnsid 0\n');
    expect(formatNetnsList(k, 'node2')).toBe(lines('node2', 'lan'));
    sim.control((tx) => setNetnsNamed(tx, 'pa', true));
    expect(formatIpLink(k, 'node2', { dev: 'calia' })).toContain(' link-netns pa\n');
    expect(formatNetnsList(k, 'node2')).toBe(lines('pa (id: 0)', 'node2', 'lan'));
  });
});
