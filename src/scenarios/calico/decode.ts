// Schema-directed decoding of a resolved YAML tree into plain values, in two dialects:
//  - `go`: what calicoctl's UnmarshalStrict does (projectcalico/go-yaml-wrapper, then Go encoding/json with
//    DisallowUnknownFields): keys match struct fields exactly or else case-insensitively, numbers and
//    booleans become strings where the field is a string, null leaves the field unset, and errors read as
//    encoding/json's (`json: unknown field "x"`, `json: cannot unmarshal string into Go struct field
//    IPPoolSpec.spec.blockSize of type int`);
//  - `calisim`: calisim's own resources, with exact keys, no coercion and required fields.
// The zod schemas carry Go type names in `goMeta`; the decoder walks them, so one schema says both what a
// field holds and how Calico reads it. Positions of every decoded value are kept for error lines.

import { z } from 'zod';
import {
  escapeForMessage,
  quoteForMessage,
  formatPath,
  goFormatFloat,
  goJsonNumber,
  type PathSegment,
  type YEntry,
  type YMap,
  type YNode,
  type YScalar,
} from './goyaml.js';

/** GoDecode names the decoders of Go types with their own UnmarshalJSON. */
export type GoDecode = 'asnumber' | 'duration' | 'raw';

/** GoMeta describes a schema node the way Calico's Go type declares it. */
export interface GoMeta {
  /** go is the Go type of a field, as encoding/json names it in errors (`int`, `[]string`). */
  readonly go?: string;
  /** struct is the Go struct type an object schema stands for (`IPPoolSpec`). */
  readonly struct?: string;
  /** decode selects a custom UnmarshalJSON. */
  readonly decode?: GoDecode;
  /** modelled is false for a field calisim accepts but whose effect it does not simulate. */
  readonly modelled?: boolean;
}

/** goMeta is the registry of Go descriptions of schema nodes. */
export const goMeta = z.registry<GoMeta>();

/** Dialect selects Calico's (Go) decoding rules or calisim's own. */
export type Dialect = 'go' | 'calisim';

/** DecodeIssue is one problem found while decoding, at a source offset. */
export interface DecodeIssue {
  readonly path: readonly PathSegment[];
  readonly offset: number;
  readonly message: string;
}

/** Positions maps a formatted field path to the offsets of its key (if any) and its value. */
export type Positions = Map<string, { readonly keyOffset?: number; readonly valueOffset: number }>;

interface Ctx {
  readonly dialect: Dialect;
  readonly issues: DecodeIssue[];
  readonly positions: Positions;
  readonly lineOf: (offset: number) => number;
}

interface GoCtx {
  /** struct is the innermost Go struct holding the field being decoded. */
  readonly struct: string;
  /** goPath is the JSON field path encoding/json reports (struct fields only, no indexes). */
  readonly goPath: readonly string[];
}

type AnySchema = z.ZodType;

interface Unwrapped {
  readonly schema: AnySchema;
  readonly optional: boolean;
  readonly meta: GoMeta;
}

function defOf(s: AnySchema): { type: string; [k: string]: unknown } {
  return (s as unknown as { _zod: { def: { type: string; [k: string]: unknown } } })._zod.def;
}

/** unwrapSchema strips optional/nullable/default/pipe wrappers, merging the Go metadata found on the way. */
export function unwrapSchema(schema: AnySchema): Unwrapped {
  let s = schema;
  let optional = false;
  let meta: GoMeta = {};
  for (let i = 0; i < 20; i++) {
    const m = goMeta.get(s);
    if (m) meta = { ...m, ...meta };
    const def = defOf(s);
    if (def.type === 'optional') {
      optional = true;
      s = def.innerType as AnySchema;
    } else if (
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'prefault' ||
      def.type === 'readonly' ||
      def.type === 'catch'
    ) {
      if (def.type === 'default') optional = true;
      s = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      s = def.in as AnySchema;
    } else {
      break;
    }
  }
  const last = goMeta.get(s);
  if (last) meta = { ...last, ...meta };
  return { schema: s, optional, meta };
}

