// ip(8) running against the simulated kernel: each parsed command becomes the rtnetlink request
// iproute2 6.1 would send, and the answer is printed as iproute2 prints it, errors and exit
// statuses included (2 for a request the kernel refused, 1 for a device iproute2 could not find,
// 255 for an argument it rejected).

import type { Ipv4 } from '../../model/addr.js';
import { confirmedNeigh, type Link, type Netns, NudState, type Route, RouteTable } from '../../model/world.js';
import { fibCheckNewRoute, fibDelete, fibInsert, fibLookup, rtnlErrorLine } from '../../kernel/fib.js';
import {
  addrAdd,
  addrDel,
  allocNsid,
  createLink,
  linkByName,
  linkDel,
  linkSet,
  LOOPBACK_IFINDEX,
  linksInOrder,
  netnsAdd,
  netnsDel,
  vethAdd,
} from '../../kernel/netns.js';
import { ipRouteOutput } from '../../kernel/stack.js';
import { confGet, inetDevValid } from '../../kernel/sysctl.js';
import type { Command } from '../ast.js';
import { invalidNetnsName } from './parse.js';
import type { ToolContext } from '../context.js';
import { jsonDocument } from './json.js';
import { devName, formatIpAddr, formatIpLink, formatIpNeigh, formatIpRoute, formatNetnsList, formatRouteGet, protoName } from './print.js';

/**
 * DevRef is what iproute2's ll_name_to_index makes of a device word: the device of that name, else
 * for `ifN` (ll_idx_a2n, sscanf "if%u") the device of index N — `missing` when no device has it, so
 * the kernel answers the request with ENODEV — else nothing (iproute2's own "does not exist").
 */
type DevRef = { readonly link: Link } | { readonly missing: number } | null;

/** devRef resolves a device word as ll_name_to_index does. */
export function devRef(netns: Netns, name: string): DevRef {
  const l = linkByName(netns, name);
  if (l !== undefined) return { link: l };
  const m = /^if(\d+)/.exec(name);
  const index = m === null ? 0 : Number(m[1]);
  if (index === 0 || index > 0xffffffff) return null;
  const byIndex = netns.links.get(index);
  return byIndex !== undefined ? { link: byIndex } : { missing: index };
}

/**
 * realName turns a device word into the name of the device it resolves to; a word naming no device
 * is kept (the request then fails as it would), and an `ifN` without device N is null: the kernel's
 * ENODEV, reported by the caller.
 */
