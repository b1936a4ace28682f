// Tests of src/kernel/rules.ts and the rule walk in src/kernel/fib.ts (fib_nl_newrule, fib_nl_delrule,
// fib_default_rule_pref, fib_rules_lookup, fib4_rule_action): priorities and errors are what Linux 6.18 did
// in a network namespace (fixtures/labs/rule-policy.lab and the transcripts quoted below); the walk is
// checked against a naive model with fast-check.

import fc from 'fast-check';
import { parseCidr, parseIpv4 } from '../../src/model/addr.js';
import type { Ipv4 } from '../../src/model/addr.js';
import { FibStore, type FibRule } from '../../src/model/fibstore.js';
import { makeRoute, RouteProto, RouteScope, type Route, type RouteType } from '../../src/model/world.js';
import { fibFromRoutes, fibInsert, fibLookup } from '../../src/kernel/fib.js';
import { DEFAULT_RULES, fibDefaultRulePref, fibRuleAdd, fibRuleDelete, fibRules, type FibRuleRequest } from '../../src/kernel/rules.js';

const ip = (s: string): Ipv4 => parseIpv4(s)!;

function route(table: number, dst: string, type: RouteType = 'unicast', dev = 2, metric = 0): Route {
  return makeRoute({
    table,
    type,
    dst: parseCidr(dst)!,
    ...(type === 'unicast' ? { dev } : {}),
    proto: RouteProto.Boot,
    scope: type === 'unicast' ? RouteScope.Link : RouteScope.Universe,
    metric,
    onlink: false,
  });
}

function add(store: FibStore, req: FibRuleRequest): string {
  const r = fibRuleAdd(store, { action: 'lookup', table: 254, ...req });
  return 'ok' in r ? r.errno : String(r.pref);
}

function prefs(store: FibStore): number[] {
  return fibRules(store).map((r) => r.pref);
}

describe('ip rule add and del (fib_nl_newrule, fib_nl_delrule)', () => {
  it('starts from the three default rules, merged until the first change', () => {
    const s = new FibStore();
    expect(s.rules).toBeNull();
    expect(fibRules(s).map((r) => [r.pref, r.table])).toEqual([
      [0, 255],
      [32766, 254],
      [32767, 253],
    ]);
  });

  it('gives a rule without a priority one less than the second rule, as the kernel did', () => {
    // ip rule add from 10.1.0.0/16 table 100 (twice), to 10.2.0.0/16 lookup 200 pref 100 (twice), then
    // five rules without pref: 32765, 32764, 100 (EEXIST), 99, 98, 97, 96, 95.
    const s = new FibStore();
    const src = { src: ip('10.1.0.0'), srcLen: 16, table: 100 };
    expect(add(s, src)).toBe('32765');
    expect(add(s, src)).toBe('32764');
    const dst = { dst: ip('10.2.0.0'), dstLen: 16, table: 200, pref: 100 };
    expect(add(s, dst)).toBe('100');
    expect(add(s, dst)).toBe('EEXIST');
    expect([
      add(s, { iifname: 'd0', action: 'blackhole', table: 0 }),
      add(s, { mark: 0x10, markMask: 0xff, action: 'prohibit', table: 0 }),
    ]).toEqual(['99', '98']);
    expect(prefs(s)).toEqual([0, 98, 99, 100, 32764, 32765, 32766, 32767]);
  });

  it.each([
    [[0, 32766, 32767], 32765],
    [[0, 1, 32766], 0],
    [[0], 0],
    [[5, 6], 5],
  ])('fib_default_rule_pref over %j is %d', (ps, want) => {
    const rules = ps.map((pref) => ({ ...DEFAULT_RULES[0], pref }));
    expect(fibDefaultRulePref(rules)).toBe(want);
  });

  it('puts a rule after every rule of its priority', () => {
    const s = new FibStore();
    add(s, { pref: 500, table: 1 });
    add(s, { pref: 500, table: 2 });
    add(s, { pref: 400, table: 3 });
    expect(fibRules(s).map((r) => [r.pref, r.table])).toEqual([
      [0, 255],
      [400, 3],
      [500, 1],
      [500, 2],
      [32766, 254],
      [32767, 253],
    ]);
  });

  it('deletes the first rule that agrees with what was given, else ENOENT', () => {
    const s = new FibStore();
    add(s, { src: ip('10.1.0.0'), srcLen: 16, table: 100 });
    add(s, { src: ip('10.1.0.0'), srcLen: 16, table: 100 });
    const gone = fibRuleDelete(s, { table: 100 });
    expect('ok' in gone ? gone.errno : gone.pref).toBe(32764);
    const none = fibRuleDelete(s, { src: ip('10.9.0.0'), srcLen: 16 });
    expect('ok' in none ? none.errno : none.pref).toBe('ENOENT');
    const local = fibRuleDelete(s, { pref: 0 });
    expect('ok' in local ? local.errno : local.table).toBe(255);
    expect(prefs(s)).toEqual([32765, 32766, 32767]);
  });

  it('a copy keeps the rules and the tables made; a frozen store refuses rule changes', () => {
    const s = new FibStore();
    add(s, { table: 100, pref: 5 });
    s.createTable(100);
    const copy = s.clone();
    expect(prefs(copy)).toEqual([0, 5, 32766, 32767]);
    expect(copy.tableExists(100)).toBe(true);
    add(copy, { table: 200, pref: 6 });
    expect(prefs(s)).toEqual([0, 5, 32766, 32767]);
    s.frozen = true;
    expect(() => fibRuleAdd(s, { action: 'lookup', table: 7, pref: 9 })).toThrow('frozen');
  });

  it('a lookup of table 0 takes the first unused table id (fib_empty_table)', () => {
    const s = new FibStore();
    fibInsert(s, route(1, '10.0.0.0/8'), 'add');
    const r = fibRuleAdd(s, { action: 'lookup', table: 0, pref: 7 });
    expect('ok' in r ? r.errno : r.table).toBe(2);
    expect(s.tableExists(2)).toBe(true);
  });
});

