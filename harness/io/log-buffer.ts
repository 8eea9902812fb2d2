/** Keeps the last lines a child process printed, for error details and run evidence. */
export class LogBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  constructor(
    private readonly max = 200,
    private readonly sink?: (line: string) => void,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
    this.sink?.(line);
  }

  tail(n = 20): string[] {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-n);
  }

  all(): string[] {
    return this.tail(this.max + 1);
  }
}
