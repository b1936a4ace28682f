// Tests for src/tools/birdc/bird2.ts, cli.ts and args.ts against a real BIRD 2.0.12: the same
// protocols, channels, sessions and routes, and the same commands (bird2-golden.ts), one-shot and
// on the raw control socket. The FIB order is BIRD's hash order, not insertion or prefix order.

import { parseIpv4 } from '../../../src/model/addr.js';
import { parseBirdcArgs } from '../../../src/tools/birdc/args.js';
import {
  BIRD2_VERSION,
  bird2BgpAttributes,
  bird2FibOrder,
  formatBirdSeconds,
  showProtocols2,
  showRoute2,
  showStatus2,
  type BgpCapabilities,
  type Bird2Network,
  type Bird2Protocol,
} from '../../../src/tools/birdc/bird2.js';
import { bird1KernelAttributes } from '../../../src/tools/birdc/bird1.js';
import { newBirdSocketState, oneShot, renderSocket, type BirdReplyLine } from '../../../src/tools/birdc/cli.js';
import { BIRD2_GOLDEN, BIRD2_RAW } from './bird2-golden.js';

const ip = (s: string): number => parseIpv4(s)!;
const T = (hms: string, ms: number): number =>
  Date.UTC(2026, 11, 1, ...(hms.split(':').map(Number) as [number, number, number])) / 1000 + ms / 1000;
const clock = { now: T('22:03:05', 0) };
const STARTED = T('22:02:56', 642);

const stats = (imp: number, exp: number, iu: number, eu: readonly [number, number, number, number]) => ({
  importedRoutes: imp,
  exportedRoutes: exp,
  preferredRoutes: imp,
  importUpdates: [iu, 0, 0, 0, iu] as const,
  importWithdraws: [0, 0, 0, 0] as const,
  exportUpdates: eu,
  exportWithdraws: [0, 0] as const,
});

const CAPS: BgpCapabilities = {
  multiprotocol: ['ipv4'],
  routeRefresh: true,
  gracefulRestartAware: true,
  gracefulRestart: { time: 120, supported: ['ipv4'], preserved: [] },
  as4: true,
  addPath: { rx: ['ipv4'], tx: ['ipv4'] },
  enhancedRefresh: true,
  llgrAware: true,
};

function protocols(hold: number, keepalive: number): Bird2Protocol[] {
  const down = (peer: string, as: number, info: Partial<NonNullable<Bird2Protocol['bgp']>>): Bird2Protocol => ({
    name: peer.startsWith('10.23.14.1') && peer.length === 10 ? 'Global_10_23_14_1' : `Mesh_${peer.replace(/\./g, '_')}`,
    proto: 'BGP',
    table: '---',
    state: 'start',
    lastStateChange: STARTED,
    description: 'Connection to BGP peer',
    bgp: { state: 'Connect', neighborAddress: ip(peer), neighborAs: as, localAs: 64512, ...info },
    channels: [
      {
        name: 'ipv4',
        state: 'DOWN',
        table: 'master4',
        preference: 100,
        inputFilter: 'ACCEPT',
        outputFilter: '(unnamed)',
        igpTableIp4: 'master4',
      },
    ],
  });
  return [
    { name: 'device1', proto: 'Device', table: '---', state: 'up', lastStateChange: STARTED, channels: [] },
    {
      name: 'direct1',
      proto: 'Direct',
      table: '---',
      state: 'up',
      lastStateChange: STARTED,
      channels: [
        {
          name: 'ipv4',
          state: 'UP',
          table: 'master4',
          preference: 240,
          inputFilter: 'ACCEPT',
          outputFilter: 'REJECT',
          stats: stats(1, 0, 1, [0, 0, 0, 0]),
        },
      ],
    },
    {
      name: 'kernel1',
      proto: 'Kernel',
      table: 'master4',
      state: 'up',
      lastStateChange: STARTED,
      channels: [
        {
          name: 'ipv4',
          state: 'UP',
          table: 'master4',
          preference: 10,
          inputFilter: 'ACCEPT',
          outputFilter: 'ACCEPT',
          stats: stats(1, 3, 1, [6, 1, 0, 5]),
        },
      ],
    },
    {
      name: 'static1',
      proto: 'Static',
      table: 'master4',
      state: 'up',
      lastStateChange: STARTED,
      channels: [
        {
          name: 'ipv4',
          state: 'UP',
          table: 'master4',
          preference: 200,
          inputFilter: 'ACCEPT',
          outputFilter: 'REJECT',
          stats: stats(1, 0, 1, [0, 0, 0, 0]),
        },
      ],
    },
    {
      name: 'Mesh_10_23_14_111',
      proto: 'BGP',
      table: '---',
      state: 'up',
      lastStateChange: T('22:02:58', 310),
      description: 'Connection to BGP peer',
      bgp: {
        state: 'Established',
        neighborAddress: ip('10.23.14.111'),
        neighborAs: 64512,
        localAs: 64512,
        up: {
          neighborId: ip('10.23.14.111'),
          localCaps: CAPS,
          neighborCaps: CAPS,
          session: { internal: true, multihop: true, as4: true },
          sourceAddress: ip('10.23.14.110'),
          hold: { remainingUs: hold, time: 240 },
          keepalive: { remainingUs: keepalive, time: 80 },
        },
      },
      channels: [
        {
          name: 'ipv4',
          state: 'UP',
          table: 'master4',
          preference: 100,
          inputFilter: 'ACCEPT',
          outputFilter: '(unnamed)',
          stats: { ...stats(1, 2, 1, [4, 1, 1, 2]) },
          bgpNextHop: { addr: ip('10.23.14.110') },
          igpTableIp4: 'master4',
        },
      ],
    },
    down('10.23.14.112', 64512, { lastError: { class: 'socket', message: 'No route to host' } }),
    down('10.23.14.1', 64513, { state: 'Passive' }),
  ];
}

