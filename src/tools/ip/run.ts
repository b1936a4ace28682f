// ip(8) running against the simulated kernel: each parsed command becomes the rtnetlink request
// iproute2 6.1 would send, and the answer is printed as iproute2 prints it, errors and exit
// statuses included (2 for a request the kernel refused, 1 for a device iproute2 could not find,
// 255 for an argument it rejected).

import { NudState, type Route, RouteTable } from '../../model/world.js';
import { fibCheckNewRoute, fibDelete, fibInsert, fibLookup, rtnlErrorLine } from '../../kernel/fib.js';
import {
  addrAdd,
  addrDel,
  createLink,
  linkByName,
  linkDel,
  linkSet,
  netnsAdd,
  netnsDel,
  vethAdd,
} from '../../kernel/netns.js';
import { ipRouteOutput } from '../../kernel/stack.js';
import { confGet } from '../../kernel/sysctl.js';
import type { Command } from '../ast.js';
import type { ToolContext } from '../context.js';
import {
  devName,
  formatIpAddr,
  formatIpLink,
  formatIpNeigh,
  formatIpRoute,
  formatNetnsList,
  formatRouteGet,
  protoName,
} from './print.js';

/** ipStatus is the exit status iproute2 has after printing `line`. */
export function ipStatus(line: string): number {
  if (line.startsWith('Error: argument') || line.startsWith('Invalid')) return 255;
  if (line.startsWith('RTNETLINK answers') || line.startsWith('Error: ')) return 2;
  return 1;
}

function report(ctx: ToolContext, e: string | null): void {
  if (e !== null) ctx.out.errLine(e, ipStatus(e));
}

type IpCommand = Extract<
  Command,
  {
    kind:
      | 'netns-add'
      | 'netns-del'
      | 'netns-list'
      | 'link-add'
      | 'link-set'
      | 'link-del'
      | 'link-show'
      | 'addr-change'
      | 'addr-show'
      | 'route-change'
      | 'route-show'
      | 'route-get'
      | 'neigh-change'
      | 'neigh-show';
  }
>;

