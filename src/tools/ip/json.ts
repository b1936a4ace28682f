// JSON exactly as iproute2 6.1 writes it for `ip -j` and `bridge -j` (lib/json_writer.c and
// lib/json_print.c): one line, no whitespace, keys in the order the printer emitted them, strings
// escaped only for the characters jsonw_puts escapes, and a newline after the closing bracket.

/**
 * JsonNumberText is a JSON number written exactly as given: iproute2 writes bridge timers with
 * jsonw_printf("%i.%.2i"), so `0.00` stays `0.00`, which no JavaScript number serialises to.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/** JsonValue is a value iproute2's JSON writer can emit; objects keep their insertion order. */
export type JsonValue = string | number | boolean | null | JsonNumberText | readonly JsonValue[] | JsonObject;

/** JsonObject is an ordered JSON object (string keys only, so insertion order is kept). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** jsonString quotes a string the way jsonw_puts does (only \t \n \r \f \b \\ and " are escaped). */
export function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}

/** jsonValue serialises one value without any whitespace, as the non-pretty json_writer does. */
export function jsonValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumberText) return v.text;
  if (Array.isArray(v)) return `[${(v as readonly JsonValue[]).map(jsonValue).join(',')}]`;
  const o = v as JsonObject;
  return (
    '{' +
    Object.keys(o)
      .map((k) => `${jsonString(k)}:${jsonValue(o[k])}`)
      .join(',') +
    '}'
  );
}

/** jsonDocument prints the top-level array that new_json_obj opens, followed by a newline. */
export function jsonDocument(items: readonly JsonValue[]): string {
  return `${jsonValue(items)}\n`;
}

/**
 * jsonPretty re-lays a compact JSON document the way json_writer.c does under `-p` (jsonw_pretty): an
 * array opens with `[ ` and closes with ` ]` (`[ ]` when empty), its members follow each other on one
 * line (`},{`), every object member goes on its own line, indented four spaces per level, as `"key": value`,
 * and a non-empty object closes on its own line at its parent's indentation. Text that is not JSON is
 * returned unchanged.
 */
export function jsonPretty(text: string): string {
  const t = text.trimEnd();
  if (!t.startsWith('[') && !t.startsWith('{')) return text;
  const stack: { obj: boolean; count: number }[] = [];
  let out = '';
  let expectKey = false;
  const indent = (): string => `\n${'    '.repeat(stack.length)}`;
  const beforeValue = (): void => {
    const top = stack[stack.length - 1];
    if (top !== undefined && !top.obj) {
      if (top.count > 0) out += ',';
      top.count++;
    }
  };
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      let j = i + 1;
      while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      const s = t.slice(i, j + 1);
      i = j;
      const top = stack[stack.length - 1];
      if (top?.obj && expectKey) {
        out += `${top.count > 0 ? ',' : ''}${indent()}${s}`;
        top.count++;
      } else {
        beforeValue();
        out += s;
      }
    } else if (c === ':') {
      out += ': ';
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1]?.obj === true;
    } else if (c === '{' || c === '[') {
      beforeValue();
      out += c === '[' ? '[ ' : '{';
      stack.push({ obj: c === '{', count: 0 });
      expectKey = c === '{';
    } else if (c === '}') {
      const top = stack.pop()!;
      if (top.count > 0) out += indent();
      out += '}';
    } else if (c === ']') {
      const top = stack.pop()!;
      if (top.count > 0) out += ' ';
      out += ']';
    } else {
      let j = i;
      while (j < t.length && !',]}:'.includes(t[j])) j++;
      beforeValue();
      out += t.slice(i, j);
      i = j - 1;
    }
  }
  return `${out}\n`;
}
