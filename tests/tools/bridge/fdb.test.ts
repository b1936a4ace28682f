// Golden tests for src/tools/bridge/fdb.ts: `bridge fdb show` (iproute2 6.1) as printed on a real
// kernel for the same devices and forwarding databases, built in scratch namespaces with IPv6
// disabled (an unnamed host with vxlan.calico, a pod pr1, pr2 with bridge br0, pr3 with br1, and a
// lab prL of down and carrier-less devices) and written here by hand as worlds (tests/support/world.ts).

import { INIT_NS } from '../../../src/model/world.js';
import { formatBridgeFdb } from '../../../src/tools/bridge/fdb.js';
import { CommandError } from '../../../src/tools/output.js';
import { bridge, fdb, fdbLocal, ip, kernelView, lines, lo, netns, veth, vtep, vxlan, world } from '../../support/world.js';

// ---------------------------------------------------------------------------------------------
// Real outputs

const H_FDB = lines(
  '33:33:00:00:00:01 dev ens3 self permanent',
  '01:00:5e:00:00:01 dev ens3 self permanent',
  '33:33:00:00:00:01 dev cali1 self permanent',
  '01:00:5e:00:00:01 dev cali1 self permanent',
  '66:00:00:00:00:14 dev vxlan.calico dst 172.17.0.40 self permanent',
  '00:00:00:00:00:00 dev vxlan.calico dst 172.17.0.41 self permanent',
  '00:00:00:00:00:00 dev vxlan.calico dst 172.17.0.42 self permanent',
  '66:00:00:00:00:15 dev vxlan.calico dst 172.17.0.43 self permanent',
);

const H_FDB_VXLAN = lines(
  '66:00:00:00:00:14 dst 172.17.0.40 self permanent',
  '00:00:00:00:00:00 dst 172.17.0.41 self permanent',
  '00:00:00:00:00:00 dst 172.17.0.42 self permanent',
  '66:00:00:00:00:15 dst 172.17.0.43 self permanent',
);

const H_JFDB =
  '[{"mac":"33:33:00:00:00:01","ifname":"ens3","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"ens3","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"cali1","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"cali1","flags":["self"],"state":"permanent"},{"mac":"66:00:00:00:00:14","ifname":"vxlan.calico","dst":"172.17.0.40","flags":["self"],"state":"permanent"},{"mac":"00:00:00:00:00:00","ifname":"vxlan.calico","dst":"172.17.0.41","flags":["self"],"state":"permanent"},{"mac":"00:00:00:00:00:00","ifname":"vxlan.calico","dst":"172.17.0.42","flags":["self"],"state":"permanent"},{"mac":"66:00:00:00:00:15","ifname":"vxlan.calico","dst":"172.17.0.43","flags":["self"],"state":"permanent"}]' +
  '\n';

const PR1_FDB = lines(
  '33:33:00:00:00:01 dev eth0 self permanent',
  '01:00:5e:00:00:01 dev eth0 self permanent',
  '33:33:00:00:00:01 dev eth1 self permanent',
);

const PR1_JFDB =
  '[{"mac":"33:33:00:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"eth1","flags":["self"],"state":"permanent"}]' +
  '\n';

const PR2_FDB = lines(
  '33:33:00:00:00:01 dev ens3 self permanent',
  '01:00:5e:00:00:01 dev ens3 self permanent',
  '33:33:00:00:00:01 dev br0 self permanent',
  '01:00:5e:00:00:6a dev br0 self permanent',
  '33:33:00:00:00:6a dev br0 self permanent',
  '01:00:5e:00:00:01 dev br0 self permanent',
  '02:00:00:00:b0:00 dev br0 master br0 permanent',
  '02:00:00:00:b1:02 dev vp1 master br0 ',
  '02:00:00:00:b1:01 dev vp1 master br0 permanent',
  '33:33:00:00:00:01 dev vp1 self permanent',
  '01:00:5e:00:00:01 dev vp1 self permanent',
  '02:00:00:00:b2:01 dev vp2 master br0 permanent',
  '33:33:00:00:00:01 dev vp2 self permanent',
  '01:00:5e:00:00:01 dev vp2 self permanent',
);

