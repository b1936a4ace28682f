// Tests of src/kernel/route.ts: ip_rt_send_redirect's rate limit (the inet_peer token bucket) and the
// route exception an accepted redirect makes (__ip_do_redirect), against what Linux 6.18 did in
// fixtures/labs/redirect.lab: redirects to a host that ignores them at 0.2 s intervals go out for
// packets 1–4 and 6; a host learns the new gateway at the second redirect (the first one resolves it).
// Also the life of route exceptions (fixtures/labs/route-exceptions.lab): fib_release_info frees them
// with their fib_info, fnhe_genid_bump (`ip route flush cache`) resets them all.

import fc from 'fast-check';
import { fibInfoEqual } from '../../src/kernel/fib.js';
import { fibInfoKey, fnheGenidBump, fnheRelease, type InetPeer, pmtuException, redirectAllowed } from '../../src/kernel/route.js';
import { makeRoute, type Netns, RouteProto, RouteScope, RouteTable } from '../../src/model/world.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';
import { shellWith } from '../support/shell.js';

/** sent replays packets at the given times (µs) through redirectAllowed and lists those that got a redirect. */
function sent(times: readonly number[]): number[] {
  let peer: InetPeer | undefined;
  const out: number[] = [];
  times.forEach((t, i) => {
    const v = redirectAllowed(peer, t);
    peer = v.peer;
    if (v.send) out.push(i + 1);
  });
  return out;
}

describe('redirectAllowed (ip_rt_send_redirect)', () => {
  it.each([
    ['every 0.2 s', [0, 0.2, 0.4, 0.6, 0.8, 1.0], [1, 2, 3, 4, 6]],
    ['every 1 s', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 8, 11]],
    ['every 10 ms', [0, 0.01, 0.02, 0.03, 0.04, 0.05], [1, 6]],
    ['after 21 s of silence', [0, 0.2, 0.4, 21.5, 21.52, 21.7], [1, 2, 3, 4, 6]],
  ])('%s', (_name, seconds, expected) => {
    expect(sent(seconds.map((s) => Math.round(s * 1_000_000)))).toEqual(expected);
  });

  // Silence is measured from rate_last, which is never before the first packet: within 20.48 s of it
  // nothing resets the count.
  it('sends at most 9 redirects, the first at once, within one silence period', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 20_480_000 }), { minLength: 1, maxLength: 60 }), (raw) => {
        const times = [...raw].sort((a, b) => a - b);
        const got = sent(times);
        expect(got.length).toBeLessThanOrEqual(9);
        expect(got[0]).toBe(1);
      }),
    );
  });

  it('sends a redirect for the first packet after more than 20.48 s of silence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 25_000_000 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let t = 0;
        const times = gaps.map((g) => (t += g));
        const got = new Set(sent(times));
        gaps.forEach((g, i) => {
          if (i > 0 && g > 20_480_000) expect(got.has(i + 1)).toBe(true);
        });
      }),
    );
  });
});

/** LAN is redirect.lab: host h (default via r1), r1 routes 10.9.0.0/24 via r2 on the same bridge. */
const LAN = [
  'sysctl -qw net.ipv4.igmp_link_local_mcast_reports=0',
  'ip link add br0 type bridge',
  'ip link set br0 up',
  'ip netns add h',
  'ip netns add r1',
  'ip netns add r2',
  'ip netns add srv',
  'ip link add p-h type veth peer name eth0 netns h',
  'ip link add p-r1 type veth peer name eth0 netns r1',
  'ip link add p-r2 type veth peer name eth0 netns r2',
  'ip link set p-h master br0 up',
  'ip link set p-r1 master br0 up',
  'ip link set p-r2 master br0 up',
  'ip -n h link set eth0 up',
  'ip -n h addr add 10.0.0.10/24 dev eth0',
  'ip -n h route add default via 10.0.0.1',
  'ip -n r1 link set eth0 up',
  'ip -n r1 addr add 10.0.0.1/24 dev eth0',
  'ip -n r1 route add 10.9.0.0/24 via 10.0.0.2',
  'ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1',
  'ip -n r2 link set eth0 up',
  'ip -n r2 addr add 10.0.0.2/24 dev eth0',
  'ip -n r2 link add eth1 type veth peer name eth0 netns srv',
  'ip -n r2 link set eth1 up',
  'ip -n r2 addr add 10.9.0.1/24 dev eth1',
  'ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1',
  'ip -n srv link set eth0 up',
  'ip -n srv addr add 10.9.0.5/24 dev eth0',
  'ip -n srv route add default via 10.9.0.1',
];

const lan = (extra: readonly string[] = []): Shell => shellWith(...LAN, ...extra);

const routeGet = (sh: Shell): string => sh.run('ip -n h route get 10.9.0.5').output.stdout;
const VIA_R1 = '10.9.0.5 via 10.0.0.1 dev eth0 src 10.0.0.10 uid 0 \n    cache \n';