function jsonKindOf(n: YNode): string {
  if (n.kind === 'map') return 'object';
  if (n.kind === 'seq') return 'array';
  switch (n.goKind) {
    case 'str':
    case 'timestamp':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
    case 'float':
      return 'number';
    case 'null':
      return 'null';
  }
}

function calisimKindOf(n: YNode): string {
  if (n.kind === 'map') return 'a mapping';
  if (n.kind === 'seq') return 'a sequence';
  switch (n.goKind) {
    case 'str':
    case 'timestamp':
      return 'a string';
    case 'bool':
      return 'a boolean';
    case 'int':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'null':
      return 'null';
  }
}

function pathKey(path: readonly PathSegment[]): string {
  return formatPath(path);
}

/** fieldKeyOf finds the schema key a YAML key names: exact, else (Go dialect) ASCII case-insensitive. */
function fieldKeyOf(shape: Readonly<Record<string, AnySchema>>, key: string, dialect: Dialect): string | undefined {
  if (Object.hasOwn(shape, key)) return key;
  if (dialect !== 'go') return undefined;
  const lower = key.toLowerCase();
  return Object.keys(shape).find((k) => k.toLowerCase() === lower);
}

/** GO_INT_RANGES are the value ranges of the Go integer types the resources use. */
const GO_INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int: [-(2 ** 63), 2 ** 63 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint16: [0, 65535],
  uint8: [0, 255],
  uint64: [0, 2 ** 64 - 1],
};

class Decoder {
  constructor(private readonly ctx: Ctx) {}

  private issue(path: readonly PathSegment[], offset: number, message: string): void {
    this.ctx.issues.push({ path: [...path], offset, message });
  }

  private typeError(n: YNode, path: readonly PathSegment[], go: GoCtx, goType: string, expected: string, literal?: string): void {
    if (this.ctx.dialect === 'go') {
      const value = literal !== undefined ? `number ${literal}` : jsonKindOf(n);
      const where = go.goPath.length > 0 ? `Go struct field ${go.struct}.${go.goPath.join('.')}` : 'Go value';
      this.issue(path, n.offset, `json: cannot unmarshal ${value} into ${where} of type ${goType}`);
    } else {
      this.issue(path, n.offset, `must be ${expected}, not ${calisimKindOf(n)}`);
    }
  }

  decode(n: YNode, schema: AnySchema, path: readonly PathSegment[], go: GoCtx, keyOffset?: number): unknown {
    this.ctx.positions.set(pathKey(path), { keyOffset, valueOffset: n.offset });
    const { schema: s, meta } = unwrapSchema(schema);
    const def = defOf(s);
    if (meta.decode === 'raw' || def.type === 'unknown' || def.type === 'any') return this.raw(n, path);
    if (meta.decode === 'asnumber') return this.asNumber(n, path, go);
    if (meta.decode === 'duration') return this.duration(n, path, go);
    switch (def.type) {
      case 'object':
        return this.object(n, s, meta, path, go);
      case 'map':
      case 'record':
        return this.record(n, def.valueType as AnySchema, meta, path, go);
      case 'array':
        return this.array(n, def.element as AnySchema, meta, path, go);
      case 'string':
      case 'enum':
      case 'literal':
        return this.string(n, meta, path, go);
      case 'boolean':
        return this.boolean(n, meta, path, go);
      case 'number':
        return this.number(n, meta, path, go);
      default:
        return this.raw(n, path);
    }
  }

