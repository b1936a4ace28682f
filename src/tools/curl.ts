// curl(1) as curl 7.88.1 has it: one HTTP GET over TCP, its options and its exact error lines.

import { formatIpv4 } from '../model/addr.js';
import type { Sim } from '../kernel/engine.js';
import type { Command, Curl } from './ast.js';
import type { Output } from './output.js';
import { type Args, fail, getopt, ipv4, seconds, uint } from './words.js';

/** httpGet is the request curl 7.88.1 sends for a plain GET. */
function httpGet(host: string, port: number, path: string): Uint8Array {
  const hostHeader = port === 80 ? host : `${host}:${port}`;
  const text = `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
  return new TextEncoder().encode(text);
}

/** runCurl runs one `curl` GET; the `listen` directive's listeners accept and stay silent. */
export function runCurl(sim: Sim, ns: string, cmd: Curl, out: Output): void {
  const loud = !cmd.silent || cmd.showError;
  const host = formatIpv4(cmd.host);
  const start = sim.now;
  const maxUs = cmd.maxTime !== null ? Math.round(cmd.maxTime * 1_000_000) : 300_000_000;
  const c = sim.connect(ns, cmd.host, cmd.port);
  if ('errno' in c) {
    if (loud) out.err(`curl: (7) Failed to connect to ${host} port ${cmd.port} after 0 ms: Couldn't connect to server\n`);
    out.status = 7;
    return;
  }
  let sent = false;
  let result: string | null = null;
  sim.after(maxUs, () => {
    if (result !== null) return;
    const st = sim.connState(c);
    const ms = Math.round((sim.now - start) / 1000);
    result =
      st.state === 'SYN-SENT'
        ? `curl: (28) Connection timed out after ${ms} milliseconds`
        : `curl: (28) Operation timed out after ${ms} milliseconds with ${st.received} bytes received`;
  });
  while (result === null) {
    const st = sim.connState(c);
    if (st.reset) {
      const ms = Math.round((sim.now - start) / 1000);
      result = `curl: (7) Failed to connect to ${host} port ${cmd.port} after ${ms} ms: Couldn't connect to server`;
      break;
    }
    if (st.state === 'ESTABLISHED' && !sent) {
      sent = true;
      sim.send(c, httpGet(host, cmd.port, cmd.path));
      continue;
    }
    const next = sim.nextEventAt();
    if (next === Infinity) break;
    sim.runUntil(next, () => sim.connState(c).reset || (sim.connState(c).state === 'ESTABLISHED' && !sent));
  }
  sim.close(c);
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
