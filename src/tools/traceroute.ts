// traceroute(8) as Debian's `traceroute` package has it (Modern traceroute for Linux 2.1.2,
// traceroute/traceroute.c and mod-udp.c, mod-icmp.c): probes with TTL 1, 2, … (three a hop, up to 16
// in flight: do_it, get_timeout), UDP to port 33434 and up by default or ICMP echo with -I, and for
// each hop the address that answered
// (an ICMP Time Exceeded from a router, Port Unreachable or an echo reply from the destination) and
// the round trip, ` *` for a probe nobody answered, and `!H`, `!N`, `!X`, … for an unreachable,
// which ends the trace as reaching the destination does.

import { formatIpv4 } from '../model/addr.js';
import type { PingEvent } from '../kernel/engine.js';
import { ipRouteOutput } from '../kernel/stack.js';
import { type UdpError, udpBindEphemeral, udpSendTo } from '../kernel/udp.js';
import { inBusyboxPod } from './cluster/machine.js';
import type { ToolContext } from './context.js';
import type { Program } from './programs.js';

/** TRACEROUTE_PORT is the first destination port of the UDP method (DEF_START_PORT). */
const TRACEROUTE_PORT = 33434;
/** DEFAULT_PACKET_LEN is the whole probe: IP header, UDP or ICMP header and data (DEF_DATA_LEN + headers). */
const DEFAULT_PACKET_LEN = 60;
/** SIM_PROBES is DEF_SIM_PROBES: how many probes do_it keeps in flight. */
const SIM_PROBES = 16;
/** HERE_FACTOR and NEAR_FACTOR are -w's defaults (5,3,10): a probe waits three round trips of an answer from its own hop, ten of the next hop's. */
const HERE_FACTOR = 3;
const NEAR_FACTOR = 10;

/** TracerouteArgs are the options labs use. */
interface TracerouteArgs {
  readonly dest: number;
  readonly numeric: boolean;
  readonly icmp: boolean;
  readonly nqueries: number;
  readonly firstHop: number;
  readonly maxHops: number;
  /** waitUs is -w MAX: how long a probe waits for an answer. */
  readonly waitUs: number;
  readonly port: number;
  readonly packetLen: number;
}

/** unreachText is parse_icmp_res's annotation for a Destination Unreachable code; '' for reached (port unreachable). */
export function unreachText(code: number, mtu?: number): string {
  switch (code) {
    case 0:
    case 6:
    case 8:
    case 11:
      return '!N';
    case 1:
    case 7:
    case 12:
      return '!H';
    case 2:
      return '!P';
    case 3:
      return '';
    case 4:
      return `!F-${mtu ?? 0}`;
    case 5:
      return '!S';
    case 9:
    case 10:
    case 13:
      return '!X';
    case 14:
      return '!V';
    case 15:
      return '!C';
    default:
      return `!<${code}>`;
  }
}

/** parseTracerouteArgs reads `traceroute [-n] [-I] [-q N] [-f N] [-m N] [-w SECS] [-p PORT] HOST [LEN]`, or returns the error line. */
export function parseTracerouteArgs(argv: readonly string[]): TracerouteArgs | string {
  let numeric = false;
  let icmp = false;
  let nqueries = 3;
  let firstHop = 1;
  let maxHops = 30;
  let waitUs = 5_000_000;
  let port = TRACEROUTE_PORT;
  const pos: string[] = [];
  const num = (v: string | undefined, what: string): number | string => {
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return `Cannot handle "${what}" option with arg "${v ?? ''}" (argc 1)`;
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'n') numeric = true;
      else if (c === 'I') icmp = true;
      else if ('qfmwp'.includes(c)) {
        const raw = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        const v = num(raw, `-${c}`);
        if (typeof v === 'string') return v;
        if (c === 'q') nqueries = Math.trunc(v);
        else if (c === 'f') firstHop = Math.trunc(v);
        else if (c === 'm') maxHops = Math.trunc(v);
        else if (c === 'w') waitUs = Math.round(v * 1_000_000);
        else port = Math.trunc(v);
        break;
      } else return `Bad option \`-${c}' (argc ${i + 1})`;
    }
  }
  if (pos.length === 0) return 'Specify "host" missing argument.';
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(pos[0]);
  if (m === null || m.slice(1).some((x) => Number(x) > 255)) return `${pos[0]}: Name or service not known`;
  const dest = m.slice(1).reduce((acc, x) => acc * 256 + Number(x), 0);
  const packetLen = pos.length > 1 ? Number(pos[1]) : DEFAULT_PACKET_LEN;
  if (maxHops > 255) return 'max hops cannot be more than 255';
  if (firstHop < 1 || firstHop > maxHops) return 'first hop out of range';
  if (nqueries < 1 || nqueries > 10) return 'no more than 10 probes per hop';
  return { dest, numeric, icmp, nqueries, firstHop, maxHops, waitUs, port, packetLen };
}

