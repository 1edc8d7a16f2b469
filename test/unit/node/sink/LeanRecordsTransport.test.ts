import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyError } from '../../../../src/core/retry/classifyError.js';
import type { PutEntry, RecordsTransport } from '../../../../src/core/send/RecordsTransport.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { createLeanDestination, type LeanDestination } from '../../../../src/node/sink/createLeanDestination.js';
import { createDestinationClient, type DestinationClientOptions } from '../../../../src/node/sink/destinationClient.js';
import { LeanRecordsTransport } from '../../../../src/node/sink/LeanRecordsTransport.js';
import { SdkRecordsTransport } from '../../../../src/node/sink/SdkRecordsTransport.js';

// --- a loopback endpoint that records what it receives and answers as told -------------------------

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Reply = { status: number; headers?: Record<string, string>; body: string } | 'reset' | 'hang';

interface Endpoint {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

async function startEndpoint(reply: (request: Received) => Reply): Promise<Endpoint> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      const answer = reply(request);
      if (answer === 'reset') res.socket?.destroy();
      else if (answer !== 'hang') {
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers });
        res.end(answer.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A 200 answer accepting `count` entries. */
function accepted(kind: 'kinesis' | 'firehose', count: number): Reply {
  const results = Array.from({ length: count }, (_, i) => (kind === 'kinesis' ? { SequenceNumber: String(i), ShardId: 'shardId-000000000000' } : { RecordId: `r${i}` }));
  return { status: 200, body: JSON.stringify(kind === 'kinesis' ? { FailedRecordCount: 0, Records: results } : { FailedPutCount: 0, Encrypted: false, RequestResponses: results }) };
}

// --- the two transports on the same options -----------------------------------------------------

const STATIC = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function options(kind: 'kinesis' | 'firehose', endpoint: string | undefined, extra: Partial<DestinationClientOptions> = {}): DestinationClientOptions {
  return {
    kind, region: 'us-west-2', endpoint,
    credentials: { ...STATIC, assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined },
    userAgent: 'tests/1', connectionTimeoutMillis: 1000, socketTimeoutMillis: 2000, maxConnections: 4, useTcpKeepAlive: false,
    ...extra,
  };
}

const entries: PutEntry[] = [
  { data: Buffer.from('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326\n'), partitionKey: 'k1' },
  { data: Buffer.from('wörld, "quoted" \\ back\tslash\n'), partitionKey: 'ключ "7"' },
  { data: Uint8Array.of(0, 1, 2, 0xff, 0xfe, 0x0a), partitionKey: 'x'.repeat(256) },
];

/** The environment variables a test may set; restored after each. */
const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCOUNT_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_USE_FIPS_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_KINESIS', 'AWS_ENDPOINT_URL_FIREHOSE'];
const savedEnv = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
function isolateEnv(values: Record<string, string> = {}): void {
  for (const name of ENV) delete process.env[name];
  process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/aws-credentials';
  Object.assign(process.env, values);
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const name of ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

async function endpoint(reply: (request: Received) => Reply): Promise<Endpoint> {
  const started = await startEndpoint(reply);
  cleanups.push(() => started.close());
  return started;
}

// --- SigV4: byte for byte what the SDK signs ------------------------------------------------------

/** SHA-256 on node:crypto in @smithy's Checksum shape: an implementation independent of the transport's. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.make();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.make();
  }
  private make(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

function authorizationParts(header: string | undefined): { credential: string; signedHeaders: string[]; signature: string } {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (match === null) throw new Error(`not a SigV4 Authorization header: ${header}`);
  return { credential: match[1]!, signedHeaders: match[2]!.split(';'), signature: match[3]! };
}

/** Signs the received request again from its parts (body hash, date and token recomputed) and returns the Authorization. */
async function resign(request: Received, port: number, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<{ authorization: string; headers: Record<string, string> }> {
  const { signedHeaders, credential } = authorizationParts(request.headers.authorization);
  const [, , region, service] = credential.split('/');
  const generated = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'authorization']);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) if (!generated.has(name)) headers[name] = String(request.headers[name]);
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(request.headers['x-amz-date']))!;
  const signingDate = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(date[4]), Number(date[5]), Number(date[6])));
  const signer = new SignatureV4({ credentials, region: region!, service: service!, sha256: NodeSha256 });
  const signed = await signer.sign({ method: request.method, protocol: 'http:', hostname: '127.0.0.1', port, path: request.url, query: {}, headers, body: request.body }, { signingDate });
  return { authorization: String(signed.headers['authorization']), headers: signed.headers };
}

