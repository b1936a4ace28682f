// Link drivers and the step context they run in. Each link kind (loopback, veth, bridge here; vxlan
// and ipip in src/encap) is one module behind LinkDriver, the way a Linux driver fills struct
// net_device_ops and struct rtnl_link_ops (include/linux/netdevice.h, include/net/rtnetlink.h):
// transmit, receive hooks, carrier, and the attributes `ip -d link` prints. The data path
// (stack.ts) dispatches on the registry and holds no kind-specific code.

import type { Ipv4 } from '../model/addr.js';
import type { FibStore } from '../model/fibstore.js';
import type { Ipv4Decoded, UdpDecoded } from '../model/wire/index.js';
import type { Link, LinkKind, Netns, UdpEncapSocket, WorldView } from '../model/world.js';
import type { LinkDetails } from './linkinfo.js';
import type { TraceEvent } from './trace.js';

/** SimEvent is something scheduled on the virtual clock. */
export type SimEvent =
  | { readonly kind: 'rx'; readonly ns: string; readonly ifindex: number; readonly frame: Uint8Array }
  | { readonly kind: 'neigh-timer'; readonly ns: string; readonly ip: Ipv4; readonly dev: number }
  | { readonly kind: 'proxy-arp'; readonly ns: string; readonly ifindex: number; readonly frame: Uint8Array }
  | { readonly kind: 'app'; readonly id: number };

/** LocalPacket is an IPv4 datagram delivered to this host's sockets (after ICMP echo handling). */
export interface LocalPacket {
  readonly ns: string;
  readonly ip: Ipv4Decoded;
  readonly dev: number;
}

/**
 * Tx is one step of the simulation as handlers see it: the namespaces to read and change, and where
 * what they emit goes. While a trace records, `ns` hands out immer drafts, so changes never touch
 * the snapshots of earlier events; otherwise it hands out the live records.
 */
export interface Tx {
  /** now is the virtual clock in microseconds. */
  readonly now: number;
  /** drivers is the registry of link kinds this simulator has. */
  readonly drivers: DriverRegistry;
  /** view reads the world as this step has changed it so far, without taking anything for change. */
  readonly view: WorldView;
  /** ns returns a namespace to read and change, or undefined when there is none. */
  ns(key: string): Netns | undefined;
  /** fib returns the namespace's FIB ready to change (copied first when a snapshot holds it). */
  fib(ns: Netns): FibStore;
  /** addNs registers a new namespace (it goes last in the creation order). */
  addNs(key: string, ns: Netns): void;
  /** delNs unregisters a namespace. */
  delNs(key: string): void;
  /** nsKeys lists every namespace key in creation order. */
  nsKeys(): readonly string[];
  /** nextSeq returns the next value of the world's deterministic counter (random MACs, ids). */
  nextSeq(): number;
  schedule(ev: SimEvent, delayUs: number): void;
  trace(ev: TraceEvent): void;
  deliver(p: LocalPacket): void;
  /** capture lets the engine see every frame a device sends or receives (tcpdump). */
  capture(ns: string, ifindex: number, frame: Uint8Array): void;
  /**
   * capturing says whether a capture has device `ifindex` open: tcpdump opens it promiscuous
   * (PACKET_MR_PROMISC raises dev->promiscuity), which changes what a bridge passes up.
   */
  capturing(ns: string, ifindex: number): boolean;
  /**
   * flooded tells the engine that bridge `bridge` of namespace `ns` flooded `frame`. The kernel has
   * no loop protection without STP; the engine watches for the same frame coming round again and
   * again, a broadcast storm, and stops the run there.
   */
  flooded(ns: string, bridge: string, frame: Uint8Array): void;
}

/** LinkType is the ARPHRD type of a device, which decides its header and what `link/TYPE` prints. */
export type LinkType = 'ether' | 'loopback' | 'ipip';

/** LinkCreate is a new device as `ip link add` asks for it, before its driver fills in its own parts. */
export interface LinkCreate {
  readonly name: string;
  /** options are the kind-specific words of `ip link add … type KIND OPTIONS`, parsed by the ip tool. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** LinkDriver is one link kind: its fixed properties and its operations. */
export interface LinkDriver {
  readonly kind: LinkKind;
  readonly linkType: LinkType;
  /** flags are the IFF_ flags the device type always has, as `ip link` names them (BROADCAST, MULTICAST, LOOPBACK, NOARP). */
  readonly flags: readonly string[];
  readonly defaultMtu: number;
  readonly minMtu: number;
  readonly maxMtu: number;
  readonly txqlen: number;
  /** randomMac says whether a new device gets a random MAC (eth_hw_addr_random); otherwise all zeros. */
  readonly randomMac: boolean;
  /** reportsCarrier is false for devices whose operstate stays UNKNOWN (loopback, vxlan, ipip). */
  readonly reportsCarrier: boolean;
  /** l3 marks a device without a link-layer header (ipip): output hands it the IP packet, no neighbour resolution. */
  readonly l3: boolean;
  /** netnsLocal marks a device that cannot move to another namespace (NETIF_F_NETNS_LOCAL). */
  readonly netnsLocal: boolean;
  /** fdbOwner marks a device with its own forwarding table (ndo_fdb_add), like vxlan. */
  readonly fdbOwner: boolean;

