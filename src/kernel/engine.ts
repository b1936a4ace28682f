// The event loop on a virtual clock, plus the socket layer that ping(8) and curl(1) use: ICMP echo
// sockets here, TCP in tcp.ts (RFC 9293).
//
// The world is mutated in place while nothing records: a step costs what it touches, whatever the
// size of the world. A recording (Sim.record) makes each step work on immer drafts of the
// namespaces it touches and logs every version they pass through, so each trace event keeps an
// immutable view of the world as it left it, sharing everything it did not change. Namespaces a
// recording touched stay copy-on-write afterwards while the trace is alive, so its views never
// change; FIBs are copied on their first change after a snapshot (FibStore.frozen).

import { createDraft, current, type Draft, enableMapSet, finishDraft, isDraft, setAutoFreeze } from 'immer';
import type { Ipv4 } from '../model/addr.js';
import type { FibStore } from '../model/fibstore.js';
import { IpProtocol, decodeIcmp, decodeIpv4, encodeIcmp } from '../model/wire/index.js';
import { INIT_NS, type Netns, type World, type WorldView } from '../model/world.js';
import type { DriverRegistry, LinkDriver, LocalPacket, SimEvent, Tx } from './driver.js';
import { newNetns, pernetInit } from './netns.js';
import { neighTimer, proxyArpRedo } from './arp.js';
import { type Errno, type PmtuDisc, ipRouteOutput, ipSendLocal, netifRx } from './stack.js';
import { Tcp } from './tcp.js';
import { NOT_LOGGED, type TraceEvent, type TraceStep, VersionLog, snapshotView } from './trace.js';

enableMapSet();
setAutoFreeze(false);

/** CapturedFrame is one frame a capture saw, with its virtual timestamp. */
export interface CapturedFrame {
  readonly at: number;
  readonly frame: Uint8Array;
}

/**
 * Queued is one entry of the event queue. An application timer carries its callback (`fn`); any other
 * event its SimEvent. Frames the same step sends one after the other, all due at the same time (a
 * bridge flooding one frame to every port), share one entry: `more` holds the deliveries after the
 * first, which run in order as consecutive steps, exactly as separate entries with consecutive
 * sequence numbers would (no other entry can sort between them).
 */
type RxEvent = Extract<SimEvent, { kind: 'rx' }>;

interface Queued {
  at: number;
  seq: number;
  /** pos is the entry's index in the heap, or -1 once it left it. */
  pos: number;
  readonly ev: SimEvent | null;
  readonly fn: (() => void) | null;
  /** id is the application timer's id (0 for other events). */
  readonly id: number;
  more: SimEvent[] | null;
  /** taken counts the deliveries of a shared entry already handed out. */
  taken: number;
}

