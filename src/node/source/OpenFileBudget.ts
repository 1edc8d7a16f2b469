/**
 * The agent-wide cap on open file descriptors (`maxOpenFiles`). A source that cannot get one closes
 * ("parks") one of its own files that is read to its end, least recently active first.
 */
export class OpenFileBudget {
  private used = 0;

  constructor(readonly limit: number) {}

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
