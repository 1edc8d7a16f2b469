import { describe, expect, it } from 'vitest';
import { APP_ENTRY } from '../../../src/electron/main/appProtocol.js';
import type { IpcInvokeEvent } from '../../../src/electron/main/ElectronFacade.js';
import { registerIpcHandlers, type IpcTarget } from '../../../src/electron/main/registerIpcHandlers.js';
import { IPC_METHOD_NAMES, ipcChannel, type IpcMethod, type IpcReply } from '../../../src/shared/control/ipcContract.js';
import { FakeElectron } from '../../support/fakeElectron.js';
import { FLOW_ID, INVALID_ARGS, METHOD_FIXTURES, statusFixture, WRONG_REPLIES } from '../../support/controllerFixtures.js';

const WINDOW_ID = 7;

/** The agent side: records each call and answers what the test says. */
class StubTarget implements IpcTarget {
  readonly calls: { method: IpcMethod; args: unknown[] }[] = [];
  answer: (method: IpcMethod, args: unknown[]) => unknown = () => ({ ok: true, value: statusFixture });
  async call(method: IpcMethod, args: unknown[]): Promise<IpcReply<unknown>> {
    this.calls.push({ method, args });
    return this.answer(method, args) as IpcReply<unknown>;
  }
}

function setup(windowId: () => number | undefined = () => WINDOW_ID) {
  const electron = new FakeElectron('/nonexistent');
  const target = new StubTarget();
  const refused: string[] = [];
  registerIpcHandlers(electron, target, windowId, (why) => refused.push(why));
  return { electron, target, refused };
}

const trusted: IpcInvokeEvent = { senderId: WINDOW_ID, frame: { url: APP_ENTRY, isMainFrame: true } };

