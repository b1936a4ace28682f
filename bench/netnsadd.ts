// Build cost of a huge lab (ip-netns(8) `ip netns add`): 10,000 and 100,000 lines of `ip netns add nsN`
// through the lab runner's path (src/tools/lab.ts runLabText: checkLab over the whole text, then each
// line parsed and run by the shell, as `calisim run` does). Ten times the lines must cost about ten
// times the time: a ratio near 10 is linear, near 100 quadratic.

import { performance } from 'node:perf_hooks';
import { createSimulator } from '../src/scenarios/simulator.js';
import { runLabText } from '../src/tools/lab.js';
import { Shell } from '../src/tools/shell.js';

/** netnsAddLab is a lab of `n` lines, each adding a namespace of its own. */
function netnsAddLab(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`ip netns add ns${i}`);
  return `${lines.join('\n')}\n`;
}

/** timeLab runs a lab text in a new simulator and returns its wall time in seconds. */
function timeLab(text: string, lines: number): number {
  const shell = new Shell(createSimulator());
  let ran = 0;
  const t0 = performance.now();
  const bad = runLabText(shell, text, 'netnsadd.lab', (e) => {
    if (e.stderr !== '') throw new Error(`line ${e.line}: ${e.stderr}`);
    ran++;
  });
  const secs = (performance.now() - t0) / 1000;
  if (bad !== null) throw new Error(`netnsadd.lab:${bad.line}: ${bad.message}`);
  if (ran !== lines || shell.sim.world.namespaces.size < lines) throw new Error(`ran ${ran} of ${lines} lines`);
  return secs;
}

/** benchNetnsAdd returns one line: the wall time of 10,000 and 100,000 lines and their ratio. */
export async function benchNetnsAdd(): Promise<string[]> {
  const small = 10_000;
  const large = 100_000;
  // A warm-up run so that both sizes are measured with the code already compiled.
  timeLab(netnsAddLab(1000), 1000);
  const tSmall = timeLab(netnsAddLab(small), small);
  const tLarge = timeLab(netnsAddLab(large), large);
  const ratio = tLarge / tSmall;
  return [
    `netns add: ${small.toLocaleString('en-US')} / ${large.toLocaleString('en-US')} lines of "ip netns add nsN": ` +
      `${tSmall.toFixed(2)} s / ${tLarge.toFixed(2)} s, ratio ${ratio.toFixed(1)} (10 is linear)`,
  ];
}
