// Tests of src/kernel/fib.ts against transcripts of a real kernel (Linux 6.18, iproute2 6.1, in network
// namespaces), plus a fast-check model-based test of insert/delete/lookup against a naive array model.

import { link as supportLink } from '../support/world.js';
import fc from 'fast-check';
import { formatIpv4, parseCidr, parseIpv4 } from '../../src/model/addr.js';
import type { Ipv4 } from '../../src/model/addr.js';
import { FibStore } from '../../src/model/fibstore.js';
import { makeRoute, RouteProto, RouteScope, RouteTable } from '../../src/model/world.js';
import type { IfAddr, Link, Route, RouteType } from '../../src/model/world.js';
import {
  fibCheckNewRoute,
  fibDelete,
  fibFlushDev,
  fibFromRoutes,
  fibInsert,
  fibLookup,
  fibRejectErrno,
  fibRouteMtu,
  fibTableExists,
  FIB_STRERROR,
  rtnlErrorLine,
} from '../../src/kernel/fib.js';
import type { FibInsertMode, FibLookupOptions, RouteMatch, RouteSpec } from '../../src/kernel/fib.js';
import { inetInsertIfa } from '../../src/kernel/addrsel.js';
import { fibLookupNaive } from '../support/fib.js';

// ---- a little lab: links, addresses, routes, driven by `ip` command lines --------------------------------

const PROTOS: Record<string, number> = { kernel: 2, boot: 3, static: 4, bird: 12 };
const SCOPES: Record<string, number> = { global: 0, universe: 0, link: 253, host: 254 };
const TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

/** device is a device of the test's own numbering: MAC 02:00:00:00:00:0N, never set by hand. */
function device(ifindex: number, name: string, adminUp = true, kind: Link['kind'] = 'veth'): Link {
  return supportLink(ifindex, name, kind, { mac: `02:00:00:00:00:0${ifindex}`, macSet: false, adminUp, everUp: adminUp });
}

class Lab {
  links = new Map<number, Link>();
  linkNames = new Map<string, number>();
  addrs: readonly IfAddr[] = [];
  fib = new FibStore();

  constructor(devs: readonly [string, boolean][]) {
    this.links.set(1, device(1, 'lo', true, 'loopback'));
    devs.forEach(([name, up], i) => {
      this.links.set(i + 2, device(i + 2, name, up));
    });
    for (const l of this.links.values()) this.linkNames.set(l.name, l.ifindex);
    this.addr('lo', '127.0.0.1/8', { scope: RouteScope.Host });
  }

  /** routes lists every table's routes in dump order. */
  get routes(): readonly Route[] {
    return this.fib.all();
  }

  dev(name: string): Link {
    const l = [...this.links.values()].find((x) => x.name === name);
    if (!l) throw new Error(`no ${name}`);
    return l;
  }

  addr(dev: string, cidr: string, opts: { scope?: number; brd?: Ipv4 } = {}): string {
    const c = parseCidr(cidr)!;
    const l = this.dev(dev);
    const ifa: IfAddr = {
      ifindex: l.ifindex,
      local: c.addr,
      prefixlen: c.len,
      scope: opts.scope ?? 0,
      label: dev,
      secondary: false,
      ...(opts.brd !== undefined ? { broadcast: opts.brd } : {}),
    };
    const res = inetInsertIfa(this.addrs, this.fib, ifa, l);
    if (!res.ok) return res.error;
    this.addrs = res.addrs;
    return 'OK';
  }

  /** ip runs `route add|append|prepend|replace|change|del …` and returns `OK` or the error line. */
  ip(line: string): string {
    const words = line.split(/\s+/);
    if (words[0] !== 'route') throw new Error(line);
    const cmd = words[1];
    let i = 2;
    let type: RouteType | undefined;
    if (TYPES.includes(words[i] as RouteType)) type = words[i++] as RouteType;
    const dstWord = words[i++];
    const dst = dstWord === 'default' ? { addr: 0, len: 0 } : parseCidr(dstWord)!;
    const kv: Record<string, string> = {};
    let onlink = false;
    while (i < words.length) {
      const k = words[i++];
      if (k === 'onlink') onlink = true;
      else kv[k] = words[i++];
    }
    const table =
      kv.table === undefined
        ? undefined
        : kv.table === 'local'
          ? 255
          : kv.table === 'main'
            ? 254
            : kv.table === 'default'
              ? 253
              : Number(kv.table);
    const scope = kv.scope === undefined ? undefined : (SCOPES[kv.scope] ?? Number(kv.scope));
    if (cmd === 'del') {
      let devIndex: number | undefined;
      if (kv.dev !== undefined) {
        const l = [...this.links.values()].find((x) => x.name === kv.dev);
        if (!l) return `Cannot find device "${kv.dev}"`;
        devIndex = l.ifindex;
      }
      // iproute2's defaults for a delete: any type, local/broadcast in the local table, scope nowhere for unicast.
      const m: RouteMatch = {
        table: table ?? (type === 'local' || type === 'broadcast' ? 255 : 254),
        dst,
        ...(type ? { type } : {}),
        ...(devIndex ? { dev: devIndex } : {}),
        ...(kv.via ? { gateway: parseIpv4(kv.via)! } : {}),
        ...(kv.proto ? { proto: PROTOS[kv.proto] } : {}),
        ...(kv.metric ? { metric: Number(kv.metric) } : {}),
        ...(kv.src ? { prefsrc: parseIpv4(kv.src)! } : {}),
        scope:
          scope ??
          (type === undefined || type === 'unicast' ? RouteScope.Nowhere : type === 'local' ? 254 : type === 'broadcast' ? 253 : 0),
      };
      const res = fibDelete(this.fib, m);
      if ('ok' in res) return rtnlErrorLine(res.errno, res.msg);
      return 'OK';
    }
    const spec: RouteSpec = {
      dst,
      ...(type ? { type } : {}),
      ...(kv.via !== undefined ? { gateway: parseIpv4(kv.via)! } : {}),
      ...(kv.dev !== undefined ? { dev: kv.dev } : {}),
      ...(table !== undefined ? { table } : {}),
      ...(kv.proto ? { proto: PROTOS[kv.proto] } : {}),
      ...(scope !== undefined ? { scope } : {}),
      ...(kv.src ? { prefsrc: parseIpv4(kv.src)! } : {}),
      ...(kv.metric ? { metric: Number(kv.metric) } : {}),
      ...(kv.mtu ? { mtu: Number(kv.mtu) } : {}),
      ...(onlink ? { onlink } : {}),
    };
    const checked = fibCheckNewRoute(spec, this);
    if (!checked.ok) return checked.error;
    const res = fibInsert(this.fib, checked.route, cmd as FibInsertMode);
    if (res !== null) return rtnlErrorLine(res.errno, res.msg);
    return 'OK';
  }

  /** show prints routes as `ip route show table all` does (IPv4 only). */
  show(filter: (r: Route) => boolean = () => true): string[] {
    return this.routes.filter(filter).map((r) => showRoute(r, this.links));
  }