const PR2_JFDB =
  '[{"mac":"33:33:00:00:00:01","ifname":"ens3","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"ens3","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:6a","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:6a","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"02:00:00:00:b0:00","ifname":"br0","flags":[],"master":"br0","state":"permanent"},{"mac":"02:00:00:00:b1:02","ifname":"vp1","flags":[],"master":"br0","state":""},{"mac":"02:00:00:00:b1:01","ifname":"vp1","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vp1","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vp1","flags":["self"],"state":"permanent"},{"mac":"02:00:00:00:b2:01","ifname":"vp2","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vp2","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vp2","flags":["self"],"state":"permanent"}]' +
  '\n';

const PR2_FDB_BR0 = lines(
  '33:33:00:00:00:01 self permanent',
  '01:00:5e:00:00:6a self permanent',
  '33:33:00:00:00:6a self permanent',
  '01:00:5e:00:00:01 self permanent',
  '02:00:00:00:b0:00 master br0 permanent',
);

const PR2_FDB_VP1 = lines(
  '02:00:00:00:b1:02 master br0 ',
  '02:00:00:00:b1:01 master br0 permanent',
  '33:33:00:00:00:01 self permanent',
  '01:00:5e:00:00:01 self permanent',
);

const PR2_JFDB_VP1 =
  '[{"mac":"02:00:00:00:b1:02","flags":[],"master":"br0","state":""},{"mac":"02:00:00:00:b1:01","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","flags":["self"],"state":"permanent"}]' +
  '\n';

const PR2_FDB_BR_BR0 = lines(
  '33:33:00:00:00:01 dev br0 self permanent',
  '01:00:5e:00:00:6a dev br0 self permanent',
  '33:33:00:00:00:6a dev br0 self permanent',
  '01:00:5e:00:00:01 dev br0 self permanent',
  '02:00:00:00:b0:00 dev br0 master br0 permanent',
  '02:00:00:00:b1:02 dev vp1 master br0 ',
  '02:00:00:00:b1:01 dev vp1 master br0 permanent',
  '33:33:00:00:00:01 dev vp1 self permanent',
  '01:00:5e:00:00:01 dev vp1 self permanent',
  '02:00:00:00:b2:01 dev vp2 master br0 permanent',
  '33:33:00:00:00:01 dev vp2 self permanent',
  '01:00:5e:00:00:01 dev vp2 self permanent',
);

const PR3_FDB = lines(
  '33:33:00:00:00:01 dev vq1b self permanent',
  '01:00:5e:00:00:01 dev vq1b self permanent',
  '33:33:00:00:00:01 dev vp1b self permanent',
  '01:00:5e:00:00:01 dev vp1b self permanent',
  '02:00:00:00:c1:01 dev vq1 master br1 permanent',
  '33:33:00:00:00:01 dev vq1 self permanent',
  '01:00:5e:00:00:01 dev vq1 self permanent',
  '33:33:00:00:00:01 dev br1 self permanent',
  '01:00:5e:00:00:6a dev br1 self permanent',
  '33:33:00:00:00:6a dev br1 self permanent',
  '01:00:5e:00:00:01 dev br1 self permanent',
  '02:00:00:00:c0:00 dev br1 master br1 permanent',
);

const PR3_JFDB =
  '[{"mac":"33:33:00:00:00:01","ifname":"vq1b","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vq1b","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vp1b","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vp1b","flags":["self"],"state":"permanent"},{"mac":"02:00:00:00:c1:01","ifname":"vq1","flags":[],"master":"br1","state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vq1","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vq1","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"br1","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:6a","ifname":"br1","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:6a","ifname":"br1","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"br1","flags":["self"],"state":"permanent"},{"mac":"02:00:00:00:c0:00","ifname":"br1","flags":[],"master":"br1","state":"permanent"}]' +
  '\n';

