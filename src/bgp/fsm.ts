// The BGP session state machine (RFC 4271 §8, collision detection §6.8) as BIRD 1.6 codes it
// (projectcalico/bird proto/bgp/bgp.c, packets.c; nest/proto.c for the protocol states): one protocol
// instance with an outgoing and an incoming connection, each with its own state; the protocol state
// (down, start, up, stop) above them; BIRD's connect delay, connect retry, error wait (doubling up to a
// maximum, forgotten after `error forget time`), hold and keepalive timers; graceful restart in both
// roles (RFC 4724) and BIRD's `-R` recovery.
//
// The machine is a pure function `(session, event) → [session, actions, reason]`. Time is the `now` every
// event carries (virtual seconds); timers are actions for the caller to run. A timer of BIRD's
// bgp_start_timer fires between `seconds - jitter` and `seconds` after it is set (RFC 4271 §10
// jitter, BIRD picks at random); the caller chooses, deterministically. Reasons use GoBGP's words
// (pkg/server/fsm.go fsmStateReason) where it has one.

import type { Ipv4 } from '../model/addr.js';
import {
  BGP_HEADER_LEN,
  BGP_MAX_EXTENDED_MESSAGE_LEN,
  BGP_MAX_MESSAGE_LEN,
  BGP_VERSION,
  BgpErrorCode,
  BgpMessageType,
  bgpErrorText,
  decodeCapabilities,
  encodeBgp,
  decodeBgpHeader,
  type BgpCapability,
  type BgpCodecContext,
  type BgpNlri,
  type BgpRepr,
} from '../model/wire/bgp.js';
import type { RouteAttrs } from './attrs.js';
import { BGP_SOCKET_TOS, effectiveClusterId, effectiveLlgr, isInternal, socketTtl, type BgpProtocolConfig } from './config.js';
import { NO_CAPS, openFor, parsePeerCaps, type PeerCaps } from './open.js';
import { processUpdate, type UpdateContext } from './update.js';

/** ConnId names one of the two connections of a protocol (BIRD's outgoing_conn, incoming_conn). */
export type ConnId = 'outgoing' | 'incoming';

/** BgpState is a connection's state (BS_*); `Close` is BIRD's state while a NOTIFICATION goes out. */
export type BgpState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established' | 'Close';

const STATE_ORDER: Record<BgpState, number> = { Idle: 0, Connect: 1, Active: 2, OpenSent: 3, OpenConfirm: 4, Established: 5, Close: 6 };

/** ProtoState is the protocol state of nest/proto.c (PS_DOWN, PS_START, PS_UP, PS_STOP). */
export type ProtoState = 'down' | 'start' | 'up' | 'stop';

/** StartState partitions `start` (BSS_PREPARE, BSS_DELAY, BSS_CONNECT, BSS_CONNECT_NOCAP). */
export type StartState = 'prepare' | 'delay' | 'connect' | 'connect-nocap';

/** ErrorClass is the class of the last error (BE_*), which `show protocols` prints before the message. */
export type ErrorClass = 'none' | 'misc' | 'socket' | 'bgp-rx' | 'bgp-tx' | 'auto-down' | 'man-down';

/** GrActive is the neighbour graceful restart in progress (BGP_GRS_*). */
export type GrActive = 'none' | 'active' | 'llgr1' | 'llgr2';

/** FeedState tracks the End-of-RIB and enhanced refresh demarcation of what the peer sends (BIRD's load_state, BFS_*). */
export type FeedState = 'none' | 'loading' | 'loaded' | 'refreshing' | 'refreshed';

/** BgpTimer names a timer: per connection connect-delay, connect-retry, hold, keepalive; per session error-wait and graceful-restart. */
export type BgpTimer = 'connect-delay' | 'connect-retry' | 'hold' | 'keepalive' | 'error-wait' | 'graceful-restart';

/** BgpConnection is one TCP connection's BGP state. */
export interface BgpConnection {
  readonly state: BgpState;
  /** caps are the peer's capabilities from its OPEN on this connection. */
  readonly caps: PeerCaps;
  /** holdTime and keepaliveTime are negotiated on receipt of the peer's OPEN. */
  readonly holdTime: number;
  readonly keepaliveTime: number;
  readonly advertisedAs: number;
  /** noCapabilities is the start state when the OPEN was sent (BSS_CONNECT_NOCAP). */
  readonly noCapabilities: boolean;
  /** rx holds received bytes not yet forming a whole message. */
  readonly rx: Uint8Array;
}

/** BgpLastError is the last error (`show protocols` info and `Last error:`). */
export interface BgpLastError {
  readonly class: ErrorClass;
  /** code is the NOTIFICATION code << 16 | subcode for BGP errors. */
  readonly code: number;
  readonly message: string;
}

/** BgpSession is one `protocol bgp` instance. */
export interface BgpSession {
  readonly config: BgpProtocolConfig;
  readonly protoState: ProtoState;
  /** since is the virtual time of the last protocol state change (`show protocols` Since). */
  readonly since: number;
  readonly startState: StartState;
  readonly disabled: boolean;
  readonly outgoing: BgpConnection;
  readonly incoming: BgpConnection;
  /** established is the connection the session runs on (BIRD's p->conn). */
  readonly established: ConnId | null;
  readonly remoteId: Ipv4;
  readonly as4Session: boolean;
  readonly addPathRx: boolean;
  readonly addPathTx: boolean;
  readonly extMessages: boolean;
  readonly grReady: boolean;
  readonly grActive: GrActive;
  readonly staleTime: number;
  /** startupDelay is the error wait of the next start, doubling with each error (bgp_update_startup_delay). */
  readonly startupDelay: number;
  readonly lastProtoError: number | null;
  readonly lastError: BgpLastError;
  readonly loadState: FeedState;
  /** grRecovery, grLock, grWait are BIRD's gr_recovery, gr_lock, gr_wait of `bird -R`. */
  readonly grRecovery: boolean;
  readonly grLock: boolean;
  readonly grWait: boolean;
}

