// ping(8) as iputils 20221126 has it (ping/ping.c, ping/ping_common.c): its options (getopt), its
// timing rules (pinger, schedule_exit, -W, -w) and its exact output, written as it happens on the
// virtual clock of the simulator, with running sums rather than per-reply records; in a BusyBox
// pod of a cluster, BusyBox 1.36's applet instead (networking/ping.c: sequence numbers from 0, ICMP
// errors ignored, and exit as soon as -c replies came, else 2 RTTs or -W seconds after the last
// request).

import { formatIpv4 } from '../model/addr.js';
import { encodeIcmp, IpProtocol } from '../model/wire/index.js';
import { type PingEvent, type Sim, SimStopped } from '../kernel/engine.js';
import { type Errno, ipRouteConnect, ipSendLocal, isLocalAddr, type PmtuDisc as SendPmtuDisc, type SendOpts } from '../kernel/stack.js';
import { linkByName } from '../kernel/netns.js';
import type { Command, Ping, PmtuDisc } from './ast.js';
import type { ToolContext } from './context.js';
import type { Output } from './output.js';
import { inBusyboxPod } from './cluster/machine.js';
import { type BusyboxPingReply, busyboxPing } from './netutils/ping.js';
import { type Args, fail, getopt, ipv4, seconds, uint } from './words.js';

/** STRERROR is strerror(3) for the errnos a socket call can return here. */
export const STRERROR: Readonly<Record<Errno | 'EMSGSIZE' | 'ENOBUFS', string>> = {
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  EMSGSIZE: 'Message too long',
  ENOBUFS: 'No buffer space available',
};

/** BROADCAST_HINT is what iputils says when connect(2) fails with EACCES (a broadcast route without -b, or a firewall). */
const BROADCAST_HINT = 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules';

/** IcmpErrorEvent is an ICMP error for a ping socket; a redirect also carries its new gateway. */
type IcmpErrorEvent = Extract<PingEvent, { kind: 'icmp-error' }> & { readonly gateway?: number };

/** redirectText is pr_icmph's text for an ICMP Redirect of `code` (RFC 792), before `(New nexthop: GW)`. */
export function redirectText(code: number): string {
  const texts = ['Redirect Network', 'Redirect Host', 'Redirect Type of Service and Network', 'Redirect Type of Service and Host'];
  return texts[code] ?? `Redirect, Bad Code: ${code}`;
}

/**
 * sendEchoFrom sends one echo request as iputils' raw socket does (sendmsg): from `src` when
 * bound (-I ADDR), else the route's source, with a timeval and 0x10, 0x11, … as data.
 */
function sendEchoFrom(
  sim: Sim,
  ns: string,
  src: number,
  dst: number,
  ident: number,
  seq: number,
  size: number,
  opts: SendOpts,
): { errno: Errno | 'EMSGSIZE'; mtu?: number } | null {
  const data = new Uint8Array(size);
  for (let i = 16; i < size; i++) data[i] = i & 0xff;
  const msg = encodeIcmp({ type: 'echo-request', ident, seq, data });
  return sim.control((tx) => ipSendLocal(tx, ns, src, dst, IpProtocol.Icmp, msg, opts));
}

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

/** MININTERVAL_MS is iputils' shortest wait for a reply before the next probe of a flood (ping.h MININTERVAL). */
const MININTERVAL_MS = 10;
/** MAX_DUP_CHK is the number of sequence numbers iputils remembers to spot duplicates (ping.h). */
const MAX_DUP_CHK = 0x10000;
/** TIMEVAL_BYTES is sizeof(struct timeval): the timestamp at the start of the data, and the least data that carries one. */
const TIMEVAL_BYTES = 16;
/** INT_MAX bounds -i and -W in ms, and -w in seconds. */
const INT_MAX = 0x7fffffff;

/** schint is ping.h SCHINT: an interval, at least MININTERVAL. */
function schint(ms: number): number {
  return Math.max(ms, MININTERVAL_MS);
}

/** timespec splits a virtual time (µs) into the seconds and nanoseconds clock_gettime(2) gives. */
function timespec(us: number): readonly [number, number] {
  const ns = Math.round(us * 1000);
  const sec = Math.floor(ns / 1e9);
  return [sec, ns - sec * 1e9];
}

