// Tests of the JSON writer (src/tools/ip/json.ts): jsonPretty lays out a compact document as
// json_writer.c does under `ip -j -p` (expected text copied from iproute2 6.1 on kernel 6.18, see
// fixtures/labs/ip-output-options.lab), and it only ever adds whitespace outside strings.

import fc from 'fast-check';
import { jsonPretty, jsonValue, type JsonValue } from '../../../src/tools/ip/json.js';

describe('jsonPretty', () => {
  it.each([
    ['[]\n', '[ ]\n'],
    ['[{"flags":[]}]\n', '[ {\n        "flags": [ ]\n    } ]\n'],
    [
      '[{"ifindex":1,"flags":["LOOPBACK","UP"],"stats64":{"rx":{"bytes":0}}},{"ifindex":2,"x":{}}]\n',
      '[ {\n        "ifindex": 1,\n        "flags": [ "LOOPBACK","UP" ],\n        "stats64": {\n            "rx": {\n                "bytes": 0\n            }\n        }\n    },{\n        "ifindex": 2,\n        "x": {}\n    } ]\n',
    ],
    [
      '[{"addr_info":[{"local":"127.0.0.1","prefixlen":8}]}]\n',
      '[ {\n        "addr_info": [ {\n                "local": "127.0.0.1",\n                "prefixlen": 8\n            } ]\n    } ]\n',
    ],
    ['[{"s":"a,\\"b]:{"}]\n', '[ {\n        "s": "a,\\"b]:{"\n    } ]\n'],
    ['[{"proxy":null,"t":0.00,"b":true}]\n', '[ {\n        "proxy": null,\n        "t": 0.00,\n        "b": true\n    } ]\n'],
  ])('%j', (compact, pretty) => {
    expect(jsonPretty(compact)).toBe(pretty);
  });

  it('leaves text that is not JSON alone', () => {
    expect(jsonPretty('10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n')).toBe(
      '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT \n',
    );
  });

  const value: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(
        fc.string({ minLength: 1 }).filter((k) => !/^\d+$/.test(k)),
        tie('v'),
        { maxKeys: 4 },
      ),
    ),
  })).v;

  it('only adds whitespace outside strings', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (items) => {
        const compact = jsonValue(items);
        const pretty = jsonPretty(`${compact}\n`);
        expect(JSON.parse(pretty)).toEqual(JSON.parse(compact));
        // Removing the whitespace the writer added outside strings gives the compact text back.
        const stripped = pretty.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_m, str: string | undefined) => str ?? '');
        expect(stripped).toBe(compact);
      }),
    );
  });
});
