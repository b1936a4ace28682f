// `arp` in a namespace of the cluster: net-tools 2.10 on nodes and in most pods, BusyBox's applet in a
// BusyBox pod. Both read /proc/net/arp, which the kernel writes from the neighbour table
// (net/ipv4/arp.c arp_seq_show): every entry but NOARP ones, in the table's order, with the flags of
// its NUD state and the device's hardware type.

import type { ToolContext } from '../context.js';
import type { Program } from '../programs.js';
import { arpBusybox, arpFlagsFor, arpNetTools, parseArpArgs, type ProcArpEntry } from '../netutils/arp.js';
import { emit, inBusyboxPod, inCluster, notModelled } from './machine.js';

/** ARPHRD_ETHER and ARPHRD_LOOPBACK are the hardware types of <linux/if_arp.h> the cluster's devices have. */
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

/** procNetArp is the namespace's /proc/net/arp. */
export function procNetArp(ctx: ToolContext): ProcArpEntry[] {
  const n = ctx.view.world.namespaces.get(ctx.ns);
  if (n === undefined) return [];
  const out: ProcArpEntry[] = [];
  for (const e of n.neigh.values()) {
    if (e.state === 'NONE' || e.state === 'NOARP') continue;
    const l = n.links.get(e.dev);
    if (l === undefined) continue;
    const loop = ctx.view.drivers.of(l).linkType === 'loopback';
    out.push({
      ip: e.ip,
      hwType: loop ? ARPHRD_LOOPBACK : ARPHRD_ETHER,
      flags: arpFlagsFor(e.state),
      mac: e.lladdr ?? '00:00:00:00:00:00',
      dev: l.name,
    });
  }
  return out;
}

/** ARP is arp wherever the cluster's machines have it. */
export const ARP: Program = {
  name: 'arp',
  available: inCluster,
  run(ctx, argv) {
    const p = parseArpArgs(argv);
    if (!p.ok) {
      notModelled(ctx, `arp ${argv.join(' ')}`);
      return;
    }
    const entries = procNetArp(ctx);
    emit(ctx, inBusyboxPod(ctx) ? arpBusybox(entries, p.cmd) : arpNetTools(entries, p.cmd));
  },
};
