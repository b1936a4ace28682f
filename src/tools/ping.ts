// ping(8) as iputils 20221126 has it: its options (getopt), its timing rules (schedule_exit, -W, -w)
// and its exact output, driven on the virtual clock of the simulator; in a BusyBox pod of a cluster,
// BusyBox 1.36's applet instead (networking/ping.c: sequence numbers from 0, ICMP errors ignored, and
// exit as soon as -c replies came, else 2 RTTs or -W seconds after the last request).

import { formatIpv4 } from '../model/addr.js';
import type { Sim } from '../kernel/engine.js';
import type { Errno } from '../kernel/stack.js';
import { linkByName } from '../kernel/netns.js';
import type { Command, Ping, PmtuDisc } from './ast.js';
import type { ToolContext } from './context.js';
import type { Output } from './output.js';
import { inBusyboxPod } from './cluster/machine.js';
import { type BusyboxPingReply, busyboxPing } from './netutils/ping.js';
import { type Args, fail, getopt, ipv4, seconds, uint } from './words.js';

/** STRERROR is strerror(3) for the errnos a socket call can return here. */
export const STRERROR: Readonly<Record<Errno | 'EMSGSIZE', string>> = {
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

/** runPing runs `ping` in namespace `ns` until iputils would exit, writing what it prints to `out`. */
export function runPing(sim: Sim, ns: string, cmd: Ping, out: Output): void {
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
    const l = linkByName(sim.world.namespaces.get(ns)!, cmd.iface);
    if (!l) {
      out.errLine(`ping: SO_BINDTODEVICE ${cmd.iface}: No such device`, 2);
      return;
    }
    oif = l.ifindex;
  }
  // iputils first connects a UDP probe socket to learn the source address.
  const src = sim.routeSource(ns, dst);
  if (typeof src !== 'number') {
    // iputils explains EACCES (a prohibit route or a firewall) with its own hint.
    out.errLine(
      src.errno === 'EACCES'
        ? 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules'
        : `ping: connect: ${STRERROR[src.errno]}`,
      2,
    );
    return;
  }
  out.out(`PING ${dstText} (${dstText}) ${size}(${size + 28}) bytes of data.\n`);
  const ident = sim.nextPingIdent();
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
      if (!cmd.quiet) out.out(`${e.bytes} bytes from ${formatIpv4(e.from)}: icmp_seq=${e.seq} ttl=${e.ttl} time=${fmtMs(rtt)} ms\n`);
    } else {
      errors++;
      if (!cmd.quiet) out.out(`From ${formatIpv4(e.from)} icmp_seq=${e.seq} ${icmpText(e.type, e.code, e.mtu)}\n`);
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
      if (e.errno === 'EMSGSIZE') out.err(`ping: local error: message too long, mtu=${e.mtu}\n`);
      else out.err(`ping: sendmsg: ${STRERROR[e.errno]}\n`);
      if (received + errors >= count) done = true;
    }
    if (transmitted < count) {
      sim.after(intervalUs, sendNext);
    } else if (exitTimer === null) {
      // schedule_exit: after the last probe, wait 2·max rtt (at least the interval) if anything came back, else -W.
      const wait = received > 0 ? Math.max(2 * Math.max(...rtts), intervalUs) : lingerUs;
      exitTimer = sim.after(wait, () => {
        done = true;
      });
    }
  };
  if (cmd.deadline !== null)
    sim.after(Math.round(cmd.deadline * 1_000_000), () => {
      done = true;
    });
  sendNext();
  while (!done) {
    const next = sim.nextEventAt();
    if (next === Infinity) break;
    sim.runUntil(next, () => done);
  }
  closeSock();
  const elapsedMs = Math.floor((lastActivity - start) / 1000);
  out.out(`\n--- ${dstText} ping statistics ---\n`);
  const loss = transmitted > 0 ? ((transmitted - received) * 100) / transmitted : 0;
  out.out(
    `${transmitted} packets transmitted, ${received} received, ${errors > 0 ? `+${errors} errors, ` : ''}${fmtG(loss)}% packet loss, time ${elapsedMs}ms\n`,
  );
  if (received > 0) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + b * b, 0) / rtts.length - avg * avg);
    out.out(
      `rtt min/avg/max/mdev = ${(min / 1000).toFixed(3)}/${(avg / 1000).toFixed(3)}/${(max / 1000).toFixed(3)}/${(mdev / 1000).toFixed(3)} ms`,
    );
  }
  // iputils ends the summary with a newline whether or not an rtt line was printed.
  out.out('\n');
  // iputils exits 0 when a reply came, 1 when none did, 2 on other errors.
  out.status = received > 0 ? 0 : 1;
}

/**
 * runPingCommand runs `ping` as the machine the namespace stands for has it: BusyBox's in a BusyBox
 * pod of a cluster, iputils everywhere else.
 */
export function runPingCommand(ctx: ToolContext, cmd: Ping): void {
  if (inBusyboxPod(ctx)) runBusyboxPing(ctx.sim, ctx.ns, cmd, ctx.out);
  else runPing(ctx.sim, ctx.ns, cmd, ctx.out);
}

