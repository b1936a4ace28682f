// The ip(8) forms beyond add/del/show, as iproute2 6.1 runs them: `ip addr flush` (ip/ipaddress.c
// ipaddr_flush), `ip neigh flush|get` and proxy entries (ip/ipneigh.c do_show_or_flush, ipneigh_get,
// ipneigh_modify with NTF_PROXY; net/core/neighbour.c pneigh_lookup, pneigh_delete), and `ip netns
// list-id` (ip/ipnetns.c netns_list_id, print_nsid; net/core/net_namespace.c rtnl_net_dumpid).

import type { Command, LinkFilter } from '../ast.js';
import type { ToolContext } from '../context.js';
import { addrDel, linkByName, linksInOrder } from '../../kernel/netns.js';
import { jsonDocument, type JsonValue } from './json.js';
import { neighStateMask } from './parse.js';
import { addrFilterKeeps, addrText, neighLine, neighSelected, netnsOf, pneighLine } from './print.js';
import { INIT_NS } from '../../model/world.js';

/** MAX_ROUNDS is the number of dump-and-delete rounds a flush makes before giving up (ipneigh.c, ipaddress.c). */
const MAX_ROUNDS = 10;

/** masterMissing prints iproute2's error for `master DEV` naming no device (invarg) and says so. */
export function masterMissing(ctx: ToolContext, f: LinkFilter | undefined): boolean {
  if (f?.master === undefined) return false;
  const netns = netnsOf(ctx.view.world, ctx.ns);
  if (linkByName(netns, f.master) !== undefined) return false;
  ctx.out.errLine(`Error: argument "${f.master}" is wrong: Device does not exist\n`, 255);
  return true;
}