describe('the rule walk (fib_rules_lookup)', () => {
  // Tables: main has a default route out of dev 2; 100 sends 192.0.2.0/24 out of dev 3 and throws
  // 192.0.2.128/25; 200 has a default route out of dev 4; 300 a blackhole for 192.0.2.66.
  function world(): FibStore {
    const s = fibFromRoutes([
      route(255, '10.9.1.1/32', 'local', 2),
      route(254, '0.0.0.0/0', 'unicast', 2),
      route(254, '10.1.1.0/24', 'unicast', 5),
      route(100, '192.0.2.0/24', 'unicast', 3),
      route(100, '192.0.2.128/25', 'throw'),
      route(200, '0.0.0.0/0', 'unicast', 4),
      route(300, '192.0.2.66/32', 'blackhole'),
    ]);
    add(s, { src: ip('10.1.2.0'), srcLen: 24, table: 200 });
    add(s, { iifname: 'c1eth', dst: ip('192.0.2.0'), dstLen: 24, table: 100, pref: 1000 });
    add(s, { dst: ip('192.0.2.99'), dstLen: 32, action: 'prohibit', table: 0, pref: 900 });
    add(s, { dst: ip('192.0.2.98'), dstLen: 32, action: 'blackhole', table: 0, pref: 901 });
    add(s, { dst: ip('192.0.2.97'), dstLen: 32, action: 'unreachable', table: 0, pref: 902 });
    add(s, { invert: true, mark: 0x200, markMask: 0x200, table: 300, pref: 50 });
    add(s, { table: 254, suppressPrefixlen: 0, pref: 10 });
    add(s, { table: 777, pref: 20 });
    return s;
  }

  const devOf = (r: Route | null): string => (r === null ? 'ENETUNREACH' : r.type !== 'unicast' ? r.type : `dev ${r.dev}`);

  it.each([
    // dst, saddr, iif, mark: what the packet's route is
    ['192.0.2.10', '10.1.1.2', 'c1eth', 0, 'dev 3'],
    ['192.0.2.200', '10.1.1.2', 'c1eth', 0, 'dev 2'],
    ['192.0.2.10', '10.1.2.2', 'c2eth', 0, 'dev 4'],
    ['192.0.2.10', '10.1.3.2', 'c3eth', 0, 'dev 2'],
    ['10.1.1.7', '10.1.2.2', 'c2eth', 0, 'dev 5'],
    ['192.0.2.10', '0.0.0.0', undefined, 0, 'dev 2'],
    ['192.0.2.10', '10.1.2.1', undefined, 0, 'dev 4'],
    ['192.0.2.99', '10.1.1.2', 'c1eth', 0, 'prohibit'],
    ['192.0.2.98', '10.1.1.2', 'c1eth', 0, 'blackhole'],
    ['192.0.2.97', '10.1.1.2', 'c1eth', 0, 'ENETUNREACH'],
    ['192.0.2.66', '10.1.1.2', 'c1eth', 0, 'blackhole'],
    ['192.0.2.66', '10.1.1.2', 'c1eth', 0x200, 'dev 3'],
    ['10.9.1.1', '10.1.1.2', 'c1eth', 0, 'local'],
  ])('%s from %s iif %s mark %d → %s', (dst, src, iif, mark, want) => {
    expect(devOf(fibLookup(world(), ip(dst), undefined, ip(src), iif, undefined, mark))).toBe(want);
  });

  it('fails when no rule answers, the local one deleted too', () => {
    const s = new FibStore();
    fibInsert(s, route(255, '10.9.1.1/32', 'local', 2), 'add');
    for (const pref of [0, 32766, 32767]) fibRuleDelete(s, { pref });
    expect(fibLookup(s, ip('10.9.1.1'))).toBeNull();
  });

  it('matches tos and oif only when the flow has them', () => {
    const s = fibFromRoutes([route(254, '0.0.0.0/0', 'unicast', 2), route(7, '0.0.0.0/0', 'unicast', 9)]);
    add(s, { tos: 0x10, table: 7, pref: 5 });
    add(s, { oifname: 'wg0', table: 7, pref: 6 });
    expect(devOf(fibLookup(s, ip('1.2.3.4')))).toBe('dev 2');
    expect(devOf(fibLookup(s, ip('1.2.3.4'), undefined, 0, undefined, undefined, 0, 0x10))).toBe('dev 9');
    expect(devOf(fibLookup(s, ip('1.2.3.4'), undefined, 0, undefined, 'wg0'))).toBe('dev 9');
  });

  it('a throw route without rules falls through to the default table, else no route', () => {
    const s = fibFromRoutes([route(254, '10.7.0.0/16', 'throw'), route(254, '0.0.0.0/0', 'unicast', 2)]);
    expect(fibLookup(s, ip('10.7.1.1'))).toBeNull();
    expect(fibLookup(s, ip('10.8.1.1'))?.dev).toBe(2);
    fibInsert(s, route(253, '10.7.0.0/16', 'unicast', 6), 'add');
    expect(fibLookup(s, ip('10.7.1.1'))?.dev).toBe(6);
  });
});

