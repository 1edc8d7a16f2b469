/**
 * Service limits, each named after the AWS limit it encodes.
 *
 * Kinesis Data Streams PutRecords: 500 records and 5 MiB per request by default, 1 MiB per record
 * including the partition key (API_PutRecords; streams may opt in to 10 MiB records with
 * UpdateMaxRecordSize, see "large records" in the Streams developer guide).
 * Firehose PutRecordBatch: 500 records, 4 MiB per request, 1,000 KiB (1,024,000 B) per record
 * ("These limits cannot be changed", Firehose limits page).
 */
export const KINESIS_MAX_RECORDS_PER_REQUEST = 500;
export const KINESIS_MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024;
/** Streams that opted in to large records accept up to 10 MiB per record. */
export const KINESIS_MAX_LARGE_RECORD_BYTES = 10 * 1024 * 1024;
/** Partition keys are Unicode strings of 1..256 characters (PutRecordsRequestEntry). */
export const KINESIS_MAX_PARTITION_KEY_CHARS = 256;

export const FIREHOSE_MAX_RECORDS_PER_REQUEST = 500;
export const FIREHOSE_MAX_BYTES_PER_REQUEST = 4 * 1024 * 1024;
export const FIREHOSE_MAX_RECORD_BYTES = 1_024_000;

/**
 * The Java agent reads a line into one buffer of this size; longer lines are cut there and the
 * rest skipped (reference §3.4).
 */
export const KINESIS_READ_BUFFER_BYTES = 5 * 1024 * 1024;
export const FIREHOSE_READ_BUFFER_BYTES = 4 * 1024 * 1024;
