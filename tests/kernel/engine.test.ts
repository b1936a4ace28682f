// Tests of the engine's recordings (src/kernel/engine.ts, src/kernel/trace.ts): every trace event
// keeps the world as it left it, a walk steps back and forth by index without re-running anything,
// views never change afterwards, and recording changes nothing a lab prints.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIpv4, parseIpv4 } from '../../src/model/addr.js';
import { INIT_NS, type NeighEntry, type WorldView } from '../../src/model/world.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { parseLab } from '../../src/tools/lab.js';
import { Shell } from '../../src/tools/shell.js';
import { renderTranscript } from '../../src/tools/transcript.js';

const LABS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'labs');

function lab(name: string) {
  const r = parseLab(readFileSync(join(LABS, `${name}.lab`), 'utf8'), name);
  if (!r.ok) throw new Error(r.error.message);
  return r.lab;
}

/** neighTable lists a namespace's ARP entries as `IP STATE [lladdr]`, as one view holds them. */
function neighTable(view: WorldView, ns: string): string[] {
  const n = view.namespaces.get(ns);
  if (n === undefined) return ['(no namespace)'];
  return [...n.neigh.values()]
    .filter((e: NeighEntry) => e.state !== 'NONE')
    .map((e) => `${formatIpv4(e.ip)} ${e.state}${e.lladdr !== undefined ? ` ${e.lladdr}` : ''}`);
}

describe('recording a seed 000 ping', () => {
  // Everything up to the ping, then the ping recorded on its own.
  const all = lab('seed000-same-node').lines;
  const pingAt = all.findIndex((l) => l.cmd.kind === 'ping');
  const shell = new Shell(createSimulator());
  for (const l of all.slice(0, pingAt)) shell.runLine(l);
  const before = neighTable(shell.sim.world, 'zlw-01');
  const trace = shell.sim.record();
  const entry = shell.runLine(all[pingAt]);
  trace.close();
  const steps = trace.steps;

  it('replies with ttl 63 and records every hop', () => {
    expect(entry.stdout).toContain('icmp_seq=1 ttl=63');
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.some((s) => s.event.kind === 'fib-lookup')).toBe(true);
    expect(steps.filter((s) => s.event.kind === 'tx').length).toBeGreaterThanOrEqual(6);
  });

  it('shows, at each neighbour event, the table as that event left it', () => {
    const neighEvents = steps.filter((s) => s.event.kind === 'neigh');
    expect(neighEvents.length).toBeGreaterThan(0);
    for (const s of neighEvents) {
      const ev = s.event;
      if (ev.kind !== 'neigh') continue;
      const row = neighTable(s.view, ev.ns).find((r) => r.startsWith(`${formatIpv4(ev.ip)} `));
      expect(row?.split(' ')[1]).toBe(ev.to);
    }
  });

  it('steps back to the start and forward again without re-running anything', () => {
    const gw = parseIpv4('169.254.1.1')!;
    const stateAt = (i: number): string => {
      const n = steps[i].view.namespaces.get('zlw-01')!;
      return [...n.neigh.values()].find((e) => e.ip === gw)?.state ?? 'NONE';
    };
    const forward = steps.map((_, i) => stateAt(i));
    // The pod's entry for its gateway goes NONE → INCOMPLETE → REACHABLE and never back.
    expect(forward[0]).toBe('NONE');
    expect(forward[forward.length - 1]).toBe('REACHABLE');
    const firstIncomplete = forward.indexOf('INCOMPLETE');
    const firstReachable = forward.indexOf('REACHABLE');
    expect(firstIncomplete).toBeGreaterThan(-1);
    expect(firstReachable).toBeGreaterThan(firstIncomplete);
    const backward = steps.map((_, i) => stateAt(i)).reverse();
    expect(backward.reverse()).toEqual(forward);
    // Before the ping the namespace had no entry; the first step's view agrees.
    expect(before).toEqual([]);
  });

  it('keeps the views as they were after the world changes again', () => {
    const last = steps[steps.length - 1].view;
    const tableThen = neighTable(last, INIT_NS);
    const lo = last.namespaces.get('zlw-01')!.links.get(1)!.stats.txPackets;
    // Change the world: flush the node's neighbours by deleting a veth, delete a pod namespace.
    shell.run('ip link del calife4cf73bf2a');
    shell.run('ip netns del zlw-02');
    shell.run('ip netns exec zlw-01 ping -c 1 -W 1 127.0.0.1');
    expect(neighTable(shell.sim.world, INIT_NS)).not.toEqual(tableThen);
    expect(neighTable(last, INIT_NS)).toEqual(tableThen);
    expect(last.namespaces.has('zlw-02')).toBe(true);
    expect(shell.sim.world.namespaces.has('zlw-02')).toBe(false);
    expect(last.namespaces.get('zlw-01')!.links.get(1)!.stats.txPackets).toBe(lo);
    expect(last.nsOrder).toContain('zlw-02');
  });
});

describe('recording changes nothing a lab prints', () => {
  const names = readdirSync(LABS)
    .filter((f) => f.endsWith('.lab'))
    .map((f) => f.slice(0, -4))
    .sort();

  it.each(names)('%s', (name) => {
    const l = lab(name);
    const plain = new Shell(createSimulator());
    const recorded = new Shell(createSimulator());
    const trace = recorded.sim.record();
    const a = renderTranscript(
      l.lines.map((x) => plain.runLine(x)),
      true,
    );
    const b = renderTranscript(
      l.lines.map((x) => recorded.runLine(x)),
      true,
    );
    trace.close();
    expect(b).toBe(a);
  });
});