// ---- model-based: the default rules walk like the unmerged tables, and any rule set like a naive walk ----

const DSTS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '0.0.0.0/0', '192.0.2.0/24'];
const arbRoute = fc
  .record({
    table: fc.constantFrom(253, 254, 255, 100, 200),
    dst: fc.constantFrom(...DSTS),
    type: fc.constantFrom<RouteType>('unicast', 'unicast', 'local', 'blackhole', 'throw'),
    dev: fc.integer({ min: 2, max: 4 }),
    metric: fc.nat(3),
  })
  .map((r) => route(r.table, r.dst, r.type, r.dev, r.metric));
const arbAddr = fc.constantFrom('10.1.2.3', '10.1.2.9', '10.1.9.9', '10.9.9.9', '192.0.2.1', '8.8.8.8').map(ip);
const arbRule = fc
  .record({
    pref: fc.integer({ min: 1, max: 40000 }),
    table: fc.constantFrom(254, 255, 100, 200, 300),
    action: fc.constantFrom<FibRule['action']>('lookup', 'lookup', 'lookup', 'blackhole', 'prohibit', 'unreachable'),
    src: fc.option(fc.constantFrom('10.1.0.0/16', '10.1.2.3/32', '192.0.2.0/24'), { nil: undefined }),
    dst: fc.option(fc.constantFrom('10.0.0.0/8', '10.1.2.0/24', '192.0.2.0/24'), { nil: undefined }),
    iif: fc.option(fc.constantFrom('eth0', 'eth1'), { nil: undefined }),
    invert: fc.boolean(),
    suppress: fc.constantFrom(-1, -1, 0, 16),
  })
  .map(
    (r): FibRuleRequest => ({
      pref: r.pref,
      action: r.action,
      table: r.action === 'lookup' ? r.table : 0,
      invert: r.invert,
      ...(r.src !== undefined ? { src: parseCidr(r.src)!.addr, srcLen: parseCidr(r.src)!.len } : {}),
      ...(r.dst !== undefined ? { dst: parseCidr(r.dst)!.addr, dstLen: parseCidr(r.dst)!.len } : {}),
      ...(r.iif !== undefined ? { iifname: r.iif } : {}),
      suppressPrefixlen: r.suppress,
    }),
  );

function within(a: Ipv4, net: Ipv4, len: number): boolean {
  return len === 0 || (a ^ net) >>> (32 - len) === 0;
}

