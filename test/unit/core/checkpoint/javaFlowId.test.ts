import { describe, expect, it } from 'vitest';
import { javaFlowId } from '../../../../src/core/checkpoint/javaFlowId.js';

describe('javaFlowId (the flow column of the Java agent\'s checkpoint rows)', () => {
  it.each([
    { type: 'kinesis', stream: 'app', pattern: '/var/log/app/*.log', expected: 'kinesis:app:/var/log/app/*.log' },
    { type: 'firehose', stream: 'delivery', pattern: '/var/log/app.log*', expected: 'fh:delivery:/var/log/app.log*' },
    // java.nio.file.Path drops repeated slashes; a file in / prints as //name (directory + "/" + name).
    { type: 'kinesis', stream: 's', pattern: '/var//log///app.log', expected: 'kinesis:s:/var/log/app.log' },
    { type: 'kinesis', stream: 's', pattern: '/app.log', expected: 'kinesis:s://app.log' },
    { type: 'kinesis', stream: 's', pattern: 'logs/app.log', expected: 'kinesis:s:logs/app.log' },
  ] as const)('$pattern', ({ type, stream, pattern, expected }) => {
    expect(javaFlowId(type, stream, pattern)).toBe(expected);
  });
});
