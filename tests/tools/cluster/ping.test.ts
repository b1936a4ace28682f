// Tests for the BusyBox flavour of src/tools/ping.ts (runPingCommand): ping in a BusyBox pod prints
// as BusyBox 1.36 does (seed 003), iputils elsewhere. Times vary (`time=<t> ms`, `<rtt>`).

import type { Ping } from '../../../src/tools/ast.js';
import { parseCommand } from '../../../src/tools/commands.js';
import { Output } from '../../../src/tools/output.js';
import { runPingCommand } from '../../../src/tools/ping.js';
import { clusterLab, expectBlock, normaliseTimes, scenarioText } from './support.js';

const POD = 'busybox-deployment-8c7dc8548-x6ljh';

function ping(lab: ReturnType<typeof clusterLab>, ns: string, line: string): Output {
  const out = new Output();
  const cmd = parseCommand(line.split(' ')).cmd as Ping;
  runPingCommand(
    {
      sim: lab.cluster.sim,
      ns,
      out,
      captures: [],
      view: { world: lab.cluster.sim.world, drivers: lab.cluster.sim.drivers },
      cluster: lab.cluster,
    },
    cmd,
  );
  return out;
}

describe('ping in a BusyBox pod', () => {
  const lab = clusterLab(scenarioText('seed003'), { start: true });

  it('prints as BusyBox does, in the shape of seed 003 steps 13 and 20', () => {
    // The same-node coredns pod answers (the walkthrough's cross-node ping goes through IPIP).
    const out = ping(lab, POD, 'ping 192.168.49.65 -c 1');
    expect(out.status).toBe(0);
    expect(normaliseTimes(out.stdout)).toBe(
      normaliseTimes(expectBlock('seed003', 20).replaceAll('192.168.196.131', '192.168.49.65').replace('ttl=62', 'ttl=63')),
    );
  });

  it('counts from seq=0, and exits after the last reply', () => {
    const t0 = lab.cluster.sim.now;
    const out = ping(lab, POD, 'ping -c 3 172.17.0.32');
    expect(
      out.stdout
        .split('\n')
        .filter((l) => l.startsWith('64 bytes'))
        .map((l) => l.split(' ')[4]),
    ).toEqual(['seq=0', 'seq=1', 'seq=2']);
    expect(lab.cluster.sim.now - t0).toBeLessThan(2_100_000);
  });

  it('waits -W seconds after the last request when nothing answers, and exits 1', () => {
    const t0 = lab.cluster.sim.now;
    const out = ping(lab, POD, 'ping -c 2 -W 2 10.99.0.1');
    expect(out.stdout).toBe(
      'PING 10.99.0.1 (10.99.0.1): 56 data bytes\n\n--- 10.99.0.1 ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n',
    );
    expect(out.status).toBe(1);
    expect(lab.cluster.sim.now - t0).toBeGreaterThanOrEqual(3_000_000);
  });

  it('is iputils ping in a pod of another image and on a node', () => {
    expect(ping(lab, 'controlplane', 'ping -c 1 192.168.49.66').stdout.split('\n')[0]).toBe(
      'PING 192.168.49.66 (192.168.49.66) 56(84) bytes of data.',
    );
  });
});
