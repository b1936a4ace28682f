// `arp` as net-tools 2.10 (arp.c arp_show, arp_disp, arp_disp_2) and busybox 1.36
// (networking/arp.c arp_show, arp_disp) print /proc/net/arp. The kernel writes that file
// (net/ipv4/arp.c arp_seq_show) for every neighbour but NOARP ones, with flags 0x2 (ATF_COM) when
// the entry is valid and 0x6 (COM|PERM) when permanent, `00:00:00:00:00:00` for an unresolved one.
// Without -n both tools try reverse DNS; with none configured they print `?` / the address, as -n.

import { formatIpv4, type Ipv4, type Mac } from '../../model/addr.js';
import type { CommandOutput } from '../format/output.js';

/** ATF are the arp_flags bits of <net/if_arp.h>. */
export const ATF = { COM: 0x02, PERM: 0x04, PUBL: 0x08, USETRAILERS: 0x10, NETMASK: 0x20, DONTPUB: 0x40, MAGIC: 0x80 } as const;

/** ProcArpEntry is one line of /proc/net/arp. */
export interface ProcArpEntry {
  readonly ip: Ipv4;
  /** hwType is the ARPHRD type (1 for Ethernet). */
  readonly hwType: number;
  readonly flags: number;
  readonly mac: Mac;
  readonly dev: string;
}

/** arpFlagsFor is arp_seq_show's flags for a neighbour state. */
export function arpFlagsFor(state: 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT' | 'NONE'): number {
  if (state === 'PERMANENT') return ATF.COM | ATF.PERM;
  if (state === 'REACHABLE' || state === 'STALE' || state === 'DELAY' || state === 'PROBE') return ATF.COM;
  return 0;
}

/** ArpCommand is an `arp` display command line. */
export interface ArpCommand {
  readonly numeric: boolean;
  /** bsd is -a: `? (IP) at MAC [ether] on DEV` lines (net-tools); busybox always prints those. */
  readonly bsd: boolean;
  readonly verbose: boolean;
  readonly host?: string;
  readonly device?: string;
}

const hwName = (t: number): string => (t === 1 ? 'ether' : t === 772 ? 'loop' : 'unspec');

function netToolsLine(e: ProcArpEntry): string {
  const name = formatIpv4(e.ip);
  let out = `${name.slice(0, 23).padEnd(23)}  `;
  if (!(e.flags & ATF.COM)) {
    out += e.flags & ATF.PUBL ? '*'.padEnd(8) + '<from_interface>'.padEnd(20) : ''.padEnd(8) + '(incomplete)'.padEnd(20);
  } else out += hwName(e.hwType).slice(0, 8).padEnd(8) + e.mac.slice(0, 20).padEnd(20);
  let flags = '';
  if (e.flags & ATF.COM) flags += 'C';
  if (e.flags & ATF.PERM) flags += 'M';
  if (e.flags & ATF.PUBL) flags += 'P';
  if (e.flags & ATF.MAGIC) flags += 'A';
  if (e.flags & ATF.DONTPUB) flags += '!';
  if (e.flags & ATF.USETRAILERS) flags += 'T';
  return `${out + flags.slice(0, 6).padEnd(6) + ''.padEnd(15)} ${e.dev}\n`;
}

function bsdLine(e: ProcArpEntry, busybox: boolean): string {
  let out = `? (${formatIpv4(e.ip)}) at `;
  if (!(e.flags & ATF.COM)) out += e.flags & ATF.PUBL ? (busybox ? '* ' : '<from_interface> ') : '<incomplete> ';
  else out += `${e.mac} [${hwName(e.hwType)}] `;
  const labels: string[] = [];
  if (e.flags & ATF.PERM) labels.push('PERM');
  if (e.flags & ATF.PUBL) labels.push(busybox ? 'PUP' : 'PUB');
  if (e.flags & ATF.MAGIC) labels.push('AUTO');
  if (e.flags & ATF.DONTPUB) labels.push('DONTPUB');
  if (e.flags & ATF.USETRAILERS) labels.push('TRAIL');
  // net-tools ends each label with a space; busybox joins them with one and adds its own before " on".
  if (busybox) out += labels.join(' ');
  else out += labels.map((l) => `${l} `).join('');
  return out + (busybox ? ` on ${e.dev}\n` : `on ${e.dev}\n`);
}

function matches(e: ProcArpEntry, c: ArpCommand): boolean {
  if (c.host !== undefined && formatIpv4(e.ip) !== c.host) return false;
  if (c.device !== undefined && e.dev !== c.device) return false;
  return true;
}

/** arpNetTools is net-tools `arp [-n] [-a] [-v] [-i DEV] [HOST]`. */
export function arpNetTools(entries: readonly ProcArpEntry[], c: ArpCommand): CommandOutput {
  let out = '';
  let shown = 0;
  for (const e of entries) {
    if (!matches(e, c)) continue;
    if (!c.bsd && shown === 0) out += 'Address                  HWtype  HWaddress           Flags Mask            Iface\n';
    shown++;
    out += c.bsd ? bsdLine(e, false) : netToolsLine(e);
  }
  if (c.verbose) out += `Entries: ${entries.length}\tSkipped: ${entries.length - shown}\tFound: ${shown}\n`;
  if (shown === 0) {
    if (c.host !== undefined && !c.bsd) out += `${c.host} (${c.host}) -- no entry\n`;
    else if (c.host !== undefined || c.device !== undefined) out += `arp: in ${entries.length} entries no match found.\n`;
  }
  return { stdout: out, stderr: '', exitStatus: 0 };
}

/** arpBusybox is busybox `arp [-n] [-v] [-i DEV] [HOST]`. */
export function arpBusybox(entries: readonly ProcArpEntry[], c: ArpCommand): CommandOutput {
  let out = '';
  let shown = 0;
  for (const e of entries) {
    if (!matches(e, c)) continue;
    shown++;
    out += bsdLine(e, true);
  }
  if (c.verbose) out += `Entries: ${entries.length}\tSkipped: ${entries.length - shown}\tFound: ${shown}\n`;
  if (shown === 0 && (c.host !== undefined || c.device !== undefined)) out += `No match found in ${entries.length} entries\n`;
  return { stdout: out, stderr: '', exitStatus: 0 };
}

/** parseArpArgs parses the display options both arps share: -n -a -v -e -i DEV and a host. */
export function parseArpArgs(
  argv: readonly string[],
): { readonly ok: true; readonly cmd: ArpCommand } | { readonly ok: false; readonly args: readonly string[] } {
  let numeric = false;
  let bsd = false;
  let verbose = false;
  let device: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j];
        if (ch === 'n') numeric = true;
        else if (ch === 'a') bsd = true;
        else if (ch === 'v') verbose = true;
        else if (ch === 'e') bsd = false;
        else if (ch === 'i') {
          device = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          break;
        } else return { ok: false, args: argv };
      }
    } else rest.push(a);
  }
  if (rest.length > 1) return { ok: false, args: argv };
  return { ok: true, cmd: { numeric, bsd, verbose, host: rest[0], device } };
}
