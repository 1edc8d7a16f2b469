import { describe, expect, it } from 'vitest';
import { ControllerError } from '../../../renderer/src/api/ControllerError.js';
import { IpcControllerClient } from '../../../renderer/src/api/IpcControllerClient.js';
import { IPC_METHOD_NAMES, type IpcError, type IpcMethod, type ShardlineBridge } from '../../../src/shared/control/ipcContract.js';
import type { AgentStatus } from '../../../src/shared/stats/flowStatus.js';
import { agentStatus, flowStatus, METHOD_FIXTURES, statusFixture } from '../../support/controllerFixtures.js';

/** window.shardline as the preload exposes it: records calls, answers what the test says, pushes statuses by hand. */
class FakeBridge {
  readonly calls: { method: IpcMethod; args: unknown[] }[] = [];
  readonly listeners = new Set<(status: AgentStatus) => void>();
  subscriptions = 0;
  unsubscriptions = 0;
  answer: (method: IpcMethod, args: unknown[]) => unknown = () => ({ ok: true, value: statusFixture });
  readonly bridge: ShardlineBridge;
  constructor() {
    const methods = Object.fromEntries(IPC_METHOD_NAMES.map((method) => [method, async (...args: unknown[]) => {
      this.calls.push({ method, args });
      return this.answer(method, args);
    }]));
    const onStatus = (listener: (status: AgentStatus) => void) => {
      this.subscriptions++;
      this.listeners.add(listener);
      return () => {
        this.unsubscriptions++;
        this.listeners.delete(listener);
      };
    };
    this.bridge = Object.freeze({ ...methods, onStatus }) as unknown as ShardlineBridge;
  }
  push(status: AgentStatus): void { for (const l of this.listeners) l(status); }
}

