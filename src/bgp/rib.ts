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
  /** kernel is the route the kernel protocol has installed for the prefix (the speaker keeps it), and kernelSeq when it first did. */
  kernel: RibRoute | null;
  kernelSeq: number;
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
  /** net is the prefix's entry (no longer in the table when its last route went). */
  readonly net: RibNet;
}

/** prefixKey is a printable key of a prefix (for messages; the table itself keys prefixes by number). */
export function prefixKey(p: Cidr): string {
  return `${p.addr >>> 0}/${p.len}`;
}

/**
 * PrefixMap maps prefixes to values without building string keys: one Map per prefix length, keyed by
 * the network's leading `len` bits (small integers for the lengths routes have).
 */
export class PrefixMap<V> {
  private readonly byLen: (Map<number, V> | undefined)[] = new Array<Map<number, V> | undefined>(33).fill(undefined);
  /** counts holds how many prefixes of each length there are (lookups probe only those present). */
  private readonly counts = new Int32Array(33);
  private n = 0;

  get size(): number {
    return this.n;
  }

  get(p: Cidr): V | undefined {
    return this.byLen[p.len]?.get(bitsOf(p.addr, p.len));
  }

  getAt(addr: number, len: number): V | undefined {
    return this.byLen[len]?.get(bitsOf(addr, len));
  }

  set(p: Cidr, v: V): void {
    let m = this.byLen[p.len];
    if (!m) this.byLen[p.len] = m = new Map();
    const k = bitsOf(p.addr, p.len);
    const before = m.size;
    m.set(k, v);
    if (m.size !== before) {
      this.counts[p.len]++;
      this.n++;
    }
  }

  delete(p: Cidr): boolean {
    const m = this.byLen[p.len];
    if (!m?.delete(bitsOf(p.addr, p.len))) return false;
    this.counts[p.len]--;
    this.n--;
    return true;
  }

  /** longest is the value of the longest prefix covering `addr` that `accept` takes. */
  longest(addr: number, accept: (v: V) => boolean): V | undefined {
    for (let len = 32; len >= 0; len--) {
      if (this.counts[len] === 0) continue;
      const v = this.byLen[len]!.get(bitsOf(addr, len));
      if (v !== undefined && accept(v)) return v;
    }
    return undefined;
  }

  *values(): IterableIterator<V> {
    for (const m of this.byLen) if (m) yield* m.values();
  }

  clear(): void {
    this.byLen.fill(undefined);
    this.counts.fill(0);
    this.n = 0;
  }
}

/** PREFIXES holds one object per prefix for the tables of every speaker (prefixes are immutable values). */
const PREFIXES = new PrefixMap<Cidr>();

/** sharedPrefix returns the process's one object for a prefix with the same address and length. */
export function sharedPrefix(p: Cidr): Cidr {
  let v = PREFIXES.get(p);
  if (v === undefined || v.addr !== p.addr) {
    if (PREFIXES.size >= 1 << 20) PREFIXES.clear();
    v = Object.freeze({ addr: p.addr, len: p.len });
    PREFIXES.set(p, v);
  }
  return v;
}

/** bitsOf is the key of a prefix in its length's map: the address's leading `len` bits. */
function bitsOf(addr: number, len: number): number {
  return len === 0 ? 0 : addr >>> (32 - len);
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
    (a.attrs === b.attrs || attrsKey(a.attrs) === attrsKey(b.attrs))
  );
}

/** RANK_BITS is how many insertion ranks per hash value a bitmask holds; more go to a list. */
const RANK_BITS = 30;

const NO_ROUTES: readonly RibRoute[] = [];

/** RoutingTable is a speaker's `master` table. */
export class RoutingTable {
  private readonly nets = new PrefixMap<RibNet>();
  /** ranks holds, per hash value, the insertion ranks in use (fib_get takes the first free one) as a bitmask; rankOverflow those past RANK_BITS. */
  private readonly ranks = new Map<number, number>();
  private readonly rankOverflow = new Map<number, number[]>();
  /** counts holds, per protocol, how many routes it has and how many of them are the best of their prefix. */
  private readonly counts = new Map<string, { routes: number; preferred: number }>();
  /** sorted caches allNets until a prefix comes or goes. */
  private sorted: RibNet[] | null = null;
  private routes = 0;

