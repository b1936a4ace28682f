// Golden tests for src/tools/route.ts: `route -n` (net-tools 2.10) as printed on a real kernel for
// the same routing tables, built in scratch namespaces and written here by hand as worlds
// (tests/support/world.ts): the devices and routes of the node and lab of tests/tools/ip/print.test.ts.

import { INIT_NS, RouteScope } from '../../src/model/world.js';
import { formatRouteN } from '../../src/tools/route.js';
import {
  bridge,
  broadcastRoute,
  ip,
  kernelRoute,
  kernelView,
  LO_ROUTES,
  lines,
  lo,
  localRoute,
  netns,
  route,
  veth,
  vxlan,
  world,
} from '../support/world.js';
import { shellWith } from '../support/shell.js';

// ---------------------------------------------------------------------------------------------
// Real outputs

const H_ROUTEN = lines(
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '0.0.0.0         172.17.0.1      0.0.0.0         UG    100    0        0 ens3',
  '10.89.0.0       10.244.1.2      255.255.0.0     UG    0      0        0 cali1',
  '10.91.0.0       0.0.0.0         255.255.0.0     U     0      0        0 lo',
  '10.92.0.0       10.244.1.2      255.255.0.0     UG    0      0        0 cali1',
  '10.93.0.0       172.17.0.40     255.255.0.0     UG    1024   0        0 ens3',
  '10.94.0.0       0.0.0.0         255.255.0.0     U     0      0        0 ens3',
  '10.95.0.0       0.0.0.0         255.255.0.0     U     0      0        0 ens3',
  '10.96.0.0       0.0.0.0         255.255.0.0     U     0      0        0 ens3',
  '10.97.0.0       172.17.0.40     255.255.0.0     UG    0      0        0 ens3',
  '10.98.0.0       -               255.255.0.0     !     5      -        0 -',
  '10.99.0.0       -               255.255.0.0     !     0      -        0 -',
  '10.244.1.0      0.0.0.0         255.255.255.192 U     0      0        0 *',
  '10.244.1.2      0.0.0.0         255.255.255.255 UH    0      0        0 cali1',
  '10.244.2.0      10.244.2.0      255.255.255.192 UG    0      0        0 vxlan.calico',
  '172.17.0.0      0.0.0.0         255.255.255.0   U     0      0        0 ens3',
);

const PR1_ROUTEN = lines(
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '0.0.0.0         169.254.1.1     0.0.0.0         UG    0      0        0 eth0',
  '169.254.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 eth0',
);

const PR2_ROUTEN = lines(
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '0.0.0.0         172.17.0.10     0.0.0.0         UG    0      0        0 ens3',
  '10.50.0.0       192.168.60.2    255.255.0.0     UG    7      0        0 vp2',
  '172.17.0.0      0.0.0.0         255.255.255.0   U     0      0        0 ens3',
  '192.168.50.0    0.0.0.0         255.255.255.0   U     0      0        0 br0',
  '192.168.60.0    0.0.0.0         255.255.255.0   U     0      0        0 vp2',
);

const PR3_ROUTEN = lines(
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '192.168.50.0    0.0.0.0         255.255.255.0   U     0      0        0 vp1b',
);

const L_ROUTEN = lines(
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '10.1.0.0        0.0.0.0         255.255.255.0   U     0      0        0 c1',
  '10.2.0.0        0.0.0.0         255.255.255.0   U     0      0        0 br2',
);

// ---------------------------------------------------------------------------------------------
// Worlds

