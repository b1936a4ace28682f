// The lab-script parser: command lines as ip(8), bridge(8), sysctl(8), ping(8), curl(1) and
// route(8) accept them (iproute2 6.1 keyword abbreviations included), turned into cli/lab/ast.ts.
// Only syntax is checked here. Whether a device exists or a gateway is reachable is for the
// kernel (or the simulator) to say at run time, in the real tools' own words.

import { parseCidr, parseIpv4, parseMac } from '../../src/model/addr.js';
import type { Cidr, Ipv4, Mac } from '../../src/model/addr.js';
import {
  INITIAL_NETNS,
  RT_PROTOS,
  RT_SCOPES,
  type Command,
  type IpOptions,
  type Lab,
  type LabLine,
  type LinkSetOp,
  type LinkSpec,
  type NudState,
  type PmtuDisc,
  type RouteSpec,
  type RouteType,
} from './ast.js';

/** LabError is a syntax error: where it is and what is wrong. */
export interface LabError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** ParseResult is a parsed lab or the first syntax error in it. */
export type ParseResult = { ok: true; lab: Lab } | { ok: false; error: LabError };

/** formatLabError prints an error the way compilers do: `FILE:LINE: message`. */
export function formatLabError(e: LabError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

/** SyntaxFault is thrown inside the parser and becomes a LabError for the line being parsed. */
class SyntaxFault extends Error {}

function fail(message: string): never {
  throw new SyntaxFault(message);
}

/** parseLab parses a whole lab; `file` is only used in error messages and `Lab.file`. */
export function parseLab(text: string, file: string): ParseResult {
  const lines: LabLine[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let joined = stripComment(raw[i]);
    // A trailing backslash continues the command on the next line, as in sh(1).
    while (/\\\s*$/.test(joined) && i + 1 < raw.length) {
      joined = joined.replace(/\\\s*$/, ' ') + stripComment(raw[++i]);
    }
    const textOfLine = joined.replace(/\\\s*$/, '').trim().replace(/\s+/g, ' ');
    if (textOfLine === '') continue;
    try {
      const { netns, cmd } = parseCommand(textOfLine.split(' '));
      lines.push({ line: start, text: textOfLine, netns, cmd });
    } catch (e) {
      if (e instanceof SyntaxFault) return { ok: false, error: { file, line: start, message: e.message } };
      throw e;
    }
  }
  return { ok: true, lab: { file, lines } };
}

/** stripComment drops a `#` comment: one that starts the line or follows whitespace, as in sh(1). */
function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** NetnsRecorder collects, for one command line, the indices of the words that name a namespace. */
interface NetnsRecorder {
  /** offset is the index in the line of the first word being parsed. */
  readonly offset: number;
  readonly indices: number[];
}

/**
 * netnsWordIndices returns the indices, in `text.split(' ')`, of the words of a parsed command
 * line that name a namespace (after `ip -n`, `ip netns add|del|exec`, `netns` in `ip link`,
 * `bridge -n`). The kernel runner prefixes exactly those words. `text` must be a LabLine's text.
 */
export function netnsWordIndices(text: string): number[] {
  const rec: NetnsRecorder = { offset: 0, indices: [] };
  parseCommand(text.split(' '), rec);
  return rec.indices;
}

/** Parsed is a command and the namespace it runs in. */
interface Parsed {
  readonly netns: string | null;
  readonly cmd: Command;
}

/** parseCommand parses one command line split into words; `rec` collects its namespace words. */
function parseCommand(words: readonly string[], rec: NetnsRecorder = { offset: 0, indices: [] }): Parsed {
  const [prog, ...rest] = words;
  const args = new Args(rest, prog, rec.offset + 1, rec.indices);
  switch (prog) {
    case 'ip':
      return parseIp(args, null);
    case 'bridge':
      return parseBridge(args);
    case 'sysctl':
      return { netns: null, cmd: parseSysctl(args) };
    case 'cat':
      return { netns: null, cmd: parseCat(args) };
    case 'route':
      return { netns: null, cmd: parseRouteN(args) };
    case 'ping':
      return { netns: null, cmd: parsePing(args) };
    case 'curl':
      return { netns: null, cmd: parseCurl(args) };
    case 'listen':
      return { netns: null, cmd: parseListen(args) };
    case 'capture':
      return { netns: null, cmd: parseCapture(args) };
    case 'captures':
      args.end();
      return { netns: null, cmd: { kind: 'captures' } };
    default:
      return fail(`unknown command "${prog}"`);
  }
}

/** Args is a cursor over the words of a command; `ctx` names the command in error messages. */
class Args {
  private i = 0;
  constructor(
    private readonly words: readonly string[],
    public ctx: string,
    /** offset is the index of `words[0]` in the whole command line. */
    private readonly offset = 0,
    /** netnsWords collects the line indices of words that name a namespace. */
    private readonly netnsWords: number[] = [],
  ) {}

  /** netns takes the namespace name after keyword `kw` and records where it stood. */
  netns(kw: string): string {
    const name = netnsName(this.value(kw));
    this.netnsWords.push(this.offset + this.i - 1);
    return name;
  }

  /** recorder describes the words not yet taken, for parsing a nested command. */
  recorder(): NetnsRecorder {
    return { offset: this.offset + this.i, indices: this.netnsWords };
  }

  /** peek returns the next word without taking it. */
  peek(): string | undefined {
    return this.words[this.i];
  }

  /** take returns the next word, or undefined at the end. */
  take(): string | undefined {
    return this.words[this.i++];
  }

  /** value takes the word after keyword `kw`, failing when there is none. */
  value(kw: string): string {
    const w = this.words[this.i++];
    if (w === undefined) fail(`${this.ctx}: missing value after "${kw}"`);
    return w;
  }

  /** rest returns the remaining words and consumes them. */
  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }

  get atEnd(): boolean {
    return this.i >= this.words.length;
  }

  /** end fails when words are left over. */
  end(): void {
    const w = this.peek();
    if (w !== undefined) fail(`${this.ctx}: unexpected "${w}"`);
  }
}

