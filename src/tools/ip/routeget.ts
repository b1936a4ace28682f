// `ip route get` (iproute2 ip/iproute.c iproute_get), answered by net/ipv4/route.c inet_rtm_getroute:
// an output lookup (ip_route_output_key_hash_rcu) or, with `iif`, an input one (ip_route_input_slow).

import type { Ipv4 } from '../../model/addr.js';
import type { Netns } from '../../model/world.js';
import { fibLookup } from '../../kernel/fib.js';
import { type CacheMetrics, ipRouteInputSlow, ipRouteOutput } from '../../kernel/route.js';
import type { Errno } from '../../kernel/stack.js';
import { confOf } from '../../kernel/sysctl.js';
import type { Command } from '../ast.js';
import type { ToolContext } from '../context.js';
import { devName, formatRouteGet } from './print.js';

/** STRERROR is strerror(3) for the errnos a route lookup returns. */
const STRERROR: ReadonlyMap<Errno, string> = new Map<Errno, string>([
  ['ENETUNREACH', 'Network is unreachable'],
  ['EHOSTUNREACH', 'No route to host'],
  ['EINVAL', 'Invalid argument'],
  ['EACCES', 'Permission denied'],
]);

type RouteGetCommand = Extract<Command, { kind: 'route-get' }>;

/**
 * routeGet is `ip route get ADDR [from SRC] [iif DEV] [oif DEV] [fibmatch]`. Without `iif` it is an output
 * lookup as for a local socket (with `oif` bound to a device); with `iif` an input lookup as for a packet
 * received on DEV, whose errors are all `Invalid argument` but for missing routes. `fibmatch` prints the
 * FIB entry behind the answer and fails with `No route to host` when there is none (res->fi NULL).
 */
export function routeGet(ctx: ToolContext, cmd: RouteGetCommand): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const fail = (errno: Errno): void => ctx.out.errLine(`RTNETLINK answers: ${STRERROR.get(errno)}`, 2);
  const name = (i: number | undefined): string => (i === undefined ? '' : devName(netns, i));
  const json = { json: cmd.opts.json, color: cmd.opts.color === true };
  const devIndex = (n: string): number | undefined => {
    for (const l of netns.links.values()) if (l.name === n) return l.ifindex;
    ctx.out.errLine(`Cannot find device "${n}"`, 1);
    return undefined;
  };
  if (cmd.iif !== null) {
    const iif = devIndex(cmd.iif);
    if (iif === undefined) return;
    if (cmd.oif !== null && devIndex(cmd.oif) === undefined) return;
    routeGetInput(ctx, netns, cmd, iif, fail);
    return;
  }
  let oif: number | undefined;
  if (cmd.oif !== null) {
    oif = devIndex(cmd.oif);
    if (oif === undefined) return;
  }
  const rt = ipRouteOutput(netns, cmd.addr, cmd.from ?? 0, oif, ctx.sim.world.now);
  if ('errno' in rt) {
    fail(rt.errno);
    return;
  }
  if (cmd.fibmatch) {
    if (rt.standIn === true) {
      fail('EHOSTUNREACH');
      return;
    }
    ctx.out.out(
      formatRouteGet(ctx.view, ctx.ns, { dst: cmd.addr, route: rt.route, type: rt.type, dev: name(rt.route.dev), fibmatch: true }, json),
    );
    return;
  }
  const expires = cacheSeconds(rt.cacheMetrics?.expires ?? rt.redirected?.expires, ctx.sim.world.now);
  ctx.out.out(
    formatRouteGet(
      ctx.view,
      ctx.ns,
      {
        dst: cmd.addr,
        route: rt.route,
        type: rt.type,
        dev: name(rt.dev),
        ...(rt.gateway ? { gateway: rt.nexthop } : {}),
        ...(cmd.from === null && rt.prefsrc ? { prefsrc: rt.prefsrc } : {}),
        ...(cmd.from !== null ? { from: cmd.from } : {}),
        ...(rt.redirected !== undefined ? { redirected: true } : {}),
        ...(expires !== undefined ? { expires } : {}),
        ...metricsOf(rt.cacheMetrics),
        ...(rt.type === 'unicast' && rt.local ? { local: true } : {}),
        uid: 0,
      },
      json,
    ),
  );
}

