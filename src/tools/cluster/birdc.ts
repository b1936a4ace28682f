// `birdc` and `birdcl` on a Calico node (BIRD 1.6 as calico-node ships it: client/client.c, one-shot
// mode): connect to the control socket (`-s`, default /var/run/calico/bird.ctl; bird6's is
// /var/run/calico/bird6.ctl), print the daemon's hello and its reply to the command, exit 0. The
// replies are birdstate.ts's, read from the node's running BIRD.

import type { ClusterRuntime } from '../../scenarios/runtime/cluster.js';
import type { CalicoNodeInfo } from '../../scenarios/calico/datastore.js';
import type { ToolContext } from '../context.js';
import type { Program } from '../programs.js';
import { connectError, parseBirdcArgs } from '../birdc/args.js';
import { BIRD1_VERSION } from '../birdc/bird1.js';
import { helloLine, oneShot, renderInteractive } from '../birdc/cli.js';
import { birdReply } from './birdstate.js';
import { emit, nodeHere, notModelled } from './machine.js';

/** BIRD_SOCKET and BIRD6_SOCKET are calico-node's control sockets (`bird -s …`, `bird6 -s …`). */
export const BIRD_SOCKET = '/var/run/calico/bird.ctl';
export const BIRD6_SOCKET = '/var/run/calico/bird6.ctl';

/** birdRunning says whether the node's BIRD (the IPv4 daemon) is up. */
export function birdRunning(c: ClusterRuntime, node: CalicoNodeInfo): boolean {
  return c.birds.get(node.name)?.isRunning ?? false;
}

/** bird6Running says whether calico-node runs bird6 next to BIRD (it has no peers in an IPv4 cluster). */
export function bird6Running(c: ClusterRuntime, node: CalicoNodeInfo): boolean {
  return c.ds.bird6 && birdRunning(c, node);
}

function runBirdc(program: string, ctx: ToolContext, argv: readonly string[]): void {
  const c = ctx.cluster!;
  const node = nodeHere(ctx)!;
  const p = parseBirdcArgs(argv, 'bird1', program);
  if (!p.ok && p.output.stderr !== '') {
    emit(ctx, p.output);
    return;
  }
  const socket = p.ok ? p.invocation.socket : BIRD_SOCKET;
  const v6 = socket === BIRD6_SOCKET;
  const up = socket === BIRD_SOCKET ? birdRunning(c, node) : v6 ? bird6Running(c, node) : false;
  if (!up) {
    emit(ctx, connectError(socket));
    return;
  }
  if (!p.ok) {
    // An ambiguous or unknown command is the client's own message, after the daemon's hello.
    ctx.out.out(renderInteractive([helloLine(BIRD1_VERSION)]));
    emit(ctx, p.output);
    return;
  }
  const inv = p.invocation;
  if (inv.command === undefined) {
    // Interactive mode reads commands from stdin, which a lab line does not have: the hello, then EOF.
    ctx.out.out(renderInteractive([helloLine(BIRD1_VERSION)]));
    return;
  }
  const daemon = c.birds.get(node.name)!;
  const reply = birdReply(c, daemon, v6 ? undefined : c.configs.get(node.name), ctx.ns, inv.command, v6 ? 'bird6' : 'bird');
  if (reply === null) {
    notModelled(ctx, `${program} ${inv.expanded ?? ''}`.trimEnd());
    return;
  }
  emit(ctx, oneShot('bird1', BIRD1_VERSION, reply));
}

function birdClient(name: 'birdc' | 'birdcl'): Program {
  return {
    name,
    available: (ctx) => nodeHere(ctx) !== undefined,
    run: (ctx, argv) => runBirdc(name, ctx, argv),
  };
}

/** BIRDC and BIRDCL are the two clients calico-node's image has. */
export const BIRDC: Program = birdClient('birdc');
export const BIRDCL: Program = birdClient('birdcl');
