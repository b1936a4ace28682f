// The net.* sysctls of a namespace (Documentation/networking/ip-sysctl.rst, net/ipv4/devinet.c
// devinet_conf_proc / devinet_sysctl_forward, net/ipv4/sysctl_net_ipv4.c, net/core/neighbour.c
// neigh_sysctl_register, kernel/sysctl.c __do_proc_dointvec / proc_get_long, sysctl(8)). A namespace
// stores only what it must; everything else reads as its default.
//
// Every key has the kernel's handler (HANDLERS below): how a written string is parsed (proc_get_long:
// an optional '-', then decimal, 0x hex or 0 octal, at most 20 characters, followed by white space or
// the end), which values are refused (EINVAL) and what reads back (jiffies rounding). Device names may
// hold dots (vxlan.calico): the parameter is the last component of a key, the device everything
// between the prefix and it.
//
// net.ipv4.conf.DEV.* follow `default` (devinet_copy_dflt_conf) until they are written: a write, even a
// refused one, sets the parameter's bit in the device's state and the device keeps its value from then
// on. A device registered (inetdev_init) copies `default`'s values and bits, so it keeps what `default`
// had for every parameter `default` was written for. Written conf keys are therefore always stored
// (their presence is the bit). `forwarding` and `route_localnet` have handlers that never copy
// (devinet_sysctl_forward, ipv4_doint_and_flush), so a device copies them once, at registration; lo
// follows nothing, as every bit of its conf is set when it comes up (ipv4_devconf_setall, which the
// lo of every namespace has had). A device has these keys only while it has an in_device: from
// registration until its MTU goes below 68 (inetdev_event NETDEV_CHANGEMTU), and again from the MTU
// change that brings it back. net.ipv6.conf.DEV.* likewise need an inet6_dev: an MTU of at least 1280,
// or the loopback device. net.ipv4.neigh.DEV.* start at the kernel's values; a namespace other than
// the initial one has no net.ipv4.neigh.default (arp_init registers it in init_net only), and all of
// the simulator's namespaces are such namespaces (as the lab runner's are).
//
// The data path reads sysctls on every packet, so reads go through a cache of parsed numbers per
// sysctl table (keyed by the table's identity: a table immer copies is a new table). Every write goes
// through this file, which drops the table's cache.

import type { Link, Netns } from '../model/world.js';

/** Handler is how the kernel parses, checks and stores a written value: the proc_handler of a key's ctl_table. */
type Handler =
  /** int is proc_dointvec (any int) or proc_dointvec_minmax (within min..max), for each element of a vector. */
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /** u8 is proc_dou8vec_minmax: one unsigned value within min..max (at most 255); a '-' is refused, even "-0". */
  | { readonly kind: 'u8'; readonly min: number; readonly max: number }
  /** jiffies is proc_dointvec_jiffies: seconds, at most INT_MAX / HZ either way. */
  | { readonly kind: 'jiffies' }
  /** msJiffies is proc_dointvec_ms_jiffies: milliseconds, rounded up to whole ticks. */
  | { readonly kind: 'msJiffies' }
  /** userhzJiffies is proc_dointvec_userhz_jiffies: USER_HZ ticks, kept as jiffies (a negative value reads "-0"). */
  | { readonly kind: 'userhzJiffies' };

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** HZ is the reference kernel's tick rate (CONFIG_HZ=250); USER_HZ is the clock_t rate of every kernel. */
const HZ = 250;
const USER_HZ = 100;

/**
 * UNRES_QLEN_MAX is the largest net.ipv4.neigh.DEV.unres_qlen: the kernel keeps it in bytes
 * (unres_qlen_bytes), each packet counted as SKB_TRUESIZE(ETH_FRAME_LEN) = 2090 bytes, at most INT_MAX.
 */
const UNRES_QLEN_MAX = Math.floor(INT_MAX / 2090);

