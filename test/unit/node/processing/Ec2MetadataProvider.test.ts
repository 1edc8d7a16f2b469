import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Ec2MetadataProvider, javaTimestamp } from '../../../../src/node/processing/Ec2MetadataProvider.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A loopback IMDSv2 stub; records every request. */
async function imds(tags: Record<string, string> | undefined) {
  const requests: string[] = [];
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('t');
    if (req.headers['x-aws-ec2-metadata-token'] !== 't') return void res.writeHead(401).end();
    if (req.url === '/latest/dynamic/instance-identity/document') return void res.end(JSON.stringify({ privateIp: '10.0.0.1', availabilityZone: 'az', instanceId: 'i-1', instanceType: 't4g.nano', accountId: '1', imageId: 'ami-1', region: 'r' }));
    if (tags !== undefined && req.url === '/latest/meta-data/tags/instance') return void res.end(Object.keys(tags).join('\n'));
    const tag = tags === undefined ? undefined : /^\/latest\/meta-data\/tags\/instance\/(.+)$/.exec(req.url ?? '')?.[1];
    if (tag !== undefined && tags?.[decodeURIComponent(tag)] !== undefined) return void res.end(tags[decodeURIComponent(tag)]);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

const provider = (endpoint: string, disabled = false, errors: string[] = []) =>
  new Ec2MetadataProvider({ endpoint, disabled, now: () => Date.parse('2024-05-01T12:00:00Z'), timezoneOffsetMinutes: () => 0, onError: (m) => errors.push(m) });

describe('Ec2MetadataProvider (IMDSv2, loopback stub)', () => {
  it('reads the identity document in the Java agent\'s field order, with lower-cased instance tags', async () => {
    const { endpoint } = await imds({ Name: 'web', 'Team-X': 'ops' });
    const p = provider(endpoint);
    await p.refresh();
    const snapshot = p.reader(3600)();
    expect(snapshot?.map(([k]) => k)).toEqual(['privateIp', 'availabilityZone', 'instanceId', 'instanceType', 'accountId', 'amiId', 'region', 'metadataTimestamp', 'tags']);
    expect(Object.fromEntries(snapshot ?? [])).toMatchObject({ instanceId: 'i-1', amiId: 'ami-1', metadataTimestamp: '2024-05-01T12:00:00+0000', tags: new Map([['name', 'web'], ['team-x', 'ops']]) });
  });

  it('omits tags when the instance does not expose them', async () => {
    const { endpoint } = await imds(undefined);
    const p = provider(endpoint);
    await p.refresh();
    expect(p.reader(3600)()?.map(([k]) => k)).not.toContain('tags');
  });

  it('makes no request at all when AWS_EC2_METADATA_DISABLED', async () => {
    const { endpoint, requests } = await imds(undefined);
    const p = provider(endpoint, true);
    await p.refresh();
    expect(p.reader(3600)()).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('off EC2 (nothing listening) it reports once and stays empty', async () => {
    const errors: string[] = [];
    const p = provider('http://127.0.0.1:9', false, errors);
    await p.refresh();
    expect(p.reader(3600)()).toBeUndefined();
    expect(errors[0]).toMatch(/EC2 instance metadata unavailable .* ADDEC2METADATA passes records unchanged/);
  });

  it.each([
    [0, '2024-05-01T12:00:00+0000'],
    [120, '2024-05-01T14:00:00+0200'],
    [-330, '2024-05-01T06:30:00-0530'],
  ])('metadataTimestamp in Java\'s yyyy-MM-dd\'T\'HH:mm:ssZ, offset %i min → %s', (offset, expected) => {
    expect(javaTimestamp(Date.parse('2024-05-01T12:00:00Z'), offset)).toBe(expected);
  });
});