const L_FDB = lines(
  '33:33:00:00:00:01 dev a1 self permanent',
  '33:33:00:00:00:01 dev a0 self permanent',
  '33:33:00:00:00:01 dev b1 self permanent',
  '33:33:00:00:00:01 dev b0 self permanent',
  '01:00:5e:00:00:01 dev b0 self permanent',
  '02:00:00:00:99:02 dev c1 master br2 permanent',
  '02:00:00:00:99:01 dev c1 master br2 static',
  '02:00:00:00:0c:01 dev c1 master br2 permanent',
  '33:33:00:00:00:01 dev c1 self permanent',
  '01:00:5e:00:00:01 dev c1 self permanent',
  '33:33:00:00:00:01 dev c0 self permanent',
  '33:33:00:00:00:01 dev br0 self permanent',
  '02:00:00:00:b0:00 dev br0 master br0 permanent',
  '33:33:00:00:00:01 dev br1 self permanent',
  '01:00:5e:00:00:6a dev br1 self permanent',
  '33:33:00:00:00:6a dev br1 self permanent',
  '01:00:5e:00:00:01 dev br1 self permanent',
  '02:00:00:00:b1:00 dev br1 master br1 permanent',
  '33:33:00:00:00:01 dev br2 self permanent',
  '01:00:5e:00:00:6a dev br2 self permanent',
  '33:33:00:00:00:6a dev br2 self permanent',
  '01:00:5e:00:00:01 dev br2 self permanent',
  '02:00:00:00:b2:00 dev br2 master br2 permanent',
);

// ---------------------------------------------------------------------------------------------
// Worlds

const NOW = 1_000_000_000;

const HOST = netns(
  INIT_NS,
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:0a', 'pr2', 2),
    veth(3, 'cali1', 'ee:ee:ee:ee:ee:ee', 'pr1', 2),
    vxlan(
      4,
      'vxlan.calico',
      '66:00:00:00:00:0a',
      { vni: 4096, local: ip('172.17.0.10'), dev: 2, learning: false },
      {
        mtu: 1450,
        // In the order they were added: vxlan_fdb_dump shows the newest MAC first, a MAC's remotes in order.
        fdb: [
          vtep('66:00:00:00:00:15', 4, '172.17.0.43'),
          vtep('00:00:00:00:00:00', 4, '172.17.0.41'),
          vtep('00:00:00:00:00:00', 4, '172.17.0.42'),
          vtep('66:00:00:00:00:14', 4, '172.17.0.40'),
        ],
      },
    ),
  ],
  {
    nsids: [
      ['pr2', 0],
      ['pr1', 1],
    ],
  },
);

const POD = netns(
  'pr1',
  [
    lo(),
    veth(2, 'eth0', '02:00:00:01:00:02', INIT_NS, 3),
    veth(3, 'eth1', '02:00:00:00:b2:02', 'pr2', 6, { adminUp: false, everUp: false }),
  ],
  {
    nsids: [
      [INIT_NS, 0],
      ['pr2', 1],
    ],
  },
);

const PR2 = netns(
  'pr2',
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:28', INIT_NS, 2),
    bridge(3, 'br0', '02:00:00:00:b0:00', {
      fdb: [
        fdbLocal('02:00:00:00:b0:00', 3),
        fdb('02:00:00:00:b1:02', 5, { updated: NOW - 5_000_000 }),
        fdbLocal('02:00:00:00:b1:01', 5),
        fdbLocal('02:00:00:00:b2:01', 6),
      ],
    }),
    veth(5, 'vp1', '02:00:00:00:b1:01', 'pr3', 4, { master: 3 }),
    veth(6, 'vp2', '02:00:00:00:b2:01', 'pr1', 3, { master: 3 }),
  ],
  {
    nsids: [
      [INIT_NS, 0],
      ['pr1', 1],
      ['pr3', 2],
    ],
  },
);

const PR3 = netns(
  'pr3',
  [
    lo(),
    veth(3, 'vq1b', '02:00:00:00:c1:02', 'pr3', 5),
    veth(4, 'vp1b', '02:00:00:00:b1:02', 'pr2', 5),
    veth(5, 'vq1', '02:00:00:00:c1:01', 'pr3', 3, { master: 6 }),
    bridge(6, 'br1', '02:00:00:00:c0:00', { fdb: [fdbLocal('02:00:00:00:c1:01', 5), fdbLocal('02:00:00:00:c0:00', 6)] }),
  ],
  { nsids: [['pr2', 0]] },
);

