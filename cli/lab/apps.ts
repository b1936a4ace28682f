// ping(8) (iputils 20221126) and curl(1) (7.88) on the simulator: their timing rules and their
// exact output, driven on the virtual clock.

import { formatIpv4 } from '../../src/model/addr.js';
import type { Sim } from '../../src/kernel/engine.js';
import type { Errno } from '../../src/kernel/stack.js';
import { linkByName } from '../../src/kernel/netns.js';
import type { Curl, Ping } from './ast.js';

interface Output {
  stdout: string;
  stderr: string;
}

/** STRERROR is strerror(3) for the errnos a socket call can return here. */
const STRERROR: Record<Errno | 'EMSGSIZE', string> = {
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  EMSGSIZE: 'Message too long',
};

/** icmpText is iputils' pr_icmph text for an ICMP error. */
function icmpText(type: number, code: number, mtu?: number): string {
  if (type === 11) return code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  const unreach: Record<number, string> = {
    0: 'Destination Net Unreachable',
    1: 'Destination Host Unreachable',
    2: 'Destination Protocol Unreachable',
    3: 'Destination Port Unreachable',
    5: 'Source Route Failed',
    6: 'Destination Net Unknown',
    7: 'Destination Host Unknown',
    9: 'Destination Net Prohibited',
    10: 'Destination Host Prohibited',
    13: 'Packet filtered',
  };
  if (code === 4) return `Frag needed and DF set (mtu = ${mtu ?? 0})`;
  return unreach[code] ?? `Dest Unreachable, Bad Code: ${code}`;
}

