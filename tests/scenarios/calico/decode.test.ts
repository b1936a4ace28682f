// Tests for src/scenarios/calico/decode.ts: Go-typed decoding helpers (time.ParseDuration,
// numorstring.ASNumber) and the two decoding dialects.

import { z } from 'zod';
import {
  decodeNode,
  goDurationError,
  goInt,
  goString,
  goStruct,
  parseAsNumber,
  parseGoDuration,
} from '../../../src/scenarios/calico/decode.js';
import { parseGoYamlStream } from '../../../src/scenarios/calico/goyaml.js';

describe('parseGoDuration', () => {
  it.each<[string, number | null]>([
    ['120s', 120],
    ['2m', 120],
    ['1m30s', 90],
    ['1.5h', 5400],
    ['500ms', 0.5],
    ['-2m', -120],
    ['0', 0],
    ['2x', null],
    ['', null],
    ['10', null],
  ])('reads %j as %j seconds', (s, want) => {
    const got = parseGoDuration(s);
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 9);
  });
});

describe('goDurationError', () => {
  it.each([
    ['2x', 'time: unknown unit "x" in duration "2x"'],
    ['10', 'time: missing unit in duration "10"'],
    ['', 'time: invalid duration ""'],
    ['s', 'time: invalid duration "s"'],
  ])('refuses %j with %j', (s, want) => {
    expect(goDurationError(s)).toBe(want);
  });
});

describe('parseAsNumber', () => {
  it.each<[string, number | null]>([
    ['64512', 64512],
    ['4294967295', 4294967295],
    ['4294967296', null],
    ['1.10', 65546],
    ['65535.65535', 4294967295],
    ['65536.0', null],
    ['abc', null],
  ])('reads %j as %j', (s, want) => {
    expect(parseAsNumber(s)).toBe(want);
  });
});

describe('dialects', () => {
  const schema = goStruct('Thing', { name: goString(), count: goInt('uint8'), nested: goStruct('Inner', { x: goString() }).optional() });
  const strict = z.strictObject({ name: z.string(), count: z.number().int().optional() });
  const decode = (text: string, s: z.ZodType, dialect: 'go' | 'calisim') => {
    const stream = parseGoYamlStream(text);
    return decodeNode(stream.documents[0].root!, s, dialect, 'Thing', stream.lineOf);
  };

  it('coerces scalars into string fields and folds key case in the go dialect', () => {
    const d = decode('NAME: 42\ncount: 7\nnested: {X: true}\n', schema, 'go');
    expect(d.issues).toEqual([]);
    expect(d.value).toEqual({ name: '42', count: 7, nested: { x: 'true' } });
  });

  it('checks Go integer ranges', () => {
    expect(decode('count: 300\n', schema, 'go').issues.map((i) => i.message)).toEqual([
      'json: cannot unmarshal number 300 into Go struct field Thing.count of type uint8',
    ]);
  });

  it('is exact and strict in the calisim dialect', () => {
    const d = decode('NAME: x\nname: 5\n', strict, 'calisim');
    expect(d.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'NAME: unknown field "NAME"',
      'name: must be a string, not an integer',
    ]);
    expect(decode('count: 1\n', strict, 'calisim').issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'name: required field is missing',
    ]);
  });

  it('records where every value is', () => {
    const d = decode('name: a\nnested:\n  x: b\n', schema, 'go');
    expect(d.positions.get('nested.x')).toEqual({ keyOffset: 18, valueOffset: 21 });
  });
});
