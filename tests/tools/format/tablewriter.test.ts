// Tests for src/tools/format/tablewriter.ts: calicoctl tables published in docs and issues
// (calico-facts §7: docs.tigera.io node status, calicoctl#1883's wrapped INFO cell, ipam show),
// the wrap algorithm of wrap.go, Title() and a layout property.

import fc from 'fast-check';
import { padCenter, renderTable, tableTitle, wrapString, wrapWords } from '../../../src/tools/format/tablewriter.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const HEADER = ['Peer address', 'Peer type', 'State', 'Since', 'Info'];

describe('tablewriter', () => {
  it('renders the node status table of the Calico docs', () => {
    expect(renderTable(HEADER, [['172.17.8.102', 'node-to-node mesh', 'up', '23:30:04', 'Established']])).toBe(
      lines(
        '+--------------+-------------------+-------+----------+-------------+',
        '| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |',
        '+--------------+-------------------+-------+----------+-------------+',
        '| 172.17.8.102 | node-to-node mesh | up    | 23:30:04 | Established |',
        '+--------------+-------------------+-------+----------+-------------+',
      ),
    );
  });

  it('wraps a cell over 30 columns and makes the column 30 wide (calicoctl#1883)', () => {
    const out = renderTable(HEADER, [['192.168.63.204', 'node-to-node mesh', 'start', '17:19:38', 'Active Socket: Connection refused']]);
    expect(out.split('\n').slice(3, 5)).toEqual([
      '| 192.168.63.204 | node-to-node mesh | start | 17:19:38 | Active Socket: Connection      |',
      '|                |                   |       |          | refused                        |',
    ]);
    expect(out.split('\n')[1]).toBe('|  PEER ADDRESS  |     PEER TYPE     | STATE |  SINCE   |              INFO              |');
  });

  it('keeps a word longer than the limit on its own line at its own width', () => {
    const long = 'x'.repeat(35);
    const out = renderTable(['A'], [[`ab ${long} cd`]]);
    expect(out.split('\n').slice(3, 6)).toEqual([`| ab${' '.repeat(33)} |`, `| ${long} |`, `| cd${' '.repeat(33)} |`]);
  });

  it('right-aligns cells that look like decimal numbers (calicoctl ipam show)', () => {
    const out = renderTable(
      ['GROUPING', 'CIDR', 'IPS TOTAL', 'IPS IN USE', 'IPS FREE'],
      [['IP Pool', '10.244.0.0/16', '65536', '5 (0%)', '65531 (100%)']],
    );
    expect(out).toBe(
      lines(
        '+----------+---------------+-----------+------------+--------------+',
        '| GROUPING |     CIDR      | IPS TOTAL | IPS IN USE |   IPS FREE   |',
        '+----------+---------------+-----------+------------+--------------+',
        '| IP Pool  | 10.244.0.0/16 |     65536 | 5 (0%)     | 65531 (100%) |',
        '+----------+---------------+-----------+------------+--------------+',
      ),
    );
  });

  it.each([
    ['Peer address', 'PEER ADDRESS'],
    ['peer_type', 'PEER TYPE'],
    ['a.b', 'A B'],
    ['v1.0', 'V1.0'],
    ['x.y1', 'X Y1'],
    ['1.0', '1.0'],
    ['  x  ', 'X'],
    ['   ', ' '],
    ['', ''],
  ])('Title(%j) is %j', (name, want) => {
    expect(tableTitle(name)).toBe(want);
  });

  it('centres with the smaller gap on the left', () => {
    expect(padCenter('INFO', 11)).toBe('   INFO    ');
    expect(padCenter('SINCE', 8)).toBe(' SINCE  ');
  });

  it('breaks lines with minimal raggedness, not greedily', () => {
    // Greedy filling would give "aaa bb" / "cc" / "ddddd"; the DP balances the slack.
    expect(wrapWords(['aaa', 'bb', 'cc', 'ddddd'], 1, 6, 1e5)).toEqual([['aaa'], ['bb', 'cc'], ['ddddd']]);
    expect(wrapString('Active Socket: Connection refused', 30).lines).toEqual(['Active Socket: Connection', 'refused']);
  });

  it('draws every line of a table to the same width (property)', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9:.]{1,12}$/);
    const cellArb = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const out = renderTable(['One', 'Two', 'Three'], rows).split('\n').slice(0, -1);
        return out.every((l) => l.length === out[0].length);
      }),
    );
  });
});
