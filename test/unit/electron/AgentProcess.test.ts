import { describe, expect, it } from 'vitest';
import { AgentProcess, type AgentProcessState } from '../../../src/electron/main/AgentProcess.js';
import type { UtilityHandle } from '../../../src/electron/main/ElectronFacade.js';
import { FakeElectron } from '../../support/fakeElectron.js';
import { agentStatus, flowStatus, FLOW_ID, statusFixture } from '../../support/controllerFixtures.js';

/** The agent process, driven by hand: what the main process posts is recorded; the test sends events and exits. */
class HandUtility implements UtilityHandle {
  readonly posted: unknown[] = [];
  kills = 0;
  /** What kill() does besides counting (a real process would exit). */
  onKill: (() => void) | undefined;
  private messageListeners: ((message: unknown) => void)[] = [];
  private exitListeners: ((code: number) => void)[] = [];
  constructor(readonly modulePath: string, readonly args: string[], readonly options: { serviceName: string; env: NodeJS.ProcessEnv }) {}
  postMessage(message: unknown): void { this.posted.push(message); }
  onMessage(listener: (message: unknown) => void): void { this.messageListeners.push(listener); }
  onExit(listener: (code: number) => void): void { this.exitListeners.push(listener); }
  kill(): boolean {
    this.kills++;
    this.onKill?.();
    return true;
  }
  send(message: unknown): void { for (const l of this.messageListeners) l(message); }
  exit(code: number): void { for (const l of this.exitListeners) l(code); }
  /** The `call` messages posted, in order. */
  get calls(): { type: 'call'; id: number; method: string; args: unknown[] }[] {
    return this.posted.filter((m): m is { type: 'call'; id: number; method: string; args: unknown[] } => (m as { type?: string }).type === 'call');
  }
}

class HandElectron extends FakeElectron {
  readonly forked: HandUtility[] = [];
  override forkUtility(modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv }): UtilityHandle {
    const utility = new HandUtility(modulePath, args, options);
    this.forked.push(utility);
    return utility;
  }
}

const HOST = '/app/dist/node/host/agentHostMain.js';
const ENV = { PATH: '/usr/bin', SHARDLINE_RENDERER_DIR: '/app/renderer' };
const OPTIONS = { config: '/home/ada/.config/Shardline/agent.json', logLevel: 'info' as const, control: true, logFile: '/home/ada/.config/Shardline/logs/shardline.log', dataDir: '/home/ada/data' };
const STARTED = { type: 'started', status: statusFixture, configPath: OPTIONS.config, dataDir: OPTIONS.dataDir, shutdownTimeoutMillis: 30_000, controlUrl: 'http://127.0.0.1:4567' };

function setup() {
  const electron = new HandElectron('/nonexistent');
  const agent = new AgentProcess(electron, HOST, ENV);
  const states: AgentProcessState[] = [];
  agent.onState((state) => states.push(state));
  return { electron, agent, states, child: () => electron.forked.at(-1)! };
}

/** Started and running (ready → start posted → started). */
function running() {
  const s = setup();
  s.agent.start(OPTIONS);
  s.child().send({ type: 'ready' });
  s.child().send(STARTED);
  return s;
}

