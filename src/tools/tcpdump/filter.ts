// Capture filters: the part of pcap-filter(7) labs use, parsed as libpcap 1.10's grammar.y reads it
// (qualifiers `[proto] [dir] [type] id`, an `and`/`or` followed by a bare id inheriting the last
// qualifiers, `not` and `!`, parentheses; `and` and `or` of equal precedence, left to right) and
// matched as gencode.c's programs match an Ethernet frame (gen_host, gen_hostop, gen_port,
// gen_portop, gen_proto_abbrev, gen_ehostop). The words labs may use are
// `host net port src dst ether ip ip6 arp rarp tcp udp icmp and or not`, `&& || ! ( )`, dotted
// IPv4 addresses, CIDR prefixes, MACs and numbers: anything else is calisim's own syntax error.
// A malformed expression of those words is tcpdump's own error at run time, worded as tcpdump 4.99
// with libpcap 1.10 prints it.

import { parseIpv4, parseMac } from '../../model/addr.js';
import { fail } from '../words.js';

/** Dir is a direction qualifier: `src`, `dst`, `src or dst` (and no qualifier), `src and dst`. */
export type Dir = 'src' | 'dst' | 'or' | 'and';

/** FilterExpr is a parsed filter expression. */
export type FilterExpr =
  | { readonly op: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly op: 'not'; readonly arg: FilterExpr }
  /** host is `[ip|arp|rarp] [dir] host|net ADDR[/LEN]`: the IPv4 or ARP/RARP protocol addresses under `mask`. */
  | { readonly op: 'host'; readonly proto: 'any' | 'ip' | 'arp' | 'rarp'; readonly dir: Dir; readonly addr: number; readonly mask: number }
  /** port is `[tcp|udp] [dir] port N` of an IPv4 datagram that is not a later fragment. */
  | { readonly op: 'port'; readonly proto: 'any' | 'tcp' | 'udp'; readonly dir: Dir; readonly port: number }
  /** ehost is `ether [dir] host MAC`. */
  | { readonly op: 'ehost'; readonly dir: Dir; readonly mac: string }
  /** proto is a protocol alone: `ip`, `ip6`, `arp`, `rarp` (the EtherType), `tcp`, `udp`, `icmp` (the IP protocol). */
  | { readonly op: 'proto'; readonly name: ProtoName };

type ProtoName = 'ip' | 'ip6' | 'arp' | 'rarp' | 'tcp' | 'udp' | 'icmp';

/** ParsedFilter is a filter ready to match, or the error tcpdump prints for it (status 1). */
export type ParsedFilter = { readonly ok: true; readonly expr: FilterExpr } | { readonly ok: false; readonly error: string };

/** SYNTAX_ERROR is what tcpdump prints for an expression its grammar rejects. */
const SYNTAX_ERROR = "tcpdump: can't parse filter expression: syntax error";

type PQual = 'default' | 'ether' | ProtoName;
type AQual = 'default' | 'host' | 'net' | 'port';

/** Qual is the qualifiers an id is read with (struct qual). */
interface Qual {
  readonly proto: PQual;
  readonly dir: Dir | 'default';
  readonly addr: AQual;
}

/** QERR marks the qualifiers of a protocol alone: an id after it cannot inherit them. */
const QERR = null;

type Token =
  | { readonly t: 'kw'; readonly v: string }
  | { readonly t: 'hid'; readonly v: number; readonly text: string }
  | { readonly t: 'cidr'; readonly v: number; readonly len: number; readonly text: string }
  | { readonly t: 'eid'; readonly v: string }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'sym'; readonly v: '(' | ')' | '!' | 'and' | 'or' };

