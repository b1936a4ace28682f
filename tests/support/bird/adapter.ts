// Runs calisim's BgpSpeaker over real TCP sockets with real timers (node:net), for the BIRD interop test:
// started in the `sim` namespace by harness.ts, configured by one JSON argument, commanded by JSON lines on
// stdin, reporting events as JSON lines on stdout. It also has a raw mode (`inject`) that opens its own
// BGP connection, completes OPEN/KEEPALIVE by hand and then sends whatever bytes a test case asks for.
//
// Virtual time for the speaker is wall time since start, in seconds (tests may use the wall clock).

import { createServer, connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { formatCidr, formatIpv4, parseCidr, parseIpv4 } from '../../../src/model/addr.js';
import { calicoProtocol } from '../../../src/bgp/config.js';
import { calicoExportFilter } from '../../../src/bgp/calico.js';
import { BgpSpeaker, type SpeakerOutput } from '../../../src/bgp/speaker.js';
import type { ConnId } from '../../../src/bgp/fsm.js';

/** AdapterConfig is the JSON argument. */
interface AdapterConfig {
  readonly address: string;
  readonly peer: string;
  readonly localAs: number;
  readonly peerAs: number;
  readonly prefixes: readonly string[];
  readonly subnet: string;
  readonly protocol: string;
  readonly updateErrorHandling?: 'rfc4271' | 'rfc7606';
  readonly holdTime?: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as AdapterConfig;
const t0 = performance.now();
const now = (): number => (performance.now() - t0) / 1000;
const emit = (o: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const ip = (s: string): number => {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
};

const speaker = new BgpSpeaker({
  routerId: ip(cfg.address),
  localAddresses: [ip(cfg.address)],
  gracefulRestartRecovery: false,
  protocols: [
    {
      config: calicoProtocol({
        name: cfg.protocol,
        localAs: cfg.localAs,
        peerAs: cfg.peerAs,
        neighborAddress: ip(cfg.peer),
        sourceAddress: ip(cfg.address),
        routerId: ip(cfg.address),
        holdTime: cfg.holdTime ?? 240,
        updateErrorHandling: cfg.updateErrorHandling ?? 'rfc4271',
      }),
      // Calico's `calico_export_to_bgp_peers(true); reject;` for the pool 10.233.0.0/16 and the node's blocks.
      exportFilter: calicoExportFilter(
        { pools: [{ cidr: parseCidr('10.233.0.0/16')! }], blocks: cfg.prefixes.map((p) => ({ cidr: parseCidr(p)! })) },
        true,
      ),
    },
  ],
});

const sockets = new Map<ConnId, Socket>();
let timer: NodeJS.Timeout | null = null;

function handle(outs: SpeakerOutput[]): void {
  for (const o of outs) {
    switch (o.type) {
      case 'connect': {
        const s = connect({ host: formatIpv4(o.remote), port: o.port, localAddress: formatIpv4(o.local) });
        sockets.set('outgoing', s);
        s.on('connect', () => handle(speaker.tcpConnected(o.protocol, now())));
        wire(s, o.protocol, 'outgoing');
        emit({ event: 'connect', remote: formatIpv4(o.remote) });
        break;
      }
      case 'send': {
        const s = sockets.get(o.conn);
        s?.write(o.bytes);
        emit({ event: 'send', conn: o.conn, message: o.message.type, hex: hex(o.bytes) });
        break;
      }
      case 'close': {
        const s = sockets.get(o.conn);
        sockets.delete(o.conn);
        s?.end();
        emit({ event: 'close', conn: o.conn });
        break;
      }
      case 'transition':
        emit({ event: 'transition', protocol: o.protocol, on: o.event, reason: o.reason, from: o.from, to: o.to });
        break;
      case 'fib':
        emit({
          event: 'fib',
          prefix: formatCidr(o.prefix),
          dest: o.route?.dest ?? null,
          gateway: o.route?.gateway !== undefined ? formatIpv4(o.route.gateway) : null,
        });
        break;
      case 'log':
        emit({ event: 'log', message: o.message });
        break;
      default:
        break;
    }
  }
  schedule();
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  const d = speaker.nextDeadline();
  if (d === null) return;
  timer = setTimeout(() => handle(speaker.advance(now())), Math.max(0, (d - now()) * 1000) + 1);
}

function wire(s: Socket, protocol: string, conn: ConnId): void {
  s.on('data', (d: Buffer) => {
    if (sockets.get(conn) !== s) return;
    handle(speaker.receive(protocol, conn, new Uint8Array(d), now()));
  });
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (sockets.get(conn) !== s) return;
    sockets.delete(conn);
    const text = e.code === 'ECONNREFUSED' ? 'Connection refused' : e.code === 'ECONNRESET' ? 'Connection reset by peer' : e.message;
    handle(speaker.tcpFailed(protocol, conn, text, now()));
  });
  s.on('end', () => {
    if (sockets.get(conn) !== s) return;
    sockets.delete(conn);
    handle(speaker.tcpFailed(protocol, conn, '', now()));
  });
}

const server = createServer((s) => {
  const remote = s.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  const outs = speaker.incoming(ip(remote), now());
  const acc = outs.find((o) => o.type === 'accept' || o.type === 'reject');
  if (acc && acc.type === 'accept') {
    sockets.set('incoming', s);
    wire(s, acc.protocol, 'incoming');
  } else s.destroy();
  handle(outs);
});
server.listen(179, cfg.address, () => {
  emit({ event: 'listening' });
  handle(speaker.start(now()));
  handle(speaker.addRoute({ protocol: 'direct1', prefix: parseCidr(cfg.subnet)!, dest: 'device', iface: 'eth0' }, now()));
  for (const p of cfg.prefixes) handle(speaker.originate(parseCidr(p)!, now()));
});
server.on('error', (e) => emit({ event: 'error', message: e.message }));

// --- raw injection ---------------------------------------------------------------------------------

interface InjectCommand {
  readonly cmd: 'inject';
  readonly id: string;
  readonly local: string;
  readonly remote: string;
  /** open is the OPEN to send (hex). */
  readonly open: string;
  /** after are messages (hex) sent once the session is Established, in order. */
  readonly after: readonly string[];
}

const injected = new Map<string, Socket>();

function inject(c: InjectCommand): void {
  const s = connect({ host: c.remote, port: 179, localAddress: c.local });
  injected.set(c.id, s);
  let buf = Buffer.alloc(0);
  const received: string[] = [];
  let established = false;
  let done = false;
  const finish = (closed: boolean): void => {
    if (done) return;
    done = true;
    emit({ event: 'inject-result', id: c.id, received, closed, established });
  };
  s.on('connect', () => s.write(Buffer.from(c.open, 'hex')));
  s.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 19) {
      const len = buf.readUInt16BE(16);
      if (len < 19 || buf.length < len) break;
      const m = buf.subarray(0, len);
      buf = buf.subarray(len);
      received.push(m.toString('hex'));
      if (m[18] === 4 && !established) {
        // BIRD's KEEPALIVE after our OPEN: answer, then send the case's messages.
        established = true;
        s.write(Buffer.from('ffffffffffffffffffffffffffffffff001304', 'hex'));
        let delay = 100;
        for (const h of c.after) {
          setTimeout(() => s.write(Buffer.from(h, 'hex')), delay);
          delay += 100;
        }
        setTimeout(() => finish(false), delay + 400);
      }
      if (m[18] === 3) setTimeout(() => finish(true), 50);
    }
  });
  s.on('error', () => finish(true));
  s.on('close', () => finish(true));
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  const c = JSON.parse(line) as { cmd: string } & Record<string, unknown>;
  switch (c.cmd) {
    case 'routes':
      emit({
        event: 'routes',
        routes: speaker.showRoutes().map((n) => ({
          prefix: formatCidr(n.prefix),
          protocol: n.routes[0].route.protocol,
          dest: n.routes[0].route.dest,
          gateway: n.routes[0].route.gateway !== undefined ? formatIpv4(n.routes[0].route.gateway) : null,
        })),
      });
      break;
    case 'status':
      emit({ event: 'status', protocols: speaker.protocolStatus(), details: speaker.protocolDetails(cfg.protocol, now())?.lines ?? [] });
      break;
    case 'inject':
      inject(c as unknown as InjectCommand);
      break;
    case 'inject-close':
      injected.get(String(c.id))?.destroy();
      break;
    case 'quit':
      process.exit(0);
  }
});
