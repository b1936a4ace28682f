// The IPv6 addresses the kernel gives a device by itself, as net/ipv6/addrconf.c makes them: the
// link-local address of an Ethernet-like device, fe80::/64 with the modified EUI-64 interface
// identifier of its MAC (RFC 4291 §2.5.1 and appendix A; addrconf_dev_config, addrconf_addr_gen,
// addrconf_ifid_eui48), `tentative` until duplicate address detection ends (RFC 4862 §5.4;
// addrconf_dad_kick), and loopback's ::1/128 (init_loopback). addrconf_notify makes them when an up
// device's link is ready (netif_oper_up: operstate UP or UNKNOWN) and IPv6 is not disabled for it;
// addrconf_ifdown removes them when the device goes down, its MTU drops below 1280 (no inet6_dev) or
// disable_ipv6 is set. Losing carrier keeps them. Only the addresses are modelled: no IPv6 packet
// (no DAD neighbour solicitation, no MLD report, no router solicitation) is ever sent.

import type { Mac } from '../model/addr.js';
import { type Inet6Addr, type Link, type Netns, RouteScope, type WorldView } from '../model/world.js';
import type { Tx } from './driver.js';
import { IPV6_MIN_MTU } from './linkinfo.js';
import { conf6Get } from './sysctl.js';

/**
 * DAD_US is how long a new link-local address stays `tentative`: addrconf_dad_kick waits a random
 * time below rtr_solicit_delay (1 s) before the one probe of dad_transmits (1), then retrans_time
 * (1 s) for an answer. The kernel's wait is 1 to 2 s; the simulator takes the middle.
 */
export const DAD_US = 1_500_000;

