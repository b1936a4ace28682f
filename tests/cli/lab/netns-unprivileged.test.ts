// `calisim netns run` as a user who is not root (cli/lab/netns.ts kernelLabSupport): one line on
// stderr, exit status 2, and no namespace is tried.

import { join } from 'node:path';
import { runCli } from './run-cli.js';

/**
 * NOBODY runs the CLI as uid/gid 65534 with one capability kept, CAP_DAC_READ_SEARCH (ambient, so
 * node has it after exec): a checkout may live where nobody may read (a home directory, a
 * `mkdir -m 0700` folder), and the CLI must still load its sources. SECBIT_NO_SETUID_FIXUP keeps
 * access(2) from dropping that capability for a non-root uid, so fs.existsSync (the module hooks,
 * packageRoot) sees the files open(2) can read. It is not root and has no CAP_SYS_ADMIN, which is
 * what the check is about.
 */
const NOBODY = [
  'setpriv',
  '--reuid=65534',
  '--regid=65534',
  '--clear-groups',
  '--securebits=+no_setuid_fixup',
  '--inh-caps=+dac_read_search',
  '--ambient-caps=+dac_read_search',
];

const LAB = join('fixtures', 'labs', 'seed000-same-node.lab');

it('netns run without root: one line, exit 2', async () => {
  if (process.getuid?.() !== 0) {
    const r = await runCli(['netns', 'run', LAB]);
    expect(r.stderr).toMatch(/^calisim netns run: cannot run labs on this machine: not root[^\n]*\n$/);
    expect(r.code).toBe(2);
    return;
  }
  // As root, drop to nobody for this one run.
  const r = await runCli(['netns', 'run', LAB], NOBODY);
  expect(r.stderr).toBe('calisim netns run: cannot run labs on this machine: not root (network namespaces need CAP_SYS_ADMIN)\n');
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
});