/** flushStats prints what a flush under `-s` prints once it stops: nothing flushed, or the rounds it took. */
function flushRounds(ctx: ToolContext, stats: boolean, what: string, round: (n: number) => number): void {
  for (let r = 0; r < MAX_ROUNDS; r++) {
    const flushed = round(r);
    if (flushed === 0) {
      if (stats) ctx.out.out(r === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${r} round${r > 1 ? 's' : ''} ***\n`);
      return;
    }
    if (stats) ctx.out.out(`\n*** Round ${r + 1}, deleting ${flushed} ${what} ***\n`);
  }
}

/**
 * runAddrFlush is `ip addr flush [dev DEV] [label PATTERN] [to PREFIX] [up …]`: each round dumps the
 * addresses the filter selects and deletes them one by one (a deleted primary takes its secondaries, or
 * promotes one); under `-s -s` the addresses are printed as they are queued.
 */
export function runAddrFlush(ctx: ToolContext, cmd: Extract<Command, { kind: 'addr-flush' }>): void {
  const netns = netnsOf(ctx.view.world, ctx.ns);
  if (cmd.dev === null && Object.keys(cmd.filter).length === 0) {
    ctx.out.errLine('Flush requires arguments.', 255);
    return;
  }
  let ifindex: number | undefined;
  if (cmd.dev !== null) {
    const l = linkByName(netns, cmd.dev);
    if (l === undefined) {
      ctx.out.errLine(`Device "${cmd.dev}" does not exist.`, 1);
      return;
    }
    ifindex = l.ifindex;
  }
  const f = cmd.filter;
  const level = cmd.opts.statsLevel ?? (cmd.opts.stats ? 1 : 0);
  flushRounds(ctx, level > 0, 'addresses', () => {
    const cur = netnsOf(ctx.view.world, ctx.ns);
    const keep = new Set(
      linksInOrder(cur)
        .filter((l) => (ifindex === undefined || l.ifindex === ifindex) && (f.up !== true || l.adminUp))
        .filter((l) => f.master === undefined || (l.master !== undefined && cur.links.get(l.master)?.name === f.master))
        .map((l) => l.ifindex),
    );
    const victims = cur.addrs.filter((a) => keep.has(a.ifindex) && addrFilterKeeps(a, f));
    for (const a of victims) {
      if (level > 1) ctx.out.out(`${a.ifindex}: ${cur.links.get(a.ifindex)!.name}${addrText(a)}`);
      const dev = cur.links.get(a.ifindex)!.name;
      // The dumped message goes back as RTM_DELADDR: IFA_LOCAL, IFA_ADDRESS (the peer) and IFA_LABEL.
      ctx.sim.control((tx) => addrDel(tx, ctx.ns, dev, a.local, a.prefixlen, a.address ?? a.local, a.label));
    }
    return victims.length;
  });
}

/**
 * runNeighFlush is `ip neigh flush [dev DEV] [to PREFIX] [nud STATE…]`: without `nud` every entry but
 * PERMANENT and NOARP ones goes (`nud all` still spares NOARP); each round deletes what the dump selects.
 */
export function runNeighFlush(ctx: ToolContext, cmd: Extract<Command, { kind: 'neigh-flush' }>): void {
  const netns = netnsOf(ctx.view.world, ctx.ns);
  if (cmd.dev === null && cmd.prefix === null && cmd.nud.length === 0) {
    ctx.out.errLine('Flush requires arguments.', 255);
    return;
  }
  let dev: number | undefined;
  if (cmd.dev !== null) {
    const l = linkByName(netns, cmd.dev);
    if (l === undefined) {
      ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 255);
      return;
    }
    dev = l.ifindex;
  }
  let state = neighStateMask(cmd.nud, true);
  const level = cmd.opts.statsLevel ?? (cmd.opts.stats ? 1 : 0);
  flushRounds(ctx, level > 0, 'entries', () => {
    const cur = netnsOf(ctx.view.world, ctx.ns);
    const victims = neighSelected(cur, dev, { state, ...(cmd.prefix !== null ? { prefix: cmd.prefix } : {}) });
    for (const e of victims) {
      if (level > 1) ctx.out.out(neighLine(cur, e, dev === undefined));
      ctx.sim.control((tx) => void tx.ns(ctx.ns)!.neigh.delete(e.dev * 4294967296 + e.ip));
    }
    // After the first round FAILED entries are left alone (they may be ones just deleted).
    state &= ~0x20;
    return victims.length;
  });
}

/**
 * runNeighGet is `ip neigh get ADDR dev DEV` (RTM_GETNEIGH, neigh_get): the entry as `ip neigh` prints it,
 * always as text (ipneigh_get opens no JSON object), or `Error: Neighbour entry not found.`.
 */
export function runNeighGet(ctx: ToolContext, cmd: Extract<Command, { kind: 'neigh-get' }>): void {
  const netns = netnsOf(ctx.view.world, ctx.ns);
  const l = linkByName(netns, cmd.dev);
  if (l === undefined) {
    ctx.out.errLine(`Cannot find device "${cmd.dev}"`, 255);
    return;
  }
  const key = l.ifindex * 4294967296 + cmd.addr;
  if (cmd.proxy) {
    const p = netns.pneigh?.get(key);
    if (p === undefined) {
      ctx.out.errLine('Error: Proxy neighbour entry not found.', 2);
      return;
    }
    ctx.out.out(pneighLine(netns, p, true));
    return;
  }
  const e = netns.neigh.get(key);
  if (e === undefined) {
    ctx.out.errLine('Error: Neighbour entry not found.', 2);
    return;
  }
  ctx.out.out(neighLine(netns, e, true));
}

/** pneighChange is `ip neigh add|replace|change|del proxy ADDR dev DEV` (pneigh_lookup with create, pneigh_delete). */
export function pneighChange(ctx: ToolContext, action: 'add' | 'replace' | 'change' | 'del', key: number, ip: number, dev: number): void {
  const netns = netnsOf(ctx.view.world, ctx.ns);
  const has = netns.pneigh?.has(key) === true;
  if (action === 'del') {
    if (!has) {
      ctx.out.errLine('RTNETLINK answers: No such file or directory', 2);
      return;
    }
    ctx.sim.control((tx) => void tx.ns(ctx.ns)!.pneigh!.delete(key));
    return;
  }
  // neigh_add with NTF_PROXY: an existing proxy entry is no error, whatever the flags.
  if (has) return;
  ctx.sim.control((tx) => {
    const n = tx.ns(ctx.ns)!;
    if (n.pneigh === undefined) n.pneigh = new Map();
    n.pneigh.set(key, { ip, dev });
  });
}

/**
 * runNetnsListId is `ip netns list-id [target-nsid N] [nsid N]`: the ids this namespace (or, with
 * target-nsid, the namespace it knows by N) has given other namespaces, in id order, each named by
 * the /run/netns file of the namespace it stands for here.
 */
export function runNetnsListId(ctx: ToolContext, cmd: Extract<Command, { kind: 'netns-list-id' }>): void {
  const world = ctx.view.world;
  const here = netnsOf(world, ctx.ns);
  const nameOf = (key: string | undefined): string | undefined => {
    const n = key === undefined ? undefined : world.namespaces.get(key);
    return n === undefined || n.name === INIT_NS || n.named === false ? undefined : (n.mountName ?? n.name);
  };
  const byId = (m: ReadonlyMap<string, number>): [string, number][] => [...m.entries()].sort((a, b) => a[1] - b[1]);
  let rows: { nsid: number; current?: number | null; name?: string }[];
  if (cmd.targetNsid !== null) {
    const target = [...here.nsids.entries()].find(([, id]) => id === cmd.targetNsid)?.[0];
    const tn = target === undefined ? undefined : world.namespaces.get(target);
    if (tn === undefined) {
      ctx.out.errLine('Error: Invalid target network namespace id.\nDump terminated', 1);
      return;
    }
    rows = byId(tn.nsids).map(([peer, nsid]) => {
      const current = here.nsids.get(peer) ?? (peer === ctx.ns ? null : null);
      const name = current === null ? undefined : nameOf(peer);
      return { nsid, current, ...(name !== undefined ? { name } : {}) };
    });
  } else {
    rows = byId(here.nsids).map(([peer, nsid]) => {
      const name = nameOf(peer);
      return { nsid, ...(name !== undefined ? { name } : {}) };
    });
  }
  if (cmd.nsid !== null) rows = rows.filter((r) => r.nsid === cmd.nsid);
  if (cmd.opts.json) {
    ctx.out.out(
      jsonDocument(
        rows.map((r): JsonValue => {
          const o: Record<string, JsonValue> = { nsid: r.nsid };
          if (typeof r.current === 'number') o['current-nsid'] = r.current;
          if (r.name !== undefined) o.name = r.name;
          return o;
        }),
      ),
    );
    return;
  }
  let out = '';
  for (const r of rows) {
    out += `nsid ${r.nsid} `;
    if (r.current !== undefined) out += r.current === null ? 'current-nsid unassigned ' : `current-nsid ${r.current} `;
    if (r.name !== undefined) out += `(iproute2 netns name: ${r.name})`;
    out += '\n';
  }
  ctx.out.out(out);
}
