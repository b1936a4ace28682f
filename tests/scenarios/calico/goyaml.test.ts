// Tests for src/scenarios/calico/goyaml.ts: gopkg.in/yaml.v2 scalar resolution, Go's float formatting,
// message escaping and field paths.

import fc from 'fast-check';
import {
  escapeForMessage,
  formatPath,
  goFormatFloat,
  parseGoInt,
  parseGoYamlStream,
  quoteForMessage,
  resolveGoScalar,
  type YMap,
} from '../../../src/scenarios/calico/goyaml.js';

describe('resolveGoScalar', () => {
  it.each<[string, string, unknown]>([
    ['yes', 'bool', true],
    ['On', 'bool', true],
    ['y', 'bool', true],
    ['NO', 'bool', false],
    ['off', 'bool', false],
    ['true', 'bool', true],
    ['~', 'null', null],
    ['', 'null', null],
    ['null', 'null', null],
    ['26', 'int', 26],
    ['0x1f', 'int', 31],
    ['017', 'int', 15],
    ['0o17', 'int', 15],
    ['0b101', 'int', 5],
    ['-12', 'int', -12],
    ['1_000', 'int', 1000],
    ['08', 'float', 8],
    ['26.5', 'float', 26.5],
    ['1.10', 'float', 1.1],
    ['.5', 'float', 0.5],
    ['1e3', 'float', 1000],
    ['.inf', 'float', Infinity],
    ['-.Inf', 'float', -Infinity],
    ['2025-05-16T03:24:00Z', 'timestamp', '2025-05-16T03:24:00Z'],
    ['2025-05-16', 'timestamp', '2025-05-16'],
    ['12:34:56', 'str', '12:34:56'],
    ['10.23.14.110', 'str', '10.23.14.110'],
    ['00:50:56:a9:e1:02', 'str', '00:50:56:a9:e1:02'],
    ['all()', 'str', 'all()'],
    ['Always', 'str', 'Always'],
  ])('resolves %j to %s', (text, kind, value) => {
    expect(resolveGoScalar('', text)).toEqual({ kind, value });
  });

  it('keeps quoted and !!str scalars as strings', () => {
    expect(resolveGoScalar('!!str', 'yes')).toEqual({ kind: 'str', value: 'yes' });
  });

  it('reports an explicit tag that does not fit, as yaml.v2 does', () => {
    expect(resolveGoScalar('!!int', 'abc')).toEqual({ error: 'cannot decode !!str `abc` as a !!int' });
    expect(resolveGoScalar('!!float', '3')).toEqual({ kind: 'float', value: 3 });
  });
});

describe('parseGoInt', () => {
  it('accepts what strconv.ParseInt(s, 0, 64) accepts', () => {
    expect(parseGoInt('+7')).toBe(7);
    expect(parseGoInt('0')).toBe(0);
    expect(parseGoInt('09')).toBeNull();
    expect(parseGoInt('9223372036854775808')).not.toBeNull();
    expect(parseGoInt('18446744073709551616')).toBeNull();
  });
});

describe('goFormatFloat', () => {
  it.each([
    [1.1, '1.1'],
    [26, '26'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
  ])('formats %d as %s', (f, want) => {
    expect(goFormatFloat(f)).toBe(want);
  });

  it('round-trips through Number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (f) => {
        expect(Number(goFormatFloat(f))).toBe(f);
      }),
    );
  });
});

describe('escapeForMessage', () => {
  it.each([
    ['plain', 'plain'],
    ['a\tb', 'a\\tb'],
    ['a\nb', 'a\\nb'],
    ['\x1b[31m', '\\033[31m'],
    ['del\x7f', 'del\\177'],
    ['back\\slash', 'back\\\\slash'],
    ['\u0085', '\\302\\205'],
    ['héllo', 'héllo'],
  ])('escapes %j as %j', (s, want) => {
    expect(escapeForMessage(s)).toBe(want);
  });

  it('cuts after 256 characters with an ellipsis', () => {
    expect(escapeForMessage('x'.repeat(300))).toBe(`${'x'.repeat(256)}…`);
    expect(escapeForMessage('x'.repeat(256))).toBe('x'.repeat(256));
  });

  it('never leaves a control character in the output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const controls = [...escapeForMessage(s)].filter((c) => {
          const cp = c.codePointAt(0) ?? 0;
          return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0);
        });
        expect(controls).toEqual([]);
      }),
    );
  });

  it('quotes with escaped double quotes', () => {
    expect(quoteForMessage('a"b\n')).toBe('"a\\"b\\n"');
  });
});

describe('formatPath', () => {
  it.each<[(string | number)[], string]>([
    [['spec', 'nodes', 0, 'address'], 'spec.nodes[0].address'],
    [['metadata', 'labels', 'kubernetes.io/hostname'], 'metadata.labels["kubernetes.io/hostname"]'],
    [[0, 'spec'], '[0].spec'],
    [['spec', 'nat-outgoing'], 'spec.nat-outgoing'],
    [[], ''],
  ])('prints %j as %s', (path, want) => {
    expect(formatPath(path)).toBe(want);
  });
});

describe('parseGoYamlStream', () => {
  it('keeps documents, keys in order and lines', () => {
    const s = parseGoYamlStream('a: 1\nb: yes\n---\n- x\n---\n');
    expect(s.documents).toHaveLength(3);
    const root = s.documents[0].root as YMap;
    expect(root.entries.map((e) => [e.key, s.lineOf(e.keyOffset)])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(root.entries[1].value).toMatchObject({ kind: 'scalar', goKind: 'bool', value: true });
    expect(s.documents[1].root?.kind).toBe('seq');
    expect(s.documents[2].root).toBeNull();
  });

  it('turns integer and boolean keys into JSON keys as go-yaml-wrapper does', () => {
    const s = parseGoYamlStream('1: a\ntrue: b\n1.5: c\n');
    expect((s.documents[0].root as YMap).entries.map((e) => e.key)).toEqual(['1', 'true', '1.5']);
  });

  it('resolves aliases', () => {
    const s = parseGoYamlStream('a: &x {b: 1}\nc: *x\n');
    const c = (s.documents[0].root as YMap).entries[1].value as YMap;
    expect(c.entries[0]).toMatchObject({ key: 'b' });
  });

  it('reports a syntax error at its line', () => {
    const s = parseGoYamlStream('a: 1\nb: [\n');
    const d = s.documents[0];
    expect(d.errors.length).toBeGreaterThan(0);
    expect(s.lineOf(d.errors[0].offset)).toBe(3);
  });
});
