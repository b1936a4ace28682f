// BIRD 1.6 as calico-node runs it (`bird -R -s /var/run/calico/bird.ctl -d -c .../bird.cfg`): the BGP
// speaker of src/bgp configured from what confd rendered (../calico/peering.ts), and the three protocols
// that tie it to the node's kernel (projectcalico/bird sysdep/linux/netlink.c, sysdep/unix/krt.c,
// nest/rt-dev.c, nest/iface.c):
// - kernel1 exports the best routes through `calico_kernel_programming` as `proto bird` routes, with
//   Calico's krt_tunnel patch (OIF tunl0, gateway the BGP NEXT_HOP, onlink), and learns the other
//   daemons' routes (`learn`: every protocol but kernel and bird) as `[kernel1 …]` routes;
// - direct1 turns each address of a matching interface into a device route of its prefix;
// - the sessions run over TCP sockets in the node's namespace (BgpTransport).
// BIRD's clock is the simulator's, in seconds.

import { type Cidr, formatCidr, type Ipv4, networkOf, parseIpv4 } from '../../model/addr.js';
import { concatBytes } from '../../model/wire/bytes.js';
import { type Route, RouteProto, RouteScope, RouteTable } from '../../model/world.js';
import {
  ACCEPT_ALL,
  BgpSpeaker,
  type BgpSpeakerConfig,
  CALICO_LOCAL_PROTOCOLS,
  type FibRoute,
  type RouteFilter,
  type SpeakerOutput,
  type SpeakerProtocol,
} from '../../bgp/speaker.js';
import { type BgpProtocolConfig, calicoProtocol } from '../../bgp/config.js';
import type { ConnId } from '../../bgp/fsm.js';
import type { BgpProtocol, BirdConfig } from '../calico/peering.js';
import { exportDecision, kernelFilterDecision } from '../calico/peering.js';

/** BgpSocketEvents are what a TCP socket tells its owner. */
export interface BgpSocketEvents {
  /** connected: the three-way handshake of an outgoing connect completed. */
  connected(): void;
  /** data: bytes arrived, in order. */
  data(bytes: Uint8Array): void;
  /** closed: the connection failed or ended; '' for an orderly close by the peer, else the errno text. */
  closed(error: string): void;
}

/** BgpSocket is an open TCP connection (or one being opened). */
export interface BgpSocket {
  readonly id: number;
}

/** BgpTransport is the node's socket layer as BIRD uses it. */
export interface BgpTransport {
  /** connect opens a connection from `local` to `remote:port` with the socket's TTL and TOS. */
  connect(o: { local: Ipv4; remote: Ipv4; port: number; ttl: number; tos: number }, ev: BgpSocketEvents): BgpSocket | { error: string };
  /** listen binds port 179 (or `listen bgp port N`); `accept` gets each new connection's remote address. */
  listen(address: Ipv4 | null, port: number, accept: (remote: Ipv4, sock: BgpSocket) => BgpSocketEvents): string | null;
  write(sock: BgpSocket, bytes: Uint8Array): void;
  close(sock: BgpSocket): void;
  /** unlisten closes the listening socket (BIRD stops). */
  unlisten(): void;
}

/** KernelSide is what BIRD reads from and writes to the node's kernel over netlink. */
export interface KernelSide {
  /** routeReplace installs a route; it returns the kernel's refusal, or null. */
  routeReplace(r: KernelRouteRequest): string | null;
  routeDelete(dst: Cidr): void;
  /** mainRoutes lists the main table (for the first scan). */
  mainRoutes(): readonly Route[];
  /** ifname names an ifindex. */
  ifname(ifindex: number): string | undefined;
  /** hasLink says whether the namespace has a device of that name (krt_tunnel's `if_find_by_name`). */
  hasLink(name: string): boolean;
  /** interfaces lists the links with their flags and IPv4 addresses (the device protocol's scan). */
  interfaces(): readonly KernelInterface[];
  /** watchRoutes subscribes to route changes (RTM_NEWROUTE/RTM_DELROUTE); the callback runs later, not inside the change. */
  watchRoutes(fn: (table: number, dst: Cidr, before: readonly Route[], after: readonly Route[]) => void): void;
  unwatchRoutes(): void;
}

