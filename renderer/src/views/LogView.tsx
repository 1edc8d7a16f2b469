import { useState } from 'preact/hooks';
import type { LogEvent } from '../../../src/shared/control/controllerApi.js';
import type { FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { formatAgo } from '../format/formatDuration.js';
import { useInterval, useLoad } from '../hooks/useLoad.js';

type Level = LogEvent['level'];
const REFRESH_MILLIS = 5000;
const LIMIT = 200;

const LEVEL_LOOK: Record<Level, { symbol: string; tone: string }> = {
  debug: { symbol: '·', tone: 'muted' },
  info: { symbol: 'ⓘ', tone: 'muted' },
  warn: { symbol: '⚠', tone: 'warn' },
  error: { symbol: '▲', tone: 'error' },
};

function LogTable({ events, flows }: { events: readonly LogEvent[]; flows: readonly FlowStatus[] }) {
  const now = Date.now();
  const nameOf = (id: string) => flows.find((f) => f.id === id)?.name ?? id;
  return (
    <table class="data-table log-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Level</th>
          <th scope="col">Flow</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {/* The agent lists newest last; the newest is what an operator looks for first. */}
        {[...events].reverse().map((event, i) => {
          const look = LEVEL_LOOK[event.level];
          const time = Date.parse(event.time);
          return (
            <tr key={`${event.time}:${i}`} class={`level-${event.level}`}>
              <td class="when"><time dateTime={event.time} title={new Date(time).toLocaleString()}>{formatAgo(now - time)}</time></td>
              <td><span class={`badge tone-${look.tone}`}><span aria-hidden="true">{look.symbol}</span> {event.level}</span></td>
              <td class="mono">{event.flow === undefined ? '—' : nameOf(event.flow)}</td>
              <td class="message-cell">{event.message}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Recent warnings and errors from the agent, filterable by level and flow. */
export function LogView({ client, flows }: { client: ControllerClient; flows: readonly FlowStatus[] }) {
  const [level, setLevel] = useState<Level>('warn');
  const [flow, setFlow] = useState('');
  const events = useLoad(() => client.logs({ level, flow: flow === '' ? undefined : flow, limit: LIMIT }), [client, level, flow]);
  useInterval(events.reload, REFRESH_MILLIS);
  return (
    <section class="view">
      <div class="view-head">
        <h1 tabIndex={-1}>Log</h1>
      </div>
      <div class="toolbar">
        <label for="log-level">Level</label>
        <select id="log-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as Level)}>
          <option value="error">Errors</option>
          <option value="warn">Warnings and errors</option>
          <option value="info">Info and above</option>
          <option value="debug">Everything</option>
        </select>
        <label for="log-flow">Flow</label>
        <select id="log-flow" value={flow} onChange={(e) => setFlow(e.currentTarget.value)}>
          <option value="">All flows</option>
          {flows.map((f) => <option key={f.key} value={f.id}>{f.name}</option>)}
        </select>
        <button type="button" class="button" onClick={events.reload}>Refresh</button>
      </div>
      {events.error !== undefined && <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>Cannot read the log: {errorMessage(events.error)}</p>}
      {events.data === undefined && events.error === undefined && <p class="empty">Loading…</p>}
      {events.data !== undefined && events.data.length === 0 && <p class="empty">Nothing logged at this level{flow === '' ? '' : ' for this flow'} recently.</p>}
      {events.data !== undefined && events.data.length > 0 && <LogTable events={events.data} flows={flows} />}
    </section>
  );
}