const INT: Handler = { kind: 'int', min: INT_MIN, max: INT_MAX };
const JIFFIES: Handler = { kind: 'jiffies' };
const MS_JIFFIES: Handler = { kind: 'msJiffies' };
const USERHZ_JIFFIES: Handler = { kind: 'userhzJiffies' };

function intRange(min: number, max: number): Handler {
  return { kind: 'int', min, max };
}

function u8(min = 0, max = 255): Handler {
  return { kind: 'u8', min, max };
}

// Every net.ipv4.conf.* key is devinet_conf_proc or devinet_sysctl_forward over proc_dointvec.
const CONF_TABLE = [
  ['forwarding', '0'],
  ['proxy_arp', '0'],
  ['rp_filter', '0'],
  ['accept_local', '0'],
  ['send_redirects', '1'],
  ['accept_redirects', '1'],
  ['arp_ignore', '0'],
  ['arp_announce', '0'],
  ['arp_accept', '0'],
  ['arp_filter', '0'],
  ['shared_media', '1'],
  ['proxy_arp_pvlan', '0'],
  ['route_localnet', '0'],
  ['log_martians', '0'],
] as const;

const NEIGH_TABLE = [
  ['proxy_delay', '80', USERHZ_JIFFIES],
  ['base_reachable_time_ms', '30000', MS_JIFFIES],
  ['delay_first_probe_time', '5', JIFFIES],
  ['mcast_solicit', '3', intRange(0, INT_MAX)],
  ['ucast_solicit', '3', intRange(0, INT_MAX)],
  ['app_solicit', '0', intRange(0, INT_MAX)],
  ['mcast_resolicit', '0', intRange(0, INT_MAX)],
  ['retrans_time_ms', '1000', MS_JIFFIES],
  ['locktime', '100', USERHZ_JIFFIES],
  ['unres_qlen', '101', intRange(0, UNRES_QLEN_MAX)],
  ['gc_stale_time', '60', JIFFIES],
] as const;

/**
 * GLOBAL_TABLE are the namespace-wide keys with their defaults and handlers. tcp_rmem and rmem_max are
 * copied from the host when a namespace is created; the values are those of the reference machine
 * (24 GiB). The port range and the privileged ports have handlers of their own (see sysctlWrite).
 */
const GLOBAL_TABLE: readonly (readonly [string, string, Handler])[] = [
  ['net.ipv4.ip_forward', '0', INT],
  ['net.ipv4.ip_default_ttl', '64', u8(1, 255)],
  ['net.ipv4.icmp_echo_ignore_all', '0', u8(0, 1)],
  ['net.ipv4.ip_no_pmtu_disc', '0', u8()],
  ['net.ipv4.icmp_errors_use_inbound_ifaddr', '0', u8(0, 1)],
  ['net.ipv4.icmp_ratelimit', '1000', MS_JIFFIES],
  ['net.ipv4.icmp_echo_ignore_broadcasts', '1', u8(0, 1)],
  ['net.ipv4.igmp_link_local_mcast_reports', '1', u8()],
  ['net.ipv4.ip_local_port_range', '32768\t60999', intRange(1, 65535)],
  ['net.ipv4.ip_unprivileged_port_start', '1024', intRange(0, 65535)],
  ['net.ipv4.tcp_syn_retries', '6', u8(1, 127)],
  ['net.ipv4.tcp_synack_retries', '5', u8()],
  ['net.ipv4.tcp_retries2', '15', u8()],
  ['net.ipv4.tcp_fin_timeout', '60', JIFFIES],
  ['net.ipv4.tcp_timestamps', '1', u8()],
  ['net.ipv4.tcp_sack', '1', u8()],
  ['net.ipv4.tcp_window_scaling', '1', u8()],
  ['net.ipv4.tcp_rmem', '4096\t131072\t33554432', intRange(1, INT_MAX)],
  ['net.core.rmem_max', '4194304', INT],
];

/** ConfParam names a net.ipv4.conf.DEV.* parameter. */
export type ConfParam = (typeof CONF_TABLE)[number][0];

