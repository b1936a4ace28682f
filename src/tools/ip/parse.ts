// The command line of ip(8) as iproute2 6.1 reads it (ip/ip.c, ip/iplink.c, ip/ipaddress.c, ip/iproute.c,
// ip/ipneigh.c, ip/ipnetns.c): global options, objects and verbs with iproute2's own abbreviation
// rules (first match in its table order: `ip r` is route, `ip n` neigh, `ip l s` set), and the forms
// labs support. `ip netns exec NS CMD…` parses CMD with the shell's parser.

import type { Cidr, Ipv4, Mac } from '../../model/addr.js';
import type { Command, IpOptions, LinkFilter, LinkSetOp, LinkSpec, NestedParser, NudState, Parsed, RouteSpec, RouteType } from '../ast.js';
import { parseRule } from './rule.js';
import { type Args, cidr, devName, fail, ipv4, mac, matches, pick, prefixOrDefault, proto, scope, subcommand, uint } from '../words.js';

type IpObject = 'addr' | 'route' | 'rule' | 'neigh' | 'link' | 'netns' | null;

/** IP_OBJECTS is iproute2 6.1's object table in its own order (ip.c), so abbreviations resolve alike. */
const IP_OBJECTS: readonly (readonly [string, IpObject])[] = [
  ['address', 'addr'],
  ['addrlabel', null],
  ['maddress', null],
  ['route', 'route'],
  ['rule', 'rule'],
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

type IpOpt = Exclude<keyof IpOptions, 'statsLevel'> | 'netns' | null;

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
  ['-oneline', 'oneline'],
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
  const opts: { -readonly [K in keyof IpOptions]: IpOptions[K] } = {
    family4: false,
    json: false,
    pretty: false,
    brief: false,
    details: false,
    stats: false,
  };
  let netns = outerNetns;
  let nOption = false;
  let statsCount = 0;
  for (let w = args.peek(); w?.startsWith('-'); w = args.peek()) {
    args.take();
    // iproute2 accepts `--json` for `-json`.
    const o = w.startsWith('--') ? w.slice(1) : w;
    if (o === '-4') {
      opts.family4 = true;
      continue;
    }
    // matches_color (lib/color.c): `-c`, `-color[=always|auto|never]`; a lab's stdout is never a terminal.
    const eq = o.indexOf('=');
    const colorWord = eq < 0 ? o : o.slice(0, eq);
    if (colorWord.length > 1 && matches(colorWord, '-color') && !matches(colorWord, '-rcvbuf')) {
      const v = eq < 0 ? '' : o.slice(eq + 1);
      if (v === '' || v === 'always') opts.color = true;
      else if (v === 'never' || v === 'auto') delete opts.color;
      else fail(`ip: unknown option "${w}"`);
      continue;
    }
    if (o.length > 1 && matches(o, '-stats') && !matches(o, '-loops')) {
      opts.stats = true;
      statsCount++;
      if (statsCount > 1) opts.statsLevel = statsCount;
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
    } else if (which === 'oneline') opts.oneline = true;
    else opts[which] = true;
  }
  const objWord = args.take();
  if (objWord === undefined) fail('ip: missing object (route, addr, link, neigh, netns)');
  const obj = pick(objWord, IP_OBJECTS);
  if (obj === undefined) fail(`ip: unknown object "${objWord}"`);
  if (obj === null) fail(`ip ${objWord}: not supported in labs`);
  switch (obj) {
    case 'netns':
      if (nOption) fail('ip -n: cannot be used with "ip netns"');
      return parseNetns(args, netns, nested, opts);
    case 'link':
      return { netns, cmd: parseLink(args, opts) };
    case 'addr':
      return { netns, cmd: parseAddr(args, opts) };
    case 'route':
      return { netns, cmd: parseRoute(args, opts) };
    case 'rule':
      return { netns, cmd: parseRule(args, opts) };
    case 'neigh':
      return { netns, cmd: parseNeigh(args, opts) };
  }
}

/** invalidNetnsName is ipnetns.c's invalid_name: empty, longer than NAME_MAX (255 bytes), holding '/', or `.` or `..`. */
export function invalidNetnsName(name: string): boolean {
  return name === '' || new TextEncoder().encode(name).length > 255 || name.includes('/') || name === '.' || name === '..';
}

