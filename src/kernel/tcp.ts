// TCP as Linux runs it: RFC 9293 (states, segment arrival), RFC 7323 (window scale, timestamps),
// RFC 6298 (retransmission timer), RFC 5961 §3 (challenge ACK for an in-window RST), and where the
// RFCs leave a choice, net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c, tcp_ipv4.c and
// tcp_minisocks.c: initial window and window selection, delayed ACKs with quick-ack and ping-pong
// modes, Nagle with Minshall's check, TCP_CORK, PMTU from ICMP (tcp_v4_err), RST for segments to no
// socket, TIME-WAIT.
//
// Every socket is a Tcb in its namespace's `tcp` table, so trace snapshots and ss(8) see it; this file
// keeps only what is not data: the application's callbacks, by socket id. Time is the simulator's
// virtual clock; initial sequence numbers and ephemeral ports come from counters.
//
// What is simplified: segments go out one MSS at a time (the kernel's TSO/GSO super-segments on veth
// are not modelled, so a capture of a transfer larger than one MSS shows more, smaller segments than a
// real node); out-of-order segments are dropped and answered with a duplicate ACK (no reassembly, no
// SACK blocks, no fast retransmit: loss is repaired by the retransmission timer); the receive buffer
// does not autotune; an skb's truesize is estimated (skbTruesize).

import type { Ipv4 } from '../model/addr.js';
import { IpProtocol, type TcpFlags, type TcpOption, type TcpRepr, decodeTcp, encodeTcp, tcpFlags } from '../model/wire/index.js';
import type { Netns, Tcb, TcbState, WorldView } from '../model/world.js';
import type { LocalPacket, Tx } from './driver.js';
import type { Sim } from './engine.js';
import { fibRouteMtu } from './fib.js';
import { type Errno, defaultTtl, icmpErrConvert, ipRouteOutput, ipSendLocal, isLocalAddr, pmtuOf } from './stack.js';
import { globalNum, tcpRmem } from './sysctl.js';

/** TCP_TIMEOUT_INIT_US is the RTO before any RTT sample (RFC 6298 §2.1: 1 s). */
export const TCP_TIMEOUT_INIT_US = 1_000_000;
/** TCP_RTO_MIN_US and TCP_RTO_MAX_US bound the RTO as Linux does (200 ms, 120 s). */
export const TCP_RTO_MIN_US = 200_000;
export const TCP_RTO_MAX_US = 120_000_000;
/** TCP_TIMEWAIT_US is TCP_TIMEWAIT_LEN: 60 s in TIME-WAIT (an orphaned FIN-WAIT-2 waits tcp_fin_time, see finWait2Orphan). */
export const TCP_TIMEWAIT_US = 60_000_000;
/** TCP_ATO_MIN_US is the shortest delayed-ACK timeout (HZ/25). */
export const TCP_ATO_MIN_US = 40_000;
/** TCP_MAX_QUICKACKS is how many segments are ACKed at once after the first data arrives. */
const TCP_MAX_QUICKACKS = 16;
/** TCP_INIT_CWND is the initial congestion window (RFC 6928), in segments. */
const TCP_INIT_CWND = 10;
/** TCP_MSS_DEFAULT is the MSS assumed for a peer that sends no MSS option (RFC 9293 §3.7.1). */
const TCP_MSS_DEFAULT = 536;
/** TCPOLEN_TSTAMP_ALIGNED is the room the timestamp option takes in every segment (NOP, NOP, TS). */
const TCPOLEN_TSTAMP_ALIGNED = 12;
/** SOMAXCONN is net.core.somaxconn, the largest backlog listen(2) takes. */
export const SOMAXCONN = 4096;
/** EPHEMERAL_PORT_START is where the deterministic ephemeral port counter starts (ip_local_port_range is 32768–60999). */
const EPHEMERAL_PORT_START = 40000;

/** TcpErrno names what a socket's error callback reports (errno(3) names). */
export type TcpErrno =
  | 'ECONNREFUSED'
  | 'ETIMEDOUT'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'ENOPROTOOPT'
  | 'EOPNOTSUPP'
  | 'EHOSTDOWN'
  | 'ENONET'
  | 'EPROTO'
  | 'EMSGSIZE';

/** TcpHandlers are what an application hears from its socket; each runs inside the step that caused it. */
export interface TcpHandlers {
  /** connected runs when an active open completes (SYN-ACK received). */
  readonly connected?: (s: TcpSocket) => void;
  /** data runs with the bytes that arrived in order (a byte stream: segment boundaries mean nothing). */
  readonly data?: (s: TcpSocket, bytes: Uint8Array) => void;
  /** peerClosed runs when the peer's FIN arrives (end of stream); the socket can still send. */
  readonly peerClosed?: (s: TcpSocket) => void;
  /** reset runs when a RST ends an established connection (ECONNRESET). */
  readonly reset?: (s: TcpSocket) => void;
  /** error runs when the connection fails: refused, timed out, or an ICMP error during the handshake. */
  readonly error?: (s: TcpSocket, err: TcpErrno) => void;
  /** closed runs once the connection is gone from both sides' point of view (CLOSED or TIME-WAIT). */
  readonly closed?: (s: TcpSocket) => void;
}

/** ConnectOptions are connect(2) and what comes before it: bind(2) to a source address or port. */
export interface ConnectOptions {
  readonly dst: Ipv4;
  readonly port: number;
  /** src binds the local address (BIRD's `source address`); it must be one of the namespace's. */
  readonly src?: Ipv4;
  /** srcPort binds the local port; an ephemeral one is picked otherwise. */
  readonly srcPort?: number;
}

/** ListenOptions are bind(2) and listen(2) for a listening socket. */
export interface ListenOptions {
  readonly port: number;
  /** addr is the local address; 0 (the default) is INADDR_ANY. */
  readonly addr?: Ipv4;
  /** backlog is listen(2)'s argument, capped at SOMAXCONN (the default). */
  readonly backlog?: number;
  /** reads is false for an application that never reads its connections (the silent `listen`). */
  readonly reads?: boolean;
}

/** ConnectError is why connect(2) or listen(2) failed at once. */
export type SocketError = { readonly errno: Errno | 'EADDRINUSE' | 'EADDRNOTAVAIL' };

/** TcpSockState is a socket's state as inet_diag reports it and ss names it (tcp_states.h). */
export type TcpSockState =
  | 'ESTAB'
  | 'SYN-SENT'
  | 'SYN-RECV'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'TIME-WAIT'
  | 'CLOSE-WAIT'
  | 'LAST-ACK'
  | 'LISTEN'
  | 'CLOSING';

/** TcpSockRow is one socket as `ss -t` prints it (the shape of src/tools/netutils/ss.ts TcpSocket). */
export interface TcpSockRow {
  readonly state: TcpSockState;
  readonly recvQ: number;
  readonly sendQ: number;
  readonly local: { readonly addr: Ipv4; readonly port: number };
  readonly peer: { readonly addr: Ipv4; readonly port: number };
}

const SS_STATE: ReadonlyMap<TcbState, TcpSockRow['state']> = new Map<TcbState, TcpSockRow['state']>([
  ['LISTEN', 'LISTEN'],
  ['SYN-SENT', 'SYN-SENT'],
  ['SYN-RECEIVED', 'SYN-RECV'],
  ['ESTABLISHED', 'ESTAB'],
  ['FIN-WAIT-1', 'FIN-WAIT-1'],
  ['FIN-WAIT-2', 'FIN-WAIT-2'],
  ['CLOSE-WAIT', 'CLOSE-WAIT'],
  ['CLOSING', 'CLOSING'],
  ['LAST-ACK', 'LAST-ACK'],
  ['TIME-WAIT', 'TIME-WAIT'],
]);

/**
 * tcpSockets returns the namespace's TCP sockets as `ss -tan` rows: listeners first (the kernel dumps
 * its listening hash before the established one), then the others in creation order. Recv-Q and
 * Send-Q are tcp_diag's: for LISTEN the accept queue and the backlog, otherwise rcv_nxt − copied_seq
 * and write_seq − snd_una (a SYN or FIN not yet acknowledged counts one).
 */
