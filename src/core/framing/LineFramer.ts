/** A piece of the file the framer has delimited, with the file offset just after it. */
export type FrameItem =
  /** A whole line including its `\n` (the Java agent's record: LF only, CR kept). */
  | { kind: 'line'; data: Uint8Array; endOffset: number }
  /** The first `maxLineBytes` of a line longer than the read buffer (Java: a "runaway record"). */
  | { kind: 'runaway'; data: Uint8Array; endOffset: number }
  /** Bytes consumed without a record: a runaway line's remainder or a header line. */
  | { kind: 'skip'; reason: 'runaway' | 'header'; bytes: number; endOffset: number };

const LF = 10;

/**
 * Splits a file's bytes into lines as the Java agent does (reference §3.4): a record is every byte up
 * to and including `\n`; a partial last line waits for its `\n`. A line longer than `maxLineBytes`
 * is cut there and the rest of it is skipped without being held in memory.
 *
 * The items of one `push` may view the chunk that was pushed: they are valid until the caller reuses
 * that chunk (the reader reuses one read buffer). Bytes held across pushes are copied.
 */
export class LineFramer {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private skipping = false;
  private skippedBytes = 0;
  private headerLinesLeft: number;
  /** File offset just after the last byte pushed. */
  private consumed: number;

  constructor(
    startOffset: number,
    private readonly maxLineBytes: number,
    /** Lines to drop at the start (skipHeaderLines; only when reading from offset 0). */
    skipHeaderLines = 0,
  ) {
    this.consumed = startOffset;
    this.headerLinesLeft = startOffset === 0 ? skipHeaderLines : 0;
  }

  /** Offset just after the last complete item: where to resume after a restart. */
  get framedOffset(): number {
    return this.consumed - this.pendingLength - (this.skipping ? this.skippedBytes : 0);
  }

  /** Bytes of an unfinished last line held in memory. */
  get partialBytes(): number {
    return this.pendingLength;
  }

  push(chunk: Uint8Array): FrameItem[] {
    const items: FrameItem[] = [];
    const base = this.consumed;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (this.skipping) {
        start = this.continueSkip(chunk, start, nl, base, items);
      } else if (nl < 0) {
        this.hold(chunk.subarray(start), base + start, items);
        start = chunk.length;
      } else {
        this.complete(chunk.subarray(start, nl + 1), base + nl + 1, items);
        start = nl + 1;
      }
    }
    this.consumed = base + chunk.length;
    return items;
  }

  /**
   * The unfinished last line, as a record, for a file that is released (rotated away and drained):
   * the Java agent discards it, Shardline delivers it.
   */
  takePartial(): FrameItem | undefined {
    if (this.skipping) {
      this.skipping = false;
      const bytes = this.skippedBytes;
      this.skippedBytes = 0;
      return { kind: 'skip', reason: 'runaway', bytes, endOffset: this.consumed };
    }
    if (this.pendingLength === 0) return undefined;
    const data = this.joinPending();
    return { kind: 'line', data, endOffset: this.consumed };
  }

  private continueSkip(chunk: Uint8Array, start: number, nl: number, base: number, items: FrameItem[]): number {
    const end = nl < 0 ? chunk.length : nl + 1;
    this.skippedBytes += end - start;
    if (nl >= 0) {
      items.push({ kind: 'skip', reason: 'runaway', bytes: this.skippedBytes, endOffset: base + end });
      this.skipping = false;
      this.skippedBytes = 0;
    }
    return end;
  }

  /** Keeps the start of an unfinished line, or cuts it if it outgrew the read buffer. */
  private hold(piece: Uint8Array, pieceOffset: number, items: FrameItem[]): void {
    const room = this.maxLineBytes - this.pendingLength;
    if (piece.length < room) {
      // A copy: the caller reuses its chunk. (Not `piece.slice()`: on a Node Buffer, slice is a view.)
      this.pending.push(new Uint8Array(piece));
      this.pendingLength += piece.length;
      return;
    }
    this.pending.push(piece.subarray(0, room));
    this.pendingLength += room;
    const data = this.joinPending();
    const cutAt = pieceOffset + room;
    this.emit({ kind: 'runaway', data, endOffset: cutAt }, items);
    this.skipping = true;
    this.skippedBytes = piece.length - room;
  }

  /** A `\n` arrived: the line is the held bytes plus `tail`. */
  private complete(tail: Uint8Array, endOffset: number, items: FrameItem[]): void {
    const length = this.pendingLength + tail.length;
    if (length <= this.maxLineBytes) {
      const data = this.pendingLength === 0 ? tail : this.joinPending(tail);
      this.emit({ kind: 'line', data, endOffset }, items);
      return;
    }
    const keep = this.maxLineBytes - this.pendingLength;
    const data = this.joinPending(tail.subarray(0, keep));
    const cutAt = endOffset - tail.length + keep;
    this.emit({ kind: 'runaway', data, endOffset: cutAt }, items);
    items.push({ kind: 'skip', reason: 'runaway', bytes: endOffset - cutAt, endOffset });
  }

  private emit(item: FrameItem, items: FrameItem[]): void {
    if (this.headerLinesLeft > 0 && item.kind === 'line') {
      this.headerLinesLeft -= 1;
      items.push({ kind: 'skip', reason: 'header', bytes: item.data.length, endOffset: item.endOffset });
      return;
    }
    items.push(item);
  }

  private joinPending(tail?: Uint8Array): Uint8Array {
    const parts = tail === undefined ? this.pending : [...this.pending, tail];
    const total = this.pendingLength + (tail?.length ?? 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
    this.pending = [];
    this.pendingLength = 0;
    return data;
  }
}