/** EventHeap is the event queue: a binary heap ordered by (time, insertion sequence) that can remove any entry. */
class EventHeap {
  private readonly items: Queued[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Queued | undefined {
    return this.items[0];
  }

  push(q: Queued): void {
    const a = this.items;
    a.push(q);
    this.up(a.length - 1, q);
  }

  pop(): Queued | undefined {
    const a = this.items;
    const top = a[0];
    if (top === undefined) return undefined;
    top.pos = -1;
    const last = a.pop()!;
    if (a.length > 0) this.down(0, last);
    return top;
  }

  /** remove takes an entry out wherever it is (a cancelled timer). */
  remove(q: Queued): void {
    const i = q.pos;
    if (i < 0) return;
    q.pos = -1;
    const a = this.items;
    const last = a.pop()!;
    if (i === a.length) return;
    if (i > 0 && before(last, a[(i - 1) >>> 1])) this.up(i, last);
    else this.down(i, last);
  }

  /** moved restores the order after an entry's (at, seq) grew (a timer armed again later). */
  moved(q: Queued): void {
    this.down(q.pos, q);
  }

  private up(i0: number, q: Queued): void {
    const a = this.items;
    let i = i0;
    while (i > 0) {
      const p = (i - 1) >>> 1;
      const parent = a[p];
      if (!before(q, parent)) break;
      a[i] = parent;
      parent.pos = i;
      i = p;
    }
    a[i] = q;
    q.pos = i;
  }

  private down(i0: number, q: Queued): void {
    const a = this.items;
    const n = a.length;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(a[r], a[l]) ? r : l;
      const child = a[c];
      if (!before(child, q)) break;
      a[i] = child;
      child.pos = i;
      i = c;
    }
    a[i] = q;
    q.pos = i;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** PingEvent is what a ping socket learns: a reply, an ICMP error, or nothing. */
export type PingEvent =
  | { readonly kind: 'reply'; readonly seq: number; readonly ttl: number; readonly from: Ipv4; readonly bytes: number; readonly at: number }
  | {
      readonly kind: 'icmp-error';
      readonly seq: number;
      readonly from: Ipv4;
      readonly type: number;
      readonly code: number;
      readonly mtu?: number;
      /** gateway is the new first hop an ICMP redirect (type 5) names. */
      readonly gateway?: Ipv4;
      readonly at: number;
    };

/** RunBudget is what a run may spend: events processed and virtual time advanced, counted from when it is set. */
export interface RunBudget {
  readonly maxEvents: number;
  /** maxVirtualTimeUs is in virtual microseconds. */
  readonly maxVirtualTimeUs: number;
}

/** DEFAULT_RUN_BUDGET is a whole lab's budget unless the user says otherwise: 100 million events, 24 hours of virtual time. */
export const DEFAULT_RUN_BUDGET: RunBudget = { maxEvents: 100_000_000, maxVirtualTimeUs: 24 * 3600 * 1_000_000 };

/** StopReason says why the simulator stopped a run before its end: an interrupt, or a budget spent. */
export type StopReason =
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'budget'; readonly budget: 'events' | 'virtual-time' }
  /** storm is a frame that bridges kept flooding round a loop; `bridges` are `NAME (NS)`, sorted. */
  | { readonly kind: 'storm'; readonly bridges: readonly string[] };

/** stopReasonText is a stop reason in words, for the one line that reports it. */
export function stopReasonText(reason: StopReason): string {
  if (reason.kind === 'interrupted') return 'interrupted';
  if (reason.kind === 'storm') return `broadcast storm: one frame keeps looping through the bridges ${reason.bridges.join(', ')}`;
  return `${reason.budget} budget spent`;
}

/** STORM_FLOODS is how often one bridge may flood the same frame within STORM_WINDOW_US before it is a storm. */
const STORM_FLOODS = 1000;
const STORM_WINDOW_US = 1_000_000;

/** FloodCount counts one frame's floods by one bridge in the current window. */
interface FloodCount {
  readonly hash: number;
  readonly bridge: string;
  windowStart: number;
  count: number;
}

/** frameHash is FNV-1a over a frame's bytes: identical frames, identical hashes. */
function frameHash(frame: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < frame.length; i++) h = Math.imul(h ^ frame[i], 0x01000193);
  return h >>> 0;
}

/**
 * SimStopped is what the run loop throws, between two events, once the run is interrupted or its
 * budget is spent; the events before it ran, the one after it did not.
 */
export class SimStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(stopReasonText(reason));
    this.name = 'SimStopped';
  }
}

/** Trace is a recording: its steps in order, each with the world as it left it. */
export class Trace {
  readonly steps: TraceStep[] = [];
  private open = true;

  constructor(
    readonly log: VersionLog,
    private readonly onClose: () => void,
  ) {}

  /** recording says whether steps are still being added. */
  get recording(): boolean {
    return this.open;
  }

