// Calico's label selector language as libcalico-go v3.29–v3.30 parses it: lib/selector/tokenizer/tokenizer.go,
// lib/selector/parser/parser.go, lib/selector/parser/ast.go and stringset.go. Parse errors carry the
// tokenizer's and parser's own messages; tokens print as Go's Token.String() does (`TokRParen()`).

/** TokenKind is the tokenizer's Kind; the names are what Go's stringer prints. */
export type TokenKind =
  | 'TokNone'
  | 'TokLabel'
  | 'TokStringLiteral'
  | 'TokLBrace'
  | 'TokRBrace'
  | 'TokComma'
  | 'TokEq'
  | 'TokNe'
  | 'TokIn'
  | 'TokNot'
  | 'TokNotIn'
  | 'TokContains'
  | 'TokStartsWith'
  | 'TokEndsWith'
  | 'TokAll'
  | 'TokHas'
  | 'TokLParen'
  | 'TokRParen'
  | 'TokAnd'
  | 'TokOr'
  | 'TokGlobal'
  | 'TokEOF';

/** Token is one lexeme; `value` holds the label, has() argument or string literal. */
export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
}

/** MAX_LABEL_LENGTH is the longest label the tokenizer accepts (tokenizer.MaxLabelLength). */
export const MAX_LABEL_LENGTH = 512;

/** formatToken prints a token as Go's `%v` of tokenizer.Token does: `Kind(value)`. */
export function formatToken(t: Token): string {
  return `${t.kind}(${t.value})`;
}

/** SelectorNode is the parsed expression tree (parser/ast.go node types). */
export type SelectorNode =
  | { readonly op: 'all' }
  | { readonly op: 'global' }
  | { readonly op: 'has'; readonly label: string }
  | { readonly op: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'; readonly label: string; readonly value: string }
  | { readonly op: 'in' | 'notIn'; readonly label: string; readonly values: readonly string[] }
  | { readonly op: 'not'; readonly operand: SelectorNode }
  | { readonly op: 'and' | 'or'; readonly operands: readonly SelectorNode[] };

/** SelectorResult is a parsed selector or the error string Calico's parser returns. */
export type SelectorResult = { readonly ok: true; readonly selector: SelectorNode } | { readonly ok: false; readonly error: string };

/** TokResult is the tokens of a selector, ending with TokEOF, or the tokenizer's error. */
export type TokResult = { ok: true; tokens: Token[] } | { ok: false; error: string };

function isIdentifierChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '.' || c === '/' || c === '-';
}

function trimWhitespace(s: string): string {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return s.slice(i);
}

function isWordBoundary(s: string): boolean {
  return s === '' || !isIdentifierChar(s[0]);
}

function cutPrefixCheckBreak(input: string, prefix: string): string | null {
  if (!input.startsWith(prefix)) return null;
  const rest = input.slice(prefix.length);
  return isWordBoundary(rest) ? rest : null;
}

function cutMultiWordPrefixCheckBreak(input: string, ...words: string[]): string | null {
  let rest = input;
  for (const w of words) {
    if (!rest.startsWith(w)) return null;
    rest = trimWhitespace(rest.slice(w.length));
  }
  return isWordBoundary(rest) ? rest : null;
}

type CutResult = { ok: true; ident: string; rest: string } | { ok: false; error: string };

function cutIdentifier(input: string): CutResult {
  let i = 0;
  while (i < input.length && isIdentifierChar(input[i])) i++;
  const ident = input.slice(0, i);
  if (ident.length > MAX_LABEL_LENGTH) return { ok: false, error: `label too long: ${ident}` };
  if (ident.length === 0) return { ok: false, error: 'expected identifier' };
  return { ok: true, ident, rest: input.slice(i) };
}

/** LABEL_OPERATORS are the word operators that may follow a label, in the order the tokenizer tries them. */
const LABEL_OPERATORS: readonly [TokenKind, readonly string[]][] = [
  ['TokContains', ['contains']],
  ['TokStartsWith', ['starts', 'with']],
  ['TokEndsWith', ['ends', 'with']],
  ['TokNotIn', ['not', 'in']],
  ['TokIn', ['in']],
];

function labelOperator(input: string): { kind: TokenKind; rest: string } | null {
  for (const [kind, words] of LABEL_OPERATORS) {
    const rest = words.length === 1 ? cutPrefixCheckBreak(input, words[0]) : cutMultiWordPrefixCheckBreak(input, ...words);
    if (rest !== null) return { kind, rest };
  }
  return null;
}

