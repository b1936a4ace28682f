// olekukonko/tablewriter v0.0.5 (table.go, util.go, wrap.go) with the settings calicoctl leaves at
// their defaults: borders on all sides, `+`, `-` and `|`, one space of padding, headers passed
// through Title() and centred, cells left-aligned unless they look like a decimal number, and
// auto-wrap of every cell at 30 columns with reflow (the minimum-raggedness line breaker).

/** TABLE_MAX_ROW_WIDTH is tablewriter's MAX_ROW_WIDTH: cells wider than this are wrapped. */
export const TABLE_MAX_ROW_WIDTH = 30;

/** TableAlign is a column alignment; `default` is tablewriter's ALIGN_DEFAULT. */
export type TableAlign = 'default' | 'center' | 'right' | 'left';

/** TableOptions are the tablewriter settings this renderer supports, with their defaults. */
export interface TableOptions {
  /** autoFormatHeaders is SetAutoFormatHeaders: Title() each header (default true). */
  readonly autoFormatHeaders?: boolean;
  /** autoWrap is SetAutoWrapText (default true). */
  readonly autoWrap?: boolean;
  /** reflow is SetReflowDuringAutoWrap (default true). */
  readonly reflow?: boolean;
  /** colWidth is SetColWidth, the wrap limit (default 30). */
  readonly colWidth?: number;
  /** headerAlign is SetHeaderAlignment (default `default`, which centres). */
  readonly headerAlign?: TableAlign;
  /** align is SetAlignment for cells (default `default`). */
  readonly align?: TableAlign;
  /** rowLine is SetRowLine: a separator after every row (default false). */
  readonly rowLine?: boolean;
}

// The decimal and percent patterns of table.go. `percent` ends in `$%$`, which can never match.
const DECIMAL_RE = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: tablewriter strips ANSI escapes (ESC [ ... m) before measuring widths.
const ANSI_RE = /\x1b\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?[m|K]/g;

/**
 * runeWidth approximates go-runewidth's StringWidth for one code point: East Asian wide and
 * fullwidth characters count 2, combining marks and control characters 0, everything else 1.
 */
function runeWidth(cp: number): number {
  if (cp === 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** stringWidth is go-runewidth's StringWidth (see runeWidth). */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch.codePointAt(0)!);
  return w;
}

/** displayWidth is util.go DisplayWidth: the width with ANSI colour sequences removed. */
export function displayWidth(s: string): number {
  return stringWidth(s.replace(ANSI_RE, ''));
}

function isNumOrSpace(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || c === ' ');
}

/**
 * tableTitle is util.go Title: `_` becomes a space, a `.` not between digits or spaces becomes a
 * space, the result is trimmed (one space kept if it was not empty) and upper-cased.
 */
export function tableTitle(name: string): string {
  const rs = Array.from(name);
  for (let i = 0; i < rs.length; i++) {
    if (rs[i] === '_') rs[i] = ' ';
    else if (rs[i] === '.') {
      if ((i !== 0 && !isNumOrSpace(rs[i - 1])) || (i !== rs.length - 1 && !isNumOrSpace(rs[i + 1]))) rs[i] = ' ';
    }
  }
  let out = goTrimSpace(rs.join(''));
  if (out.length === 0 && name.length > 0) out = ' ';
  return out.toUpperCase();
}

function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, '');
}

/** padCenter is util.go Pad: the left gap is floor(gap/2) (the Go code's Ceil of an int division). */
export function padCenter(s: string, width: number): string {
  const gap = width - displayWidth(s);
  if (gap <= 0) return s;
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + s + ' '.repeat(gap - left);
}

function padRight(s: string, width: number): string {
  const gap = width - displayWidth(s);
  return gap > 0 ? s + ' '.repeat(gap) : s;
}

function padLeft(s: string, width: number): string {
  const gap = width - displayWidth(s);
  return gap > 0 ? ' '.repeat(gap) + s : s;
}

/**
 * wrapWords is wrap.go WrapWords: split words into lines of at most `lim` units with minimal
 * raggedness (sum of squared slack over all lines but the last); a too-long line costs `pen` more.
 */
