// How calisim echoes what a user typed in its own messages (`FILE:LINE:` errors, usage errors): control
// characters escaped the way `ls -b` prints them (C escapes, octal for the rest), and any word longer
// than 256 characters cut with `…`, so a hostile lab can neither retitle nor flood a terminal. The
// output of the tools calisim emulates is never passed through here: it stays byte-exact.

const NAMED: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x09, '\\t'],
  [0x0a, '\\n'],
  [0x0b, '\\v'],
  [0x0c, '\\f'],
  [0x0d, '\\r'],
  [0x5c, '\\\\'],
]);

/** MAX_WORD is the longest word a message echoes whole. */
export const MAX_WORD = 256;

/** escapeControls escapes control characters (C0, DEL, C1) and backslashes as `ls -b` does. */
export function escapeControls(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const named = NAMED.get(c);
    if (named !== undefined) out += named;
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) {
      // ls -b writes the bytes of the character in octal: C1 controls are two UTF-8 bytes.
      const bytes = c < 0x80 ? [c] : [0xc0 | (c >> 6), 0x80 | (c & 0x3f)];
      for (const b of bytes) out += `\\${b.toString(8).padStart(3, '0')}`;
    } else out += ch;
  }
  return out;
}

/** cutLongWords shortens every run of non-blank characters longer than MAX_WORD to its first MAX_WORD and `…`. */
export function cutLongWords(s: string): string {
  return s.replace(/\S{257,}/gu, (w) => `${[...w].slice(0, MAX_WORD).join('')}…`);
}

/** safeText prepares text that echoes user input for a message: long words cut, then controls escaped. */
export function safeText(s: string): string {
  return escapeControls(cutLongWords(s));
}
