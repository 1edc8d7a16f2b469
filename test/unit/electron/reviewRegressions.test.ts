import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../src/electron/main/appProtocol.js';
import { desktopEntry } from '../../../src/electron/main/LoginItem.js';
import { AgentProcess } from '../../../src/electron/main/AgentProcess.js';
import { MainWindow } from '../../../src/electron/main/MainWindow.js';
import { trayModel } from '../../../src/electron/main/trayModel.js';
import type { UtilityHandle } from '../../../src/electron/main/ElectronFacade.js';
import { FakeElectron } from '../../support/fakeElectron.js';
import { agentStatus, flowStatus, statusFixture } from '../../support/controllerFixtures.js';

const execLine = (text: string) => text.split('\n').find((l) => l.startsWith('Exec='));

describe('review finding: appProtocol', () => {
  it.each(['app://other/index.html', 'app://shardline/missing.js', 'app://shardline/..%2f..%2fetc/passwd'])('404 for %s carries nosniff', async (url) => {
    const serve = createAppProtocolHandler('/r', async () => { throw new Error('ENOENT'); });
    const response = await serve(new Request(url));
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('review finding: LoginItem Exec quoting', () => {
  it.each([
    ['/home/ada/Downloads/Shardline%201.AppImage', 'Exec=/home/ada/Downloads/Shardline%%201.AppImage --hidden'],
    ['/home/ada/Apps/Shardline(1).AppImage', 'Exec="/home/ada/Apps/Shardline(1).AppImage" --hidden'],
    ['/home/ada/R&D/Shardline.AppImage', 'Exec="/home/ada/R&D/Shardline.AppImage" --hidden'],
    ['/home/ada/a;b/Shardline.AppImage', 'Exec="/home/ada/a;b/Shardline.AppImage" --hidden'],
    ['/home/ada/#1/Shardline.AppImage', 'Exec="/home/ada/#1/Shardline.AppImage" --hidden'],
  ])('%s', (path, exec) => {
    expect(execLine(desktopEntry(path))).toBe(exec);
  });
});

class Hand implements UtilityHandle {
  posted: unknown[] = [];
  private m: ((x: unknown) => void)[] = [];
  private e: ((c: number) => void)[] = [];
  postMessage(x: unknown) { this.posted.push(x); }
  onMessage(l: (x: unknown) => void) { this.m.push(l); }
  onExit(l: (c: number) => void) { this.e.push(l); }
  kill() { return true; }
  send(x: unknown) { for (const l of this.m) l(x); }
  exit(c: number) { for (const l of this.e) l(c); }
}
class HandElectron extends FakeElectron {
  hand = new Hand();
  override forkUtility(): UtilityHandle { return this.hand; }
}
const OPTIONS = { config: '/a.json', logLevel: 'info' as const, control: true };

describe('review finding: AgentProcess while stopping', () => {
  it('ready arriving after stop() does not post start', async () => {
    const electron = new HandElectron('/x');
    const agent = new AgentProcess(electron, '/host.js', {});
    agent.start(OPTIONS);
    const stopped = agent.stop(60_000);
    electron.hand.send({ type: 'ready' });
    expect(electron.hand.posted).toEqual([{ type: 'stop' }]);
    electron.hand.exit(0);
    expect(await stopped).toBe(0);
  });
  it('started arriving after stop() keeps stopping; the exit is a clean stop, not a crash', async () => {
    const electron = new HandElectron('/x');
    const agent = new AgentProcess(electron, '/host.js', {});
    agent.start(OPTIONS);
    electron.hand.send({ type: 'ready' });
    const stopped = agent.stop(60_000);
    electron.hand.send({ type: 'started', status: statusFixture, configPath: '/a.json', dataDir: '/d', shutdownTimeoutMillis: 1000 });
    expect(agent.state.phase).toBe('stopping');
    electron.hand.exit(0);
    expect(await stopped).toBe(0);
    expect(agent.state).toEqual({ phase: 'stopped', exitCode: 0 });
  });
});

describe('review finding: trayModel', () => {
  it('while the agent stops, a running flow\'s Pause is disabled (like Pause all)', () => {
    const view = trayModel({ phase: 'stopping', status: agentStatus([flowStatus('app')]) }, false, true);
    const flowItem = view.menu.find((i) => i.type === 'submenu')!;
    expect(flowItem.submenu![0]).toMatchObject({ label: 'Pause', enabled: false });
  });
  it('a CRLF error message leaves no carriage return in the label', () => {
    const view = trayModel({ phase: 'running', status: agentStatus([flowStatus('app', { name: 'app', state: 'error', message: 'Access denied\r\nat x' })]), configPath: '/a', dataDir: '/d', shutdownTimeoutMillis: 1 }, false, false);
    expect(view.menu.find((i) => i.type === 'submenu')!.label).toBe('app — error (Access denied)');
  });
});

describe('review finding: MainWindow', () => {
  it('a second show() while the first is still loading does not show the window before it has loaded', async () => {
    const electron = new FakeElectron('/x');
    let finish: () => void = () => undefined;
    const original = electron.createWindow.bind(electron);
    electron.createWindow = (options) => {
      const w = original(options);
      w.loadURL = () => new Promise<void>((resolve) => { finish = resolve; });
      return w;
    };
    const window = new MainWindow(electron, '/p', undefined);
    const first = window.show();
    const second = window.show();
    await new Promise((r) => setTimeout(r, 10));
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.shown).toBe(false);
    finish();
    await Promise.all([first, second]);
    expect(electron.windows[0]!.shown).toBe(true);
  });
});
