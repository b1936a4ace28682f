// The routing table of one speaker as BIRD keeps it (projectcalico/bird nest/rt-table.c rte_recalculate,
// rt_refresh_begin/end): per prefix a list of routes, one per source (protocol, path id), the best first.
// A route from a BGP protocol is that peer's Adj-RIB-In entry after the import filter; the list head is
// the Loc-RIB entry. Updates touch one prefix: the cost does not grow with the table. Each prefix also
// keeps the reason its best route won (decision.ts).

import { formatCidr, type Cidr, type Ipv4 } from '../model/addr.js';
import { attrsKey, type RouteAttrs } from './attrs.js';
import { rteBetter, type BestPathReason, type Candidate } from './decision.js';

/** RouteDest is where a route sends packets (BIRD's RTD_*). */
export type RouteDest = 'router' | 'device' | 'blackhole' | 'unreachable' | 'prohibit';

/** RibRoute is one route of the table (BIRD's rte with its rta). */
export interface RibRoute extends Candidate {
  readonly prefix: Cidr;
  /** protocol is the name of the protocol that made the route (`static1`, `Mesh_10_23_14_111`). */
  readonly protocol: string;
  /** pathId is the ADD-PATH path id the peer sent (0 without ADD-PATH or for local routes). */
  readonly pathId: number;
  /** srcId is BIRD's global route source id, the path id this route carries towards ADD-PATH peers. */
  readonly srcId: number;
  readonly dest: RouteDest;
  /** gateway and iface are the resolved next hop of a `router` route (`via G on IF`). */
  readonly gateway?: Ipv4;
  readonly iface?: string;
  /** from is the address of the peer the route was learnt from (`from X` when it differs from the gateway). */
  readonly from?: Ipv4;
  /** attrs are the BGP attributes (none for a static route). */
  readonly attrs: RouteAttrs;
  /** hostentry says the next hop was resolved recursively (`/metric` in `show route`). */
  readonly hostentry: boolean;
  /** lastmod is the virtual time of the last change, shown by `show route`. */
  readonly lastmod: number;
  /** stale marks a route kept over a graceful restart until the peer refreshes it (REF_STALE). */
  readonly stale: boolean;
}

/** RibNet is one prefix of the table: its routes, best first, and why the best won. */
export interface RibNet {
  readonly prefix: Cidr;
  /** uid orders the table as BIRD 1.6's FIB walks it: (ip4_hash(address) << 16) + insertion rank. */
  readonly uid: number;
  routes: RibRoute[];
  reason: BestPathReason;
}

/** ip4Hash is BIRD's ip4_hash (lib/ip.h): a 16-bit hash of the address, the FIB's order. */
export function ip4Hash(a: number): number {
  let x = a >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = (x ^ (x << 10)) >>> 0;
  return x & 0xffff;
}

/** RibChange is what one update did to a prefix, for export to other protocols. */
export interface RibChange {
  readonly prefix: Cidr;
  /** old and new are the route of the updated source before and after (null = none). */
  readonly old: RibRoute | null;
  readonly new: RibRoute | null;
  /** oldBest and newBest are the list heads before and after. */
  readonly oldBest: RibRoute | null;
  readonly newBest: RibRoute | null;
}

/** prefixKey is the map key of a prefix. */
export function prefixKey(p: Cidr): string {
  return `${p.addr >>> 0}/${p.len}`;
}

function sourceKey(protocol: string, pathId: number): string {
  return `${protocol}#${pathId}`;
}

/** sameRoute is rte_same: same source, attributes and destination. */
function sameRoute(a: RibRoute, b: RibRoute): boolean {
  return (
    a.dest === b.dest &&
    a.gateway === b.gateway &&
    a.iface === b.iface &&
    a.pref === b.pref &&
    a.from === b.from &&
    (a.bgp?.resolvable ?? true) === (b.bgp?.resolvable ?? true) &&
    (a.bgp?.igpMetric ?? 0) === (b.bgp?.igpMetric ?? 0) &&
    attrsKey(a.attrs) === attrsKey(b.attrs)
  );
}

/** RoutingTable is a speaker's `master` table. */
export class RoutingTable {
  private readonly nets = new Map<string, RibNet>();
  /** ranks holds, per hash value, the insertion ranks in use (fib_get takes the first free one). */
  private readonly ranks = new Map<number, number[]>();
  /** byProtocol indexes the prefixes each protocol has routes for, by source key. */
  private readonly byProtocol = new Map<string, Map<string, Cidr>>();

  /** net returns the prefix's entry, if any route exists for it. */
  net(prefix: Cidr): RibNet | undefined {
    return this.nets.get(prefixKey(prefix));
  }

  /** best returns the Loc-RIB route of a prefix. */
  best(prefix: Cidr): RibRoute | undefined {
    return this.nets.get(prefixKey(prefix))?.routes[0];
  }

  /** size is the number of prefixes. */
  get size(): number {
    return this.nets.size;
  }

  /** allNets lists every prefix in the order BIRD 1.6 walks its FIB (`show route`, the initial feed). */
  allNets(): RibNet[] {
    return [...this.nets.values()].sort((a, b) => a.uid - b.uid);
  }

