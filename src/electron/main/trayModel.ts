import type { FlowStatus } from '../../shared/stats/flowStatus.js';
import type { AgentProcessState } from './AgentProcess.js';

export type TrayIcon = 'ok' | 'warning' | 'error';

/** What a menu item does; the app binds each to its action (keeps this module pure and testable). */
export type TrayAction =
  | { kind: 'open' }
  | { kind: 'pauseAll' }
  | { kind: 'resumeAll' }
  | { kind: 'pause'; flowId: string }
  | { kind: 'resume'; flowId: string }
  | { kind: 'retry' }
  | { kind: 'toggleLogin' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

const STATE_WORDS: Record<FlowStatus['state'], string> = {
  starting: 'starting', running: 'running', paused: 'paused', error: 'error', stopping: 'stopping', stopped: 'stopped',
};

/**
 * The tray from the agent's state: the icon (never colour alone: the tooltip and the menu say the
 * same in words), the tooltip and the menu. Error: the agent is not running or a flow is in error.
 * Warning: starting or stopping, a flow paused, or a flow with warnings (a missing directory,
 * checkpoints not written). Otherwise ok.
 */
export function trayModel(state: AgentProcessState, openAtLogin: boolean, quitting: boolean): TrayView {
  const flows = state.phase === 'running' || state.phase === 'stopping' ? state.status?.flows ?? [] : [];
  const icon = iconOf(state, flows);
  const menu: TrayMenuItem[] = [
    { label: 'Open Shardline', action: { kind: 'open' } },
    { type: 'separator' },
    { label: headline(state, flows), enabled: false },
    ...flows.map((flow) => flowItem(flow, state.phase === 'running')),
    ...(state.phase === 'failed' ? [{ label: 'Start the agent again', action: { kind: 'retry' } } satisfies TrayMenuItem] : []),
    { type: 'separator' },
    { label: 'Pause all', enabled: state.phase === 'running' && flows.some((f) => f.state === 'running' || f.state === 'error'), action: { kind: 'pauseAll' } },
    { label: 'Resume all', enabled: state.phase === 'running' && flows.some((f) => f.state === 'paused'), action: { kind: 'resumeAll' } },
    { type: 'separator' },
    { label: 'Start at login', type: 'checkbox', checked: openAtLogin, action: { kind: 'toggleLogin' } },
    { type: 'separator' },
    quitting ? { label: 'Quitting: sending what was read…', enabled: false } : { label: 'Quit Shardline', action: { kind: 'quit' } },
  ];
  return { icon, tooltip: `Shardline: ${headline(state, flows)}`, menu };
}

function iconOf(state: AgentProcessState, flows: readonly FlowStatus[]): TrayIcon {
  if (state.phase === 'failed' || state.phase === 'stopped') return 'error';
  if (flows.some((flow) => flow.state === 'error')) return 'error';
  if (state.phase !== 'running') return 'warning';
  if (flows.some((flow) => flow.state !== 'running' || flow.warnings.length > 0)) return 'warning';
  return 'ok';
}

function headline(state: AgentProcessState, flows: readonly FlowStatus[]): string {
  switch (state.phase) {
    case 'starting': return 'starting…';
    case 'stopping': return 'stopping…';
    case 'stopped': return 'stopped';
    case 'failed': return `not running: ${firstLine(state.problems[0] ?? state.message)}`;
    case 'running': break;
  }
  if (flows.length === 0) return 'no flows configured';
  const counts = new Map<string, number>();
  for (const flow of flows) counts.set(STATE_WORDS[flow.state], (counts.get(STATE_WORDS[flow.state]) ?? 0) + 1);
  const parts = [...counts].map(([word, n]) => `${n} ${word}`);
  return `${flows.length} flow${flows.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function flowItem(flow: FlowStatus, agentRunning: boolean): TrayMenuItem {
  const word = STATE_WORDS[flow.state];
  const detail = flow.state === 'error' && flow.message !== undefined ? ` (${firstLine(flow.message)})` : flow.warnings.length > 0 ? ' (warning)' : '';
  const action: TrayMenuItem = flow.state === 'paused'
    ? { label: 'Resume', enabled: agentRunning, action: { kind: 'resume', flowId: flow.id } }
    : { label: 'Pause', enabled: agentRunning && (flow.state === 'running' || flow.state === 'error'), action: { kind: 'pause', flowId: flow.id } };
  return { label: `${flow.name} — ${word}${detail}`, type: 'submenu', submenu: [action] };
}

/** Menus are one line; long messages are cut (the window shows them whole). */
function firstLine(text: string): string {
  const line = text.split(/\r\n|\r|\n/)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
