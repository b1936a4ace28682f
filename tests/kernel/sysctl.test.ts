// Tests of the namespace sysctls (src/kernel/sysctl.ts): the TCP defaults, how a written value lands
// (a vector takes the elements given over its own, an element out of range stops the write, the port
// range is written whole or not at all, net.core.rmem_max is read-only outside the initial
// namespace), how each key's handler parses, bounds and converts what is written, how conf keys
// follow `default`, what a change of ip_forward does, and the per-table cache the data path reads
// through, which every kind of write must keep in step. The expected values and messages are what
// kernel 6.18 (HZ=250) and procps-ng print in a fresh network namespace (`unshare --net sysctl …`;
// fixtures/labs/validate-sysctl.lab).

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
  parseSysctlKey,
  parseSysctlPath,
  sysctlEntries,
  sysctlIsDir,
  sysctlMode,
  sysctlRead,
  sysctlValue,
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

  it.each([
    // proc_dointvec: any int, as proc_get_long reads it (base 0, at most 20 characters, then white space)
    ['net.ipv4.ip_forward', '5', '5'],
    ['net.ipv4.ip_forward', '-1', '-1'],
    ['net.ipv4.ip_forward', '2147483647', '2147483647'],
    ['net.ipv4.ip_forward', '2147483648', null],
    ['net.ipv4.ip_forward', '-2147483648', '-2147483648'],
    ['net.ipv4.ip_forward', '-2147483649', null],
    ['net.ipv4.ip_forward', '100000000000000000000', null],
    ['net.ipv4.ip_forward', '18446744073709551615', null],
    ['net.ipv4.ip_forward', '1e20', null],
    ['net.ipv4.ip_forward', '05', '5'],
    ['net.ipv4.ip_forward', '010', '8'],
    ['net.ipv4.ip_forward', '0x1F', '31'],
    ['net.ipv4.ip_forward', '-0x10', '-16'],
    ['net.ipv4.ip_forward', '08', null],
    ['net.ipv4.ip_forward', '0x', null],
    ['net.ipv4.ip_forward', '+1', null],
    ['net.ipv4.ip_forward', '5x', null],
    ['net.ipv4.ip_forward', '-', null],
    ['net.ipv4.ip_forward', '00000000000000000001', '1'],
    ['net.ipv4.ip_forward', '000000000000000000001', null],
    ['net.ipv4.ip_forward', '-0', '0'],
    ['net.ipv4.ip_forward', '', null],
    ['net.ipv4.ip_forward', '   ', null],
    ['net.ipv4.ip_forward', ' 7 8 x', '7'],
    ['net.ipv4.conf.lo.rp_filter', '-7', '-7'],
    ['net.ipv4.conf.lo.arp_ignore', '2147483648', null],
    // proc_dou8vec_minmax
    ['net.ipv4.ip_default_ttl', '0', null],
    ['net.ipv4.ip_default_ttl', '256', null],
    ['net.ipv4.ip_default_ttl', '255', '255'],
    ['net.ipv4.icmp_echo_ignore_all', '2', null],
    ['net.ipv4.icmp_echo_ignore_broadcasts', '-1', null],
    ['net.ipv4.icmp_errors_use_inbound_ifaddr', '2', null],
    ['net.ipv4.ip_no_pmtu_disc', '255', '255'],
    ['net.ipv4.igmp_link_local_mcast_reports', '256', null],
    ['net.ipv4.tcp_timestamps', '2', '2'],
    ['net.ipv4.tcp_sack', '-0', null],
    ['net.ipv4.tcp_sack', '0x0', '0'],
    ['net.ipv4.tcp_window_scaling', '300', null],
    // proc_dointvec_jiffies: ±INT_MAX / HZ
    ['net.ipv4.tcp_fin_timeout', '8589934', '8589934'],
    ['net.ipv4.tcp_fin_timeout', '8589935', null],
    ['net.ipv4.neigh.lo.delay_first_probe_time', '-5', '-5'],
    ['net.ipv4.neigh.lo.gc_stale_time', '8589935', null],
    // proc_dointvec_ms_jiffies: whole ticks of 4 ms, a 32-bit argument
    ['net.ipv4.icmp_ratelimit', '1001', '1004'],
    ['net.ipv4.icmp_ratelimit', '1', '4'],
    ['net.ipv4.icmp_ratelimit', '-1', null],
    ['net.ipv4.icmp_ratelimit', '-2147483648', null],
    ['net.ipv4.icmp_ratelimit', '-2147483649', '2147483648'],
    ['net.ipv4.icmp_ratelimit', '2147483647', '2147483648'],
    ['net.ipv4.icmp_ratelimit', '2147483648', null],
    ['net.ipv4.neigh.lo.base_reachable_time_ms', '1001', '1004'],
    ['net.ipv4.neigh.lo.retrans_time_ms', '999', '1000'],
    // proc_dointvec_userhz_jiffies: USER_HZ through jiffies, the sign printed apart
    ['net.ipv4.neigh.lo.proxy_delay', '3', '2'],
    ['net.ipv4.neigh.lo.proxy_delay', '256', '256'],
    ['net.ipv4.neigh.lo.proxy_delay', '-1', '-0'],
    ['net.ipv4.neigh.lo.proxy_delay', '-2147483649', '-0'],
    ['net.ipv4.neigh.lo.locktime', '2147483647', '429496728'],
    ['net.ipv4.neigh.lo.locktime', '2147483648', '429496729'],
    // neighbour counts: 0..INT_MAX; unres_qlen is kept in bytes of 2090 each
    ['net.ipv4.neigh.lo.mcast_solicit', '-1', null],
    ['net.ipv4.neigh.lo.ucast_solicit', '2147483647', '2147483647'],
    ['net.ipv4.neigh.lo.app_solicit', '-1', null],
    ['net.ipv4.neigh.lo.mcast_resolicit', '-1', null],
    ['net.ipv4.neigh.lo.unres_qlen', '1027504', '1027504'],
    ['net.ipv4.neigh.lo.unres_qlen', '1027505', null],
    // the port range against ip_unprivileged_port_start
    ['net.ipv4.ip_local_port_range', '1023', null],
    ['net.ipv4.ip_local_port_range', '1024', '1024\t60999'],
    ['net.ipv4.ip_unprivileged_port_start', '32768', '32768'],
    ['net.ipv4.ip_unprivileged_port_start', '32769', null],
    ['net.ipv4.ip_unprivileged_port_start', '-1', null],
  ])('%s=%j reads %j (null: Invalid argument)', (key, value, after) => {
    const ns = fresh();
    const before = sysctlRead(ns, key);
    expect(sysctlWrite(ns, key, value)).toBe(after === null ? invalid(key) : null);
    expect(sysctlRead(ns, key)).toBe(after ?? before);
  });

  it('keeps nothing once a value is back at its default', () => {
    const ns = fresh();
    sysctlWrite(ns, 'net.ipv4.tcp_rmem', '8192');
    expect(ns.sysctl.size).toBe(1);
    sysctlWrite(ns, 'net.ipv4.tcp_rmem', '4096');
    expect(ns.sysctl.size).toBe(0);
  });
});

