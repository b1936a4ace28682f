// Tests for src/tools/calicoctl/status.ts: `calicoctl node status` over BIRD's raw `show
// protocols` reply, with the peers of seed 000 and the published samples of calico-facts §7.

import { parseIpv4 } from '../../../src/model/addr.js';
import { showProtocols, type Bird1Protocol } from '../../../src/tools/birdc/bird1.js';
import { newBirdSocketState, renderSocket } from '../../../src/tools/birdc/cli.js';
import { formatNodeStatus, scanBirdPeers, unmarshalBirdLine } from '../../../src/tools/calicoctl/status.js';

const ip = (s: string): number => parseIpv4(s)!;
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
// 2025-05-16 12:40:00 UTC, shortly after the sessions of seed 000 came up.
const NOW = Date.UTC(2025, 4, 16, 12, 40, 0) / 1000;
const at = (hms: string): number => Date.UTC(2025, 4, 16, ...(hms.split(':').map(Number) as [number, number, number])) / 1000;

function core(name: string, proto: string, since: string): Bird1Protocol {
  return {
    name,
    proto,
    table: 'master',
    state: 'up',
    lastStateChange: at(since),
    preference: 0,
    inputFilter: 'ACCEPT',
    outputFilter: 'REJECT',
  };
}

function mesh(
  peer: string,
  since: string,
  state: Bird1Protocol['state'] = 'up',
  bgp: Partial<NonNullable<Bird1Protocol['bgp']>> = {},
): Bird1Protocol {
  return {
    ...core(`Mesh_${peer.replace(/\./g, '_')}`, 'BGP', since),
    state,
    bgp: { state: 'Established', neighborAddress: ip(peer), neighborAs: 64512, ...bgp },
  };
}

/** rawReply is what calicoctl reads from the socket after the hello. */
function rawReply(protocols: Bird1Protocol[]): string {
  return `0001 BIRD v0.3.3+birdv1.6.8 ready.\n${renderSocket(showProtocols(protocols, { now: NOW }, false), newBirdSocketState())}`;
}

const SEED000 = [
  core('static1', 'Static', '12:31:29'),
  core('kernel1', 'Kernel', '12:31:29'),
  core('device1', 'Device', '12:31:29'),
  core('direct1', 'Direct', '12:31:29'),
  mesh('10.23.14.111', '12:31:31'),
  mesh('10.23.14.112', '12:31:30'),
  mesh('10.23.14.113', '12:31:32'),
  mesh('10.23.14.114', '12:31:31'),
  mesh('10.23.14.115', '12:31:31'),
];

const TABLE_000 = lines(
  '+--------------+-------------------+-------+----------+-------------+',
  '| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |',
  '+--------------+-------------------+-------+----------+-------------+',
  '| 10.23.14.111 | node-to-node mesh | up    | 12:31:31 | Established |',
  '| 10.23.14.112 | node-to-node mesh | up    | 12:31:30 | Established |',
  '| 10.23.14.113 | node-to-node mesh | up    | 12:31:32 | Established |',
  '| 10.23.14.114 | node-to-node mesh | up    | 12:31:31 | Established |',
  '| 10.23.14.115 | node-to-node mesh | up    | 12:31:31 | Established |',
  '+--------------+-------------------+-------+----------+-------------+',
);

