// Tests of the namespace sysctls (src/kernel/sysctl.ts): the TCP defaults, how a written value lands
// (a vector takes the elements given over its own, an element out of range stops the write, the port
// range is written whole or not at all, net.core.rmem_max is read-only outside the initial
// namespace), and the per-table cache the data path reads through, which every kind of write must
// keep in step. The expected values and messages are what kernel 6.18 and procps-ng print in a fresh
// network namespace (`unshare --net sysctl …`).

import { produce } from 'immer';
import type { Netns } from '../../src/model/world.js';
import { createLink, newNetns } from '../../src/kernel/netns.js';
import {
  confGet,
  confOf,
  devSysctlMove,
  globalNum,
  neighOf,
  neighParm,
  sysctlRead,
  sysctlWrite,
  tcpRmem,
} from '../../src/kernel/sysctl.js';
import { createSimulator } from '../../src/scenarios/simulator.js';

function fresh(): Netns {
  return newNetns('t', createSimulator().drivers);
}

describe('TCP defaults', () => {
  it.each([
    ['net.ipv4.tcp_syn_retries', '6'],
    ['net.ipv4.tcp_synack_retries', '5'],
    ['net.ipv4.tcp_retries2', '15'],
    ['net.ipv4.tcp_fin_timeout', '60'],
    ['net.ipv4.tcp_rmem', '4096\t131072\t33554432'],
    ['net.core.rmem_max', '4194304'],
  ])('%s reads %j', (key, value) => {
    expect(sysctlRead(fresh(), key)).toBe(value);
  });
});

describe('writing a value', () => {
  const invalid = (key: string) => `sysctl: setting key "${key}": Invalid argument`;

  it.each([
    // key, written, error or null, value read afterwards
    ['net.ipv4.tcp_rmem', '8192', null, '8192\t131072\t33554432'],
    ['net.ipv4.tcp_rmem', '4096 58400 6291456', null, '4096\t58400\t6291456'],
    ['net.ipv4.tcp_rmem', '1 2 3 4', null, '1\t2\t3'],
    ['net.ipv4.tcp_rmem', '0', invalid('net.ipv4.tcp_rmem'), '4096\t131072\t33554432'],
    ['net.ipv4.tcp_rmem', '-5', invalid('net.ipv4.tcp_rmem'), '4096\t131072\t33554432'],
    ['net.ipv4.tcp_rmem', '2147483647', null, '2147483647\t131072\t33554432'],
    ['net.ipv4.tcp_rmem', '2147483648', invalid('net.ipv4.tcp_rmem'), '4096\t131072\t33554432'],
    ['net.ipv4.tcp_rmem', '9000 0', invalid('net.ipv4.tcp_rmem'), '9000\t131072\t33554432'],
    ['net.ipv4.ip_local_port_range', '40000', null, '40000\t60999'],
    ['net.ipv4.ip_local_port_range', '61000', invalid('net.ipv4.ip_local_port_range'), '32768\t60999'],
    ['net.ipv4.ip_local_port_range', '0', invalid('net.ipv4.ip_local_port_range'), '32768\t60999'],
    ['net.ipv4.tcp_syn_retries', '0', invalid('net.ipv4.tcp_syn_retries'), '6'],
    ['net.ipv4.tcp_syn_retries', '127', null, '127'],
    ['net.ipv4.tcp_syn_retries', '128', invalid('net.ipv4.tcp_syn_retries'), '6'],
    ['net.ipv4.tcp_synack_retries', '0', null, '0'],
    ['net.ipv4.tcp_synack_retries', '255', null, '255'],
    ['net.ipv4.tcp_synack_retries', '300', invalid('net.ipv4.tcp_synack_retries'), '5'],
    ['net.ipv4.tcp_retries2', '-1', invalid('net.ipv4.tcp_retries2'), '15'],
    ['net.ipv4.tcp_retries2', '256', invalid('net.ipv4.tcp_retries2'), '15'],
    ['net.ipv4.tcp_fin_timeout', '-1', null, '-1'],
    ['net.ipv4.tcp_fin_timeout', '0', null, '0'],
    ['net.core.rmem_max', '212992', invalid('net.core.rmem_max'), '4194304'],
    ['net.core.rmem_max', '4194304', invalid('net.core.rmem_max'), '4194304'],
  ])('%s=%s', (key, value, error, after) => {
    const ns = fresh();
    expect(sysctlWrite(ns, key, value)).toBe(error);
    expect(sysctlRead(ns, key)).toBe(after);
  });

  it('keeps nothing once a value is back at its default', () => {
    const ns = fresh();
    sysctlWrite(ns, 'net.ipv4.tcp_rmem', '8192');
    expect(ns.sysctl.size).toBe(1);
    sysctlWrite(ns, 'net.ipv4.tcp_rmem', '4096');
    expect(ns.sysctl.size).toBe(0);
  });
});

describe('the read cache', () => {
  it('follows writes, per device, for the global keys and tcp_rmem', () => {
    const sim = createSimulator();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'br0', {})).toBeNull());
    const ns = sim.world.namespaces.get('')!;
    expect(confGet(ns, 'br0', 'proxy_arp')).toBe(0);
    expect(neighParm(ns, 'br0', 'proxy_delay')).toBe(80);
    expect(globalNum(ns, 'net.ipv4.ip_default_ttl')).toBe(64);
    expect(tcpRmem(ns)).toEqual([4096, 131072, 33554432]);
    sysctlWrite(ns, 'net.ipv4.conf.br0.proxy_arp', '1');
    sysctlWrite(ns, 'net.ipv4.neigh.br0.proxy_delay', '0');
    sysctlWrite(ns, 'net.ipv4.ip_default_ttl', '20');
    sysctlWrite(ns, 'net.ipv4.tcp_rmem', '4096 58400 6291456');
    expect(confGet(ns, 'br0', 'proxy_arp')).toBe(1);
    expect(confOf(ns, 'all').proxy_arp).toBe(0);
    expect(neighOf(ns, 'br0').proxy_delay).toBe(0);
    expect(globalNum(ns, 'net.ipv4.ip_default_ttl')).toBe(20);
    expect(tcpRmem(ns)).toEqual([4096, 58400, 6291456]);
  });

  it('follows ip_forward to every device, and a device renamed or gone', () => {
    const sim = createSimulator();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'br0', {})).toBeNull());
    const ns = sim.world.namespaces.get('')!;
    expect(confOf(ns, 'br0').forwarding).toBe(0);
    sysctlWrite(ns, 'net.ipv4.ip_forward', '1');
    expect(confOf(ns, 'br0').forwarding).toBe(1);
    expect(confOf(ns, 'default').forwarding).toBe(1);
    devSysctlMove(ns, 'br0', 'br1');
    expect(confOf(ns, 'br1').forwarding).toBe(1);
    devSysctlMove(ns, 'br1', null);
    expect(confOf(ns, 'br1').forwarding).toBe(0);
  });

  it('gives a copy of a namespace its own values and leaves the original as it was', () => {
    const ns = fresh();
    expect(confOf(ns, 'all').rp_filter).toBe(0);
    const copy = produce(ns, (d) => {
      expect(sysctlWrite(d as Netns, 'net.ipv4.conf.all.rp_filter', '2')).toBeNull();
      expect(confOf(d as Netns, 'all').rp_filter).toBe(2);
    });
    expect(confOf(copy, 'all').rp_filter).toBe(2);
    expect(confOf(ns, 'all').rp_filter).toBe(0);
  });
});
