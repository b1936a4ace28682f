// The lab directives, which stand for what a person does in other terminals: `listen NS PORT` (a
// TCP listener that accepts and stays silent), `listen NS PORT http` (a small HTTP/1.1 server, RFC
// 9112), `capture NS IFACE [EXPR…]` (tcpdump -n -e -t -i IFACE EXPR), `captures` (stop every
// capture and print what each saw) and `sleep SECONDS` (time passes). The program form of a capture,
// `tcpdump -n -e -i IFACE [EXPR…]` typed in a namespace, runs here too.

import { INIT_NS } from '../model/world.js';
import type { CapturedFrame, Sim } from '../kernel/engine.js';
import { linkByName } from '../kernel/netns.js';
import type { TcpSocket } from '../kernel/tcp.js';
import { type Capture, type Command, INITIAL_NETNS, type Listen, type Sleep, type Tcpdump } from './ast.js';
import type { RunningCapture, ToolContext } from './context.js';
import { type FilterExpr, filterMatches, parseFilter } from './tcpdump/filter.js';
import { TcpdumpPrinter } from './tcpdump/print.js';
import { SERVICE_NAMES, type TcpdumpFlavour, tcpdumpBanner, tcpdumpNamesPorts, tcpdumpSummary } from './tcpdump/program.js';
import { type Args, devName, fail, netnsName, seconds, uint } from './words.js';

/** directiveNetns reads a directive's namespace: `-` is the lab's initial namespace. */
function directiveNetns(args: Args): string | null {
  const ns = args.take();
  if (ns === undefined) fail(`${args.ctx}: missing namespace (a name, or "${INITIAL_NETNS}" for the initial one)`);
  return ns === INITIAL_NETNS ? null : netnsName(ns);
}

/** parseListen reads `listen NS PORT [http]`. */
export function parseListen(args: Args): Command {
  const netns = directiveNetns(args);
  const p = args.take();
  if (p === undefined) fail('listen: missing port');
  const port = uint(p, 'port', 65535);
  if (port === 0) fail('listen: invalid port "0"');
  const http = args.peek() === 'http';
  if (http) args.take();
  args.end();
  return http ? { kind: 'listen', netns, port, http: true } : { kind: 'listen', netns, port };
}

/** HTTP_MAX_BODY is the largest body `GET /bytes/N` gets from a `listen NS PORT http` server. */
export const HTTP_MAX_BODY = 10_000_000;

/** parseCapture reads `capture NS IFACE [EXPR…]`, EXPR a pcap-filter(7) expression. */
export function parseCapture(args: Args): Command {
  const netns = directiveNetns(args);
  const iface = args.take();
  if (iface === undefined) fail('capture: missing interface');
  const filterWords = args.rest();
  return {
    kind: 'capture',
    netns,
    iface: devName(iface),
    filter: filterWords.length > 0 ? parseFilter(filterWords) : null,
    filterWords,
  };
}

/** MAX_SLEEP_SECONDS bounds `sleep`: the kernel runner really waits. */
const MAX_SLEEP_SECONDS = 3600;

/** parseSleep reads `sleep SECONDS` (a decimal number of seconds, as sleep(1) takes). */
export function parseSleep(args: Args): Command {
  const w = args.take();
  if (w === undefined) fail('sleep: missing number of seconds');
  args.end();
  const s = seconds(w, 'number of seconds');
  if (s > MAX_SLEEP_SECONDS) fail(`sleep: at most ${MAX_SLEEP_SECONDS} seconds`);
  return { kind: 'sleep', seconds: s };
}

/** runSleep lets `seconds` of virtual time pass: every timer due meanwhile fires. */
export function runSleep(ctx: ToolContext, cmd: Sleep): void {
  ctx.sim.runFor(Math.round(cmd.seconds * 1_000_000));
}

/** parseCaptures reads `captures`. */
export function parseCaptures(args: Args): Command {
  args.end();
  return { kind: 'captures' };
}

/** SILENT_BACKLOG is the backlog of the silent listener: Node.js's default for server.listen (511). */
const SILENT_BACKLOG = 511;

/** HTTP_FILL is the line `GET /bytes/N` bodies repeat: 63 characters and a newline. */
const HTTP_FILL = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n';

/**
 * httpBody is what a `listen NS PORT http` server answers to a GET of `path`: for `/bytes/N`
 * (0 < N ≤ HTTP_MAX_BODY) N bytes of HTTP_FILL lines, cut at N; for anything else `hello from NS`
 * and a newline, NS being the namespace as the lab wrote it (`-` for the initial one).
 */
export function httpBody(label: string, path: string): Uint8Array {
  const m = /^\/bytes\/(\d{1,8})$/.exec(path);
  const n = m === null ? 0 : Number(m[1]);
  if (n > 0 && n <= HTTP_MAX_BODY) {
    const fill = new TextEncoder().encode(HTTP_FILL);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = fill[i % fill.length];
    return out;
  }
  return new TextEncoder().encode(`hello from ${label}\n`);
}

