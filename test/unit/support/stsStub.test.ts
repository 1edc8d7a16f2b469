import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSigV4Credential, startStsStub, type StsPlan, type StsStub } from '../../support/stsStub.js';

const ROLE = 'arn:aws:iam::111122223333:role/ShardlineWriter';

let stub: StsStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function providerFor(plan?: StsPlan) {
  stub = await startStsStub(plan);
  // The same shape the agent builds for assumeRoleARN / assumeRoleExternalId.
  return fromTemporaryCredentials({
    params: { RoleArn: ROLE, RoleSessionName: 'AWSKinesisAgent', ExternalId: 'x', DurationSeconds: 3600 },
    masterCredentials: { accessKeyId: 'MASTER', secretAccessKey: 's' },
    clientConfig: { endpoint: stub.endpoint, region: 'us-east-1' },
  });
}

describe('startStsStub', () => {
  it('answers AssumeRole as the SDK sends it and records the call', async () => {
    const expiration = new Date(Date.now() + 3_600_000);
    const provider = await providerFor(() => ({ accessKeyId: 'VALID1', secretAccessKey: 'secret1', sessionToken: 'token1', expiration }));
    const credentials = await provider();
    expect(credentials).toMatchObject({ accessKeyId: 'VALID1', secretAccessKey: 'secret1', sessionToken: 'token1' });
    expect(credentials.expiration?.getTime()).toBe(expiration.getTime());
    expect(stub!.calls).toEqual([
      expect.objectContaining({
        index: 0,
        action: 'AssumeRole',
        roleArn: ROLE,
        roleSessionName: 'AWSKinesisAgent',
        externalId: 'x',
        durationSeconds: 3600,
        callerAccessKeyId: 'MASTER',
        signingRegion: 'us-east-1',
        signingService: 'sts',
        callerSessionToken: undefined,
      }),
    ]);
    expect(stub!.calls[0]!.params).toMatchObject({ Version: '2011-06-15' });
  });

  it('issues planned credentials call by call, repeating the last entry', async () => {
    const past = new Date(Date.now() - 60_000);
    const provider = await providerFor([{ accessKeyId: 'EXPIRED1', expiration: past }, { accessKeyId: 'VALID2' }]);
    const first = await provider();
    const second = await provider();
    const third = await provider();
    expect(first.accessKeyId).toBe('EXPIRED1');
    expect(first.expiration?.getTime()).toBe(past.getTime());
    expect([second.accessKeyId, third.accessKeyId]).toEqual(['VALID2', 'VALID2']);
    // Generated fields fill what the plan leaves out; expiry follows DurationSeconds.
    expect(second.sessionToken).toBe('stub-token-1');
    expect(second.expiration!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(stub!.calls.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('answers errors in the STS XML format, surfacing the code as the error name', async () => {
    const provider = await providerFor([{ error: { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' } }]);
    const error = await provider().then(() => undefined, (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } });
    expect(error?.name).toBe('AccessDenied');
    expect(error?.message).toContain('not authorized to perform sts:AssumeRole');
    expect(error?.$metadata?.httpStatusCode).toBe(403);
    expect(stub!.calls).toHaveLength(1);
  });
});

describe('parseSigV4Credential', () => {
  it('reads the access key id and scope from an Authorization header', () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(parseSigV4Credential(header)).toEqual({ accessKeyId: 'AKIDEXAMPLE', region: 'eu-west-1', service: 'sts' });
    expect(parseSigV4Credential(undefined)).toBeUndefined();
    expect(parseSigV4Credential('Basic dXNlcjpwYXNz')).toBeUndefined();
  });
});
