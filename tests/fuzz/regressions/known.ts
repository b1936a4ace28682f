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

/** capturesABridge says whether a lab captures on a device it made with `type bridge`. */
function capturesABridge(text: string): boolean {
  const bridges = new Set([...text.matchAll(/link add (?:name )?(\S+) type bridge/g)].map((m) => m[1]));
  return [...text.matchAll(/^\s*capture \S+ (\S+)/gm)].some((m) => bridges.has(m[1]));
}

export const KNOWN: readonly KnownIssue[] = [
  {
    // src/kernel/drivers/bridge.ts: tcpdump makes the bridge device promiscuous, and a promiscuous
    // bridge passes every frame it forwards between ports up to itself (br_handle_frame_finish
    // local_rcv): the kernel's capture on the bridge has frames the simulator's lacks.
    name: 'bridge-promisc-capture',
    matches: () => false,
    kernelDiff: (text, diff) => {
      const changed = diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
      return capturesABridge(text) && changed.length > 0 && changed.every((l) => /^-.* > .*, ethertype /.test(l));
    },
  },
  {
    // src/tools/ip: `ip route get` leaves out a gateway equal to the destination (`via D … onlink`).
    name: 'route-get-onlink-gateway',
    matches: () => false,
    kernelDiff: (_text, diff) =>
      onlyDiffersBy(diff, (l) => l.replace(/^(\S+) via \1 /, '$1 ').replace(/"dst":"([^"]+)","gateway":"\1",/, '"dst":"$1",')),
  },
];
