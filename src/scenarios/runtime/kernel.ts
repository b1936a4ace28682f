// What the Calico control plane asks of a node's kernel, as the netlink requests calico-node, the CNI
// plugin and BIRD send (the same kernel functions `ip` calls): every request either succeeds or comes
// back with the error line iproute2 would print, which the caller reports.

import type { Cidr, Ipv4, Mac } from '../../model/addr.js';
import { type RouteType, RouteTable } from '../../model/world.js';
import type { Tx } from '../../kernel/driver.js';
import { fibCheckNewRoute, fibDelete, fibInsert, type FibInsertMode, rtnlErrorLine } from '../../kernel/fib.js';
import { fnheRelease } from '../../kernel/route.js';
import { addrAdd, type AddrFlags, createLink, fdbChange, linkByName, linkSet, type LinkSetOp, sysctlSet } from '../../kernel/netns.js';
import { confirmedNeigh, NudState, neighKey } from '../../model/world.js';

/** KernelRoute is a route as a control-plane daemon asks for it. */
export interface KernelRoute {
  readonly type?: RouteType;
  readonly dst: Cidr;
  readonly gateway?: Ipv4;
  readonly dev?: string;
  readonly proto?: number;
  readonly scope?: number;
  readonly src?: Ipv4;
  readonly metric?: number;
  readonly onlink?: boolean;
}

/** routeAdd adds (or replaces) a route in namespace `ns`; it returns the error line, or null. */
export function routeAdd(tx: Tx, ns: string, r: KernelRoute, mode: FibInsertMode = 'replace'): string | null {
  const netns = tx.ns(ns);
  if (netns === undefined) return `Cannot open network namespace "${ns}": No such file or directory`;
  const checked = fibCheckNewRoute(
    {
      dst: r.dst,
      ...(r.type !== undefined ? { type: r.type } : {}),
      ...(r.gateway !== undefined ? { gateway: r.gateway } : {}),
      ...(r.dev !== undefined ? { dev: r.dev } : {}),
      ...(r.proto !== undefined ? { proto: r.proto } : {}),
      ...(r.scope !== undefined ? { scope: r.scope } : {}),
      ...(r.src !== undefined ? { prefsrc: r.src } : {}),
      ...(r.metric !== undefined ? { metric: r.metric } : {}),
      onlink: r.onlink ?? false,
    },
    netns,
  );
  if (!checked.ok) return checked.error;
  const e = fibInsert(tx.fib(netns), checked.route, mode);
  return e === null ? null : rtnlErrorLine(e.errno, e.msg);
}

/** routeDel deletes the main-table route of a prefix whose protocol is `proto` (any when 0). */
export function routeDel(tx: Tx, ns: string, dst: Cidr, proto = 0): string | null {
  const netns = tx.ns(ns);
  if (netns === undefined) return null;
  const res = fibDelete(tx.fib(netns), { table: RouteTable.Main, dst, ...(proto !== 0 ? { proto } : {}) });
  if (!('ok' in res)) fnheRelease(netns);
  return 'ok' in res ? rtnlErrorLine(res.errno, res.msg) : null;
}

/** sysctl writes one key in namespace `ns`. */
export function sysctl(tx: Tx, ns: string, key: string, value: string): string | null {
  return tx.ns(ns) === undefined ? null : sysctlSet(tx, ns, key, value);
}

/** linkOps applies `ip link set DEV …` in namespace `ns`. */
export function linkOps(tx: Tx, ns: string, dev: string, ops: readonly LinkSetOp[]): string | null {
  return linkSet(tx, ns, dev, ops);
}

/** address adds `local/len` to a device; `brd` puts the subnet's broadcast address on it (`brd +`). */
export function address(tx: Tx, ns: string, dev: string, local: Ipv4, len: number, brd: boolean, flags: AddrFlags = {}): string | null {
  return addrAdd(tx, ns, dev, local, len, brd ? '+' : null, null, flags);
}

/** vxlanDeviceAdd makes a VXLAN device (`ip link add NAME type vxlan id … dstport … local … dev … nolearning`). */
export function vxlanDeviceAdd(
  tx: Tx,
  ns: string,
  name: string,
  o: { vni: number; port: number; local: Ipv4; dev: string; learning: boolean; txqueuelen?: number },
): string | null {
  return createLink(
    tx,
    ns,
    'vxlan',
    name,
    { vni: o.vni, dstport: o.port, local: o.local, dev: o.dev, learning: o.learning },
    o.txqueuelen !== undefined ? { txqueuelen: o.txqueuelen } : {},
  );
}

/** neighPermanent adds or replaces `IP lladdr MAC dev DEV nud permanent`. */
export function neighPermanent(tx: Tx, ns: string, ip: Ipv4, mac: Mac, dev: string): string | null {
  const netns = tx.ns(ns);
  const l = netns === undefined ? undefined : linkByName(netns, dev);
  if (netns === undefined || l === undefined) return `Cannot find device "${dev}"`;
  netns.neigh.set(neighKey(l.ifindex, ip), confirmedNeigh(ip, l.ifindex, mac, NudState.Permanent, tx.now));
  return null;
}

/** fdbPermanent adds `MAC dev DEV dst IP self permanent` (when not there yet). */
export function fdbPermanent(tx: Tx, ns: string, mac: Mac, dev: string, dst: Ipv4): string | null {
  const e = fdbChange(tx, ns, 'add', mac, dev, dst);
  return e === 'RTNETLINK answers: File exists' ? null : e;
}
