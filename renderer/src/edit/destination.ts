import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import type { DestinationType } from '../../../src/shared/config/flowSchema.js';

export const STREAM_KEYS = { kinesis: 'kinesisStream', firehose: 'deliveryStream' } as const satisfies Record<DestinationType, string>;

/**
 * The destination of a raw flow as the shared schema decides it: `deliveryStream` wins when both
 * are set (as in the Java agent); a flow with neither is a Streams flow in the making.
 */
export function destinationTypeOf(raw: RawObject): DestinationType {
  const firehose = raw['deliveryStream'];
  if (typeof firehose === 'string' && firehose !== '') return 'firehose';
  if (raw['kinesisStream'] === undefined && firehose !== undefined) return 'firehose';
  return 'kinesis';
}

/**
 * Switches the draft's destination type: the stream name moves to the other key at the same place
 * in the object, so switching back gives the flow exactly as it was written.
 */
export function switchDestination(draft: RawObject, type: DestinationType): RawObject {
  const to = STREAM_KEYS[type];
  const from = STREAM_KEYS[type === 'kinesis' ? 'firehose' : 'kinesis'];
  if (!Object.hasOwn(draft, from)) return Object.hasOwn(draft, to) ? draft : { ...draft, [to]: '' };
  const name = draft[from];
  const result: RawObject = {};
  for (const [key, value] of Object.entries(draft)) {
    if (key === from) result[to] = name;
    else if (key !== to) result[key] = value;
  }
  return result;
}