  private object(n: YNode, s: AnySchema, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    const struct = meta.struct ?? go.struct;
    if (n.kind !== 'map') {
      this.typeError(n, path, go, meta.go ?? meta.struct ?? 'object', 'a mapping');
      return undefined;
    }
    const shape = (s as unknown as { shape: Record<string, AnySchema> }).shape;
    const out: Record<string, unknown> = {};
    const seen = new Map<string, YEntry>();
    for (const e of n.entries) {
      const field = fieldKeyOf(shape, e.key, this.ctx.dialect);
      const fieldPath = [...path, field ?? e.key];
      if (field === undefined) {
        const msg = this.ctx.dialect === 'go' ? `json: unknown field ${quoteForMessage(e.key)}` : `unknown field ${quoteForMessage(e.key)}`;
        this.issue(fieldPath, e.keyOffset, msg);
        continue;
      }
      const prev = seen.get(field);
      if (prev) {
        this.issue(
          fieldPath,
          e.keyOffset,
          `mapping key ${quoteForMessage(e.key)} already defined at line ${this.ctx.lineOf(prev.keyOffset)}`,
        );
        continue;
      }
      seen.set(field, e);
      if (e.value.kind === 'scalar' && e.value.goKind === 'null' && this.ctx.dialect === 'go') {
        this.ctx.positions.set(pathKey(fieldPath), { keyOffset: e.keyOffset, valueOffset: e.value.offset });
        continue;
      }
      const child = shape[field];
      if (e.value.kind === 'scalar' && e.value.goKind === 'null' && unwrapSchema(child).optional) {
        this.ctx.positions.set(pathKey(fieldPath), { keyOffset: e.keyOffset, valueOffset: e.value.offset });
        continue;
      }
      const v = this.decode(e.value, child, fieldPath, { struct, goPath: [...go.goPath, field] }, e.keyOffset);
      if (v !== undefined) out[field] = v;
    }
    if (this.ctx.dialect === 'calisim') {
      for (const [k, child] of Object.entries(shape)) {
        if (!seen.has(k) && !unwrapSchema(child).optional) this.issue([...path, k], n.offset, 'required field is missing');
      }
    }
    return out;
  }

