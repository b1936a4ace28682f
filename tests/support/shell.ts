// Shells for tests that build a world through command lines, as a lab does: each set-up line must
// run without a word on stderr, and a failing one names itself. ROUTED is the a — r — b topology
// several kernel and tool tests share.

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

/** shellWith is a Shell over a fresh simulator that has run `setup`, each line without error. */
export function shellWith(...setup: readonly string[]): Shell {
  const sh = new Shell(createSimulator());
  for (const l of setup) expect([l, sh.run(l).output.stderr]).toEqual([l, '']);
  return sh;
}

/** runLine runs one line and returns what it printed (stdout, then stderr) and its status. */
export function runLine(sh: Shell, line: string): [string, number] {
  const r = sh.run(line).output;
  return [r.stdout + r.stderr, r.status];
}

/** ROUTED is a (10.0.1.2) — r — b (10.0.2.2), r forwarding between 10.0.1.0/24 and 10.0.2.0/24. */
export const ROUTED: readonly string[] = [
  'ip netns add a',
  'ip netns add r',
  'ip netns add b',
  'ip -n a link add eth0 type veth peer name eth0 netns r',
  'ip -n r link add eth1 type veth peer name eth0 netns b',
  'ip -n a link set eth0 up',
  'ip -n r link set eth0 up',
  'ip -n r link set eth1 up',
  'ip -n b link set eth0 up',
  'ip -n a addr add 10.0.1.2/24 dev eth0',
  'ip -n r addr add 10.0.1.1/24 dev eth0',
  'ip -n r addr add 10.0.2.1/24 dev eth1',
  'ip -n b addr add 10.0.2.2/24 dev eth0',
  'ip -n a route add default via 10.0.1.1',
  'ip -n b route add default via 10.0.2.1',
  'ip netns exec r sysctl -qw net.ipv4.ip_forward=1',
];
