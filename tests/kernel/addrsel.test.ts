// Tests of src/kernel/addrsel.ts against transcripts of a real kernel (Linux 6.18, iproute2 6.1): the routes
// addresses bring and take away (`ip route show table all`), the address list order (`ip -4 addr`), and the
// source address `ip route get` prints.

import fc from 'fast-check';
import { link as supportLink } from '../support/world.js';
import { formatIpv4, parseCidr, parseIpv4 } from '../../src/model/addr.js';
import { RouteProto, RouteScope, RouteTable } from '../../src/model/world.js';
import type { IfAddr, Link, Route, RouteType } from '../../src/model/world.js';
import { FibStore } from '../../src/model/fibstore.js';
import { fibCheckNewRoute, fibFlushDev, fibInsert, fibLookup, rtnlErrorLine } from '../../src/kernel/fib.js';
import type { RouteSpec } from '../../src/kernel/fib.js';
import {
  addrRoutes,
  fibNetdevUp,
  fibResultPrefsrc,
  ifaAddress,
  inetDelIfa,
  inetIfaMatch,
  inetInsertIfa,
  inetSelectAddr,
  ipRouteOutputSaddr,
} from '../../src/kernel/addrsel.js';

const TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit'];

/** mkLink is a device of the test's own numbering: MAC 02:00:00:00:00:0N, never set by hand. */
function mkLink(ifindex: number, name: string, adminUp: boolean, kind: Link['kind'] = 'veth'): Link {
  return supportLink(ifindex, name, kind, { mac: `02:00:00:00:00:0${ifindex}`, macSet: false, adminUp, everUp: adminUp });
}

/** Lab is one namespace driven by `ip addr`, `ip link` and `ip route add` command lines. */
class Lab {
  links = new Map<number, Link>();
  linkNames = new Map<string, number>();
  addrs: readonly IfAddr[] = [];
  fib = new FibStore();

  constructor(devs: readonly [string, boolean][]) {
    this.links.set(1, mkLink(1, 'lo', true, 'loopback'));
    devs.forEach(([name, up], i) => {
      this.links.set(i + 2, mkLink(i + 2, name, up));
    });
    for (const l of this.links.values()) this.linkNames.set(l.name, l.ifindex);
    this.ip('addr add 127.0.0.1/8 dev lo scope host');
  }

  /** routes lists every table's routes in dump order. */
  get routes(): readonly Route[] {
    return this.fib.all();
  }

  /** devList is the namespace's device list: ifindex order, as nothing here moves. */
  get devList(): number[] {
    return [...this.links.keys()].sort((a, b) => a - b);
  }

  dev(name: string): Link {
    const l = [...this.links.values()].find((x) => x.name === name);
    if (!l) throw new Error(`no ${name}`);
    return l;
  }

