// The Linux bridge (net/bridge/br_input.c, br_forward.c, br_fdb.c, br_if.c, br_stp_if.c, br_stp.c,
// br_device.c) with STP off: ports forward as soon as they and the bridge are up with carrier, the
// bridge learns source addresses, floods what it does not know, and passes frames for itself up its
// own device.
//
// Carrier: a new bridge has carrier until br_port_state_selection first runs (a port is added or
// removed, the bridge's address is set, a port changes state); from then on it has carrier while a
// port forwards. Its bridge id carries the zero address until its address is set or a port joins.

import { type Mac, ZERO_MAC, macCompare, macFromBytes, macNumber, macNumberOfBytes } from '../../model/addr.js';
import { ETHERNET_HEADER_LEN, decodeEthernet } from '../../model/wire/index.js';
import type { FdbEntry, Link, WorldView } from '../../model/world.js';
import type { DriverRegistry, LinkDriver, Tx } from '../driver.js';
import {
  BRIDGE_DEFAULTS,
  BRIDGE_GC_START,
  BRIDGE_INFO_DEFAULTS,
  BRIDGE_PORT_INFO_DEFAULTS,
  BRIDGE_PORT_PRIORITY_DEFAULT,
  BR_PORT_BITS,
  GSO_MAX_SIZE,
  type LinkDetails,
  type LinkDetailsBase,
  TSO_LEGACY_MAX_SIZE,
} from '../linkinfo.js';
import { neighCarrierDown } from '../arp.js';
import { devXmit, devXmitLink, drop, l3Rx } from '../stack.js';
import { DropReason } from '../trace.js';
import { withInet6 } from './common.js';

/** BridgePort is one port: its ifindex, its port number, and since when (µs) it forwards. */
interface BridgePort {
  ifindex: number;
  no: number;
  forwardingSince?: number;
}

/** BridgeState is what a bridge keeps besides its FDB (changed in place, like the rest of a Link). */
interface BridgeState {
  /** ports are ascending by ifindex. */
  ports: BridgePort[];
  /** portList is br->port_list: the ports' ifindexes, newest first (br_add_if adds at the head), the order floods take. */
  portList: number[];
  /** freeNos are port numbers given back, ascending; new ports take the lowest (find_portno). */
  freeNos: number[];
  /** nextNo is one more than the highest port number ever given. */
  nextNo: number;
  /** selected is set once br_port_state_selection ran: carrier then follows the ports. */
  selected: boolean;
  /** forwarding counts the ports that forward (br_port_state_selection's liveports). */
  forwarding: number;
  /** idSet is set once the bridge id took the bridge's address (its address was set, or a port joined). */
  idSet: boolean;
  /** tsoMaxSize is the smallest of its ports' since the first one joined (br_set_gso_limits). */
  tsoMaxSize: number;
  /** upSince is when the bridge came up (its gc timer runs from then), if it is up. */
  upSince?: number;
  /** mtuSetByUser is BROPT_MTU_SET_BY_USER: once the bridge's MTU was set, it no longer follows its ports. */
  mtuSetByUser: boolean;
}

function state(l: Link): BridgeState {
  return l.info as unknown as BridgeState;
}

/** portIndex finds a port's position in the ascending list, or where it would go (binary search). */
function portIndex(ports: readonly BridgePort[], ifindex: number): number {
  let lo = 0;
  let hi = ports.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ports[mid].ifindex < ifindex) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function portLinks(tx: Tx, nsKey: string, br: Link): Link[] {
  const ns = tx.ns(nsKey)!;
  const out: Link[] = [];
  for (const p of state(br).ports) {
    const l = ns.links.get(p.ifindex);
    if (l !== undefined) out.push(l);
  }
  return out;
}

/** portForwards says whether a port forwards: it and its bridge are up and it has carrier (STP off). */
function portForwards(view: WorldView, drivers: DriverRegistry, nsKey: string, br: Link, port: Link): boolean {
  return br.adminUp && port.adminUp && drivers.of(port).carrier(view, drivers, nsKey, port);
}

