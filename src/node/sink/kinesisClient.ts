import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface KinesisClientOptions {
  region: string | undefined;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  connectionTimeoutMillis: number;
  socketTimeoutMillis: number;
  maxConnections: number;
  useTcpKeepAlive: boolean;
  userAgent: string | undefined;
}

/**
 * A Kinesis client for PutRecords. HTTP/1.1 with keep-alive rather than the SDK's default HTTP/2:
 * proxies and local endpoints speak HTTP/1.1, and a pool of keep-alive connections is what a
 * steady stream of requests wants. The SDK makes one attempt per call: the sender owns retries so
 * the two retry loops never multiply (DESIGN §3).
 */
export function createKinesisClient(options: KinesisClientOptions): KinesisClient {
  const agentOptions = { keepAlive: true, maxSockets: options.maxConnections, keepAliveMsecs: options.useTcpKeepAlive ? 30_000 : 1000 };
  const credentials = options.accessKeyId !== undefined && options.secretAccessKey !== undefined
    ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
    : undefined;
  return new KinesisClient({
    region: options.region ?? regionOfEndpoint(options.endpoint),
    ...(options.endpoint === undefined ? {} : { endpoint: withScheme(options.endpoint) }),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: 1,
    ...(options.userAgent === undefined ? {} : { customUserAgent: options.userAgent }),
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: options.connectionTimeoutMillis,
      requestTimeout: options.socketTimeoutMillis,
    }),
  });
}

/** `kinesis.endpoint` may omit the scheme, as in the Java agent; https is the default. */
export function withScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** `kinesis.us-west-2.amazonaws.com` → `us-west-2`, so an endpoint alone is enough (Java 2.0.x). */
export function regionOfEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  const host = new URL(withScheme(endpoint)).hostname;
  return /^(?:kinesis|firehose)(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}
