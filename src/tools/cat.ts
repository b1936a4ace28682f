// cat(1) of the /proc files of the namespace it runs in: /proc/sys (sysctl.ts), and the /proc/net
// tables the kernel writes: route (net/ipv4/fib_trie.c fib_route_seq_show), arp (net/ipv4/arp.c
// arp_seq_show) and dev (net/core/net-procfs.c dev_seq_show).

import { sysctlKey, sysctlRead } from '../kernel/sysctl.js';
import { formatIpv4 } from '../model/addr.js';
import type { Cat, Command } from './ast.js';
import { procNetArp } from './cluster/arp.js';
import type { ToolContext } from './context.js';
import { formatProcNetRoute } from './route.js';
import { type Args, fail } from './words.js';

/** PROC_NET_FILES are the /proc/net files labs can read. */
const PROC_NET_FILES = new Set(['/proc/net/route', '/proc/net/arp', '/proc/net/dev']);

/** parseCat reads `cat FILE`: labs read /proc/sys files and /proc/net/{route,arp,dev}. */
export function parseCat(args: Args): Command {
  const path = args.take();
  if (path === undefined) fail('cat: missing file');
  args.end();
  if (PROC_NET_FILES.has(path)) return { kind: 'cat', path };
  if (!/^\/proc\/sys\/[A-Za-z0-9_./-]+$/.test(path) || path.includes('..'))
    fail(`cat: only /proc/sys/ files and /proc/net/route, arp and dev can be read in labs, not "${path}"`);
  return { kind: 'cat', path };
}

/** formatProcNetArp prints /proc/net/arp: `%-16s 0x%-10x0x%-10x%-17s     %-8s %s` per neighbour (arp_seq_show). */
export function formatProcNetArp(ctx: ToolContext): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const e of procNetArp(ctx)) {
    out += `${formatIpv4(e.ip).padEnd(16)} 0x${e.hwType.toString(16).padEnd(10)}0x${e.flags.toString(16).padEnd(10)}`;
    out += `${e.mac.padEnd(17)}     ${'*'.padEnd(8)} ${e.dev}\n`;
  }
  return out;
}

/** formatProcNetDev prints /proc/net/dev: the namespace's devices in list order with their counters (dev_seq_printf_stats). */
export function formatProcNetDev(ctx: ToolContext): string {
  const n = ctx.view.world.namespaces.get(ctx.ns);
  let out =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  if (n === undefined) return out;
  const w = (v: number, width: number): string => String(v).padStart(width);
  for (const l of n.links.values()) {
    const s = l.stats;
    out += `${l.name.padStart(6)}:${w(s.rxBytes, 8)} ${w(s.rxPackets, 7)} ${w(0, 4)} ${w(s.rxDropped, 4)} ${w(0, 4)} ${w(0, 5)} ${w(0, 10)} ${w(0, 9)} `;
    out += `${w(s.txBytes, 8)} ${w(s.txPackets, 7)} ${w(0, 4)} ${w(s.txDropped, 4)} ${w(0, 4)} ${w(0, 5)} ${w(0, 7)} ${w(0, 10)}\n`;
  }
  return out;
}

/** runCat prints a /proc file, or cat's error when there is none. */
export function runCat(ctx: ToolContext, cmd: Cat): void {
  switch (cmd.path) {
    case '/proc/net/route':
      ctx.out.out(formatProcNetRoute(ctx.view, ctx.ns));
      return;
    case '/proc/net/arp':
      ctx.out.out(formatProcNetArp(ctx));
      return;
    case '/proc/net/dev':
      ctx.out.out(formatProcNetDev(ctx));
      return;
  }
  const v = sysctlRead(ctx.sim.world.namespaces.get(ctx.ns)!, sysctlKey(cmd.path));
  if (v === null) ctx.out.errLine(`cat: ${cmd.path}: No such file or directory`, 1);
  else ctx.out.out(`${v}\n`);
}