  /** net returns the prefix's entry, if any route exists for it. */
  net(prefix: Cidr): RibNet | undefined {
    return this.nets.get(prefix);
  }

  /** best returns the Loc-RIB route of a prefix. */
  best(prefix: Cidr): RibRoute | undefined {
    return this.nets.get(prefix)?.routes[0];
  }

  /** size is the number of prefixes. */
  get size(): number {
    return this.nets.size;
  }

  /** routeCount is the number of routes, over all prefixes. */
  get routeCount(): number {
    return this.routes;
  }

  /** allNets lists every prefix in the order BIRD 1.6 walks its FIB (`show route`, the initial feed). */
  allNets(): RibNet[] {
    if (this.sorted === null) this.sorted = [...this.nets.values()].sort((a, b) => a.uid - b.uid);
    return this.sorted.slice();
  }

  private allocUid(addr: number): number {
    const h = ip4Hash(addr);
    const mask = this.ranks.get(h) ?? 0;
    let rank = 0;
    while (rank < RANK_BITS && (mask & (1 << rank)) !== 0) rank++;
    if (rank < RANK_BITS) {
      this.ranks.set(h, mask | (1 << rank));
      return h * 0x10000 + rank;
    }
    let used = this.rankOverflow.get(h);
    if (!used) {
      used = [];
      this.rankOverflow.set(h, used);
    }
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
    const rank = uid % 0x10000;
    if (rank < RANK_BITS) {
      const mask = (this.ranks.get(h) ?? 0) & ~(1 << rank);
      if (mask === 0) this.ranks.delete(h);
      else this.ranks.set(h, mask);
      return;
    }
    const used = this.rankOverflow.get(h);
    if (!used) return;
    const i = used.indexOf(rank);
    if (i >= 0) used.splice(i, 1);
    if (used.length === 0) this.rankOverflow.delete(h);
  }

  /** routesOf lists the routes a protocol has in the table (its Adj-RIB-In after import): a walk of the table, as BIRD's. */
  routesOf(protocol: string): RibRoute[] {
    const out: RibRoute[] = [];
    if (!this.counts.has(protocol)) return out;
    for (const net of this.nets.values()) for (const r of net.routes) if (r.protocol === protocol) out.push(r);
    return out.sort((a, b) => a.prefix.addr - b.prefix.addr || a.prefix.len - b.prefix.len || a.pathId - b.pathId);
  }

  /** countOf is how many routes a protocol has in the table, and how many of them are the best of their prefix. */
  countOf(protocol: string): { routes: number; preferred: number } {
    const c = this.counts.get(protocol);
    return { routes: c?.routes ?? 0, preferred: c?.preferred ?? 0 };
  }

  private count(protocol: string, routes: number, preferred: number): void {
    let c = this.counts.get(protocol);
    if (!c) {
      c = { routes: 0, preferred: 0 };
      this.counts.set(protocol, c);
    }
    c.routes += routes;
    c.preferred += preferred;
    if (c.routes === 0 && c.preferred === 0) this.counts.delete(protocol);
  }

