// Prints `bridge fdb show` as iproute2 6.1 does (bridge(8); bridge/fdb.c, print_fdb), in the order
// the kernel dumps it (net/core/rtnetlink.c, rtnl_fdb_dump): device by device in ifindex order,
// first a bridge port's entries in its master's table (br_fdb_dump), then the device's own table —
// a VXLAN device's forwarding entries (vxlan_fdb_dump), or for any other Ethernet device the
// multicast addresses on its list (ndo_dflt_fdb_dump), followed for a bridge by its own addresses.
// With IPv6 disabled every Ethernet device still holds 33:33:00:00:00:01 (ipv6_add_dev joins
// all-nodes at registration); an up device also holds 01:00:5e:00:00:01 (IPv4 all-hosts, joined
// by ip_mc_up), and an up bridge with multicast snooping first joins 224.0.0.106 and ff02::6a.

import { formatIpv4 } from '../../model/addr.js';
import type { FdbEntry, Link, Netns } from '../../model/world.js';
import { linkByName, linksInOrder } from '../../kernel/netns.js';
import { CommandError } from '../output.js';
import { devName, type KernelView, netnsOf } from '../ip/print.js';
import { jsonDocument, type JsonValue } from '../ip/json.js';

/** BRIDGE_AGEING_US is the default ageing time (300 s) after which a learned entry shows `stale`. */
const BRIDGE_AGEING_US = 300_000_000;

/** FdbShowOptions selects what `bridge fdb show` prints. */
export interface FdbShowOptions {
  /** dev keeps one device's entries and drops `dev NAME` from the lines (`bridge fdb show dev NAME`). */
  readonly dev?: string;
  /** br keeps a bridge's own entries and its ports' (`bridge fdb show br NAME`). */
  readonly br?: string;
  /** json is `-j`. */
  readonly json?: boolean;
  /** state keeps entries with one of these NUD bits; vlan those of that VLAN; dynamic drops permanent ones (print_fdb). */
  readonly state?: number;
  readonly vlan?: number;
  readonly dynamic?: boolean;
}

/** NUD_BITS are the NUD states print_fdb sees for each printed state. */
const NUD_BITS: ReadonlyMap<string, number> = new Map([
  ['permanent', 0x80],
  ['static', 0x40],
  ['stale', 0x04],
  ['', 0x02],
]);

/** FdbRow is one RTM_NEWNEIGH message of the dump, in print_fdb's terms. */
interface FdbRow {
  readonly mac: string;
  readonly ifindex: number;
  readonly dst?: number;
  readonly vlan?: number;
  readonly self: boolean;
  readonly master?: number;
  /** state is state_n2a's word: permanent, static, stale or the empty string for reachable. */
  readonly state: string;
}

/** deviceMulticast lists the multicast addresses on a device's list, in the order they were added. */
function deviceMulticast(k: KernelView, link: Link): string[] {
  const macs = ['33:33:00:00:00:01'];
  if (link.adminUp) {
    if (k.drivers.of(link).portRx !== undefined) macs.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
    macs.push('01:00:5e:00:00:01');
  }
  return macs;
}

/**
 * bridgeState is the state fdb_fill_info reports for a bridge entry: `permanent` for a local one
 * (BR_FDB_LOCAL, which `bridge fdb add … master [permanent]` also sets), `static` for one that is
 * only permanent (BR_FDB_STATIC, `… master static`), `stale` for a learned one past the ageing
 * time, and the empty word (NUD_REACHABLE) otherwise.
 */
function bridgeState(now: number, e: FdbEntry): string {
  if (e.local) return 'permanent';
  if (e.permanent) return 'static';
  return now - e.updated >= BRIDGE_AGEING_US ? 'stale' : '';
}

/** bridgeRow turns an entry of bridge `br`'s table into the message br_fdb_dump sends. */
function bridgeRow(now: number, br: Link, e: FdbEntry): FdbRow {
  return {
    mac: e.mac,
    ifindex: e.port,
    dst: e.dst,
    vlan: e.vlan,
    self: e.self,
    master: e.self ? undefined : br.ifindex,
    state: bridgeState(now, e),
  };
}

