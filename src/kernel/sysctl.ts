// The net.* sysctls of a namespace (Documentation/networking/ip-sysctl.rst, net/ipv4/devinet.c
// devinet_sysctl, net/core/neighbour.c neigh_sysctl_register, sysctl(8)). A namespace stores only the
// values that differ from the kernel's defaults; everything else reads as its default.
//
// A device's net.ipv4.conf.DEV.* and net.ipv4.neigh.DEV.* start as copies of the `default` entries at
// the time the device is registered (devinet_init_net / neigh_parms_alloc), so later changes to
// `default` leave existing devices alone. Device names may hold dots (vxlan.calico): the parameter is
// the last component of a key, the device everything between the prefix and it.

import type { Netns } from '../model/world.js';

/** CONF_DEFAULTS are net.ipv4.conf.{all,default,DEV}.* as a new namespace has them. */
export const CONF_DEFAULTS: ReadonlyMap<string, string> = new Map([
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
]);

/** NEIGH_DEFAULTS are net.ipv4.neigh.{default,DEV}.* as a new namespace has them. */
export const NEIGH_DEFAULTS: ReadonlyMap<string, string> = new Map([
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
]);

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
  ['net.ipv4.tcp_timestamps', '1'],
  ['net.ipv4.tcp_sack', '1'],
  ['net.ipv4.tcp_window_scaling', '1'],
  ['net.ipv4.tcp_rmem', '4096\t131072\t33554432'],
  ['net.core.rmem_max', '4194304'],
]);

const CONF = 'net.ipv4.conf.';
const NEIGH = 'net.ipv4.neigh.';

/** SysctlKey is a parsed key: a namespace-wide one, or a per-device one with its device and parameter. */
export type SysctlKey =
  | { readonly kind: 'global'; readonly key: string; readonly def: string }
  | { readonly kind: 'conf' | 'neigh'; readonly key: string; readonly dev: string; readonly param: string; readonly def: string };

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
  ] as const) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.lastIndexOf('.');
    if (dot <= 0) return null;
    const dev = rest.slice(0, dot);
    const param = rest.slice(dot + 1);
    const def = table.get(param);
    if (def === undefined) return null;
    const special = kind === 'conf' ? dev === 'all' || dev === 'default' : dev === 'default';
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
  if (value === k.def) ns.sysctl.delete(k.key);
  else ns.sysctl.set(k.key, value);
}

/** confGet reads net.ipv4.conf.DEV.KEY as a number. */
export function confGet(ns: Netns, dev: string, param: string): number {
  return Number(ns.sysctl.get(`${CONF}${dev}.${param}`) ?? CONF_DEFAULTS.get(param) ?? '0');
}

/** neighParm reads net.ipv4.neigh.DEV.KEY as a number. */
export function neighParm(ns: Netns, dev: string, param: string): number {
  return Number(ns.sysctl.get(`${NEIGH}${dev}.${param}`) ?? NEIGH_DEFAULTS.get(param) ?? '0');
}

/** globalGet reads a namespace-wide key. */
export function globalGet(ns: Netns, key: string): string {
  return ns.sysctl.get(key) ?? GLOBAL_DEFAULTS.get(key) ?? '0';
}

/** devSysctlInit gives a new device its conf and neigh entries: copies of `default`'s (devinet_init_net). */
export function devSysctlInit(ns: Netns, name: string): void {
  for (const param of CONF_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${CONF}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${CONF}${name}.${param}`, v);
  }
  for (const param of NEIGH_DEFAULTS.keys()) {
    const v = ns.sysctl.get(`${NEIGH}default.${param}`);
    if (v !== undefined) ns.sysctl.set(`${NEIGH}${name}.${param}`, v);
  }
}

/** devSysctlMove renames a device's entries, or drops them when `to` is null (the device left or died). */
export function devSysctlMove(ns: Netns, oldName: string, newName: string | null): void {
  for (const [prefix, table] of [
    [CONF, CONF_DEFAULTS],
    [NEIGH, NEIGH_DEFAULTS],
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

/**
 * sysctlWrite writes a key as sysctl(8) -w does and returns sysctl's error line, or null. Writing
 * ip_forward or conf.all.forwarding sets forwarding on `default` and every device (inet_forward_change).
 */
export function sysctlWrite(ns: Netns, rawKey: string, value: string): string | null {
  const key = sysctlKey(rawKey);
  const k = parseSysctlKey(ns, key);
  if (k === null) return `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`;
  if (!/^-?\d+(\s+-?\d+)*$/.test(value.trim())) return `sysctl: setting key "${key}": Invalid argument`;
  const v = sysctlValue(value);
  sysctlStore(ns, k, v);
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    const on = v === '0' ? '0' : '1';
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
