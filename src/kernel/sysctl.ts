// The net.* sysctls of a namespace (Documentation/networking/ip-sysctl.rst, net/ipv4/devinet.c
// devinet_sysctl, net/core/neighbour.c neigh_sysctl_register, sysctl(8)). A namespace stores only the
// values that differ from the kernel's defaults; everything else reads as its default.
//
// A device's net.ipv4.conf.DEV.* and net.ipv4.neigh.DEV.* start as copies of the `default` entries at
// the time the device is registered (devinet_init_net / neigh_parms_alloc), so later changes to
// `default` leave existing devices alone. Device names may hold dots (vxlan.calico): the parameter is
// the last component of a key, the device everything between the prefix and it.
//
// The data path reads sysctls on every packet, so reads go through a cache of parsed numbers per
// sysctl table (keyed by the table's identity: a table immer copies is a new table). Every write goes
// through this file, which drops the table's cache.

import type { Netns } from '../model/world.js';

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
  ['proxy_delay', '80'],
  ['base_reachable_time_ms', '30000'],
  ['delay_first_probe_time', '5'],
  ['mcast_solicit', '3'],
  ['ucast_solicit', '3'],
  ['app_solicit', '0'],
  ['mcast_resolicit', '0'],
  ['retrans_time_ms', '1000'],
  ['locktime', '100'],
  ['unres_qlen', '101'],
  ['gc_stale_time', '60'],
] as const;

/** ConfParam names a net.ipv4.conf.DEV.* parameter. */
export type ConfParam = (typeof CONF_TABLE)[number][0];

/** NeighParam names a net.ipv4.neigh.DEV.* parameter. */
export type NeighParam = (typeof NEIGH_TABLE)[number][0];

/** CONF_DEFAULTS are net.ipv4.conf.{all,default,DEV}.* as a new namespace has them. */
export const CONF_DEFAULTS: ReadonlyMap<string, string> = new Map(CONF_TABLE);

/** NEIGH_DEFAULTS are net.ipv4.neigh.{default,DEV}.* as a new namespace has them. */
export const NEIGH_DEFAULTS: ReadonlyMap<string, string> = new Map(NEIGH_TABLE);

/**
 * IPV6_CONF_DEFAULTS are net.ipv6.conf.{all,default,DEV}.* as a lab's namespace has them: the kernel
 * runner turns IPv6 off in every namespace it makes (disable_ipv6=1 for all and default, so every
 * device too), and the simulator's namespaces start the same way. src/kernel/ipv6.ts follows writes.
 */
export const IPV6_CONF_DEFAULTS: ReadonlyMap<string, string> = new Map([['disable_ipv6', '1']]);

/**
 * GLOBAL_DEFAULTS are the namespace-wide keys. tcp_rmem and rmem_max are copied from the host when a
 * namespace is created; the values are those of the reference machine (24 GiB).
 */
export const GLOBAL_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['net.ipv4.ip_forward', '0'],
  ['net.ipv4.ip_default_ttl', '64'],
  ['net.ipv4.icmp_echo_ignore_all', '0'],
  ['net.ipv4.ip_no_pmtu_disc', '0'],
  ['net.ipv4.icmp_errors_use_inbound_ifaddr', '0'],
  ['net.ipv4.icmp_ratelimit', '1000'],
  ['net.ipv4.icmp_echo_ignore_broadcasts', '1'],
  ['net.ipv4.igmp_link_local_mcast_reports', '1'],
  ['net.ipv4.ip_local_port_range', '32768\t60999'],
  ['net.ipv4.tcp_syn_retries', '6'],
  ['net.ipv4.tcp_synack_retries', '5'],
  ['net.ipv4.tcp_retries2', '15'],
  ['net.ipv4.tcp_fin_timeout', '60'],
  ['net.ipv4.tcp_timestamps', '1'],
  ['net.ipv4.tcp_sack', '1'],
  ['net.ipv4.tcp_window_scaling', '1'],
  ['net.ipv4.tcp_rmem', '4096\t131072\t33554432'],
  ['net.core.rmem_max', '4194304'],
]);

const CONF = 'net.ipv4.conf.';
const NEIGH = 'net.ipv4.neigh.';
const CONF6 = 'net.ipv6.conf.';

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
    const special = kind === 'neigh' ? dev === 'default' : dev === 'all' || dev === 'default';
    if (!special && !ns.linkNames.has(dev)) return null;
    return { kind, key, dev, param, def };
  }
  return null;
}

/** sysctlRead returns the value of a key (stored, or its default), or null when there is no such file. */
export function sysctlRead(ns: Netns, key: string): string | null {
  const k = parseSysctlKey(ns, key);
  if (k === null) return null;
  return ns.sysctl.get(key) ?? k.def;
}