  private allocUid(addr: number): number {
    const h = ip4Hash(addr);
    let used = this.ranks.get(h);
    if (!used) this.ranks.set(h, (used = []));
    let rank = 0;
    let i = 0;
    while (i < used.length && used[i] === rank) {
      rank++;
      i++;
    }
    used.splice(i, 0, rank);
    return h * 0x10000 + rank;
  }

  private freeUid(uid: number): void {
    const h = Math.floor(uid / 0x10000);
    const used = this.ranks.get(h);
    if (!used) return;
    const i = used.indexOf(uid % 0x10000);
    if (i >= 0) used.splice(i, 1);
    if (used.length === 0) this.ranks.delete(h);
  }

  /** routesOf lists the routes a protocol has in the table (its Adj-RIB-In after import). */
  routesOf(protocol: string): RibRoute[] {
    const idx = this.byProtocol.get(protocol);
    if (!idx) return [];
    const out: RibRoute[] = [];
    for (const [sk, prefix] of idx) {
      const r = this.nets.get(prefixKey(prefix))?.routes.find((x) => sourceKey(x.protocol, x.pathId) === sk.slice(sk.indexOf('@') + 1));
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.prefix.addr - b.prefix.addr || a.prefix.len - b.prefix.len || a.pathId - b.pathId);
  }

  /**
   * update is rte_update for one source: `route` replaces that source's route for the prefix (null
   * withdraws it). It returns what changed, or null when nothing did (same route, or a withdraw of
   * nothing); a same route only loses its stale mark.
   */
  update(prefix: Cidr, protocol: string, pathId: number, route: RibRoute | null): RibChange | null {
    const key = prefixKey(prefix);
    let net = this.nets.get(key);
    const sk = sourceKey(protocol, pathId);
    const oldBest = net?.routes[0] ?? null;
    let old: RibRoute | null = null;
    if (net) {
      const i = net.routes.findIndex((r) => r.protocol === protocol && r.pathId === pathId);
      if (i >= 0) {
        old = net.routes[i];
        if (route && sameRoute(old, route)) {
          if (old.stale) net.routes[i] = { ...old, stale: false };
          return null;
        }
        net.routes.splice(i, 1);
      }
    }
    if (!old && !route) return null;
    if (!net) {
      net = { prefix: { addr: prefix.addr, len: prefix.len }, uid: this.allocUid(prefix.addr), routes: [], reason: 'Only Path' };
      this.nets.set(key, net);
    }
    const routes = net.routes;
    if (route && (oldBest === null || rteBetter(route, oldBest).better)) {
      // The first case: the new route is clearly optimal.
      routes.unshift(route);
    } else if (old !== null && old === oldBest) {
      // The old best went: add the new one at the front, then elect the best and move it first.
      if (route) routes.unshift(route);
      if (routes.length > 0) {
        let bi = 0;
        for (let i = 1; i < routes.length; i++) if (rteBetter(routes[i], routes[bi]).better) bi = i;
        const [b] = routes.splice(bi, 1);
        routes.unshift(b);
      }
    } else if (route) {
      // The new route is not better than the best, which stays: link it right after.
      routes.splice(1, 0, route);
    }
    if (routes.length === 0) {
      this.nets.delete(key);
      this.freeUid(net.uid);
    }
    else net.reason = this.reasonOf(routes);
    let idx = this.byProtocol.get(protocol);
    if (route) {
      if (!idx) this.byProtocol.set(protocol, (idx = new Map()));
      idx.set(`${key}@${sk}`, net.prefix);
    } else if (idx) {
      idx.delete(`${key}@${sk}`);
      if (idx.size === 0) this.byProtocol.delete(protocol);
    }
    return { prefix: net.prefix, old, new: route, oldBest, newBest: routes[0] ?? null };
  }

  /** reasonOf names why the head beat the runner-up. */
  private reasonOf(routes: RibRoute[]): BestPathReason {
    if (routes.length === 1) return 'Only Path';
    let ru = routes[1];
    for (let i = 2; i < routes.length; i++) if (rteBetter(routes[i], ru).better) ru = routes[i];
    return rteBetter(routes[0], ru).reason;
  }

  /** markStale is rt_refresh_begin: every route of the protocol becomes stale. */
  markStale(protocol: string): void {
    const idx = this.byProtocol.get(protocol);
    if (!idx) return;
    for (const [k, prefix] of idx) {
      const net = this.nets.get(prefixKey(prefix));
      if (!net) continue;
      const sk = k.slice(k.indexOf('@') + 1);
      net.routes = net.routes.map((r) => (sourceKey(r.protocol, r.pathId) === sk ? { ...r, stale: true } : r));
    }
  }

  /** staleRoutes lists the protocol's routes still stale (rt_refresh_end removes them). */
  staleRoutes(protocol: string): RibRoute[] {
    return this.routesOf(protocol).filter((r) => r.stale);
  }

  /** lookup is net_route: the longest prefix covering `addr` that has a route. */
  lookup(addr: Ipv4): RibNet | undefined {
    for (let len = 32; len >= 0; len--) {
      const net = len === 0 ? 0 : (addr & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
      const n = this.nets.get(`${net}/${len}`);
      if (n && n.routes.length > 0) return n;
    }
    return undefined;
  }
}

/** describeRoute prints a route for traces and test messages. */
export function describeRoute(r: RibRoute): string {
  return `${formatCidr(r.prefix)} [${r.protocol}#${r.pathId}] pref ${r.pref}${r.stale ? ' stale' : ''}`;
}
