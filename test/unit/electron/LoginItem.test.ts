import { describe, expect, it } from 'vitest';
import { desktopEntry, HIDDEN_FLAG, LoginItem, type LoginItemFs } from '../../../src/electron/main/LoginItem.js';
import type { LoginItemPlatformApi } from '../../../src/electron/main/ElectronFacade.js';

/** A file system in a Map: files by path, directories made, every operation in order. */
class MemoryFs implements LoginItemFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  readonly ops: string[] = [];
  async readFile(path: string): Promise<string> {
    this.ops.push(`read ${path}`);
    const text = this.files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  }
  async writeFile(path: string, text: string): Promise<void> {
    this.ops.push(`write ${path}`);
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!this.dirs.has(dir)) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
    this.files.set(path, text);
  }
  async remove(path: string): Promise<void> {
    this.ops.push(`remove ${path}`);
    this.files.delete(path);
  }
  async mkdir(path: string): Promise<void> {
    this.ops.push(`mkdir ${path}`);
    this.dirs.add(path);
  }
}

/** The platform login-item API, recording what it is told. */
class RecordingApi implements LoginItemPlatformApi {
  open = false;
  readonly sets: { open: boolean; args: string[] }[] = [];
  get(): boolean { return this.open; }
  set(open: boolean, args: string[]): void {
    this.sets.push({ open, args });
    this.open = open;
  }
}

const HOME = '/home/ada';
const EXEC = '/opt/Shardline/shardline';

function linux(env: NodeJS.ProcessEnv, execPath = EXEC) {
  const fs = new MemoryFs();
  const api = new RecordingApi();
  return { fs, api, item: new LoginItem('linux', api, env, HOME, execPath, fs) };
}

const execLine = (text: string): string | undefined => text.split('\n').find((line) => line.startsWith('Exec='));

