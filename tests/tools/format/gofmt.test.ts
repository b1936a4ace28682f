// Tests for src/tools/format/gofmt.ts: Go's %.Ng and %.Nf, whose results here are Go's own
// (fmt.Sprintf on float64), including the half-to-even ties where JavaScript rounds up.

import fc from 'fast-check';
import { goFormatFixed, goFormatG } from '../../../src/tools/format/gofmt.js';

describe('gofmt', () => {
  it.each([
    [65536, '65536'],
    [256, '256'],
    [1048576, '1.0486e+06'],
    [100000, '1e+05'],
    [12340, '12340'],
    [1234.5, '1234.5'],
    [0.5, '0.5'],
    [0, '0'],
    [65531, '65531'],
    [123456, '1.2346e+05'],
    [4294967296, '4.295e+09'],
    [0.0001234, '0.0001234'],
    [0.00001234, '1.234e-05'],
  ])('%%.5g of %p is %j', (x, want) => {
    expect(goFormatG(x, 5)).toBe(want);
  });

  it.each([
    [0.5, '0'],
    [1.5, '2'],
    [2.5, '2'],
    [3.5, '4'],
    [99.6, '100'],
    [0.0076293945, '0'],
    [100, '100'],
    [12.5, '12'],
  ])('%%.f of %p is %j (half to even)', (x, want) => {
    expect(goFormatFixed(x, 0)).toBe(want);
  });

  it('matches toFixed wherever the value is not an exact tie (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 4 }), (x, p) => {
        const scaled = x * 10 ** p;
        if (Math.abs(scaled - Math.trunc(scaled) - 0.5) < 1e-6) return true;
        return goFormatFixed(x, p) === x.toFixed(p);
      }),
    );
  });
});
