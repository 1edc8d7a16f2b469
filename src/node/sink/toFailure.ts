import { SendFailure } from '../../core/send/SendFailure.js';
import { describeError } from '../util/describeError.js';

/**
 * Anything a transport caught (an SDK exception, a Node socket error, a credential provider's
 * error) as the sender's SendFailure: the AWS or Node error code, the HTTP status when there was an
 * answer, and a message. The SDK's "Region is missing" becomes RegionMissing, a fatal error that
 * names the fix.
 */
export function toFailure(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  const described = describeError(error);
  if (/region is missing/i.test(described.message)) {
    return new SendFailure('RegionMissing', 'no AWS region: set kinesis.region / firehose.region, the flow\'s region, AWS_REGION or a profile region');
  }
  return new SendFailure(described.code, described.message, described.httpStatusCode);
}
