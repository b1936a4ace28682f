// Tests for src/tools/gobgp/gobgp.ts: the global RIB of seed 004 (k8s-guide's GoBGP route
// reflector), neighbor tables laid out by v3.37's format strings, growing columns, ages.

import {
  asPathString,
  attributeString,
  formatGlobalRib,
  formatNeighbors,
  formatTimedelta,
  parseGobgpArgs,
  type GobgpDestination,
} from '../../../src/tools/gobgp/gobgp.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const NOW = 1_700_000_000;
const ORIGIN_LP = [
  { type: 'origin', value: 'igp' },
  { type: 'local-pref', value: 100 },
] as const;

describe('gobgp global rib', () => {
  it('prints seed 004 sorted by prefix', () => {
    const dst = (prefix: string, nextHop: string, ageS: number): GobgpDestination => ({
      prefix,
      paths: [{ best: true, nextHop, asPath: [], age: NOW - ageS, attributes: [...ORIGIN_LP] }],
    });
    expect(
      formatGlobalRib(
        [dst('10.244.236.0/24', '172.18.0.5', 303), dst('10.244.175.0/24', '172.18.0.4', 304), dst('10.244.190.0/24', '172.18.0.3', 304)],
        NOW,
      ),
    ).toBe(
      lines(
        '   Network              Next Hop             AS_PATH              Age        Attrs',
        '*> 10.244.175.0/24      172.18.0.4                                00:05:04   [{Origin: i} {LocalPref: 100}]',
        '*> 10.244.190.0/24      172.18.0.3                                00:05:04   [{Origin: i} {LocalPref: 100}]',
        '*> 10.244.236.0/24      172.18.0.5                                00:05:03   [{Origin: i} {LocalPref: 100}]',
      ),
    );
  });

  it('widens the AS_PATH column for a long path, marks non-best and stale paths', () => {
    const asPath = [{ type: 'sequence' as const, asns: [65001, 65002, 65003, 65004] }];
    const out = formatGlobalRib(
      [
        {
          prefix: '10.0.0.0/24',
          paths: [
            { best: true, nextHop: '10.0.255.1', asPath, age: NOW - 86400 - 61, attributes: [{ type: 'origin', value: 'igp' }] },
            {
              best: false,
              stale: true,
              nextHop: '10.0.255.2',
              asPath: [
                { type: 'sequence', asns: [65002] },
                { type: 'set', asns: [1, 2] },
              ],
              age: NOW,
              attributes: [{ type: 'med', value: 10 }],
            },
          ],
        },
      ],
      NOW,
    );
    expect(out).toBe(
      lines(
        '   Network              Next Hop             AS_PATH                 Age        Attrs',
        '*> 10.0.0.0/24          10.0.255.1           65001 65002 65003 65004 1d 00:01:01 [{Origin: i}]',
        'S* 10.0.0.0/24          10.0.255.2           65002 {1,2}             00:00:00   [{Med: 10}]',
      ),
    );
  });

  it('says Network not in table for an empty RIB', () => {
    expect(formatGlobalRib([], NOW)).toBe('Network not in table\n');
  });

  it.each([
    [{ type: 'communities' as const, values: [0xfde80064, 0xffffff01] }, '{Communities: 65000:100, no-export}'],
    [{ type: 'originator' as const, id: '10.0.0.1' }, '{Originator: 10.0.0.1}'],
    [{ type: 'cluster-list' as const, ids: ['10.0.0.1', '10.0.0.2'] }, '{ClusterList: [10.0.0.1 10.0.0.2]}'],
    [{ type: 'aggregator' as const, as: 65000, address: '10.0.0.9' }, '{Aggregate: {AS: 65000, Address: 10.0.0.9}}'],
    [{ type: 'atomic-aggregate' as const }, '{AtomicAggregate}'],
  ])('prints attribute %j as %s', (a, want) => {
    expect(attributeString(a)).toBe(want);
  });

  it('prints confederation segments', () => {
    expect(
      asPathString([
        { type: 'confed-sequence', asns: [1, 2] },
        { type: 'confed-set', asns: [3, 4] },
        { type: 'sequence', asns: [5] },
      ]),
    ).toBe('(1 2) [3,4] 5');
  });
});

describe('gobgp neighbor', () => {
  it('prints the v3.37 layout: Up/Down right-aligned to the longest time', () => {
    expect(
      formatNeighbors(
        [
          { neighborAddress: '10.0.255.2', peerAsn: 65002, sessionState: 'ESTABLISHED', uptime: NOW - 4, received: 2, accepted: 2 },
          { neighborAddress: '10.0.255.1', peerAsn: 65001, sessionState: 'IDLE', adminState: 'DOWN', received: 0, accepted: 0 },
          {
            neighborAddress: '10.0.255.10',
            peerAsn: 0,
            sessionState: 'ACTIVE',
            uptime: NOW - 100000,
            downtime: NOW - 90061,
            received: 0,
            accepted: 0,
          },
        ],
        NOW,
      ),
    ).toBe(
      lines(
        'Peer           AS     Up/Down State       |#Received  Accepted',
        '10.0.255.1  65001       never Idle(Admin) |        0         0',
        '10.0.255.2  65002    00:00:04 Establ      |        2         2',
        '10.0.255.10     * 1d 01:01:01 Active      |        0         0',
      ),
    );
  });

  it('formats ages as HH:MM:SS, with days past 24 hours', () => {
    expect(formatTimedelta(NOW - 59, NOW)).toBe('00:00:59');
    expect(formatTimedelta(NOW - 3 * 86400 - 3661, NOW)).toBe('3d 01:01:01');
  });

  it('parses the modelled command lines', () => {
    expect(parseGobgpArgs(['global', 'rib', '-a', 'ipv4'])).toEqual({
      ok: true,
      cmd: { command: 'global-rib', family: 'ipv4', prefix: undefined, lookup: undefined },
      json: false,
      quiet: false,
    });
    expect(parseGobgpArgs(['neighbor', '10.0.255.1'])).toMatchObject({ ok: true, cmd: { command: 'neighbor', address: '10.0.255.1' } });
    expect(parseGobgpArgs(['-j', 'neighbor'])).toMatchObject({ ok: true, json: true });
    expect(parseGobgpArgs(['frob'])).toMatchObject({
      ok: false,
      output: { stderr: 'Error: unknown command "frob" for "gobgp"\nRun \'gobgp --help\' for usage.\n' },
    });
  });
});
