// encoding/json's MarshalIndent (and projectcalico/go-json, its 2016 fork): HTML-safe string
// escaping (<, >, & and U+2028/U+2029 as \u00XX/\u20XX), "{}" and "[]" for empty containers.

import { goJsonFloat, isGoObject, type GoValue } from './govalue.js';

const HEX = '0123456789abcdef';

/** goJsonString quotes s as encoding/json does with HTML escaping on. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&') out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u202${HEX[c & 15]}`;
    else out += ch;
  }
  return `${out}"`;
}

function encode(v: GoValue, prefix: string, indent: string, depth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJsonFloat(v);
  const inner = prefix + indent.repeat(depth + 1);
  const outer = prefix + indent.repeat(depth);
  if (isGoObject(v)) {
    if (v.size === 0) return '{}';
    const parts = [...v].map(([k, x]) => `${inner}${goJsonString(k)}: ${encode(x, prefix, indent, depth + 1)}`);
    return `{\n${parts.join(',\n')}\n${outer}}`;
  }
  const arr = v as readonly GoValue[];
  if (arr.length === 0) return '[]';
  return `[\n${arr.map((x) => inner + encode(x, prefix, indent, depth + 1)).join(',\n')}\n${outer}]`;
}

/** goJsonMarshalIndent is json.MarshalIndent(v, prefix, indent). */
export function goJsonMarshalIndent(v: GoValue, prefix = '', indent = '  '): string {
  return encode(v, prefix, indent, 0);
}

/** goJsonMarshal is json.Marshal(v): compact, no spaces. */
export function goJsonMarshal(v: GoValue): string {
  if (v === null || typeof v !== 'object') return encode(v, '', '', 0);
  if (isGoObject(v)) return `{${[...v].map(([k, x]) => `${goJsonString(k)}:${goJsonMarshal(x)}`).join(',')}}`;
  return `[${(v as readonly GoValue[]).map(goJsonMarshal).join(',')}]`;
}
