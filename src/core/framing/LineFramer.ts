/** A piece of the file the framer has delimited, with the file offset just after it. */
export type FrameItem =
  /** A whole line including its `\n` (the Java agent's record: LF only, CR kept). */
  | { kind: 'line'; data: Uint8Array; endOffset: number }
  /** The first `maxLineBytes` of a line longer than the read buffer (Java: a "runaway record"). */
  | { kind: 'runaway'; data: Uint8Array; endOffset: number }
  /** Bytes consumed without a record: a runaway line's remainder or a header line. */
  | { kind: 'skip'; reason: 'runaway' | 'header'; bytes: number; endOffset: number };

/**
 * Receives what `LineFramer#pushTo` delimits, in file order, without an object per line: a line is
 * `data[start, end)`, valid only during the call (it may view the caller's read buffer).
 */
export interface FrameSink {
  /** A whole line including its `\n`, or (`runaway`) the first `maxLineBytes` of a longer line. */
  line(data: Uint8Array, start: number, end: number, endOffset: number, runaway: boolean): void;
  /** Bytes consumed without a record: a runaway line's remainder or a header line. */
  skip(reason: 'runaway' | 'header', bytes: number, endOffset: number): void;
}

/** Hands one item to a sink (a partial line taken from a released file). */
export function deliverItem(item: FrameItem, sink: FrameSink): void {
  if (item.kind === 'skip') sink.skip(item.reason, item.bytes, item.endOffset);
  else sink.line(item.data, 0, item.data.length, item.endOffset, item.kind === 'runaway');
}

/** What a framing call (`frame(sink)`) delimits, as objects (tests, tools). */
export function collectItems(frame: (sink: FrameSink) => void): FrameItem[] {
  const collector = new ItemCollector();
  frame(collector);
  return collector.items;
}

/** A sink that collects items (each line copied out of the chunk's view as a subarray). */
class ItemCollector implements FrameSink {
  readonly items: FrameItem[] = [];

  line(data: Uint8Array, start: number, end: number, endOffset: number, runaway: boolean): void {
    this.items.push({ kind: runaway ? 'runaway' : 'line', data: data.subarray(start, end), endOffset });
  }

  skip(reason: 'runaway' | 'header', bytes: number, endOffset: number): void {
    this.items.push({ kind: 'skip', reason, bytes, endOffset });
  }
}

const LF = 10;

/**
 * Splits a file's bytes into lines as the Java agent does (reference §3.4): a record is every byte up
 * to and including `\n`; a partial last line waits for its `\n`. A line longer than `maxLineBytes`
 * is cut there and the rest of it is skipped without being held in memory.
 *
 * What one push delimits may view the chunk that was pushed: valid until the caller reuses that
 * chunk (the reader reuses one read buffer). Bytes held across pushes are copied.
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

  /** The items of a chunk as objects (tests, tools); the reader uses `pushTo`. */
  push(chunk: Uint8Array): FrameItem[] {
    const collector = new ItemCollector();
    this.pushTo(chunk, collector);
    return collector.items;
  }

  pushTo(chunk: Uint8Array, sink: FrameSink): void {
    const base = this.consumed;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (this.skipping) {
        start = this.continueSkip(chunk, start, nl, base, sink);
      } else if (nl < 0) {
        this.hold(chunk.subarray(start), base + start, sink);
        start = chunk.length;
      } else {
        this.complete(chunk, start, nl + 1, base + nl + 1, sink);
        start = nl + 1;
      }
    }
    this.consumed = base + chunk.length;
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

  private continueSkip(chunk: Uint8Array, start: number, nl: number, base: number, sink: FrameSink): number {
    const end = nl < 0 ? chunk.length : nl + 1;
    this.skippedBytes += end - start;
    if (nl >= 0) {
      sink.skip('runaway', this.skippedBytes, base + end);
      this.skipping = false;
      this.skippedBytes = 0;
    }
    return end;
  }

  /** Keeps the start of an unfinished line, or cuts it if it outgrew the read buffer. */
  private hold(piece: Uint8Array, pieceOffset: number, sink: FrameSink): void {
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
    this.emit(data, 0, data.length, cutAt, true, sink);
    this.skipping = true;
    this.skippedBytes = piece.length - room;
  }

  /** A `\n` arrived: the line is the held bytes plus `chunk[start, end)`. */
  private complete(chunk: Uint8Array, start: number, end: number, endOffset: number, sink: FrameSink): void {
    const tailLength = end - start;
    const length = this.pendingLength + tailLength;
    if (length <= this.maxLineBytes) {
      if (this.pendingLength === 0) {
        this.emit(chunk, start, end, endOffset, false, sink);
      } else {
        const data = this.joinPending(chunk.subarray(start, end));
        this.emit(data, 0, data.length, endOffset, false, sink);
      }
      return;
    }
    const keep = this.maxLineBytes - this.pendingLength;
    const data = this.joinPending(chunk.subarray(start, start + keep));
    const cutAt = endOffset - tailLength + keep;
    this.emit(data, 0, data.length, cutAt, true, sink);
    sink.skip('runaway', endOffset - cutAt, endOffset);
  }

  private emit(data: Uint8Array, start: number, end: number, endOffset: number, runaway: boolean, sink: FrameSink): void {
    if (this.headerLinesLeft > 0 && !runaway) {
      this.headerLinesLeft -= 1;
      sink.skip('header', end - start, endOffset);
      return;
    }
    sink.line(data, start, end, endOffset, runaway);
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
