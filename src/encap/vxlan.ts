// VXLAN devices (RFC 7348; drivers/net/vxlan/vxlan_core.c): Ethernet frames carried in UDP towards
// the VTEP their forwarding database names, and taken out of UDP on the device's port. Calico's
// vxlan.calico is one: VNI 4096, port 4789, nolearning, static FDB and ARP entries from Felix.

import type { Ipv4 } from '../model/addr.js';
import { ZERO_MAC } from '../model/addr.js';
import {
  EtherType,
  IpProtocol,
  type Ipv4Repr,
  decodeEthernet,
  decodeVxlan,
  encodeIpv4,
  encodeUdp,
  encodeVxlan,
} from '../model/wire/index.js';
import type { Link } from '../model/world.js';
import type { LinkDriver } from '../kernel/driver.js';
import { VXLAN_DEFAULTS, VXLAN_HEADROOM, VXLAN_INFO_DEFAULTS, VXLAN_LEGACY_PORT } from '../kernel/linkinfo.js';
import { linkByName } from '../kernel/netns.js';
import { neighOutput } from '../kernel/arp.js';
import { drop, ipRouteOutput, netifRx } from '../kernel/stack.js';
import { DropReason } from '../kernel/trace.js';
import { bridgePortDetails } from '../kernel/drivers/bridge.js';
import { withInet6 } from '../kernel/drivers/common.js';

/** VxlanInfo is a VXLAN device's configuration (ip-link(8) `type vxlan`). */
export interface VxlanInfo {
  readonly vni: number;
  readonly dstport: number;
  /** local is the source address of the outer packets, 0 for none. */
  readonly local: Ipv4;
  /** dev is the underlay link's ifindex, 0 for none. */
  readonly dev: number;
  readonly learning: boolean;
}

/** VxlanCreate is what `ip link add NAME type vxlan …` asks for. */
export interface VxlanCreate {
  readonly vni: number;
  readonly dstport: number | null;
  readonly local: Ipv4 | null;
  readonly dev: string | null;
  readonly learning: boolean;
}

/** vxlanInfo returns a VXLAN device's configuration. */
export function vxlanInfo(l: Link): VxlanInfo {
  return l.info as unknown as VxlanInfo;
}

/** udpFlowSrcPort is udp_flow_src_port: a hash of the inner flow inside the local port range, the same both ways. */
function udpFlowSrcPort(frame: Uint8Array, inner: Uint8Array, isIpv4: boolean): number {
  let h = 0;
  if (isIpv4 && inner.length >= 20) {
    const a = ((inner[12] << 24) | (inner[13] << 16) | (inner[14] << 8) | inner[15]) >>> 0;
    const b = ((inner[16] << 24) | (inner[17] << 16) | (inner[18] << 8) | inner[19]) >>> 0;
    h = (Math.imul(Math.min(a, b) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.max(a, b), 0xc2b2ae35) ^ inner[9]) >>> 0;
  } else {
    for (let i = 0; i < Math.min(frame.length, 64); i++) h = (Math.imul(h, 31) + frame[i]) >>> 0;
  }
  return 32768 + (h % (60999 - 32768 + 1));
}

