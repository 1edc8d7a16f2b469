/**
 * The useful part of an error for a log line: its AWS code or Node code, message and HTTP status —
 * not the SDK's 10-frame stack, which says nothing to an operator.
 */
export function describeError(error: unknown): { code: string; message: string; httpStatusCode?: number } {
  if (typeof error !== 'object' || error === null) return { code: 'UnknownError', message: String(error) };
  const { name, code, message, $metadata } = error as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const text = typeof message === 'string' ? message : String(error);
  const id = typeof code === 'string' && code !== '' ? code : typeof name === 'string' && name !== '' ? name : 'UnknownError';
  const status = $metadata?.httpStatusCode;
  return status === undefined ? { code: id, message: text } : { code: id, message: text, httpStatusCode: status };
}
