// Tests for src/tools/birdc/bird1.ts and the BIRD 1.6 side of args.ts and cli.ts: the formats of
// Calico's BIRD v0.3.3+birdv1.6.8, checked against calico-facts §7 (the raw sample of
// calicoctl#1281 and lines derived from the printf formats) and the source's rules: reply codes,
// time formats, FIB order, abbreviation of commands. No BIRD 1.6 runs on this machine.

import { parseIpv4 } from '../../../src/model/addr.js';
import { expandBirdCommand, parseBirdCommand, parseBirdcArgs } from '../../../src/tools/birdc/args.js';
import {
  BIRD1_VERSION,
  bird1BgpAttributes,
  bird1FibOrder,
  bgpRouteInfo,
  formatAsPath,
  ip4Hash16,
  showProtocols,
  showRoute,
  type Bird1Network,
  type Bird1Protocol,
} from '../../../src/tools/birdc/bird1.js';
import { formatBirdTime, newBirdSocketState, oneShot, renderInteractive, renderSocket } from '../../../src/tools/birdc/cli.js';

const ip = (s: string): number => parseIpv4(s)!;
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const day = (hms: string, d = 16): number => Date.UTC(2025, 4, d, ...(hms.split(':').map(Number) as [number, number, number])) / 1000;
const clock = { now: day('12:40:00') };

const core = (name: string, proto: string, since: string): Bird1Protocol => ({
  name,
  proto,
  table: 'master',
  state: 'up',
  lastStateChange: day(since),
  preference: 200,
  inputFilter: 'ACCEPT',
  outputFilter: 'REJECT',
});

const MESH_UP: Bird1Protocol = {
  name: 'Mesh_10_23_14_111',
  proto: 'BGP',
  table: 'master',
  state: 'up',
  lastStateChange: day('12:31:31'),
  description: 'Connection to BGP peer',
  preference: 100,
  inputFilter: 'ACCEPT',
  outputFilter: '(unnamed)',
  stats: {
    importedRoutes: 1,
    exportedRoutes: 1,
    preferredRoutes: 1,
    importUpdates: [1, 0, 0, 0, 1],
    importWithdraws: [0, 0, 0, 0],
    exportUpdates: [3, 1, 1, 1],
    exportWithdraws: [0, 0],
  },
  bgp: {
    state: 'Established',
    neighborAddress: ip('10.23.14.111'),
    neighborAs: 64512,
    up: {
      neighborId: ip('10.23.14.111'),
      neighborCaps: { refresh: true, enhancedRefresh: true, restart: 'able', llgr: 'aware', as4: true, addPathRx: true, addPathTx: true },
      session: { internal: true, multihop: true, as4: true, addPathRx: true, addPathTx: true },
      sourceAddress: ip('10.23.14.110'),
      hold: { remaining: 180, time: 240 },
      keepalive: { remaining: 40, time: 80 },
    },
  },
};

const MESH_DOWN: Bird1Protocol = {
  ...MESH_UP,
  name: 'Mesh_10_23_14_112',
  state: 'start',
  lastStateChange: day('12:31:30'),
  stats: undefined,
  bgp: {
    state: 'Active',
    lastError: { class: 'socket', message: 'Connection refused' },
    neighborAddress: ip('10.23.14.112'),
    neighborAs: 64512,
    connectDelay: { remaining: 3, time: 2 },
  },
};

