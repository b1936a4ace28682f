// Tests of the loopback device's counters (src/kernel/drivers/loopback.ts, devXmitLink and netifRx in
// src/kernel/stack.ts): loopback_xmit counts a frame after eth_type_trans pulled its Ethernet header,
// in TX and RX alike. Expected values are kernel 6.18's (tests/fuzz/regressions/lo-stats-bytes.lab).

import { linkByName } from '../../../src/kernel/netns.js';
import { INIT_NS } from '../../../src/model/world.js';
import { createSimulator } from '../../../src/scenarios/simulator.js';
import { Shell } from '../../../src/tools/shell.js';

describe('lo', () => {
  it.each([
    [56, 84],
    [0, 28],
    [1472, 1500],
  ])('counts a ping with %i data bytes as IP packets of %i bytes each way', (size, ipLength) => {
    const sh = new Shell(createSimulator());
    expect(sh.run(`ping -c 1 -W 4 -s ${size} 127.0.0.1`).output.stdout).toContain('1 received');
    const s = linkByName(sh.sim.world.namespaces.get(INIT_NS)!, 'lo')!.stats;
    expect([s.txPackets, s.txBytes, s.rxPackets, s.rxBytes]).toEqual([2, 2 * ipLength, 2, 2 * ipLength]);
  });
});
