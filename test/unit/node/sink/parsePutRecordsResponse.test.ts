import { describe, expect, it } from 'vitest';
import type { PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { classifyError, type ErrorClass } from '../../../../src/core/retry/classifyError.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { errorOfAnswer, parsePutRecordsResponse, type HttpAnswer } from '../../../../src/node/sink/parsePutRecordsResponse.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const ok: PutOutcome = { ok: true };
const missing: PutOutcome = { ok: false, code: 'MissingResult', message: 'the answer has no result for this record' };

describe('parsePutRecordsResponse: outcomes of a 2xx answer, in request order', () => {
  it.each<[string, 'kinesis' | 'firehose', number, unknown, PutOutcome[]]>([
    ['Kinesis, all accepted', 'kinesis', 2, { FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }, { SequenceNumber: '2', ShardId: 's' }] }, [ok, ok]],
    ['Kinesis, partial failure with code and message', 'kinesis', 3,
      { FailedRecordCount: 2, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000001' }, { SequenceNumber: '2', ShardId: 's' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' }] },
      [{ ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard shardId-000000000001' }, ok, { ok: false, code: 'InternalFailure', message: 'Internal service failure.' }]],
    ['Kinesis, a code without a message', 'kinesis', 1, { Records: [{ ErrorCode: 'KMSThrottlingException' }] }, [{ ok: false, code: 'KMSThrottlingException', message: '' }]],
    ['Kinesis, ErrorCode null is success (as the SDK reads it)', 'kinesis', 2, { Records: [{ ErrorCode: null, SequenceNumber: '1' }, { ErrorCode: 'X', ErrorMessage: null }] }, [ok, { ok: false, code: 'X', message: '' }]],
    ['Kinesis, a short list: the rest are MissingResult (resent)', 'kinesis', 3, { Records: [{ SequenceNumber: '1' }] }, [ok, missing, missing]],
    ['Kinesis, more results than entries: the extra ones are ignored', 'kinesis', 1, { Records: [{ SequenceNumber: '1' }, { ErrorCode: 'X' }] }, [ok]],
    ['Kinesis, no Records', 'kinesis', 2, {}, [missing, missing]],
    ['Kinesis, Records null', 'kinesis', 1, { Records: null }, [missing]],
    ['Kinesis, an empty body', 'kinesis', 1, '', [missing]],
    ['Kinesis, a null entry', 'kinesis', 2, { Records: [null, {}] }, [missing, ok]],
    ['Kinesis reads Records, not RequestResponses', 'kinesis', 1, { RequestResponses: [{ RecordId: 'r' }] }, [missing]],
    ['Firehose, all accepted', 'firehose', 2, { FailedPutCount: 0, Encrypted: false, RequestResponses: [{ RecordId: 'a' }, { RecordId: 'b' }] }, [ok, ok]],
    ['Firehose, partial failure', 'firehose', 2, { FailedPutCount: 1, RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }] },
      [ok, { ok: false, code: 'ServiceUnavailableException', message: 'Slow down.' }]],
    ['Firehose reads RequestResponses, not Records', 'firehose', 1, { Records: [{ SequenceNumber: '1' }] }, [missing]],
    ['Firehose, a short list', 'firehose', 2, { RequestResponses: [{ RecordId: 'a' }] }, [ok, missing]],
    ['no entries', 'kinesis', 0, { Records: [] }, []],
  ])('%s', (_name, kind, count, body, expected) => {
    expect(parsePutRecordsResponse(answer(200, body), kind, count)).toEqual(expected);
  });

  it.each<[string, 'kinesis' | 'firehose', number, string, PutOutcome[]]>([
    ['a result key inside a string value is not a result', 'kinesis', 2, JSON.stringify({ Records: [{ SequenceNumber: '1', ShardId: '"SequenceNumber"' }] }), [ok, missing]],
    ['one result key per entry, and an ErrorCode', 'kinesis', 2, JSON.stringify({ Records: [{ SequenceNumber: '1' }, { SequenceNumber: '2', ErrorCode: 'X' }] }), [ok, { ok: false, code: 'X', message: '' }]],
    ['a trailing newline', 'firehose', 1, `${JSON.stringify({ RequestResponses: [{ RecordId: 'a' }] })}\n`, [ok]],
    ['whitespace around the keys', 'kinesis', 2, '{ "Records" : [ { "SequenceNumber" : "1" } , { "SequenceNumber" : "2" } ] }', [ok, ok]],
  ])('%s', (_name, kind, count, body, expected) => {
    expect(parsePutRecordsResponse(answer(200, body), kind, count)).toEqual(expected);
  });

  it('random answers: the same outcomes as reading the whole JSON document', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const texts = ['1', 'shardId-000000000001', '"SequenceNumber"', '"RecordId"', '"ErrorCode"', 'é', '{}', ''];
    for (let round = 0; round < 2000; round++) {
      const kind = pick<'kinesis' | 'firehose'>(['kinesis', 'firehose']);
      const count = Math.floor(random() * 6);
      const results = Array.from({ length: Math.floor(random() * 7) }, () => pick<unknown>([
        kind === 'kinesis' ? { SequenceNumber: pick(texts), ShardId: pick(texts) } : { RecordId: pick(texts) },
        { ErrorCode: pick(['ProvisionedThroughputExceededException', 'InternalFailure']), ErrorMessage: pick(texts) },
        {}, null, { ErrorCode: null, [kind === 'kinesis' ? 'SequenceNumber' : 'RecordId']: pick(texts) },
      ]));
      const document = { [kind === 'kinesis' ? 'Records' : 'RequestResponses']: results, Note: pick(texts) };
      const expected = Array.from({ length: count }, (_, i): PutOutcome => {
        const result = results[i] as { ErrorCode?: string | null; ErrorMessage?: string } | null | undefined;
        if (result === undefined || result === null) return missing;
        return result.ErrorCode === undefined || result.ErrorCode === null ? ok : { ok: false, code: result.ErrorCode, message: result.ErrorMessage ?? '' };
      });
      expect([kind, JSON.stringify(document), count, parsePutRecordsResponse(answer(200, document), kind, count)]).toEqual([kind, JSON.stringify(document), count, expected]);
    }
  });

  it('any 2xx is an answer with outcomes, as for the SDK', () => {
    expect(parsePutRecordsResponse(answer(204, ''), 'kinesis', 1)).toEqual([missing]);
  });

  it('a 200 whose body is not JSON fails the request as SyntaxError (as the SDK), a transient error', () => {
    const failure = (() => {
      try {
        parsePutRecordsResponse(answer(200, '{"Records": ['), 'kinesis', 1);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(SendFailure);
    expect(failure).toMatchObject({ code: 'SyntaxError', httpStatus: 200 });
    expect(classifyError((failure as SendFailure).code, 200)).toBe('transient');
  });
});

describe('errorOfAnswer: a non-2xx answer as the SDK reads it (code, message, status) and how the sender classifies it', () => {
  it.each<[string, number, unknown, Record<string, string>, string, string, ErrorClass]>([
    ['__type', 400, { __type: 'ResourceNotFoundException', message: 'Stream s under account 1 not found.' }, {}, 'ResourceNotFoundException', 'Stream s under account 1 not found.', 'fatal'],
    ['__type with a namespace', 400, { __type: 'com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException', message: 'Rate exceeded' }, {}, 'ProvisionedThroughputExceededException', 'Rate exceeded', 'throttling'],
    ['__type with a URI after a colon', 400, { __type: 'ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/', message: 'expired' }, {}, 'ExpiredTokenException', 'expired', 'fatal'],
    ['Message with a capital M', 400, { __type: 'ValidationException', Message: 'bad' }, {}, 'ValidationException', 'bad', 'client'],
    ['message wins over Message', 400, { __type: 'A', message: 'lower', Message: 'upper' }, {}, 'A', 'lower', 'client'],
    ['a code field', 400, { code: 'ThrottlingException', message: 'slow' }, {}, 'ThrottlingException', 'slow', 'throttling'],
    ['a Code field', 400, { Code: 'ThrottlingException', Message: 'slow' }, {}, 'ThrottlingException', 'slow', 'throttling'],
    ['the body\'s type wins over the header', 400, { __type: 'ValidationException', message: 'x' }, { 'x-amzn-errortype': 'AccessDeniedException' }, 'ValidationException', 'x', 'client'],
    ['the x-amzn-errortype header alone', 403, { message: 'The security token included in the request is invalid.' }, { 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' },
      'UnrecognizedClientException', 'The security token included in the request is invalid.', 'fatal'],
    ['a header with a namespace and no body', 400, '', { 'x-amzn-errortype': 'aws.protocoltests#FooError' }, 'FooError', 'UnknownError', 'client'],
    ['500 InternalFailure without a message', 500, { __type: 'InternalFailure' }, {}, 'InternalFailure', 'UnknownError', 'transient'],
    ['503 Firehose "Slow down."', 503, { __type: 'ServiceUnavailableException', message: 'Slow down.' }, {}, 'ServiceUnavailableException', 'Slow down.', 'throttling'],
    ['503 with an empty body', 503, '', {}, 'Unknown', 'UnknownError', 'throttling'],
    ['413 without a type', 413, { message: 'Request entity too large' }, {}, 'Unknown', 'Request entity too large', 'client'],
    ['404 UnknownOperationException', 404, { __type: 'UnknownOperationException' }, {}, 'UnknownOperationException', 'UnknownError', 'fatal'],
    ['302 (a redirect is not an answer)', 302, '', { location: 'http://elsewhere/' }, 'Unknown', 'UnknownError', 'transient'],
    ['502 from a proxy, an HTML page', 502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }, 'SyntaxError', 'the answer (HTTP 502) is not JSON: <html><body>Bad Gateway</body></html>', 'transient'],
    ['400 that is not JSON', 400, 'nope', {}, 'SyntaxError', 'the answer (HTTP 400) is not JSON: nope', 'client'],
    ['a JSON value that is not an object', 500, '[1,2]', {}, 'Unknown', 'UnknownError', 'transient'],
  ])('%s', (_name, status, body, headers, code, message, kind) => {
    const failure = errorOfAnswer(answer(status, body, headers));
    expect({ code: failure.code, message: failure.message, httpStatus: failure.httpStatus }).toEqual({ code, message, httpStatus: status });
    expect(classifyError(failure.code, failure.httpStatus)).toBe(kind);
  });

  it('parsePutRecordsResponse throws it for a non-2xx answer', () => {
    expect(() => parsePutRecordsResponse(answer(400, { __type: 'ResourceNotFoundException', message: 'gone' }), 'kinesis', 1)).toThrow(SendFailure);
  });
});
