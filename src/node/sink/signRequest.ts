import type { OutgoingHttpHeaders } from 'node:http';
import type { LeanDestination } from './createLeanDestination.js';

/** A request ready for the wire. */
export interface SignedRequest {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * SigV4 exactly as the SDK signs PutRecords / PutRecordBatch (@aws-sdk/core's AwsSdkSigV4Signer
 * calling @smithy/signature-v4): the same headers present when it signs, so the same SignedHeaders
 * (amz-sdk-invocation-id, amz-sdk-request, content-length, content-type, host,
 * x-amz-content-sha256, x-amz-date, x-amz-security-token with session credentials, x-amz-target,
 * x-amz-user-agent); the payload hash in x-amz-content-sha256; the signing date the caller's clock
 * says, corrected by the offset the service's Date header showed (as the SDK's systemClockOffset).
 */
export async function signRequest(destination: LeanDestination, body: Buffer, signingDate: Date, invocationId: string): Promise<SignedRequest> {
  const signed = await destination.signer.sign({
    method: 'POST',
    protocol: destination.protocol,
    hostname: destination.hostname,
    port: destination.port,
    path: destination.path,
    query: {},
    headers: { ...destination.headers, 'content-length': String(body.length), 'amz-sdk-invocation-id': invocationId },
    body,
  }, { signingDate, signingRegion: destination.signingRegion, signingService: destination.signingService });
  return { method: 'POST', path: destination.path, headers: signed.headers, body };
}