  private record(n: YNode, valueSchema: AnySchema, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind !== 'map') {
      this.typeError(n, path, go, meta.go ?? 'map[string]string', 'a mapping');
      return undefined;
    }
    const out = new Map<string, unknown>();
    const seenAt = new Map<string, number>();
    for (const e of n.entries) {
      const entryPath = [...path, e.key];
      if (seenAt.has(e.key)) {
        this.issue(
          entryPath,
          e.keyOffset,
          `mapping key ${quoteForMessage(e.key)} already defined at line ${this.ctx.lineOf(seenAt.get(e.key) ?? 0)}`,
        );
        continue;
      }
      seenAt.set(e.key, e.keyOffset);
      // encoding/json reports a bad map value at the map field itself, typed as the element type.
      const v = this.decode(e.value, valueSchema, entryPath, go, e.keyOffset);
      if (v !== undefined) out.set(e.key, v);
    }
    return out;
  }

  private array(n: YNode, element: AnySchema, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind !== 'seq') {
      const elemGo = unwrapSchema(element).meta;
      this.typeError(n, path, go, meta.go ?? `[]${elemGo.go ?? 'interface {}'}`, 'a sequence');
      return undefined;
    }
    const out: unknown[] = [];
    n.items.forEach((item, i) => {
      if (item.kind === 'scalar' && item.goKind === 'null' && this.ctx.dialect === 'go') {
        out.push(zeroOf(element));
        return;
      }
      const v = this.decode(item, element, [...path, i], go);
      out.push(v);
    });
    return out;
  }

  private string(n: YNode, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind === 'scalar') {
      if (n.goKind === 'str' || n.goKind === 'timestamp') return n.text;
      if (this.ctx.dialect === 'go') {
        // go-yaml-wrapper turns numbers and booleans into strings for string fields.
        if (n.goKind === 'bool') return n.value ? 'true' : 'false';
        if (n.goKind === 'int') return String(n.value);
        if (n.goKind === 'float') return goFormatFloat(n.value as number);
      }
    }
    this.typeError(n, path, go, meta.go ?? 'string', 'a string');
    return undefined;
  }

  private boolean(n: YNode, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind === 'scalar' && n.goKind === 'bool') return n.value;
    this.typeError(n, path, go, meta.go ?? 'bool', 'a boolean');
    return undefined;
  }

  private number(n: YNode, meta: GoMeta, path: readonly PathSegment[], go: GoCtx): unknown {
    const goType = meta.go ?? 'int';
    if (n.kind !== 'scalar' || (n.goKind !== 'int' && n.goKind !== 'float')) {
      this.typeError(n, path, go, goType, goType.startsWith('float') ? 'a number' : 'an integer');
      return undefined;
    }
    const v = n.value as number;
    if (goType.startsWith('float')) return v;
    const range = GO_INT_RANGES[goType] ?? GO_INT_RANGES.int;
    if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
      this.typeError(n, path, go, goType, 'an integer', n.goKind === 'int' ? String(v) : goJsonNumber(v));
      return undefined;
    }
    return v;
  }

  /** asNumber is numorstring.ASNumber.UnmarshalJSON: a uint32, or a string in plain or dotted (`1.10`) form. */
  private asNumber(n: YNode, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind === 'scalar' && (n.goKind === 'int' || n.goKind === 'float')) {
      const v = n.value as number;
      if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
      this.issue(
        path,
        n.offset,
        this.ctx.dialect === 'go' ? 'json: cannot unmarshal number into Go value of type string' : 'must be an AS number (0 to 4294967295)',
      );
      return undefined;
    }
    if (n.kind === 'scalar' && (n.goKind === 'str' || n.goKind === 'timestamp')) {
      const r = parseAsNumber(n.text);
      if (r !== null) return r;
      this.issue(path, n.offset, `invalid AS Number format (${escapeForMessage(n.text)})`);
      return undefined;
    }
    const kind = n.kind === 'scalar' ? jsonKindOf(n) : n.kind === 'map' ? 'object' : 'array';
    this.issue(
      path,
      n.offset,
      this.ctx.dialect === 'go'
        ? `json: cannot unmarshal ${kind} into Go value of type string`
        : `must be an AS number, not ${calisimKindOf(n)}`,
    );
    void go;
    return undefined;
  }

  /** duration is metav1.Duration.UnmarshalJSON: a string that time.ParseDuration accepts; the value is seconds. */
  private duration(n: YNode, path: readonly PathSegment[], go: GoCtx): unknown {
    if (n.kind === 'scalar' && (n.goKind === 'str' || n.goKind === 'timestamp')) {
      const secs = parseGoDuration(n.text);
      if (secs !== null) return secs;
      this.issue(path, n.offset, goDurationError(n.text));
      return undefined;
    }
    const kind = n.kind === 'scalar' ? jsonKindOf(n) : n.kind === 'map' ? 'object' : 'array';
    this.issue(
      path,
      n.offset,
      this.ctx.dialect === 'go'
        ? `json: cannot unmarshal ${kind} into Go value of type string`
        : `must be a duration such as "120s", not ${calisimKindOf(n)}`,
    );
    void go;
    return undefined;
  }

  /** raw converts a node to plain JSON-like data without a target type (accepted, not type-checked). */
  raw(n: YNode, path: readonly PathSegment[]): unknown {
    this.ctx.positions.set(pathKey(path), { valueOffset: n.offset });
    if (n.kind === 'scalar') return scalarValue(n);
    if (n.kind === 'seq') return n.items.map((it, i) => this.raw(it, [...path, i]));
    const out = new Map<string, unknown>();
    for (const e of (n as YMap).entries) out.set(e.key, this.raw(e.value, [...path, e.key]));
    return out;
  }
}

function scalarValue(n: YScalar): unknown {
  return n.goKind === 'timestamp' ? n.text : n.value;
}

function zeroOf(schema: AnySchema): unknown {
  const t = defOf(unwrapSchema(schema).schema).type;
  if (t === 'string' || t === 'enum') return '';
  if (t === 'boolean') return false;
  if (t === 'number') return 0;
  if (t === 'object') return {};
  if (t === 'record' || t === 'map') return new Map();
  if (t === 'array') return [];
  return null;
}