/** matches is iproute2's matches(): `word` is a non-empty prefix of `keyword`. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** pick resolves an abbreviation the way iproute2 does: the first table entry it is a prefix of. */
function pick<T>(word: string, table: readonly (readonly [string, T])[]): T | undefined {
  for (const [kw, v] of table) if (matches(word, kw)) return v;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

function ipv4(s: string): Ipv4 {
  const a = parseIpv4(s);
  if (a === null) fail(`invalid IPv4 address "${s}"`);
  return a;
}

function cidr(s: string): Cidr {
  const c = parseCidr(s, true);
  if (c === null) fail(`invalid CIDR "${s}"`);
  return c;
}

/** prefixOrDefault accepts `default` (also `any`, `all`, as iproute2 does) or a CIDR. */
function prefixOrDefault(s: string): Cidr {
  if (s === 'default' || s === 'any' || s === 'all') return { addr: 0, len: 0 };
  return cidr(s);
}

function mac(s: string): Mac {
  const m = parseMac(s);
  if (m === null) fail(`invalid MAC "${s}"`);
  return m;
}

function uint(s: string, what: string, max: number): number {
  if (!/^\d+$/.test(s) || Number(s) > max) fail(`invalid ${what} "${s}"`);
  return Number(s);
}

function seconds(s: string, what: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) fail(`invalid ${what} "${s}"`);
  return Number(s);
}

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** netnsName checks a namespace name: a plain word, so it can be prefixed and rewritten safely. */
function netnsName(s: string): string {
  if (!NAME_RE.test(s) || s === '.' || s === '..') fail(`invalid namespace name "${s}"`);
  return s;
}

/** devName checks a device name: one plain word of at most 15 characters (IFNAMSIZ - 1). */
function devName(s: string): string {
  if (!NAME_RE.test(s) || s.length > 15) fail(`invalid device name "${s}"`);
  return s;
}

function lookupByName(table: ReadonlyMap<number, string>, s: string, what: string, max: number): number {
  for (const [n, name] of table) if (name === s) return n;
  if (/^\d+$/.test(s)) return uint(s, what, max);
  return fail(`invalid ${what} "${s}"`);
}

function proto(s: string): number {
  return lookupByName(RT_PROTOS, s, 'protocol', 255);
}

function scope(s: string): number {
  if (s === 'universe') return 0;
  return lookupByName(RT_SCOPES, s, 'scope', 255);
}

// ---------------------------------------------------------------------------------------------
// ip(8)

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