  /** get runs a plain lookup and prints the route it found, or the error iproute2 prints. */
  get(dst: string, opts?: FibLookupOptions): string {
    const r = fibLookup(this.fib, parseIpv4(dst)!, opts);
    if (r === null) return rtnlErrorLine('ENETUNREACH');
    const errno = fibRejectErrno(r.type);
    return errno ? rtnlErrorLine(errno) : showRoute(r, this.links);
  }
}

function showRoute(r: Route, links: ReadonlyMap<number, Link>): string {
  const p: string[] = [];
  if (r.type !== 'unicast') p.push(r.type);
  p.push(r.dst.len === 0 ? 'default' : r.dst.len === 32 ? formatIpv4(r.dst.addr) : `${formatIpv4(r.dst.addr)}/${r.dst.len}`);
  if (r.gateway !== undefined) p.push('via', formatIpv4(r.gateway));
  if (r.dev !== undefined) p.push('dev', links.get(r.dev)!.name);
  if (r.table !== RouteTable.Main) p.push('table', r.table === 255 ? 'local' : r.table === 253 ? 'default' : String(r.table));
  if (r.proto !== RouteProto.Boot) p.push('proto', Object.keys(PROTOS).find((k) => PROTOS[k] === r.proto) ?? String(r.proto));
  if (r.scope !== 0) p.push('scope', r.scope === 253 ? 'link' : r.scope === 254 ? 'host' : String(r.scope));
  if (r.prefsrc) p.push('src', formatIpv4(r.prefsrc));
  if (r.metric) p.push('metric', String(r.metric));
  if (r.onlink) p.push('onlink');
  if (r.mtu !== undefined) p.push('mtu', ...(r.mtuLock ? ['lock'] : []), String(r.mtu));
  return p.join(' ');
}

