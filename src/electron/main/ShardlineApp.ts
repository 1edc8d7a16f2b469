import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IPC_STATUS_CHANNEL } from '../../shared/control/ipcContract.js';
import { defaultConfigPath } from '../../node/util/defaultPaths.js';
import { AgentProcess, type AgentProcessState } from './AgentProcess.js';
import { alertsBetween } from './alerts.js';
import { APP_SCHEME, createAppProtocolHandler } from './appProtocol.js';
import type { ElectronFacade, MenuItemSpec, TrayHandle } from './ElectronFacade.js';
import { LoginItem } from './LoginItem.js';
import { MainWindow } from './MainWindow.js';
import { parseAppArgs, type AppArgs } from './parseAppArgs.js';
import { registerIpcHandlers } from './registerIpcHandlers.js';
import { trayAvailable } from './trayAvailable.js';
import { trayModel, type TrayAction, type TrayMenuItem, type TrayView } from './trayModel.js';

export interface AppPaths {
  /** The agent process's entry module. */
  agentHost: string;
  /** The window's preload (CommonJS bundle). */
  preload: string;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** tray-ok.png, tray-warning.png, tray-error.png and icon.png. */
  iconsDir: string;
}

export interface AppDeps {
  electron: ElectronFacade;
  /** The app's own arguments (without the executable and app path). */
  argv: readonly string[];
  paths: AppPaths;
  env: NodeJS.ProcessEnv;
  /** Where messages for a terminal go (headless start failures). */
  stderr: (line: string) => void;
  /** Signals the headless app stops on (process.on in the app; a fake in tests). */
  onSignal: (signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', handler: () => void) => void;
  trayAvailable?: () => Promise<boolean>;
  loginItem?: LoginItem;
}

/** Extra time the main process gives the agent process beyond its own drain limit before killing it. */
const STOP_GRACE_MILLIS = 5000;
/** A crashed agent process is started again after 1 s, then 2 s, … up to a minute (like systemd's Restart=on-failure). */
const RESTART_FIRST_MILLIS = 1000;
const RESTART_MAX_MILLIS = 60_000;
/** Running this long counts as recovered: the next crash restarts after the first delay again. */
const RESTART_RESET_MILLIS = 60_000;

/**
 * The tray app's main process: one instance; the agent in its own process; a tray icon whose
 * picture, tooltip and menu follow the agent's state; the window on demand; quit drains and
 * checkpoints first. With `--headless` only the agent runs (no tray, no window), stopping on
 * SIGTERM/SIGINT like `shardline run`.
 */
export class ShardlineApp {
  readonly agent: AgentProcess;
  readonly window: MainWindow;
  readonly args: AppArgs;
  tray: TrayHandle | undefined;
  view: TrayView | undefined;
  private openAtLogin = false;
  private quitting: Promise<void> | undefined;
  private quitDone = false;
  private shownView = '';
  private readonly loginItem: LoginItem;
  private restartDelay = RESTART_FIRST_MILLIS;
  private restartTimer: NodeJS.Timeout | undefined;
  private runningSince: number | undefined;
  private lastState: AgentProcessState | undefined;

  private constructor(private readonly deps: AppDeps) {
    const { electron, paths } = deps;
    this.args = parseAppArgs(deps.argv);
    this.agent = new AgentProcess(electron, paths.agentHost, { ...deps.env, SHARDLINE_RENDERER_DIR: paths.rendererDir });
    this.window = new MainWindow(electron, paths.preload, join(paths.iconsDir, 'icon.png'));
    this.loginItem = deps.loginItem ?? new LoginItem(electron.platform, electron.loginItem, deps.env, electron.getPath('home'), electron.execPath);
  }

  /** Starts the app; resolves once the agent process is asked to start (or the app quits at once). */
  static async start(deps: AppDeps): Promise<ShardlineApp> {
    const app = new ShardlineApp(deps);
    if (app.args.headless) await app.startHeadless();
    else await app.startDesktop();
    return app;
  }

