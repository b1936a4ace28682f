// A BGP speaker as one BIRD 1.6 daemon runs it (projectcalico/bird nest/rt-table.c, nest/proto.c,
// nest/rt-attr.c, proto/bgp/*.c, sysdep/unix/krt.c): its protocols (the BGP sessions and the local
// static/kernel/direct routes), the `master` table, route exchange between them (rte_announce with
// RA_OPTIMAL, or RA_ANY towards ADD-PATH peers), recursive next hops (hostentries), the export to the
// kernel, graceful restart recovery (`bird -R`), and the queries `birdc` answers.
//
// The speaker is deterministic: every input carries the virtual time (seconds); it returns the actions
// for the transport (connect, accept, send, close), the timers it armed, and the FIB changes. Timers
// are kept inside; advance(now) fires those due. Work per input follows what it touches: a received
// UPDATE costs its prefixes times the peers they go to, never a walk of the table.
//
// At route-reflector scale (5,000 peers) the per-peer part of a change is array stores: a route's export
// is computed once per kind of peer (targetSig) into an AttrBlock that encodes it once; a queued or
// exported (prefix, path id) is a slot number whose state per session lives in arrays and bitsets
// (export.ts). Received attribute lists, BgpSourceInfo and the `bgp` part of routes are shared values
// across the speakers of a process (update.ts, sharedBgp), and prefixes are one object each (sharedPrefix).

import { formatCidr, formatIpv4, type Cidr, type Ipv4 } from '../model/addr.js';
import { bgpErrorText, encodeBgp, type BgpNlri, type BgpPathAttribute, type BgpRepr } from '../model/wire/bgp.js';
import { attrsKey, findAttr, type RouteAttrs } from './attrs.js';
import { effectiveClusterId, effectiveGateway, effectiveMultihop, isInternal, type BgpProtocolConfig } from './config.js';
import type { BgpSourceInfo, Candidate } from './decision.js';
import { AttrBlock, ExportedSlots, SlotTable, TxQueues } from './export.js';
import {
  bgpStateName,
  bgpStep,
  lastErrorText,
  newSession,
  statusInfo,
  type BgpAction,
  type BgpEvent,
  type BgpEventBody,
  type BgpSession,
  type BgpTimer,
  type ConnId,
} from './fsm.js';
import { neighborCapsText } from './open.js';
import { checkBucket, importControl, type ExportSource, type PeerView } from './reflect.js';
import { RoutingTable, sharedPrefix, type RibChange, type RibNet, type RibRoute, type RouteDest } from './rib.js';

/** FilterRoute is what an import or export filter sees of a route. */
export interface FilterRoute {
  readonly prefix: Cidr;
  /** attrs are the BGP attributes (after import control, on export). */
  readonly attrs: RouteAttrs;
  /** protocol is the protocol the route came from. */
  readonly protocol: string;
  readonly source: 'bgp' | 'static' | 'kernel' | 'direct';
  /** ifname is the route's interface (BIRD's `ifname`), when it has one. */
  readonly ifname?: string;
}

/** FilterResult is accept (possibly with changed attributes) or reject. */
export type FilterResult = { readonly accept: false } | { readonly accept: true; readonly attrs?: RouteAttrs };

/** RouteFilter is an import or export filter. */
export type RouteFilter = (route: FilterRoute) => FilterResult;

/** ACCEPT_ALL is `import all` / `export all`. */
export const ACCEPT_ALL: RouteFilter = () => ({ accept: true });
/** REJECT_ALL is `import none` / `export none`, BIRD's default export. */
export const REJECT_ALL: RouteFilter = () => ({ accept: false });

const ACCEPTED: FilterResult = { accept: true };

/** SpeakerProtocol is one BGP protocol of the speaker with its filters. */
export interface SpeakerProtocol {
  readonly config: BgpProtocolConfig;
  /** importFilter defaults to `import all`. */
  readonly importFilter?: RouteFilter;
  /** exportFilter defaults to BIRD's `export none`. */
  readonly exportFilter?: RouteFilter;
}

/** LocalProtocolKind is the type of a non-BGP protocol. */
export type LocalProtocolKind = 'static' | 'kernel' | 'direct' | 'device';

/** BgpSpeakerConfig is one BIRD daemon. */
export interface BgpSpeakerConfig {
  readonly routerId: Ipv4;
  readonly protocols: readonly SpeakerProtocol[];
  /**
   * localProtocols are the other protocols in configuration order (they take the first route source
   * ids); the default is Calico's bird.cfg: static1, kernel1, device1, direct1.
   */
  readonly localProtocols?: readonly { readonly name: string; readonly kind: LocalProtocolKind }[];
  /** gracefulRestartRecovery is `bird -R`, as Calico starts BIRD. */
  readonly gracefulRestartRecovery?: boolean;
  /** grWait is `graceful restart wait` (240 s). */
  readonly grWait?: number;
  /** localAddresses are the node's own addresses (a next hop there is invalid). */
  readonly localAddresses?: readonly Ipv4[];
  /** seed makes timers fire at BIRD's random point of their window; without it a timer takes its full value. */
  readonly seed?: number;
  /**
   * deferTx leaves queued UPDATEs in their export queues until flush(): BIRD sends from a tx event that
   * runs on the next pass of its main loop, after every socket that was readable has been read.
   */
  readonly deferTx?: boolean;
  /** feedBatch is how many prefixes rt_feed_baby feeds before the queue is sent (256). */
  readonly feedBatch?: number;
}

/** LocalRoute is a route of a local protocol: a Calico block (static blackhole), a kernel or device route. */
export interface LocalRoute {
  readonly protocol: string;
  readonly prefix: Cidr;
  readonly dest: RouteDest;
  readonly gateway?: Ipv4;
  readonly iface?: string;
}

/** FibRoute is a best route the kernel protocol installs (`proto bird`). */
export interface FibRoute {
  readonly prefix: Cidr;
  readonly dest: RouteDest;
  readonly gateway?: Ipv4;
  readonly iface?: string;
  readonly protocol: string;
  readonly source: 'bgp' | 'static';
  /** nextHop is the BGP NEXT_HOP (for Calico's krt_tunnel rule). */
  readonly nextHop?: Ipv4;
  /** peer is the neighbour the route was learnt from. */
  readonly peer?: Ipv4;
}

/** SpeakerOutput is one thing the speaker asks of the world, or reports. */
export type SpeakerOutput =
  | { type: 'connect'; protocol: string; local: Ipv4; remote: Ipv4; port: number; ttl: number; tos: number }
  | { type: 'accept'; protocol: string; ttl: number; tos: number }
  | { type: 'reject'; protocol: string | null }
  | { type: 'send'; protocol: string; conn: ConnId; bytes: Uint8Array; message: BgpRepr }
  | { type: 'close'; protocol: string; conn: ConnId }
  /** timer: armed to fire at `at`, or cancelled (`at` null). */
  | { type: 'timer'; protocol: string | null; timer: string; conn?: ConnId; at: number | null }
  /** fib: the kernel protocol adds or replaces (`route`) or deletes (null) the route of a prefix. */
  | { type: 'fib'; prefix: Cidr; route: FibRoute | null }
  /** transition: a protocol event and its reason (GoBGP style), with the state before and after. */
  | { type: 'transition'; protocol: string; event: string; reason: string; from: string; to: string }
  | { type: 'log'; message: string };

/** ProtocolStatus is one row of `birdc show protocols`. */
export interface ProtocolStatus {
  readonly name: string;
  readonly proto: 'BGP' | 'Static' | 'Kernel' | 'Direct' | 'Device';
  readonly table: 'master';
  /** state is proto_state_name: up, start, down, stop, wait, feed, flush. */
  readonly state: string;
  readonly since: number;
  /** info is bgp_get_status, e.g. `Established`, `Active        Socket: Connection refused`. */
  readonly info: string;
}