/** lines turns a pasted kernel transcript into trimmed lines. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

// ---- ordering --------------------------------------------------------------------------------------------

describe('dump order (fib_trie key order)', () => {
  // ip -n X route …, in this order, on eth0 10.0.0.1/24 and eth1 10.4.0.5/16, then `ip route show table all`.
  const commands: [string, string][] = [
    ['route add blackhole 10.244.190.0/24 proto bird', 'OK'],
    ['route add 10.244.190.0 dev eth0 scope link', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.2 metric 5', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.3 metric 5', 'RTNETLINK answers: File exists'],
    ['route add 10.244.190.0/24 via 10.0.0.4 metric 2', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.4', 'RTNETLINK answers: File exists'],
    ['route append 10.244.190.0/24 via 10.0.0.5 metric 5', 'OK'],
    ['route prepend 10.244.190.0/24 via 10.0.0.6 metric 5', 'OK'],
    ['route add 10.244.0.0/16 dev eth0', 'OK'],
    ['route add 9.0.0.0/8 dev eth0', 'OK'],
    ['route add 200.0.0.0/8 dev eth0', 'OK'],
    ['route add default via 10.0.0.254', 'OK'],
    ['route add 10.244.190.0/25 dev eth1', 'OK'],
    ['route add 10.244.190.0/23 dev eth1', 'OK'],
    ['route add 128.0.0.0/1 dev eth1', 'OK'],
    ['route add 0.0.0.0/1 dev eth1 proto static', 'OK'],
    ['route append 10.244.190.0/24 via 10.0.0.5 metric 5', 'RTNETLINK answers: File exists'],
    ['route prepend 10.244.190.0/24 via 10.0.0.5 metric 5', 'RTNETLINK answers: File exists'],
    ['route add 10.244.190.0/24 via 10.0.0.7 metric 7 table 100', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.7 metric 7 table 1000', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.7 metric 7 table 232', 'OK'],
    ['route add 10.244.190.0/24 via 10.0.0.7 metric 7 table default', 'OK'],
  ];
  const expected = lines(`
    10.244.190.0/24 via 10.0.0.7 dev eth0 table 100 metric 7
    10.244.190.0/24 via 10.0.0.7 dev eth0 table 232 metric 7
    10.244.190.0/24 via 10.0.0.7 dev eth0 table 1000 metric 7
    10.244.190.0/24 via 10.0.0.7 dev eth0 table default metric 7
    0.0.0.0/1 dev eth1 proto static scope link
    default via 10.0.0.254 dev eth0
    9.0.0.0/8 dev eth0 scope link
    10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
    10.4.0.0/16 dev eth1 proto kernel scope link src 10.4.0.5
    10.244.0.0/16 dev eth0 scope link
    10.244.190.0 dev eth0 scope link
    10.244.190.0/25 dev eth1 scope link
    blackhole 10.244.190.0/24 proto bird
    10.244.190.0/24 via 10.0.0.4 dev eth0 metric 2
    10.244.190.0/24 via 10.0.0.6 dev eth0 metric 5
    10.244.190.0/24 via 10.0.0.2 dev eth0 metric 5
    10.244.190.0/24 via 10.0.0.5 dev eth0 metric 5
    10.244.190.0/23 dev eth1 scope link
    128.0.0.0/1 dev eth1 scope link
    200.0.0.0/8 dev eth0 scope link
    local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
    broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
    local 10.4.0.5 dev eth1 table local proto kernel scope host src 10.4.0.5
    broadcast 10.4.255.255 dev eth1 table local proto kernel scope link src 10.4.0.5
    local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
    local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
    broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
  `);

  it('matches the kernel, command by command and in the final dump', () => {
    const lab = new Lab([
      ['eth0', true],
      ['eth1', true],
    ]);
    lab.addr('eth0', '10.0.0.1/24');
    lab.addr('eth1', '10.4.0.5/16');
    for (const [cmd, want] of commands) expect([cmd, lab.ip(cmd)]).toEqual([cmd, want]);
    expect(lab.show()).toEqual(expected);
  });

  it('a store built from a shuffled table dumps in key order (equal keys keep their order)', () => {
    const lab = new Lab([
      ['eth0', true],
      ['eth1', true],
    ]);
    lab.addr('eth0', '10.0.0.1/24');
    lab.addr('eth1', '10.4.0.5/16');
    for (const [cmd] of commands) lab.ip(cmd);
    const sorted = lab.routes;
    // Reverse everything, then restore the order of equal keys: building must rebuild the dump.
    const reversed = [...sorted].reverse();
    const equalKeyOrder = (a: Route, b: Route) => sorted.indexOf(a) - sorted.indexOf(b);
    const shuffled = fibFromRoutes(reversed).all();
    expect(shuffled.map((r) => [r.table, r.dst.addr, r.dst.len, r.metric])).toEqual(
      sorted.map((r) => [r.table, r.dst.addr, r.dst.len, r.metric]),
    );
    expect(fibFromRoutes([...reversed].sort(equalKeyOrder)).all()).toEqual(sorted);
  });
});

// ---- validation (fib_create_info / fib_check_nh) and insert errors ---------------------------------------

describe('ip route add validation', () => {
  // lo up; eth0 up 10.0.0.1/24 (+ secondary 10.0.0.7/24); eth1 up 10.4.0.5/16; eth2 down with 10.9.9.9/24;
  // main also holds 0.0.0.0/1 and 128.0.0.0/1 dev eth1 (so most gateways resolve through eth1) and a default.
  const lab = new Lab([
    ['eth0', true],
    ['eth1', true],
    ['eth2', false],
  ]);
  lab.addr('eth0', '10.0.0.1/24');
  lab.addr('eth1', '10.4.0.5/16');
  lab.addr('eth0', '10.0.0.7/24');
  lab.addr('eth2', '10.9.9.9/24');
  lab.ip('route add 0.0.0.0/1 dev eth1 proto static');
  lab.ip('route add 128.0.0.0/1 dev eth1');
  lab.ip('route add blackhole 10.244.190.0/24 proto bird');
  lab.ip('route add 9.0.0.0/8 dev eth0');
  lab.ip('route add 200.0.0.0/8 dev eth0');
  lab.ip('route add default via 10.0.0.254');

  const cases: [string, string][] = [
    ['route add 10.20.0.0/16 via 10.0.0.5', 'OK'],
    ['route add 10.20.1.0/24 via 10.4.0.9 dev eth0', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.21.0.0/16 via 10.0.0.1', 'OK'],
    ['route add 10.22.0.0/16 via 10.0.0.7', 'OK'],
    ['route add 10.23.0.0/16 via 10.5.5.5', 'OK'],
    ['route add 10.23.0.0/16 via 10.5.5.5 onlink', 'Error: Nexthop device required for onlink.'],
    ['route add 10.23.0.0/16 via 10.5.5.5 dev eth2 onlink', 'Error: Nexthop device is not up.'],
    ['route add 10.23.0.0/16 via 10.5.5.5 dev eth0 onlink', 'RTNETLINK answers: File exists'],
    ['route add 10.24.0.0/16 dev eth2', 'Error: Device for nexthop is not up.'],
    ['route add 10.24.0.0/16 via 10.0.0.5 dev eth2', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.25.0.0/16 dev nope', 'Cannot find device "nope"'],
    ['route add 10.26.0.0/16 via 10.0.0.255', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.26.0.0/16 via 10.0.0.0', 'OK'],
    ['route add 10.27.0.0/16 via 10.9.9.1', 'OK'],
    ['route add 10.28.0.0/16 via 10.9.9.9', 'RTNETLINK answers: Network is down'],
    ['route add 10.29.0.0/16 via 127.0.0.1', 'OK'],
    ['route add 10.30.0.0/16 via 0.0.0.0', 'RTNETLINK answers: No such device'],
    ['route add 10.31.0.0/16 via 10.0.0.1 onlink dev eth0', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.31.0.0/16 via 10.0.0.255 onlink dev eth0', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.31.0.0/16 via 10.4.0.5 onlink dev eth0', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.32.0.0/16 via 10.0.0.5 scope link', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.33.0.0/16 via 10.0.0.5 scope host', 'Error: Route with host scope can not have a gateway.'],
    ['route add 10.34.0.0/16 dev eth0 scope host', 'OK'],
    ['route add 10.35.0.0/16 dev eth0 scope global', 'OK'],
    ['route add 10.36.0.0/16 dev eth0 src 10.0.0.7', 'OK'],
    ['route add 10.37.0.0/16 dev eth0 src 10.0.0.77', 'Error: Invalid prefsrc address.'],
    ['route add 10.38.0.0/16 dev eth0 src 10.4.0.5', 'OK'],
    ['route add blackhole 10.39.0.0/16 dev eth0', 'Error: Gateway, device and multipath can not be specified for this route type.'],
    ['route add blackhole 10.39.0.0/16 via 10.0.0.5', 'Error: Gateway, device and multipath can not be specified for this route type.'],
    ['route add blackhole 10.39.0.0/16 src 10.0.0.77', 'OK'],
    ['route add local 10.40.0.1 dev eth0', 'OK'],
    ['route add local 10.40.0.2 dev eth2', 'OK'],
    ['route add 10.41.0.0/16 via 10.0.0.5 table 100', 'OK'],
    ['route add 10.42.0.0/16 via 10.0.0.5 dev eth0 onlink scope link', 'Error: Nexthop has invalid scope.'],
    ['route add 10.43.0.0/16', 'RTNETLINK answers: No such device'],
    ['route add 10.44.0.0/16 via 10.40.0.2', 'RTNETLINK answers: Network is down'],
    ['route add 10.45.0.0/16 via 10.34.1.1', 'OK'],
    ['route add local 10.46.0.1 dev eth0 scope link', 'Error: Invalid scope.'],
    ['route add broadcast 10.46.0.2 dev eth0', 'OK'],
    ['route add 10.47.0.0/16 dev eth0 scope 255', 'Error: Invalid scope.'],
    ['route add 10.48.0.0/16 via 10.0.0.5 src 10.0.0.77', 'Error: Invalid prefsrc address.'],
    ['route add 10.50.0.0/16 dev eth2 src 10.0.0.77', 'Error: Device for nexthop is not up.'],
    ['route add local 10.52.0.0/16 via 10.0.0.5 dev eth0', 'Error: Route with host scope can not have a gateway.'],
    ['route add 10.53.0.0/16 dev eth0 table local', 'OK'],
    ['route add local 10.55.0.0/16 dev eth2 src 10.0.0.99', 'Error: Invalid prefsrc address.'],
    ['route add local 10.56.0.1 dev eth2 src 10.56.0.1', 'OK'],
    ['route add 10.57.0.0/16 dev eth0 onlink', 'Error: Invalid flags for nexthop - PERVASIVE and ONLINK can not be set.'],
    ['route add 10.58.0.0/16 via 10.34.0.1 dev eth0 onlink', 'OK'],
    ['route add 10.59.0.1/16 dev eth0', 'Error: Invalid prefix for given prefix length.'],
    ['route add 10.60.0.0/16 via 10.0.0.5 dev eth1', 'OK'],
    ['route add 10.61.0.0/16 via 10.0.0.5 dev lo', 'Error: Nexthop has invalid gateway.'],
    ['route add 10.62.0.0/16 via 10.41.0.1 table 100', 'OK'],
    ['route add 10.62.0.0/16 via 10.44.0.1 table 100', 'RTNETLINK answers: File exists'],
    ['route add 10.63.0.0/16 dev eth0 metric 10', 'OK'],
    ['route add 10.63.0.0/16 dev eth1 metric 10', 'RTNETLINK answers: File exists'],
    ['route append 10.63.0.0/16 dev eth0 metric 10', 'RTNETLINK answers: File exists'],
    ['route append 10.63.0.0/16 dev eth1 metric 10', 'OK'],
    ['route prepend 10.63.0.0/16 dev eth1 metric 10', 'RTNETLINK answers: File exists'],
    ['route add 224.1.0.0/16 via 224.0.0.1', 'OK'],
    ['route add 10.64.0.0/16 via 10.0.0.5 onlink dev eth0 proto bird metric 3', 'OK'],
  ];
  // Run in order: later cases depend on earlier ones (10.34/16 scope host, local 10.40.0.2 on the down eth2).
  const results = cases.map(([cmd]) => lab.ip(cmd));

  it.each(cases.map((c, i) => [...c, i] as const))('%s → %s', (_cmd, want, i) => {
    expect(results[i]).toBe(want);
  });

  it('leaves the table the kernel dumped', () => {
    expect(lab.show((r) => r.table !== 100 && !(r.dst.addr === parseIpv4('10.244.190.0')))).toEqual(
      lines(`
        0.0.0.0/1 dev eth1 proto static scope link
        default via 10.0.0.254 dev eth0
        9.0.0.0/8 dev eth0 scope link
        10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
        10.4.0.0/16 dev eth1 proto kernel scope link src 10.4.0.5
        10.20.0.0/16 via 10.0.0.5 dev eth0
        10.21.0.0/16 via 10.0.0.1 dev eth0
        10.22.0.0/16 via 10.0.0.7 dev eth0
        10.23.0.0/16 via 10.5.5.5 dev eth1
        10.26.0.0/16 via 10.0.0.0 dev eth0
        10.27.0.0/16 via 10.9.9.1 dev eth1
        10.29.0.0/16 via 127.0.0.1 dev lo
        10.34.0.0/16 dev eth0 scope host
        10.35.0.0/16 dev eth0
        10.36.0.0/16 dev eth0 scope link src 10.0.0.7
        10.38.0.0/16 dev eth0 scope link src 10.4.0.5
        blackhole 10.39.0.0/16 src 10.0.0.77
        10.45.0.0/16 via 10.34.1.1 dev eth0
        10.58.0.0/16 via 10.34.0.1 dev eth0 onlink
        10.60.0.0/16 via 10.0.0.5 dev eth1
        10.63.0.0/16 dev eth0 scope link metric 10
        10.63.0.0/16 dev eth1 scope link metric 10
        10.64.0.0/16 via 10.0.0.5 dev eth0 proto bird metric 3 onlink
        128.0.0.0/1 dev eth1 scope link
        200.0.0.0/8 dev eth0 scope link
        224.1.0.0/16 via 224.0.0.1 dev eth1
        local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
        local 10.0.0.7 dev eth0 table local proto kernel scope host src 10.0.0.1
        broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1
        local 10.4.0.5 dev eth1 table local proto kernel scope host src 10.4.0.5
        broadcast 10.4.255.255 dev eth1 table local proto kernel scope link src 10.4.0.5
        local 10.9.9.9 dev eth2 table local proto kernel scope host src 10.9.9.9
        local 10.40.0.1 dev eth0 table local scope host
        local 10.40.0.2 dev eth2 table local scope host
        broadcast 10.46.0.2 dev eth0 table local scope link
        10.53.0.0/16 dev eth0 table local scope link
        local 10.56.0.1 dev eth2 table local scope host src 10.56.0.1
        local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
        local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
        broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
      `),
    );
  });

  it('fills in the defaults of ip-route(8)', () => {
    const r = fibCheckNewRoute({ dst: parseCidr('10.99.0.0/16')!, gateway: parseIpv4('10.0.0.5')! }, lab);
    expect(r).toEqual({
      ok: true,
      route: {
        table: 254,
        type: 'unicast',
        dst: { addr: parseIpv4('10.99.0.0')!, len: 16 },
        gateway: parseIpv4('10.0.0.5')!,
        dev: 2,
        proto: RouteProto.Boot,
        scope: 0,
        metric: 0,
        onlink: false,
      },
    });
    const l = fibCheckNewRoute({ type: 'local', dst: parseCidr('10.98.0.1')!, dev: 'eth0' }, lab);
    expect(l.ok && [l.route.table, l.route.scope]).toEqual([255, 254]);
  });
});

// ---- replace / change / delete ---------------------------------------------------------------------------

describe('replace, change and delete', () => {
  const lab = new Lab([
    ['eth0', true],
    ['eth1', true],
  ]);
  lab.addr('eth0', '10.0.0.1/24');
  lab.addr('eth1', '10.4.0.5/16');
  const only = () => lab.show((r) => r.dst.addr === parseIpv4('10.70.0.0'));
  // Each step: command, what it printed, then `ip route show exact 10.70.0.0/16`.
  const steps: [string, string, string][] = [
    ['route add 10.70.0.0/16 via 10.0.0.2 metric 5', 'OK', ''],
    ['route append 10.70.0.0/16 via 10.0.0.3 metric 5', 'OK', ''],
    ['route append 10.70.0.0/16 via 10.0.0.4 metric 5', 'OK', ''],
    [
      'route add blackhole 10.70.0.0/16',
      'OK',
      `
      blackhole 10.70.0.0/16
      10.70.0.0/16 via 10.0.0.2 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.4 dev eth0 metric 5`,
    ],
    ['route replace 10.70.0.0/16 via 10.0.0.3 metric 5', 'RTNETLINK answers: File exists', ''],
    [
      'route replace 10.70.0.0/16 via 10.0.0.2 metric 5',
      'OK',
      `
      blackhole 10.70.0.0/16
      10.70.0.0/16 via 10.0.0.2 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.4 dev eth0 metric 5`,
    ],
    [
      'route replace 10.70.0.0/16 via 10.0.0.9 metric 5',
      'OK',
      `
      blackhole 10.70.0.0/16
      10.70.0.0/16 via 10.0.0.9 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.4 dev eth0 metric 5`,
    ],
    [
      'route replace 10.70.0.0/16 via 10.0.0.8',
      'OK',
      `
      10.70.0.0/16 via 10.0.0.8 dev eth0
      10.70.0.0/16 via 10.0.0.9 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.4 dev eth0 metric 5`,
    ],
    ['route replace 10.70.0.0/16 via 10.0.0.8 metric 9', 'OK', ''],
    ['route change 10.70.0.0/16 via 10.0.0.7 metric 99', 'RTNETLINK answers: No such file or directory', ''],
    [
      'route change 10.70.0.0/16 dev eth1 metric 9',
      'OK',
      `
      10.70.0.0/16 via 10.0.0.8 dev eth0
      10.70.0.0/16 via 10.0.0.9 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 via 10.0.0.4 dev eth0 metric 5
      10.70.0.0/16 dev eth1 scope link metric 9`,
    ],
    ['route del 10.70.0.0/16 via 10.0.0.4 dev eth1', 'RTNETLINK answers: No such process', ''],
    ['route del 10.70.0.0/16 via 10.0.0.4 dev eth0', 'OK', ''],
    [
      'route del 10.70.0.0/16 metric 5',
      'OK',
      `
      10.70.0.0/16 via 10.0.0.8 dev eth0
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5
      10.70.0.0/16 dev eth1 scope link metric 9`,
    ],
    ['route del 10.70.0.0/16 proto kernel', 'RTNETLINK answers: No such process', ''],
    ['route del 10.70.0.0/16 proto boot scope link', 'OK', ''],
    [
      'route del 10.70.0.0/16 scope link',
      'RTNETLINK answers: No such process',
      `
      10.70.0.0/16 via 10.0.0.8 dev eth0
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5`,
    ],
    ['route del blackhole 10.70.0.0/16 metric 9', 'RTNETLINK answers: No such process', ''],
    [
      'route del 10.70.0.0/16',
      'OK',
      `
      10.70.0.0/16 via 10.0.0.3 dev eth0 metric 5`,
    ],
    ['route del 10.70.0.0/16', 'OK', ''],
    ['route del 10.70.0.0/16', 'RTNETLINK answers: No such process', ''],
    ['route del 10.70.0.0/16 table 77', 'Error: FIB table does not exist.', ''],
    ['route del 10.70.0.1/16', 'Error: Invalid prefix for given prefix length.', ''],
    ['route add local 10.40.0.1 dev eth0', 'OK', ''],
    ['route del local 10.40.0.1 dev eth0 src 10.0.0.2', 'RTNETLINK answers: No such process', ''],
    ['route del local 10.40.0.1', 'OK', ''],
    ['route del 10.0.0.1 dev eth0 table local', 'OK', ''],
  ];
  const seen = steps.map(([cmd]) => [lab.ip(cmd), only()] as const);

  it.each(steps.map((s, i) => [...s, i] as const))('%s → %s', (_cmd, want, dump, i) => {
    expect(seen[i][0]).toBe(want);
    if (dump !== '') expect(seen[i][1]).toEqual(lines(dump));
  });

  it('a replace that changes nothing leaves the store as it is', () => {
    const l = new Lab([['eth0', true]]);
    l.addr('eth0', '10.0.0.1/24');
    l.ip('route add 10.70.0.0/16 via 10.0.0.2');
    const before = l.fib.version;
    const r = fibCheckNewRoute({ dst: parseCidr('10.70.0.0/16')!, gateway: parseIpv4('10.0.0.2')! }, l);
    expect(r.ok && fibInsert(l.fib, r.route, 'replace')).toBeNull();
    expect(l.fib.version).toBe(before);
  });
});

// ---- lookup ----------------------------------------------------------------------------------------------

describe('lookup (ip route get)', () => {
  const lab = new Lab([
    ['eth0', true],
    ['eth1', true],
  ]);
  lab.addr('eth0', '10.0.0.1/24');
  lab.addr('eth1', '10.4.0.5/16');
  for (const cmd of [
    'route add blackhole 10.244.190.0/24 proto bird',
    'route add 10.244.190.0 dev eth0 scope link',
    'route add 10.244.190.0/24 via 10.0.0.2 metric 5',
    'route add 10.244.0.0/16 dev eth0',
    'route add 10.244.190.0/25 dev eth1',
    'route add 10.244.190.0/23 dev eth1',
    'route add 128.0.0.0/1 dev eth1',
    'route add 0.0.0.0/1 dev eth1 proto static',
    'route add default via 10.0.0.254',
    'route add unreachable 10.71.0.0/16',
    'route add prohibit 10.72.0.0/16',
    'route add 127.0.0.5/32 dev eth0',
    'route add 10.29.0.0/16 via 127.0.0.1',
  ]) {
    const out = lab.ip(cmd);
    if (out !== 'OK') throw new Error(`${cmd}: ${out}`);
  }

  // `ip route get DST` on the kernel: the route it used (first line) or the error.
  it.each([
    ['10.244.190.5', '10.244.190.0/25 dev eth1 scope link'],
    ['10.244.190.0', '10.244.190.0 dev eth0 scope link'],
    ['10.244.190.200', 'RTNETLINK answers: Invalid argument'],
    ['10.244.191.1', '10.244.190.0/23 dev eth1 scope link'],
    ['10.244.5.5', '10.244.0.0/16 dev eth0 scope link'],
    ['1.2.3.4', '0.0.0.0/1 dev eth1 proto static scope link'],
    ['150.0.0.1', '128.0.0.0/1 dev eth1 scope link'],
    // Without custom rules local and main are one trie: main's /32 beats local's 127.0.0.0/8.
    ['127.0.0.5', '127.0.0.5 dev eth0 scope link'],
    ['127.0.0.9', 'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1'],
    ['10.0.0.1', 'local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1'],
    ['10.0.0.255', 'broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1'],
    ['10.0.0.9', '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1'],
    ['10.71.0.1', 'RTNETLINK answers: No route to host'],
    ['10.72.0.1', 'RTNETLINK answers: Permission denied'],
    ['10.29.0.1', '10.29.0.0/16 via 127.0.0.1 dev lo'],
  ])('%s → %s', (dst, want) => {
    expect(lab.get(dst)).toBe(want);
    const d = parseIpv4(dst)!;
    expect(fibLookupNaive(lab.routes, d)).toBe(fibLookup(lab.fib, d));
  });

  it('looks up local before main once custom rules unmerged the tables', () => {
    // After `ip rule add … ; ip rule del …` the kernel answers `local 127.0.0.5 dev lo table local`.
    expect(lab.get('127.0.0.5', { customRules: true })).toBe('local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1');
  });

  it('returns no route as null (ENETUNREACH)', () => {
    const l = new Lab([['eth0', true]]);
    expect(l.get('8.8.8.8')).toBe('RTNETLINK answers: Network is unreachable');
  });

  it('backtracks to shorter prefixes past nexthops of another device, but never past a reject route', () => {
    const viaEth0: FibLookupOptions = { oif: 2 };
    expect(lab.get('10.244.190.5', viaEth0)).toBe('RTNETLINK answers: Invalid argument');
    expect(lab.get('10.244.191.1', viaEth0)).toBe('10.244.0.0/16 dev eth0 scope link');
    expect(lab.get('150.0.0.1', viaEth0)).toBe('default via 10.0.0.254 dev eth0');
    const viaEth1: FibLookupOptions = { oif: 3 };
    expect(lab.get('10.244.190.0', viaEth1)).toBe('10.244.190.0/25 dev eth1 scope link');
    // A scope filter (fib_check_nh asks for link or narrower) skips the blackhole, which is scope universe.
    expect(lab.get('10.244.190.200', { scope: RouteScope.Link })).toBe('10.244.190.0/23 dev eth1 scope link');
  });

  it('looks up one table, and the merged trie for local or main', () => {
    expect(lab.get('10.244.190.5', { table: 100 })).toBe('RTNETLINK answers: Network is unreachable');
    expect(lab.get('10.0.0.1', { table: RouteTable.Main })).toBe(
      'local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1',
    );
    expect(lab.get('10.0.0.1', { table: RouteTable.Main, customRules: true })).toBe(
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1',
    );
  });

  it('a copy of the store answers alike, and changing the copy leaves the original alone', () => {
    const copy = lab.fib.clone();
    const d = parseIpv4('10.244.191.1')!;
    expect(fibLookup(copy, d)).toBe(fibLookup(lab.fib, d));
    expect(fibInsert(copy, { ...fibLookup(copy, d)!, dst: { addr: parseIpv4('10.244.191.0')!, len: 24 } }, 'add')).toBeNull();
    expect(fibLookup(copy, d)!.dst.len).toBe(24);
    expect(fibLookup(lab.fib, d)!.dst.len).toBe(23);
  });

  it('a copy knows which destinations a local route may cover, apart from the original', () => {
    const copy = lab.fib.clone();
    const local = lab.routes.find((r) => r.type === 'local' && r.dst.addr >>> 24 !== 127)!;
    expect(copy.mayBeLocal(local.dst.addr)).toBe(true);
    expect(fibDelete(copy, { table: local.table, dst: local.dst, type: 'local' })).not.toHaveProperty('ok', false);
    expect(copy.mayBeLocal(local.dst.addr)).toBe(false);
    expect(lab.fib.mayBeLocal(local.dst.addr)).toBe(true);
  });

  it('refuses changes to a frozen store (a snapshot holds it)', () => {
    const copy = lab.fib.clone();
    copy.frozen = true;
    expect(() => fibInsert(copy, { ...lab.routes[0], dst: { addr: parseIpv4('10.99.0.0')!, len: 16 } }, 'append')).toThrow(/frozen/);
  });

  it('maps errnos to the messages iproute2 prints', () => {
    expect(FIB_STRERROR.EEXIST).toBe('File exists');
    expect(rtnlErrorLine('ESRCH')).toBe('RTNETLINK answers: No such process');
    expect(rtnlErrorLine('EINVAL', 'Nexthop has invalid gateway')).toBe('Error: Nexthop has invalid gateway.');
  });
});

// ---- device down / gone ------------------------------------------------------------------------------------

describe('throw routes, the mtu metric and which tables exist', () => {
  // ip route add … on eth0 10.23.14.110/24, Linux 6.18 (fixtures/labs/route-forms.lab).
  function lab(): Lab {
    const l = new Lab([['eth0', true]]);
    l.addr('eth0', '10.23.14.110/24');
    return l;
  }

  it.each([
    ['route add throw 10.7.0.0/16', 'OK'],
    ['route add throw 10.8.0.0/16 dev eth0', 'Error: Gateway, device and multipath can not be specified for this route type.'],
    ['route add throw 10.9.0.0/16 via 10.23.14.1', 'Error: Gateway, device and multipath can not be specified for this route type.'],
    ['route add 10.5.0.0/16 via 10.23.14.1 mtu 1400', 'OK'],
    ['route add 10.6.0.0/16 via 10.23.14.1 mtu 70000', 'OK'],
  ])('%s → %s', (cmd, want) => {
    expect(lab().ip(cmd)).toBe(want);
  });

  it('caps the mtu metric at 65520 and keeps no zero mtu (ip_metrics_convert)', () => {
    const l = lab();
    l.ip('route add 10.6.0.0/16 via 10.23.14.1 mtu 70000');
    l.ip('route add 10.7.0.0/16 via 10.23.14.1 mtu 0');
    expect(l.show((r) => r.table === RouteTable.Main && r.gateway !== undefined)).toEqual([
      '10.6.0.0/16 via 10.23.14.1 dev eth0 mtu 65520',
      '10.7.0.0/16 via 10.23.14.1 dev eth0',
    ]);
  });

  it('a route of another mtu is another route of the key, so append takes it (fib_find_info compares metrics)', () => {
    const l = lab();
    expect(l.ip('route add 10.5.0.0/16 via 10.23.14.1 mtu 1400')).toBe('OK');
    expect(l.ip('route append 10.5.0.0/16 via 10.23.14.1 mtu 1400')).toBe('RTNETLINK answers: File exists');
    expect(l.ip('route append 10.5.0.0/16 via 10.23.14.1')).toBe('OK');
  });

  it('a throw route ends the search with no route, and a throw in main lets the default table answer', () => {
    const l = lab();
    l.ip('route add throw 10.7.0.0/16');
    l.ip('route add default via 10.23.14.1');
    expect(l.get('10.7.1.1')).toBe('RTNETLINK answers: Network is unreachable');
    expect(l.get('10.8.1.1')).toBe('default via 10.23.14.1 dev eth0');
    l.ip('route add 10.0.0.0/8 via 10.23.14.2 table default');
    expect(l.get('10.7.1.1')).toBe('10.0.0.0/8 via 10.23.14.2 dev eth0 table default');
    // A throw never comes back from a lookup of one table either.
    expect(l.get('10.7.1.1', { table: RouteTable.Main })).toBe('RTNETLINK answers: Network is unreachable');
  });

  it('a table exists from the first add to it, whether the kernel took the route or not, and stays', () => {
    const l = lab();
    expect(fibTableExists(l.fib, 100)).toBe(false);
    expect(fibTableExists(l.fib, 0)).toBe(true);
    l.ip('route add 10.9.0.0/16 via 10.23.14.1 table 100');
    expect(fibTableExists(l.fib, 100)).toBe(true);
    l.ip('route del 10.9.0.0/16 table 100');
    expect(fibTableExists(l.fib, 100)).toBe(true);
    expect(l.ip('route del 10.9.0.0/16 table 101')).toBe('Error: FIB table does not exist.');
  });

  it.each([
    [undefined, 1500, undefined, 1500],
    [1300, 1500, undefined, 1300],
    [9000, 1500, undefined, 9000],
    [1400, 1500, 1200, 1200],
    [undefined, 1500, 1280, 1280],
  ])('route mtu %s on a device of %d with learnt %s is %d (ipv4_mtu)', (mtu, dev, pmtu, want) => {
    const r = makeRoute({ table: 254, type: 'unicast', dst: { addr: 0, len: 0 }, proto: 3, scope: 0, metric: 0, onlink: false, mtu });
    expect(fibRouteMtu(r, dev, pmtu)).toBe(want);
  });

  it('keeps the lock of a zero mtu, which caps a gateway route at 576', () => {
    const l = lab();
    expect(l.ip('route add 10.42.0.0/16 via 10.23.14.1 mtu 0')).toBe('OK');
    const checked = fibCheckNewRoute({ dst: parseCidr('10.8.0.0/16')!, gateway: parseIpv4('10.23.14.1')!, mtu: 0, mtuLock: true }, l);
    expect(checked.ok && [checked.route.mtu, checked.route.mtuLock]).toEqual([0, true]);
    if (checked.ok) expect(fibRouteMtu(checked.route, 1500, 1200)).toBe(576);
  });

  it('a locked route mtu learns no path MTU', () => {
    const r = makeRoute({
      table: 254,
      type: 'unicast',
      dst: { addr: 0, len: 0 },
      proto: 3,
      scope: 0,
      metric: 0,
      onlink: false,
      mtu: 1400,
      mtuLock: true,
    });
    expect(fibRouteMtu(r, 1500, 1200)).toBe(1400);
  });
});

describe('fibFlushDev', () => {
  it('keeps scope host routes when the device goes down and drops everything when it goes away', () => {
    const lab = new Lab([
      ['eth0', true],
      ['eth1', true],
    ]);
    lab.addr('eth0', '10.0.0.1/24');
    lab.addr('eth1', '172.16.0.1/16');
    lab.addr('eth1', '169.254.1.1/16', { scope: RouteScope.Link });
    for (const cmd of [
      'route add 10.50.0.0/16 dev eth1',
      'route add 10.51.0.0/16 dev eth1 scope host',
      'route add 10.53.0.0/16 via 172.16.0.9',
      'route add local 10.54.0.1 dev eth1',
      'route add blackhole 10.55.0.0/16',
    ]) {
      expect(lab.ip(cmd)).toBe('OK');
    }
    const eth1 = (r: Route) => r.dev === 3;
    expect(lab.show(eth1)).toEqual(
      lines(`
      10.50.0.0/16 dev eth1 scope link
      10.51.0.0/16 dev eth1 scope host
      10.53.0.0/16 via 172.16.0.9 dev eth1
      169.254.0.0/16 dev eth1 proto kernel scope link src 169.254.1.1
      172.16.0.0/16 dev eth1 proto kernel scope link src 172.16.0.1
      local 10.54.0.1 dev eth1 table local scope host
      local 169.254.1.1 dev eth1 table local proto kernel scope host src 169.254.1.1
      broadcast 169.254.255.255 dev eth1 table local proto kernel scope link src 169.254.1.1
      local 172.16.0.1 dev eth1 table local proto kernel scope host src 172.16.0.1
      broadcast 172.16.255.255 dev eth1 table local proto kernel scope link src 172.16.0.1
    `),
    );
    const downStore = lab.fib.clone();
    fibFlushDev(downStore, 3);
    const down = downStore.all();
    expect(down.filter(eth1).map((r) => showRoute(r, lab.links))).toEqual(
      lines(`
      10.51.0.0/16 dev eth1 scope host
      local 10.54.0.1 dev eth1 table local scope host
      local 169.254.1.1 dev eth1 table local proto kernel scope host src 169.254.1.1
      local 172.16.0.1 dev eth1 table local proto kernel scope host src 172.16.0.1
    `),
    );
    const gone = lab.fib.clone();
    fibFlushDev(gone, 3, true);
    expect(gone.all().filter(eth1)).toEqual([]);
    const other = lab.fib.clone();
    expect(fibFlushDev(other, 9)).toBe(0);
    expect(other.all()).toEqual(lab.routes);
    expect(down.some((r) => r.type === 'blackhole')).toBe(true);
  });
});

// ---- model-based test --------------------------------------------------------------------------------------

/** The model: a plain array kept in order by a stable sort, and a scan for lookups. */
interface Model {
  routes: Route[];
}
interface Real {
  fib: FibStore;
}

