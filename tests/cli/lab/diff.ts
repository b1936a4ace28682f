// A small line diff for test failure messages, shaped like diff -u (hunk headers give start lines
// only: it is for reading, not for patch(1)).

/** unifiedDiff returns the changes from `expected` to `actual` with 3 lines of context, or '' when equal. */
export function unifiedDiff(expected: string, actual: string, expectedName: string, actualName: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // lcs[i][j] is the length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { tag: ' ' | '-' | '+'; text: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // ai and bi are the 1-based line numbers the operation stands at in each text.
    const at = { ai: i + 1, bi: j + 1 };
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ tag: ' ', text: a[i], ...at });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] > lcs[i + 1][j])) ops.push({ tag: '+', text: b[j++], ...at });
    else ops.push({ tag: '-', text: a[i++], ...at });
  }
  if (ops.every((o) => o.tag === ' ')) return '';
  const out = [`--- ${expectedName}`, `+++ ${actualName}`];
  const context = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k].tag === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are closer than twice the context.
    for (;;) {
      while (end < ops.length && ops[end].tag !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].tag === ' ' && next - end < 2 * context) next++;
      if (next < ops.length && ops[next].tag !== ' ') end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    out.push(`@@ expected line ${ops[start].ai}, actual line ${ops[start].bi} @@`);
    for (; start < stop; start++) out.push(ops[start].tag + ops[start].text);
    k = stop;
  }
  return out.join('\n');
}
