/** The longest line kept: a child printing megabytes without a newline must not fill the memory. */
export const MAX_LINE_CHARS = 2_000;
/** Lines passed on to the terminal per process: a deployer printing megabytes must not flood it. */
export const MAX_SINK_LINES = 300;

/**
 * Keeps the last lines a child process printed, for error details and run evidence, and passes
 * the first MAX_SINK_LINES of them on (the progress log, the terminal), then says it stopped.
 */
export class LogBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  private sunk = 0;
  constructor(
    private readonly max = 200,
    private readonly sink?: (line: string) => void,
    private readonly sinkLines = MAX_SINK_LINES,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
    // One endless line: what came so far is a line of its own, cut.
    if (this.partial.length > MAX_LINE_CHARS) {
      this.add(this.partial);
      this.partial = '';
    }
  }

  private add(full: string): void {
    const line =
      full.length > MAX_LINE_CHARS ? `${full.slice(0, MAX_LINE_CHARS)}… (${full.length - MAX_LINE_CHARS} more characters)` : full;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
    if (!this.sink) return;
    this.sunk++;
    if (this.sunk <= this.sinkLines) this.sink(line);
    else if (this.sunk === this.sinkLines + 1)
      this.sink(`… more output not shown here (after ${this.sinkLines} lines); its last ${this.max} lines are kept for the evidence`);
  }

  tail(n = 20): string[] {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-n);
  }

  all(): string[] {
    return this.tail(this.max + 1);
  }
}