function realName(netns: Netns, name: string): string | null {
  const r = devRef(netns, name);
  if (r === null) return name;
  return 'link' in r ? r.link.name : null;
}

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
      if (invalidNetnsName(cmd.name)) {
        ctx.out.errLine(`Invalid netns name "${cmd.name}"`, 255);
        return;
      }
      report(
        ctx,
        sim.control((tx) => netnsAdd(tx, cmd.name)),
      );
      return;
    case 'netns-del':
      if (invalidNetnsName(cmd.name)) {
        ctx.out.errLine(`Invalid netns name "${cmd.name}"`, 255);
        return;
      }
      report(
        ctx,
        sim.control((tx) => netnsDel(tx, cmd.name)),
      );
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
          const common = cmd.txqueuelen !== null ? { txqueuelen: cmd.txqueuelen } : {};
          switch (spec.type) {
            case 'veth':
              return vethAdd(tx, ns, cmd.name, {
                peer: spec.peer,
                peerNs: spec.peerNetns,
                ...(cmd.txqueuelen !== null ? { txqueuelen: cmd.txqueuelen } : {}),
                ...(spec.peerTxqueuelen !== null ? { peerTxqueuelen: spec.peerTxqueuelen } : {}),
              });
            case 'vxlan':
              return createLink(
                tx,
                ns,
                'vxlan',
                cmd.name,
                {
                  vni: spec.id,
                  dstport: spec.dstport,
                  local: spec.local,
                  dev: spec.dev,
                  learning: spec.learning,
                },
                common,
              );
            default:
              return createLink(tx, ns, spec.type, cmd.name, {}, common);
          }
        }),
      );
      return;
    }
    case 'link-set': {
      const dev = realName(netns, cmd.dev);
      if (dev === null) {
        report(ctx, 'RTNETLINK answers: No such device');
        return;
      }
      report(
        ctx,
        sim.control((tx) => linkSet(tx, ns, dev, cmd.ops)),
      );
      return;
    }
    case 'link-del': {
      const dev = realName(netns, cmd.dev);
      if (dev === null) {
        report(ctx, 'RTNETLINK answers: No such device');
        return;
      }
      report(
        ctx,
        sim.control((tx) => linkDel(tx, ns, dev)),
      );
      return;
    }
    case 'link-show': {
      let dev: string | undefined;
      if (cmd.dev !== null) {
        const r = devRef(netns, cmd.dev);
        if (r === null) {
          ctx.out.errLine(`Device "${cmd.dev}" does not exist.`, 1);
          return;
        }
        // iplink_get asks the kernel for the device by name (IFLA_IFNAME), so an `ifN` that is no name fails.
        if (!('link' in r) || r.link.name !== cmd.dev) {
          ctx.out.errLine('RTNETLINK answers: No such device\nCannot send link get request: No such device', 1);
          return;
        }
        dev = cmd.dev;
      }
      fillLinkNetnsids(ctx, ns, dev);
      ctx.out.out(
        formatIpLink(ctx.view, ns, {
          ...(dev !== undefined ? { dev } : {}),
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          stats: cmd.opts.stats,
          details: cmd.opts.details,
        }),
      );
      return;
    }
    case 'addr-change': {
      const dev = realName(netns, cmd.dev);
      if (dev === null) {
        report(ctx, 'Error: ipv4: Device not found.');
        return;
      }
      const flags = { noprefixroute: cmd.noprefixroute, ...(cmd.metric !== null ? { metric: cmd.metric } : {}) };
      report(
        ctx,
        sim.control((tx) =>
          cmd.action === 'add'
            ? addrAdd(tx, ns, dev, cmd.cidr.addr, cmd.cidr.len, cmd.broadcast, cmd.scope ?? defaultScope(cmd.cidr.addr), flags)
            : addrDel(tx, ns, dev, cmd.cidr.addr, cmd.cidr.len),
        ),
      );
      return;
    }
    case 'addr-show': {
      let dev: string | undefined;
      if (cmd.dev !== null) {
        const r = devRef(netns, cmd.dev);
        if (r === null) {
          ctx.out.errLine(`Device "${cmd.dev}" does not exist.`, 1);
          return;
        }
        // ipaddr_link_get asks for the index: ENODEV when no device has it (and iproute2 exits 0).
        if (!('link' in r)) {
          ctx.out.err('RTNETLINK answers: No such device\nCannot send link request: No such device\n');
          if (cmd.opts.json) ctx.out.out(jsonDocument([]));
          return;
        }
        dev = r.link.name;
      }
      fillLinkNetnsids(ctx, ns, dev);
      ctx.out.out(
        formatIpAddr(ctx.view, ns, {
          ...(dev !== undefined ? { dev } : {}),
          inet: cmd.opts.family4,
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          details: cmd.opts.details,
        }),
      );
      return;
    }
    case 'route-change':
      routeChange(ctx, cmd);
      return;
    case 'route-show': {
      const dev = cmd.dev === null ? null : realName(netns, cmd.dev);
      if (dev === null && cmd.dev !== null) {
        ctx.out.errLine('RTNETLINK answers: No such device\nDump terminated', 2);
        return;
      }
      if (dev !== null && linkByName(netns, dev) === undefined) {
        ctx.out.errLine(`Cannot find device "${dev}"`, 1);
        return;
      }
      const keep = (r: Route): boolean =>
        (cmd.prefix === null || (r.dst.addr === cmd.prefix.addr && r.dst.len === cmd.prefix.len)) &&
        (cmd.proto === null || r.proto === cmd.proto);
      let text = formatIpRoute(ctx.view, ns, {
        ...(cmd.table !== null ? { table: cmd.table } : {}),
        ...(dev !== null ? { dev } : {}),
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
    case 'neigh-show': {
      const dev = cmd.dev === null ? null : realName(netns, cmd.dev);
      // An `ifN` without device N: the kernel dumps nothing for the filter.
      if (dev === null && cmd.dev !== null) return;
      if (dev !== null && linkByName(netns, dev) === undefined) {
        ctx.out.errLine(`Cannot find device "${dev}"`, 1);
        return;
      }
      ctx.out.out(
        formatIpNeigh(ctx.view, ns, {
          ...(dev !== null ? { dev } : {}),
          ...(cmd.addr !== null ? { addr: cmd.addr } : {}),
          json: cmd.opts.json,
        }),
      );
      return;
    }
  }
}

/** routeChange is `ip route add|replace|del`: iproute2's defaults, the kernel's checks, then the FIB change. */
function routeChange(ctx: ToolContext, cmd: Extract<Command, { kind: 'route-change' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const dev = cmd.route.dev === null ? null : realName(netns, cmd.route.dev);
  if (dev === null && cmd.route.dev !== null) {
    report(ctx, 'RTNETLINK answers: No such device');
    return;
  }
  const r = { ...cmd.route, dev };
  // fib_check_nh_nongw: a device without an in_device (MTU below 68) carries no route.
  const nhDev = dev === null ? undefined : linkByName(netns, dev);
  if (cmd.action !== 'del' && r.type === 'unicast' && r.via === null && nhDev !== undefined && !inetDevValid(nhDev)) {
    report(ctx, 'RTNETLINK answers: No such device');
    return;
  }
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

/** defaultScope is iproute2's default_scope for `ip addr add` without `scope`: host for 127.0.0.0/8. */
function defaultScope(addr: Ipv4): number {
  return addr >>> 24 === 127 ? 254 : 0;
}

/**
 * routeGetAny answers `ip route get 0.0.0.0`, which no FIB lookup sees. Output
 * (ip_route_output_key_hash_rcu): a source that is multicast, limited broadcast or in 0.0.0.0/8 is
 * EINVAL, one no device has is ENETUNREACH; the destination is then the source, or 127.0.0.1, delivered
 * through lo. Input (`iif`, ip_route_input_slow): from 0.0.0.0 it is a broadcast, from anything else a
 * martian (EINVAL). Under `fibmatch` there is no FIB entry to print (EHOSTUNREACH).
 */
function routeGetAny(ctx: ToolContext, netns: Netns, cmd: Extract<Command, { kind: 'route-get' }>): void {
  const fail = (msg: string): void => ctx.out.errLine(`RTNETLINK answers: ${msg}`, 2);
  const from = cmd.from ?? 0;
  const martian = (a: Ipv4): boolean => a >>> 28 === 14 || a === 0xffffffff || a >>> 24 === 0;
  const lo = devName(netns, LOOPBACK_IFINDEX);
  if (cmd.iif !== null) {
    const l = linkByName(netns, cmd.iif);
    if (l === undefined) {
      ctx.out.errLine(`Cannot find device "${cmd.iif}"`, 1);
      return;
    }
    if (from !== 0 || !inetDevValid(l)) {
      fail('Invalid argument');
      return;
    }
    if (cmd.fibmatch) {
      fail('No route to host');
      return;
    }
    ctx.out.out(formatRouteGet(ctx.view, ctx.ns, { dst: 0, type: 'broadcast', dev: lo, iif: cmd.iif }, { json: cmd.opts.json }));
    return;
  }
  if (from !== 0 && martian(from)) {
    fail('Invalid argument');
    return;
  }
  // __ip_dev_find: an address of a device, or one the local table routes locally (127.0.0.5).
  if (from !== 0 && !netns.addrs.some((a) => a.local === from) && fibLookup(netns.fib, from)?.type !== 'local') {
    fail('Network is unreachable');
    return;
  }
  if (cmd.fibmatch) {
    fail('No route to host');
    return;
  }
  const res = from !== 0 ? { from } : { prefsrc: 0x7f000001 };
  ctx.out.out(formatRouteGet(ctx.view, ctx.ns, { dst: 0, type: 'local', dev: lo, ...res, uid: 0 }, { json: cmd.opts.json }));
}

/** routeGet is `ip route get ADDR [from SRC] [iif DEV] [fibmatch]`. */
function routeGet(ctx: ToolContext, cmd: Extract<Command, { kind: 'route-get' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  if (cmd.addr === 0) {
    routeGetAny(ctx, netns, cmd);
    return;
  }
  const route = fibLookup(netns.fib, cmd.addr);
  const fail = (msg: string): void => ctx.out.errLine(`RTNETLINK answers: ${msg}`, 2);
  const refused: Readonly<Record<string, string>> = {
    blackhole: 'Invalid argument',
    unreachable: 'No route to host',
    prohibit: 'Permission denied',
  };
  if (route === null) {
    fail('Network is unreachable');
    return;
  }
  if (refused[route.type] !== undefined) {
    fail(refused[route.type]);
    return;
  }
  if (cmd.iif !== null) {
    if (linkByName(netns, cmd.iif) === undefined) {
      ctx.out.errLine(`Cannot find device "${cmd.iif}"`, 1);
      return;
    }
    // IN_DEV_FORWARD: any value but 0 forwards (ip_forward=5 and forwarding=-1 are kept as written).
    if (route.type === 'unicast' && confGet(netns, cmd.iif, 'forwarding') === 0) {
      fail('No route to host');
      return;
    }
  }
  const name = (i: number | undefined): string => (i === undefined ? '' : devName(netns, i));
  if (cmd.fibmatch) {
    ctx.out.out(formatRouteGet(ctx.view, ctx.ns, { dst: cmd.addr, route, dev: name(route.dev), fibmatch: true }, { json: cmd.opts.json }));
    return;
  }
  const rt = ipRouteOutput(netns, cmd.addr, cmd.from ?? 0);
  if ('errno' in rt) {
    fail('Network is unreachable');
    return;
  }
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
  const dev = realName(netns, cmd.dev);
  if (dev === null) {
    report(ctx, 'RTNETLINK answers: No such device');
    return;
  }
  const l = linkByName(netns, dev);
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
  // arp_constructor: a device without an in_device (MTU below 68) takes no entry.
  if (existing === undefined && !inetDevValid(l)) {
    ctx.out.errLine('RTNETLINK answers: Invalid argument', 2);
    return;
  }
  if (cmd.lladdr === null && (cmd.nud === null || cmd.nud === 'permanent' || cmd.nud === 'reachable' || cmd.nud === 'stale')) {
    ctx.out.errLine('Error: No link layer address given.', 2);
    return;
  }
  const state =
    cmd.nud === 'reachable'
      ? NudState.Reachable
      : cmd.nud === 'stale'
        ? NudState.Stale
        : cmd.nud === 'noarp'
          ? NudState.Noarp
          : NudState.Permanent;
  ctx.sim.control((tx) => {
    tx.ns(ctx.ns)!.neigh.set(key, confirmedNeigh(cmd.addr, l.ifindex, cmd.lladdr ?? undefined, state, tx.now));
  });
}

/**
 * fillLinkNetnsids is what a link dump does to the namespace ids (rtnl_fill_link_netnsid calls
 * peernet2id_alloc): each device whose other end lives in another namespace gives that namespace an
 * id here, in dump order, if it had none yet.
 */
function fillLinkNetnsids(ctx: ToolContext, ns: string, dev: string | undefined): void {
  const n = ctx.sim.world.namespaces.get(ns);
  if (n === undefined) return;
  const peers: string[] = [];
  for (const l of linksInOrder(n)) {
    if (dev !== undefined && l.name !== dev) continue;
    const other = ctx.sim.drivers.get(l.kind)?.iflink?.(ctx.view.world, ns, l);
    const peerNs = other?.ns;
    if (peerNs !== undefined && peerNs !== ns && !n.nsids.has(peerNs)) peers.push(peerNs);
  }
  if (peers.length > 0)
    ctx.sim.control((tx) => {
      for (const p of peers) allocNsid(tx, ns, p);
    });
}
