// What a command line writes: its stdout and stderr in the order it wrote them, and its exit status.

/** Chunk is one write to a file descriptor: 1 is stdout, 2 is stderr. */
export interface Chunk {
  readonly fd: 1 | 2;
  readonly text: string;
  /** flush marks an fflush(stdout): what stdout's line buffer held comes out here. */
  readonly flush?: true;
}

/** OutputSink receives each write as the command makes it, in order (a terminal, a pipe). */
export type OutputSink = (fd: 1 | 2, text: string) => void;

/**
 * Output collects what one command writes, in order. Given a sink, it streams instead: every write
 * goes to the sink at once and nothing is kept, so a command of any length runs in flat memory.
 */
export class Output {
  readonly chunks: Chunk[] = [];
  /** status is the exit status (0 for success). */
  status = 0;

  constructor(private readonly sink?: OutputSink) {}

  /** out writes to stdout. */
  out(text: string): void {
    if (text === '') return;
    if (this.sink !== undefined) this.sink(1, text);
    else this.chunks.push({ fd: 1, text });
  }

  /** flush is fflush(stdout): a line the program has not ended yet is shown now, not at its newline. */
  flush(): void {
    if (this.sink === undefined) this.chunks.push({ fd: 1, text: '', flush: true });
  }

  /** err writes to stderr. */
  err(text: string): void {
    if (text === '') return;
    if (this.sink !== undefined) this.sink(2, text);
    else this.chunks.push({ fd: 2, text });
  }

  /** errLine writes `line` and a newline to stderr and sets the exit status. */
  errLine(line: string, status: number): void {
    this.err(`${line}\n`);
    this.status = status;
  }

  /** stdout is everything written to stdout (nothing when a sink took it). */
  get stdout(): string {
    let s = '';
    for (const c of this.chunks) if (c.fd === 1) s += c.text;
    return s;
  }

  /**
   * combined is everything written to both as a terminal shows it: stdio buffers stdout by line
   * there and stderr not at all, so a stdout line still open when stderr is written comes after it
   * (curl's body without a final newline follows its `* Closing connection` trace), and what is
   * left in the buffer comes out when the program exits.
   */
  get combined(): string {
    let s = '';
    let pending = '';
    for (const c of this.chunks) {
      if (c.fd === 2) {
        s += c.text;
        continue;
      }
      pending += c.text;
      const nl = c.flush === true ? pending.length - 1 : pending.lastIndexOf('\n');
      if (nl >= 0) {
        s += pending.slice(0, nl + 1);
        pending = pending.slice(nl + 1);
      }
    }
    return s + pending;
  }

  /** stderr is everything written to stderr (nothing when a sink took it). */
  get stderr(): string {
    let s = '';
    for (const c of this.chunks) if (c.fd === 2) s += c.text;
    return s;
  }
}

/** CommandError is what a printer throws when the real command fails: its stderr text and exit status. */
export class CommandError extends Error {
  constructor(
    readonly stderr: string,
    readonly exitCode: number,
  ) {
    super(stderr.trimEnd());
    this.name = 'CommandError';
  }
}
