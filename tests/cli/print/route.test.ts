// Golden tests for cli/print/route.ts: `route -n` (net-tools 2.10) as printed on a real kernel for
// the same routing tables, built in scratch namespaces and written here by hand as worlds.

import { parseIpv4, type Ipv4 } from '../../../src/model/addr.js';
import { INIT_NS, RouteScope, type Link, type LinkKind, type Netns, type Route, type RouteType, type World } from '../../../src/model/world.js';
import { formatRouteN } from '../../../cli/print/route.js';

const lines = (...l: string[]): string => l.map((x) => x + '\n').join('');

const ip = (s: string): Ipv4 => {
  const a = parseIpv4(s);
  if (a === null) throw new Error(s);
  return a;
};

function link(ifindex: number, name: string, kind: LinkKind = 'veth'): Link {
  return {
    ifindex,
    name,
    kind,
    mac: '02:00:00:00:00:00',
    macSet: true,
    mtu: 1500,
    adminUp: true,
    fdb: [],
    txqlen: 1000,
    everUp: true,
    stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
}

interface RouteSpec {
  type?: RouteType;
  table?: number;
  via?: string;
  dev?: number;
  proto?: number;
  scope?: number;
  src?: string;
  metric?: number;
  onlink?: boolean;
}

function route(dst: string, o: RouteSpec = {}): Route {
  const [a, len] = dst === 'default' ? ['0.0.0.0', '0'] : dst.includes('/') ? dst.split('/') : [dst, '32'];
  return {
    table: o.table ?? 254,
    type: o.type ?? 'unicast',
    dst: { addr: ip(a), len: Number(len) },
    gateway: o.via === undefined ? undefined : ip(o.via),
    dev: o.dev,
    proto: o.proto ?? 3,
    scope: o.scope ?? RouteScope.Universe,
    prefsrc: o.src === undefined ? undefined : ip(o.src),
    metric: o.metric ?? 0,
    onlink: o.onlink ?? false,
  };
}

const kernelRoute = (dst: string, dev: number, src: string): Route =>
  route(dst, { dev, proto: 2, scope: RouteScope.Link, src });

function netns(name: string, links: Link[], routes: Route[]): Netns {
  return {
    name,
    links: Object.fromEntries(links.map((l) => [l.ifindex, l])),
    ifindexNext: 100,
    addrs: [],
    routes,
    neigh: [],
    sysctl: {},
    nsids: {},
    listeners: [],
    drops: {},
    ipIdent: 0,
    pmtu: {},
    reasm: {},
  };
}

function world(...spaces: Netns[]): World {
  return { now: 0, namespaces: Object.fromEntries(spaces.map((n) => [n.name, n])), nsOrder: spaces.map((n) => n.name), seq: 0 };
}

/** LOCAL_TABLE stands for the local table's routes, which /proc/net/route never lists. */
const LOCAL_TABLE: Route[] = [
  route('127.0.0.0/8', { type: 'local', table: 255, dev: 1, proto: 2, scope: RouteScope.Host, src: '127.0.0.1' }),
  route('127.255.255.255', { type: 'broadcast', table: 255, dev: 1, proto: 2, scope: RouteScope.Link, src: '127.0.0.1' }),
];

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
  [link(1, 'lo', 'loopback'), link(2, 'ens3'), link(3, 'cali1'), link(4, 'vxlan.calico', 'vxlan')],
  [
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
    ...LOCAL_TABLE,
  ],
);

const POD = netns(
  'pr1',
  [link(1, 'lo', 'loopback'), link(2, 'eth0'), link(3, 'eth1')],
  [route('default', { via: '169.254.1.1', dev: 2 }), route('169.254.1.1', { dev: 2, scope: RouteScope.Link }), ...LOCAL_TABLE],
);

const PR2 = netns(
  'pr2',
  [link(1, 'lo', 'loopback'), link(2, 'ens3'), link(3, 'br0', 'bridge'), link(5, 'vp1'), link(6, 'vp2')],
  [
    route('default', { via: '172.17.0.10', dev: 2 }),
    route('10.50.0.0/16', { via: '192.168.60.2', dev: 6, metric: 7 }),
    kernelRoute('172.17.0.0/24', 2, '172.17.0.40'),
    kernelRoute('192.168.50.0/24', 3, '192.168.50.1'),
    kernelRoute('192.168.60.0/24', 6, '192.168.60.1'),
    ...LOCAL_TABLE,
  ],
);

const PR3 = netns('pr3', [link(1, 'lo', 'loopback'), link(4, 'vp1b')], [kernelRoute('192.168.50.0/24', 4, '192.168.50.2'), ...LOCAL_TABLE]);

const LAB = netns(
  'prL',
  [link(1, 'lo', 'loopback'), link(6, 'c1'), link(10, 'br2', 'bridge')],
  [kernelRoute('10.1.0.0/24', 6, '10.1.0.1'), kernelRoute('10.2.0.0/24', 10, '10.2.0.1')],
);

const NODE = world(HOST, POD, PR2, PR3, LAB);

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
    const w = world(
      netns(
        'x',
        [link(1, 'lo', 'loopback'), link(2, 'ens3')],
        [
          route('10.97.9.9', { via: '172.17.0.40', dev: 2, metric: 1234567 }),
          route('10.98.9.9', { type: 'blackhole' }),
          route('10.99.9.9', { type: 'unreachable' }),
        ],
      ),
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
