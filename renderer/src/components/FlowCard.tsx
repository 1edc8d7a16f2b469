import type { FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import { formatBytes } from '../format/formatBytes.js';
import { formatCount } from '../format/formatCount.js';
import { routeHref } from '../route/parseRoute.js';
import type { FlowHistory, FlowRates } from '../stats/FlowHistory.js';
import { FlowChart } from './FlowChart.js';
import { Stat } from './Stat.js';
import { StateBadge } from './StateBadge.js';

export const DESTINATION_LABEL = { kinesis: 'Kinesis stream', firehose: 'Firehose stream' } as const;

interface FlowCardProps {
  flow: FlowStatus;
  rates: FlowRates | undefined;
  history: FlowHistory;
  busy: boolean;
  onPause: (id: string) => void;
  onResume: (id: string) => void;
}

const perSecond = (rates: FlowRates | undefined, pick: (r: FlowRates) => number, unit: string) => (rates === undefined ? '…' : `${formatCount(pick(rates))} ${unit}`);

export function FlowCard({ flow, rates, history, busy, onPause, onResume }: FlowCardProps) {
  const headingId = `flow-${flow.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const paused = flow.state === 'paused';
  const throttled = rates?.throttledPerMinute ?? 0;
  const failed = rates?.failedPerMinute ?? 0;
  return (
    <article class={`card flow-card state-${flow.state}`} aria-labelledby={headingId} data-flow-id={flow.id}>
      <header class="card-head">
        <StateBadge state={flow.state} />
        <h2 id={headingId}>{flow.name}</h2>
        <div class="actions">
          <button type="button" class="button" disabled={busy || (flow.state !== 'running' && !paused)} onClick={() => (paused ? onResume(flow.id) : onPause(flow.id))}>
            {paused ? '▶ Resume' : '❚❚ Pause'}
          </button>
          <a class="button" href={routeHref({ view: 'flow', id: flow.id })}>Edit</a>
          <a class="button" href={routeHref({ view: 'preview', id: flow.id })}>Preview</a>
          <a class="button" href={routeHref({ view: 'files', id: flow.id })}>Files</a>
        </div>
      </header>
      <p class="route">
        <code class="path">{flow.filePattern}</code>
        <span class="arrow" aria-label="to"> → </span>
        {DESTINATION_LABEL[flow.type]} <code>{flow.streamName}</code>
      </p>
      {flow.state === 'error' && (
        <p class="message tone-error" data-testid="flow-error">
          <span aria-hidden="true">▲ </span>
          {flow.message ?? 'The flow stopped with an error.'}
        </p>
      )}
      {flow.warnings.map((warning) => (
        <p class="message tone-warn" key={warning}>
          <span aria-hidden="true">⚠ </span>
          {warning}
        </p>
      ))}
      <dl class="stats">
        <Stat label="Lines read" value={perSecond(rates, (r) => r.linesPerSecond, 'lines/s')} />
        <Stat label="Records sent" value={perSecond(rates, (r) => r.recordsPerSecond, 'records/s')} />
        <Stat label="Bytes sent" value={rates === undefined ? '…' : `${formatBytes(rates.bytesPerSecond)}/s`} />
        <Stat label="Lag" value={flow.gauges.lagBytes === 0 ? 'up to date' : `${formatBytes(flow.gauges.lagBytes)} behind`} title={`${flow.gauges.lagBytes} bytes not yet acknowledged`} />
        <Stat label="Throttled" value={`${formatCount(throttled)}/min`} tone={throttled > 0 ? 'warn' : undefined} />
        <Stat label="Failed" value={`${formatCount(failed)}/min`} tone={failed > 0 ? 'error' : undefined} />
        <Stat label="Files" value={formatCount(flow.gauges.filesTracked)} />
      </dl>
      <FlowChart history={history} flowKey={flow.key} label={flow.name} />
    </article>
  );
}
