// End-to-end tests of BgpSpeaker: two and three Calico nodes in a node-to-node mesh, a route reflector
// with clients, node failure with graceful restart, and the queries `birdc` and `calicoctl` print from,
// all wired byte stream to byte stream on a fake virtual clock (tests/bgp/net.ts).

import { jest } from '@jest/globals';
import fc from 'fast-check';
import { formatCidr, formatIpv4, parseCidr, parseIpv4, type Cidr, type Ipv4 } from '../../src/model/addr.js';
import { findAttr } from '../../src/bgp/attrs.js';
import { explicitPeerProtocol } from '../../src/bgp/calico.js';
import { birdOpen } from '../../src/bgp/open.js';
import { BgpSpeaker, type SpeakerOutput } from '../../src/bgp/speaker.js';
import { decodeBgp, encodeBgp, type BgpPathAttribute, type BgpUpdateRepr } from '../../src/model/wire/bgp.js';
import { gobgpProtocol } from '../../src/bgp/config.js';
import { BgpNet, bootNode, bootNodeOn, calicoNode } from './net.js';

const ip = (s: string): number => parseIpv4(s)!;
const c = (s: string): Cidr => parseCidr(s)!;
const nodeIp = (i: number): Ipv4 => ip(`10.0.0.${i + 1}`);
const block = (i: number): Cidr => c(`10.233.${i}.0/24`);

/** mesh builds and boots a full mesh of n Calico nodes, node i owning block i. */
function mesh(n: number, latency?: () => number, recovery = true): BgpNet {
  const net = new BgpNet(latency);
  const ips = Array.from({ length: n }, (_, i) => nodeIp(i));
  ips.forEach((own, i) => {
    net.add(
      own,
      calicoNode(
        own,
        ips.filter((x) => x !== own),
        [block(i)],
        { recovery },
      ),
    );
  });
  net.startAll();
  ips.forEach((own, i) => {
    bootNode(net, own, [block(i)]);
  });
  return net;
}

/** bestRoutes is a node's Loc-RIB as prefix → next hop (for BGP routes) or the destination. */
function bestRoutes(s: BgpSpeaker): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of s.showRoutes()) {
    const r = n.routes[0].route;
    m.set(formatCidr(n.prefix), r.dest === 'router' ? `via ${formatIpv4(r.gateway!)} on ${r.iface}` : r.dest);
  }
  return m;
}

