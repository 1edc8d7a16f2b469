import type { IncomingHttpHeaders } from 'node:http';
import type { PutOutcome } from '../../core/send/RecordsTransport.js';
import { SendFailure } from '../../core/send/SendFailure.js';

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const OK: PutOutcome = Object.freeze({ ok: true });
const MISSING: PutOutcome = Object.freeze({ ok: false, code: 'MissingResult', message: 'the answer has no result for this record' });

/**
 * The per-entry outcomes of a PutRecords / PutRecordBatch answer, in request order, read as the
 * SDK's AWS JSON 1.1 protocol reads them and mapped as SdkRecordsTransport maps the SDK's output:
 * Kinesis `Records[i]`, Firehose `RequestResponses[i]`, an entry with an `ErrorCode` failed with
 * that code and its `ErrorMessage`; entries the answer has no result for (a short list, no list)
 * failed as MissingResult, so they are resent. Any other status than 2xx throws the request's
 * SendFailure (see errorOfAnswer). Only the fields used are looked at.
 */
export function parsePutRecordsResponse(answer: HttpAnswer, kind: 'kinesis' | 'firehose', count: number): PutOutcome[] {
  if (answer.status < 200 || answer.status >= 300) throw errorOfAnswer(answer);
  if (allAccepted(answer.body, kind, count)) return new Array<PutOutcome>(count).fill(OK);
  const document = parseBody(answer);
  const results = kind === 'kinesis' ? document['Records'] : document['RequestResponses'];
  const list: readonly unknown[] = Array.isArray(results) ? results : [];
  const outcomes = new Array<PutOutcome>(count);
  for (let i = 0; i < count; i++) outcomes[i] = outcomeOf(list[i]);
  return outcomes;
}

/**
 * The common answer, recognised without building it (JSON.parse of a 500-entry answer made 5% of
 * the agent's CPU, issue 8): an object with no ErrorCode and no null anywhere and exactly one
 * result key (`"SequenceNumber"`, `"RecordId"`) per entry sent, so each of the first `count`
 * results is an object without an error. A key inside a JSON string value would have its quotes
 * escaped, so it is never counted by mistake; anything else is parsed.
 */
function allAccepted(body: Buffer, kind: 'kinesis' | 'firehose', count: number): boolean {
  // Searched in the bytes (no string of the answer: 40 KB of garbage per request).
  if (body[0] !== 0x7b || body[body.length - 1] !== 0x7d || body.includes(ERROR_CODE) || body.includes(NULL)) return false;
  const key = kind === 'kinesis' ? SEQUENCE_NUMBER : RECORD_ID;
  let found = 0;
  for (let at = body.indexOf(key); at !== -1; at = body.indexOf(key, at + key.length)) found += 1;
  return found === count;
}

const ERROR_CODE = Buffer.from('"ErrorCode"', 'latin1');
const NULL = Buffer.from('null', 'latin1');
const SEQUENCE_NUMBER = Buffer.from('"SequenceNumber"', 'latin1');
const RECORD_ID = Buffer.from('"RecordId"', 'latin1');

function outcomeOf(result: unknown): PutOutcome {
  if (typeof result !== 'object' || result === null) return MISSING;
  const { ErrorCode: code, ErrorMessage: message } = result as { ErrorCode?: unknown; ErrorMessage?: unknown };
  if (code === undefined || code === null) return OK;
  return { ok: false, code: String(code), message: message === undefined || message === null ? '' : String(message) };
}

/**
 * The failure a non-2xx answer means, as the SDK's AWS JSON 1.1 protocol reads it (so
 * classifyError sees the same codes on both paths): the code from the body's `__type`, else a
 * `code` field (any case), else the `x-amzn-errortype` header, cut as the SDK cuts it
 * (`…#Code:uri,…` → `Code`), else `Unknown`; the message from `message`, else `Message`, else
 * `UnknownError`; and the HTTP status. A body that is not JSON (a proxy's HTML page) is a
 * SyntaxError, as with the SDK, and is classified by its status.
 */
export function errorOfAnswer(answer: HttpAnswer): SendFailure {
  let document: Record<string, unknown>;
  try {
    document = parseBody(answer);
  } catch (error) {
    if (error instanceof SendFailure) return error;
    throw error;
  }
  const code = errorCode(document, answer.headers) ?? 'Unknown';
  const message = document['message'] ?? document['Message'];
  return new SendFailure(code, message === undefined || message === null ? 'UnknownError' : String(message), answer.status);
}

/** The body as a JSON object (an empty body is `{}`, as for the SDK). */
function parseBody(answer: HttpAnswer): Record<string, unknown> {
  if (answer.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(answer.body.toString('utf8'));
  } catch {
    const text = answer.body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
    throw new SendFailure('SyntaxError', `the answer (HTTP ${answer.status}) is not JSON: ${text}`, answer.status);
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** @smithy/core's loadJsonRpcErrorCode: `__type`, then `code` (any case), then the header. */
function errorCode(document: Record<string, unknown>, headers: IncomingHttpHeaders): string | undefined {
  const type = sanitize(document['__type']);
  if (type !== undefined) return type;
  const codeKey = Object.keys(document).find((key) => key.toLowerCase() === 'code');
  const code = codeKey === undefined ? undefined : sanitize(document[codeKey]);
  if (code !== undefined) return code;
  return sanitize(headers['x-amzn-errortype']);
}

/** `aws.protocoltests#Code:http://internal…,other` → `Code` (@smithy/core's sanitizeErrorCode). */
function sanitize(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  let value = String(raw);
  value = value.split(',')[0] ?? value;
  value = value.split(':')[0] ?? value;
  if (value.includes('#')) value = value.split('#')[1] ?? value;
  return value;
}