/** NeighParam names a net.ipv4.neigh.DEV.* parameter. */
export type NeighParam = (typeof NEIGH_TABLE)[number][0];

/** CONF_DEFAULTS are net.ipv4.conf.{all,default,DEV}.* as a new namespace has them. */
export const CONF_DEFAULTS: ReadonlyMap<string, string> = new Map(CONF_TABLE);

/** NEIGH_DEFAULTS are net.ipv4.neigh.DEV.* as a new device has them. */
export const NEIGH_DEFAULTS: ReadonlyMap<string, string> = new Map(NEIGH_TABLE.map(([p, d]) => [p, d]));

/**
 * IPV6_CONF_DEFAULTS are net.ipv6.conf.{all,default,DEV}.* as a lab's namespace has them: the kernel
 * runner turns IPv6 off in every namespace it makes (disable_ipv6=1 for all and default, so every
 * device too), and the simulator's namespaces start the same way. src/kernel/ipv6.ts follows writes.
 */
export const IPV6_CONF_DEFAULTS: ReadonlyMap<string, string> = new Map([['disable_ipv6', '1']]);

/** GLOBAL_DEFAULTS are the namespace-wide keys and their defaults. */
export const GLOBAL_DEFAULTS: ReadonlyMap<string, string> = new Map(GLOBAL_TABLE.map(([k, d]) => [k, d]));

const GLOBAL_HANDLERS: ReadonlyMap<string, Handler> = new Map(GLOBAL_TABLE.map(([k, , h]) => [k, h]));
const NEIGH_HANDLERS: ReadonlyMap<string, Handler> = new Map(NEIGH_TABLE.map(([p, , h]) => [p, h]));

const CONF = 'net.ipv4.conf.';
const NEIGH = 'net.ipv4.neigh.';
const CONF6 = 'net.ipv6.conf.';

/** INET_MIN_MTU is the smallest MTU a device keeps its IPv4 state with (inetdev_valid_mtu: 68). */
export const INET_MIN_MTU = 68;

/** IN6_MIN_MTU is IPV6_MIN_MTU: below it a device other than lo loses its inet6_dev. */
const IN6_MIN_MTU = 1280;

/** inetDevValid says whether a device has an in_device (IPv4 addresses and conf keys): its MTU is at least 68. */
export function inetDevValid(l: Link): boolean {
  return l.mtu >= INET_MIN_MTU;
}

/** inet6DevValid says whether a device keeps an inet6_dev's conf keys: lo always, others from an MTU of 1280. */
function inet6DevValid(l: Link): boolean {
  return l.kind === 'loopback' || l.mtu >= IN6_MIN_MTU;
}

/** SysctlKey is a parsed key: a namespace-wide one, or a per-device one with its device and parameter. */
export type SysctlKey =
  | { readonly kind: 'global'; readonly key: string; readonly def: string }
  | { readonly kind: 'conf' | 'neigh' | 'conf6'; readonly key: string; readonly dev: string; readonly param: string; readonly def: string };

/** sysctlKey turns `net/ipv4/conf/eth0/proxy_arp`, `/proc/sys/...` or the dotted form into the dotted key. */
export function sysctlKey(key: string): string {
  return key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** parseSysctlKey finds what a dotted key names in `ns`, or null when the kernel has no such file. */
export function parseSysctlKey(ns: Netns, key: string): SysctlKey | null {
  const g = GLOBAL_DEFAULTS.get(key);
  if (g !== undefined) return { kind: 'global', key, def: g };
  for (const [prefix, kind, table] of [
    [CONF, 'conf', CONF_DEFAULTS],
    [NEIGH, 'neigh', NEIGH_DEFAULTS],
    [CONF6, 'conf6', IPV6_CONF_DEFAULTS],
  ] as const) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.lastIndexOf('.');
    if (dot <= 0) return null;
    const dev = rest.slice(0, dot);
    const param = rest.slice(dot + 1);
    const def = table.get(param);
    if (def === undefined) return null;
    if (kind === 'neigh' || (dev !== 'all' && dev !== 'default')) {
      const i = ns.linkNames.get(dev);
      const l = i === undefined ? undefined : ns.links.get(i);
      if (l === undefined || !(kind === 'conf6' ? inet6DevValid(l) : inetDevValid(l))) return null;
    }
    return { kind, key, dev, param, def };
  }
  return null;
}

