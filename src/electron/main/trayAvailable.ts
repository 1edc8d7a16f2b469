import { execFile } from 'node:child_process';

export type RunCommand = (file: string, args: string[]) => Promise<string>;

const run: RunCommand = (file, args) => new Promise((resolve, reject) => {
  execFile(file, args, { timeout: 2000 }, (error, stdout) => (error === null ? resolve(stdout) : reject(error)));
});

/**
 * Whether the desktop shows tray icons. Windows and macOS always do. On Linux Electron uses the
 * StatusNotifierItem protocol, which needs a StatusNotifierWatcher on the session bus: KDE, XFCE,
 * Cinnamon and others have one; stock GNOME does not (only with the AppIndicator extension), and
 * there a tray icon would be invisible, so the app opens its window instead. Asked over D-Bus with
 * gdbus or dbus-send; when neither can answer, GNOME without the extension is assumed to have none.
 */
export async function trayAvailable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, runCommand: RunCommand = run): Promise<boolean> {
  if (platform !== 'linux') return true;
  const asked = await askWatcher(runCommand);
  if (asked !== undefined) return asked;
  const desktop = (env['XDG_CURRENT_DESKTOP'] ?? '').toLowerCase();
  return !desktop.split(':').includes('gnome');
}

async function askWatcher(runCommand: RunCommand): Promise<boolean | undefined> {
  const gdbus = await runCommand('gdbus', ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', 'org.kde.StatusNotifierWatcher']).catch(() => undefined);
  if (gdbus !== undefined) return /\btrue\b/.test(gdbus);
  const dbusSend = await runCommand('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.kde.StatusNotifierWatcher']).catch(() => undefined);
  if (dbusSend !== undefined) return /boolean true/.test(dbusSend);
  return undefined;
}
