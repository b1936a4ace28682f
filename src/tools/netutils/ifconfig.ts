// `ifconfig [-a] [IFACE]` as net-tools 2.10 (ifconfig.c, lib/interface.c ife_print_long, lib/hw.c,
// lib/nstrcmp.c) and busybox 1.36 (networking/ifconfig.c, networking/interface.c ife_print) print
// it. Both list /proc/net/dev's interfaces sorted by name (net-tools with its natural-number
// compare, busybox with strcmp), only the UP ones without -a, and show the primary IPv4 address,
// the IPv6 addresses of /proc/net/if_inet6 and the counters of /proc/net/dev.

import { formatIpv4, type Ipv4, type Mac } from '../../model/addr.js';
import type { CommandOutput } from '../format/output.js';

/** IFF are the interface flags of <net/if.h>. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  DYNAMIC: 0x8000,
} as const;

/** IfHwType is the ARPHRD type of the link: Ethernet (veth, vxlan), loopback, IPIP tunnel, none (WireGuard). */
export type IfHwType = 'ether' | 'loopback' | 'tunnel' | 'none';

/** IfStats are the /proc/net/dev counters ifconfig prints. */
export interface IfStats {
  readonly rxPackets: number;
  readonly rxBytes: number;
  readonly rxErrors?: number;
  readonly rxDropped?: number;
  readonly rxFifo?: number;
  readonly rxFrame?: number;
  readonly txPackets: number;
  readonly txBytes: number;
  readonly txErrors?: number;
  readonly txDropped?: number;
  readonly txFifo?: number;
  readonly txCarrier?: number;
  readonly collisions?: number;
}

/** IfInet6 is one /proc/net/if_inet6 line of the interface: the address as inet_ntop writes it. */
export interface IfInet6 {
  readonly addr: string;
  readonly prefixLen: number;
  /** scope is the kernel's scope field: 0 global, 0x10 host, 0x20 link, 0x40 site. */
  readonly scope: number;
}

/** NetInterface is what SIOCGIF* ioctls and /proc report for one interface. */
export interface NetInterface {
  readonly name: string;
  readonly flags: number;
  readonly mtu: number;
  readonly metric?: number;
  readonly hwType: IfHwType;
  readonly mac?: Mac;
  /** ipv4 is the primary address (SIOCGIFADDR) with its netmask and broadcast (0.0.0.0 when unset). */
  readonly ipv4?: { readonly addr: Ipv4; readonly netmask: Ipv4; readonly broadcast?: Ipv4; readonly destination?: Ipv4 };
  readonly ipv6?: readonly IfInet6[];
  /** txqueuelen is -1 when unknown. */
  readonly txqueuelen: number;
  readonly stats: IfStats;
}

/** ifaceFlags builds the IFF_* value iproute2 shows as <UP,LOWER_UP,...>: RUNNING is LOWER_UP. */
export function ifaceFlags(f: {
  up?: boolean;
  broadcast?: boolean;
  loopback?: boolean;
  pointopoint?: boolean;
  running?: boolean;
  noarp?: boolean;
  promisc?: boolean;
  multicast?: boolean;
  master?: boolean;
  slave?: boolean;
}): number {
  return (
    (f.up ? IFF.UP : 0) |
    (f.broadcast ? IFF.BROADCAST : 0) |
    (f.loopback ? IFF.LOOPBACK : 0) |
    (f.pointopoint ? IFF.POINTOPOINT : 0) |
    (f.running ? IFF.RUNNING : 0) |
    (f.noarp ? IFF.NOARP : 0) |
    (f.promisc ? IFF.PROMISC : 0) |
    (f.multicast ? IFF.MULTICAST : 0) |
    (f.master ? IFF.MASTER : 0) |
    (f.slave ? IFF.SLAVE : 0)
  );
}

