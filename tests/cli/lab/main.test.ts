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

  it('netns run without root: one line, exit 2', async () => {
    if (process.getuid?.() !== 0) {
      const r = await runCli(['netns', 'run', join('fixtures', 'labs', 'seed000-same-node.lab')]);
      expect(r.stderr).toMatch(/^calisim netns run: cannot run labs on this machine: not root[^\n]*\n$/);
      expect(r.code).toBe(2);
      return;
    }
    // As root, drop to nobody for this one run.
    const r = await runCli(
      ['netns', 'run', join('fixtures', 'labs', 'seed000-same-node.lab')],
      ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    );
    expect(r.stderr).toBe('calisim netns run: cannot run labs on this machine: not root (network namespaces need CAP_SYS_ADMIN)\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('bad usage exits 2', async () => {
    const r = await runCli(['run']);
    expect(r.stderr).toBe("error: missing required argument 'file'\n");
    expect(r.code).toBe(2);
  });
});
