// IPIP tunnels (RFC 2003; net/ipv4/ipip.c, ip_tunnel.c). Loading the module gives every namespace the
// fallback device `tunl0`, which Calico's Felix configures (MTU 1480, the node's tunnel address).
// Encapsulation is not modelled yet: what the device is asked to send is dropped with a named reason.

import type { LinkDriver, Tx } from '../kernel/driver.js';
import { IPIP_FALLBACK_DETAILS, IPIP_FALLBACK_INFO, IPIP_NETLINK_INFO_DEFAULTS, type IptunInfoData } from '../kernel/linkinfo.js';
import { createLink } from '../kernel/netns.js';
import { drop } from '../kernel/stack.js';
import { DropReason } from '../kernel/trace.js';

/** IPIP_MTU is tunl0's MTU: 1500 less the outer header. */
export const IPIP_MTU = 1480;

/** ipipDriver is `type ipip` and the fallback tunl0. */
export const ipipDriver: LinkDriver = {
  kind: 'ipip',
  linkType: 'ipip',
  flags: ['NOARP'],
  defaultMtu: IPIP_MTU,
  minMtu: 0,
  maxMtu: 0,
  txqlen: 1000,
  randomMac: false,
  reportsCarrier: false,
  l3: true,
  netnsLocal: false,
  fdbOwner: false,
  carrier: () => true,
  iflink: (_view, nsKey, l) => ({ ns: nsKey, ifindex: ((l.info as unknown as IptunInfoData | undefined) ?? IPIP_FALLBACK_INFO).link }),
  create(_tx, _nsKey, l) {
    l.info = IPIP_NETLINK_INFO_DEFAULTS as unknown as Readonly<Record<string, unknown>>;
    return null;
  },
  pernetInit(tx: Tx, nsKey: string) {
    // ip_tunnel_init_net: the fallback device of the namespace.
    createLink(tx, nsKey, 'ipip', 'tunl0', {});
    const l = tx.ns(nsKey)!.links.get(tx.ns(nsKey)!.linkNames.get('tunl0')!)!;
    l.info = IPIP_FALLBACK_INFO as unknown as Readonly<Record<string, unknown>>;
  },
  xmit(tx, nsKey, l) {
    drop(tx, nsKey, DropReason.IpipNoEncap, l.name, 'IPIP encapsulation is not modelled yet');
  },
  details(_view, _nsKey, l) {
    const info = (l.info as unknown as IptunInfoData | undefined) ?? IPIP_FALLBACK_INFO;
    return {
      ...IPIP_FALLBACK_DETAILS,
      ...(l.everUp ? { addrGenMode: 'eui64' as const } : {}),
      kind: { infoKind: 'ipip' as const, infoData: info },
    };
  },
};