// Inserted in the order the daemon learnt them; the FIB walk reorders them.
const INSERTED: Bird2Network[] = [
  {
    prefix: ip('10.233.80.0'),
    len: 26,
    routes: [{ dest: 'blackhole', protocol: 'static1', lastmod: STARTED, pref: 200, source: 'static' }],
  },
  {
    prefix: ip('10.23.14.0'),
    len: 24,
    routes: [
      { dest: 'unicast', nexthops: [{ iface: 'eth0' }], protocol: 'direct1', lastmod: T('22:02:56', 645), pref: 240, source: 'device' },
    ],
  },
  {
    prefix: ip('10.233.80.1'),
    len: 32,
    routes: [
      {
        dest: 'unicast',
        nexthops: [{ iface: 'eth0' }],
        protocol: 'kernel1',
        lastmod: T('22:02:56', 645),
        pref: 10,
        source: 'inherit',
        attributes: bird1KernelAttributes({ source: 3, metric: 0, prefsrc: ip('10.23.14.110'), scope: 253 }),
      },
    ],
  },
  {
    prefix: ip('10.233.81.0'),
    len: 26,
    routes: [
      {
        dest: 'unicast',
        nexthops: [{ gw: ip('10.23.14.111'), iface: 'eth0' }],
        protocol: 'Mesh_10_23_14_111',
        lastmod: T('22:02:58', 549),
        pref: 100,
        source: 'BGP',
        bgp: { igpMetric: 0, asPath: [], origin: 'IGP' },
        attributes: bird2BgpAttributes({ origin: 'IGP', asPath: [], nextHop: ip('10.23.14.111'), localPref: 100 }),
      },
    ],
  },
];
const FIB = bird2FibOrder(INSERTED);

function birdc(line: string, reply: (cmd: NonNullable<ReturnType<typeof command>>) => BirdReplyLine[]): { stdout: string; status: number } {
  const cmd = command(line);
  if (!cmd) {
    const r = parseBirdcArgs(line.split(' '), 'bird2');
    if (r.ok) throw new Error('expected an error');
    return { stdout: `BIRD ${BIRD2_VERSION} ready.\n${r.output.stdout}`, status: r.output.exitStatus };
  }
  const out = oneShot('bird2', BIRD2_VERSION, reply(cmd));
  return { stdout: out.stdout, status: out.exitStatus };
}

function command(line: string) {
  const r = parseBirdcArgs(line.split(' '), 'bird2');
  return r.ok ? r.invocation.command : undefined;
}

function answer(cmd: NonNullable<ReturnType<typeof command>>, hold = 179978000, keepalive = 69093000): BirdReplyLine[] {
  if (cmd.type === 'show-protocols') {
    const q = cmd.name ? { kind: 'name' as const, name: cmd.name } : { kind: 'all' as const };
    return showProtocols2(protocols(hold, keepalive), clock, cmd.verbose, q);
  }
  if (cmd.type === 'show-route') return showRoute2(FIB, clock, cmd);
  throw new Error(`not modelled: ${JSON.stringify(cmd)}`);
}

describe('BIRD 2.0.12 against the real daemon', () => {
  it.each([...BIRD2_GOLDEN.keys()].filter((k) => k !== 'show status'))('birdc %s', (line) => {
    expect(birdc(line, (c) => answer(c))).toEqual(BIRD2_GOLDEN.get(line));
  });

  it('writes the raw control-socket session of calicoctl-style clients', () => {
    const state = newBirdSocketState();
    const raw =
      renderSocket(answer({ type: 'show-protocols', verbose: false }), state) +
      renderSocket(answer({ type: 'show-route', verbose: false, primaryOnly: false, stats: false }), state) +
      renderSocket(answer({ type: 'show-protocols', verbose: true, name: 'Mesh_10_23_14_111' }, 178523000, 67638000), state);
    expect(raw).toBe(BIRD2_RAW);
  });

  it('walks the FIB by net_hash_ip4, whatever the insertion order', () => {
    expect(FIB.map((n) => `${n.prefix}/${n.len}`)).toEqual([
      `${ip('10.23.14.0')}/24`,
      `${ip('10.233.80.1')}/32`,
      `${ip('10.233.81.0')}/26`,
      `${ip('10.233.80.0')}/26`,
    ]);
    expect(bird2FibOrder([...INSERTED].reverse())).toEqual(FIB);
  });

  it('answers show status as the daemon did', () => {
    const status = oneShot(
      'bird2',
      BIRD2_VERSION,
      showStatus2({ routerId: ip('10.23.14.110'), hostname: 'vm', bootTime: STARTED, loadTime: STARTED }, { now: T('22:03:04', 673) }),
    );
    expect({ stdout: status.stdout, status: status.exitStatus }).toEqual(BIRD2_GOLDEN.get('show status'));
  });

  it('formats %t as seconds with truncated milliseconds', () => {
    expect(formatBirdSeconds(179978999)).toBe('179.978');
    expect(formatBirdSeconds(5000)).toBe('0.005');
  });
});
