/**
 * Error codes meaning "slow down" (PutRecords, PutRecordBatch and the common AWS errors; see
 * reference/peers.md §4). Per-record ErrorCode of PutRecords is one of
 * ProvisionedThroughputExceededException or InternalFailure.
 */
const THROTTLING_CODES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'SlowDown',
  'LimitExceededException',
  'KMSThrottlingException',
]);

export function isThrottling(code: string | undefined): boolean {
  return code !== undefined && THROTTLING_CODES.has(code);
}
