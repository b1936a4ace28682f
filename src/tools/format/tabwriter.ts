// Go's text/tabwriter (elastic tabstops), with the RememberWidths flag of github.com/liggitt/tabwriter
// that kubectl's printers use. Cells are tab-terminated; the text after the last tab of a line is
// a trailing cell that belongs to no column and is written unpadded. A line with no tab ends every
// column block (the writer flushes there), as does a form feed. Widths count code points (runes).

/** TabwriterFlags are the formatting flags of text/tabwriter, as bits. */
export const TabwriterFlags = {
  FilterHTML: 1,
  StripEscape: 2,
  AlignRight: 4,
  DiscardEmptyColumns: 8,
  TabIndent: 16,
  Debug: 32,
  /** RememberWidths is liggitt/tabwriter's flag: column widths never shrink across flushes. */
  RememberWidths: 64,
} as const;

/** TabwriterConfig is the argument list of tabwriter.NewWriter after the output. */
export interface TabwriterConfig {
  readonly minwidth: number;
  readonly tabwidth: number;
  readonly padding: number;
  readonly padchar: string;
  readonly flags: number;
}

/** CALICOCTL_TABWRITER is `tabwriter.NewWriter(os.Stdout, 5, 1, 3, ' ', 0)` of calicoctl's printer.go. */
export const CALICOCTL_TABWRITER: TabwriterConfig = { minwidth: 5, tabwidth: 1, padding: 3, padchar: ' ', flags: 0 };

/** KUBECTL_TABWRITER is cli-runtime's GetNewTabWriter: (6, 4, 3, ' ', RememberWidths). */
export const KUBECTL_TABWRITER: TabwriterConfig = {
  minwidth: 6,
  tabwidth: 4,
  padding: 3,
  padchar: ' ',
  flags: TabwriterFlags.RememberWidths,
};

interface Cell {
  text: string;
  width: number;
  htab: boolean;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Tabwriter buffers written text and formats it on flush, as tabwriter.Writer does. Escapes and
 * HTML filtering are not modelled: every byte but `\t \v \n \f` is cell text.
 */
export class Tabwriter {
  private readonly cfg: TabwriterConfig;
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private maxwidths: number[] = [];
  private out = '';

  constructor(cfg: TabwriterConfig) {
    if (cfg.minwidth < 0 || cfg.tabwidth < 0 || cfg.padding < 0) throw new Error('negative minwidth, tabwidth, or padding');
    let flags = cfg.flags;
    if (cfg.padchar === '\t') flags &= ~TabwriterFlags.AlignRight;
    this.cfg = { ...cfg, flags };
  }

  /** write appends text; complete lines that end a column block are formatted at once. */
  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        if (ch === '\f' || ncells === 1) {
          this.flush();
          if (ch === '\f' && this.cfg.flags & TabwriterFlags.Debug) this.out += '---\n';
        }
      }
    }
    this.cell += text.slice(start);
  }

  /** flush formats everything buffered, as Flush does. */
  flush(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.cell = '';
    this.widths = [];
  }

  /** output returns (and forgets) what has been written so far. */
  output(): string {
    const o = this.out;
    this.out = '';
    return o;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.cfg.padchar === '\t' || useTabs) {
      if (this.cfg.tabwidth === 0) return;
      cellw = Math.floor((cellw + this.cfg.tabwidth - 1) / this.cfg.tabwidth) * this.cfg.tabwidth;
      const n = cellw - textw;
      if (n < 0) throw new Error('internal error');
      this.out += '\t'.repeat(Math.floor((n + this.cfg.tabwidth - 1) / this.cfg.tabwidth));
      return;
    }
    this.out += this.cfg.padchar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      let useTabs = (this.cfg.flags & TabwriterFlags.TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.cfg.flags & TabwriterFlags.Debug) this.out += '|';
        if (c.text.length === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j], useTabs);
        } else {
          useTabs = false;
          if ((this.cfg.flags & TabwriterFlags.AlignRight) === 0) {
            this.out += c.text;
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false);
          } else {
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false);
            this.out += c.text;
          }
        }
      });
      // The last buffered line has no newline yet; its trailing text is still in this.cell.
      if (i + 1 === this.lines.length) this.out += this.cell;
      else this.out += '\n';
    }
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      let line = this.lines[t];
      if (column >= line.length - 1) continue;
      this.writeLines(line0, t);
      line0 = t;
      let width = this.cfg.minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        line = this.lines[t];
        if (column >= line.length - 1) break;
        const c = line[column];
        width = Math.max(width, c.width + this.cfg.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.cfg.flags & TabwriterFlags.DiscardEmptyColumns) width = 0;
      if (this.cfg.flags & TabwriterFlags.RememberWidths) {
        if (this.maxwidths.length < this.widths.length) this.maxwidths.push(...this.widths.slice(this.maxwidths.length));
        const k = this.widths.length;
        if (this.maxwidths.length === k) this.maxwidths.push(width);
        else if (this.maxwidths[k] > width) width = this.maxwidths[k];
        else if (this.maxwidths[k] < width) this.maxwidths[k] = width;
      }
      this.widths.push(width);
      this.format(line0, t);
      this.widths.pop();
      // Go's outer loop steps past line t, which lacks this column (or is line1).
      line0 = t;
    }
    this.writeLines(line0, line1);
  }
}

/** tabwrite runs `text` through a fresh writer with `cfg` and flushes it. */
export function tabwrite(cfg: TabwriterConfig, text: string): string {
  const w = new Tabwriter(cfg);
  w.write(text);
  w.flush();
  return w.output();
}