  /**
   * update is rte_update for one source: `route` replaces that source's route for the prefix (null
   * withdraws it). It returns what changed, or null when nothing did (same route, or a withdraw of
   * nothing); a same route only loses its stale mark.
   */
  update(prefix: Cidr, protocol: string, pathId: number, route: RibRoute | null): RibChange | null {
    let net = this.nets.get(prefix);
    const oldBest = net?.routes[0] ?? null;
    let old: RibRoute | null = null;
    // rest is the prefix's routes without the source's old one (the list is remade at its exact size).
    let rest: readonly RibRoute[] = net?.routes ?? NO_ROUTES;
    if (net) {
      const list = net.routes;
      let i = 0;
      while (i < list.length && (list[i].protocol !== protocol || list[i].pathId !== pathId)) i++;
      if (i < list.length) {
        old = list[i];
        if (route && sameRoute(old, route)) {
          if (old.stale) {
            const copy = list.slice();
            copy[i] = { ...old, stale: false };
            net.routes = copy;
          }
          return null;
        }
        rest = list.length === 1 ? NO_ROUTES : i === 0 ? list.slice(1) : list.slice(0, i).concat(list.slice(i + 1));
      }
    }
    if (!old && !route) return null;
    if (!net) {
      net = { prefix, uid: this.allocUid(prefix.addr), routes: [], reason: 'Only Path', kernel: null, kernelSeq: 0 };
      this.nets.set(prefix, net);
      this.sorted = null;
    }
    let routes: RibRoute[];
    if (route && (oldBest === null || rteBetter(route, oldBest).better)) {
      // The first case: the new route is clearly optimal.
      routes = rest.length === 0 ? [route] : [route].concat(rest);
    } else if (old !== null && old === oldBest) {
      // The old best went: add the new one at the front, then elect the best and move it first.
      routes = route ? (rest.length === 0 ? [route] : [route].concat(rest)) : rest.slice();
      let bi = 0;
      for (let i = 1; i < routes.length; i++) if (rteBetter(routes[i], routes[bi]).better) bi = i;
      const b = routes[bi];
      for (let j = bi; j > 0; j--) routes[j] = routes[j - 1];
      if (bi > 0) routes[0] = b;
    } else if (route) {
      // The new route is not better than the best, which stays: link it right after.
      routes = rest.length === 1 ? [rest[0], route] : [rest[0], route].concat(rest.slice(1));
    } else routes = rest.slice();
    net.routes = routes;
    if (routes.length === 0) {
      this.nets.delete(prefix);
      this.freeUid(net.uid);
      this.sorted = null;
    } else net.reason = this.reasonOf(routes);
    const newBest = routes[0] ?? null;
    if (!old || !route) {
      this.routes += route ? 1 : -1;
      this.count(protocol, route ? 1 : -1, 0);
    }
    if (newBest !== oldBest) {
      if (oldBest) this.count(oldBest.protocol, 0, -1);
      if (newBest) this.count(newBest.protocol, 0, 1);
    }
    return { prefix: net.prefix, old, new: route, oldBest, newBest, net };
  }

  /** reasonOf names why the head beat the runner-up. */
  private reasonOf(routes: readonly RibRoute[]): BestPathReason {
    if (routes.length === 1) return 'Only Path';
    let ru = routes[1];
    for (let i = 2; i < routes.length; i++) if (rteBetter(routes[i], ru).better) ru = routes[i];
    return rteBetter(routes[0], ru).reason;
  }

  /** markStale is rt_refresh_begin: every route of the protocol becomes stale. */
  markStale(protocol: string): void {
    if (!this.counts.has(protocol)) return;
    for (const net of this.nets.values())
      if (net.routes.some((r) => r.protocol === protocol))
        net.routes = net.routes.map((r) => (r.protocol === protocol ? { ...r, stale: true } : r));
  }

  /** staleRoutes lists the protocol's routes still stale (rt_refresh_end removes them). */
  staleRoutes(protocol: string): RibRoute[] {
    return this.routesOf(protocol).filter((r) => r.stale);
  }

  /** lookup is net_route: the longest prefix covering `addr` that has a route. */
  lookup(addr: Ipv4): RibNet | undefined {
    return this.nets.longest(addr, (n) => n.routes.length > 0);
  }
}

/** describeRoute prints a route for traces and test messages. */
export function describeRoute(r: RibRoute): string {
  return `${formatCidr(r.prefix)} [${r.protocol}#${r.pathId}] pref ${r.pref}${r.stale ? ' stale' : ''}`;
}
