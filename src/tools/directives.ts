// The lab directives, which stand for what a person does in other terminals: `listen NS PORT` (a
// TCP listener that accepts and stays silent), `listen NS PORT http` (a small HTTP/1.1 server, RFC
// 9112), `capture NS IFACE` (tcpdump -n -e -t -i IFACE) and `captures` (stop every capture and print
// what each saw).

import { INIT_NS } from '../model/world.js';
import type { Sim } from '../kernel/engine.js';
import { linkByName } from '../kernel/netns.js';
import type { TcpSocket } from '../kernel/tcp.js';
import { type Capture, type Command, INITIAL_NETNS, type Listen } from './ast.js';
import type { ToolContext } from './context.js';
import { TcpdumpPrinter } from './tcpdump/print.js';
import { type Args, devName, fail, netnsName, uint } from './words.js';

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

/** parseCapture reads `capture NS IFACE`. */
export function parseCapture(args: Args): Command {
  const netns = directiveNetns(args);
  const iface = args.take();
  if (iface === undefined) fail('capture: missing interface');
  args.end();
  return { kind: 'capture', netns, iface: devName(iface) };
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

/** runCapture starts a capture, remembered by the shell until `captures`. */
export function runCapture(ctx: ToolContext, cmd: Capture): void {
  const key = cmd.netns === null ? INIT_NS : cmd.netns;
  const ns = ctx.sim.world.namespaces.get(key);
  const l = ns === undefined ? undefined : linkByName(ns, cmd.iface);
  if (l === undefined) {
    ctx.out.errLine(`tcpdump: ${cmd.iface}: No such device exists\n(SIOCGIFHWADDR: No such device)`, 1);
    return;
  }
  ctx.sim.startCapture(key, l.ifindex);
  ctx.captures.push({ ns: key, label: cmd.netns ?? INITIAL_NETNS, iface: cmd.iface, ifindex: l.ifindex });
}

/** runCaptures lets in-flight frames land, then prints and stops every capture. */
export function runCaptures(ctx: ToolContext): void {
  // The real runner waits before it stops tcpdump.
  ctx.sim.runFor(300_000);
  for (const c of ctx.captures.splice(0)) {
    const frames = ctx.sim.stopCapture(c.ns, c.ifindex);
    const printer = new TcpdumpPrinter();
    ctx.out.out(`=== capture ${c.label} ${c.iface}\n`);
    for (const f of frames) ctx.out.out(`${printer.print(f.frame)}\n`);
  }
}
