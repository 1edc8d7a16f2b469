/**
 * The part of aws-kinesis-agg 4.2.8 (a devDependency: AWS's reference deaggregator, which the KPL
 * tests check our encoding against) that the tests use.
 *
 * Tests import the module file `aws-kinesis-agg/lib/kpl-deagg.js` rather than the package root on
 * purpose: the root's index.d.ts imports types from aws-sdk v2 and aws-lambda, which are not
 * installed, and it would merge with any ambient `declare module 'aws-kinesis-agg'`. The deep path
 * has no typings of its own, so this declaration is the only one and the package's index.d.ts never
 * enters the program (the package has no "exports" map, so Node resolves the path as written).
 */
declare module 'aws-kinesis-agg/lib/kpl-deagg.js' {
  /** A Kinesis record as a Lambda event carries it (v2 field names): data is base64. */
  export interface KinesisRecordPayload {
    partitionKey: string;
    data: string;
    sequenceNumber: string;
    explicitPartitionKey?: string;
  }

  /** A user record; subSequenceNumber is absent when the record was not an aggregate. */
  export interface UserRecord {
    partitionKey: string;
    explicitPartitionKey?: string;
    sequenceNumber: string;
    subSequenceNumber?: number;
    /** base64 */
    data: string;
  }

  /**
   * Synchronous in practice: the callback runs before this returns, once, with every user record
   * or with the error that stopped deaggregation (for example "Invalid record checksum").
   */
  export function deaggregateSync(
    kinesisRecord: KinesisRecordPayload,
    computeChecksums: boolean,
    afterRecordCallback: (err: Error | undefined, userRecords?: UserRecord[]) => void,
  ): void;
}
