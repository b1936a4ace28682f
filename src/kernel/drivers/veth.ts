// Virtual Ethernet pairs (drivers/net/veth.c): a frame sent on one end arrives on the other, which may
// live in another namespace. Carrier needs both ends up (veth_open / veth_close).

import { ETHERNET_HEADER_LEN } from '../../model/wire/index.js';
import type { LinkDriver } from '../driver.js';
import { VETH_DEFAULTS } from '../linkinfo.js';
import { drop, WIRE_DELAY_US } from '../stack.js';
import { DropReason } from '../trace.js';
import { bridgePortDetails } from './bridge.js';
import { withInet6 } from './common.js';

/** VLAN_HLEN is the room is_skb_forwardable leaves beyond the MTU and the Ethernet header for a VLAN tag. */
const VLAN_HLEN = 4;

/** vethDriver is `type veth`. */
export const vethDriver: LinkDriver = {
  kind: 'veth',
  linkType: 'ether',
  flags: ['BROADCAST', 'MULTICAST'],
  defaultMtu: 1500,
  minMtu: 68,
  maxMtu: 65535,
  txqlen: 1000,
  randomMac: true,
  reportsCarrier: true,
  l3: false,
  netnsLocal: false,
  fdbOwner: false,
  carrier(view, _drivers, _nsKey, l) {
    if (l.peer === undefined) return false;
    const peer = view.namespaces.get(l.peer.ns)?.links.get(l.peer.ifindex);
    return peer?.adminUp === true;
  },
  xmit(tx, nsKey, l, frame) {
    const peer = l.peer === undefined ? undefined : tx.ns(l.peer.ns)?.links.get(l.peer.ifindex);
    if (peer === undefined || !peer.adminUp) {
      l.stats.txDropped += 1;
      drop(tx, nsKey, DropReason.NoCarrier, l.name);
      return;
    }
    // veth_forward_skb → __dev_forward_skb: the peer takes frames up to its MTU plus the Ethernet and
    // a VLAN header (is_skb_forwardable); a longer one is counted in the peer's rx_dropped (core stats)
    // and this end's tx dropped (priv->dropped), and the sender sees NET_XMIT_DROP.
    if (frame.length > peer.mtu + ETHERNET_HEADER_LEN + VLAN_HLEN) {
      peer.stats.rxDropped += 1;
      l.stats.txDropped += 1;
      drop(tx, l.peer!.ns, DropReason.FragNeeded, peer.name);
      return false;
    }
    tx.schedule({ kind: 'rx', ns: l.peer!.ns, ifindex: l.peer!.ifindex, frame }, WIRE_DELAY_US);
    return true;
  },
  iflink: (_view, _nsKey, l) => l.peer,
  details(view, nsKey, l) {
    return bridgePortDetails(view, nsKey, l, withInet6(l, VETH_DEFAULTS));
  },
};
