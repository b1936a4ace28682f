// YAML as calicoctl reads it: gopkg.in/yaml.v2 (resolve.go) resolves plain scalars, then
// projectcalico/go-yaml-wrapper (yaml.go convertToJSONableObject) turns the tree into JSON for Go's
// encoding/json. The `yaml` package parses the text (with its LineCounter, so every node keeps its line);
// scalars are resolved here the way yaml.v2 resolves them, not by the package's YAML 1.2 schema
// (`yes` and `on` are booleans, `0x1f` and `017` are integers, base-60 numbers are strings).

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

/** GoScalarKind is the tag yaml.v2 resolves a scalar to. */
export type GoScalarKind = 'null' | 'bool' | 'int' | 'float' | 'str' | 'timestamp';

/** YScalar is a resolved scalar. `text` is the scalar's content as written (without quotes). */
export interface YScalar {
  readonly kind: 'scalar';
  readonly goKind: GoScalarKind;
  readonly value: null | boolean | number | string;
  readonly text: string;
  readonly offset: number;
}

/** YSeq is a sequence node. */
export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly offset: number;
}

/** YEntry is one mapping entry; `key` is the key as go-yaml-wrapper turns it into a JSON key. */
export interface YEntry {
  readonly key: string;
  readonly keyOffset: number;
  readonly value: YNode;
}

/** YMap is a mapping node, entries in source order. */
export interface YMap {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
  readonly offset: number;
}

/** YNode is a YAML node after scalar resolution. */
export type YNode = YScalar | YSeq | YMap;

/** YDocument is one document of a stream: its root (null when empty) or the problems that stopped it. */
export interface YDocument {
  readonly root: YNode | null;
  readonly offset: number;
  readonly errors: readonly YProblem[];
}

/** YProblem is a syntax or structure error at a source offset. */
export interface YProblem {
  readonly offset: number;
  readonly message: string;
}

/** YStream is a parsed multi-document text with the means to turn offsets into line numbers. */
export interface YStream {
  readonly documents: readonly YDocument[];
  readonly lineOf: (offset: number) => number;
}

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TAG_PREFIX = 'tag:yaml.org,2002:';

/** parseGoInt is strconv.ParseInt(s, 0, 64) (and ParseUint): sign, then 0x / 0o / 0b / 0 prefixes. */
export function parseGoInt(s: string): number | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  const body = m[2];
  let v: bigint;
  if (/^0[xXoObB]/.test(body)) v = BigInt(body.replace(/^0([XOB])/, (_, c: string) => `0${c.toLowerCase()}`));
  else if (body.length > 1 && body[0] === '0') v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  v *= sign;
  if (v < -(2n ** 63n) || v >= 2n ** 64n) return null;
  return Number(v);
}

function parseTimestampLike(s: string): boolean {
  // yaml.v2 parseTimestamp: YYYY- then one of its allowed layouts.
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)
  );
}

/**
 * resolveGoScalar resolves a scalar as yaml.v2 resolve() does. `tag` is the explicit tag (`''` when
 * none, `!!str` for quoted scalars); an explicit tag that does not fit the text is yaml.v2's error
 * `cannot decode !!str \`x\` as a !!int`.
 */
export function resolveGoScalar(
  tag: string,
  text: string,
): { kind: GoScalarKind; value: null | boolean | number | string } | { error: string } {
  if (tag === '!!str' || tag === '!!binary') return { kind: 'str', value: text };
  const resolvable = tag === '' || ['!!bool', '!!int', '!!float', '!!null', '!!timestamp'].includes(tag);
  if (!resolvable) return { kind: 'str', value: text };
  const r = resolvePlain(text, tag);
  if (tag === '' || tag === `!!${r.kind}`) return r;
  if (tag === '!!float' && r.kind === 'int') return { kind: 'float', value: r.value };
  return { error: `cannot decode !!${r.kind} \`${text}\` as a ${tag}` };
}