/** sysctlStore writes a value, keeping only values that differ from the key's default. */
export function sysctlStore(ns: Netns, k: SysctlKey, value: string): void {
  changed(ns);
  if (value === k.def) ns.sysctl.delete(k.key);
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

/** confOf returns net.ipv4.conf.DEV.* (DEV may be `all` or `default`) as numbers. */
export function confOf(ns: Netns, dev: string): ConfValues {
  const c = cacheOf(ns);
  let v = c.conf.get(dev);
  if (v === undefined) {
    const o: Record<string, number> = {};
    for (const [param, def] of CONF_TABLE) o[param] = Number(ns.sysctl.get(`${CONF}${dev}.${param}`) ?? def);
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
  const v = (confOf(ns, dev) as Readonly<Record<string, number>>)[param];
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
  const v = (neighOf(ns, dev) as Readonly<Record<string, number>>)[param];
  return v !== undefined ? v : Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? '0');
}

/** globalGet reads a namespace-wide key. */
export function globalGet(ns: Netns, key: string): string {
  return ns.sysctl.get(key) ?? GLOBAL_DEFAULTS.get(key) ?? '0';
}

/** devSysctlInit gives a new device its conf and neigh entries: copies of `default`'s (devinet_init_net). */
export function devSysctlInit(ns: Netns, name: string): void {
  // A namespace that stores nothing has no `default` entry to copy.
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const param of CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF}${name}.${param}`, v);
  }
  for (const param of NEIGH_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${NEIGH}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${NEIGH}${name}.${param}`, v);
  }
  for (const param of IPV6_CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF6}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF6}${name}.${param}`, v);
  }
}

/** devSysctlMove renames a device's entries, or drops them when `to` is null (the device left or died). */
export function devSysctlMove(ns: Netns, oldName: string, newName: string | null): void {
  if (ns.sysctl.size === 0) return;
  changed(ns);
  for (const [prefix, table] of [
    [CONF, CONF_DEFAULTS],
    [NEIGH, NEIGH_DEFAULTS],
    [CONF6, IPV6_CONF_DEFAULTS],
  ] as const) {
    for (const param of table.keys()) {
      const key = `${prefix}${oldName}.${param}`;
      const v = ns.sysctl.get(key);
      if (v === undefined) continue;
      ns.sysctl.delete(key);
      if (newName !== null) ns.sysctl.set(`${prefix}${newName}.${param}`, v);
    }
  }
}

/** sysctlValue is how the kernel stores a written value: integers, tab-separated for vectors. */
export function sysctlValue(value: string): string {
  return value
    .trim()
    .split(/\s+/)
    .map((x) => String(Number(x)))
    .join('\t');
}

/** READ_ONLY are the keys a namespace other than the initial one can read but not write (mode 0444). */
const READ_ONLY: ReadonlySet<string> = new Set(['net.core.rmem_max']);

/** RANGES are the bounds proc_dointvec_minmax / proc_dou8vec_minmax put on each element of a key. */
const RANGES: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['net.ipv4.tcp_syn_retries', [1, 127]],
  ['net.ipv4.tcp_synack_retries', [0, 255]],
  ['net.ipv4.tcp_retries2', [0, 255]],
  ['net.ipv4.tcp_rmem', [1, 2147483647]],
  ['net.ipv4.ip_local_port_range', [1, 65535]],
] as const);

/**
 * sysctlMerge is what the kernel makes of a written value. A vector takes the elements given, in
 * order, over its current ones, and ignores any beyond its length (__do_proc_dointvec); an element
 * out of range stops the write there, keeping the elements before it (`ok` false). The port range is
 * written whole or not at all, and only with its low end not above its high end
 * (ipv4_local_port_range). `value` is what to store, or null for nothing.
 */
function sysctlMerge(ns: Netns, k: SysctlKey, written: string): { readonly value: string | null; readonly ok: boolean } {
  const current = (ns.sysctl.get(k.key) ?? k.def).split('\t');
  const given = written.split('\t');
  const range = RANGES.get(k.key);
  const out = current.slice();
  let ok = true;
  for (let i = 0; i < Math.min(given.length, out.length); i++) {
    const n = Number(given[i]);
    if (range !== undefined && (n < range[0] || n > range[1])) {
      ok = false;
      break;
    }
    out[i] = given[i];
  }
  if (k.key === 'net.ipv4.ip_local_port_range' && (!ok || Number(out[0]) > Number(out[1]))) return { value: null, ok: false };
  return { value: out.join('\t'), ok };
}

/**
 * sysctlWrite writes a key as sysctl(8) -w does and returns sysctl's error line, or null. Writing
 * ip_forward or conf.all.forwarding sets forwarding on `default` and every device (inet_forward_change).
 */
export function sysctlWrite(ns: Netns, rawKey: string, value: string): string | null {
  const key = sysctlKey(rawKey);
  const k = parseSysctlKey(ns, key);
  if (k === null) return `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`;
  const invalid = `sysctl: setting key "${key}": Invalid argument`;
  if (!/^-?\d+(\s+-?\d+)*$/.test(value.trim())) return invalid;
  if (READ_ONLY.has(key)) return invalid;
  const v = sysctlMerge(ns, k, sysctlValue(value));
  if (v.value !== null) sysctlStore(ns, k, v.value);
  if (!v.ok) return invalid;
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    const on = v.value === '0' ? '0' : '1';
    const set = (kk: string): void => {
      const pk = parseSysctlKey(ns, kk);
      if (pk !== null) sysctlStore(ns, pk, on);
    };
    set('net.ipv4.ip_forward');
    set(`${CONF}all.forwarding`);
    set(`${CONF}default.forwarding`);
    for (const l of ns.links.values()) set(`${CONF}${l.name}.forwarding`);
  }
  return null;
}
