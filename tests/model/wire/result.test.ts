// Tests for the Result helpers the wire decoders return.

import { err, ok, type Result } from '../../../src/model/wire/result.js';

describe('Result', () => {
  it('wraps values and errors', () => {
    const good: Result<number> = ok(3);
    const bad: Result<number> = err('nope');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, error: 'nope' });
  });
});