export function wrapWords(words: readonly string[], spc: number, lim: number, pen: number): string[][] {
  const n = words.length;
  const length: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n).fill(0);
    row[i] = stringWidth(words[i]);
    for (let j = i + 1; j < n; j++) row[j] = row[j - 1] + spc + stringWidth(words[j]);
    length.push(row);
  }
  const nbrk = new Array<number>(n).fill(0);
  const cost = new Array<number>(n).fill(2147483647);
  for (let i = n - 1; i >= 0; i--) {
    if (length[i][n - 1] <= lim) {
      cost[i] = 0;
      nbrk[i] = n;
    } else {
      for (let j = i + 1; j < n; j++) {
        const d = lim - length[i][j - 1];
        let c = d * d + cost[j];
        if (length[i][j - 1] > lim) c += pen;
        if (c < cost[i]) {
          cost[i] = c;
          nbrk[i] = j;
        }
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = nbrk[i]) lines.push(words.slice(i, nbrk[i]));
  return lines;
}

/** wrapString is wrap.go WrapString: newlines become spaces, the limit grows to the longest word. */
export function wrapString(s: string, lim: number): { lines: string[]; lim: number } {
  const words = s.replace(/\n/g, ' ').split(' ');
  for (const w of words) {
    const m = stringWidth(w);
    if (m > lim) lim = m;
  }
  const lines = wrapWords(words, 1, lim, 1e5).map((l) => l.join(' '));
  return { lines, lim };
}

/** TableState is the width per column and height per row that parseDimension accumulates. */
interface TableState {
  readonly cs: Map<number, number>;
  readonly rs: Map<number, number>;
}

const HEADER_ROW = -1;

function parseDimension(t: TableState, opts: Required<TableOptions>, str: string, colKey: number, rowKey: number): string[] {
  let raw = str.split('\n');
  let maxWidth = 0;
  for (const line of raw) maxWidth = Math.max(maxWidth, displayWidth(line));
  if (opts.autoWrap) {
    if (maxWidth > opts.colWidth) maxWidth = opts.colWidth;
    let newMaxWidth = maxWidth;
    const newRaw: string[] = [];
    if (opts.reflow) raw = [raw.join(' ')];
    raw.forEach((para, i) => {
      const { lines } = wrapString(para, maxWidth);
      for (const line of lines) newMaxWidth = Math.max(newMaxWidth, displayWidth(line));
      if (i > 0) newRaw.push(' ');
      newRaw.push(...lines);
    });
    raw = newRaw;
    maxWidth = newMaxWidth;
  }
  const v = t.cs.get(colKey);
  if (v === undefined || v < maxWidth || v === 0) t.cs.set(colKey, maxWidth);
  const h = raw.length;
  const r = t.rs.get(rowKey);
  if (r === undefined || r < h || r === 0) t.rs.set(rowKey, h);
  return raw;
}

function resolveOptions(o: TableOptions): Required<TableOptions> {
  return {
    autoFormatHeaders: o.autoFormatHeaders ?? true,
    autoWrap: o.autoWrap ?? true,
    reflow: o.reflow ?? true,
    colWidth: o.colWidth ?? TABLE_MAX_ROW_WIDTH,
    headerAlign: o.headerAlign ?? 'default',
    align: o.align ?? 'default',
    rowLine: o.rowLine ?? false,
  };
}

function headerPad(align: TableAlign): (s: string, w: number) => string {
  if (align === 'left') return padRight;
  if (align === 'right') return padLeft;
  return padCenter;
}

/**
 * renderTable returns what `table.SetHeader(header); table.Append(row)...; table.Render()` writes.
 * With no header the heading block is skipped, as tablewriter does.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const opts = resolveOptions(options);
  const t: TableState = { cs: new Map(), rs: new Map() };
  const headers = header.map((h, i) => parseDimension(t, opts, h, i, HEADER_ROW));
  const lines = rows.map((row, n) => row.map((v, i) => parseDimension(t, opts, v, i, n)));
  const ncols = t.cs.size;
  const width = (i: number): number => t.cs.get(i) ?? 0;
  let out = '';
  const printLine = (): void => {
    out += '+';
    for (let i = 0; i < ncols; i++) out += `-${'-'.repeat(width(i))}-+`;
    out += '\n';
  };
  printLine();
  if (headers.length > 0) {
    const end = ncols - 1;
    const pad = headerPad(opts.headerAlign);
    const max = t.rs.get(HEADER_ROW) ?? 0;
    for (let x = 0; x < max; x++) {
      out += '|';
      for (let y = 0; y <= end; y++) {
        let h = y < headers.length && x < headers[y].length ? headers[y][x] : '';
        if (opts.autoFormatHeaders) h = tableTitle(h);
        out += ` ${pad(h, width(y))} |`;
      }
      out += '\n';
    }
    printLine();
  }
  lines.forEach((columns, rowIdx) => {
    const max = t.rs.get(rowIdx) ?? 0;
    const cells = columns.map((c) => [...c]);
    for (const c of cells) while (c.length < max) c.push('  ');
    for (let x = 0; x < max; x++) {
      for (let y = 0; y < cells.length; y++) {
        out += '| ';
        const str = cells[y][x];
        const w = width(y);
        switch (opts.align) {
          case 'center':
            out += padCenter(str, w);
            break;
          case 'right':
            out += padLeft(str, w);
            break;
          case 'left':
            out += padRight(str, w);
            break;
          default:
            out += DECIMAL_RE.test(goTrimSpace(str)) ? padLeft(str, w) : padRight(str, w);
        }
        out += ' ';
      }
      out += '|\n';
    }
    if (opts.rowLine) printLine();
  });
  if (!opts.rowLine) printLine();
  return out;
}