function parseIp(args: Args, outerNetns: string | null): Parsed {
  const opts = { family4: false, json: false, pretty: false, brief: false, details: false, stats: false };
  let netns = outerNetns;
  let nOption = false;
  for (let w = args.peek(); w !== undefined && w.startsWith('-'); w = args.peek()) {
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
      return parseNetns(args, netns);
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

/** subcommand resolves the verb after an ip object; no verb at all means `show`. */
function subcommand<T extends string>(args: Args, object: string, table: readonly (readonly [string, T | null])[]): T {
  const w = args.take();
  if (w === undefined) return 'show' as T;
  const v = pick(w, table);
  if (v === undefined) fail(`${object}: unknown command "${w}"`);
  if (v === null) fail(`${object} ${w}: not supported in labs`);
  args.ctx = `${object} ${v}`;
  return v;
}

function parseNetns(args: Args, outer: string | null): Parsed {
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
      const parsed = parseCommand(inner, rec);
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

function parseLinkAdd(args: Args): Command {
  let name: string | null = null;
  for (;;) {
    const w = args.take();
    if (w === undefined) fail('ip link add: missing "type"');
    if (matches(w, 'type')) break;
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
  return { kind: 'link-add', name, spec };
}

function parseVeth(args: Args): LinkSpec {
  if (args.take() !== 'peer') fail('ip link add: veth needs "peer name NAME"');
  let peer: string | null = null;
  let peerNetns: string | null = null;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'netns') peerNetns = args.netns('netns');
    else if (peer === null) peer = devName(w === 'name' || w === 'dev' ? args.value(w) : w);
    else fail(`ip link add: unknown option "${w}"`);
  }
  if (peer === null) fail('ip link add: veth needs "peer name NAME"');
  return { type: 'veth', peer, peerNetns };
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

function parseLinkSet(args: Args): Command {
  let dev: string | null = null;
  const ops: LinkSetOp[] = [];
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'up' || w === 'down') ops.push({ op: w });
    else if (w === 'name') ops.push({ op: 'name', name: devName(args.value(w)) });
    else if (matches(w, 'address')) ops.push({ op: 'address', mac: mac(args.value(w)) });
    else if (w === 'mtu') ops.push({ op: 'mtu', mtu: uint(args.value(w), 'MTU', 0xffffffff) });
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
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (matches(w, 'broadcast') || w === 'brd') {
      const v = args.value(w);
      broadcast = v === '+' ? '+' : ipv4(v);
    } else if (w === 'scope') sc = scope(args.value(w));
    else if (w === 'dev') dev = devName(args.value(w));
    else {
      const v = w === 'local' ? args.value(w) : w;
      if (local !== null) fail(`${args.ctx}: unknown option "${w}"`);
      local = cidr(v);
    }
  }
  if (local === null) fail(`${args.ctx}: missing address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { kind: 'addr-change', action: verb, cidr: local, dev, broadcast, scope: sc };
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
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference')
      metric = uint(args.value(w), 'metric', 0xffffffff);
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
      if (!/^[0-9]/.test(d) && d !== 'default' && d !== 'any' && d !== 'all')
        fail(`${args.ctx}: unknown option "${d}"`);
      dst = prefixOrDefault(d);
    }
  }
  if (dst === null) fail(`${args.ctx}: missing prefix`);
  return { type, dst, via, dev, proto: pr, scope: sc, src, metric, onlink };
}

function parseRouteShow(args: Args, opts: IpOptions): Command {
  let dev: string | null = null;
  let pr: number | null = null;
  let prefix: Cidr | null = null;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev' || w === 'oif') dev = devName(args.value(w));
    else if (matches(w, 'protocol')) pr = proto(args.value(w));
    else if (['table', 'scope', 'type', 'via', 'src', 'root', 'match', 'cached', 'tos', 'iif', 'metric'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      let d = w === 'to' ? args.value(w) : w;
      if (matches(d, 'exact')) d = args.value(d);
      if (prefix !== null || (!/^[0-9]/.test(d) && d !== 'default' && d !== 'any' && d !== 'all'))
        fail(`${args.ctx}: unknown option "${w}"`);
      prefix = prefixOrDefault(d);
    }
  }
  return { kind: 'route-show', opts, dev, proto: pr, prefix };
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

// ---------------------------------------------------------------------------------------------
// bridge(8)

function parseBridge(args: Args): Parsed {
  let netns: string | null = null;
  for (let w = args.peek(); w !== undefined && w.startsWith('-'); w = args.peek()) {
    args.take();
    const o = w.startsWith('--') ? w.slice(1) : w;
    if (matches(o, '-netns') && o.length > 1) netns = args.netns(w);
    else fail(`bridge: option "${w}" is not supported in labs`);
  }
  const objWord = args.take();
  if (objWord === undefined) fail('bridge: missing object (fdb, link)');
  const obj = pick(objWord, [
    ['link', 'link'],
    ['fdb', 'fdb'],
    ['mdb', null],
    ['vlan', null],
    ['vni', null],
    ['monitor', null],
    ['help', null],
  ] as const);
  if (obj === undefined) fail(`bridge: unknown object "${objWord}"`);
  if (obj === null) fail(`bridge ${objWord}: not supported in labs`);
  if (obj === 'link') {
    subcommand<'show'>(args, 'bridge link', [
      ['show', 'show'],
      ['lst', 'show'],
      ['list', 'show'],
      ['set', null],
      ['help', null],
    ]);
    args.end();
    return { netns, cmd: { kind: 'bridge-link-show' } };
  }
  const verb = subcommand<'add' | 'append' | 'del' | 'show'>(args, 'bridge fdb', [
    ['add', 'add'],
    ['append', 'append'],
    ['replace', null],
    ['delete', 'del'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list', 'show'],
    ['get', null],
    ['flush', null],
    ['help', null],
  ]);
  if (verb === 'show') {
    let dev: string | null = null;
    let br: string | null = null;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev') dev = devName(args.value(w));
      else if (w === 'br') br = devName(args.value(w));
      else fail(`${args.ctx}: unknown option "${w}"`);
    }
    return { netns, cmd: { kind: 'fdb-show', dev, br } };
  }
  let m: Mac | null = null;
  let dev: string | null = null;
  let dst: Ipv4 | null = null;
  let self = false;
  let master = false;
  let permanent = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev') dev = devName(args.value(w));
    else if (w === 'dst') dst = ipv4(args.value(w));
    else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'permanent')) permanent = true;
    else if (['nhid', 'port', 'vni', 'src_vni', 'via', 'local', 'temp', 'static', 'dynamic', 'use', 'sticky', 'vlan'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (m !== null) fail(`${args.ctx}: unknown option "${w}"`);
      m = mac(d);
    }
  }
  if (m === null) fail(`${args.ctx}: missing MAC address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { netns, cmd: { kind: 'fdb-change', action: verb, mac: m, dev, dst, self, master, permanent } };
}

// ---------------------------------------------------------------------------------------------
// getopt(3)-style short options, shared by sysctl, ping and curl

/** OptSpec maps a short option letter to whether it takes an argument. */
type OptSpec = Readonly<Record<string, boolean>>;

/** getopt splits words into options (in order) and operands, permuting as GNU getopt does. */
function getopt(
  prog: string,
  words: readonly string[],
  spec: OptSpec,
  long: Readonly<Record<string, string>>,
): { opts: [string, string][]; operands: string[] } {
  const opts: [string, string][] = [];
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--') && w.length > 2) {
      const [name, inline] = w.slice(2).split('=', 2) as [string, string | undefined];
      const letter = long[name];
      if (letter === undefined) fail(`${prog}: unknown option "--${name}"`);
      if (spec[letter]) {
        const v = inline ?? words[++i];
        if (v === undefined) fail(`${prog}: missing value after "${w}"`);
        opts.push([letter, v]);
      } else opts.push([letter, '']);
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const letter = w[j];
        if (!(letter in spec)) fail(`${prog}: unknown option "-${letter}"`);
        if (spec[letter]) {
          const v = j + 1 < w.length ? w.slice(j + 1) : words[++i];
          if (v === undefined) fail(`${prog}: missing value after "-${letter}"`);
          opts.push([letter, v]);
          break;
        }
        opts.push([letter, '']);
      }
    } else operands.push(w);
  }
  return { opts, operands };
}

