export interface BatchLimits {
  maxRecords: number;
  /** Bytes per request, counting each record's data and partition key (PutRecords' 5 MiB rule). */
  maxBytes: number;
  maxAgeMillis: number;
}

export interface Sized {
  /** Bytes this record counts against the request limit. */
  readonly size: number;
}

export interface Batch<R> {
  records: R[];
  bytes: number;
}

/**
 * Accumulates records into batches bounded by count, bytes and age (maxBufferSizeRecords,
 * maxBufferSizeBytes, maxBufferAgeMillis), as the Java agent's PublishingQueue does (reference §5.1):
 * a batch is sealed when the next record would not fit, when it is full, or when its first record
 * is older than the age limit.
 */
export class RecordBatcher<R extends Sized> {
  private records: R[] = [];
  private bytes = 0;
  private openedAt = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly now: () => number,
  ) {}

  get pendingRecords(): number {
    return this.records.length;
  }

  /**
   * Adds a record; returns the batches sealed by doing so (zero, one or two). `arrivedAt`: when the
   * record's data arrived, if earlier than now (a KPL aggregate is as old as its first member), so
   * the batch's age counts from its oldest data and maxBufferAgeMillis bounds the delay end to end.
   */
  add(record: R, arrivedAt: number = this.now()): Batch<R>[] {
    const sealed: Batch<R>[] = [];
    if (this.records.length > 0 && this.bytes + record.size > this.limits.maxBytes) sealed.push(this.seal());
    if (this.records.length === 0) this.openedAt = arrivedAt;
    else if (arrivedAt < this.openedAt) this.openedAt = arrivedAt;
    this.records.push(record);
    this.bytes += record.size;
    if (this.records.length >= this.limits.maxRecords || this.bytes >= this.limits.maxBytes) sealed.push(this.seal());
    return sealed;
  }

  /** When the open batch must be sent, or undefined when there is none. */
  deadline(): number | undefined {
    return this.records.length === 0 ? undefined : this.openedAt + this.limits.maxAgeMillis;
  }

  /** The open batch if it is old enough. */
  takeExpired(): Batch<R> | undefined {
    const deadline = this.deadline();
    return deadline !== undefined && this.now() >= deadline ? this.seal() : undefined;
  }

  /** The open batch, whatever its age (shutdown). */
  flush(): Batch<R> | undefined {
    return this.records.length === 0 ? undefined : this.seal();
  }

  private seal(): Batch<R> {
    const batch = { records: this.records, bytes: this.bytes };
    this.records = [];
    this.bytes = 0;
    return batch;
  }
}
