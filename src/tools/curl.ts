// curl(1) as curl 7.88.1 has it: one HTTP GET (or HEAD, -I) over TCP (RFC 9112 for the message), its
// options (-s, -S, -m, -v, -I, -o, -w, --connect-timeout; src/tool_getparam.c), its -v trace
// (src/tool_cb_dbg.c) and -w variables (src/tool_writeout.c), and its exact error lines
// (lib/connect.c, lib/multi.c). A BusyBox image has no curl (only its wget applet).

import { formatIpv4 } from '../model/addr.js';
import type { Sim } from '../kernel/engine.js';
import type { Command, Curl, CurlOptions } from './ast.js';
import type { ToolContext } from './context.js';
import type { Output } from './output.js';
import { inBusyboxPod } from './cluster/machine.js';
import { type Args, fail, getopt, ipv4, seconds, uint } from './words.js';

/** CURL_EXIT_US is how long curl's exit takes after its last close (frames in flight land meanwhile). */
const CURL_EXIT_US = 1000;

/** httpRequest is the request curl 7.88.1 sends for a plain GET or HEAD. */
function httpRequest(method: 'GET' | 'HEAD', host: string, port: number, path: string): Uint8Array {
  const hostHeader = port === 80 ? host : `${host}:${port}`;
  const text = `${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
  return new TextEncoder().encode(text);
}

/** latin1 reads bytes one char per byte (the header is ASCII). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** HttpReply reads an HTTP/1.1 response as curl does: the header up to the blank line, then the body. */
class HttpReply {
  private head = '';
  /** headerDone says the blank line after the header arrived. */
  headerDone = false;
  /** newHeader is the whole header (status line to blank line) when the last feed completed it, else ''. */
  newHeader = '';
  /** status is the status code of the status line, 0 before one came. */
  status = 0;
  /** version is the HTTP version of the status line (`1.1`). */
  version = '0';
  /** headerBytes is the size of the header (curl's size_header). */
  headerBytes = 0;
  /** length is the Content-Length, or null when the body ends with the connection. */
  length: number | null = null;
  /** bodyBytes counts the body received so far (curl's "N bytes received"). */
  bodyBytes = 0;
  /** excess counts bytes after the header of a reply to HEAD, which has no body. */
  excess = 0;
  /** any says anything at all arrived. */
  any = false;
  private readonly decoder = new TextDecoder();

  constructor(private readonly noBody: boolean) {}

  /** feed takes bytes from the connection and returns the body bytes among them. */
  feed(bytes: Uint8Array): Uint8Array {
    this.any = true;
    let body = bytes;
    if (!this.headerDone) {
      // One char per byte keeps offsets in step with the bytes.
      const all = this.head + latin1(bytes);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        this.head = all;
        return new Uint8Array(0);
      }
      this.headerDone = true;
      const header = all.slice(0, end + 4);
      const status = /^HTTP\/(\d(?:\.\d)?) (\d{3})/.exec(header);
      if (status !== null) {
        this.version = status[1];
        this.status = Number(status[2]);
      }
      const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(header.slice(0, end + 2));
      this.length = m === null ? null : Number(m[1]);
      body = bytes.subarray(end + 4 - this.head.length);
      this.head = header;
      this.newHeader = header;
      this.headerBytes = header.length;
    }
    if (this.noBody) {
      this.excess += body.length;
      return new Uint8Array(0);
    }
    if (this.length !== null) body = body.subarray(0, Math.max(0, this.length - this.bodyBytes));
    this.bodyBytes += body.length;
    return body;
  }

  /** decode turns body bytes into text, carrying a split UTF-8 sequence over to the next call. */
  decode(body: Uint8Array): string {
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

/** CURL_STRERROR is strerror(3) for the errnos a connect can fail with, as curl's verbose lines quote them. */
const CURL_STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ENOPROTOOPT: 'Protocol not available',
  EOPNOTSUPP: 'Operation not supported',
  EHOSTDOWN: 'Host is down',
  ENONET: 'Machine is not on the network',
  EPROTO: 'Protocol error',
  EMSGSIZE: 'Message too long',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOBUFS: 'No buffer space available',
};

/** NO_OPTS are curl's defaults for the options a lab did not give. */
const NO_OPTS: CurlOptions = { verbose: false, head: false, output: null, writeOut: null, connectTimeout: null };

/** Transfer is what -w reads once curl is done (tool_writeout.c's variables). */
interface Transfer {
  readonly url: string;
  readonly httpCode: number;
  readonly httpVersion: string;
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly localIp: string;
  readonly localPort: number;
  readonly sizeDownload: number;
  readonly sizeHeader: number;
  readonly sizeRequest: number;
  readonly numConnects: number;
  readonly exitcode: number;
  readonly errormsg: string;
  /** seconds are the virtual times of the transfer, for time_connect and time_total. */
  readonly timeConnect: number;
  readonly timeTotal: number;
}

/**
 * writeOut expands a -w FORMAT as curl 7.88.1's ourWriteOut does: `%{name}` variables, `%%`, and the
 * backslash escapes \n, \r, \t and \\. It returns the text for stdout and the warnings for stderr.
 */
export function writeOut(format: string, t: Transfer): { readonly stdout: string; readonly stderr: string } {
  const vars = new Map<string, string>([
    ['http_code', String(t.httpCode).padStart(3, '0')],
    ['response_code', String(t.httpCode).padStart(3, '0')],
    ['http_version', t.httpVersion],
    ['remote_ip', t.remoteIp],
    ['remote_port', String(t.remotePort)],
    ['local_ip', t.localIp],
    ['local_port', String(t.localPort)],
    ['size_download', String(t.sizeDownload)],
    ['size_header', String(t.sizeHeader)],
    ['size_request', String(t.sizeRequest)],
    ['size_upload', '0'],
    ['num_connects', String(t.numConnects)],
    ['exitcode', String(t.exitcode)],
    ['errormsg', t.errormsg],
    ['url', t.url],
    ['url_effective', t.url],
    ['method', ''],
    ['time_connect', t.timeConnect.toFixed(6)],
    ['time_total', t.timeTotal.toFixed(6)],
  ]);
  let out = '';
  let err = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && format[i + 1] === '%') {
      out += '%';
      i++;
    } else if (c === '%' && format[i + 1] === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) {
        out += c;
        continue;
      }
      const name = format.slice(i + 2, end);
      const v = vars.get(name);
      if (v === undefined) err += `curl: unknown --write-out variable: '${name}'\n`;
      else out += v;
      i = end;
    } else if (c === '\\' && i + 1 < format.length) {
      const e = format[i + 1];
      out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === '\\' ? '\\' : `\\${e}`;
      i++;
    } else out += c;
  }
  return { stdout: out, stderr: err };
}

/**
 * runCurl runs one `curl` request: connect (a local route error fails at once, exit 7 after 0 ms),
 * send the request, print the body on stdout as it arrives (or the header, for -I), and close once
 * the body is complete or the server closed. Its errors are curl 7.88.1's: 7 for a connect that
 * fails (RST, an ICMP error tcp_v4_err hands the SYN-SENT socket, no route), 28 for -m or
 * --connect-timeout running out, 52 for a close before any reply, 56 for a reset, 18 for a body cut
 * short. -v writes curl's trace on stderr as it happens: `*` for its own lines, `>` for the request
 * header, `<` for the response header, `{ [N bytes data]` for the first body bytes.
 */
export function runCurl(sim: Sim, ns: string, cmd: Curl, out: Output): void {
  const o = cmd.opts ?? NO_OPTS;
  const loud = !cmd.silent || cmd.showError;
  const host = formatIpv4(cmd.host);
  const start = sim.now;
  const maxUs = cmd.maxTime !== null ? Math.round(cmd.maxTime * 1_000_000) : 300_000_000;
  const connectUs = o.connectTimeout !== null ? Math.round(o.connectTimeout * 1_000_000) : Infinity;
  const ms = (): number => Math.round((sim.now - start) / 1000);
  const info = (line: string): void => {
    if (o.verbose) out.err(`* ${line}\n`);
  };
  const failedConnect = (): string => `Failed to connect to ${host} port ${cmd.port} after ${ms()} ms: Couldn't connect to server`;
  const request = httpRequest(o.head ? 'HEAD' : 'GET', host, cmd.port, cmd.path);
  const reply = new HttpReply(o.head);
  const toStdout = o.output === null;
  let connected = false;
  let connectedAt = 0;
  let local: { ip: string; port: number } = { ip: '', port: 0 };
  let tracedData = false;
  let code = 0;
  let error: string | null = null;
  let done = false;
  const finish = (exit: number, msg: string | null): void => {
    if (done) return;
    done = true;
    code = exit;
    error = msg;
  };
  info(`  Trying ${host}:${cmd.port}...`);
  const c = sim.tcp.connect(
    ns,
    { dst: cmd.host, port: cmd.port },
    {
      connected: (s) => {
        connected = true;
        connectedAt = sim.now;
        const t = s.tcb;
        if (t !== undefined) local = { ip: formatIpv4(t.laddr), port: t.lport };
        info(`Connected to ${host} (${host}) port ${cmd.port} (#0)`);
        if (o.verbose) out.err(`> ${latin1(request).replaceAll('\r\n', '\r\n> ').slice(0, -2)}`);
        s.send(request);
      },
      data: (_s, bytes) => {
        const body = reply.feed(bytes);
        // With -I and -v, curl traces each header line (`< LINE`) and then writes it to stdout; the
        // blank line that ends the header goes to stdout before its trace (Curl_http_readwrite_headers).
        const interleave = o.head && o.verbose && toStdout;
        if (interleave) {
          for (const line of reply.newHeader.split(/(?<=\r\n)/)) {
            if (line === '') continue;
            if (line === '\r\n') {
              out.out(line);
              out.err(`< ${line}`);
            } else {
              out.err(`< ${line}`);
              out.out(line);
            }
          }
        } else if (o.verbose && reply.newHeader !== '') out.err(`< ${reply.newHeader.replaceAll('\r\n', '\r\n< ').slice(0, -2)}`);
        if (o.head && reply.headerDone) {
          // A HEAD reply has no body: what came after the header is excess, and curl is done.
          if (toStdout && !interleave) out.out(reply.newHeader);
          reply.newHeader = '';
          if (reply.excess > 0) info(`Excess found: excess = ${reply.excess} url = ${cmd.path} (zero-length body)`);
          finish(0, null);
          return;
        }
        reply.newHeader = '';
        if (body.length > 0) {
          if (o.verbose && !tracedData) {
            out.err(`{ [${body.length} bytes data]\n`);
            tracedData = true;
          }
          if (toStdout) out.out(reply.decode(body));
        }
        if (reply.complete) finish(0, null);
      },
      peerClosed: () => {
        if (!reply.any) finish(52, 'Empty reply from server');
        else if (reply.length !== null && reply.bodyBytes < reply.length)
          finish(18, `transfer closed with ${reply.length - reply.bodyBytes} bytes remaining to read`);
        else finish(0, null);
      },
      reset: () => finish(56, 'Recv failure: Connection reset by peer'),
      error: (_s, err) => {
        if (connected) {
          finish(56, 'Recv failure: Connection timed out');
          return;
        }
        info(`connect to ${host} port ${cmd.port} failed: ${CURL_STRERROR[err] ?? err}`);
        finish(7, failedConnect());
      },
    },
  );
  if ('errno' in c) {
    info(`Immediate connect fail for ${host}: ${CURL_STRERROR[c.errno] ?? c.errno}`);
    finish(7, failedConnect());
  } else {
    const connectEnd = start + Math.min(connectUs, maxUs);
    sim.runUntil(connectEnd, () => done || connected);
    if (!done && !connected) {
      if (connectUs < maxUs) {
        info(`ipv4 connect timeout after ${ms()}ms, move on!`);
        finish(28, `Failed to connect to ${host} port ${cmd.port} after ${ms()} ms: Timeout was reached`);
      } else finish(28, `Connection timed out after ${ms()} milliseconds`);
    }
    if (!done) sim.runUntil(start + maxUs, () => done);
    if (!done) finish(28, `Operation timed out after ${ms()} milliseconds with ${reply.bodyBytes} bytes received`);
    c.close();
    // On a real node the close runs the peer's answer through the veths before the syscall returns,
    // and curl's exit and the next command's start take longer than that: let those frames land.
    sim.runFor(CURL_EXIT_US);
  }
  // failf messages show in the trace too, then curl closes the connection.
  if (error !== null) info(error);
  info('Closing connection 0');
  if (error !== null && loud) out.err(`curl: (${code}) ${error}\n`);
  out.status = code;
  if (o.writeOut !== null) {
    const w = writeOut(o.writeOut, {
      url: `http://${host}${cmd.port === 80 ? '' : `:${cmd.port}`}${cmd.path}`,
      httpCode: reply.status,
      httpVersion: reply.status !== 0 ? reply.version : '0',
      remoteIp: connected ? host : '',
      remotePort: connected ? cmd.port : 0,
      localIp: local.ip,
      localPort: local.port,
      sizeDownload: o.head ? 0 : reply.bodyBytes,
      sizeHeader: reply.headerBytes,
      sizeRequest: connected ? request.length : 0,
      numConnects: connected ? 1 : 0,
      exitcode: code,
      errormsg: error ?? '',
      timeConnect: connected ? (connectedAt - start) / 1e6 : 0,
      timeTotal: (sim.now - start) / 1e6,
    });
    out.out(w.stdout);
    out.err(w.stderr);
  }
}

/** parseCurl reads curl's argv: -s, -S, -m, -v, -I, -o FILE, -w FORMAT, --connect-timeout and one http:// URL with an IPv4 host. */
export function parseCurl(args: Args): Command {
  const { opts, operands } = getopt(
    'curl',
    args.rest(),
    { s: false, S: false, m: true, v: false, I: false, o: true, w: true, T: true },
    new Map([
      ['silent', 's'],
      ['show-error', 'S'],
      ['max-time', 'm'],
      ['verbose', 'v'],
      ['head', 'I'],
      ['output', 'o'],
      ['write-out', 'w'],
      // curl has no short form of --connect-timeout: T stands for it here only.
      ['connect-timeout', 'T'],
    ]),
  );
  let silent = false;
  let showError = false;
  let maxTime: number | null = null;
  let verbose = false;
  let head = false;
  let output: string | null = null;
  let writeOutFormat: string | null = null;
  let connectTimeout: number | null = null;
  for (const [o, v] of opts) {
    if (o === 's') silent = true;
    else if (o === 'S') showError = true;
    else if (o === 'v') verbose = true;
    else if (o === 'I') head = true;
    else if (o === 'o') output = v;
    else if (o === 'w') writeOutFormat = v;
    else if (o === 'T') connectTimeout = seconds(v, 'connect timeout');
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
  const any = verbose || head || output !== null || writeOutFormat !== null || connectTimeout !== null;
  return {
    kind: 'curl',
    url,
    host,
    port,
    path: m[3] ?? '/',
    silent,
    showError,
    maxTime,
    ...(any ? { opts: { verbose, head, output, writeOut: writeOutFormat, connectTimeout } } : {}),
  };
}
