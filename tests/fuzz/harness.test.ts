// The fuzzer's judge (tests/fuzz/harness.ts) on outcomes made by hand: what it must let pass, and
// every way of breaking calisim's contract it must catch.

import { judge, type Outcome, type RunContext } from './harness.js';

const FILE = '/tmp/x.lab';
const ctx: RunContext = { file: FILE, errexit: false, echo: false, budgets: true, lines: 3 };
const ok = (o: Partial<Outcome>): Outcome => ({ code: 0, stdout: '', stderr: '', hung: false, ms: 1, ...o });

describe('judge', () => {
  it.each<[string, Partial<Outcome>, Partial<RunContext>]>([
    ['a clean run', { stdout: '1: lo: …\n', stderr: 'Cannot find device "eth9"\n' }, {}],
    ['a syntax error', { code: 2, stderr: `${FILE}:2: unknown command "x"\n` }, {}],
    ['a syntax error with a cut word', { code: 2, stderr: `${FILE}:1: invalid MTU "${'9'.repeat(256)}…"\n` }, {}],
    ['a cut word of escaped controls', { code: 2, stderr: `${FILE}:1: ip: unknown object "${'\\033['.repeat(128)}…"\n` }, {}],
    ['a usage error', { code: 2, stderr: "error: unknown option '--frob'\n" }, {}],
    ['a file that cannot be read', { code: 2, stderr: `calisim: cannot read ${FILE}: no such file\n` }, {}],
    ['a spent budget', { code: 3, stderr: 'calisim: ping -c 9 1.2.3.4: stopped: event budget of 5 events spent\n' }, {}],
    ['a failing command under -e', { code: 1, stderr: 'Cannot find device "eth9"\n' }, { errexit: true }],
    ['raw bytes in a tool message', { stderr: 'ping: SO_BINDTODEVICE e\x1b[31m: No such device\n' }, {}],
  ])('lets %s pass', (_name, o, c) => {
    expect(judge(ok(o), { ...ctx, ...c }).problems).toEqual([]);
  });

  it.each<[string, Partial<Outcome>, Partial<RunContext>]>([
    ['an internal error', { code: 1, stderr: "calisim: Cannot read properties of undefined (reading 'x')\n" }, {}],
    ['exit 1 without -e', { code: 1 }, {}],
    ['a stack trace', { code: 1, stderr: 'TypeError: x\n    at f (file:///work/main/src/tools/ip/run.ts:10:5)\n' }, { errexit: true }],
    ['a hang with a budget', { code: null, hung: true }, {}],
    ['a crash', { code: null }, {}],
    ['an exception out of cli/main.ts', { thrown: 'Error: boom\n    at x' }, {}],
    ['an escape sequence in a syntax error', { code: 2, stderr: `${FILE}:1: unknown command "\x1b]0;t\x07"\n` }, {}],
    ['DEL in a usage error', { code: 2, stderr: "error: unknown option '--\x7f'\n" }, {}],
    ['a C1 control in a calisim message', { code: 2, stderr: 'calisim: cannot read \x9b31m: no such file\n' }, {}],
    ['a long word not cut', { code: 2, stderr: `${FILE}:1: invalid MTU "${'9'.repeat(300)}"\n` }, {}],
    ['a syntax error of two lines', { code: 2, stderr: `${FILE}:1: bad\nmore\n` }, {}],
    ['a syntax error and output', { code: 2, stdout: 'x\n', stderr: `${FILE}:1: bad\n` }, {}],
    ['a syntax error past the last line', { code: 2, stderr: `${FILE}:9: bad\n` }, {}],
    ['exit 2 without a message', { code: 2, stderr: 'RTNETLINK answers: File exists\n' }, {}],
    ['exit 3 without a budget', { code: 3, stderr: 'calisim: stopped\n' }, { budgets: false }],
    ['an undocumented status', { code: 7 }, {}],
    ['an undocumented status under -e', { code: 127 }, { errexit: true }],
    ['stderr left under --echo', { stderr: 'Cannot find device "x"\n' }, { echo: true }],
  ])('catches %s', (_name, o, c) => {
    expect(judge(ok(o), { ...ctx, ...c }).problems).not.toEqual([]);
  });

  it('counts a hang without a budget apart, not as a broken rule', () => {
    const v = judge(ok({ code: null, hung: true }), { ...ctx, budgets: false });
    expect(v).toMatchObject({ exit: 'hang', hangWithoutBudget: true, problems: [] });
  });

  it('counts echoed commands that carry control characters', () => {
    const v = judge(ok({ stdout: '$ ping -I e\x1b[31m 10.0.0.1\nping: …\n$ ip link\n' }), { ...ctx, echo: true });
    expect(v.rawEchoLines).toBe(1);
  });
});