/** ProtocolDetails is what `show protocols all` prints for a BGP protocol. */
export interface ProtocolDetails {
  readonly description?: string;
  readonly preference: number;
  readonly routes: { readonly imported: number; readonly exported: number; readonly preferred: number };
  /** lines are the bgp_show_proto_info lines, from `  BGP state:` on, exactly as BIRD 1.6 prints them. */
  readonly lines: readonly string[];
}

/** ShowRoute is one route of `show route`, with the fields rt_show_rte and rta_show print. */
export interface ShowRoute {
  readonly route: RibRoute;
  readonly primary: boolean;
}

/** ShowNet is one prefix of `show route`. */
export interface ShowNet {
  readonly prefix: Cidr;
  readonly routes: readonly ShowRoute[];
  readonly reason: string;
}

/** CALICO_LOCAL_PROTOCOLS are the protocols Calico's bird.cfg declares before the BGP ones, in order. */
export const CALICO_LOCAL_PROTOCOLS: readonly { readonly name: string; readonly kind: LocalProtocolKind }[] = [
  { name: 'static1', kind: 'static' },
  { name: 'kernel1', kind: 'kernel' },
  { name: 'device1', kind: 'device' },
  { name: 'direct1', kind: 'direct' },
];

const PREF = { bgp: 100, static: 200, kernel: 10, direct: 240, device: 240 } as const;
const PROTOCOL_ORDER = { kernel: 1, static: 2, direct: 3, device: 3, bgp: 4 } as const;
const IGP_METRIC_UNKNOWN = 0x80000000;

/** SourceIds is BIRD's route source id bitmap (nest/rt-attr.c rte_src_alloc_id): the lowest free bit from a moving position. */
class SourceIds {
  private words: number[] = [1, 0, 0, 0];
  private pos = 0;
  private used = 1;
  /** byKey holds the sources by protocol, then path id. */
  private readonly byKey = new Map<string, Map<number, { id: number; uc: number }>>();

  /** last* is the source asked for last: a route asks for its own several times (get, then lock). */
  private lastProtocol: string | null = null;
  private lastPathId = 0;
  private lastSource: { id: number; uc: number } | null = null;

  private source(protocol: string, pathId: number): { id: number; uc: number } {
    if (this.lastSource !== null && this.lastPathId === pathId && this.lastProtocol === protocol) return this.lastSource;
    const s = this.find(protocol, pathId);
    this.lastProtocol = protocol;
    this.lastPathId = pathId;
    this.lastSource = s;
    return s;
  }

  private find(protocol: string, pathId: number): { id: number; uc: number } {
    let byPath = this.byKey.get(protocol);
    if (!byPath) {
      byPath = new Map();
      this.byKey.set(protocol, byPath);
    }
    let s = byPath.get(pathId);
    if (!s) {
      s = { id: this.alloc(), uc: 0 };
      byPath.set(pathId, s);
    }
    return s;
  }

  get(protocol: string, pathId: number): number {
    return this.source(protocol, pathId).id;
  }

  lock(protocol: string, pathId: number): void {
    this.source(protocol, pathId).uc++;
  }

  unlock(protocol: string, pathId: number): void {
    const s =
      this.lastSource !== null && this.lastPathId === pathId && this.lastProtocol === protocol
        ? this.lastSource
        : this.byKey.get(protocol)?.get(pathId);
    if (s && s.uc > 0) s.uc--;
  }

  /** prune is rt_prune_sources: unused sources give their id back. */
  prune(): void {
    this.lastSource = null;
    for (const [protocol, byPath] of this.byKey) {
      for (const [pathId, s] of byPath)
        if (s.uc === 0) {
          this.words[s.id >>> 5] &= ~(1 << (s.id & 31));
          this.used--;
          byPath.delete(pathId);
        }
      if (byPath.size === 0) this.byKey.delete(protocol);
    }
  }

  private alloc(): number {
    let i = this.pos;
    for (; i < this.words.length; i++) if (this.words[i] >>> 0 !== 0xffffffff) break;
    if (i === this.words.length) {
      if (this.used > this.words.length * 28) this.words.push(...new Array<number>(this.words.length).fill(0));
      else for (i = 0; i < this.pos; i++) if (this.words[i] >>> 0 !== 0xffffffff) break;
    }
    this.pos = i;
    let j = 0;
    while ((this.words[i] >>> j) & 1) j++;
    this.words[i] |= 1 << j;
    this.used++;
    return 32 * i + j;
  }
}

/**
 * Hostentry is how a next hop resolves (BIRD's hostentry): `self` says the gateway is the next hop itself
 * (it is on a connected subnet). Equal resolutions are one object, shared by every next hop that has it.
 */
interface Hostentry {
  readonly dest: RouteDest;
  readonly gateway?: Ipv4;
  readonly self: boolean;
  readonly iface?: string;
  readonly igpMetric: number;
}

/**
 * ExportResult is what exportView makes of a route for a kind of peer: not exported (null, or REJECTED
 * when the export filter said so), refused by bgp_get_bucket, or the attributes.
 */
type ExportResult = { readonly block: AttrBlock; readonly nextHop: Ipv4 } | { readonly refused: string } | typeof REJECTED | null;

/** REJECTED is a route the export filter rejected: remembered, since running the filter again costs more than import control. */
const REJECTED = { rejected: true } as const;

interface TimerEntry {
  readonly key: string;
  readonly protocol: string | null;
  readonly timer: string;
  readonly conn?: ConnId;
  at: number;
  seq: number;
  /** period is the full value of the timer, for `Hold timer: 180/240`. */
  period: number;
  /** pos is the entry's index in the heap. */
  pos: number;
}

function timerBefore(a: TimerEntry, b: TimerEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * TimerTable holds the armed timers by key, ordered by (at, seq) in a binary heap that knows each entry's
 * place: re-arming a timer (the hold timer on every message) moves its entry instead of adding one.
 */
class TimerTable {
  private readonly byKey = new Map<string, TimerEntry>();
  private readonly heap: TimerEntry[] = [];

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): TimerEntry | undefined {
    return this.byKey.get(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /** earliest is the timer that fires first. */
  earliest(): TimerEntry | undefined {
    return this.heap[0];
  }

  set(key: string, protocol: string | null, timer: string, conn: ConnId | undefined, at: number, seq: number, period: number): void {
    const e = this.byKey.get(key);
    if (e === undefined) {
      const n: TimerEntry = { key, protocol, timer, conn, at, seq, period, pos: this.heap.length };
      this.byKey.set(key, n);
      this.heap.push(n);
      this.up(n.pos);
      return;
    }
    e.at = at;
    e.seq = seq;
    e.period = period;
    this.up(e.pos);
    this.down(e.pos);
  }

  delete(key: string): boolean {
    const e = this.byKey.get(key);
    if (e === undefined) return false;
    this.byKey.delete(key);
    const h = this.heap;
    const last = h.pop()!;
    if (last !== e) {
      h[e.pos] = last;
      last.pos = e.pos;
      this.up(last.pos);
      this.down(last.pos);
    }
    return true;
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!timerBefore(e, h[p])) break;
      h[i] = h[p];
      h[i].pos = i;
      i = p;
    }
    h[i] = e;
    e.pos = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const e = h[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && timerBefore(h[r], h[l]) ? r : l;
      if (!timerBefore(h[c], e)) break;
      h[i] = h[c];
      h[i].pos = i;
      i = c;
    }
    h[i] = e;
    e.pos = i;
  }
}

interface ProtoRuntime {
  def: SpeakerProtocol;
  session: BgpSession;
  /** exporting says the export is up (ES_READY): routes go to the peer. */
  exporting: boolean;
  /** exported counts the routes the peer currently has from us (exp_routes); which ones is in BgpSpeaker.exported. */
  exported: number;
  /** index is the protocol's bit in BgpSpeaker.exported (reused after the protocol is removed). */
  readonly index: number;
  /** view, sig and source cache the peer view, export signature and BgpSourceInfo of `session`. */
  viewOf: BgpSession | null;
  view: PeerView | null;
  sigOf: BgpSession | null;
  sig: number;
  sourceOf: BgpSession | null;
  source: BgpSourceInfo | null;
  /** timerKeys caches the protocol's timer keys (timerKeyOf). */
  readonly timerKeys: (string | undefined)[];
  eorPending: boolean;
  /** coreUp says the protocol holds its main route source (from its first PS_UP to PS_STOP). */
  coreUp: boolean;
  /** orderIndex is the protocol's place in the configuration. */
  readonly orderIndex: number;
}