/** tokenize splits a selector into tokens ending with TokEOF, or returns the tokenizer's error. */
export function tokenize(selector: string): TokResult {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, value = ''): void => {
    tokens.push({ kind, value });
  };
  let input = selector;
  for (;;) {
    const startLen = input.length;
    input = trimWhitespace(input);
    if (input.length === 0) {
      push('TokEOF');
      return { ok: true, tokens };
    }
    const lastKind = tokens.length > 0 ? tokens[tokens.length - 1].kind : 'TokNone';
    const c = input[0];
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
      push(c === '(' ? 'TokLParen' : c === ')' ? 'TokRParen' : c === '{' ? 'TokLBrace' : c === '}' ? 'TokRBrace' : 'TokComma');
      input = input.slice(1);
    } else if (c === '"' || c === "'") {
      const end = input.indexOf(c, 1);
      if (end < 0) return { ok: false, error: 'unterminated string' };
      push('TokStringLiteral', input.slice(1, end));
      input = input.slice(end + 1);
    } else if (c === '=') {
      if (!input.startsWith('==')) return { ok: false, error: 'expected ==' };
      push('TokEq');
      input = input.slice(2);
    } else if (c === '!') {
      if (input.startsWith('!=')) {
        push('TokNe');
        input = input.slice(2);
      } else {
        push('TokNot');
        input = input.slice(1);
      }
    } else if (c === '&') {
      if (!input.startsWith('&&')) return { ok: false, error: 'expected &&' };
      push('TokAnd');
      input = input.slice(2);
    } else if (c === '|') {
      if (!input.startsWith('||')) return { ok: false, error: 'expected ||' };
      push('TokOr');
      input = input.slice(2);
    } else if (lastKind === 'TokLabel') {
      const op = labelOperator(input);
      if (op === null) return { ok: false, error: `expected operator after label ${goQuote(tokens[tokens.length - 1].value)}` };
      push(op.kind);
      input = op.rest;
    } else if (input.startsWith('has(')) {
      const cut = cutIdentifier(trimWhitespace(input.slice(4)));
      if (!cut.ok) return cut;
      const rest = trimWhitespace(cut.rest);
      if (!rest.startsWith(')')) return { ok: false, error: "no closing ')' after has(" };
      push('TokHas', cut.ident);
      input = rest.slice(1);
    } else if (input.startsWith('all(') || input.startsWith('global(')) {
      const isAll = input.startsWith('all(');
      const rest = trimWhitespace(input.slice(isAll ? 4 : 7));
      if (!rest.startsWith(')')) return { ok: false, error: `no closing ')' after ${isAll ? 'all' : 'global'}(` };
      push(isAll ? 'TokAll' : 'TokGlobal');
      input = rest.slice(1);
    } else {
      const cut = cutIdentifier(input);
      if (!cut.ok) return cut;
      push('TokLabel', cut.ident);
      input = cut.rest;
    }
    if (input.length >= startLen) return { ok: false, error: 'infinite loop detected in tokenizer' };
  }
}

/** goQuote renders a label as Go's %q does; labels hold only printable ASCII identifier characters. */
function goQuote(s: string): string {
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

type ParseStep = { ok: true; node: SelectorNode; rest: readonly Token[] } | { ok: false; error: string };

function parseOr(tokens: readonly Token[]): ParseStep {
  const first = parseAnd(tokens);
  if (!first.ok) return first;
  const operands = [first.node];
  let rest = first.rest;
  while (rest[0].kind === 'TokOr') {
    const next = parseAnd(rest.slice(1));
    if (!next.ok) return next;
    operands.push(next.node);
    rest = next.rest;
  }
  return { ok: true, node: operands.length === 1 ? operands[0] : { op: 'or', operands }, rest };
}

function parseAnd(tokens: readonly Token[]): ParseStep {
  const first = parseOperation(tokens);
  if (!first.ok) return first;
  const operands = [first.node];
  let rest = first.rest;
  while (rest[0].kind === 'TokAnd') {
    const next = parseOperation(rest.slice(1));
    if (!next.ok) return next;
    operands.push(next.node);
    rest = next.rest;
  }
  return { ok: true, node: operands.length === 1 ? operands[0] : { op: 'and', operands }, rest };
}

const STRING_OPS: Partial<Record<TokenKind, 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'>> = {
  TokEq: 'eq',
  TokNe: 'ne',
  TokContains: 'contains',
  TokStartsWith: 'startsWith',
  TokEndsWith: 'endsWith',
};

function parseOperation(input: readonly Token[]): ParseStep {
  if (input.length === 0) return { ok: false, error: 'unexpected end of string looking for op' };
  let tokens = input;
  let negated = false;
  while (tokens[0].kind === 'TokNot') {
    negated = !negated;
    tokens = tokens.slice(1);
  }
  let step: ParseStep;
  const t = tokens[0];
  switch (t.kind) {
    case 'TokHas':
      step = { ok: true, node: { op: 'has', label: t.value }, rest: tokens.slice(1) };
      break;
    case 'TokAll':
      step = { ok: true, node: { op: 'all' }, rest: tokens.slice(1) };
      break;
    case 'TokGlobal':
      step = { ok: true, node: { op: 'global' }, rest: tokens.slice(1) };
      break;
    case 'TokLabel':
      step = parseLabelOperation(tokens);
      break;
    case 'TokLParen': {
      const inner = parseOr(tokens.slice(1));
      if (!inner.ok) return inner;
      if (inner.rest.length < 1 || inner.rest[0].kind !== 'TokRParen') return { ok: false, error: 'expected )' };
      step = { ok: true, node: inner.node, rest: inner.rest.slice(1) };
      break;
    }
    default:
      return { ok: false, error: `unexpected token: ${formatToken(t)}` };
  }
  if (step.ok && negated) return { ok: true, node: { op: 'not', operand: step.node }, rest: step.rest };
  return step;
}