const modelKey = (r: Route) => [(r.table & 255) * 1e4 + r.table, r.dst.addr, -r.dst.len, r.metric];
function modelSort(routes: Route[]): Route[] {
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const ka = modelKey(a.r);
      const kb = modelKey(b.r);
      for (let j = 0; j < ka.length; j++) if (ka[j] !== kb[j]) return ka[j] - kb[j];
      return a.i - b.i;
    })
    .map((x) => x.r);
}
const sameKey = (a: Route, b: Route) =>
  a.table === b.table && a.dst.addr === b.dst.addr && a.dst.len === b.dst.len && a.metric === b.metric;
const sameInfo = (a: Route, b: Route) => JSON.stringify({ ...a, dst: 0 }) === JSON.stringify({ ...b, dst: 0 });

function modelInsert(m: Model, r: Route, mode: FibInsertMode): string {
  const same = m.routes.filter((x) => sameKey(x, r));
  if (same.length === 0) {
    if (mode === 'change') return 'ENOENT';
    m.routes = modelSort([...m.routes, r]);
    return 'OK';
  }
  if (mode === 'add') return 'EEXIST';
  const identical = same.findIndex((x) => sameInfo(x, r));
  if (mode === 'replace' || mode === 'change') {
    if (identical === 0) return 'OK';
    if (identical > 0) return 'EEXIST';
    m.routes[m.routes.indexOf(same[0])] = r;
    return 'OK';
  }
  if (identical >= 0) return 'EEXIST';
  const at = mode === 'append' ? m.routes.indexOf(same[same.length - 1]) + 1 : m.routes.indexOf(same[0]);
  m.routes.splice(at, 0, r);
  return 'OK';
}