/** BgpSpeaker is one BIRD daemon's BGP world. */
export class BgpSpeaker {
  readonly table = new RoutingTable();
  private readonly protos = new Map<string, ProtoRuntime>();
  private readonly order: string[] = [];
  /** runtimes are the protocols in configuration order (as `order`). */
  private readonly runtimes: ProtoRuntime[] = [];
  /** byNeighbor indexes the protocols by neighbour address (null: to be rebuilt after a change). */
  private byNeighbor: Map<Ipv4, string> | null = null;
  /** freeIndexes are the exported-bitset indexes of removed protocols. */
  private readonly freeIndexes: number[] = [];
  private nextIndex = 0;
  private readonly locals = new Map<string, { kind: LocalProtocolKind; since: number }>();
  private readonly sources = new SourceIds();
  private readonly hostentries = new Map<Ipv4, Hostentry>();
  /** hostentriesBy24 lists, per /24, the next hops in it that have a hostentry (what a /24 or longer prefix can move). */
  private readonly hostentriesBy24 = new Map<number, Ipv4[]>();
  private readonly resolutions = new Map<string, Hostentry>();
  private lastResolution: Hostentry | null = null;
  private readonly timers = new TimerTable();
  /** dirty holds the protocols whose export queue or End-of-RIB waits to be sent. */
  private readonly dirty = new Set<ProtoRuntime>();
  private nextOrderIndex = 0;
  private timerSeq = 0;
  private rng: number;
  private out: SpeakerOutput[] = [];
  private now = 0;
  private grLocks = 0;
  private recovery: 'none' | 'active' | 'done';
  /** kernelExport says the FIB gets best routes (false while BIRD -R recovery holds the kernel back). */
  private kernelExport: boolean;
  /** fibSeq numbers the kernel's installs (RibNet.kernelSeq): fib() lists routes in the order they first went in. */
  private fibSeq = 0;
  private started = false;
  private readonly filterIds = new WeakMap<RouteFilter, number>();
  private filterCount = 0;
  /** sigIds numbers the export signatures (targetSig). */
  private readonly sigIds = new Map<string, number>();
  /**
   * exportMemo holds, per route in the table, what it exports as (ExportResult by signature number) where
   * that is not null; a route that leaves the table drops its entry. `recent` keeps every result of the
   * last two routes asked about, for the fan-out of one change.
   */
  private readonly exportMemo = new Map<RibRoute, ExportResult[]>();
  private readonly recent: { route: RibRoute | null; results: ExportResult[] }[] = [
    { route: null, results: [] },
    { route: null, results: [] },
  ];
  private recentNext = 0;
  /** slots numbers the (prefix, path id) pairs the export queues and `exported` refer to. */
  private readonly slots = new SlotTable();
  /** exported says which slots each protocol's peer has (bit `index` of the protocol). */
  private readonly exported = new ExportedSlots();
  /** tx holds every protocol's export queue (by `index`). */
  private readonly tx = new TxQueues(this.slots);
  /** blocks holds one AttrBlock per attribute content (queues find their buckets through it); blocksKept sizes its sweep. */
  private readonly blocks = new Map<string, AttrBlock>();
  private blocksKept = 0;

  constructor(readonly config: BgpSpeakerConfig) {
    this.rng = (config.seed ?? 0) >>> 0 || 0x9e3779b9;
    this.recovery = config.gracefulRestartRecovery ? 'active' : 'none';
    this.kernelExport = !config.gracefulRestartRecovery;
    for (const p of config.protocols) this.addProtocolRuntime(p);
  }

  private addProtocolRuntime(p: SpeakerProtocol): void {
    if (this.protos.has(p.config.name)) throw new Error(`bgp: duplicate protocol ${p.config.name}`);
    const rt: ProtoRuntime = {
      def: p,
      session: newSession(p.config, { grRecovery: this.recovery === 'active' }),
      exporting: false,
      exported: 0,
      index: this.freeIndexes.pop() ?? this.nextIndex++,
      viewOf: null,
      view: null,
      sigOf: null,
      sig: 0,
      sourceOf: null,
      source: null,
      timerKeys: [],
      eorPending: false,
      coreUp: false,
      orderIndex: this.nextOrderIndex++,
    };
    this.protos.set(p.config.name, rt);
    this.order.push(p.config.name);
    this.runtimes.push(rt);
    this.byNeighbor = null;
  }

  // ------------------------------------------------------------------------------------------------
  // Inputs

  /** start brings every protocol up, in configuration order (protos_commit). */
  start(now: number): SpeakerOutput[] {
    return this.run(now, () => {
      if (this.started) return;
      this.started = true;
      for (const l of this.config.localProtocols ?? CALICO_LOCAL_PROTOCOLS) {
        this.locals.set(l.name, { kind: l.kind, since: now });
        this.sources.lock(l.name, 0);
      }
      for (const name of this.order) this.event(name, { type: 'start' });
      if (this.recovery === 'active') {
        if (this.grLocks === 0) this.recoveryDone();
        else this.setTimer('graceful-restart-wait', null, 'graceful-restart-wait', undefined, this.config.grWait ?? 240, 0);
      }
    });
  }

  /** addProtocol configures a new BGP protocol (a new peer) and starts it. */
  addProtocol(p: SpeakerProtocol, now: number): SpeakerOutput[] {
    return this.run(now, () => {
      this.addProtocolRuntime(p);
      if (this.started) this.event(p.config.name, { type: 'start' });
    });
  }

  /** removeProtocol deconfigures a protocol: Cease 6/3 to the peer, its routes flushed. */
  removeProtocol(name: string, now: number): SpeakerOutput[] {
    return this.run(now, () => {
      const rt = this.protos.get(name);
      if (!rt) return;
      this.event(name, { type: 'stop', reason: 'deconfigure' });
      this.flushProtocol(name);
      for (const k of [...this.timers.keys()]) if (this.timers.get(k)!.protocol === name) this.timers.delete(k);
      this.protos.delete(name);
      this.order.splice(this.order.indexOf(name), 1);
      this.runtimes.splice(this.runtimes.indexOf(rt), 1);
      this.byNeighbor = null;
      this.exported.clearTarget(rt.index);
      this.freeIndexes.push(rt.index);
    });
  }

  /**
   * reconfigure replaces a protocol's configuration as `birdc configure` does: filters alone are swapped
   * and the peer refed; any other change restarts the protocol (Cease 6/6 "Other configuration change").
   */
  reconfigure(p: SpeakerProtocol, now: number): SpeakerOutput[] {
    return this.run(now, () => {
      const rt = this.protos.get(p.config.name);
      if (!rt) return;
      const same = JSON.stringify(rt.def.config) === JSON.stringify(p.config);
      rt.def = p;
      this.byNeighbor = null;
      this.forgetViews(rt);
      if (same) {
        if (rt.exporting) this.feed(rt, false);
        return;
      }
      this.event(p.config.name, { type: 'stop', reason: 'reconfigure' });
      rt.session = { ...rt.session, config: p.config };
      this.forgetViews(rt);
      this.event(p.config.name, { type: 'start' });
    });
  }

  /** disable / enable are `birdc disable|enable NAME` (Cease 6/2 with the optional message). */
  disable(name: string, now: number, message?: string): SpeakerOutput[] {
    return this.run(now, () => this.event(name, { type: 'stop', reason: 'disable', message }));
  }

  enable(name: string, now: number): SpeakerOutput[] {
    return this.run(now, () => this.event(name, { type: 'start' }));
  }