/** selectPort sets one port's state from what it and the bridge are now. */
function selectPort(tx: Tx, nsKey: string, br: Link, p: BridgePort): void {
  const l = tx.ns(nsKey)!.links.get(p.ifindex);
  const fwd = l !== undefined && portForwards(tx.view, tx.drivers, nsKey, br, l);
  if (fwd === (p.forwardingSince !== undefined)) return;
  const s = state(br);
  if (fwd) {
    p.forwardingSince = tx.now;
    s.forwarding++;
  } else {
    p.forwardingSince = undefined;
    s.forwarding--;
    // br_stp_disable_port → br_fdb_delete_by_port: what was learned on the port goes, static entries stay.
    if (br.fdb.some((f) => f.port === p.ifindex && !f.local && !f.permanent)) {
      br.fdb = br.fdb.filter((f) => f.port !== p.ifindex || f.local || f.permanent);
    }
  }
}

/**
 * portStateSelection is br_port_state_selection: the ports' states from what they and the bridge are
 * now (only `port`'s when one port changed). From then on the bridge's carrier follows its ports.
 */
function portStateSelection(tx: Tx, nsKey: string, br: Link, port?: Link): void {
  const s = state(br);
  const had = hasCarrier(s);
  if (port !== undefined) {
    const i = portIndex(s.ports, port.ifindex);
    if (i < s.ports.length && s.ports[i].ifindex === port.ifindex) selectPort(tx, nsKey, br, s.ports[i]);
  } else {
    for (const p of s.ports) selectPort(tx, nsKey, br, p);
  }
  s.selected = true;
  carrierChange(tx, nsKey, br, had);
}

/** hasCarrier is the bridge's carrier: until the first state selection, then while a port forwards. */
function hasCarrier(s: BridgeState): boolean {
  return !s.selected || s.forwarding > 0;
}

/** carrierChange follows the bridge losing carrier: its neighbours go (NETDEV_CHANGE → neigh_carrier_down). */
function carrierChange(tx: Tx, nsKey: string, br: Link, had: boolean): void {
  if (had && br.adminUp && !hasCarrier(state(br))) neighCarrierDown(tx, nsKey, br.ifindex);
}

/**
 * FdbIndex finds a bridge's first non-`self` entry for an address (what br_fdb_find gives), by the
 * address as a number. It is derived from the FDB list and kept for one list object of one length:
 * whoever changes the list (`bridge fdb add`, a port leaving) replaces it or changes its length, and
 * the entries this file changes in place it changes in the index too.
 */
interface FdbIndex {
  readonly length: number;
  readonly byMac: Map<number, FdbEntry>;
}

const fdbIndexes = new WeakMap<readonly FdbEntry[], FdbIndex>();

function fdbIndex(br: Link): Map<number, FdbEntry> {
  const list = br.fdb;
  const ix = fdbIndexes.get(list);
  if (ix !== undefined && ix.length === list.length) return ix.byMac;
  const byMac = new Map<number, FdbEntry>();
  for (const f of list) {
    if (f.self) continue;
    const k = macNumber(f.mac);
    if (!byMac.has(k)) byMac.set(k, f);
  }
  fdbIndexes.set(list, { length: list.length, byMac });
  return byMac;
}

/** fdbFind is br_fdb_find for the address at `offset` of a frame. */
function fdbFind(br: Link, frame: Uint8Array, offset: number): FdbEntry | undefined {
  return fdbIndex(br).get(macNumberOfBytes(frame, offset));
}