describe('BIRD 1.6 show protocols', () => {
  it('pads rows with %-8s and %-10s as calico-facts derives them', () => {
    const out = renderInteractive(showProtocols([core('static1', 'Static', '12:31:29'), MESH_UP, MESH_DOWN], clock, false));
    expect(out).toBe(
      lines(
        'name     proto    table    state  since       info',
        'static1  Static   master   up     12:31:29    ',
        'Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
        'Mesh_10_23_14_112 BGP      master   start  12:31:30    Active        Socket: Connection refused',
      ),
    );
  });

  it('writes the reply codes calicoctl reads (calicoctl#1281)', () => {
    const raw = renderSocket(
      showProtocols([core('kernel1', 'Kernel', '16:36:22'), core('device1', 'Device', '16:36:22'), MESH_UP], clock, false),
      newBirdSocketState(),
    );
    expect(raw).toBe(
      lines(
        '2002-name     proto    table    state  since       info',
        '1002-kernel1  Kernel   master   up     16:36:22    ',
        ' device1  Device   master   up     16:36:22    ',
        ' Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
        '0000 ',
      ),
    );
  });

  it('prints every line of show protocols all for an established session', () => {
    const out = renderInteractive(showProtocols([MESH_UP], clock, true, { kind: 'name', name: 'Mesh_10_23_14_111' }));
    expect(out).toBe(
      lines(
        'name     proto    table    state  since       info',
        'Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
        '  Description:    Connection to BGP peer',
        '  Preference:     100',
        '  Input filter:   ACCEPT',
        '  Output filter:  (unnamed)',
        '  Routes:         1 imported, 1 exported, 1 preferred',
        '  Route change stats:     received   rejected   filtered    ignored   accepted',
        '    Import updates:              1          0          0          0          1',
        '    Import withdraws:            0          0        ---          0          0',
        '    Export updates:              3          1          1        ---          1',
        '    Export withdraws:            0        ---        ---        ---          0',
        '  BGP state:          Established',
        '    Neighbor address: 10.23.14.111',
        '    Neighbor AS:      64512',
        '    Neighbor ID:      10.23.14.111',
        '    Neighbor caps:    refresh enhanced-refresh restart-able llgr-aware AS4 add-path-rx add-path-tx',
        '    Session:          internal multihop AS4 add-path-rx add-path-tx',
        '    Source address:   10.23.14.110',
        '    Hold timer:       180/240',
        '    Keepalive timer:  40/80',
        '',
      ),
    );
  });

  it('shows the connect delay and last error of a starting session, and no stats', () => {
    const out = renderInteractive(showProtocols([MESH_DOWN], clock, true)).split('\n');
    expect(out.slice(6)).toEqual([
      '  BGP state:          Active',
      '    Neighbor address: 10.23.14.112',
      '    Neighbor AS:      64512',
      '    Connect delay:    3/2',
      '    Last error:       Socket: Connection refused',
      '',
      '',
    ]);
    expect(out[5]).toBe('  Output filter:  (unnamed)');
  });

  it('answers an unknown name and an empty pattern as the daemon does', () => {
    expect(showProtocols([MESH_UP], clock, false, { kind: 'name', name: 'nosuch' })).toEqual([
      { code: 9002, text: 'nosuch is not a protocol' },
    ]);
    expect(showProtocols([MESH_UP], clock, false, { kind: 'pattern', pattern: 'Global*' })).toEqual([
      { code: 8003, text: 'No protocols match' },
    ]);
    expect(showProtocols([MESH_UP, MESH_DOWN], clock, false, { kind: 'pattern', pattern: 'Mesh_*_112' }).length).toBe(3);
  });

  it('switches the since column to %F after 20 hours', () => {
    expect(formatBirdTime({ fmt1: '%T', fmt2: '%F', limit: 72000 }, day('12:31:29'), day('08:31:28', 17))).toBe('12:31:29');
    expect(formatBirdTime({ fmt1: '%T', fmt2: '%F', limit: 72000 }, day('12:31:29'), day('08:31:29', 17))).toBe('2025-05-16');
  });
});