  /** tcpConnected reports that the outgoing connection of a protocol is established. */
  tcpConnected(name: string, now: number): SpeakerOutput[] {
    return this.run(now, () => this.event(name, { type: 'tcp-connected', conn: 'outgoing' }));
  }

  /** tcpFailed reports a refused connect or a broken connection (error '' = closed by the peer). */
  tcpFailed(name: string, conn: ConnId, error: string, now: number): SpeakerOutput[] {
    return this.run(now, () => this.event(name, { type: 'tcp-failed', conn, error }));
  }

  /**
   * incoming reports a connection accepted on port 179 from `remote`: the protocol with that neighbour
   * takes it (accept, then it is that protocol's `incoming` connection) or not (reject: close it).
   */
  incoming(remote: Ipv4, now: number): SpeakerOutput[] {
    return this.run(now, () => {
      const name = this.protocolOf(remote);
      if (name === undefined) {
        this.log(`BGP: Unexpected connect from unknown address ${formatIpv4(remote)}`);
        this.out.push({ type: 'reject', protocol: null });
        return;
      }
      this.event(name, { type: 'tcp-incoming' });
    });
  }

  /** protocolOf is the first protocol, in configuration order, whose neighbour is `remote`. */
  private protocolOf(remote: Ipv4): string | undefined {
    if (this.byNeighbor === null) {
      this.byNeighbor = new Map();
      for (const rt of this.runtimes) {
        const a = rt.def.config.neighborAddress;
        if (!this.byNeighbor.has(a)) this.byNeighbor.set(a, rt.def.config.name);
      }
    }
    return this.byNeighbor.get(remote);
  }

  /** receive hands bytes read from a protocol's connection to it. */
  receive(name: string, conn: ConnId, bytes: Uint8Array, now: number): SpeakerOutput[] {
    return this.run(now, () => this.event(name, { type: 'data', conn, bytes }));
  }

  /** advance fires every timer due at or before `now`, in order. */
  advance(now: number): SpeakerOutput[] {
    const out: SpeakerOutput[] = [];
    for (;;) {
      const t = this.dueTimer(now);
      if (!t) break;
      this.timers.delete(t.key);
      out.push(
        ...this.run(t.at, () => {
          if (t.timer === 'graceful-restart-wait') this.recoveryDone();
          else this.event(t.protocol!, { type: 'timer', timer: t.timer as BgpTimer, conn: t.conn });
        }),
      );
    }
    this.now = Math.max(this.now, now);
    return out;
  }

  /** hasPendingTx says whether an export queue waits for flush (with deferTx). */
  hasPendingTx(): boolean {
    return this.dirty.size > 0;
  }

  /** flush sends what the export queues hold (BIRD's tx events). */
  flush(now: number): SpeakerOutput[] {
    return this.run(now, () => this.flushQueues());
  }

  /** nextDeadline is when the next timer fires, or null. */
  nextDeadline(): number | null {
    return this.earliestTimer()?.at ?? null;
  }

  /** addRoute adds or replaces a route of a local protocol (a Calico block is `static1` blackhole). */
  addRoute(r: LocalRoute, now: number): SpeakerOutput[] {
    return this.run(now, () => {
      const kind = this.locals.get(r.protocol)?.kind ?? 'static';
      if (!this.locals.has(r.protocol)) {
        this.locals.set(r.protocol, { kind, since: now });
        this.sources.lock(r.protocol, 0);
      }
      const route: RibRoute = {
        prefix: { addr: r.prefix.addr, len: r.prefix.len },
        protocol: r.protocol,
        pathId: 0,
        srcId: this.sources.get(r.protocol, 0),
        pref: PREF[kind],
        protocolOrder: PROTOCOL_ORDER[kind],
        dest: r.dest,
        gateway: r.gateway,
        iface: r.iface,
        attrs: [],
        hostentry: false,
        lastmod: now,
        stale: false,
      };
      this.tableUpdate(route.prefix, r.protocol, 0, route);
    });
  }

  /** removeRoute removes a local protocol's route for a prefix. */
  removeRoute(protocol: string, prefix: Cidr, now: number): SpeakerOutput[] {
    return this.run(now, () => this.tableUpdate(prefix, protocol, 0, null));
  }

  /** originate announces a Calico block: `route B blackhole` in static1. */
  originate(prefix: Cidr, now: number): SpeakerOutput[] {
    return this.addRoute({ protocol: 'static1', prefix, dest: 'blackhole' }, now);
  }

  /** withdraw removes a Calico block from static1. */
  withdraw(prefix: Cidr, now: number): SpeakerOutput[] {
    return this.removeRoute('static1', prefix, now);
  }

  // ------------------------------------------------------------------------------------------------
  // Queries

  /** session returns a protocol's session state. */
  session(name: string): BgpSession | undefined {
    return this.protos.get(name)?.session;
  }

  /** protocolNames lists the BGP protocols in configuration order. */
  protocolNames(): string[] {
    return [...this.order];
  }

  /** protocolStatus is `show protocols`: the local protocols, then the BGP ones, in configuration order. */
  protocolStatus(): ProtocolStatus[] {
    const rows: ProtocolStatus[] = [];
    const KIND: Record<LocalProtocolKind, ProtocolStatus['proto']> = {
      static: 'Static',
      kernel: 'Kernel',
      direct: 'Direct',
      device: 'Device',
    };
    for (const [name, l] of this.locals) rows.push({ name, proto: KIND[l.kind], table: 'master', state: 'up', since: l.since, info: '' });
    for (const name of this.order) {
      const rt = this.protos.get(name)!;
      const s = rt.session;
      const state = s.protoState === 'up' ? (rt.exporting ? 'up' : 'wait') : s.protoState;
      rows.push({ name, proto: 'BGP', table: 'master', state, since: s.since, info: statusInfo(s) });
    }
    return rows;
  }

  /** protocolDetails is the BGP part of `show protocols all NAME` at virtual time `now`. */
  protocolDetails(name: string, now: number): ProtocolDetails | undefined {
    const rt = this.protos.get(name);
    if (!rt) return undefined;
    const s = rt.session;
    const c = s.config;
    const lines: string[] = [];
    lines.push(`  BGP state:          ${bgpStateName(s)}`);
    lines.push(`    Neighbor address: ${formatIpv4(c.neighborAddress)}`);
    lines.push(`    Neighbor AS:      ${c.peerAs}`);
    if (s.grActive !== 'none') lines.push('    Neighbor graceful restart active');
    const grT = this.timers.get(timerKey(name, 'graceful-restart'));
    if (s.grActive !== 'none' && grT)
      lines.push(
        `    ${(s.grActive !== 'llgr2' ? 'Restart timer:' : 'LL stale timer:').padEnd(15)}   ${Math.max(0, Math.floor(grT.at - now))}/-`,
      );
    if (s.protoState === 'start') {
      const ew = this.timers.get(timerKey(name, 'error-wait'));
      if ((s.startState === 'prepare' || s.startState === 'delay') && ew)
        lines.push(`    Error wait:       ${Math.max(0, Math.floor(ew.at - now))}/${s.startupDelay}`);
      const cd = this.timers.get(timerKey(name, 'connect-delay', 'outgoing'));
      if (s.outgoing.state === 'Active' && cd)
        lines.push(`    Connect delay:    ${Math.max(0, Math.floor(cd.at - now))}/${c.connectDelayTime}`);
    } else if (s.protoState === 'up' && s.established) {
      const conn = s[s.established];
      lines.push(`    Neighbor ID:      ${formatIpv4(s.remoteId)}`);
      lines.push(`    Neighbor caps:   ${neighborCapsText(conn.caps)}`);
      lines.push(
        `    Session:          ${isInternal(c) ? 'internal' : 'external'}${effectiveMultihop(c) ? ' multihop' : ''}${c.rrClient ? ' route-reflector' : ''}${s.as4Session ? ' AS4' : ''}${s.addPathRx ? ' add-path-rx' : ''}${s.addPathTx ? ' add-path-tx' : ''}${s.extMessages ? ' ext-messages' : ''}`,
      );
      lines.push(`    Source address:   ${formatIpv4(c.sourceAddress)}`);
      const hold = this.timers.get(timerKey(name, 'hold', s.established));
      const ka = this.timers.get(timerKey(name, 'keepalive', s.established));
      lines.push(`    Hold timer:       ${hold ? Math.max(0, Math.floor(hold.at - now)) : 0}/${conn.holdTime}`);
      lines.push(`    Keepalive timer:  ${ka ? Math.max(0, Math.floor(ka.at - now)) : 0}/${conn.keepaliveTime}`);
    }
    if (s.lastError.class !== 'none' && s.lastError.class !== 'man-down') lines.push(`    Last error:       ${lastErrorText(s)}`);
    const own = this.table.countOf(name);
    return {
      description: c.description,
      preference: PREF.bgp,
      routes: { imported: own.routes, exported: rt.exported, preferred: own.preferred },
      lines,
    };
  }