/** COPIED_ONCE are the conf parameters whose handlers never copy `default` to the devices. */
const COPIED_ONCE: ReadonlySet<string> = new Set(['forwarding', 'route_localnet']);

/** follows says whether an unwritten net.ipv4.conf.DEV.PARAM reads `default`'s current value (devinet_copy_dflt_conf). */
function follows(ns: Netns, dev: string, param: string): boolean {
  if (dev === 'all' || dev === 'default' || COPIED_ONCE.has(param)) return false;
  const i = ns.linkNames.get(dev);
  return i !== undefined && ns.links.get(i)?.kind !== 'loopback';
}

/** keyValue is what a key reads: stored, or `default`'s for a conf key that follows it, or the kernel's. */
function keyValue(ns: Netns, k: SysctlKey): string {
  const v = ns.sysctl.get(k.key);
  if (v !== undefined) return v;
  if (k.kind === 'conf' && follows(ns, k.dev, k.param)) return ns.sysctl.get(`${CONF}default.${k.param}`) ?? k.def;
  return k.def;
}

/** sysctlRead returns the value of a key (stored, or its default), or null when there is no such file. */
export function sysctlRead(ns: Netns, key: string): string | null {
  const k = parseSysctlKey(ns, key);
  return k === null ? null : keyValue(ns, k);
}

/** keepsBit says whether a written key must stay stored, whatever its value: a conf key `default` is copied to. */
function keepsBit(k: SysctlKey): boolean {
  return k.kind === 'conf' && !COPIED_ONCE.has(k.param);
}

/**
 * sysctlStore writes a value. A conf key that follows `default` is always stored (a write sets its
 * bit); any other key is kept only while it differs from its default.
 */
export function sysctlStore(ns: Netns, k: SysctlKey, value: string): void {
  changed(ns);
  if (value === k.def && !keepsBit(k)) ns.sysctl.delete(k.key);
  else ns.sysctl.set(k.key, value);
}

// ---------------------------------------------------------------------------------------------
// Reads as numbers, cached per table

/** ConfValues are one device's (or `all`'s) net.ipv4.conf.* as numbers. */
export type ConfValues = { readonly [P in ConfParam]: number };

/** NeighValues are one device's net.ipv4.neigh.* as numbers. */
export type NeighValues = { readonly [P in NeighParam]: number };

/** SysctlCache is what the readers below parsed out of one sysctl table. */
interface SysctlCache {
  readonly conf: Map<string, ConfValues>;
  readonly neigh: Map<string, NeighValues>;
  readonly conf6: Map<string, ReadonlyMap<string, number>>;
  readonly global: Map<string, number>;
  tcpRmem: readonly [number, number, number] | null;
}

const caches = new WeakMap<ReadonlyMap<string, string>, SysctlCache>();

function cacheOf(ns: Netns): SysctlCache {
  const table = ns.sysctl;
  let c = caches.get(table);
  if (c === undefined) {
    c = { conf: new Map(), neigh: new Map(), conf6: new Map(), global: new Map(), tcpRmem: null };
    caches.set(table, c);
  }
  return c;
}

/** changed forgets what was parsed out of a namespace's table; every write calls it first. */
function changed(ns: Netns): void {
  caches.delete(ns.sysctl);
}

/** confRaw reads net.ipv4.conf.DEV.PARAM as stored or followed, without checking that the device exists. */
function confRaw(ns: Netns, dev: string, param: string, def: string): string {
  const v = ns.sysctl.get(`${CONF}${dev}.${param}`);
  if (v !== undefined) return v;
  return follows(ns, dev, param) ? (ns.sysctl.get(`${CONF}default.${param}`) ?? def) : def;
}