/** fmtMs prints milliseconds the way iputils prints rtt values. */
function fmtMs(us: number): string {
  const ms = us / 1000;
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** fmtG prints a number like printf("%g"). */
function fmtG(x: number): string {
  return String(Number(x.toPrecision(6)));
}

let pingIdent = 0x3039;

/** runPing runs `ping` in namespace `ns` until iputils would exit. */
export function runPing(sim: Sim, ns: string, cmd: Ping): Output {
  const out: Output = { stdout: '', stderr: '' };
  const dst = cmd.dest;
  const dstText = formatIpv4(dst);
  const size = cmd.size ?? 56;
  const ttl = cmd.ttl ?? 64;
  const intervalUs = Math.round((cmd.interval ?? 1) * 1_000_000);
  const lingerUs = Math.round((cmd.timeout ?? 10) * 1_000_000);
  const count = cmd.count ?? Infinity;
  // iputils leaves IP_MTU_DISCOVER alone unless -M is given: sockets default to `want`.
  const pmtudisc = cmd.pmtudisc === 'do' ? 'do' : cmd.pmtudisc === 'dont' ? 'dont' : 'want';
  let oif: number | undefined;
  if (cmd.iface !== null) {
    const l = linkByName(sim.world.namespaces[ns], cmd.iface);
    if (!l) {
      out.stderr += `ping: SO_BINDTODEVICE ${cmd.iface}: No such device\n`;
      return out;
    }
    oif = l.ifindex;
  }
  // iputils first connects a UDP probe socket to learn the source address.
  const src = sim.routeSource(ns, dst);
  if (typeof src !== 'number') {
    // iputils explains EACCES (a prohibit route or a firewall) with its own hint.
    out.stderr +=
      src.errno === 'EACCES'
        ? 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n'
        : `ping: connect: ${STRERROR[src.errno]}\n`;
    return out;
  }
  out.stdout += `PING ${dstText} (${dstText}) ${size}(${size + 28}) bytes of data.\n`;
  const ident = pingIdent++ & 0xffff;
  const start = sim.now;
  const sentAt = new Map<number, number>();
  const rtts: number[] = [];
  let transmitted = 0;
  let received = 0;
  let errors = 0;
  let done = false;
  let lastActivity = start;
  let exitTimer: number | null = null;
  const closeSock = sim.openPing(ns, ident, (e) => {
    if (done) return;
    lastActivity = e.at;
    if (e.kind === 'reply') {
      const rtt = e.at - (sentAt.get(e.seq) ?? e.at);
      rtts.push(rtt);
      received++;
      if (!cmd.quiet) out.stdout += `${e.bytes} bytes from ${formatIpv4(e.from)}: icmp_seq=${e.seq} ttl=${e.ttl} time=${fmtMs(rtt)} ms\n`;
    } else {
      errors++;
      if (!cmd.quiet) out.stdout += `From ${formatIpv4(e.from)} icmp_seq=${e.seq} ${icmpText(e.type, e.code, e.mtu)}\n`;
    }
    if (received + errors >= count) done = true;
  });
  const sendNext = (): void => {
    if (done) return;
    const seq = transmitted + 1;
    sentAt.set(seq, sim.now);
    transmitted++;
    lastActivity = sim.now;
    const e = sim.sendEcho(ns, dst, ident, seq, size, ttl, pmtudisc, oif);
    if (e) {
      errors++;
      if (e.errno === 'EMSGSIZE') out.stderr += `ping: local error: message too long, mtu=${e.mtu}\n`;
      else out.stderr += `ping: sendmsg: ${STRERROR[e.errno]}\n`;
      if (received + errors >= count) done = true;
    }
    if (transmitted < count) {
      sim.after(intervalUs, sendNext);
    } else if (exitTimer === null) {
      // schedule_exit: after the last probe, wait 2·max rtt (at least the interval) if anything came back, else -W.
      const wait = received > 0 ? Math.max(2 * Math.max(...rtts), intervalUs) : lingerUs;
      exitTimer = sim.after(wait, () => void (done = true));
    }
  };
  if (cmd.deadline !== null) sim.after(Math.round(cmd.deadline * 1_000_000), () => void (done = true));
  sendNext();
  while (!done) {
    const next = sim.nextEventAt();
    if (next === Infinity) break;
    sim.runUntil(next, () => done);
  }
  closeSock();
  const elapsedMs = Math.floor((lastActivity - start) / 1000);
  out.stdout += `\n--- ${dstText} ping statistics ---\n`;
  const loss = transmitted > 0 ? ((transmitted - received) * 100) / transmitted : 0;
  out.stdout += `${transmitted} packets transmitted, ${received} received, ${errors > 0 ? `+${errors} errors, ` : ''}${fmtG(loss)}% packet loss, time ${elapsedMs}ms\n`;
  if (received > 0) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + b * b, 0) / rtts.length - avg * avg);
    out.stdout += `rtt min/avg/max/mdev = ${(min / 1000).toFixed(3)}/${(avg / 1000).toFixed(3)}/${(max / 1000).toFixed(3)}/${(mdev / 1000).toFixed(3)} ms`;
  }
  // iputils ends the summary with a newline whether or not an rtt line was printed.
  out.stdout += '\n';
  return out;
}

/** httpGet is the request curl 7.88.1 sends for a plain GET. */
function httpGet(host: string, port: number, path: string): Uint8Array {
  const hostHeader = port === 80 ? host : `${host}:${port}`;
  const text = `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
  return new TextEncoder().encode(text);
}

/** runCurl runs one `curl` GET; the `listen` directive's listeners accept and stay silent. */
export function runCurl(sim: Sim, ns: string, cmd: Curl): Output {
  const out: Output = { stdout: '', stderr: '' };
  const loud = !cmd.silent || cmd.showError;
  const host = formatIpv4(cmd.host);
  const start = sim.now;
  const maxUs = cmd.maxTime !== null ? Math.round(cmd.maxTime * 1_000_000) : 300_000_000;
  const c = sim.connect(ns, cmd.host, cmd.port);
  if ('errno' in c) {
    if (loud) out.stderr += `curl: (7) Failed to connect to ${host} port ${cmd.port} after 0 ms: Couldn't connect to server\n`;
    return out;
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
  if (result !== null && loud) out.stderr += result + '\n';
  return out;
}
