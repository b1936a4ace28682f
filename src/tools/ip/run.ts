// ip(8) running against the simulated kernel: each parsed command becomes the rtnetlink request
// iproute2 6.1 would send, and the answer is printed as iproute2 prints it, errors and exit
// statuses included (2 for a request the kernel refused, 1 for a device iproute2 could not find,
// 255 for an argument it rejected).

import { type Cidr, formatIpv4, type Ipv4, maskOf } from '../../model/addr.js';
import { confirmedNeigh, type Link, type Netns, NudState, type Route, RouteTable } from '../../model/world.js';
import { fibCheckNewRoute, fibDelete, fibInsert, fibRemoveWhere, fibTableExists, rtnlErrorLine } from '../../kernel/fib.js';
import { fnheGenidBump, fnheRelease } from '../../kernel/route.js';
import { runRule } from './rule.js';
import {
  addrAdd,
  addrDel,
  allocNsid,
  createLink,
  linkByName,
  linkDel,
  linkSet,
  linksInOrder,
  netnsAdd,
  netnsDel,
  vethAdd,
} from '../../kernel/netns.js';
import { routeGet } from './routeget.js';
import { inetDevValid } from '../../kernel/sysctl.js';
import type { Command } from '../ast.js';
import { invalidNetnsName, neighStateMask } from './parse.js';
import type { ToolContext } from '../context.js';
import { jsonDocument, jsonPretty } from './json.js';
import { runAddrFlush, runNeighFlush, runNeighGet, runNetnsListId, masterMissing, pneighChange } from './forms.js';
import { formatIpAddr, formatIpLink, formatIpNeigh, formatIpRoute, formatNetnsList } from './print.js';

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
      | 'rule'
      | 'neigh-change'
      | 'neigh-show'
      | 'addr-flush'
      | 'neigh-flush'
      | 'neigh-get'
      | 'netns-list-id';
  }
>;

/** runIp runs one `ip` command in the context's namespace; under `-j -p` its JSON is pretty-printed. */
export function runIp(ctx: ToolContext, cmd: IpCommand): void {
  if ('opts' in cmd && cmd.opts.json && cmd.opts.pretty) {
    const out = Object.create(ctx.out) as ToolContext['out'];
    out.out = (text: string): void => ctx.out.out(jsonPretty(text));
    runIpCommand({ ...ctx, out }, cmd);
    return;
  }
  runIpCommand(ctx, cmd);
}

