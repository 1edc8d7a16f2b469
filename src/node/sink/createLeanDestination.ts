import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Agent } from 'node:http';
import { platform, release } from 'node:os';
import { VERSION } from '../version.js';
import { createDestinationClient, type DestinationClientOptions } from './destinationClient.js';
import { createAgents } from './httpHandler.js';
import type { DestinationClient } from './SdkRecordsTransport.js';

/**
 * Everything LeanRecordsTransport needs to send PutRecords / PutRecordBatch to one destination,
 * resolved once by the SDK client the SDK path would use (so region, endpoint and credentials are
 * the same) and kept until a credentials error asks for a new one.
 */
export interface LeanDestination {
  readonly kind: 'kinesis' | 'firehose';
  /** Where requests go: the URL the SDK's endpoint rules resolve for this operation. */
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number | undefined;
  readonly path: string;
  /**
   * The headers of every request before the per-request ones (content-length,
   * amz-sdk-invocation-id) and the signer's: the SDK's serialization headers (content-type,
   * x-amz-target, any endpoint headers), host, the user agents and amz-sdk-request.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** @smithy/signature-v4 with the client's credential provider (its cache and refresh) and SHA-256. */
  readonly signer: SignatureV4;
  readonly signingRegion: string;
  readonly signingService: string;
  /** Keep-alive connections to the endpoint, through the proxy the environment names for it. */
  readonly agent: Agent;
  readonly connectionTimeoutMillis: number;
  readonly socketTimeoutMillis: number;
  /** Closes the connections (the transport calls it once no request can use them any more). */
  destroy(): void;
}

/**
 * A lean destination built from a fresh SDK client (createDestinationClient: region rules and the
 * Firehose us-east-1 fallback, credentials from credentials.ts). The client's own HTTP handler is
 * never used and is destroyed at once; its credential provider, SHA-256 and endpoint rules are.
 */
export async function createLeanDestination(options: DestinationClientOptions): Promise<LeanDestination> {
  const { onProxy, ...clientOptions } = options;
  const destination = await createDestinationClient(clientOptions);
  try {
    const { config } = destination.client;
    const template = await requestTemplate(destination);
    const url = `${template.protocol}//${template.hostname}${template.port === undefined ? '' : `:${template.port}`}${template.path}`;
    const { httpAgent, httpsAgent, proxy } = createAgents(url, options);
    if (proxy !== undefined) onProxy?.(proxy, url);
    const signingRegion = await config.region();
    const signingService = destination.kind === 'kinesis' ? 'kinesis' : 'firehose';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(template.headers)) {
      if (name.toLowerCase() !== 'content-length') headers[name] = value;
    }
    Object.assign(headers, {
      // hostHeaderMiddleware (@aws-sdk/core): the hostname, and the port when the URL names one.
      host: template.port === undefined ? template.hostname : `${template.hostname}:${template.port}`,
      ...userAgentHeaders(destination.kind, options.userAgent),
      // The SDK's retry middleware adds (and signs) these; one attempt per call, the sender retries.
      'amz-sdk-request': 'attempt=1; max=1',
    });
    return {
      kind: destination.kind,
      protocol: template.protocol,
      hostname: template.hostname,
      port: template.port,
      path: template.path,
      headers,
      signer: new SignatureV4({
        credentials: config.credentials,
        region: signingRegion,
        service: signingService,
        sha256: config.sha256,
        uriEscapePath: config.signingEscapePath,
        applyChecksum: true,
      }),
      signingRegion,
      signingService,
      agent: template.protocol === 'https:' ? httpsAgent : httpAgent,
      connectionTimeoutMillis: options.connectionTimeoutMillis,
      socketTimeoutMillis: options.socketTimeoutMillis,
      destroy: () => {
        httpAgent.destroy();
        httpsAgent.destroy();
      },
    };
  } finally {
    destination.client.destroy();
  }
}

interface RequestTemplate {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
  headers: Record<string, string>;
}

/** Thrown by the capturing middleware to stop the SDK's pipeline before anything is sent. */
class Captured {
  constructor(readonly request: RequestTemplate) {}
}

interface MiddlewareStack {
  add(middleware: () => (args: { request: unknown }) => Promise<unknown>, options: { step: 'build'; priority: 'high'; name: string }): void;
}

/**
 * The request the SDK builds for this operation, taken at the start of its build step: by then its
 * endpoint rules have run with every input they take (region, FIPS and dual-stack settings, a
 * configured endpoint or AWS_ENDPOINT_URL_*, the account id of the credentials) and the JSON
 * protocol has set content-type and x-amz-target. Nothing is signed or sent. Region and
 * credential errors surface here as they would on the first send.
 */
async function requestTemplate(destination: DestinationClient): Promise<RequestTemplate> {
  const capture = () => async (args: { request: unknown }): Promise<never> => {
    const request = args.request as { protocol: string; hostname: string; port?: number | undefined; path: string; headers: Record<string, string> };
    throw new Captured({ protocol: request.protocol, hostname: request.hostname, port: request.port ?? undefined, path: request.path, headers: { ...request.headers } });
  };
  const options = { step: 'build', priority: 'high', name: 'shardlineCaptureRequest' } as const;
  try {
    if (destination.kind === 'kinesis') {
      const command = new PutRecordsCommand({ StreamName: 'template', Records: [] });
      (command.middlewareStack as unknown as MiddlewareStack).add(capture, options);
      await destination.client.send(command);
    } else {
      const command = new PutRecordBatchCommand({ DeliveryStreamName: 'template', Records: [] });
      (command.middlewareStack as unknown as MiddlewareStack).add(capture, options);
      await destination.client.send(command);
    }
  } catch (error) {
    if (error instanceof Captured) return error.request;
    throw error;
  }
  throw new Error('the SDK sent a request the capture should have stopped');
}

/**
 * `user-agent` (not signed) and `x-amz-user-agent` (signed, as the SDK signs it), naming Shardline
 * instead of the SDK; the configured userAgent is appended to both, as the SDK's customUserAgent is.
 */
function userAgentHeaders(kind: 'kinesis' | 'firehose', custom: string | undefined): Record<string, string> {
  const suffix = custom === undefined || custom === '' ? '' : ` ${custom}`;
  return {
    'x-amz-user-agent': `shardline/${VERSION}${suffix}`,
    'user-agent': `shardline/${VERSION} os/${platform()}#${release()} lang/js md/nodejs#${process.versions.node} api/${kind}${suffix}`,
  };
}
