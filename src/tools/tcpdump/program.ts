// The command line of tcpdump(8) 4.99 as labs type it: `tcpdump -n -e [-t] [-l] -i IFACE [EXPR…]`
// (options in any order and bundled, `-ne`, `-nn`, as getopt(3) reads them), and how its `-n` count
// decides whether ports are printed by name (addrtoname.c init_addrtoname, init_servarray,
// tcpport_string, udpport_string).

import type { Command } from '../ast.js';
import { type Args, devName, fail, getopt } from '../words.js';
import { parseFilter } from './filter.js';
import type { PortNames } from './print.js';

/**
 * TcpdumpFlavour is whose tcpdump runs: `upstream` (tcpdump.org's, Debian's, the kernel runner's),
 * where one `-n` already turns off every name, or `redhat` (RHEL, CentOS, Fedora), whose
 * 0007-Introduce-nn-option.patch makes `-n` stop host names only and `-nn` port names as well.
 */
export type TcpdumpFlavour = 'upstream' | 'redhat';

/** tcpdumpNamesPorts says whether a tcpdump run with `nflag` times `-n` prints ports by service name. */
export function tcpdumpNamesPorts(nflag: number, flavour: TcpdumpFlavour): boolean {
  return flavour === 'redhat' ? nflag < 2 : nflag < 1;
}

/**
 * SERVICE_NAMES are the first names /etc/services gives the well-known ports Calico nodes see (the
 * IANA names both Debian's netbase and Red Hat's setup package use); a port outside the table is
 * printed as its number, as tcpport_string prints a port no service entry names.
 */
export const SERVICE_NAMES: PortNames = {
  tcp: new Map([
    [21, 'ftp'],
    [22, 'ssh'],
    [23, 'telnet'],
    [25, 'smtp'],
    [53, 'domain'],
    [80, 'http'],
    [110, 'pop3'],
    [179, 'bgp'],
    [443, 'https'],
  ]),
  udp: new Map([
    [53, 'domain'],
    [67, 'bootps'],
    [68, 'bootpc'],
    [123, 'ntp'],
  ]),
};

/** TCPDUMP_BANNER is what tcpdump writes on stderr when it starts capturing on an Ethernet-like device. */
export function tcpdumpBanner(iface: string): string {
  return (
    'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n' +
    `listening on ${iface}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`
  );
}

/** tcpdumpSummary is what tcpdump writes on stderr when interrupted: its counters (info()). */
export function tcpdumpSummary(captured: number, received: number): string {
  const n = (v: number, what: string): string => `${v} packet${v === 1 ? '' : 's'} ${what}\n`;
  return n(captured, 'captured') + n(received, 'received by filter') + n(0, 'dropped by kernel');
}

/**
 * parseTcpdump reads tcpdump's argv. Labs need `-n` (no name lookups, which depend on the machine)
 * and `-e` (the link-level header, which the printer always prints), and take `-t` (no
 * timestamps), `-l` (line buffering, which changes nothing here) and `-i IFACE`.
 */
export function parseTcpdump(args: Args): Command {
  const argv = args.rest();
  const { opts, operands } = getopt('tcpdump', argv, { n: false, e: false, t: false, l: false, i: true }, new Map([['interface', 'i']]));
  const count = (l: string): number => opts.filter(([o]) => o === l).length;
  const ifaces = opts.filter(([o]) => o === 'i').map(([, v]) => v);
  if (ifaces.length === 0) fail('tcpdump: labs need "-i IFACE"');
  if (count('n') === 0) fail('tcpdump: labs need "-n" (name lookups depend on the machine)');
  if (count('e') === 0) fail('tcpdump: labs need "-e" (the link-level header)');
  if (count('t') > 1) fail('tcpdump: only one "-t" is supported in labs');
  const iface = devName(ifaces[ifaces.length - 1]);
  return {
    kind: 'tcpdump',
    iface,
    nflag: count('n'),
    timestamps: count('t') === 0,
    filter: operands.length > 0 ? parseFilter(operands) : null,
    argv,
  };
}
