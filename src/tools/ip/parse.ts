// The command line of ip(8) as iproute2 6.1 reads it (ip/ip.c, ip/iplink.c, ip/ipaddress.c, ip/iproute.c,
// ip/ipneigh.c, ip/ipnetns.c): global options, objects and verbs with iproute2's own abbreviation
// rules (first match in its table order: `ip r` is route, `ip n` neigh, `ip l s` set), and the forms
// labs support. `ip netns exec NS CMD…` parses CMD with the shell's parser.

import type { Cidr, Ipv4, Mac } from '../../model/addr.js';
import type { Command, IpOptions, LinkSetOp, LinkSpec, NestedParser, NudState, Parsed, RouteSpec, RouteType } from '../ast.js';
import { type Args, cidr, devName, fail, ipv4, mac, matches, pick, prefixOrDefault, proto, scope, subcommand, uint } from '../words.js';

type IpObject = 'addr' | 'route' | 'neigh' | 'link' | 'netns' | null;

/** IP_OBJECTS is iproute2 6.1's object table in its own order (ip.c), so abbreviations resolve alike. */
const IP_OBJECTS: readonly (readonly [string, IpObject])[] = [
  ['address', 'addr'],
  ['addrlabel', null],
  ['maddress', null],
  ['route', 'route'],
  ['rule', null],
  ['neighbor', 'neigh'],
  ['neighbour', 'neigh'],
  ['ntable', null],
  ['ntbl', null],
  ['link', 'link'],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', 'netns'],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
  ['stats', null],
];

type IpOpt = keyof IpOptions | 'netns' | null;

/** IP_OPTIONS is ip(8)'s global option table in its order; null marks options labs do not support. */
const IP_OPTIONS: readonly (readonly [string, IpOpt])[] = [
  ['-loops', null],
  ['-family', null],
  ['-human', null],
  ['-iec', null],
  ['-stats', 'stats'],
  ['-statistics', 'stats'],
  ['-details', 'details'],
  ['-resolve', null],
  ['-oneline', null],
  ['-timestamp', null],
  ['-tshort', null],
  ['-Version', null],
  ['-force', null],
  ['-batch', null],
  ['-brief', 'brief'],
  ['-json', 'json'],
  ['-pretty', 'pretty'],
  ['-rcvbuf', null],
  ['-color', null],
  ['-help', null],
  ['-netns', 'netns'],
  ['-Numeric', null],
  ['-all', null],
];

export function parseIp(args: Args, outerNetns: string | null, nested: NestedParser): Parsed {
  const opts = { family4: false, json: false, pretty: false, brief: false, details: false, stats: false };
  let netns = outerNetns;
  let nOption = false;
  for (let w = args.peek(); w?.startsWith('-'); w = args.peek()) {
    args.take();
    // iproute2 accepts `--json` for `-json`.
    const o = w.startsWith('--') ? w.slice(1) : w;
    if (o === '-4') {
      opts.family4 = true;
      continue;
    }
    if (o === '-6' || o === '-0' || o === '-M' || o === '-B') fail(`ip: option "${w}" is not supported in labs`);
    const found = IP_OPTIONS.find(([kw]) => matches(o, kw) && o.length > 1);
    if (found === undefined) fail(`ip: unknown option "${w}"`);
    const which = found[1];
    if (which === null) fail(`ip: option "${w}" is not supported in labs`);
    if (which === 'netns') {
      netns = args.netns(w);
      nOption = true;
    } else opts[which] = true;
  }
  const objWord = args.take();
  if (objWord === undefined) fail('ip: missing object (route, addr, link, neigh, netns)');
  const obj = pick(objWord, IP_OBJECTS);
  if (obj === undefined) fail(`ip: unknown object "${objWord}"`);
  if (obj === null) fail(`ip ${objWord}: not supported in labs`);
  switch (obj) {
    case 'netns':
      if (nOption) fail('ip -n: cannot be used with "ip netns"');
      return parseNetns(args, netns, nested);
    case 'link':
      return { netns, cmd: parseLink(args, opts) };
    case 'addr':
      return { netns, cmd: parseAddr(args, opts) };
    case 'route':
      return { netns, cmd: parseRoute(args, opts) };
    case 'neigh':
      return { netns, cmd: parseNeigh(args, opts) };
  }
}