const HOST = netns(
  INIT_NS,
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:0a', 'pr2', 2),
    veth(3, 'cali1', 'ee:ee:ee:ee:ee:ee', 'pr1', 2),
    vxlan(4, 'vxlan.calico', '66:00:00:00:00:0a', { vni: 4096, local: ip('172.17.0.10'), dev: 2, learning: false }, { mtu: 1450 }),
  ],
  {
    routes: [
      route('default', { via: '172.17.0.1', dev: 2, proto: 4, metric: 100 }),
      route('10.89.0.0/16', { via: '10.244.1.2', dev: 3 }),
      route('10.91.0.0/16', { type: 'local', dev: 1, scope: RouteScope.Host }),
      route('10.92.0.0/16', { via: '10.244.1.2', dev: 3, onlink: true }),
      route('10.93.0.0/16', { via: '172.17.0.40', dev: 2, proto: 16, metric: 1024 }),
      route('10.94.0.0/16', { dev: 2, proto: 0, scope: RouteScope.Site }),
      route('10.95.0.0/16', { dev: 2, proto: 2, scope: RouteScope.Host }),
      route('10.96.0.0/16', { dev: 2, proto: 250, scope: 10 }),
      route('10.97.0.0/16', { via: '172.17.0.40', dev: 2, proto: 11, src: '172.17.0.10' }),
      route('10.98.0.0/16', { type: 'prohibit', metric: 5 }),
      route('10.99.0.0/16', { type: 'unreachable' }),
      route('10.244.1.0/26', { type: 'blackhole', proto: 12 }),
      route('10.244.1.2', { dev: 3, scope: RouteScope.Link }),
      route('10.244.2.0/26', { via: '10.244.2.0', dev: 4, proto: 80, onlink: true }),
      kernelRoute('172.17.0.0/24', 2, '172.17.0.10'),
      localRoute(4, '10.244.1.0'),
      ...LO_ROUTES,
      localRoute(2, '172.17.0.10'),
      broadcastRoute(2, '172.17.0.255', '172.17.0.10'),
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
    routes: [
      route('default', { via: '169.254.1.1', dev: 2 }),
      route('169.254.1.1', { dev: 2, scope: RouteScope.Link }),
      localRoute(2, '10.244.1.2'),
      ...LO_ROUTES,
    ],
  },
);

