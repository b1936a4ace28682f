// `bridge link show` as iproute2 6.1 prints it (bridge/link.c): one line per bridge port.

import { linkCarrier, linkRunning, linksInOrder } from '../../kernel/netns.js';
import { type KernelView, netnsOf } from '../ip/print.js';

/** formatBridgeLink prints every bridge port of a namespace, in ifindex order. */
export function formatBridgeLink(k: KernelView, ns: string): string {
  const netns = netnsOf(k.world, ns);
  let out = '';
  for (const l of linksInOrder(netns)) {
    if (l.master === undefined) continue;
    const master = netns.links.get(l.master);
    const flags: string[] = [];
    if (l.adminUp && !linkRunning(k.world, k.drivers, ns, l)) flags.push('NO-CARRIER');
    flags.push(...k.drivers.of(l).flags);
    if (l.adminUp) flags.push('UP');
    const carrier = linkCarrier(k.world, k.drivers, ns, l);
    if (l.adminUp && carrier) flags.push('LOWER_UP');
    // A port forwards once it and its bridge are up and it has carrier (STP off); veth reports 10 Gb/s, so cost 2.
    const state = l.adminUp && master?.adminUp && carrier ? 'forwarding' : 'disabled';
    out += `${l.ifindex}: ${l.name}@${master?.name ?? 'NONE'}: <${flags.join(',')}> mtu ${l.mtu} master ${master?.name ?? ''} state ${state} priority 32 cost 2 \n`;
  }
  return out;
}
