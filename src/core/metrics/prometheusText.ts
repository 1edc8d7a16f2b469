import { FLOW_STATES, type AgentStatus, type FlowStatus } from '../../shared/stats/flowStatus.js';

/** Counters kept by reason or error code: one series per value, with this label. */
const LABELLED: Record<string, { metric: string; label: string }> = {
  skipped: { metric: 'records_skipped_by_reason', label: 'reason' },
  failed: { metric: 'records_failed_by_code', label: 'code' },
};

/** `bytesRead` → `bytes_read`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Label values escaped as the exposition format requires (backslash, quote, newline). */
function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
  return body === '' ? '' : `{${body}}`;
}

/**
 * The agent's status as Prometheus text exposition (version 0.0.4): `shardline_` names, one series
 * per flow (label `flow`, the flow's name or id — never per file, so cardinality stays bounded),
 * counters as `_total`, gauges, the flow state one-hot, and the put latency as a histogram.
 */
export function prometheusText(status: AgentStatus): string {
  const out: string[] = [];
  const families = new Map<string, { type: string; help: string; lines: string[] }>();
  const family = (name: string, type: string, help: string) => {
    let entry = families.get(name);
    if (entry === undefined) {
      entry = { type, help, lines: [] };
      families.set(name, entry);
    }
    return entry.lines;
  };
  family('shardline_up', 'gauge', 'The agent is running.').push('shardline_up 1');
  family('shardline_uptime_seconds', 'gauge', 'Seconds since the agent started.').push(`shardline_uptime_seconds ${status.uptimeMillis / 1000}`);
  for (const flow of status.flows) addFlow(flow, family);
  for (const [name, { type, help, lines }] of families) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
  }
  return `${out.join('\n')}\n`;
}

type Family = (name: string, type: string, help: string) => string[];

function addFlow(flow: FlowStatus, family: Family): void {
  const base = { flow: flow.name };
  family('shardline_flow_info', 'gauge', 'A configured flow (value 1) with its destination.')
    .push(`shardline_flow_info${labels({ ...base, id: flow.id, type: flow.type, stream: flow.streamName })} 1`);
  const state = family('shardline_flow_state', 'gauge', 'The flow state (1 for the current one).');
  for (const name of FLOW_STATES) state.push(`shardline_flow_state${labels({ ...base, state: name })} ${flow.state === name ? 1 : 0}`);
  for (const [key, value] of Object.entries(flow.counters)) {
    const labelled = LABELLED[key];
    if (labelled !== undefined) {
      const lines = family(`shardline_${labelled.metric}_total`, 'counter', `Records by ${labelled.label} (${key}).`);
      for (const [label, count] of Object.entries(value as Record<string, number>)) lines.push(`shardline_${labelled.metric}_total${labels({ ...base, [labelled.label]: label })} ${count}`);
      continue;
    }
    const name = `shardline_${snake(key)}_total`;
    family(name, 'counter', `Counter ${key} of the flow.`).push(`${name}${labels(base)} ${value as number}`);
  }
  for (const [key, value] of Object.entries(flow.gauges)) {
    const name = `shardline_${snake(key)}`;
    family(name, 'gauge', `Gauge ${key} of the flow.`).push(`${name}${labels(base)} ${value}`);
  }
  const latency = flow.putLatency;
  const histogram = family('shardline_put_latency_seconds', 'histogram', 'PutRecords / PutRecordBatch latency.');
  let cumulative = 0;
  latency.boundsMillis.forEach((bound, i) => {
    cumulative += latency.counts[i] ?? 0;
    histogram.push(`shardline_put_latency_seconds_bucket${labels({ ...base, le: String(bound / 1000) })} ${cumulative}`);
  });
  histogram.push(`shardline_put_latency_seconds_bucket${labels({ ...base, le: '+Inf' })} ${latency.count}`);
  histogram.push(`shardline_put_latency_seconds_sum${labels(base)} ${latency.sumMillis / 1000}`);
  histogram.push(`shardline_put_latency_seconds_count${labels(base)} ${latency.count}`);
}
