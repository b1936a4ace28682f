// Calico's BIRD policy and naming (projectcalico/calico v3.29 confd/etc/calico/confd/templates/
// bird.cfg.template, bird_ipam.cfg.template, bird_aggr.cfg.template; confd/pkg/backends/calico/client.go):
// the export filter `calico_export_to_bgp_peers(internal)` then `reject`, the kernel filter
// `calico_kernel_programming`, the protocol names (Mesh_, Node_, Global_) and the passive rule of the mesh.

import { cidrContains, formatIpv4, type Cidr, type Ipv4 } from '../model/addr.js';
import { calicoProtocol, type BgpProtocolConfig } from './config.js';
import type { FilterResult, FilterRoute, RouteFilter } from './speaker.js';

/** CalicoPool is what the filters read of an IPPool. */
export interface CalicoPool {
  readonly cidr: Cidr;
  readonly disableBgpExport?: boolean;
  readonly ipipMode?: 'Always' | 'CrossSubnet' | 'Never';
  readonly vxlanMode?: 'Always' | 'CrossSubnet' | 'Never';
}

/** CalicoExportInput is the datastore content the export filter is generated from. */
export interface CalicoExportInput {
  readonly pools: readonly CalicoPool[];
  /** blocks are this node's affine blocks; `confirmed: false` blocks (pending) are not aggregated. */
  readonly blocks: readonly { readonly cidr: Cidr; readonly confirmed?: boolean }[];
  /** staticRoutes are BGPConfiguration prefixAdvertisements / static routes accepted as they are. */
  readonly staticRoutes?: readonly Cidr[];
  /** communities per prefix (apply_communities): added to routes inside `cidr`. */
  readonly communities?: readonly { readonly cidr: Cidr; readonly communities: readonly number[] }[];
}

/** netWithin is BIRD's `net ~ B`: the prefix lies inside B (or is B). */
export function netWithin(net: Cidr, b: Cidr): boolean {
  return net.len >= b.len && cidrContains(b, net.addr);
}

/** netEquals is BIRD's `net = B`. */
export function netEquals(net: Cidr, b: Cidr): boolean {
  return net.len === b.len && cidrContains(b, net.addr) && cidrContains(net, b.addr);
}

/**
 * calicoExportFilter is `export filter { calico_export_to_bgp_peers(internal); reject; }`: routes inside
 * a BGP-export-disabled pool are rejected; towards iBGP peers so are routes on `*.cali`/`*.calico`
 * interfaces, and everywhere those on `bpf*.cali`; communities are applied; a confirmed local block is
 * accepted and anything else inside it rejected; static routes, then routes inside an exportable pool,
 * are accepted; the rest is rejected.
 */
export function calicoExportFilter(input: CalicoExportInput, internalPeer: boolean): RouteFilter {
  return (r: FilterRoute): FilterResult => {
    for (const p of input.pools) if (p.disableBgpExport && netWithin(r.prefix, p.cidr)) return { accept: false };
    if (internalPeer && r.ifname !== undefined && (r.ifname.endsWith('.cali') || r.ifname.endsWith('.calico'))) return { accept: false };
    if (r.ifname?.startsWith('bpf') && r.ifname.endsWith('.cali')) return { accept: false };
    let attrs = r.attrs;
    for (const c of input.communities ?? [])
      if (netWithin(r.prefix, c.cidr)) {
        const cur = attrs.find((a) => a.type === 'communities');
        const list = cur && cur.type === 'communities' ? [...cur.communities] : [];
        for (const v of c.communities) if (!list.includes(v)) list.push(v);
        attrs = [...attrs.filter((a) => a.type !== 'communities'), { type: 'communities', flags: 0xc0, communities: list }];
      }
    const out = (accept: boolean): FilterResult => (accept ? { accept: true, attrs } : { accept: false });
    for (const b of input.blocks) {
      if (b.confirmed === false) continue;
      if (netEquals(r.prefix, b.cidr)) return out(true);
      if (netWithin(r.prefix, b.cidr)) return out(false);
    }
    for (const s of input.staticRoutes ?? []) if (netWithin(r.prefix, s)) return out(true);
    for (const p of input.pools) if (!p.disableBgpExport && netWithin(r.prefix, p.cidr)) return out(true);
    return out(false);
  };
}

/** KernelProgramming is calico_kernel_programming's verdict: not programmed, or programmed with `krt_tunnel`. */
export type KernelProgramming = { program: false } | { program: true; tunnel: string };

