import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentStatus } from '../../../src/shared/stats/flowStatus.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { ControllerError, errorMessage } from '../api/ControllerError.js';
import type { FlowHistory } from './FlowHistory.js';

export type Connection = 'connecting' | 'live' | 'offline';

export interface LiveStatus {
  status: AgentStatus | undefined;
  connection: Connection;
  /** Why the connection is down. */
  error: string | undefined;
  /** When the last snapshot arrived (browser clock), to say how fresh the numbers are. */
  receivedAt: number | undefined;
  /** Takes a snapshot from a reply (pause/resume answer with the new status). */
  accept: (status: AgentStatus) => void;
}

const FIRST_RETRY_MILLIS = 1000;
const LAST_RETRY_MILLIS = 10_000;

/**
 * Follows the agent's status stream (`GET /api/v1/events`, one snapshot a second) for the whole
 * page, reconnecting with backoff when the agent restarts. Each snapshot feeds the history (rates
 * and charts) and the views.
 */
export function useAgentStatus(client: ControllerClient, history: FlowHistory, onUnauthorized: () => void): LiveStatus {
  const [state, setState] = useState<Omit<LiveStatus, 'accept'>>({ status: undefined, connection: 'connecting', error: undefined, receivedAt: undefined });
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  const accept = useCallback(
    (status: AgentStatus) => {
      history.push(status);
      setState({ status, connection: 'live', error: undefined, receivedAt: Date.now() });
    },
    [history],
  );

  useEffect(() => {
    const abort = new AbortController();
    const follow = async () => {
      let delay = FIRST_RETRY_MILLIS;
      while (!abort.signal.aborted) {
        try {
          for await (const status of client.events(abort.signal)) {
            accept(status);
            delay = FIRST_RETRY_MILLIS;
          }
          if (abort.signal.aborted) return;
          setState((s) => ({ ...s, connection: 'offline', error: 'The agent closed the status stream' }));
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ControllerError && error.unauthorized) {
            unauthorized.current();
            return;
          }
          setState((s) => ({ ...s, connection: 'offline', error: errorMessage(error) }));
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, LAST_RETRY_MILLIS);
      }
    };
    void follow();
    return () => abort.abort();
  }, [client, accept]);

  return { ...state, accept };
}
