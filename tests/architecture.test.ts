// The shape of the code base: imports point one way (model ← kernel ← {encap, bgp} ← scenarios ←
// tools ← cli), encap and bgp never import each other, only cli/ imports the terminal UI libraries,
// and nothing under src/ reads the wall clock or Math.random.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

/** layerOf names the layer a repository path belongs to. */
function layerOf(path: string): string {
  const rel = relative(ROOT, path).split('\\').join('/');
  if (rel.startsWith('cli/')) return 'cli';
  const m = /^src\/([a-z]+)\//.exec(rel);
  return m ? m[1] : rel;
}

/** ALLOWED lists, for each layer, the layers it may import from. */
const ALLOWED: ReadonlyMap<string, readonly string[]> = new Map([
  ['model', ['model']],
  ['kernel', ['model', 'kernel']],
  ['encap', ['model', 'kernel', 'encap']],
  ['bgp', ['model', 'kernel', 'bgp']],
  ['scenarios', ['model', 'kernel', 'encap', 'bgp', 'scenarios']],
  ['tools', ['model', 'kernel', 'encap', 'bgp', 'scenarios', 'tools']],
  ['cli', ['model', 'kernel', 'encap', 'bgp', 'scenarios', 'tools', 'cli']],
]);

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

const sources = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'cli'))];

describe('imports point one way', () => {
  it.each(sources.map((p) => [relative(ROOT, p)]))('%s', (rel) => {
    const path = join(ROOT, rel);
    const from = layerOf(path);
    const allowed = ALLOWED.get(from);
    expect(allowed).toBeDefined();
    for (const spec of importsOf(path)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(path), spec);
        const to = layerOf(target);
        if (!allowed!.includes(to)) throw new Error(`${rel} (${from}) imports ${spec} (${to})`);
      } else if (/^(ink|react|chalk|ink-testing-library)(\/|$)/.test(spec) && from !== 'cli') {
        throw new Error(`${rel} imports ${spec}: only cli/ may import the terminal UI libraries`);
      }
    }
  });

  it('knows every layer it checks', () => {
    expect(new Set(sources.map(layerOf))).toEqual(new Set([...ALLOWED.keys()].filter((l) => sources.some((p) => layerOf(p) === l))));
  });
});

describe('src/ is deterministic', () => {
  const src = files(join(ROOT, 'src'));
  it.each(src.map((p) => [relative(ROOT, p)]))('%s reads no clock and no Math.random', (rel) => {
    const text = readFileSync(join(ROOT, rel), 'utf8')
      .replace(/\/\/.*$/gm, '')
      .replace(/\/\*[\s\S]*?\*\//g, '');
    for (const bad of [
      /Math\.random\s*\(/,
      /Date\.now\s*\(/,
      /new Date\(\s*\)/,
      /performance\.now\s*\(/,
      /process\.hrtime/,
      /\bsetTimeout\s*\(/,
      /\bsetInterval\s*\(/,
    ]) {
      expect([rel, bad.test(text)]).toEqual([rel, false]);
    }
  });
});
