import { describe, expect, it } from 'vitest';
import type { AgentProcessState } from '../../../src/electron/main/AgentProcess.js';
import { trayModel, type TrayIcon, type TrayMenuItem } from '../../../src/electron/main/trayModel.js';
import type { FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import { agentStatus, flowStatus } from '../../support/controllerFixtures.js';

// --- states -----------------------------------------------------------------------------------

const running = (flows: FlowStatus[]): AgentProcessState => ({
  phase: 'running', status: agentStatus(flows), configPath: '/etc/shardline/agent.json', dataDir: '/var/lib/shardline', shutdownTimeoutMillis: 10_000,
});
const stopping = (flows?: FlowStatus[]): AgentProcessState => (flows === undefined ? { phase: 'stopping' } : { phase: 'stopping', status: agentStatus(flows) });

const ACCESS_DENIED = 'AccessDeniedException: User: arn:aws:iam::123456789012:user/log-shipper is not authorized to perform: kinesis:PutRecords\n'
  + '    at throwDefaultError (smithy-client/dist/index.js:840:20)\n    at de_PutRecordsCommand (client-kinesis/dist/index.js:2291:10)';
const NO_PATTERN = '/etc/shardline/agent.json: flows[0].filePattern: Required: every flow needs a filePattern (a glob of the files to read)\nsee README §Configuration';

const app = flowStatus('app', { name: 'app' });
const web = flowStatus('web', { name: 'web' });
const audit = flowStatus('audit', { name: 'audit' });
const as = (flow: FlowStatus, overrides: Partial<FlowStatus>): FlowStatus => ({ ...flow, ...overrides });

// --- the menu as the user sees it -----------------------------------------------------------------

const OPEN: TrayMenuItem = { label: 'Open Shardline', action: { kind: 'open' } };
const SEP: TrayMenuItem = { type: 'separator' };
const QUIT: TrayMenuItem = { label: 'Quit Shardline', action: { kind: 'quit' } };
const QUITTING: TrayMenuItem = { label: 'Quitting: sending what was read…', enabled: false };
const RETRY: TrayMenuItem = { label: 'Start the agent again', action: { kind: 'retry' } };
const pause = (flow: FlowStatus, enabled: boolean): TrayMenuItem => ({ label: 'Pause', enabled, action: { kind: 'pause', flowId: flow.id } });
const resume = (flow: FlowStatus, enabled = true): TrayMenuItem => ({ label: 'Resume', enabled, action: { kind: 'resume', flowId: flow.id } });
const flowEntry = (label: string, item: TrayMenuItem): TrayMenuItem => ({ label, type: 'submenu', submenu: [item] });

interface Expected {
  icon: TrayIcon;
  headline: string;
  flows?: TrayMenuItem[];
  retry?: boolean;
  pauseAll: boolean;
  resumeAll: boolean;
}

function expectedMenu(e: Expected, openAtLogin = false, quitting = false): TrayMenuItem[] {
  return [
    OPEN,
    SEP,
    { label: e.headline, enabled: false },
    ...(e.flows ?? []),
    ...(e.retry === true ? [RETRY] : []),
    SEP,
    { label: 'Pause all', enabled: e.pauseAll, action: { kind: 'pauseAll' } },
    { label: 'Resume all', enabled: e.resumeAll, action: { kind: 'resumeAll' } },
    SEP,
    { label: 'Start at login', type: 'checkbox', checked: openAtLogin, action: { kind: 'toggleLogin' } },
    SEP,
    quitting ? QUITTING : QUIT,
  ];
}

const cases: { name: string; state: AgentProcessState; expected: Expected }[] = [
  {
    name: 'starting',
    state: { phase: 'starting' },
    expected: { icon: 'warning', headline: 'starting…', pauseAll: false, resumeAll: false },
  },
  {
    name: 'running, no flows',
    state: running([]),
    expected: { icon: 'ok', headline: 'no flows configured', pauseAll: false, resumeAll: false },
  },
  {
    name: 'running, 1 flow running',
    state: running([app]),
    expected: { icon: 'ok', headline: '1 flow: 1 running', flows: [flowEntry('app — running', pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 1 flow paused',
    state: running([as(app, { state: 'paused' })]),
    expected: { icon: 'warning', headline: '1 flow: 1 paused', flows: [flowEntry('app — paused', resume(app))], pauseAll: false, resumeAll: true },
  },
  {
    name: 'running, 1 flow running with warnings',
    state: running([as(app, { warnings: ['/var/log/app does not exist (yet)', 'checkpoints not written: EACCES'] })]),
    expected: { icon: 'warning', headline: '1 flow: 1 running', flows: [flowEntry('app — running (warning)', pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 1 flow in error with a long multi-line message (first line, cut to 80 characters)',
    state: running([as(app, { state: 'error', message: ACCESS_DENIED, warnings: ['a warning the error outranks'] })]),
    expected: {
      icon: 'error',
      headline: '1 flow: 1 error',
      flows: [flowEntry('app — error (AccessDeniedException: User: arn:aws:iam::123456789012:user/log-shipper is not …)', pause(app, true))],
      pauseAll: true,
      resumeAll: false,
    },
  },
  {
    name: 'running, 1 flow in error with a short multi-line message',
    state: running([as(app, { state: 'error', message: 'ResourceNotFoundException: Stream app not found\nretrying in 30 s' })]),
    expected: { icon: 'error', headline: '1 flow: 1 error', flows: [flowEntry('app — error (ResourceNotFoundException: Stream app not found)', pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 1 flow in error with a first line of exactly 80 characters (kept whole)',
    state: running([as(app, { state: 'error', message: `${'e'.repeat(80)}\nmore` })]),
    expected: { icon: 'error', headline: '1 flow: 1 error', flows: [flowEntry(`app — error (${'e'.repeat(80)})`, pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 1 flow in error with a first line of 81 characters (cut to 79 and an ellipsis)',
    state: running([as(app, { state: 'error', message: 'e'.repeat(81) })]),
    expected: { icon: 'error', headline: '1 flow: 1 error', flows: [flowEntry(`app — error (${'e'.repeat(79)}…)`, pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 1 flow in error without a message',
    state: running([as(app, { state: 'error' })]),
    expected: { icon: 'error', headline: '1 flow: 1 error', flows: [flowEntry('app — error', pause(app, true))], pauseAll: true, resumeAll: false },
  },
  {
    name: 'running, 3 flows running',
    state: running([app, web, audit]),
    expected: {
      icon: 'ok',
      headline: '3 flows: 3 running',
      flows: [flowEntry('app — running', pause(app, true)), flowEntry('web — running', pause(web, true)), flowEntry('audit — running', pause(audit, true))],
      pauseAll: true,
      resumeAll: false,
    },
  },
  {
    name: 'running, 3 flows running, one with a warning',
    state: running([app, as(web, { warnings: ['/var/log/web does not exist (yet)'] }), audit]),
    expected: {
      icon: 'warning',
      headline: '3 flows: 3 running',
      flows: [flowEntry('app — running', pause(app, true)), flowEntry('web — running (warning)', pause(web, true)), flowEntry('audit — running', pause(audit, true))],
      pauseAll: true,
      resumeAll: false,
    },
  },
  {
    name: 'running, 3 flows: running, paused, error (counts in order of first appearance)',
    state: running([app, as(web, { state: 'paused' }), as(audit, { state: 'error', message: 'ProvisionedThroughputExceededException' })]),
    expected: {
      icon: 'error',
      headline: '3 flows: 1 running, 1 paused, 1 error',
      flows: [flowEntry('app — running', pause(app, true)), flowEntry('web — paused', resume(web)), flowEntry('audit — error (ProvisionedThroughputExceededException)', pause(audit, true))],
      pauseAll: true,
      resumeAll: true,
    },
  },
  {
    name: 'running, 3 flows all paused',
    state: running([as(app, { state: 'paused' }), as(web, { state: 'paused' }), as(audit, { state: 'paused' })]),
    expected: {
      icon: 'warning',
      headline: '3 flows: 3 paused',
      flows: [flowEntry('app — paused', resume(app)), flowEntry('web — paused', resume(web)), flowEntry('audit — paused', resume(audit))],
      pauseAll: false,
      resumeAll: true,
    },
  },
  {
    name: 'running, 3 flows: starting, stopping, stopped (none can be paused)',
    state: running([as(app, { state: 'starting' }), as(web, { state: 'stopping' }), as(audit, { state: 'stopped' })]),
    expected: {
      icon: 'warning',
      headline: '3 flows: 1 starting, 1 stopping, 1 stopped',
      flows: [flowEntry('app — starting', pause(app, false)), flowEntry('web — stopping', pause(web, false)), flowEntry('audit — stopped', pause(audit, false))],
      pauseAll: false,
      resumeAll: false,
    },
  },
  {
    name: 'running, 3 flows: 2 paused then 1 running (headline groups equal states)',
    state: running([as(app, { state: 'paused' }), web, as(audit, { state: 'paused' })]),
    expected: {
      icon: 'warning',
      headline: '3 flows: 2 paused, 1 running',
      flows: [flowEntry('app — paused', resume(app)), flowEntry('web — running', pause(web, true)), flowEntry('audit — paused', resume(audit))],
      pauseAll: true,
      resumeAll: true,
    },
  },
  {
    name: 'stopping, without a status yet',
    state: stopping(),
    expected: { icon: 'warning', headline: 'stopping…', pauseAll: false, resumeAll: false },
  },
  {
    name: 'stopping, flows stopping (listed; pause/resume all disabled)',
    state: stopping([as(app, { state: 'stopping' }), as(web, { state: 'stopping' })]),
    expected: {
      icon: 'warning',
      headline: 'stopping…',
      flows: [flowEntry('app — stopping', pause(app, false)), flowEntry('web — stopping', pause(web, false))],
      pauseAll: false,
      resumeAll: false,
    },
  },
  {
    name: 'stopping, a flow in error (error outranks stopping)',
    state: stopping([as(app, { state: 'stopping' }), as(web, { state: 'error', message: 'ExpiredTokenException' })]),
    expected: {
      icon: 'error',
      headline: 'stopping…',
      flows: [flowEntry('app — stopping', pause(app, false)), flowEntry('web — error (ExpiredTokenException)', pause(web, false))],
      pauseAll: false,
      resumeAll: false,
    },
  },
  {
    name: 'stopped',
    state: { phase: 'stopped', exitCode: 0 },
    expected: { icon: 'error', headline: 'stopped', pauseAll: false, resumeAll: false },
  },
  {
    name: 'failed with problems (the first problem, its first line, cut)',
    state: { phase: 'failed', exitCode: 2, message: 'the configuration has 2 problems', problems: [NO_PATTERN, 'flows[1].kinesisStream: Required'], crashed: false },
    expected: { icon: 'error', headline: 'not running: /etc/shardline/agent.json: flows[0].filePattern: Required: every flow needs a f…', retry: true, pauseAll: false, resumeAll: false },
  },
  {
    name: 'failed without problems (the message, its first line)',
    state: { phase: 'failed', exitCode: 137, message: 'the agent process ended unexpectedly (exit code 137)\nsee the log', problems: [], crashed: true },
    expected: { icon: 'error', headline: 'not running: the agent process ended unexpectedly (exit code 137)', retry: true, pauseAll: false, resumeAll: false },
  },
  {
    name: 'failed with the data directory locked',
    state: { phase: 'failed', exitCode: 3, message: 'another agent holds /var/lib/shardline/lock', problems: [], crashed: false },
    expected: { icon: 'error', headline: 'not running: another agent holds /var/lib/shardline/lock', retry: true, pauseAll: false, resumeAll: false },
  },
];

describe('trayModel', () => {
  it.each(cases)('$name', ({ state, expected }) => {
    const view = trayModel(state, false, false);
    expect(view.icon).toBe(expected.icon);
    expect(view.tooltip).toBe(`Shardline: ${expected.headline}`);
    expect(view.menu).toEqual(expectedMenu(expected));
  });

  it.each(cases)('$name: quitting replaces Quit with a disabled progress item; login ticked', ({ state, expected }) => {
    const view = trayModel(state, true, true);
    expect(view.icon).toBe(expected.icon);
    expect(view.menu).toEqual(expectedMenu(expected, true, true));
    expect(view.menu.some((item) => item.action?.kind === 'quit')).toBe(false);
  });

  it('menu labels and the tooltip are single lines (Windows truncates tray tooltips at 127 characters)', () => {
    const labels = (items: TrayMenuItem[]): string[] => items.flatMap((item) => [item.label ?? '', ...labels(item.submenu ?? [])]);
    for (const { state } of cases) {
      const view = trayModel(state, false, false);
      for (const label of [view.tooltip, ...labels(view.menu)]) expect(label).not.toMatch(/\n/);
      expect(view.tooltip.length).toBeLessThanOrEqual(127);
    }
  });

  it('does not change the state it is given', () => {
    const state = running([app, as(web, { state: 'paused' })]);
    const before = structuredClone(state);
    trayModel(state, true, false);
    expect(state).toEqual(before);
  });
});