describe('registerIpcHandlers', () => {
  it('registers one channel per method, and nothing else', () => {
    const { electron } = setup();
    expect([...electron.ipcHandlers.keys()].sort()).toEqual(IPC_METHOD_NAMES.map((m) => `shardline:${m}`).sort());
    expect(electron.ipcHandlers.size).toBe(12);
  });

  describe('from the app window\'s top frame', () => {
    it.each(METHOD_FIXTURES)('$method: the target gets the parsed arguments; a matching reply comes back', async ({ method, args, parsed, reply }) => {
      const { electron, target, refused } = setup();
      target.answer = () => ({ ok: true, value: reply });
      expect(await electron.invoke(ipcChannel(method), trusted, ...args)).toEqual({ ok: true, value: reply });
      expect(target.calls).toEqual([{ method, args: parsed }]);
      expect(refused).toEqual([]);
    });

    it.each(METHOD_FIXTURES)('$method: a reply not matching the schema becomes bad_reply', async ({ method, args }) => {
      const { electron, target } = setup();
      target.answer = () => ({ ok: true, value: { surprise: true } });
      const reply = await electron.invoke(ipcChannel(method), trusted, ...args) as IpcReply<unknown>;
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_reply' } });
      expect(target.calls).toHaveLength(1);
    });

    it.each(WRONG_REPLIES)('$method: a nearly right reply $value is bad_reply too', async ({ method, value }) => {
      const { electron, target } = setup();
      target.answer = () => ({ ok: true, value });
      const args = METHOD_FIXTURES.find((f) => f.method === method)!.args;
      const reply = await electron.invoke(ipcChannel(method), trusted, ...args) as { ok: false; error: { code: string; message: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error.code).toBe('bad_reply');
      expect(reply.error.message).toContain(`reply to ${method} does not match`);
    });

    it.each([
      { name: 'no ok', reply: { value: statusFixture } },
      { name: 'ok: "true" (a string)', reply: { ok: 'true', value: statusFixture } },
      { name: 'an error without a message', reply: { ok: false, error: { code: 'x' } } },
      { name: 'undefined', reply: undefined },
      { name: 'a bare status', reply: statusFixture },
    ])('a malformed envelope ($name) becomes bad_reply', async ({ reply }) => {
      const { electron, target } = setup();
      target.answer = () => reply;
      expect(await electron.invoke(ipcChannel('status'), trusted)).toEqual({ ok: false, error: { code: 'bad_reply', message: "the agent's reply to status is not a reply" } });
    });

    it.each([
      { name: 'not running', error: { code: 'not_running', message: 'the agent is starting' } },
      { name: 'no such flow (status kept)', error: { code: 'NotFound', message: `no flow ${FLOW_ID}`, status: 404 } },
      { name: 'config problems kept', error: { code: 'invalid_config', message: 'invalid', status: 422, problems: [{ file: '/a.json', path: 'flows[0]', message: 'bad' }] } },
    ])('an error reply ($name) passes through unchanged', async ({ error }) => {
      const { electron, target } = setup();
      target.answer = () => ({ ok: false, error });
      expect(await electron.invoke(ipcChannel('pauseFlow'), trusted, FLOW_ID)).toEqual({ ok: false, error });
    });

    it.each(INVALID_ARGS)('$method with $why → invalid_argument; the target is not called', async ({ method, args }) => {
      const { electron, target } = setup();
      const reply = await electron.invoke(ipcChannel(method), trusted, ...args) as { ok: false; error: { code: string; message: string } };
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(reply.error.message).toContain(`invalid arguments for ${method}`);
      expect(target.calls).toEqual([]);
    });
  });

  describe('refused senders', () => {
    it.each([
      { name: 'another webContents', windowId: WINDOW_ID, event: { senderId: WINDOW_ID + 1, frame: { url: APP_ENTRY, isMainFrame: true } }, why: 'the sender is not the Shardline window' },
      { name: 'no window yet', windowId: undefined, event: trusted, why: 'the sender is not the Shardline window' },
      { name: 'no window yet, sender id 0', windowId: undefined, event: { senderId: 0, frame: { url: APP_ENTRY, isMainFrame: true } }, why: 'the sender is not the Shardline window' },
      { name: 'a sub-frame of the app', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: { url: APP_ENTRY, isMainFrame: false } }, why: 'the sender is a sub-frame' },
      { name: 'a foreign page', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: { url: 'https://evil.example/phish?x=1', isMainFrame: true } }, why: 'the sender shows https://evil.example, not the app' },
      { name: 'a local file', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: { url: 'file:///tmp/x.html', isMainFrame: true } }, why: 'the sender shows null, not the app' },
      { name: 'another app:// host', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: { url: 'app://other/index.html', isMainFrame: true } }, why: 'the sender shows null, not the app' },
      { name: 'an unparsable URL', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: { url: 'not a url', isMainFrame: true } }, why: 'the sender shows an unknown page, not the app' },
      { name: 'a frame gone (null)', windowId: WINDOW_ID, event: { senderId: WINDOW_ID, frame: null }, why: 'the sending frame is gone' },
    ])('$name → forbidden; the target is not called', async ({ windowId, event, why }) => {
      const { electron, target, refused } = setup(() => windowId);
      for (const { method, args } of METHOD_FIXTURES) {
        expect(await electron.invoke(ipcChannel(method), event, ...args)).toEqual({ ok: false, error: { code: 'forbidden', message: `refused: ${why}`, status: 403 } });
      }
      expect(target.calls).toEqual([]);
      expect(refused).toEqual(METHOD_FIXTURES.map(({ method }) => `IPC ${method} refused: ${why}`));
    });

    it('a refused sender with invalid arguments gets forbidden (the schema is not probed)', async () => {
      const { electron, target } = setup();
      const reply = await electron.invoke(ipcChannel('pauseFlow'), { senderId: 99, frame: null }, 42);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(target.calls).toEqual([]);
    });

    it('the window id is read at each call: a replaced window\'s old id is refused, the new one accepted', async () => {
      let current: number | undefined = 7;
      const { electron, target } = setup(() => current);
      expect(await electron.invoke(ipcChannel('status'), { senderId: 7, frame: { url: APP_ENTRY, isMainFrame: true } })).toMatchObject({ ok: true });
      current = undefined;
      expect(await electron.invoke(ipcChannel('status'), { senderId: 7, frame: { url: APP_ENTRY, isMainFrame: true } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      current = 8;
      expect(await electron.invoke(ipcChannel('status'), { senderId: 7, frame: { url: APP_ENTRY, isMainFrame: true } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await electron.invoke(ipcChannel('status'), { senderId: 8, frame: { url: 'app://shardline/index.html#/flows', isMainFrame: true } })).toMatchObject({ ok: true });
      expect(target.calls).toHaveLength(2);
    });
  });
});
