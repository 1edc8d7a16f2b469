/**
 * The agent-wide cap on descriptors open on log files (`maxOpenFiles`). A source that cannot get one
 * closes ("parks") one of its own files that is read to its end, least recently active first.
 * `reserved` descriptors (one per flow) are kept for the short-lived opens that check a file's
 * identity, which each flow makes one at a time; tailed files share the rest.
 */
export class OpenFileBudget {
  private used = 0;
  readonly limit: number;

  constructor(maxOpenFiles: number, reserved = 0) {
    this.limit = Math.max(1, maxOpenFiles - reserved);
  }

  get open(): number {
    return this.used;
  }

  tryAcquire(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
  }
}
