import type { ConfigProblemView } from '../../../src/shared/control/controllerApi.js';

/** A failed control-plane call, with the daemon's error code and problems when it sent them. */
export class ControllerError extends Error {
  override readonly name = 'ControllerError';

  constructor(
    message: string,
    readonly code: string,
    /** HTTP status; 0 when the agent could not be reached at all. */
    readonly status: number,
    readonly problems: ConfigProblemView[] = [],
  ) {
    super(message);
  }

  /** The token was refused: the agent restarted with a new token, or the address was mistyped. */
  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