  private async startHeadless(): Promise<void> {
    const { electron } = this.deps;
    await electron.whenReady();
    let exiting = false;
    this.agent.onState((state) => {
      if (state.phase !== 'failed' || exiting) return;
      exiting = true;
      this.deps.stderr(`shardline: ${state.message}`);
      for (const problem of state.problems) this.deps.stderr(problem);
      electron.exit(state.exitCode);
    });
    const stop = () => {
      if (exiting) return;
      exiting = true;
      void this.agent.stop(this.stopTimeout()).then((code) => electron.exit(code));
    };
    this.deps.onSignal('SIGTERM', stop);
    this.deps.onSignal('SIGINT', stop);
    this.deps.onSignal('SIGHUP', () => this.agent.reload());
    this.agent.start({ config: this.args.config ?? defaultConfigPath(), logLevel: this.args.logLevel, control: this.args.control ?? true, ...(this.args.dataDir === undefined ? {} : { dataDir: this.args.dataDir }) });
  }

  private async startDesktop(): Promise<void> {
    const { electron, paths } = this.deps;
    if (!electron.requestSingleInstanceLock()) {
      // The running instance gets 'second-instance' and shows its window.
      electron.quit();
      return;
    }
    electron.registerAppScheme(APP_SCHEME);
    electron.onSecondInstance(() => void this.window.show());
    electron.onBeforeQuit((event) => {
      if (this.quitDone) return;
      event.preventDefault();
      void this.quit();
    });
    await electron.whenReady();
    electron.denyAllPermissions();
    electron.handleProtocol(APP_SCHEME, createAppProtocolHandler(paths.rendererDir));
    registerIpcHandlers(electron, this.agent, () => this.window.handle?.webContents.id, (why) => this.deps.stderr(`shardline: ${why}`));

    if (this.args.config === undefined) await writeStarterConfig(this.desktopStartOptions().config, electron.getPath('home'));
    this.agent.onState((state) => this.stateChanged(state));
    this.openAtLogin = await this.loginItem.enabled().catch(() => false);
    const hasTray = await (this.deps.trayAvailable ?? (() => trayAvailable(electron.platform, this.deps.env)))();
    if (hasTray) {
      this.tray = electron.createTray(this.iconPath('warning'));
      this.tray.onClick(() => void this.window.show());
      electron.onWindowAllClosed(() => undefined); // stays in the tray
    } else {
      // Nowhere to live but the window: closing it quits (after draining).
      electron.onWindowAllClosed(() => void this.quit());
    }
    this.refreshTray();
    await mkdir(electron.getPath('logs'), { recursive: true });
    this.agent.start(this.desktopStartOptions());
    if (!this.args.hidden || !hasTray) await this.window.show();
    if (this.args.smokeTest) this.smokeTest();
  }

  /** The real-binary smoke check: the window loaded and the agent started; then quit (exit code says). */
  private smokeTest(): void {
    const { electron } = this.deps;
    let done = false;
    const check = (state: AgentProcessState): void => {
      if (done) return;
      if (state.phase === 'running') {
        done = true;
        stop();
        this.deps.stderr(`smoke test: ok: window ${this.window.handle === undefined ? 'not open' : 'open'}, tray ${this.tray === undefined ? 'absent' : 'shown'}, agent running ${state.status.flows.length} flow(s)`);
        void this.quit();
      } else if (state.phase === 'failed') {
        done = true;
        stop();
        this.deps.stderr(`smoke test: failed: ${state.message} ${state.problems.join('; ')}`);
        electron.exit(1);
      }
    };
    const stop = this.agent.onState(check);
    check(this.agent.state);
  }

  /** Runs what a tray menu item says. */
  async run(action: TrayAction): Promise<void> {
    switch (action.kind) {
      case 'open': return this.window.show();
      case 'pauseAll': return this.forEachFlow(['running', 'error'], 'pauseFlow');
      case 'resumeAll': return this.forEachFlow(['paused'], 'resumeFlow');
      case 'pause': await this.agent.call('pauseFlow', [action.flowId]); return;
      case 'resume': await this.agent.call('resumeFlow', [action.flowId]); return;
      case 'retry':
        if (this.agent.state.phase === 'failed') this.agent.start(this.desktopStartOptions());
        return;
      case 'toggleLogin':
        await this.loginItem.set(!this.openAtLogin);
        this.openAtLogin = await this.loginItem.enabled();
        this.refreshTray();
        return;
      case 'quit': return this.quit();
    }
  }

