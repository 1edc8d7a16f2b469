/**
 * The seam between records already encoded as bytes and the request that carries them: the
 * lean PutRecords/PutRecordBatch path (LeanRecordsTransport), the SDK's commands (SdkRecordsTransport),
 * a fault-injecting fake in tests.
 */
export interface PutEntry {
  readonly data: Uint8Array;
  /** Streams only; Firehose has no partition key. */
  readonly partitionKey: string;
}

/** Per-entry result, in request order (PutRecords / PutRecordBatch responses). */
export type PutOutcome = { ok: true } | { ok: false; code: string; message: string };

export interface RecordsTransport {
  /** Sends one request; resolves with one outcome per entry, rejects when the request fails as a whole. */
  put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]>;
}
