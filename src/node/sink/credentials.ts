import type { KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { NodeHttpHandler } from '@smithy/node-http-handler';

type AwsCredentialIdentityProvider = Extract<NonNullable<KinesisClientConfig['credentials']>, (...args: never[]) => unknown>;

export interface CredentialOptions {
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  assumeRoleARN: string | undefined;
  assumeRoleExternalId: string | undefined;
  stsEndpoint: string | undefined;
  stsRegion: string | undefined;
  /** The handler for STS calls (keep-alive, proxy). */
  stsHandler: (() => NodeHttpHandler) | undefined;
}

/**
 * The credentials of one destination client (reference §5.6): static keys from agent.json, else
 * the SDK's default chain (environment, shared config and SSO profiles, web identity, ECS, IMDS),
 * optionally wrapped in STS AssumeRole with the Java agent's session name and duration. The SDK
 * refreshes temporary credentials five minutes before they expire, so a flow running for days
 * never stalls on an expired token; a client is rebuilt (new providers, new cache) when the
 * service says its credentials are bad anyway (see SdkRecordsTransport).
 */
export function credentialsFor(options: CredentialOptions): AwsCredentialIdentityProvider | undefined {
  const base: AwsCredentialIdentityProvider | undefined = options.accessKeyId !== undefined && options.secretAccessKey !== undefined
    ? staticCredentials(options.accessKeyId, options.secretAccessKey)
    : options.assumeRoleARN === undefined ? undefined : fromNodeProviderChain();
  if (options.assumeRoleARN === undefined) return base;
  return fromTemporaryCredentials({
    params: {
      RoleArn: options.assumeRoleARN,
      RoleSessionName: 'AWSKinesisAgent',
      DurationSeconds: 3600,
      ...(options.assumeRoleExternalId === undefined ? {} : { ExternalId: options.assumeRoleExternalId }),
    },
    ...(base === undefined ? {} : { masterCredentials: base }),
    clientConfig: {
      ...(options.stsEndpoint === undefined ? {} : { endpoint: options.stsEndpoint }),
      ...(options.stsRegion === undefined ? {} : { region: options.stsRegion }),
      ...(options.stsHandler === undefined ? {} : { requestHandler: options.stsHandler() }),
      maxAttempts: 3,
    },
  });
}

/**
 * The role a flow assumes: its own assumeRoleARN with its own external id, else the global pair
 * (a flow's external id never applies to the global role, nor the reverse).
 */
export function roleFor(global: RoleSettings, flow: RoleSettings): RoleSettings {
  return flow.assumeRoleARN === undefined
    ? { assumeRoleARN: global.assumeRoleARN, assumeRoleExternalId: global.assumeRoleExternalId }
    : { assumeRoleARN: flow.assumeRoleARN, assumeRoleExternalId: flow.assumeRoleExternalId };
}

export interface RoleSettings {
  assumeRoleARN: string | undefined;
  assumeRoleExternalId: string | undefined;
}

function staticCredentials(accessKeyId: string, secretAccessKey: string): AwsCredentialIdentityProvider {
  const identity = { accessKeyId, secretAccessKey };
  return () => Promise.resolve(identity);
}
