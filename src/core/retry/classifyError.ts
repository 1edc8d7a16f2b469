/**
 * What a failure means for the records it carried (DESIGN §3):
 * - `throttling`: the destination is at its limit; slow down (AIMD) and retry after a backoff;
 * - `transient`: the request may succeed if sent again (5xx, resets, timeouts, DNS);
 * - `fatal`: nothing will succeed until an operator fixes something (stream missing, access denied,
 *   bad or expired credentials, KMS key disabled): the flow goes to state `error` and probes;
 * - `client`: the service rejects these records themselves; sending them again cannot help.
 */
export type ErrorClass = 'throttling' | 'transient' | 'fatal' | 'client';

/**
 * Codes meaning "slow down". PutRecords: ProvisionedThroughputExceededException (whole request or
 * per record), KMSThrottlingException; PutRecordBatch: ServiceUnavailableException ("Slow down.");
 * common AWS throttling codes (the SDK's THROTTLING_ERROR_CODES). LimitExceededException is a
 * control-plane error for Kinesis but some implementations answer it for rate limits.
 */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottled',
  'RequestThrottledException', 'TooManyRequestsException', 'ServiceUnavailableException', 'ServiceUnavailable', 'SlowDown',
  'LimitExceededException', 'KMSThrottlingException', 'RequestLimitExceeded', 'BandwidthLimitExceeded', 'PriorRequestNotComplete',
  'EC2ThrottledException', 'TransactionInProgressException',
]);

/**
 * Codes that no retry fixes until the configuration, the IAM policy, the credentials or the
 * stream change: Kinesis and Firehose API references (PutRecords, PutRecordBatch errors) and the
 * common errors of every AWS API (authentication, signature, expired tokens).
 */
const FATAL = new Set([
  'ResourceNotFoundException', 'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'IncompleteSignatureException', 'InvalidClientTokenId',
  'MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'ExpiredToken', 'ExpiredTokenException', 'InvalidToken',
  'OptInRequired', 'NotAuthorized', 'CredentialsProviderError', 'TokenProviderError',
  'KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException', 'KMSOptInRequired',
  'InvalidKMSResourceException', 'InvalidSourceException', 'ResourceInUseException', 'RegionMissing',
]);

/** Codes the service uses for a request or record it will never accept as sent. */
const CLIENT = new Set([
  'ValidationException', 'InvalidArgumentException', 'SerializationException', 'InvalidParameterValue', 'InvalidParameterException',
  'InvalidInput', 'MalformedInput', 'RequestEntityTooLarge', 'RequestEntityTooLargeException',
]);

/**
 * Failures of the request itself, not answers from the service: retrying is the right thing
 * (RequestExpired: the SDK corrects its clock offset from the answer's Date header before the next try).
 */
const TRANSIENT = new Set([
  'InternalFailure', 'InternalServerError', 'InternalError', 'ServiceException', 'RequestTimeout', 'RequestTimeoutException',
  'TimeoutError', 'RequestExpired', 'RequestTimeTooSkewed', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE',
  'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET',
]);

/**
 * Classifies a failure by its AWS error code (the `__type` of a JSON error, or a Node error code),
 * falling back to the HTTP status: 429 and 503 throttle, other 5xx and 408/409/425 are transient,
 * 401/403/404 are fatal, other 4xx are client errors. Anything unknown without a status (a network failure) is
 * transient: retrying never loses data, dropping would.
 */
export function classifyError(code: string | undefined, httpStatus?: number): ErrorClass {
  if (code !== undefined) {
    if (THROTTLING.has(code)) return 'throttling';
    if (FATAL.has(code)) return 'fatal';
    if (TRANSIENT.has(code)) return 'transient';
    if (CLIENT.has(code)) return 'client';
  }
  if (httpStatus === undefined) return 'transient';
  if (httpStatus === 429 || httpStatus === 503) return 'throttling';
  // Request timeout, conflict, too early: proxies and load balancers answer these to requests that
  // may well succeed when sent again; never a verdict on the records.
  if (httpStatus === 408 || httpStatus === 409 || httpStatus === 425) return 'transient';
  if (httpStatus >= 500) return 'transient';
  if (httpStatus === 401 || httpStatus === 403 || httpStatus === 404) return 'fatal';
  if (httpStatus >= 400) return 'client';
  return 'transient';
}

export function isThrottling(code: string | undefined): boolean {
  return classifyError(code) === 'throttling';
}
