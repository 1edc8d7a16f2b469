import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg/lib/kpl-deagg.js';

/**
 * The user records of a Kinesis record as text, by AWS's reference deaggregator (which checks the
 * aggregate's MD5); a record that is not an aggregate is one user record.
 */
export function kplUserRecords(data: Uint8Array): string[] {
  let records: UserRecord[] = [];
  deaggregateSync({ partitionKey: 'k', data: Buffer.from(data).toString('base64'), sequenceNumber: '1' }, true, (error, out) => {
    if (error !== undefined && error !== null) throw error;
    records = out ?? [];
  });
  return records.map((record) => Buffer.from(record.data, 'base64').toString());
}