export function tcpSockets(view: WorldView, nsKey: string): TcpSockRow[] {
  const table = view.namespaces.get(nsKey)?.tcp;
  if (table === undefined) return [];
  const rows: TcpSockRow[] = [];
  const all = [...table.values()].filter((t) => t.state !== 'CLOSED');
  for (const t of [...all.filter((x) => x.state === 'LISTEN'), ...all.filter((x) => x.state !== 'LISTEN')]) {
    const state = SS_STATE.get(t.state)!;
    let recvQ = 0;
    let sendQ = 0;
    if (t.state === 'LISTEN') {
      recvQ = t.acceptQueue;
      sendQ = t.backlog;
    } else if (t.state !== 'TIME-WAIT' && t.state !== 'SYN-RECEIVED') {
      recvQ = t.rcvQueued;
      sendQ = seqDiff(writeSeq(t), t.sndUna);
    }
    rows.push({ state, recvQ, sendQ, local: { addr: t.laddr, port: t.lport }, peer: { addr: t.raddr, port: t.rport } });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Sequence arithmetic (RFC 9293 §3.4: modulo 2^32)

/** seqDiff is a − b as a signed 32-bit distance. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** writeSeq is tp->write_seq: the sequence number after everything written, SYN and FIN included. */
function writeSeq(t: Tcb): number {
  let w = seqAdd(t.sndBufSeq, t.sndBuf.length);
  if (t.finQueued) w = seqAdd(w, 1);
  return w;
}

/** skbTruesize estimates an skb's memory for `len` bytes of payload (SKB_TRUESIZE: data plus sk_buff and shared info). */
function skbTruesize(len: number): number {
  return ((len + 63) & ~63) + 576;
}

/** EMPTY is an empty send queue (and the payload of a segment without data). */
const EMPTY = new Uint8Array(0);

/** NOP is the No-Operation option, shared by every segment that pads with it. */
const NOP: TcpOption = { kind: 'nop' };

/** TCP_DEFAULT_SCALING_RATIO is a new socket's tp->scaling_ratio: half of a buffer counts as window. */
const TCP_DEFAULT_SCALING_RATIO = 128;

/** ilog2 is the kernel's ilog2 for a positive integer: the position of its highest set bit. */
function ilog2(n: number): number {
  return n >= 2 ** 32 ? 32 + ilog2(Math.floor(n / 2 ** 32)) : 31 - Math.clz32(n);
}

/**
 * sndBufAppend adds written bytes to the send queue. The queue is a view of a buffer with room to
 * grow at its end: bytes are only ever written past every view handed out before (acknowledged bytes
 * leave at the front), so views a snapshot holds never change; a full buffer is copied into one
 * twice the size, so writes cost amortised O(1) a byte.
 */
function sndBufAppend(t: Tcb, bytes: Uint8Array): void {
  const cur = t.sndBuf;
  const len = cur.length + bytes.length;
  const end = cur.byteOffset + cur.length;
  if (cur.length > 0 && cur.buffer.byteLength - end >= bytes.length) {
    const grown = new Uint8Array(cur.buffer, cur.byteOffset, len);
    grown.set(bytes, cur.length);
    t.sndBuf = grown;
    return;
  }
  const buf = new Uint8Array(cur.length > 0 ? 2 * len : len);
  buf.set(cur);
  buf.set(bytes, cur.length);
  t.sndBuf = cur.length > 0 ? buf.subarray(0, len) : buf;
}

/**
 * defaultAdvmss is ipv4_default_advmss, the MSS a connection announces on a route without an
 * `advmss` metric: the path MTU less the IP and TCP headers, at least route.min_adv_mss.
 */
function defaultAdvmss(n: Netns, mtu: number): number {
  return Math.min(Math.max(mtu - 40, globalNum(n, 'net.ipv4.route.min_adv_mss')), 65535 - 40);
}

/** winFromSpace is tcp_win_from_space: the part of `space` bytes of buffer that is window. */
function winFromSpace(t: Tcb, space: number): number {
  return Math.floor((space * t.scalingRatio) / 256);
}

/**
 * SocketIndex finds a namespace's sockets by their ends, as the kernel's established and listening
 * hashes do (inet_lookup_established, inet_lookup_listener). It is derived from one `tcp` table
 * object and kept beside it; only this file adds to or removes from a table, and it updates the
 * index as it does. A table immer copied during a recording is a new object, which gets a new index.
 */
interface SocketIndex {
  /** conns maps a peer (peerKey) to the ids of the connections with it, in creation order. */
  readonly conns: Map<number, number[]>;
  /** listeners maps a local port to the ids of its listening sockets, in creation order. */
  readonly listeners: Map<number, number[]>;
}

const socketIndexes = new WeakMap<ReadonlyMap<number, Tcb>, SocketIndex>();

/** peerKey is the remote address and port as one number (48 bits, exact). */
function peerKey(raddr: Ipv4, rport: number): number {
  return raddr * 65536 + rport;
}

function indexAdd(ix: SocketIndex, t: Tcb): void {
  const m = t.state === 'LISTEN' ? ix.listeners : ix.conns;
  const k = t.state === 'LISTEN' ? t.lport : peerKey(t.raddr, t.rport);
  const ids = m.get(k);
  if (ids === undefined) m.set(k, [t.id]);
  else ids.push(t.id);
}

function indexRemove(ix: SocketIndex, t: Tcb, wasListener: boolean): void {
  const m = wasListener ? ix.listeners : ix.conns;
  const k = wasListener ? t.lport : peerKey(t.raddr, t.rport);
  const ids = m.get(k);
  if (ids === undefined) return;
  const i = ids.indexOf(t.id);
  if (i >= 0) ids.splice(i, 1);
  if (ids.length === 0) m.delete(k);
}

/** socketIndex returns the index of a namespace's table, building it when the table is new to it. */
function socketIndex(table: ReadonlyMap<number, Tcb>): SocketIndex {
  let ix = socketIndexes.get(table);
  if (ix === undefined) {
    ix = { conns: new Map(), listeners: new Map() };
    for (const t of table.values()) indexAdd(ix, t);
    socketIndexes.set(table, ix);
  }
  return ix;
}

/** findConn returns the connection (not a listener) with these ends; were there several, the newest. */
function findConn(table: ReadonlyMap<number, Tcb>, laddr: Ipv4, lport: number, raddr: Ipv4, rport: number): Tcb | undefined {
  const ids = socketIndex(table).conns.get(peerKey(raddr, rport));
  if (ids === undefined) return undefined;
  let found: Tcb | undefined;
  for (const id of ids) {
    const t = table.get(id);
    if (t !== undefined && t.lport === lport && t.laddr === laddr) found = t;
  }
  return found;
}

/** findListener returns the listener a segment to `laddr`:`lport` goes to: the first bound to that address, else the newest wildcard one. */
function findListener(table: ReadonlyMap<number, Tcb>, laddr: Ipv4, lport: number): Tcb | undefined {
  const ids = socketIndex(table).listeners.get(lport);
  if (ids === undefined) return undefined;
  let found: Tcb | undefined;
  for (const id of ids) {
    const t = table.get(id);
    if (t === undefined) continue;
    if ((t.laddr === 0 || t.laddr === laddr) && (found === undefined || found.laddr === 0)) found = t;
  }
  return found;
}

/** tcpModelTimeout is tcp_model_timeout: how long `boundary` retransmissions take from an RTO of `base`. */
function tcpModelTimeout(boundary: number, base: number): number {
  const linear = Math.floor(Math.log2(TCP_RTO_MAX_US / base));
  return boundary <= linear ? ((2 << boundary) - 1) * base : ((2 << linear) - 1) * base + (boundary - linear) * TCP_RTO_MAX_US;
}

/** TcpSocket is an application's handle on one TCP socket (a file descriptor). */
export class TcpSocket {
  constructor(
    private readonly tcp: Tcp,
    /** ns is the namespace the socket lives in. */
    readonly ns: string,
    /** id is the socket's key in the namespace's `tcp` table. */
    readonly id: number,
  ) {}

  /** tcb returns the socket's record as the world holds it now (read-only use). */
  get tcb(): Tcb | undefined {
    return this.tcp.sim.view.namespaces.get(this.ns)?.tcp?.get(this.id);
  }

  /** state is the connection's state; CLOSED once it is gone. */
  get state(): TcbState {
    return this.tcb?.state ?? 'CLOSED';
  }

  /** send writes bytes (write(2)); they go out as the windows allow. */
  send(bytes: Uint8Array): void {
    this.tcp.send(this, bytes);
  }

  /** setCork sets TCP_CORK: while on, only full segments leave; turning it off or closing pushes the rest. */
  setCork(on: boolean): void {
    this.tcp.setOption(this, 'cork', on);
  }

  /** setNoDelay sets TCP_NODELAY (no Nagle). */
  setNoDelay(on: boolean): void {
    this.tcp.setOption(this, 'nodelay', on);
  }

  /** close is close(2): a FIN after the data (a RST when unread data is left), then the states of RFC 9293. */
  close(): void {
    this.tcp.close(this);
  }

  /** abort sends a RST and forgets the connection (SO_LINGER 0, or ss -K). */
  abort(): void {
    this.tcp.abort(this);
  }
}

/** TcpListener is an application's listening socket. */
export class TcpListener {
  constructor(
    private readonly tcp: Tcp,
    readonly ns: string,
    readonly id: number,
  ) {}

  /** close stops listening; connections already accepted stay. */
  close(): void {
    this.tcp.closeListener(this);
  }
}

/** AcceptHandler is called with each new connection once its handshake completes; it returns the connection's handlers. */
export type AcceptHandler = (s: TcpSocket) => TcpHandlers;

function key(ns: string, id: number): string {
  return `${id}:${ns}`;
}

/** Tcp is the TCP layer of one simulator: every namespace's sockets, run on the simulator's clock. */
export class Tcp {
  private readonly handlers = new Map<string, TcpHandlers>();
  private readonly acceptors = new Map<string, AcceptHandler>();
  /** events are application callbacks of the current step, run after the segment that caused them is handled. */
  private events: (() => void)[] = [];
  private nextId = 1;
  private isn = 0x2a3b4c5d;
  private portNext = EPHEMERAL_PORT_START;
  /** tsBase is the origin of TCP timestamps (they tick in milliseconds). */
  private readonly tsBase = 0x10000;
  /** segmentsIn counts the segments tcp_v4_rcv was handed with a valid checksum, for measurements. */
  segmentsIn = 0;

  constructor(readonly sim: Sim) {}

  // -------------------------------------------------------------------------------------------
  // The socket API

  /** listen opens a listening socket; `onAccept` gets each connection once its handshake completes. */
  listen(ns: string, opts: ListenOptions, onAccept: AcceptHandler): TcpListener | SocketError {
    return this.step((tx) => {
      const n = tx.ns(ns)!;
      const addr = opts.addr ?? 0;
      if (addr !== 0 && !isLocalAddr(n, addr)) return { errno: 'EADDRNOTAVAIL' as const };
      if (n.tcp !== undefined) {
        for (const id of socketIndex(n.tcp).listeners.get(opts.port) ?? []) {
          const t = n.tcp.get(id);
          if (t !== undefined && (t.laddr === 0 || addr === 0 || t.laddr === addr)) return { errno: 'EADDRINUSE' as const };
        }
      }
      const t = this.newTcb(n, 'LISTEN', addr, opts.port, 0, 0);
      // tcp_init_sock: the receive buffer is tcp_rmem[1] when the socket is made; its connections inherit it.
      t.rcvbuf = tcpRmem(n)[1];
      t.backlog = Math.min(opts.backlog ?? SOMAXCONN, SOMAXCONN);
      t.reads = opts.reads ?? true;
      this.acceptors.set(key(ns, t.id), onAccept);
      return new TcpListener(this, ns, t.id);
    });
  }

  /** connect opens a connection (SYN sent); it fails at once when there is no route or the address is not ours. */
  connect(ns: string, opts: ConnectOptions, h: TcpHandlers): TcpSocket | SocketError {
    return this.step((tx) => {
      const n = tx.ns(ns)!;
      if (opts.src !== undefined && !isLocalAddr(n, opts.src)) return { errno: 'EADDRNOTAVAIL' as const };
      const rt = ipRouteOutput(n, opts.dst, opts.src ?? 0);
      if ('errno' in rt) return { errno: rt.errno };
      const lport = opts.srcPort ?? this.ephemeralPort();
      if (n.tcp !== undefined) {
        const ix = socketIndex(n.tcp);
        if ((ix.listeners.get(lport)?.length ?? 0) > 0) return { errno: 'EADDRINUSE' as const };
        for (const id of ix.conns.get(peerKey(opts.dst, opts.port)) ?? []) {
          if (n.tcp.get(id)?.lport === lport) return { errno: 'EADDRINUSE' as const };
        }
      }
      const t = this.newTcb(n, 'SYN-SENT', rt.prefsrc, lport, opts.dst, opts.port);
      t.rcvbuf = tcpRmem(n)[1];
      const mtu = this.pathMtu(tx, n, t);
      t.advmss = defaultAdvmss(n, mtu);
      t.mssClamp = TCP_MSS_DEFAULT;
      t.mss = t.advmss;
      this.initialWindow(n, t, t.advmss, globalNum(n, 'net.ipv4.tcp_window_scaling') !== 0);
      t.iss = this.nextIsn();
      t.sndUna = t.iss;
      t.sndNxt = t.iss;
      t.sndMax = t.iss;
      t.sndBufSeq = seqAdd(t.iss, 1);
      t.retransStamp = tx.now;
      const s = new TcpSocket(this, ns, t.id);
      this.handlers.set(key(ns, t.id), h);
      this.sendSyn(tx, ns, t);
      return s;
    });
  }

  /** send queues bytes on a connection and sends what the windows allow. */
  send(s: TcpSocket, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.step((tx) => {
      const t = this.tcbOf(tx, s.ns, s.id);
      if (t === undefined || t.finQueued) return;
      if (t.state !== 'ESTABLISHED' && t.state !== 'CLOSE-WAIT' && t.state !== 'SYN-SENT' && t.state !== 'SYN-RECEIVED') return;
      sndBufAppend(t, bytes);
      if (t.state === 'ESTABLISHED' || t.state === 'CLOSE-WAIT') {
        this.writeXmit(tx, s.ns, t);
        this.dataSent(tx, t);
      }
    });
  }

  /** setOption sets TCP_CORK or TCP_NODELAY; clearing either pushes what waits. */
  setOption(s: TcpSocket, opt: 'cork' | 'nodelay', on: boolean): void {
    this.step((tx) => {
      const t = this.tcbOf(tx, s.ns, s.id);
      if (t === undefined) return;
      t[opt] = on;
      if (!on && (t.state === 'ESTABLISHED' || t.state === 'CLOSE-WAIT')) this.writeXmit(tx, s.ns, t);
    });
  }

  /** close is tcp_close: RST if unread data is left, otherwise a FIN after the data. */
  close(s: TcpSocket): void {
    this.handlers.delete(key(s.ns, s.id));
    this.step((tx) => {
      const t = this.tcbOf(tx, s.ns, s.id);
      if (t === undefined) return;
      t.orphan = true;
      switch (t.state) {
        case 'SYN-SENT':
          this.destroy(tx, s.ns, t);
          return;
        case 'ESTABLISHED':
        case 'CLOSE-WAIT':
        case 'SYN-RECEIVED': {
          if (t.rcvQueued - (t.finReceived ? 1 : 0) > 0) {
            this.sendReset(tx, s.ns, t);
            this.destroy(tx, s.ns, t);
            return;
          }
          t.finQueued = true;
          this.setState(tx, s.ns, t, t.state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1');
          // Closing pushes what TCP_CORK held, with the FIN on the last segment.
          t.cork = false;
          this.writeXmit(tx, s.ns, t);
          return;
        }
        default:
          return;
      }
    });
  }

  /** abort is tcp_disconnect with a RST (tcp_send_active_reset). */
  abort(s: TcpSocket): void {
    this.handlers.delete(key(s.ns, s.id));
    this.step((tx) => {
      const t = this.tcbOf(tx, s.ns, s.id);
      if (t === undefined) return;
      if (t.state !== 'SYN-SENT' && t.state !== 'LISTEN' && t.state !== 'TIME-WAIT' && t.state !== 'CLOSED') this.sendReset(tx, s.ns, t);
      this.destroy(tx, s.ns, t);
    });
  }

  /** closeListener stops a listener; connections still in their handshake go with it (as RSTs do in Linux). */
  closeListener(l: TcpListener): void {
    this.acceptors.delete(key(l.ns, l.id));
    this.step((tx) => {
      const n = tx.ns(l.ns);
      const t = n?.tcp?.get(l.id);
      if (n === undefined || t === undefined) return;
      for (const c of [...n.tcp!.values()]) if (c.parent === l.id) this.destroy(tx, l.ns, c);
      this.destroy(tx, l.ns, t);
    });
  }

  /** step runs `fn` as one simulator step and then the application callbacks it queued. */
  private step<R>(fn: (tx: Tx) => R): R {
    return this.sim.control((tx) => {
      const r = fn(tx);
      this.flush();
      return r;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Records

  private newTcb(n: Netns, state: TcbState, laddr: Ipv4, lport: number, raddr: Ipv4, rport: number): Tcb {
    const t: Tcb = {
      id: this.nextId++,
      state,
      laddr,
      lport,
      raddr,
      rport,
      backlog: 0,
      acceptQueue: 0,
      reads: true,
      iss: 0,
      sndUna: 0,
      sndNxt: 0,
      sndMax: 0,
      sndWnd: 0,
      sndWl1: 0,
      sndWl2: 0,
      sndWscale: 0,
      sndBuf: EMPTY,
      sndBufSeq: 0,
      finQueued: false,
      finSent: false,
      sndSml: 0,
      cork: false,
      nodelay: false,
      mssClamp: TCP_MSS_DEFAULT,
      mss: TCP_MSS_DEFAULT,
      advmss: TCP_MSS_DEFAULT,
      tsOk: false,
      sackOk: false,
      wscaleOk: false,
      tsRecent: 0,
      cwnd: TCP_INIT_CWND,
      ssthresh: 0x7fffffff,
      srtt: 0,
      rttvar: 0,
      rto: TCP_TIMEOUT_INIT_US,
      retransmits: 0,
      retransStamp: 0,
      rttSeq: null,
      rttAt: 0,
      irs: 0,
      rcvNxt: 0,
      rcvWnd: 0,
      rcvWup: 0,
      rcvWscale: 0,
      rcvSsthresh: 0,
      windowClamp: 0,
      rcvbuf: 0,
      scalingRatio: TCP_DEFAULT_SCALING_RATIO,
      rcvMss: TCP_MSS_DEFAULT,
      rcvQueued: 0,
      rmemAlloc: 0,
      finReceived: false,
      quick: 0,
      pingpong: false,
      ato: 0,
      lrcvtime: 0,
      ackPending: false,
      rtoTimer: null,
      delackTimer: null,
      stateTimer: null,
      orphan: false,
      softErr: null,
      dstPendingConfirm: false,
    };
    if (n.tcp === undefined) n.tcp = new Map();
    const ix = socketIndex(n.tcp);
    n.tcp.set(t.id, t);
    const added = n.tcp.get(t.id)!;
    indexAdd(ix, added);
    return added;
  }

  private tcbOf(tx: Tx, ns: string, id: number): Tcb | undefined {
    return tx.ns(ns)?.tcp?.get(id);
  }

  private nextIsn(): number {
    const v = this.isn;
    this.isn = (this.isn + 0x01000193) >>> 0;
    return v;
  }

  private ephemeralPort(): number {
    const p = this.portNext++;
    if (this.portNext > 60999) this.portNext = EPHEMERAL_PORT_START;
    return p;
  }

  private setState(tx: Tx, ns: string, t: Tcb, to: TcbState): void {
    if (t.state === to) return;
    t.state = to;
    tx.trace({ kind: 'deliver', ns, what: `TCP ${fmtEnds(t)} ${to}` });
  }

  /** destroy is tcp_done: the socket leaves the table and its timers stop. */
  private destroy(tx: Tx, ns: string, t: Tcb): void {
    if (t.rtoTimer !== null) this.sim.cancel(t.rtoTimer);
    if (t.delackTimer !== null) this.sim.cancel(t.delackTimer);
    if (t.stateTimer !== null) this.sim.cancel(t.stateTimer);
    t.rtoTimer = null;
    t.delackTimer = null;
    t.stateTimer = null;
    const wasListener = t.state === 'LISTEN';
    t.state = 'CLOSED';
    const table = tx.ns(ns)?.tcp;
    if (table !== undefined) {
      const ix = socketIndex(table);
      if (table.delete(t.id)) indexRemove(ix, t, wasListener);
    }
    tx.trace({ kind: 'deliver', ns, what: `TCP ${fmtEnds(t)} CLOSED` });
    this.acceptors.delete(key(ns, t.id));
    // The handlers go after the callbacks already queued for this socket (its error, say) have run.
    const k = key(ns, t.id);
    const id = t.id;
    this.events.push(() => {
      const h = this.handlers.get(k);
      this.handlers.delete(k);
      h?.closed?.(new TcpSocket(this, ns, id));
    });
  }

  /** notify queues a callback; the handlers are looked up when it runs (an accept queued before it sets them). */
  private notify(ns: string, id: number, fn: (h: TcpHandlers, s: TcpSocket) => void): void {
    const k = key(ns, id);
    this.events.push(() => {
      const h = this.handlers.get(k);
      if (h !== undefined) fn(h, new TcpSocket(this, ns, id));
    });
  }

  /** flush runs the application callbacks the current step queued, in order (they may queue more). */
  private flush(): void {
    while (this.events.length > 0) {
      const evs = this.events;
      this.events = [];
      for (const e of evs) e();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Windows and MSS

  /**
   * pathMtu is dst_mtu (ipv4_mtu) of the route towards the peer: its `mtu` metric or its device's,
   * lowered by a learned PMTU exception unless the metric is locked.
   */
  private pathMtu(tx: Tx, n: Netns, t: Tcb): number {
    const rt = ipRouteOutput(n, t.raddr, t.laddr);
    if ('errno' in rt) return 1500;
    if (rt.local) return 65536;
    return fibRouteMtu(rt.route, n.links.get(rt.dev)?.mtu ?? 1500, pmtuOf(n, t.raddr, tx.now));
  }

  /** syncMss is tcp_sync_mss: the payload of a full segment for a path MTU, less the timestamp option. */
  private syncMss(t: Tcb, pmtu: number): void {
    const mss = Math.min(pmtu - 40, t.mssClamp) - (t.tsOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
    t.mss = Math.max(mss, 48);
  }

  /**
   * initialWindow is tcp_select_initial_window for a SYN or SYN-ACK: the space is the socket's receive
   * buffer as window (tcp_full_space: sk_rcvbuf, which tcp_init_sock took from tcp_rmem[1] when the
   * socket was made), rounded down to a multiple of `mss` and at most 65535; the window scale (RFC
   * 7323 §2.3) is the one that lets the largest buffer be announced, from the namespace's current
   * tcp_rmem[2] and rmem_max. A listener's connections inherit its buffer, so changing tcp_rmem
   * after listen(2) changes their window scale but not their window.
   */
  private initialWindow(n: Netns, t: Tcb, mss: number, wscaleOk: boolean): void {
    t.scalingRatio = TCP_DEFAULT_SCALING_RATIO;
    // The clamp starts unset: the largest scaled window.
    let clamp = 65535 * 2 ** 14;
    let space = Math.min(clamp, winFromSpace(t, t.rcvbuf));
    if (space > mss) space -= space % mss;
    t.rcvWnd = Math.min(space, 65535);
    t.rcvWscale = 0;
    if (wscaleOk) {
      const most = Math.min(Math.max(space, tcpRmem(n)[2], globalNum(n, 'net.core.rmem_max')), clamp);
      t.rcvWscale = Math.min(14, Math.max(0, ilog2(most) - 15));
    }
    clamp = Math.min(65535 * 2 ** t.rcvWscale, clamp);
    t.windowClamp = clamp;
    t.rcvSsthresh = t.rcvWnd;
  }

  /** initBufferSpace is tcp_init_buffer_space at ESTABLISHED: the window clamp keeps one segment for the application. */
  private initBufferSpace(t: Tcb): void {
    const maxwin = winFromSpace(t, t.rcvbuf);
    if (t.windowClamp >= maxwin) t.windowClamp = maxwin;
    if (t.windowClamp > 2 * t.advmss && t.windowClamp + t.advmss > maxwin) t.windowClamp = Math.max(2 * t.advmss, maxwin - t.advmss);
    t.rcvSsthresh = Math.min(t.rcvSsthresh, t.windowClamp);
    // tcp_initialize_rcv_mss: a guess of the peer's MSS, at most the default.
    t.rcvMss = Math.max(Math.min(t.advmss, t.mss, Math.floor(t.rcvWnd / 2), TCP_MSS_DEFAULT), 88);
  }

  private tcpSpace(t: Tcb): number {
    return winFromSpace(t, t.rcvbuf - t.rmemAlloc);
  }

  /** selectWindowRaw is __tcp_select_window: the window the free buffer space allows, in bytes. */
  private selectWindowRaw(t: Tcb): number {
    let mss = t.rcvMss;
    let free = this.tcpSpace(t);
    const allowed = winFromSpace(t, t.rcvbuf);
    const full = Math.min(t.windowClamp, allowed);
    if (mss > full) {
      mss = full;
      if (mss <= 0) return 0;
    }
    const unit = 2 ** t.rcvWscale;
    if (free < full >> 1) {
      t.quick = 0;
      free = Math.floor(free / unit) * unit;
      if (free < allowed >> 4 || free < mss) return 0;
    }
    if (free > t.rcvSsthresh) free = t.rcvSsthresh;
    if (t.rcvWscale > 0) return Math.ceil(free / unit) * unit;
    let window = t.rcvWnd;
    if (window <= free - mss || window > free) window = Math.floor(free / mss) * mss;
    else if (mss === full && free > window + (full >> 1)) window = free;
    return window;
  }

  /** selectWindow is tcp_select_window: never shrink the offered window; returns the field value. */
  private selectWindow(t: Tcb): number {
    const cur = Math.max(0, seqDiff(seqAdd(t.rcvWup, t.rcvWnd), t.rcvNxt));
    let win = this.selectWindowRaw(t);
    const unit = 2 ** t.rcvWscale;
    if (win < cur) win = Math.ceil(cur / unit) * unit;
    t.rcvWnd = win;
    t.rcvWup = t.rcvNxt;
    return Math.min(win, 65535 * unit) / unit;
  }

  /**
   * measureRcvMss and growWindow are tcp_measure_rcv_mss and tcp_grow_window: a full-sized segment
   * teaches the payload-to-memory ratio and lifts the window clamp with it, and each segment of 128
   * bytes or more lets rcv_ssthresh (the window actually offered) grow by twice its size or two MSS.
   */
  private measureRcvMss(t: Tcb, len: number): void {
    if (len < t.rcvMss) return;
    if (len !== t.rcvMss) {
      const old = t.scalingRatio;
      t.scalingRatio = Math.max(1, Math.floor((len * 256) / skbTruesize(len)));
      if (t.scalingRatio !== old) {
        const clamp = Math.max(winFromSpace(t, t.rcvbuf), 2304);
        if (clamp > t.windowClamp) t.rcvSsthresh = Math.max(Math.min(t.rcvWnd, clamp), t.rcvSsthresh);
        t.windowClamp = clamp;
        if (t.windowClamp < t.rcvSsthresh) t.rcvSsthresh = t.windowClamp;
      }
    }
    t.rcvMss = Math.min(len, t.advmss);
  }

  private growWindow(t: Tcb, len: number, rmemMax: number): void {
    const room = Math.min(t.windowClamp, this.tcpSpace(t)) - t.rcvSsthresh;
    if (room <= 0) return;
    const truesize = skbTruesize(len);
    let incr = 0;
    if (winFromSpace(t, truesize) <= len) incr = 2 * t.advmss;
    else {
      let ts = winFromSpace(t, truesize) >> 1;
      let window = winFromSpace(t, rmemMax) >> 1;
      while (t.rcvSsthresh <= window) {
        if (ts <= len) {
          incr = 2 * t.rcvMss;
          break;
        }
        ts >>= 1;
        window >>= 1;
      }
    }
    if (incr > 0) {
      incr = Math.max(incr, 2 * len);
      t.rcvSsthresh += Math.min(room, incr);
      t.quick |= 1;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Output

  private tsVal(tx: Tx): number {
    return (this.tsBase + Math.floor(tx.now / 1000)) >>> 0;
  }

  /** xmit is __tcp_transmit_skb: one segment with the ACK, window and options of the socket's state. */
  private xmit(tx: Tx, ns: string, t: Tcb, flags: Partial<TcpFlags>, seq: number, payload: Uint8Array = EMPTY): void {
    const syn = flags.syn === true;
    const options: TcpOption[] = [];
    if (syn) {
      // tcp_options_write: MSS, SACK-permitted packed with the timestamp, NOP + window scale.
      // tcp_syn_options offers what the sysctls allow; tcp_synack_options what both sides agreed on.
      const active = t.state === 'SYN-SENT';
      const n = tx.ns(ns)!;
      const useTs = active ? globalNum(n, 'net.ipv4.tcp_timestamps') !== 0 : t.tsOk;
      const useSack = active ? globalNum(n, 'net.ipv4.tcp_sack') !== 0 : t.sackOk;
      const useWscale = active ? globalNum(n, 'net.ipv4.tcp_window_scaling') !== 0 : t.wscaleOk;
      options.push({ kind: 'mss', value: t.advmss });
      if (useTs) {
        const ts: TcpOption = { kind: 'timestamp', tsval: this.tsVal(tx), tsecr: active ? 0 : t.tsRecent };
        if (useSack) options.push({ kind: 'sack-permitted' }, ts);
        else options.push(NOP, NOP, ts);
      } else if (useSack) options.push(NOP, NOP, { kind: 'sack-permitted' });
      if (useWscale) options.push(NOP, { kind: 'window-scale', shift: t.rcvWscale });
    } else if (t.tsOk) {
      options.push(NOP, NOP, { kind: 'timestamp', tsval: this.tsVal(tx), tsecr: t.tsRecent });
    }
    // A SYN's window is never scaled (RFC 7323 §2.2).
    const window = syn ? Math.min(t.rcvWnd, 65535) : flags.ack === true ? this.selectWindow(t) : 0;
    const repr: TcpRepr = {
      srcPort: t.lport,
      dstPort: t.rport,
      seq: seq >>> 0,
      ack: flags.ack === true ? t.rcvNxt >>> 0 : 0,
      flags: tcpFlags(flags),
      window,
      urgent: 0,
      options,
    };
    const seg = encodeTcp(repr, payload, t.laddr, t.raddr);
    const n = tx.ns(ns)!;
    // __tcp_transmit_skb hands sk_dst_pending_confirm to the skb; sock_confirm_neigh clears it.
    const confirmNeigh = t.dstPendingConfirm;
    t.dstPendingConfirm = false;
    ipSendLocal(tx, ns, t.laddr, t.raddr, IpProtocol.Tcp, seg, { ttl: defaultTtl(n), pmtudisc: 'want', confirmNeigh });
    if (flags.ack === true) this.ackSent(t);
  }

  /** ackSent is tcp_event_ack_sent: an ACK left, so no delayed one is due and one quick ACK is used. */
  private ackSent(t: Tcb): void {
    if (t.quick > 0) {
      t.quick -= 1;
      if (t.quick === 0) t.ato = TCP_ATO_MIN_US;
    }
    t.ackPending = false;
    if (t.delackTimer !== null) {
      this.sim.cancel(t.delackTimer);
      t.delackTimer = null;
    }
  }

  private sendAck(tx: Tx, ns: string, t: Tcb): void {
    this.xmit(tx, ns, t, { ack: true }, t.sndNxt);
  }

  private sendSyn(tx: Tx, ns: string, t: Tcb): void {
    if (t.retransmits === 0) {
      t.rttSeq = seqAdd(t.iss, 1);
      t.rttAt = tx.now;
    }
    this.xmit(tx, ns, t, { syn: true }, t.iss);
    t.sndNxt = seqAdd(t.iss, 1);
    t.sndMax = t.sndNxt;
    this.armRto(ns, t);
  }

  private sendSynAck(tx: Tx, ns: string, t: Tcb): void {
    if (t.retransmits === 0) {
      t.rttSeq = seqAdd(t.iss, 1);
      t.rttAt = tx.now;
    }
    this.xmit(tx, ns, t, { syn: true, ack: true }, t.iss);
    t.sndNxt = seqAdd(t.iss, 1);
    t.sndMax = t.sndNxt;
    this.armRto(ns, t);
  }

  /** sendReset is tcp_send_active_reset: RST|ACK at snd_nxt. */
  private sendReset(tx: Tx, ns: string, t: Tcb): void {
    this.xmit(tx, ns, t, { rst: true, ack: true }, t.sndNxt);
  }

  /** dataSent is tcp_event_data_sent: sending soon after receiving makes the exchange interactive (ping-pong). */
  private dataSent(tx: Tx, t: Tcb): void {
    if (t.ato > 0 && tx.now - t.lrcvtime < t.ato) t.pingpong = true;
  }

  /**
   * writeXmit is tcp_write_xmit: segments of at most one MSS from snd_nxt, while the congestion and
   * receive windows allow, holding a last partial segment back under TCP_CORK or Nagle (RFC 9293
   * §3.7.4, with Minshall's variant: only while an earlier small segment is unacknowledged). A FIN the
   * application asked for rides on the last data segment.
   */
  private writeXmit(tx: Tx, ns: string, t: Tcb): void {
    for (;;) {
      const off = Math.max(0, seqDiff(t.sndNxt, t.sndBufSeq));
      const unsent = t.sndBuf.length - off;
      const wantFin = t.finQueued && !t.finSent;
      if (unsent <= 0 && !wantFin) return;
      const len = Math.min(Math.max(unsent, 0), t.mss);
      const inflight = Math.ceil(Math.max(0, seqDiff(t.sndNxt, t.sndUna)) / t.mss);
      if (inflight >= t.cwnd) return;
      if (len > 0 && seqDiff(seqAdd(t.sndNxt, len), t.sndUna) > t.sndWnd) {
        // Zero (or too small) window: the retransmission timer probes it.
        if (inflight === 0) this.armRto(ns, t);
        return;
      }
      const last = len === unsent;
      if (len > 0 && len < t.mss && last && !wantFin) {
        if (t.cork) return;
        if (!t.nodelay && inflight > 0 && seqLt(t.sndUna, t.sndSml)) return;
      }
      const fin = wantFin && last;
      const payload = t.sndBuf.subarray(off, off + len);
      const seq = t.sndNxt;
      if (t.rttSeq === null && seqLe(t.sndMax, seq)) {
        t.rttSeq = seqAdd(seq, len + (fin ? 1 : 0));
        t.rttAt = tx.now;
      }
      if (t.sndUna === t.sndNxt) t.retransStamp = tx.now;
      this.xmit(tx, ns, t, { ack: true, psh: len > 0 && last, fin }, seq, payload);
      t.sndNxt = seqAdd(seq, len + (fin ? 1 : 0));
      if (seqLt(t.sndMax, t.sndNxt)) t.sndMax = t.sndNxt;
      if (fin) t.finSent = true;
      if (len > 0 && len < t.mss) t.sndSml = t.sndNxt;
      this.armRto(ns, t);
      if (len === 0) return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Timers

  private armRto(ns: string, t: Tcb): void {
    if (t.rtoTimer !== null) return;
    const id = t.id;
    t.rtoTimer = this.sim.after(t.rto, () => this.step((tx) => this.onRto(tx, ns, id)));
  }

  /** restartRto is tcp_rearm_rto: the timer runs again from now (the same timer, moved). */
  private restartRto(ns: string, t: Tcb): void {
    if (t.rtoTimer !== null && this.sim.rearm(t.rtoTimer, t.rto)) return;
    t.rtoTimer = null;
    this.armRto(ns, t);
  }

  /** onRto is tcp_retransmit_timer: back off, give up after tcp_syn_retries / tcp_synack_retries / tcp_retries2, or resend from snd_una. */
  private onRto(tx: Tx, ns: string, id: number): void {
    const t = this.tcbOf(tx, ns, id);
    if (t === undefined) return;
    t.rtoTimer = null;
    const n = tx.ns(ns)!;
    if (t.state === 'SYN-RECEIVED' && t.parent !== undefined) {
      if (t.retransmits >= globalNum(n, 'net.ipv4.tcp_synack_retries')) {
        this.destroy(tx, ns, t);
        this.flush();
        return;
      }
      t.retransmits += 1;
      t.rto = Math.min(t.rto * 2, TCP_RTO_MAX_US);
      this.sendSynAck(tx, ns, t);
      return;
    }
    if (seqDiff(t.sndMax, t.sndUna) <= 0 && t.sndBuf.length === 0) return;
    const syn = t.state === 'SYN-SENT';
    const boundary = globalNum(n, syn ? 'net.ipv4.tcp_syn_retries' : 'net.ipv4.tcp_retries2');
    const base = syn ? TCP_TIMEOUT_INIT_US : TCP_RTO_MIN_US;
    if (t.retransmits >= boundary || (t.retransmits > 0 && tx.now - t.retransStamp >= tcpModelTimeout(boundary, base))) {
      const err = (t.softErr as TcpErrno | null) ?? 'ETIMEDOUT';
      this.notify(ns, t.id, (h, s) => h.error?.(s, err));
      this.destroy(tx, ns, t);
      this.flush();
      return;
    }
    t.retransmits += 1;
    t.rto = Math.min(t.rto * 2, TCP_RTO_MAX_US);
    t.rttSeq = null;
    if (syn) {
      this.sendSyn(tx, ns, t);
      return;
    }
    // RFC 5681 §3.1: after a timeout, one segment; slow start from there.
    t.ssthresh = Math.max(Math.ceil(seqDiff(t.sndMax, t.sndUna) / t.mss / 2), 2);
    t.cwnd = 1;
    t.sndNxt = t.sndUna;
    if (t.finSent && seqLe(t.sndNxt, seqAdd(t.sndBufSeq, t.sndBuf.length))) t.finSent = false;
    this.writeXmit(tx, ns, t);
  }

  private armDelack(ns: string, t: Tcb): void {
    t.ackPending = true;
    if (t.delackTimer !== null) return;
    const id = t.id;
    const ato = Math.max(t.ato, TCP_ATO_MIN_US);
    t.delackTimer = this.sim.after(ato, () =>
      this.step((tx) => {
        const x = this.tcbOf(tx, ns, id);
        if (x === undefined) return;
        x.delackTimer = null;
        if (!x.ackPending) return;
        // tcp_delack_timer_handler: a missed delayed ACK leaves ping-pong mode.
        if (x.pingpong) {
          x.pingpong = false;
          x.ato = TCP_ATO_MIN_US;
        } else x.ato = Math.min(x.ato * 2, x.rto);
        this.sendAck(tx, ns, x);
      }),
    );
  }

  /**
   * enterTimeWait is tcp_time_wait: the connection waits `timeoutUs` (TCP_TIMEWAIT_LEN in TIME-WAIT)
   * and goes; only the state timer is left running.
   */
  private enterTimeWait(tx: Tx, ns: string, t: Tcb, state: 'TIME-WAIT' | 'FIN-WAIT-2', timeoutUs = TCP_TIMEWAIT_US): void {
    if (t.rtoTimer !== null) this.sim.cancel(t.rtoTimer);
    if (t.delackTimer !== null) this.sim.cancel(t.delackTimer);
    t.rtoTimer = null;
    t.delackTimer = null;
    this.setState(tx, ns, t, state);
    if (state === 'TIME-WAIT') this.notify(ns, t.id, (h, s) => h.closed?.(s));
    if (t.stateTimer !== null) this.sim.cancel(t.stateTimer);
    const id = t.id;
    t.stateTimer = this.sim.after(timeoutUs, () =>
      this.step((tx2) => {
        const x = this.tcbOf(tx2, ns, id);
        if (x === undefined) return;
        x.stateTimer = null;
        this.destroy(tx2, ns, x);
        this.flush();
      }),
    );
  }

  /** finTime is tcp_fin_time: how long an orphaned connection may stay in FIN-WAIT-2 (tcp_fin_timeout, at least 3.5 RTOs). */
  private finTime(n: Netns, t: Tcb): number {
    return Math.max(globalNum(n, 'net.ipv4.tcp_fin_timeout') * 1_000_000, 4 * t.rto - Math.floor(t.rto / 2));
  }

  /**
   * finWait2Orphan is what tcp_rcv_state_process and tcp_close do with a connection nobody holds any
   * more once it is in FIN-WAIT-2: up to TCP_TIMEWAIT_LEN it becomes a FIN-WAIT-2 time-wait socket
   * for tcp_fin_time; a longer time is first spent as a full socket (the keepalive timer, tmo −
   * TCP_TIMEWAIT_LEN), after which tcp_keepalive_timer makes it a time-wait socket for that long again.
   */
  private finWait2Orphan(tx: Tx, ns: string, t: Tcb): void {
    const n = tx.ns(ns)!;
    const tmo = this.finTime(n, t);
    if (tmo <= TCP_TIMEWAIT_US) {
      this.enterTimeWait(tx, ns, t, 'FIN-WAIT-2', tmo);
      return;
    }
    this.setState(tx, ns, t, 'FIN-WAIT-2');
    if (t.stateTimer !== null) this.sim.cancel(t.stateTimer);
    const id = t.id;
    t.stateTimer = this.sim.after(tmo - TCP_TIMEWAIT_US, () =>
      this.step((tx2) => {
        const x = this.tcbOf(tx2, ns, id);
        if (x === undefined) return;
        x.stateTimer = null;
        if (x.state !== 'FIN-WAIT-2') return;
        const rest = this.finTime(tx2.ns(ns)!, x) - TCP_TIMEWAIT_US;
        // tcp_time_wait never waits less than 3.5 RTOs.
        if (rest > 0) this.enterTimeWait(tx2, ns, x, 'FIN-WAIT-2', Math.max(rest, 4 * x.rto - Math.floor(x.rto / 2)));
        else {
          this.sendReset(tx2, ns, x);
          this.destroy(tx2, ns, x);
        }
        this.flush();
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Input

  /** rcv is tcp_v4_rcv: find the socket a segment is for (connection, then listener) or answer with a RST. */
  rcv(tx: Tx, p: LocalPacket): void {
    const ip = p.ip;
    const dec = decodeTcp(ip.payload, ip.repr.src, ip.repr.dst);
    if (!dec.ok || !dec.value.checksumValid) return;
    this.segmentsIn++;
    const seg = dec.value.repr;
    const payload = dec.value.payload;
    const n = tx.ns(p.ns)!;
    const table = n.tcp;
    let conn = table === undefined ? undefined : findConn(table, ip.repr.dst, seg.dstPort, ip.repr.src, seg.srcPort);
    // The listener is looked for only when it can matter: no connection, or a TIME-WAIT one a new SYN may reopen.
    const listener =
      table === undefined || (conn !== undefined && !(conn.state === 'TIME-WAIT' && seg.flags.syn && !seg.flags.ack))
        ? undefined
        : findListener(table, ip.repr.dst, seg.dstPort);
    if (conn !== undefined && conn.state === 'TIME-WAIT' && seg.flags.syn && !seg.flags.ack && listener !== undefined) {
      // tcp_timewait_state_process: a new SYN reopens the pair.
      this.destroy(tx, p.ns, conn);
      conn = undefined;
    }
    if (conn !== undefined) this.rcvState(tx, p.ns, conn, seg, payload);
    else if (listener !== undefined) this.rcvListen(tx, p.ns, listener, ip.repr.dst, ip.repr.src, seg);
    else this.resetNoSocket(tx, p.ns, ip.repr.dst, ip.repr.src, seg, payload.length);
    this.flush();
  }

  /** resetNoSocket is tcp_v4_send_reset: a RST for a segment no socket takes (never for a RST). */
  private resetNoSocket(tx: Tx, ns: string, laddr: Ipv4, raddr: Ipv4, seg: TcpRepr, len: number): void {
    if (seg.flags.rst) return;
    const rst: TcpRepr = seg.flags.ack
      ? {
          srcPort: seg.dstPort,
          dstPort: seg.srcPort,
          seq: seg.ack,
          ack: 0,
          flags: tcpFlags({ rst: true }),
          window: 0,
          urgent: 0,
          options: [],
        }
      : {
          srcPort: seg.dstPort,
          dstPort: seg.srcPort,
          seq: 0,
          ack: seqAdd(seg.seq, len + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0)),
          flags: tcpFlags({ rst: true, ack: true }),
          window: 0,
          urgent: 0,
          options: [],
        };
    const n = tx.ns(ns)!;
    ipSendLocal(tx, ns, laddr, raddr, IpProtocol.Tcp, encodeTcp(rst, new Uint8Array(0), laddr, raddr), {
      ttl: defaultTtl(n),
      pmtudisc: 'want',
    });
  }

  /** rcvListen is tcp_v4_conn_request: a SYN makes a request socket in SYN-RECEIVED and gets a SYN-ACK. */
  private rcvListen(tx: Tx, ns: string, l: Tcb, laddr: Ipv4, raddr: Ipv4, seg: TcpRepr): void {
    if (seg.flags.rst) return;
    if (seg.flags.ack) {
      // An ACK for a handshake this listener does not know.
      this.resetNoSocket(tx, ns, laddr, raddr, seg, 0);
      return;
    }
    if (!seg.flags.syn) return;
    if (l.acceptQueue > l.backlog) return;
    const n = tx.ns(ns)!;
    const t = this.newTcb(n, 'SYN-RECEIVED', laddr, l.lport, raddr, seg.srcPort);
    t.parent = l.id;
    t.reads = l.reads;
    this.parseSynOptions(n, t, seg);
    t.irs = seg.seq;
    t.rcvNxt = seqAdd(seg.seq, 1);
    t.rcvWup = t.rcvNxt;
    const mtu = this.pathMtu(tx, n, t);
    t.advmss = defaultAdvmss(n, mtu);
    this.syncMss(t, mtu);
    // tcp_create_openreq_child: the connection has its listener's receive buffer.
    t.rcvbuf = l.rcvbuf;
    // tcp_openreq_init_rwin: the window counts the MSS less the timestamp option.
    this.initialWindow(n, t, t.advmss - (t.tsOk ? TCPOLEN_TSTAMP_ALIGNED : 0), t.wscaleOk);
    t.sndWnd = seg.window;
    t.sndWl1 = seg.seq;
    t.sndWl2 = 0;
    t.iss = this.nextIsn();
    t.sndUna = t.iss;
    t.sndBufSeq = seqAdd(t.iss, 1);
    t.retransStamp = tx.now;
    this.sendSynAck(tx, ns, t);
  }

  /** parseSynOptions reads a SYN's MSS, SACK-permitted, timestamp and window scale options. */
  private parseSynOptions(n: Netns, t: Tcb, seg: TcpRepr): void {
    t.mssClamp = TCP_MSS_DEFAULT;
    t.tsOk = false;
    t.sackOk = false;
    t.wscaleOk = false;
    // tcp_parse_options takes SACK-permitted, timestamps and window scale only when its own sysctl allows them.
    const ts = globalNum(n, 'net.ipv4.tcp_timestamps') !== 0;
    const sack = globalNum(n, 'net.ipv4.tcp_sack') !== 0;
    const wscale = globalNum(n, 'net.ipv4.tcp_window_scaling') !== 0;
    for (const o of seg.options) {
      if (o.kind === 'mss') t.mssClamp = o.value;
      else if (o.kind === 'sack-permitted') t.sackOk ||= sack;
      else if (o.kind === 'timestamp') {
        if (!ts) continue;
        t.tsOk = true;
        t.tsRecent = o.tsval;
      } else if (o.kind === 'window-scale' && wscale) {
        t.wscaleOk = true;
        t.sndWscale = Math.min(o.shift, 14);
      }
    }
  }

  /** rcvState is tcp_rcv_state_process / tcp_rcv_synsent_state_process for a segment of a known connection. */
  private rcvState(tx: Tx, ns: string, t: Tcb, seg: TcpRepr, payload: Uint8Array): void {
    if (t.state === 'SYN-SENT') {
      this.rcvSynSent(tx, ns, t, seg);
      return;
    }
    if (t.state === 'TIME-WAIT') {
      if (seg.flags.rst) this.destroy(tx, ns, t);
      else if (seg.flags.fin || payload.length > 0) this.sendAck(tx, ns, t);
      return;
    }
    const len = payload.length + (seg.flags.fin ? 1 : 0);
    // RFC 9293 §3.10.7.4: is the segment acceptable?
    const wnd = Math.max(t.rcvWnd, 1);
    const inWindow =
      len === 0
        ? (seqLe(t.rcvNxt, seg.seq) && seqLt(seg.seq, seqAdd(t.rcvNxt, wnd))) || seg.seq === t.rcvNxt
        : seqLt(seg.seq, seqAdd(t.rcvNxt, wnd)) && seqLt(t.rcvNxt, seqAdd(seg.seq, len));
    if (seg.flags.rst) {
      if (seg.seq === t.rcvNxt) this.rcvReset(tx, ns, t);
      // RFC 5961 §3.2: an in-window RST that is not exact gets a challenge ACK.
      else if (inWindow) this.sendAck(tx, ns, t);
      return;
    }
    const ts = seg.options.find((o) => o.kind === 'timestamp');
    if (!inWindow) {
      if (!seg.flags.syn) this.sendAck(tx, ns, t);
      return;
    }
    if (ts !== undefined && ts.kind === 'timestamp' && seqLe(seg.seq, t.rcvWup)) t.tsRecent = ts.tsval;
    if (seg.flags.syn) {
      // RFC 5961 §4: a SYN on a synchronized connection gets a challenge ACK.
      this.sendAck(tx, ns, t);
      return;
    }
    if (!seg.flags.ack) return;
    if (t.state === 'SYN-RECEIVED') {
      if (seg.ack !== t.sndNxt) {
        this.resetNoSocket(tx, ns, t.laddr, t.raddr, seg, payload.length);
        return;
      }
      this.established(tx, ns, t, seg);
    }
    this.rcvAck(tx, ns, t, seg);
    if (!this.tcbOf(tx, ns, t.id)) return;
    switch (t.state) {
      case 'FIN-WAIT-1':
        if (t.finSent && t.sndUna === t.sndMax) {
          if (t.orphan && !seg.flags.fin && payload.length === 0) this.finWait2Orphan(tx, ns, t);
          else this.setState(tx, ns, t, 'FIN-WAIT-2');
        }
        break;
      case 'CLOSING':
        if (t.finSent && t.sndUna === t.sndMax) {
          this.enterTimeWait(tx, ns, t, 'TIME-WAIT');
          return;
        }
        break;
      case 'LAST-ACK':
        if (t.finSent && t.sndUna === t.sndMax) {
          this.destroy(tx, ns, t);
          return;
        }
        break;
      default:
        break;
    }
    if (t.state === 'FIN-WAIT-2' && t.orphan && payload.length > 0) {
      // Data for a socket nobody reads any more: tcp_rcv_state_process resets.
      this.sendReset(tx, ns, t);
      this.destroy(tx, ns, t);
      return;
    }
    this.rcvData(tx, ns, t, seg, payload);
  }

  /** rcvSynSent is tcp_rcv_synsent_state_process: a SYN-ACK completes an active open; a RST refuses it. */
  private rcvSynSent(tx: Tx, ns: string, t: Tcb, seg: TcpRepr): void {
    const ackOk = seg.flags.ack && seg.ack === t.sndNxt;
    if (seg.flags.ack && !ackOk) {
      if (!seg.flags.rst) this.resetNoSocket(tx, ns, t.laddr, t.raddr, seg, 0);
      return;
    }
    if (seg.flags.rst) {
      if (ackOk) {
        this.notify(ns, t.id, (h, s) => h.error?.(s, 'ECONNREFUSED'));
        this.destroy(tx, ns, t);
      }
      return;
    }
    if (!seg.flags.syn || !ackOk) return;
    this.parseSynOptions(tx.ns(ns)!, t, seg);
    if (!t.wscaleOk) {
      t.rcvWscale = 0;
      t.sndWscale = 0;
      t.windowClamp = Math.min(t.windowClamp, 65535);
    }
    t.irs = seg.seq;
    t.rcvNxt = seqAdd(seg.seq, 1);
    t.rcvWup = t.rcvNxt;
    this.established(tx, ns, t, seg);
    this.rcvAck(tx, ns, t, seg, false);
    this.sendAck(tx, ns, t);
    this.notify(ns, t.id, (h, s) => h.connected?.(s));
    // Data written before the handshake completed goes now.
    if (t.sndBuf.length > 0 || t.finQueued) this.writeXmit(tx, ns, t);
  }

  /** established is tcp_finish_connect / the third ACK of a passive open: MSS, buffers, the delayed-ACK engine. */
  private established(tx: Tx, ns: string, t: Tcb, seg: TcpRepr): void {
    const n = tx.ns(ns)!;
    this.syncMss(t, this.pathMtu(tx, n, t));
    t.sndWnd = seg.window * 2 ** (seg.flags.syn ? 0 : t.sndWscale);
    t.sndWl1 = seg.seq;
    t.sndWl2 = seg.ack;
    t.lrcvtime = tx.now;
    t.retransmits = 0;
    const passive = t.state === 'SYN-RECEIVED';
    this.setState(tx, ns, t, 'ESTABLISHED');
    this.initBufferSpace(t);
    if (passive && t.parent !== undefined) {
      const l = this.tcbOf(tx, ns, t.parent);
      const accept = this.acceptors.get(key(ns, t.parent));
      delete t.parent;
      if (l === undefined || accept === undefined) return;
      const id = t.id;
      const s = new TcpSocket(this, ns, id);
      this.events.push(() => {
        if (s.state !== 'CLOSED') this.handlers.set(key(ns, id), accept(s));
      });
    }
  }

  /** rcvAck is tcp_ack: snd_una and the send window advance, RTT samples feed the RTO, cwnd grows. */
  private rcvAck(tx: Tx, ns: string, t: Tcb, seg: TcpRepr, push = true): void {
    const ack = seg.ack;
    if (seqLt(ack, t.sndUna)) return;
    if (seqLt(t.sndMax, ack)) {
      this.sendAck(tx, ns, t);
      return;
    }
    if (seqLt(t.sndWl1, seg.seq) || (t.sndWl1 === seg.seq && seqLe(t.sndWl2, ack))) {
      t.sndWnd = seg.window * 2 ** (seg.flags.syn ? 0 : t.sndWscale);
      t.sndWl1 = seg.seq;
      t.sndWl2 = ack;
    }
    const acked = seqDiff(ack, t.sndUna);
    if (acked <= 0) return;
    // tcp_ack: forward progress is sk_dst_confirm.
    t.dstPendingConfirm = true;
    t.sndUna = ack;
    if (seqLt(t.sndNxt, ack)) t.sndNxt = ack;
    const dataAcked = Math.min(Math.max(0, seqDiff(ack, t.sndBufSeq)), t.sndBuf.length);
    if (dataAcked > 0) {
      // An emptied queue lets its buffer go.
      t.sndBuf = dataAcked === t.sndBuf.length ? EMPTY : t.sndBuf.subarray(dataAcked);
      t.sndBufSeq = seqAdd(t.sndBufSeq, dataAcked);
    }
    if (t.rttSeq !== null && seqLe(t.rttSeq, ack)) {
      this.rttSample(t, tx.now - t.rttAt);
      t.rttSeq = null;
    }
    // RFC 5681 §3.1: slow start, then congestion avoidance (the ACK of a SYN opens nothing).
    if (dataAcked > 0) {
      const segs = Math.max(1, Math.round(dataAcked / t.mss));
      if (t.cwnd < t.ssthresh) t.cwnd += segs;
      else t.cwnd += segs / t.cwnd;
    }
    t.retransmits = 0;
    t.softErr = null;
    if (t.sndUna === t.sndMax) {
      if (t.rtoTimer !== null) this.sim.cancel(t.rtoTimer);
      t.rtoTimer = null;
    } else this.restartRto(ns, t);
    if (push) this.writeXmit(tx, ns, t);
  }

  /** rttSample is tcp_rtt_estimator and tcp_set_rto (RFC 6298 §2, with Linux's floor of 200 ms on the variance term). */
  private rttSample(t: Tcb, m: number): void {
    const r = Math.max(m, 1);
    if (t.srtt === 0) {
      t.srtt = r;
      t.rttvar = r / 2;
    } else {
      t.rttvar = 0.75 * t.rttvar + 0.25 * Math.abs(t.srtt - r);
      t.srtt = 0.875 * t.srtt + 0.125 * r;
    }
    t.rto = Math.min(Math.round(t.srtt + Math.max(4 * t.rttvar, TCP_RTO_MIN_US)), TCP_RTO_MAX_US);
  }

  /** rcvReset is tcp_reset: the connection ends; the application hears ECONNRESET (or ECONNREFUSED in SYN-RECEIVED). */
  private rcvReset(tx: Tx, ns: string, t: Tcb): void {
    if (t.state === 'SYN-RECEIVED') {
      this.destroy(tx, ns, t);
      return;
    }
    if (t.state !== 'LAST-ACK' && t.state !== 'CLOSING') this.notify(ns, t.id, (h, s) => h.reset?.(s));
    this.destroy(tx, ns, t);
  }

  /** rcvData is tcp_data_queue and tcp_fin: in-order bytes go to the application, a FIN moves the state on, then the ACK decision. */
  private rcvData(tx: Tx, ns: string, t: Tcb, seg: TcpRepr, payload: Uint8Array): void {
    let data = payload;
    let seq = seg.seq;
    if (seqLt(seq, t.rcvNxt)) {
      // Already received in part: keep the new bytes only.
      const skip = seqDiff(t.rcvNxt, seq);
      if (skip > data.length) {
        if (seg.flags.fin && skip === data.length + 1) return;
        return;
      }
      data = data.subarray(skip);
      seq = t.rcvNxt;
    }
    const fin = seg.flags.fin;
    if (data.length === 0 && !fin) return;
    if (seq !== t.rcvNxt) {
      // Out of order: dropped, and a duplicate ACK at once (tcp_data_queue_ofo without the queue).
      this.sendAck(tx, ns, t);
      return;
    }
    const st = t.state;
    const canReceive = st === 'ESTABLISHED' || st === 'FIN-WAIT-1' || st === 'FIN-WAIT-2';
    if (!canReceive) return;
    if (data.length > 0) {
      t.rcvNxt = seqAdd(t.rcvNxt, data.length);
      t.rmemAlloc += skbTruesize(data.length);
      t.rcvQueued += data.length;
      this.dataRecv(tx, ns, t, data.length);
    }
    if (fin) {
      t.rcvNxt = seqAdd(t.rcvNxt, 1);
      t.finReceived = true;
      t.rcvQueued += 1;
      t.ackPending = true;
    }
    // The ACK decision sees the segment still queued, as the kernel's softirq does.
    if (fin) {
      switch (t.state) {
        case 'ESTABLISHED':
          this.setState(tx, ns, t, 'CLOSE-WAIT');
          t.pingpong = true;
          this.ackSndCheck(tx, ns, t);
          break;
        case 'FIN-WAIT-1':
          this.sendAck(tx, ns, t);
          this.setState(tx, ns, t, 'CLOSING');
          break;
        case 'FIN-WAIT-2':
          this.sendAck(tx, ns, t);
          this.enterTimeWait(tx, ns, t, 'TIME-WAIT');
          break;
        default:
          break;
      }
    } else this.ackSndCheck(tx, ns, t);
    if (t.reads) {
      // The application reads at once: the receive queue empties.
      t.rmemAlloc = 0;
      t.rcvQueued = 0;
      if (data.length > 0) {
        const bytes = data.slice();
        this.notify(ns, t.id, (h, s) => h.data?.(s, bytes));
      }
    }
    if (fin) this.notify(ns, t.id, (h, s) => h.peerClosed?.(s));
  }

  /** dataRecv is tcp_event_data_recv: the delayed-ACK engine learns the arrival pattern; the window may grow. */
  private dataRecv(tx: Tx, ns: string, t: Tcb, len: number): void {
    t.ackPending = true;
    this.measureRcvMss(t, len);
    if (t.ato === 0) {
      this.incrQuickack(t);
      t.ato = TCP_ATO_MIN_US;
    } else {
      const m = tx.now - t.lrcvtime;
      if (m <= TCP_ATO_MIN_US / 2) t.ato = (t.ato >> 1) + TCP_ATO_MIN_US / 2;
      else if (m < t.ato) t.ato = Math.min((t.ato >> 1) + m, t.rto);
      else if (m > t.rto) this.incrQuickack(t);
    }
    t.lrcvtime = tx.now;
    if (len >= 128) this.growWindow(t, len, tcpRmem(tx.ns(ns)!)[2]);
  }

  private incrQuickack(t: Tcb): void {
    let q = Math.floor(t.rcvWnd / (2 * t.rcvMss));
    if (q === 0) q = 2;
    q = Math.min(q, TCP_MAX_QUICKACKS);
    if (q > t.quick) t.quick = q;
  }

  /** ackSndCheck is __tcp_ack_snd_check: ACK now (more than one full segment unacknowledged, or quick-ack mode), else later. */
  private ackSndCheck(tx: Tx, ns: string, t: Tcb): void {
    if (!t.ackPending) return;
    const unacked = seqDiff(t.rcvNxt, t.rcvWup);
    const saved = { quick: t.quick };
    const wouldOffer = this.selectWindowRaw(t);
    t.quick = saved.quick;
    if ((unacked > t.rcvMss && wouldOffer >= t.rcvWnd) || (t.quick > 0 && !t.pingpong)) {
      this.sendAck(tx, ns, t);
      return;
    }
    this.armDelack(ns, t);
  }

  // -------------------------------------------------------------------------------------------
  // ICMP errors (tcp_v4_err)

  /**
   * icmpError is tcp_v4_err for a Destination Unreachable or Time Exceeded quoting one of our
   * segments (`quoted` is the quoted IP header and at least 8 bytes of TCP): Fragmentation Needed
   * lowers the MSS and resends what is unacknowledged; anything else ends a connection still in its
   * handshake, and is remembered as the soft error of an established one.
   */
  icmpError(tx: Tx, ns: string, type: number, code: number, quoted: Uint8Array): void {
    if (quoted.length < 28) return;
    const ihl = (quoted[0] & 0x0f) * 4;
    if (quoted.length < ihl + 8) return;
    const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    const src = u32(quoted, 12);
    const dst = u32(quoted, 16);
    const sport = (quoted[ihl] << 8) | quoted[ihl + 1];
    const dport = (quoted[ihl + 2] << 8) | quoted[ihl + 3];
    const seq = u32(quoted, ihl + 4);
    const n = tx.ns(ns);
    const t = n?.tcp === undefined ? undefined : findConn(n.tcp, src, sport, dst, dport);
    if (n === undefined || t === undefined || t.state === 'TIME-WAIT') return;
    if (!(seqLe(t.sndUna, seq) && seqLe(seq, t.sndMax))) return;
    if (type === 3 && code === 4) {
      this.mtuReduced(tx, ns, n, t);
      this.flush();
      return;
    }
    const err: TcpErrno | null = icmpErrConvert(type, code);
    if (err === null) return;
    if (t.state === 'SYN-SENT' || t.state === 'SYN-RECEIVED') {
      this.notify(ns, t.id, (h, s) => h.error?.(s, err));
      this.destroy(tx, ns, t);
      this.flush();
      return;
    }
    t.softErr = err;
  }

  /** mtuReduced is tcp_v4_mtu_reduced: a smaller path MTU (already learned by the IP layer) shrinks the MSS; unacknowledged data is resent in the new size. */
  private mtuReduced(tx: Tx, ns: string, n: Netns, t: Tcb): void {
    if (t.state === 'LISTEN' || t.state === 'SYN-SENT' || t.state === 'SYN-RECEIVED') return;
    const before = t.mss;
    this.syncMss(t, this.pathMtu(tx, n, t));
    if (t.mss >= before) return;
    // tcp_simple_retransmit: resend from snd_una without a congestion response.
    if (seqDiff(t.sndMax, t.sndUna) > 0) {
      t.sndNxt = t.sndUna;
      if (t.finSent) t.finSent = false;
      t.rttSeq = null;
      this.writeXmit(tx, ns, t);
    }
  }
}

function fmtEnds(t: Tcb): string {
  const ip = (a: Ipv4) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  return `${ip(t.laddr)}:${t.lport} ${ip(t.raddr)}:${t.rport}`;
}