const KEYWORDS = new Set(['host', 'net', 'port', 'src', 'dst', 'ether', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'not']);
const PNAMES = new Set<string>(['ether', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp']);

/** lex splits an expression as libpcap's scanner does; a word it cannot name is calisim's syntax error. */
function lex(text: string): Token[] {
  const out: Token[] = [];
  const re = /&&|\|\||[()!]|[^\s()!&|]+|[&|]/g;
  for (const m of text.matchAll(re)) {
    const w = m[0];
    if (w === '(' || w === ')' || w === '!') out.push({ t: 'sym', v: w });
    else if (w === '&&' || w === 'and') out.push({ t: 'sym', v: 'and' });
    else if (w === '||' || w === 'or') out.push({ t: 'sym', v: 'or' });
    else if (KEYWORDS.has(w)) out.push({ t: 'kw', v: w });
    else if (/^\d+$/.test(w)) out.push({ t: 'num', v: Number(w) });
    else if (/^\d+\.\d+\.\d+\.\d+$/.test(w) && parseIpv4(w) !== null) out.push({ t: 'hid', v: parseIpv4(w)!, text: w });
    else if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(w) && parseIpv4(w.split('/')[0]) !== null) {
      const [a, l] = w.split('/');
      out.push({ t: 'cidr', v: parseIpv4(a)!, len: Number(l), text: w });
    } else if (parseMac(w) !== null) out.push({ t: 'eid', v: parseMac(w)! });
    else fail(`tcpdump: filter word "${w}" is not supported in labs`);
  }
  return out;
}

/** FilterError is a parse failure with the line tcpdump prints. */
class FilterError {
  constructor(readonly message: string) {}
}

/** Parser is a recursive-descent reading of grammar.y's productions for the supported words. */
class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private isSym(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'sym' && t.v === v;
  }

  private syntax(): never {
    throw new FilterError(SYNTAX_ERROR);
  }

  /** prog is `null expr`. */
  prog(): FilterExpr {
    const { b } = this.expr(QERR);
    if (this.i < this.toks.length) this.syntax();
    return b;
  }

  /** expr is `term | expr and term | expr and id | expr or term | expr or id`. */
  private expr(inherited: Qual | null): { b: FilterExpr; q: Qual | null } {
    let left = this.term(inherited);
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.t !== 'sym' || (t.v !== 'and' && t.v !== 'or')) return left;
      this.i++;
      const op = t.v;
      const right = this.startsId() ? this.id(left.q) : this.term(left.q);
      left = { b: { op, left: left.b, right: right.b }, q: right.q };
    }
  }

  /** startsId says whether an id follows (an address, a number, or `not`/`!` before one). */
  private startsId(): boolean {
    for (let j = this.i; j < this.toks.length; j++) {
      const t = this.toks[j];
      if ((t.t === 'kw' && t.v === 'not') || (t.t === 'sym' && t.v === '!')) continue;
      return t.t === 'hid' || t.t === 'cidr' || t.t === 'eid' || t.t === 'num';
    }
    return false;
  }

  /** term is `rterm | not term`. */
  private term(inherited: Qual | null): { b: FilterExpr; q: Qual | null } {
    const t = this.peek();
    if (t !== undefined && ((t.t === 'kw' && t.v === 'not') || (t.t === 'sym' && t.v === '!'))) {
      this.i++;
      const r = this.term(inherited);
      return { b: { op: 'not', arg: r.b }, q: r.q };
    }
    return this.rterm(inherited);
  }

  /** rterm is `head id | ( expr ) | pname`. */
  private rterm(inherited: Qual | null): { b: FilterExpr; q: Qual | null } {
    if (this.isSym('(')) {
      this.i++;
      const e = this.expr(inherited);
      if (!this.isSym(')')) this.syntax();
      this.i++;
      return { b: e.b, q: inherited };
    }
    // head: pqual dqual aqual, any of which may be missing, but not all of them unless pname alone.
    let proto: PQual = 'default';
    let dir: Dir | 'default' = 'default';
    let addr: AQual = 'default';
    let t = this.peek();
    if (t !== undefined && t.t === 'kw' && PNAMES.has(t.v)) {
      proto = t.v as PQual;
      this.i++;
      t = this.peek();
    }
    if (t !== undefined && t.t === 'kw' && (t.v === 'src' || t.v === 'dst')) {
      this.i++;
      dir = t.v;
      const n = this.peek();
      const after = this.toks[this.i + 1];
      const other = t.v === 'src' ? 'dst' : 'src';
      if (n !== undefined && n.t === 'sym' && (n.v === 'or' || n.v === 'and') && after?.t === 'kw' && after.v === other) {
        dir = n.v;
        this.i += 2;
      }
      t = this.peek();
    }
    if (t !== undefined && t.t === 'kw' && (t.v === 'host' || t.v === 'net' || t.v === 'port')) {
      addr = t.v;
      this.i++;
    }
    if (dir === 'default' && addr === 'default') {
      // An id with no qualifiers of its own inherits them (`host A and (B or C)`).
      if (proto === 'default' && inherited !== null && this.startsId()) return this.id(inherited);
      if (proto === 'default') this.syntax();
      // pname alone.
      return { b: protoAbbrev(proto), q: QERR };
    }
    const q: Qual = { proto, dir, addr };
    return this.id(q);
  }

  /** id is `nid | pnum | not id`, read with the qualifiers `q` it inherits. */
  private id(q: Qual | null): { b: FilterExpr; q: Qual | null } {
    const t = this.peek();
    if (t === undefined) this.syntax();
    if ((t.t === 'kw' && t.v === 'not') || (t.t === 'sym' && t.v === '!')) {
      this.i++;
      const r = this.id(q);
      return { b: { op: 'not', arg: r.b }, q: r.q };
    }
    if (t.t !== 'hid' && t.t !== 'cidr' && t.t !== 'eid' && t.t !== 'num') this.syntax();
    this.i++;
    if (q === null) this.syntax();
    return { b: genCode(t, q), q };
  }
}