/** StopReason is why a protocol is shut down (BIRD's down_code: PDC_CMD_DISABLE, PDC_CF_REMOVE, PDC_CMD_RESTART, PDC_CF_RESTART). */
export type StopReason = 'disable' | 'deconfigure' | 'restart' | 'reconfigure';

/** BgpEventBody is what happened; every event also carries `now`. */
export type BgpEventBody =
  | { type: 'start' }
  /**
   * stop: `disable` (Cease 6/2, stays down), `deconfigure` (6/3, stays down), `restart` (6/4, comes back),
   * `reconfigure` (6/6, stays down for the caller to start again with its new configuration).
   */
  | { type: 'stop'; reason: StopReason; message?: string }
  | { type: 'tcp-connected'; conn: 'outgoing' }
  /** tcp-failed: a connect failed or an open connection broke; error '' means closed cleanly ("Connection closed"). */
  | { type: 'tcp-failed'; conn: ConnId; error: string }
  | { type: 'tcp-incoming' }
  | { type: 'data'; conn: ConnId; bytes: Uint8Array }
  | { type: 'message'; conn: ConnId; message: BgpRepr }
  | { type: 'timer'; timer: BgpTimer; conn?: ConnId }
  | { type: 'recovery-done' };

/** BgpEvent is an event at a virtual time (seconds). */
export type BgpEvent = BgpEventBody & { readonly now: number };

/** BgpAction is something the caller must do. */
export type BgpAction =
  | { type: 'connect'; conn: 'outgoing'; local: Ipv4; remote: Ipv4; port: number; ttl: number; tos: number }
  | { type: 'accept'; ttl: number; tos: number }
  | { type: 'reject' }
  | { type: 'send'; conn: ConnId; message: BgpRepr; bytes: Uint8Array }
  | { type: 'close'; conn: ConnId }
  | { type: 'set-timer'; timer: BgpTimer; conn?: ConnId; seconds: number; jitter: number }
  | { type: 'cancel-timer'; timer: BgpTimer; conn?: ConnId }
  /** session-up: the session is Established; routes go out now unless the export waits for GR recovery. */
  | { type: 'session-up'; conn: ConnId; exportNow: boolean }
  /** export-up: the export deferred by GR recovery starts. */
  | { type: 'export-up' }
  /** export-down: the peer no longer gets routes; pending output is dropped. */
  | { type: 'export-down' }
  /** flush: every route learnt from the peer goes (the protocol stops). */
  | { type: 'flush' }
  | { type: 'routes'; withdraw: BgpNlri[]; announce: BgpNlri[]; attrs: RouteAttrs | null }
  | { type: 'end-of-rib' }
  /** stale-begin / stale-end: rt_refresh_begin / rt_refresh_end for the protocol's routes. */
  | { type: 'stale-begin' }
  | { type: 'stale-end' }
  /** refeed: the peer asked for a route refresh. */
  | { type: 'refeed' }
  | { type: 'gr-lock' }
  | { type: 'gr-unlock' }
  | { type: 'log'; message: string };

/** BgpStep is the result of one event. */
export type BgpStep = readonly [BgpSession, BgpAction[], string];

const IDLE_CONN: BgpConnection = {
  state: 'Idle',
  caps: NO_CAPS,
  holdTime: 0,
  keepaliveTime: 0,
  advertisedAs: 0,
  noCapabilities: false,
  rx: new Uint8Array(0),
};

/** newSession is a configured protocol before `start` (PS_DOWN). */
export function newSession(config: BgpProtocolConfig, opts: { grRecovery?: boolean; now?: number; disabled?: boolean } = {}): BgpSession {
  return {
    config,
    protoState: 'down',
    since: opts.now ?? 0,
    startState: 'prepare',
    disabled: opts.disabled ?? false,
    outgoing: IDLE_CONN,
    incoming: IDLE_CONN,
    established: null,
    remoteId: 0,
    as4Session: false,
    addPathRx: false,
    addPathTx: false,
    extMessages: false,
    grReady: false,
    grActive: 'none',
    staleTime: 0,
    startupDelay: 0,
    lastProtoError: null,
    lastError: { class: 'none', code: 0, message: '' },
    loadState: 'none',
    grRecovery: opts.grRecovery ?? false,
    grLock: false,
    grWait: false,
  };
}

/** sessionCodec is the encoding the established session negotiated. */
export function sessionCodec(s: BgpSession): BgpCodecContext {
  return { as4: s.as4Session, addPath: s.addPathTx, extendedMessages: s.extMessages };
}

/** receiveCodec is the encoding the peer uses towards us. */
export function receiveCodec(s: BgpSession): BgpCodecContext {
  return { as4: s.as4Session, addPath: s.addPathRx, extendedMessages: s.extMessages };
}

/** fsmErrSubcode is RFC 6608's FSM error subcode for a state. */
function fsmErrSubcode(state: BgpState): number {
  return state === 'OpenSent' ? 1 : state === 'OpenConfirm' ? 2 : state === 'Established' ? 3 : 0;
}

/** bgpStateName is bgp_state_dsc: Down, Passive, or the higher state of the two connections. */
export function bgpStateName(s: BgpSession): string {
  if (s.protoState === 'down') return 'Down';
  const st = STATE_ORDER[s.incoming.state] >= STATE_ORDER[s.outgoing.state] ? s.incoming.state : s.outgoing.state;
  if (st === 'Idle' && (s.startState === 'connect' || s.startState === 'connect-nocap') && s.config.passive) return 'Passive';
  return st;
}

const ERR_CLASS_TEXT: Record<ErrorClass, string> = {
  none: '',
  misc: 'Error: ',
  socket: 'Socket: ',
  'bgp-rx': 'Received: ',
  'bgp-tx': 'BGP Error: ',
  'auto-down': 'Automatic shutdown: ',
  'man-down': '',
};

/** lastErrorText is `<class>: <message>` as bgp_get_status prints it after the state. */
export function lastErrorText(s: BgpSession): string {
  return ERR_CLASS_TEXT[s.lastError.class] + s.lastError.message;
}