/**
 * calicoKernelFilter is `filter calico_kernel_programming`: VXLAN pools are Felix's (rejected); IPIP
 * Always pools go over tunl0; CrossSubnet pools over tunl0 unless the BGP next hop is in the node's
 * subnet; Never pools and everything outside the pools are programmed plainly.
 */
export function calicoKernelFilter(pools: readonly CalicoPool[], nodeSubnet: Cidr | null) {
  return (prefix: Cidr, bgpNextHop: Ipv4 | undefined): KernelProgramming => {
    if (nodeSubnet !== null)
      for (const p of pools) {
        if (!netWithin(prefix, p.cidr)) continue;
        if (p.vxlanMode && p.vxlanMode !== 'Never') return { program: false };
        if (p.ipipMode === 'CrossSubnet')
          return { program: true, tunnel: bgpNextHop !== undefined && cidrContains(nodeSubnet, bgpNextHop) ? '' : 'tunl0' };
        return { program: true, tunnel: p.ipipMode === 'Always' ? 'tunl0' : '' };
      }
    return { program: true, tunnel: '' };
  };
}

/** peerSuffix is the protocol name of a peer address: dots become underscores. */
function peerSuffix(ip: Ipv4): string {
  return formatIpv4(ip).replace(/\./g, '_');
}

/** meshProtocolName is `Mesh_10_23_14_111`. */
export function meshProtocolName(peer: Ipv4): string {
  return `Mesh_${peerSuffix(peer)}`;
}

/** nodePeerName is `Node_<ip>` (`_port_<n>` added for a custom port). */
export function nodePeerName(peer: Ipv4, port?: number): string {
  return `Node_${peerSuffix(peer)}${port !== undefined && port !== 179 ? `_port_${port}` : ''}`;
}

/** globalPeerName is `Global_<ip>` (`_port_<n>` added for a custom port). */
export function globalPeerName(peer: Ipv4, port?: number): string {
  return `Global_${peerSuffix(peer)}${port !== undefined && port !== 179 ? `_port_${port}` : ''}`;
}

/**
 * meshIsPassive is the template's `gt $onode_ip $node_ip`: a Go string comparison of the dotted quads,
 * so the node whose address sorts lower as text waits ("10.23.14.9" > "10.23.14.111").
 */
export function meshIsPassive(peerIp: Ipv4, ownIp: Ipv4): boolean {
  return formatIpv4(peerIp) > formatIpv4(ownIp);
}

/** meshProtocol is one node-to-node mesh protocol of a node, as confd renders it. */
export function meshProtocol(o: {
  ownIp: Ipv4;
  peerIp: Ipv4;
  asNumber: number;
  peerAsNumber?: number;
  routerId?: Ipv4;
}): BgpProtocolConfig {
  return calicoProtocol({
    name: meshProtocolName(o.peerIp),
    localAs: o.asNumber,
    peerAs: o.peerAsNumber ?? o.asNumber,
    neighborAddress: o.peerIp,
    sourceAddress: o.ownIp,
    routerId: o.routerId ?? o.ownIp,
    passive: meshIsPassive(o.peerIp, o.ownIp),
  });
}

/**
 * explicitPeerProtocol is a BGPPeer protocol (`Node_`/`Global_`): `ttl security off; multihop;` and,
 * on a route reflector, `rr client; rr cluster id <id>;` towards same-AS peers of another cluster.
 */
export function explicitPeerProtocol(o: {
  kind: 'node' | 'global';
  ownIp: Ipv4;
  peerIp: Ipv4;
  asNumber: number;
  peerAsNumber: number;
  port?: number;
  routerId?: Ipv4;
  passive?: boolean;
  rrClusterId?: Ipv4 | null;
  peerClusterId?: Ipv4 | null;
}): BgpProtocolConfig {
  const rr = o.rrClusterId != null && o.peerAsNumber === o.asNumber && o.peerClusterId !== o.rrClusterId;
  return calicoProtocol({
    name: o.kind === 'node' ? nodePeerName(o.peerIp, o.port) : globalPeerName(o.peerIp, o.port),
    localAs: o.asNumber,
    peerAs: o.peerAsNumber,
    neighborAddress: o.peerIp,
    sourceAddress: o.ownIp,
    routerId: o.routerId ?? o.ownIp,
    port: o.port ?? 179,
    multihop: 64,
    ttlSecurity: false,
    passive: o.passive ?? false,
    rrClient: rr,
    rrClusterId: rr ? o.rrClusterId! : null,
  });
}