const callClient = (client: IpcControllerClient, method: IpcMethod, args: unknown[]) =>
  (client[method] as (...a: unknown[]) => Promise<unknown>).apply(client, args);

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('IpcControllerClient', () => {
  it('is the ipc transport', () => {
    expect(new IpcControllerClient(new FakeBridge().bridge).transport).toBe('ipc');
  });

  it.each(METHOD_FIXTURES)('$method: passes the arguments to the bridge and unwraps an ok reply', async ({ method, args, reply }) => {
    const fake = new FakeBridge();
    fake.answer = () => ({ ok: true, value: reply });
    const client = new IpcControllerClient(fake.bridge);
    expect(await callClient(client, method, args)).toEqual(reply);
    expect(fake.calls).toEqual([{ method, args }]);
  });

  it.each<{ name: string; error: IpcError; status: number; problems: unknown[] }>([
    { name: 'not running (no status: 0)', error: { code: 'not_running', message: 'the agent is starting' }, status: 0, problems: [] },
    { name: 'not found', error: { code: 'NotFound', message: 'no flow kinesis:x:/y', status: 404 }, status: 404, problems: [] },
    { name: 'forbidden', error: { code: 'forbidden', message: 'refused: the sender is a sub-frame', status: 403 }, status: 403, problems: [] },
    {
      name: 'read-only file with problems',
      error: { code: 'ReadOnly', message: 'cannot save', status: 409, problems: [{ file: '/etc/shardline/agent.d/x.json', path: '', message: 'owned by root' }] },
      status: 409,
      problems: [{ file: '/etc/shardline/agent.d/x.json', path: '', message: 'owned by root' }],
    },
    { name: 'bad reply', error: { code: 'bad_reply', message: "the agent's reply to status is not a reply" }, status: 0, problems: [] },
    { name: 'ipc failed', error: { code: 'ipc_failed', message: 'the agent did not answer status: gone' }, status: 0, problems: [] },
  ])('an error reply ($name) throws a ControllerError with its code, status and problems', async ({ error, status, problems }) => {
    const fake = new FakeBridge();
    fake.answer = () => ({ ok: false, error });
    const client = new IpcControllerClient(fake.bridge);
    for (const { method, args } of METHOD_FIXTURES) {
      const thrown = await callClient(client, method, args).then(() => undefined, (e: unknown) => e);
      expect(thrown, method).toBeInstanceOf(ControllerError);
      const e = thrown as ControllerError;
      expect(e.message).toBe(error.message);
      expect(e.code).toBe(error.code);
      expect(e.status).toBe(status);
      expect(e.problems).toEqual(problems);
      expect(e.name).toBe('ControllerError');
      expect(e.unauthorized).toBe(status === 401 || status === 403);
    }
  });

  it('a bridge that rejects (a bug below) rejects the call with that error', async () => {
    const fake = new FakeBridge();
    fake.answer = () => { throw new Error('boom'); };
    await expect(new IpcControllerClient(fake.bridge).status()).rejects.toThrow('boom');
  });

  describe('events()', () => {
    const s = (uptimeMillis: number) => agentStatus([flowStatus('app')], { uptimeMillis });

    it('yields each pushed status; abort ends the iteration and unsubscribes', async () => {
      const fake = new FakeBridge();
      const controller = new AbortController();
      const got: number[] = [];
      const done = (async () => {
        for await (const status of new IpcControllerClient(fake.bridge).events(controller.signal)) got.push(status.uptimeMillis);
      })();
      await tick();
      expect(fake.subscriptions).toBe(1);
      fake.push(s(1000));
      await tick();
      fake.push(s(2000));
      await tick();
      fake.push(s(3000));
      await tick();
      expect(got).toEqual([1000, 2000, 3000]);
      controller.abort();
      await done;
      expect(fake.unsubscriptions).toBe(1);
      expect(fake.listeners.size).toBe(0);
      fake.push(s(4000));
      await tick();
      expect(got).toEqual([1000, 2000, 3000]);
    });

    it('a slow consumer gets the newest status, not a backlog', async () => {
      const fake = new FakeBridge();
      const controller = new AbortController();
      const iterator = new IpcControllerClient(fake.bridge).events(controller.signal)[Symbol.asyncIterator]();
      const first = iterator.next();
      await tick();
      fake.push(s(1000));
      expect((await first).value).toEqual(s(1000));
      fake.push(s(2000));
      fake.push(s(3000));
      fake.push(s(4000));
      expect((await iterator.next()).value).toEqual(s(4000));
      const pending = iterator.next();
      controller.abort();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(fake.unsubscriptions).toBe(1);
    });

    it('already aborted: ends at once and leaves no listener', async () => {
      const fake = new FakeBridge();
      const controller = new AbortController();
      controller.abort();
      const got: AgentStatus[] = [];
      for await (const status of new IpcControllerClient(fake.bridge).events(controller.signal)) got.push(status);
      expect(got).toEqual([]);
      expect(fake.listeners.size).toBe(0);
      expect(fake.unsubscriptions).toBe(fake.subscriptions);
    });

    it('breaking out of the loop unsubscribes too', async () => {
      const fake = new FakeBridge();
      const controller = new AbortController();
      const done = (async () => {
        for await (const status of new IpcControllerClient(fake.bridge).events(controller.signal)) {
          if (status.uptimeMillis === 2000) break;
        }
      })();
      await tick();
      fake.push(s(1000));
      await tick();
      fake.push(s(2000));
      await done;
      expect(fake.unsubscriptions).toBe(1);
      expect(fake.listeners.size).toBe(0);
      expect(controller.signal.aborted).toBe(false);
    });

    it('two streams are independent: aborting one leaves the other', async () => {
      const fake = new FakeBridge();
      const client = new IpcControllerClient(fake.bridge);
      const a = new AbortController();
      const b = new AbortController();
      const gotA: number[] = [];
      const gotB: number[] = [];
      const doneA = (async () => { for await (const st of client.events(a.signal)) gotA.push(st.uptimeMillis); })();
      const doneB = (async () => { for await (const st of client.events(b.signal)) gotB.push(st.uptimeMillis); })();
      await tick();
      fake.push(s(1000));
      await tick();
      a.abort();
      await doneA;
      fake.push(s(2000));
      await tick();
      b.abort();
      await doneB;
      expect(gotA).toEqual([1000]);
      expect(gotB).toEqual([1000, 2000]);
      expect(fake.listeners.size).toBe(0);
    });
  });
});