/** statusInfo is the info column of `birdc show protocols` (bgp_get_status: "%-14s%s%s", or the error alone when down). */
export function statusInfo(s: BgpSession): string {
  if (s.protoState === 'down') return lastErrorText(s);
  return bgpStateName(s).padEnd(14) + lastErrorText(s);
}

const EMPTY_RX = new Uint8Array(0);

/** wellFramed says whether the header at `o` has the all-ones marker and a length from 19 to `max`. */
function wellFramed(b: Uint8Array, o: number, len: number, max: number): boolean {
  for (let i = 0; i < 16; i++) if (b[o + i] !== 0xff) return false;
  return len >= BGP_HEADER_LEN && len <= max;
}

/** updateContexts holds, per configuration, the UpdateContext of each session kind (made once, not per UPDATE). */
const updateContexts = new WeakMap<BgpProtocolConfig, (UpdateContext | undefined)[]>();

/** updateContext is what processUpdate needs to know of the receiving session. */
function updateContext(cfg: BgpProtocolConfig, as4Session: boolean, addPathRx: boolean): UpdateContext {
  let byKind = updateContexts.get(cfg);
  if (byKind === undefined) {
    byKind = [];
    updateContexts.set(cfg, byKind);
  }
  const i = (as4Session ? 2 : 0) + (addPathRx ? 1 : 0);
  let ctx = byKind[i];
  if (ctx === undefined)
    byKind[i] = ctx = {
      mode: cfg.updateErrorHandling,
      internal: isInternal(cfg),
      as4Session,
      addPathRx,
      localAs: cfg.localAs,
      peerAs: cfg.peerAs,
      routerId: cfg.routerId,
      rrClient: cfg.rrClient,
      clusterId: effectiveClusterId(cfg),
      defaultLocalPref: cfg.defaultLocalPref,
      allowLocalAs: cfg.allowLocalAs,
    };
  return ctx;
}

/** Step carries one event's work: the session being built and the actions so far. */
class Step {
  s: { -readonly [K in keyof BgpSession]: BgpSession[K] };
  readonly actions: BgpAction[] = [];
  reason = '';
  /** decisionPending is BIRD's ev_schedule(p->event): bgp_decision runs once the event is handled. */
  decisionPending = false;
  constructor(
    session: BgpSession,
    readonly now: number,
  ) {
    this.s = { ...session };
  }

  get cfg(): BgpProtocolConfig {
    return this.s.config;
  }

  conn(id: ConnId): BgpConnection {
    return this.s[id];
  }

  setConn(id: ConnId, patch: Partial<BgpConnection>): void {
    this.s[id] = { ...this.s[id], ...patch };
  }

  act(a: BgpAction): void {
    this.actions.push(a);
  }

  log(message: string): void {
    this.act({ type: 'log', message: `${this.cfg.name}: ${message}` });
  }

  because(r: string): void {
    if (this.reason === '') this.reason = r;
  }

  /** startTimer is bgp_start_timer: randomised by a quarter of the value; 0 stops it. */
  startTimer(timer: BgpTimer, value: number, conn?: ConnId): void {
    if (value > 0) this.act({ type: 'set-timer', timer, conn, seconds: value, jitter: Math.floor(value / 4) });
    else this.act({ type: 'cancel-timer', timer, conn });
  }

  cancelTimer(timer: BgpTimer, conn?: ConnId): void {
    this.act({ type: 'cancel-timer', timer, conn });
  }

  // --- protocol state (nest/proto.c proto_notify_state) ---

  notifyState(ps: ProtoState): void {
    const ops = this.s.protoState;
    if (ops === ps) return;
    this.s.protoState = ps;
    this.s.since = this.now;
    if (ps === 'start' && ops === 'up') this.act({ type: 'export-down' });
    if (ps === 'stop' || ps === 'down') {
      if (ops === 'up') this.act({ type: 'export-down' });
      this.act({ type: 'flush' });
      this.fallingDown();
    }
    if (ps === 'up') this.act({ type: 'session-up', conn: this.s.established!, exportNow: !this.s.grWait });
  }

  /** fallingDown is proto_falling_down: a stopping protocol leaves graceful restart recovery. */
  fallingDown(): void {
    this.s.grRecovery = false;
    this.s.grWait = false;
    this.unlockGr();
  }

  unlockGr(): void {
    if (!this.s.grLock) return;
    this.s.grLock = false;
    this.act({ type: 'gr-unlock' });
  }

  // --- bgp.c ---

  /** start is bgp_start, the lock and the neighbour (immediate here), then bgp_initiate. */
  start(): void {
    this.notifyState('start');
    this.s.startState = 'prepare';
    this.s.outgoing = IDLE_CONN;
    this.s.incoming = IDLE_CONN;
    this.s.grReady = false;
    this.s.grActive = 'none';
    this.s.remoteId = 0;
    if (this.s.grRecovery && this.cfg.gracefulRestart !== 'off' && !this.s.grLock) {
      this.s.grLock = true;
      this.act({ type: 'gr-lock' });
    }
    if (this.s.startupDelay > 0) {
      this.s.startState = 'delay';
      this.log(`Startup delayed by ${this.s.startupDelay} seconds due to errors`);
      this.startTimer('error-wait', this.s.startupDelay);
    } else this.startup();
  }

  /** startup is bgp_startup. */
  startup(): void {
    this.log('Started');
    this.s.startState = this.cfg.capabilities !== 'off' ? 'connect' : 'connect-nocap';
    if (!this.cfg.passive) this.active();
  }

  /** active is bgp_active: wait the connect delay before connecting. */
  active(): void {
    const delay = Math.max(1, this.cfg.connectDelayTime);
    this.log(`Connect delayed by ${delay} seconds`);
    this.s.outgoing = { ...IDLE_CONN, state: 'Active' };
    this.startTimer('connect-delay', delay, 'outgoing');
  }

