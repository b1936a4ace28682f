// bridge(8) running against the simulated kernel; `-j -p` pretty-prints as json_writer.c does.

import { fdbChange } from '../../kernel/netns.js';
import type { BridgeLinkShow, FdbChange, FdbShow } from '../ast.js';
import type { ToolContext } from '../context.js';
import { jsonPretty } from '../ip/json.js';
import { ipStatus } from '../ip/run.js';
import { formatBridgeFdb } from './fdb.js';
import { formatBridgeLink } from './link.js';

/** runBridge runs one `bridge` command in the context's namespace. */
export function runBridge(ctx: ToolContext, cmd: FdbChange | FdbShow | BridgeLinkShow): void {
  const pretty = (text: string): string => (cmd.kind !== 'fdb-change' && cmd.pretty === true ? jsonPretty(text) : text);
  switch (cmd.kind) {
    case 'fdb-change': {
      const e = ctx.sim.control((tx) =>
        fdbChange(tx, ctx.ns, cmd.action, cmd.mac, cmd.dev, cmd.dst, cmd.static === true, cmd.dynamic === true),
      );
      if (e !== null) ctx.out.errLine(e, e.startsWith('Cannot find') ? 255 : ipStatus(e));
      return;
    }
    case 'fdb-show':
      ctx.out.out(
        pretty(
          formatBridgeFdb(ctx.view, ctx.ns, {
            ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
            ...(cmd.br !== null ? { br: cmd.br } : {}),
            ...(cmd.json === true ? { json: true } : {}),
            ...(cmd.state !== undefined ? { state: cmd.state } : {}),
            ...(cmd.vlan !== undefined ? { vlan: cmd.vlan } : {}),
            ...(cmd.dynamic === true ? { dynamic: true } : {}),
          }),
        ),
      );
      return;
    case 'bridge-link-show':
      ctx.out.out(
        pretty(
          formatBridgeLink(ctx.view, ctx.ns, {
            ...(cmd.json === true ? { json: true } : {}),
            ...(cmd.dev !== undefined ? { dev: cmd.dev } : {}),
          }),
        ),
      );
      return;
  }
}
