// Tests of the engine (src/kernel/engine.ts, src/kernel/trace.ts): the event queue against a model
// (timers fire by time, then by arming order, whatever is cancelled or armed again), one frame sent
// to many ports at once delivered as separate steps, and recordings: every trace event keeps the
// world as it left it, a walk steps back and forth by index without re-running anything, views
// never change afterwards, and recording changes nothing a lab prints.

import fc from 'fast-check';
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

describe('views of a recording through a bridge', () => {
  /** worldText writes down everything a view holds, so two readings of it can be compared. */
  function worldText(view: WorldView): string {
    return JSON.stringify([...view.namespaces.entries()], (k, v: unknown) => {
      if (v instanceof Map) return [...v.entries()];
      if (v instanceof Set) return [...v.values()];
      if (v instanceof Uint8Array) return Array.from(v);
      if (k === 'fib') return (v as { all(): unknown }).all();
      return v;
    });
  }

  it('never change while the bridge learns again and TCP sends more', () => {
    const shell = new Shell(createSimulator());
    const run = (l: string) => shell.run(l).output;
    for (const l of [
      'sysctl -w net.ipv4.igmp_link_local_mcast_reports=0',
      'ip link add br0 type bridge',
      'ip link set br0 address 02:00:00:00:00:fe up',
      'ip netns add h1',
      'ip netns add h2',
      'ip link add port1 type veth peer name eth0 netns h1',
      'ip link add port2 type veth peer name eth0 netns h2',
      'ip link set port1 address 02:00:00:00:01:01 master br0 up',
      'ip link set port2 address 02:00:00:00:01:02 master br0 up',
      'ip -n h1 link set eth0 address 02:00:00:00:00:01 up',
      'ip -n h2 link set eth0 address 02:00:00:00:00:02 up',
      'ip -n h1 addr add 192.168.10.1/24 dev eth0',
      'ip -n h2 addr add 192.168.10.2/24 dev eth0',
      'listen h2 80 http',
    ])
      expect(run(l).stderr).toBe('');
    const trace = shell.sim.record();
    expect(run('ip netns exec h1 curl -sS -m 2 http://192.168.10.2/bytes/4096').stderr).toBe('');
    trace.close();
    const views = trace.steps.map((t) => t.view);
    const before = views.map(worldText);
    // The bridge refreshes what it learned, TCP queues and acknowledges more bytes, neighbours age.
    expect(run('ip netns exec h1 curl -sS -m 2 http://192.168.10.2/bytes/8192').stderr).toBe('');
    expect(run('ip netns exec h2 ping -c 2 192.168.10.1').stderr).toBe('');
    shell.sim.runFor(40_000_000);
    expect(views.map(worldText)).toEqual(before);
    expect(worldText(shell.sim.world)).not.toEqual(before[before.length - 1]);
    // The last view and the world now differ in what the bridge learned since.
    const fdbAt = (v: WorldView) =>
      v.namespaces
        .get(INIT_NS)!
        .links.get(2)!
        .fdb.filter((f) => !f.local)
        .map((f) => `${f.mac} ${f.port} ${f.updated}`);
    expect(fdbAt(views[views.length - 1])).not.toEqual(fdbAt(shell.sim.world));
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

describe('the event queue', () => {
  type Op =
    | { readonly op: 'after'; readonly us: number }
    | { readonly op: 'cancel'; readonly pick: number }
    | { readonly op: 'rearm'; readonly pick: number; readonly us: number }
    | { readonly op: 'run'; readonly us: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('after' as const), us: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('rearm' as const), pick: fc.nat(), us: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ op: fc.constant('run' as const), us: fc.integer({ min: 0, max: 30 }) }),
  );

  it('fires timers by time, then in the order they were last armed; cancelled ones never fire nor count', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const sim = createSimulator();
        const model = new Map<number, { at: number; seq: number }>();
        let seq = 0;
        const fired: number[] = [];
        const expected: number[] = [];
        const steps0 = sim.steps;
        const due = (upTo: number): void => {
          const ready = [...model].filter(([, v]) => v.at <= upTo).sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq);
          for (const [id] of ready) {
            expected.push(id);
            model.delete(id);
          }
        };
        // Ids ever handed out, so cancel and rearm also meet timers that already fired.
        const ids: number[] = [];
        for (const o of ops) {
          if (o.op === 'after') {
            const id = sim.after(o.us, () => fired.push(id));
            ids.push(id);
            model.set(id, { at: sim.now + o.us, seq: seq++ });
          } else if (o.op === 'cancel' && ids.length > 0) {
            const id = ids[o.pick % ids.length];
            sim.cancel(id);
            model.delete(id);
          } else if (o.op === 'rearm' && ids.length > 0) {
            const id = ids[o.pick % ids.length];
            expect(sim.rearm(id, o.us)).toBe(model.has(id));
            if (model.has(id)) model.set(id, { at: sim.now + o.us, seq: seq++ });
          } else if (o.op === 'run') {
            sim.runFor(o.us);
            due(sim.now);
          }
          const next = Math.min(...[...model.values()].map((v) => v.at));
          expect(sim.nextEventAt()).toBe(next);
        }
        sim.runFor(1000);
        due(sim.now);
        expect(fired).toEqual(expected);
        expect(sim.steps - steps0).toBe(expected.length);
      }),
    );
  });

  /** lan builds a bridge in the initial namespace with `hosts` namespaces on it and captures every host's eth0. */
  function lan(hosts: number): Shell {
    const shell = new Shell(createSimulator());
    const run = (l: string): void => expect(shell.run(l).output.stderr).toBe('');
    run('sysctl -w net.ipv4.igmp_link_local_mcast_reports=0');
    run('ip link add br0 type bridge');
    run('ip link set br0 address 02:00:00:00:00:fe up');
    for (let i = 1; i <= hosts; i++) {
      run(`ip netns add h${i}`);
      run(`ip link add port${i} type veth peer name eth0 netns h${i}`);
      run(`ip link set port${i} address 02:00:00:00:01:${i.toString(16).padStart(2, '0')} master br0 up`);
      run(`ip -n h${i} link set eth0 address 02:00:00:00:00:${i.toString(16).padStart(2, '0')} up`);
      run(`ip -n h${i} addr add 192.168.10.${i}/24 dev eth0`);
    }
    shell.sim.runFor(1_000_000);
    return shell;
  }

  /** flood sends one ARP request from h1 into the bridge and returns, in order, where and when each host received it. */
  function flood(shell: Shell, stopEvery: number): string[] {
    const sim = shell.sim;
    const trace = sim.record();
    sim.sendEcho('h1', parseIpv4('192.168.10.200')!, 1, 1, 8, 64, 'dont');
    // Stop the run every `stopEvery` steps, as a tool whose condition came true would, and go on.
    const end = sim.now + 10;
    while (sim.nextEventAt() <= end) {
      let k = 0;
      sim.runUntil(end, () => k++ >= stopEvery);
    }
    trace.close();
    return trace.steps.flatMap((t) => (t.event.kind === 'rx' && t.event.ns.startsWith('h') ? [`${t.event.ns} ${t.at}`] : []));
  }

  it('delivers a frame flooded to every port as one step per port, newest port first (br->port_list), also when a run stops between them', () => {
    const whole = flood(lan(6), Number.POSITIVE_INFINITY);
    expect(whole).toEqual(['h6 1000004', 'h5 1000004', 'h4 1000004', 'h3 1000004', 'h2 1000004']);
    expect(flood(lan(6), 1)).toEqual(whole);
  });

  it('counts every delivery of a flooded frame as a step', () => {
    const shell = lan(4);
    const sim = shell.sim;
    const steps0 = sim.steps;
    sim.sendEcho('h1', parseIpv4('192.168.10.200')!, 1, 1, 8, 64, 'dont');
    sim.runFor(10);
    // The request reaches port1 (one step), then port2, port3 and port4 flood it on to h2, h3, h4.
    expect(sim.steps - steps0).toBe(4);
  });
});