function resolvePlain(text: string, tag: string): { kind: GoScalarKind; value: null | boolean | number | string } {
  if (BOOL_TRUE.has(text)) return { kind: 'bool', value: true };
  if (BOOL_FALSE.has(text)) return { kind: 'bool', value: false };
  if (NULLS.has(text)) return { kind: 'null', value: null };
  if (['.nan', '.NaN', '.NAN'].includes(text)) return { kind: 'float', value: NaN };
  if (['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].includes(text)) return { kind: 'float', value: Infinity };
  if (['-.inf', '-.Inf', '-.INF'].includes(text)) return { kind: 'float', value: -Infinity };
  const c = text[0];
  if (c === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return { kind: 'float', value: Number(text) };
    return { kind: 'str', value: text };
  }
  if ((c >= '0' && c <= '9') || c === '+' || c === '-') {
    if ((tag === '' || tag === '!!timestamp') && parseTimestampLike(text)) return { kind: 'timestamp', value: text };
    const plain = text.replaceAll('_', '');
    const i = parseGoInt(plain);
    if (i !== null) return { kind: 'int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) return { kind: 'float', value: Number(plain) };
  }
  return { kind: 'str', value: text };
}

/**
 * goFormatFloat is strconv.FormatFloat(f, 'g', -1, 64), how go-yaml-wrapper turns a YAML float into a
 * string field or map key: the shortest digits that round-trip, in exponent form (`1e+06`, two-digit
 * exponent at least) when the decimal exponent is below -4 or at least 6.
 */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const digits = mant.replace('-', '').replace('.', '').length;
  return f.toFixed(Math.max(digits - 1 - exp, 0));
}

/** goJsonNumber is how encoding/json writes a float64 (and so how Go's errors quote it): as JavaScript does. */
export function goJsonNumber(f: number): string {
  return String(f);
}

/** goKeyString is go-yaml-wrapper's conversion of a non-string map key into a JSON key. */
function goKeyString(s: YScalar): string | null {
  switch (s.goKind) {
    case 'str':
    case 'timestamp':
      return s.text;
    case 'int':
      return String(s.value);
    case 'bool':
      return s.value ? 'true' : 'false';
    case 'float': {
      const t = goFormatFloat(s.value as number);
      return t === '+Inf' ? '.inf' : t === '-Inf' ? '-.inf' : t === 'NaN' ? '.nan' : t;
    }
    case 'null':
      return null;
  }
}

class Converter {
  readonly problems: YProblem[] = [];
  constructor(private readonly doc: Document) {}

  node(n: unknown, depth: number): YNode | null {
    if (depth > 200) {
      this.problems.push({ offset: 0, message: 'document nests too deeply (alias loop?)' });
      return null;
    }
    if (isAlias(n)) {
      const target = n.resolve(this.doc);
      if (target === undefined) {
        this.problems.push({ offset: n.range?.[0] ?? 0, message: `unknown anchor "${n.source}"` });
        return null;
      }
      return this.node(target, depth + 1);
    }
    if (isScalar(n)) return this.scalar(n);
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const it of n.items) {
        const c = this.node(it, depth + 1);
        if (c) items.push(c);
      }
      return { kind: 'seq', items, offset: (n as Node).range?.[0] ?? 0 };
    }
    if (isMap(n)) {
      const entries: YEntry[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = isAlias(pair.key) ? pair.key.resolve(this.doc) : pair.key;
        const keyOffset = (pair.key as Node | null)?.range?.[0] ?? (n as Node).range?.[0] ?? 0;
        if (!isScalar(keyNode)) {
          this.problems.push({ offset: keyOffset, message: 'mapping keys must be scalars' });
          continue;
        }
        const k = this.scalar(keyNode);
        if (!k) continue;
        const key = goKeyString(k);
        if (key === null) {
          this.problems.push({ offset: keyOffset, message: 'Unsupported map key of type: <nil>' });
          continue;
        }
        const valueNode = pair.value;
        let value: YNode | null;
        if (valueNode === null || valueNode === undefined) {
          value = { kind: 'scalar', goKind: 'null', value: null, text: '', offset: keyOffset };
        } else {
          value = this.node(valueNode, depth + 1);
        }
        if (value) entries.push({ key, keyOffset, value });
      }
      return { kind: 'map', entries, offset: (n as Node).range?.[0] ?? 0 };
    }
    return null;
  }

  scalar(n: { value: unknown; type?: string; tag?: string; range?: [number, number, number] | null }): YScalar | null {
    const text = String(n.value ?? '');
    const offset = n.range?.[0] ?? 0;
    const quoted = n.type !== undefined && n.type !== 'PLAIN';
    let tag = '';
    if (n.tag) tag = n.tag.startsWith(TAG_PREFIX) ? `!!${n.tag.slice(TAG_PREFIX.length)}` : n.tag;
    else if (quoted) tag = '!!str';
    const r = resolveGoScalar(tag, text);
    if ('error' in r) {
      this.problems.push({ offset, message: r.error });
      return null;
    }
    return { kind: 'scalar', goKind: r.kind, value: r.value, text, offset };
  }
}

/**
 * parseGoYamlStream parses a multi-document YAML text. Syntax errors come from the `yaml` package
 * (first line of its message); duplicate keys are left to the decoder, which reports them per field.
 */
export function parseGoYamlStream(text: string): YStream {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const documents: YDocument[] = [];
  for (const d of docs) {
    const offset = d.range?.[0] ?? 0;
    if (d.errors.length > 0) {
      documents.push({ root: null, offset, errors: d.errors.map((e) => ({ offset: e.pos[0], message: e.message.split('\n')[0] })) });
      continue;
    }
    const conv = new Converter(d);
    const root = d.contents === null ? null : conv.node(d.contents, 0);
    const isEmpty = root === null || (root.kind === 'scalar' && root.goKind === 'null');
    documents.push({ root: isEmpty ? null : root, offset: root?.offset ?? offset, errors: conv.problems });
  }
  return { documents, lineOf: (offset: number) => lineCounter.linePos(offset).line };
}

/**
 * escapeForMessage echoes a user value in a one-line message: control characters, DEL and backslash
 * escaped as `ls -b` escapes them (`\n`, `\t`, `\177`, `\\`), and anything past 256 characters cut with `…`.
 */
export function escapeForMessage(s: string): string {
  const chars = Array.from(s);
  const cut = chars.length > 256;
  let out = '';
  for (const ch of cut ? chars.slice(0, 256) : chars) out += escapeChar(ch);
  return cut ? `${out}…` : out;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\\': '\\\\',
};

function escapeChar(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) {
    return Array.from(Buffer.from(ch, 'utf8'))
      .map((b) => `\\${b.toString(8).padStart(3, '0')}`)
      .join('');
  }
  return ch;
}

/** quoteForMessage puts an echoed value in double quotes, escaped as escapeForMessage does. */
export function quoteForMessage(s: string): string {
  return `"${escapeForMessage(s).replaceAll('"', '\\"')}"`;
}

/** PathSegment is one step of a field path: a mapping key or a sequence index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** formatPath prints a field path as `spec.nodes[0].address`; other keys go in brackets, `labels["a.b/c"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg) && seg.length <= 256) out += out === '' ? seg : `.${seg}`;
    else out += `[${quoteForMessage(seg)}]`;
  }
  return out;
}