/**
 * formatIpv6 writes an address of eight 16-bit groups as glibc's inet_ntop does (RFC 5952): lowercase
 * hex without leading zeros, the longest run of two or more zero groups (the first on a tie) as `::`,
 * and an IPv4-compatible or IPv4-mapped address (`::a.b.c.d`, `::ffff:a.b.c.d`) with its last 32 bits
 * dotted.
 */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) best = -1;
  if (best === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff))) {
    const v4 = `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
    return bestLen === 5 ? `::ffff:${v4}` : `::${v4}`;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (best < 0) return hex(0, 8);
  return `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** eui64LinkLocal is the link-local address of a device with MAC `mac`: fe80::/64 and the MAC with ff:fe in its middle and the universal/local bit flipped. */
export function eui64LinkLocal(mac: Mac): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const id = [b[0] ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  return formatIpv6([0xfe80, 0, 0, 0, (id[0] << 8) | id[1], (id[2] << 8) | id[3], (id[4] << 8) | id[5], (id[6] << 8) | id[7]]);
}

/** ipv6Disabled reads net.ipv6.conf.DEV.disable_ipv6 of a device (idev->cnf.disable_ipv6). */
export function ipv6Disabled(ns: Netns, dev: string): boolean {
  return conf6Get(ns, dev, 'disable_ipv6') !== 0;
}

/** Addrconf is what addrconf reads of a device besides the link record: its type (dev->type) and flags. */
export interface Addrconf {
  /** linkType is the device's ARPHRD type as the driver names it. */
  readonly linkType: 'ether' | 'loopback' | 'ipip';
  /** noarp is IFF_NOARP: such a device does no duplicate address detection (accept_dad -1). */
  readonly noarp: boolean;
}

/**
 * autoAddrs lists the addresses addrconf_init_auto_addrs gives a device when its link becomes ready:
 * ::1/128 scope host on loopback; the EUI-64 link-local address on an Ethernet-like device, tentative
 * for DAD_US unless the device is NOARP; nothing on an IPIP tunnel, whose interface identifier comes
 * from its local address (__ipv6_isatap_ifid), which is 0.0.0.0 in every tunnel the model makes.
 */
export function autoAddrs(l: Link, dev: Addrconf, now: number): Inet6Addr[] {
  switch (dev.linkType) {
    case 'loopback':
      return [{ local: '::1', prefixlen: 128, scope: RouteScope.Host, dadUntil: 0 }];
    case 'ether':
      return [{ local: eui64LinkLocal(l.mac), prefixlen: 64, scope: RouteScope.Link, dadUntil: dev.noarp ? 0 : now + DAD_US }];
    default:
      return [];
  }
}

/**
 * addrconfUp is addrconf_notify(NETDEV_UP / NETDEV_CHANGE), `ready` saying whether the device's link
 * is ready (addrconf_link_ready): a device that is down, below IPV6_MIN_MTU (no inet6_dev), has IPv6
 * disabled or is already configured is left alone; otherwise, once its link is ready, it is
 * configured (IF_READY) and gets its addresses.
 */
export function addrconfUp(tx: Tx, nsKey: string, l: Link, dev: Addrconf, ready: () => boolean): void {
  if (!l.adminUp || l.inet6?.ready === true || l.mtu < IPV6_MIN_MTU) return;
  if (ipv6Disabled(tx.ns(nsKey)!, l.name) || !ready()) return;
  l.inet6 = { ready: true, addrs: autoAddrs(l, dev, tx.now) };
}

/** addrconfDown is addrconf_ifdown: every IPv6 address of the device goes and IF_READY is cleared. */
export function addrconfDown(l: Link): void {
  if (l.inet6 !== undefined) delete l.inet6;
}

/** Inet6Address is one IPv6 address as `ip addr` shows it at a moment. */
export interface Inet6Address {
  readonly local: string;
  readonly prefixlen: number;
  readonly scope: number;
  /** tentative is IFA_F_TENTATIVE: duplicate address detection has not finished. */
  readonly tentative: boolean;
}

/** inet6Addresses lists a link's IPv6 addresses at the view's time, in the order the kernel dumps them. */
export function inet6Addresses(view: WorldView, link: Link): Inet6Address[] {
  const addrs = link.inet6?.addrs;
  if (addrs === undefined) return [];
  return addrs.map((a) => ({ local: a.local, prefixlen: a.prefixlen, scope: a.scope, tentative: view.now < a.dadUntil }));
}

/**
 * linkLocalAddress returns a device's link-local address as inet_ntop writes it (e.g.
 * `fe80::ecee:eeff:feee:eeee`), tentative or not, or null when it has none. `nsKey` names the
 * namespace the link lives in.
 */
export function linkLocalAddress(view: WorldView, nsKey: string, link: Link): string | null {
  const l = view.namespaces.get(nsKey)?.links.get(link.ifindex) ?? link;
  const ll = l.inet6?.addrs.find((a) => a.scope === RouteScope.Link && a.local.startsWith('fe80:'));
  return ll?.local ?? null;
}

/** IfInet6Line is one /proc/net/if_inet6 line of a device, as ifconfig(8) reads it. */
export interface IfInet6Line {
  /** addr is the address as inet_ntop writes it (the file has 32 hex digits; ifconfig prints this form). */
  readonly addr: string;
  readonly prefixLen: number;
  /** scope is the address-type scope the file gives (ipv6_addr_scope): 0x10 host (::1), 0x20 link (fe80::/10), 0 global. */
  readonly scope: number;
  /** flags are the address's IFA_F_ flags: 0x80 permanent, 0x40 tentative. */
  readonly flags: number;
}

/** procIfInet6 lists a device's /proc/net/if_inet6 lines at the view's time, for ifconfig's `inet6` lines. */
export function procIfInet6(view: WorldView, link: Link): IfInet6Line[] {
  return inet6Addresses(view, link).map((a) => ({
    addr: a.local,
    prefixLen: a.prefixlen,
    scope: a.scope === RouteScope.Host ? 0x10 : a.scope === RouteScope.Link ? 0x20 : 0,
    flags: 0x80 | (a.tentative ? 0x40 : 0),
  }));
}