/** KernelRouteRequest is an RTM_NEWROUTE as BIRD's netlink code builds it. */
export interface KernelRouteRequest {
  readonly dst: Cidr;
  readonly type: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  readonly gateway?: Ipv4;
  readonly dev?: string;
  readonly onlink: boolean;
  readonly scope: number;
}

/** KernelInterface is one link as BIRD's device protocol sees it. */
export interface KernelInterface {
  readonly name: string;
  /** up is IFF_UP with carrier (BIRD's IF_UP). */
  readonly up: boolean;
  readonly addrs: readonly { readonly local: Ipv4; readonly prefixLen: number }[];
}

/** BirdEvent is something BIRD logs or reports: a refused kernel route, a state change. */
export interface BirdEvent {
  readonly at: number;
  readonly message: string;
}

/** Clock is the simulator's: the time in seconds, and a wake-up call. */
export interface BirdClock {
  now(): number;
  /** wakeAt runs `fn` at `seconds` (virtual); it returns a handle for cancel. */
  wakeAt(seconds: number, fn: () => void): number;
  cancel(handle: number): void;
}

/** birdProtocolConfig turns one rendered `protocol bgp` block into the speaker's protocol options. */
export function birdProtocolConfig(cfg: BirdConfig, p: BgpProtocol, routerId: Ipv4): BgpProtocolConfig {
  const clusterId = p.rrClusterId !== undefined ? parseIpv4(p.rrClusterId) : null;
  return calicoProtocol({
    name: p.name,
    localAs: cfg.localAs,
    peerAs: p.neighborAs,
    neighborAddress: p.neighbor,
    // Without `source address` the kernel picks the source; for a node that is its address.
    sourceAddress: p.sourceAddress ?? cfg.nodeIp,
    routerId,
    port: p.port !== 0 ? p.port : 179,
    passive: p.passive,
    multihop: p.multihop === false ? null : p.multihop === true ? 64 : p.multihop,
    ttlSecurity: p.ttlSecurity,
    rrClient: p.rrClient,
    rrClusterId: clusterId,
    ...(p.gracefulRestartTime !== undefined ? { gracefulRestartTime: p.gracefulRestartTime } : {}),
    nextHopKeep: p.nextHopKeep,
    allowLocalAs: p.allowLocalAs ?? 0,
  });
}

/** exportFilters are `calico_export_to_bgp_peers(true|false); reject;`, one object each so the speaker can share results. */
function exportFilters(cfg: BirdConfig): { internal: RouteFilter; external: RouteFilter } {
  const make =
    (internal: boolean): RouteFilter =>
    (r) =>
      exportDecision(cfg, { net: r.prefix, ...(r.ifname !== undefined ? { ifname: r.ifname } : {}) }, internal) === 'accept'
        ? { accept: true }
        : { accept: false };
  return { internal: make(true), external: make(false) };
}

/** birdRouterId is `router id` as BIRD reads it. */
export function birdRouterId(cfg: BirdConfig): Ipv4 {
  return parseIpv4(cfg.routerId) ?? cfg.nodeIp;
}

/** speakerProtocols are the node's BGP protocols with their filters. */
export function speakerProtocols(cfg: BirdConfig): SpeakerProtocol[] {
  const routerId = birdRouterId(cfg);
  const f = exportFilters(cfg);
  return cfg.bgp.map((p) => ({
    config: birdProtocolConfig(cfg, p, routerId),
    importFilter: ACCEPT_ALL,
    exportFilter: p.neighborAs === cfg.localAs ? f.internal : f.external,
  }));
}