function modelDelete(m: Model, q: RouteMatch): string {
  const i = m.routes.findIndex(
    (r) =>
      r.table === q.table &&
      r.dst.addr === q.dst.addr &&
      r.dst.len === q.dst.len &&
      (q.type === undefined || r.type === q.type) &&
      (!q.dev || r.dev === q.dev) &&
      (!q.metric || r.metric === q.metric) &&
      (!q.gateway || r.gateway === q.gateway),
  );
  if (i < 0) return 'ESRCH';
  m.routes.splice(i, 1);
  return 'OK';
}

/** modelLookup is fib_lookup by a scan; `oif` (0: any) keeps only routes out of that device, reject routes aside. */
function modelLookup(m: Model, dst: number, downDev: number, customRules: boolean): Route | null {
  const groups = customRules ? [[255], [254], [253]] : [[255, 254], [253]];
  for (const tables of groups) {
    let best: Route | null = null;
    for (const r of m.routes) {
      if (!tables.includes(r.table)) continue;
      const span = 2 ** (32 - r.dst.len);
      if (dst < r.dst.addr || dst >= r.dst.addr + span) continue;
      const isReject = r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit';
      if (!isReject && downDev !== 0 && r.dev !== downDev) continue;
      if (
        best === null ||
        r.dst.len > best.dst.len ||
        (r.dst.len === best.dst.len && (r.table > best.table || (r.table === best.table && r.metric < best.metric)))
      ) {
        best = r;
      }
    }
    if (best !== null) return best;
  }
  return null;
}

