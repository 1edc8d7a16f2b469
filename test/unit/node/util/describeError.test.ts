import { ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../../src/node/util/describeError.js';

const enoent = await readFile('/nonexistent/shardline/agent.json').catch((error: unknown) => error);

describe('describeError', () => {
  it.each<[string, unknown, ReturnType<typeof describeError>]>([
    [
      'an SDK service error: its name and HTTP status',
      new ResourceNotFoundException({ message: 'Stream s under account 123456789012 not found.', $metadata: { httpStatusCode: 400, requestId: 'r-1' } }),
      { code: 'ResourceNotFoundException', message: 'Stream s under account 123456789012 not found.', httpStatusCode: 400 },
    ],
    [
      'an SDK-like object error with name and $metadata.httpStatusCode',
      Object.assign(new Error('Rate exceeded for shard shardId-000000000001'), { name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
      { code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard shardId-000000000001', httpStatusCode: 400 },
    ],
    [
      'an SDK error without a response (no status)',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} }),
      { code: 'TimeoutError', message: 'socket hang up' },
    ],
    [
      'a real Node fs error: its code',
      enoent,
      { code: 'ENOENT', message: "ENOENT: no such file or directory, open '/nonexistent/shardline/agent.json'" },
    ],
    [
      'a Node-style error with code and name: the code wins',
      Object.assign(new TypeError('connect ECONNREFUSED 127.0.0.1:4567'), { code: 'ECONNREFUSED' }),
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4567' },
    ],
    ['an empty code falls back to the name', Object.assign(new RangeError('bad'), { code: '' }), { code: 'RangeError', message: 'bad' }],
    ['a plain Error', new Error('boom'), { code: 'Error', message: 'boom' }],
    ['a plain string', 'something failed', { code: 'UnknownError', message: 'something failed' }],
    ['a number', 42, { code: 'UnknownError', message: '42' }],
    ['undefined', undefined, { code: 'UnknownError', message: 'undefined' }],
    ['null', null, { code: 'UnknownError', message: 'null' }],
    ['an object without name, code or message', {}, { code: 'UnknownError', message: '[object Object]' }],
  ])('%s', (_name, error, expected) => {
    expect(describeError(error)).toStrictEqual(expected);
  });
});
