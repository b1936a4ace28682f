// `ss -t[a|l][n][H]` (not -p) in a namespace of the cluster (iproute2 6.1): the namespace's TCP sockets as
// tcp_diag dumps them (src/kernel/tcp.ts tcpSockets), printed off a terminal. BusyBox has no ss.

import { tcpSockets } from '../../kernel/tcp.js';
import type { Program } from '../programs.js';
import { parseSsArgs, ssTcp } from '../netutils/ss.js';
import { emit, inBusyboxPod, inCluster, notModelled } from './machine.js';

/** SS is ss on every machine of the cluster but BusyBox pods. */
export const SS: Program = {
  name: 'ss',
  available: (ctx) => inCluster(ctx) && !inBusyboxPod(ctx),
  run(ctx, argv) {
    const p = parseSsArgs(argv);
    if (!p.ok) {
      if (p.output !== undefined) {
        emit(ctx, p.output);
        return;
      }
      notModelled(ctx, `ss ${argv.join(' ')}`.trimEnd());
      return;
    }
    // -p names each socket's process (BIRD's pid and fd), which calisim has no processes for.
    if (p.cmd.options.processes) {
      notModelled(ctx, `ss ${argv.join(' ')}`);
      return;
    }
    emit(ctx, ssTcp(tcpSockets(ctx.view.world, ctx.ns), p.cmd.options));
  },
};