/** confOf returns net.ipv4.conf.DEV.* (DEV may be `all` or `default`) as numbers. */
export function confOf(ns: Netns, dev: string): ConfValues {
  const c = cacheOf(ns);
  let v = c.conf.get(dev);
  if (v === undefined) {
    const o: Record<string, number> = {};
    for (const [param, def] of CONF_TABLE) o[param] = Number(confRaw(ns, dev, param, def));
    v = o as ConfValues;
    c.conf.set(dev, v);
  }
  return v;
}

/** neighOf returns net.ipv4.neigh.DEV.* as numbers. */
export function neighOf(ns: Netns, dev: string): NeighValues {
  const c = cacheOf(ns);
  let v = c.neigh.get(dev);
  if (v === undefined) {
    const o: Record<string, number> = {};
    for (const [param, def] of NEIGH_TABLE) o[param] = Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? def);
    v = o as NeighValues;
    c.neigh.set(dev, v);
  }
  return v;
}

/** globalNum reads a namespace-wide scalar key as a number. */
export function globalNum(ns: Netns, key: string): number {
  const c = cacheOf(ns);
  let v = c.global.get(key);
  if (v === undefined) {
    v = Number(globalGet(ns, key));
    c.global.set(key, v);
  }
  return v;
}

/** tcpRmem is net.ipv4.tcp_rmem: the minimum, default and maximum receive buffer of a TCP socket. */
export function tcpRmem(ns: Netns): readonly [number, number, number] {
  const c = cacheOf(ns);
  if (c.tcpRmem === null) {
    const v = globalGet(ns, 'net.ipv4.tcp_rmem').split('\t').map(Number);
    c.tcpRmem = [v[0], v[1], v[2]];
  }
  return c.tcpRmem;
}

/** confGet reads net.ipv4.conf.DEV.KEY as a number. */
export function confGet(ns: Netns, dev: string, param: string): number {
  const v = CONF_DEFAULTS.has(param) ? (confOf(ns, dev) as Readonly<Record<string, number>>)[param] : undefined;
  return v !== undefined ? v : Number(ns.sysctl.get(`${CONF}${dev}.${param}`) ?? '0');
}

/** conf6Get reads net.ipv6.conf.DEV.KEY as a number. */
export function conf6Get(ns: Netns, dev: string, param: string): number {
  const c = cacheOf(ns).conf6;
  let v = c.get(dev);
  if (v === undefined) {
    const m = new Map<string, number>();
    for (const [p, def] of IPV6_CONF_DEFAULTS) m.set(p, Number(ns.sysctl.get(`${CONF6}${dev}.${p}`) ?? def));
    c.set(dev, m);
    v = m;
  }
  return v.get(param) ?? Number(ns.sysctl.get(`${CONF6}${dev}.${param}`) ?? '0');
}

/** neighParm reads net.ipv4.neigh.DEV.KEY as a number. */
export function neighParm(ns: Netns, dev: string, param: string): number {
  const v = NEIGH_DEFAULTS.has(param) ? (neighOf(ns, dev) as Readonly<Record<string, number>>)[param] : undefined;
  return v !== undefined ? v : Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? '0');
}

/** globalGet reads a namespace-wide key. */
export function globalGet(ns: Netns, key: string): string {
  return ns.sysctl.get(key) ?? GLOBAL_DEFAULTS.get(key) ?? '0';
}

// ---------------------------------------------------------------------------------------------
// A device's entries

/**
 * inetSysctlInit gives a device its net.ipv4.conf.DEV.* when it gets an in_device (inetdev_init): a
 * copy of every `default` value that was written, bit included; net.ipv4.neigh.DEV.* start at the
 * kernel's values.
 */
