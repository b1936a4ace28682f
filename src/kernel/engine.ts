// The event loop on a virtual clock, plus the socket layer that ping(8) and curl(1) use:
// ICMP echo sockets, TCP listeners and client connections (RFC 9293, RFC 7323 timestamps).
// Every step runs inside immer's produce, so each step leaves an immutable World snapshot.

import { type Draft, produce } from 'immer';
import type { Ipv4 } from '../model/addr.js';
import {
  IpProtocol,
  type TcpOption,
  type TcpRepr,
  decodeIcmp,
  decodeIpv4,
  decodeTcp,
  encodeIcmp,
  encodeTcp,
  tcpFlags,
} from '../model/wire/index.js';
import type { World } from '../model/world.js';
import { createWorld } from './netns.js';
import {
  type Errno,
  type LocalPacket,
  type PmtuDisc,
  type SimEvent,
  type StepCtx,
  defaultTtl,
  ipRouteOutput,
  ipSendLocal,
  neighTimer,
  netifRx,
  proxyArpRedo,
} from './stack.js';
import type { TraceEvent } from './trace.js';

type DWorld = Draft<World>;

/** TraceStep is a trace event with the world it left behind. */
export interface TraceStep {
  readonly at: number;
  readonly event: TraceEvent;
}

/** CapturedFrame is one frame a capture saw, with its virtual timestamp. */
export interface CapturedFrame {
  readonly at: number;
  readonly frame: Uint8Array;
}

interface Queued {
  readonly at: number;
  readonly seq: number;
  readonly ev: SimEvent;
}

/** PingEvent is what a ping socket learns: a reply, an ICMP error, or nothing. */
export type PingEvent =
  | { readonly kind: 'reply'; readonly seq: number; readonly ttl: number; readonly from: Ipv4; readonly bytes: number; readonly at: number }
  | { readonly kind: 'icmp-error'; readonly seq: number; readonly from: Ipv4; readonly type: number; readonly code: number; readonly mtu?: number; readonly at: number };

/** TcpState is the state of a simulated TCP connection (RFC 9293 §3.3.2). */
export type TcpState = 'SYN-SENT' | 'SYN-RECEIVED' | 'ESTABLISHED' | 'FIN-WAIT-1' | 'FIN-WAIT-2' | 'CLOSE-WAIT' | 'LAST-ACK' | 'CLOSED';

interface TcpConn {
  ns: string;
  laddr: Ipv4;
  lport: number;
  raddr: Ipv4;
  rport: number;
  state: TcpState;
  sndNxt: number;
  sndUna: number;
  rcvNxt: number;
  tsRecent: number;
  /** refused / reset is set when the peer answered with RST. */
  reset: boolean;
  rcvWscale: number;
  mss: number;
  synRetries: number;
  synAt: number;
  received: number;
  /** client is true for connections this host opened. */
  client: boolean;
}

/** Sim is the simulator: a world, its event queue and the sockets living on top of it. */
export class Sim {
  world: World;
  readonly trace: TraceStep[] = [];
  private queue: Queued[] = [];
  private seq = 0;
  private captures = new Map<string, CapturedFrame[]>();
  private pingSockets = new Map<string, (e: PingEvent) => void>();
  private conns: TcpConn[] = [];
  private appTimers = new Map<number, () => void>();
  private nextApp = 1;
  private tsBase = 0x10000;
  private isn = 0x2a3b4c5d;
  private portNext = 40000;
  /** recordTrace keeps trace events; callers that replay labs in bulk turn it off. */
  recordTrace = true;

  constructor(world?: World) {
    this.world = world ?? createWorld();
  }

  /** now is the virtual clock in microseconds. */
  get now(): number {
    return this.world.now;
  }

  /** control applies a control-plane change (a command) as one step. */
  control<R>(fn: (d: DWorld, ctx: StepCtx) => R): R {
    let out!: R;
    this.world = produce(this.world, (d) => {
      out = fn(d, this.ctx(d));
    });
    return out;
  }