const BASES = ['10.0.0.0', '10.0.0.128', '10.0.0.5', '10.1.0.0', '192.168.1.1', '0.0.0.0', '255.255.255.255'].map((s) => parseIpv4(s)!);
const LENS = [0, 1, 8, 12, 16, 20, 24, 25, 28, 31, 32];
const maskLen = (a: number, len: number) => (len === 0 ? 0 : Number((BigInt(a) >> BigInt(32 - len)) << BigInt(32 - len)));

const arbRoute: fc.Arbitrary<Route> = fc
  .record({
    base: fc.constantFrom(...BASES),
    len: fc.constantFrom(...LENS),
    table: fc.constantFrom(254, 254, 255, 253, 100),
    type: fc.constantFrom<RouteType>('unicast', 'unicast', 'unicast', 'local', 'blackhole', 'unreachable'),
    dev: fc.constantFrom(1, 2, 3),
    gw: fc.option(fc.constantFrom(0x0a000001, 0x0a000002), { nil: undefined }),
    metric: fc.constantFrom(0, 0, 1, 5),
    proto: fc.constantFrom(RouteProto.Boot, RouteProto.Bird),
  })
  .map(({ base, len, table, type, dev, gw, metric, proto }) => {
    const reject = type === 'blackhole' || type === 'unreachable';
    return {
      table,
      type,
      dst: { addr: maskLen(base, len), len },
      proto,
      metric,
      onlink: false,
      scope: type === 'local' ? 254 : reject || gw !== undefined ? 0 : 253,
      ...(reject ? {} : { dev }),
      ...(!reject && gw !== undefined ? { gateway: gw } : {}),
    };
  });

