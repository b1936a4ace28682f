// `bridge [-j] link [show [dev DEV]]` as iproute2 6.1 prints it (bridge/link.c, print_linkinfo): one
// line (or JSON object) per bridge port.

import type { Link } from '../../model/world.js';
import { linkCarrier, linkNoarp, linkRunning, linksInOrder } from '../../kernel/netns.js';
import { CommandError } from '../output.js';
import { jsonDocument, type JsonValue } from '../ip/json.js';
import { devName, type KernelView, netnsOf } from '../ip/print.js';

/** BridgeLinkOptions selects what `bridge link show` prints. */
export interface BridgeLinkOptions {
  /** json is `-j`. */
  readonly json?: boolean;
  /** dev is `dev DEV`: that device only. */
  readonly dev?: string;
}

/** formatBridgeLink prints every bridge port of a namespace, in ifindex order. */
export function formatBridgeLink(k: KernelView, ns: string, opts: BridgeLinkOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  if (opts.dev !== undefined && !netns.linkNames.has(opts.dev)) throw new CommandError(`Cannot find device "${opts.dev}"\n`, 1);
  const rows: JsonValue[] = [];
  let out = '';
  for (const l of linksInOrder(netns)) {
    if (l.master === undefined) continue;
    if (opts.dev !== undefined && l.name !== opts.dev) continue;
    const master = netns.links.get(l.master);
    const flags = portFlags(k, ns, l);
    // A port forwards once it and its bridge are up and it has carrier (STP off); veth reports 10 Gb/s, so cost 2.
    const carrier = linkCarrier(k.world, k.drivers, ns, l);
    const state = l.adminUp && master?.adminUp && carrier ? 'forwarding' : 'disabled';
    // br_fill_ifinfo sends IFLA_LINK without IFLA_LINK_NETNSID, so the peer's index is named here (`port1@br0`).
    const linkName = l.peer !== undefined ? devName(netns, l.peer.ifindex) : undefined;
    if (opts.json) {
      const o: Record<string, JsonValue> = { ifindex: l.ifindex };
      if (linkName !== undefined) o.link = linkName;
      o.ifname = l.name;
      o.flags = flags;
      o.mtu = l.mtu;
      o.master = master?.name ?? '';
      o.state = state;
      o.priority = 32;
      o.cost = 2;
      rows.push(o);
      continue;
    }
    const name = linkName !== undefined ? `${l.name}@${linkName}` : l.name;
    out += `${l.ifindex}: ${name}: <${flags.join(',')}> mtu ${l.mtu} master ${master?.name ?? ''} state ${state} priority 32 cost 2 \n`;
  }
  return opts.json ? jsonDocument(rows) : out;
}

/** portFlags lists a port's interface flags as print_link_flags does. */
function portFlags(k: KernelView, ns: string, l: Link): string[] {
  const flags: string[] = [];
  if (l.adminUp && !linkRunning(k.world, k.drivers, ns, l)) flags.push('NO-CARRIER');
  const driver = k.drivers.of(l);
  flags.push(...driver.flags.filter((f) => f !== 'NOARP'));
  if (linkNoarp(driver, l)) flags.push('NOARP');
  if (l.promisc === true) flags.push('PROMISC');
  if (l.adminUp) flags.push('UP');
  if (l.adminUp && linkCarrier(k.world, k.drivers, ns, l)) flags.push('LOWER_UP');
  return flags;
}
