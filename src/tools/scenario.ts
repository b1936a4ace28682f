// A scenario opened for people to work in: the cluster brought up and converged, with the userspace
// on its machines — the pods' servers listening on their `ports` (the HTTP form of `listen`), each
// node's `setup` lines run — and one shell for all of them. `calisim exec`, `replay`, `run --scenario`,
// the terminal UI and the library open scenarios through here.

import { loadScenario, type Scenario } from '../scenarios/calico/load.js';
import { ClusterRuntime, type ClusterOptions, type ConvergeResult } from '../scenarios/runtime/cluster.js';
import { serveHttp } from './directives.js';
import { formatLabError, labLines } from './lab.js';
import { safeText } from './escape.js';
import { Shell } from './shell.js';

/** OpenedScenario is a running cluster and its shell. */
export interface OpenedScenario {
  readonly scenario: Scenario;
  readonly cluster: ClusterRuntime;
  readonly shell: Shell;
  readonly converged: ConvergeResult;
  /** problems are what the control plane could not do, as `where: what: error` lines (a real node's logs). */
  readonly problems: readonly string[];
}

/** OpenResult is an opened scenario, or the scenario's error lines (`FILE:LINE: …`). */
export type OpenResult =
  | { readonly ok: true; readonly opened: OpenedScenario }
  | { readonly ok: false; readonly errors: readonly string[] };

/** OpenOptions choose how far to bring the cluster up. */
export interface OpenOptions extends Omit<ClusterOptions, 'onPodStarted'> {
  /** converge is false to stop right after the build (virtual time 0). */
  readonly converge?: boolean;
}

/** openScenario loads a scenario text, builds its cluster, runs the nodes' setup lines and converges BGP. */
export function openScenario(text: string, file: string, opts: OpenOptions = {}): OpenResult {
  const r = loadScenario(text, file);
  if (!r.ok) return { ok: false, errors: r.errors };
  const scenario = r.scenario;
  const setupErrors = checkSetup(scenario);
  if (setupErrors.length > 0) return { ok: false, errors: setupErrors };
  const serverProblems: string[] = [];
  const cluster = new ClusterRuntime(scenario, {
    ...opts,
    onPodStarted: (c, pod, ns) => {
      for (const port of pod.ports) {
        const e = serveHttp(c.sim, ns, port, ns);
        if (e !== null) serverProblems.push(`${ns}: listen ${port}: ${e.errno}`);
      }
    },
  });
  const shell = new Shell(cluster.sim, { cluster });
  const problems: string[] = [];
  for (const n of scenario.datastore.nodes) {
    for (const l of labLines(n.setup.join('\n'), scenario.file)) {
      if (!l.ok) continue;
      const res = shell.runLine({ ...l.line, netns: l.line.netns ?? n.name });
      if (res.status !== 0) problems.push(safeText(`${n.name}: setup: ${l.line.text}: ${res.stderr.trimEnd()}`));
    }
  }
  const converged = opts.converge === false ? { at: cluster.nowSeconds, quiet: false } : cluster.converge();
  for (const p of cluster.problems) problems.push(safeText(`${p.where}: ${p.what}: ${p.error}`));
  problems.push(...serverProblems);
  return { ok: true, opened: { scenario, cluster, shell, converged, problems } };
}

/** checkSetup parses every node's setup lines as lab lines, reporting errors at their YAML lines. */
function checkSetup(scenario: Scenario): string[] {
  const errors: string[] = [];
  const nodes = scenario.cluster.value.spec.nodes;
  nodes.forEach((n, i) => {
    (n.setup ?? []).forEach((line, j) => {
      for (const l of labLines(line, scenario.file)) {
        if (!l.ok) errors.push(formatLabError({ ...l.error, line: scenario.cluster.lineOf(['spec', 'nodes', i, 'setup', j]) }));
      }
    });
  });
  return errors;
}

/** openedMachine finds the namespace of a node or pod by the name people use for it (`zlw-01`, `default/zlw-01`). */
export function openedMachine(shell: Shell, name: string): string | null {
  const c = shell.cluster;
  if (c === undefined) return null;
  if (c.nodes.has(name)) return name;
  for (const p of c.pods.values()) {
    if (p.name === name || `${p.namespace}/${p.name}` === name) return c.podNamespace(p) ?? null;
  }
  for (const e of c.external.values()) if (e.name === name) return e.ns;
  if (c.ds.routers.some((r) => r.name === name)) return name;
  return null;
}