/** invalidNetnsName is ipnetns.c's invalid_name: empty, longer than NAME_MAX (255 bytes), holding '/', or `.` or `..`. */
export function invalidNetnsName(name: string): boolean {
  return name === '' || new TextEncoder().encode(name).length > 255 || name.includes('/') || name === '.' || name === '..';
}

function parseNetns(args: Args, outer: string | null, nested: NestedParser): Parsed {
  const verb = subcommand<'show' | 'add' | 'del' | 'exec'>(args, 'ip netns', [
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list-id', null],
    ['help', null],
    ['add', 'add'],
    ['set', null],
    ['delete', 'del'],
    ['identify', null],
    ['pids', null],
    ['exec', 'exec'],
    ['monitor', null],
    ['attach', null],
  ]);
  switch (verb) {
    case 'show':
      args.end();
      return { netns: outer, cmd: { kind: 'netns-list' } };
    case 'add':
    case 'del': {
      // A name iproute2 refuses (invalid_name) is its runtime error; it names no namespace to rewrite.
      const bad = args.peek();
      if (bad !== undefined && invalidNetnsName(bad)) {
        args.take();
        args.end();
        return { netns: outer, cmd: verb === 'add' ? { kind: 'netns-add', name: bad } : { kind: 'netns-del', name: bad } };
      }
      const name = args.netns(verb);
      args.end();
      return { netns: outer, cmd: verb === 'add' ? { kind: 'netns-add', name } : { kind: 'netns-del', name } };
    }
    case 'exec': {
      const ns = args.netns('exec');
      const rec = args.recorder();
      const inner = args.rest();
      if (inner.length === 0) fail('ip netns exec: missing command');
      if (inner[0] === 'listen' || inner[0] === 'capture' || inner[0] === 'captures')
        fail(`ip netns exec: "${inner[0]}" is a lab directive, not a command`);
      const parsed = nested(inner, rec);
      // An inner `ip -n OTHER` wins, as it would on a real system.
      return { netns: parsed.netns ?? ns, cmd: parsed.cmd };
    }
  }
}

// ip link ---------------------------------------------------------------------------------------

function parseLink(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'set' | 'del' | 'show'>(args, 'ip link', [
    ['add', 'add'],
    ['set', 'set'],
    ['change', 'set'],
    ['replace', null],
    ['delete', 'del'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list', 'show'],
    ['xstats', null],
    ['afstats', null],
    ['property', null],
    ['help', null],
  ]);
  switch (verb) {
    case 'add':
      return parseLinkAdd(args);
    case 'set':
      return parseLinkSet(args);
    case 'del': {
      const dev = devArg(args);
      args.end();
      return { kind: 'link-del', dev };
    }
    case 'show': {
      const dev = args.atEnd ? null : devArg(args);
      args.end();
      return { kind: 'link-show', opts, dev };
    }
  }
}

/** devArg takes `dev DEV` or a bare `DEV`. */
function devArg(args: Args): string {
  const w = args.take();
  if (w === undefined) fail(`${args.ctx}: missing device`);
  return devName(w === 'dev' ? args.value('dev') : w);
}

/** isTxqlen says whether a word is iplink_parse's `txqueuelen` keyword (also `qlen`, `txqlen`). */
function isTxqlen(w: string): boolean {
  return matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen');
}

/** txqlenValue reads the value after `txqueuelen`: get_integer, a non-negative int. */
function txqlenValue(args: Args, kw: string): number {
  return uint(args.value(kw), 'txqueuelen', 0x7fffffff);
}

function parseLinkAdd(args: Args): Command {
  let name: string | null = null;
  let txqueuelen: number | null = null;
  for (;;) {
    const w = args.take();
    if (w === undefined) fail('ip link add: missing "type"');
    if (matches(w, 'type')) break;
    if (isTxqlen(w)) {
      if (txqueuelen !== null) fail(`ip link add: duplicate "txqueuelen"`);
      txqueuelen = txqlenValue(args, w);
      continue;
    }
    if (name !== null) fail(`ip link add: unknown option "${w}"`);
    name = devName(w === 'name' || w === 'dev' ? args.value(w) : w);
  }
  if (name === null) fail('ip link add: missing device name');
  const type = args.value('type');
  args.ctx = `ip link add type ${type}`;
  let spec: LinkSpec;
  switch (type) {
    case 'veth':
      spec = parseVeth(args);
      break;
    case 'bridge':
      spec = { type: 'bridge' };
      break;
    case 'ipip':
      spec = { type: 'ipip' };
      break;
    case 'vxlan':
      spec = parseVxlan(args);
      break;
    default:
      fail(`ip link add: type "${type}" is not supported in labs (veth, bridge, vxlan, ipip)`);
  }
  args.end();
  return { kind: 'link-add', name, txqueuelen, spec };
}

function parseVeth(args: Args): LinkSpec {
  if (args.take() !== 'peer') fail('ip link add: veth needs "peer name NAME"');
  let peer: string | null = null;
  let peerNetns: string | null = null;
  let peerTxqueuelen: number | null = null;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'netns') peerNetns = args.netns('netns');
    else if (isTxqlen(w)) {
      if (peerTxqueuelen !== null) fail(`ip link add: duplicate "txqueuelen"`);
      peerTxqueuelen = txqlenValue(args, w);
    } else if (peer === null) peer = devName(w === 'name' || w === 'dev' ? args.value(w) : w);
    else fail(`ip link add: unknown option "${w}"`);
  }
  if (peer === null) fail('ip link add: veth needs "peer name NAME"');
  return { type: 'veth', peer, peerNetns, peerTxqueuelen };
}