describe('calicoctl node status', () => {
  it('prints the peers of seed 000, then the BIRDv6 note of a node without bird6', () => {
    const out = formatNodeStatus({
      calicoRunning: true,
      birdRunning: true,
      bird6Running: false,
      bird4: { ok: true, reply: rawReply(SEED000) },
    });
    expect(out).toEqual({
      stdout: `Calico process is running.\n\nIPv4 BGP status\n${TABLE_000}\nINFO: BIRDv6 process: 'bird6' is not running.\n\n`,
      stderr: '',
      exitStatus: 0,
    });
  });

  it('prints `No IPv6 peers found.` when bird6 runs without peers (seed 000 and the docs)', () => {
    const v6 =
      '0001 BIRD v0.3.3+birdv1.6.8 ready.\n2002-name     proto    table    state  since       info\n1002-kernel1  Kernel   master   up     12:31:29    \n0000 \n';
    const out = formatNodeStatus({
      calicoRunning: true,
      birdRunning: true,
      bird6Running: true,
      bird4: { ok: true, reply: rawReply(SEED000) },
      bird6: { ok: true, reply: v6 },
    });
    expect(out.stdout).toBe(`Calico process is running.\n\nIPv4 BGP status\n${TABLE_000}\nIPv6 BGP status\nNo IPv6 peers found.\n\n`);
  });

  it('wraps a long INFO cell and keeps the Passive state of the lexically smaller peer', () => {
    const reply = rawReply([
      mesh('192.168.63.204', '17:19:38', 'start', { state: 'Active', lastError: { class: 'socket', message: 'Connection refused' } }),
      mesh('10.2.167.162', '00:21:18', 'start', { state: 'Passive' }),
    ]);
    const table = formatNodeStatus({
      calicoRunning: true,
      birdRunning: true,
      bird6Running: false,
      bird4: { ok: true, reply },
    }).stdout.split('\n');
    expect(table.slice(6, 10)).toEqual([
      '| 192.168.63.204 | node-to-node mesh | start | 17:19:38 | Active Socket: Connection      |',
      '|                |                   |       |          | refused                        |',
      '| 10.2.167.162   | node-to-node mesh | start | 00:21:18 | Passive                        |',
      '+----------------+-------------------+-------+----------+--------------------------------+',
    ]);
  });

  it('says so when no protocol is a Calico peer', () => {
    const out = formatNodeStatus({
      calicoRunning: true,
      birdRunning: true,
      bird6Running: false,
      bird4: { ok: true, reply: rawReply(SEED000.slice(0, 4)) },
    });
    expect(out.stdout).toBe(
      "Calico process is running.\n\nIPv4 BGP status\nNo IPv4 peers found.\n\nINFO: BIRDv6 process: 'bird6' is not running.\n\n",
    );
  });

  it('fails when calico-node is not running, and notes a missing BGP daemon', () => {
    expect(formatNodeStatus({ calicoRunning: false, birdRunning: false, bird6Running: false })).toEqual({
      stdout: '',
      stderr: 'Calico process is not running.\n',
      exitStatus: 1,
    });
    expect(formatNodeStatus({ calicoRunning: true, birdRunning: false, bird6Running: false }).stdout).toBe(
      'Calico process is running.\n\nThe BGP backend process (BIRD) is not running.\n\n',
    );
    expect(formatNodeStatus({ root: false, calicoRunning: true, birdRunning: true, bird6Running: false }).stdout).toBe(
      'Need super user privileges: Operation not permitted\n',
    );
  });

  it('prints the dial error without a newline, then goes on', () => {
    const out = formatNodeStatus({
      calicoRunning: true,
      birdRunning: true,
      bird6Running: false,
      bird4: { ok: false, dialError: 'dial unix /var/run/bird/bird.ctl: connect: no such file or directory' },
    });
    expect(out.stdout).toBe(
      'Calico process is running.\n\nIPv4 BGP status\nError querying BIRD: unable to connect to BIRDv4 socket: dial unix /var/run/bird/bird.ctl: connect: no such file or directory' +
        "\nINFO: BIRDv6 process: 'bird6' is not running.\n\n",
    );
  });

  it('rejects an unexpected heading or line as status.go does', () => {
    expect(scanBirdPeers('4', '2002-Name Proto Table State Since Info\n0000 \n')).toEqual({
      ok: false,
      error: 'unknown BIRD table output format',
    });
    expect(scanBirdPeers('4', '9001 syntax error\n')).toEqual({ ok: false, error: 'unexpected output line from BIRD' });
  });

  it.each([
    [
      'Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
      { peerIp: '10.23.14.111', peerType: 'node-to-node mesh', info: '' },
    ],
    ['Node_10_161_1_1 BGP      master   up     05:21:27    Established', { peerIp: '10.161.1.1', peerType: 'node specific', info: '' }],
    [
      'Global_172_18_0_2 BGP master start 10:00:00 Connect Socket: No route to host',
      { peerIp: '172.18.0.2', peerType: 'global', info: 'Socket: No route to host' },
    ],
  ])('parses %j', (line, want) => {
    expect(unmarshalBirdLine(line, '.')).toMatchObject(want);
  });

  it.each([
    'Local_Workload_10_0_0_1 BGP master up 10:00:00 Established',
    'kernel1  Kernel   master   up     16:36:22',
    'Mesh_1_2_3_4 BGP master up',
  ])('skips %j', (line) => {
    expect(unmarshalBirdLine(line, '.')).toBeNull();
  });
});
