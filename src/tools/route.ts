// Prints `route -n` and plain `route` as net-tools 2.10 does (route(8); lib/inet_gr.c, rprint_fib,
// lib/inet.c INET_rresolve), and /proc/net/route itself, from the rows the kernel writes there
// (net/ipv4/fib_trie.c, fib_route_seq_show, fib_flag_trans): the main table only, broadcast and
// multicast routes skipped, flags U, G for a gateway, H for a /32, and `!` (RTF_REJECT) for
// unreachable and prohibit routes, which net-tools prints with `-` for gateway, Ref and Iface.

import { formatIpv4, maskOf } from '../model/addr.js';
import { type Route, RouteTable } from '../model/world.js';
import { fibDump } from '../kernel/fib.js';
import type { Command } from './ast.js';
import { devName, type KernelView, netnsOf } from './ip/print.js';
import { type Args, fail } from './words.js';

/** ROUTE_HEADER is the two header lines of `route -n`. */
const ROUTE_HEADER = 'Kernel IP routing table\n' + 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';

/** RTF are the route flags of <linux/route.h> that /proc/net/route shows. */
const RTF = { UP: 0x0001, GATEWAY: 0x0002, HOST: 0x0004, REJECT: 0x0200 } as const;

function padRight(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** procRoutes are the main table's rows of /proc/net/route, in the table's order (fib_route_seq_show). */
function procRoutes(k: KernelView, ns: string): Route[] {
  const netns = netnsOf(k.world, ns);
  return fibDump(netns.fib, RouteTable.Main).filter((r) => r.type !== 'broadcast');
}

/** rtFlags is fib_flag_trans: RTF_REJECT for unreachable and prohibit, G, H for a /32, and U. */
function rtFlags(r: Route): number {
  let f = RTF.UP;
  if (r.type === 'unreachable' || r.type === 'prohibit') f |= RTF.REJECT;
  if (r.gateway !== undefined) f |= RTF.GATEWAY;
  if (r.dst.len === 32) f |= RTF.HOST;
  return f;
}

/**
 * formatRouteN prints `route -n` for namespace `ns`: its main table in the world's order. With
 * `resolve` (plain `route`), INET_rresolve names 0.0.0.0 as a destination `default`; every other
 * address stays numeric, as on a lab namespace where reverse DNS and /etc/networks name nothing
 * (the real command first waits for its resolver to give up).
 */
export function formatRouteN(k: KernelView, ns: string, resolve = false): string {
  const netns = netnsOf(k.world, ns);
  let out = ROUTE_HEADER;
  for (const r of procRoutes(k, ns)) {
    const flagBits = rtFlags(r);
    const reject = (flagBits & RTF.REJECT) !== 0;
    const dest = resolve && r.dst.addr === 0 && r.dst.len === 0 ? 'default' : formatIpv4(r.dst.addr);
    const mask = formatIpv4(maskOf(r.dst.len));
    let flags = 'U';
    if (flagBits & RTF.GATEWAY) flags += 'G';
    if (reject) flags = '!';
    if (flagBits & RTF.HOST) flags += 'H';
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

/** hex32 is an address as /proc/net/route prints it: `%08X` of the network-order word read on a little-endian host. */
function hex32(a: number): string {
  const le = (((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24)) >>> 0;
  return le.toString(16).toUpperCase().padStart(8, '0');
}

/** PROC_ROUTE_WIDTH is seq_setwidth's 127: every line of /proc/net/route is padded with spaces to it. */
const PROC_ROUTE_WIDTH = 127;

/** formatProcNetRoute prints /proc/net/route for namespace `ns` (fib_route_seq_show). */
export function formatProcNetRoute(k: KernelView, ns: string): string {
  const netns = netnsOf(k.world, ns);
  const line = (s: string): string => `${padRight(s, PROC_ROUTE_WIDTH)}\n`;
  let out = line('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
  for (const r of procRoutes(k, ns)) {
    const iface = r.dev !== undefined ? devName(netns, r.dev) : '*';
    const flags = rtFlags(r).toString(16).toUpperCase().padStart(4, '0');
    // MTU is fib_advmss + 40 when advmss is set (never here), Window and IRTT the route's metrics.
    out += line(
      `${iface}\t${hex32(r.dst.addr)}\t${hex32(r.gateway ?? 0)}\t${flags}\t0\t0\t${r.metric}\t${hex32(maskOf(r.dst.len))}\t0\t0\t0`,
    );
  }
  return out;
}

/** parseRouteN reads net-tools `route -n` or plain `route`, the forms labs support. */
export function parseRouteN(args: Args): Command {
  const w = args.take();
  if (w === undefined) return { kind: 'route-n', resolve: true };
  if (w !== '-n') fail('route: only "route" and "route -n" are supported in labs');
  args.end();
  return { kind: 'route-n' };
}