  private ctx(d: DWorld): StepCtx {
    return {
      schedule: (ev, delayUs) => this.push(d.now + delayUs, ev),
      trace: (ev) => {
        if (this.recordTrace) this.trace.push({ at: d.now, event: ev });
      },
      deliver: (p) => this.sockDeliver(d, p),
      capture: (ns, ifindex, frame) => {
        const frames = this.captures.get(`${ns}\u0000${ifindex}`);
        if (frames) frames.push({ at: d.now, frame });
      },
    };
  }

  private push(at: number, ev: SimEvent): void {
    const item = { at, seq: this.seq++, ev };
    // Binary insertion keeps the queue ordered by (time, sequence).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const q = this.queue[mid];
      if (q.at < at || (q.at === at && q.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }

  /** runUntil processes every event due up to `t` and leaves the clock at `t`. */
  runUntil(t: number, stop?: () => boolean): void {
    while (this.queue.length > 0 && this.queue[0].at <= t) {
      if (stop && stop()) return;
      const item = this.queue.shift()!;
      this.step(item);
    }
    if (stop && stop()) return;
    if (this.world.now < t) this.world = produce(this.world, (d) => void (d.now = t));
  }

  /** nextEventAt is the time of the next queued event, or Infinity. */
  nextEventAt(): number {
    return this.queue.length > 0 ? this.queue[0].at : Infinity;
  }

  /** runFor advances the clock by `us`, processing events. */
  runFor(us: number): void {
    this.runUntil(this.world.now + us);
  }

  private step(item: Queued): void {
    const ev = item.ev;
    if (ev.kind === 'app') {
      if (this.world.now < item.at) this.world = produce(this.world, (d) => void (d.now = item.at));
      const fn = this.appTimers.get(ev.id);
      this.appTimers.delete(ev.id);
      if (fn) fn();
      return;
    }
    this.world = produce(this.world, (d) => {
      if (d.now < item.at) d.now = item.at;
      const ctx = this.ctx(d);
      switch (ev.kind) {
        case 'rx':
          netifRx(d, ctx, ev.ns, ev.ifindex, ev.frame);
          break;
        case 'neigh-timer':
          neighTimer(d, ctx, ev.ns, ev.ip, ev.dev);
          break;
        case 'proxy-arp':
          proxyArpRedo(d, ctx, ev.ns, ev.ifindex, ev.frame);
          break;
      }
    });
  }

  /** after runs `fn` (outside any step) once the clock reaches now + `us`. */
  after(us: number, fn: () => void): number {
    const id = this.nextApp++;
    this.appTimers.set(id, fn);
    this.push(this.world.now + us, { kind: 'app', id });
    return id;
  }

  /** cancel forgets a timer set with `after`. */
  cancel(id: number): void {
    this.appTimers.delete(id);
  }

  // -------------------------------------------------------------------------------------------
  // Captures (tcpdump -i IFACE)

  /** startCapture starts recording frames on a device; false when the device does not exist. */
  startCapture(ns: string, ifindex: number): void {
    this.captures.set(`${ns}\u0000${ifindex}`, []);
  }

  /** stopCapture returns the frames seen and stops recording. */
  stopCapture(ns: string, ifindex: number): CapturedFrame[] {
    const key = `${ns}\u0000${ifindex}`;
    const frames = this.captures.get(key) ?? [];
    this.captures.delete(key);
    return frames;
  }

  // -------------------------------------------------------------------------------------------
  // Sockets

  private sockDeliver(d: DWorld, p: LocalPacket): void {
    const ip = p.ip;
    if (ip.repr.protocol === IpProtocol.Icmp) {
      const m = decodeIcmp(ip.payload);
      if (!m.ok) return;
      const r = m.value.repr;
      if (r.type === 'echo-reply') {
        const fn = this.pingSockets.get(`${p.ns}\u0000${r.ident}`);
        fn?.({ kind: 'reply', seq: r.seq, ttl: ip.repr.ttl, from: ip.repr.src, bytes: ip.payload.length, at: d.now });
        return;
      }
      if (r.type === 'time-exceeded' || r.type === 'dest-unreachable') {
        const orig = decodeIpv4(padInvoking(r.invoking));
        if (!orig.ok || orig.value.repr.protocol !== IpProtocol.Icmp) {
          if (orig.ok && orig.value.repr.protocol === IpProtocol.Tcp) this.tcpIcmpError(d, p.ns, orig.value.payload, orig.value.repr.src, orig.value.repr.dst);
          return;
        }
        const inner = orig.value.payload;
        if (inner.length < 8 || inner[0] !== 8) return;
        const ident = (inner[4] << 8) | inner[5];
        const seq = (inner[6] << 8) | inner[7];
        const fn = this.pingSockets.get(`${p.ns}\u0000${ident}`);
        fn?.({
          kind: 'icmp-error',
          seq,
          from: ip.repr.src,
          type: r.type === 'time-exceeded' ? 11 : 3,
          code: r.code,
          ...(r.type === 'dest-unreachable' && r.nextHopMtu !== undefined ? { mtu: r.nextHopMtu } : {}),
          at: d.now,
        });
      }
      return;
    }
    if (ip.repr.protocol === IpProtocol.Tcp) {
      this.tcpRcv(d, p);
    }
  }

  /** openPing registers an ICMP echo socket for `ident` in namespace `ns`. */
  openPing(ns: string, ident: number, fn: (e: PingEvent) => void): () => void {
    const key = `${ns}\u0000${ident}`;
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
    return this.control((d, ctx) => ipSendLocal(d, ctx, ns, 0, dst, IpProtocol.Icmp, msg, { ttl, pmtudisc, ...(oif !== undefined ? { oif } : {}) }));
  }

  /** routeSource returns the source address a socket connected to `dst` gets, or the routing error. */
  routeSource(ns: string, dst: Ipv4): Ipv4 | { errno: Errno } {
    const rt = ipRouteOutput(this.world.namespaces[ns], dst, 0);
    return 'errno' in rt ? rt : rt.prefsrc;
  }

  /** listen adds a TCP listener (the `listen NS PORT` directive). */
  listen(ns: string, port: number): void {
    this.control((d) => {
      d.namespaces[ns].listeners.push({ port, addr: 0 });
    });
  }

  private tsVal(): number {
    // TCP timestamps tick in milliseconds from an arbitrary per-host origin.
    return (this.tsBase + Math.floor(this.world.now / 1000)) >>> 0;
  }

  private sendSegment(d: DWorld, ctx: StepCtx, c: TcpConn, flags: Partial<ReturnType<typeof tcpFlags>>, opts: TcpOption[], window: number, payload: Uint8Array = new Uint8Array(0)): void {
    const repr: TcpRepr = {
      srcPort: c.lport,
      dstPort: c.rport,
      seq: c.sndNxt >>> 0,
      ack: flags.ack ? c.rcvNxt >>> 0 : 0,
      flags: tcpFlags(flags),
      window,
      urgent: 0,
      options: opts,
    };
    const seg = encodeTcp(repr, payload, c.laddr, c.raddr);
    ipSendLocal(d, ctx, c.ns, c.laddr, c.raddr, IpProtocol.Tcp, seg, { ttl: defaultTtl(d.namespaces[c.ns] as World['namespaces'][string]), pmtudisc: 'want' });
  }

  /** rcvWscale is tcp_select_initial_window's window scale: ilog2 of the largest receive buffer, minus 15. */
  private rcvWscale(ns: string): number {
    const sys = this.world.namespaces[ns]?.sysctl ?? {};
    const rmem = Number((sys['net.ipv4.tcp_rmem'] ?? '4096 131072 6291456').split(/\s+/)[2]);
    const space = Math.max(rmem, Number(sys['net.core.rmem_max'] ?? '212992'));
    return Math.min(14, Math.max(0, Math.floor(Math.log2(space)) - 15));
  }

  /** window is the advertised window after the handshake: the initial window scaled down, rounded up. */
  private window(c: TcpConn, initial: number): number {
    return Math.ceil(initial / 2 ** c.rcvWscale);
  }

  private tsOpts(c: TcpConn, synLike: boolean, ecr: number): TcpOption[] {
    const ts: TcpOption = { kind: 'timestamp', tsval: this.tsVal(), tsecr: ecr };
    if (synLike) return [{ kind: 'mss', value: c.mss }, { kind: 'sack-permitted' }, ts, { kind: 'nop' }, { kind: 'window-scale', shift: c.rcvWscale }];
    return [{ kind: 'nop' }, { kind: 'nop' }, ts];
  }

  /** connect opens a client connection (curl); it returns the connection handle or a routing error. */
  connect(ns: string, dst: Ipv4, port: number): TcpConn | { errno: Errno } {
    const src = this.routeSource(ns, dst);
    if (typeof src !== 'number') return src;
    const out = ipRouteOutput(this.world.namespaces[ns], dst, 0);
    const mtu = 'errno' in out ? 1500 : this.world.namespaces[ns].links[out.dev]?.mtu ?? 1500;
    const c: TcpConn = {
      ns,
      laddr: src,
      lport: this.portNext++,
      raddr: dst,
      rport: port,
      state: 'SYN-SENT',
      sndNxt: this.isn,
      sndUna: this.isn,
      rcvNxt: 0,
      tsRecent: 0,
      reset: false,
      rcvWscale: this.rcvWscale(ns),
      mss: mtu - 40,
      synRetries: 0,
      synAt: this.world.now,
      received: 0,
      client: true,
    };
    this.isn = (this.isn + 0x01000193) >>> 0;
    this.conns.push(c);
    this.sendSyn(c);
    return c;
  }

  private sendSyn(c: TcpConn): void {
    this.control((d, ctx) => {
      c.sndNxt = c.sndUna;
      this.sendSegment(d, ctx, c, { syn: true }, this.tsOpts(c, true, 0), 64240);
      c.sndNxt = (c.sndUna + 1) >>> 0;
    });
    // RFC 6298 initial RTO of 1 s, doubling.
    const rto = 1_000_000 * 2 ** c.synRetries;
    this.after(rto, () => {
      if (c.state === 'SYN-SENT' && !c.reset && c.synRetries < 6) {
        c.synRetries += 1;
        this.sendSyn(c);
      }
    });
  }

  /** send writes data on an established connection. */
  send(c: TcpConn, data: Uint8Array): void {
    this.control((d, ctx) => {
      this.sendSegment(d, ctx, c, { ack: true, psh: true }, this.tsOpts(c, false, c.tsRecent), this.window(c, 64240), data);
      c.sndNxt = (c.sndNxt + data.length) >>> 0;
    });
  }

  /** close sends FIN (the application closed its socket). */
  close(c: TcpConn): void {
    if (c.state !== 'ESTABLISHED' && c.state !== 'CLOSE-WAIT') {
      c.state = 'CLOSED';
      return;
    }
    this.control((d, ctx) => {
      this.sendSegment(d, ctx, c, { ack: true, fin: true }, this.tsOpts(c, false, c.tsRecent), this.window(c, this.isClient(c) ? 64240 : 65160));
      c.sndNxt = (c.sndNxt + 1) >>> 0;
      c.state = c.state === 'ESTABLISHED' ? 'FIN-WAIT-1' : 'LAST-ACK';
    });
  }

  /** isClient says whether this host opened the connection (its initial window is the SYN's). */
  private isClient(c: TcpConn): boolean {
    return c.client;
  }

  private tcpIcmpError(_d: DWorld, _ns: string, _seg: Uint8Array, _src: Ipv4, _dst: Ipv4): void {
    // A soft error on a SYN: Linux keeps retransmitting until the timeout, so nothing changes here.
  }

  private tcpRcv(d: DWorld, p: LocalPacket): void {
    const ip = p.ip;
    const dec = decodeTcp(ip.payload, ip.repr.src, ip.repr.dst);
    if (!dec.ok) return;
    const seg = dec.value.repr;
    const ctx = this.ctx(d);
    const ts = seg.options.find((o) => o.kind === 'timestamp');
    const conn = this.conns.find(
      (c) => c.ns === p.ns && c.lport === seg.dstPort && c.rport === seg.srcPort && c.raddr === ip.repr.src && c.laddr === ip.repr.dst && c.state !== 'CLOSED',
    );
    if (conn) {
      if (ts && ts.kind === 'timestamp') conn.tsRecent = ts.tsval;
      if (seg.flags.rst) {
        conn.reset = true;
        conn.state = 'CLOSED';
        return;
      }
      if (conn.state === 'SYN-SENT' && seg.flags.syn && seg.flags.ack) {
        conn.rcvNxt = (seg.seq + 1) >>> 0;
        conn.sndUna = seg.ack;
        conn.state = 'ESTABLISHED';
        this.sendSegment(d, ctx, conn, { ack: true }, this.tsOpts(conn, false, conn.tsRecent), this.window(conn, 64240));
        return;
      }
      if (conn.state === 'SYN-RECEIVED' && seg.flags.ack) {
        conn.state = 'ESTABLISHED';
      }
      const len = dec.value.payload.length + (seg.flags.fin ? 1 : 0);
      if (len > 0) {
        conn.rcvNxt = (conn.rcvNxt + len) >>> 0;
        conn.received += dec.value.payload.length;
        if (seg.flags.fin) {
          if (conn.state === 'ESTABLISHED') conn.state = 'CLOSE-WAIT';
          else if (conn.state === 'FIN-WAIT-1' || conn.state === 'FIN-WAIT-2') conn.state = 'CLOSED';
        }
        this.sendSegment(d, ctx, conn, { ack: true }, this.tsOpts(conn, false, conn.tsRecent), this.window(conn, this.isClient(conn) ? 64240 : 65160));
        return;
      }
      if (seg.flags.ack && conn.state === 'FIN-WAIT-1') conn.state = 'FIN-WAIT-2';
      if (seg.flags.ack && conn.state === 'LAST-ACK') conn.state = 'CLOSED';
      return;
    }
    const listener = d.namespaces[p.ns].listeners.find((l) => l.port === seg.dstPort && (l.addr === 0 || l.addr === ip.repr.dst));
    if (listener && seg.flags.syn && !seg.flags.ack) {
      const mssOpt = seg.options.find((o) => o.kind === 'mss');
      const out = ipRouteOutput(d.namespaces[p.ns] as World['namespaces'][string], ip.repr.src, ip.repr.dst);
      const mtu = 'errno' in out ? 1500 : d.namespaces[p.ns].links[out.dev]?.mtu ?? 1500;
      const c: TcpConn = {
        ns: p.ns,
        laddr: ip.repr.dst,
        lport: seg.dstPort,
        raddr: ip.repr.src,
        rport: seg.srcPort,
        state: 'SYN-RECEIVED',
        sndNxt: this.isn,
        sndUna: this.isn,
        rcvNxt: (seg.seq + 1) >>> 0,
        tsRecent: ts && ts.kind === 'timestamp' ? ts.tsval : 0,
        reset: false,
        rcvWscale: this.rcvWscale(p.ns),
        mss: Math.min(mtu - 40, mssOpt && mssOpt.kind === 'mss' ? 65535 : 536),
        synRetries: 0,
        synAt: d.now,
        received: 0,
        client: false,
      };
      c.mss = mtu - 40;
      this.isn = (this.isn + 0x01000193) >>> 0;
      this.conns.push(c);
      this.sendSegment(d, ctx, c, { syn: true, ack: true }, this.tsOpts(c, true, c.tsRecent), 65160);
      c.sndNxt = (c.sndNxt + 1) >>> 0;
      return;
    }
    if (seg.flags.rst) return;
    // tcp_v4_send_reset: no socket, so answer with RST (ACKing a SYN, or taking the ACK number).
    const rst: TcpConn = {
      ns: p.ns,
      laddr: ip.repr.dst,
      lport: seg.dstPort,
      raddr: ip.repr.src,
      rport: seg.srcPort,
      state: 'CLOSED',
      sndNxt: seg.flags.ack ? seg.ack : 0,
      sndUna: 0,
      rcvNxt: (seg.seq + dec.value.payload.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0)) >>> 0,
      tsRecent: 0,
      reset: true,
      rcvWscale: 0,
      mss: 0,
      synRetries: 0,
      synAt: 0,
      received: 0,
      client: false,
    };
    if (seg.flags.ack) this.sendSegment(d, ctx, rst, { rst: true }, [], 0);
    else this.sendSegment(d, ctx, rst, { rst: true, ack: true }, [], 0);
  }

  /** connState reports a client connection's state for the app driving it. */
  connState(c: TcpConn): { state: TcpState; reset: boolean; received: number } {
    return { state: c.state, reset: c.reset, received: c.received };
  }
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

export type { TcpConn };
