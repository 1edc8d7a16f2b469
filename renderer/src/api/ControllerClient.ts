import type { AgentController } from '../../../src/shared/control/controllerApi.js';

/**
 * What the UI talks to: the AgentController contract, over some transport. The browser uses
 * HttpControllerClient (loopback HTTP with the bearer token); the tray app will pass an IPC client
 * built on the preload's `window.shardline`. The views depend on this interface only.
 */
export interface ControllerClient extends AgentController {
  /** Which transport, for messages that only make sense on one (the token screen is HTTP only). */
  readonly transport: 'http' | 'ipc';
}