describe('BIRD 1.6 show route', () => {
  const NETS: Bird1Network[] = [
    {
      prefix: ip('10.233.81.0'),
      len: 26,
      routes: [
        {
          dest: { type: 'router', gw: ip('10.23.14.111'), iface: 'eth0' },
          protocol: 'Mesh_10_23_14_111',
          lastmod: day('12:31:31'),
          pref: 100,
          source: 'BGP',
          bgp: { igpMetric: 0, asPath: [], origin: 'IGP' },
          attributes: bird1BgpAttributes({ origin: 'IGP', asPath: [], nextHop: ip('10.23.14.111'), localPref: 100 }),
        },
      ],
    },
    {
      prefix: ip('10.233.80.0'),
      len: 26,
      routes: [{ dest: { type: 'blackhole' }, protocol: 'static1', lastmod: day('12:31:29'), pref: 200, source: 'static' }],
    },
    {
      prefix: ip('10.233.80.1'),
      len: 32,
      routes: [
        { dest: { type: 'device', iface: 'calife4cf73bf2a' }, protocol: 'kernel1', lastmod: day('12:31:40'), pref: 10, source: 'inherit' },
      ],
    },
  ];

  it('prints the route lines and attributes calico-facts derives', () => {
    expect(renderInteractive(showRoute(bird1FibOrder(NETS), clock, { verbose: true }))).toBe(
      lines(
        '10.233.80.1/32     dev calife4cf73bf2a [kernel1 12:31:40] * (10)',
        '\tType: inherit unicast univ',
        '10.233.80.0/26     blackhole [static1 12:31:29] * (200)',
        '\tType: static unicast univ',
        '10.233.81.0/26     via 10.23.14.111 on eth0 [Mesh_10_23_14_111 12:31:31] * (100/0) [i]',
        '\tType: BGP unicast univ',
        '\tBGP.origin: IGP',
        '\tBGP.as_path: ',
        '\tBGP.next_hop: 10.23.14.111',
        '\tBGP.local_pref: 100',
      ),
    );
  });

  it('orders the FIB by the 16-bit ip4_hash, then by insertion', () => {
    expect(ip4Hash16(ip('10.23.14.0'))).toBe(0x5817);
    expect(ip4Hash16(ip('10.233.81.0'))).toBe(0xffe9);
    const a = { prefix: ip('10.233.80.0'), len: 32 };
    const b = { prefix: ip('10.233.80.0'), len: 26 };
    expect(bird1FibOrder([a, b])).toEqual([a, b]);
    expect(bird1FibOrder([b, a])).toEqual([b, a]);
  });

  it('blanks the prefix of a network second route and marks only the primary', () => {
    const two: Bird1Network = {
      prefix: ip('10.233.81.0'),
      len: 26,
      routes: [NETS[0].routes[0], { ...NETS[0].routes[0], protocol: 'Mesh_10_23_14_112', from: ip('10.23.14.112') }],
    };
    expect(renderInteractive(showRoute([two], clock)).split('\n')[1]).toBe(
      '                   via 10.23.14.111 on eth0 [Mesh_10_23_14_112 12:31:31 from 10.23.14.112] (100/0) [i]',
    );
  });

  it('answers a prefix not in the table, and counts', () => {
    expect(showRoute(NETS, clock, { prefix: { addr: ip('1.2.3.0'), len: 24 } })).toEqual([{ code: 8001, text: 'Network not in table' }]);
    expect(showRoute(NETS, clock, { stats: true }).at(-1)).toEqual({ code: 14, text: '3 of 3 routes for 3 networks' });
    expect(renderInteractive(showRoute(NETS, clock, { forAddr: ip('10.233.81.7') }))).toContain('10.233.81.0/26 ');
  });

  it.each([
    [[{ type: 'sequence' as const, asns: [64513, 65000] }], 'IGP' as const, ' (100/0) [AS65000i]', '64513 65000'],
    [
      [
        { type: 'sequence' as const, asns: [64513] },
        { type: 'set' as const, asns: [1, 2] },
      ],
      'Incomplete' as const,
      ' (100/0) [?]',
      '64513 { 1 2 }',
    ],
  ])('formats AS path %j', (asPath, origin, info, text) => {
    expect(bgpRouteInfo(100, { igpMetric: 0, asPath, origin })).toBe(info);
    expect(formatAsPath(asPath)).toBe(text);
  });
});

describe('birdcl argv (BIRD 1.6)', () => {
  it.each([
    ['sh p', 'show protocols'],
    ['sh p a', 'show protocols all'],
    ['sh pro Mesh_10_23_14_111', 'show protocols Mesh_10_23_14_111'],
    ['sh r', 'show route'],
    ['show route for 10.233.80.5 all', 'show route for 10.233.80.5 all'],
  ])('expands %j to %j', (typed, want) => {
    expect(expandBirdCommand('bird1', typed)).toEqual({ ok: true, expanded: want });
  });

  it('lists the expansions of an ambiguous word, and still exits 0', () => {
    const r = parseBirdcArgs(['sh', 's'], 'bird1', 'birdcl');
    expect(r).toEqual({
      ok: false,
      output: {
        stdout:
          'Ambiguous command, possible expansions are:\n' +
          'show static [<name>]                           Show details of static protocol\n' +
          'show status                                    Show router status\n' +
          'show symbols ...                               Show all known symbolic names\n',
        stderr: '',
        exitStatus: 0,
      },
    });
  });

  it('parses the modelled commands and the options', () => {
    expect(parseBirdCommand('show protocols all "Mesh*"')).toEqual({ type: 'show-protocols', verbose: true, pattern: 'Mesh*' });
    expect(parseBirdCommand('show route 10.233.80.0/26 all')).toMatchObject({
      type: 'show-route',
      prefix: { addr: ip('10.233.80.0'), len: 26 },
      verbose: true,
    });
    const r = parseBirdcArgs(['-s', '/var/run/calico/bird.ctl', 'show', 'protocols'], 'bird1', 'birdcl');
    expect(r).toMatchObject({ ok: true, invocation: { socket: '/var/run/calico/bird.ctl', expanded: 'show protocols' } });
    expect(parseBirdcArgs(['-x'], 'bird1', 'birdcl')).toEqual({
      ok: false,
      output: { stdout: '', stderr: "birdcl: invalid option -- 'x'\nUsage: birdcl [-s <control-socket>] [-v] [-r] [-l]\n", exitStatus: 1 },
    });
  });

  it('prints the banner first in one-shot mode', () => {
    expect(oneShot('bird1', BIRD1_VERSION, [{ code: 8001, text: 'Network not in table' }])).toEqual({
      stdout: 'BIRD v0.3.3+birdv1.6.8 ready.\nNetwork not in table\n',
      stderr: '',
      exitStatus: 0,
    });
  });
});
