// Tests for src/tools/format/goyaml.ts (yaml.v2 v2.4.0 Marshal of decoded JSON) and
// gojson.ts: quoting decided by resolve.go and the emitter, key order of sorter.go, block layout,
// the IPPool of seed 000 as a YAML document, and a parse-back round trip with the yaml package.

import fc from 'fast-check';
import { parse } from 'yaml';
import { goJsonMarshal, goJsonMarshalIndent, goJsonString } from '../../../src/tools/format/gojson.js';
import { goObject, type GoValue } from '../../../src/tools/format/govalue.js';
import { goYamlMarshal, resolvesToNonString, yamlKeyLess } from '../../../src/tools/format/goyaml.js';

const obj = (o: Record<string, GoValue>): GoValue => goObject(Object.entries(o));

describe('goyaml', () => {
  it.each([
    ['10.233.0.0/16', '10.233.0.0/16'],
    ['all()', 'all()'],
    ['', '""'],
    ['true', '"true"'],
    ['on', '"on"'],
    ['null', '"null"'],
    ['64512', '"64512"'],
    ['0x1F', '"0x1F"'],
    ['1e5', '"1e5"'],
    ['.5', '".5"'],
    ['2024-05-16T12:31:29Z', '"2024-05-16T12:31:29Z"'],
    ['2024-05-16', '"2024-05-16"'],
    ['12:31:31', '"12:31:31"'],
    ['a: b', "'a: b'"],
    ['- x', "'- x'"],
    ['#x', "'#x'"],
    ['x #y', "'x #y'"],
    ["'q'", "'''q'''"],
    ['x#y', 'x#y'],
    ['k8s', 'k8s'],
    ['has(node-role.kubernetes.io/master)', 'has(node-role.kubernetes.io/master)'],
    [' lead', "' lead'"],
    ['tab\there', '"tab\\there"'],
  ])('writes the string %j as %s', (s, want) => {
    expect(goYamlMarshal(s)).toBe(`${want}\n`);
  });

  it('tells which plain scalars would read back as another type', () => {
    expect(resolvesToNonString('1_000')).toBe(true);
    expect(resolvesToNonString('-0b101')).toBe(true);
    expect(resolvesToNonString('yes')).toBe(true);
    expect(resolvesToNonString('yesno')).toBe(false);
    expect(resolvesToNonString('2024-13-01')).toBe(false);
  });

  it('sorts keys as sorter.go does: letters after other characters, numbers by value', () => {
    const keys = ['spec', 'apiVersion', 'metadata', 'kind', 'a10', 'a9', 'A', '_x'];
    const sorted = [...keys].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    expect(sorted).toEqual(['_x', 'A', 'a9', 'a10', 'apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('writes the IPPool of seed 000 in yaml.v2 block style', () => {
    const pool = obj({
      kind: 'IPPool',
      apiVersion: 'projectcalico.org/v3',
      metadata: obj({ name: 'default-ipv4-ippool', creationTimestamp: '2025-05-16T12:31:29Z', resourceVersion: '1024' }),
      spec: obj({
        cidr: '10.233.0.0/16',
        vxlanMode: 'Never',
        ipipMode: 'Never',
        natOutgoing: true,
        blockSize: 24,
        nodeSelector: 'all()',
        allowedUses: ['Workload', 'Tunnel'],
      }),
    });
    expect(goYamlMarshal(pool)).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'kind: IPPool',
        'metadata:',
        '  creationTimestamp: "2025-05-16T12:31:29Z"',
        '  name: default-ipv4-ippool',
        '  resourceVersion: "1024"',
        'spec:',
        '  allowedUses:',
        '  - Workload',
        '  - Tunnel',
        '  blockSize: 24',
        '  cidr: 10.233.0.0/16',
        '  ipipMode: Never',
        '  natOutgoing: true',
        '  nodeSelector: all()',
        '  vxlanMode: Never',
        '',
      ].join('\n'),
    );
  });

  it('writes a list at the root with dashes, empty containers in flow style and null', () => {
    expect(goYamlMarshal([obj({ a: 1, b: obj({}) }), obj({ c: [] })])).toBe('- a: 1\n  b: {}\n- c: []\n');
    expect(goYamlMarshal(null)).toBe('null\n');
    expect(goYamlMarshal(obj({ status: obj({}) }))).toBe('status: {}\n');
  });

  it('writes strings with newlines as literal blocks with their chomping indicator', () => {
    expect(goYamlMarshal(obj({ a: 'x\ny\n', b: 'x\ny' }))).toBe('a: |\n  x\n  y\nb: |-\n  x\n  y\n');
  });

  it('folds long plain strings at the first space past column 80', () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
    const out = goYamlMarshal(obj({ k: words }));
    const [first, second] = out.split('\n');
    expect(first.length).toBeGreaterThan(80);
    // The column passes 80 inside word12 (at 83); the next space becomes the line break.
    expect(first).toBe('k: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12');
    expect(second).toBe('  word13 word14 word15 word16 word17 word18 word19');
  });

  it('round-trips JSON-like values through a YAML parser (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 });
    const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec<{ v: GoValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.uniqueArray(fc.tuple(key, tie('v')), { maxLength: 3, selector: (t) => t[0] }).map((es) => goObject(es) as GoValue),
      ),
    })).v;
    const plain = (v: GoValue): unknown =>
      v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v;
    fc.assert(
      fc.property(value, (v) => {
        expect(parse(goYamlMarshal(v))).toEqual(plain(v));
      }),
    );
  });
});

describe('gojson', () => {
  it('escapes as encoding/json does, HTML characters included', () => {
    expect(goJsonString('a<b>&"\\\n\u0001\u2028')).toBe('"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\u0001\\u2028"');
  });

  it('indents with MarshalIndent layout and keeps struct field order', () => {
    expect(goJsonMarshalIndent(obj({ kind: 'IPPool', spec: obj({ cidr: '10.0.0.0/8', a: [1, 2], e: [], m: obj({}) }) }))).toBe(
      '{\n  "kind": "IPPool",\n  "spec": {\n    "cidr": "10.0.0.0/8",\n    "a": [\n      1,\n      2\n    ],\n    "e": [],\n    "m": {}\n  }\n}',
    );
    expect(goJsonMarshal(obj({ a: [true, null] }))).toBe('{"a":[true,null]}');
  });
});
