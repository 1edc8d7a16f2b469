import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A loopback CloudWatch endpoint answering `PutMetricData`, so the agent's metrics can be asserted.
 * @aws-sdk/client-cloudwatch 3.1143 no longer sends awsQuery: it speaks AWS JSON 1.0 in
 * query-compatible mode — `POST /`, `content-type: application/x-amz-json-1.0`,
 * `x-amz-target: GraniteServiceVersion20100801.PutMetricData`, `x-amzn-query-mode: true` — with
 * timestamps as epoch seconds. PutMetricData carries the requestCompression trait: bodies of
 * `requestMinCompressionSizeBytes` (10240 by default) or more arrive with `content-encoding: gzip`.
 */
export interface MetricDatum {
  metricName: string;
  dimensions: { name: string; value: string }[];
  unit?: string;
  value?: number;
  statisticValues?: { sampleCount: number; sum: number; minimum: number; maximum: number };
  values?: number[];
  counts?: number[];
  storageResolution?: number;
  timestamp?: Date;
}

export interface PutMetricDataRequest {
  /** 0 for the first request the stub sees, retries included. */
  index: number;
  namespace: string;
  datums: MetricDatum[];
  /** The body came gzip-compressed (large requests, unless the client disables request compression). */
  gzipped: boolean;
  /** Whether the stub answered this request with an error (see `fail`). */
  failed: boolean;
}

/**
 * `true` or 'internal': 500 InternalServiceError (a server fault the SDK retries);
 * 'throttling': 400 Throttling (retried with throttling backoff). `false`: accept.
 */
export type CloudWatchFault = boolean | 'internal' | 'throttling';

export interface CloudWatchStubOptions {
  fail?: (requestIndex: number) => CloudWatchFault;
}

export interface CloudWatchStub {
  endpoint: string;
  requests: PutMetricDataRequest[];
  close(): Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801.PutMetricData';

/** The wire shape: JSON 1.0 members keep their model names. */
interface WireDatum {
  MetricName?: string;
  Dimensions?: { Name?: string; Value?: string }[];
  Timestamp?: number;
  Value?: number;
  StatisticValues?: { SampleCount?: number; Sum?: number; Minimum?: number; Maximum?: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

export async function startCloudWatchStub(options: CloudWatchStubOptions = {}): Promise<CloudWatchStub> {
  const requests: PutMetricDataRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const gzipped = req.headers['content-encoding'] === 'gzip';
    const raw = gzipped ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
    // A different target or content type means the SDK changed protocol under us: fail loudly, not silently.
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = String(req.headers['content-type'] ?? '');
    if (target !== TARGET || contentType !== 'application/x-amz-json-1.0') {
      sendJson(res, 400, { __type: 'com.amazonaws.cloudwatch#UnknownOperationException', message: `cloudWatchStub implements ${TARGET} over JSON 1.0, got '${target}' (${contentType})` });
      return;
    }
    const body = JSON.parse(raw.toString('utf8') || '{}') as { Namespace?: string; MetricData?: WireDatum[] };
    const index = requests.length;
    const fault = options.fail?.(index) ?? false;
    requests.push({ index, namespace: body.Namespace ?? '', datums: (body.MetricData ?? []).map(decodeDatum), gzipped, failed: fault !== false });
    if (fault === 'throttling') {
      // Query-compatible services put the awsQuery code in x-amzn-query-error; the SDK prefers it
      // over __type, so the error surfaces as `Throttling` just as over awsQuery.
      sendJson(res, 400, { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' }, 'Throttling;Sender');
    } else if (fault !== false) {
      sendJson(res, 500, { __type: 'com.amazonaws.cloudwatch#InternalServiceFault', message: 'Internal service error (cloudWatchStub)' }, 'InternalServiceError;Receiver');
    } else {
      // PutMetricData has no output: JSON 1.0 answers an empty object.
      sendJson(res, 200, {});
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function decodeDatum(wire: WireDatum): MetricDatum {
  const datum: MetricDatum = {
    metricName: wire.MetricName ?? '',
    dimensions: (wire.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
  };
  if (wire.Unit !== undefined) datum.unit = wire.Unit;
  if (wire.Value !== undefined) datum.value = wire.Value;
  const stats = wire.StatisticValues;
  if (stats) datum.statisticValues = { sampleCount: stats.SampleCount ?? NaN, sum: stats.Sum ?? NaN, minimum: stats.Minimum ?? NaN, maximum: stats.Maximum ?? NaN };
  if (wire.Values !== undefined) datum.values = wire.Values;
  if (wire.Counts !== undefined) datum.counts = wire.Counts;
  if (wire.StorageResolution !== undefined) datum.storageResolution = wire.StorageResolution;
  // Epoch seconds with a fractional part: back to milliseconds without float drift.
  if (wire.Timestamp !== undefined) datum.timestamp = new Date(Math.round(wire.Timestamp * 1000));
  return datum;
}

function sendJson(res: ServerResponse, status: number, body: unknown, queryError?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(queryError === undefined ? {} : { 'x-amzn-query-error': queryError }),
  });
  res.end(text);
}