  ip(line: string): string {
    const w = line.split(/\s+/);
    const kv: Record<string, string> = {};
    if (w[0] === 'link') {
      const l = this.dev(w[3]);
      const up = w[4] === 'up';
      if (l.adminUp === up) return 'OK';
      const next = { ...l, adminUp: up };
      this.links.set(l.ifindex, next);
      if (up) fibNetdevUp(this.fib, next, this.addrs);
      else fibFlushDev(this.fib, l.ifindex);
      return 'OK';
    }
    if (w[0] === 'addr') {
      const local = parseCidr(w[2])!;
      const noprefixroute = w.includes('noprefixroute');
      const rest = w.slice(3).filter((x) => x !== 'noprefixroute');
      for (let i = 0; i < rest.length; i += 2) kv[rest[i]] = rest[i + 1];
      // `peer PREFIX` is IFA_ADDRESS: the prefix length and `brd +` are the peer's.
      const c = kv.peer !== undefined ? parseCidr(kv.peer)! : local;
      const l = this.dev(kv.dev);
      // ipaddr_modify fills in `brd +` only below a /31.
      const plus = c.len <= 30 ? (c.addr | (2 ** (32 - c.len) - 1)) >>> 0 : undefined;
      const brd = kv.brd === undefined ? undefined : kv.brd === '+' ? plus : parseIpv4(kv.brd)!;
      const ifa: IfAddr = {
        ifindex: l.ifindex,
        local: local.addr,
        ...(c.addr !== local.addr ? { address: c.addr } : {}),
        ...(noprefixroute ? { noprefixroute } : {}),
        prefixlen: c.len,
        label: kv.dev,
        secondary: false,
        scope: kv.scope === 'host' ? 254 : kv.scope === 'link' ? 253 : 0,
        ...(brd !== undefined ? { broadcast: brd } : {}),
      };
      const res = w[1] === 'add' ? inetInsertIfa(this.addrs, this.fib, ifa, l) : inetDelIfa(this.addrs, this.fib, ifa, l);
      if (!res.ok) return res.error;
      this.addrs = res.addrs;
      return 'OK';
    }
    // route add [TYPE] DST [via GW] [dev DEV] [scope S] [src A] [table T]
    let i = 2;
    const type = TYPES.includes(w[i] as RouteType) ? (w[i++] as RouteType) : undefined;
    const dst = parseCidr(w[i++])!;
    for (; i < w.length; i += 2) kv[w[i]] = w[i + 1];
    const spec: RouteSpec = {
      dst,
      ...(type ? { type } : {}),
      ...(kv.via ? { gateway: parseIpv4(kv.via)! } : {}),
      ...(kv.dev ? { dev: kv.dev } : {}),
      ...(kv.scope ? { scope: kv.scope === 'host' ? 254 : kv.scope === 'link' ? 253 : 0 } : {}),
      ...(kv.src ? { prefsrc: parseIpv4(kv.src)! } : {}),
      ...(kv.table ? { table: Number(kv.table) } : {}),
    };
    const checked = fibCheckNewRoute(spec, this);
    if (!checked.ok) return checked.error;
    const res = fibInsert(this.fib, checked.route, 'add');
    if (res !== null) return rtnlErrorLine(res.errno, res.msg);
    return 'OK';
  }

  run(commands: string): void {
    for (const c of lines(commands)) {
      const out = this.ip(c);
      if (out !== 'OK') throw new Error(`${c}: ${out}`);
    }
  }

  /** routes prints `ip -4 route show table all`. */
  show(): string[] {
    return this.routes.map((r) => {
      const p: string[] = [];
      if (r.type !== 'unicast') p.push(r.type);
      p.push(r.dst.len === 32 ? formatIpv4(r.dst.addr) : `${formatIpv4(r.dst.addr)}/${r.dst.len}`);
      if (r.gateway !== undefined) p.push('via', formatIpv4(r.gateway));
      if (r.dev !== undefined) p.push('dev', this.links.get(r.dev)!.name);
      if (r.table !== RouteTable.Main) p.push('table', r.table === 255 ? 'local' : String(r.table));
      if (r.proto === RouteProto.Kernel) p.push('proto', 'kernel');
      if (r.scope !== 0) p.push('scope', r.scope === 253 ? 'link' : 'host');
      if (r.prefsrc) p.push('src', formatIpv4(r.prefsrc));
      return p.join(' ');
    });
  }

  /** addrList prints `ip -4 addr show dev DEV` as `A.B.C.D/N scope S [secondary]`. */
  addrList(dev: string): string[] {
    const l = this.dev(dev);
    return this.addrs
      .filter((a) => a.ifindex === l.ifindex)
      .map(
        (a) =>
          `${formatIpv4(a.local)}/${a.prefixlen} scope ${a.scope === 254 ? 'host' : a.scope === 253 ? 'link' : 'global'}${a.secondary ? ' secondary' : ''}`,
      );
  }