  /** showRoutes is `show route [all]`: every prefix in BIRD's FIB order, its routes best first. */
  showRoutes(): ShowNet[] {
    return this.table
      .allNets()
      .map((n: RibNet) => ({ prefix: n.prefix, reason: n.reason, routes: n.routes.map((r, i) => ({ route: r, primary: i === 0 })) }));
  }

  /** adjRibIn lists the routes a protocol's peer gave us that passed the import filter. */
  adjRibIn(name: string): RibRoute[] {
    return this.table.routesOf(name);
  }

  /** fib is what the kernel protocol has installed, by prefix. */
  fib(): FibRoute[] {
    const nets = this.table.allNets().filter((n) => n.kernel !== null);
    return nets.sort((a, b) => a.kernelSeq - b.kernelSeq).flatMap((n) => this.fibRoute(n.kernel!) ?? []);
  }

  /** timerRemaining is the seconds left on a protocol timer at `now`, or null when it is not running. */
  timerRemaining(name: string, timer: BgpTimer, now: number, conn?: ConnId): number | null {
    const t = this.timers.get(timerKey(name, timer, conn));
    return t ? t.at - now : null;
  }

  // ------------------------------------------------------------------------------------------------
  // Internals

  private run(now: number, f: () => void): SpeakerOutput[] {
    this.now = Math.max(this.now, now);
    this.out = [];
    f();
    if (!this.config.deferTx) this.flushQueues();
    const out = this.out;
    this.out = [];
    return out;
  }

  private log(message: string): void {
    this.out.push({ type: 'log', message });
  }

  private nextRandom(): number {
    let x = this.rng;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.rng = x;
    return x;
  }

  private setTimer(key: string, protocol: string | null, timer: string, conn: ConnId | undefined, seconds: number, jitter: number): void {
    const delay = this.config.seed !== undefined && jitter > 0 ? seconds - jitter + (this.nextRandom() % (jitter + 1)) : seconds;
    const at = this.now + delay;
    this.timers.set(key, protocol, timer, conn, at, this.timerSeq++, seconds);
    this.out.push({ type: 'timer', protocol, timer, conn, at });
  }

  private dueTimer(now: number): TimerEntry | undefined {
    const t = this.earliestTimer();
    return t !== undefined && t.at <= now ? t : undefined;
  }

  /** timerKeyOf is timerKey, made once per protocol, timer and connection. */
  private timerKeyOf(rt: ProtoRuntime, timer: BgpTimer, conn: ConnId | undefined): string {
    const i = TIMER_INDEX[timer] * 3 + (conn === undefined ? 0 : conn === 'outgoing' ? 1 : 2);
    let key = rt.timerKeys[i];
    if (key === undefined) {
      key = timerKey(rt.def.config.name, timer, conn);
      rt.timerKeys[i] = key;
    }
    return key;
  }

  private earliestTimer(): TimerEntry | undefined {
    return this.timers.earliest();
  }

  /** event runs one FSM event of a protocol and carries out its actions. */
  private event(name: string, body: BgpEventBody): void {
    const rt = this.protos.get(name);
    if (!rt) return;
    const before = rt.session;
    const [after, actions, reason] = bgpStep(before, { ...body, now: this.now } as BgpEvent);
    rt.session = after;
    const from = `${before.protoState}/${bgpStateName(before)}`;
    const to = `${after.protoState}/${bgpStateName(after)}`;
    this.out.push({ type: 'transition', protocol: name, event: body.type, reason, from, to });
    for (const a of actions) this.apply(rt, a);
  }

  private apply(rt: ProtoRuntime, a: BgpAction): void {
    const name = rt.def.config.name;
    switch (a.type) {
      case 'connect':
        this.out.push({ type: 'connect', protocol: name, local: a.local, remote: a.remote, port: a.port, ttl: a.ttl, tos: a.tos });
        return;
      case 'accept':
        this.out.push({ type: 'accept', protocol: name, ttl: a.ttl, tos: a.tos });
        return;
      case 'reject':
        this.out.push({ type: 'reject', protocol: name });
        return;
      case 'send':
        this.out.push({ type: 'send', protocol: name, conn: a.conn, bytes: a.bytes, message: a.message });
        return;
      case 'close':
        this.out.push({ type: 'close', protocol: name, conn: a.conn });
        return;
      case 'set-timer':
        this.setTimer(this.timerKeyOf(rt, a.timer, a.conn), name, a.timer, a.conn, a.seconds, a.jitter);
        return;
      case 'cancel-timer': {
        const k = this.timerKeyOf(rt, a.timer, a.conn);
        if (this.timers.delete(k)) this.out.push({ type: 'timer', protocol: name, timer: a.timer, conn: a.conn, at: null });
        return;
      }
      case 'session-up':
        // proto_want_core_up takes the main route source once; it stays through a graceful restart.
        if (!rt.coreUp) {
          rt.coreUp = true;
          this.sources.lock(name, 0);
        }
        if (a.exportNow) this.exportUp(rt);
        return;
      case 'export-up':
        this.exportUp(rt);
        return;
      case 'export-down':
        rt.exporting = false;
        this.tx.clear(rt.index);
        this.forgetExported(rt);
        rt.eorPending = false;
        return;
      case 'flush':
        this.flushProtocol(name);
        return;
      case 'routes':
        this.importRoutes(rt, a.withdraw, a.announce, a.attrs);
        return;
      case 'end-of-rib':
        return;
      case 'stale-begin':
        this.table.markStale(name);
        return;
      case 'stale-end':
        for (const r of this.table.staleRoutes(name)) this.tableUpdate(r.prefix, name, r.pathId, null);
        return;
      case 'refeed':
        if (rt.exporting) this.feed(rt, false);
        return;
      case 'gr-lock':
        this.grLocks++;
        return;
      case 'gr-unlock':
        this.grLocks = Math.max(0, this.grLocks - 1);
        if (this.grLocks === 0 && this.recovery === 'active' && this.started) this.recoveryDone();
        return;
      case 'log':
        this.log(a.message);
        return;
    }
  }

  /** recoveryDone is graceful_restart_done: deferred exports start, the kernel gets the table. */
  private recoveryDone(): void {
    if (this.recovery !== 'active') return;
    this.log('Graceful restart done');
    this.recovery = 'done';
    if (this.timers.delete('graceful-restart-wait'))
      this.out.push({ type: 'timer', protocol: null, timer: 'graceful-restart-wait', at: null });
    for (const name of this.order) this.event(name, { type: 'recovery-done' });
    this.kernelExport = true;
    for (const n of this.table.allNets()) this.kernelNotify(n, n.routes[0] ?? null);
  }

  private flushProtocol(name: string): void {
    for (const r of this.table.routesOf(name)) this.tableUpdate(r.prefix, name, r.pathId, null);
    const rt = this.protos.get(name);
    if (rt?.coreUp) {
      rt.coreUp = false;
      this.sources.unlock(name, 0);
    }
    this.sources.prune();
  }

  private exportUp(rt: ProtoRuntime): void {
    rt.exporting = true;
    this.forgetExported(rt);
    this.feed(rt, true);
  }

