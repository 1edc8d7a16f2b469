/**
 * The agent-wide cap on requests in flight (maxSendingThreads, the size of the Java agent's
 * shared sender pool): every flow's sender takes a slot per request. A sender that finds none
 * left is called back when one frees up.
 */
export class SendSlots {
  private used = 0;
  private readonly waiting = new Set<() => void>();

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  tryAcquire(): boolean {
    if (this.used >= this.size) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
    const callbacks = [...this.waiting];
    this.waiting.clear();
    for (const callback of callbacks) callback();
  }

  /** Calls `callback` once at the next release. */
  whenFree(callback: () => void): void {
    this.waiting.add(callback);
  }

  cancel(callback: () => void): void {
    this.waiting.delete(callback);
  }
}
