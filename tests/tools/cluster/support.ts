// Shared by the tests of src/tools/cluster: a converged cluster from a scenario of fixtures/scenarios
// (or from YAML text), a shell over it, the blocks a seed's walkthrough expects (NAME.expect.md, read
// from the file itself), and the normalisations its *Varies* notes allow.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../../src/scenarios/calico/load.js';
import { ClusterRuntime } from '../../../src/scenarios/runtime/cluster.js';
import { Shell } from '../../../src/tools/shell.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/scenarios');

/** scenarioText reads fixtures/scenarios/NAME.yaml. */
export function scenarioText(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8');
}

/** withCalicoSetting sets `spec.calico.KEY: VALUE` in a scenario's text (replacing the key if it is there). */
export function withCalicoSetting(text: string, key: string, value: string): string {
  const without = text.replace(new RegExp(`^ {4}${key}:.*\\n`, 'm'), '');
  if (!/^ {2}calico:\n/m.test(without)) throw new Error('scenario has no spec.calico');
  return without.replace(/^ {2}calico:\n/m, `  calico:\n    ${key}: ${value}\n`);
}

/** Lab is a converged cluster and a shell over it. */
export interface Lab {
  readonly cluster: ClusterRuntime;
  readonly shell: Shell;
  /** run runs one command line in a namespace. */
  run(ns: string, line: string): { stdout: string; stderr: string; status: number };
}

/** filesOf reads the files a walkthrough's `-f FILE` names from fixtures/scenarios/NAME.files/. */
function filesOf(name: string): (path: string) => { readonly text: string } | { readonly errno: string } {
  return (path) => {
    const p = join(FIXTURES, `${name}.files`, path);
    if (!existsSync(p)) return { errno: 'ENOENT' };
    if (statSync(p).isDirectory()) return { errno: 'EISDIR' };
    return { text: readFileSync(p, 'utf8') };
  };
}

/**
 * clusterLab loads a scenario's text, brings the cluster up and converges it; `start` also creates its
 * pending pods, `files` names the scenario whose NAME.files/ the commands read.
 */
export function clusterLab(text: string, opts: { readonly start?: boolean; readonly files?: string } = {}): Lab {
  const r = loadScenario(text, 'test.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const cluster = new ClusterRuntime(r.scenario);
  cluster.converge();
  if (opts.start) {
    for (const p of cluster.pendingPods()) {
      const e = cluster.startPod(p);
      if (e !== null) throw new Error(e);
    }
    cluster.converge();
  }
  const shell = new Shell(cluster.sim, { cluster, ...(opts.files !== undefined ? { readFile: filesOf(opts.files) } : {}) });
  return {
    cluster,
    shell,
    run(ns, line) {
      const o = shell.run(line, ns).output;
      return { stdout: o.stdout, stderr: o.stderr, status: o.status };
    },
  };
}

/** expectBlock is the first fenced block under `## Step N:` of fixtures/scenarios/NAME.expect.md, each line newline-terminated. */
export function expectBlock(name: string, step: number): string {
  const md = readFileSync(join(FIXTURES, `${name}.expect.md`), 'utf8');
  const at = md.indexOf(`## Step ${step}:`);
  if (at < 0) throw new Error(`${name}.expect.md has no step ${step}`);
  const open = md.indexOf('```\n', at);
  const close = md.indexOf('\n```', open + 3);
  const body = close === open + 3 ? '' : md.slice(open + 4, close + 1);
  return body;
}

/** linesInOrder says whether every line of `block` appears in `text`, in order (a `subset` match). */
export function linesInOrder(text: string, block: string): boolean {
  const have = text.split('\n');
  let i = 0;
  for (const want of block.split('\n').filter((l) => l !== '')) {
    while (i < have.length && have[i] !== want) i++;
    if (i === have.length) return false;
    i++;
  }
  return true;
}

/**
 * blankColumn replaces one column of a table (the cells under `header`, up to the next column) with
 * `<placeholder>` padded to the column's width: kubectl's AGE, GoBGP's Age.
 */
export function blankColumn(text: string, header: string, placeholder: string): string {
  const lines = text.split('\n');
  const start = lines[0].indexOf(header);
  if (start < 0) return text;
  const next = lines[0].slice(start + header.length).search(/\S/);
  const end = next < 0 ? Infinity : start + header.length + next;
  return lines
    .map((l) =>
      l.length <= start
        ? l
        : l.slice(0, start) + placeholder.padEnd(Math.min(end, l.length) - start) + (end === Infinity ? '' : l.slice(end)),
    )
    .join('\n');
}

/** normaliseTimes replaces ping's times (`time=0.823 ms`, busybox's round-trip line) as cli/lab/normalize.ts does for iputils. */
export function normaliseTimes(text: string): string {
  return text.replace(/time=[\d.]+ ms/g, 'time=<t> ms').replace(/^round-trip min\/avg\/max = .*$/m, 'round-trip min/avg/max = <rtt>');
}
