import type { ApplyResult } from '../../src/shared/control/controllerApi.js';

/** A message shown above the current view until dismissed: the outcome of a save or removal. */
export type Notice = { kind: 'apply'; title: string; result: ApplyResult } | { kind: 'error'; title: string; message: string };
