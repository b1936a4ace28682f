// Tests of the veth driver's transmit (src/kernel/drivers/veth.ts): the peer takes frames up to its
// MTU + 18 (is_skb_forwardable: the Ethernet header and a VLAN tag), and a longer one is dropped,
// counted in the peer's RX dropped and this end's TX dropped (not as sent), and a local sender gets
// ENOBUFS (NET_XMIT_DROP through ip_push_pending_frames). Expected values are kernel 6.18's for
// fixtures/labs/veth-mtu.lab.

import { createSimulator } from '../../../src/scenarios/simulator.js';
import { addrAdd, linkByName, linkSet, netnsAdd, vethAdd } from '../../../src/kernel/netns.js';
import { ipSendLocal } from '../../../src/kernel/stack.js';
import { encodeIcmp, IpProtocol } from '../../../src/model/wire/index.js';
import { INIT_NS } from '../../../src/model/world.js';
import { ip } from '../../support/world.js';

/** pair makes v0 (MTU 1500, 10.0.0.1) wired to namespace a's eth0 (MTU 1400, 10.0.0.2), neighbours resolved. */
function pair() {
  const sim = createSimulator();
  sim.control((tx) => {
    netnsAdd(tx, 'a');
    expect(vethAdd(tx, INIT_NS, 'v0', { peer: 'eth0', peerNs: 'a' })).toBeNull();
    expect(linkSet(tx, INIT_NS, 'v0', [{ op: 'address', mac: '02:00:00:00:00:01' }, { op: 'up' }])).toBeNull();
    expect(linkSet(tx, 'a', 'eth0', [{ op: 'address', mac: '02:00:00:00:00:0a' }, { op: 'mtu', mtu: 1400 }, { op: 'up' }])).toBeNull();
    expect(addrAdd(tx, INIT_NS, 'v0', ip('10.0.0.1'), 24, null, null)).toBeNull();
    expect(addrAdd(tx, 'a', 'eth0', ip('10.0.0.2'), 24, null, null)).toBeNull();
    ipSendLocal(tx, INIT_NS, 0, ip('10.0.0.2'), IpProtocol.Icmp, echo(8), { ttl: 64, pmtudisc: 'do' });
  });
  sim.runFor(1_000_000);
  return sim;
}

function echo(size: number): Uint8Array {
  return encodeIcmp({ type: 'echo-request', ident: 1, seq: 1, data: new Uint8Array(size) });
}

function stats(sim: ReturnType<typeof pair>, ns: string, dev: string) {
  return { ...linkByName(sim.world.namespaces.get(ns)!, dev)!.stats };
}

describe('a veth end sending to a peer with a smaller MTU', () => {
  it.each([
    // IP length → frame length: 1404 → 1418 is the last that fits (1400 + 14 + 4).
    [1404 - 28, null],
    [1405 - 28, 'ENOBUFS'],
    [1500 - 28, 'ENOBUFS'],
  ])('an echo of %i data bytes: %s', (size, errno) => {
    const sim = pair();
    const v0 = stats(sim, INIT_NS, 'v0');
    const eth0 = stats(sim, 'a', 'eth0');
    let res: ReturnType<typeof ipSendLocal> = null;
    sim.control((tx) => {
      res = ipSendLocal(tx, INIT_NS, 0, ip('10.0.0.2'), IpProtocol.Icmp, echo(size), { ttl: 64, pmtudisc: 'do' });
    });
    sim.runFor(1_000_000);
    expect(res === null ? null : (res as { errno: string }).errno).toBe(errno);
    const v0After = stats(sim, INIT_NS, 'v0');
    const eth0After = stats(sim, 'a', 'eth0');
    const dropped = errno === null ? 0 : 1;
    expect(v0After.txDropped - v0.txDropped).toBe(dropped);
    expect(eth0After.rxDropped - eth0.rxDropped).toBe(dropped);
    // A dropped frame is counted as neither sent nor received.
    expect(v0After.txPackets - v0.txPackets).toBe(dropped ? 0 : 1);
    expect(eth0After.rxPackets - eth0.rxPackets).toBe(dropped ? 0 : 1);
  });

  it('is not limited the other way: the larger end takes what the smaller sends', () => {
    const sim = pair();
    let res: ReturnType<typeof ipSendLocal> = { errno: 'EINVAL' };
    sim.control((tx) => {
      res = ipSendLocal(tx, 'a', 0, ip('10.0.0.1'), IpProtocol.Icmp, echo(1372), { ttl: 64, pmtudisc: 'do' });
    });
    expect(res).toBeNull();
  });
});
