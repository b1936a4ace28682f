// Prints `route -n` as net-tools 2.10 does (route(8); lib/inet_gr.c, rprint_fib), from the rows the
// kernel writes to /proc/net/route (net/ipv4/fib_trie.c, fib_route_seq_show): the main table
// only, broadcast and multicast routes skipped, flags U, G for a gateway, H for a /32, and `!`
// for unreachable and prohibit routes, which net-tools prints with `-` for gateway, Ref and Iface.

import { formatIpv4, maskOf } from '../model/addr.js';
import { RouteTable } from '../model/world.js';
import { fibDump } from '../kernel/fib.js';
import type { Command } from './ast.js';
import { devName, type KernelView, netnsOf } from './ip/print.js';
import { type Args, fail } from './words.js';

/** ROUTE_HEADER is the two header lines of `route -n`. */
const ROUTE_HEADER = 'Kernel IP routing table\n' + 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';

function padRight(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** formatRouteN prints `route -n` for namespace `ns`: its main table in the world's order. */
export function formatRouteN(k: KernelView, ns: string): string {
  const netns = netnsOf(k.world, ns);
  let out = ROUTE_HEADER;
  for (const r of fibDump(netns.fib, RouteTable.Main)) {
    if (r.type === 'broadcast') continue;
    const host = r.dst.len === 32;
    const reject = r.type === 'unreachable' || r.type === 'prohibit';
    const dest = formatIpv4(r.dst.addr);
    const mask = formatIpv4(maskOf(r.dst.len));
    let flags = 'U';
    if (r.gateway !== undefined) flags += 'G';
    if (reject) flags = '!';
    if (host) flags += 'H';
    if (reject) {
      // "%-15s -               %-15s %-5s %-6d -  %7d -\n"
      out += `${padRight(dest, 15)} -               ${padRight(mask, 15)} ${padRight(flags, 5)} `;
      out += `${padRight(String(r.metric), 6)} -  ${'0'.padStart(7)} -\n`;
    } else {
      // "%-15s %-15s %-15s %-5s %-6d %-2d %7d %s\n"
      const gw = formatIpv4(r.gateway ?? 0);
      const iface = r.dev !== undefined ? devName(netns, r.dev) : '*';
      out += `${padRight(dest, 15)} ${padRight(gw, 15)} ${padRight(mask, 15)} ${padRight(flags, 5)} `;
      out += `${padRight(String(r.metric), 6)} ${padRight('0', 2)} ${'0'.padStart(7)} ${iface}\n`;
    }
  }
  return out;
}

/** parseRouteN reads net-tools `route -n`, the one form labs support. */
export function parseRouteN(args: Args): Command {
  const w = args.take();
  if (w !== '-n') fail('route: only "route -n" is supported in labs');
  args.end();
  return { kind: 'route-n' };
}