  /** Quit: the window closes at once; the agent drains in-flight sends and checkpoints; then the app ends. */
  quit(): Promise<void> {
    this.quitting ??= (async () => {
      clearTimeout(this.restartTimer);
      this.refreshTray();
      this.window.close();
      await this.agent.stop(this.stopTimeout());
      this.quitDone = true;
      this.tray?.destroy();
      this.deps.electron.quit();
    })();
    return this.quitting;
  }

  private async forEachFlow(states: readonly string[], method: 'pauseFlow' | 'resumeFlow'): Promise<void> {
    const state = this.agent.state;
    if (state.phase !== 'running') return;
    const flows = state.status.flows.filter((flow) => states.includes(flow.state));
    await Promise.all(flows.map((flow) => this.agent.call(method, [flow.id])));
  }

  private stateChanged(state: AgentProcessState): void {
    if (state.phase === 'running') {
      this.runningSince ??= Date.now();
      this.window.send(IPC_STATUS_CHANNEL, state.status);
    }
    if (state.phase === 'failed' && state.crashed && this.quitting === undefined) this.scheduleRestart();
    if (this.quitting === undefined) for (const alert of alertsBetween(this.lastState, state)) this.deps.electron.notify(alert.title, alert.body);
    this.lastState = state;
    this.refreshTray();
  }

  /** The agent process died on its own (a crash, an out-of-memory kill): start it again, backing off. */
  private scheduleRestart(): void {
    if (this.restartTimer !== undefined) return;
    if (this.runningSince !== undefined && Date.now() - this.runningSince >= RESTART_RESET_MILLIS) this.restartDelay = RESTART_FIRST_MILLIS;
    this.runningSince = undefined;
    const delay = this.restartDelay;
    this.restartDelay = Math.min(this.restartDelay * 2, RESTART_MAX_MILLIS);
    this.deps.stderr(`shardline: the agent process ended unexpectedly; starting it again in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.quitting === undefined && this.agent.state.phase === 'failed') this.agent.start(this.desktopStartOptions());
    }, delay);
  }

  private refreshTray(): void {
    const view = trayModel(this.agent.state, this.openAtLogin, this.quitting !== undefined);
    this.view = view;
    const shown = JSON.stringify(view);
    if (this.tray === undefined || shown === this.shownView) return;
    this.shownView = shown;
    this.tray.setImage(this.iconPath(view.icon));
    this.tray.setToolTip(view.tooltip);
    this.tray.setContextMenu(view.menu.map((item) => this.bind(item)));
  }

  private bind(item: TrayMenuItem): MenuItemSpec {
    const { action, submenu, ...rest } = item;
    return {
      ...rest,
      ...(submenu === undefined ? {} : { submenu: submenu.map((child) => this.bind(child)) }),
      ...(action === undefined ? {} : { click: () => void this.run(action) }),
    };
  }

  private iconPath(icon: TrayView['icon']): string {
    return join(this.deps.paths.iconsDir, `tray-${icon}.png`);
  }

  private stopTimeout(): number {
    const state = this.agent.state;
    return (state.phase === 'running' ? state.shutdownTimeoutMillis : 10_000) + STOP_GRACE_MILLIS;
  }

  private desktopStartOptions(): Parameters<AgentProcess['start']>[0] {
    const { electron } = this.deps;
    return {
      config: this.args.config ?? join(electron.getPath('userData'), 'agent.json'), logLevel: this.args.logLevel, control: this.args.control ?? true,
      logFile: join(electron.getPath('logs'), 'shardline.log'), ...(this.args.dataDir === undefined ? {} : { dataDir: this.args.dataDir }),
    };
  }
}

/**
 * First run of the desktop app: a config with one paused example flow, so the agent starts and the
 * window opens on a flow to edit (an agent.json needs at least one flow, as the Java agent's).
 */
async function writeStarterConfig(path: string, home: string): Promise<void> {
  const starter = {
    flows: [{ filePattern: join(home, 'logs', '*.log'), kinesisStream: 'my-stream', paused: true }],
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(starter, null, 2)}\n`, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}
