import { describe, expect, it } from 'vitest';
import type { AgentProcessState } from '../../../src/electron/main/AgentProcess.js';
import { alertsBetween } from '../../../src/electron/main/alerts.js';
import type { FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import { agentStatus, flowStatus } from '../../support/controllerFixtures.js';

const running = (...flows: FlowStatus[]): AgentProcessState => ({ phase: 'running', status: agentStatus(flows), configPath: '/c/agent.json', dataDir: '/d', shutdownTimeoutMillis: 10_000 });
const app = (state: FlowStatus['state'], message?: string) => flowStatus('app', { name: 'app', state, ...(message === undefined ? {} : { message }) });
const web = (state: FlowStatus['state']) => flowStatus('web', { name: 'web', state });
const failed = (message: string, problems: string[] = [], crashed = false): AgentProcessState => ({ phase: 'failed', exitCode: crashed ? 137 : 2, message, problems, crashed });

describe('desktop notifications (alertsBetween)', () => {
  it.each([
    { name: 'a flow goes into error', previous: running(app('running'), web('running')), next: running(app('error', 'ResourceNotFoundException: Stream app not found\nat …'), web('running')), alerts: [{ title: 'app: delivery stopped', body: 'ResourceNotFoundException: Stream app not found' }] },
    { name: 'still in error a second later: no new alert', previous: running(app('error', 'x')), next: running(app('error', 'x')), alerts: [] },
    { name: 'recovery is quiet', previous: running(app('error', 'x')), next: running(app('running')), alerts: [] },
    { name: 'two flows fail at once', previous: running(app('running'), web('running')), next: running(app('error'), web('error')), alerts: [{ title: 'app: delivery stopped', body: 'the destination refuses records; Shardline keeps them and retries' }, { title: 'web: delivery stopped', body: 'the destination refuses records; Shardline keeps them and retries' }] },
    { name: 'the first status already in error', previous: { phase: 'starting' } as AgentProcessState, next: running(app('error', 'AccessDenied')), alerts: [{ title: 'app: delivery stopped', body: 'AccessDenied' }] },
    { name: 'a refused start names its first problem', previous: { phase: 'starting' } as AgentProcessState, next: failed('invalid configuration; not starting', ['agent.json: flows[0].filePattern: required']), alerts: [{ title: 'Shardline is not running', body: 'agent.json: flows[0].filePattern: required' }] },
    { name: 'a crash', previous: running(app('running')), next: failed('the agent process ended unexpectedly (exit code 137)', [], true), alerts: [{ title: 'Shardline is not running', body: 'the agent process ended unexpectedly (exit code 137)' }] },
    { name: 'failed twice in a row: one alert', previous: failed('x'), next: failed('y'), alerts: [] },
    { name: 'pausing is not an alert', previous: running(app('running')), next: running(app('paused')), alerts: [] },
    { name: 'stopping is not an alert', previous: running(app('running')), next: { phase: 'stopping' } as AgentProcessState, alerts: [] },
  ])('$name', ({ previous, next, alerts }) => {
    expect(alertsBetween(previous, next)).toEqual(alerts);
  });

  it('cuts a very long message', () => {
    const [alert] = alertsBetween(undefined, failed('x'.repeat(500)));
    expect(alert!.body).toHaveLength(200);
    expect(alert!.body.endsWith('…')).toBe(true);
  });
});