/** matchesPattern is BIRD's interface pattern (`*` and `?`). */
function matchesPattern(pattern: string, s: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${re}$`).test(s);
}

/** directAccepts runs `interface -"cali*", -"kube-ipvs*", "*"`: the first matching pattern decides. */
export function directAccepts(patterns: readonly string[], ifname: string): boolean {
  for (const p of patterns) {
    const neg = p.startsWith('-');
    const body = (neg ? p.slice(1) : p).replace(/^"|"$/g, '');
    if (matchesPattern(body, ifname)) return !neg;
  }
  return false;
}

/** ConnKey names a speaker connection. */
function connKey(protocol: string, conn: ConnId): string {
  return `${protocol} ${conn}`;
}

/** BirdSetup is everything a daemon is started with. */
export interface BirdSetup {
  /** name is the machine's name, for logs. */
  readonly name: string;
  readonly speaker: BgpSpeakerConfig;
  /** listen is `listen bgp [address A] [port N]`. */
  readonly listen?: { readonly address?: Ipv4; readonly port?: number };
  /** kernelExport is kernel1's export filter; null for a speaker that programs no FIB (GoBGP without zebra). */
  readonly kernelExport: ((prefix: Cidr, nextHop: Ipv4 | undefined) => { accept: false } | { accept: true; tunnel?: string }) | null;
  /** learn is kernel1's `learn`: alien kernel routes enter the table. */
  readonly learn: boolean;
  /** directInterfaces are direct1's patterns; empty for no direct protocol. */
  readonly directInterfaces: readonly string[];
  readonly staticBlackholes: readonly Cidr[];
  readonly staticPeerRoutes: readonly { readonly dst: Ipv4; readonly via: Ipv4 }[];
  /** exportKey and kernelKey change when the export or kernel filter's rules change (a reconfiguration refeeds). */
  readonly exportKey: string;
  readonly kernelKey: string;
}

/** calicoBirdSetup is calico-node's BIRD for one node, from confd's rendering. */
export function calicoBirdSetup(cfg: BirdConfig, seed?: number): BirdSetup {
  return {
    name: cfg.node,
    speaker: {
      routerId: birdRouterId(cfg),
      protocols: speakerProtocols(cfg),
      localProtocols: CALICO_LOCAL_PROTOCOLS,
      gracefulRestartRecovery: true,
      localAddresses: [cfg.nodeIp],
      deferTx: true,
      ...(seed !== undefined ? { seed } : {}),
    },
    ...(cfg.listen !== undefined ? { listen: cfg.listen } : {}),
    kernelExport: (prefix, nextHop) => kernelFilterDecision(cfg, prefix, nextHop),
    learn: true,
    directInterfaces: cfg.directInterfaces,
    staticBlackholes: cfg.staticBlackholes,
    staticPeerRoutes: cfg.staticPeerRoutes,
    exportKey: JSON.stringify([cfg.rejectPools, cfg.rejectTunnelRoutes, cfg.aggr, cfg.exportPools]),
    kernelKey: JSON.stringify(cfg.kernelFilter),
  };
}

/**
 * BirdDaemon is one BGP daemon on a machine: started, it listens on 179, runs its protocols, exports
 * routes into the kernel and learns the kernel's; stopped, its sockets close and its routes stay
 * (`persist`).
 */
export class BirdDaemon {
  /** speaker is the running daemon's BGP state; a restart (stop, start) is a new process with a new one. */
  speaker: BgpSpeaker;
  /** events are what BIRD logged, in order (refused routes, protocol state changes). */
  readonly events: BirdEvent[] = [];
  /** counters of BGP messages sent and received, for benchmarks. */
  messagesSent = 0;
  messagesReceived = 0;
  private readonly sockets = new Map<string, BgpSocket>();
  /** installed are the routes kernel1 put into the kernel, keyed by prefixId. */
  private readonly installed = new Map<number, FibRoute>();
  private readonly learned = new Map<string, Cidr>();
  private readonly direct = new Map<string, Cidr>();
  private wake: { at: number; handle: number } | null = null;
  private running = false;
  private pendingAccept: BgpSocket | null = null;
  private txScheduled = false;
  private startedOnce = false;

  constructor(
    public setup: BirdSetup,
    private readonly clock: BirdClock,
    private readonly transport: BgpTransport,
    private readonly kernel: KernelSide,
  ) {
    this.speaker = new BgpSpeaker(setup.speaker);
  }
  get isRunning(): boolean {
    return this.running;
  }

  /** start is calico-node starting BIRD: the listener, static1's blackholes, the first scans, then the protocols. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.startedOnce) this.speaker = new BgpSpeaker(this.setup.speaker);
    this.startedOnce = true;
    this.installed.clear();
    this.learned.clear();
    this.direct.clear();
    const now = this.clock.now();
    const listenPort = this.setup.listen?.port ?? 179;
    const e = this.transport.listen(this.setup.listen?.address ?? null, listenPort, (remote, sock) => this.accepted(remote, sock));
    if (e !== null) this.log(now, `bgp: Cannot open listening socket: ${e}`);
    this.handle(this.speaker.start(now));
    for (const b of this.setup.staticBlackholes)
      this.handle(this.speaker.addRoute({ protocol: 'static1', prefix: b, dest: 'blackhole' }, now));
    for (const r of this.setup.staticPeerRoutes)
      this.handle(this.speaker.addRoute({ protocol: 'static1', prefix: { addr: r.dst, len: 32 }, dest: 'router', gateway: r.via }, now));
    this.scanInterfaces();
    if (this.setup.learn)
      for (const r of this.kernel.mainRoutes()) if (isAlien(r) && !this.learned.has(formatCidr(r.dst))) this.learnRoute(r.dst, r);
    this.kernel.watchRoutes((table, dst, before, after) => this.routeChanged(table, dst, before, after));
  }

  /** stop is BIRD exiting: every socket closes at once, timers stop; the kernel keeps its routes. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.kernel.unwatchRoutes();
    this.transport.unlisten();
    for (const s of this.sockets.values()) this.transport.close(s);
    this.sockets.clear();
    if (this.wake !== null) this.clock.cancel(this.wake.handle);
    this.wake = null;
  }

  /**
   * reconfigure is `birdcl configure` after confd rewrote bird.cfg: static routes added and removed,
   * protocols added, removed or (when their options changed) restarted; changed filters refeed every
   * protocol, and a changed kernel filter re-exports the table to the kernel.
   */
  reconfigure(next: BirdSetup): void {
    const old = this.setup;
    this.setup = next;
    if (!this.running) return;
    const now = this.clock.now();
    const statics = (s: BirdSetup): Map<string, Parameters<BgpSpeaker['addRoute']>[0]> => {
      const m = new Map<string, Parameters<BgpSpeaker['addRoute']>[0]>();
      for (const b of s.staticBlackholes) m.set(formatCidr(b), { protocol: 'static1', prefix: b, dest: 'blackhole' });
      for (const r of s.staticPeerRoutes)
        m.set(formatCidr({ addr: r.dst, len: 32 }), {
          protocol: 'static1',
          prefix: { addr: r.dst, len: 32 },
          dest: 'router',
          gateway: r.via,
        });
      return m;
    };
    const oldS = statics(old);
    const newS = statics(next);
    for (const [k, r] of oldS) if (!newS.has(k)) this.handle(this.speaker.removeRoute('static1', r.prefix, now));
    for (const [k, r] of newS) {
      const o = oldS.get(k);
      if (o === undefined || JSON.stringify(o) !== JSON.stringify(r)) this.handle(this.speaker.addRoute(r, now));
    }
    const oldP = new Map(old.speaker.protocols.map((p) => [p.config.name, p] as const));
    const newP = new Map(next.speaker.protocols.map((p) => [p.config.name, p] as const));
    for (const name of oldP.keys()) if (!newP.has(name)) this.removeProtocol(name);
    const refeed = old.exportKey !== next.exportKey;
    for (const [name, p] of newP) {
      const o = oldP.get(name);
      if (o === undefined) this.addProtocol(p);
      else if (refeed || JSON.stringify(o.config) !== JSON.stringify(p.config)) this.handle(this.speaker.reconfigure(p, now));
    }
    if (old.kernelKey !== next.kernelKey) for (const r of this.speaker.fib()) this.exportToKernel(r.prefix, r);
  }

  /** addProtocol / removeProtocol follow a reconfiguration (`birdcl configure` after confd rewrote bird.cfg). */
  addProtocol(p: SpeakerProtocol): void {
    this.handle(this.speaker.addProtocol(p, this.clock.now()));
  }

  removeProtocol(name: string): void {
    this.handle(this.speaker.removeProtocol(name, this.clock.now()));
    for (const c of ['outgoing', 'incoming'] as const) this.dropSocket(name, c);
  }

  /** originate / withdraw a block in static1 (IPAM gave the node a block, or released one). */
  originate(prefix: Cidr): void {
    this.handle(this.speaker.addRoute({ protocol: 'static1', prefix, dest: 'blackhole' }, this.clock.now()));
  }

  withdraw(prefix: Cidr): void {
    this.handle(this.speaker.removeRoute('static1', prefix, this.clock.now()));
  }

  /** kernelRoutes are the routes kernel1 has installed, by prefix. */
  kernelRoutes(): ReadonlyMap<number, FibRoute> {
    return this.installed;
  }

  private log(at: number, message: string): void {
    this.events.push({ at, message });
  }

  private accepted(remote: Ipv4, sock: BgpSocket): BgpSocketEvents {
    let owner: string | null = null;
    const ev: BgpSocketEvents = {
      connected: () => {},
      data: (bytes) => {
        if (owner !== null && this.running) {
          this.messagesReceived++;
          this.handle(this.speaker.receive(owner, 'incoming', bytes, this.clock.now()));
        }
      },
      closed: (error) => {
        if (owner === null) return;
        if (this.sockets.get(connKey(owner, 'incoming')) === sock) this.sockets.delete(connKey(owner, 'incoming'));
        if (this.running) this.handle(this.speaker.tcpFailed(owner, 'incoming', error, this.clock.now()));
      },
    };
    if (!this.running) {
      this.transport.close(sock);
      return ev;
    }
    this.pendingAccept = sock;
    const out = this.speaker.incoming(remote, this.clock.now());
    const acc = out.find((o) => o.type === 'accept');
    if (acc !== undefined && acc.type === 'accept') {
      owner = acc.protocol;
      this.dropSocket(owner, 'incoming');
      this.sockets.set(connKey(owner, 'incoming'), sock);
      this.pendingAccept = null;
    }
    this.handle(out);
    if (this.pendingAccept !== null) {
      this.transport.close(sock);
      this.pendingAccept = null;
    }
    return ev;
  }

  private dropSocket(protocol: string, conn: ConnId): void {
    const k = connKey(protocol, conn);
    const s = this.sockets.get(k);
    if (s !== undefined) {
      this.sockets.delete(k);
      this.transport.close(s);
    }
  }

  private connect(o: Extract<SpeakerOutput, { type: 'connect' }>): void {
    this.dropSocket(o.protocol, 'outgoing');
    const name = o.protocol;
    let sock: BgpSocket | null = null;
    const mine = (): boolean => sock !== null && this.sockets.get(connKey(name, 'outgoing')) === sock;
    const r = this.transport.connect(
      { local: o.local, remote: o.remote, port: o.port, ttl: o.ttl, tos: o.tos },
      {
        connected: () => {
          if (mine() && this.running) this.handle(this.speaker.tcpConnected(name, this.clock.now()));
        },
        data: (bytes) => {
          if (mine() && this.running) {
            this.messagesReceived++;
            this.handle(this.speaker.receive(name, 'outgoing', bytes, this.clock.now()));
          }
        },
        closed: (error) => {
          if (!mine()) return;
          this.sockets.delete(connKey(name, 'outgoing'));
          if (this.running) this.handle(this.speaker.tcpFailed(name, 'outgoing', error, this.clock.now()));
        },
      },
    );
    if ('error' in r) {
      this.handle(this.speaker.tcpFailed(name, 'outgoing', r.error, this.clock.now()));
      return;
    }
    sock = r;
    this.sockets.set(connKey(name, 'outgoing'), r);
  }

  /**
   * handle carries out the speaker's outputs, then makes sure BIRD wakes for its next timer and for its
   * tx events. Messages to one socket are written together, as they meet in the socket's send queue.
   */
  private handle(out: readonly SpeakerOutput[]): void {
    const writes = new Map<BgpSocket, Uint8Array[]>();
    const writeOut = (s: BgpSocket): void => {
      const parts = writes.get(s);
      if (parts === undefined) return;
      writes.delete(s);
      this.transport.write(s, parts.length === 1 ? parts[0] : concatBytes(...parts));
    };
    for (const o of out) {
      switch (o.type) {
        case 'connect':
          this.connect(o);
          break;
        case 'accept':
          break;
        case 'reject':
          break;
        case 'send': {
          const s = this.sockets.get(connKey(o.protocol, o.conn));
          if (s !== undefined) {
            this.messagesSent++;
            const parts = writes.get(s);
            if (parts === undefined) writes.set(s, [o.bytes]);
            else parts.push(o.bytes);
          }
          break;
        }
        case 'close': {
          const s = this.sockets.get(connKey(o.protocol, o.conn));
          if (s !== undefined) writeOut(s);
          this.dropSocket(o.protocol, o.conn);
          break;
        }
        case 'fib':
          this.exportToKernel(o.prefix, o.route);
          break;
        case 'transition':
          if (o.from !== o.to) this.log(this.clock.now(), `${o.protocol}: ${o.from} -> ${o.to} (${o.reason})`);
          break;
        case 'log':
          this.log(this.clock.now(), o.message);
          break;
        case 'timer':
          break;
      }
    }
    for (const s of [...writes.keys()]) writeOut(s);
    this.rearm();
    if (this.running && !this.txScheduled && this.speaker.hasPendingTx()) {
      this.txScheduled = true;
      this.clock.wakeAt(this.clock.now(), () => {
        this.txScheduled = false;
        if (this.running) this.handle(this.speaker.flush(this.clock.now()));
      });
    }
  }

  private rearm(): void {
    if (!this.running) return;
    const at = this.speaker.nextDeadline();
    if (at === null) return;
    // An earlier wake-up is harmless (nothing is due then), so only an earlier deadline reschedules.
    if (this.wake !== null && this.wake.at <= at) return;
    if (this.wake !== null) this.clock.cancel(this.wake.handle);
    const handle = this.clock.wakeAt(at, () => {
      this.wake = null;
      if (this.running) this.handle(this.speaker.advance(Math.max(at, this.clock.now())));
    });
    this.wake = { at, handle };
  }

  /** exportToKernel is kernel1's export: calico_kernel_programming, then RTM_NEWROUTE or RTM_DELROUTE. */
  private exportToKernel(prefix: Cidr, route: FibRoute | null): void {
    const key = prefixId(prefix);
    const now = this.clock.now();
    if (route === null) {
      if (this.installed.delete(key)) this.kernel.routeDelete(prefix);
      return;
    }
    const d = this.setup.kernelExport === null ? ({ accept: false } as const) : this.setup.kernelExport(prefix, route.nextHop);
    if (!d.accept) {
      if (this.installed.delete(key)) this.kernel.routeDelete(prefix);
      return;
    }
    const req = kernelRequest(prefix, route, d.tunnel ?? '', this.kernel);
    const err = this.kernel.routeReplace(req);
    if (err !== null) {
      // BIRD logs the refusal and leaves the route out of the kernel (krt_replace_rte → nl_send errors).
      this.log(now, `Netlink: ${err.replace(/^(RTNETLINK answers|Error): /, '')}`);
      if (this.installed.delete(key)) this.kernel.routeDelete(prefix);
      return;
    }
    this.installed.set(key, route);
  }

  /** learnRoute is krt_got_route with `learn`: an alien route of the main table becomes kernel1's (null: it went). */
  private learnRoute(dst: Cidr, r: Route | null): void {
    const key = formatCidr(dst);
    const now = this.clock.now();
    if (r === null) {
      if (this.learned.delete(key)) this.handle(this.speaker.removeRoute('kernel1', dst, now));
      return;
    }
    this.learned.set(key, dst);
    const iface = r.dev !== undefined ? this.kernel.ifname(r.dev) : undefined;
    const dest =
      r.type === 'unicast'
        ? r.gateway !== undefined
          ? 'router'
          : 'device'
        : r.type === 'prohibit'
          ? 'prohibit'
          : r.type === 'unreachable'
            ? 'unreachable'
            : 'blackhole';
    this.handle(
      this.speaker.addRoute(
        {
          protocol: 'kernel1',
          prefix: r.dst,
          dest,
          ...(r.gateway !== undefined ? { gateway: r.gateway } : {}),
          ...(iface !== undefined ? { iface } : {}),
        },
        now,
      ),
    );
  }

  private routeChanged(table: number, dst: Cidr, before: readonly Route[], after: readonly Route[]): void {
    if (!this.running) return;
    if (
      table === RouteTable.Local ||
      before.some((r) => r.proto === RouteProto.Kernel) ||
      after.some((r) => r.proto === RouteProto.Kernel)
    ) {
      this.scanInterfaces();
    }
    if (table !== RouteTable.Main || !this.setup.learn) return;
    // The first alien route of a key is the one BIRD keeps (krt_learn_async replaces by prefix).
    const first = after.find(isAlien);
    if (first !== undefined) this.learnRoute(dst, first);
    else if (before.some(isAlien)) this.learnRoute(dst, null);
  }

  /** scanInterfaces is the device protocol's scan feeding direct1: a route per address prefix of each up, matching interface. */
  scanInterfaces(): void {
    const now = this.clock.now();
    const seen = new Map<string, { prefix: Cidr; iface: string }>();
    for (const i of this.kernel.interfaces()) {
      if (!i.up || !directAccepts(this.setup.directInterfaces, i.name)) continue;
      for (const a of i.addrs) {
        const prefix = { addr: networkOf(a.local, a.prefixLen), len: a.prefixLen };
        const k = formatCidr(prefix);
        if (!seen.has(k)) seen.set(k, { prefix, iface: i.name });
      }
    }
    for (const [k, p] of this.direct)
      if (!seen.has(k)) {
        this.direct.delete(k);
        this.handle(this.speaker.removeRoute('direct1', p, now));
      }
    for (const [k, v] of seen)
      if (!this.direct.has(k)) {
        this.direct.set(k, v.prefix);
        this.handle(this.speaker.addRoute({ protocol: 'direct1', prefix: v.prefix, dest: 'device', iface: v.iface }, now));
      }
  }
}

/** prefixId is a number for a prefix (address and length), for maps that see every route. */
function prefixId(p: Cidr): number {
  return p.addr * 64 + p.len;
}

/** isAlien says whether kernel1 learns a route: main table, any protocol but unspec, kernel and bird (nl_parse_route). */
function isAlien(r: Route): boolean {
  return r.table === RouteTable.Main && r.proto !== RouteProto.Kernel && r.proto !== RouteProto.Bird && r.proto !== RouteProto.Unspec;
}

/** kernelRequest builds kernel1's RTM_NEWROUTE: krt_tunnel routes go onlink over the tunnel to the BGP next hop. */
function kernelRequest(prefix: Cidr, route: FibRoute, tunnel: string, kernel: KernelSide): KernelRouteRequest {
  if (route.dest === 'blackhole' || route.dest === 'unreachable' || route.dest === 'prohibit')
    return { dst: prefix, type: route.dest, onlink: false, scope: RouteScope.Universe };
  if (tunnel !== '' && kernel.hasLink(tunnel)) {
    return { dst: prefix, type: 'unicast', gateway: route.nextHop ?? route.gateway, dev: tunnel, onlink: true, scope: RouteScope.Universe };
  }
  if (route.dest === 'device')
    return {
      dst: prefix,
      type: 'unicast',
      ...(route.iface !== undefined ? { dev: route.iface } : {}),
      onlink: false,
      scope: RouteScope.Link,
    };
  return {
    dst: prefix,
    type: 'unicast',
    ...(route.gateway !== undefined ? { gateway: route.gateway } : {}),
    ...(route.iface !== undefined ? { dev: route.iface } : {}),
    onlink: false,
    scope: RouteScope.Universe,
  };
}
