// `ifconfig [-a] [IFACE]` in a namespace of the cluster: net-tools 2.10 on nodes and in most pods,
// BusyBox's applet in a BusyBox pod. The interfaces are the namespace's links in /proc/net/dev order
// (ifindex), each with the flags SIOCGIFFLAGS returns (dev_get_flags: IFF_RUNNING is netif_oper_up),
// its primary IPv4 address (SIOCGIFADDR: the first address labelled with the device's name) and its
// counters.

import type { Ipv4 } from '../../model/addr.js';
import type { Link, Netns } from '../../model/world.js';
import { linkRunning, linksInOrder } from '../../kernel/netns.js';
import type { ToolContext } from '../context.js';
import type { Program } from '../programs.js';
import { ifaceFlags, ifconfig, type IfHwType, type NetInterface, parseIfconfigArgs } from '../netutils/ifconfig.js';
import { emit, inBusyboxPod, inCluster, notModelled } from './machine.js';

function netmask(len: number): Ipv4 {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** netInterface is what ifconfig reads of one link. */
function netInterface(ctx: ToolContext, n: Netns, l: Link): NetInterface {
  const d = ctx.view.drivers.of(l);
  const has = (f: string): boolean => d.flags.includes(f);
  const hwType: IfHwType = d.linkType === 'loopback' ? 'loopback' : d.linkType === 'ipip' ? 'tunnel' : 'ether';
  const addrs = n.addrs.filter((a) => a.ifindex === l.ifindex && a.label === l.name);
  const a = addrs.find((x) => !x.secondary) ?? addrs[0];
  return {
    name: l.name,
    flags: ifaceFlags({
      up: l.adminUp,
      broadcast: has('BROADCAST'),
      loopback: has('LOOPBACK'),
      noarp: has('NOARP'),
      multicast: has('MULTICAST'),
      running: linkRunning(ctx.view.world, ctx.view.drivers, ctx.ns, l),
    }),
    mtu: l.mtu,
    hwType,
    ...(hwType === 'ether' ? { mac: l.mac } : {}),
    ...(a !== undefined ? { ipv4: { addr: a.local, netmask: netmask(a.prefixlen), broadcast: a.broadcast ?? 0 } } : {}),
    txqueuelen: l.txqlen,
    stats: {
      rxPackets: l.stats.rxPackets,
      rxBytes: l.stats.rxBytes,
      rxDropped: l.stats.rxDropped,
      txPackets: l.stats.txPackets,
      txBytes: l.stats.txBytes,
      txDropped: l.stats.txDropped,
    },
  };
}

/** netInterfaces lists the namespace's interfaces in /proc/net/dev order. */
export function netInterfaces(ctx: ToolContext): NetInterface[] {
  const n = ctx.view.world.namespaces.get(ctx.ns);
  return n === undefined ? [] : linksInOrder(n).map((l) => netInterface(ctx, n, l));
}

/** IFCONFIG is ifconfig wherever the cluster's machines have it. */
export const IFCONFIG: Program = {
  name: 'ifconfig',
  available: inCluster,
  run(ctx, argv) {
    const p = parseIfconfigArgs(argv);
    if (!p.ok) {
      notModelled(ctx, `ifconfig ${argv.join(' ')}`);
      return;
    }
    emit(ctx, ifconfig(inBusyboxPod(ctx) ? 'busybox' : 'net-tools', netInterfaces(ctx), p.cmd));
  },
};