/** runIp runs one `ip` command in the context's namespace. */
export function runIp(ctx: ToolContext, cmd: IpCommand): void {
  const { sim, ns } = ctx;
  const netns = sim.world.namespaces.get(ns)!;
  switch (cmd.kind) {
    case 'netns-add':
      report(ctx, sim.control((tx) => netnsAdd(tx, cmd.name)));
      return;
    case 'netns-del':
      report(ctx, sim.control((tx) => netnsDel(tx, cmd.name)));
      return;
    case 'netns-list':
      ctx.out.out(formatNetnsList(ctx.view, ns));
      return;
    case 'link-add': {
      const spec = cmd.spec;
      if (spec.type === 'vxlan' && spec.dstport === null) {
        // iplink_vxlan.c warns, on stderr, before it sends the request.
        ctx.out.err(
          'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
            "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
        );
      }
      report(
        ctx,
        sim.control((tx) => {
          switch (spec.type) {
            case 'veth':
              return vethAdd(tx, ns, cmd.name, { peer: spec.peer, peerNs: spec.peerNetns });
            case 'vxlan':
              return createLink(tx, ns, 'vxlan', cmd.name, {
                vni: spec.id,
                dstport: spec.dstport,
                local: spec.local,
                dev: spec.dev,
                learning: spec.learning,
              });
            default:
              return createLink(tx, ns, spec.type, cmd.name, {});
          }
        }),
      );
      return;
    }
    case 'link-set':
      report(ctx, sim.control((tx) => linkSet(tx, ns, cmd.dev, cmd.ops)));
      return;
    case 'link-del':
      report(ctx, sim.control((tx) => linkDel(tx, ns, cmd.dev)));
      return;
    case 'link-show':
      if (cmd.dev !== null && linkByName(netns, cmd.dev) === undefined) {
        ctx.out.errLine(`Device "${cmd.dev}" does not exist.`, 1);
        return;
      }
      ctx.out.out(
        formatIpLink(ctx.view, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          stats: cmd.opts.stats,
          details: cmd.opts.details,
        }),
      );
      return;
    case 'addr-change':
      report(
        ctx,
        sim.control((tx) =>
          cmd.action === 'add'
            ? addrAdd(tx, ns, cmd.dev, cmd.cidr.addr, cmd.cidr.len, cmd.broadcast, cmd.scope)
            : addrDel(tx, ns, cmd.dev, cmd.cidr.addr, cmd.cidr.len),
        ),
      );
      return;
    case 'addr-show':
      if (cmd.dev !== null && linkByName(netns, cmd.dev) === undefined) {
        ctx.out.errLine(`Device "${cmd.dev}" does not exist.`, 1);
        return;
      }
      ctx.out.out(
        formatIpAddr(ctx.view, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          inet: cmd.opts.family4,
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          details: cmd.opts.details,
        }),
      );
      return;
    case 'route-change':
      routeChange(ctx, cmd);
      return;
    case 'route-show': {
      if (cmd.dev !== null && linkByName(netns, cmd.dev) === undefined) {
        ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 1);
        return;
      }
      const keep = (r: Route): boolean =>
        r.table !== RouteTable.Main ||
        ((cmd.prefix === null || (r.dst.addr === cmd.prefix.addr && r.dst.len === cmd.prefix.len)) &&
          (cmd.proto === null || r.proto === cmd.proto));
      let text = formatIpRoute(ctx.view, ns, {
        ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
        json: cmd.opts.json,
        ...(cmd.prefix !== null || cmd.proto !== null ? { filter: keep } : {}),
      });
      // iproute2 leaves out the protocol it was asked to filter on, as it leaves out the device.
      if (cmd.proto !== null && !cmd.opts.json) text = text.split(` proto ${protoName(cmd.proto)} `).join(' ');
      ctx.out.out(text);
      return;
    }
    case 'route-get':
      routeGet(ctx, cmd);
      return;
    case 'neigh-change':
      neighChange(ctx, cmd);
      return;
    case 'neigh-show':
      if (cmd.dev !== null && linkByName(netns, cmd.dev) === undefined) {
        ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 1);
        return;
      }
      ctx.out.out(
        formatIpNeigh(ctx.view, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          ...(cmd.addr !== null ? { addr: cmd.addr } : {}),
          json: cmd.opts.json,
        }),
      );
      return;
  }
}

/** routeChange is `ip route add|replace|del`: iproute2's defaults, the kernel's checks, then the FIB change. */
function routeChange(ctx: ToolContext, cmd: Extract<Command, { kind: 'route-change' }>): void {
  const r = cmd.route;
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  if (cmd.action === 'del') {
    let dev: number | undefined;
    if (r.dev !== null) {
      const l = linkByName(netns, r.dev);
      if (l === undefined) {
        ctx.out.errLine(`Cannot find device "${r.dev}"`, 1);
        return;
      }
      dev = l.ifindex;
    }
    const res = ctx.sim.control((tx) =>
      fibDelete(tx.fib(tx.ns(ctx.ns)!), {
        table: RouteTable.Main,
        dst: r.dst,
        ...(r.type !== 'unicast' ? { type: r.type } : {}),
        ...(dev !== undefined ? { dev } : {}),
        ...(r.via !== null ? { gateway: r.via } : {}),
        ...(r.proto !== null ? { proto: r.proto } : {}),
        ...(r.metric !== null ? { metric: r.metric } : {}),
        ...(r.scope !== null ? { scope: r.scope } : {}),
        ...(r.src !== null ? { prefsrc: r.src } : {}),
      }),
    );
    if ('ok' in res && !res.ok) report(ctx, rtnlErrorLine(res.errno, res.msg));
    return;
  }
  const checked = fibCheckNewRoute(
    {
      type: r.type,
      dst: r.dst,
      ...(r.via !== null ? { gateway: r.via } : {}),
      ...(r.dev !== null ? { dev: r.dev } : {}),
      ...(r.proto !== null ? { proto: r.proto } : {}),
      ...(r.scope !== null ? { scope: r.scope } : {}),
      ...(r.src !== null ? { prefsrc: r.src } : {}),
      ...(r.metric !== null ? { metric: r.metric } : {}),
      onlink: r.onlink,
    },
    netns,
  );
  if (!checked.ok) {
    report(ctx, checked.error);
    return;
  }
  const res = ctx.sim.control((tx) => fibInsert(tx.fib(tx.ns(ctx.ns)!), checked.route, cmd.action === 'replace' ? 'replace' : 'add'));
  if (res !== null) report(ctx, rtnlErrorLine(res.errno, res.msg));
}