function parseNetns(args: Args, outer: string | null, nested: NestedParser, ipOpts: IpOptions): Parsed {
  const verb = subcommand<'show' | 'add' | 'del' | 'exec' | 'list-id'>(args, 'ip netns', [
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list-id', 'list-id'],
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
    case 'list-id': {
      // netns_list_id: `target-nsid N` and `nsid N` (get_integer, base 0), each at most once.
      let targetNsid: number | null = null;
      let nsid: number | null = null;
      for (let w = args.take(); w !== undefined; w = args.take()) {
        if (w === 'target-nsid' && targetNsid === null) targetNsid = uint(args.value(w), 'target-nsid', 0x7fffffff);
        else if (w === 'nsid' && nsid === null) nsid = uint(args.value(w), 'nsid', 0x7fffffff);
        else fail(`ip netns list-id: unknown option "${w}"`);
      }
      return { netns: outer, cmd: { kind: 'netns-list-id', opts: ipOpts, targetNsid, nsid } };
    }
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
      // An inner `ip -n OTHER` wins, as it would on a real system, once the outer namespace opened.
      if (parsed.netns !== null && parsed.netns !== ns)
        return { netns: parsed.netns, cmd: { kind: 'netns-exec-outer', outer: ns, cmd: parsed.cmd } };
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
      const { dev, filter } = parseShowFilter(args);
      return { kind: 'link-show', opts, dev, ...(filter !== undefined ? { filter } : {}) };
    }
  }
}

/**
 * parseShowFilter reads the selectors of ipaddr_list_flush_or_save (`ip link|addr show|flush`): `dev DEV`
 * or a bare DEV (once), `up`, `master DEV`, `type KIND`, `label PATTERN`, `to PREFIX`.
 */
function parseShowFilter(args: Args): { dev: string | null; filter: LinkFilter | undefined } {
  let dev: string | null = null;
  const f: { -readonly [K in keyof LinkFilter]: LinkFilter[K] } = {};
  let any = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    any = true;
    if (w === 'up') f.up = true;
    else if (w === 'master') f.master = devName(args.value(w));
    else if (w === 'type') f.type = args.value(w);
    else if (w === 'label') f.label = args.value(w);
    else if (w === 'to') {
      const v = args.value(w);
      f.to = v === 'default' || v === 'all' || v === 'any' ? { addr: 0, len: 0 } : cidr(v);
    } else if (['scope', 'nomaster', 'vrf', 'proto', 'permanent', 'dynamic', 'tentative', 'primary', 'secondary'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      if (dev !== null) fail(`${args.ctx}: either "dev" is duplicate, or "${w}" is a garbage`);
      dev = devName(w === 'dev' ? args.value(w) : w);
    }
  }
  return { dev, filter: any && Object.keys(f).length > 0 ? f : undefined };
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
    else if (w === 'promisc' || w === 'arp') {
      const v = args.value(w);
      if (v !== 'on' && v !== 'off') fail(`Error: argument of "${w}" must be "on" or "off", not "${v}"`);
      ops.push({ op: w, on: v === 'on' });
    } else if (w === 'alias') {
      const v = args.value(w);
      // IFALIASZ is 256 with its terminating NUL.
      if (new TextEncoder().encode(v).length >= 256) fail(`Error: argument "${v}" is wrong: alias too long`);
      ops.push({ op: 'alias', alias: v });
    } else if (dev === null) dev = devName(w === 'dev' ? args.value(w) : w);
    else fail(`ip link set: unknown option "${w}"`);
  }
  if (dev === null) fail('ip link set: missing device');
  if (ops.length === 0) fail('ip link set: nothing to change');
  return { kind: 'link-set', dev, ops };
}

// ip addr ---------------------------------------------------------------------------------------

