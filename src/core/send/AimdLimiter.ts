/**
 * Additive-increase / multiplicative-decrease concurrency for one destination (DESIGN §3), as TCP
 * congestion control: a throttled answer halves the requests allowed in flight, a clean window
 * (as many clean answers as the current limit, about one round trip) adds one, up to `max`
 * (maxSendingThreads). A throttled stream thus gets a steady rate instead of a retry storm, and an
 * unthrottled one climbs back to the cap within a few dozen round trips.
 *
 * Answers to requests sent before the last decrease are stale: they were in flight when the
 * limit was cut, so they neither cut it again (one halving per congestion event, not one per
 * in-flight request) nor count towards the next increase.
 */
export class AimdLimiter {
  private current: number;
  private cleanAnswers = 0;
  private generation = 0;

  constructor(
    readonly max: number,
    initial = Math.min(max, 4),
  ) {
    this.current = Math.max(1, Math.min(max, initial));
  }

  get limit(): number {
    return this.current;
  }

  /** Stamp a request with this when it is sent; pass it back with its answer. */
  get epoch(): number {
    return this.generation;
  }

  throttled(epoch: number): void {
    if (epoch < this.generation) return;
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.cleanAnswers = 0;
    this.generation += 1;
  }

  clean(epoch: number): void {
    if (epoch < this.generation) return;
    this.cleanAnswers += 1;
    if (this.cleanAnswers < this.current) return;
    this.cleanAnswers = 0;
    if (this.current < this.max) this.current += 1;
  }
}
