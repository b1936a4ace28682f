// Every built-in scenario's walkthrough replayed against what its seed document shows
// (fixtures/scenarios/NAME.expect.md). Each block matches, or is a known gap listed here with why:
// a gap that starts to match fails too, so the list stays honest.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaySeed } from './seeds.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** GAPS are the blocks calisim cannot print yet, by `NAME:STEP`, with the reason. */
const GAPS: ReadonlyMap<string, string> = new Map([
  ['seed001:1', 'IPIP: tunl0 has no encapsulation yet (the packet is dropped with ipip-encap-not-modelled)'],
  ['seed001:6', "iproute2 6.1's `ip link show dev ifN` asks the kernel for the name and fails; the document's older iproute2 printed it"],
  ['seed001:8', 'IPIP: no encapsulated frames yet'],
  [
    'seed002:3',
    "the pod's neighbour history before the document is unknown: the node's unicast probe leaves a `172.16.67.138` entry the document does not show",
  ],
  ['seed003:8', 'IPv6 router solicitations and MLD reports are not modelled: their TX counters stay 0'],
  ['seed003:9', 'IPv6 router solicitations and MLD reports are not modelled: their RX counters stay 0'],
  ['seed003:13', 'IPIP: tunl0 has no encapsulation yet'],
  ['seed003-vxlan:2', "vxlan.calico's broadcast, IPv6 address and drop counter come from a v3.16 node and IPv6 traffic, not modelled"],
  ['seed003-vxlan:6', 'natOutgoing (iptables MASQUERADE) is not modelled yet: 8.8.8.8 cannot answer the pod'],
  ['seed004:2', "a kind node loads ipip after its first pod (that pod's host veth is index 2, tunl0 comes later): not modelled"],
  ['seed004:16', "a kind node loads ipip after its first pod (that pod's host veth is index 2, tunl0 comes later): not modelled"],
  ['seed004:17', 'iptables is not modelled yet'],
  ['seed004:18', 'ipset is not modelled yet'],
]);

const SEEDS = ['seed000', 'seed001', 'seed001-bgp', 'seed002', 'seed003', 'seed003-vxlan', 'seed004'];

describe.each(SEEDS)('%s walkthrough', (name) => {
  const results = replaySeed(ROOT, name);
  it.each(results.map((r) => [`step ${r.step}: ${r.title}`, r] as const))('%s', (_title, r) => {
    const gap = GAPS.get(`${name}:${r.step}`);
    if (gap !== undefined) {
      expect({ step: r.step, gap, matches: r.ok }).toEqual({ step: r.step, gap, matches: false });
      return;
    }
    expect({ step: r.step, match: r.match, output: r.actual }).toEqual({
      step: r.step,
      match: r.match,
      output: r.ok ? r.actual : `<the block of ${name}.expect.md step ${r.step}>`,
    });
  });
});