  /** connect is bgp_connect: open the TCP connection and wait the connect retry time. */
  connect(): void {
    const c = this.cfg;
    this.log(`Connecting to ${ipText(c.neighborAddress)} from local address ${ipText(c.sourceAddress)}`);
    this.s.outgoing = { ...IDLE_CONN, state: 'Connect' };
    this.act({
      type: 'connect',
      conn: 'outgoing',
      local: c.sourceAddress,
      remote: c.neighborAddress,
      port: c.port,
      ttl: socketTtl(c),
      tos: BGP_SOCKET_TOS,
    });
    this.startTimer('connect-retry', c.connectRetryTime, 'outgoing');
  }

  /** closeConn is bgp_close_conn: its timers and socket go. */
  closeConn(id: ConnId): void {
    const st = this.conn(id).state;
    if (st === 'Connect' || st === 'Active') this.cancelTimer(st === 'Active' ? 'connect-delay' : 'connect-retry', id);
    if (st !== 'Idle' && st !== 'Active') {
      this.cancelTimer('connect-retry', id);
      this.cancelTimer('hold', id);
      this.cancelTimer('keepalive', id);
      this.act({ type: 'close', conn: id });
    }
  }

  /** enterIdle is bgp_conn_enter_idle_state. */
  enterIdle(id: ConnId): void {
    const os = this.conn(id).state;
    this.closeConn(id);
    this.s[id] = IDLE_CONN;
    if (os === 'Established') this.leaveEstablished();
    this.decision();
  }

  /** leaveEstablished is bgp_conn_leave_established_state. */
  leaveEstablished(): void {
    this.log('BGP session closed');
    this.s.established = null;
    if (this.s.protoState === 'up') this.stop(0);
  }

  /** enterClose is bgp_conn_enter_close_state: stop keepalives, give the NOTIFICATION 10 s. */
  enterClose(id: ConnId): void {
    const os = this.conn(id).state;
    this.setConn(id, { state: 'Close' });
    this.cancelTimer('keepalive', id);
    if (os === 'Established') this.leaveEstablished();
  }

  /** decision schedules bgp_decision for the end of the event. */
  decision(): void {
    this.decisionPending = true;
  }

  /** runDecision is bgp_decision: reconnect while starting, go down when both connections are idle. */
  runDecision(): void {
    this.decisionPending = false;
    const s = this.s;
    if (
      s.protoState === 'start' &&
      s.outgoing.state === 'Idle' &&
      s.incoming.state !== 'OpenConfirm' &&
      !this.cfg.passive &&
      s.startState !== 'delay' &&
      s.startState !== 'prepare'
    )
      this.active();
    if (s.protoState === 'stop' && s.outgoing.state === 'Idle' && s.incoming.state === 'Idle') this.down();
  }

  /** down is bgp_down → PS_DOWN; the core then restarts a protocol that is not disabled. */
  down(): void {
    this.log('Down');
    this.notifyState('down');
    this.s.established = null;
    // The protocol's resources, its timers among them, go with PS_DOWN.
    if (this.s.startState === 'delay') this.cancelTimer('error-wait');
    this.s.startState = 'prepare';
    if (!this.s.disabled) this.start();
  }

  /** stop is bgp_stop: PS_STOP, and each connection closed gracefully with Cease/subcode. */
  stop(subcode: number, data: Uint8Array = new Uint8Array(0)): void {
    this.notifyState('stop');
    this.gracefulClose('outgoing', subcode, data);
    this.gracefulClose('incoming', subcode, data);
    if (this.s.grActive !== 'none') {
      this.s.grActive = 'none';
      this.cancelTimer('graceful-restart');
    }
    this.decision();
  }

  gracefulClose(id: ConnId, subcode: number, data: Uint8Array): void {
    switch (this.conn(id).state) {
      case 'Idle':
      case 'Close':
        return;
      case 'Connect':
      case 'Active':
        this.closeConn(id);
        this.s[id] = IDLE_CONN;
        return;
      default:
        this.error(id, BgpErrorCode.Cease, subcode, data);
    }
  }

  /** updateStartupDelay is bgp_update_startup_delay. */
  updateStartupDelay(): void {
    const c = this.cfg;
    if (this.s.lastProtoError !== null && this.now - this.s.lastProtoError >= c.errorForgetTime) this.s.startupDelay = 0;
    this.s.lastProtoError = this.now;
    this.s.startupDelay = this.s.startupDelay === 0 ? c.errorWaitTime[0] : Math.min(2 * this.s.startupDelay, c.errorWaitTime[1]);
  }

  /** storeError is bgp_store_error: errors of a secondary connection while up, and any while stopping, are ignored. */
  storeError(id: ConnId | null, cls: ErrorClass, code: number, message: string): void {
    if (this.s.protoState === 'up' && id !== null && id !== this.s.established) return;
    if (this.s.protoState === 'stop') return;
    this.s.lastError = { class: cls, code, message };
  }

  /**
   * error is bgp_error: send a NOTIFICATION and close. Any code but Cease also stops the protocol and
   * lengthens the next error wait.
   */
  error(id: ConnId, code: number, subcode: number, data: Uint8Array = new Uint8Array(0)): void {
    if (this.conn(id).state === 'Close' || this.conn(id).state === 'Idle') return;
    if (!(code === BgpErrorCode.Cease)) this.log(`Error: ${bgpErrorText(code, subcode)}${errorArg(code, subcode, data)}`);
    this.storeError(id, 'bgp-tx', (code << 16) | subcode, bgpErrorText(code, subcode));
    this.enterClose(id);
    this.send(id, { type: 'notification', code, subcode, data });
    this.because(`notification-sent ${code}/${subcode}`);
    // The NOTIFICATION is the last thing on the socket (PKT_SCHEDULE_CLOSE), then the connection is idle.
    this.closeConn(id);
    this.s[id] = IDLE_CONN;
    if (code !== BgpErrorCode.Cease) {
      this.updateStartupDelay();
      this.stop(0);
    } else this.decision();
  }

