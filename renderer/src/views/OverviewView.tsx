import { useState } from 'preact/hooks';
import type { AgentStatus } from '../../../src/shared/stats/flowStatus.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { FlowCard } from '../components/FlowCard.js';
import { Stat } from '../components/Stat.js';
import { formatBytes } from '../format/formatBytes.js';
import { formatCount } from '../format/formatCount.js';
import { routeHref } from '../route/parseRoute.js';
import type { FlowHistory, FlowRates } from '../stats/FlowHistory.js';
import type { LiveStatus } from '../stats/useAgentStatus.js';

interface OverviewProps {
  client: ControllerClient;
  live: LiveStatus;
  history: FlowHistory;
}

function sum(rates: readonly (FlowRates | undefined)[], pick: (r: FlowRates) => number): number {
  return rates.reduce((total, r) => total + (r === undefined ? 0 : pick(r)), 0);
}

function Totals({ status, rates }: { status: AgentStatus; rates: readonly (FlowRates | undefined)[] }) {
  const count = (state: string) => status.flows.filter((f) => f.state === state).length;
  const errors = count('error');
  const paused = count('paused');
  const throttled = sum(rates, (r) => r.throttledPerMinute);
  const failed = sum(rates, (r) => r.failedPerMinute);
  return (
    <dl class="totals" aria-label="All flows">
      <Stat
        label="Flows"
        value={
          <>
            {`${status.flows.length} · ${count('running')} running${paused > 0 ? ` · ${paused} paused` : ''}`}
            {errors > 0 && <span class="tone-error"> · <span aria-hidden="true">▲ </span>{errors} in error</span>}
          </>
        }
      />
      <Stat label="Lines read" value={`${formatCount(sum(rates, (r) => r.linesPerSecond))} lines/s`} />
      <Stat label="Records sent" value={`${formatCount(sum(rates, (r) => r.recordsPerSecond))} records/s`} />
      <Stat label="Bytes sent" value={`${formatBytes(sum(rates, (r) => r.bytesPerSecond))}/s`} />
      <Stat label="Lag" value={`${formatBytes(status.flows.reduce((t, f) => t + f.gauges.lagBytes, 0))} behind`} />
      <Stat label="Throttled" value={`${formatCount(throttled)}/min`} tone={throttled > 0 ? 'warn' : undefined} />
      <Stat label="Failed" value={`${formatCount(failed)}/min`} tone={failed > 0 ? 'error' : undefined} />
    </dl>
  );
}

/** Every flow at a glance: state, route, rates, lag, problems, a live chart; pause and resume. */
export function OverviewView({ client, live, history }: OverviewProps) {
  const [busy, setBusy] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const { status } = live;

  const act = async (id: string, action: (id: string) => Promise<AgentStatus>) => {
    setBusy(id);
    setActionError(undefined);
    try {
      live.accept(await action(id));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (status === undefined) {
    return (
      <section class="view" aria-busy={live.connection === 'connecting'}>
        <h1 tabIndex={-1}>Overview</h1>
        <p class="empty">{live.connection === 'offline' ? `Cannot reach the agent: ${live.error ?? 'no answer'}. Retrying…` : 'Connecting to the agent…'}</p>
      </section>
    );
  }
  const rates = status.flows.map((f) => history.rates(f.key));
  return (
    <section class="view">
      <div class="view-head">
        <h1 tabIndex={-1}>Overview</h1>
        <a class="button primary" href={routeHref({ view: 'newFlow' })}>+ New flow</a>
      </div>
      <Totals status={status} rates={rates} />
      {actionError !== undefined && <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>{actionError}</p>}
      {status.flows.length === 0 ? (
        <div class="empty-state">
          <p>No flows are configured yet. A flow tails files matching a pattern and sends their lines to a Kinesis or Firehose stream.</p>
          <a class="button primary" href={routeHref({ view: 'newFlow' })}>+ Add the first flow</a>
        </div>
      ) : (
        <div class="flow-list">
          {status.flows.map((flow, i) => (
            <FlowCard
              key={flow.key}
              flow={flow}
              rates={rates[i]}
              history={history}
              busy={busy === flow.id}
              onPause={(id) => void act(id, (x) => client.pauseFlow(x))}
              onResume={(id) => void act(id, (x) => client.resumeFlow(x))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