/** JIFFY_US is one jiffy at HZ=250, the resolution of the kernel's expiry times. */
const JIFFY_US = 4_000;

/**
 * cacheSeconds is rta_expires as iproute2 prints it: whole seconds left of an expiry (µs). On a real node
 * `ip` runs at least a jiffy after the packet that made the exception (the clock moves between commands,
 * the virtual one need not), so a fresh 600 s exception reads `599sec`, as it does there.
 */
function cacheSeconds(expires: number | undefined, now: number): number | undefined {
  return expires === undefined ? undefined : Math.max(0, Math.floor((expires - now - JIFFY_US) / 1_000_000));
}

/** metricsOf is the RTA_METRICS part of the cache line: RTAX_MTU and its lock. */
function metricsOf(m: CacheMetrics | undefined): { mtu?: number; mtuLock?: boolean } {
  if (m?.mtu === undefined) return {};
  return { mtu: m.mtu, ...(m.mtuLock === true ? { mtuLock: true } : {}) };
}

/** routeGetInput is the `iif` half of routeGet: ip_route_input_slow as inet_rtm_getroute calls it. */
function routeGetInput(ctx: ToolContext, netns: Netns, cmd: RouteGetCommand, iif: number, fail: (e: Errno) => void): void {
  const l = netns.links.get(iif)!;
  const src: Ipv4 = cmd.from ?? 0;
  const rt = ipRouteInputSlow(netns, cmd.addr, src, l, true, confOf(netns, l.name), ctx.sim.world.now);
  const json = { json: cmd.opts.json, color: cmd.opts.color === true };
  const from = src !== 0 ? { from: src } : {};
  const lo = devName(netns, 1);
  switch (rt.kind) {
    case 'martian':
    case 'not-local':
      fail('EINVAL');
      return;
    case 'error':
      fail(rt.errno === 'BLACKHOLE' ? 'EINVAL' : rt.errno);
      return;
    case 'local': {
      const route =
        cmd.addr === 0xffffffff || (cmd.addr === 0 && src === 0) || rt.type === 'multicast' ? null : fibLookup(netns.fib, cmd.addr);
      if (cmd.fibmatch) {
        if (route === null) {
          fail('EHOSTUNREACH');
          return;
        }
        ctx.out.out(
          formatRouteGet(ctx.view, ctx.ns, { dst: cmd.addr, route, type: rt.type, dev: devName(netns, route.dev!), fibmatch: true }, json),
        );
        return;
      }
      const local = rt.type === 'multicast' ? { local: true } : {};
      // The table the lookup answered from (RTA_TABLE) shows once rules unmerged local from main.
      const table = route !== null ? { route } : {};
      ctx.out.out(
        formatRouteGet(ctx.view, ctx.ns, { dst: cmd.addr, type: rt.type, dev: lo, ...from, ...local, ...table, iif: l.name }, json),
      );
      return;
    }
    case 'forward':
      if (cmd.fibmatch) {
        ctx.out.out(
          formatRouteGet(
            ctx.view,
            ctx.ns,
            { dst: cmd.addr, route: rt.route, type: 'unicast', dev: devName(netns, rt.dev), fibmatch: true },
            json,
          ),
        );
        return;
      }
      ctx.out.out(
        formatRouteGet(
          ctx.view,
          ctx.ns,
          {
            dst: cmd.addr,
            route: rt.route,
            type: 'unicast',
            dev: devName(netns, rt.dev),
            // A gateway is printed even when it is the destination itself (rt_gw4 is set all the same).
            ...(rt.nexthop !== cmd.addr || rt.route.gateway === rt.nexthop ? { gateway: rt.nexthop } : {}),
            ...from,
            ...(rt.doRedirect ? { redirect: true } : {}),
            ...(cacheSeconds(rt.cacheMetrics?.expires, ctx.sim.world.now) !== undefined
              ? { expires: cacheSeconds(rt.cacheMetrics?.expires, ctx.sim.world.now)! }
              : {}),
            ...metricsOf(rt.cacheMetrics),
            iif: l.name,
          },
          json,
        ),
      );
      return;
  }
}