/** fdbRows lists every message of an rtnl_fdb_dump of the namespace, in dump order. */
function fdbRows(k: KernelView, netns: Netns): FdbRow[] {
  const rows: FdbRow[] = [];
  const now = k.world.now;
  for (const link of linksInOrder(netns)) {
    const driver = k.drivers.of(link);
    if (driver.linkType !== 'ether') continue;
    if (link.master !== undefined) {
      const br = netns.links.get(link.master);
      if (br !== undefined && k.drivers.of(br).portRx !== undefined) {
        for (const e of br.fdb) if (e.port === link.ifindex && !e.self) rows.push(bridgeRow(now, br, e));
      }
    }
    if (driver.fdbOwner) {
      // vxlan_fdb_dump walks fdb_list, newest MAC first; a MAC's remotes follow in the order they were added.
      const macs = [...new Set(link.fdb.map((e) => e.mac))].reverse();
      const ordered = macs.flatMap((m) => link.fdb.filter((e) => e.mac === m));
      for (const e of ordered) {
        rows.push({
          mac: e.mac,
          ifindex: link.ifindex,
          dst: e.dst,
          vlan: e.vlan,
          self: true,
          state: e.permanent || e.local ? 'permanent' : '',
        });
      }
      continue;
    }
    // ndo_dflt_fdb_dump: the unicast list (`bridge fdb add MAC dev DEV self`), then the multicast list.
    if (driver.portRx === undefined)
      for (const e of link.fdb) if (e.self) rows.push({ mac: e.mac, ifindex: link.ifindex, self: true, state: 'permanent' });
    for (const mac of deviceMulticast(k, link)) rows.push({ mac, ifindex: link.ifindex, self: true, state: 'permanent' });
    if (driver.portRx !== undefined) {
      for (const e of link.fdb) if (e.port === link.ifindex || e.self) rows.push(bridgeRow(now, link, e));
    }
  }
  return rows;
}

/** formatBridgeFdb prints `bridge [-j] fdb show [dev NAME] [br NAME]`. */
export function formatBridgeFdb(k: KernelView, ns: string, opts: FdbShowOptions = {}): string {
  const netns = netnsOf(k.world, ns);
  let dev: number | undefined;
  if (opts.dev !== undefined) {
    const l = linkByName(netns, opts.dev);
    if (!l) throw new CommandError(`Cannot find device "${opts.dev}"\n`, 255);
    dev = l.ifindex;
  }
  let br: number | undefined;
  if (opts.br !== undefined) {
    const l = linkByName(netns, opts.br);
    if (!l) throw new CommandError(`Cannot find bridge device "${opts.br}"\n`, 255);
    br = l.ifindex;
  }
  const rows = fdbRows(k, netns).filter((r) => {
    if (dev !== undefined && r.ifindex !== dev) return false;
    if (br !== undefined && r.ifindex !== br && netns.links.get(r.ifindex)?.master !== br) return false;
    const nud = NUD_BITS.get(r.state) ?? 0;
    if (opts.state !== undefined && (nud & opts.state) === 0) return false;
    if (opts.vlan !== undefined && opts.vlan !== 0 && r.vlan !== opts.vlan) return false;
    if (opts.dynamic === true && nud === 0x80) return false;
    return true;
  });
  if (opts.json) {
    return jsonDocument(
      rows.map((r) => {
        const o: Record<string, JsonValue> = { mac: r.mac };
        if (dev === undefined) o.ifname = devName(netns, r.ifindex);
        if (r.dst !== undefined) o.dst = formatIpv4(r.dst);
        if (r.vlan !== undefined) o.vlan = r.vlan;
        o.flags = r.self ? ['self'] : [];
        if (r.master !== undefined) o.master = devName(netns, r.master);
        o.state = r.state;
        return o;
      }),
    );
  }
  let out = '';
  for (const r of rows) {
    out += `${r.mac} `;
    if (dev === undefined) out += `dev ${devName(netns, r.ifindex)} `;
    if (r.dst !== undefined) out += `dst ${formatIpv4(r.dst)} `;
    if (r.vlan !== undefined) out += `vlan ${r.vlan} `;
    if (r.self) out += 'self ';
    if (r.master !== undefined) out += `master ${devName(netns, r.master)} `;
    out += `${r.state}\n`;
  }
  return out;
}