describe('bgp speaker', () => {
  it('brings up a two-node mesh: the lower address (as text) waits, both learn the other’s block', () => {
    const net = mesh(2);
    net.run(30);
    const [a, b] = [net.speakers.get(nodeIp(0))!, net.speakers.get(nodeIp(1))!];
    expect(a.protocolStatus().map((p) => [p.name, p.state, p.info])).toEqual([
      ['static1', 'up', ''],
      ['kernel1', 'up', ''],
      ['device1', 'up', ''],
      ['direct1', 'up', ''],
      ['Mesh_10_0_0_2', 'up', 'Established   '],
    ]);
    // 10.0.0.1 is passive towards "10.0.0.2": only 10.0.0.2 connects.
    expect(net.outputs(nodeIp(0), 'connect')).toEqual([]);
    expect(net.outputs(nodeIp(1), 'connect').map((o) => formatIpv4(o.remote))).toEqual(['10.0.0.1']);
    expect(bestRoutes(a)).toEqual(
      new Map([
        ['10.0.0.0/24', 'device'],
        ['10.233.0.0/24', 'blackhole'],
        ['10.233.1.0/24', 'via 10.0.0.2 on eth0'],
      ]),
    );
    expect(bestRoutes(b).get('10.233.0.0/24')).toBe('via 10.0.0.1 on eth0');
    expect(a.fib().map((f) => [formatCidr(f.prefix), f.dest, f.gateway && formatIpv4(f.gateway), f.protocol])).toEqual(
      expect.arrayContaining([
        ['10.233.0.0/24', 'blackhole', undefined, 'static1'],
        ['10.233.1.0/24', 'router', '10.0.0.2', 'Mesh_10_0_0_2'],
      ]),
    );
  });

  it('answers `show protocols all` with BIRD 1.6’s lines, the timers counting down', () => {
    const net = mesh(2);
    net.run(30);
    const d = net.speakers.get(nodeIp(1))!.protocolDetails('Mesh_10_0_0_1', 32)!;
    expect(d.lines).toEqual([
      '  BGP state:          Established',
      '    Neighbor address: 10.0.0.1',
      '    Neighbor AS:      64512',
      '    Neighbor ID:      10.0.0.1',
      '    Neighbor caps:    refresh enhanced-refresh restart-able llgr-aware AS4 add-path-rx add-path-tx',
      '    Session:          internal multihop AS4 add-path-rx add-path-tx',
      '    Source address:   10.0.0.2',
      '    Hold timer:       210/240',
      '    Keepalive timer:  50/80',
    ]);
    expect(d.routes).toEqual({ imported: 1, exported: 1, preferred: 1 });
  });

  it('sends each block as one UPDATE with BIRD’s attributes and its static1 path id, then End-of-RIB', () => {
    const net = mesh(2);
    net.run(10);
    const ups = net
      .outputs(nodeIp(0), 'send')
      .filter((s) => s.message.type === 'update')
      .map((s) => decodeBgp(s.bytes, { as4: true, addPath: true }));
    expect(ups.length).toBe(2);
    const u = ups[0].ok ? (ups[0].value.repr as BgpUpdateRepr) : null;
    expect(u?.attributes).toEqual([
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'as-path', flags: 0x40, segments: [] },
      { type: 'next-hop', flags: 0x40, nextHop: nodeIp(0) },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
    ]);
    expect(u?.nlri).toEqual([{ prefix: block(0), pathId: 1 }]);
    expect(ups[1].ok && ups[1].value.repr).toEqual({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
  });

  it('in a three-node mesh does not pass one peer’s routes to another (iBGP, no reflection)', () => {
    const net = mesh(3);
    net.run(30);
    const s = net.speakers.get(nodeIp(2))!;
    expect(bestRoutes(s).get('10.233.0.0/24')).toBe('via 10.0.0.1 on eth0');
    expect(bestRoutes(s).get('10.233.1.0/24')).toBe('via 10.0.0.2 on eth0');
    for (const [addr] of net.speakers) {
      const ups = net.outputs(addr, 'send').filter((o) => o.message.type === 'update' && (o.message as BgpUpdateRepr).nlri.length > 0);
      for (const u of ups)
        expect((u.message as BgpUpdateRepr).nlri.map((n) => formatCidr(n.prefix))).toEqual([
          formatCidr(block(Number(formatIpv4(addr).split('.')[3]) - 1)),
        ]);
    }
  });

  it('withdraws a released block from its peers and their FIBs', () => {
    const net = mesh(2);
    net.run(10);
    net.handle(nodeIp(0), net.speakers.get(nodeIp(0))!.withdraw(block(0), net.now));
    net.run(11);
    const b = net.speakers.get(nodeIp(1))!;
    expect(bestRoutes(b).has('10.233.0.0/24')).toBe(false);
    expect(
      net
        .outputs(nodeIp(1), 'fib')
        .filter((f) => formatCidr(f.prefix) === '10.233.0.0/24')
        .map((f) => f.route?.dest ?? null),
    ).toEqual(['router', null]);
  });

  it('reports `Active Socket: Connection refused` while the peer refuses, retrying every connect delay', () => {
    const net = new BgpNet();
    const own = nodeIp(1);
    net.add(own, calicoNode(own, [nodeIp(0)], [block(1)]));
    net.startAll();
    net.run(7);
    const s = net.speakers.get(own)!;
    expect(s.protocolStatus().find((p) => p.name === 'Mesh_10_0_0_1')).toMatchObject({
      state: 'start',
      info: 'Active        Socket: Connection refused',
    });
    expect(net.outputs(own, 'connect').map((o) => o.remote)).toEqual([nodeIp(0), nodeIp(0), nodeIp(0)]);
    expect(s.protocolDetails('Mesh_10_0_0_1', 7)!.lines.slice(0, 4)).toEqual([
      '  BGP state:          Active',
      '    Neighbor address: 10.0.0.1',
      '    Neighbor AS:      64512',
      '    Connect delay:    1/2',
    ]);
  });

  it('keeps a dead peer’s routes for the 120 s restart time (graceful restart), then removes them', () => {
    const net = mesh(2);
    net.run(10);
    // Node 10.0.0.2 dies: its TCP connection is reset and nothing answers any more.
    net.down.add(nodeIp(1));
    const a = net.speakers.get(nodeIp(0))!;
    net.handle(nodeIp(0), a.tcpFailed('Mesh_10_0_0_2', a.session('Mesh_10_0_0_2')!.established!, 'Connection reset by peer', net.now));
    net.speakers.delete(nodeIp(1));
    net.run(100);
    expect(bestRoutes(a).get('10.233.1.0/24')).toBe('via 10.0.0.2 on eth0');
    expect(a.showRoutes().find((n) => formatCidr(n.prefix) === '10.233.1.0/24')!.routes[0].route.stale).toBe(true);
    expect(a.protocolStatus().at(-1)).toMatchObject({ state: 'start', info: 'Passive       Socket: Connection reset by peer' });
    expect(a.protocolDetails('Mesh_10_0_0_2', 100)!.lines).toContain('    Neighbor graceful restart active');
    net.run(140);
    expect(bestRoutes(a).has('10.233.1.0/24')).toBe(false);
    expect(a.fib().some((f) => formatCidr(f.prefix) === '10.233.1.0/24')).toBe(false);
  });

  it('reflects routes between clients with ORIGINATOR_ID, CLUSTER_LIST and ADD-PATH path ids', () => {
    const rrIp = ip('10.0.0.100');
    const clients = [0, 1, 2].map(nodeIp);
    const net = new BgpNet();
    net.add(rrIp, calicoNode(rrIp, clients, [], { rrClusterId: ip('10.0.0.100') }));
    clients.forEach((cl, i) => {
      net.add(cl, calicoNode(cl, [rrIp], [block(i)], { explicit: true }));
    });
    net.startAll();
    bootNode(net, rrIp, []);
    clients.forEach((cl, i) => {
      bootNode(net, cl, [block(i)]);
    });
    net.run(30);
    const c3 = net.speakers.get(clients[2])!;
    const r = c3.showRoutes().find((n) => formatCidr(n.prefix) === '10.233.0.0/24')!.routes[0].route;
    expect(r.protocol).toBe('Node_10_0_0_100');
    expect(formatIpv4(r.gateway!)).toBe('10.0.0.1');
    expect(formatIpv4(r.from!)).toBe('10.0.0.100');
    expect(findAttr(r.attrs, 'originator-id')?.originatorId).toBe(clients[0]);
    expect(findAttr(r.attrs, 'cluster-list')?.clusterIds).toEqual([ip('10.0.0.100')]);
    // The client never takes back its own route (ORIGINATOR_ID loop) and the RR never echoes it.
    expect(c3.adjRibIn('Node_10_0_0_100').map((x) => formatCidr(x.prefix))).toEqual(['10.233.0.0/24', '10.233.1.0/24']);
    const rr = net.speakers.get(rrIp)!;
    expect(rr.protocolDetails('Node_10_0_0_1', 30)!.lines.find((l) => l.startsWith('    Session:'))).toBe(
      '    Session:          internal multihop route-reflector AS4 add-path-rx add-path-tx',
    );
    // The RR sends clients the paths with its own source ids (BIRD global ids, after static1..direct1).
    const toC3 = net
      .outputs(rrIp, 'send')
      .filter((o) => o.protocol === 'Node_10_0_0_3' && o.message.type === 'update')
      .map((o) => o.message as BgpUpdateRepr);
    const ids = toC3.flatMap((u) => u.nlri.map((n) => n.pathId!));
    expect(ids.every((id) => id >= 5)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('after a restart (`bird -R`) holds its export to a ready peer until that peer’s End-of-RIB', () => {
    const net = new BgpNet();
    const [a, b] = [nodeIp(0), nodeIp(1)];
    net.add(a, calicoNode(a, [b], [block(0)], { recovery: true }));
    net.add(b, calicoNode(b, [a], [block(1)], { recovery: false }));
    net.startAll();
    bootNode(net, a, [block(0)]);
    bootNode(net, b, [block(1)]);
    net.run(10);
    const aLog = net.log.filter((l) => l.node === a).map((l) => l.out);
    const eor = aLog.findIndex((o) => o.type === 'log' && o.message.endsWith('Got END-OF-RIB'));
    const firstUpdate = aLog.findIndex((o) => o.type === 'send' && o.message.type === 'update');
    const firstBgpFib = aLog.findIndex((o) => o.type === 'fib' && o.route?.source === 'bgp');
    expect(eor).toBeGreaterThan(0);
    expect(firstUpdate).toBeGreaterThan(eor);
    expect(firstBgpFib).toBeGreaterThan(eor);
    expect(bestRoutes(net.speakers.get(b)!).get('10.233.0.0/24')).toBe('via 10.0.0.1 on eth0');
  });

  it('keeps the kernel waiting for the 240 s graceful restart wait while a peer never comes up', () => {
    const net = new BgpNet();
    const [a, b, dead] = [nodeIp(0), nodeIp(1), nodeIp(2)];
    net.add(a, calicoNode(a, [b, dead], [block(0)], { recovery: true }));
    net.add(b, calicoNode(b, [a], [block(1)], { recovery: false }));
    net.startAll();
    bootNode(net, a, [block(0)]);
    bootNode(net, b, [block(1)]);
    net.run(200);
    const s = net.speakers.get(a)!;
    expect(bestRoutes(s).get('10.233.1.0/24')).toBe('via 10.0.0.2 on eth0');
    expect(s.fib().length).toBe(0);
    net.run(241);
    expect(
      s
        .fib()
        .map((f) => formatCidr(f.prefix))
        .sort(),
    ).toEqual(['10.233.0.0/24', '10.233.1.0/24']);
  });

  it('peers Calico nodes with a GoBGP route reflector (seed 004): hold 90, GoBGP’s capabilities, routes reflected', () => {
    const rrIp = ip('172.18.0.2');
    const nodes = [ip('172.18.0.3'), ip('172.18.0.4'), ip('172.18.0.5')];
    const net = new BgpNet();
    const accept = () => ({ accept: true as const });
    net.add(
      rrIp,
      new BgpSpeaker({
        routerId: rrIp,
        gracefulRestartRecovery: false,
        protocols: nodes.map((n) => ({
          config: gobgpProtocol({
            name: `gobgp_${formatIpv4(n)}`,
            hostname: 'gobgp',
            localAs: 64512,
            peerAs: 64512,
            neighborAddress: n,
            sourceAddress: rrIp,
            routerId: rrIp,
            rrClient: true,
          }),
          exportFilter: accept,
        })),
      }),
    );
    nodes.forEach((n, i) => {
      net.add(n, calicoNode(n, [rrIp], [c(`10.244.${[175, 190, 236][i]}.0/24`)], { explicit: true }));
    });
    net.startAll();
    bootNodeOn(net, rrIp, c('172.18.0.0/16'), []);
    nodes.forEach((n, i) => {
      bootNodeOn(net, n, c('172.18.0.0/16'), [c(`10.244.${[175, 190, 236][i]}.0/24`)]);
    });
    net.run(30);
    const w2 = net.speakers.get(nodes[1])!;
    expect(bestRoutes(w2).get('10.244.175.0/24')).toBe('via 172.18.0.3 on eth0');
    expect(bestRoutes(w2).get('10.244.236.0/24')).toBe('via 172.18.0.5 on eth0');
    const d = w2.protocolDetails('Node_172_18_0_2', 30)!.lines;
    expect(d).toContain('    Neighbor caps:    refresh AS4');
    expect(d).toContain('    Session:          internal multihop AS4');
    expect(d.find((l) => l.startsWith('    Hold timer:'))).toMatch(/\/90$/);
    expect(d.find((l) => l.startsWith('    Keepalive timer:'))).toMatch(/\/30$/);
    const rr = net.speakers.get(rrIp)!;
    expect(new Map([...bestRoutes(rr)].filter(([p]) => p.startsWith('10.244.')))).toEqual(
      new Map([
        ['10.244.175.0/24', 'via 172.18.0.3 on eth0'],
        ['10.244.190.0/24', 'via 172.18.0.4 on eth0'],
        ['10.244.236.0/24', 'via 172.18.0.5 on eth0'],
      ]),
    );
  });

  it('resolves next hops recursively (gateway recursive): unreachable until a route covers them, then via it', () => {
    const net = new BgpNet();
    const [a, b] = [nodeIp(0), nodeIp(1)];
    net.add(a, calicoNode(a, [b], [block(0)], { recovery: false }));
    net.add(b, calicoNode(b, [a], [block(1)], { recovery: false }));
    net.startAll();
    net.handle(b, net.speakers.get(b)!.originate(block(1), 0));
    net.run(10);
    const s = net.speakers.get(a)!;
    const r = () => s.showRoutes().find((n) => formatCidr(n.prefix) === '10.233.1.0/24')!.routes[0].route;
    expect([r().dest, r().bgp?.resolvable]).toEqual(['unreachable', false]);
    expect(s.fib().find((f) => formatCidr(f.prefix) === '10.233.1.0/24')?.dest).toBe('unreachable');
    // The interface comes up: its direct route covers the next hop, which now resolves through it.
    net.handle(a, s.addRoute({ protocol: 'direct1', prefix: c('10.0.0.0/24'), dest: 'device', iface: 'eth0' }, 11));
    expect([r().dest, r().gateway && formatIpv4(r().gateway!), r().iface, r().bgp?.resolvable]).toEqual([
      'router',
      '10.0.0.2',
      'eth0',
      true,
    ]);
    expect(s.fib().find((f) => formatCidr(f.prefix) === '10.233.1.0/24')).toMatchObject({ dest: 'router', iface: 'eth0' });
    // A kernel default route resolves a far next hop to its gateway, with an unknown IGP metric.
    net.handle(a, s.removeRoute('direct1', c('10.0.0.0/24'), 12));
    net.handle(a, s.addRoute({ protocol: 'kernel1', prefix: c('0.0.0.0/0'), dest: 'router', gateway: ip('10.9.9.1'), iface: 'eth1' }, 12));
    expect([r().dest, formatIpv4(r().gateway!), r().iface, r().bgp?.igpMetric]).toEqual(['router', '10.9.9.1', 'eth1', 0x80000000]);
  });

  it('restarts a protocol whose configuration changed (Cease 6/6) and re-establishes it', () => {
    const net = mesh(2);
    net.run(10);
    const a = net.speakers.get(nodeIp(0))!;
    const p = { config: { ...a.session('Mesh_10_0_0_2')!.config, holdTime: 90 }, exportFilter: () => ({ accept: true as const }) };
    net.handle(nodeIp(0), a.reconfigure(p, net.now));
    const notes = net.outputs(nodeIp(0), 'send').filter((o) => o.message.type === 'notification');
    expect(notes.map((o) => (o.message.type === 'notification' ? `${o.message.code}/${o.message.subcode}` : ''))).toEqual(['6/6']);
    net.run(30);
    expect(a.session('Mesh_10_0_0_2')!.protoState).toBe('up');
    expect(a.session('Mesh_10_0_0_2')![a.session('Mesh_10_0_0_2')!.established!].holdTime).toBe(90);
  });

  it('property: any latencies, a full mesh of n has n(n-1)/2 established sessions and the same Loc-RIB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 30 }), (n, lat) => {
        let i = 0;
        const net = mesh(n, () => lat[i++ % lat.length] / 1000);
        net.run(60);
        let established = 0;
        const ribs: string[] = [];
        for (const [addr, s] of net.speakers) {
          for (const name of s.protocolNames()) if (s.session(name)!.protoState === 'up') established++;
          const r = bestRoutes(s);
          for (let j = 0; j < n; j++) {
            const expected = nodeIp(j) === addr ? 'blackhole' : `via ${formatIpv4(nodeIp(j))} on eth0`;
            expect(r.get(formatCidr(block(j)))).toBe(expected);
          }
          ribs.push([...r.keys()].sort().join(','));
        }
        expect(established / 2).toBe((n * (n - 1)) / 2);
        expect(new Set(ribs).size).toBe(1);
      }),
      { numRuns: 25 },
    );
  });

  it('property: a random topology of reflectors and clients converges to the same best routes whatever the interleaving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        (n, lat1, lat2) => {
          const build = (lat: number[]): BgpNet => {
            let k = 0;
            const net = new BgpNet(() => lat[k++ % lat.length] / 1000);
            const rrIp = ip('10.0.0.200');
            const clients = Array.from({ length: n }, (_, i) => nodeIp(i));
            net.add(rrIp, calicoNode(rrIp, clients, [], { rrClusterId: rrIp }));
            clients.forEach((cl, i) => {
              net.add(cl, calicoNode(cl, [rrIp], [block(i)], { explicit: true }));
            });
            net.startAll();
            bootNode(net, rrIp, []);
            clients.forEach((cl, i) => {
              bootNode(net, cl, [block(i)]);
            });
            net.run(60);
            return net;
          };
          const a = build(lat1);
          const b = build(lat2);
          for (const [addr, s] of a.speakers) expect(bestRoutes(s)).toEqual(bestRoutes(b.speakers.get(addr)!));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reflects one UPDATE touching one prefix only, with 5,000 prefixes in the table, and packs the big one', () => {
    const rrIp = ip('10.1.0.1');
    const clients = Array.from({ length: 40 }, (_, i) => (ip('10.2.0.0') + i + 1) >>> 0);
    const rr = calicoNode(rrIp, clients, [], { rrClusterId: rrIp });
    rr.start(0);
    rr.addRoute({ protocol: 'direct1', prefix: c('10.2.0.0/16'), dest: 'device', iface: 'eth0' }, 0);
    // Each client connects and sends BIRD's OPEN, a KEEPALIVE and its (empty) table's End-of-RIB.
    for (const cl of clients) {
      const name = `Node_${formatIpv4(cl).replace(/\./g, '_')}`;
      rr.incoming(cl, 1);
      const peer = explicitPeerProtocol({ kind: 'node', ownIp: cl, peerIp: rrIp, asNumber: 64512, peerAsNumber: 64512 });
      rr.receive(name, 'incoming', encodeBgp(birdOpen(peer, { grRecovery: false, noCapabilities: false })), 1);
      rr.receive(name, 'incoming', encodeBgp({ type: 'keepalive' }), 1);
      // End-of-RIB releases this session's hold on the RR's graceful restart recovery (`bird -R`).
      rr.receive(name, 'incoming', encodeBgp({ type: 'update', withdrawn: [], attributes: [], nlri: [] }), 1);
    }
    expect(rr.protocolStatus().filter((p) => p.state === 'up' && p.proto === 'BGP').length).toBe(40);
    const ctx = { as4: true, addPath: true };
    const attrs = (nh: Ipv4): BgpPathAttribute[] => [
      { type: 'origin', flags: 0x40, origin: 0 },
      { type: 'as-path', flags: 0x40, segments: [] },
      { type: 'next-hop', flags: 0x40, nextHop: nh },
      { type: 'local-pref', flags: 0x40, localPref: 100 },
    ];
    // Client 1 announces 5,000 /32s in 13 UPDATEs that arrive in one read.
    const many = Array.from({ length: 5000 }, (_, i) => ({ prefix: { addr: (ip('10.233.0.0') + i) >>> 0, len: 32 }, pathId: 1 }));
    const msgs: Uint8Array[] = [];
    for (let i = 0; i < many.length; i += 400)
      msgs.push(encodeBgp({ type: 'update', withdrawn: [], attributes: attrs(clients[0]), nlri: many.slice(i, i + 400) }, ctx));
    const read = new Uint8Array(msgs.reduce((n, m) => n + m.length, 0));
    msgs.reduce((o, m) => {
      read.set(m, o);
      return o + m.length;
    }, 0);
    let out: SpeakerOutput[] = rr.receive('Node_10_2_0_1', 'incoming', read, 2);
    expect(rr.table.size).toBe(5001);
    const toClient2 = out.filter((o) => o.type === 'send' && o.protocol === 'Node_10_2_0_2');
    // 4073 octets minus 35 of attributes (ORIGINATOR_ID and CLUSTER_LIST added) is room for 448 NLRI of 9 octets.
    expect(toClient2.map((o) => (o.type === 'send' ? (o.message as BgpUpdateRepr).nlri.length : 0))).toEqual([
      ...new Array(11).fill(448),
      72,
    ]);
    for (const o of toClient2) if (o.type === 'send') expect(o.bytes.length).toBeLessThanOrEqual(4096);
    // Now one more prefix from client 2: the work is that prefix, sent to the 39 other clients.
    const walks = jest.spyOn(rr.table, 'allNets');
    const updates = jest.spyOn(rr.table, 'update');
    out = rr.receive(
      'Node_10_2_0_2',
      'incoming',
      encodeBgp({ type: 'update', withdrawn: [], attributes: attrs(clients[1]), nlri: [{ prefix: c('10.233.128.0/26'), pathId: 1 }] }, ctx),
      3,
    );
    expect(walks).not.toHaveBeenCalled();
    expect(updates).toHaveBeenCalledTimes(1);
    const sends = out.filter((o) => o.type === 'send');
    expect(sends.length).toBe(39);
    expect(new Set(sends.map((o) => (o.type === 'send' ? o.protocol : ''))).has('Node_10_2_0_2')).toBe(false);
  });

  it('reflects every client’s block to every other client over TCP-sized reads with deferred tx, counting exp_routes', () => {
    const rrIp = ip('10.0.0.100');
    const clients = Array.from({ length: 30 }, (_, i) => nodeIp(i));
    // bird.ts's manner: one write per speaker call and connection, reads of one segment, tx events after the reads.
    const net = new BgpNet({ segment: 1448, deferTx: true });
    const rr = calicoNode(rrIp, clients, [], { rrClusterId: rrIp });
    net.add(rrIp, rr);
    clients.forEach((cl, i) => {
      net.add(cl, calicoNode(cl, [rrIp], [block(i)], { explicit: true }));
    });
    net.startAll();
    bootNode(net, rrIp, []);
    clients.forEach((cl, i) => {
      bootNode(net, cl, [block(i)]);
    });
    net.run(30);
    for (const [i, cl] of clients.entries()) {
      const s = net.speakers.get(cl)!;
      const got = s.adjRibIn('Node_10_0_0_100').map((r) => formatCidr(r.prefix));
      expect(got).toEqual(
        clients
          .map((_, j) => formatCidr(block(j)))
          .filter((_, j) => j !== i)
          .sort((a, b) => ip(a.split('/')[0]) - ip(b.split('/')[0])),
      );
      // Every other client's block, once: 29 UPDATEs and the End-of-RIB.
      expect(rr.protocolDetails(`Node_${formatIpv4(cl).replace(/\./g, '_')}`, 30)!.routes).toEqual({
        imported: 1,
        exported: 29,
        preferred: 1,
      });
    }
    expect(net.counters.received[2]).toBe(30 * 30 + 30 * 2);
    // A block goes: its withdrawal reaches the 29 others and their count drops.
    net.handle(clients[0], net.speakers.get(clients[0])!.withdraw(block(0), net.now));
    net.run(31);
    expect(rr.protocolDetails('Node_10_0_0_2', 31)!.routes).toEqual({ imported: 1, exported: 28, preferred: 1 });
    expect(rr.protocolDetails('Node_10_0_0_1', 31)!.routes).toEqual({ imported: 0, exported: 29, preferred: 0 });
    expect(
      net.speakers
        .get(clients[1])!
        .adjRibIn('Node_10_0_0_100')
        .some((r) => formatCidr(r.prefix) === formatCidr(block(0))),
    ).toBe(false);
  });
});