function parseVxlan(args: Args): LinkSpec {
  let id: number | null = null;
  let dstport: number | null = null;
  let local: Ipv4 | null = null;
  let dev: string | null = null;
  let learning = true;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'id' || w === 'vni') id = uint(args.value(w), 'VNI', 0xffffff);
    else if (w === 'dstport') dstport = uint(args.value(w), 'port', 65535);
    else if (w === 'local') local = ipv4(args.value(w));
    else if (w === 'dev') dev = devName(args.value(w));
    else if (w === 'nolearning') learning = false;
    else if (w === 'learning') learning = true;
    else fail(`ip link add type vxlan: unknown option "${w}"`);
  }
  if (id === null) fail('ip link add type vxlan: missing "id"');
  return { type: 'vxlan', id, dstport, local, dev, learning };
}

/**
 * mtuValue reads the value after `mtu` as get_integer(…, 0) does: strtol with base 0 (decimal, 0x hex,
 * 0 octal, an optional sign), the whole word, within an int. A negative MTU reaches the kernel, which
 * refuses it as less than the device minimum.
 */
export function mtuValue(w: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(w);
  const body = m?.[2];
  const n = body === undefined ? Number.NaN : (m![1] === '-' ? -1 : 1) * Number(/^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body);
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) fail(`invalid MTU "${w}"`);
  return n;
}

function parseLinkSet(args: Args): Command {
  let dev: string | null = null;
  const ops: LinkSetOp[] = [];
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'up' || w === 'down') ops.push({ op: w });
    else if (w === 'name') ops.push({ op: 'name', name: devName(args.value(w)) });
    else if (matches(w, 'address')) ops.push({ op: 'address', mac: mac(args.value(w)) });
    else if (w === 'mtu') ops.push({ op: 'mtu', mtu: mtuValue(args.value(w)) });
    else if (isTxqlen(w)) ops.push({ op: 'txqueuelen', txqueuelen: txqlenValue(args, w) });
    else if (w === 'netns') ops.push({ op: 'netns', netns: args.netns(w) });
    else if (w === 'master') ops.push({ op: 'master', master: devName(args.value(w)) });
    else if (w === 'nomaster') ops.push({ op: 'nomaster' });
    else if (dev === null) dev = devName(w === 'dev' ? args.value(w) : w);
    else fail(`ip link set: unknown option "${w}"`);
  }
  if (dev === null) fail('ip link set: missing device');
  if (ops.length === 0) fail('ip link set: nothing to change');
  return { kind: 'link-set', dev, ops };
}

// ip addr ---------------------------------------------------------------------------------------

