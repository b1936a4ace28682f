// Tests for src/scenarios/calico/selector.ts: Calico's selector grammar, its evaluation rules, its
// canonical form and its error strings (libcalico-go/lib/selector, v3.29–v3.30).

import fc from 'fast-check';
import {
  evaluateSelector,
  formatSelector,
  parseSelector,
  selectorMatches,
  tokenize,
  validateSelector,
} from '../../../src/scenarios/calico/selector.js';

const labels = (o: Record<string, string>) => new Map(Object.entries(o));

function matches(sel: string, l: Record<string, string>): boolean {
  const r = parseSelector(sel);
  if (!r.ok) throw new Error(r.error);
  return evaluateSelector(r.selector, labels(l));
}

describe('evaluation', () => {
  it.each<[string, Record<string, string>[], Record<string, string>[]]>([
    ['a == "b"', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
    ['a == "b" && c == "d"', [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'b' }]],
    ['a == "b" || c == "d"', [{ a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }]],
    ["a != 'b'", [{}, { a: 'c' }], [{ a: 'b' }]],
    [`a in {"'", '"', "c"}`, [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
    [`a not in {"'", '"', "c"}`, [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }]],
    ['has(a)', [{ a: '' }, { a: 'x' }], [{}, { b: 'a' }]],
    ['!has(a)', [{}, { b: 'a' }], [{ a: '' }]],
    ['a contains "ell"', [{ a: 'hello' }], [{}, { a: 'help' }]],
    ['a starts with "he"', [{ a: 'hello' }], [{}, { a: 'ohe' }]],
    ['a ends with "lo"', [{ a: 'hello' }], [{}, { a: 'lol' }]],
    ['all()', [{}, { a: 'b' }], []],
    ['global()', [{}], []],
    ['', [{}], []],
    ['!!has(a)', [{ a: '1' }], [{}]],
    ['(a == "1" || b == "2") && !has(c)', [{ a: '1' }, { b: '2' }], [{ a: '1', c: '' }, { d: '1' }]],
    ['kubernetes.io/hostname == "n1"', [{ 'kubernetes.io/hostname': 'n1' }], [{ 'kubernetes.io/hostname': 'n2' }]],
    ["group=='one'", [{ group: 'one' }], [{ group: 'two' }]],
  ])('%s', (sel, yes, no) => {
    for (const l of yes) expect(matches(sel, l)).toBe(true);
    for (const l of no) expect(matches(sel, l)).toBe(false);
  });

  it('evaluates && before ||', () => {
    expect(matches('a == "1" || b == "1" && c == "1"', { a: '1' })).toBe(true);
    expect(matches('a == "1" || b == "1" && c == "1"', { b: '1' })).toBe(false);
  });
});

describe('canonical form', () => {
  it.each([
    ['', 'all()'],
    [' all() ', 'all()'],
    [' (all() )', 'all()'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
    [`a == "'"`, `a == "'"`],
    [`a == '"'`, `a == '"'`],
    [`a startswith '"'`, `a starts with '"'`],
    [`a endswith "'"`, `a ends with "'"`],
    [`a!='"'`, `a != '"'`],
    ['a notin {"x"}', 'a not in {"x"}'],
    ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
    ['a in {"a",}', 'a in {"a"}'],
    ['a in {}', 'a in {}'],
  ])('writes %j as %j', (input, canon) => {
    const r = parseSelector(input);
    if (!r.ok) throw new Error(r.error);
    expect(formatSelector(r.selector)).toBe(canon);
    const again = parseSelector(canon);
    expect(again.ok && formatSelector(again.selector)).toBe(canon);
  });
});

describe('errors', () => {
  it.each([
    ['b == b', 'expected string'],
    ['b contains b', 'expected string'],
    ["'b1' == b", 'unexpected token: TokStringLiteral(b1)'],
    ['b', 'unexpected end of string looking for op'],
    ['a b', 'expected operator after label "a"'],
    ['!', 'unexpected token: TokEOF()'],
    ['foo == "bar" &', 'expected &&'],
    ['foo == "bar" |', 'expected ||'],
    ['foo != ||', 'expected string'],
    ['foo in {"", ||', 'expected }'],
    ['foo in ""', 'expected set literal'],
    ['"FOO', 'unterminated string'],
    ["'FOO", 'unterminated string'],
    ['(', 'unexpected token: TokEOF()'],
    ['(a == "foo"', 'expected )'],
    [')', 'unexpected token: TokRParen()'],
    ['()', 'unexpected token: TokRParen()'],
    ['%', 'expected identifier'],
    ['a == "b" && %', 'expected identifier'],
    ['a ', 'unexpected end of string looking for op'],
    ['has(foo) &&', 'unexpected token: TokEOF()'],
    ['has(foo', "no closing ')' after has("],
    ['all(x)', "no closing ')' after all("],
    ['a = "b"', 'expected =='],
    ['a (', 'expected == or != not: TokLParen()'],
    ['a == "b")', 'unexpected content at end of selector [TokRParen() TokEOF()]'],
    [`has(${'x'.repeat(513)})`, `label too long: ${'x'.repeat(513)}`],
  ])('%j fails with %j', (sel, error) => {
    expect(parseSelector(sel)).toEqual({ ok: false, error });
    expect(validateSelector(sel)).toBe(error);
  });

  it('accepts a label of 512 characters', () => {
    expect(validateSelector(`has(${'x'.repeat(512)})`)).toBeNull();
  });

  it('reports parse errors through selectorMatches', () => {
    expect(selectorMatches('has(', new Map())).toEqual({ ok: false, error: 'expected identifier' });
    expect(selectorMatches('', new Map())).toEqual({ ok: true, matches: true });
  });
});

describe('tokenize', () => {
  it('ends every token list with TokEOF', () => {
    const r = tokenize('a == "b" && has(c)');
    expect(r.ok && r.tokens.map((t) => t.kind)).toEqual(['TokLabel', 'TokEq', 'TokStringLiteral', 'TokAnd', 'TokHas', 'TokEOF']);
  });
});

describe('properties', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9./_-]{0,8}$/);
  const value = fc.stringMatching(/^[a-z0-9]{0,4}$/);
  const leaf = fc.oneof(
    label.map((l) => `has(${l})`),
    fc.tuple(label, value).map(([l, v]) => `${l} == "${v}"`),
    fc.tuple(label, value).map(([l, v]) => `${l} != '${v}'`),
    fc.tuple(label, fc.array(value, { maxLength: 3 })).map(([l, vs]) => `${l} in {${vs.map((v) => `"${v}"`).join(', ')}}`),
    fc.constant('all()'),
  );
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) && (${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) || (${b})`),
      tie('e').map((a) => `!(${a})`),
    ),
  })).e;
  const labelMap = fc.dictionary(label, value, { maxKeys: 4 }).map((o) => new Map(Object.entries(o)));

  it('the canonical form parses to a selector that evaluates the same', () => {
    // Not always a fixpoint, as in Calico: `!(!(x))` prints `!!x`, whose leading `!`s the parser collapses.
    fc.assert(
      fc.property(expr, labelMap, (sel, l) => {
        const a = parseSelector(sel);
        if (!a.ok) throw new Error(`${sel}: ${a.error}`);
        const b = parseSelector(formatSelector(a.selector));
        if (!b.ok) throw new Error(b.error);
        expect(evaluateSelector(b.selector, l)).toBe(evaluateSelector(a.selector, l));
      }),
    );
  });

  it('collapses runs of ! the way the parser does', () => {
    const r = parseSelector('!(!(!(has(a))))');
    expect(r.ok && formatSelector(r.selector)).toBe('!!!has(a)');
    const again = parseSelector('!!!has(a)');
    expect(again.ok && formatSelector(again.selector)).toBe('!has(a)');
  });

  it('!X is the negation of X', () => {
    fc.assert(
      fc.property(expr, labelMap, (sel, l) => {
        expect(matches(`!(${sel})`, Object.fromEntries(l))).toBe(!matches(sel, Object.fromEntries(l)));
      }),
    );
  });
});