  send(id: ConnId, message: BgpRepr): void {
    const ctx: BgpCodecContext = { as4: this.s.as4Session, addPath: this.s.addPathTx, extendedMessages: this.s.extMessages };
    this.act({ type: 'send', conn: id, message, bytes: encodeBgp(message, ctx) });
  }

  sendKeepalive(id: ConnId): void {
    this.send(id, { type: 'keepalive' });
    this.startTimer('keepalive', this.conn(id).keepaliveTime, id);
  }

  /** sendOpen is bgp_send_open. */
  sendOpen(id: ConnId): void {
    const noCap = this.s.startState === 'connect-nocap';
    this.setConn(id, { ...IDLE_CONN, noCapabilities: noCap, state: 'OpenSent' });
    this.cancelTimer('connect-retry', id);
    this.send(id, openFor(this.cfg, { grRecovery: this.s.grRecovery, noCapabilities: noCap }));
    this.startTimer('hold', this.cfg.startupHoldTime, id);
  }

  /** sockErr is bgp_sock_err. */
  sockErr(id: ConnId, error: string): void {
    this.storeError(id, 'socket', 0, error === '' ? 'Connection closed' : error);
    this.log(error === '' ? 'Connection closed' : `Connection lost (${error})`);
    if (this.conn(id).state === 'Established' && this.s.grReady) this.handleGracefulRestart();
    this.enterIdle(id);
  }

  /** handleGracefulRestart is bgp_handle_graceful_restart: keep the routes (stale) while the peer restarts. */
  handleGracefulRestart(): void {
    this.log(`Neighbor graceful restart detected${this.s.grActive !== 'none' ? ' - already pending' : ''}`);
    this.notifyState('start');
    const est = this.s.established ? this.conn(this.s.established) : null;
    switch (this.s.grActive) {
      case 'active':
        this.act({ type: 'stale-end' });
        break;
      case 'llgr1':
        this.act({ type: 'stale-begin' });
        return;
      case 'llgr2':
        this.act({ type: 'stale-begin' });
        return;
      default:
        break;
    }
    this.s.staleTime = effectiveLlgr(this.cfg) !== 'off' && est ? est.caps.llgrTime : 0;
    this.s.grActive = this.s.staleTime === 0 ? 'active' : 'llgr1';
    this.act({ type: 'set-timer', timer: 'graceful-restart', seconds: est?.caps.grTime ?? 0, jitter: 0 });
    this.act({ type: 'stale-begin' });
  }

  /** grDone is bgp_graceful_restart_done. */
  grDone(): void {
    this.log('Neighbor graceful restart done');
    this.s.grActive = 'none';
    this.cancelTimer('graceful-restart');
    this.act({ type: 'stale-end' });
  }

  /** enterEstablished is bgp_conn_enter_established_state. */
  enterEstablished(id: ConnId): void {
    const conn = this.conn(id);
    this.log('BGP session established');
    this.s.established = id;
    this.s.lastError = { class: 'none', code: 0, message: '' };
    this.s.loadState = 'none';
    const peerGrReady = conn.caps.grAware && !conn.caps.grRestarting;
    if (this.s.grRecovery && !peerGrReady) this.unlockGr();
    if (this.s.grRecovery && this.cfg.gracefulRestart === 'able' && peerGrReady) this.s.grWait = true;
    if (this.s.grActive === 'active') this.cancelTimer('graceful-restart');
    if (this.s.grActive === 'active' && (!conn.caps.grAble || !conn.caps.grForwarding)) this.grDone();
    if ((this.s.grActive === 'llgr1' || this.s.grActive === 'llgr2') && (!conn.caps.llgrAble || !conn.caps.llgrForwarding)) this.grDone();
    if (conn.caps.grAware) this.s.loadState = 'loading';
    this.setConn(id, { state: 'Established' });
    this.notifyState('up');
  }

  // --- packets.c ---

  rxData(id: ConnId, bytes: Uint8Array): void {
    const c = this.conn(id);
    if (c.state === 'Idle' || c.state === 'Close' || c.state === 'Connect' || c.state === 'Active') return;
    // The bytes read are used as they are when nothing was left over (they are not changed here).
    let buf = bytes;
    if (c.rx.length > 0) {
      buf = new Uint8Array(c.rx.length + bytes.length);
      buf.set(c.rx, 0);
      buf.set(bytes, c.rx.length);
    }
    let o = 0;
    const max = this.s.extMessages ? BGP_MAX_EXTENDED_MESSAGE_LEN : BGP_MAX_MESSAGE_LEN;
    while (buf.length - o >= BGP_HEADER_LEN) {
      if (this.conn(id).state === 'Close' || this.conn(id).state === 'Idle') return;
      const len = (buf[o + 16] << 8) | buf[o + 17];
      if (!wellFramed(buf, o, len, max)) {
        // decodeBgpHeader names the fault: marker or length (in BIRD's order).
        const h = decodeBgpHeader(buf.subarray(o, o + BGP_HEADER_LEN), { as4: true, addPath: false, extendedMessages: this.s.extMessages });
        if (!h.ok) {
          this.error(id, h.fault.code, h.fault.subcode, h.fault.data);
          return;
        }
      }
      if (buf.length - o < len) break;
      const m = buf.subarray(o, o + len);
      o += len;
      this.rxPacket(id, m);
    }
    if (this.conn(id).state !== 'Idle' && this.conn(id).state !== 'Close')
      this.setConn(id, { rx: o === buf.length ? EMPTY_RX : buf.slice(o) });
  }

  /** rxPacket is bgp_rx_packet. */
  rxPacket(id: ConnId, pkt: Uint8Array): void {
    switch (pkt[18]) {
      case BgpMessageType.Open:
        this.rxOpen(id, pkt);
        return;
      case BgpMessageType.Update:
        this.rxUpdate(id, pkt);
        return;
      case BgpMessageType.Notification:
        this.rxNotification(id, pkt);
        return;
      case BgpMessageType.Keepalive:
        this.rxKeepalive(id);
        return;
      case BgpMessageType.RouteRefresh:
        this.rxRouteRefresh(id, pkt);
        return;
      default:
        this.error(id, BgpErrorCode.MessageHeader, 3, pkt.slice(18, 19));
    }
  }

