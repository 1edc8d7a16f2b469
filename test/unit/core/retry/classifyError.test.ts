import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorClass } from '../../../../src/core/retry/classifyError.js';

describe('classifyError', () => {
  it.each<[string | undefined, number | undefined, ErrorClass]>([
    ['ProvisionedThroughputExceededException', 400, 'throttling'],
    ['ThrottlingException', 400, 'throttling'],
    ['ServiceUnavailableException', 503, 'throttling'],
    ['LimitExceededException', 400, 'throttling'],
    ['KMSThrottlingException', 400, 'throttling'],
    [undefined, 429, 'throttling'],
    ['SomethingNew', 503, 'throttling'],
    ['InternalFailure', 500, 'transient'],
    ['SomethingNew', 502, 'transient'],
    ['ECONNRESET', undefined, 'transient'],
    ['ETIMEDOUT', undefined, 'transient'],
    ['TimeoutError', undefined, 'transient'],
    ['ENOTFOUND', undefined, 'transient'],
    ['EAI_AGAIN', undefined, 'transient'],
    ['RequestExpired', 400, 'transient'],
    ['UnknownError', undefined, 'transient'],
    ['ResourceNotFoundException', 400, 'fatal'],
    ['AccessDeniedException', 400, 'fatal'],
    ['UnrecognizedClientException', 400, 'fatal'],
    ['InvalidSignatureException', 400, 'fatal'],
    ['ExpiredTokenException', 400, 'fatal'],
    ['CredentialsProviderError', undefined, 'fatal'],
    ['KMSDisabledException', 400, 'fatal'],
    ['KMSNotFoundException', 400, 'fatal'],
    ['InvalidKMSResourceException', 400, 'fatal'],
    ['RegionMissing', undefined, 'fatal'],
    ['SomethingNew', 403, 'fatal'],
    ['SomethingNew', 404, 'fatal'],
    ['ValidationException', 400, 'client'],
    ['InvalidArgumentException', 400, 'client'],
    ['SerializationException', 400, 'client'],
    ['SomethingNew', 400, 'client'],
    [undefined, 408, 'transient'],
    ['RequestTimeout', 408, 'transient'],
    [undefined, 409, 'transient'],
    [undefined, 413, 'client'],
  ])('%s (HTTP %s) → %s', (code, status, expected) => {
    expect(classifyError(code, status)).toBe(expected);
  });
});
