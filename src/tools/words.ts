// Words of a command line as the real tools read them: a cursor over argv, iproute2's keyword
// abbreviations (matches()), GNU getopt(3) short options, and the values labs accept (addresses,
// prefixes, MACs, names). A malformed word is a SyntaxFault, which the lab parser turns into calisim's
// own `FILE:LINE:` error before anything runs.

import { parseCidr, parseIpv4, parseMac } from '../model/addr.js';
import type { Cidr, Ipv4, Mac } from '../model/addr.js';
import { RT_PROTOS, RT_SCOPES } from './ast.js';

/** SyntaxFault is thrown inside a parser and becomes a LabError for the line being parsed. */
export class SyntaxFault extends Error {}

/** fail throws a SyntaxFault with `message`. */
export function fail(message: string): never {
  throw new SyntaxFault(message);
}

/** NetnsRecorder collects, for one command line, the indices of the words that name a namespace. */
export interface NetnsRecorder {
  /** offset is the index in the line of the first word being parsed. */
  readonly offset: number;
  readonly indices: number[];
}

/** Args is a cursor over the words of a command; `ctx` names the command in error messages. */
export class Args {
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
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** pick resolves an abbreviation the way iproute2 does: the first table entry it is a prefix of. */
export function pick<T>(word: string, table: readonly (readonly [string, T])[]): T | undefined {
  for (const [kw, v] of table) if (matches(word, kw)) return v;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

export function ipv4(s: string): Ipv4 {
  const a = parseIpv4(s);
  if (a === null) fail(`invalid IPv4 address "${s}"`);
  return a;
}

export function cidr(s: string): Cidr {
  const c = parseCidr(s, true);
  if (c === null) fail(`invalid CIDR "${s}"`);
  return c;
}

/** prefixOrDefault accepts `default` (also `any`, `all`, as iproute2 does) or a CIDR. */
export function prefixOrDefault(s: string): Cidr {
  if (s === 'default' || s === 'any' || s === 'all') return { addr: 0, len: 0 };
  return cidr(s);
}

export function mac(s: string): Mac {
  const m = parseMac(s);
  if (m === null) fail(`invalid MAC "${s}"`);
  return m;
}

export function uint(s: string, what: string, max: number): number {
  if (!/^\d+$/.test(s) || Number(s) > max) fail(`invalid ${what} "${s}"`);
  return Number(s);
}

export function seconds(s: string, what: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) fail(`invalid ${what} "${s}"`);
  return Number(s);
}

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** netnsName checks a namespace name: a plain word, so it can be prefixed and rewritten safely. */
export function netnsName(s: string): string {
  if (!NAME_RE.test(s) || s === '.' || s === '..') fail(`invalid namespace name "${s}"`);
  return s;
}

/** devName checks a device name: one plain word of at most 15 characters (IFNAMSIZ - 1). */
export function devName(s: string): string {
  if (!NAME_RE.test(s) || s.length > 15) fail(`invalid device name "${s}"`);
  return s;
}

function lookupByName(table: ReadonlyMap<number, string>, s: string, what: string, max: number): number {
  for (const [n, name] of table) if (name === s) return n;
  if (/^\d+$/.test(s)) return uint(s, what, max);
  return fail(`invalid ${what} "${s}"`);
}

export function proto(s: string): number {
  return lookupByName(RT_PROTOS, s, 'protocol', 255);
}

export function scope(s: string): number {
  if (s === 'universe') return 0;
  return lookupByName(RT_SCOPES, s, 'scope', 255);
}

// ---------------------------------------------------------------------------------------------
// getopt(3)-style short options, shared by sysctl, ping and curl

/** OptSpec maps a short option letter to whether it takes an argument. */
export type OptSpec = Readonly<Record<string, boolean>>;

/** getopt splits words into options (in order) and operands, permuting as GNU getopt does. */
export function getopt(
  prog: string,
  words: readonly string[],
  spec: OptSpec,
  long: ReadonlyMap<string, string>,
): { opts: [string, string][]; operands: string[] } {
  const opts: [string, string][] = [];
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--') && w.length > 2) {
      const [name, inline] = w.slice(2).split('=', 2) as [string, string | undefined];
      const letter = long.get(name);
      if (letter === undefined) fail(`${prog}: unknown option "--${name}"`);
      if (spec[letter]) {
        const v = inline ?? words[++i];
        if (v === undefined) fail(`${prog}: missing value after "${w}"`);
        opts.push([letter, v]);
      } else opts.push([letter, '']);
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const letter = w[j];
        if (!Object.hasOwn(spec, letter)) fail(`${prog}: unknown option "-${letter}"`);
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

/** subcommand resolves the verb after an ip object; no verb at all means `show`. */
export function subcommand<T extends string>(args: Args, object: string, table: readonly (readonly [string, T | null])[]): T {
  const w = args.take();
  if (w === undefined) return 'show' as T;
  const v = pick(w, table);
  if (v === undefined) fail(`${object}: unknown command "${w}"`);
  if (v === null) fail(`${object} ${w}: not supported in labs`);
  args.ctx = `${object} ${v}`;
  return v;
}
