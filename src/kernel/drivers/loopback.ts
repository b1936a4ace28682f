// The loopback device (drivers/net/loopback.c): every namespace's `lo`, ifindex 1. What it sends it
// receives, in the same step's successor, with a zeroed Ethernet header.

import type { LinkDriver } from '../driver.js';
import { LOOPBACK_DETAILS } from '../linkinfo.js';

/** loopbackDriver is `lo`. */
export const loopbackDriver: LinkDriver = {
  kind: 'loopback',
  linkType: 'loopback',
  flags: ['LOOPBACK'],
  defaultMtu: 65536,
  minMtu: 0,
  maxMtu: 0,
  txqlen: 1000,
  randomMac: false,
  reportsCarrier: false,
  l3: false,
  netnsLocal: true,
  fdbOwner: false,
  carrier: () => true,
  xmit(tx, nsKey, l, frame) {
    tx.schedule({ kind: 'rx', ns: nsKey, ifindex: l.ifindex, frame }, 0);
  },
  details: () => LOOPBACK_DETAILS,
};
