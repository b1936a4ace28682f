// Tests for the routing table (BIRD's rte_recalculate list discipline, rte_same, refresh cycles and FIB
// order), including a model-based check against a naive best-of-all scan.

import fc from 'fast-check';
import { parseCidr, parseIpv4 } from '../../src/model/addr.js';
import { rteBetter } from '../../src/bgp/decision.js';
import { ip4Hash, PrefixMap, RoutingTable, type RibRoute } from '../../src/bgp/rib.js';
import { maskOf, type Cidr } from '../../src/model/addr.js';

const ip = (s: string): number => parseIpv4(s)!;
const P = parseCidr('10.233.80.0/24')!;

function bgpRoute(protocol: string, localPref: number, peer: number, pathId = 0): RibRoute {
  const attrs = [
    { type: 'origin' as const, flags: 0x40, origin: 0 },
    { type: 'as-path' as const, flags: 0x40, segments: [] },
    { type: 'next-hop' as const, flags: 0x40, nextHop: peer },
    { type: 'local-pref' as const, flags: 0x40, localPref },
  ];
  return {
    prefix: P,
    protocol,
    pathId,
    srcId: 5,
    pref: 100,
    protocolOrder: 4,
    bgp: {
      attrs,
      resolvable: true,
      igpMetric: 0,
      source: {
        isInternal: true,
        remoteId: peer,
        remoteIp: peer,
        remoteAs: 64512,
        defaultLocalPref: 100,
        defaultMed: 0,
        comparePathLengths: true,
        medMetric: false,
        igpMetric: true,
        preferOlder: false,
      },
    },
    dest: 'router',
    gateway: peer,
    iface: 'eth0',
    from: peer,
    attrs,
    hostentry: true,
    lastmod: 0,
    stale: false,
  };
}

