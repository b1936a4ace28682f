// Calico nodes for the speaker tests, on the in-memory network of tests/support/bgpnet.ts: a node's
// BIRD with mesh or route-reflector peerings, and its boot (the node subnet's direct route, its blocks).

import { parseCidr, type Cidr, type Ipv4 } from '../../src/model/addr.js';
import { calicoExportFilter, explicitPeerProtocol, meshProtocol } from '../../src/bgp/calico.js';
import { BgpSpeaker, type SpeakerProtocol } from '../../src/bgp/speaker.js';
import { BgpNet } from '../support/bgpnet.js';

export { BgpNet };

/** POOL is the IP pool of the test clusters. */
export const POOL: Cidr = parseCidr('10.233.0.0/16')!;
/** NODE_NET is the node subnet of the test clusters. */
export const NODE_NET: Cidr = parseCidr('10.0.0.0/24')!;

/** calicoNode is a Calico node's BIRD: mesh protocols towards `peers`, or rr-client style peerings. */
export function calicoNode(
  own: Ipv4,
  peers: readonly Ipv4[],
  blocks: readonly Cidr[],
  opts: { recovery?: boolean; rrClusterId?: Ipv4; explicit?: boolean } = {},
): BgpSpeaker {
  // One filter shared by every peering, as confd renders the same filter for each: the speaker then does a route's export work once.
  const exportFilter = calicoExportFilter({ pools: [{ cidr: POOL }], blocks: blocks.map((b) => ({ cidr: b })) }, true);
  const protocols: SpeakerProtocol[] = peers.map((p) => {
    const config =
      opts.explicit || opts.rrClusterId !== undefined
        ? explicitPeerProtocol({
            kind: 'node',
            ownIp: own,
            peerIp: p,
            asNumber: 64512,
            peerAsNumber: 64512,
            rrClusterId: opts.rrClusterId ?? null,
          })
        : meshProtocol({ ownIp: own, peerIp: p, asNumber: 64512 });
    return { config, exportFilter };
  });
  return new BgpSpeaker({ routerId: own, protocols, gracefulRestartRecovery: opts.recovery ?? true, localAddresses: [own] });
}

/** bootNode adds the node subnet's direct route and its blocks at time `now`. */
export function bootNode(net: BgpNet, own: Ipv4, blocks: readonly Cidr[]): void {
  bootNodeOn(net, own, NODE_NET, blocks);
}

/** bootNodeOn is bootNode for a node on another subnet. */
export function bootNodeOn(net: BgpNet, own: Ipv4, subnet: Cidr, blocks: readonly Cidr[]): void {
  const s = net.speakers.get(own)!;
  net.handle(own, s.addRoute({ protocol: 'direct1', prefix: subnet, dest: 'device', iface: 'eth0' }, net.now));
  for (const b of blocks) net.handle(own, s.originate(b, net.now));
}