/** nstrcmp is net-tools lib/nstrcmp.c: names compare by stem, then by the trailing number, then by alias. */
export function nstrcmp(ap: string, bp: string): number {
  const cutalias = (name: string): [string, string | null] => {
    let digit = false;
    for (let pos = name.length; pos > 0; pos--) {
      const c = name[pos - 1];
      if (c === ':' && digit) return [name.slice(0, pos - 1), name.slice(pos)];
      if (!/[0-9]/.test(c)) break;
      digit = true;
    }
    return [name, null];
  };
  const rindexNondigit = (name: string): number => {
    for (let pos = name.length; pos > 0; pos--) if (!/[0-9]/.test(name[pos - 1])) return pos;
    return 0;
  };
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const atoi = (s: string): number => {
    const m = /^[ \t\n]*([+-]?\d+)/.exec(s);
    return m ? Number(m[1]) : 0;
  };
  const [a, aalias] = cutalias(ap);
  const [b, balias] = cutalias(bp);
  const ai = rindexNondigit(a);
  const bi = rindexNondigit(b);
  const res = cmp(a.slice(0, Math.min(ai, bi)), b.slice(0, Math.min(ai, bi)));
  if (res !== 0) return res;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = atoi(a.slice(ai));
  const bv = atoi(b.slice(bi));
  if (av !== bv) return av < bv ? -1 : 1;
  const r2 = cmp(a, b);
  if (r2 !== 0) return r2;
  const aa = aalias !== null ? atoi(aalias) : -1;
  const ba = balias !== null ? atoi(balias) : -1;
  if (aa !== ba) return aa < ba ? -1 : 1;
  return aalias !== null && balias !== null ? cmp(aalias, balias) : 0;
}

const n0 = (v: number | undefined): number => v ?? 0;