  /** close stops the recording; the steps and their views stay valid. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose();
  }
}

/** SimOptions configure a simulator. */
export interface SimOptions {
  /** drivers is the registry of link kinds (kernel ones, plus what src/encap registers). */
  readonly drivers: DriverRegistry;
}

/** Sim is the simulator: a world, its event queue and the sockets living on top of it. It is the Tx of every step. */
export class Sim implements Tx {
  readonly world: World;
  readonly drivers: DriverRegistry;
  private readonly queue = new EventHeap();
  private seqNo = 0;
  private readonly captures = new Map<string, Map<number, CapturedFrame[]>>();
  private readonly pingSockets = new Map<string, (e: PingEvent) => void>();
  /** appTimers are the application timers still due, by id; a cancelled one leaves the queue at once. */
  private readonly appTimers = new Map<number, Queued>();
  /** lastRx is the newest queue entry if it is a frame delivery still queued: the next delivery of the same frame may join it. */
  private lastRx: Queued | null = null;
  private nextApp = 1;
  private pingIdent = 0x3039;
  /** tcp is the TCP layer: its socket API (listen, connect) and segment handling. */
  readonly tcp: Tcp = new Tcp(this);
  /** steps counts the events processed so far (packet steps, timers), for measurements. */
  steps = 0;
  /** deliveries counts the steps that were a frame arriving on a device, for measurements. */
  deliveries = 0;
  /** stepLimit is the value of `steps` at which the event budget is spent. */
  private stepLimit = Number.POSITIVE_INFINITY;
  /** timeLimit is the virtual time the clock may not pass. */
  private timeLimit = Number.POSITIVE_INFINITY;
  private hasBudget = false;
  private interrupted = false;
  /** floods counts recent floods per frame and bridge; storm is set once one became a broadcast storm. */
  private readonly floods = new Map<string, FloodCount>();
  private storm: StopReason | null = null;
  /** interruptSource is polled between events: a flag another thread sets (a signal). */
  private interruptSource: (() => boolean) | null = null;

  // Recording state.
  private recording: Trace | null = null;
  /** logs are the version logs of traces still alive; while any is, changes must not reach their views. */
  private readonly logs = new Set<VersionLog>();
  /** shared are the namespaces whose live records a log may hold: they are changed through drafts only. */
  private readonly shared = new Set<string>();
  private orderShared = false;
  private drafts: Map<string, Draft<Netns>> | null = null;
  private orderChanged = false;
  private readonly finalizer = new FinalizationRegistry<VersionLog>((log) => this.forget(log));
  readonly view: WorldView;

  constructor(opts: SimOptions) {
    this.drivers = opts.drivers;
    this.world = { now: 0, namespaces: new Map(), nsOrder: [], seq: 0 };
    this.view = new StepView(this.world, (key) => this.drafts?.get(key) as Netns | undefined);
    this.control((tx) => {
      tx.addNs(INIT_NS, newNetns(INIT_NS, this.drivers));
      pernetInit(tx, INIT_NS);
    });
  }

  /** now is the virtual clock in microseconds. */
  get now(): number {
    return this.world.now;
  }