/** protoAbbrev is gen_proto_abbrev for a protocol alone. */
function protoAbbrev(p: PQual): FilterExpr {
  if (p === 'ether') throw new FilterError('tcpdump: link layer applied in wrong context');
  return { op: 'proto', name: p as ProtoName };
}

/** hostProto maps a protocol qualifier of an address to gen_host's protocols, or throws gencode's error. */
function hostProto(q: Qual): 'any' | 'ip' | 'arp' | 'rarp' {
  switch (q.proto) {
    case 'default':
      return 'any';
    case 'ip':
    case 'arp':
    case 'rarp':
      return q.proto;
    case 'ether':
      throw new FilterError('tcpdump: illegal link layer address');
    default:
      throw new FilterError(`tcpdump: '${q.proto}' modifier applied to ${q.addr === 'net' ? 'net' : 'host'}`);
  }
}

/** genCode is gen_ncode / gen_mcode / gen_ecode for one id under its qualifiers. */
function genCode(t: Token, q: Qual): FilterExpr {
  const dir: Dir = q.dir === 'default' ? 'or' : q.dir;
  switch (t.t) {
    case 'hid':
      if (q.addr === 'port') throw new FilterError("tcpdump: 'port' modifier applied to ip host");
      return { op: 'host', proto: hostProto(q), dir, addr: t.v, mask: 0xffffffff };
    case 'cidr': {
      if (q.addr === 'port') throw new FilterError("tcpdump: 'port' modifier applied to ip host");
      if (t.len > 32) throw new FilterError('tcpdump: mask length must be <= 32');
      const mask = t.len === 0 ? 0 : (0xffffffff << (32 - t.len)) >>> 0;
      if ((t.v & ~mask) >>> 0 !== 0) throw new FilterError(`tcpdump: non-network bits set in "${t.text}"`);
      return { op: 'host', proto: hostProto(q), dir, addr: t.v, mask };
    }
    case 'eid':
      if (q.proto !== 'ether' || q.addr === 'net' || q.addr === 'port')
        throw new FilterError('tcpdump: ethernet address used in non-ether expression');
      return { op: 'ehost', dir, mac: t.v };
    case 'num': {
      if (q.addr !== 'port') fail('tcpdump: a number is only supported after "port" in labs');
      if (q.proto !== 'default' && q.proto !== 'tcp' && q.proto !== 'udp') throw new FilterError("tcpdump: illegal qualifier of 'port'");
      if (t.v > 65535) throw new FilterError(`tcpdump: illegal port number ${t.v} > 65535`);
      return { op: 'port', proto: q.proto === 'default' ? 'any' : q.proto, dir, port: t.v };
    }
    default:
      throw new FilterError(SYNTAX_ERROR);
  }
}

/**
 * parseFilter reads a filter expression from the words after tcpdump's options (joined with spaces,
 * as tcpdump's copy_argv does). Words outside the supported set are a SyntaxFault (calisim's own
 * error); a malformed expression of supported words is tcpdump's error, returned for run time.
 */
