// The documentation stays true: every command line in a ```lab block of docs/*.md parses with the
// lab parser, and every command form the parser knows appears in docs/labs.md.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLab } from '../src/tools/lab.js';

const DOCS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs');

/** labBlocks returns the lines of every ```lab fenced block of a Markdown text, with their line numbers. */
function labBlocks(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  let inLab = false;
  lines.forEach((l, i) => {
    if (/^```/.test(l)) {
      inLab = !inLab && /^```lab\s*$/.test(l);
      return;
    }
    if (inLab && l.trim() !== '' && !l.trim().startsWith('#')) out.push({ line: i + 1, text: l });
  });
  return out;
}

const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

describe('every lab line in the docs parses', () => {
  const cases = docs.flatMap((f) => labBlocks(readFileSync(join(DOCS, f), 'utf8')).map((b) => [`${f}:${b.line}`, b.text] as const));

  it('finds lab blocks', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases)('%s: %s', (where, text) => {
    const r = parseLab(text, where);
    if (!r.ok) throw new Error(`${where}: ${r.error.message}`);
    expect(r.lab.lines).toHaveLength(1);
  });
});

describe('docs/labs.md covers every command form', () => {
  const kinds = new Set<string>();
  for (const b of labBlocks(readFileSync(join(DOCS, 'labs.md'), 'utf8'))) {
    const r = parseLab(b.text, 'labs.md');
    if (r.ok) for (const l of r.lab.lines) kinds.add(l.cmd.kind);
  }
  it.each([
    'netns-add',
    'netns-del',
    'netns-list',
    'link-add',
    'link-set',
    'link-del',
    'link-show',
    'addr-change',
    'addr-show',
    'route-change',
    'route-show',
    'route-get',
    'neigh-change',
    'neigh-show',
    'fdb-change',
    'fdb-show',
    'bridge-link-show',
    'sysctl-write',
    'sysctl-read',
    'cat',
    'route-n',
    'ping',
    'curl',
    'listen',
    'capture',
    'captures',
    'sleep',
    'tcpdump',
  ])('%s', (kind) => {
    expect(kinds.has(kind)).toBe(true);
  });
});