/** scaledNetTools is ife_print_long's `(%lu.%lu %s)`: one decimal, KiB from strictly above 1024. */
function scaledNetTools(bytes: number): string {
  const units: readonly [number, string][] = [
    [2 ** 60, 'EiB'],
    [1125899906842624, 'PiB'],
    [1099511627776, 'TiB'],
    [1073741824, 'GiB'],
    [1048576, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [limit, unit] of units) {
    if (bytes > limit) {
      const short = Math.floor((bytes * 10) / limit);
      return `${Math.floor(short / 10)}.${short % 10} ${unit}`;
    }
  }
  return `${bytes}.0 B`;
}

function hexDashes(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');
}

function netToolsFlags(f: number): string {
  const names: readonly [number, string][] = [
    [IFF.UP, 'UP'],
    [IFF.BROADCAST, 'BROADCAST'],
    [IFF.DEBUG, 'DEBUG'],
    [IFF.LOOPBACK, 'LOOPBACK'],
    [IFF.POINTOPOINT, 'POINTOPOINT'],
    [IFF.NOTRAILERS, 'NOTRAILERS'],
    [IFF.RUNNING, 'RUNNING'],
    [IFF.NOARP, 'NOARP'],
    [IFF.PROMISC, 'PROMISC'],
    [IFF.ALLMULTI, 'ALLMULTI'],
    [IFF.SLAVE, 'SLAVE'],
    [IFF.MASTER, 'MASTER'],
    [IFF.MULTICAST, 'MULTICAST'],
    [IFF.DYNAMIC, 'DYNAMIC'],
  ];
  if (f === 0) return 'flags=0<>';
  const set = names.filter(([bit]) => f & bit).map(([, n]) => n);
  return `flags=${f}<${set.join(',')}>`;
}

function inet6ScopeNetTools(scope: number): string {
  const flags: string[] = [];
  let s = scope;
  if (s & 0x80) {
    flags.push('compat');
    s -= 0x80;
  }
  if (s === 0) flags.push('global');
  if (s & 0x20) flags.push('link');
  if (s & 0x40) flags.push('site');
  if (s & 0x10) flags.push('host');
  return `<${flags.join(',')}>`;
}

/**
 * formatNetToolsIface is ife_print_long for one interface (its trailing blank line included).
 * Debian's net-tools 2.10 prints zero counters for a 15-character name (IFNAMSIZ - 1, the length
 * of every Calico `cali*` veth): seen on this machine, where /proc/net/dev had the real counts.
 */
export function formatNetToolsIface(i: NetInterface): string {
  let out = `${i.name}: ${netToolsFlags(i.flags)}  mtu ${i.mtu}\n`;
  if (i.ipv4) {
    out += `        inet ${formatIpv4(i.ipv4.addr)}  netmask ${formatIpv4(i.ipv4.netmask)}`;
    if (i.flags & IFF.BROADCAST) out += `  broadcast ${formatIpv4(i.ipv4.broadcast ?? 0)}`;
    if (i.flags & IFF.POINTOPOINT) out += `  destination ${formatIpv4(i.ipv4.destination ?? 0)}`;
    out += '\n';
  }
  for (const a of i.ipv6 ?? [])
    out += `        inet6 ${a.addr}  prefixlen ${a.prefixLen}  scopeid 0x${a.scope.toString(16)}${inet6ScopeNetTools(a.scope)}\n`;
  switch (i.hwType) {
    case 'ether':
      out += `        ether ${i.mac ?? '00:00:00:00:00:00'}`;
      break;
    case 'loopback':
      out += '        loop';
      break;
    case 'tunnel':
      out += '        tunnel ';
      break;
    case 'none':
      out += `        unspec ${hexDashes(new Array<number>(14).fill(0))}`;
      break;
  }
  if (i.txqueuelen !== -1) out += `  txqueuelen ${i.txqueuelen}`;
  out += `  (${{ ether: 'Ethernet', loopback: 'Local Loopback', tunnel: 'IPIP Tunnel', none: 'UNSPEC' }[i.hwType]})\n`;
  const s: IfStats = i.name.length >= 15 ? { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 } : i.stats;
  out += `        RX packets ${s.rxPackets}  bytes ${s.rxBytes} (${scaledNetTools(s.rxBytes)})\n`;
  out += `        RX errors ${n0(s.rxErrors)}  dropped ${n0(s.rxDropped)}  overruns ${n0(s.rxFifo)}  frame ${n0(s.rxFrame)}\n`;
  out += `        TX packets ${s.txPackets}  bytes ${s.txBytes} (${scaledNetTools(s.txBytes)})\n`;
  out += `        TX errors ${n0(s.txErrors)}  dropped ${n0(s.txDropped)} overruns ${n0(s.txFifo)}  carrier ${n0(s.txCarrier)}  collisions ${n0(s.collisions)}\n`;
  return `${out}\n`;
}

/** scaledBusybox is busybox print_bytes_scaled: one decimal, KiB from 1024 on. */
function scaledBusybox(bytes: number): string {
  let intPart = bytes;
  let frac = 0;
  let ext = '';
  for (const unit of ['Ki', 'Mi', 'Gi', 'Ti']) {
    if (intPart >= 1024) {
      frac = Math.floor(((intPart % 1024) * 10) / 1024);
      intPart = Math.floor(intPart / 1024);
      ext = unit;
    }
  }
  return `${intPart}.${frac} ${ext}B`;
}

function busyboxScope(scope: number): string {
  switch (scope & 0xf0) {
    case 0:
      return 'Global';
    case 0x20:
      return 'Link';
    case 0x40:
      return 'Site';
    case 0x80:
      return 'Compat';
    case 0x10:
      return 'Host';
    default:
      return 'Unknown';
  }
}

/** formatBusyboxIface is busybox ife_print for one interface (its trailing blank line included). */
export function formatBusyboxIface(i: NetInterface): string {
  const title = { ether: 'Ethernet', loopback: 'Local Loopback', tunnel: 'UNSPEC', none: 'UNSPEC' }[i.hwType];
  let out = `${i.name.padEnd(9)} Link encap:${title}  `;
  if (i.hwType === 'ether') out += `HWaddr ${(i.mac ?? '00:00:00:00:00:00').toUpperCase()}  `;
  else if (i.hwType !== 'loopback') out += `HWaddr ${hexDashes(new Array<number>(16).fill(0))}  `;
  out += '\n';
  if (i.ipv4) {
    out += `          inet addr:${formatIpv4(i.ipv4.addr)} `;
    if (i.flags & IFF.POINTOPOINT) out += ` P-t-P:${formatIpv4(i.ipv4.destination ?? 0)} `;
    if (i.flags & IFF.BROADCAST) out += ` Bcast:${formatIpv4(i.ipv4.broadcast ?? 0)} `;
    out += ` Mask:${formatIpv4(i.ipv4.netmask)}\n`;
  }
  for (const a of i.ipv6 ?? []) out += `          inet6 addr: ${a.addr}/${a.prefixLen} Scope:${busyboxScope(a.scope)}\n`;
  out += '          ';
  if (i.flags === 0) out += '[NO FLAGS] ';
  else {
    const names: readonly [number, string][] = [
      [IFF.UP, 'UP'],
      [IFF.BROADCAST, 'BROADCAST'],
      [IFF.DEBUG, 'DEBUG'],
      [IFF.LOOPBACK, 'LOOPBACK'],
      [IFF.POINTOPOINT, 'POINTOPOINT'],
      [IFF.NOTRAILERS, 'NOTRAILERS'],
      [IFF.RUNNING, 'RUNNING'],
      [IFF.NOARP, 'NOARP'],
      [IFF.PROMISC, 'PROMISC'],
      [IFF.ALLMULTI, 'ALLMULTI'],
      [IFF.SLAVE, 'SLAVE'],
      [IFF.MASTER, 'MASTER'],
      [IFF.MULTICAST, 'MULTICAST'],
    ];
    for (const [bit, n] of names) if (i.flags & bit) out += `${n} `;
  }
  out += ` MTU:${i.mtu}  Metric:${i.metric ? i.metric : 1}\n`;
  const s = i.stats;
  out += `          RX packets:${s.rxPackets} errors:${n0(s.rxErrors)} dropped:${n0(s.rxDropped)} overruns:${n0(s.rxFifo)} frame:${n0(s.rxFrame)}\n`;
  out += `          TX packets:${s.txPackets} errors:${n0(s.txErrors)} dropped:${n0(s.txDropped)} overruns:${n0(s.txFifo)} carrier:${n0(s.txCarrier)}\n`;
  out += `          collisions:${n0(s.collisions)} `;
  if (i.txqueuelen !== -1) out += `txqueuelen:${i.txqueuelen} `;
  out += `\n          RX bytes:${s.rxBytes} (${scaledBusybox(s.rxBytes)})  TX bytes:${s.txBytes} (${scaledBusybox(s.txBytes)})\n`;
  return `${out}\n`;
}

/** IfconfigFlavor picks the implementation: net-tools 2.10 or busybox 1.36. */
export type IfconfigFlavor = 'net-tools' | 'busybox';

/** IfconfigCommand is a display command line: `ifconfig`, `ifconfig -a`, `ifconfig IFACE`. */
export interface IfconfigCommand {
  readonly all: boolean;
  readonly iface?: string;
}

/**
 * parseIfconfigArgs accepts the display forms. Configuring forms (`ifconfig eth0 up`) are not
 * modelled and come back as `configure`.
 */
export function parseIfconfigArgs(
  argv: readonly string[],
): { readonly ok: true; readonly cmd: IfconfigCommand } | { readonly ok: false; readonly configure: readonly string[] } {
  const args = [...argv];
  let all = false;
  if (args[0] === '-a') {
    all = true;
    args.shift();
  }
  if (args.length > 1) return { ok: false, configure: argv };
  return { ok: true, cmd: { all, iface: args[0] } };
}

/** ifconfig prints the interfaces (in /proc/net/dev order) as the flavor's ifconfig does. */
export function ifconfig(flavor: IfconfigFlavor, interfaces: readonly NetInterface[], cmd: IfconfigCommand): CommandOutput {
  const fmt = flavor === 'busybox' ? formatBusyboxIface : formatNetToolsIface;
  if (cmd.iface !== undefined) {
    const i = interfaces.find((x) => x.name === cmd.iface);
    if (!i) {
      const prefix = flavor === 'busybox' ? 'ifconfig: ' : '';
      return { stdout: '', stderr: `${prefix}${cmd.iface}: error fetching interface information: Device not found\n`, exitStatus: 1 };
    }
    return { stdout: fmt(i), stderr: '', exitStatus: 0 };
  }
  const sorted = [...interfaces].sort(
    flavor === 'busybox' ? (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : (a, b) => nstrcmp(a.name, b.name),
  );
  const shown = sorted.filter((i) => cmd.all || i.flags & IFF.UP);
  return { stdout: shown.map(fmt).join(''), stderr: '', exitStatus: 0 };
}