/** routeGet is `ip route get ADDR [from SRC] [iif DEV] [fibmatch]`. */
function routeGet(ctx: ToolContext, cmd: Extract<Command, { kind: 'route-get' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const route = fibLookup(netns.fib, cmd.addr);
  const fail = (msg: string): void => ctx.out.errLine(`RTNETLINK answers: ${msg}`, 2);
  if (route === null) return fail('Network is unreachable');
  if (route.type === 'blackhole') return fail('Invalid argument');
  if (route.type === 'unreachable') return fail('No route to host');
  if (route.type === 'prohibit') return fail('Permission denied');
  if (cmd.iif !== null) {
    if (linkByName(netns, cmd.iif) === undefined) {
      ctx.out.errLine(`Cannot find device "${cmd.iif}"`, 1);
      return;
    }
    if (route.type === 'unicast' && confGet(netns, cmd.iif, 'forwarding') !== 1) return fail('No route to host');
  }
  const name = (i: number | undefined): string => (i === undefined ? '' : devName(netns, i));
  if (cmd.fibmatch) {
    ctx.out.out(formatRouteGet(ctx.view, ctx.ns, { dst: cmd.addr, route, dev: name(route.dev), fibmatch: true }, { json: cmd.opts.json }));
    return;
  }
  const rt = ipRouteOutput(netns, cmd.addr, cmd.from ?? 0);
  if ('errno' in rt) return fail('Network is unreachable');
  const type = route.type === 'local' ? 'local' : route.type === 'broadcast' ? 'broadcast' : 'unicast';
  const prefsrc = cmd.from !== null ? undefined : rt.prefsrc || undefined;
  ctx.out.out(
    formatRouteGet(
      ctx.view,
      ctx.ns,
      {
        dst: cmd.addr,
        route,
        type,
        dev: name(rt.dev),
        ...(rt.nexthop !== cmd.addr ? { gateway: rt.nexthop } : {}),
        ...(prefsrc !== undefined ? { prefsrc } : {}),
        ...(cmd.from !== null ? { from: cmd.from } : {}),
        ...(cmd.iif !== null ? { iif: cmd.iif } : { uid: 0 }),
      },
      { json: cmd.opts.json },
    ),
  );
}

/** neighChange is `ip neigh add|replace|del`. */
function neighChange(ctx: ToolContext, cmd: Extract<Command, { kind: 'neigh-change' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const l = linkByName(netns, cmd.dev);
  if (l === undefined) {
    ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 1);
    return;
  }
  const key = l.ifindex * 4294967296 + cmd.addr;
  const existing = netns.neigh.get(key);
  if (cmd.action === 'del') {
    if (existing === undefined) {
      ctx.out.errLine('RTNETLINK answers: No such file or directory', 2);
      return;
    }
    ctx.sim.control((tx) => void tx.ns(ctx.ns)!.neigh.delete(key));
    return;
  }
  if (cmd.action === 'add' && existing !== undefined && existing.state !== NudState.Failed) {
    ctx.out.errLine('RTNETLINK answers: File exists', 2);
    return;
  }
  if (cmd.lladdr === null && (cmd.nud === null || cmd.nud === 'permanent' || cmd.nud === 'reachable' || cmd.nud === 'stale')) {
    ctx.out.errLine('Error: No link layer address given.', 2);
    return;
  }
  const state =
    cmd.nud === 'reachable' ? NudState.Reachable : cmd.nud === 'stale' ? NudState.Stale : cmd.nud === 'noarp' ? NudState.Noarp : NudState.Permanent;
  ctx.sim.control((tx) => {
    tx.ns(ctx.ns)!.neigh.set(key, {
      ip: cmd.addr,
      dev: l.ifindex,
      lladdr: cmd.lladdr ?? undefined,
      state,
      probes: 0,
      confirmed: tx.now,
      updated: tx.now,
      used: tx.now,
      timer: undefined,
      queue: [],
    });
  });
}
