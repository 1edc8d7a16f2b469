import type { Ec2Metadata } from '../../core/processing/addEc2Metadata.js';
import type { JsonValue } from '../../core/processing/jacksonJson.js';

const DEFAULT_ENDPOINT = 'http://169.254.169.254';
const TIMEOUT_MILLIS = 1000;

export interface Ec2MetadataOptions {
  /** IMDS base URL; the SDK's AWS_EC2_METADATA_SERVICE_ENDPOINT overrides it (tests use a loopback stub). */
  endpoint?: string | undefined;
  /** AWS_EC2_METADATA_DISABLED=true: off EC2 by decree, no request is made (DESIGN §6). */
  disabled: boolean;
  now: () => number;
  /** JVM-style local offset formatting for metadataTimestamp, e.g. +0000. */
  timezoneOffsetMinutes: () => number;
  onError: (message: string) => void;
}

/**
 * Instance metadata for ADDEC2METADATA over IMDSv2 (a session token, then the instance identity
 * document; instance tags from IMDS when the instance allows it, keys lower-cased as the Java
 * agent does). Fetched at start and again when older than the option's metadataTTL; converters read
 * the last snapshot synchronously. Off EC2 the snapshot stays undefined and records pass unchanged.
 */
export class Ec2MetadataProvider {
  private snapshot: Ec2Metadata | undefined;
  private fetchedAt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly endpoint: string;

  constructor(private readonly options: Ec2MetadataOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/$/, '');
  }

  /** A reader for converters: the current snapshot, refreshed in the background after `ttlSeconds`. */
  reader(ttlSeconds: number): () => Ec2Metadata | undefined {
    return () => {
      if (this.options.now() - this.fetchedAt > ttlSeconds * 1000) void this.refresh();
      return this.snapshot;
    };
  }

  /** Fetches once (at flow start) so the first records already carry metadata. */
  async refresh(): Promise<void> {
    if (this.options.disabled) return;
    this.inFlight ??= this.fetchAll().finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  private async fetchAll(): Promise<void> {
    this.fetchedAt = this.options.now();
    try {
      const token = await this.request('PUT', '/latest/api/token', { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' });
      const headers = { 'x-aws-ec2-metadata-token': token };
      const identity = JSON.parse(await this.request('GET', '/latest/dynamic/instance-identity/document', headers)) as Record<string, string>;
      const fields: [string, JsonValue][] = [
        ['privateIp', identity['privateIp'] ?? null],
        ['availabilityZone', identity['availabilityZone'] ?? null],
        ['instanceId', identity['instanceId'] ?? null],
        ['instanceType', identity['instanceType'] ?? null],
        ['accountId', identity['accountId'] ?? null],
        ['amiId', identity['imageId'] ?? null],
        ['region', identity['region'] ?? null],
        ['metadataTimestamp', javaTimestamp(this.options.now(), this.options.timezoneOffsetMinutes())],
      ];
      const tags = await this.tags(headers);
      if (tags !== undefined) fields.push(['tags', tags]);
      this.snapshot = fields;
    } catch (error) {
      this.options.onError(`EC2 instance metadata unavailable (${(error as Error).message}); ADDEC2METADATA passes records unchanged`);
    }
  }

  /** Instance tags, when "instance metadata tags" are enabled (404 otherwise: no tags field). */
  private async tags(headers: Record<string, string>): Promise<Map<string, JsonValue> | undefined> {
    let keys: string;
    try {
      keys = await this.request('GET', '/latest/meta-data/tags/instance', headers);
    } catch {
      return undefined;
    }
    const tags = new Map<string, JsonValue>();
    for (const key of keys.split('\n').filter((k) => k !== '')) {
      tags.set(key.toLowerCase(), await this.request('GET', `/latest/meta-data/tags/instance/${encodeURIComponent(key)}`, headers));
    }
    return tags;
  }

  private async request(method: string, path: string, headers: Record<string, string>): Promise<string> {
    const response = await fetch(`${this.endpoint}${path}`, { method, headers, signal: AbortSignal.timeout(TIMEOUT_MILLIS) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.text();
  }
}

/** Java `yyyy-MM-dd'T'HH:mm:ssZ` in the local zone: 2024-05-01T12:00:00+0000. */
export function javaTimestamp(millis: number, offsetMinutes: number): string {
  const local = new Date(millis + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}