describe('net.ipv4.conf and default', () => {
  function lab(...devs: string[]): Netns {
    const sim = createSimulator();
    sim.control((tx) => {
      for (const d of devs) expect(createLink(tx, '', 'bridge', d, {})).toBeNull();
    });
    return sim.world.namespaces.get('')!;
  }

  it('follows default on every device not written, a refused write included, and not on lo', () => {
    const ns = lab('b0', 'b1', 'b2');
    expect(sysctlWrite(ns, 'net.ipv4.conf.b1.proxy_arp', '0')).toBeNull();
    expect(sysctlWrite(ns, 'net.ipv4.conf.b2.proxy_arp', '2147483648')).not.toBeNull();
    expect(sysctlWrite(ns, 'net.ipv4.conf.default.proxy_arp', '5')).toBeNull();
    expect(['b0', 'b1', 'b2', 'lo', 'all'].map((d) => sysctlRead(ns, `net.ipv4.conf.${d}.proxy_arp`))).toEqual(['5', '0', '0', '0', '0']);
    expect(confGet(ns, 'b0', 'proxy_arp')).toBe(5);
    expect(confGet(ns, 'b1', 'proxy_arp')).toBe(0);
  });

  it('gives a device made later what default was written to, for good', () => {
    const sim = createSimulator();
    const ns = sim.world.namespaces.get('')!;
    expect(sysctlWrite(ns, 'net.ipv4.conf.default.log_martians', '1')).toBeNull();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'late', {})).toBeNull());
    expect(sysctlWrite(ns, 'net.ipv4.conf.default.log_martians', '0')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv4.conf.late.log_martians')).toBe('1');
  });

  it.each(['forwarding', 'route_localnet', 'disable_policy', 'rp_filter'])('copies %s once, when the device is made', (param) => {
    const sim = createSimulator();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'early', {})).toBeNull());
    const ns = sim.world.namespaces.get('')!;
    expect(sysctlWrite(ns, `net.ipv4.conf.default.${param}`, '1')).toBeNull();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'late', {})).toBeNull());
    expect(sysctlRead(ns, `net.ipv4.conf.early.${param}`)).toBe('0');
    expect(sysctlRead(ns, `net.ipv4.conf.late.${param}`)).toBe('1');
  });

  it('has no net.ipv4.neigh.default in a namespace of its own', () => {
    expect(parseSysctlKey(fresh(), 'net.ipv4.neigh.default.proxy_delay')).toBeNull();
    expect(sysctlWrite(fresh(), 'net.ipv4.neigh.default.proxy_delay', '0')).toBe(
      'sysctl: cannot stat /proc/sys/net/ipv4/neigh/default/proxy_delay: No such file or directory',
    );
  });
});

