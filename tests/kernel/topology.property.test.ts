// Random lab-like topologies: namespaces joined by veth pairs and bridges, random addresses,
// random static routes (routing loops included), forwarding on or off. Whatever the topology,
// a ping ends (the virtual clock never stalls), and every packet that vanishes carries a reason.

import fc from 'fast-check';
import { DropReason } from '../../src/kernel/trace.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { parseLab } from '../../src/tools/lab.js';
import { Shell } from '../../src/tools/shell.js';

const NAMES = ['n0', 'n1', 'n2', 'n3', 'n4'];

/** topology draws a lab: its lines are exactly what a person would type. */
const topology = fc
  .record({
    nodes: fc.integer({ min: 2, max: 5 }),
    links: fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { minLength: 1, maxLength: 8 }),
    forwarding: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    routes: fc.array(
      fc.record({
        node: fc.nat(4),
        prefix: fc.constantFrom('0.0.0.0/0', '10.9.0.0/16', '10.1.0.0/16', '10.1.2.0/24', '10.9.9.9/32'),
        kind: fc.constantFrom('via', 'blackhole', 'unreachable', 'onlink'),
        gwLink: fc.nat(7),
      }),
      { maxLength: 8 },
    ),
    ping: fc.record({
      from: fc.nat(4),
      dst: fc.constantFrom('10.1.2.3', '10.9.9.9', '10.1.0.1', '10.1.1.2', '192.0.2.1'),
      ttl: fc.integer({ min: 1, max: 64 }),
    }),
  })
  .map((t) => {
    const n = t.nodes;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(`ip netns add ${NAMES[i]}`);
      if (t.forwarding[i]) lines.push(`ip netns exec ${NAMES[i]} sysctl -qw net.ipv4.ip_forward=1`);
    }
    const links = t.links.map(([a, b]) => [a % n, b % n] as const).filter(([a, b]) => a !== b);
    links.forEach(([a, b], k) => {
      lines.push(`ip -n ${NAMES[a]} link add l${k}a type veth peer name l${k}b netns ${NAMES[b]}`);
      lines.push(`ip -n ${NAMES[a]} addr add 10.1.${k}.1/24 dev l${k}a`);
      lines.push(`ip -n ${NAMES[b]} addr add 10.1.${k}.2/24 dev l${k}b`);
      lines.push(`ip -n ${NAMES[a]} link set l${k}a up`);
      lines.push(`ip -n ${NAMES[b]} link set l${k}b up`);
    });
    for (const r of t.routes) {
      const node = NAMES[r.node % n];
      if (r.kind === 'blackhole' || r.kind === 'unreachable') lines.push(`ip -n ${node} route replace ${r.kind} ${r.prefix}`);
      else if (links.length > 0) {
        const k = r.gwLink % links.length;
        const [a] = links[k];
        const mine = NAMES[a] === node;
        const gw = mine ? `10.1.${k}.2` : `10.1.${k}.1`;
        lines.push(
          `ip -n ${node} route replace ${r.prefix} via ${gw}${r.kind === 'onlink' ? ` dev ${mine ? `l${k}a` : `l${k}b`} onlink` : ''}`,
        );
      }
    }
    lines.push(`ip netns exec ${NAMES[t.ping.from % n]} ping -c 2 -W 1 -t ${t.ping.ttl} ${t.ping.dst}`);
    return `${lines.join('\n')}\n`;
  });

const REASONS = new Set<string>(Object.values(DropReason));

describe('random topologies', () => {
  it('always finish, and every drop names a reason', () => {
    fc.assert(
      fc.property(topology, (text) => {
        const parsed = parseLab(text, 'random.lab');
        if (!parsed.ok) throw new Error(`generated lab does not parse: ${parsed.error.message}\n${text}`);
        const shell = new Shell(createSimulator());
        // Recording from the start, so that every drop the namespaces counted is in the trace.
        const trace = shell.sim.record();
        const out = parsed.lab.lines.map((l) => shell.runLine(l));
        trace.close();
        const ping = out[out.length - 1];
        // The ping either printed its statistics or failed at connect(): it never hangs.
        expect(ping.stdout.includes('ping statistics') || /^ping: /.test(ping.stderr)).toBe(true);
        // Two probes at most, each with a bounded number of hops: TTL bounds any routing loop.
        expect(trace.steps.length).toBeLessThan(20_000);
        for (const step of trace.steps) {
          if (step.event.kind === 'drop') expect(REASONS.has(step.event.reason)).toBe(true);
        }
        // Every counted drop is one the trace recorded, and the last snapshot is the world as it ends.
        let counted = 0;
        for (const ns of shell.sim.world.namespaces.values()) for (const v of ns.drops.values()) counted += v;
        expect(counted).toBe(trace.steps.filter((t) => t.event.kind === 'drop').length);
        const last = trace.steps[trace.steps.length - 1];
        if (last !== undefined) {
          let seen = 0;
          for (const ns of last.view.namespaces.values()) for (const v of ns.drops.values()) seen += v;
          expect(seen).toBeLessThanOrEqual(counted);
        }
      }),
      { numRuns: 150, seed: 20261121 },
    );
  });

  it('a routing loop ends in Time to live exceeded, not a hang (checked on the kernel)', () => {
    // A loop between b and c; a's own packets coming back to a would be martians instead.
    const text = [
      'ip netns add a',
      'ip netns add b',
      'ip netns add c',
      'ip netns exec b sysctl -qw net.ipv4.ip_forward=1',
      'ip netns exec c sysctl -qw net.ipv4.ip_forward=1',
      'ip -n a link add x1 type veth peer name y1 netns b',
      'ip -n b link add x2 type veth peer name y2 netns c',
      'ip -n a link set x1 up',
      'ip -n b link set y1 up',
      'ip -n b link set x2 up',
      'ip -n c link set y2 up',
      'ip -n a addr add 10.1.0.1/24 dev x1',
      'ip -n b addr add 10.1.0.2/24 dev y1',
      'ip -n b addr add 10.2.0.1/24 dev x2',
      'ip -n c addr add 10.2.0.2/24 dev y2',
      'ip -n a route add 10.9.0.0/16 via 10.1.0.2',
      'ip -n b route add 10.9.0.0/16 via 10.2.0.2',
      'ip -n c route add 10.9.0.0/16 via 10.2.0.1',
      'ip -n c route add 10.1.0.0/24 via 10.2.0.1',
      'ip netns exec a ping -c 1 -W 1 10.9.9.9',
    ].join('\n');
    const parsed = parseLab(text, 'loop.lab');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const shell = new Shell(createSimulator());
    const trace = shell.sim.record();
    const out = parsed.lab.lines.map((l) => shell.runLine(l));
    expect(out[out.length - 1].stdout).toContain('From 10.2.0.2 icmp_seq=1 Time to live exceeded');
    const ttlDrops = trace.steps.filter((t) => t.event.kind === 'drop' && t.event.reason === DropReason.TtlExceeded);
    expect(ttlDrops).toHaveLength(1);
  });
});