  /** carrier is netif_carrier_ok for an up device. */
  carrier(view: WorldView, drivers: DriverRegistry, nsKey: string, l: Link): boolean;
  /**
   * operstateUnknown says an up device still reports IF_OPER_UNKNOWN because no carrier change ever
   * reached linkwatch (a bridge that never had a port); devices with reportsCarrier false always do.
   */
  operstateUnknown?(view: WorldView, nsKey: string, l: Link): boolean;
  /**
   * xmit is ndo_start_xmit: an Ethernet frame (an IP packet for an l3 device) leaving through `l`. It
   * returns false for NET_XMIT_DROP, a drop it counted itself (the frame is then not counted as sent).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a driver that never drops returns nothing.
  xmit(tx: Tx, nsKey: string, l: Link, frame: Uint8Array): boolean | void;
  /** create checks the kind-specific options of `ip link add` and fills the new device; it returns the error line, or null. */
  create?(tx: Tx, nsKey: string, l: Link, opts: LinkCreate): string | null;
  /** open runs when the device goes up (ndo_open); it returns the error line, or null. */
  open?(tx: Tx, nsKey: string, l: Link): string | null;
  /** stop runs when the device goes down (ndo_stop). */
  stop?(tx: Tx, nsKey: string, l: Link): void;
  /** uninit runs before the device is unregistered or leaves the namespace. */
  uninit?(tx: Tx, nsKey: string, l: Link): void;
  /** portRx is the rx_handler a master device installs on its ports (br_handle_frame). */
  portRx?(tx: Tx, nsKey: string, port: Link, master: Link, frame: Uint8Array): void;
  /** enslave makes `port` a port of master device `l` (ndo_add_slave); it returns the error line, or null. */
  enslave?(tx: Tx, nsKey: string, l: Link, port: Link): string | null;
  /** release removes `port` from master device `l` (ndo_del_slave). */
  release?(tx: Tx, nsKey: string, l: Link, port: Link): void;
  /**
   * carrierChanged tells a master that it, one of its ports, or a port's peer went up or down or lost
   * carrier (the NETDEV_UP / NETDEV_DOWN / NETDEV_CHANGE notifiers a bridge listens to).
   */
  carrierChanged?(tx: Tx, nsKey: string, l: Link, changed: Link): void;
  /** changeMtu checks a new MTU beyond min/max (ndo_change_mtu); it returns the error line, or null. */
  changeMtu?(view: WorldView, nsKey: string, l: Link, mtu: number): string | null;
  /**
   * autoMtu is the MTU a master wants after a port joined, left or changed its MTU (br_mtu_auto_adjust),
   * or null when it keeps its own.
   */
  autoMtu?(tx: Tx, nsKey: string, l: Link): number | null;
  /** addressChanged tells a master that a port's or its own MAC changed. */
  addressChanged?(tx: Tx, nsKey: string, l: Link, changed: Link, oldMac: string): void;
  /** encapRcv takes a datagram arriving on a UDP tunnel socket this kind opened; true when consumed. */
  encapRcv?(tx: Tx, nsKey: string, sock: UdpEncapSocket, ip: Ipv4Decoded, udp: UdpDecoded): boolean;
  /**
   * iflink is what the device reports as IFLA_LINK (dev_get_iflink) when that is not its own ifindex: a
   * veth's peer (in the namespace it lives in), a tunnel's lower device (0: `@NONE`).
   */
  iflink?(view: WorldView, nsKey: string, l: Link): { readonly ns: string; readonly ifindex: number } | undefined;
  /** pernetInit runs for every new namespace while the kind is loaded (ipip's fallback tunl0). */
  pernetInit?(tx: Tx, nsKey: string): void;
  /** details returns what `ip -d link` prints for the device, as data. */
  details(view: WorldView, nsKey: string, l: Link): LinkDetails;
}

/** DriverRegistry maps link kinds to their drivers. */
export class DriverRegistry {
  private readonly byKind = new Map<LinkKind, LinkDriver>();

  /** register adds a driver; a kind registers once. */
  register(d: LinkDriver): void {
    if (this.byKind.has(d.kind)) throw new Error(`link kind ${d.kind} registered twice`);
    this.byKind.set(d.kind, d);
  }

  /** get returns the driver of a kind, or undefined when the kind is unknown (`Error: Unknown device type.`). */
  get(kind: LinkKind): LinkDriver | undefined {
    return this.byKind.get(kind);
  }

  /** of returns the driver of an existing device. */
  of(l: Link): LinkDriver {
    const d = this.byKind.get(l.kind);
    if (d === undefined) throw new Error(`no driver for link kind ${l.kind}`);
    return d;
  }

  /** kinds lists the registered kinds. */
  kinds(): LinkKind[] {
    return [...this.byKind.keys()];
  }
}