/** Probe is one probe's fate: when it went out, who answered and when, with what annotation. */
interface Probe {
  sentAt: number | null;
  from: number | null;
  recvAt: number | null;
  annotation: string;
  final: boolean;
  done: boolean;
}

/**
 * expireTime is get_timeout for probe `n`: an answer to another probe of its hop bounds the wait at
 * three of that round trip after it, else one from the next hop at ten, never past `wait`.
 */
function expireTime(probes: readonly Probe[], n: number, nq: number, waitUs: number): number {
  const pb = probes[n];
  const limit = (pb.sentAt ?? 0) + waitUs;
  const hop = n - (n % nq);
  for (const [first, factor] of [
    [hop, HERE_FACTOR],
    [hop + nq, NEAR_FACTOR],
  ] as const) {
    for (let i = first; i < first + nq && i < probes.length; i++) {
      const p = probes[i];
      if (p.done && p.recvAt !== null && p.sentAt !== null) return Math.min(p.recvAt + (p.recvAt - p.sentAt) * factor, limit);
    }
  }
  return limit;
}

/**
 * runTraceroute traces the path on the simulator's clock as do_it does: up to 16 probes in flight in
 * TTL order, each printed in turn once it got an answer or its wait (expireTime) ran out, a new one
 * sent as each is done; the hop where a probe reached the destination or met an unreachable is the
 * last. Probes past it were sent all the same (their answers spend the destination's ICMP tokens).
 */