/** naiveTable is fib_table_lookup by scanning: the longest prefix, lowest metric, first in dump order. */
function naiveTable(routes: readonly Route[], table: number, dst: Ipv4): Route | null {
  let best: Route | null = null;
  for (const r of routes) {
    if (r.table !== table || !within(dst, r.dst.addr, r.dst.len)) continue;
    if (best === null || r.dst.len > best.dst.len || (r.dst.len === best.dst.len && r.metric < best.metric)) best = r;
  }
  return best;
}

/** naiveWalk is fib_rules_lookup written out plainly. */
function naiveWalk(store: FibStore, dst: Ipv4, src: Ipv4, iif: string): string {
  for (const rule of fibRules(store)) {
    let ok = (rule.iifname === null || rule.iifname === iif) && within(src, rule.src, rule.srcLen) && within(dst, rule.dst, rule.dstLen);
    if (rule.invert) ok = !ok;
    if (!ok) continue;
    if (rule.action !== 'lookup') return rule.action === 'unreachable' ? 'none' : rule.action;
    if (!store.tableExists(rule.table)) continue;
    const r = naiveTable(store.all(), rule.table, dst);
    if (r === null || r.type === 'throw') continue;
    // fib4_rule_suppress refuses any successful answer (unicast, local), never an error route.
    if ((r.type === 'unicast' || r.type === 'local') && r.dst.len <= rule.suppressPrefixlen) continue;
    return r.type === 'unicast' ? `${r.table}:${r.dst.addr}/${r.dst.len}:${r.dev}` : `${r.type}:${r.table}`;
  }
  return 'none';
}

function answer(r: Route | null): string {
  if (r === null) return 'none';
  if (r.table === 0) return r.type;
  return r.type === 'unicast' ? `${r.table}:${r.dst.addr}/${r.dst.len}:${r.dev}` : `${r.type}:${r.table}`;
}

describe('model-based: rules', () => {
  it('without rules the flow does not matter: the merged lookup answers, from its cache too', () => {
    fc.assert(
      fc.property(fc.array(arbRoute, { maxLength: 12 }), arbAddr, arbAddr, fc.constantFrom('eth0', 'lo'), (routes, dst, src, iif) => {
        const s = fibFromRoutes(routes);
        const plain = fibLookup(s, dst);
        expect(fibLookup(s, dst, undefined, src, iif, 'eth1', 7, 0x10)).toBe(plain);
        expect(fibLookup(s, dst)).toBe(plain);
        expect(s.rules).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('a rule change forgets the answers cached for plain lookups', () => {
    const s = fibFromRoutes([route(254, '0.0.0.0/0', 'unicast', 2), route(100, '0.0.0.0/0', 'unicast', 3)]);
    expect(fibLookup(s, ip('8.8.8.8'))?.dev).toBe(2);
    fibRuleAdd(s, { action: 'lookup', table: 100, pref: 5 });
    expect(fibLookup(s, ip('8.8.8.8'))?.dev).toBe(3);
    fibRuleDelete(s, { pref: 5 });
    expect(fibLookup(s, ip('8.8.8.8'))?.dev).toBe(2);
  });

  it('with the default rules set explicitly, lookups equal the unmerged tables (local, main, default)', () => {
    fc.assert(
      fc.property(fc.array(arbRoute, { maxLength: 12 }), arbAddr, (routes, dst) => {
        const plain = fibFromRoutes(routes);
        const ruled = fibFromRoutes(routes);
        ruled.setRules(DEFAULT_RULES);
        expect(fibLookup(ruled, dst)).toBe(fibLookup(plain, dst, { customRules: true }));
      }),
      { numRuns: 300 },
    );
  });

  it('any rule set walks like the naive walk, and rules stay sorted with equal priorities in order', () => {
    fc.assert(
      fc.property(
        fc.array(arbRoute, { maxLength: 12 }),
        fc.array(arbRule, { minLength: 1, maxLength: 6 }),
        arbAddr,
        arbAddr,
        fc.constantFrom('eth0', 'eth1', 'lo'),
        (routes, rules, dst, src, iif) => {
          const s = fibFromRoutes(routes);
          // At least one rule is added, so the tables are unmerged and every lookup walks the rules.
          for (const req of rules) fibRuleAdd(s, req);
          const ps = prefs(s);
          expect(ps).toEqual([...ps].sort((a, b) => a - b));
          expect(answer(fibLookup(s, dst, undefined, src, iif))).toBe(naiveWalk(s, dst, src, iif));
        },
      ),
      { numRuns: 400 },
    );
  });
});