function runIpCommand(ctx: ToolContext, cmd: IpCommand): void {
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
      // iplink_parse opens the peer's namespace itself (netns_get_fd) and stops with invarg when it cannot.
      if (spec.type === 'veth' && spec.peerNetns !== null && !sim.world.namespaces.has(spec.peerNetns)) {
        ctx.out.errLine(`Error: argument "${spec.peerNetns}" is wrong: Invalid "netns" value\n`, 255);
        return;
      }
      // iplink_vxlan.c resolves `dev NAME` with ll_name_to_index, whose RTM_GETLINK reply gives the
      // namespace of the device's other end an id (rtnl_fill_link_netnsid).
      if (spec.type === 'vxlan' && spec.dev !== null) {
        const lower = realName(netns, spec.dev);
        if (lower !== null) fillLinkNetnsids(ctx, ns, lower);
      }
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
      if (masterMissing(ctx, cmd.filter)) return;
      fillLinkNetnsids(ctx, ns, dev);
      ctx.out.out(
        formatIpLink(ctx.view, ns, {
          ...(dev !== undefined ? { dev } : {}),
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          stats: cmd.opts.stats,
          details: cmd.opts.details,
          ...(cmd.filter !== undefined ? { filter: cmd.filter } : {}),
          ...(cmd.opts.oneline ? { oneline: true } : {}),
          ...(cmd.opts.color ? { color: true } : {}),
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
      fillLinkNetnsids(ctx, ns, dev);
      const flags = {
        noprefixroute: cmd.noprefixroute,
        ...(cmd.metric !== null ? { metric: cmd.metric } : {}),
        ...(cmd.label !== undefined && cmd.label !== null ? { label: cmd.label } : {}),
        ...(cmd.action === 'replace' ? { replace: true } : {}),
        ...(cmd.peer !== undefined ? { peer: cmd.peer.addr } : {}),
      };
      // ipaddr_modify: with a peer the prefix length is the peer's; a bare IPv4 address deleted without a
      // peer sends no IFA_ADDRESS, so the kernel matches the local address alone.
      const prefixlen = cmd.peer?.len ?? cmd.cidr.len;
      const broadcast = ipaddrBroadcast(cmd.broadcast, cmd.peer ?? cmd.cidr);
      const wildcard = cmd.action === 'del' && cmd.bare === true && cmd.peer === undefined;
      if (wildcard)
        ctx.out.err(
          'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
            `         Explicitly specify the prefix length (${formatIpv4(cmd.cidr.addr)}/32) to avoid this warning.\n` +
            '         This special behaviour is likely to disappear in further releases,\n' +
            '         fix your scripts!\n',
        );
      report(
        ctx,
        sim.control((tx) =>
          cmd.action !== 'del'
            ? addrAdd(tx, ns, dev, cmd.cidr.addr, prefixlen, broadcast, cmd.scope ?? defaultScope(cmd.cidr.addr), flags)
            : addrDel(tx, ns, dev, cmd.cidr.addr, prefixlen, wildcard ? null : (cmd.peer?.addr ?? cmd.cidr.addr), cmd.label ?? undefined),
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
      if (masterMissing(ctx, cmd.filter)) return;
      fillLinkNetnsids(ctx, ns, dev);
      ctx.out.out(
        formatIpAddr(ctx.view, ns, {
          ...(dev !== undefined ? { dev } : {}),
          inet: cmd.opts.family4,
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          details: cmd.opts.details,
          stats: cmd.opts.stats,
          ...(cmd.filter !== undefined ? { filter: cmd.filter } : {}),
          ...(cmd.opts.oneline ? { oneline: true } : {}),
          ...(cmd.opts.color ? { color: true } : {}),
        }),
      );
      return;
    }
    case 'addr-flush':
      runAddrFlush(ctx, cmd);
      return;
    case 'neigh-flush':
      runNeighFlush(ctx, cmd);
      return;
    case 'neigh-get':
      runNeighGet(ctx, cmd);
      return;
    case 'netns-list-id':
      runNetnsListId(ctx, cmd);
      return;
    case 'route-change':
      routeChange(ctx, cmd);
      return;
    case 'route-show':
      routeShow(ctx, netns, cmd);
      return;
    case 'rule':
      runRule(ctx, cmd);
      return;
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
          ...(cmd.prefix !== undefined && cmd.prefix !== null ? { prefix: cmd.prefix } : {}),
          ...(cmd.nud !== undefined ? { state: neighStateMask(cmd.nud, false) } : {}),
          ...(cmd.proxy ? { proxy: true } : {}),
          ...(cmd.opts.color ? { color: true } : {}),
          json: cmd.opts.json,
        }),
      );
      return;
    }
  }
}

/** prefixMatch is inet_addr_match: the first `len` bits of `a` and `b` agree. */
function prefixMatch(a: Ipv4, b: Ipv4, len: number): boolean {
  return len === 0 || ((a ^ b) & maskOf(len)) === 0;
}

/**
 * routeSelector is filter_nlmsg for IPv4 routes: protocol, scope, type, `root` (routes inside the prefix),
 * `match` (routes containing it), an exact prefix (both), `via` and `src` (gateway and prefsrc inside the
 * prefix; a route without one has 0.0.0.0 there).
 */
function routeSelector(cmd: Extract<Command, { kind: 'route-show' }>): ((r: Route) => boolean) | undefined {
  const { proto, prefix } = cmd;
  const sc = cmd.scope ?? null;
  const type = cmd.type ?? null;
  const root = cmd.root ?? prefix;
  const match = cmd.match ?? prefix;
  const via = cmd.via ?? null;
  const src = cmd.src ?? null;
  if (proto === null && sc === null && type === null && root === null && match === null && via === null && src === null) return undefined;
  return (r) =>
    (proto === null || r.proto === proto) &&
    (sc === null || r.scope === sc) &&
    (type === null || r.type === type) &&
    (root === null || (root.len <= r.dst.len && prefixMatch(r.dst.addr, root.addr, root.len))) &&
    (match === null || (match.len >= r.dst.len && prefixMatch(r.dst.addr, match.addr, r.dst.len))) &&
    (via === null || prefixMatch(r.gateway ?? 0, via.addr, via.len)) &&
    (src === null || prefixMatch(r.prefsrc ?? 0, src.addr, src.len));
}

/**
 * routeShow is iproute_list_flush_or_save for IPv4: `ip route show` prints the selected routes of a table
 * (main by default) as print_route does, leaving out what was selected on exactly; `ip route flush` deletes
 * them (each a RTM_DELROUTE of the dumped route) and prints nothing. A table that does not exist is the
 * kernel's `ipv4: FIB table does not exist` (inet_dump_fib).
 */