describe('redirect exceptions (__ip_do_redirect)', () => {
  it('learns the new gateway at the second redirect and shows it in ip route get', () => {
    const sh = lan();
    expect(routeGet(sh)).toBe(VIA_R1);
    sh.run('ip netns exec h ping -c 1 -W 1 10.9.0.5');
    // The first redirect only resolved r2.
    expect(routeGet(sh)).toBe(VIA_R1);
    sh.run('sleep 1');
    sh.run('ip netns exec h ping -c 1 -W 1 10.9.0.5');
    expect(routeGet(sh)).toBe('10.9.0.5 via 10.0.0.2 dev eth0 src 10.0.0.10 uid 0 \n    cache <redirected> expires 299sec \n');
    expect(sh.run('ip -n h route get 10.9.0.5 fibmatch').output.stdout).toBe('default via 10.0.0.1 dev eth0 \n');
  });

  it.each([
    [
      'accept_redirects off on the host',
      ['ip netns exec h sysctl -qw net.ipv4.conf.all.accept_redirects=0 net.ipv4.conf.eth0.accept_redirects=0'],
    ],
    ['send_redirects off on r1', ['ip netns exec r1 sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0']],
    [
      'shared_media off and no route through r2',
      ['ip netns exec h sysctl -qw net.ipv4.conf.all.shared_media=0 net.ipv4.conf.eth0.shared_media=0'],
    ],
  ])('learns nothing with %s', (_name, extra) => {
    const sh = lan(extra);
    sh.run('ip netns exec h ping -c 3 -i 0.2 -W 1 10.9.0.5');
    expect(routeGet(sh)).toBe(VIA_R1);
  });
});

/** hostNs is a namespace with 10.0.1.2/24 on eth0 and `default via 10.0.1.1`, made by the ip tool. */
function hostNs(extra: readonly string[] = []): { sh: Shell; ns: () => Netns } {
  const sim = createSimulator();
  const sh = new Shell(sim);
  for (const l of [
    'ip netns add h',
    'ip -n h link add eth0 type veth peer name eth1',
    'ip -n h link set eth0 up',
    'ip -n h link set eth1 up',
    'ip -n h addr add 10.0.1.2/24 dev eth0',
    'ip -n h route add default via 10.0.1.1',
    ...extra,
  ]) {
    expect([l, sh.run(l).output.stderr]).toEqual([l, '']);
  }
  return { sh, ns: () => sim.world.namespaces.get('h')! };
}

const DST = 0x0a000302;

describe('fibInfoKey (fib_find_info)', () => {
  const route = fc.record({
    proto: fc.constantFrom(RouteProto.Boot, RouteProto.Static, RouteProto.Kernel),
    scope: fc.constantFrom(RouteScope.Universe, RouteScope.Link),
    metric: fc.integer({ min: 0, max: 3 }),
    gateway: fc.option(fc.constantFrom(0x0a000101, 0x0a000102), { nil: undefined }),
    dev: fc.constantFrom(2, 3),
    mtu: fc.option(fc.constantFrom(1300, 1400), { nil: undefined }),
    len: fc.constantFrom(0, 24),
  });
  const build = (r: {
    proto: number;
    scope: number;
    metric: number;
    gateway: number | undefined;
    dev: number;
    mtu: number | undefined;
    len: number;
  }) => makeRoute({ table: RouteTable.Main, type: 'unicast', dst: { addr: 0, len: r.len }, ...r, onlink: false });

  it('gives two routes one key exactly when they would share a fib_info, whatever their prefixes', () => {
    fc.assert(
      fc.property(route, route, (a, b) => {
        const ra = build(a);
        const rb = build(b);
        expect(fibInfoKey(ra) === fibInfoKey(rb)).toBe(fibInfoEqual(ra, { ...rb, dst: ra.dst }));
      }),
    );
  });
});

describe('route exception lifetime (fib_release_info, fnhe_genid_bump)', () => {
  it('hangs a path MTU off the fib_info of the route the FIB gives for the destination', () => {
    const { ns } = hostNs();
    const e = pmtuException(ns(), DST, 0x0a000102, 1400, 600_000_000);
    expect(e).toEqual({ mtu: 1400, expires: 600_000_000, fi: fibInfoKey(ns().fib.dump(RouteTable.Main)[0]) });
  });

  it.each([
    // A route sharing the fib_info keeps the exception when the other one goes.
    [['ip -n h route add 10.0.7.0/24 via 10.0.1.1', 'ip -n h route del default'], true],
    [['ip -n h route add 10.0.7.0/24 via 10.0.1.1 metric 5', 'ip -n h route del default'], false],
    [['ip -n h route del default'], false],
    [['ip -n h route add 10.0.7.0/24 via 10.0.1.1'], true],
  ])('after %j the exception is kept: %s', (cmds, kept) => {
    const { sh, ns } = hostNs();
    ns().pmtu.set(DST, pmtuException(ns(), DST, 0, 1400, 600_000_000));
    for (const c of cmds) sh.run(c);
    fnheRelease(ns());
    expect(ns().pmtu.has(DST)).toBe(kept);
  });

  it('drops a redirect whose nexthop no route uses any more', () => {
    const { ns } = hostNs();
    const eth0 = [...ns().links.values()].find((l) => l.name === 'eth0')!.ifindex;
    ns().redirects = new Map([
      [DST, { gw: 0x0a000103, expires: 300_000_000, dev: 99, oldGw: 0x0a000101 }],
      [DST + 1, { gw: 0x0a000103, expires: 300_000_000, dev: eth0, oldGw: 0x0a000109 }],
      [DST + 2, { gw: 0x0a000103, expires: 300_000_000, dev: eth0, oldGw: 0x0a000101 }],
    ]);
    fnheRelease(ns());
    expect([...ns().redirects!.keys()]).toEqual([DST + 2]);
  });

  it('resets every exception on a cache flush', () => {
    const { ns } = hostNs();
    ns().pmtu.set(DST, { mtu: 1400, expires: 1 });
    ns().redirects = new Map([[DST, { gw: 1, expires: 1, dev: 2, oldGw: 0 }]]);
    fnheGenidBump(ns());
    expect([ns().pmtu.size, ns().redirects!.size]).toEqual([0, 0]);
  });
});
