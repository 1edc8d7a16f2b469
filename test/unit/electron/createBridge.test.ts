import { describe, expect, it } from 'vitest';
import { createBridge, type IpcRendererLike } from '../../../src/electron/preload/createBridge.js';
import { IPC_METHOD_NAMES, IPC_METHODS, IPC_STATUS_CHANNEL, type IpcMethod } from '../../../src/shared/control/ipcContract.js';
import type { AgentStatus } from '../../../src/shared/stats/flowStatus.js';
import { agentStatus, flowStatus, FLOW_ID, INVALID_ARGS, METHOD_FIXTURES, statusFixture, WRONG_REPLIES } from '../../support/controllerFixtures.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** ipcRenderer as the preload sees it: records invokes and answers them; emits pushed messages. */
class FakeIpcRenderer implements IpcRendererLike {
  readonly invokes: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, Listener[]>();
  answer: (channel: string, args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: statusFixture });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invokes.push({ channel, args });
    return this.answer(channel, args);
  }
  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, payload);
  }
}

/** Calls a bridge method by name with untyped arguments, as a compromised or buggy page could. */
const callBridge = (bridge: ReturnType<typeof createBridge>, method: IpcMethod, args: unknown[]) =>
  (bridge[method] as (...a: unknown[]) => Promise<unknown>)(...args);

