import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { credentialsFor, type CredentialOptions } from './credentials.js';
import { createHttpHandler, type HttpOptions } from './httpHandler.js';
import type { DestinationClient } from './SdkRecordsTransport.js';

export interface DestinationClientOptions extends HttpOptions {
  kind: 'kinesis' | 'firehose';
  region: string | undefined;
  endpoint: string | undefined;
  credentials: Omit<CredentialOptions, 'stsHandler' | 'stsRegion'>;
  userAgent: string | undefined;
  /** Called once per client with the proxy it goes through. */
  onProxy?: (proxy: string, endpoint: string) => void;
}

/**
 * A Kinesis or Firehose client. The SDK makes one attempt per call: the sender owns retries so the
 * two retry loops never multiply (DESIGN §3). Firehose falls back to us-east-1 when neither the
 * config nor the SDK's region chain names a region, as the Java agent's Firehose client does.
 */
export async function createDestinationClient(options: DestinationClientOptions): Promise<DestinationClient> {
  const endpoint = options.endpoint === undefined ? undefined : withScheme(options.endpoint);
  const region = options.region ?? regionOfEndpoint(endpoint);
  const service = options.kind === 'kinesis' ? 'kinesis' : 'firehose';
  const endpointUrl = endpoint ?? `https://${service}.${region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1'}.amazonaws.com`;
  const { handler, proxy } = createHttpHandler(endpointUrl, options);
  if (proxy !== undefined) options.onProxy?.(proxy, endpointUrl);
  const stsEndpoint = options.credentials.stsEndpoint === undefined ? undefined : withScheme(options.credentials.stsEndpoint);
  const stsUrl = stsEndpoint ?? `https://sts.${region ?? 'us-east-1'}.amazonaws.com`;
  const config = (resolvedRegion: string | undefined) => ({
    ...(resolvedRegion === undefined ? {} : { region: resolvedRegion }),
    ...(endpoint === undefined ? {} : { endpoint }),
    credentials: credentialsFor({
      ...options.credentials,
      stsEndpoint,
      stsRegion: regionOfEndpoint(stsEndpoint) ?? resolvedRegion,
      stsHandler: () => createHttpHandler(stsUrl, options).handler,
    }),
    maxAttempts: 1,
    ...(options.userAgent === undefined ? {} : { customUserAgent: options.userAgent }),
    requestHandler: handler,
  });
  if (options.kind === 'kinesis') return { kind: 'kinesis', client: new KinesisClient(config(region)) };
  if (region !== undefined) return { kind: 'firehose', client: new FirehoseClient(config(region)) };
  const probe = new FirehoseClient(config(undefined));
  try {
    await probe.config.region();
    return { kind: 'firehose', client: probe };
  } catch {
    probe.destroy();
    return { kind: 'firehose', client: new FirehoseClient(config('us-east-1')) };
  }
}

/** `kinesis.endpoint` may omit the scheme, as in the Java agent; https is the default. */
export function withScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** `kinesis.us-west-2.amazonaws.com` → `us-west-2`, so an endpoint alone is enough (Java 2.0.x). */
export function regionOfEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  const host = new URL(withScheme(endpoint)).hostname;
  return /^(?:kinesis|firehose|sts|monitoring)(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}
