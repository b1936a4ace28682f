// curl(1) as curl 7.88.1 has it: one HTTP GET over TCP (RFC 9112 for the message), its options and
// its exact error lines. A BusyBox image has no curl (only its wget applet).

import { formatIpv4 } from '../model/addr.js';
import type { Sim } from '../kernel/engine.js';
import type { Command, Curl } from './ast.js';
import type { ToolContext } from './context.js';
import type { Output } from './output.js';
import { inBusyboxPod } from './cluster/machine.js';
import { type Args, fail, getopt, ipv4, seconds, uint } from './words.js';

/** CURL_EXIT_US is how long curl's exit takes after its last close (frames in flight land meanwhile). */
const CURL_EXIT_US = 1000;

/** httpGet is the request curl 7.88.1 sends for a plain GET. */
function httpGet(host: string, port: number, path: string): Uint8Array {
  const hostHeader = port === 80 ? host : `${host}:${port}`;
  const text = `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
  return new TextEncoder().encode(text);
}

/** HttpReply reads an HTTP/1.1 response as curl does: the header up to the blank line, then the body. */
class HttpReply {
  private head = '';
  /** headerDone says the blank line after the header arrived. */
  headerDone = false;
  /** length is the Content-Length, or null when the body ends with the connection. */
  length: number | null = null;
  /** bodyBytes counts the body received so far (curl's "N bytes received"). */
  bodyBytes = 0;
  /** any says anything at all arrived. */
  any = false;
  private readonly decoder = new TextDecoder();

  /** feed takes bytes from the connection and returns the body text they complete. */
  feed(bytes: Uint8Array): string {
    this.any = true;
    let body = bytes;
    if (!this.headerDone) {
      // The header is ASCII: one char per byte keeps offsets in step with the bytes.
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      const all = this.head + text;
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        this.head = all;
        return '';
      }
      this.headerDone = true;
      const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(all.slice(0, end + 2));
      this.length = m === null ? null : Number(m[1]);
      body = bytes.subarray(end + 4 - this.head.length);
      this.head = all.slice(0, end + 4);
    }
    if (this.length !== null) body = body.subarray(0, Math.max(0, this.length - this.bodyBytes));
    this.bodyBytes += body.length;
    return this.decoder.decode(body, { stream: true });
  }

  /** complete says a body with a Content-Length has all arrived. */
  get complete(): boolean {
    return this.headerDone && this.length !== null && this.bodyBytes >= this.length;
  }
}

/** runCurlCommand runs `curl` where the machine has it: not in a BusyBox pod of a cluster, where the shell finds none. */
export function runCurlCommand(ctx: ToolContext, cmd: Curl): void {
  if (inBusyboxPod(ctx)) ctx.out.errLine('bash: curl: command not found', 127);
  else runCurl(ctx.sim, ctx.ns, cmd, ctx.out);
}

/**
 * runCurl runs one `curl` GET: connect (errors at once are exit 7 after 0 ms), send the request,
 * print the body on stdout as it arrives, and close once the body is complete or the server closed.
 * Its errors are curl 7.88.1's: 7 for a connect that fails (RST, ICMP unreachable, no route), 28 for
 * -m running out, 52 for a close before any reply, 56 for a reset, 18 for a body cut short.
 */
export function runCurl(sim: Sim, ns: string, cmd: Curl, out: Output): void {
  const loud = !cmd.silent || cmd.showError;
  const host = formatIpv4(cmd.host);
  const start = sim.now;
  const maxUs = cmd.maxTime !== null ? Math.round(cmd.maxTime * 1_000_000) : 300_000_000;
  const ms = (): number => Math.round((sim.now - start) / 1000);
  const refused = (): string => `curl: (7) Failed to connect to ${host} port ${cmd.port} after ${ms()} ms: Couldn't connect to server`;
  const reply = new HttpReply();
  let connected = false;
  let result: string | null = null;
  let done = false;
  const finish = (error: string | null): void => {
    if (done) return;
    done = true;
    result = error;
  };
  const c = sim.tcp.connect(
    ns,
    { dst: cmd.host, port: cmd.port },
    {
      connected: (s) => {
        connected = true;
        s.send(httpGet(host, cmd.port, cmd.path));
      },
      data: (_s, bytes) => {
        out.out(reply.feed(bytes));
        if (reply.complete) finish(null);
      },
      peerClosed: () => {
        if (!reply.any) finish('curl: (52) Empty reply from server');
        else if (reply.length !== null && reply.bodyBytes < reply.length)
          finish(`curl: (18) transfer closed with ${reply.length - reply.bodyBytes} bytes remaining to read`);
        else finish(null);
      },
      reset: () => finish('curl: (56) Recv failure: Connection reset by peer'),
      error: () => finish(connected ? 'curl: (56) Recv failure: Connection timed out' : refused()),
    },
  );
  if ('errno' in c) {
    if (loud) out.err(`curl: (7) Failed to connect to ${host} port ${cmd.port} after 0 ms: Couldn't connect to server\n`);
    out.status = 7;
    return;
  }
  sim.runUntil(start + maxUs, () => done);
  if (!done) {
    result = connected
      ? `curl: (28) Operation timed out after ${ms()} milliseconds with ${reply.bodyBytes} bytes received`
      : `curl: (28) Connection timed out after ${ms()} milliseconds`;
  }
  c.close();
  // On a real node the close runs the peer's answer through the veths before the syscall returns,
  // and curl's exit and the next command's start take longer than that: let those frames land.
  sim.runFor(CURL_EXIT_US);
  if (result !== null) {
    if (loud) out.err(`${result}\n`);
    out.status = Number(/^curl: \((\d+)\)/.exec(result)![1]);
  }
}

/** parseCurl reads curl's argv: -s, -S, -m and one http:// URL with an IPv4 host. */
export function parseCurl(args: Args): Command {
  const { opts, operands } = getopt(
    'curl',
    args.rest(),
    { s: false, S: false, m: true },
    new Map([
      ['silent', 's'],
      ['show-error', 'S'],
      ['max-time', 'm'],
    ]),
  );
  let silent = false;
  let showError = false;
  let maxTime: number | null = null;
  for (const [o, v] of opts) {
    if (o === 's') silent = true;
    else if (o === 'S') showError = true;
    else maxTime = seconds(v, 'max time');
  }
  if (operands.length === 0) fail('curl: missing URL');
  if (operands.length > 1) fail(`curl: only one URL is supported in labs, got "${operands[1]}"`);
  const url = operands[0];
  const m = /^(?:http:\/\/)?([0-9.]+)(?::(\d+))?(\/\S*)?$/.exec(url);
  if (!m) fail(`curl: invalid URL "${url}" (labs use http://ADDR[:PORT][/PATH])`);
  const host = ipv4(m[1]);
  const port = m[2] === undefined ? 80 : uint(m[2], 'port', 65535);
  if (port === 0) fail('curl: invalid port "0"');
  return { kind: 'curl', url, host, port, path: m[3] ?? '/', silent, showError, maxTime };
}
