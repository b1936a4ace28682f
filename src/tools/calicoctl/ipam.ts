// `calicoctl ipam show [--show-blocks]` (calicoctl/commands/ipam/show.go, v3.26–v3.30): a
// tablewriter table of pools (and blocks) with counts as `%.5g` and percentages as `%.f%%` of Go's
// fmt, and `ipam show --ip=IP`. Counts that look like decimals are right-aligned by tablewriter.

import { goFormatFixed, goFormatG } from '../format/gofmt.js';
import { renderTable } from '../format/tablewriter.js';

/** IpamBlockUsage is one block of GetUtilization: its CIDR and how many of its addresses are used. */
export interface IpamBlockUsage {
  readonly cidr: string;
  readonly capacity: number;
  readonly available: number;
}

/** IpamPoolUsage is one pool of GetUtilization with its blocks, in the order IPAM returns them. */
export interface IpamPoolUsage {
  readonly cidr: string;
  readonly blocks: readonly IpamBlockUsage[];
}

function prefixLength(cidr: string): { ones: number; bits: number } {
  const [addr, len] = cidr.split('/');
  return { ones: Number(len), bits: addr.includes(':') ? 128 : 32 };
}

function usageRow(kind: string, cidr: string, inUse: number, capacity: number): string[] {
  return [
    kind,
    cidr,
    goFormatG(capacity, 5),
    `${goFormatG(inUse, 5)} (${goFormatFixed((100 * inUse) / capacity, 0)}%)`,
    `${goFormatG(capacity - inUse, 5)} (${goFormatFixed((100 * (capacity - inUse)) / capacity, 0)}%)`,
  ];
}

/** formatIpamShow is show.go showBlockUtilization. */
export function formatIpamShow(pools: readonly IpamPoolUsage[], showBlocks: boolean): string {
  const rows: string[][] = [];
  for (const pool of pools) {
    const blockRows: string[][] = [];
    let poolInUse = 0;
    for (const b of pool.blocks) {
      blockRows.push(usageRow('Block', b.cidr, b.capacity - b.available, b.capacity));
      poolInUse += b.capacity - b.available;
    }
    const { ones, bits } = prefixLength(pool.cidr);
    if (ones > 0) rows.push(usageRow('IP Pool', pool.cidr, poolInUse, 2 ** (bits - ones)));
    if (showBlocks) rows.push(...blockRows);
  }
  return renderTable(['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS FREE'], rows);
}

/** IpAssignment is what GetAssignmentAttributes returns for `--ip`: its attributes, or unassigned. */
export type IpAssignment = { readonly assigned: false } | { readonly assigned: true; readonly attributes: ReadonlyMap<string, string> };

/**
 * formatIpamShowIp is show.go showIP. Go ranges over a map in random order; the attributes are
 * printed here in the order given.
 */
export function formatIpamShowIp(ip: string, a: IpAssignment): string {
  if (!a.assigned) return `${ip} is not assigned\n`;
  let out = `IP ${ip} is in use\n`;
  if (a.attributes.size === 0) return `${out}No attributes defined\n`;
  out += 'Attributes:\n';
  for (const [k, v] of a.attributes) out += `  ${k}: ${v}\n`;
  return out;
}