// The lab: veths never up (a0/a1, b1), up (b0), once up then down (c0), a port up without carrier
// (c1, with a `bridge fdb add … master` and a `… master static` entry), a bridge never up (br0),
// up without ports (br1), up with a carrier-less port (br2), and a VXLAN device with no entries.
const LAB = netns('prL', [
  lo({ adminUp: false, everUp: false }),
  veth(2, 'a1', '02:00:00:00:0a:01', 'prL', 3, { adminUp: false, everUp: false }),
  veth(3, 'a0', '02:00:00:00:0a:00', 'prL', 2, { adminUp: false, everUp: false }),
  veth(4, 'b1', '02:00:00:00:0b:01', 'prL', 5, { adminUp: false, everUp: false }),
  veth(5, 'b0', '02:00:00:00:0b:00', 'prL', 4),
  veth(6, 'c1', '02:00:00:00:0c:01', 'prL', 7, { master: 10 }),
  veth(7, 'c0', '02:00:00:00:0c:00', 'prL', 6, { adminUp: false }),
  bridge(8, 'br0', '02:00:00:00:b0:00', { adminUp: false, everUp: false, fdb: [fdbLocal('02:00:00:00:b0:00', 8)] }),
  bridge(9, 'br1', '02:00:00:00:b1:00', { fdb: [fdbLocal('02:00:00:00:b1:00', 9)] }),
  bridge(10, 'br2', '02:00:00:00:b2:00', {
    fdb: [
      fdbLocal('02:00:00:00:99:02', 6),
      fdb('02:00:00:00:99:01', 6, { permanent: true }),
      fdbLocal('02:00:00:00:0c:01', 6),
      fdbLocal('02:00:00:00:b2:00', 10),
    ],
  }),
  vxlan(11, 'vx0', '02:00:00:00:0d:00', { vni: 42 }, { adminUp: false, everUp: false }),
]);

const NODE = kernelView(world([HOST, POD, PR2, PR3, LAB], { now: NOW }));

describe('bridge fdb show', () => {
  test.each([
    ['host: per-device multicast entries, VXLAN remotes, nothing for lo', INIT_NS, H_FDB],
    ['pod: a device never up holds only 33:33:00:00:00:01', 'pr1', PR1_FDB],
    ['pr2: bridge, learned entry (empty state word), local entries', 'pr2', PR2_FDB],
    ['pr3: same-namespace pair and a bridge', 'pr3', PR3_FDB],
    ['lab: down devices, static and permanent entries', 'prL', L_FDB],
  ])('%s', (_name, ns, want) => {
    expect(formatBridgeFdb(NODE, ns)).toBe(want);
  });

  test.each([
    [INIT_NS, H_JFDB],
    ['pr1', PR1_JFDB],
    ['pr2', PR2_JFDB],
    ['pr3', PR3_JFDB],
  ])('-j in %j', (ns, want) => {
    expect(formatBridgeFdb(NODE, ns, { json: true })).toBe(want);
  });

  test('dev NAME drops dev', () => {
    expect(formatBridgeFdb(NODE, INIT_NS, { dev: 'vxlan.calico' })).toBe(H_FDB_VXLAN);
    expect(formatBridgeFdb(NODE, 'pr2', { dev: 'br0' })).toBe(PR2_FDB_BR0);
    expect(formatBridgeFdb(NODE, 'pr2', { dev: 'vp1' })).toBe(PR2_FDB_VP1);
    expect(formatBridgeFdb(NODE, 'pr2', { dev: 'vp1', json: true })).toBe(PR2_JFDB_VP1);
  });

  test('br NAME keeps the bridge and its ports', () => {
    expect(formatBridgeFdb(NODE, 'pr2', { br: 'br0' })).toBe(PR2_FDB_BR_BR0);
  });

  test('unknown devices', () => {
    expect(() => formatBridgeFdb(NODE, 'pr2', { dev: 'nosuch' })).toThrow(CommandError);
    expect(() => formatBridgeFdb(NODE, 'pr2', { br: 'nosuch' })).toThrow('Cannot find bridge device "nosuch"');
  });

  test('a learned entry past the ageing time is stale', () => {
    // Seen on the kernel (with `-s`, ageing_time 10 s) as `02:00:00:00:b1:02 used 15/10 master br0 stale`.
    const aged = kernelView(world([PR2], { now: NOW + 300_000_000 }));
    expect(formatBridgeFdb(aged, 'pr2', { dev: 'vp1' })).toBe(
      lines(
        '02:00:00:00:b1:02 master br0 stale',
        '02:00:00:00:b1:01 master br0 permanent',
        '33:33:00:00:00:01 self permanent',
        '01:00:5e:00:00:01 self permanent',
      ),
    );
  });
});