  /** loadDriver registers a link kind, as loading its module does: its per-namespace init runs for every namespace (ipip's tunl0). */
  loadDriver(d: LinkDriver): void {
    if (this.drivers.get(d.kind) !== undefined) return;
    this.drivers.register(d);
    this.control((tx) => {
      for (const key of [...tx.nsKeys()]) d.pernetInit?.(tx, key);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Tx

  /** ns returns a namespace to change: the live record, or its draft while it is copy-on-write. */
  ns(key: string): Netns | undefined {
    const drafts = this.drafts;
    if (drafts !== null) {
      const d = drafts.get(key);
      if (d !== undefined) return d as Netns;
    }
    const live = this.world.namespaces.get(key);
    if (live === undefined || this.logs.size === 0) return live;
    if (!this.shared.has(key)) {
      // A namespace first changed while a trace is alive: its views must keep the record as it is now.
      for (const log of this.logs) if (!log.has(key)) log.push(key, -1, live);
      freezeFib(live);
      this.shared.add(key);
    }
    if (drafts === null) throw new Error('a copy-on-write namespace was changed outside a step');
    const d = createDraft(live);
    drafts.set(key, d);
    return d as Netns;
  }

  /** fib returns the namespace's FIB ready to change, cloned first when a snapshot holds it. */
  fib(ns: Netns): FibStore {
    if (ns.fib.frozen) ns.fib = ns.fib.clone();
    return ns.fib;
  }

  addNs(key: string, ns: Netns): void {
    if (this.logs.size > 0) {
      for (const log of this.logs) if (!log.has(key)) log.push(key, -1, undefined);
      this.shared.add(key);
    }
    this.world.namespaces.set(key, ns);
    this.drafts?.delete(key);
    this.changeOrder(
      () => [...this.world.nsOrder, key],
      () => this.world.nsOrder.push(key),
    );
    this.logNs(key, ns);
  }

  delNs(key: string): void {
    const live = this.world.namespaces.get(key);
    if (live !== undefined && this.logs.size > 0 && !this.shared.has(key)) {
      for (const log of this.logs) if (!log.has(key)) log.push(key, -1, live);
    }
    this.world.namespaces.delete(key);
    this.drafts?.delete(key);
    this.changeOrder(
      () => this.world.nsOrder.filter((k) => k !== key),
      () => {
        const i = this.world.nsOrder.indexOf(key);
        if (i >= 0) this.world.nsOrder.splice(i, 1);
      },
    );
    this.logNs(key, undefined);
  }

  nsKeys(): readonly string[] {
    return this.world.nsOrder;
  }

  nextSeq(): number {
    this.world.seq += 1;
    return this.world.seq;
  }

  schedule(ev: SimEvent, delayUs: number): void {
    const at = this.world.now + delayUs;
    const seq = this.seqNo++;
    const last = this.lastRx;
    if (ev.kind === 'rx' && last !== null && last.pos >= 0 && last.at === at && (last.ev as RxEvent).frame === ev.frame) {
      // The same frame again, right after the last one and due at the same time: it joins that entry.
      if (last.more === null) last.more = [ev];
      else last.more.push(ev);
      return;
    }
    const q: Queued = { at, seq, pos: -1, ev, fn: null, id: 0, more: null, taken: 0 };
    this.queue.push(q);
    this.lastRx = ev.kind === 'rx' ? q : null;
  }

  trace(ev: TraceEvent): void {
    const t = this.recording;
    if (t === null) return;
    const index = t.steps.length;
    this.snapshotDrafts(t.log, index);
    t.steps.push({ at: this.world.now, event: ev, view: snapshotView(t.log, index, this.world.now, this.world, t) });
  }

  deliver(p: LocalPacket): void {
    this.sockDeliver(p);
  }

  flooded(ns: string, bridge: string, frame: Uint8Array): void {
    if (this.storm !== null) return;
    const hash = frameHash(frame);
    const key = `${hash}\u0000${ns}\u0000${bridge}`;
    const now = this.world.now;
    let c = this.floods.get(key);
    if (c === undefined) {
      if (this.floods.size >= 4096) {
        for (const [k, v] of this.floods) if (now - v.windowStart > STORM_WINDOW_US) this.floods.delete(k);
      }
      c = { hash, bridge: `${bridge} (${ns === INIT_NS ? 'the initial namespace' : ns})`, windowStart: now, count: 0 };
      this.floods.set(key, c);
    } else if (now - c.windowStart > STORM_WINDOW_US) {
      c.windowStart = now;
      c.count = 0;
    }
    c.count += 1;
    if (c.count < STORM_FLOODS) return;
    // The bridges of the loop are those flooding this same frame about as often.
    const bridges: string[] = [];
    for (const v of this.floods.values())
      if (v.hash === hash && v.count * 2 >= STORM_FLOODS && now - v.windowStart <= STORM_WINDOW_US) bridges.push(v.bridge);
    this.storm = { kind: 'storm', bridges: bridges.sort() };
  }

  capturing(ns: string, ifindex: number): boolean {
    return this.captures.size > 0 && this.captures.get(ns)?.has(ifindex) === true;
  }

  capture(ns: string, ifindex: number, frame: Uint8Array): void {
    if (this.captures.size === 0) return;
    const frames = this.captures.get(ns)?.get(ifindex);
    if (frames !== undefined) frames.push({ at: this.world.now, frame });
  }

  // -------------------------------------------------------------------------------------------
  // Recording

  /** record starts a trace: every step from now on is logged with the world it leaves, until close(). */
  record(): Trace {
    if (this.recording !== null) throw new Error('a trace is already recording');
    const log = new VersionLog();
    log.pushOrder(-1, this.world.nsOrder);
    this.orderShared = true;
    const t = new Trace(log, () => {
      if (this.recording === t) this.recording = null;
    });
    this.logs.add(log);
    this.finalizer.register(t, log);
    this.recording = t;
    return t;
  }

  /** forget drops a collected trace's log; once none is left, namespaces are changed in place again. */
  private forget(log: VersionLog): void {
    this.logs.delete(log);
    if (this.logs.size === 0 && this.drafts === null) this.shared.clear();
  }

  private logNs(key: string, value: Netns | undefined): void {
    const t = this.recording;
    if (t !== null) {
      if (value !== undefined) freezeFib(value);
      t.log.push(key, t.steps.length, value);
    }
  }

  private changeOrder(copy: () => string[], inPlace: () => void): void {
    if (this.orderShared) {
      this.world.nsOrder = copy();
      this.orderShared = false;
    } else inPlace();
    this.orderChanged = true;
  }

  /** snapshotDrafts logs, from event `index` on, every namespace this step changed so far. */
  private snapshotDrafts(log: VersionLog, index: number): void {
    if (this.drafts !== null) {
      for (const [key, d] of this.drafts) {
        const snap = current(d) as Netns;
        if (snap === log.last(key)) continue;
        freezeFib(snap);
        log.push(key, index, snap);
      }
    }
    if (this.orderChanged) {
      log.pushOrder(index, this.world.nsOrder);
      this.orderShared = true;
      this.orderChanged = false;
    }
  }

  /** runStep runs `fn` as one step: with drafts when any namespace is copy-on-write. */
  private runStep<R>(fn: () => R): R {
    if (this.logs.size === 0) {
      const out = fn();
      this.orderChanged = false;
      return out;
    }
    const outer = this.drafts;
    if (outer !== null) return fn();
    this.drafts = new Map();
    try {
      return fn();
    } finally {
      const drafts = this.drafts;
      this.drafts = null;
      const t = this.recording;
      for (const [key, d] of drafts) {
        if (!isDraft(d)) continue;
        const next = finishDraft(d) as Netns;
        if (this.world.namespaces.get(key) !== next && this.world.namespaces.has(key)) {
          this.world.namespaces.set(key, next);
        }
        if (t !== null && next !== t.log.last(key) && this.world.namespaces.get(key) === next) {
          freezeFib(next);
          t.log.push(key, t.steps.length, next);
        }
      }
      if (this.orderChanged && t !== null) {
        t.log.pushOrder(t.steps.length, this.world.nsOrder);
        this.orderShared = true;
      }
      this.orderChanged = false;
      if (this.logs.size === 0) this.shared.clear();
    }
  }

  /** control applies a control-plane change (a command) as one step. */
  control<R>(fn: (tx: Tx) => R): R {
    return this.runStep(() => fn(this));
  }

  // -------------------------------------------------------------------------------------------
  // Time

  /**
   * setBudget gives the run a budget from now on: `maxEvents` more events, `maxVirtualTimeUs` more
   * virtual time. Once it is spent, the run loop throws SimStopped before the next event.
   */
  setBudget(b: RunBudget): void {
    this.stepLimit = this.steps + b.maxEvents;
    this.timeLimit = this.world.now + b.maxVirtualTimeUs;
    this.hasBudget = true;
  }

  /** budgeted says whether a budget was set: a new simulator has none (bench runs and clusters converge unbounded). */
  get budgeted(): boolean {
    return this.hasBudget;
  }

  /** interrupt stops the run: the run loop throws SimStopped before the next event, and on every later call. */
  interrupt(): void {
    this.interrupted = true;
  }

  /** clearInterrupt lets runs go on after an interrupt. */
  clearInterrupt(): void {
    this.interrupted = false;
  }

  /** setInterruptSource makes the run loop poll `check` between events; true interrupts the run. */
  setInterruptSource(check: (() => boolean) | null): void {
    this.interruptSource = check;
  }

  /** checkRun throws SimStopped when the run may not go on to an event due at `at`. */
  private checkRun(at: number): void {
    if (this.interrupted || this.interruptSource?.() === true) {
      this.interrupted = true;
      throw new SimStopped({ kind: 'interrupted' });
    }
    if (this.storm !== null) throw new SimStopped(this.storm);
    if (this.steps >= this.stepLimit) throw new SimStopped({ kind: 'budget', budget: 'events' });
    if (at > this.timeLimit) {
      if (this.world.now < this.timeLimit) this.world.now = this.timeLimit;
      throw new SimStopped({ kind: 'budget', budget: 'virtual-time' });
    }
  }

  /**
   * runUntil processes every event due up to `t` and leaves the clock at `t`. It throws SimStopped
   * when the run is interrupted or its budget spent; `t` = Infinity with nothing left to happen is a
   * wait without end, which spends the virtual-time budget.
   */
  runUntil(t: number, stop?: () => boolean): void {
    const queue = this.queue;
    for (;;) {
      const next = queue.peek();
      if (next === undefined || next.at > t) break;
      if (stop?.()) return;
      this.checkRun(next.at);
      this.step(next);
    }
    if (stop?.()) return;
    if (this.world.now < t) {
      if (t === Number.POSITIVE_INFINITY) {
        this.checkRun(this.world.now);
        if (this.world.now < this.timeLimit && this.timeLimit !== Number.POSITIVE_INFINITY) this.world.now = this.timeLimit;
        throw new SimStopped({ kind: 'budget', budget: 'virtual-time' });
      }
      this.checkRun(t);
      this.world.now = t;
    }
  }

  /** nextEventAt is the time of the next queued event, or Infinity. */
  nextEventAt(): number {
    return this.queue.peek()?.at ?? Number.POSITIVE_INFINITY;
  }

  /** runFor advances the clock by `us`, processing events. */
  runFor(us: number): void {
    this.runUntil(this.world.now + us);
  }

  /** step runs the first event of the queue entry at the top of the queue, taking the entry out once it has none left. */
  private step(item: Queued): void {
    this.steps++;
    if (this.world.now < item.at) this.world.now = item.at;
    let ev: SimEvent;
    const more = item.more;
    if (more === null) {
      this.queue.pop();
      if (item.fn !== null) {
        this.appTimers.delete(item.id);
        item.fn();
        return;
      }
      ev = item.ev!;
    } else {
      const i = item.taken++;
      ev = i === 0 ? item.ev! : more[i - 1];
      if (i === more.length) this.queue.pop();
    }
    if (this.logs.size === 0) {
      this.dispatch(ev);
      this.orderChanged = false;
    } else this.runStep(() => this.dispatch(ev));
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case 'rx':
        this.deliveries++;
        netifRx(this, ev.ns, ev.ifindex, ev.frame);
        break;
      case 'neigh-timer':
        neighTimer(this, ev.ns, ev.ip, ev.dev);
        break;
      case 'proxy-arp':
        proxyArpRedo(this, ev.ns, ev.ifindex, ev.frame);
        break;
      case 'app':
        break;
    }
  }

  /** after runs `fn` (outside any step) once the clock reaches now + `us`. */
  after(us: number, fn: () => void): number {
    const id = this.nextApp++;
    const q: Queued = { at: this.world.now + us, seq: this.seqNo++, pos: -1, ev: null, fn, id, more: null, taken: 0 };
    this.appTimers.set(id, q);
    this.queue.push(q);
    this.lastRx = null;
    return id;
  }

  /**
   * rearm moves a timer set with `after` to now + `us`, as cancelling it and setting it again would
   * (it sorts after everything scheduled so far); it returns false when the timer is no longer due.
   */
  rearm(id: number, us: number): boolean {
    const q = this.appTimers.get(id);
    if (q === undefined) return false;
    const at = this.world.now + us;
    const grew = at >= q.at;
    q.at = at;
    q.seq = this.seqNo++;
    if (grew) this.queue.moved(q);
    else {
      this.queue.remove(q);
      this.queue.push(q);
    }
    this.lastRx = null;
    return true;
  }

  /** cancel forgets a timer set with `after`. */
  cancel(id: number): void {
    const q = this.appTimers.get(id);
    if (q === undefined) return;
    this.appTimers.delete(id);
    this.queue.remove(q);
  }

  // -------------------------------------------------------------------------------------------
  // Captures (tcpdump -i IFACE)

  /** startCapture starts recording frames on a device. */
  startCapture(ns: string, ifindex: number): void {
    let m = this.captures.get(ns);
    if (m === undefined) {
      m = new Map();
      this.captures.set(ns, m);
    }
    m.set(ifindex, []);
  }

  /** stopCapture returns the frames seen and stops recording. */
  stopCapture(ns: string, ifindex: number): CapturedFrame[] {
    const m = this.captures.get(ns);
    const frames = m?.get(ifindex) ?? [];
    m?.delete(ifindex);
    if (m?.size === 0) this.captures.delete(ns);
    return frames;
  }

  // -------------------------------------------------------------------------------------------
  // Sockets

  private sockDeliver(p: LocalPacket): void {
    const ip = p.ip;
    if (ip.repr.protocol === IpProtocol.Icmp) {
      const m = decodeIcmp(ip.payload);
      if (!m.ok) return;
      const r = m.value.repr;
      if (r.type === 'echo-reply') {
        const fn = this.pingSockets.get(`${r.ident}:${p.ns}`);
        fn?.({ kind: 'reply', seq: r.seq, ttl: ip.repr.ttl, from: ip.repr.src, bytes: ip.payload.length, at: this.now });
        return;
      }
      // A redirect reaches the socket that sent the quoted packet like the other errors (raw_icmp_error).
      let err: { type: number; code: number; invoking: Uint8Array; mtu?: number; gateway?: Ipv4 } | null = null;
      if (r.type === 'time-exceeded') err = { type: 11, code: r.code, invoking: r.invoking };
      else if (r.type === 'dest-unreachable')
        err = { type: 3, code: r.code, invoking: r.invoking, ...(r.nextHopMtu !== undefined ? { mtu: r.nextHopMtu } : {}) };
      else if (r.type === 'other' && r.icmpType === 5 && r.rest.length >= 4 + 20) {
        const g = r.rest;
        err = { type: 5, code: r.code, invoking: g.subarray(4), gateway: ((g[0] << 24) | (g[1] << 16) | (g[2] << 8) | g[3]) >>> 0 };
      }
      if (err !== null) {
        const orig = decodeIpv4(padInvoking(err.invoking));
        if (orig.ok && orig.value.repr.protocol === IpProtocol.Tcp) {
          if (err.type !== 5) this.tcp.icmpError(this, p.ns, err.type, err.code, err.invoking);
          return;
        }
        if (!orig.ok || orig.value.repr.protocol !== IpProtocol.Icmp) return;
        const inner = orig.value.payload;
        if (inner.length < 8 || inner[0] !== 8) return;
        const ident = (inner[4] << 8) | inner[5];
        const seq = (inner[6] << 8) | inner[7];
        const fn = this.pingSockets.get(`${ident}:${p.ns}`);
        fn?.({
          kind: 'icmp-error',
          seq,
          from: ip.repr.src,
          type: err.type,
          code: err.code,
          ...(err.gateway !== undefined ? { gateway: err.gateway } : {}),
          ...(err.mtu !== undefined ? { mtu: err.mtu } : {}),
          at: this.now,
        });
      }
      return;
    }
    if (ip.repr.protocol === IpProtocol.Tcp) this.tcp.rcv(this, p);
  }

  /** nextPingIdent hands out ICMP echo identifiers, one per ping run (iputils uses its pid). */
  nextPingIdent(): number {
    const id = this.pingIdent & 0xffff;
    this.pingIdent += 1;
    return id;
  }

  /** openPing registers an ICMP echo socket for `ident` in namespace `ns`. */
  openPing(ns: string, ident: number, fn: (e: PingEvent) => void): () => void {
    const key = `${ident}:${ns}`;
    this.pingSockets.set(key, fn);
    return () => this.pingSockets.delete(key);
  }

  /** sendEcho sends one echo request from a ping socket; it returns the local error, if any. */
  sendEcho(
    ns: string,
    dst: Ipv4,
    ident: number,
    seq: number,
    size: number,
    ttl: number,
    pmtudisc: PmtuDisc,
    oif?: number,
  ): { errno: Errno | 'EMSGSIZE'; mtu?: number } | null {
    const data = new Uint8Array(size);
    // iputils puts a timeval in the first 16 bytes and then 0x10, 0x11, … as filler.
    for (let i = 0; i < size; i++) data[i] = i >= 16 ? i & 0xff : 0;
    const msg = encodeIcmp({ type: 'echo-request', ident, seq, data });
    return this.control((tx) =>
      ipSendLocal(tx, ns, 0, dst, IpProtocol.Icmp, msg, { ttl, pmtudisc, ...(oif !== undefined ? { oif } : {}) }),
    );
  }

  /** routeSource returns the source address a socket connected to `dst` gets, or the routing error. */
  routeSource(ns: string, dst: Ipv4): Ipv4 | { errno: Errno } {
    const rt = ipRouteOutput(this.world.namespaces.get(ns)!, dst, 0);
    return 'errno' in rt ? rt : rt.prefsrc;
  }
}

/** StepView reads the world as the running step sees it: drafts where a namespace is being changed. */
class StepView implements WorldView {
  readonly namespaces: ReadonlyMap<string, Netns>;

  constructor(
    private readonly world: World,
    drafted: (key: string) => Netns | undefined,
  ) {
    const live = world.namespaces;
    this.namespaces = {
      get: (key: string) => drafted(key) ?? live.get(key),
      has: (key: string) => live.has(key),
      get size() {
        return live.size;
      },
      keys: () => live.keys(),
      values: () => [...live.keys()].map((k) => drafted(k) ?? live.get(k)!)[Symbol.iterator](),
      entries: () => [...live.keys()].map((k): [string, Netns] => [k, drafted(k) ?? live.get(k)!])[Symbol.iterator](),
      forEach: (fn) => {
        for (const k of live.keys()) fn(drafted(k) ?? live.get(k)!, k, live);
      },
      [Symbol.iterator]: () => [...live.keys()].map((k): [string, Netns] => [k, drafted(k) ?? live.get(k)!])[Symbol.iterator](),
    } as ReadonlyMap<string, Netns>;
  }

  get now(): number {
    return this.world.now;
  }

  get nsOrder(): readonly string[] {
    return this.world.nsOrder;
  }
}

function freezeFib(ns: Netns): void {
  ns.fib.frozen = true;
}

/** padInvoking returns the quoted datagram; a quote shorter than its Total Length is padded so it decodes. */
function padInvoking(b: Uint8Array): Uint8Array {
  if (b.length < 20) return b;
  const total = (b[2] << 8) | b[3];
  if (total <= b.length) return b;
  const out = new Uint8Array(total);
  out.set(b);
  return out;
}

export { NOT_LOGGED };