/** bridgeInput is br_handle_frame: learn the source, then deliver up, forward or flood. */
function bridgeInput(tx: Tx, nsKey: string, port: Link, br: Link, frame: Uint8Array): void {
  if (!br.adminUp) {
    drop(tx, nsKey, DropReason.NotBridgeForwarding, port.name);
    return;
  }
  if (frame.length < ETHERNET_HEADER_LEN) {
    const eth = decodeEthernet(frame);
    drop(tx, nsKey, DropReason.BadHeader, port.name, eth.ok ? undefined : eth.error);
    return;
  }
  // The group bit is the lowest bit of the first octet (broadcast included).
  if ((frame[6] & 1) === 0) fdbLearn(tx, br, port.ifindex, frame);
  if ((frame[0] & 1) === 1) {
    bridgeFlood(tx, nsKey, br, frame, port.ifindex);
    bridgeLocalIn(tx, nsKey, br, frame);
    return;
  }
  const entry = fdbFind(br, frame, 0);
  if (entry?.local) {
    bridgeLocalIn(tx, nsKey, br, frame);
    return;
  }
  // A promiscuous bridge (`promisc on`, or a capture on it) also passes up what it forwards
  // (br_handle_frame_finish's local_rcv), after forwarding it.
  const localRcv = br.promisc === true || tx.capturing(nsKey, br.ifindex);
  if (entry !== undefined) {
    if (entry.port === port.ifindex) drop(tx, nsKey, DropReason.BridgeSamePort, port.name);
    else devXmit(tx, nsKey, entry.port, frame);
  } else {
    bridgeFlood(tx, nsKey, br, frame, port.ifindex);
  }
  if (localRcv) bridgeLocalIn(tx, nsKey, br, frame);
}

/** fdbLearn is br_fdb_update for the frame's source address: refresh the entry, move it to the new port, or add it first. */
function fdbLearn(tx: Tx, br: Link, port: number, frame: Uint8Array): void {
  const index = fdbIndex(br);
  const key = macNumberOfBytes(frame, 6);
  const existing = index.get(key);
  if (existing !== undefined) {
    if (existing.local || existing.permanent) return;
    if (existing.port === port) {
      existing.updated = tx.now;
      return;
    }
    const moved: FdbEntry = { ...existing, port, updated: tx.now };
    br.fdb[br.fdb.indexOf(existing)] = moved;
    index.set(key, moved);
    return;
  }
  const entry: FdbEntry = { mac: macFromBytes(frame, 6), port, local: false, permanent: false, self: false, updated: tx.now };
  br.fdb.unshift(entry);
  fdbIndexes.set(br.fdb, { length: br.fdb.length, byMac: index });
  index.set(key, br.fdb[0]);
}

function bridgeFlood(tx: Tx, nsKey: string, br: Link, frame: Uint8Array, except: number): void {
  tx.flooded(nsKey, br.name, frame);
  const links = tx.ns(nsKey)!.links;
  for (const ifindex of state(br).portList) {
    if (ifindex === except) continue;
    const l = links.get(ifindex);
    if (l === undefined || !l.adminUp) continue;
    devXmitLink(tx, nsKey, l, frame);
  }
}

/** bridgeLocalIn passes a frame up the bridge device itself (br_pass_frame_up). */
function bridgeLocalIn(tx: Tx, nsKey: string, br: Link, frame: Uint8Array): void {
  // The port's eth_type_trans pulled the Ethernet header before br_pass_frame_up counts the frame.
  br.stats.rxPackets += 1;
  br.stats.rxBytes += frame.length - ETHERNET_HEADER_LEN;
  tx.capture(nsKey, br.ifindex, frame);
  tx.trace({ kind: 'rx', ns: nsKey, dev: br.name, frame });
  l3Rx(tx, nsKey, br, frame);
}

/** replaceLocalFdb swaps a port's (or the bridge's own) local entry for its new address; fdb_insert adds at the head. */
function replaceLocalFdb(br: Link, port: number, oldMac: Mac, newMac: Mac): void {
  br.fdb = br.fdb.filter((f) => !(f.local && f.port === port && f.mac === oldMac));
  if (newMac !== ZERO_MAC) br.fdb.unshift({ mac: newMac, port, local: true, permanent: true, self: false, updated: 0 });
}

/**
 * refreshBridgeMac makes a bridge whose address was never set take the lowest port address
 * (br_stp_recalculate_bridge_id); with no port left that is the zero address.
 */
function refreshBridgeMac(tx: Tx, nsKey: string, br: Link): void {
  if (br.macSet) return;
  let lowest: Mac = ZERO_MAC;
  for (const p of portLinks(tx, nsKey, br)) if (lowest === ZERO_MAC || macCompare(p.mac, lowest) < 0) lowest = p.mac;
  if (br.mac !== lowest) {
    replaceLocalFdb(br, br.ifindex, br.mac, lowest);
    br.mac = lowest;
  }
}