/** elapsedMs is pinger's `ntokens`: whole milliseconds from `from` to `to`, as iputils subtracts two timespecs. */
function elapsedMs(from: number, to: number): number {
  const [s0, n0] = timespec(from);
  const [s1, n1] = timespec(to);
  return (s1 - s0) * 1000 + Math.trunc((n1 - n0) / 1e6);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** ms3 prints integer microseconds as iputils' `%ld.%03ld` of µs/1000 and µs%1000. */
function ms3(us: number): string {
  return `${Math.trunc(us / 1000)}.${pad(us % 1000, 3)}`;
}

/** fmtTriptime prints a round trip (integer µs) as gather_statistics does after `time=`. */
export function fmtTriptime(t: number): string {
  if (t >= 100000 - 50) return String(Math.trunc((t + 500) / 1000));
  if (t >= 10000 - 5) return `${Math.trunc((t + 50) / 1000)}.${Math.trunc(((t + 50) % 1000) / 100)}`;
  if (t >= 1000) return `${Math.trunc((t + 5) / 1000)}.${pad(Math.trunc(((t + 5) % 1000) / 10), 2)}`;
  return ms3(t);
}

/** fmtG prints a number like printf("%g"): six significant digits, no trailing zeros, an exponent below 1e-4. */
export function fmtG(x: number): string {
  if (x === 0) return '0';
  const [mant, e] = x.toExponential(5).split('e');
  const exp = Number(e);
  const strip = (t: string): string => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp < -4 || exp >= 6) return `${strip(mant)}e${exp < 0 ? '-' : '+'}${pad(Math.abs(exp), 2)}`;
  return strip(x.toFixed(5 - exp));
}

/** llsqrt is iputils' integer square root (Newton's method, rounded down). */
function llsqrt(a: number): number {
  let prev = Number.POSITIVE_INFINITY;
  let x = a;
  if (x > 0) {
    while (x < prev) {
      prev = x;
      x = Math.trunc((x + Math.trunc(a / x)) / 2);
    }
  }
  return x;
}

/** RttSums are the running sums iputils keeps of the round trips it timed, in whole microseconds. */
export interface RttSums {
  readonly tmin: number;
  readonly tmax: number;
  readonly tsum: number;
  /** tsum2 is the sum of the squares. */
  readonly tsum2: number;
  /** total is the replies timed: nreceived + nrepeats. */
  readonly total: number;
}

/**
 * rttLine prints `rtt min/avg/max/mdev = …` as finish() does: the average truncated to a
 * microsecond, mdev = sqrt(tsum2/n − (tsum/n)²) computed in doubles and llsqrt, as iputils does.
 */
export function rttLine(r: RttSums): string {
  const tmavg = Math.trunc(r.tsum / r.total);
  const tmvar =
    r.tsum < INT_MAX ? Math.trunc((r.tsum2 - (r.tsum * r.tsum) / r.total) / r.total) : Math.trunc(r.tsum2 / r.total - tmavg * tmavg);
  return `rtt min/avg/max/mdev = ${ms3(r.tmin)}/${ms3(tmavg)}/${ms3(r.tmax)}/${ms3(llsqrt(tmvar))} ms`;
}

/** u16 is a C cast to uint16_t. */
const u16 = (n: number): number => ((n % 0x10000) + 0x10000) % 0x10000;

/**
 * runPing runs iputils `ping` in namespace `ns` until it would exit, writing what it prints to
 * `out` as it prints it. It follows ping_common.c: pinger's token bucket (so `-i 0` waits for each
 * reply, up to MININTERVAL, before the next probe), schedule_exit's linger, the SIGALRM of -w, and
 * finish's statistics from running sums (tsum, tsum2), so memory stays flat however long it runs.
 * An interrupt (Ctrl-C) ends it as SIGINT does: it prints the statistics, then the SimStopped goes on.
 */
