import type { FlowState } from '../../../src/shared/stats/flowStatus.js';

/** Colour is never the only signal (DESIGN §10): each state has a symbol and a word. */
const LOOK: Record<FlowState, { symbol: string; word: string; tone: 'ok' | 'warn' | 'error' | 'muted' }> = {
  starting: { symbol: '◌', word: 'Starting', tone: 'muted' },
  running: { symbol: '●', word: 'Running', tone: 'ok' },
  paused: { symbol: '❚❚', word: 'Paused', tone: 'warn' },
  error: { symbol: '▲', word: 'Error', tone: 'error' },
  stopping: { symbol: '◌', word: 'Stopping', tone: 'muted' },
  stopped: { symbol: '■', word: 'Stopped', tone: 'muted' },
};

export function StateBadge({ state }: { state: FlowState }) {
  const look = LOOK[state];
  return (
    <span class={`badge tone-${look.tone}`} data-state={state}>
      <span aria-hidden="true">{look.symbol}</span> {look.word}
    </span>
  );
}
