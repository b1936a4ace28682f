// `ethtool -S DEV` (ethtool.c do_gstats: "NIC statistics:" then "     NAME: VALUE" per counter) for
// the veth driver of this kernel (drivers/net/veth.c veth_get_strings / veth_get_ethtool_stats):
// peer_ifindex, then seven counters per receive queue and two per transmit queue. The counter
// names and their order were read from a real veth (Linux 6.18) through the SIOCETHTOOL ioctl.

import type { CommandOutput } from '../format/output.js';

/** VethRxQueueStats are the per-rx-queue counters veth reports. */
export interface VethRxQueueStats {
  readonly xdpPackets?: number;
  readonly xdpBytes?: number;
  readonly drops?: number;
  readonly xdpRedirect?: number;
  readonly xdpDrops?: number;
  readonly xdpTx?: number;
  readonly xdpTxErrors?: number;
}

/** VethTxQueueStats are the per-tx-queue counters veth reports. */
export interface VethTxQueueStats {
  readonly xdpXmit?: number;
  readonly xdpXmitErrors?: number;
}

/** VethStats is the whole ETH_SS_STATS set of one veth end. */
export interface VethStats {
  readonly peerIfindex: number;
  /** rx and tx have one entry per queue (one each for the veth ip link creates by default). */
  readonly rx: readonly VethRxQueueStats[];
  readonly tx: readonly VethTxQueueStats[];
}

/** vethStatistics returns the [name, value] pairs in the driver's order. */
export function vethStatistics(s: VethStats): [string, number][] {
  const out: [string, number][] = [['peer_ifindex', s.peerIfindex]];
  s.rx.forEach((q, i) => {
    out.push([`rx_queue_${i}_xdp_packets`, q.xdpPackets ?? 0]);
    out.push([`rx_queue_${i}_xdp_bytes`, q.xdpBytes ?? 0]);
    out.push([`rx_queue_${i}_drops`, q.drops ?? 0]);
    out.push([`rx_queue_${i}_xdp_redirect`, q.xdpRedirect ?? 0]);
    out.push([`rx_queue_${i}_xdp_drops`, q.xdpDrops ?? 0]);
    out.push([`rx_queue_${i}_xdp_tx`, q.xdpTx ?? 0]);
    out.push([`rx_queue_${i}_xdp_tx_errors`, q.xdpTxErrors ?? 0]);
  });
  s.tx.forEach((q, i) => {
    out.push([`tx_queue_${i}_xdp_xmit`, q.xdpXmit ?? 0]);
    out.push([`tx_queue_${i}_xdp_xmit_errors`, q.xdpXmitErrors ?? 0]);
  });
  return out;
}

/** formatEthtoolStats is do_gstats' output for a list of counters. */
export function formatEthtoolStats(stats: readonly (readonly [string, number])[]): string {
  return `NIC statistics:\n${stats.map(([n, v]) => `     ${n.slice(0, 32)}: ${v}\n`).join('')}`;
}

/** ethtoolStats is `ethtool -S DEV` for the device's counters, or ethtool's error when it has none. */
export function ethtoolStats(stats: VethStats | 'no-device' | 'no-stats'): CommandOutput {
  // Derived from ethtool.c (not run: ethtool is not installed here): the ioctl fails with ENODEV.
  if (stats === 'no-device') return { stdout: '', stderr: 'Cannot get stats strings information: No such device\n', exitStatus: 96 };
  if (stats === 'no-stats') return { stdout: '', stderr: 'no stats available\n', exitStatus: 94 };
  return { stdout: formatEthtoolStats(vethStatistics(stats)), stderr: '', exitStatus: 0 };
}