describe('LoginItem on Linux (XDG autostart)', () => {
  it.each([
    { name: 'XDG_CONFIG_HOME absolute', env: { XDG_CONFIG_HOME: '/srv/cfg' }, file: '/srv/cfg/autostart/shardline.desktop' },
    { name: 'XDG_CONFIG_HOME absolute with a trailing slash', env: { XDG_CONFIG_HOME: '/srv/cfg/' }, file: '/srv/cfg/autostart/shardline.desktop' },
    { name: 'XDG_CONFIG_HOME relative (ignored, as the spec says)', env: { XDG_CONFIG_HOME: 'cfg' }, file: '/home/ada/.config/autostart/shardline.desktop' },
    { name: 'XDG_CONFIG_HOME relative with ./ (ignored)', env: { XDG_CONFIG_HOME: './cfg' }, file: '/home/ada/.config/autostart/shardline.desktop' },
    { name: 'XDG_CONFIG_HOME empty', env: { XDG_CONFIG_HOME: '' }, file: '/home/ada/.config/autostart/shardline.desktop' },
    { name: 'XDG_CONFIG_HOME unset', env: {}, file: '/home/ada/.config/autostart/shardline.desktop' },
  ])('desktop file with $name: $file', async ({ env, file }) => {
    const { fs, item } = linux(env);
    expect(item.desktopFile).toBe(file);
    await item.set(true);
    expect([...fs.files.keys()]).toEqual([file]);
    expect(fs.dirs.has(file.slice(0, file.lastIndexOf('/')))).toBe(true);
    expect(await item.enabled()).toBe(true);
  });

  it.each([
    { name: 'the executable', env: {}, exec: `Exec=${EXEC} --hidden` },
    { name: '$APPIMAGE over the executable (its mount changes each run)', env: { APPIMAGE: '/home/ada/Apps/Shardline-0.1.0.AppImage' }, exec: 'Exec=/home/ada/Apps/Shardline-0.1.0.AppImage --hidden' },
  ])('points at $name', async ({ env, exec }) => {
    const { fs, item } = linux({ XDG_CONFIG_HOME: '/cfg', ...env });
    await item.set(true);
    expect(execLine(fs.files.get('/cfg/autostart/shardline.desktop')!)).toBe(exec);
  });

  it('writes a complete desktop entry', async () => {
    const { fs, item } = linux({ XDG_CONFIG_HOME: '/cfg' });
    await item.set(true);
    expect(fs.files.get('/cfg/autostart/shardline.desktop')).toBe([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.5',
      'Name=Shardline',
      'Comment=Ships log files to Amazon Kinesis',
      'Exec=/opt/Shardline/shardline --hidden',
      'Icon=shardline',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'));
    expect(fs.ops).toEqual(['mkdir /cfg/autostart', 'write /cfg/autostart/shardline.desktop']);
  });

  // Desktop Entry spec, "The Exec key": an argument with a reserved character is quoted in double
  // quotes, and inside them ", `, $ and \ are escaped with a backslash.
  it.each([
    { name: 'a plain path (unquoted)', path: '/opt/Shardline/shardline', exec: 'Exec=/opt/Shardline/shardline --hidden' },
    { name: 'a space', path: '/opt/My Apps/Shardline.AppImage', exec: 'Exec="/opt/My Apps/Shardline.AppImage" --hidden' },
    { name: 'a tab', path: '/opt/My\tApps/shardline', exec: 'Exec="/opt/My\tApps/shardline" --hidden' },
    { name: 'a single quote (quoted, not escaped)', path: "/home/o'brien/Shardline.AppImage", exec: `Exec="/home/o'brien/Shardline.AppImage" --hidden` },
    { name: 'a double quote', path: '/home/ada/"quoted"/Shardline.AppImage', exec: 'Exec="/home/ada/\\\\"quoted\\\\"/Shardline.AppImage" --hidden' },
    { name: 'a space and a double quote', path: '/home/ada/my "apps"/shardline', exec: 'Exec="/home/ada/my \\\\"apps\\\\"/shardline" --hidden' },
    { name: 'a dollar sign', path: '/home/ada/$HOME/Shardline.AppImage', exec: 'Exec="/home/ada/\\\\$HOME/Shardline.AppImage" --hidden' },
    { name: 'a backtick', path: '/home/ada/`id`/Shardline.AppImage', exec: 'Exec="/home/ada/\\\\`id\\\\`/Shardline.AppImage" --hidden' },
  ])('Exec quoting: $name', async ({ path, exec }) => {
    const { fs, item } = linux({ XDG_CONFIG_HOME: '/cfg', APPIMAGE: path });
    await item.set(true);
    expect(execLine(fs.files.get('/cfg/autostart/shardline.desktop')!)).toBe(exec);
    expect(execLine(desktopEntry(path))).toBe(exec);
  });

  it.each([
    { name: 'no file', file: undefined, enabled: false },
    { name: 'our entry', file: desktopEntry(EXEC), enabled: true },
    { name: 'Hidden=true (turned off in the desktop settings)', file: `${desktopEntry(EXEC)}Hidden=true\n`, enabled: false },
    { name: 'Hidden = true with spaces', file: `${desktopEntry(EXEC)}Hidden = true\n`, enabled: false },
    { name: 'Hidden=true with CRLF line ends', file: `${desktopEntry(EXEC).replace(/\n/g, '\r\n')}Hidden=true\r\n`, enabled: false },
    { name: 'Hidden=true as the last line without a newline', file: `${desktopEntry(EXEC)}Hidden=true`, enabled: false },
    { name: 'Hidden=false', file: `${desktopEntry(EXEC)}Hidden=false\n`, enabled: true },
    { name: 'Hidden=truly (not the boolean true)', file: `${desktopEntry(EXEC)}Hidden=truly\n`, enabled: true },
    { name: 'X-Hidden=true (another key)', file: `${desktopEntry(EXEC)}X-Hidden=true\n`, enabled: true },
    { name: 'a comment mentioning Hidden=true', file: `${desktopEntry(EXEC)}# Hidden=true\n`, enabled: true },
  ])('enabled() with $name: $enabled', async ({ file, enabled }) => {
    const { fs, item } = linux({ XDG_CONFIG_HOME: '/cfg' });
    if (file !== undefined) fs.files.set('/cfg/autostart/shardline.desktop', file);
    expect(await item.enabled()).toBe(enabled);
  });

  it('set(true) over a Hidden=true entry writes a fresh one that is enabled again', async () => {
    const { fs, item } = linux({ XDG_CONFIG_HOME: '/cfg' });
    fs.dirs.add('/cfg/autostart');
    fs.files.set('/cfg/autostart/shardline.desktop', `${desktopEntry('/old/path')}Hidden=true\n`);
    expect(await item.enabled()).toBe(false);
    await item.set(true);
    expect(await item.enabled()).toBe(true);
    expect(fs.files.get('/cfg/autostart/shardline.desktop')).toBe(desktopEntry(EXEC));
  });

  it('set(false) removes the file (and only it); removing a missing file is fine', async () => {
    const { fs, api, item } = linux({ XDG_CONFIG_HOME: '/cfg' });
    fs.files.set('/cfg/autostart/other.desktop', '[Desktop Entry]\n');
    await item.set(true);
    expect(await item.enabled()).toBe(true);
    await item.set(false);
    expect(await item.enabled()).toBe(false);
    expect([...fs.files.keys()]).toEqual(['/cfg/autostart/other.desktop']);
    await item.set(false);
    expect(fs.ops.filter((op) => op.startsWith('remove'))).toEqual(['remove /cfg/autostart/shardline.desktop', 'remove /cfg/autostart/shardline.desktop']);
    expect(api.sets).toEqual([]);
  });

  it('never asks the platform login-item API on Linux', async () => {
    const { api, item } = linux({ XDG_CONFIG_HOME: '/cfg' });
    api.open = true;
    expect(await item.enabled()).toBe(false);
    await item.set(true);
    await item.set(false);
    expect(api.sets).toEqual([]);
  });
});

describe.each(['darwin', 'win32'] as const)('LoginItem on %s (Electron login-item settings)', (platform) => {
  function make() {
    const fs = new MemoryFs();
    const api = new RecordingApi();
    return { fs, api, item: new LoginItem(platform, api, { XDG_CONFIG_HOME: '/cfg', APPIMAGE: '/x.AppImage' }, HOME, '/Applications/Shardline.app/Contents/MacOS/Shardline', fs) };
  }

  it.each([true, false])('set(%s) delegates with the --hidden argument', async (enabled) => {
    const { fs, api, item } = make();
    await item.set(enabled);
    expect(api.sets).toEqual([{ open: enabled, args: [HIDDEN_FLAG] }]);
    expect(HIDDEN_FLAG).toBe('--hidden');
    expect(fs.ops).toEqual([]);
  });

  it.each([true, false])('enabled() answers what the platform says (%s)', async (open) => {
    const { fs, api, item } = make();
    fs.files.set('/cfg/autostart/shardline.desktop', desktopEntry('/x'));
    api.open = open;
    expect(await item.enabled()).toBe(open);
    expect(fs.ops).toEqual([]);
  });

  it('a toggle round-trips through the platform', async () => {
    const { api, item } = make();
    await item.set(!(await item.enabled()));
    expect(await item.enabled()).toBe(true);
    await item.set(!(await item.enabled()));
    expect(await item.enabled()).toBe(false);
    expect(api.sets.map((s) => s.open)).toEqual([true, false]);
  });
});
