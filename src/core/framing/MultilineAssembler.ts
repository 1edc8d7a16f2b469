export interface AssembledRecord {
  data: Uint8Array;
  startOffset: number;
  endOffset: number;
  /** Lines beyond the record-size limit were dropped from it. */
  cut: boolean;
}

const decoder = new TextDecoder('utf-8');

/**
 * `multiLineStartPattern` (reference §3.4): a record is a line matching the pattern (Java
 * `lookingAt`, tested on the line's text including its "\n") plus every following line up to the
 * next match; lines before the first match join the first record. Unlike the Java agent, which
 * emits the last record as soon as its buffer ends with "\n" (so a stack trace flushed in two writes
 * becomes two records), the last record is complete only when the next start line arrives or after
 * a quiet period (`flush()`, driven by multiLineFlushMillis). A record is bounded by `maxBytes`:
 * further lines of it are dropped (their offsets still count) and it is marked cut.
 */
export class MultilineAssembler {
  private parts: Uint8Array[] = [];
  private length = 0;
  private startOffset = 0;
  private endOffset = 0;
  private cut = false;
  /** Whether a start line was seen in this file: lines before the first one join the first record. */
  private started = false;

  constructor(
    private readonly startPattern: RegExp,
    private readonly maxBytes: number,
  ) {}

  get pending(): boolean {
    return this.parts.length > 0 || this.cut;
  }

  /** Adds one line (owned by the assembler from now on); returns the record it completed, if any. */
  push(line: Uint8Array, startOffset: number, endOffset: number): AssembledRecord | undefined {
    let completed: AssembledRecord | undefined;
    const isStart = this.isStart(line);
    if (this.pending && isStart && this.started) completed = this.flush();
    if (!this.pending) this.startOffset = startOffset;
    if (isStart) this.started = true;
    this.endOffset = endOffset;
    const room = this.maxBytes - this.length;
    if (line.length <= room) {
      this.parts.push(line);
      this.length += line.length;
    } else {
      if (room > 0) this.parts.push(line.subarray(0, room));
      this.length = this.maxBytes;
      this.cut = true;
    }
    return completed;
  }

  /** The record being assembled, complete now (next start line, quiet period, file released). */
  flush(): AssembledRecord | undefined {
    if (!this.pending) return undefined;
    const data = this.parts.length === 1 ? (this.parts[0] ?? new Uint8Array()) : concat(this.parts, this.length);
    const record = { data, startOffset: this.startOffset, endOffset: this.endOffset, cut: this.cut };
    this.parts = [];
    this.length = 0;
    this.cut = false;
    return record;
  }

  private isStart(line: Uint8Array): boolean {
    this.startPattern.lastIndex = 0;
    return this.startPattern.test(decoder.decode(line));
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