describe('routing table', () => {
  it('puts a better route first, links a worse one after the best, and re-elects when the best goes', () => {
    const t = new RoutingTable();
    t.update(P, 'A', 0, bgpRoute('A', 100, ip('10.0.0.3')));
    t.update(P, 'B', 0, bgpRoute('B', 200, ip('10.0.0.4')));
    t.update(P, 'C', 0, bgpRoute('C', 100, ip('10.0.0.2')));
    expect(t.net(P)!.routes.map((r) => r.protocol)).toEqual(['B', 'C', 'A']);
    expect(t.net(P)!.reason).toBe('Local Pref');
    const ch = t.update(P, 'B', 0, null)!;
    expect(ch.oldBest?.protocol).toBe('B');
    expect(ch.newBest?.protocol).toBe('C');
    expect(t.net(P)!.routes.map((r) => r.protocol)).toEqual(['C', 'A']);
    expect(t.net(P)!.reason).toBe('Router ID');
    t.update(P, 'C', 0, null);
    expect(t.net(P)!.reason).toBe('Only Path');
  });

  it('ignores a route equal to the one it has (rte_same), clearing only its stale mark', () => {
    const t = new RoutingTable();
    t.update(P, 'A', 0, bgpRoute('A', 100, ip('10.0.0.3')));
    t.markStale('A');
    expect(t.staleRoutes('A').length).toBe(1);
    expect(t.update(P, 'A', 0, { ...bgpRoute('A', 100, ip('10.0.0.3')), lastmod: 99 })).toBeNull();
    expect(t.staleRoutes('A').length).toBe(0);
    expect(t.best(P)!.lastmod).toBe(0);
  });

  it('keeps routes of one peer apart by ADD-PATH path id', () => {
    const t = new RoutingTable();
    t.update(P, 'RR', 1, bgpRoute('RR', 100, ip('10.0.0.3'), 1));
    t.update(P, 'RR', 2, bgpRoute('RR', 100, ip('10.0.0.2'), 2));
    expect(t.routesOf('RR').map((r) => r.pathId)).toEqual([1, 2]);
    expect(t.best(P)!.pathId).toBe(2);
  });

  it('walks the prefixes in BIRD 1.6 FIB order: by ip4_hash, then insertion', () => {
    const t = new RoutingTable();
    const prefixes = ['10.233.80.0/26', '10.233.80.64/26', '10.233.81.0/24', '10.0.0.0/8', '10.0.0.0/16'].map((p) => parseCidr(p)!);
    for (const p of prefixes) t.update(p, 'A', 0, { ...bgpRoute('A', 100, ip('10.0.0.3')), prefix: p });
    const order = t.allNets().map((n) => n.prefix);
    const expected = prefixes
      .map((p, i) => ({ p, i }))
      .sort((a, b) => ip4Hash(a.p.addr) - ip4Hash(b.p.addr) || a.i - b.i)
      .map((x) => x.p);
    expect(order).toEqual(expected);
    expect([ip4Hash(ip('10.0.0.0')), ip4Hash(ip('10.233.80.0'))]).toEqual([0x0a00, 0xfee9]);
  });

  it('property: the head is always the route no other beats (model: scan all)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ peer: fc.integer({ min: 1, max: 6 }), lp: fc.integer({ min: 99, max: 101 }), del: fc.boolean() }), {
          maxLength: 40,
        }),
        (ops) => {
          const t = new RoutingTable();
          const model = new Map<string, RibRoute>();
          for (const op of ops) {
            const name = `P${op.peer}`;
            if (op.del) {
              t.update(P, name, 0, null);
              model.delete(name);
            } else {
              const r = bgpRoute(name, op.lp, ip(`10.0.0.${op.peer}`));
              t.update(P, name, 0, r);
              model.set(name, r);
            }
            const best = t.best(P);
            if (model.size === 0) expect(best).toBeUndefined();
            else {
              for (const r of model.values()) if (r !== best) expect(rteBetter(r, best!).better).toBe(false);
              expect(t.net(P)!.routes.length).toBe(model.size);
            }
          }
        },
      ),
    );
  });

  it('property: countOf agrees with routesOf and the bests, and routeCount with every list', () => {
    const prefixes = ['10.233.80.0/24', '10.233.81.0/26', '10.0.0.0/8'].map((p) => parseCidr(p)!);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            peer: fc.integer({ min: 1, max: 4 }),
            p: fc.nat(2),
            path: fc.nat(1),
            lp: fc.integer({ min: 99, max: 101 }),
            del: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (ops) => {
          const t = new RoutingTable();
          for (const op of ops) {
            const prefix = prefixes[op.p];
            const name = `P${op.peer}`;
            t.update(prefix, name, op.path, op.del ? null : { ...bgpRoute(name, op.lp, ip(`10.0.0.${op.peer}`), op.path), prefix });
            let all = 0;
            for (const n of t.allNets()) all += n.routes.length;
            expect(t.routeCount).toBe(all);
            for (let peer = 1; peer <= 4; peer++) {
              const own = t.routesOf(`P${peer}`);
              expect(t.countOf(`P${peer}`)).toEqual({ routes: own.length, preferred: own.filter((r) => t.best(r.prefix) === r).length });
            }
          }
        },
      ),
    );
  });
});

describe('prefix map', () => {
  it('property: get, set, delete and the longest match agree with a map of strings and a scan', () => {
    const arbCidr = fc
      .tuple(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([a, len]): Cidr => ({ addr: (a & maskOf(len)) >>> 0, len }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), arbCidr, fc.nat()), { maxLength: 60 }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 20 }),
        (ops, probes) => {
          const m = new PrefixMap<number>();
          const model = new Map<string, { p: Cidr; v: number }>();
          for (const [del, p, v] of ops) {
            const k = `${p.addr}/${p.len}`;
            if (del) expect(m.delete(p)).toBe(model.delete(k));
            else {
              m.set(p, v);
              model.set(k, { p, v });
            }
            expect(m.size).toBe(model.size);
            expect(m.get(p)).toBe(model.get(k)?.v);
          }
          expect([...m.values()].sort()).toEqual([...model.values()].map((e) => e.v).sort());
          for (const a of [...probes, ...ops.map(([, p]) => p.addr)]) {
            let best: { p: Cidr; v: number } | undefined;
            for (const e of model.values()) if ((a & maskOf(e.p.len)) >>> 0 === e.p.addr && (!best || e.p.len > best.p.len)) best = e;
            expect(m.longest(a, () => true)).toBe(best?.v);
          }
        },
      ),
    );
  });
});