export function runPing(sim: Sim, ns: string, cmd: Ping, out: Output): void {
  const size = cmd.size ?? 56;
  // getopt: -i and -W are doubles taken as whole milliseconds, (int)(optval * 1000).
  const intervalMs = cmd.interval === null ? 1000 : Math.trunc(cmd.interval * 1000);
  const lingerMs = cmd.timeout === null ? 10_000 : Math.trunc(cmd.timeout * 1000);
  const npackets = cmd.count ?? 0;
  const deadline = cmd.deadline ?? 0;
  let oif: number | undefined;
  const netns = sim.world.namespaces.get(ns)!;
  if (cmd.iface !== null) {
    const l = linkByName(netns, cmd.iface);
    if (!l) {
      out.errLine(`ping: SO_BINDTODEVICE ${cmd.iface}: No such device`, 2);
      return;
    }
    oif = l.ifindex;
  }
  const hostname = formatIpv4(cmd.dest);
  let whereto = cmd.dest;
  let source = cmd.source ?? 0;
  const broadcast = cmd.broadcast === true;
  let multicast = broadcast || whereto >>> 28 === 14;
  if (source !== 0) {
    // opt_strictsource: no probe socket; bind(2) takes only an address of this host.
    if (!isLocalAddr(netns, source)) {
      out.errLine('ping: bind: Cannot assign requested address', 2);
      return;
    }
  } else {
    // iputils first connects a UDP probe socket (bound to -I DEV) to learn the source address.
    const rt = ipRouteConnect(netns, whereto, 0, oif);
    if ('errno' in rt) {
      // iputils explains EACCES (a prohibit route or a firewall) with its own hint.
      out.errLine(rt.errno === 'EACCES' ? BROADCAST_HINT : `ping: connect: ${STRERROR[rt.errno]}`, 2);
      return;
    }
    // ip4_datagram_connect refuses a broadcast route without SO_BROADCAST (EACCES); with -b
    // iputils warns and connects again.
    if (rt.route.type === 'broadcast') {
      if (!broadcast) {
        out.errLine(BROADCAST_HINT, 2);
        return;
      }
      out.err('WARNING: pinging broadcast address\n');
      multicast = true;
    }
    source = rt.prefsrc;
    if (cmd.iface !== null && !netns.addrs.some((a) => a.ifindex === oif && a.local === source))
      out.err(`ping: Warning: source address might be selected on device other than: ${cmd.iface}\n`);
    // The kernel routes a connect to 0.0.0.0 to the host itself (127.0.0.1 from 127.0.0.1 unbound).
    whereto = rt.dst;
  }
  const ttl = cmd.ttl ?? 64;
  // setsockopt(IP_TTL) takes 1..255 (do_ip_setsockopt); -t 0 passes getopt and fails here.
  if (ttl === 0) {
    out.errLine('ping: cannot set unicast time-to-live: Invalid argument', 2);
    return;
  }
  if (intervalMs >= INT_MAX) {
    out.errLine(`ping: illegal preload and/or interval: ${intervalMs}`, 2);
    return;
  }
  // iputils leaves IP_MTU_DISCOVER alone unless -M is given (sockets default to `want`), but a
  // broadcast or multicast ping does not fragment: IP_PMTUDISC_DO.
  const pmtudisc: SendPmtuDisc =
    cmd.pmtudisc === 'do' ? 'do' : cmd.pmtudisc === 'dont' ? 'dont' : multicast && cmd.pmtudisc === null ? 'do' : 'want';
  const timing = size >= TIMEVAL_BYTES;
  const wheretoText = formatIpv4(whereto);
  // With -I, `from SRC DEV: ` (DEV empty for -I ADDR, so a space stays before the colon).
  const fromText = cmd.iface !== null || cmd.source !== undefined ? `from ${formatIpv4(source)} ${cmd.iface ?? ''}: ` : '';
  out.out(`PING ${hostname} (${wheretoText}) ${fromText}${size}(${size + 28}) bytes of data.\n`);

  const ident = sim.nextPingIdent();
  // Send times by 16-bit sequence number (iputils reads them back from the packet).
  const sentAt = new Map<number, number>();
  const rcvd = new Uint8Array(MAX_DUP_CHK / 8);
  const rcvdTest = (seq: number): boolean => (rcvd[seq >> 3] & (1 << (seq & 7))) !== 0;
  let ntransmitted = 0;
  let nreceived = 0;
  let nrepeats = 0;
  let nerrors = 0;
  let acked = 0;
  let pipesize = -1;
  let tmin = Number.POSITIVE_INFINITY;
  let tmax = 0;
  let tsum = 0;
  let tsum2 = 0;
  let rtt = 0;
  let tokens = 0;
  // pinger's static oom_count: ENOBUFS sends in a row, for the whole run.
  let oomCount = 0;
  let waittime = 0;
  let exiting = false;
  let done = false;
  const startTime = sim.now;
  let curTime: number | null = null;
  // The wait of main_loop: until `wakeAt`, or until a packet comes (`kick`). Virtual time has no
  // scheduling jitter, so a wake-up keeps its time when a packet comes first, and probes go out at
  // exact multiples of -i.
  let wakeTimer: number | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  let kick: number | null = null;
  let alarm: number | null = null;

  const inFlight = (): number => {
    const diff = u16(ntransmitted - acked);
    return diff <= 0x7fff ? diff : ntransmitted - nreceived - nerrors;
  };
  const acknowledge = (seq: number): void => {
    const diff = u16(ntransmitted - seq);
    if (diff <= 0x7fff) {
      if (diff + 1 > pipesize) pipesize = diff + 1;
      const ahead = u16(seq - acked);
      if ((ahead > 0 && ahead < 0x8000) || u16(ntransmitted - acked) > 0x7fff) acked = seq;
    }
  };
  const advanceNtransmitted = (): void => {
    ntransmitted++;
    if (u16(ntransmitted - acked) > 0x7fff) acked = u16(ntransmitted) + 1;
  };
  /** setAlarm is setitimer(ITIMER_REAL): SIGALRM sets `exiting`; 0 disarms it. */
  const setAlarm = (us: number): void => {
    if (alarm !== null) sim.cancel(alarm);
    alarm =
      us > 0
        ? sim.after(us, () => {
            alarm = null;
            exiting = true;
            mainLoop();
          })
        : null;
  };

  /** pinger sends the probe due now, if any, and returns the ms until the next one (iputils pinger). */
  const pinger = (): number => {
    if (exiting || (npackets && ntransmitted >= npackets && !deadline)) return 1000;
    const now = sim.now;
    if (curTime === null) {
      curTime = now;
      tokens = 0;
    } else {
      let ntokens = elapsedMs(curTime, now);
      if (!intervalMs && ntokens < MININTERVAL_MS && inFlight() >= 1) return MININTERVAL_MS - ntokens;
      ntokens += tokens;
      if (intervalMs < ntokens) ntokens = intervalMs;
      if (ntokens < intervalMs) return intervalMs - ntokens;
      curTime = now;
      tokens = ntokens - intervalMs;
    }
    const seq = u16(ntransmitted + 1);
    rcvd[seq >> 3] &= ~(1 << (seq & 7));
    sentAt.set(seq, now);
    const e = sendEchoFrom(sim, ns, cmd.source ?? 0, whereto, ident, seq, size, { ttl, pmtudisc, ...(oif !== undefined ? { oif } : {}) });
    if (e === null) {
      oomCount = 0;
      advanceNtransmitted();
      return intervalMs - tokens;
    }
    if (e.errno === 'ENOBUFS') {
      // A dropped transmit is not sent: ping tries the same probe again after nores_interval,
      // until oom_count (reset only by a send that succeeds) reaches the linger time; then it
      // gives up on this probe as on a hard error, which is not one of the `+N errors`.
      tokens = 0;
      const noresInterval = Math.min(schint(Math.trunc(intervalMs / 2)), 500);
      oomCount++;
      if (oomCount * noresInterval < lingerMs) return noresInterval;
      advanceNtransmitted();
      if (!cmd.quiet) out.err(`ping: sendmsg: ${STRERROR.ENOBUFS}\n`);
      return schint(intervalMs);
    }
    advanceNtransmitted();
    // A hard local error: the probe counts as sent. A local EMSGSIZE is read from the error queue,
    // which -q skips before counting it (ping4_receive_error_msg).
    if (e.errno !== 'EMSGSIZE') {
      nerrors++;
      out.err(`ping: sendmsg: ${STRERROR[e.errno]}\n`);
    } else if (!cmd.quiet) {
      nerrors++;
      out.err(`ping: local error: message too long, mtu=${e.mtu}\n`);
    }
    tokens = 0;
    return schint(intervalMs);
  };

  /** scheduleExit is __schedule_exit: once the last probe is out, wait 2·tmax (at least -i) if a reply came, else -W. */
  const scheduleExit = (next: number): number => {
    if (!(npackets && ntransmitted >= npackets && !deadline)) return next;
    if (waittime) return next;
    if (nreceived) {
      waittime = 2 * tmax;
      if (waittime < 1000 * intervalMs) waittime = 1000 * intervalMs;
    } else waittime = lingerMs * 1000;
    let n = next;
    if (n < 0 || n < Math.trunc(waittime / 1000)) n = Math.trunc(waittime / 1000);
    // A zero waittime disarms the timer: with -W 0 and no reply, ping waits for ever.
    setAlarm(waittime);
    return n;
  };

  /** mainLoop is one turn of main_loop: the exit checks, the probes due, then a wait for `next` ms or a packet. */
  const mainLoop = (): void => {
    if (done) return;
    if (exiting || (npackets && nreceived + nerrors >= npackets) || (deadline && nerrors)) {
      done = true;
      return;
    }
    let next: number;
    do {
      next = scheduleExit(pinger());
    } while (next <= 0);
    const at = sim.now + next * 1000;
    if (wakeTimer !== null && wakeAt <= at) return;
    if (wakeTimer !== null) sim.cancel(wakeTimer);
    wakeAt = at;
    wakeTimer = sim.after(next * 1000, () => {
      wakeTimer = null;
      mainLoop();
    });
  };

  const closeSock = sim.openPing(ns, ident, (e) => {
    if (done) return;
    if (e.kind === 'reply') gatherStatistics(e.seq, e.bytes, e.ttl, e.from, e.at);
    else if (e.type === 5) {
      // A redirect reaches the raw socket as a packet (raw_err keeps it off the error queue):
      // ping4_parse_reply prints it, `From GW: `, and counts nothing.
      const gw = (e as IcmpErrorEvent).gateway ?? 0;
      if (!cmd.quiet) out.out(`From ${formatIpv4(e.from)}: icmp_seq=${e.seq} ${redirectText(e.code)}(New nexthop: ${formatIpv4(gw)})\n`);
      return;
    } else {
      acknowledge(e.seq);
      nerrors++;
      if (!cmd.quiet) out.out(`From ${formatIpv4(e.from)} icmp_seq=${e.seq} ${icmpText(e.type, e.code, e.mtu)}\n`);
    }
    // main_loop reads queued packets until none is in flight, then checks whether it is done: a
    // reply that completes -c ends ping before it reads the others that came at the same time.
    if (inFlight() === 0 && (exiting || (npackets && nreceived + nerrors >= npackets) || (deadline && nerrors))) {
      done = true;
      return;
    }
    // ping reads the packet once the kernel is done with it, then turns its main loop.
    kick ??= sim.after(0, () => {
      kick = null;
      mainLoop();
    });
  });

  /** gatherStatistics counts and prints one echo reply (ping_common.c gather_statistics). */
  const gatherStatistics = (seq: number, cc: number, hops: number, from: number, at: number): void => {
    nreceived++;
    acknowledge(seq);
    let triptime = 0;
    if (timing && cc >= 8 + TIMEVAL_BYTES) {
      // A timeval has whole microseconds.
      triptime = Math.max(0, Math.floor(at) - Math.floor(sentAt.get(seq) ?? at));
      tsum += triptime;
      tsum2 += triptime * triptime;
      if (triptime < tmin) tmin = triptime;
      if (triptime > tmax) tmax = triptime;
      rtt = rtt === 0 ? triptime * 8 : rtt + triptime - Math.trunc(rtt / 8);
    }
    let dup = false;
    if (rcvdTest(seq)) {
      nrepeats++;
      nreceived--;
      dup = true;
    } else rcvd[seq >> 3] |= 1 << (seq & 7);
    if (cmd.quiet) return;
    let line = `${cc} bytes from ${formatIpv4(from)}: icmp_seq=${seq} ttl=${hops}`;
    if (cc < size + 8) {
      out.out(`${line} (truncated)\n`);
      return;
    }
    if (timing) line += ` time=${fmtTriptime(triptime)} ms`;
    // A broadcast or multicast ping expects several replies a probe: (DUP!) only under -v, which is not modelled.
    if (dup && !multicast) line += ' (DUP!)';
    if (!multicast && from !== whereto) line += ' (DIFFERENT ADDRESS!)';
    out.out(`${line}\n`);
  };

  /** finish prints the statistics (ping_common.c finish) and sets ping's exit status. */
  const finish = (): void => {
    const [sec, nsec] = timespec((curTime ?? startTime) - startTime);
    let s = `\n--- ${hostname} ping statistics ---\n${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) s += `, +${nrepeats} duplicates`;
    if (nerrors) s += `, +${nerrors} errors`;
    if (ntransmitted) {
      s += `, ${fmtG(Math.fround(((ntransmitted - nreceived) * 100) / ntransmitted))}% packet loss`;
      s += `, time ${1000 * sec + Math.trunc((nsec + 500000) / 1e6)}ms`;
    }
    s += '\n';
    let comma = '';
    if (nreceived && timing) {
      s += rttLine({ tmin, tmax, tsum, tsum2, total: nreceived + nrepeats });
      comma = ', ';
    }
    if (pipesize > 1) {
      s += `${comma}pipe ${pipesize}`;
      comma = ', ';
    }
    if (nreceived && !intervalMs && ntransmitted > 1) {
      const ipg = Math.trunc((1000000 * sec + Math.trunc(nsec / 1000)) / (ntransmitted - 1));
      s += `${comma}ipg/ewma ${ms3(ipg)}/${ms3(Math.trunc(rtt / 8))} ms`;
    }
    out.out(`${s}\n`);
    out.status = !nreceived || (deadline && nreceived < npackets) ? 1 : 0;
  };

  // setup(): -w arms SIGALRM for the deadline.
  if (deadline) setAlarm(deadline * 1_000_000);
  try {
    mainLoop();
    while (!done) sim.runUntil(sim.nextEventAt(), () => done);
  } catch (e) {
    // SIGINT ends the main loop as SIGALRM does; ping still prints its statistics.
    if (e instanceof SimStopped && e.reason.kind === 'interrupted') finish();
    throw e;
  } finally {
    closeSock();
    for (const t of [wakeTimer, alarm, kick]) if (t !== null) sim.cancel(t);
  }
  finish();
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
  // SIGINT makes BusyBox print its statistics too (print_stats_and_exit); other stops end it at once.
  let interrupted: SimStopped | null = null;
  try {
    sendNext();
    while (!done) {
      const next = sim.nextEventAt();
      if (next === Infinity) break;
      sim.runUntil(next, () => done);
    }
  } catch (e) {
    if (!(e instanceof SimStopped) || e.reason.kind !== 'interrupted') throw e;
    interrupted = e;
  } finally {
    closeSock();
  }
  if (interrupted !== null) {
    out.out(busyboxPing({ host: dstText, addr: dst, datalen: size, quiet: cmd.quiet, transmitted, replies }).stdout);
    throw interrupted;
  }
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
    { c: true, W: true, w: true, t: true, s: true, M: true, i: true, I: true, q: false, n: false, b: false },
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
  let source: number | undefined;
  let quiet = false;
  let broadcast = false;
  for (const [o, v] of opts) {
    switch (o) {
      case 'c':
        count = uint(v, 'count', Number.MAX_SAFE_INTEGER);
        if (count === 0) fail('ping: invalid count "0"');
        break;
      case 'w':
        // iputils 20221126 takes whole seconds, 0 to INT_MAX; 0 means no deadline.
        deadline = uint(v, 'deadline', INT_MAX);
        break;
      case 'W':
        timeout = seconds(v, 'timeout');
        if (timeout > INT_MAX / 1000) fail(`ping: bad linger time: ${v}`);
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
        if (interval > INT_MAX / 1000) fail(`ping: bad timing interval: ${v}`);
        break;
      case 'I':
        // iputils: an IPv4 address is a source to bind, anything else a device.
        if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) {
          source = ipv4(v);
          iface = null;
        } else {
          iface = v;
          source = undefined;
        }
        break;
      case 'q':
        quiet = true;
        break;
      case 'b':
        broadcast = true;
        break;
    }
  }
  if (operands.length === 0) fail('ping: missing destination');
  if (operands.length > 1) fail(`ping: unexpected "${operands[1]}"`);
  if (count === null && !deadline) fail('ping: needs -c N or -w SECS in labs (it would never end)');
  return {
    kind: 'ping',
    dest: ipv4(operands[0]),
    count,
    deadline,
    timeout,
    ttl,
    size,
    pmtudisc,
    interval,
    iface,
    quiet,
    ...(source !== undefined ? { source } : {}),
    ...(broadcast ? { broadcast } : {}),
  };
}
