import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/**
 * Reads every record of a stream from TRIM_HORIZON, shard by shard (GetRecords), for the demo and
 * the tests: proof that records arrived, byte for byte.
 */
export class StreamReader {
  private iterators = new Map<string, string | undefined>();

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  /** Records that arrived since the last call, in shard order. */
  async poll(): Promise<Uint8Array[]> {
    if (this.iterators.size === 0) await this.openShards();
    const records: Uint8Array[] = [];
    for (const [shardId, iterator] of this.iterators) {
      let next = iterator;
      while (next !== undefined) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: next, Limit: 10_000 }));
        for (const record of page.Records ?? []) if (record.Data !== undefined) records.push(record.Data);
        next = page.NextShardIterator;
        if ((page.Records ?? []).length === 0) break;
      }
      this.iterators.set(shardId, next);
    }
    return records;
  }

  private async openShards(): Promise<void> {
    const { Shards = [] } = await this.client.send(new ListShardsCommand({ StreamName: this.streamName }));
    for (const shard of Shards) {
      const { ShardIterator } = await this.client.send(new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      this.iterators.set(shard.ShardId ?? '', ShardIterator);
    }
  }
}
