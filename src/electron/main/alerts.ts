import type { AgentProcessState } from './AgentProcess.js';

export interface Alert {
  title: string;
  body: string;
}

/**
 * Desktop notifications worth raising between two agent states: the agent stopped running (a
 * refused start or a crash), or a flow went into error. Only transitions alert, so a flow stuck in
 * error notifies once, not every second; its recovery is quiet (the tray icon shows it).
 */
export function alertsBetween(previous: AgentProcessState | undefined, next: AgentProcessState): Alert[] {
  if (next.phase === 'failed') {
    if (previous?.phase === 'failed') return [];
    return [{ title: 'Shardline is not running', body: firstLine(next.problems[0] ?? next.message) }];
  }
  if (next.phase !== 'running') return [];
  const before = new Map((previous?.phase === 'running' ? previous.status.flows : []).map((flow) => [flow.key, flow.state]));
  return next.status.flows
    .filter((flow) => flow.state === 'error' && before.get(flow.key) !== 'error')
    .map((flow) => ({ title: `${flow.name}: delivery stopped`, body: firstLine(flow.message ?? 'the destination refuses records; Shardline keeps them and retries') }));
}

function firstLine(text: string): string {
  const line = text.split(/\r\n|\r|\n/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