/** runBusyboxPing runs BusyBox's `ping` in namespace `ns` until it would exit, writing what it prints to `out`. */
export function runBusyboxPing(sim: Sim, ns: string, cmd: Ping, out: Output): void {
  const dst = cmd.dest;
  const dstText = formatIpv4(dst);
  const size = cmd.size ?? 56;
  const ttl = cmd.ttl ?? 64;
  const intervalUs = Math.round((cmd.interval ?? 1) * 1_000_000);
  // -W is how long to wait after the last request when no reply came (default 10 s).
  const timeoutUs = Math.round((cmd.timeout ?? 10) * 1_000_000);
  const count = cmd.count ?? Infinity;
  let oif: number | undefined;
  if (cmd.iface !== null) {
    const l = linkByName(sim.world.namespaces.get(ns)!, cmd.iface);
    if (!l) {
      out.errLine(`ping: SO_BINDTODEVICE: No such device`, 1);
      return;
    }
    oif = l.ifindex;
  }
  const ident = sim.nextPingIdent();
  const sentAt = new Map<number, number>();
  const replies: BusyboxPingReply[] = [];
  let transmitted = 0;
  let received = 0;
  let tmaxUs = 0;
  let done = false;
  let died: string | null = null;
  const closeSock = sim.openPing(ns, ident, (e) => {
    // unpack4 drops ICMP errors: they are shorter than an echo reply of the same data length.
    if (done || e.kind !== 'reply') return;
    const rtt = Math.round(e.at - (sentAt.get(e.seq) ?? e.at));
    tmaxUs = Math.max(tmaxUs, rtt);
    if (!replies.some((r) => r.seq === e.seq)) received++;
    replies.push({ from: e.from, seq: e.seq, ttl: e.ttl, rttUs: rtt });
    if (received >= count) done = true;
  });
  const sendNext = (): void => {
    if (done) return;
    const seq = transmitted;
    sentAt.set(seq, sim.now);
    const e = sim.sendEcho(ns, dst, ident, seq, size, ttl, 'want', oif);
    if (e) {
      // xsendto dies on a failed send.
      died = e.errno === 'EMSGSIZE' ? STRERROR.EMSGSIZE : STRERROR[e.errno];
      done = true;
      return;
    }
    transmitted++;
    if (transmitted < count) sim.after(intervalUs, sendNext);
    else {
      // Wait about two RTTs (tmax / 512 Ki µs, at least 1 s) if anything came back, else -W.
      const wait = received > 0 ? Math.max(1, Math.floor(tmaxUs / (512 * 1024))) * 1_000_000 : timeoutUs;
      sim.after(wait, () => {
        done = true;
      });
    }
  };
  if (cmd.deadline !== null)
    sim.after(Math.round(cmd.deadline * 1_000_000), () => {
      done = true;
    });
  sendNext();
  while (!done) {
    const next = sim.nextEventAt();
    if (next === Infinity) break;
    sim.runUntil(next, () => done);
  }
  closeSock();
  if (died !== null) {
    // The banner comes before the first send.
    out.out(`PING ${dstText} (${dstText}): ${size} data bytes\n`);
    out.errLine(`ping: sendto: ${died}`, 1);
    return;
  }
  const r = busyboxPing({
    host: dstText,
    addr: dst,
    datalen: size,
    quiet: cmd.quiet,
    ...(cmd.count !== null ? { count: cmd.count } : {}),
    ...(cmd.deadline !== null ? { deadline: cmd.deadline } : {}),
    transmitted,
    replies,
  });
  out.out(r.stdout);
  out.status = r.exitStatus;
}

/** parsePing reads ping's argv the way iputils' getopt loop does; labs must give -c or -w. */
export function parsePing(args: Args): Command {
  const { opts, operands } = getopt(
    'ping',
    args.rest(),
    { c: true, W: true, w: true, t: true, s: true, M: true, i: true, I: true, q: false, n: false },
    new Map(),
  );
  let count: number | null = null;
  let deadline: number | null = null;
  let timeout: number | null = null;
  let ttl: number | null = null;
  let size: number | null = null;
  let pmtudisc: PmtuDisc | null = null;
  let interval: number | null = null;
  let iface: string | null = null;
  let quiet = false;
  for (const [o, v] of opts) {
    switch (o) {
      case 'c':
        count = uint(v, 'count', 0x7fffffff);
        if (count === 0) fail('ping: invalid count "0"');
        break;
      case 'w':
        deadline = seconds(v, 'deadline');
        break;
      case 'W':
        timeout = seconds(v, 'timeout');
        break;
      case 't':
        ttl = uint(v, 'TTL', 255);
        break;
      case 's':
        size = uint(v, 'packet size', 65507);
        break;
      case 'M':
        if (v !== 'do' && v !== 'dont' && v !== 'want' && v !== 'probe') fail(`ping: invalid -M argument "${v}"`);
        pmtudisc = v;
        break;
      case 'i':
        interval = seconds(v, 'interval');
        break;
      case 'I':
        iface = v;
        break;
      case 'q':
        quiet = true;
        break;
    }
  }
  if (operands.length === 0) fail('ping: missing destination');
  if (operands.length > 1) fail(`ping: unexpected "${operands[1]}"`);
  if (count === null && deadline === null) fail('ping: needs -c N or -w SECS in labs (it would never end)');
  return { kind: 'ping', dest: ipv4(operands[0]), count, deadline, timeout, ttl, size, pmtudisc, interval, iface, quiet };
}
