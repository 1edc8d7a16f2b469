import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSigV4Credential } from './stsStub.js';

/**
 * A fault-injecting endpoint speaking the Kinesis Data Streams and Firehose JSON 1.1 protocols
 * (PutRecords, PutRecordBatch) on 127.0.0.1, for what kinesalite never does: throttling, partial
 * failures, 5xx, resets and latency. A `plan` decides each request's fate; accepted records are kept.
 */
export interface RecordEntry {
  data: Buffer;
  partitionKey: string | undefined;
}

export interface PutRequest {
  /** `Kinesis_20131202.PutRecords` or `Firehose_20150804.PutRecordBatch`. */
  target: string;
  stream: string;
  entries: RecordEntry[];
  /** 0 for the first request the server sees. */
  index: number;
  /** The access key id that signed the request (SigV4 Authorization header). */
  accessKeyId: string | undefined;
  /** Time the request arrived (Date.now()). */
  at: number;
}

export type FaultAction =
  | { kind: 'ok' }
  /** Per-entry failure: the error code for an entry, or undefined to accept it. */
  | { kind: 'partial'; fail: (entry: RecordEntry, i: number) => string | undefined }
  | { kind: 'error'; status: number; type: string; message?: string }
  | { kind: 'reset' }
  /** The records are accepted (kept), then the connection is reset: the agent never learns the outcome. */
  | { kind: 'commitThenReset' }
  | { kind: 'delay'; millis: number; then: FaultAction };

export interface FaultServer {
  endpoint: string;
  requests: PutRequest[];
  accepted: RecordEntry[];
  close(): Promise<void>;
}

/**
 * `keep: false` makes it a counting sink for volume tests: accepted records go to `onAccepted` only
 * and requests are not kept, so the test process does not hold gigabytes.
 */
export interface FaultServerOptions {
  keep?: boolean;
  onAccepted?: (entry: RecordEntry) => void;
}

export async function startFaultServer(plan: (request: PutRequest) => FaultAction, serverOptions: FaultServerOptions = {}): Promise<FaultServer> {
  const keep = serverOptions.keep ?? true;
  let requestCount = 0;
  const requests: PutRequest[] = [];
  const accepted: RecordEntry[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { StreamName?: string; DeliveryStreamName?: string; Records?: { Data: string; PartitionKey?: string }[] };
    const entries = (body.Records ?? []).map((r) => ({ data: Buffer.from(r.Data, 'base64'), partitionKey: r.PartitionKey }));
    const request: PutRequest = {
      target, stream: body.StreamName ?? body.DeliveryStreamName ?? '', entries, index: requestCount++,
      accessKeyId: parseSigV4Credential(req.headers.authorization)?.accessKeyId, at: Date.now(),
    };
    if (keep) requests.push(request);
    await respond(res, request, plan(request));
  }
  async function respond(res: ServerResponse, request: PutRequest, action: FaultAction): Promise<void> {
    const firehose = request.target.startsWith('Firehose');
    switch (action.kind) {
      case 'delay':
        await new Promise((r) => setTimeout(r, action.millis));
        return respond(res, request, action.then);
      case 'reset':
        res.socket?.destroy();
        return;
      case 'commitThenReset':
        for (const entry of request.entries) {
          if (keep) accepted.push(entry);
          serverOptions.onAccepted?.(entry);
        }
        res.socket?.destroy();
        return;
      case 'error':
        send(res, action.status, { __type: action.type, message: action.message ?? action.type });
        return;
      case 'ok':
      case 'partial': {
        const codes = request.entries.map((entry, i) => (action.kind === 'partial' ? action.fail(entry, i) : undefined));
        request.entries.forEach((entry, i) => {
          if (codes[i] !== undefined) return;
          if (keep) accepted.push(entry);
          serverOptions.onAccepted?.(entry);
        });
        const failed = codes.filter((c) => c !== undefined).length;
        const results = codes.map((code, i) =>
          code === undefined
            ? firehose ? { RecordId: `rec-${request.index}-${i}` } : { SequenceNumber: String(request.index * 1000 + i), ShardId: 'shardId-000000000000' }
            : { ErrorCode: code, ErrorMessage: `${code} (injected)` },
        );
        send(res, 200, firehose ? { FailedPutCount: failed, Encrypted: false, RequestResponses: results } : { FailedRecordCount: failed, Records: results });
      }
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    accepted,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'fault-server' });
  res.end(text);
}
