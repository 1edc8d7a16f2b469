/**
 * A request that failed as a whole, as the sender sees it: the AWS error code (or a Node error
 * code such as ECONNRESET), the HTTP status when there was an answer, and a message for people.
 * Transports turn their own errors into this so the core never looks inside SDK exceptions.
 */
export class SendFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'SendFailure';
  }

  /** `code: message`, the form used in logs, status and the UI. */
  describe(): string {
    return this.message === '' || this.message === this.code ? this.code : `${this.code}: ${this.message}`;
  }
}

/** Normalizes anything a transport threw (transports should throw SendFailure already). */
export function toSendFailure(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  if (typeof error === 'object' && error !== null) {
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string' && code !== '') return new SendFailure(code, text);
    if (typeof name === 'string' && name !== '' && name !== 'Error') return new SendFailure(name, text);
    return new SendFailure('UnknownError', text);
  }
  return new SendFailure('UnknownError', String(error));
}
