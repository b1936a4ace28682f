// `bridge link show` as iproute2 6.1 prints it (bridge/link.c): one line per bridge port.

import type { World } from '../../src/model/world.js';
import { linkCarrier, linkRunning } from './iproute2.js';

/** formatBridgeLink prints every bridge port of a namespace, in ifindex order. */
export function formatBridgeLink(world: World, ns: string): string {
  const netns = world.namespaces[ns];
  let out = '';
  const links = Object.values(netns.links).sort((a, b) => a.ifindex - b.ifindex);
  for (const l of links) {
    if (l.master === undefined) continue;
    const master = netns.links[l.master];
    const flags: string[] = [];
    if (l.adminUp && !linkRunning(world, ns, l)) flags.push('NO-CARRIER');
    flags.push('BROADCAST', 'MULTICAST');
    if (l.adminUp) flags.push('UP');
    if (l.adminUp && linkCarrier(world, ns, l)) flags.push('LOWER_UP');
    // A port forwards once it and its bridge are up (STP off); veth reports 10 Gb/s, so cost 2.
    const state = l.adminUp && master?.adminUp && linkCarrier(world, ns, l) ? 'forwarding' : 'disabled';
    out += `${l.ifindex}: ${l.name}@${master?.name ?? 'NONE'}: <${flags.join(',')}> mtu ${l.mtu} master ${master?.name ?? ''} state ${state} priority 32 cost 2 \n`;
  }
  return out;
}