  /** rxOpen is bgp_rx_open. */
  rxOpen(id: ConnId, pkt: Uint8Array): void {
    const conn = this.conn(id);
    const cfg = this.cfg;
    this.because('open-msg-received');
    if (conn.state !== 'OpenSent') {
      this.error(id, BgpErrorCode.FiniteStateMachine, fsmErrSubcode(conn.state));
      return;
    }
    const len = pkt.length;
    if (len < 29 || len !== 29 + pkt[28]) {
      this.error(id, BgpErrorCode.MessageHeader, 2, pkt.slice(16, 18));
      return;
    }
    if (pkt[19] !== BGP_VERSION) {
      this.error(id, BgpErrorCode.Open, 1, pkt.slice(19, 20));
      return;
    }
    const baseAs = (pkt[20] << 8) | pkt[21];
    const hold = (pkt[22] << 8) | pkt[23];
    const remoteId = ((pkt[24] << 24) | (pkt[25] << 16) | (pkt[26] << 8) | pkt[27]) >>> 0;
    // bgp_parse_options: capabilities (type 2) are read, any other parameter is refused.
    let caps: PeerCaps = NO_CAPS;
    const all: BgpCapability[] = [];
    let o = 29;
    while (o < len) {
      if (len - o < 2 || len - o < 2 + pkt[o + 1]) {
        this.error(id, BgpErrorCode.Open, 0);
        return;
      }
      const ol = pkt[o + 1];
      if (pkt[o] === 2) {
        if (!conn.noCapabilities) {
          const d = decodeCapabilities(pkt.subarray(o + 2, o + 2 + ol));
          if (!d.ok) {
            this.error(id, BgpErrorCode.Open, 0);
            return;
          }
          all.push(...d.value);
        }
      } else {
        this.error(id, BgpErrorCode.Open, 4, pkt.slice(o, o + ol));
        return;
      }
      o += 2 + ol;
    }
    const pc = parsePeerCaps(all, cfg.enableAs4);
    if (!pc.ok) {
      this.error(id, BgpErrorCode.Open, pc.subcode);
      return;
    }
    caps = pc.caps;
    const advertisedAs = caps.as4Number ?? baseAs;
    if (hold > 0 && hold < 3) {
      this.error(id, BgpErrorCode.Open, 6, pkt.slice(22, 24));
      return;
    }
    const internal = isInternal(cfg);
    if (remoteId === 0 || (internal && remoteId === cfg.routerId >>> 0)) {
      this.error(id, BgpErrorCode.Open, 3);
      return;
    }
    if (caps.as4Number !== null && caps.as4Number !== baseAs && baseAs !== 23456) this.log('Peer advertised inconsistent AS numbers');
    if (advertisedAs !== cfg.peerAs) {
      const data = caps.as4 ? u32(advertisedAs) : pkt.slice(20, 22);
      this.error(id, BgpErrorCode.Open, 2, data);
      return;
    }
    // Collision detection (RFC 4271 §6.8 as BIRD reads it).
    const otherId: ConnId = id === 'outgoing' ? 'incoming' : 'outgoing';
    const other = this.conn(otherId);
    switch (other.state) {
      case 'Connect':
      case 'Active':
        this.enterIdle(otherId);
        break;
      case 'OpenConfirm': {
        const neighborDominant = cfg.routerId >>> 0 < remoteId || (cfg.routerId >>> 0 === remoteId && cfg.localAs < cfg.peerAs);
        if (neighborDominant === (id === 'incoming')) {
          this.log('Connection collision, giving up the other connection');
          this.error(otherId, BgpErrorCode.Cease, 7);
          break;
        }
        this.log('Connection collision, giving up this connection');
        this.error(id, BgpErrorCode.Cease, 7);
        return;
      }
      case 'Established':
        this.log('Connection collision, giving up this connection');
        this.error(id, BgpErrorCode.Cease, 7);
        return;
      default:
        break;
    }
    const holdTime = Math.min(hold, cfg.holdTime);
    const keepaliveTime = cfg.keepaliveTime || Math.floor(holdTime / 3);
    this.setConn(id, { caps, holdTime, keepaliveTime, advertisedAs });
    this.s.remoteId = remoteId;
    this.s.as4Session = cfg.enableAs4 && caps.as4;
    this.s.addPathRx = (cfg.addPaths & 1) !== 0 && (caps.addPath & 2) !== 0;
    this.s.addPathTx = (cfg.addPaths & 2) !== 0 && (caps.addPath & 1) !== 0;
    this.s.grReady = (cfg.gracefulRestart !== 'off' && caps.grAble) || (effectiveLlgr(cfg) !== 'off' && caps.llgrAble);
    this.s.extMessages = cfg.enableExtendedMessages && caps.extMessages;
    this.sendKeepalive(id);
    this.startTimer('hold', holdTime, id);
    this.setConn(id, { state: 'OpenConfirm' });
  }

  /** rxUpdate is bgp_rx_update and bgp_do_rx_update. */
  rxUpdate(id: ConnId, pkt: Uint8Array): void {
    this.because('update-received');
    if (this.conn(id).state === 'OpenConfirm') this.enterEstablished(id);
    const conn = this.conn(id);
    if (conn.state !== 'Established') {
      this.error(id, BgpErrorCode.FiniteStateMachine, fsmErrSubcode(conn.state));
      return;
    }
    this.startTimer('hold', conn.holdTime, id);
    if (pkt.length < 23) {
      this.error(id, BgpErrorCode.MessageHeader, 2, pkt.slice(16, 18));
      return;
    }
    const v = processUpdate(pkt.subarray(BGP_HEADER_LEN), updateContext(this.cfg, this.s.as4Session, this.s.addPathRx));
    if (v.kind === 'notify') {
      this.error(id, v.code, v.subcode, v.data);
      return;
    }
    for (const l of v.logs) this.log(l);
    if (v.endOfRib) {
      this.rxEndMark();
      return;
    }
    if (v.withdraw.length > 0 || v.announce.length > 0)
      this.act({ type: 'routes', withdraw: v.withdraw, announce: v.announce, attrs: v.attrs });
  }

