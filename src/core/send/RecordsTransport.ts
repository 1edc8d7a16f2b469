import type { RecordRun } from './RecordRun.js';

/**
 * The seam between records already encoded as bytes and the request that carries them: the
 * lean PutRecords/PutRecordBatch path (LeanRecordsTransport), the SDK's commands (SdkRecordsTransport),
 * a fault-injecting fake in tests.
 */
export interface PutEntry {
  readonly data: Uint8Array;
  /** Streams only; Firehose has no partition key. */
  readonly partitionKey: string;
  /**
   * Several records in one entry (RecordRun): the request carries each of them as a record of its
   * own (then `data` is the run's bytes and `partitionKey` is not used).
   */
  readonly run?: RecordRun | undefined;
}

/** Per-record result, in request order (a run has one per record it holds) (PutRecords / PutRecordBatch responses). */
export type PutOutcome = { ok: true } | { ok: false; code: string; message: string };

export interface RecordsTransport {
  /**
   * Sends one request; resolves with one outcome per record (recordCount: a run has one per record
   * it holds), rejects when the request fails as a whole.
   */
  put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]>;
}
