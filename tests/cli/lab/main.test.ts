// Tests for the command line (cli/main.ts) run as a real process: bad input is one line on
// stderr and exit status 2, never a stack trace.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'calisim-cli-'));
const bad = join(dir, 'bad.lab');
writeFileSync(bad, '# a lab with a typo\nip netns add a\n\nip link set eth0 mastr br0\nip route\n');

describe('calisim', () => {
  it.each([
    ['run', ['run', bad], `${bad}:4: ip link set: unknown option "mastr"`],
    ['run --echo', ['run', '--echo', bad], `${bad}:4: ip link set: unknown option "mastr"`],
    ['netns run', ['netns', 'run', bad], `${bad}:4: ip link set: unknown option "mastr"`],
    ['run, missing file', ['run', join(dir, 'none.lab')], `calisim: cannot read ${join(dir, 'none.lab')}: no such file`],
    ['netns run, missing file', ['netns', 'run', join(dir, 'none.lab')], `calisim: cannot read ${join(dir, 'none.lab')}: no such file`],
    ['run, a directory', ['run', dir], `calisim: cannot read ${dir}: is a directory`],
  ])('%s: one line, exit 2', async (_name, args, line) => {
    const r = await runCli(args);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('bad usage exits 2', async () => {
    const r = await runCli(['run']);
    expect(r.stderr).toBe("error: missing required argument 'file'\n");
    expect(r.code).toBe(2);
  });
});

describe('calisim run -e', () => {
  const failing = join(dir, 'failing.lab');
  writeFileSync(failing, 'ip netns add a\nip netns add a\nip netns list\n');

  it('stops at the first failing command, names it and its status, and exits 1', async () => {
    const r = await runCli(['run', '-e', failing]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot create namespace file "/run/netns/a": File exists\n${failing}:2: ip netns add a: exit status 1\n`,
    });
  });

  it('without -e runs on and exits 0', async () => {
    const r = await runCli(['run', failing]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: 'a\n' });
  });
});