const PR2 = netns(
  'pr2',
  [
    lo(),
    veth(2, 'ens3', '02:00:00:00:00:28', INIT_NS, 2),
    bridge(3, 'br0', '02:00:00:00:b0:00'),
    veth(5, 'vp1', '02:00:00:00:b1:01', 'pr3', 4, { master: 3 }),
    veth(6, 'vp2', '02:00:00:00:b2:01', 'pr1', 3, { master: 3 }),
  ],
  {
    routes: [
      route('default', { via: '172.17.0.10', dev: 2 }),
      route('10.50.0.0/16', { via: '192.168.60.2', dev: 6, metric: 7 }),
      kernelRoute('172.17.0.0/24', 2, '172.17.0.40'),
      kernelRoute('192.168.50.0/24', 3, '192.168.50.1'),
      kernelRoute('192.168.60.0/24', 6, '192.168.60.1'),
      localRoute(3, '10.10.10.10'),
      ...LO_ROUTES,
      localRoute(2, '172.17.0.40'),
      broadcastRoute(2, '172.17.0.255', '172.17.0.40'),
      localRoute(3, '192.168.50.1'),
      localRoute(3, '192.168.50.3', '192.168.50.1'),
      localRoute(3, '192.168.50.4', '192.168.50.1'),
      broadcastRoute(3, '192.168.50.255', '192.168.50.1'),
      localRoute(6, '192.168.60.1'),
      broadcastRoute(6, '192.168.60.255', '192.168.60.1'),
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
    bridge(6, 'br1', '02:00:00:00:c0:00'),
  ],
  {
    routes: [
      kernelRoute('192.168.50.0/24', 4, '192.168.50.2'),
      localRoute(4, '192.168.50.2'),
      broadcastRoute(4, '192.168.50.255', '192.168.50.2'),
      ...LO_ROUTES,
    ],
  },
);

// lo is down in the lab and has no address; a0 is down, so its address brings only its local route.
const LAB = netns(
  'prL',
  [
    lo({ adminUp: false, everUp: false }),
    veth(2, 'a1', '02:00:00:00:0a:01', 'prL', 3, { adminUp: false, everUp: false, txqlen: 0 }),
    veth(3, 'a0', '02:00:00:00:0a:00', 'prL', 2, { adminUp: false, everUp: false }),
    veth(4, 'b1', '02:00:00:00:0b:01', 'prL', 5, { adminUp: false, everUp: false }),
    veth(5, 'b0', '02:00:00:00:0b:00', 'prL', 4),
    veth(6, 'c1', '02:00:00:00:0c:01', 'prL', 7, { mtu: 1400, master: 10 }),
    veth(7, 'c0', '02:00:00:00:0c:00', 'prL', 6, { mtu: 1400, adminUp: false }),
    bridge(8, 'br0', '02:00:00:00:b0:00', { adminUp: false, everUp: false }),
    bridge(9, 'br1', '02:00:00:00:b1:00'),
    bridge(10, 'br2', '02:00:00:00:b2:00', { mtu: 1400 }),
    vxlan(11, 'vx0', '02:00:00:00:0d:00', { vni: 42 }, { adminUp: false, everUp: false }),
  ],
  {
    routes: [
      kernelRoute('10.1.0.0/24', 6, '10.1.0.1'),
      kernelRoute('10.2.0.0/24', 10, '10.2.0.1'),
      localRoute(3, '10.3.0.1'),
      localRoute(6, '10.1.0.1'),
      broadcastRoute(6, '10.1.0.255', '10.1.0.1'),
      localRoute(10, '10.2.0.1'),
      broadcastRoute(10, '10.2.0.255', '10.2.0.1'),
    ],
  },
);

const NODE = kernelView(world([HOST, POD, PR2, PR3, LAB]));

describe('route -n', () => {
  test.each([
    ['host: every route type, proto, scope and metric', INIT_NS, H_ROUTEN],
    ['pod', 'pr1', PR1_ROUTEN],
    ['pr2 (a route without carrier prints like any other)', 'pr2', PR2_ROUTEN],
    ['pr3', 'pr3', PR3_ROUTEN],
    ['lab', 'prL', L_ROUTEN],
  ])('%s', (_name, ns, want) => {
    expect(formatRouteN(NODE, ns)).toBe(want);
  });

  test('host routes get H, a reject host route !H, a wide metric pushes the columns', () => {
    const w = kernelView(
      world([
        netns('x', [lo(), veth(2, 'ens3', '02:00:00:00:00:0a', 'pr2', 2)], {
          routes: [
            route('10.97.9.9', { via: '172.17.0.40', dev: 2, metric: 1234567 }),
            route('10.98.9.9', { type: 'blackhole' }),
            route('10.99.9.9', { type: 'unreachable' }),
          ],
        }),
      ]),
    );
    expect(formatRouteN(w, 'x')).toBe(
      lines(
        'Kernel IP routing table',
        'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
        '10.97.9.9       172.17.0.40     255.255.255.255 UGH   1234567 0        0 ens3',
        '10.98.9.9       0.0.0.0         255.255.255.255 UH    0      0        0 *',
        '10.99.9.9       -               255.255.255.255 !H    0      -        0 -',
      ),
    );
  });
});

describe('plain route and /proc/net/route (kernel output of fixtures/labs/procnet.lab)', () => {
  const TABLE = [
    'ip netns add b',
    'ip link add eth0 type veth peer name eth0 netns b',
    'ip link set eth0 up',
    'ip addr add 10.0.0.1/24 dev eth0',
    'ip route add default via 10.0.0.2',
    'ip route add 10.5.0.0/16 via 10.0.0.2 metric 100',
    'ip route add 10.0.0.77 dev eth0',
    'ip route add unreachable 10.9.0.0/16',
    'ip route add prohibit 10.7.0.0/16 metric 5',
    'ip route add blackhole 10.8.0.0/16',
  ];
  const shell = () => shellWith(...TABLE);
  const pad = (s: string) => `${s.padEnd(127)}\n`;

  it('prints /proc/net/route with little-endian hex words, RTF flags and 127-column lines', () => {
    expect(shell().run('cat /proc/net/route').output.stdout).toBe(
      [
        'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
        'eth0\t00000000\t0200000A\t0003\t0\t0\t0\t00000000\t0\t0\t0',
        'eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
        'eth0\t4D00000A\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0',
        'eth0\t0000050A\t0200000A\t0003\t0\t0\t100\t0000FFFF\t0\t0\t0',
        '*\t0000070A\t00000000\t0201\t0\t0\t5\t0000FFFF\t0\t0\t0',
        '*\t0000080A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
        '*\t0000090A\t00000000\t0201\t0\t0\t0\t0000FFFF\t0\t0\t0',
      ]
        .map(pad)
        .join(''),
    );
  });

  it('names the default route `default` without -n and leaves the rest numeric', () => {
    const out = shell().run('route').output.stdout.split('\n');
    expect(out[2]).toBe('default         10.0.0.2        0.0.0.0         UG    0      0        0 eth0');
    expect(out[3]).toBe('10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 eth0');
    expect(shell().run('route -n').output.stdout.split('\n')[2]).toMatch(/^0\.0\.0\.0 {9}10\.0\.0\.2 /);
  });

  it('prints /proc/net/arp and /proc/net/dev headers as the kernel does', () => {
    const sh = shell();
    sh.run('ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent');
    expect(sh.run('cat /proc/net/arp').output.stdout).toBe(
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
        '10.0.0.9         0x1         0x6         02:00:00:00:00:09     *        eth0\n',
    );
    const dev = sh.run('cat /proc/net/dev').output.stdout.split('\n');
    expect(dev[0]).toBe('Inter-|   Receive                                                |  Transmit');
    expect(dev[2]).toBe(
      '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
    );
  });
});
