// traceroute(8) as Debian's `traceroute` package has it (Modern traceroute for Linux 2.1.2,
// traceroute/traceroute.c and mod-udp.c, mod-icmp.c): probes with TTL 1, 2, … (three a hop), UDP to
// port 33434 and up by default or ICMP echo with -I, and for each hop the address that answered
// (an ICMP Time Exceeded from a router, Port Unreachable or an echo reply from the destination) and
// the round trip, ` *` for a probe nobody answered, and `!H`, `!N`, `!X`, … for an unreachable,
// which ends the trace as reaching the destination does.

import { formatIpv4 } from '../model/addr.js';
import type { PingEvent } from '../kernel/engine.js';
import { ipRouteOutput } from '../kernel/stack.js';
import { type UdpError, udpBind, udpSendTo } from '../kernel/udp.js';
import { inBusyboxPod } from './cluster/machine.js';
import type { ToolContext } from './context.js';
import type { Program } from './programs.js';

/** TRACEROUTE_PORT is the first destination port of the UDP method (DEF_START_PORT). */
const TRACEROUTE_PORT = 33434;
/** DEFAULT_PACKET_LEN is the whole probe: IP header, UDP or ICMP header and data (DEF_DATA_LEN + headers). */
const DEFAULT_PACKET_LEN = 60;
/** FIRST_EPHEMERAL is where the probe sockets' source ports start here (the kernel picks them). */
const FIRST_EPHEMERAL = 45000;

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

/** Probe is one probe's fate: who answered, after how long, with what annotation. */
interface Probe {
  sentAt: number;
  from: number | null;
  rttUs: number;
  annotation: string;
  final: boolean;
  done: boolean;
}

/**
 * runTraceroute traces the path to the destination hop by hop on the simulator's clock: each hop's
 * probes go out together and the hop is printed once each got an answer or its wait ran out; the
 * hop where a probe reached the destination or met an unreachable is the last.
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
  let current: Probe[] = [];
  const answer = (p: Probe | undefined, from: number, annotation: string, final: boolean): void => {
    if (p === undefined || p.done) return;
    p.done = true;
    p.from = from;
    p.rttUs = sim.now - p.sentAt;
    p.annotation = annotation;
    p.final = final;
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
  let nextSport = FIRST_EPHEMERAL;
  let seq = 0;
  let stop = false;
  try {
    for (let ttl = a.firstHop; ttl <= a.maxHops && !stop; ttl++) {
      current = [];
      for (let q = 0; q < a.nqueries; q++) {
        const p: Probe = { sentAt: sim.now, from: null, rttUs: 0, annotation: '', final: false, done: false };
        current.push(p);
        const index = (ttl - 1) * a.nqueries + q;
        seq++;
        if (a.icmp) {
          bySeq.set(seq & 0xffff, p);
          sim.sendEcho(ns, a.dest, ident, seq & 0xffff, dataLen, ttl, 'dont');
        } else {
          let close: (() => void) | { errno: 'EADDRINUSE' };
          do {
            close = udpBind(sim, ns, nextSport++, {
              error: (e: UdpError) => {
                const r = icmpAnswer(e.type, e.code, e.mtu);
                if (r !== null) answer(p, e.from, r.annotation, r.final);
              },
            });
          } while (typeof close !== 'function');
          udpClosers.push(close);
          const sport = nextSport - 1;
          sim.control((tx) => udpSendTo(tx, ns, 0, sport, a.dest, a.port + index, new Uint8Array(dataLen), { ttl, pmtudisc: 'dont' }));
        }
      }
      const deadline = sim.now + a.waitUs;
      sim.runUntil(deadline, () => current.every((p) => p.done));
      let line = `${String(ttl).padStart(2)} `;
      let prev: number | null = null;
      for (const p of current) {
        if (p.from === null) {
          line += ' *';
          continue;
        }
        if (prev === null || prev !== p.from) {
          const addr = formatIpv4(p.from);
          line += a.numeric ? ` ${addr}` : ` ${addr} (${addr})`;
          prev = p.from;
        }
        line += `  ${(p.rttUs / 1000).toFixed(3)} ms`;
        if (p.annotation !== '') line += ` ${p.annotation}`;
        if (p.final) stop = true;
      }
      out.out(`${line}\n`);
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