// sysctl(8) -------------------------------------------------------------------------------------

function parseSysctl(args: Args): Command {
  const { opts, operands } = getopt('sysctl', args.rest(), { q: false, w: false, n: false }, {
    quiet: 'q',
    write: 'w',
    values: 'n',
  });
  const has = (l: string): boolean => opts.some(([o]) => o === l);
  if (operands.length === 0) fail('sysctl: missing KEY or KEY=VALUE');
  // procps writes every argument holding '=', with or without -w.
  const write = has('w') || operands.some((o) => o.includes('='));
  for (const o of operands) if (!/^[A-Za-z0-9_./-]+(=.*)?$/.test(o)) fail(`sysctl: invalid key "${o}"`);
  if (!write) return { kind: 'sysctl-read', valuesOnly: has('n'), keys: operands };
  const assignments = operands.map((o) => {
    const eq = o.indexOf('=');
    if (eq <= 0) fail(`sysctl: "${o}" must be of the form name=value`);
    return { key: o.slice(0, eq), value: o.slice(eq + 1) };
  });
  return { kind: 'sysctl-write', quiet: has('q'), assignments };
}

// cat(1) ----------------------------------------------------------------------------------------

function parseCat(args: Args): Command {
  const path = args.take();
  if (path === undefined) fail('cat: missing file');
  args.end();
  if (!/^\/proc\/sys\/[A-Za-z0-9_./-]+$/.test(path) || path.includes('..'))
    fail(`cat: only /proc/sys/ files can be read in labs, not "${path}"`);
  return { kind: 'cat', path };
}