  /** rxEndMark is bgp_rx_end_mark. */
  rxEndMark(): void {
    this.log('Got END-OF-RIB');
    this.because('end-of-rib');
    if (this.s.loadState === 'loading') this.s.loadState = 'none';
    this.act({ type: 'end-of-rib' });
    if (this.s.grRecovery) this.unlockGr();
    if (this.s.grActive !== 'none') this.grDone();
  }

  /** rxNotification is bgp_rx_notification. */
  rxNotification(id: ConnId, pkt: Uint8Array): void {
    if (pkt.length < 21) {
      this.error(id, BgpErrorCode.MessageHeader, 2, pkt.slice(16, 18));
      return;
    }
    const code = pkt[19];
    const subcode = pkt[20];
    this.because(`notification-received ${code}/${subcode}`);
    this.log(`Received: ${bgpErrorText(code, subcode)}${errorArg(code, subcode, pkt.subarray(21))}`);
    this.storeError(id, 'bgp-rx', (code << 16) | subcode, bgpErrorText(code, subcode));
    let err = code !== BgpErrorCode.Cease;
    // A capability-related refusal makes BIRD retry without capabilities (its `capabilities` heuristic).
    if (
      code === 2 &&
      (subcode === 4 || subcode === 7) &&
      this.cfg.capabilities === 'auto' &&
      !this.conn(id).noCapabilities &&
      this.s.startState === 'connect' &&
      this.cfg.peerAs <= 0xffff
    ) {
      this.log('Capability related error received, retry with capabilities disabled');
      this.s.startState = 'connect-nocap';
      err = false;
    }
    this.enterClose(id);
    this.closeConn(id);
    this.s[id] = IDLE_CONN;
    if (err) {
      this.updateStartupDelay();
      this.stop(0);
    } else this.decision();
  }

  /** rxKeepalive is bgp_rx_keepalive. */
  rxKeepalive(id: ConnId): void {
    const conn = this.conn(id);
    this.startTimer('hold', conn.holdTime, id);
    if (conn.state === 'OpenConfirm') {
      this.because('open-msg-negotiated');
      this.enterEstablished(id);
    } else if (conn.state !== 'Established') this.error(id, BgpErrorCode.FiniteStateMachine, fsmErrSubcode(conn.state));
    else this.because('keepalive-received');
  }

  /** rxRouteRefresh is bgp_rx_route_refresh. */
  rxRouteRefresh(id: ConnId, pkt: Uint8Array): void {
    const conn = this.conn(id);
    this.because('route-refresh-received');
    if (conn.state !== 'Established') {
      this.error(id, BgpErrorCode.FiniteStateMachine, fsmErrSubcode(conn.state));
      return;
    }
    if (!this.cfg.enableRouteRefresh) {
      this.error(id, BgpErrorCode.MessageHeader, 3, pkt.slice(18, 19));
      return;
    }
    if (pkt.length < 23) {
      this.error(id, BgpErrorCode.MessageHeader, 2, pkt.slice(16, 18));
      return;
    }
    if (pkt.length > 23) {
      this.error(id, BgpErrorCode.RouteRefresh, 1, pkt.slice(0, Math.min(pkt.length, 2048)));
      return;
    }
    const subtype = conn.caps.enhancedRefresh ? pkt[21] : 0;
    if (subtype === 0) this.act({ type: 'refeed' });
    else if (subtype === 1) {
      if (this.s.loadState === 'loading') {
        this.log('BEGIN-OF-RR received before END-OF-RIB, ignoring');
        return;
      }
      this.s.loadState = 'refreshing';
      this.act({ type: 'stale-begin' });
    } else if (subtype === 2) {
      if (this.s.loadState !== 'refreshing') {
        this.log('END-OF-RR received without prior BEGIN-OF-RR, ignoring');
        return;
      }
      this.s.loadState = 'none';
      this.act({ type: 'stale-end' });
    } else this.log(`Got ROUTE-REFRESH message with unknown subtype ${subtype}, ignoring`);
  }

  // --- timers ---

  /** armed says whether a timer can be running in the current state (a stale expiry is ignored). */
  armed(timer: BgpTimer, id?: ConnId): boolean {
    switch (timer) {
      case 'connect-delay':
        return this.s.outgoing.state === 'Active';
      case 'connect-retry':
        return this.s.outgoing.state === 'Connect';
      case 'hold':
        return id !== undefined && ['OpenSent', 'OpenConfirm', 'Established', 'Close'].includes(this.conn(id).state);
      case 'keepalive':
        return id !== undefined && ['OpenConfirm', 'Established'].includes(this.conn(id).state);
      case 'error-wait':
        return this.s.protoState === 'start' && this.s.startState === 'delay';
      case 'graceful-restart':
        return this.s.grActive !== 'none';
    }
  }

  timer(timer: BgpTimer, id?: ConnId): void {
    if (!this.armed(timer, id)) {
      this.because('timer-ignored');
      return;
    }
    switch (timer) {
      case 'connect-delay':
      case 'connect-retry':
        // bgp_connect_timeout
        this.because(timer === 'connect-delay' ? 'connect-delay-expired' : 'connect-retry-timer-expired');
        if (this.s.protoState === 'start') {
          this.closeConn('outgoing');
          this.connect();
        } else this.enterIdle('outgoing');
        return;
      case 'hold': {
        const conn = this.conn(id!);
        if (conn.state === 'Close') {
          this.log('Connection stalled');
          this.enterIdle(id!);
          return;
        }
        this.because('hold-timer-expired');
        if (conn.state === 'Established' && this.s.grReady && conn.caps.llgrAble) {
          this.log('Hold timer expired');
          this.handleGracefulRestart();
          this.enterIdle(id!);
          return;
        }
        this.error(id!, BgpErrorCode.HoldTimerExpired, 0);
        return;
      }
      case 'keepalive':
        this.because('keepalive-timer-expired');
        if (this.conn(id!).state === 'OpenConfirm' || this.conn(id!).state === 'Established') this.sendKeepalive(id!);
        return;
      case 'error-wait':
        this.because('idle-hold-timer-expired');
        if (this.s.startState === 'delay') this.startup();
        return;
      case 'graceful-restart':
        this.because('restart-timer-expired');
        switch (this.s.grActive) {
          case 'active':
            this.log('Neighbor graceful restart timeout');
            this.s.grActive = 'none';
            this.stop(0);
            return;
          case 'llgr1':
            this.log('Neighbor graceful restart timeout');
            this.s.grActive = 'llgr2';
            this.act({ type: 'set-timer', timer: 'graceful-restart', seconds: this.s.staleTime, jitter: 0 });
            return;
          case 'llgr2':
            this.log('Long-lived graceful restart timeout');
            this.s.grActive = 'none';
            this.act({ type: 'stale-end' });
            return;
          default:
            return;
        }
    }
  }

