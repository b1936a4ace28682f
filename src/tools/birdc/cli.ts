// BIRD's control-socket protocol (nest/cli.c cli_printf, the same in 1.6 and 2.0) and how the
// birdc/birdcl client shows it (client/client.c server_got_reply). A reply line has a four-digit
// code; a negative code in cli_printf marks a continuation (more lines follow), which goes on the
// wire as `CODE-text`, or as ` text` when the previous line had the same code; the last line of a
// reply is `CODE text`. The client prints the text only, and nothing for the final `0000 `.

import type { CommandOutput } from '../format/output.js';

/** BirdReplyLine is one cli_printf call: `code` is negative for a line that is not the last. */
export interface BirdReplyLine {
  readonly code: number;
  readonly text: string;
}

/** BirdSocketState carries cli->last_reply between the replies of one connection. */
export interface BirdSocketState {
  lastReply: number;
}

/** newBirdSocketState is the state after the hello (`0001 ... ready.`), which sets last_reply to 1. */
export function newBirdSocketState(): BirdSocketState {
  return { lastReply: 1 };
}

/** renderSocket writes reply lines as the daemon sends them on the control socket. */
export function renderSocket(lines: readonly BirdReplyLine[], state: BirdSocketState = newBirdSocketState()): string {
  let out = '';
  for (const l of lines) {
    const cd = Math.abs(l.code);
    if (l.code < 0) out += cd === state.lastReply ? ' ' : `${String(cd).padStart(4, '0')}-`;
    else out += `${String(cd).padStart(4, '0')} `;
    state.lastReply = cd;
    out += `${l.text}\n`;
  }
  return out;
}

/** renderInteractive writes reply lines as birdc prints them (server_got_reply without -v). */
export function renderInteractive(lines: readonly BirdReplyLine[]): string {
  let out = '';
  for (const l of lines) if (l.code !== 0) out += `${l.text}\n`;
  return out;
}

/** helloLine is the greeting the daemon sends first: `0001 BIRD <version> ready.`. */
export function helloLine(version: string): BirdReplyLine {
  return { code: 1, text: `BIRD ${version} ready.` };
}

/** lastCode is the code of the final line, which BIRD 2's birdc turns into its exit status. */
export function lastCode(lines: readonly BirdReplyLine[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].code >= 0) return lines[i].code;
  return 0;
}

/** padRight is C's `%-Ns`. */
export function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** padLeftNum is C's `%Nu`. */
export function padLeftNum(v: number, n: number): string {
  const s = String(v);
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** BirdTimeFormat is a `timeformat` pair: fmt1 for changes newer than `limit` seconds, fmt2 after. */
export interface BirdTimeFormat {
  readonly fmt1: string;
  readonly fmt2: string;
  readonly limit: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * strftime implements the conversions BIRD's time formats use (%T %F %H %M %S %Y %m %d and BIRD
 * 2's %3f/%6f fractions) for `epoch` seconds shifted by `utcOffset` (localtime of the daemon).
 */
export function strftime(fmt: string, epoch: number, utcOffset = 0): string {
  const ms = Math.floor((epoch + utcOffset) * 1000);
  const d = new Date(ms);
  const frac = (digits: number): string => {
    const micro = Math.floor(Math.round((epoch + utcOffset) * 1e6)) % 1000000;
    return String(micro).padStart(6, '0').slice(0, digits);
  };
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return fmt.replace(/%(\d?)([TFHMSYmdf%])/g, (_, n: string, c: string) => {
    switch (c) {
      case 'T':
        return time;
      case 'F':
        return date;
      case 'H':
        return two(d.getUTCHours());
      case 'M':
        return two(d.getUTCMinutes());
      case 'S':
        return two(d.getUTCSeconds());
      case 'Y':
        return String(d.getUTCFullYear());
      case 'm':
        return two(d.getUTCMonth() + 1);
      case 'd':
        return two(d.getUTCDate());
      case 'f':
        return frac(n ? Number(n) : 6);
      default:
        return '%';
    }
  });
}

/** formatBirdTime is tm_format_datetime / tm_format_time: fmt1 if `t` is less than `limit` before `now`. */
export function formatBirdTime(tf: BirdTimeFormat, t: number, now: number, utcOffset = 0): string {
  return strftime(now - t < tf.limit ? tf.fmt1 : tf.fmt2, t, utcOffset);
}

/**
 * oneShot is what `birdc COMMAND...` prints once connected: the banner, then the reply. BIRD 1.6's
 * client always exits 0; BIRD 2.0's exits 1 when the last reply code is 8000 or more.
 */
export function oneShot(flavor: 'bird1' | 'bird2', version: string, reply: readonly BirdReplyLine[]): CommandOutput {
  const stdout = renderInteractive([helloLine(version), ...reply]);
  const exitStatus = flavor === 'bird2' && lastCode(reply) >= 8000 ? 1 : 0;
  return { stdout, stderr: '', exitStatus };
}
