// busybox 1.36 `ping` with FEATURE_FANCY_PING (networking/ping.c: ping, unpack4, unpack_tail,
// print_stats_and_exit, common_ping_main): `PING host (addr): 56 data bytes`, one line per echo
// reply (`seq=` counts from 0, times in microseconds printed as ms with three decimals), and the
// statistics. ICMP errors from routers (TTL exceeded, unreachable) are too short to pass unpack4's
// length check and are dropped silently, so a lost ping just shows in the statistics.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import type { CommandOutput } from '../format/output.js';

/** BUSYBOX_BANNER is bb_banner; builds add ` (DATE TIME UTC)` after the version. */
export const BUSYBOX_BANNER = 'BusyBox v1.36.1';

/** BusyboxPingReply is one echo reply that reached unpack4, in arrival order. */
export interface BusyboxPingReply {
  readonly from: Ipv4;
  readonly seq: number;
  readonly ttl: number;
  /** rttUs is the round trip in microseconds (absent when the payload is too short for a timestamp). */
  readonly rttUs?: number;
}

/** BusyboxPingRun is one ping run: what was asked and what came back. */
export interface BusyboxPingRun {
  /** host is the HOST argument as typed; addr its address. */
  readonly host: string;
  readonly addr: Ipv4;
  readonly datalen?: number;
  readonly source?: Ipv4;
  readonly quiet?: boolean;
  readonly count?: number;
  /** deadline is -w: with it, fewer replies than -c makes the exit status 1. */
  readonly deadline?: number;
  readonly transmitted: number;
  readonly replies: readonly BusyboxPingReply[];
}

const ms = (us: number): string => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;

/** busyboxPing prints a whole run and returns ping's exit status. */
export function busyboxPing(r: BusyboxPingRun): CommandOutput {
  const datalen = r.datalen ?? 56;
  let out = `PING ${r.host} (${formatIpv4(r.addr)})`;
  if (r.source !== undefined) out += ` from ${formatIpv4(r.source)}`;
  out += `: ${datalen} data bytes\n`;
  const seen = new Set<number>();
  let nreceived = 0;
  let nrepeats = 0;
  let tsum = 0;
  let tmin = Infinity;
  let tmax = 0;
  for (const p of r.replies) {
    if (p.rttUs !== undefined) {
      tsum += p.rttUs;
      tmin = Math.min(tmin, p.rttUs);
      tmax = Math.max(tmax, p.rttUs);
    }
    const key = p.seq % 1024;
    const dup = seen.has(key);
    if (dup) nrepeats++;
    else {
      seen.add(key);
      nreceived++;
    }
    if (r.quiet) continue;
    out += `${datalen + 8} bytes from ${formatIpv4(p.from)}: seq=${p.seq} ttl=${p.ttl}`;
    if (p.rttUs !== undefined) out += ` time=${ms(p.rttUs)} ms`;
    out += dup ? ' (DUP!)\n' : '\n';
  }
  out += `\n--- ${r.host} ping statistics ---\n${r.transmitted} packets transmitted, ${nreceived} packets received, `;
  if (nrepeats) out += `${nrepeats} duplicates, `;
  const loss = r.transmitted !== 0 ? Math.floor(((r.transmitted - nreceived) * 100) / r.transmitted) : 0;
  out += `${loss}% packet loss\n`;
  if (tmin !== Infinity) {
    const tavg = Math.floor(tsum / (nreceived + nrepeats));
    out += `round-trip min/avg/max = ${ms(tmin)}/${ms(tavg)}/${ms(tmax)} ms\n`;
  }
  const fail = nreceived === 0 || (r.deadline !== undefined && r.count !== undefined && nreceived < r.count);
  return { stdout: out, stderr: '', exitStatus: fail ? 1 : 0 };
}

/** BUSYBOX_PING_USAGE is ping's usage text (FEATURE_FANCY_PING and PING6 on), after the banner line. */
export const BUSYBOX_PING_USAGE =
  '\nUsage: ping [OPTIONS] HOST\n' +
  '\n' +
  'Send ICMP ECHO_REQUESTs to HOST\n' +
  '\n' +
  '\t-4,-6\t\tForce IP or IPv6 name resolution\n' +
  '\t-c CNT\t\tSend only CNT pings\n' +
  '\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n' +
  '\t-i SECS\t\tInterval\n' +
  '\t-A\t\tPing as soon as reply is received\n' +
  '\t-t TTL\t\tSet TTL\n' +
  '\t-I IFACE/IP\tSource interface or IP address\n' +
  '\t-W SEC\t\tSeconds to wait for the first response (default 10)\n' +
  '\t\t\t(after all -c CNT packets are sent)\n' +
  '\t-w SEC\t\tSeconds until ping exits (default:infinite)\n' +
  '\t\t\t(can exit earlier with -c CNT)\n' +
  '\t-q\t\tQuiet, only display output at start/finish\n' +
  '\t-p HEXBYTE\tPayload pattern\n';

/** BusyboxPingCommand is a parsed busybox ping command line. */
export interface BusyboxPingCommand {
  readonly host: string;
  readonly count?: number;
  readonly size: number;
  readonly ttl?: number;
  readonly deadline?: number;
  readonly timeout: number;
  readonly interval: string;
  readonly iface?: string;
  readonly quiet: boolean;
  readonly family?: 4 | 6;
}

/**
 * parseBusyboxPingArgs is getopt32("qvAc:+s:t:+w:+W:+I:np:i:46", exactly one argument), with
 * glibc's argument permutation (`ping 10.0.0.1 -c 1` works). Bad usage prints the usage text.
 */
export function parseBusyboxPingArgs(
  argv: readonly string[],
  banner = BUSYBOX_BANNER,
): { readonly ok: true; readonly cmd: BusyboxPingCommand } | { readonly ok: false; readonly output: CommandOutput } {
  const usage = (pre = ''): { ok: false; output: CommandOutput } => ({
    ok: false,
    output: { stdout: '', stderr: `${pre}${banner} multi-call binary.\n${BUSYBOX_PING_USAGE}`, exitStatus: 1 },
  });
  const withArg = 'cstwWIpi';
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (withArg.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return usage(`ping: option requires an argument -- '${c}'\n`);
        values.set(c, v);
        break;
      }
      if ('qvAn46'.includes(c)) flags.add(c);
      else return usage(`ping: invalid option -- '${c}'\n`);
    }
  }
  if (pos.length !== 1 || (flags.has('q') && flags.has('v'))) return usage();
  const num = (k: string): number | undefined | null => {
    const v = values.get(k);
    if (v === undefined) return undefined;
    return /^\d+$/.test(v) ? Number(v) : null;
  };
  for (const k of ['c', 't', 'w', 'W', 's']) {
    if (num(k) === null) {
      return { ok: false, output: { stdout: '', stderr: `ping: invalid number '${values.get(k)}'\n`, exitStatus: 1 } };
    }
  }
  return {
    ok: true,
    cmd: {
      host: pos[0],
      count: num('c') ?? undefined,
      size: num('s') ?? 56,
      ttl: num('t') ?? undefined,
      deadline: num('w') ?? undefined,
      timeout: num('W') ?? 10,
      interval: values.get('i') ?? '1',
      iface: values.get('I'),
      quiet: flags.has('q'),
      family: flags.has('6') ? 6 : flags.has('4') ? 4 : undefined,
    },
  };
}

/** badAddress is what ping prints when HOST does not resolve. */
export function badAddress(host: string): CommandOutput {
  return { stdout: '', stderr: `ping: bad address '${host}'\n`, exitStatus: 1 };
}