export function runTraceroute(ctx: ToolContext, argv: readonly string[]): void {
  const { sim, ns, out } = ctx;
  const a = parseTracerouteArgs(argv);
  if (typeof a === 'string') {
    out.errLine(a, 2);
    return;
  }
  const netns = sim.world.namespaces.get(ns)!;
  const rt = ipRouteOutput(netns, a.dest, 0);
  const host = formatIpv4(a.dest);
  const header = `traceroute to ${host} (${host}), ${a.maxHops} hops max, ${a.packetLen} byte packets`;
  if ('errno' in rt) {
    // The probe socket's connect fails: error() writes a newline, perror's line, and exits 1. The
    // UDP method has printed its header (its newline comes with the first hop), -I not yet.
    if (!a.icmp) {
      out.out(header);
      out.flush();
    }
    const text =
      rt.errno === 'ENETUNREACH'
        ? 'Network is unreachable'
        : rt.errno === 'EHOSTUNREACH'
          ? 'No route to host'
          : rt.errno === 'EACCES'
            ? 'Permission denied'
            : 'Invalid argument';
    out.err(`\nconnect: ${text}\n`);
    out.status = 1;
    return;
  }
  out.out(`${header}\n`);
  const dataLen = Math.max(0, a.packetLen - 28);
  const nq = a.nqueries;
  const probes: Probe[] = Array.from({ length: a.maxHops * nq }, () => ({
    sentAt: null,
    from: null,
    recvAt: null,
    annotation: '',
    final: false,
    done: false,
  }));
  let answers = 0;
  const answer = (p: Probe | undefined, from: number, annotation: string, final: boolean): void => {
    if (p === undefined || p.done) return;
    p.done = true;
    p.from = from;
    p.recvAt = sim.now;
    p.annotation = annotation;
    p.final = final;
    answers++;
  };
  const icmpAnswer = (type: number, code: number, mtu?: number): { annotation: string; final: boolean } | null => {
    if (type === 11) return code === 0 ? { annotation: '', final: false } : null;
    if (type !== 3) return null;
    return { annotation: unreachText(code, mtu), final: true };
  };
  // -I: one ICMP socket, its probes told apart by sequence number; UDP: a socket a probe.
  const ident = sim.nextPingIdent();
  const bySeq = new Map<number, Probe>();
  const closeIcmp = a.icmp
    ? sim.openPing(ns, ident, (e: PingEvent) => {
        const p = bySeq.get(e.seq);
        if (e.kind === 'reply') answer(p, e.from, '', true);
        else {
          const r = icmpAnswer(e.type, e.code, e.mtu);
          if (r !== null) answer(p, e.from, r.annotation, r.final);
        }
      })
    : null;
  const udpClosers: (() => void)[] = [];
  let seq = 0;
  const send = (n: number): void => {
    const p = probes[n];
    const ttl = Math.floor(n / nq) + 1;
    p.sentAt = sim.now;
    seq++;
    if (a.icmp) {
      bySeq.set(seq & 0xffff, p);
      sim.sendEcho(ns, a.dest, ident, seq & 0xffff, dataLen, ttl, 'dont');
      return;
    }
    const bound = udpBindEphemeral(sim, ns, {
      error: (e: UdpError) => {
        const r = icmpAnswer(e.type, e.code, e.mtu);
        if (r !== null) answer(p, e.from, r.annotation, r.final);
      },
    });
    if (bound === null) return;
    udpClosers.push(bound.close);
    const sport = bound.port;
    sim.control((tx) => udpSendTo(tx, ns, 0, sport, a.dest, a.port + n, new Uint8Array(dataLen), { ttl, pmtudisc: 'dont' }));
  };
  // print_probe: `N ` opens a hop, then each probe's address (unless it is the previous answer's) and round trip, or ` *`.
  let line = '';
  let prev: number | null = null;
  const print = (n: number): void => {
    const p = probes[n];
    if (n % nq === 0) {
      line = `${String(Math.floor(n / nq) + 1).padStart(2)} `;
      prev = null;
    }
    if (p.from === null) line += ' *';
    else {
      if (prev !== p.from) {
        const addr = formatIpv4(p.from);
        line += a.numeric ? ` ${addr}` : ` ${addr} (${addr})`;
        prev = p.from;
      }
      line += `  ${(((p.recvAt ?? 0) - (p.sentAt ?? 0)) / 1000).toFixed(3)} ms`;
      if (p.annotation !== '') line += ` ${p.annotation}`;
    }
    if (n % nq === nq - 1) out.out(`${line}\n`);
  };
  let start = (a.firstHop - 1) * nq;
  let end = probes.length;
  try {
    while (start < end) {
      let num = 0;
      for (let n = start; n < end; n++) {
        const pb = probes[n];
        if (n === start && !pb.done && pb.sentAt !== null && expireTime(probes, n, nq, a.waitUs) <= sim.now) pb.done = true;
        if (pb.done) {
          if (n === start) {
            print(n);
            start++;
          }
          if (pb.final) end = (Math.floor(n / nq) + 1) * nq;
          continue;
        }
        if (pb.sentAt === null) send(n);
        if (++num >= SIM_PROBES) break;
      }
      if (start >= end) break;
      // do_poll: until an answer comes or the first probe not printed runs out of time.
      const before = answers;
      sim.runUntil(expireTime(probes, start, nq, a.waitUs), () => answers !== before);
    }
  } finally {
    closeIcmp?.();
    for (const c of udpClosers) c();
  }
}

/** TRACEROUTE is traceroute where the machine has it: not in a BusyBox pod. */
export const TRACEROUTE: Program = {
  name: 'traceroute',
  available: (ctx) => !inBusyboxPod(ctx),
  run: runTraceroute,
};