describe('LeanRecordsTransport signs exactly as the SDK', () => {
  const FIXED = Date.UTC(2026, 0, 15, 12, 34, 56, 250);
  const SESSION = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'c2Vzc2lvbi1zZWNyZXQ/EXAMPLE+key', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=' };

  it.each<['kinesis' | 'firehose', 'static' | 'session']>([
    ['kinesis', 'static'], ['kinesis', 'session'], ['firehose', 'static'], ['firehose', 'session'],
  ])('%s, %s credentials: same method, path, body, signed headers and Authorization; the signature verifies', async (kind, credentialKind) => {
    const server = await endpoint(() => accepted(kind, entries.length));
    const stream = 'my-stream_1.2';
    // Session credentials come through the SDK's default chain (environment), static ones from agent.json.
    isolateEnv(credentialKind === 'session' ? { AWS_ACCESS_KEY_ID: SESSION.accessKeyId, AWS_SECRET_ACCESS_KEY: SESSION.secretAccessKey, AWS_SESSION_TOKEN: SESSION.sessionToken } : {});
    const credentials = credentialKind === 'session' ? SESSION : STATIC;
    const opts = options(kind, server.url, credentialKind === 'session' ? { credentials: { accessKeyId: undefined, secretAccessKey: undefined, assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined } } : {});
    const payload = kind === 'firehose' ? entries.map((e) => ({ ...e, partitionKey: '' })) : entries;

    // The SDK's PutRecordsCommand / PutRecordBatchCommand with the same body (SdkRecordsTransport), its clock fixed.
    vi.useFakeTimers({ toFake: ['Date'], now: FIXED });
    await expect(new SdkRecordsTransport(() => createDestinationClient(opts), stream).put(payload)).resolves.toHaveLength(entries.length);
    vi.useRealTimers();
    const sdk = server.received[0]!;

    // The lean transport with the same clock, the same invocation id and x-amz-user-agent: the same bytes.
    const same = new LeanRecordsTransport(async () => {
      const destination = await createLeanDestination(opts);
      return { ...destination, headers: { ...destination.headers, 'x-amz-user-agent': String(sdk.headers['x-amz-user-agent']) } };
    }, stream, { now: () => FIXED, invocationId: () => String(sdk.headers['amz-sdk-invocation-id']) });
    await expect(same.put(payload)).resolves.toHaveLength(entries.length);
    const lean = server.received[1]!;

    expect(lean.method).toBe(sdk.method);
    expect(lean.url).toBe(sdk.url);
    expect(lean.body.equals(sdk.body)).toBe(true);
    expect(lean.headers.authorization).toBe(sdk.headers.authorization);
    const { signedHeaders, credential } = authorizationParts(sdk.headers.authorization);
    expect(credential).toBe(`${credentials.accessKeyId}/20260115/us-west-2/${kind}/aws4_request`);
    expect(signedHeaders).toEqual([
      'amz-sdk-invocation-id', 'amz-sdk-request', 'content-length', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date',
      ...(credentialKind === 'session' ? ['x-amz-security-token'] : []), 'x-amz-target', 'x-amz-user-agent',
    ]);
    for (const name of signedHeaders) expect([name, lean.headers[name]]).toEqual([name, sdk.headers[name]]);
    expect(lean.headers['x-amz-date']).toBe('20260115T123456Z');
    expect(lean.headers['x-amz-security-token']).toBe(credentialKind === 'session' ? SESSION.sessionToken : undefined);
    expect(lean.headers['x-amz-target']).toBe(kind === 'kinesis' ? 'Kinesis_20131202.PutRecords' : 'Firehose_20150804.PutRecordBatch');

    // Its own user agents and a fresh invocation id: different values, the same signed header list.
    const own = new LeanRecordsTransport(() => createLeanDestination(opts), stream, { now: () => FIXED });
    await own.put(payload);
    const ownRequest = server.received[2]!;
    expect(ownRequest.headers['x-amz-user-agent']).toMatch(/^shardline\/\S+ tests\/1$/);
    expect(ownRequest.headers['user-agent']).toMatch(/^shardline\/\S+ .* tests\/1$/);
    expect(ownRequest.headers['amz-sdk-invocation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ownRequest.headers['amz-sdk-invocation-id']).not.toBe(sdk.headers['amz-sdk-invocation-id']);
    expect(authorizationParts(ownRequest.headers.authorization).signedHeaders).toEqual(signedHeaders);

    // Both verify: signed again from the bytes received, with @smithy/signature-v4 and an independent SHA-256.
    for (const request of [sdk, lean, ownRequest]) {
      const again = await resign(request, server.port, credentials);
      expect(again.authorization).toBe(request.headers.authorization);
      expect(again.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(request.body).digest('hex'));
      expect(again.headers['x-amz-content-sha256']).toBe(request.headers['x-amz-content-sha256']);
    }
  });

  it('a wrong secret does not verify (the check above can fail)', async () => {
    const server = await endpoint(() => accepted('kinesis', 1));
    isolateEnv();
    await new LeanRecordsTransport(() => createLeanDestination(options('kinesis', server.url)), 's', { now: () => FIXED }).put(entries.slice(0, 1));
    const again = await resign(server.received[0]!, server.port, { ...STATIC, secretAccessKey: 'other' });
    expect(again.authorization).not.toBe(server.received[0]!.headers.authorization);
  });

  it('the signing date follows the service clock, as the SDK\'s clock skew correction does', async () => {
    const serverDate = 'Thu, 15 Jan 2026 13:00:00 GMT';
    const server = await endpoint(() => ({ ...(accepted('kinesis', 1) as { status: number; body: string }), headers: { date: serverDate } }));
    isolateEnv();
    const transport = new LeanRecordsTransport(() => createLeanDestination(options('kinesis', server.url)), 's', { now: () => FIXED });
    await transport.put(entries.slice(0, 1));
    await transport.put(entries.slice(0, 1));
    expect(server.received.map((r) => r.headers['x-amz-date'])).toEqual(['20260115T123456Z', '20260115T130000Z']);
  });
});

// --- the same outcomes and failures as the SDK path ----------------------------------------------

/** What a put came to, in the terms the sender uses. */
async function outcome(transport: RecordsTransport, payload: PutEntry[], signal?: AbortSignal): Promise<unknown> {
  try {
    return { outcomes: await transport.put(payload, signal) };
  } catch (error) {
    expect(error).toBeInstanceOf(SendFailure);
    const failure = error as SendFailure;
    return { code: failure.code, httpStatus: failure.httpStatus, kind: classifyError(failure.code, failure.httpStatus), message: failure.message };
  }
}

describe('LeanRecordsTransport answers as SdkRecordsTransport does', () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({ status, headers, body: JSON.stringify(body) });
  const cases: [string, 'kinesis' | 'firehose', Reply][] = [
    ['Kinesis, all accepted', 'kinesis', accepted('kinesis', 3)],
    ['Kinesis, partial failure', 'kinesis', json(200, { FailedRecordCount: 2, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }, { SequenceNumber: '1', ShardId: 's' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' }] })],
    ['Kinesis, a short answer', 'kinesis', json(200, { FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] })],
    ['Kinesis, no Records', 'kinesis', json(200, {})],
    ['Firehose, all accepted', 'firehose', accepted('firehose', 3)],
    ['Firehose, partial failure', 'firehose', json(200, { FailedPutCount: 1, RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }, { RecordId: 'c' }] })],
    ['Firehose, a short answer', 'firehose', json(200, { FailedPutCount: 0, RequestResponses: [] })],
    ['ResourceNotFoundException', 'kinesis', json(400, { __type: 'ResourceNotFoundException', message: 'Stream s under account 123456789012 not found.' })],
    ['ProvisionedThroughputExceededException for the whole request', 'kinesis', json(400, { __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' })],
    ['a namespaced __type', 'kinesis', json(400, { __type: 'com.amazonaws.kinesis.v20131202#KMSThrottlingException', message: 'KMS' })],
    ['AccessDeniedException', 'firehose', json(400, { __type: 'AccessDeniedException', Message: 'not allowed' })],
    ['the error type in the header only', 'kinesis', json(403, { message: 'The security token included in the request is invalid.' }, { 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' })],
    ['ExpiredTokenException', 'kinesis', json(400, { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' })],
    ['InvalidSignatureException', 'kinesis', json(400, { __type: 'InvalidSignatureException', message: 'Signature expired' })],
    ['ValidationException', 'firehose', json(400, { __type: 'ValidationException', message: '1 validation error detected' })],
    ['a code field', 'kinesis', json(400, { code: 'ThrottlingException', message: 'slow' })],
    ['500 InternalFailure', 'kinesis', json(500, { __type: 'InternalFailure' })],
    ['503 ServiceUnavailableException (Firehose "Slow down.")', 'firehose', json(503, { __type: 'ServiceUnavailableException', message: 'Slow down.' })],
    ['503 with an empty body', 'kinesis', { status: 503, body: '' }],
    ['413 without a type', 'kinesis', json(413, { message: 'Request entity too large' })],
    ['502 HTML from a proxy', 'kinesis', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' }],
    ['a 200 that is not JSON', 'kinesis', { status: 200, body: '{"Records": [' }],
    ['a connection reset before the answer', 'kinesis', 'reset'],
  ];

  it.each(cases)('%s', async (_name, kind, reply) => {
    isolateEnv();
    const server = await endpoint(() => reply);
    const payload = kind === 'firehose' ? entries.map((e) => ({ ...e, partitionKey: '' })) : entries;
    const sdk = await outcome(new SdkRecordsTransport(() => createDestinationClient(options(kind, server.url)), 's'), payload);
    const lean = await outcome(new LeanRecordsTransport(() => createLeanDestination(options(kind, server.url)), 's'), payload);
    if ((sdk as { code?: string }).code === 'SyntaxError') {
      // Same code, status and class; the lean path's message names the status and shows the body.
      expect({ ...(lean as object), message: undefined }).toEqual({ ...(sdk as object), message: undefined });
      expect((lean as { message: string }).message).toMatch(/is not JSON/);
    } else {
      expect(lean).toEqual(sdk);
    }
  });

  it('a closed port: ECONNREFUSED on both', async () => {
    isolateEnv();
    const server = await startEndpoint(() => 'hang');
    await server.close();
    const sdk = await outcome(new SdkRecordsTransport(() => createDestinationClient(options('kinesis', server.url)), 's'), entries);
    const lean = await outcome(new LeanRecordsTransport(() => createLeanDestination(options('kinesis', server.url)), 's'), entries);
    expect(lean).toEqual(sdk);
    expect(lean).toMatchObject({ code: 'ECONNREFUSED', kind: 'transient' });
  });

  it('an endpoint that never answers: TimeoutError after socketTimeoutMillis of inactivity on both', async () => {
    isolateEnv();
    const server = await endpoint(() => 'hang');
    const opts = options('kinesis', server.url, { socketTimeoutMillis: 300 });
    const started = Date.now();
    const [sdk, lean] = await Promise.all([
      outcome(new SdkRecordsTransport(() => createDestinationClient(opts), 's'), entries),
      outcome(new LeanRecordsTransport(() => createLeanDestination(opts), 's'), entries),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(lean).toMatchObject({ code: 'TimeoutError', kind: 'transient' });
    expect({ ...(lean as object), message: undefined }).toEqual({ ...(sdk as object), message: undefined });
  });

  it('an abort: AbortError on both, at once, for every request in flight (one listener on the signal however many wait)', async () => {
    isolateEnv();
    const server = await endpoint(() => 'hang');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanups.push(() => void process.off('warning', onWarning));
    const controller = new AbortController();
    const lean = new LeanRecordsTransport(() => createLeanDestination(options('kinesis', server.url)), 's');
    const sdk = new SdkRecordsTransport(() => createDestinationClient(options('kinesis', server.url)), 's');
    const leanPuts = Array.from({ length: 15 }, () => outcome(lean, entries, controller.signal));
    const sdkPut = outcome(sdk, entries, controller.signal);
    await vi.waitFor(() => expect(server.received.length).toBe(5)); // maxConnections 4 (lean) + 1 (SDK): the rest wait for a socket
    controller.abort();
    const results = await Promise.all([...leanPuts, sdkPut]);
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ code: 'AbortError', kind: 'transient', message: 'Request aborted' })]));
    expect(await outcome(lean, entries, controller.signal)).toMatchObject({ code: 'AbortError' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('a connection that is never established: TimeoutError after connectionTimeoutMillis', async () => {
    isolateEnv();
    const server = await endpoint(() => accepted('kinesis', 1));
    const transport = new LeanRecordsTransport(async () => {
      const destination = await createLeanDestination(options('kinesis', server.url, { connectionTimeoutMillis: 200 }));
      // A socket whose TCP handshake never completes, as behind a firewall that drops SYNs.
      (destination.agent as unknown as { createConnection: () => unknown }).createConnection = () => new StalledSocket();
      return destination;
    }, 's');
    expect(await outcome(transport, entries.slice(0, 1))).toMatchObject({ code: 'TimeoutError', kind: 'transient', message: expect.stringContaining('200 ms') as unknown });
  });
});

/** A socket stuck connecting (http's ClientRequest only needs the Duplex and a few socket methods). */
class StalledSocket extends Duplex {
  connecting = true;
  override _read(): void {}
  override _write(_chunk: unknown, _encoding: string, callback: () => void): void {
    callback();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

// --- credentials and region: rebuilt as the SDK path rebuilds its client --------------------------

describe('LeanRecordsTransport: a new destination (new credential providers) after a credentials error', () => {
  it.each<[string, Reply, number]>([
    ['ExpiredTokenException: rebuilt', { status: 400, body: JSON.stringify({ __type: 'ExpiredTokenException', message: 'expired' }) }, 2],
    ['UnrecognizedClientException in the header: rebuilt', { status: 403, headers: { 'x-amzn-errortype': 'UnrecognizedClientException' }, body: '{}' }, 2],
    ['ProvisionedThroughputExceededException: kept', { status: 400, body: JSON.stringify({ __type: 'ProvisionedThroughputExceededException' }) }, 1],
    ['500: kept', { status: 500, body: '{}' }, 1],
  ])('%s', async (_name, first, destinations) => {
    isolateEnv();
    const server = await endpoint((request) => (server.received.indexOf(request) === 0 ? first : accepted('kinesis', 1)));
    let made = 0;
    const destroyed: number[] = [];
    const transport = new LeanRecordsTransport(async () => {
      const id = ++made;
      const destination = await createLeanDestination(options('kinesis', server.url));
      return { ...destination, destroy: () => { destroyed.push(id); destination.destroy(); } } satisfies LeanDestination;
    }, 's');
    await expect(transport.put(entries.slice(0, 1))).rejects.toBeInstanceOf(SendFailure);
    await expect(transport.put(entries.slice(0, 1))).resolves.toEqual([{ ok: true }]);
    expect(made).toBe(destinations);
    // The replaced destination's connections are closed later, not under requests still in flight.
    expect(destroyed).toEqual([]);
  });

  it('a credential provider that fails: CredentialsProviderError (fatal), and the next request asks the chain again', async () => {
    isolateEnv();
    const server = await endpoint(() => accepted('kinesis', 1));
    const noKeys = { accessKeyId: undefined, secretAccessKey: undefined, assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined };
    const transport = new LeanRecordsTransport(() => createLeanDestination(options('kinesis', server.url, { credentials: noKeys })), 's');
    const failure = await outcome(transport, entries.slice(0, 1));
    expect(failure).toMatchObject({ code: 'CredentialsProviderError', kind: 'fatal' });
    expect(await outcome(new SdkRecordsTransport(() => createDestinationClient(options('kinesis', server.url, { credentials: noKeys })), 's'), entries.slice(0, 1))).toMatchObject({ code: 'CredentialsProviderError' });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLATER', AWS_SECRET_ACCESS_KEY: 'later' });
    await expect(transport.put(entries.slice(0, 1))).resolves.toEqual([{ ok: true }]);
    expect(authorizationParts(server.received[0]!.headers.authorization).credential).toMatch(/^AKIDLATER\//);
  });

  it('a Streams flow without any region fails with RegionMissing (fatal), as on the SDK path', async () => {
    isolateEnv();
    const transport = new LeanRecordsTransport(() => createLeanDestination(options('kinesis', 'http://127.0.0.1:9', { region: undefined })), 's');
    expect(await outcome(transport, entries)).toMatchObject({ code: 'RegionMissing', kind: 'fatal' });
  });
});

// --- the endpoint the SDK would send to -----------------------------------------------------------

describe('createLeanDestination: the URL, host and signing scope the SDK resolves', () => {
  /** Where the SDK client built for these options sends PutRecords / PutRecordBatch (not sent: the handler keeps it). */
  async function sdkRequest(opts: DestinationClientOptions): Promise<{ url: string; host: string; scope: string }> {
    const destination = await createDestinationClient(opts);
    let seen: { protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string> } | undefined;
    (destination.client.config as unknown as { requestHandler: unknown }).requestHandler = {
      handle: (request: typeof seen) => {
        seen = request;
        return Promise.reject(new Error('not sent'));
      },
    };
    await new SdkRecordsTransport(() => Promise.resolve(destination), 's').put(entries).catch(() => undefined);
    if (seen === undefined) throw new Error('the SDK built no request');
    return { url: `${seen.protocol}//${seen.hostname}${seen.port === undefined ? '' : `:${seen.port}`}${seen.path}`, host: seen.headers['host']!, scope: authorizationParts(seen.headers['authorization']).credential.split('/').slice(2, 4).join('/') };
  }

  it.each<[string, 'kinesis' | 'firehose', string | undefined, string | undefined, Record<string, string>, string]>([
    ['a region', 'kinesis', 'eu-west-1', undefined, {}, 'https://kinesis.eu-west-1.amazonaws.com/'],
    ['a China region', 'firehose', 'cn-north-1', undefined, {}, 'https://firehose.cn-north-1.amazonaws.com.cn/'],
    ['an endpoint without a scheme, its region taken from it', 'kinesis', undefined, 'kinesis.ap-southeast-2.amazonaws.com', {}, 'https://kinesis.ap-southeast-2.amazonaws.com/'],
    ['an endpoint with a port and a path', 'kinesis', 'us-east-1', 'http://127.0.0.1:4567/prefix', {}, 'http://127.0.0.1:4567/prefix/'],
    ['an explicit :443 (dropped, as the default port)', 'firehose', 'us-east-1', 'https://firehose.us-east-1.amazonaws.com:443', {}, 'https://firehose.us-east-1.amazonaws.com/'],
    ['FIPS from the environment', 'kinesis', 'us-east-1', undefined, { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://kinesis-fips.us-east-1.amazonaws.com/'],
    ['the account endpoint for credentials that carry an account id', 'kinesis', 'us-east-1', undefined, { AWS_ACCOUNT_ID: '123456789012' }, 'https://123456789012.data-kinesis.us-east-1.amazonaws.com/'],
    ['AWS_ENDPOINT_URL_KINESIS', 'kinesis', 'us-east-1', undefined, { AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4999' }, 'http://127.0.0.1:4999/'],
    ['Firehose without any region: us-east-1', 'firehose', undefined, undefined, {}, 'https://firehose.us-east-1.amazonaws.com/'],
  ])('%s', async (_name, kind, region, endpointOption, env, expected) => {
    // Credentials from the environment, so an account id there reaches them (the SDK's env provider).
    isolateEnv({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret', ...env });
    const opts = options(kind, endpointOption, { region, credentials: { accessKeyId: undefined, secretAccessKey: undefined, assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined } });
    const sdk = await sdkRequest(opts);
    const lean = await createLeanDestination(opts);
    cleanups.push(() => lean.destroy());
    const url = `${lean.protocol}//${lean.hostname}${lean.port === undefined ? '' : `:${lean.port}`}${lean.path}`;
    expect(sdk.url).toBe(expected);
    expect({ url, host: lean.headers['host'], scope: `${lean.signingRegion}/${lean.signingService}` }).toEqual(sdk);
  });
});