// route(8) --------------------------------------------------------------------------------------

function parseRouteN(args: Args): Command {
  const w = args.take();
  if (w !== '-n') fail('route: only "route -n" is supported in labs');
  args.end();
  return { kind: 'route-n' };
}

// ping(8) ---------------------------------------------------------------------------------------

function parsePing(args: Args): Command {
  const { opts, operands } = getopt(
    'ping',
    args.rest(),
    { c: true, W: true, w: true, t: true, s: true, M: true, i: true, I: true, q: false, n: false },
    {},
  );
  let count: number | null = null;
  let deadline: number | null = null;
  let timeout: number | null = null;
  let ttl: number | null = null;
  let size: number | null = null;
  let pmtudisc: PmtuDisc | null = null;
  let interval: number | null = null;
  let iface: string | null = null;
  let quiet = false;
  for (const [o, v] of opts) {
    switch (o) {
      case 'c':
        count = uint(v, 'count', 0x7fffffff);
        if (count === 0) fail('ping: invalid count "0"');
        break;
      case 'w':
        deadline = seconds(v, 'deadline');
        break;
      case 'W':
        timeout = seconds(v, 'timeout');
        break;
      case 't':
        ttl = uint(v, 'TTL', 255);
        break;
      case 's':
        size = uint(v, 'packet size', 65507);
        break;
      case 'M':
        if (v !== 'do' && v !== 'dont' && v !== 'want' && v !== 'probe') fail(`ping: invalid -M argument "${v}"`);
        pmtudisc = v;
        break;
      case 'i':
        interval = seconds(v, 'interval');
        break;
      case 'I':
        iface = v;
        break;
      case 'q':
        quiet = true;
        break;
    }
  }
  if (operands.length === 0) fail('ping: missing destination');
  if (operands.length > 1) fail(`ping: unexpected "${operands[1]}"`);
  if (count === null && deadline === null) fail('ping: needs -c N or -w SECS in labs (it would never end)');
  return { kind: 'ping', dest: ipv4(operands[0]), count, deadline, timeout, ttl, size, pmtudisc, interval, iface, quiet };
}

// curl(1) ---------------------------------------------------------------------------------------

function parseCurl(args: Args): Command {
  const { opts, operands } = getopt(
    'curl',
    args.rest(),
    { s: false, S: false, m: true },
    { silent: 's', 'show-error': 'S', 'max-time': 'm' },
  );
  let silent = false;
  let showError = false;
  let maxTime: number | null = null;
  for (const [o, v] of opts) {
    if (o === 's') silent = true;
    else if (o === 'S') showError = true;
    else maxTime = seconds(v, 'max time');
  }
  if (operands.length === 0) fail('curl: missing URL');
  if (operands.length > 1) fail(`curl: only one URL is supported in labs, got "${operands[1]}"`);
  const url = operands[0];
  const m = /^(?:http:\/\/)?([0-9.]+)(?::(\d+))?(\/\S*)?$/.exec(url);
  if (!m) fail(`curl: invalid URL "${url}" (labs use http://ADDR[:PORT][/PATH])`);
  const host = ipv4(m[1]);
  const port = m[2] === undefined ? 80 : uint(m[2], 'port', 65535);
  if (port === 0) fail('curl: invalid port "0"');
  return { kind: 'curl', url, host, port, path: m[3] ?? '/', silent, showError, maxTime };
}

// Directives ------------------------------------------------------------------------------------

/** directiveNetns reads a directive's namespace: `-` is the lab's initial namespace. */
function directiveNetns(args: Args): string | null {
  const ns = args.take();
  if (ns === undefined) fail(`${args.ctx}: missing namespace (a name, or "${INITIAL_NETNS}" for the initial one)`);
  return ns === INITIAL_NETNS ? null : netnsName(ns);
}

function parseListen(args: Args): Command {
  const netns = directiveNetns(args);
  const p = args.take();
  if (p === undefined) fail('listen: missing port');
  const port = uint(p, 'port', 65535);
  if (port === 0) fail('listen: invalid port "0"');
  args.end();
  return { kind: 'listen', netns, port };
}

function parseCapture(args: Args): Command {
  const netns = directiveNetns(args);
  const iface = args.take();
  if (iface === undefined) fail('capture: missing interface');
  args.end();
  return { kind: 'capture', netns, iface: devName(iface) };
}