/** vxlanDriver is `type vxlan`. */
export const vxlanDriver: LinkDriver = {
  kind: 'vxlan',
  linkType: 'ether',
  flags: ['BROADCAST', 'MULTICAST'],
  defaultMtu: 1500,
  minMtu: 68,
  maxMtu: 65535,
  txqlen: 1000,
  randomMac: true,
  reportsCarrier: false,
  l3: false,
  netnsLocal: false,
  fdbOwner: true,
  carrier: () => true,
  create(tx, nsKey, l, opts) {
    const o = opts.options as unknown as VxlanCreate;
    let dev = 0;
    if (o.dev !== null) {
      const d = linkByName(tx.ns(nsKey)!, o.dev);
      if (d === undefined) return `Cannot find device "${o.dev}"`;
      dev = d.ifindex;
      // vxlan_config_apply: a device bound to a lower one takes its MTU less the headers.
      l.mtu = d.mtu - VXLAN_HEADROOM;
    }
    const info: VxlanInfo = { vni: o.vni, dstport: o.dstport || VXLAN_LEGACY_PORT, local: o.local ?? 0, dev, learning: o.learning };
    l.info = info as unknown as Readonly<Record<string, unknown>>;
    return null;
  },
  changeMtu(view, nsKey, l, mtu) {
    // vxlan_change_mtu: bound to a lower device, at most its MTU less the headers.
    const lower = vxlanInfo(l).dev === 0 ? undefined : view.namespaces.get(nsKey)?.links.get(vxlanInfo(l).dev);
    if (lower !== undefined && mtu > lower.mtu - VXLAN_HEADROOM) return 'RTNETLINK answers: Invalid argument';
    return null;
  },
  open(tx, nsKey, l) {
    // vxlan_open → vxlan_sock_add: the device's UDP tunnel socket on its port.
    const ns = tx.ns(nsKey)!;
    const port = vxlanInfo(l).dstport;
    if (!ns.udpEncap.has(port)) ns.udpEncap.set(port, { kind: 'vxlan', ifindex: l.ifindex });
    return null;
  },
  stop(tx, nsKey, l) {
    const ns = tx.ns(nsKey)!;
    const port = vxlanInfo(l).dstport;
    const others = [...ns.links.values()].some((o) => o !== l && o.kind === 'vxlan' && o.adminUp && vxlanInfo(o).dstport === port);
    if (!others) ns.udpEncap.delete(port);
  },
  xmit(tx, nsKey, l, frame) {
    const eth = decodeEthernet(frame);
    const info = vxlanInfo(l);
    if (!eth.ok) return;
    const dst = eth.value.repr.dst;
    let remotes = l.fdb.filter((f) => f.mac === dst && f.dst !== undefined);
    if (remotes.length === 0) remotes = l.fdb.filter((f) => f.mac === ZERO_MAC && f.dst !== undefined);
    if (remotes.length === 0) {
      drop(tx, nsKey, DropReason.VxlanNoFdb, l.name);
      return;
    }
    const ns = tx.ns(nsKey)!;
    for (const r of remotes) {
      const payload = encodeVxlan({ vni: info.vni }, frame);
      const srcPort = udpFlowSrcPort(frame, eth.value.payload, eth.value.repr.ethertype === EtherType.Ipv4);
      const route = ipRouteOutput(ns, r.dst!, 0);
      if ('errno' in route) {
        drop(tx, nsKey, DropReason.NoRoute, l.name);
        continue;
      }
      const src = info.local || route.prefsrc;
      const udp = encodeUdp({ srcPort, dstPort: info.dstport }, payload, src, r.dst!);
      const repr: Ipv4Repr = {
        src,
        dst: r.dst!,
        protocol: IpProtocol.Udp,
        ttl: 64,
        ident: 0,
        tos: 0,
        dontFrag: false,
        moreFrags: false,
        fragOffset: 0,
      };
      const packet = encodeIpv4(repr, udp);
      tx.trace({ kind: 'encap', ns: nsKey, dev: l.name, outer: packet });
      neighOutput(tx, nsKey, route.dev, route.nexthop, packet, true);
    }
  },
  encapRcv(tx, nsKey, _sock, ip, udp) {
    const ns = tx.ns(nsKey)!;
    const vx = decodeVxlan(udp.payload);
    if (!vx.ok) return false;
    const port = udp.repr.dstPort;
    const dev = [...ns.links.values()].find(
      (l) => l.kind === 'vxlan' && l.adminUp && vxlanInfo(l).dstport === port && vxlanInfo(l).vni === vx.value.repr.vni,
    );
    if (dev === undefined) return false;
    const inner = vx.value.payload;
    tx.trace({ kind: 'decap', ns: nsKey, dev: dev.name, inner });
    if (vxlanInfo(dev).learning) {
      const eth = decodeEthernet(inner);
      if (eth.ok && !dev.fdb.some((f) => f.mac === eth.value.repr.src)) {
        dev.fdb.push({
          mac: eth.value.repr.src,
          port: dev.ifindex,
          dst: ip.repr.src,
          local: false,
          permanent: false,
          self: true,
          updated: tx.now,
        });
      }
    }
    netifRx(tx, nsKey, dev.ifindex, inner);
    return true;
  },
  details(view, nsKey, l) {
    const info = vxlanInfo(l);
    const lower = info.dev === 0 ? undefined : view.namespaces.get(nsKey)?.links.get(info.dev);
    const base = {
      ...VXLAN_DEFAULTS,
      ...(lower !== undefined ? { tsoMaxSize: lower.kind === 'veth' ? 524280 : VXLAN_DEFAULTS.tsoMaxSize } : {}),
      kind: {
        infoKind: 'vxlan' as const,
        infoData: { ...VXLAN_INFO_DEFAULTS, id: info.vni, local: info.local, link: info.dev, port: info.dstport, learning: info.learning },
      },
    };
    return bridgePortDetails(view, nsKey, l, withInet6(l, base));
  },
};