export function inetSysctlInit(ns: Netns, name: string): void {
  // A namespace that stores nothing has no `default` entry to copy.
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const param of CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF}${name}.${param}`, v);
  }
}

/** inet6SysctlInit gives a device its net.ipv6.conf.DEV.* when it gets an inet6_dev: copies of `default`'s. */
export function inet6SysctlInit(ns: Netns, name: string): void {
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const param of IPV6_CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF6}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF6}${name}.${param}`, v);
  }
}

/** devSysctlInit gives a new device its IPv4 and IPv6 entries (devinet_init_net, addrconf's ipv6_add_dev). */
export function devSysctlInit(ns: Netns, name: string): void {
  inetSysctlInit(ns, name);
  inet6SysctlInit(ns, name);
}

/** SysctlFamily selects a device's IPv4 entries (conf and neigh), its IPv6 ones, or both. */
export type SysctlFamily = 'inet' | 'inet6' | 'both';

/** devSysctlMove renames a device's entries, or drops them when `to` is null (the device left or died). */
export function devSysctlMove(ns: Netns, oldName: string, newName: string | null, family: SysctlFamily = 'both'): void {
  if (ns.sysctl.size === 0) return;
  changed(ns);
  const tables: (readonly [string, ReadonlyMap<string, string>])[] = [];
  if (family !== 'inet6') tables.push([CONF, CONF_DEFAULTS], [NEIGH, NEIGH_DEFAULTS]);
  if (family !== 'inet') tables.push([CONF6, IPV6_CONF_DEFAULTS]);
  for (const [prefix, table] of tables) {
    for (const param of table.keys()) {
      const key = `${prefix}${oldName}.${param}`;
      const v = ns.sysctl.get(key);
      if (v === undefined) continue;
      ns.sysctl.delete(key);
      if (newName !== null) ns.sysctl.set(`${prefix}${newName}.${param}`, v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writes: kernel/sysctl.c's parsing and conversions

/** TMPBUFLEN is proc_get_long's buffer: a number of 21 characters or more is refused. */
const TMPBUFLEN = 22;
const ULONG_MAX = (1n << 64n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const MS_PER_JIFFY = 1000 / HZ;
const TICK_NSEC = Math.floor((1_000_000_000 + HZ / 2) / HZ);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** digit is the value of a digit of any base up to 16, or -1 (_parse_integer). */
function digit(c: string | undefined): number {
  if (c === undefined) return -1;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  const l = c.toLowerCase();
  return l >= 'a' && l <= 'f' ? l.charCodeAt(0) - 87 : -1;
}

/** skipSpaces is proc_skip_spaces. */
function skipSpaces(s: string, p: number): number {
  while (p < s.length && isSpace(s[p])) p++;
  return p;
}

/** ProcLong is what proc_get_long read: a sign, a magnitude up to ULONG_MAX and where it stopped. */
interface ProcLong {
  readonly neg: boolean;
  readonly val: bigint;
  readonly end: number;
}

/**
 * procGetLong is proc_get_long: an optional '-', an unsigned number as strtoul reads it with base 0
 * (decimal, 0x hex, 0 octal) that fits an unsigned long, at most 20 characters in all, followed by
 * a space, a tab, a newline or the end. It returns null for EINVAL.
 */
function procGetLong(s: string, p: number): ProcLong | null {
  const size = s.length - p;
  if (size <= 0) return null;
  const tmp = s.slice(p, p + Math.min(size, TMPBUFLEN - 1));
  let i = 0;
  let neg = false;
  if (tmp[0] === '-' && size > 1) {
    neg = true;
    i = 1;
  }
  const d0 = digit(tmp[i]);
  if (d0 < 0 || d0 > 9) return null;
  let base = 10;
  if (tmp[i] === '0') {
    if ((tmp[i + 1] === 'x' || tmp[i + 1] === 'X') && digit(tmp[i + 2]) >= 0) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let val = 0n;
  for (; i < tmp.length; i++) {
    const d = digit(tmp[i]);
    if (d < 0 || d >= base) break;
    val = val * BigInt(base) + BigInt(d);
  }
  if (val > ULONG_MAX) return null;
  if (i === TMPBUFLEN - 1) return null;
  if (i < size && tmp[i] !== ' ' && tmp[i] !== '\t' && tmp[i] !== '\n') return null;
  return { neg, val, end: p + i };
}

/** intConv is do_proc_dointvec_minmax_conv: an int within min..max, or null. */
function intConv(h: { readonly min: number; readonly max: number }, neg: boolean, val: bigint): string | null {
  if (val > (neg ? 2147483648n : 2147483647n)) return null;
  const v = neg ? -val : val;
  if (v < BigInt(h.min) || v > BigInt(h.max)) return null;
  return String(v);
}

/** jiffiesConv is do_proc_dointvec_jiffies_conv: seconds up to INT_MAX / HZ either way, read back as written. */
function jiffiesConv(neg: boolean, val: bigint): string | null {
  if (val > BigInt(Math.floor(INT_MAX / HZ))) return null;
  return String(neg ? -val : val);
}

/**
 * msJiffiesConv is do_proc_dointvec_ms_jiffies_conv: msecs_to_jiffies of the value as a 32-bit unsigned
 * number (a negative one wraps; from 2^31 up it is refused), rounded up to whole ticks, read back as
 * milliseconds.
 */
function msJiffiesConv(neg: boolean, val: bigint): string | null {
  const m = BigInt.asUintN(32, neg ? -val : val);
  if (m >= 1n << 31n) return null;
  const per = BigInt(MS_PER_JIFFY);
  const jif = (m + per - 1n) / per;
  return String(jif * per);
}

/**
 * userhzJiffiesConv is do_proc_dointvec_userhz_jiffies_conv: clock_t_to_jiffies of the value (a negative
 * one saturates to ~0, which the int holds as -1), cut to an int, read back through jiffies_to_clock_t
 * with the sign printed apart (so -1 jiffy reads "-0").
 */
function userhzJiffiesConv(neg: boolean, val: bigint): string | null {
  if (val > (LONG_MAX / BigInt(HZ)) * BigInt(USER_HZ)) return null;
  const x = neg ? BigInt.asUintN(64, -val) : val;
  const jif = x >= (ULONG_MAX / BigInt(HZ)) * BigInt(USER_HZ) ? ULONG_MAX : BigInt.asUintN(64, x * BigInt(HZ)) / BigInt(USER_HZ);
  const stored = BigInt.asIntN(32, jif);
  const mag = stored < 0n ? -stored : stored;
  const clock = (mag * BigInt(TICK_NSEC)) / BigInt(1_000_000_000 / USER_HZ);
  return `${stored < 0n ? '-' : ''}${clock}`;
}

/** convOf returns the element conversion of an int-vector handler. */
function convOf(h: Handler): (neg: boolean, val: bigint) => string | null {
  switch (h.kind) {
    case 'jiffies':
      return jiffiesConv;
    case 'msJiffies':
      return msJiffiesConv;
    case 'userhzJiffies':
      return userhzJiffiesConv;
    default:
      return (neg, val) => intConv(h as { readonly min: number; readonly max: number }, neg, val);
  }
}

/** ProcWrite is what a handler made of a write: the values now held and whether the write succeeded. */
interface ProcWrite {
  readonly values: readonly string[];
  readonly ok: boolean;
}

/**
 * procWrite runs a handler's write over the current values. An int vector (__do_proc_dointvec) takes
 * the elements given, in order, and ignores any beyond its length; an element that does not parse or
 * convert stops the write there, keeping the elements before it, and fails it; nothing at all fails it.
 * A u8 key (do_proc_douintvec_w) takes one unsigned value and ignores the rest.
 */
function procWrite(h: Handler, current: readonly string[], s: string): ProcWrite {
  if (h.kind === 'u8') {
    const p = skipSpaces(s, 0);
    const r = p < s.length ? procGetLong(s, p) : null;
    if (r === null || r.neg || r.val < BigInt(h.min) || r.val > BigInt(h.max)) return { values: current, ok: false };
    return { values: [String(r.val)], ok: true };
  }
  const conv = convOf(h);
  const out = current.slice();
  let p = 0;
  let first = true;
  for (let i = 0; i < out.length && p < s.length; i++, first = false) {
    p = skipSpaces(s, p);
    if (p >= s.length) break;
    const r = procGetLong(s, p);
    const v = r === null ? null : conv(r.neg, r.val);
    if (r === null || v === null) return { values: out, ok: false };
    out[i] = v;
    p = r.end;
  }
  return { values: out, ok: !first };
}

/** READ_ONLY are the keys a namespace other than the initial one can read but not write (mode 0444). */
const READ_ONLY: ReadonlySet<string> = new Set(['net.core.rmem_max']);

const PORT_RANGE = 'net.ipv4.ip_local_port_range';
const PRIVILEGED_PORTS = 'net.ipv4.ip_unprivileged_port_start';

/** handlerOf is a parsed key's handler: every conf key is an int, neighbour and global keys have their own. */
function handlerOf(k: SysctlKey): Handler {
  if (k.kind === 'global') return GLOBAL_HANDLERS.get(k.key) ?? INT;
  if (k.kind === 'neigh') return NEIGH_HANDLERS.get(k.param) ?? INT;
  return INT;
}

/**
 * sysctlWrite writes a key as sysctl(8) -w does and returns sysctl's error line, or null. A conf key
 * keeps what the write left, even when it failed (devinet_conf_proc sets the bit regardless). The port
 * range is written whole or not at all, and only with its low end at most its high end and not below
 * ip_unprivileged_port_start (ipv4_local_port_range), which in turn may not go above the range's low end
 * (ipv4_privileged_ports). A write that changes ip_forward or conf.all.forwarding (one variable) sets
 * `default` and every device to it and all.accept_redirects to its negation (inet_forward_change).
 */
export function sysctlWrite(ns: Netns, rawKey: string, value: string): string | null {
  const key = sysctlKey(rawKey);
  const k = parseSysctlKey(ns, key);
  if (k === null) return `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`;
  const invalid = `sysctl: setting key "${key}": Invalid argument`;
  if (READ_ONLY.has(key)) return invalid;
  const before = keyValue(ns, k);
  const w = procWrite(handlerOf(k), before.split('\t'), value);
  const result = w.values.join('\t');
  if (key === PORT_RANGE) {
    const [low, high] = w.values.map(Number);
    if (!w.ok || high < low || low < Number(globalGet(ns, PRIVILEGED_PORTS))) return invalid;
  } else if (key === PRIVILEGED_PORTS) {
    if (!w.ok || Number(globalGet(ns, PORT_RANGE).split('\t')[0]) < Number(result)) return invalid;
  }
  const forward = key === 'net.ipv4.ip_forward' || key === `${CONF}all.forwarding`;
  if (w.ok || result !== before || keepsBit(k)) sysctlStore(ns, k, result);
  if (forward && Number(result) !== Number(before)) inetForwardChange(ns, result);
  return w.ok ? null : invalid;
}

/** inetForwardChange is inet_forward_change: forwarding `on` everywhere, and accept_redirects its negation on `all`. */
function inetForwardChange(ns: Netns, on: string): void {
  const set = (key: string, v: string): void => {
    const pk = parseSysctlKey(ns, key);
    if (pk !== null) sysctlStore(ns, pk, v);
  };
  set('net.ipv4.ip_forward', on);
  set(`${CONF}all.forwarding`, on);
  set(`${CONF}all.accept_redirects`, Number(on) === 0 ? '1' : '0');
  set(`${CONF}default.forwarding`, on);
  for (const l of ns.links.values()) set(`${CONF}${l.name}.forwarding`, on);
}