function parseAddr(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'del' | 'show' | 'replace' | 'flush'>(args, 'ip addr', [
    ['add', 'add'],
    ['change', 'replace'],
    ['replace', 'replace'],
    ['delete', 'del'],
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['flush', 'flush'],
    ['save', null],
    ['showdump', null],
    ['restore', null],
    ['help', null],
  ]);
  if (verb === 'show') {
    const { dev, filter } = parseShowFilter(args);
    return { kind: 'addr-show', opts, dev, ...(filter !== undefined ? { filter } : {}) };
  }
  if (verb === 'flush') {
    const { dev, filter } = parseShowFilter(args);
    return { kind: 'addr-flush', opts, dev, filter: filter ?? {} };
  }
  let local: Cidr | null = null;
  let dev: string | null = null;
  let broadcast: Ipv4 | '+' | '-' | null = null;
  let sc: number | null = null;
  let metric: number | null = null;
  let noprefixroute = false;
  let label: string | null = null;
  let peer: Cidr | null = null;
  let localLen = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'label') label = args.value(w);
    else if (w === 'peer' || w === 'remote') {
      // ipaddr_modify: IFA_ADDRESS is the peer, and the prefix length is the peer's (a bare address is a /32).
      if (peer !== null) fail(`${args.ctx}: duplicate "peer"`);
      peer = cidr(args.value(w));
    } else if (w === 'anycast' || matches(w, 'valid_lft') || matches(w, 'preferred_lft'))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else if (matches(w, 'broadcast') || w === 'brd') {
      const v = args.value(w);
      broadcast = v === '+' || v === '-' ? v : ipv4(v);
    } else if (w === 'scope') sc = scope(args.value(w));
    else if (w === 'dev') dev = devName(args.value(w));
    else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) metric = uint(args.value(w), 'metric', 0xffffffff);
    else if (w === 'noprefixroute') noprefixroute = true;
    else {
      const v = w === 'local' ? args.value(w) : w;
      if (local !== null) fail(`${args.ctx}: unknown option "${w}"`);
      local = cidr(v);
      localLen = v.includes('/');
    }
  }
  if (local === null) fail(`${args.ctx}: missing address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return {
    kind: 'addr-change',
    action: verb,
    cidr: local,
    dev,
    broadcast,
    scope: sc,
    metric,
    noprefixroute,
    ...(label !== null ? { label } : {}),
    ...(peer !== null ? { peer } : {}),
    ...(!localLen ? { bare: true } : {}),
  };
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
  const verb = subcommand<'add' | 'change' | 'replace' | 'prepend' | 'append' | 'del' | 'show' | 'get' | 'flush'>(args, 'ip route', [
    ['add', 'add'],
    ['change', 'change'],
    ['replace', 'replace'],
    ['prepend', 'prepend'],
    ['append', 'append'],
    ['test', null],
    ['delete', 'del'],
    ['list', 'show'],
    ['show', 'show'],
    ['lst', 'show'],
    ['get', 'get'],
    ['flush', 'flush'],
    ['save', null],
    ['restore', null],
    ['showdump', null],
    ['help', null],
  ]);
  switch (verb) {
    case 'show':
      return parseRouteShow(args, opts, false);
    case 'flush':
      return parseRouteShow(args, opts, true);
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
  let table: number | null = null;
  let mtu: number | null = null;
  let mtuLock = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'src') src = ipv4(args.value(w));
    else if (matches(w, 'table')) {
      const t = routeTable(args.value(w));
      if (t === 'all') fail(`${args.ctx}: invalid table "all"`);
      table = t;
    } else if (w === 'mtu') {
      let v = args.value(w);
      if (v === 'lock') {
        mtuLock = true;
        v = args.value(v);
      }
      mtu = uint(v, 'mtu', 0xffffffff);
    } else if (w === 'via') via = ipv4(args.value(w));
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') metric = uint(args.value(w), 'metric', 0xffffffff);
    else if (w === 'scope') sc = scope(args.value(w));
    else if (w === 'onlink') onlink = true;
    else if (matches(w, 'protocol')) pr = proto(args.value(w));
    else if (w === 'dev' || w === 'oif') dev = devName(args.value(w));
    else if (['nexthop', 'nhid', 'encap', 'tos', 'from', 'realm', 'expires'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      let d = w === 'to' ? args.value(w) : w;
      if (!/^[0-9]/.test(d) && ROUTE_TYPES.includes(d)) {
        if (d !== 'unicast' && d !== 'local' && d !== 'blackhole' && d !== 'unreachable' && d !== 'prohibit' && d !== 'throw')
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
  return {
    type,
    dst,
    via,
    dev,
    proto: pr,
    scope: sc,
    src,
    metric,
    onlink,
    ...(table !== null ? { table } : {}),
    ...(mtu !== null ? { mtu, ...(mtuLock ? { mtuLock } : {}) } : {}),
  };
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

/** RT_TYPE_NAMES are the names rtnl_rtntype_a2n reads for `ip route show type T`. */
const RT_TYPE_NAMES: readonly string[] = [
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];

/** parseRouteShow reads the selectors of `ip route show|flush` as iproute_list_flush_or_save does. */
function parseRouteShow(args: Args, opts: IpOptions, flush: boolean): Command {
  let dev: string | null = null;
  let pr: number | null = null;
  let prefix: Cidr | null = null;
  let table: number | 'all' | null = null;
  let sc: number | null = null;
  let type: string | null = null;
  let via: Cidr | null = null;
  let src: Cidr | null = null;
  let root: Cidr | null = null;
  let match: Cidr | null = null;
  let cached = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (flush && (matches(w, 'cached') || matches(w, 'cloned'))) cached = true;
    else if (w === 'dev' || w === 'oif') dev = devName(args.value(w));
    else if (matches(w, 'protocol')) pr = proto(args.value(w));
    else if (matches(w, 'table')) table = routeTable(args.value(w));
    else if (matches(w, 'scope')) {
      const v = args.value(w);
      sc = v === 'all' ? null : scope(v);
    } else if (matches(w, 'type')) {
      const v = args.value(w);
      const t = RT_TYPE_NAMES.find((n) => n === v) ?? (v === 'brd' ? 'broadcast' : undefined);
      if (t === undefined) fail(`${args.ctx}: invalid route type "${v}"`);
      type = t;
    } else if (w === 'via') via = prefixOrDefault(args.value(w));
    else if (w === 'src') src = prefixOrDefault(args.value(w));
    else if (['cached', 'cloned', 'tos', 'dsfield', 'iif', 'metric', 'mark', 'realms', 'from', 'vrf'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      let d = matches(w, 'to') ? args.value(w) : w;
      let kind: 'root' | 'match' | 'exact' = 'exact';
      if (matches(d, 'root')) kind = 'root';
      else if (matches(d, 'match')) kind = 'match';
      if (kind !== 'exact' || matches(d, 'exact')) d = args.value(d);
      if (!/^[0-9]/.test(d) && d !== 'default' && d !== 'any' && d !== 'all') fail(`${args.ctx}: unknown option "${w}"`);
      const p = prefixOrDefault(d);
      if (kind === 'root') root = p;
      else if (kind === 'match') match = p;
      else prefix = p;
    }
  }
  // The selectors beyond table, dev, proto and prefix are present only when given.
  return {
    kind: 'route-show',
    opts,
    table,
    dev,
    proto: pr,
    prefix,
    ...(flush ? { flush } : {}),
    ...(cached ? { cached } : {}),
    ...(sc !== null ? { scope: sc } : {}),
    ...(type !== null ? { type } : {}),
    ...(via !== null ? { via } : {}),
    ...(src !== null ? { src } : {}),
    ...(root !== null ? { root } : {}),
    ...(match !== null ? { match } : {}),
  };
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

/**
 * NUD_NAMES is nud_state_a2n's table: `permanent`, `reachable` and `failed` may be abbreviated, the
 * others are exact. The bit values are those of include/uapi/linux/neighbour.h.
 */
const NUD_BITS: readonly (readonly [string, number, boolean])[] = [
  ['permanent', 0x80, true],
  ['reachable', 0x02, true],
  ['noarp', 0x40, false],
  ['none', 0x00, false],
  ['stale', 0x04, false],
  ['incomplete', 0x01, false],
  ['delay', 0x08, false],
  ['probe', 0x10, false],
  ['failed', 0x20, true],
];

/** nudStateA2n is nud_state_a2n: a state name, or a number that is a single bit below 0x100; null when bad. */
export function nudStateA2n(w: string): number | null {
  for (const [name, bit, abbrev] of NUD_BITS) if (abbrev ? matches(w, name) && w.length > 0 : w === name) return bit;
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(w)) return null;
  const n = Number(/^0[0-7]+$/.test(w) ? `0o${w.slice(1)}` : w);
  return n < 0x100 && (n & (n - 1)) === 0 ? n : null;
}

/** nudFilter reads the `nud STATE` words of `ip neigh show|flush` into do_show_or_flush's state mask. */
function nudFilter(words: readonly string[], flush: boolean): number {
  if (words.length === 0) return flush ? ~(0x80 | 0x40) : 0xff & ~0x40;
  let state = 0;
  for (const w of words) {
    let bit = nudStateA2n(w);
    if (bit === null) {
      if (w !== 'all') fail(`Error: argument "${w}" is wrong: nud state is bad`);
      bit = flush ? ~0x40 : ~0;
    }
    state |= bit === 0 ? 0x100 : bit;
  }
  return state;
}

/** neighStateMask is the state mask of an `ip neigh show|flush` command (do_show_or_flush). */
export function neighStateMask(nud: readonly string[] | undefined, flush: boolean): number {
  return nudFilter(nud ?? [], flush);
}

function parseNeigh(args: Args, opts: IpOptions): Command {
  const verb = subcommand<'add' | 'replace' | 'del' | 'show' | 'change' | 'get' | 'flush'>(args, 'ip neigh', [
    ['add', 'add'],
    ['change', 'change'],
    ['chg', 'change'],
    ['replace', 'replace'],
    ['delete', 'del'],
    ['get', 'get'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list', 'show'],
    ['flush', 'flush'],
    ['help', null],
  ]);
  let addr: Ipv4 | null = null;
  let dev: string | null = null;
  if (verb === 'show' || verb === 'flush') {
    const nud: string[] = [];
    let proxy = false;
    let prefix: Cidr | null = null;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev') {
        if (dev !== null) fail(`${args.ctx}: duplicate "dev"`);
        dev = devName(args.value(w));
      } else if (w === 'nud') {
        nud.push(args.value(w));
        nudFilter(nud, verb === 'flush');
      } else if (w === 'proxy') proxy = true;
      else if (['master', 'vrf', 'unused', 'nomaster'].includes(w) || matches(w, 'protocol'))
        fail(`${args.ctx}: "${w}" is not supported in labs`);
      else {
        const d = w === 'to' ? args.value(w) : w;
        prefix = d === 'all' || d === 'default' || d === 'any' ? { addr: 0, len: 0 } : cidr(d);
      }
    }
    if (verb === 'flush') return { kind: 'neigh-flush', opts, dev, prefix, nud };
    const exact = prefix !== null && prefix.len === 32 ? prefix.addr : null;
    return {
      kind: 'neigh-show',
      opts,
      dev,
      addr: exact,
      ...(nud.length > 0 ? { nud } : {}),
      ...(proxy ? { proxy } : {}),
      ...(prefix !== null && exact === null ? { prefix } : {}),
    };
  }
  if (verb === 'get') {
    let proxy = false;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev') dev = devName(args.value(w));
      else {
        if (matches(w, 'proxy')) proxy = true;
        const d = w === 'to' || matches(w, 'proxy') ? args.value(w) : w;
        if (addr !== null) fail(`${args.ctx}: duplicate address "${d}"`);
        addr = ipv4(d);
      }
    }
    if (addr === null || (dev === null && !proxy)) fail('Device and address are required arguments.');
    if (dev === null) fail(`${args.ctx}: a proxy entry needs "dev"`);
    return { kind: 'neigh-get', opts, addr, dev, proxy };
  }
  let lladdr: Mac | null = null;
  let nud: NudState | null = null;
  let proxy = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (matches(w, 'lladdr')) lladdr = mac(args.value(w));
    else if (w === 'nud') {
      const s = args.value(w);
      if (!(NUD_STATES as readonly string[]).includes(s)) fail(`${args.ctx}: invalid nud state "${s}"`);
      nud = s as NudState;
    } else if (w === 'dev') dev = devName(args.value(w));
    else if (matches(w, 'proxy')) {
      if (addr !== null) fail(`${args.ctx}: duplicate address`);
      proxy = true;
      addr = ipv4(args.value(w));
    } else if (w === 'router' || matches(w, 'extern_learn') || matches(w, 'protocol')) fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (addr !== null) fail(`${args.ctx}: unknown option "${w}"`);
      addr = ipv4(d);
    }
  }
  if (addr === null) fail(`${args.ctx}: missing address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { kind: 'neigh-change', action: verb, addr, lladdr, dev, nud, ...(proxy ? { proxy } : {}) };
}