describe('createBridge', () => {
  it('is frozen and exposes exactly the IPC methods and onStatus (no generic invoke)', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(IPC_METHODS), 'onStatus'].sort());
    expect(Object.keys(bridge)).toHaveLength(13);
    for (const key of Object.keys(bridge)) expect(typeof (bridge as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(() => { (bridge as unknown as Record<string, unknown>)['invoke'] = () => undefined; }).toThrow(TypeError);
    expect(() => { (bridge as unknown as Record<string, unknown>)['status'] = () => undefined; }).toThrow(TypeError);
    expect('invoke' in bridge).toBe(false);
  });

  it.each(METHOD_FIXTURES)('$method: invokes shardline:$method with the checked arguments; a matching reply comes back', async ({ method, args, parsed, reply }) => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => ({ ok: true, value: reply });
    const bridge = createBridge(ipc);
    expect(await callBridge(bridge, method, args)).toEqual({ ok: true, value: reply });
    expect(ipc.invokes).toEqual([{ channel: `shardline:${method}`, args: parsed }]);
  });

  it.each(INVALID_ARGS)('$method with $why → invalid_argument; nothing invoked', async ({ method, args }) => {
    const ipc = new FakeIpcRenderer();
    const reply = await callBridge(createBridge(ipc), method, args) as { ok: false; error: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('invalid_argument');
    expect(reply.error.message).toContain(`invalid arguments for ${method}`);
    expect(ipc.invokes).toEqual([]);
  });

  it.each([
    { name: 'an error envelope', answer: { ok: false, error: { code: 'NotFound', message: 'no such flow', status: 404 } }, reply: { ok: false, error: { code: 'NotFound', message: 'no such flow', status: 404 } } },
    { name: 'an error envelope with problems', answer: { ok: false, error: { code: 'forbidden', message: 'refused', status: 403, problems: [{ file: 'a', path: 'b', message: 'c' }] } }, reply: { ok: false, error: { code: 'forbidden', message: 'refused', status: 403, problems: [{ file: 'a', path: 'b', message: 'c' }] } } },
    { name: 'undefined (malformed)', answer: undefined, reply: { ok: false, error: { code: 'bad_reply', message: "the agent's reply to pauseFlow is not a reply" } } },
    { name: 'a string (malformed)', answer: 'ok', reply: { ok: false, error: { code: 'bad_reply', message: "the agent's reply to pauseFlow is not a reply" } } },
    { name: 'a bare status (malformed)', answer: statusFixture, reply: { ok: false, error: { code: 'bad_reply', message: "the agent's reply to pauseFlow is not a reply" } } },
    { name: 'an error envelope with a numeric code (malformed)', answer: { ok: false, error: { code: 500, message: 'x' } }, reply: { ok: false, error: { code: 'bad_reply', message: "the agent's reply to pauseFlow is not a reply" } } },
  ])('reply: $name', async ({ answer, reply }) => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => answer;
    expect(await createBridge(ipc).pauseFlow(FLOW_ID)).toEqual(reply);
  });

  it.each(WRONG_REPLIES)('$method: a reply value not matching the schema → bad_reply', async ({ method, value }) => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => ({ ok: true, value });
    const args = METHOD_FIXTURES.find((f) => f.method === method)!.args;
    const reply = await callBridge(createBridge(ipc), method, args) as { ok: false; error: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('bad_reply');
    expect(reply.error.message).toContain(`reply to ${method} does not match this version`);
  });

  it('a reply value keeps only what the schema knows (unknown keys from a newer agent are dropped)', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => ({ ok: true, value: { ...statusFixture, futureField: 1 } });
    expect(await createBridge(ipc).status()).toEqual({ ok: true, value: statusFixture });
  });

  it.each([
    { name: 'an Error', error: new Error("Error invoking remote method 'shardline:status': reply was never sent"), message: "the agent did not answer status: Error invoking remote method 'shardline:status': reply was never sent" },
    { name: 'a structured-clone failure', error: new TypeError('An object could not be cloned.'), message: 'the agent did not answer status: An object could not be cloned.' },
  ])('invoke rejecting with $name → ipc_failed', async ({ error, message }) => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => { throw error; };
    expect(await createBridge(ipc).status()).toEqual({ ok: false, error: { code: 'ipc_failed', message } });
  });

  it('every method answers a rejected invoke with ipc_failed (never rejects)', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => { throw new Error('gone'); };
    const bridge = createBridge(ipc);
    for (const { method, args } of METHOD_FIXTURES) {
      expect(await callBridge(bridge, method, args)).toEqual({ ok: false, error: { code: 'ipc_failed', message: `the agent did not answer ${method}: gone` } });
    }
    expect(ipc.invokes.map((i) => i.channel)).toEqual(IPC_METHOD_NAMES.map((m) => `shardline:${m}`));
  });

  describe('onStatus', () => {
    it('delivers valid statuses pushed on the status channel, drops invalid ones, and unsubscribes', () => {
      const ipc = new FakeIpcRenderer();
      const bridge = createBridge(ipc);
      const got: AgentStatus[] = [];
      const stop = bridge.onStatus((status) => got.push(status));
      expect(ipc.listeners.get(IPC_STATUS_CHANNEL)).toHaveLength(1);
      expect(IPC_STATUS_CHANNEL).toBe('shardline:status-event');

      const second = agentStatus([flowStatus('web', { state: 'paused' })], { uptimeMillis: 62_000 });
      const pushes: unknown[] = [
        statusFixture,
        { ...statusFixture, pid: 'x' },
        { flows: [] },
        null,
        'status',
        { ...statusFixture, flows: [{ ...statusFixture.flows[0], state: 'sleeping' }] },
        second,
      ];
      for (const payload of pushes) ipc.emit(IPC_STATUS_CHANNEL, payload);
      ipc.emit('shardline:other', statusFixture);
      expect(got).toEqual([statusFixture, second]);

      stop();
      expect(ipc.listeners.get(IPC_STATUS_CHANNEL)).toEqual([]);
      ipc.emit(IPC_STATUS_CHANNEL, statusFixture);
      expect(got).toHaveLength(2);
    });

    it('each subscription is its own listener; stopping one leaves the other', () => {
      const ipc = new FakeIpcRenderer();
      const bridge = createBridge(ipc);
      const a: AgentStatus[] = [];
      const b: AgentStatus[] = [];
      const stopA = bridge.onStatus((s) => a.push(s));
      bridge.onStatus((s) => b.push(s));
      ipc.emit(IPC_STATUS_CHANNEL, statusFixture);
      stopA();
      stopA();
      ipc.emit(IPC_STATUS_CHANNEL, statusFixture);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(2);
      expect(ipc.listeners.get(IPC_STATUS_CHANNEL)).toHaveLength(1);
    });

    it('the listener gets the status only, not the IPC event (no ipcRenderer leaks to the page)', () => {
      const ipc = new FakeIpcRenderer();
      const received: unknown[][] = [];
      createBridge(ipc).onStatus((...args: unknown[]) => { received.push(args); });
      ipc.emit(IPC_STATUS_CHANNEL, statusFixture);
      expect(received).toEqual([[statusFixture]]);
    });
  });
});
