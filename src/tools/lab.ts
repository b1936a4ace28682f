// Lab files: one command per line as a person types them on a Linux box, `#` comments, `\`
// continuation lines (sh(1)). Every line is parsed by the tool it names (src/tools/shell.ts) before
// anything runs, so a malformed line is calisim's own `FILE:LINE:` error; then the lab runs line by
// line through the shell, each line's output handed on as it is produced.

import { createSimulator, type SimulatorOptions } from '../scenarios/simulator.js';
import type { Lab, LabLine } from './ast.js';
import { Shell } from './shell.js';
import type { TranscriptEntry } from './transcript.js';
import { type NetnsRecorder, SyntaxFault } from './words.js';
import { parseCommand } from './commands.js';
import { safeText } from './escape.js';

/** LabError is a syntax error: where it is and what is wrong. */
export interface LabError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** ParseResult is a parsed lab or the first syntax error in it. */
export type ParseResult = { ok: true; lab: Lab } | { ok: false; error: LabError };

/** formatLabError prints an error the way compilers do: `FILE:LINE: message`, with what it echoes made safe. */
export function formatLabError(e: LabError): string {
  return safeText(`${e.file}:${e.line}: ${e.message}`);
}

/** stripComment drops a `#` comment: one that starts the line or follows whitespace, as in sh(1). */
function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** LabLineOrError is one command line of a lab, parsed, or the syntax error it holds. */
export type LabLineOrError = { readonly ok: true; readonly line: LabLine } | { readonly ok: false; readonly error: LabError };

/** labLines parses a lab's lines one at a time, so a long lab never needs all its lines parsed at once. */
export function* labLines(text: string, file: string): Generator<LabLineOrError> {
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let joined = stripComment(raw[i]);
    // A trailing backslash continues the command on the next line, as in sh(1).
    while (/\\\s*$/.test(joined) && i + 1 < raw.length) {
      joined = joined.replace(/\\\s*$/, ' ') + stripComment(raw[++i]);
    }
    const textOfLine = joined
      .replace(/\\\s*$/, '')
      .trim()
      .replace(/\s+/g, ' ');
    if (textOfLine === '') continue;
    try {
      const { netns, cmd } = parseCommand(textOfLine.split(' '));
      yield { ok: true, line: { line: start, text: textOfLine, netns, cmd } };
    } catch (e) {
      if (e instanceof SyntaxFault) {
        yield { ok: false, error: { file, line: start, message: e.message } };
        return;
      }
      throw e;
    }
  }
}

/** parseLab parses a whole lab; `file` is only used in error messages and `Lab.file`. */
export function parseLab(text: string, file: string): ParseResult {
  const lines: LabLine[] = [];
  for (const l of labLines(text, file)) {
    if (!l.ok) return { ok: false, error: l.error };
    lines.push(l.line);
  }
  return { ok: true, lab: { file, lines } };
}

/** checkLab returns the first syntax error of a lab, or null, keeping nothing of what it parsed. */
export function checkLab(text: string, file: string): LabError | null {
  for (const l of labLines(text, file)) if (!l.ok) return l.error;
  return null;
}

/**
 * netnsWordIndices returns the indices, in `text.split(' ')`, of the words of a parsed command
 * line that name a namespace (after `ip -n`, `ip netns add|del|exec`, `netns` in `ip link`,
 * `bridge -n`). The kernel runner prefixes exactly those words. `text` must be a LabLine's text.
 */
export function netnsWordIndices(text: string): number[] {
  const rec: NetnsRecorder = { offset: 0, indices: [] };
  parseCommand(text.split(' '), rec);
  return rec.indices;
}

/** runLabLines runs lab lines through a shell in order and hands each entry on as soon as it is done. */
export function runLabLines(shell: Shell, lines: Iterable<LabLine>, onEntry: (e: TranscriptEntry) => void): void {
  for (const l of lines) onEntry(shell.runLine(l));
}

/** runLabText checks a lab, then runs it line by line; it returns the syntax error instead when there is one. */
export function runLabText(shell: Shell, text: string, file: string, onEntry: (e: TranscriptEntry) => void): LabError | null {
  const bad = checkLab(text, file);
  if (bad !== null) return bad;
  for (const l of labLines(text, file)) if (l.ok) onEntry(shell.runLine(l.line));
  return null;
}

/** runLabInSim runs every line of a parsed lab in a new simulator and returns what each printed. */
export function runLabInSim(lab: Lab, opts: SimulatorOptions = {}): TranscriptEntry[] {
  const shell = new Shell(createSimulator(opts));
  return lab.lines.map((l) => shell.runLine(l));
}