function routeShow(ctx: ToolContext, netns: Netns, cmd: Extract<Command, { kind: 'route-show' }>): void {
  const flush = cmd.flush === true;
  const terminated = flush ? 'Flush terminated' : 'Dump terminated';
  if (flush && cmd.cached === true) {
    // iproute_flush_cache writes /proc/sys/net/ipv4/route/flush: no route goes, every exception resets.
    ctx.sim.control((tx) => fnheGenidBump(tx.ns(ctx.ns)!));
    if (cmd.opts.stats) ctx.out.out('*** IPv4 routing cache is flushed.\n');
    return;
  }
  const selectors = [cmd.table, cmd.dev, cmd.proto, cmd.prefix, cmd.scope, cmd.type, cmd.via, cmd.src, cmd.root, cmd.match];
  if (flush && selectors.every((x) => x === null || x === undefined)) {
    ctx.out.errLine('"ip route flush" requires arguments.', 1);
    return;
  }
  const dev = cmd.dev === null ? null : realName(netns, cmd.dev);
  if (dev === null && cmd.dev !== null) {
    ctx.out.errLine(`RTNETLINK answers: No such device\n${terminated}`, 2);
    return;
  }
  if (dev !== null && linkByName(netns, dev) === undefined) {
    ctx.out.errLine(`Cannot find device "${dev}"`, 1);
    return;
  }
  if (typeof cmd.table === 'number' && !fibTableExists(netns.fib, cmd.table)) {
    ctx.out.errLine(`Error: ipv4: FIB table does not exist.\n${terminated}`, 2);
    return;
  }
  const keep = routeSelector(cmd);
  if (flush) {
    const table = cmd.table ?? RouteTable.Main;
    const ifindex = dev === null ? undefined : linkByName(netns, dev)!.ifindex;
    const n = ctx.sim.control((tx) => {
      const gone = fibRemoveWhere(
        tx.fib(tx.ns(ctx.ns)!),
        (r) => (table === 'all' || r.table === table) && (ifindex === undefined || r.dev === ifindex) && (keep === undefined || keep(r)),
      );
      fnheRelease(tx.ns(ctx.ns)!);
      return gone;
    });
    // iproute_flush under -s: one round deletes them all, the next dump finds none.
    if (cmd.opts.stats) {
      ctx.out.out(n === 0 ? 'Nothing to flush.\n' : `\n*** Round 1, deleting ${n} entries ***\n*** Flush is complete after 1 round ***\n`);
    }
    return;
  }
  ctx.out.out(
    formatIpRoute(ctx.view, ctx.ns, {
      ...(cmd.table !== null ? { table: cmd.table } : {}),
      ...(dev !== null ? { dev } : {}),
      json: cmd.opts.json,
      ...(cmd.opts.details ? { details: true } : {}),
      ...(cmd.opts.color === true ? { color: true } : {}),
      ...(keep !== undefined ? { filter: keep } : {}),
      omit: {
        proto: cmd.proto !== null,
        scope: cmd.scope !== undefined && cmd.scope !== null,
        gateway: cmd.via?.len === 32,
        prefsrc: cmd.src?.len === 32,
      },
    }),
  );
}

/** routeChange is `ip route add|replace|del`: iproute2's defaults, the kernel's checks, then the FIB change. */
function routeChange(ctx: ToolContext, cmd: Extract<Command, { kind: 'route-change' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const dev = cmd.route.dev === null ? null : realName(netns, cmd.route.dev);
  if (dev === null && cmd.route.dev !== null) {
    report(ctx, 'RTNETLINK answers: No such device');
    return;
  }
  if (dev !== null) fillLinkNetnsids(ctx, ctx.ns, dev);
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
    const res = ctx.sim.control((tx) => {
      const deleted = fibDelete(tx.fib(tx.ns(ctx.ns)!), {
        // iproute_modify: `local` routes default to the local table, the rest to main.
        table: r.table ?? (r.type === 'local' ? RouteTable.Local : RouteTable.Main),
        dst: r.dst,
        ...(r.type !== 'unicast' ? { type: r.type } : {}),
        ...(dev !== undefined ? { dev } : {}),
        ...(r.via !== null ? { gateway: r.via } : {}),
        ...(r.proto !== null ? { proto: r.proto } : {}),
        ...(r.metric !== null ? { metric: r.metric } : {}),
        ...(r.scope !== null ? { scope: r.scope } : {}),
        ...(r.src !== null ? { prefsrc: r.src } : {}),
      });
      // fib_table_delete → fib_release_info: the freed nexthop takes its exceptions along.
      fnheRelease(tx.ns(ctx.ns)!);
      return deleted;
    });
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
      ...(r.table !== undefined ? { table: r.table } : {}),
      ...(r.mtu !== undefined ? { mtu: r.mtu, mtuLock: r.mtuLock === true } : {}),
      onlink: r.onlink,
    },
    netns,
  );
  if (!checked.ok) {
    // inet_rtm_newroute made the table (fib_new_table) before fib_create_info refused the route.
    const table = r.table ?? (r.type === 'local' ? RouteTable.Local : RouteTable.Main);
    if (checked.errno !== undefined) ctx.sim.control((tx) => tx.fib(tx.ns(ctx.ns)!).createTable(table));
    report(ctx, checked.error);
    return;
  }
  const mode = cmd.action;
  const res = ctx.sim.control((tx) => {
    const e = fibInsert(tx.fib(tx.ns(ctx.ns)!), checked.route, mode);
    // A replaced route's fib_info is released (fib_release_info) with its nexthop's exceptions.
    if (e === null && (mode === 'replace' || mode === 'change')) fnheRelease(tx.ns(ctx.ns)!);
    return e;
  });
  if (res !== null) report(ctx, rtnlErrorLine(res.errno, res.msg));
}

