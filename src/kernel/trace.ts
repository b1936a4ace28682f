// The packet trace: typed events the data path emits while it runs, each paired by the engine with
// the world as that event left it, so renderers and the TUI step back and forth without touching
// forwarding logic. Snapshots come from a VersionLog: every namespace version a recorded step
// produced, found again by event index.

import type { Ipv4 } from '../model/addr.js';
import type { Netns, NudState, Route, WorldView } from '../model/world.js';

/** DropReason names why a packet was dropped, in the spirit of the kernel's skb drop reasons. */
export enum DropReason {
  LinkDown = 'link-down',
  NoCarrier = 'no-carrier',
  OtherHost = 'pkt-type-otherhost',
  BadHeader = 'bad-header',
  ForwardingDisabled = 'ip-forwarding-disabled',
  NoRoute = 'ip-no-route',
  Blackhole = 'route-blackhole',
  Unreachable = 'route-unreachable',
  Prohibit = 'route-prohibit',
  TtlExceeded = 'ip-ttl-exceeded',
  FragNeeded = 'pkt-too-big',
  NeighFailed = 'neigh-failed',
  NeighQueueFull = 'neigh-queue-full',
  RpFilter = 'ip-rpfilter',
  MartianSource = 'ip-martian-source',
  MartianDestination = 'ip-martian-destination',
  NoSocket = 'no-socket',
  BridgeSamePort = 'bridge-same-port',
  NotBridgeForwarding = 'bridge-port-not-forwarding',
  UnknownProtocol = 'unknown-l3-protocol',
  ArpIgnored = 'arp-ignored',
  VxlanNoFdb = 'vxlan-no-fdb',
  IpipNoEncap = 'ipip-encap-not-modelled',
  NamespaceGone = 'netns-gone',
}

/** TraceEvent is one step of a packet's life. `ns` is the namespace key, `dev` an ifname. */
export type TraceEvent =
  | { readonly kind: 'tx'; readonly ns: string; readonly dev: string; readonly frame: Uint8Array }
  | { readonly kind: 'rx'; readonly ns: string; readonly dev: string; readonly frame: Uint8Array }
  | {
      readonly kind: 'fib-lookup';
      readonly ns: string;
      readonly dst: Ipv4;
      readonly route: Route | null;
      readonly input: boolean;
    }
  | {
      readonly kind: 'neigh';
      readonly ns: string;
      readonly dev: string;
      readonly ip: Ipv4;
      readonly from: NudState | 'NONE';
      readonly to: NudState | 'NONE';
      readonly reason: string;
    }
  | { readonly kind: 'encap'; readonly ns: string; readonly dev: string; readonly outer: Uint8Array }
  | { readonly kind: 'decap'; readonly ns: string; readonly dev: string; readonly inner: Uint8Array }
  | { readonly kind: 'deliver'; readonly ns: string; readonly what: string }
  | { readonly kind: 'drop'; readonly ns: string; readonly dev?: string; readonly reason: DropReason; readonly detail?: string };

/** TraceStep is a trace event, when it happened, and the world as it left it. */
export interface TraceStep {
  /** at is the virtual time (µs). */
  readonly at: number;
  readonly event: TraceEvent;
  readonly view: WorldView;
}

/** VersionLog keeps the versions of namespaces (and of the namespace order) a recording produced. */
export class VersionLog {
  /** from[key] lists the event index each version is visible from, ascending; -1 is "before the first event". */
  private readonly from = new Map<string, number[]>();
  private readonly values = new Map<string, (Netns | undefined)[]>();
  private readonly orderFrom: number[] = [];
  private readonly orders: (readonly string[])[] = [];

  /** has says whether any version of a namespace was logged. */
  has(key: string): boolean {
    return this.from.has(key);
  }

  /** last returns the newest logged version of a namespace (undefined when absent or not logged). */
  last(key: string): Netns | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : v[v.length - 1];
  }

  /** push records that from event `index` on, namespace `key` is `value` (undefined: it does not exist). */
  push(key: string, index: number, value: Netns | undefined): void {
    let f = this.from.get(key);
    let v = this.values.get(key);
    if (f === undefined || v === undefined) {
      f = [];
      v = [];
      this.from.set(key, f);
      this.values.set(key, v);
    }
    if (f.length > 0 && f[f.length - 1] === index) {
      v[v.length - 1] = value;
      return;
    }
    f.push(index);
    v.push(value);
  }

  /** pushOrder records the namespace order from event `index` on. */
  pushOrder(index: number, order: readonly string[]): void {
    if (this.orderFrom.length > 0 && this.orderFrom[this.orderFrom.length - 1] === index) {
      this.orders[this.orders.length - 1] = order;
      return;
    }
    this.orderFrom.push(index);
    this.orders.push(order);
  }

  /** at returns the version of `key` at event `index`: a namespace, undefined when absent, or NOT_LOGGED. */
  at(key: string, index: number): Netns | undefined | typeof NOT_LOGGED {
    const f = this.from.get(key);
    if (f === undefined) return NOT_LOGGED;
    const i = lastAtOrBefore(f, index);
    return i < 0 ? NOT_LOGGED : this.values.get(key)![i];
  }

  /** orderAt returns the namespace order at event `index`. */
  orderAt(index: number): readonly string[] | undefined {
    const i = lastAtOrBefore(this.orderFrom, index);
    return i < 0 ? undefined : this.orders[i];
  }

  /** keys lists every namespace key ever logged. */
  keys(): IterableIterator<string> {
    return this.from.keys();
  }
}

/** NOT_LOGGED says a VersionLog holds no version of a namespace for an index. */
export const NOT_LOGGED: unique symbol = Symbol('not logged');

function lastAtOrBefore(sorted: readonly number[], index: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= index) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** SnapshotNamespaces is the namespace map of a snapshot: logged versions, the live world for the rest. */
class SnapshotNamespaces implements ReadonlyMap<string, Netns> {
  constructor(
    private readonly log: VersionLog,
    private readonly index: number,
    private readonly live: ReadonlyMap<string, Netns>,
    /** owner is held only so that the trace outlives its views. */
    readonly owner: object,
  ) {}

  get(key: string): Netns | undefined {
    const v = this.log.at(key, this.index);
    return v === NOT_LOGGED ? this.live.get(key) : v;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  *keys(): MapIterator<string> {
    const seen = new Set<string>();
    for (const k of this.live.keys()) {
      seen.add(k);
      if (this.get(k) !== undefined) yield k;
    }
    for (const k of this.log.keys()) if (!seen.has(k) && this.get(k) !== undefined) yield k;
  }

  *values(): MapIterator<Netns> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  *entries(): MapIterator<[string, Netns]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): MapIterator<[string, Netns]> {
    return this.entries();
  }

  forEach(fn: (value: Netns, key: string, map: ReadonlyMap<string, Netns>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/**
 * snapshotView is the world as event `index` of a recording left it. `owner` (the trace) is kept
 * alive by the view, so the simulator keeps the log's versions safe while any view exists.
 */
export function snapshotView(log: VersionLog, index: number, now: number, live: WorldView, owner: object): WorldView {
  return {
    now,
    namespaces: new SnapshotNamespaces(log, index, live.namespaces, owner),
    nsOrder: log.orderAt(index) ?? live.nsOrder,
  };
}