/** lowerBoundNumber is the first position in an ascending list not below `x`. */
function lowerBoundNumber(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** timerLeft is what is left, in centiseconds, of a timer of `lengthCs` started at `since` (µs). */
function timerLeft(now: number, since: number, lengthCs: number): number {
  return Math.max(0, lengthCs - Math.floor((now - since) / 10_000));
}

/** bridgePortDetails adds a bridge port's data (br_port_fill_attrs) to a device's details, if it is a port. */
export function bridgePortDetails(view: WorldView, nsKey: string, l: Link, base: LinkDetails): LinkDetails {
  if (l.master === undefined) return base;
  const br = view.namespaces.get(nsKey)?.links.get(l.master);
  if (br === undefined || br.kind !== 'bridge') return base;
  const s = state(br);
  const p = s.ports[portIndex(s.ports, l.ifindex)];
  if (p === undefined || p.ifindex !== l.ifindex) return base;
  const id = (BRIDGE_PORT_PRIORITY_DEFAULT << BR_PORT_BITS) | p.no;
  const bridgeId = { priority: BRIDGE_INFO_DEFAULTS.priority, addr: s.idSet ? br.mac : ZERO_MAC };
  const forwarding = p.forwardingSince !== undefined;
  return {
    ...base,
    promiscuity: base.promiscuity + 1,
    allmulti: base.allmulti + 1,
    slave: {
      infoSlaveKind: 'bridge',
      infoSlaveData: {
        ...BRIDGE_PORT_INFO_DEFAULTS,
        state: forwarding ? 'forwarding' : 'disabled',
        id,
        no: p.no,
        designatedPort: id,
        designatedBridge: bridgeId,
        designatedRoot: bridgeId,
        // The forward delay timer runs once a port starts forwarding, even with STP off.
        forwardDelayTimer: forwarding ? timerLeft(view.now, p.forwardingSince!, BRIDGE_INFO_DEFAULTS.forwardDelay) : 0,
      },
    },
  };
}

/** bridgeDriver is `type bridge`. */
export const bridgeDriver: LinkDriver = {
  kind: 'bridge',
  linkType: 'ether',
  flags: ['BROADCAST', 'MULTICAST'],
  defaultMtu: 1500,
  minMtu: 68,
  maxMtu: 65535,
  txqlen: 1000,
  randomMac: true,
  reportsCarrier: true,
  l3: false,
  netnsLocal: true,
  fdbOwner: false,
  carrier(_view, _drivers, _nsKey, l) {
    return hasCarrier(state(l));
  },
  operstateUnknown: (_view, _nsKey, l) => !state(l).selected,
  create(tx, _nsKey, l) {
    const s: BridgeState = {
      ports: [],
      portList: [],
      freeNos: [],
      nextNo: 1,
      selected: false,
      forwarding: 0,
      idSet: false,
      tsoMaxSize: TSO_LEGACY_MAX_SIZE,
      mtuSetByUser: false,
    };
    l.info = s as unknown as Readonly<Record<string, unknown>>;
    // The bridge's own address has a local entry from the start (br_fdb_change_mac_address).
    l.fdb.push({ mac: l.mac, port: l.ifindex, local: true, permanent: true, self: false, updated: tx.now });
    return null;
  },
  open(tx, _nsKey, l) {
    state(l).upSince = tx.now;
    return null;
  },
  stop(_tx, _nsKey, l) {
    state(l).upSince = undefined;
  },
  xmit(tx, nsKey, br, frame) {
    // br_dev_xmit: frames the host sends through the bridge device.
    if (frame.length < ETHERNET_HEADER_LEN) return;
    if ((frame[0] & 1) === 0) {
      const entry = fdbFind(br, frame, 0);
      if (entry !== undefined && !entry.local) {
        devXmit(tx, nsKey, entry.port, frame);
        return;
      }
      if (entry?.local) return;
    }
    bridgeFlood(tx, nsKey, br, frame, -1);
  },
  portRx: bridgeInput,
  changeMtu(_view, _nsKey, l) {
    // br_change_mtu: an MTU set on the bridge itself stops br_mtu_auto_adjust.
    state(l).mtuSetByUser = true;
    return null;
  },
  autoMtu(tx, nsKey, br) {
    // br_mtu_auto_adjust: the smallest port's MTU (br_mtu_min), 1500 without ports.
    if (state(br).mtuSetByUser) return null;
    let min = 0;
    for (const p of portLinks(tx, nsKey, br)) if (!min || p.mtu < min) min = p.mtu;
    return min || 1500;
  },
  enslave(tx, nsKey, br, port) {
    if (port.kind === 'bridge' || port.kind === 'loopback') return 'RTNETLINK answers: Invalid argument';
    const s = state(br);
    const firstEver = s.nextNo === 1;
    const no = s.freeNos.length > 0 ? s.freeNos.shift()! : s.nextNo++;
    // br_set_gso_limits: from the first port on, the smallest of the ports'.
    const portTso = tx.drivers.of(port).details(tx.view, nsKey, port).tsoMaxSize;
    s.tsoMaxSize = Math.min(firstEver ? portTso : Math.min(s.tsoMaxSize, portTso), GSO_MAX_SIZE);
    s.ports.splice(portIndex(s.ports, port.ifindex), 0, { ifindex: port.ifindex, no });
    s.portList.unshift(port.ifindex);
    s.idSet = true;
    br.fdb.unshift({ mac: port.mac, port: port.ifindex, local: true, permanent: true, self: false, updated: tx.now });
    refreshBridgeMac(tx, nsKey, br);
    portStateSelection(tx, nsKey, br, port);
    return null;
  },
  release(tx, nsKey, br, port) {
    const s = state(br);
    const had = hasCarrier(s);
    const i = portIndex(s.ports, port.ifindex);
    if (i < s.ports.length && s.ports[i].ifindex === port.ifindex) {
      const [gone] = s.ports.splice(i, 1);
      s.portList = s.portList.filter((x) => x !== port.ifindex);
      if (gone.forwardingSince !== undefined) s.forwarding--;
      s.freeNos.splice(lowerBoundNumber(s.freeNos, gone.no), 0, gone.no);
    }
    br.fdb = br.fdb.filter((f) => f.port !== port.ifindex);
    refreshBridgeMac(tx, nsKey, br);
    s.selected = true;
    carrierChange(tx, nsKey, br, had);
  },
  carrierChanged(tx, nsKey, br, changed) {
    // br_stp_enable_port / br_stp_disable_port (a port) and br_stp_enable_bridge (the bridge itself).
    if (state(br).ports.length > 0) portStateSelection(tx, nsKey, br, changed.ifindex === br.ifindex ? undefined : changed);
  },
  addressChanged(tx, nsKey, br, changed, oldMac) {
    replaceLocalFdb(br, changed.ifindex, oldMac, changed.mac);
    if (changed.ifindex !== br.ifindex) {
      refreshBridgeMac(tx, nsKey, br);
      return;
    }
    // br_set_mac_address → br_stp_change_bridge_id: the id takes the address, and the ports are selected again.
    state(br).idSet = true;
    portStateSelection(tx, nsKey, br);
  },
  details(view, _nsKey, l) {
    const s = state(l);
    const id = { priority: BRIDGE_INFO_DEFAULTS.priority, addr: s.idSet ? l.mac : ZERO_MAC };
    // gc_timer runs once the bridge is up: HZ/10 first, then every ageing interval.
    let gc = 0;
    if (l.adminUp && s.upSince !== undefined) {
      const first = s.upSince + BRIDGE_GC_START * 10_000;
      if (view.now < first) gc = timerLeft(view.now, s.upSince, BRIDGE_GC_START);
      else {
        const period = BRIDGE_INFO_DEFAULTS.ageingTime * 10_000;
        gc = timerLeft(view.now, first + Math.floor((view.now - first) / period) * period, BRIDGE_INFO_DEFAULTS.ageingTime);
      }
    }
    const base: LinkDetailsBase = { ...BRIDGE_DEFAULTS, tsoMaxSize: s.tsoMaxSize };
    return withInet6(l, {
      ...base,
      kind: { infoKind: 'bridge', infoData: { ...BRIDGE_INFO_DEFAULTS, bridgeId: id, rootId: id, gcTimer: gc } },
    });
  },
};
