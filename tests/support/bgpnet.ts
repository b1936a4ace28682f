// An in-memory network of BgpSpeakers (src/bgp/speaker.ts) for tests and the BGP benchmark: TCP
// connections byte stream to byte stream, on a virtual clock (seconds). It stands in for the simulated TCP
// transport of src/scenarios/runtime/bird.ts: a connect reaches the speaker at the remote address
// (accept/reject), or is refused; bytes arrive after a latency, in order per direction; a close reaches
// the other end as "Connection closed". Events and timers are kept in binary heaps, so a step costs
// O(log events) whatever the number of speakers.

import { formatIpv4, type Ipv4 } from '../../src/model/addr.js';
import type { ConnId } from '../../src/bgp/fsm.js';
import type { BgpSpeaker, SpeakerOutput } from '../../src/bgp/speaker.js';

interface End {
  readonly node: Ipv4;
  readonly protocol: string;
  readonly conn: ConnId;
}

interface Conn {
  readonly id: number;
  a: End;
  b: End | null;
  /** lastAtoB and lastBtoA keep the bytes of each direction in order whatever the latency draws. */
  lastAtoB: number;
  lastBtoA: number;
  open: boolean;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

interface Deadline {
  readonly at: number;
  /** rank is the speaker's place in insertion order: equal deadlines fire in that order. */
  readonly rank: number;
  readonly node: Ipv4;
}

/** BgpNetOptions tune the network; the defaults are what the speaker tests expect. */
export interface BgpNetOptions {
  /** latency returns the one-way delay of the next delivery (seconds). */
  readonly latency?: () => number;
  /** record keeps every output in `log` (on by default; the benchmark turns it off). */
  readonly record?: boolean;
  /**
   * segment, when set, makes the network behave like bird.ts over the kernel's TCP: the messages a speaker
   * call sends on one connection are written together, and arrive in reads of at most `segment` octets.
   */
  readonly segment?: number;
  /** deferTx runs `flush()` of a speaker with pending output once the events of the current time are done (bird.ts's tx event). */
  readonly deferTx?: boolean;
  /** sample runs every 8,192 events (the benchmark reads the heap there). */
  readonly sample?: () => void;
}

/** BgpNetCounters count BGP messages by type (1 OPEN … 5 ROUTE-REFRESH) as sent and as received. */
export interface BgpNetCounters {
  readonly sent: number[];
  readonly received: number[];
  /** bytes is the number of octets delivered. */
  bytes: number;
  /** events is the number of deliveries and timer runs. */
  events: number;
}

function before(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function deadlineBefore(a: Deadline, b: Deadline): boolean {
  return a.at < b.at || (a.at === b.at && a.rank < b.rank);
}

function push<T>(h: T[], e: T, lt: (a: T, b: T) => boolean): void {
  let i = h.length;
  h.push(e);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!lt(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function pop<T>(h: T[], lt: (a: T, b: T) => boolean): T {
  const top = h[0];
  const last = h.pop()!;
  if (h.length === 0) return top;
  h[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && lt(h[l], h[m])) m = l;
    if (r < h.length && lt(h[r], h[m])) m = r;
    if (m === i) return top;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}

/** BgpNet wires speakers together by address. */
export class BgpNet {
  readonly speakers = new Map<Ipv4, BgpSpeaker>();
  now = 0;
  /** log collects every output, with the node that produced it (when `record`). */
  readonly log: { node: Ipv4; at: number; out: SpeakerOutput }[] = [];
  /** down lists addresses whose listener refuses connections. */
  readonly down = new Set<Ipv4>();
  readonly counters: BgpNetCounters = { sent: [0, 0, 0, 0, 0, 0], received: [0, 0, 0, 0, 0, 0], bytes: 0, events: 0 };
  private readonly latency: () => number;
  private readonly record: boolean;
  private readonly segment: number;
  private readonly deferTx: boolean;
  private readonly sample: (() => void) | undefined;
  private readonly queue: Pending[] = [];
  private seq = 0;
  /** conns indexes the open connections by both ends: node, protocol, then outgoing (0) or incoming (1). */
  private readonly conns = new Map<Ipv4, Map<string, (Conn | undefined)[]>>();
  private connCount = 0;
  private readonly deadlines: Deadline[] = [];
  /** armed is the deadline each speaker has in `deadlines` (others there are stale). */
  private readonly armed = new Map<Ipv4, number>();
  private readonly rank = new Map<Ipv4, number>();
  private readonly txScheduled = new Set<Ipv4>();

  /** constructor takes `latency` (the one-way delay of the next delivery, seconds) or the options. */
  constructor(opts: (() => number) | BgpNetOptions = {}) {
    const o: BgpNetOptions = typeof opts === 'function' ? { latency: opts } : opts;
    this.latency = o.latency ?? (() => 0.001);
    this.record = o.record ?? true;
    this.segment = o.segment ?? 0;
    this.deferTx = o.deferTx ?? false;
    this.sample = o.sample;
  }

  add(addr: Ipv4, s: BgpSpeaker): void {
    this.speakers.set(addr, s);
    this.rank.set(addr, this.rank.size);
    this.rearm(addr);
  }

  private schedule(at: number, run: () => void): void {
    push(this.queue, { at, seq: this.seq++, run }, before);
  }

  /** startAll starts every speaker at the current time. */
  startAll(): void {
    for (const [addr, s] of this.speakers) this.handle(addr, s.start(this.now));
  }

  /** handle carries out what a speaker asked. */
  handle(node: Ipv4, outs: SpeakerOutput[]): void {
    const writes = this.segment > 0 ? new Map<Conn, Uint8Array[]>() : null;
    for (const out of outs) {
      if (this.record) this.log.push({ node, at: this.now, out });
      switch (out.type) {
        case 'connect':
          this.connect(node, out.protocol, out.remote);
          break;
        case 'send': {
          const c = this.find(node, out.protocol, out.conn);
          if (!c?.open || !c.b) break;
          this.counters.sent[out.bytes[18]]++;
          if (writes) {
            const w = writes.get(c);
            if (w) w.push(out.bytes);
            else writes.set(c, [out.bytes]);
          } else this.transmit(c, node, out.protocol, out.conn, out.bytes);
          break;
        }
        case 'close': {
          const c = this.find(node, out.protocol, out.conn);
          if (!c?.open) break;
          if (writes?.has(c)) {
            this.transmit(c, node, out.protocol, out.conn, concat(writes.get(c)!));
            writes.delete(c);
          }
          this.closeConn(c);
          const other = c.a.node === node && c.a.protocol === out.protocol ? c.b : c.a;
          const lastFromUs = c.a.node === node ? c.lastAtoB : c.lastBtoA;
          if (other)
            this.schedule(Math.max(this.now + this.latency(), lastFromUs), () => {
              const s = this.speakers.get(other.node);
              if (s) this.handle(other.node, s.tcpFailed(other.protocol, other.conn, '', this.now));
            });
          break;
        }
        default:
          break;
      }
    }
    if (writes)
      for (const [c, parts] of writes) {
        const fromA = c.a.node === node;
        const end = fromA ? c.a : c.b!;
        this.transmit(c, node, end.protocol, end.conn, concat(parts));
      }
    this.rearm(node);
    const s = this.speakers.get(node);
    if (this.deferTx && s && !this.txScheduled.has(node) && s.hasPendingTx()) {
      this.txScheduled.add(node);
      this.schedule(this.now, () => {
        this.txScheduled.delete(node);
        const sp = this.speakers.get(node);
        if (sp) this.handle(node, sp.flush(this.now));
      });
    }
  }

  /** transmit schedules the delivery of bytes written by `node` on its end of `c`, in reads of `segment` octets. */
  private transmit(c: Conn, node: Ipv4, protocol: string, conn: ConnId, bytes: Uint8Array): void {
    const fromA = c.a.node === node && c.a.protocol === protocol && c.a.conn === conn;
    const to = fromA ? c.b! : c.a;
    const at = Math.max(this.now + this.latency(), fromA ? c.lastAtoB : c.lastBtoA);
    if (fromA) c.lastAtoB = at;
    else c.lastBtoA = at;
    const step = this.segment > 0 ? this.segment : bytes.length;
    for (let o = 0; o < bytes.length; o += step) {
      const piece = step >= bytes.length ? bytes : bytes.subarray(o, Math.min(bytes.length, o + step));
      const last = o + step >= bytes.length;
      this.schedule(at, () => {
        const s = this.speakers.get(to.node);
        if (!c.open || !s) return;
        this.counters.bytes += piece.length;
        if (last) countMessages(bytes, this.counters.received);
        this.handle(to.node, s.receive(to.protocol, to.conn, piece, this.now));
      });
    }
  }

  private ends(e: End): (Conn | undefined)[] {
    let byProtocol = this.conns.get(e.node);
    if (!byProtocol) {
      byProtocol = new Map();
      this.conns.set(e.node, byProtocol);
    }
    let ends = byProtocol.get(e.protocol);
    if (!ends) {
      ends = [undefined, undefined];
      byProtocol.set(e.protocol, ends);
    }
    return ends;
  }

  private index(e: End, c: Conn): void {
    this.ends(e)[e.conn === 'outgoing' ? 0 : 1] = c;
  }

  private closeConn(c: Conn): void {
    c.open = false;
    for (const e of [c.a, c.b]) {
      if (!e) continue;
      const ends = this.ends(e);
      const i = e.conn === 'outgoing' ? 0 : 1;
      if (ends[i] === c) ends[i] = undefined;
    }
  }

  private find(node: Ipv4, protocol: string, conn: ConnId): Conn | undefined {
    return this.conns.get(node)?.get(protocol)?.[conn === 'outgoing' ? 0 : 1];
  }

  private connect(node: Ipv4, protocol: string, remote: Ipv4): void {
    const c: Conn = { id: this.connCount++, a: { node, protocol, conn: 'outgoing' }, b: null, lastAtoB: 0, lastBtoA: 0, open: true };
    this.index(c.a, c);
    this.schedule(this.now + this.latency(), () => {
      if (!c.open) return;
      const target = this.speakers.get(remote);
      const src = this.speakers.get(node)!;
      if (!target || this.down.has(remote)) {
        this.closeConn(c);
        this.handle(node, src.tcpFailed(protocol, 'outgoing', 'Connection refused', this.now));
        return;
      }
      const outs = target.incoming(node, this.now);
      const acc = outs.find((o) => o.type === 'accept' || o.type === 'reject');
      if (acc && acc.type === 'accept') {
        c.b = { node: remote, protocol: acc.protocol, conn: 'incoming' };
        this.index(c.b, c);
      }
      // The listener accepted at the TCP level either way (a rejected one is closed right away). The
      // SYN-ACK reaches the initiator before any byte the other end sends.
      const connectedAt = this.now + this.latency();
      c.lastBtoA = connectedAt;
      this.schedule(connectedAt, () => {
        if (!c.open && c.b === null) return;
        this.handle(node, src.tcpConnected(protocol, this.now));
      });
      this.handle(remote, outs);
      if (!acc || acc.type === 'reject') {
        this.schedule(this.now + 2 * this.latency(), () => {
          if (!c.open) return;
          this.closeConn(c);
          this.handle(node, src.tcpFailed(protocol, 'outgoing', '', this.now));
        });
      }
    });
  }

  /** rearm puts a speaker's next timer deadline in the heap. */
  private rearm(node: Ipv4): void {
    const s = this.speakers.get(node);
    const d = s?.nextDeadline() ?? null;
    if (d === null) {
      this.armed.delete(node);
      return;
    }
    if (this.armed.get(node) === d) return;
    this.armed.set(node, d);
    push(this.deadlines, { at: d, rank: this.rank.get(node)!, node }, deadlineBefore);
  }

  /** nextTimer drops stale heap entries (a deadline that moved, a speaker removed) and returns the first live one. */
  private nextTimer(): Deadline | undefined {
    const h = this.deadlines;
    while (h.length > 0) {
      const t = h[0];
      if (this.armed.get(t.node) !== t.at) {
        pop(h, deadlineBefore);
        continue;
      }
      const d = this.speakers.get(t.node)?.nextDeadline() ?? null;
      if (d === t.at) return t;
      pop(h, deadlineBefore);
      if (d === null) this.armed.delete(t.node);
      else {
        this.armed.set(t.node, d);
        push(h, { at: d, rank: t.rank, node: t.node }, deadlineBefore);
      }
    }
    return undefined;
  }

  /** run processes deliveries and timers until `until` (inclusive) or until nothing is left. */
  run(until: number, maxEvents = 2_000_000): void {
    for (let guard = 0; guard < maxEvents; guard++) {
      const t = this.nextTimer();
      const q = this.queue.length > 0 ? this.queue[0] : undefined;
      const timerFirst = t !== undefined && (q === undefined || t.at < q.at);
      const next = timerFirst ? t.at : q?.at;
      if (next === undefined || next > until) {
        this.now = Math.max(this.now, until);
        return;
      }
      this.now = Math.max(this.now, next);
      if ((++this.counters.events & 8191) === 0) this.sample?.();
      if (timerFirst) {
        pop(this.deadlines, deadlineBefore);
        this.armed.delete(t.node);
        this.handle(t.node, this.speakers.get(t.node)!.advance(this.now));
      } else pop(this.queue, before).run();
    }
    throw new Error('BgpNet: too many events');
  }

  /** idle says whether no delivery waits (timers may still run). */
  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** outputs lists one node's outputs of a type. */
  outputs<T extends SpeakerOutput['type']>(node: Ipv4, type: T): Extract<SpeakerOutput, { type: T }>[] {
    return this.log.filter((l) => l.node === node && l.out.type === type).map((l) => l.out as Extract<SpeakerOutput, { type: T }>);
  }

  describe(node: Ipv4): string {
    return formatIpv4(node);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** countMessages walks the BGP headers of whole messages and counts them by type. */
function countMessages(b: Uint8Array, into: number[]): void {
  let o = 0;
  while (o + 19 <= b.length) {
    const len = (b[o + 16] << 8) | b[o + 17];
    if (len < 19) return;
    into[b[o + 18]] = (into[b[o + 18]] ?? 0) + 1;
    o += len;
  }
}
