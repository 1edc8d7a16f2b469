import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoginItemPlatformApi } from './ElectronFacade.js';

/** The flag the autostart entry passes: start in the tray without opening the window. */
export const HIDDEN_FLAG = '--hidden';

export interface LoginItemFs {
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  remove(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
}

const nodeFs: LoginItemFs = {
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text) => writeFile(path, text, { mode: 0o644 }),
  remove: (path) => rm(path, { force: true }),
  mkdir: async (path) => { await mkdir(path, { recursive: true }); },
};

/**
 * "Start at login". Linux has no login-item API in Electron: desktops follow the XDG Autostart
 * spec, a .desktop file in $XDG_CONFIG_HOME/autostart (default ~/.config/autostart). An AppImage's
 * executable lives in a mount that changes each run, so the entry points at the AppImage itself
 * ($APPIMAGE). macOS and Windows use Electron's login-item settings.
 */
export class LoginItem {
  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly api: LoginItemPlatformApi,
    private readonly env: NodeJS.ProcessEnv,
    private readonly home: string,
    private readonly execPath: string,
    private readonly fs: LoginItemFs = nodeFs,
  ) {}

  get desktopFile(): string {
    const configHome = this.env['XDG_CONFIG_HOME']?.startsWith('/') === true ? this.env['XDG_CONFIG_HOME'] : join(this.home, '.config');
    return join(configHome, 'autostart', 'shardline.desktop');
  }

  async enabled(): Promise<boolean> {
    if (this.platform !== 'linux') return this.api.get([HIDDEN_FLAG]);
    const text = await this.fs.readFile(this.desktopFile).catch(() => undefined);
    // A user can turn it off in the desktop's settings, which writes Hidden=true (or, with some GNOME
    // tools, X-GNOME-Autostart-enabled=false).
    return text !== undefined && !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  }

  async set(enabled: boolean): Promise<void> {
    if (this.platform !== 'linux') {
      this.api.set(enabled, [HIDDEN_FLAG]);
      return;
    }
    if (!enabled) {
      await this.fs.remove(this.desktopFile);
      return;
    }
    await this.fs.mkdir(join(this.desktopFile, '..'));
    await this.fs.writeFile(this.desktopFile, desktopEntry(this.env['APPIMAGE'] ?? this.execPath));
  }
}

/** A desktop entry (freedesktop Desktop Entry spec 1.5); Exec arguments quoted per the spec. */
export function desktopEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Shardline',
    'Comment=Ships log files to Amazon Kinesis',
    `Exec=${quoteExec(executable)} ${HIDDEN_FLAG}`,
    'Icon=shardline',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function quoteExec(path: string): string {
  // Field codes start with %: a literal one is written %% (spec: "The Exec key").
  const literal = path.replace(/%/g, '%%');
  // Reserved characters need the argument quoted; inside quotes ", `, $ and \ take a backslash,
  // and that backslash is itself escaped by the string-value rule applied first: \\" \\` \\$ \\\\.
  if (!/[\s"'\\><~|&;$*?#()`]/.test(literal)) return literal;
  return `"${literal.replace(/["`$\\]/g, (c) => `\\\\${c === '\\' ? '\\\\' : c}`)}"`;
}