  /** get is the `src` of `ip route get DST`. */
  src(dst: string): string {
    const d = parseIpv4(dst)!;
    const r = fibLookup(this.fib, d);
    if (r === null) return 'unreachable';
    return formatIpv4(ipRouteOutputSaddr(r, d, this));
  }
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const LO_ROUTES = lines(`
  local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
  local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
  broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
`);

describe('routes of addresses (fib_add_ifaddr)', () => {
  it('adds local, broadcast and prefix routes for /24, /32, /31, /30 and a secondary', () => {
    const lab = new Lab([
      ['eth0', true],
      ['eth1', true],
    ]);
    lab.run(`
      addr add 10.0.0.1/24 dev eth0
      addr add 10.0.0.7/24 dev eth0
      addr add 10.1.0.1/32 dev eth0
      addr add 10.2.0.0/31 dev eth0
      addr add 10.3.0.1/30 dev eth0
      addr add 10.4.0.5/16 dev eth1
    `);
    expect(lab.show()).toEqual([
      ...lines(`
        10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
        10.2.0.0/31 dev eth0 proto kernel scope link src 10.2.0.0
        10.3.0.0/30 dev eth0 proto kernel scope link src 10.3.0.1
        10.4.0.0/16 dev eth1 proto kernel scope link src 10.4.0.5
        local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
        local 10.0.0.7 dev eth0 table local proto kernel scope host src 10.0.0.1
        broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
        local 10.1.0.1 dev eth0 table local proto kernel scope host src 10.1.0.1
        local 10.2.0.0 dev eth0 table local proto kernel scope host src 10.2.0.0
        local 10.3.0.1 dev eth0 table local proto kernel scope host src 10.3.0.1
        broadcast 10.3.0.3 dev eth0 table local proto kernel scope link src 10.3.0.1
        local 10.4.0.5 dev eth1 table local proto kernel scope host src 10.4.0.5
        broadcast 10.4.255.255 dev eth1 table local proto kernel scope link src 10.4.0.5
      `),
      ...LO_ROUTES,
    ]);
    expect(lab.addrList('eth0')).toEqual([
      '10.0.0.1/24 scope global',
      '10.1.0.1/32 scope global',
      '10.2.0.0/31 scope global',
      '10.3.0.1/30 scope global',
      '10.0.0.7/24 scope global secondary',
    ]);
  });

  it('handles loopback subnets, explicit broadcasts, brd +, 255.255.255.255 and 0.0.0.0/8', () => {
    const lab = new Lab([['eth0', true]]);
    lab.run(`
      addr add 10.1.1.1/24 dev lo
      addr add 10.96.0.10/32 dev lo
      addr add 10.0.0.1/24 brd 10.0.0.77 dev eth0
      addr add 10.0.0.2/24 brd + dev eth0
      addr add 10.0.5.1/24 brd + dev eth0
      addr add 0.5.0.1/8 dev eth0
      addr add 10.9.0.1/24 brd 255.255.255.255 dev eth0
    `);
    const expected = lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      10.0.5.0/24 dev eth0 proto kernel scope link src 10.0.5.1
      10.9.0.0/24 dev eth0 proto kernel scope link src 10.9.0.1
      local 0.5.0.1 dev eth0 table local proto kernel scope host src 0.5.0.1
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      local 10.0.0.2 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.77 dev eth0 table local proto kernel scope link src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
      local 10.0.5.1 dev eth0 table local proto kernel scope host src 10.0.5.1
      broadcast 10.0.5.255 dev eth0 table local proto kernel scope link src 10.0.5.1
      local 10.1.1.0/24 dev lo table local proto kernel scope host src 10.1.1.1
      local 10.1.1.1 dev lo table local proto kernel scope host src 10.1.1.1
      broadcast 10.1.1.255 dev lo table local proto kernel scope link src 10.1.1.1
      local 10.9.0.1 dev eth0 table local proto kernel scope host src 10.9.0.1
      broadcast 10.9.0.255 dev eth0 table local proto kernel scope link src 10.9.0.1
      local 10.96.0.10 dev lo table local proto kernel scope host src 10.96.0.10
    `);
    expect(lab.show()).toEqual([...expected, ...LO_ROUTES]);
    expect(lab.addrList('eth0')).toEqual([
      '10.0.0.1/24 scope global',
      '10.0.5.1/24 scope global',
      '0.5.0.1/8 scope global',
      '10.9.0.1/24 scope global',
      '10.0.0.2/24 scope global secondary',
    ]);
    expect(lab.ip('addr add 10.0.5.1/24 dev eth0')).toBe('Error: ipv4: Address already assigned.');
    expect(lab.ip('addr add 10.0.5.9/24 dev eth0 scope link')).toBe('Error: ipv4: Invalid scope value.');
  });

  it('adds only the local route while the link is down, the rest when it comes up, and keeps it when it goes down', () => {
    const lab = new Lab([
      ['eth0', false],
      ['eth1', false],
    ]);
    const eth = () => lab.show().filter((l) => !l.includes(' lo '));
    lab.run('addr add 10.0.0.1/24 dev eth0');
    expect(eth()).toEqual(['local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1']);
    lab.run('link set dev eth0 up');
    expect(eth()).toEqual(
      lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
    `),
    );
    lab.run(`
      addr add 10.0.0.2/24 dev eth0
      addr add 10.0.1.2/24 dev eth1
    `);
    expect(eth()).toEqual(
      lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      local 10.0.0.2 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
      local 10.0.1.2 dev eth1 table local proto kernel scope host src 10.0.1.2
    `),
    );
    lab.run(`
      link set dev eth1 up
      route add 10.9.0.0/16 via 10.0.0.5
      route add 10.8.0.0/16 via 10.0.1.5
      route add 10.7.0.0/16 dev eth1
      route add blackhole 10.6.0.0/16
    `);
    expect(eth()).toEqual(
      lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.2
      blackhole 10.6.0.0/16
      10.7.0.0/16 dev eth1 scope link
      10.8.0.0/16 via 10.0.1.5 dev eth1
      10.9.0.0/16 via 10.0.0.5 dev eth0
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      local 10.0.0.2 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
      local 10.0.1.2 dev eth1 table local proto kernel scope host src 10.0.1.2
      broadcast 10.0.1.255 dev eth1 table local proto kernel scope link src 10.0.1.2
    `),
    );
    lab.run('link set dev eth1 down');
    expect(eth()).toEqual(
      lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      blackhole 10.6.0.0/16
      10.9.0.0/16 via 10.0.0.5 dev eth0
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      local 10.0.0.2 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
      local 10.0.1.2 dev eth1 table local proto kernel scope host src 10.0.1.2
    `),
    );
    lab.run('link set dev eth1 up');
    expect(eth()).toEqual(
      lines(`
      10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
      10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.2
      blackhole 10.6.0.0/16
      10.9.0.0/16 via 10.0.0.5 dev eth0
      local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
      local 10.0.0.2 dev eth0 table local proto kernel scope host src 10.0.0.1
      broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
      local 10.0.1.2 dev eth1 table local proto kernel scope host src 10.0.1.2
      broadcast 10.0.1.255 dev eth1 table local proto kernel scope link src 10.0.1.2
    `),
    );
    // Then two more primaries and their secondaries on eth1, and the /24 primary goes (its secondary with it).
    lab.run(`
      addr add 10.0.1.3/24 dev eth1
      addr add 10.0.1.9/16 dev eth1
      addr add 10.0.1.3/16 dev eth1
    `);
    const eth1 = () => lab.show().filter((l) => l.includes(' eth1 '));
    expect(eth1()).toEqual(
      lines(`
      10.0.0.0/16 dev eth1 proto kernel scope link src 10.0.1.9
      10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.2
      local 10.0.1.2 dev eth1 table local proto kernel scope host src 10.0.1.2
      local 10.0.1.3 dev eth1 table local proto kernel scope host src 10.0.1.2
      local 10.0.1.3 dev eth1 table local proto kernel scope host src 10.0.1.9
      local 10.0.1.9 dev eth1 table local proto kernel scope host src 10.0.1.9
      broadcast 10.0.1.255 dev eth1 table local proto kernel scope link src 10.0.1.2
      broadcast 10.0.255.255 dev eth1 table local proto kernel scope link src 10.0.1.9
    `),
    );
    lab.run('addr del 10.0.1.2/24 dev eth1');
    expect(eth1()).toEqual(
      lines(`
      10.0.0.0/16 dev eth1 proto kernel scope link src 10.0.1.9
      local 10.0.1.3 dev eth1 table local proto kernel scope host src 10.0.1.9
      local 10.0.1.9 dev eth1 table local proto kernel scope host src 10.0.1.9
      broadcast 10.0.255.255 dev eth1 table local proto kernel scope link src 10.0.1.9
    `),
    );
    expect(lab.addrList('eth1')).toEqual(['10.0.1.9/16 scope global', '10.0.1.3/16 scope global secondary']);
  });

  it('lists addRoutes for a lone address as fib_add_ifaddr makes them', () => {
    const up = mkLink(2, 'eth0', true);
    const ifa: IfAddr = { ifindex: 2, local: parseIpv4('10.0.0.1')!, prefixlen: 24, scope: 0, label: 'eth0', secondary: false };
    expect(addrRoutes(ifa, up).map((r) => [r.type, r.table, formatIpv4(r.dst.addr), r.dst.len])).toEqual([
      ['local', 255, '10.0.0.1', 32],
      ['unicast', 254, '10.0.0.0', 24],
      ['broadcast', 255, '10.0.0.255', 32],
    ]);
    expect(addrRoutes(ifa, { ...up, adminUp: false })).toHaveLength(1);
    expect(addrRoutes({ ...ifa, prefixlen: 32 }, up)).toHaveLength(1);
    expect(addrRoutes({ ...ifa, prefixlen: 31 }, up).map((r) => r.type)).toEqual(['local', 'unicast']);
  });
});

describe('point-to-point addresses (IFA_ADDRESS, fixtures/labs/ip-addr-peer.lab)', () => {
  const PEERS = `
    addr add 10.0.0.1 peer 10.0.0.2 dev eth0
    addr add 10.9.0.1 peer 10.1.0.0/24 brd + dev eth0
    addr add 10.0.0.1 peer 10.0.0.3 dev eth0
    addr add 10.1.0.9/24 dev eth0
    addr add 10.0.0.9/32 brd + dev eth0
  `;

  it("routes the peer's prefix, and an address inside it is the peer address's secondary", () => {
    const lab = new Lab([['eth0', true]]);
    lab.run(PEERS);
    expect(lab.addrList('eth0')).toEqual([
      '10.0.0.1/32 scope global',
      '10.9.0.1/24 scope global',
      '10.0.0.1/32 scope global',
      '10.0.0.9/32 scope global',
      '10.1.0.9/24 scope global secondary',
    ]);
    expect(lab.show()).toEqual([
      ...lines(`
        10.0.0.2 dev eth0 proto kernel scope link src 10.0.0.1
        10.0.0.3 dev eth0 proto kernel scope link src 10.0.0.1
        10.1.0.0/24 dev eth0 proto kernel scope link src 10.9.0.1
        local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
        local 10.0.0.9 dev eth0 table local proto kernel scope host src 10.0.0.9
        local 10.1.0.9 dev eth0 table local proto kernel scope host src 10.9.0.1
        broadcast 10.1.0.255 dev eth0 table local proto kernel scope link src 10.9.0.1
        local 10.9.0.1 dev eth0 table local proto kernel scope host src 10.9.0.1
      `),
      ...LO_ROUTES,
    ]);
    expect(lab.ip('addr add 10.0.0.1 peer 10.0.0.2 dev eth0')).toBe('Error: ipv4: Address already assigned.');
  });

  it('selects the address whose peer prefix holds the gateway (inet_select_addr)', () => {
    const lab = new Lab([['eth0', true]]);
    lab.run(`${PEERS}
      route add 10.7.0.0/24 via 10.1.0.7
      route add 10.8.0.0/24 via 10.0.0.2
    `);
    expect([lab.src('10.7.0.1'), lab.src('10.8.0.1'), lab.src('10.1.0.7'), lab.src('10.0.0.3')]).toEqual([
      '10.9.0.1',
      '10.0.0.1',
      '10.9.0.1',
      '10.0.0.1',
    ]);
    expect(formatIpv4(inetSelectAddr(lab, 2, parseIpv4('10.1.0.200')!, RouteScope.Universe))).toBe('10.9.0.1');
    expect(formatIpv4(inetSelectAddr(lab, 2, parseIpv4('10.9.0.200')!, RouteScope.Universe))).toBe('10.0.0.1');
  });

  it('deletes one peer address, keeping the shared local route, and a peer primary with its secondaries', () => {
    const lab = new Lab([['eth0', true]]);
    lab.run(PEERS);
    lab.run(`
      addr del 10.0.0.1 peer 10.0.0.3 dev eth0
      addr del 10.9.0.1 peer 10.1.0.0/24 dev eth0
    `);
    expect(lab.addrList('eth0')).toEqual(['10.0.0.1/32 scope global', '10.0.0.9/32 scope global']);
    expect(lab.show()).toEqual([
      ...lines(`
        10.0.0.2 dev eth0 proto kernel scope link src 10.0.0.1
        local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
        local 10.0.0.9 dev eth0 table local proto kernel scope host src 10.0.0.9
      `),
      ...LO_ROUTES,
    ]);
  });

  it('treats a peer equal to the local address as no peer, and matches every address in the peer prefix', () => {
    const up = mkLink(2, 'eth0', true);
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (local, peer, len) => {
        const ifa: IfAddr = { ifindex: 2, local, prefixlen: len, scope: 0, label: 'eth0', secondary: false };
        expect(addrRoutes({ ...ifa, address: local }, up)).toEqual(addrRoutes(ifa, up));
        const p2p: IfAddr = { ...ifa, address: peer };
        expect(inetIfaMatch(ifaAddress(p2p), p2p)).toBe(true);
        expect(inetIfaMatch(local, p2p)).toBe(len === 0 || (local ^ peer) >>> (32 - len) === 0);
      }),
    );
  });

  it('brings only the local route of a noprefixroute peer address', () => {
    const lab = new Lab([['eth0', true]]);
    lab.run('addr add 10.6.0.1 peer 10.6.0.2 dev eth0 noprefixroute');
    lab.run('addr add 10.5.0.1/24 dev eth0 noprefixroute');
    expect(lab.show()).toEqual([
      ...lines(`
        local 10.5.0.1 dev eth0 table local proto kernel scope host src 10.5.0.1
        broadcast 10.5.0.255 dev eth0 table local proto kernel scope link src 10.5.0.1
        local 10.6.0.1 dev eth0 table local proto kernel scope host src 10.6.0.1
      `),
      ...LO_ROUTES,
    ]);
    lab.run('addr del 10.6.0.1 peer 10.6.0.2 dev eth0');
    expect(lab.show().filter((l) => l.includes('10.6.'))).toEqual([]);
  });
});

describe('address deletion (fib_del_ifaddr)', () => {
  it('drops routes whose src was a deleted address (main only), then the primary, then everything with the last address', () => {
    const lab = new Lab([['eth0', true]]);
    lab.run(`
      addr add 10.0.0.1/24 brd 10.0.0.77 dev eth0
      addr add 10.0.0.2/24 brd + dev eth0
      addr add 10.0.5.1/24 brd + dev eth0
      addr add 10.9.0.1/24 dev eth0
      route add 10.40.0.0/16 dev eth0 src 10.0.0.2
      route add 10.41.0.0/16 dev eth0 src 10.0.0.2 table 7
    `);
    lab.run('addr del 10.0.0.2/24 dev eth0');
    expect(lab.show()).toEqual([
      ...lines(`
        10.41.0.0/16 dev eth0 table 7 scope link src 10.0.0.2
        10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
        10.0.5.0/24 dev eth0 proto kernel scope link src 10.0.5.1
        10.9.0.0/24 dev eth0 proto kernel scope link src 10.9.0.1
        local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
        broadcast 10.0.0.77 dev eth0 table local proto kernel scope link src 10.0.0.1
        broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
        local 10.0.5.1 dev eth0 table local proto kernel scope host src 10.0.5.1
        broadcast 10.0.5.255 dev eth0 table local proto kernel scope link src 10.0.5.1
        local 10.9.0.1 dev eth0 table local proto kernel scope host src 10.9.0.1
        broadcast 10.9.0.255 dev eth0 table local proto kernel scope link src 10.9.0.1
      `),
      ...LO_ROUTES,
    ]);
    lab.run('addr del 10.0.0.1/24 dev eth0');
    expect(lab.show().filter((l) => l.includes('10.0.0.') && !l.includes('table 7'))).toEqual([]);
    lab.run(`
      addr del 10.0.5.1/24 dev eth0
      addr del 10.9.0.1/24 dev eth0
      route add 10.42.0.0/16 dev eth0 scope host
      addr add 10.5.5.5/24 dev eth0
    `);
    expect(lab.ip('route add 10.42.0.0/16 dev eth0 scope host')).toBe('RTNETLINK answers: File exists');
    lab.run(`
      route add 10.43.0.0/16 dev eth0
      addr del 10.5.5.5/24 dev eth0
    `);
    // The last address is gone: fib_disable_ip(force) takes every route through eth0, scope host included.
    expect(lab.show().filter((l) => l.includes(' eth0 ') && !l.includes('table 7'))).toEqual([]);
    expect(lab.ip('addr del 10.5.5.5/24 dev eth0')).toBe('Error: ipv4: Address not found.');
  });
});

describe('source address selection (inet_select_addr)', () => {
  const lab = new Lab([
    ['eth0', true],
    ['eth1', true],
    ['cali1', true],
  ]);
  lab.run(`
    addr add 10.23.14.110/24 dev eth0
    addr add 192.168.5.1/24 dev eth0
    addr add 10.23.14.120/24 dev eth0
    addr add 172.16.0.1/16 dev eth1
    addr add 169.254.1.1/16 dev eth1 scope link
    route add 10.244.1.5 dev cali1 scope link
    route add 10.233.80.0/26 via 192.168.5.7 dev eth0
    route add 10.233.81.0/26 via 10.23.14.1 dev eth0
    route add 10.50.0.0/16 dev eth1
    route add 10.51.0.0/16 dev eth1 scope host
    route add 10.52.0.0/16 dev cali1
    route add 192.168.5.128/25 dev eth0
    route add 10.81.0.0/16 dev eth0 src 192.168.5.1
    route add 10.29.0.0/16 via 127.0.0.1
  `);

  // `ip route get DST` → the src it printed.
  it.each([
    ['10.244.1.5', '10.23.14.110'],
    ['10.233.80.1', '192.168.5.1'],
    ['10.233.81.1', '10.23.14.110'],
    ['192.168.5.9', '192.168.5.1'],
    ['10.23.14.120', '10.23.14.110'],
    ['10.23.14.110', '10.23.14.110'],
    ['127.0.0.5', '127.0.0.1'],
    ['172.16.0.1', '172.16.0.1'],
    ['10.50.0.1', '169.254.1.1'],
    ['10.51.0.1', '169.254.1.1'],
    ['10.52.0.1', '10.23.14.110'],
    ['192.168.5.130', '10.23.14.110'],
    ['10.81.0.1', '192.168.5.1'],
    ['10.23.14.255', '10.23.14.110'],
    ['10.23.14.0', '10.23.14.110'],
    ['10.29.0.1', '10.23.14.110'],
  ])('ip route get %s → src %s', (dst, src) => {
    expect(lab.src(dst)).toBe(src);
  });

  it('orders primaries by scope: host, link, global', () => {
    expect(lab.addrList('eth1')).toEqual(['169.254.1.1/16 scope link', '172.16.0.1/16 scope global']);
    const l2 = new Lab([['eth1', true]]);
    l2.run(`
      addr add 172.16.0.1/16 dev eth1
      addr add 169.254.1.1/16 dev eth1 scope link
      route add 10.51.0.0/16 dev eth1 scope host
      addr add 10.99.0.1/32 dev eth1 scope host
    `);
    expect(l2.addrList('eth1')).toEqual(['10.99.0.1/32 scope host', '169.254.1.1/16 scope link', '172.16.0.1/16 scope global']);
    expect(l2.src('10.51.0.1')).toBe('10.99.0.1');
  });

  it('tells ARP the node address for a cali device without one (scope link, other devices, lo excluded)', () => {
    const cali = lab.dev('cali1').ifindex;
    expect(formatIpv4(inetSelectAddr(lab, cali, parseIpv4('10.244.1.5')!, RouteScope.Link))).toBe('10.23.14.110');
    // lo's 127.0.0.1 is scope host: never chosen for scope link, and an address-less namespace has nothing.
    const bare = new Lab([['cali1', true]]);
    expect(inetSelectAddr(bare, 2, parseIpv4('10.244.1.5')!, RouteScope.Link)).toBe(0);
    expect(formatIpv4(inetSelectAddr(bare, 1, 0, RouteScope.Host))).toBe('127.0.0.1');
  });

  it('uses a cali device address of its own once it has one', () => {
    const l2 = new Lab([
      ['eth0', true],
      ['cali1', true],
    ]);
    l2.run(`
      addr add 10.23.14.110/24 dev eth0
      addr add 10.60.0.1/32 dev cali1
      route add 10.52.0.0/16 dev cali1
    `);
    expect(l2.src('10.52.0.1')).toBe('10.60.0.1');
  });

  it('fibResultPrefsrc prefers the route prefsrc, then the gateway subnet, ignoring the destination', () => {
    const r = fibLookup(lab.fib, parseIpv4('192.168.5.130')!)!;
    expect(formatIpv4(fibResultPrefsrc(r, lab))).toBe('10.23.14.110');
    expect(formatIpv4(fibResultPrefsrc({ ...r, prefsrc: parseIpv4('192.168.5.1')! }, lab))).toBe('192.168.5.1');
    expect(formatIpv4(fibResultPrefsrc({ ...r, gateway: parseIpv4('192.168.5.7')!, scope: 0 }, lab))).toBe('192.168.5.1');
  });
});
