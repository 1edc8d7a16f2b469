/**
 * The agent-wide cap on descriptors open on log files (`maxOpenFiles`). A source that cannot get one
 * closes ("parks") one of its own files that is read to its end, least recently active first.
 * `reserved` descriptors (one per flow) are kept for the short-lived opens that check a file's
 * identity, which each flow makes one at a time; tailed files share the rest.
 */
export class OpenFileBudget {
  private used = 0;
  private cap: number;

  constructor(maxOpenFiles: number, reserved = 0) {
    this.cap = Math.max(1, maxOpenFiles - reserved);
  }

  get limit(): number {
    return this.cap;
  }

  /** A new maxOpenFiles or number of flows (configuration applied): files over the cap park as they idle. */
  resize(maxOpenFiles: number, reserved: number): void {
    this.cap = Math.max(1, maxOpenFiles - reserved);
  }

  get open(): number {
    return this.used;
  }

  tryAcquire(): boolean {
    if (this.used >= this.cap) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
  }
}