describe('a change of ip_forward', () => {
  it('sets default, every device and all.accept_redirects, keeping the value as written', () => {
    const sim = createSimulator();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'br0', {})).toBeNull());
    const ns = sim.world.namespaces.get('')!;
    expect(sysctlWrite(ns, 'net.ipv4.ip_forward', '5')).toBeNull();
    const keys = ['ip_forward', 'conf.all.forwarding', 'conf.default.forwarding', 'conf.br0.forwarding', 'conf.lo.forwarding'];
    expect(keys.map((k) => sysctlRead(ns, `net.ipv4.${k}`))).toEqual(['5', '5', '5', '5', '5']);
    expect(sysctlRead(ns, 'net.ipv4.conf.all.accept_redirects')).toBe('0');
    expect(sysctlWrite(ns, 'net.ipv4.conf.all.forwarding', '-1')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv4.conf.br0.forwarding')).toBe('-1');
    expect(sysctlWrite(ns, 'net.ipv4.ip_forward', '0')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv4.conf.all.accept_redirects')).toBe('1');
  });

  it('changes nothing else when the value stays the same', () => {
    const sim = createSimulator();
    sim.control((tx) => expect(createLink(tx, '', 'bridge', 'br0', {})).toBeNull());
    const ns = sim.world.namespaces.get('')!;
    expect(sysctlWrite(ns, 'net.ipv4.ip_forward', '1')).toBeNull();
    expect(sysctlWrite(ns, 'net.ipv4.conf.br0.forwarding', '0')).toBeNull();
    expect(sysctlWrite(ns, 'net.ipv4.ip_forward', '01')).toBeNull();
    expect(sysctlRead(ns, 'net.ipv4.conf.br0.forwarding')).toBe('0');
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

describe('every key of net.ipv4', () => {
  function withDevices(...devs: string[]): Netns {
    const sim = createSimulator();
    sim.control((tx) => {
      for (const d of devs) expect(createLink(tx, '', 'bridge', d, {})).toBeNull();
    });
    return sim.world.namespaces.get('')!;
  }

  it('lists what sysctl -a prints of a new namespace: 131 global keys, 33 per conf directory, 15 per neigh one, 3 of route', () => {
    const ipv4 = sysctlEntries(fresh()).filter((e) => e.path.startsWith('net/ipv4/') && e.mode !== 'wo' && !e.deprecated);
    const count = (re: RegExp) => ipv4.filter((e) => re.test(e.path)).length;
    expect(ipv4).toHaveLength(248);
    expect(count(/^net\/ipv4\/[^/]+$/)).toBe(131);
    expect([count(/^net\/ipv4\/conf\/all\//), count(/^net\/ipv4\/conf\/default\//), count(/^net\/ipv4\/conf\/lo\//)]).toEqual([33, 33, 33]);
    expect(count(/^net\/ipv4\/neigh\/lo\//)).toBe(15);
    expect(count(/^net\/ipv4\/route\//)).toBe(3);
  });

  it('orders every directory by name, bytewise, with all and default among the devices', () => {
    const conf = sysctlEntries(withDevices('zz', 'Abc', 'a0', 'eth0.1', '_x'))
      .map((e) => e.path.split('/'))
      .filter((c) => c[2] === 'conf' && c[1] === 'ipv4' && c[4] === 'forwarding')
      .map((c) => c[3]);
    expect(conf).toEqual(['Abc', '_x', 'a0', 'all', 'default', 'eth0.1', 'lo', 'zz']);
    const paths = sysctlEntries(fresh()).map((e) => e.path);
    expect(paths.indexOf('net/ipv4/ipfrag_time')).toBeLessThan(paths.indexOf('net/ipv4/neigh/lo/anycast_delay'));
    expect(paths.indexOf('net/ipv4/neigh/lo/unres_qlen_bytes')).toBeLessThan(paths.indexOf('net/ipv4/nexthop_compat_mode'));
  });

  it('keeps nothing for a namespace that only read its keys', () => {
    const ns = fresh();
    for (const e of sysctlEntries(ns)) sysctlValue(ns, e.key);
    expect(ns.sysctl.size).toBe(0);
  });

  it.each([
    // key, as it reads in a new namespace
    ['net.ipv4.conf.all.accept_source_route', '0'],
    ['net.ipv4.conf.default.accept_source_route', '1'],
    ['net.ipv4.conf.lo.disable_policy', '1'],
    ['net.ipv4.conf.lo.disable_xfrm', '1'],
    ['net.ipv4.conf.default.disable_xfrm', '0'],
    ['net.ipv4.neigh.lo.unres_qlen_bytes', '212992'],
    ['net.ipv4.neigh.lo.unres_qlen', '101'],
    ['net.ipv4.neigh.lo.retrans_time', '100'],
    ['net.ipv4.neigh.lo.base_reachable_time', '30'],
    ['net.ipv4.ping_group_range', '1\t0'],
    ['net.ipv4.ip_local_reserved_ports', ''],
    ['net.ipv4.tcp_notsent_lowat', '4294967295'],
    ['net.ipv4.tcp_available_congestion_control', 'reno bbr cubic'],
    ['net.ipv4.igmp_link_local_mcast_reports', '0'],
  ])('%s reads %j', (key, value) => {
    expect(sysctlRead(fresh(), key)).toBe(value);
  });

  it.each([
    // key, written, error (strerror) or null, key read afterwards, what it reads
    ['net.ipv4.neigh.lo.unres_qlen_bytes', '5000', null, 'net.ipv4.neigh.lo.unres_qlen', '2'],
    ['net.ipv4.neigh.lo.unres_qlen', '3', null, 'net.ipv4.neigh.lo.unres_qlen_bytes', '6270'],
    ['net.ipv4.neigh.lo.retrans_time', '7', null, 'net.ipv4.neigh.lo.retrans_time_ms', '68'],
    ['net.ipv4.neigh.lo.retrans_time', '7', null, 'net.ipv4.neigh.lo.retrans_time', '6'],
    ['net.ipv4.neigh.lo.base_reachable_time', '7', null, 'net.ipv4.neigh.lo.base_reachable_time_ms', '7000'],
    ['net.ipv4.neigh.lo.interval_probe_time_ms', '0', 'Invalid argument', 'net.ipv4.neigh.lo.interval_probe_time_ms', '5000'],
    ['net.ipv4.neigh.lo.interval_probe_time_ms', '1', null, 'net.ipv4.neigh.lo.interval_probe_time_ms', '4'],
    ['net.ipv4.tcp_congestion_control', 'reno', null, 'net.ipv4.tcp_congestion_control', 'reno'],
    ['net.ipv4.tcp_congestion_control', 'cubic', 'Operation not permitted', 'net.ipv4.tcp_congestion_control', 'bbr'],
    ['net.ipv4.tcp_congestion_control', 'nosuch', 'No such file or directory', 'net.ipv4.tcp_congestion_control', 'bbr'],
    ['net.ipv4.tcp_fastopen_key', '1-a-3-ffff', null, 'net.ipv4.tcp_fastopen_key', '00000001-0000000a-00000003-0000ffff'],
    [
      'net.ipv4.tcp_fastopen_key',
      '1-2-3-4,5-6-7-8',
      null,
      'net.ipv4.tcp_fastopen_key',
      '00000001-00000002-00000003-00000004,00000005-00000006-00000007-00000008',
    ],
    ['net.ipv4.tcp_fastopen_key', 'zz', 'Invalid argument', 'net.ipv4.tcp_fastopen_key', '00000000-00000000-00000000-00000000'],
    ['net.ipv4.ip_local_reserved_ports', '9000,8080-8090,7000', null, 'net.ipv4.ip_local_reserved_ports', '7000,8080-8090,9000'],
    ['net.ipv4.ip_local_reserved_ports', '70000', 'Invalid argument', 'net.ipv4.ip_local_reserved_ports', ''],
    ['net.ipv4.ip_local_reserved_ports', '9-8', 'Invalid argument', 'net.ipv4.ip_local_reserved_ports', ''],
    ['net.ipv4.ping_group_range', '0 4294967294', null, 'net.ipv4.ping_group_range', '0\t4294967294'],
    ['net.ipv4.ping_group_range', '5', null, 'net.ipv4.ping_group_range', '1\t0'],
    ['net.ipv4.ping_group_range', '0 -1', 'Invalid argument', 'net.ipv4.ping_group_range', '1\t0'],
    ['net.ipv4.ipfrag_low_thresh', '4194305', 'Invalid argument', 'net.ipv4.ipfrag_low_thresh', '3145728'],
    ['net.ipv4.ipfrag_high_thresh', '3145727', 'Invalid argument', 'net.ipv4.ipfrag_high_thresh', '4194304'],
    ['net.ipv4.ipfrag_high_thresh', '18446744073709551615', null, 'net.ipv4.ipfrag_high_thresh', '18446744073709551615'],
    ['net.ipv4.tcp_notsent_lowat', '-0', 'Invalid argument', 'net.ipv4.tcp_notsent_lowat', '4294967295'],
    ['net.ipv4.tcp_notsent_lowat', '0', null, 'net.ipv4.tcp_notsent_lowat', '0'],
    ['net.ipv4.icmp_msgs_burst', '-0', null, 'net.ipv4.icmp_msgs_burst', '0'],
    ['net.ipv4.tcp_adv_win_scale', '-31', null, 'net.ipv4.tcp_adv_win_scale', '-31'],
    ['net.ipv4.tcp_rto_max_ms', '999', 'Invalid argument', 'net.ipv4.tcp_rto_max_ms', '120000'],
    ['net.ipv4.route.min_pmtu', '67', 'Invalid argument', 'net.ipv4.route.min_pmtu', '552'],
    ['net.ipv4.route.mtu_expires', '-8589934', null, 'net.ipv4.route.mtu_expires', '-8589934'],
    ['net.ipv4.tcp_ehash_entries', '1', 'Invalid argument', 'net.ipv4.tcp_ehash_entries', '-262144'],
    ['net.ipv4.conf.all.mc_forwarding', '1', 'Invalid argument', 'net.ipv4.conf.all.mc_forwarding', '0'],
    ['net.ipv4.route.flush', 'anything', null, 'net.ipv4.ip_forward', '0'],
  ])('%s=%s: %s, then %s reads %j', (key, value, error, readKey, after) => {
    const ns = fresh();
    expect(sysctlWrite(ns, key, value)).toBe(error === null ? null : `sysctl: setting key "${key}": ${error}`);
    expect(sysctlRead(ns, readKey)).toBe(after);
  });

  it('reads a device with a dot in its name by path, and tells its files from its directories', () => {
    const ns = withDevices('eth0.1');
    expect(parseSysctlPath(ns, 'net/ipv4/conf/eth0.1/forwarding')?.key).toBe('net.ipv4.conf.eth0.1.forwarding');
    expect(parseSysctlPath(ns, 'net//ipv4/conf/eth0.1/forwarding')?.key).toBe('net.ipv4.conf.eth0.1.forwarding');
    expect(parseSysctlPath(ns, 'net/ipv4/conf/eth0/1/forwarding')).toBeNull();
    expect(parseSysctlPath(ns, 'net/ipv4/conf/eth0.1')).toBeNull();
    expect(['net/ipv4/conf/eth0.1', 'net/ipv4', 'net', 'net/ipv4/conf/eth0'].map((p) => sysctlIsDir(ns, p))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const flush = parseSysctlPath(ns, 'net/ipv4/route/flush')!;
    expect([sysctlMode(flush), sysctlValue(ns, flush)]).toEqual(['wo', null]);
    expect(sysctlMode(parseSysctlPath(ns, 'net/ipv4/tcp_allowed_congestion_control')!)).toBe('ro');
  });

  it('gives every device its neigh entries through the number readers, the views included', () => {
    const ns = withDevices('b0');
    expect(sysctlWrite(ns, 'net.ipv4.neigh.b0.unres_qlen', '7')).toBeNull();
    expect(neighParm(ns, 'b0', 'unres_qlen')).toBe(7);
    expect(neighOf(ns, 'b0').unres_qlen_bytes).toBe(7 * 2090);
    expect(neighOf(ns, 'lo').unres_qlen).toBe(101);
  });
});
