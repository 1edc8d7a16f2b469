import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { PutEntry, PutOutcome, RecordsTransport } from '../../core/send/RecordsTransport.js';
import { encodePutRecordsBody } from './encodePutRecordsBody.js';

/**
 * PutRecords through the AWS SDK (endpoint, region, credentials, SigV4 signing, response parsing),
 * with the body encoded by Shardline straight from the record bytes: a build-step middleware puts
 * it in place of the SDK's serialization of an empty record list, before the request is signed.
 */
export class SdkKinesisTransport implements RecordsTransport {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]> {
    const command = new PutRecordsCommand({ StreamName: this.streamName, Records: [] });
    const body = encodePutRecordsBody(this.streamName, entries);
    command.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers?: Record<string, string> };
        request.body = body;
        for (const name of Object.keys(request.headers ?? {})) if (name.toLowerCase() === 'content-length') delete request.headers?.[name];
        return next(args);
      },
      { step: 'build', priority: 'high', name: 'shardlineEncodedBody' },
    );
    const response = await this.client.send(command, signal === undefined ? {} : { abortSignal: signal });
    return (response.Records ?? []).map((result) =>
      result.ErrorCode === undefined ? { ok: true } : { ok: false, code: result.ErrorCode, message: result.ErrorMessage ?? '' },
    );
  }
}