  /** incoming is bgp_incoming_connection. */
  incoming(): void {
    const s = this.s;
    let acc =
      (s.protoState === 'start' || s.protoState === 'up') &&
      (s.startState === 'connect' || s.startState === 'connect-nocap') &&
      s.incoming.state === 'Idle';
    if (s.established && this.conn(s.established).state === 'Established' && s.grReady) {
      this.storeError(null, 'misc', 7, 'Graceful restart');
      const est = s.established;
      this.handleGracefulRestart();
      this.enterIdle(est);
      acc = true;
      if (STATE_ORDER[this.s.incoming.state] > STATE_ORDER.Active) {
        this.closeConn('incoming');
        this.s.incoming = IDLE_CONN;
      }
    }
    this.log(`Incoming connection from ${ipText(this.cfg.neighborAddress)} ${acc ? 'accepted' : 'rejected'}`);
    this.because(acc ? 'new-connection' : 'connection-rejected');
    if (!acc) {
      this.act({ type: 'reject' });
      return;
    }
    this.act({ type: 'accept', ttl: socketTtl(this.cfg), tos: BGP_SOCKET_TOS });
    this.sendOpen('incoming');
  }

  /** shutdown is bgp_shutdown: Cease with the subcode of the reason, no error wait. */
  shutdown(reason: StopReason, message?: string): void {
    const subcode = reason === 'deconfigure' ? 3 : reason === 'restart' ? 4 : reason === 'reconfigure' ? 6 : 2;
    this.because(reason === 'deconfigure' ? 'deconfigured' : 'admin-down');
    this.storeError(null, 'man-down', 0, '');
    this.s.startupDelay = 0;
    let data = new Uint8Array(0);
    if (message !== undefined && (subcode === 2 || subcode === 4)) {
      const m = Uint8Array.from(message.slice(0, 255), (ch) => ch.charCodeAt(0) & 0xff);
      data = new Uint8Array(1 + m.length);
      data[0] = m.length;
      data.set(m, 1);
    }
    if (reason !== 'restart') this.s.disabled = true;
    this.stop(subcode, data);
  }
}

function u32(v: number): Uint8Array {
  return Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function ipText(a: Ipv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** errorArg is the `: …` tail bgp_log_error adds: the bad AS, a shutdown message, or up to 16 octets in hex. */
function errorArg(code: number, subcode: number, data: Uint8Array): string {
  if (data.length === 0) return '';
  if (code === 2 && subcode === 2 && (data.length === 2 || data.length === 4))
    return `: ${data.length === 2 ? (data[0] << 8) | data[1] : ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0}`;
  if (code === 6 && (subcode === 2 || subcode === 4) && data[0] + 1 <= data.length && data[0] > 0)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: BIRD's bgp_handle_message prints control characters of the shutdown message as spaces.
    return `: "${String.fromCharCode(...data.subarray(1, 1 + data[0])).replace(/[\x00-\x1f]/g, ' ')}"`;
  return `: ${[...data.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * bgpStep is the machine: it applies one event to a session and returns the new session, the actions
 * for the caller, and the reason of the transition.
 */
export function bgpStep(session: BgpSession, event: BgpEvent): BgpStep {
  const st = new Step(session, event.now);
  switch (event.type) {
    case 'start':
      st.because('start');
      st.s.disabled = false;
      if (st.s.protoState === 'down') st.start();
      break;
    case 'stop':
      if (st.s.protoState === 'down') {
        st.s.disabled = event.reason !== 'restart';
        st.because('admin-down');
      } else st.shutdown(event.reason, event.message);
      break;
    case 'tcp-connected':
      st.because('connected');
      if (st.s.outgoing.state === 'Connect') {
        st.log('Connected');
        st.sendOpen('outgoing');
      } else st.act({ type: 'close', conn: 'outgoing' });
      break;
    case 'tcp-failed': {
      st.because(event.error === '' ? 'read-failed' : `connect-failed ${event.error}`);
      const c = st.conn(event.conn);
      if (c.state !== 'Idle') st.sockErr(event.conn, event.error);
      break;
    }
    case 'tcp-incoming':
      st.incoming();
      break;
    case 'data':
      st.rxData(event.conn, event.bytes);
      break;
    case 'message': {
      const ctx = { as4: st.s.as4Session, addPath: st.s.addPathRx, extendedMessages: st.s.extMessages };
      st.rxData(event.conn, encodeBgp(event.message, ctx));
      break;
    }
    case 'timer':
      st.timer(event.timer, event.conn);
      break;
    case 'recovery-done':
      st.because('graceful-restart-recovery-done');
      if (st.s.grRecovery) {
        const wait = st.s.grWait;
        st.s.grRecovery = false;
        st.s.grWait = false;
        st.s.grLock = false;
        if (st.s.protoState === 'up' && wait) st.act({ type: 'export-up' });
      }
      break;
  }
  for (let guard = 0; st.decisionPending && guard < 8; guard++) st.runDecision();
  if (st.reason === '') st.because(event.type);
  return [st.s, st.actions, st.reason];
}