const settled = <T>(promise: Promise<T>) => {
  const box: { done: boolean; value?: T } = { done: false };
  void promise.then((value) => { box.done = true; box.value = value; });
  return box;
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AgentProcess', () => {
  it('start forks the host with the environment; ready → the start message with the options', () => {
    const { electron, agent, states, child } = setup();
    expect(agent.state).toEqual({ phase: 'starting' });
    agent.start(OPTIONS);
    expect(electron.forked).toHaveLength(1);
    expect(child().modulePath).toBe(HOST);
    expect(child().args).toEqual([]);
    expect(child().options).toEqual({ serviceName: 'Shardline agent', env: ENV });
    expect(child().posted).toEqual([]);
    expect(states).toEqual([{ phase: 'starting' }]);
    child().send({ type: 'ready' });
    expect(child().posted).toEqual([{ type: 'start', ...OPTIONS }]);
    expect(agent.state.phase).toBe('starting');
  });

  it('started → running with the status, paths, drain limit and control URL', () => {
    const { agent, states } = running();
    const expected = { phase: 'running', status: statusFixture, configPath: OPTIONS.config, dataDir: OPTIONS.dataDir, shutdownTimeoutMillis: 30_000, controlUrl: 'http://127.0.0.1:4567' };
    expect(agent.state).toEqual(expected);
    expect(states).toEqual([{ phase: 'starting' }, expected]);
  });

  it('started without a control URL has no controlUrl key', () => {
    const { agent, child } = setup();
    agent.start(OPTIONS);
    const { controlUrl: _omit, ...withoutControl } = STARTED;
    child().send(withoutControl);
    expect(agent.state.phase).toBe('running');
    expect('controlUrl' in agent.state).toBe(false);
  });

  it('status events replace the status while running, and while stopping', () => {
    const { agent, child } = running();
    const paused = agentStatus([flowStatus('app', { id: FLOW_ID, state: 'paused' })], { uptimeMillis: 62_000 });
    child().send({ type: 'status', status: paused });
    expect(agent.state).toMatchObject({ phase: 'running', status: paused, shutdownTimeoutMillis: 30_000 });
    void agent.stop(60_000);
    const stopping = agentStatus([flowStatus('app', { id: FLOW_ID, state: 'stopping' })], { uptimeMillis: 63_000 });
    child().send({ type: 'status', status: stopping });
    expect(agent.state).toEqual({ phase: 'stopping', status: stopping });
    child().exit(0);
  });

  it.each([
    { name: 'an unknown type', message: { type: 'hello' } },
    { name: 'a started with a bad status', message: { ...STARTED, status: { flows: 'none' } } },
    { name: 'null', message: null },
    { name: 'a string', message: 'started' },
    { name: 'a reply without an id', message: { type: 'reply', reply: { ok: true, value: 1 } } },
  ])('ignores a malformed message ($name)', ({ message }) => {
    const { agent, states, child } = setup();
    agent.start(OPTIONS);
    child().send(message);
    expect(agent.state).toEqual({ phase: 'starting' });
    expect(states).toHaveLength(1);
    expect(child().posted).toEqual([]);
  });

  it.each([
    { name: 'never started (the initial state is starting)', prepare: (_agent: AgentProcess, _child: () => HandUtility) => undefined, message: 'the agent is starting' },
    { name: 'starting', prepare: (agent: AgentProcess) => agent.start(OPTIONS), message: 'the agent is starting' },
    { name: 'ready, start posted, not started yet', prepare: (agent: AgentProcess, child: () => HandUtility) => { agent.start(OPTIONS); child().send({ type: 'ready' }); }, message: 'the agent is starting' },
    {
      name: 'failed to start',
      prepare: (agent: AgentProcess, child: () => HandUtility) => { agent.start(OPTIONS); child().send({ type: 'startFailed', exitCode: 2, message: 'the configuration has 1 problem', problems: ['flows[0].filePattern: Required'] }); },
      message: 'the agent is not running: the configuration has 1 problem',
    },
    {
      name: 'stopping',
      prepare: (agent: AgentProcess, child: () => HandUtility) => { agent.start(OPTIONS); child().send(STARTED); void agent.stop(60_000); },
      message: 'the agent is not running',
    },
    {
      name: 'stopped',
      prepare: (agent: AgentProcess, child: () => HandUtility) => { agent.start(OPTIONS); child().send(STARTED); void agent.stop(60_000); child().exit(0); },
      message: 'the agent is not running',
    },
  ])('a call while $name answers not_running at once, posting nothing', async ({ prepare, message }) => {
    const { electron, agent } = setup();
    prepare(agent, () => electron.forked.at(-1)!);
    const before = electron.forked.at(-1)?.calls.length ?? 0;
    expect(await agent.call('pauseFlow', [FLOW_ID])).toEqual({ ok: false, error: { code: 'not_running', message } });
    expect(electron.forked.at(-1)?.calls.length ?? 0).toBe(before);
  });

  it('calls are posted with increasing ids and each reply reaches its own caller, in any order', async () => {
    const { agent, child } = running();
    const status = settled(agent.call('status', []));
    const pause = settled(agent.call('pauseFlow', [FLOW_ID]));
    const files = settled(agent.call('files', [FLOW_ID]));
    expect(child().calls).toEqual([
      { type: 'call', id: 1, method: 'status', args: [] },
      { type: 'call', id: 2, method: 'pauseFlow', args: [FLOW_ID] },
      { type: 'call', id: 3, method: 'files', args: [FLOW_ID] },
    ]);
    child().send({ type: 'reply', id: 3, reply: { ok: true, value: ['files'] } });
    child().send({ type: 'reply', id: 1, reply: { ok: true, value: 'status' } });
    await tick();
    expect(files).toEqual({ done: true, value: { ok: true, value: ['files'] } });
    expect(status).toEqual({ done: true, value: { ok: true, value: 'status' } });
    expect(pause.done).toBe(false);
    child().send({ type: 'reply', id: 2, reply: { ok: false, error: { code: 'NotFound', message: 'no flow', status: 404 } } });
    await tick();
    expect(pause).toEqual({ done: true, value: { ok: false, error: { code: 'NotFound', message: 'no flow', status: 404 } } });
  });

  it('a reply to an unknown id, or a second reply to the same id, changes nothing', async () => {
    const { agent, child } = running();
    const call = settled(agent.call('status', []));
    child().send({ type: 'reply', id: 99, reply: { ok: true, value: 'stray' } });
    await tick();
    expect(call.done).toBe(false);
    child().send({ type: 'reply', id: 1, reply: { ok: true, value: 'first' } });
    child().send({ type: 'reply', id: 1, reply: { ok: true, value: 'second' } });
    await tick();
    expect(call.value).toEqual({ ok: true, value: 'first' });
  });

  it('the process exiting with calls pending answers each of them not_running', async () => {
    const { agent, child } = running();
    const calls = [agent.call('status', []), agent.call('pauseFlow', [FLOW_ID]), agent.call('logs', [{ limit: 5 }])];
    child().send({ type: 'reply', id: 2, reply: { ok: true, value: 'paused' } });
    child().exit(134);
    expect(await Promise.all(calls)).toEqual([
      { ok: false, error: { code: 'not_running', message: 'the agent process ended' } },
      { ok: true, value: 'paused' },
      { ok: false, error: { code: 'not_running', message: 'the agent process ended' } },
    ]);
  });

  it.each([
    { code: 134, exitCode: 134 },
    { code: 1, exitCode: 1 },
    { code: 0, exitCode: 1 },
  ])('an unexpected exit with code $code → failed with exit code $exitCode', ({ code, exitCode }) => {
    const { agent, child } = running();
    child().exit(code);
    expect(agent.state).toEqual({ phase: 'failed', exitCode, message: `the agent process ended unexpectedly (exit code ${code})`, problems: [], crashed: true });
  });

  it('an exit while starting is a failure too', () => {
    const { agent, child } = setup();
    agent.start(OPTIONS);
    child().exit(9);
    expect(agent.state).toEqual({ phase: 'failed', exitCode: 9, message: 'the agent process ended unexpectedly (exit code 9)', problems: [], crashed: true });
  });

  it('startFailed → failed with its code, message and problems; the exit that follows keeps them', async () => {
    const { agent, child, states } = setup();
    agent.start(OPTIONS);
    child().send({ type: 'ready' });
    const failed = { phase: 'failed', exitCode: 2, message: 'the configuration has 2 problems', problems: ['flows[0].filePattern: Required', 'flows[1]: unknown key "kinesisStrem"'], crashed: false };
    child().send({ type: 'startFailed', exitCode: 2, message: failed.message, problems: failed.problems });
    expect(agent.state).toEqual(failed);
    child().exit(2);
    expect(agent.state).toEqual(failed);
    expect(states.map((s) => s.phase)).toEqual(['starting', 'failed']);
    // stop() after the process is gone resolves with its exit code, posting no stop.
    expect(await agent.stop(60_000)).toBe(2);
    expect(child().posted).toEqual([{ type: 'start', ...OPTIONS }]);
  });

  it('stop posts stop, goes stopping with the last status, and resolves with the exit code once the process ends', async () => {
    const { agent, child, states } = running();
    const stopped = settled(agent.stop(60_000));
    expect(child().posted.at(-1)).toEqual({ type: 'stop' });
    expect(agent.state).toEqual({ phase: 'stopping', status: statusFixture });
    await tick();
    expect(stopped.done).toBe(false);
    child().send({ type: 'stopped', exitCode: 0 });
    await tick();
    expect(stopped.done).toBe(false);
    child().exit(0);
    await tick();
    expect(stopped).toEqual({ done: true, value: 0 });
    expect(agent.state).toEqual({ phase: 'stopped', exitCode: 0 });
    expect(states.map((s) => s.phase)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(child().kills).toBe(0);
  });

  it('stop resolves with a non-zero exit code (a drain that failed)', async () => {
    const { agent, child } = running();
    const stopped = agent.stop(60_000);
    child().exit(1);
    expect(await stopped).toBe(1);
    expect(agent.state).toEqual({ phase: 'stopped', exitCode: 1 });
  });

  it('stop twice: one stopping state, both resolve with the same code', async () => {
    const { agent, child, states } = running();
    const first = agent.stop(60_000);
    const second = agent.stop(60_000);
    expect(child().posted.at(-1)).toEqual({ type: 'stop' });
    child().exit(0);
    expect(await Promise.all([first, second])).toEqual([0, 0]);
    expect(states.map((s) => s.phase)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(child().kills).toBe(0);
  });

  it('stop while starting goes stopping without a status', async () => {
    const { agent, child } = setup();
    agent.start(OPTIONS);
    const stopped = agent.stop(60_000);
    expect(agent.state).toEqual({ phase: 'stopping' });
    expect(child().posted).toEqual([{ type: 'stop' }]);
    child().exit(0);
    expect(await stopped).toBe(0);
  });

  it('stop before start resolves 0 at once', async () => {
    const { agent, electron } = setup();
    expect(await agent.stop(10)).toBe(0);
    expect(electron.forked).toEqual([]);
  });

  it('a process that does not stop in time is killed; stop resolves with the code it then exits with', async () => {
    const { agent, child } = running();
    child().onKill = () => child().exit(137);
    const started = Date.now();
    expect(await agent.stop(30)).toBe(137);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(child().kills).toBe(1);
    expect(agent.state).toEqual({ phase: 'stopped', exitCode: 137 });
  });

  it('no kill when the process exits before the timeout (the timer is cleared)', async () => {
    const { agent, child } = running();
    const stopped = agent.stop(40);
    child().exit(0);
    expect(await stopped).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(child().kills).toBe(0);
  });

  it('reload posts reload to the process', () => {
    const { agent, child } = running();
    agent.reload();
    expect(child().posted.at(-1)).toEqual({ type: 'reload' });
  });

  it('onState returns the function that stops the listener', () => {
    const { agent, child } = setup();
    const seen: string[] = [];
    const stop = agent.onState((state) => seen.push(state.phase));
    agent.start(OPTIONS);
    stop();
    child().send(STARTED);
    expect(seen).toEqual(['starting']);
  });

  it('start again after a failure (the tray\'s retry): a new process; the old one\'s exit is ignored', async () => {
    const { agent, electron } = setup();
    agent.start(OPTIONS);
    const first = electron.forked[0]!;
    first.send({ type: 'startFailed', exitCode: 2, message: 'bad config', problems: [] });
    agent.start(OPTIONS);
    const second = electron.forked[1]!;
    expect(agent.state).toEqual({ phase: 'starting' });
    first.exit(2);
    expect(agent.state).toEqual({ phase: 'starting' });
    second.send({ type: 'ready' });
    second.send(STARTED);
    expect(agent.state.phase).toBe('running');
    const call = agent.call('status', []);
    expect(second.calls).toEqual([{ type: 'call', id: 1, method: 'status', args: [] }]);
    second.send({ type: 'reply', id: 1, reply: { ok: true, value: 'from the second' } });
    expect(await call).toEqual({ ok: true, value: 'from the second' });
    expect(first.calls).toEqual([]);
  });
});