/**
 * ipaddrBroadcast is ipaddr_modify's `brd +` (every host bit of the peer, or of the local address, set) and
 * `brd -` (none set): only below a /31; at /31 and /32 no IFA_BROADCAST is sent.
 */
function ipaddrBroadcast(brd: Ipv4 | '+' | '-' | null, peer: Cidr): Ipv4 | null {
  if (brd !== '+' && brd !== '-') return brd;
  if (peer.len > 30) return null;
  const mask = maskOf(peer.len);
  return brd === '+' ? (peer.addr | ~mask) >>> 0 : (peer.addr & mask) >>> 0;
}

/** defaultScope is iproute2's default_scope for `ip addr add` without `scope`: host for 127.0.0.0/8. */
function defaultScope(addr: Ipv4): number {
  return addr >>> 24 === 127 ? 254 : 0;
}

/** NUD_VALID_STATES are the states whose entries hold a usable link-layer address (NUD_VALID). */
const NUD_VALID_STATES: ReadonlySet<string> = new Set([
  NudState.Permanent,
  NudState.Noarp,
  NudState.Reachable,
  NudState.Probe,
  NudState.Stale,
  NudState.Delay,
]);

/** neighChange is `ip neigh add|replace|change|del [proxy]`. */
function neighChange(ctx: ToolContext, cmd: Extract<Command, { kind: 'neigh-change' }>): void {
  const netns = ctx.sim.world.namespaces.get(ctx.ns)!;
  const dev = realName(netns, cmd.dev);
  if (dev === null) {
    report(ctx, 'RTNETLINK answers: No such device');
    return;
  }
  fillLinkNetnsids(ctx, ctx.ns, dev);
  const l = linkByName(netns, dev);
  if (l === undefined) {
    ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 1);
    return;
  }
  const key = l.ifindex * 4294967296 + cmd.addr;
  if (cmd.proxy === true) {
    pneighChange(ctx, cmd.action, key, cmd.addr, l.ifindex);
    return;
  }
  const existing = netns.neigh.get(key);
  // `change` is NLM_F_REPLACE without NLM_F_CREATE: neigh_add refuses to make an entry.
  if (cmd.action === 'change' && existing === undefined) {
    ctx.out.errLine('RTNETLINK answers: No such file or directory', 2);
    return;
  }
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
  // __neigh_update: every state labs set is NUD_VALID and needs an address; without one a valid entry keeps its own.
  const known = existing !== undefined && existing.state !== 'NONE' && NUD_VALID_STATES.has(existing.state) ? existing.lladdr : undefined;
  const lladdr = cmd.lladdr ?? known;
  if (lladdr === undefined) {
    // neigh_add made the entry (NUD_NONE) before __neigh_update refused it; it stays, as `nud all` shows.
    if (existing === undefined)
      ctx.sim.control((tx) => {
        const n = confirmedNeigh(cmd.addr, l.ifindex, undefined, NudState.Permanent, tx.now);
        tx.ns(ctx.ns)!.neigh.set(key, { ...n, state: 'NONE', confirmed: 0 });
      });
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
    tx.ns(ctx.ns)!.neigh.set(key, confirmedNeigh(cmd.addr, l.ifindex, lladdr, state, tx.now));
  });
}

/**
 * fillLinkNetnsids is what a link dump does to the namespace ids (rtnl_fill_link_netnsid calls
 * peernet2id_alloc): each device whose other end lives in another namespace gives that namespace an
 * id here, in dump order, if it had none yet. iproute2's ll_name_to_index asks for a device the same
 * way (RTM_GETLINK) whenever a command names one with `dev NAME`, so those commands call it too.
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