function parseLabelOperation(tokens: readonly Token[]): ParseStep {
  if (tokens.length < 3) return { ok: false, error: 'unexpected end of string looking for op' };
  const label = tokens[0].value;
  const opKind = tokens[1].kind;
  const stringOp = STRING_OPS[opKind];
  if (stringOp !== undefined) {
    if (tokens[2].kind !== 'TokStringLiteral') return { ok: false, error: 'expected string' };
    return { ok: true, node: { op: stringOp, label, value: tokens[2].value }, rest: tokens.slice(3) };
  }
  if (opKind === 'TokIn' || opKind === 'TokNotIn') {
    if (tokens[2].kind !== 'TokLBrace') return { ok: false, error: 'expected set literal' };
    let rest = tokens.slice(3);
    const values: string[] = [];
    while (rest[0].kind === 'TokStringLiteral') {
      values.push(rest[0].value);
      rest = rest.slice(1);
      if (rest[0].kind !== 'TokComma') break;
      rest = rest.slice(1);
    }
    if (rest[0].kind !== 'TokRBrace') return { ok: false, error: 'expected }' };
    const set = toStringSet(values);
    return { ok: true, node: { op: opKind === 'TokIn' ? 'in' : 'notIn', label, values: set }, rest: rest.slice(1) };
  }
  return { ok: false, error: `expected == or != not: ${formatToken(tokens[1])}` };
}

/** compareGoStrings orders strings by their UTF-8 bytes, as Go's sort.Strings does. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toStringSet(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareGoStrings);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

/**
 * parseSelector parses a selector as parser.Parse does. The empty (or all-blank) selector means all().
 * Errors are Calico's strings, e.g. `unexpected content at end of selector [TokRParen() TokEOF()]`.
 */
export function parseSelector(selector: string): SelectorResult {
  const tok = tokenize(selector);
  if (!tok.ok) return tok;
  const tokens = tok.tokens;
  if (tokens[0].kind === 'TokEOF') return { ok: true, selector: { op: 'all' } };
  const r = parseOr(tokens);
  if (!r.ok) return r;
  if (r.rest.length !== 1) {
    return { ok: false, error: `unexpected content at end of selector [${r.rest.map(formatToken).join(' ')}]` };
  }
  return { ok: true, selector: r.node };
}

/** validateSelector returns Calico's parse error for a selector, or null when it parses. */
export function validateSelector(selector: string): string | null {
  const r = parseSelector(selector);
  return r.ok ? null : r.error;
}

/**
 * evaluateSelector evaluates a parsed selector over labels. A missing label fails ==, contains,
 * starts with, ends with, in and has(), and satisfies != and not in; all() and global() match anything.
 */
export function evaluateSelector(node: SelectorNode, labels: ReadonlyMap<string, string>): boolean {
  switch (node.op) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return labels.has(node.label);
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const v = labels.get(node.label);
      if (v === undefined) return node.op === 'ne';
      if (node.op === 'eq') return v === node.value;
      if (node.op === 'ne') return v !== node.value;
      if (node.op === 'contains') return v.includes(node.value);
      if (node.op === 'startsWith') return v.startsWith(node.value);
      return v.endsWith(node.value);
    }
    case 'in':
    case 'notIn': {
      const v = labels.get(node.label);
      if (v === undefined) return node.op === 'notIn';
      return node.values.includes(v) === (node.op === 'in');
    }
    case 'not':
      return !evaluateSelector(node.operand, labels);
    case 'and':
      return node.operands.every((o) => evaluateSelector(o, labels));
    case 'or':
      return node.operands.some((o) => evaluateSelector(o, labels));
  }
}

/**
 * selectorMatches parses and evaluates in one step, as ipam.SelectsNode does: an empty selector
 * matches, and an unparsable one is an error.
 */
export function selectorMatches(
  selector: string,
  labels: ReadonlyMap<string, string>,
): { ok: true; matches: boolean } | { ok: false; error: string } {
  const r = parseSelector(selector);
  if (!r.ok) return r;
  return { ok: true, matches: evaluateSelector(r.selector, labels) };
}

function quoted(s: string): string {
  const q = s.includes('"') ? "'" : '"';
  return q + s + q;
}

const OP_TEXT = { eq: ' == ', ne: ' != ', contains: ' contains ', startsWith: ' starts with ', endsWith: ' ends with ' } as const;

/** formatSelector is Selector.String(): the canonical text, with && and || groups in parentheses. */
export function formatSelector(node: SelectorNode): string {
  switch (node.op) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${node.label})`;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return node.label + OP_TEXT[node.op] + quoted(node.value);
    case 'in':
    case 'notIn':
      return `${node.label} ${node.op === 'in' ? 'in' : 'not in'} {${node.values.map(quoted).join(', ')}}`;
    case 'not':
      return `!${formatSelector(node.operand)}`;
    case 'and':
    case 'or':
      return `(${node.operands.map(formatSelector).join(node.op === 'and' ? ' && ' : ' || ')})`;
  }
}
