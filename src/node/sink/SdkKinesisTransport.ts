import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { PutEntry, PutOutcome, RecordsTransport } from '../../core/send/RecordsTransport.js';

/** PutRecords through the AWS SDK; the per-record results come back in request order. */
export class SdkKinesisTransport implements RecordsTransport {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]> {
    const command = new PutRecordsCommand({
      StreamName: this.streamName,
      Records: entries.map((entry) => ({ Data: entry.data, PartitionKey: entry.partitionKey })),
    });
    const response = await this.client.send(command, signal === undefined ? {} : { abortSignal: signal });
    return (response.Records ?? []).map((result) =>
      result.ErrorCode === undefined ? { ok: true } : { ok: false, code: result.ErrorCode, message: result.ErrorMessage ?? '' },
    );
  }
}
