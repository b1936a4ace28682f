// What the kernel runner (cli/lab/netns.ts) prints when a lab's command fails must be the real tool's
// words, never the runner's own machinery: no nsenter(1) message, no /proc/PID path of the holder,
// no csm<pid>x<n>- prefix. fixtures/labs/netns-missing.lab compares the same cases with the
// simulator (tests/cli/lab/differential.test.ts); this test runs more failures on the kernel alone.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelLabSupport, runLabOnKernel } from '../../../cli/lab/netns.js';
import { parseLab } from '../../../src/tools/lab.js';
import { ROOT } from './run-cli.js';

/** LAB is the fixture of missing namespaces and more failures, some of which differ from the simulator. */
const LAB = `${readFileSync(join(ROOT, 'fixtures', 'labs', 'netns-missing.lab'), 'utf8')}
ip netns exec missing ip netns exec here ip link
capture missing eth0
capture here nosuch
ip netns exec here tcpdump -n -e -i nosuch
listen here 8080
listen here 8080
ip link add v0 type veth peer name v1 netns missing
ip netns add ${'n'.repeat(240)}
ip netns exec ${'n'.repeat(240)} ip link
captures
`;

/** INTERNALS are the marks of the runner's own machinery. */
const INTERNALS = [/nsenter/, /\/proc\/\d+/, /csm\d+x\d+-/, /unshare/, /setpriv/];

const support = await kernelLabSupport();
const required = process.env.CALISIM_KERNEL_TESTS === '1';
if (!support.ok && !required) process.stderr.write(`kernel tests skipped: ${support.reason}\n`);

describe('kernel runner errors', () => {
  if (!support.ok) {
    if (required) {
      it('can run kernel labs (CALISIM_KERNEL_TESTS=1)', () => {
        throw new Error(`cannot run kernel labs: ${support.reason}`);
      });
    }
    return;
  }

  it("speak in the tools' words, never the runner's", async () => {
    const r = parseLab(LAB, 'netns-errors.lab');
    if (!r.ok) throw new Error(r.error.message);
    const entries = await runLabOnKernel(r.lab);
    expect(entries).toHaveLength(r.lab.lines.length);
    const leaks = entries.flatMap((e) =>
      INTERNALS.some((re) => re.test(e.stdout + e.stderr)) ? [`$ ${e.command}\n${e.stdout}${e.stderr}`] : [],
    );
    expect(leaks).toEqual([]);
    const byCommand = new Map(entries.map((e) => [e.command, e.stdout + e.stderr]));
    expect(byCommand.get('capture missing eth0')).toBe('Cannot open network namespace "missing": No such file or directory\n');
    expect(byCommand.get('ip netns exec missing ip netns exec here ip link')).toBe(
      'Cannot open network namespace "missing": No such file or directory\n',
    );
    expect(byCommand.get('ip netns exec here tcpdump -n -e -i nosuch')).toMatch(/^tcpdump: nosuch: No such device exists\n/);
  });
});
