// A lab transcript: what each command of a lab printed, in order, as bash would show it.

import { safeText } from './escape.js';

/** TranscriptEntry is one lab command and what it printed on stdout and stderr. */
export interface TranscriptEntry {
  /** line is the 1-based line number of the command in the lab file. */
  readonly line: number;
  /** command is the command as written in the lab (trimmed, comments removed). */
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * output is stdout and stderr as one stream, in the order the command wrote them (ping's local
   * errors between its PING line and its statistics), when the runner captured that order.
   */
  readonly output?: string;
  /** status is the command's exit status, when it is known (the kernel runner records it too). */
  readonly status?: number;
}

/** renderTranscript prints entries; with `echo` each command is preceded by a `$ COMMAND` line. */
export function renderTranscript(entries: readonly TranscriptEntry[], echo: boolean): string {
  let out = '';
  for (const e of entries) {
    // The `$ COMMAND` line is calisim's own: control characters escaped, long words cut.
    if (echo) out += `$ ${safeText(e.command)}\n`;
    // Both streams in write order when the runner kept it; else stdout, then stderr.
    out += e.output ?? e.stdout + e.stderr;
  }
  return out;
}