const arbDst = fc.oneof(
  fc.constantFrom(...BASES),
  fc.constantFrom(...BASES).chain((b) => fc.integer({ min: 0, max: 255 }).map((x) => (b ^ x) >>> 0)),
  fc.integer({ min: 0, max: 0xffffffff }),
);

class InsertCmd implements fc.Command<Model, Real> {
  constructor(
    readonly route: Route,
    readonly mode: FibInsertMode,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const want = modelInsert(m, this.route, this.mode);
    const res = fibInsert(r.fib, this.route, this.mode);
    expect(res === null ? 'OK' : res.errno).toBe(want);
    expect(r.fib.all()).toEqual(m.routes);
  }
  toString = () => `${this.mode} ${JSON.stringify(this.route)}`;
}

/**
 * ReinsertCmd inserts a copy of a route already present, or a variant with another device or protocol: the
 * copy reaches the "identical route" branches, the variant grows a key's list of routes.
 */
class ReinsertCmd implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly mode: FibInsertMode,
    readonly variant: 0 | 1 | 2,
  ) {}
  check = (m: Readonly<Model>) => m.routes.length > 0;
  run(m: Model, r: Real): void {
    const base = m.routes[this.pick % m.routes.length];
    const copy: Route =
      this.variant === 0
        ? { ...base }
        : this.variant === 1
          ? { ...base, proto: base.proto === 3 ? 12 : 3 }
          : { ...base, scope: base.scope === 0 ? 253 : 0 };
    new InsertCmd(copy, this.mode).run(m, r);
  }
  toString = () => `reinsert #${this.pick} ${this.mode} variant ${this.variant}`;
}

