// A physical Ethernet NIC (a VMware vmxnet3 or any PCI NIC a node boots with), wired to a switch port:
// what it sends arrives on the port, which lives in the switch's namespace, and carrier needs the port
// up, as a cable to a switch port that is up. Unlike a veth it reports no peer (`ip link` prints no
// `@ifN` and no `link-netnsid`), has no rtnl_link_ops (no linkinfo under `ip -d link`, and `ip link del`
// is refused), sits on the PCI bus and has several queues, so dev_activate gives it the `mq` qdisc.
// Made by nicAdd (src/kernel/netns.ts); `ip link add` cannot make one.

import type { LinkDriver } from '../driver.js';
import { NETDEV_DEFAULTS } from '../linkinfo.js';
import { NIC_KIND } from '../netns.js';
import { vethDriver } from './veth.js';

/** NIC_MIN_MTU is vmxnet3's smallest MTU (VMXNET3_MIN_MTU). */
export const NIC_MIN_MTU = 60;

/** NIC_MAX_MTU is vmxnet3's largest MTU (VMXNET3_MAX_MTU). */
export const NIC_MAX_MTU = 9000;

/** NicInfo is what nicAdd records of a NIC in Link.info. */
export interface NicInfo {
  /** queues is its number of TX and RX queues. */
  readonly queues: number;
  /** parentDev is its PCI address. */
  readonly parentDev: string;
}

/** nicDriver is a node's physical NIC. */
export const nicDriver: LinkDriver = {
  kind: NIC_KIND,
  linkType: 'ether',
  flags: ['BROADCAST', 'MULTICAST'],
  defaultMtu: 1500,
  minMtu: NIC_MIN_MTU,
  maxMtu: NIC_MAX_MTU,
  txqlen: 1000,
  randomMac: true,
  reportsCarrier: true,
  l3: false,
  netnsLocal: false,
  fdbOwner: false,
  // The cable to the switch port is a point-to-point wire, as a veth's is: the same carrier and transmit.
  carrier: vethDriver.carrier,
  xmit: vethDriver.xmit,
  details(_view, _nsKey, l) {
    const info = l.info as unknown as NicInfo | undefined;
    const queues = info?.queues ?? 1;
    return {
      ...NETDEV_DEFAULTS,
      minMtu: NIC_MIN_MTU,
      maxMtu: NIC_MAX_MTU,
      numTxQueues: queues,
      numRxQueues: queues,
      parentBus: 'pci',
      parentDev: info?.parentDev ?? '0000:0b:00.0',
    };
  },
};