/**
 * httpResponse is the whole answer: `HTTP/1.1 200 OK`, `Content-Type: text/plain`,
 * `Content-Length: N`, `Connection: close`, a blank line (CRLF line ends), then httpBody. No Date
 * header, so the bytes never change.
 */
export function httpResponse(label: string, path: string): Uint8Array {
  const body = httpBody(label, path);
  const head = new TextEncoder().encode(
    `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/**
 * serveHttp is the server of `listen NS PORT http`, as the kernel runner's python3 server behaves:
 * it reads a request up to its blank line, answers it with TCP_CORK set (so the FIN rides on the last
 * segment) and closes; a connection closed before a whole request gets no answer.
 */
export function serveHttp(sim: Sim, ns: string, port: number, label: string): { errno: string } | null {
  const r = sim.tcp.listen(ns, { port, backlog: 4096 }, () => {
    let req = '';
    let answered = false;
    const answer = (s: TcpSocket): void => {
      answered = true;
      const path = req.slice(0, req.indexOf('\r\n')).split(' ')[1] ?? '/';
      s.setCork(true);
      s.send(httpResponse(label, path));
      s.close();
    };
    return {
      data: (s, bytes) => {
        if (answered) return;
        for (const b of bytes) req += String.fromCharCode(b);
        if (req.includes('\r\n\r\n')) answer(s);
      },
      peerClosed: (s) => {
        if (!answered) s.close();
      },
    };
  });
  return 'errno' in r ? r : null;
}

/** runListen opens a TCP listener, silent or HTTP, in the directive's namespace. */
export function runListen(ctx: ToolContext, cmd: Listen): void {
  const key = cmd.netns === null ? INIT_NS : cmd.netns;
  if (!ctx.sim.world.namespaces.has(key)) {
    ctx.out.errLine(`Cannot open network namespace "${cmd.netns}": No such file or directory`, 1);
    return;
  }
  const r =
    cmd.http === true
      ? serveHttp(ctx.sim, key, cmd.port, cmd.netns ?? INITIAL_NETNS)
      : ctx.sim.tcp.listen(key, { port: cmd.port, backlog: SILENT_BACKLOG, reads: false }, () => ({}));
  if (r !== null && 'errno' in r) ctx.out.errLine(`listen EADDRINUSE: address already in use 0.0.0.0:${cmd.port}`, 1);
}

/** CaptureOptions are how a running capture filters and prints (tcpdump's options and expression). */
interface CaptureOptions {
  readonly filter: FilterExpr | null;
  /** portNames says whether ports are printed by service name. */
  readonly portNames: boolean;
  readonly timestamps: boolean;
  /** program marks the `tcpdump` program form, which reports its counters on stderr when stopped. */
  readonly program: boolean;
}

/** CaptureState is a running capture's options and the frames it already holds. */
interface CaptureState extends CaptureOptions {
  /**
   * seen holds the frames taken from the simulator while the capture ran: the simulator records one
   * list per device, so whenever a capture of a device starts or stops, the list so far goes to every
   * capture of the device still running, and a new list starts for those that go on.
   */
  readonly seen: CapturedFrame[];
}

/** captureState holds, for each running capture, how it prints and what it saw (the shell keeps only RunningCapture). */
const captureState = new WeakMap<RunningCapture, CaptureState>();

/** simCaptures are the captures running on a simulator, from every shell that drives it. */
const simCaptures = new WeakMap<Sim, RunningCapture[]>();

function runningOn(sim: Sim): RunningCapture[] {
  let l = simCaptures.get(sim);
  if (l === undefined) {
    l = [];
    simCaptures.set(sim, l);
  }
  return l;
}

/** sameDevice lists the running captures of one device. */
function sameDevice(captures: readonly RunningCapture[], ns: string, ifindex: number): RunningCapture[] {
  return captures.filter((c) => c.ns === ns && c.ifindex === ifindex);
}

/** collect hands the frames a device recorded so far to every capture of it running on the simulator. */
function collect(sim: Sim, ns: string, ifindex: number): void {
  const running = sameDevice(runningOn(sim), ns, ifindex);
  if (running.length === 0) return;
  const soFar = sim.stopCapture(ns, ifindex);
  for (const r of running) captureState.get(r)?.seen.push(...soFar);
}

/**
 * tcpdumpFlavour is whose tcpdump the namespace has: `upstream` unless the shell's context says
 * otherwise (a scenario's Red Hat node; ToolContext.tcpdumpFlavour, when the shell provides it).
 */
function tcpdumpFlavour(ctx: ToolContext): TcpdumpFlavour {
  const f = ctx.tcpdumpFlavour;
  return f === undefined ? 'upstream' : f(ctx.ns);
}

/**
 * startCapture opens a capture on IFACE of namespace `key`, as tcpdump does: a missing namespace is
 * ip-netns(8)'s error, a missing device or a bad filter tcpdump's (status 1), and nothing is
 * captured then. It returns false on error.
 */
function startCapture(
  ctx: ToolContext,
  key: string,
  label: string,
  iface: string,
  filter: Capture['filter'],
  opts: Omit<CaptureOptions, 'filter'>,
): boolean {
  const ns = ctx.sim.world.namespaces.get(key);
  if (ns === undefined) {
    // The directive stands for `ip netns exec NS tcpdump …`: a missing namespace is ip's error.
    ctx.out.errLine(`Cannot open network namespace "${label}": No such file or directory`, 1);
    return false;
  }
  const l = linkByName(ns, iface);
  if (l === undefined) {
    ctx.out.errLine(`tcpdump: ${iface}: No such device exists\n(No such device exists)`, 1);
    return false;
  }
  if (filter !== null && !filter.ok) {
    ctx.out.errLine(filter.error, 1);
    return false;
  }
  collect(ctx.sim, key, l.ifindex);
  ctx.sim.startCapture(key, l.ifindex);
  const c: RunningCapture = { ns: key, label, iface, ifindex: l.ifindex };
  captureState.set(c, { ...opts, filter: filter === null ? null : filter.expr, seen: [] });
  ctx.captures.push(c);
  runningOn(ctx.sim).push(c);
  return true;
}

/** runCapture starts a `capture` directive, remembered by the shell until `captures`. */
export function runCapture(ctx: ToolContext, cmd: Capture): void {
  const key = cmd.netns === null ? INIT_NS : cmd.netns;
  startCapture(ctx, key, cmd.netns ?? INITIAL_NETNS, cmd.iface, cmd.filter, { portNames: false, timestamps: false, program: false });
}

/**
 * runTcpdump starts the `tcpdump` program form in the command's namespace: tcpdump's banner goes to
 * stderr now, its frames and counters at the next `captures`.
 */
export function runTcpdump(ctx: ToolContext, cmd: Tcpdump): void {
  const label = ctx.ns === INIT_NS ? INITIAL_NETNS : ctx.ns;
  const portNames = tcpdumpNamesPorts(cmd.nflag, tcpdumpFlavour(ctx));
  if (startCapture(ctx, ctx.ns, label, cmd.iface, cmd.filter, { portNames, timestamps: cmd.timestamps, program: true })) {
    ctx.out.err(tcpdumpBanner(cmd.iface));
  }
}

/** timeOfDay prints a virtual time as tcpdump prints a timestamp (`HH:MM:SS.uuuuuu`, the clock's day). */
export function timeOfDay(us: number): string {
  const t = Math.floor(us);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const secs = Math.floor(t / 1_000_000);
  return `${p2(Math.floor(secs / 3600) % 24)}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}.${String(t % 1_000_000).padStart(6, '0')}`;
}

/** runCaptures lets in-flight frames land, then prints and stops every capture. */
export function runCaptures(ctx: ToolContext): void {
  // The real runner waits before it stops tcpdump.
  ctx.sim.runFor(300_000);
  const captures = ctx.captures.splice(0);
  const all = runningOn(ctx.sim);
  for (const [i, c] of captures.entries()) {
    if (sameDevice(captures.slice(0, i), c.ns, c.ifindex).length > 0) continue;
    collect(ctx.sim, c.ns, c.ifindex);
    // Captures of the device that other shells run go on recording.
    const others = sameDevice(all, c.ns, c.ifindex).filter((r) => !captures.includes(r));
    if (others.length > 0) ctx.sim.startCapture(c.ns, c.ifindex);
  }
  simCaptures.set(
    ctx.sim,
    all.filter((r) => !captures.includes(r)),
  );
  for (const c of captures) {
    const o = captureState.get(c) ?? { filter: null, portNames: false, timestamps: false, program: false, seen: [] };
    const frames = o.seen.filter((f) => o.filter === null || filterMatches(o.filter, f.frame));
    const printer = new TcpdumpPrinter(o.portNames ? { portNames: SERVICE_NAMES } : {});
    ctx.out.out(`=== capture ${c.label} ${c.iface}\n`);
    // The clock of a scenario's machines reads its startTime at virtual time 0 (UTC).
    const epochUs = ctx.cluster !== undefined ? (ctx.cluster.ds.startTime % 86400) * 1_000_000 : 0;
    for (const f of frames) ctx.out.out(`${o.timestamps ? `${timeOfDay(f.at + epochUs)} ` : ''}${printer.print(f.frame)}\n`);
    if (o.program) ctx.out.err(tcpdumpSummary(frames.length, frames.length));
  }
}
