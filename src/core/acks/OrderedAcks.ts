/**
 * The ordered ack tracker of one file (DESIGN §3): records are registered in file order with the
 * offset just after them; the committed offset advances only over a contiguous prefix of
 * acknowledged records, so a checkpoint never skips a record that is still being retried.
 */
export class OrderedAcks {
  private ends: number[] = [];
  private done: boolean[] = [];
  /** Index of the first record not yet committed. */
  private head = 0;
  /** Sequence number of `ends[0]`. */
  private firstSeq = 0;

  constructor(private committedOffset: number) {}

  /** Offset up to which every record is acknowledged: the checkpoint. */
  get committed(): number {
    return this.committedOffset;
  }

  /** Records registered and not yet committed (some may be acknowledged out of order). */
  get outstanding(): number {
    return this.ends.length - this.head;
  }

  /** Registers the next record, ending at `endOffset`; returns its sequence number for `ack`. */
  register(endOffset: number): number {
    this.ends.push(endOffset);
    this.done.push(false);
    return this.firstSeq + this.ends.length - 1;
  }

  /**
   * Moves the end of record `seq` to `endOffset` when it is the latest registered and not yet
   * acknowledged (the caller's next record continues it and will be acknowledged with it: a KPL
   * aggregate's stretch of this file); returns whether it did, else the caller registers anew.
   */
  extend(seq: number, endOffset: number): boolean {
    const index = seq - this.firstSeq;
    if (index !== this.ends.length - 1 || index < this.head || this.done[index] === true || endOffset < this.ends[index]!) return false;
    this.ends[index] = endOffset;
    return true;
  }

  /** Acknowledges a record; returns true when the committed offset moved. */
  ack(seq: number): boolean {
    const index = seq - this.firstSeq;
    if (index < this.head || index >= this.ends.length) return false;
    this.done[index] = true;
    if (index !== this.head) return false;
    while (this.head < this.ends.length && this.done[this.head] === true) {
      this.committedOffset = this.ends[this.head] ?? this.committedOffset;
      this.head += 1;
    }
    this.compact();
    return true;
  }

  /** Registers and acknowledges at once (skipped bytes, header lines, dropped records). */
  skip(endOffset: number): boolean {
    return this.ack(this.register(endOffset));
  }

  private compact(): void {
    if (this.head === this.ends.length) {
      this.firstSeq += this.ends.length;
      this.ends = [];
      this.done = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.ends.length) {
      this.ends.splice(0, this.head);
      this.done.splice(0, this.head);
      this.firstSeq += this.head;
      this.head = 0;
    }
  }
}
