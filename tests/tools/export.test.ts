// `calisim export`: each built-in scenario's converged kernel state written as a lab. The export is
// a golden file (fixtures/scenarios/NAME.export.lab), and running it must print in the simulator what
// the real kernel printed (NAME.export.kernel.out): the Calico state calisim builds is state the real
// kernel accepts and shows the same way. Where this machine can run kernel labs, the kernel is asked
// again. What the test kernel cannot have (tunl0, routes over it) the export leaves out as comments.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelLabSupport, runLabOnKernel } from '../../cli/lab/netns.js';
import { normalizeTranscript } from '../../cli/lab/normalize.js';
import { unifiedDiff } from '../cli/lab/diff.js';
import { exportLab } from '../../src/tools/export.js';
import { labLines, parseLab, runLabInSim } from '../../src/tools/lab.js';
import { openScenario } from '../../src/tools/scenario.js';
import { renderTranscript } from '../../src/tools/transcript.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios');
const SEEDS = ['seed000', 'seed001', 'seed001-bgp', 'seed002', 'seed003', 'seed003-vxlan', 'seed004'];

function exported(name: string): string {
  const r = openScenario(readFileSync(join(DIR, `${name}.yaml`), 'utf8'), `${name}.yaml`);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const c = r.opened.cluster;
  const when = new Date((c.ds.startTime + c.nowSeconds) * 1000).toISOString();
  return exportLab(
    { world: c.sim.world, drivers: c.sim.drivers },
    { title: `${name}.yaml as it is at ${when} (virtual ${c.nowSeconds.toFixed(3)} s)` },
  );
}

function labOf(name: string) {
  const text = readFileSync(join(DIR, `${name}.export.lab`), 'utf8');
  const r = parseLab(text, `${name}.export.lab`);
  if (!r.ok) throw new Error(`${r.error.file}:${r.error.line}: ${r.error.message}`);
  return { lab: r.lab, text };
}

describe.each(SEEDS)('%s export', (name) => {
  it('is the golden export', () => {
    expect(exported(name)).toBe(readFileSync(join(DIR, `${name}.export.lab`), 'utf8'));
  });

  it('prints in the simulator what the kernel printed', () => {
    const { lab, text } = labOf(name);
    const actual = normalizeTranscript(renderTranscript(runLabInSim(lab), true), text);
    const diff = unifiedDiff(
      readFileSync(join(DIR, `${name}.export.kernel.out`), 'utf8'),
      actual,
      `${name}.export.kernel.out`,
      'calisim run',
    );
    expect(diff).toBe('');
  });
});

const support = await kernelLabSupport();
const required = process.env.CALISIM_KERNEL_TESTS === '1';

describe('the kernel still prints the stored export transcripts', () => {
  if (!support.ok) {
    if (required) it('can run kernel labs (CALISIM_KERNEL_TESTS=1)', () => expect(support.reason).toBe(''));
    return;
  }
  it.each(SEEDS)(
    '%s',
    async (name) => {
      const { lab, text } = labOf(name);
      const actual = normalizeTranscript(renderTranscript(await runLabOnKernel(lab), true), text);
      const diff = unifiedDiff(
        readFileSync(join(DIR, `${name}.export.kernel.out`), 'utf8'),
        actual,
        `${name}.export.kernel.out`,
        'the kernel',
      );
      expect(diff).toBe('');
    },
    120_000,
  );
});

describe('sysctls of a device whose name holds a dot', () => {
  it('are exported, in the slash form sysctl(8) reads', async () => {
    const { Shell } = await import('../../src/tools/shell.js');
    const { createSimulator } = await import('../../src/scenarios/simulator.js');
    const sim = createSimulator();
    const shell = new Shell(sim);
    const text = [
      'ip link add vx.a type veth peer name vx.b',
      'sysctl -w net.ipv4.conf.vx/a.proxy_arp=1',
      'sysctl -w net/ipv4/neigh/vx.b/proxy_delay=0',
    ].join('\n');
    for (const l of labLines(text, 'dots.lab')) if (l.ok) expect(shell.runLine(l.line).status).toBe(0);
    const lines = exportLab({ world: sim.world, drivers: sim.drivers }, { title: 'dots' }).split('\n');
    expect(lines).toContain('sysctl -q -w net.ipv4.conf.vx/a.proxy_arp=1');
    expect(lines).toContain('sysctl -q -w net.ipv4.neigh.vx/b.proxy_delay=0');
  });
});
