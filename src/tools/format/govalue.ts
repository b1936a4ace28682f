// The JSON data model Go programs marshal (encoding/json), as plain values: objects keep their
// field order (a Go struct's order; callers sort the keys of Go maps themselves, as json.Marshal does).

/** GoObject is a JSON object; insertion order is the order encoding/json writes the fields in. */
export type GoObject = ReadonlyMap<string, GoValue>;

/** GoValue is a JSON value. Numbers are float64 values as JSON carries them. */
export type GoValue = string | number | boolean | null | readonly GoValue[] | GoObject;

/** goObject builds a GoObject from [key, value] pairs, dropping pairs whose value is undefined. */
export function goObject(entries: readonly (readonly [string, GoValue | undefined])[]): GoObject {
  const m = new Map<string, GoValue>();
  for (const [k, v] of entries) if (v !== undefined) m.set(k, v);
  return m;
}

/** goSortedMap builds the JSON object json.Marshal writes for a Go map: keys in byte order. */
export function goSortedMap(m: ReadonlyMap<string, GoValue>): GoObject {
  const keys = [...m.keys()].sort(compareUtf8);
  return new Map(keys.map((k) => [k, m.get(k)!]));
}

/** compareUtf8 orders strings by their UTF-8 bytes, as Go's sort.Strings does. */
export function compareUtf8(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}

/** isGoObject tells a JSON object from the other values. */
export function isGoObject(v: GoValue): v is GoObject {
  return v instanceof Map;
}

/** goFloatShortest formats a float64 as strconv.FormatFloat(f, 'g', -1, 64) does (yaml.v2's floats). */
export function goFloatShortest(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // JS gives the same shortest digits; Go's shortest %g switches to %e when exp < -4 || exp >= 6.
  const e = x.toExponential();
  const [mant, expText] = e.split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const a = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
  }
  return String(x);
}

/** goJsonFloat formats a float64 as encoding/json does (ES6 number formatting). */
export function goJsonFloat(x: number): string {
  return String(x);
}