  /** feed is rt_feed_baby: the table to one peer, in FIB order, sent in batches of 256 prefixes. */
  private feed(rt: ProtoRuntime, initial: boolean): void {
    const anyPath = rt.session.addPathTx;
    const batch = this.config.feedBatch ?? 256;
    const nets = this.table.allNets();
    for (let i = 0; i < nets.length; i++) {
      const n = nets[i];
      if (anyPath) for (const r of n.routes) this.notify(rt, n.prefix, r, null, true);
      else if (n.routes[0]) this.notify(rt, n.prefix, n.routes[0], null, true);
      if ((i + 1) % batch === 0) this.drain(rt);
    }
    if (initial && rt.def.config.gracefulRestart !== 'off') {
      rt.eorPending = true;
      this.dirty.add(rt);
    }
    this.drain(rt);
  }

  private forgetExported(rt: ProtoRuntime): void {
    if (rt.exported > 0) this.exported.clearTarget(rt.index);
    rt.exported = 0;
  }

  /** forgetViews drops what was cached of a protocol's configuration (its filter or settings changed). */
  private forgetViews(rt: ProtoRuntime): void {
    rt.viewOf = null;
    rt.view = null;
    rt.sigOf = null;
    rt.sourceOf = null;
    rt.source = null;
  }

  private peerView(rt: ProtoRuntime): PeerView {
    if (rt.viewOf === rt.session && rt.view !== null) return rt.view;
    rt.view = this.buildPeerView(rt);
    rt.viewOf = rt.session;
    return rt.view;
  }

  private buildPeerView(rt: ProtoRuntime): PeerView {
    const c = rt.def.config;
    const s = rt.session;
    const conn = s.established ? s[s.established] : null;
    return {
      name: c.name,
      localAs: c.localAs,
      isInternal: isInternal(c),
      rrClient: c.rrClient,
      clusterId: effectiveClusterId(c),
      remoteId: s.remoteId,
      neighborAddress: c.neighborAddress,
      sourceAddress: c.sourceAddress,
      nextHopSelf: c.nextHopSelf,
      nextHopKeep: c.nextHopKeep,
      interpretCommunities: c.interpretCommunities,
      defaultLocalPref: c.defaultLocalPref,
      peerLlgrAware: conn?.caps.llgrAware ?? false,
    };
  }

  /**
   * targetSig is what bgp_import_control, the export filter and bgp_get_bucket read of a target peer, but
   * its name and address, as a number: peers with the same signature get the same attributes, so the work
   * of a route is done once per kind of peer, not once per peer (5,000 rr clients have one signature).
   */
  private targetSig(rt: ProtoRuntime): number {
    if (rt.sigOf === rt.session) return rt.sig;
    const v = this.peerView(rt);
    const f = rt.def.exportFilter ?? REJECT_ALL;
    let id = this.filterIds.get(f);
    if (id === undefined) {
      id = ++this.filterCount;
      this.filterIds.set(f, id);
    }
    const key = `${id}|${v.localAs}|${v.isInternal ? 1 : 0}|${v.rrClient ? 1 : 0}|${v.clusterId}|${v.sourceAddress}|${v.nextHopSelf ? 1 : 0}|${v.nextHopKeep ? 1 : 0}|${v.interpretCommunities ? 1 : 0}|${v.defaultLocalPref}|${v.peerLlgrAware ? 1 : 0}`;
    let sig = this.sigIds.get(key);
    if (sig === undefined) {
      sig = this.sigIds.size;
      this.sigIds.set(key, sig);
    }
    rt.sig = sig;
    rt.sigOf = rt.session;
    return sig;
  }

  /** exportView runs import control, the export filter and bgp_get_bucket of `rt` on a route; null means not exported. */
  private exportView(rt: ProtoRuntime, r: RibRoute): Exclude<ExportResult, typeof REJECTED> {
    // Poison reverse (never back to the source) is the one rule that depends on the target's identity.
    if (r.protocol === rt.def.config.name) return null;
    const sig = this.targetSig(rt);
    let v = this.memoOf(r, sig);
    if (v === undefined) {
      v = this.computeExport(rt, r);
      this.remember(r, sig, v);
    }
    if (v === null || 'rejected' in v) return null;
    if ('block' in v && v.nextHop === rt.def.config.neighborAddress)
      return { refused: `${rt.def.config.name}: Invalid NEXT_HOP attribute in route ${formatCidr(r.prefix)}` };
    return v;
  }

  private memoOf(r: RibRoute, sig: number): ExportResult | undefined {
    for (const m of this.recent) if (m.route === r && m.results[sig] !== undefined) return m.results[sig];
    return this.exportMemo.get(r)?.[sig];
  }

  private remember(r: RibRoute, sig: number, v: ExportResult): void {
    let m = this.recent[0].route === r ? this.recent[0] : this.recent[1].route === r ? this.recent[1] : null;
    if (m === null) {
      m = this.recent[this.recentNext];
      this.recentNext ^= 1;
      m.route = r;
      m.results = [];
    }
    m.results[sig] = v;
    if (v === null) return;
    let kept = this.exportMemo.get(r);
    if (kept === undefined) {
      kept = [];
      this.exportMemo.set(r, kept);
    }
    kept[sig] = v;
  }

  /** forgetRoute drops the export results of a route that left the table (and, now and then, of stale copies replaced inside it). */
  private forgetRoute(r: RibRoute): void {
    this.exportMemo.delete(r);
    for (const m of this.recent)
      if (m.route === r) {
        m.route = null;
        m.results = [];
      }
    if (this.exportMemo.size > 2 * this.table.routeCount + 1024)
      for (const k of [...this.exportMemo.keys()]) if (!this.table.net(k.prefix)?.routes.includes(k)) this.exportMemo.delete(k);
  }

  private computeExport(rt: ProtoRuntime, r: RibRoute): ExportResult {
    const srcRt = this.protos.get(r.protocol);
    const src: ExportSource = srcRt
      ? { kind: 'bgp', peer: this.peerView(srcRt), attrs: r.attrs }
      : { kind: 'local', gateway: r.dest === 'router' ? r.gateway : undefined };
    const target = this.peerView(rt);
    const ic = importControl(target, src);
    if (!ic.ok) return null;
    const filter = rt.def.exportFilter ?? REJECT_ALL;
    const kind = srcRt
      ? 'bgp'
      : this.locals.get(r.protocol)?.kind === 'device'
        ? 'direct'
        : (this.locals.get(r.protocol)?.kind ?? 'static');
    const res = filter({ prefix: r.prefix, attrs: ic.attrs, protocol: r.protocol, source: kind as FilterRoute['source'], ifname: r.iface });
    if (!res.accept) return REJECTED;
    // The neighbour-address check needs the target's address: exportView does it.
    const chk = checkBucket({ ...target, name: rt.def.config.name, neighborAddress: 0 }, res.attrs ?? ic.attrs, formatCidr(r.prefix));
    if (!chk.ok) return { refused: chk.log };
    return { block: this.block(chk.attrs), nextHop: findAttr(chk.attrs, 'next-hop')?.nextHop ?? 0 };
  }

  /** block returns the speaker's AttrBlock of an attribute content, made the first time. */
  private block(attrs: BgpPathAttribute[]): AttrBlock {
    const key = attrsKey(attrs);
    let b = this.blocks.get(key);
    if (b === undefined) {
      if (this.blocks.size > 2 * this.blocksKept + 1024) this.sweepBlocks();
      b = new AttrBlock(attrs, key);
      this.blocks.set(key, b);
    }
    return b;
  }

  /** sweepBlocks forgets the blocks that no queue and no export result holds. */
  private sweepBlocks(): void {
    const keep = new Set<AttrBlock>();
    const hold = (v: ExportResult | undefined): void => {
      if (v && 'block' in v) keep.add(v.block);
    };
    for (const m of this.exportMemo.values()) for (const v of m) hold(v);
    for (const m of this.recent) for (const v of m.results) hold(v);
    for (const [k, b] of this.blocks) if (b.live === 0 && !keep.has(b)) this.blocks.delete(k);
    this.blocksKept = this.blocks.size;
  }

