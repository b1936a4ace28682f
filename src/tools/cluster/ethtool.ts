// `ethtool -S DEV` in a namespace of the cluster: the driver's statistics. A veth reports its peer's
// ifindex (in the peer's own namespace) and one rx and one tx queue's counters; the other devices of
// a cluster (loopback, tunl0, vxlan.calico, bridges) have no ETH_SS_STATS set. BusyBox has no ethtool.

import { linkByName, peerLink } from '../../kernel/netns.js';
import type { Program } from '../programs.js';
import { ethtoolStats } from '../netutils/ethtool.js';
import { emit, inBusyboxPod, inCluster, notModelled } from './machine.js';

/** ETHTOOL is ethtool on every machine of the cluster but BusyBox pods. */
export const ETHTOOL: Program = {
  name: 'ethtool',
  available: (ctx) => inCluster(ctx) && !inBusyboxPod(ctx),
  run(ctx, argv) {
    if (argv.length !== 2 || (argv[0] !== '-S' && argv[0] !== '--statistics')) {
      notModelled(ctx, `ethtool ${argv.join(' ')}`.trimEnd());
      return;
    }
    const n = ctx.view.world.namespaces.get(ctx.ns);
    const l = n === undefined ? undefined : linkByName(n, argv[1]);
    if (l === undefined) {
      emit(ctx, ethtoolStats('no-device'));
      return;
    }
    if (l.kind !== 'veth' || l.peer === undefined) {
      emit(ctx, ethtoolStats('no-stats'));
      return;
    }
    const peer = peerLink(ctx.view.world, l);
    emit(ctx, ethtoolStats({ peerIfindex: peer?.ifindex ?? 0, rx: [{}], tx: [{}] }));
  },
};