export function parseFilter(words: readonly string[]): ParsedFilter {
  const toks = lex(words.join(' '));
  try {
    return { ok: true, expr: new Parser(toks).prog() };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Matching an Ethernet frame

const ETH_IP = 0x0800;
const ETH_ARP = 0x0806;
const ETH_RARP = 0x8035;
const ETH_IP6 = 0x86dd;

function u16(f: Uint8Array, at: number): number | null {
  return at + 2 <= f.length ? (f[at] << 8) | f[at + 1] : null;
}

function u32(f: Uint8Array, at: number): number | null {
  return at + 4 <= f.length ? ((f[at] << 24) | (f[at + 1] << 16) | (f[at + 2] << 8) | f[at + 3]) >>> 0 : null;
}

/** dirMatch combines the source and destination tests as the direction asks. */
function dirMatch(dir: Dir, src: () => boolean, dst: () => boolean): boolean {
  switch (dir) {
    case 'src':
      return src();
    case 'dst':
      return dst();
    case 'and':
      return src() && dst();
    case 'or':
      return src() || dst();
  }
}

/** addrAt tests a 32-bit address field under a mask; a field past the capture fails (BPF returns 0). */
function addrAt(f: Uint8Array, at: number, addr: number, mask: number): boolean {
  const v = u32(f, at);
  return v !== null && (v & mask) >>> 0 === (addr & mask) >>> 0;
}

/** ipProto is the protocol of an IPv4 frame, or null for any other frame. */
function ipProto(f: Uint8Array): number | null {
  return u16(f, 12) === ETH_IP && f.length > 23 ? f[23] : null;
}

function matchPort(f: Uint8Array, proto: 'any' | 'tcp' | 'udp', dir: Dir, port: number): boolean {
  const p = ipProto(f);
  if (p === null) return false;
  const ok = proto === 'any' ? p === 6 || p === 17 || p === 132 : p === (proto === 'tcp' ? 6 : 17);
  if (!ok) return false;
  // gen_ipfrag: not a later fragment.
  const frag = u16(f, 20);
  if (frag === null || (frag & 0x1fff) !== 0) return false;
  const hl = (f[14] & 0x0f) * 4;
  return dirMatch(
    dir,
    () => u16(f, 14 + hl) === port,
    () => u16(f, 14 + hl + 2) === port,
  );
}

function matchHost(f: Uint8Array, e: Extract<FilterExpr, { op: 'host' }>): boolean {
  const type = u16(f, 12);
  const test = (src: number, dst: number): boolean =>
    dirMatch(
      e.dir,
      () => addrAt(f, src, e.addr, e.mask),
      () => addrAt(f, dst, e.addr, e.mask),
    );
  if ((e.proto === 'any' || e.proto === 'ip') && type === ETH_IP && test(26, 30)) return true;
  if ((e.proto === 'any' || e.proto === 'arp') && type === ETH_ARP && test(28, 38)) return true;
  if ((e.proto === 'any' || e.proto === 'rarp') && type === ETH_RARP && test(28, 38)) return true;
  return false;
}

function macAt(f: Uint8Array, at: number): string | null {
  if (at + 6 > f.length) return null;
  return Array.from(f.subarray(at, at + 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** filterMatches says whether a captured Ethernet frame passes the filter. */
export function filterMatches(e: FilterExpr, f: Uint8Array): boolean {
  switch (e.op) {
    case 'and':
      return filterMatches(e.left, f) && filterMatches(e.right, f);
    case 'or':
      return filterMatches(e.left, f) || filterMatches(e.right, f);
    case 'not':
      return !filterMatches(e.arg, f);
    case 'host':
      return matchHost(f, e);
    case 'port':
      return matchPort(f, e.proto, e.dir, e.port);
    case 'ehost':
      return dirMatch(
        e.dir,
        () => macAt(f, 6) === e.mac,
        () => macAt(f, 0) === e.mac,
      );
    case 'proto':
      switch (e.name) {
        case 'ip':
          return u16(f, 12) === ETH_IP;
        case 'ip6':
          return u16(f, 12) === ETH_IP6;
        case 'arp':
          return u16(f, 12) === ETH_ARP;
        case 'rarp':
          return u16(f, 12) === ETH_RARP;
        case 'tcp':
          return ipProto(f) === 6;
        case 'udp':
          return ipProto(f) === 17;
        case 'icmp':
          return ipProto(f) === 1;
      }
  }
}
