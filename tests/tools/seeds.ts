// The seed walkthroughs as checkable data: each step of fixtures/scenarios/NAME.expect.md (the lines
// the seed document shows, `exact` or `subset`) paired with what the step's last command printed in
// `calisim replay NAME`, after rewriting what legitimately varies between runs (times, ICMP ids, TCP
// sequence numbers and timestamps, ephemeral ports) on both sides.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labLines } from '../../src/tools/lab.js';
import { openScenario } from '../../src/tools/scenario.js';
import type { TranscriptEntry } from '../../src/tools/transcript.js';

/** ExpectBlock is one step's expected output. */
export interface ExpectBlock {
  readonly step: number;
  readonly title: string;
  readonly block: string;
  readonly match: 'exact' | 'subset';
}

/** parseExpect reads NAME.expect.md. */
export function parseExpect(text: string): ExpectBlock[] {
  const out: ExpectBlock[] = [];
  const parts = text.split(/^## Step (\d+): (.*)$/m);
  for (let i = 1; i + 2 < parts.length + 1; i += 3) {
    const step = Number(parts[i]);
    const title = parts[i + 1];
    const body = parts[i + 2] ?? '';
    const m = /^```\n([\s\S]*?)^```$/m.exec(body);
    if (m === null) continue;
    const match = /^- Match: (exact|subset)/m.exec(body)?.[1] === 'exact' ? 'exact' : 'subset';
    out.push({ step, title, block: m[1], match });
  }
  return out;
}

/** varies rewrites what differs between runs. */
export function varies(s: string): string {
  return s
    .replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '')
    .replace(/ {2,}(\d+d )?\d\d:\d\d:\d\d( {2,}\[\{Origin)/g, '   <age>$2')
    .replace(/time=\d+(\.\d+)? ms/g, 'time=<t> ms')
    .replace(/(rtt min\/avg\/max\/mdev|round-trip min\/avg\/max) = [\d./]+ ms/g, '$1 = <rtt> ms')
    .replace(/, time \d+ms/g, ', time <t>ms')
    .replace(/\bid \d+, seq/g, 'id <id>, seq')
    .replace(/\bseq \d+(:\d+)?, /g, 'seq <seq>, ')
    .replace(/\back \d+, /g, 'ack <ack>, ')
    .replace(/TS val \d+ ecr \d+/g, 'TS val <ts> ecr <ts>')
    .replace(/\.(\d{5})(?=[ :])/g, (m, p: string) => (Number(p) >= 32768 ? '.<port>' : m))
    .split('\n')
    .map(ageColumn())
    .join('\n');
}

/**
 * ageColumn blanks kubectl's AGE cells: the seeds' clusters ran for a time the documents do not say
 * (their `Varies`), and one document's AGE was edited (kubectl v1.32 cannot print `1h`).
 */
function ageColumn(): (line: string) => string {
  let at = -1;
  return (line) => {
    const h = line.search(/ AGE( |$)/);
    if (h >= 0 && /^NAME\b/.test(line)) {
      at = h + 1;
      return line;
    }
    if (at < 0 || line.length <= at) return line;
    const m = /^\S+ */.exec(line.slice(at));
    return m === null ? line : `${line.slice(0, at)}<age> ${line.slice(at + m[0].length)}`;
  };
}

/** StepResult is one step's block against what calisim printed. */
export interface StepResult extends ExpectBlock {
  readonly actual: string;
  readonly ok: boolean;
}

/** replaySeed runs a built-in scenario's walkthrough and checks every expected block. */
export function replaySeed(root: string, name: string): StepResult[] {
  const dir = join(root, 'fixtures', 'scenarios');
  const yaml = readFileSync(join(dir, `${name}.yaml`), 'utf8');
  const walk = readFileSync(join(dir, `${name}.walk.lab`), 'utf8');
  const expect = parseExpect(readFileSync(join(dir, `${name}.expect.md`), 'utf8'));
  const r = openScenario(yaml, `${name}.yaml`);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const shell = r.opened.shell;
  shell.readFile = (p) => {
    try {
      return { text: readFileSync(join(dir, `${name}.files`, p), 'utf8') };
    } catch {
      return { errno: 'ENOENT' };
    }
  };
  // Each step's commands follow its `# Step N.` comment.
  const stepOfLine = new Map<number, number>();
  let step = 0;
  walk.split('\n').forEach((l, i) => {
    const m = /^# Step (\d+)\./.exec(l);
    if (m !== null) step = Number(m[1]);
    stepOfLine.set(i + 1, step);
  });
  const last = new Map<number, TranscriptEntry>();
  for (const l of labLines(walk, `${name}.walk.lab`)) {
    if (!l.ok) throw new Error(`${l.error.file}:${l.error.line}: ${l.error.message}`);
    const e = shell.runLine(l.line);
    last.set(stepOfLine.get(l.line.line) ?? 0, e);
  }
  return expect.map((b) => {
    const e = last.get(b.step);
    const actual = e === undefined ? '' : e.stdout;
    // A document whose MACs were lost writes `<mac-NAME>`: any MAC stands there.
    const anyMac = b.block.includes('<mac-');
    const want = varies(anyMac ? b.block.replace(/<mac-[\w-]+>/g, '<mac>') : b.block);
    const got = varies(anyMac ? actual.replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/g, '<mac>') : actual);
    const ok = b.match === 'exact' ? got === want : subsetInOrder(want, got);
    return { ...b, actual, ok };
  });
}

function subsetInOrder(want: string, got: string): boolean {
  const lines = got.split('\n');
  let at = 0;
  for (const w of want.split('\n')) {
    if (w === '') continue;
    const i = lines.indexOf(w, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}