function parseAddr(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'del' | 'show'>(args, 'ip addr', [
    ['add', 'add'],
    ['change', null],
    ['replace', null],
    ['delete', 'del'],
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['flush', null],
    ['save', null],
    ['showdump', null],
    ['restore', null],
    ['help', null],
  ]);
  if (verb === 'show') {
    const dev = args.atEnd ? null : devArg(args);
    args.end();
    return { kind: 'addr-show', opts, dev };
  }
  let local: Cidr | null = null;
  let dev: string | null = null;
  let broadcast: Ipv4 | '+' | null = null;
  let sc: number | null = null;
  let metric: number | null = null;
  let noprefixroute = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (matches(w, 'broadcast') || w === 'brd') {
      const v = args.value(w);
      broadcast = v === '+' ? '+' : ipv4(v);
    } else if (w === 'scope') sc = scope(args.value(w));
    else if (w === 'dev') dev = devName(args.value(w));
    else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) metric = uint(args.value(w), 'metric', 0xffffffff);
    else if (w === 'noprefixroute') noprefixroute = true;
    else {
      const v = w === 'local' ? args.value(w) : w;
      if (local !== null) fail(`${args.ctx}: unknown option "${w}"`);
      local = cidr(v);
    }
  }
  if (local === null) fail(`${args.ctx}: missing address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { kind: 'addr-change', action: verb, cidr: local, dev, broadcast, scope: sc, metric, noprefixroute };
}

// ip route --------------------------------------------------------------------------------------

const ROUTE_TYPES: readonly string[] = [
  'unicast',
  'local',
  'broadcast',
  'brd',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];

function parseRoute(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'replace' | 'del' | 'show' | 'get'>(args, 'ip route', [
    ['add', 'add'],
    ['change', null],
    ['replace', 'replace'],
    ['prepend', null],
    ['append', null],
    ['test', null],
    ['delete', 'del'],
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['get', 'get'],
    ['flush', null],
    ['save', null],
    ['restore', null],
    ['showdump', null],
    ['help', null],
  ]);
  switch (verb) {
    case 'show':
      return parseRouteShow(args, opts);
    case 'get':
      return parseRouteGet(args, opts);
    default:
      return { kind: 'route-change', action: verb, route: parseRouteSpec(args) };
  }
}

function parseRouteSpec(args: Args): RouteSpec {
  let type: RouteType = 'unicast';
  let dst: Cidr | null = null;
  let via: Ipv4 | null = null;
  let dev: string | null = null;
  let pr: number | null = null;
  let sc: number | null = null;
  let src: Ipv4 | null = null;
  let metric: number | null = null;
  let onlink = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'src') src = ipv4(args.value(w));
    else if (w === 'via') via = ipv4(args.value(w));
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') metric = uint(args.value(w), 'metric', 0xffffffff);
    else if (w === 'scope') sc = scope(args.value(w));
    else if (w === 'onlink') onlink = true;
    else if (matches(w, 'protocol')) pr = proto(args.value(w));
    else if (w === 'dev' || w === 'oif') dev = devName(args.value(w));
    else if (['table', 'mtu', 'nexthop', 'nhid', 'encap', 'tos', 'from', 'realm', 'expires'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      let d = w === 'to' ? args.value(w) : w;
      if (!/^[0-9]/.test(d) && ROUTE_TYPES.includes(d)) {
        if (d !== 'unicast' && d !== 'blackhole' && d !== 'unreachable' && d !== 'prohibit')
          fail(`${args.ctx}: route type "${d}" is not supported in labs`);
        type = d;
        d = args.value(d);
      }
      if (dst !== null) fail(`${args.ctx}: unknown option "${w}"`);
      if (!/^[0-9]/.test(d) && d !== 'default' && d !== 'any' && d !== 'all') fail(`${args.ctx}: unknown option "${d}"`);
      dst = prefixOrDefault(d);
    }
  }
  if (dst === null) fail(`${args.ctx}: missing prefix`);
  return { type, dst, via, dev, proto: pr, scope: sc, src, metric, onlink };
}

/** routeTable reads a table name or number as rtnl_rttable_a2n does (the stock /etc/iproute2/rt_tables), or `all`. */
function routeTable(s: string): number | 'all' {
  const named = new Map<string, number | 'all'>([
    ['all', 'all'],
    ['local', 255],
    ['main', 254],
    ['default', 253],
    ['unspec', 0],
  ]);
  return named.get(s) ?? uint(s, 'table', 0xffffffff);
}

function parseRouteShow(args: Args, opts: IpOptions): Command {
  let dev: string | null = null;
  let pr: number | null = null;
  let prefix: Cidr | null = null;
  let table: number | 'all' | null = null;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev' || w === 'oif') dev = devName(args.value(w));
    else if (matches(w, 'protocol')) pr = proto(args.value(w));
    else if (w === 'table') table = routeTable(args.value(w));
    else if (['scope', 'type', 'via', 'src', 'root', 'match', 'cached', 'tos', 'iif', 'metric'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      let d = w === 'to' ? args.value(w) : w;
      if (matches(d, 'exact')) d = args.value(d);
      if (prefix !== null || (!/^[0-9]/.test(d) && d !== 'default' && d !== 'any' && d !== 'all'))
        fail(`${args.ctx}: unknown option "${w}"`);
      prefix = prefixOrDefault(d);
    }
  }
  return { kind: 'route-show', opts, table, dev, proto: pr, prefix };
}

function parseRouteGet(args: Args, opts: IpOptions): Command {
  let addr: Ipv4 | null = null;
  let from: Ipv4 | null = null;
  let iif: string | null = null;
  let oif: string | null = null;
  let fibmatch = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (matches(w, 'from')) from = ipv4(args.value(w));
    else if (matches(w, 'iif')) iif = devName(args.value(w));
    else if (matches(w, 'oif') || w === 'dev') oif = devName(args.value(w));
    else if (matches(w, 'fibmatch')) fibmatch = true;
    else if (['tos', 'mark', 'notify', 'connected', 'vrf', 'uid', 'as', 'sport', 'dport', 'ipproto'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (addr !== null) fail(`${args.ctx}: unknown option "${w}"`);
      if (!/^[0-9]/.test(d)) fail(`${args.ctx}: unknown option "${d}"`);
      addr = ipv4(d);
    }
  }
  if (addr === null) fail(`${args.ctx}: missing address`);
  return { kind: 'route-get', opts, addr, from, iif, oif, fibmatch };
}

// ip neigh --------------------------------------------------------------------------------------

const NUD_STATES: readonly NudState[] = ['permanent', 'reachable', 'stale', 'noarp'];

function parseNeigh(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'replace' | 'del' | 'show'>(args, 'ip neigh', [
    ['add', 'add'],
    ['change', null],
    ['replace', 'replace'],
    ['delete', 'del'],
    ['get', null],
    ['show', 'show'],
    ['lst', 'show'],
    ['list', 'show'],
    ['flush', null],
    ['help', null],
  ]);
  let addr: Ipv4 | null = null;
  let dev: string | null = null;
  if (verb === 'show') {
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev') dev = devName(args.value(w));
      else if (['master', 'vrf', 'unused', 'nud', 'proxy', 'nomaster'].includes(w) || matches(w, 'protocol'))
        fail(`${args.ctx}: "${w}" is not supported in labs`);
      else {
        const d = w === 'to' ? args.value(w) : w;
        if (addr !== null) fail(`${args.ctx}: unknown option "${w}"`);
        addr = ipv4(d);
      }
    }
    return { kind: 'neigh-show', opts, dev, addr };
  }
  let lladdr: Mac | null = null;
  let nud: NudState | null = null;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (matches(w, 'lladdr')) lladdr = mac(args.value(w));
    else if (w === 'nud') {
      const s = args.value(w);
      if (!(NUD_STATES as readonly string[]).includes(s)) fail(`${args.ctx}: invalid nud state "${s}"`);
      nud = s as NudState;
    } else if (w === 'dev') dev = devName(args.value(w));
    else if (matches(w, 'proxy') || w === 'router' || matches(w, 'extern_learn') || matches(w, 'protocol'))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (addr !== null) fail(`${args.ctx}: unknown option "${w}"`);
      addr = ipv4(d);
    }
  }
  if (addr === null) fail(`${args.ctx}: missing address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { kind: 'neigh-change', action: verb, addr, lladdr, dev, nud };
}
