// Bugs the fuzzer has found and that are not fixed yet, each with its regression lab in this folder
// (NAME.lab, `# status: failing …`). A fuzz run that fails in one of these ways counts as known
// instead of failing the suite; fixing the bug turns its regression's `it.failing` red, and then its
// entry goes from here.

import type { Outcome, Verdict } from '../harness.js';

/** KnownIssue recognises the runs one open bug makes fail. */
export interface KnownIssue {
  /** name is the regression lab's name (NAME.lab beside this file). */
  readonly name: string;
  /** matches says whether a failing run of the CLI (`calisim ARGS…` on lab `text`) is this bug. */
  readonly matches: (text: string, outcome: Outcome, verdict: Verdict, args: readonly string[]) => boolean;
  /** kernelDiff says whether a kernel-vs-simulator diff of a generated lab is this bug. */
  readonly kernelDiff?: (text: string, diff: string) => boolean;
}

/**
 * onlyDiffersBy says whether a unified diff (tests/cli/lab/diff.ts) changes nothing but what `mask`
 * hides: its removed and added lines are the same once masked.
 */
export function onlyDiffersBy(diff: string, mask: (line: string) => string): boolean {
  const removed: string[] = [];
  const added: string[] = [];
  for (const l of diff.split('\n')) {
    if (l.startsWith('--- ') || l.startsWith('+++ ')) continue;
    if (l.startsWith('-')) removed.push(mask(l.slice(1)));
    else if (l.startsWith('+')) added.push(mask(l.slice(1)));
  }
  return removed.length + added.length > 0 && removed.sort().join('\n') === added.sort().join('\n');
}

export const KNOWN: readonly KnownIssue[] = [];