class DeleteCmd implements fc.Command<Model, Real> {
  constructor(readonly match: RouteMatch) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const want = modelDelete(m, this.match);
    // The model does not know which tables exist; main always does.
    const res = fibDelete(r.fib, this.match);
    const got = 'ok' in res ? res.errno : 'OK';
    expect(got).toBe(want);
    expect(r.fib.all()).toEqual(m.routes);
  }
  toString = () => `del ${JSON.stringify(this.match)}`;
}

class LookupCmd implements fc.Command<Model, Real> {
  constructor(
    readonly dsts: readonly number[],
    readonly downDev: number,
    readonly customRules: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    for (const dst of this.dsts) {
      const opts: FibLookupOptions = { oif: this.downDev, customRules: this.customRules };
      const want = modelLookup(m, dst, this.downDev, this.customRules);
      const got = fibLookup(r.fib, dst, opts);
      expect(got).toEqual(want);
      expect(fibLookupNaive(r.fib.all(), dst, opts)).toEqual(want);
      if (this.downDev === 0) expect(fibLookup(r.fib, dst, this.customRules ? { customRules: true } : undefined)).toEqual(want);
      // A plain lookup is answered from the store's cache the second time; every change since must have reached it.
      if (this.downDev === 0 && !this.customRules) expect(fibLookup(r.fib, dst)).toEqual(want);
      // With no local or broadcast route covering it, no plain lookup of a destination answers one.
      if (this.downDev === 0 && !this.customRules && !r.fib.mayBeLocal(dst))
        expect(want?.type === 'local' || want?.type === 'broadcast').toBe(false);
    }
  }
  toString = () => `lookup ${this.dsts.map(formatIpv4).join(',')} down=${this.downDev} rules=${this.customRules}`;
}

describe('model-based: the FIB store against a naive model', () => {
  const commands = [
    fc
      .tuple(arbRoute, fc.constantFrom<FibInsertMode>('add', 'add', 'append', 'prepend', 'replace', 'change'))
      .map(([r, mode]) => new InsertCmd(r, mode)),
    fc
      .tuple(
        fc.nat(1000),
        fc.constantFrom<FibInsertMode>('add', 'append', 'prepend', 'replace', 'change'),
        fc.constantFrom<0 | 1 | 2>(0, 1, 2),
      )
      .map(([i, mode, v]) => new ReinsertCmd(i, mode, v)),
    arbRoute.chain((r) =>
      fc.record({ useDev: fc.boolean(), useMetric: fc.boolean(), useType: fc.boolean(), table: fc.constantFrom(r.table, 254) }).map(
        ({ useDev, useMetric, useType, table }) =>
          new DeleteCmd({
            table,
            dst: r.dst,
            ...(useDev && r.dev ? { dev: r.dev } : {}),
            ...(useMetric ? { metric: r.metric } : {}),
            ...(useType ? { type: r.type } : {}),
          }),
      ),
    ),
    fc
      .tuple(fc.array(arbDst, { minLength: 1, maxLength: 6 }), fc.constantFrom(0, 0, 2, 3), fc.boolean())
      .map(([d, down, rules]) => new LookupCmd(d, down, rules)),
  ];

  it('agrees on results, dump order and lookups after every command', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        // Seed main so that deletes there never hit "FIB table does not exist".
        fc.modelRun(() => ({ model: { routes: [] }, real: { fib: new FibStore() } }), cmds);
      }),
      { numRuns: 300 },
    );
  });

  it('answers alike before and after it builds an interval index for a table of many prefix lengths', () => {
    fc.assert(
      fc.property(
        fc.array(arbRoute, { minLength: 50, maxLength: 200 }),
        fc.array(arbDst, { minLength: 1, maxLength: 20 }),
        (routes, dsts) => {
          const store = fibFromRoutes(routes);
          const arr = store.all();
          // Enough lookups that the store builds its index part way through (64 plus one in 64 routes).
          for (let round = 0; round < 12; round++) {
            for (const dst of dsts) {
              for (const opts of [undefined, { oif: 2 }, { customRules: true }, { scope: 253 }] as (FibLookupOptions | undefined)[]) {
                expect(fibLookup(store, dst, opts)).toBe(fibLookupNaive(arr, dst, opts));
              }
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a store equals the naive scan on random larger tables', () => {
    fc.assert(
      fc.property(
        fc.array(arbRoute, { maxLength: 200 }),
        fc.array(arbDst, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 2, 3),
        (routes, dsts, down) => {
          const store = fibFromRoutes(routes);
          const arr = store.all();
          for (const dst of dsts) {
            for (const opts of [undefined, { oif: down }, { customRules: true }, { table: 100 }, { scope: 253 }] as (
              | FibLookupOptions
              | undefined
            )[]) {
              expect(fibLookup(store, dst, opts)).toBe(fibLookupNaive(arr, dst, opts));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
