// The scenario commands of the CLI: `calisim replay NAME` prints each built-in walkthrough exactly as
// its golden transcript (fixtures/scenarios/NAME.replay.out; the simulator is deterministic, so these
// are byte for byte), `exec` runs one command on a machine, and bad input is one line with status 2.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './lab/run-cli.js';

const SEEDS = ['seed000', 'seed001', 'seed001-bgp', 'seed002', 'seed003', 'seed003-vxlan', 'seed004'];

describe('calisim replay', () => {
  it.each(SEEDS)('%s prints its golden transcript', async (name) => {
    const r = await runCli(['replay', name]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'fixtures', 'scenarios', `${name}.replay.out`), 'utf8'));
  });
});

describe('calisim exec', () => {
  it('runs a command in a pod of a converged cluster', async () => {
    const r = await runCli(['exec', 'seed000', 'zlw-01', '--', 'ping', '-c', '1', '10.233.133.3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^64 bytes from 10\.233\.133\.3: icmp_seq=1 ttl=63 time=/m);
  });

  it('runs calicoctl on a node', async () => {
    const r = await runCli(['exec', 'seed000', '10-23-14-110', '--', 'calicoctl', 'node', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| 10.23.14.111 | node-to-node mesh | up    | 12:31:31 | Established |');
  });

  it('passes on the exit status of the command', async () => {
    const r = await runCli(['exec', 'seed000', 'zlw-01', '--', 'ping', '-c', '1', '-W', '1', '10.99.0.1']);
    expect(r.code).toBe(1);
  });

  it.each([
    [['exec', 'seed000', 'nobody', '--', 'ip', 'a'], 'calisim exec: no node or pod "nobody" in seed000.yaml\n'],
    [
      ['exec', 'no-such-scenario', 'x', '--', 'ip', 'a'],
      /^calisim: no scenario "no-such-scenario": not a file, nor a built-in one \(seed000, /,
    ],
    [['replay', 'nothing-here'], /^calisim: no scenario "nothing-here"/],
    [['exec', 'seed000', 'zlw-01', '--', 'frobnicate'], 'calisim exec: unknown command "frobnicate"\n'],
  ])('%j is one line and status 2', async (args, err) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    if (typeof err === 'string') expect(r.stderr).toBe(err);
    else expect(r.stderr).toMatch(err);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names the file and line of a bad scenario', async () => {
    const r = await runCli(['exec', join(ROOT, 'tests', 'cli', 'bad-scenario.yaml'), 'n1', '--', 'ip', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-scenario\.yaml:\d+: /);
  });
});