  /** notify is rt_notify_basic + bgp_rt_notify for one peer. */
  private notify(rt: ProtoRuntime, prefix: Cidr, nw: RibRoute | null, old: RibRoute | null, refeed: boolean): void {
    if (!rt.exporting) return;
    const nv = nw ? this.exportView(rt, nw) : null;
    const ov = old && !refeed ? this.exportView(rt, old) : null;
    const oldOk = ov !== null && 'block' in ov;
    if (nv === null && !oldOk) return;
    const addPath = rt.session.addPathTx;
    if (nv !== null) {
      // bgp_get_bucket refused the attributes: nothing is queued, not even a withdraw.
      if (!('block' in nv)) {
        this.log(nv.refused);
        return;
      }
      const slot = this.slots.slot(prefix, addPath ? nw!.srcId : 0);
      this.tx.announce(rt.index, slot, nv.block);
      this.dirty.add(rt);
      if (this.exported.add(slot, rt.index)) rt.exported++;
    } else {
      const slot = this.slots.slot(prefix, addPath ? old!.srcId : 0);
      this.tx.withdraw(rt.index, slot);
      this.dirty.add(rt);
      if (this.exported.delete(slot, rt.index)) rt.exported--;
    }
  }

  private drain(rt: ProtoRuntime): void {
    const s = rt.session;
    if (!s.established || s[s.established].state !== 'Established') return;
    const ctx = { as4: s.as4Session, addPath: s.addPathTx, extendedMessages: s.extMessages, as4Session: s.as4Session };
    const name = rt.def.config.name;
    const conn = s.established;
    for (;;) {
      const u = this.tx.nextUpdate(rt.index, ctx);
      if (!u) break;
      u.protocol = name;
      u.conn = conn;
      this.out.push(u);
    }
    if (rt.eorPending && !this.tx.pending(rt.index)) {
      rt.eorPending = false;
      const repr: BgpRepr = { type: 'update', withdrawn: [], attributes: [], nlri: [] };
      this.out.push({ type: 'send', protocol: name, conn, bytes: encodeBgp(repr, ctx), message: repr });
    }
  }

  private flushQueues(): void {
    if (this.dirty.size === 0) return;
    // Only protocols whose queue got work are visited, in configuration order as BIRD's tx events run.
    const dirty = [...this.dirty].sort((a, b) => a.orderIndex - b.orderIndex);
    this.dirty.clear();
    for (const rt of dirty)
      if (this.protos.get(rt.def.config.name) === rt && rt.exporting && (this.tx.pending(rt.index) || rt.eorPending)) this.drain(rt);
  }

  /** importRoutes is bgp_rte_update / bgp_rte_withdraw for the routes of one UPDATE. */
  private importRoutes(rt: ProtoRuntime, withdraw: BgpNlri[], announce: BgpNlri[], attrs: RouteAttrs | null): void {
    const name = rt.def.config.name;
    const addPath = rt.session.addPathRx;
    for (const n of withdraw) this.tableUpdate(n.prefix, name, addPath ? (n.pathId ?? 0) : 0, null);
    if (!attrs) return;
    const c = rt.def.config;
    const nh = findAttr(attrs, 'next-hop')?.nextHop ?? 0;
    const filter = rt.def.importFilter ?? ACCEPT_ALL;
    const mode = effectiveGateway(c);
    for (const n of announce) {
      const pathId = addPath ? (n.pathId ?? 0) : 0;
      const prefix = sharedPrefix(n.prefix);
      const res = filter === ACCEPT_ALL ? ACCEPTED : filter({ prefix, attrs, protocol: name, source: 'bgp' });
      if (!res.accept) {
        this.tableUpdate(prefix, name, pathId, null);
        continue;
      }
      const a = res.attrs ?? attrs;
      // The next hop was resolved from the UPDATE as received (bgp_decode_attrs), before the filter.
      const route = this.bgpRoute(rt, prefix, pathId, a, nh, mode);
      this.tableUpdate(prefix, name, pathId, route);
    }
  }

  /** sourceInfo is what bgp_rte_better reads of the protocol a route came from, one object per session. */
  private sourceInfo(rt: ProtoRuntime): BgpSourceInfo {
    if (rt.sourceOf === rt.session && rt.source !== null) return rt.source;
    const c = rt.def.config;
    rt.source = sharedSource({
      isInternal: isInternal(c),
      remoteId: rt.session.remoteId,
      remoteIp: c.neighborAddress,
      remoteAs: c.peerAs,
      defaultLocalPref: c.defaultLocalPref,
      defaultMed: c.defaultMed,
      comparePathLengths: true,
      medMetric: false,
      igpMetric: true,
      preferOlder: false,
    });
    rt.sourceOf = rt.session;
    return rt.source;
  }

  /** bgpRoute builds the table entry of a received route, its next hop resolved (bgp_set_next_hop). */
  private bgpRoute(rt: ProtoRuntime, prefix: Cidr, pathId: number, attrs: RouteAttrs, nh: Ipv4, mode: 'direct' | 'recursive'): RibRoute {
    const c = rt.def.config;
    let dest: RouteDest = 'unreachable';
    let gateway: Ipv4 | undefined;
    let iface: string | undefined;
    let igpMetric = 0;
    let hostentry = false;
    if (mode === 'recursive') {
      const he = this.hostentry(nh);
      dest = he.dest;
      gateway = he.self ? nh : he.gateway;
      iface = he.iface;
      igpMetric = he.igpMetric;
      hostentry = true;
    } else {
      const onLink = this.deviceRoute(nh) ? nh : c.neighborAddress;
      const dev = this.deviceRoute(onLink);
      dest = 'router';
      gateway = onLink;
      iface = dev?.iface;
    }
    return {
      // The prefix is the process's shared object (sharedPrefix).
      prefix,
      protocol: c.name,
      pathId,
      srcId: this.sources.get(c.name, pathId),
      pref: PREF.bgp,
      protocolOrder: PROTOCOL_ORDER.bgp,
      bgp: sharedBgp(attrs, this.sourceInfo(rt), dest === 'router' || dest === 'device', igpMetric),
      dest,
      gateway,
      iface,
      from: c.neighborAddress,
      attrs,
      hostentry,
      lastmod: this.now,
      stale: false,
    } satisfies RibRoute & Candidate;
  }

  private deviceRoute(addr: Ipv4): RibRoute | undefined {
    const n = this.table.lookup(addr);
    const b = n?.routes[0];
    return b && b.dest === 'device' ? b : undefined;
  }

  /** hostentry is rt_get_hostentry / rt_update_hostentry for a next hop. */
  private hostentry(addr: Ipv4): Hostentry {
    let he = this.hostentries.get(addr);
    if (!he) {
      he = this.resolve(addr);
      this.hostentries.set(addr, he);
      const k = addr >>> 8;
      const list = this.hostentriesBy24.get(k);
      if (list) list.push(addr);
      else this.hostentriesBy24.set(k, [addr]);
    }
    return he;
  }

  private resolve(addr: Ipv4): Hostentry {
    const n = this.table.lookup(addr);
    const e = n?.routes[0];
    if (!e || e.hostentry) return this.resolution('unreachable', undefined, false, undefined, 0);
    if (e.dest === 'device') {
      if ((this.config.localAddresses ?? []).includes(addr)) return this.resolution('unreachable', undefined, false, undefined, 0);
      return this.resolution('router', undefined, true, e.iface, 0);
    }
    const kind = this.locals.get(e.protocol)?.kind;
    return this.resolution(e.dest, e.gateway, false, e.iface, kind === 'direct' || kind === 'device' ? 0 : IGP_METRIC_UNKNOWN);
  }

