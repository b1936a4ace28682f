// Tests for the versions behind the kernel transcripts (cli/lab/versions.ts): fixtures/labs/VERSIONS.md
// and docs/labs.md 14 list the same components and versions, and this machine is compared row by row.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPONENTS, compareVersions, parseVersionsTable, versionsReport } from '../../../cli/lab/versions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const versionsFile = readFileSync(join(ROOT, 'fixtures', 'labs', 'VERSIONS.md'), 'utf8');
const docs = readFileSync(join(ROOT, 'docs', 'labs.md'), 'utf8');
const section14 = docs.slice(docs.indexOf('## 14. '), docs.indexOf('## 15. '));

/** tableLines are the table's rows as written (header, rule and rows). */
function tableLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| component | version |'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('fixtures/labs/VERSIONS.md', () => {
  it('has the table of docs/labs.md 14, row for row', () => {
    expect(tableLines(section14).length).toBeGreaterThan(2);
    expect(tableLines(versionsFile)).toEqual(tableLines(section14));
  });

  it('lists every component the runner reads, in the same order', () => {
    expect([...parseVersionsTable(versionsFile).keys()]).toEqual(COMPONENTS.map((c) => c.name));
  });

  it('gives every component a version', () => {
    expect([...parseVersionsTable(versionsFile)].filter(([, version]) => version === '')).toEqual([]);
  });
});

describe('compareVersions', () => {
  const reference = new Map([
    ['Linux kernel', '6.18.44'],
    ['tcpdump', '4.99.3 (libpcap 1.10.3)'],
  ]);

  it('finds nothing when the versions are the same', () => {
    const here = new Map<string, string | null>(reference);
    expect(compareVersions(reference, here)).toEqual([]);
    expect(versionsReport(reference, here)).toBe('versions: the same as fixtures/labs/VERSIONS.md\n');
  });

  it('names each component that differs or cannot be read', () => {
    const here = new Map<string, string | null>([
      ['Linux kernel', '6.1.0'],
      ['tcpdump', null],
    ]);
    expect(compareVersions(reference, here)).toEqual([
      { name: 'Linux kernel', reference: '6.18.44', here: '6.1.0' },
      { name: 'tcpdump', reference: '4.99.3 (libpcap 1.10.3)', here: null },
    ]);
    expect(versionsReport(reference, here)).toBe(
      'versions: 2 differ from fixtures/labs/VERSIONS.md (mismatches may come from them)\n' +
        '  Linux kernel: 6.1.0 here, 6.18.44 there\n' +
        '  tcpdump: (cannot read) here, 4.99.3 (libpcap 1.10.3) there\n',
    );
  });
});

describe('parseVersionsTable', () => {
  it('reads the rows after the header and the rule, and stops at the table end', () => {
    const md =
      'text\n\n| component | version | how to check |\n| --- | --- | --- |\n| a | 1 | `a -V` |\n| b (`x`) | 2.0 (lib 3) | `b` |\n\nmore\n| c | 9 |\n';
    expect([...parseVersionsTable(md)]).toEqual([
      ['a', '1'],
      ['b (`x`)', '2.0 (lib 3)'],
    ]);
  });

  it('returns nothing without the table', () => {
    expect(parseVersionsTable('| x | y |\n').size).toBe(0);
  });
});