/** parseAsNumber is numorstring.ASNumberFromString: decimal uint32, or `high.low` with 16-bit halves. */
export function parseAsNumber(s: string): number | null {
  if (/^\+?[0-9]+$/.test(s)) {
    const v = Number(s.replace('+', ''));
    return v <= 0xffffffff ? v : null;
  }
  const parts = s.split('.');
  if (parts.length !== 2 || !parts.every((p) => /^\+?[0-9]+$/.test(p))) return null;
  const [hi, lo] = parts.map((p) => Number(p.replace('+', '')));
  if (hi > 0xffff || lo > 0xffff) return null;
  return hi * 65536 + lo;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** parseGoDuration is time.ParseDuration, in seconds: `120s`, `1m30s`, `1.5h`, `-2m`, or `0`. */
export function parseGoDuration(s: string): number | null {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  const re = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return null;
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** goDurationError is time.ParseDuration's error text for a string it refuses. */
export function goDurationError(s: string): string {
  const q = quoteForMessage(s);
  let rest = s.replace(/^[-+]/, '');
  if (rest === '') return `time: invalid duration ${q}`;
  while (rest !== '') {
    const num = /^[0-9]*(\.[0-9]*)?/.exec(rest)?.[0] ?? '';
    if (num === '' || num === '.') return `time: invalid duration ${q}`;
    rest = rest.slice(num.length);
    const unit = /^[^0-9.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${q}`;
    if (!Object.hasOwn(DURATION_UNITS, unit)) return `time: unknown unit ${quoteForMessage(unit)} in duration ${q}`;
    rest = rest.slice(unit.length);
  }
  return `time: invalid duration ${q}`;
}

/** DecodeResult is the decoded value with its issues and the positions of its fields. */
export interface DecodeResult {
  readonly value: unknown;
  readonly issues: readonly DecodeIssue[];
  readonly positions: Positions;
}

/**
 * decodeNode decodes a YAML node against a schema. `rootStruct` is the Go type of the root, the first
 * part of `Go struct field X.path` in Go-dialect errors; `basePath` prefixes every path.
 */
export function decodeNode(
  n: YNode,
  schema: AnySchema,
  dialect: Dialect,
  rootStruct: string,
  lineOf: (offset: number) => number,
  basePath: readonly PathSegment[] = [],
): DecodeResult {
  const ctx: Ctx = { dialect, issues: [], positions: new Map(), lineOf };
  const value = new Decoder(ctx).decode(n, schema, basePath, { struct: rootStruct, goPath: [] });
  return { value, issues: ctx.issues, positions: ctx.positions };
}

/** rawNode converts a node to plain data with no schema, recording positions. */
export function rawNode(n: YNode, lineOf: (offset: number) => number, basePath: readonly PathSegment[] = []): DecodeResult {
  const ctx: Ctx = { dialect: 'go', issues: [], positions: new Map(), lineOf };
  const value = new Decoder(ctx).raw(n, basePath);
  return { value, issues: ctx.issues, positions: ctx.positions };
}

/** offsetFor finds the offset to report for a path: its own value, else the nearest ancestor's. */
export function offsetFor(positions: Positions, path: readonly PathSegment[], preferKey = false): number {
  for (let i = path.length; i >= 0; i--) {
    const p = positions.get(formatPath(path.slice(0, i)));
    if (p) return preferKey && i === path.length && p.keyOffset !== undefined ? p.keyOffset : p.valueOffset;
  }
  return 0;
}

/** FieldInfo is one row of a resource's field table: path, Go type and whether calisim models it. */
export interface FieldInfo {
  readonly path: string;
  readonly go: string;
  readonly modelled: boolean;
}

/**
 * describeFields lists every field of a schema with its Go type and modelled flag. A field inherits the
 * flag of the nearest marked ancestor; unmarked fields count as modelled.
 */
export function describeFields(schema: AnySchema, prefix = '', inherited = true): FieldInfo[] {
  const { schema: s, meta } = unwrapSchema(schema);
  const def = defOf(s);
  const modelled = meta.modelled ?? inherited;
  if (def.type === 'object') {
    const shape = (s as unknown as { shape: Record<string, AnySchema> }).shape;
    const rows: FieldInfo[] = [];
    for (const [k, child] of Object.entries(shape)) {
      const p = prefix === '' ? k : `${prefix}.${k}`;
      const cm = unwrapSchema(child);
      const childDef = defOf(cm.schema);
      const childModelled = cm.meta.modelled ?? modelled;
      if (childDef.type === 'object') rows.push(...describeFields(child, p, childModelled));
      else if (childDef.type === 'array' && defOf(unwrapSchema(childDef.element as AnySchema).schema).type === 'object') {
        rows.push(...describeFields(childDef.element as AnySchema, `${p}[]`, childModelled));
      } else {
        rows.push({ path: p, go: cm.meta.go ?? cm.meta.struct ?? childDef.type, modelled: childModelled });
      }
    }
    return rows;
  }
  return [{ path: prefix, go: meta.go ?? def.type, modelled }];
}

// ---- schema builders ---------------------------------------------------------------------------------

/** GoFieldOpts marks a field: its Go type and whether calisim models it. */
export interface GoFieldOpts {
  readonly go?: string;
  readonly modelled?: boolean;
}

function tag<T extends AnySchema>(s: T, meta: GoMeta): T {
  goMeta.add(s, meta);
  return s;
}

/** goString is an optional Go string field. */
export function goString(opts: GoFieldOpts = {}): z.ZodOptional<z.ZodString> {
  return tag(z.string(), { go: opts.go ?? 'string', modelled: opts.modelled }).optional();
}

/** goBool is an optional Go bool (or *bool) field. */
export function goBool(opts: GoFieldOpts = {}): z.ZodOptional<z.ZodBoolean> {
  return tag(z.boolean(), { go: opts.go ?? 'bool', modelled: opts.modelled }).optional();
}

/** goInt is an optional Go integer field of the given type (`int`, `int32`, `uint16`...). */
export function goInt(goType: string, opts: Omit<GoFieldOpts, 'go'> = {}): z.ZodOptional<z.ZodNumber> {
  return tag(z.number().int(), { go: goType, modelled: opts.modelled }).optional();
}

/** goStringList is an optional Go []string (or []NamedString) field. */
export function goStringList(opts: GoFieldOpts = {}): z.ZodOptional<z.ZodArray<z.ZodString>> {
  return tag(z.array(tag(z.string(), { go: 'string' })), { go: opts.go ?? '[]string', modelled: opts.modelled }).optional();
}

/** goStringMap is an optional Go map[string]string field, decoded into a Map. */
export function goStringMap(opts: GoFieldOpts = {}): z.ZodOptional<z.ZodMap<z.ZodString, z.ZodString>> {
  return tag(z.map(z.string(), tag(z.string(), { go: 'string' })), { go: 'map[string]string', modelled: opts.modelled }).optional();
}

/** goAsNumber is an optional numorstring.ASNumber field. */
export function goAsNumber(opts: Omit<GoFieldOpts, 'go'> = {}): z.ZodOptional<z.ZodNumber> {
  return tag(z.number().int().min(0).max(0xffffffff), {
    go: 'numorstring.ASNumber',
    decode: 'asnumber',
    modelled: opts.modelled,
  }).optional();
}

/** goDuration is an optional metav1.Duration field, decoded to seconds. */
export function goDuration(opts: Omit<GoFieldOpts, 'go'> = {}): z.ZodOptional<z.ZodNumber> {
  return tag(z.number(), { go: 'v1.Duration', decode: 'duration', modelled: opts.modelled }).optional();
}

/** goRaw is an optional field accepted with any content and not type-checked. */
export function goRaw(go: string, opts: Omit<GoFieldOpts, 'go'> = {}): z.ZodOptional<z.ZodUnknown> {
  return tag(z.unknown(), { go, decode: 'raw', modelled: opts.modelled ?? false }).optional();
}

/**
 * goStruct is a Go struct: a strict object whose fields are all optional, as encoding/json sees them.
 * `pkg` is the Go package name that prefixes the type in errors (`v3.IPPoolSpec`, `v1.ObjectMeta`).
 */
export function goStruct<S extends z.ZodRawShape>(
  name: string,
  shape: S,
  opts: Omit<GoFieldOpts, 'go'> & { readonly pkg?: string } = {},
): z.ZodObject<S, z.core.$strict> {
  return tag(z.strictObject(shape), { struct: name, go: `${opts.pkg ?? 'v3'}.${name}`, modelled: opts.modelled });
}

/** goList is an optional Go slice of structs. */
export function goList<T extends AnySchema>(element: T, goType: string, opts: Omit<GoFieldOpts, 'go'> = {}): z.ZodOptional<z.ZodArray<T>> {
  return tag(z.array(element), { go: goType, modelled: opts.modelled }).optional();
}

/** withMeta tags any schema with Go metadata and returns it. */
export function withMeta<T extends AnySchema>(s: T, meta: GoMeta): T {
  return tag(s, meta);
}