  private resolution(dest: RouteDest, gateway: Ipv4 | undefined, self: boolean, iface: string | undefined, igpMetric: number): Hostentry {
    const l = this.lastResolution;
    if (l !== null && l.dest === dest && l.gateway === gateway && l.self === self && l.iface === iface && l.igpMetric === igpMetric)
      return l;
    this.lastResolution = this.internResolution(dest, gateway, self, iface, igpMetric);
    return this.lastResolution;
  }

  private internResolution(
    dest: RouteDest,
    gateway: Ipv4 | undefined,
    self: boolean,
    iface: string | undefined,
    igpMetric: number,
  ): Hostentry {
    const k = `${dest}|${gateway ?? ''}|${self ? 1 : 0}|${iface ?? ''}|${igpMetric}`;
    let he = this.resolutions.get(k);
    if (he === undefined) {
      he = { dest, gateway, self, iface, igpMetric };
      this.resolutions.set(k, he);
    }
    return he;
  }

  /** tableUpdate is rte_update for one source, then rte_announce to every protocol and the kernel. */
  private tableUpdate(prefix: Cidr, protocol: string, pathId: number, route: RibRoute | null): void {
    const ch = this.table.update(prefix, protocol, pathId, route);
    if (!ch) return;
    // A route holds its source (rte_src uc): a withdrawn path id is free again after the next prune.
    if (ch.old) this.sources.unlock(ch.old.protocol, ch.old.pathId);
    if (ch.new) this.sources.lock(ch.new.protocol, ch.new.pathId);
    this.announce(ch);
    if (ch.old) this.forgetRoute(ch.old);
    if (ch.newBest !== ch.oldBest) {
      this.kernelNotify(ch.net, ch.newBest);
      this.recheckHostentries(ch.prefix);
    }
  }

  /**
   * recheckHostentries is rt_update_hostcache for the next hops a change of `prefix` can move, then
   * rt_next_hop_update: every route resolved through a next hop that moved is updated, in FIB order.
   */
  private recheckHostentries(prefix: Cidr): void {
    if (this.hostentries.size === 0) return;
    const candidates = prefix.len >= 24 ? (this.hostentriesBy24.get(prefix.addr >>> 8) ?? []) : this.hostentries.keys();
    let moved: Set<Ipv4> | null = null;
    for (const addr of candidates) {
      if (prefix.len > 0 && (addr ^ prefix.addr) >>> (32 - prefix.len) !== 0) continue;
      const r = this.resolve(addr);
      if (r === this.hostentries.get(addr)) continue;
      this.hostentries.set(addr, r);
      moved ??= new Set();
      moved.add(addr);
    }
    if (moved === null) return;
    for (const n of this.table.allNets())
      for (const r of n.routes.slice()) {
        if (!r.hostentry) continue;
        const nh = findAttr(r.attrs, 'next-hop')?.nextHop ?? 0;
        if (!moved.has(nh)) continue;
        const he = this.hostentries.get(nh)!;
        // An earlier update of this walk may have replaced the route.
        const cur = this.table.net(n.prefix)?.routes.find((x) => x.protocol === r.protocol && x.pathId === r.pathId);
        if (!cur) continue;
        this.tableUpdate(cur.prefix, cur.protocol, cur.pathId, {
          ...cur,
          dest: he.dest,
          gateway: he.self ? nh : he.gateway,
          iface: he.iface,
          bgp: cur.bgp ? { ...cur.bgp, resolvable: he.dest === 'router' || he.dest === 'device', igpMetric: he.igpMetric } : undefined,
          lastmod: this.now,
        });
      }
  }

  /** announce is rte_announce: RA_ANY to ADD-PATH peers, RA_OPTIMAL to the others. */
  private announce(ch: RibChange): void {
    const bestMoved = ch.newBest !== ch.oldBest;
    for (const rt of this.runtimes) {
      if (!rt.exporting) continue;
      if (rt.session.addPathTx) this.notify(rt, ch.prefix, ch.new, ch.old, false);
      else if (bestMoved) this.notify(rt, ch.prefix, ch.newBest, ch.oldBest, false);
    }
  }

  /** kernelNotify is the kernel protocol's view: BGP and static bests, not its own or device routes. */
  private kernelNotify(net: RibNet, best: RibRoute | null): void {
    if (!this.kernelExport) return;
    const fr = best === null ? null : this.fibRoute(best);
    const prev = net.kernel;
    if (!fr && !prev) return;
    const was = prev === null ? null : this.fibRoute(prev);
    if (fr && was && sameFib(fr, was)) return;
    if (fr && !prev) net.kernelSeq = this.fibSeq++;
    net.kernel = fr ? best : null;
    this.out.push({ type: 'fib', prefix: fr?.prefix ?? prev!.prefix, route: fr });
  }

  /** fibRoute is what the kernel protocol installs for a best route, or null for one it does not. */
  private fibRoute(best: RibRoute): FibRoute | null {
    const kind = this.protos.has(best.protocol) ? 'bgp' : this.locals.get(best.protocol)?.kind;
    if ((kind !== 'bgp' && kind !== 'static') || best.dest === 'device') return null;
    return {
      prefix: best.prefix,
      dest: best.dest,
      gateway: best.gateway,
      iface: best.iface,
      protocol: best.protocol,
      source: kind === 'bgp' ? 'bgp' : 'static',
      nextHop: kind === 'bgp' ? findAttr(best.attrs, 'next-hop')?.nextHop : undefined,
      peer: kind === 'bgp' ? best.from : undefined,
    };
  }
}

/**
 * Routes of many speakers share the parts that are equal: every client of a reflector learns a block with
 * the same attributes (update.ts shares them) from a peer that looks the same (one BgpSourceInfo per
 * content), so the `bgp` part of the route is one object for all of them. They are immutable values.
 */
const sources = new Map<string, BgpSourceInfo>();
const bgpParts = new Map<RouteAttrs, Map<BgpSourceInfo, NonNullable<RibRoute['bgp']>[]>>();
const SHARED_LIMIT = 1 << 16;

function sharedSource(s: BgpSourceInfo): BgpSourceInfo {
  const k = `${s.isInternal ? 1 : 0}|${s.remoteId}|${s.remoteIp}|${s.remoteAs}|${s.defaultLocalPref}|${s.defaultMed}|${s.comparePathLengths ? 1 : 0}|${s.medMetric ? 1 : 0}|${s.igpMetric ? 1 : 0}|${s.preferOlder ? 1 : 0}`;
  let v = sources.get(k);
  if (v === undefined) {
    if (sources.size >= SHARED_LIMIT) sources.clear();
    v = Object.freeze(s);
    sources.set(k, v);
  }
  return v;
}

function sharedBgp(attrs: RouteAttrs, source: BgpSourceInfo, resolvable: boolean, igpMetric: number): NonNullable<RibRoute['bgp']> {
  let bySource = bgpParts.get(attrs);
  if (bySource === undefined) {
    if (bgpParts.size >= SHARED_LIMIT) bgpParts.clear();
    bySource = new Map();
    bgpParts.set(attrs, bySource);
  }
  let list = bySource.get(source);
  if (list === undefined) {
    list = [];
    bySource.set(source, list);
  }
  for (const b of list) if (b.resolvable === resolvable && b.igpMetric === igpMetric) return b;
  const b = Object.freeze({ attrs, resolvable, igpMetric, source });
  list.push(b);
  return b;
}

function sameFib(a: FibRoute, b: FibRoute): boolean {
  return a.dest === b.dest && a.gateway === b.gateway && a.iface === b.iface && a.protocol === b.protocol && a.nextHop === b.nextHop;
}

const TIMER_INDEX: Record<BgpTimer, number> = {
  'connect-delay': 0,
  'connect-retry': 1,
  hold: 2,
  keepalive: 3,
  'error-wait': 4,
  'graceful-restart': 5,
};

function timerKey(protocol: string, timer: string, conn?: ConnId): string {
  return `${protocol}|${timer}|${conn ?? ''}`;
}

/** describeNotification is a NOTIFICATION in BIRD's words, for traces. */
export function describeNotification(code: number, subcode: number): string {
  return bgpErrorText(code, subcode);
}
