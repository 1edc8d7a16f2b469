import { describe, expect, it } from 'vitest';
import { trayAvailable, type RunCommand } from '../../../src/electron/main/trayAvailable.js';

type Answer = string | Error;

/** A command runner answering per program; a missing program fails as execFile does (ENOENT). */
function runner(answers: { gdbus?: Answer; 'dbus-send'?: Answer }): { run: RunCommand; calls: { file: string; args: string[] }[] } {
  const calls: { file: string; args: string[] }[] = [];
  const run: RunCommand = async (file, args) => {
    calls.push({ file, args });
    const answer = answers[file as keyof typeof answers];
    if (answer === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { run, calls };
}

const DBUS_SEND_REPLY = (value: boolean) => `method return time=1732262400.123456 sender=org.freedesktop.DBus -> destination=:1.99 serial=3 reply_serial=2\n   boolean ${value}\n`;
const noSessionBus = () => Object.assign(new Error('Command failed: gdbus call --session ...\nError: Cannot autolaunch D-Bus without X11 $DISPLAY'), { code: 1 });

describe('trayAvailable', () => {
  it.each([
    { name: 'gdbus: (true,)', answers: { gdbus: '(true,)\n' }, env: { XDG_CURRENT_DESKTOP: 'GNOME' }, tray: true, asked: ['gdbus'] },
    { name: 'gdbus: (false,)', answers: { gdbus: '(false,)\n' }, env: { XDG_CURRENT_DESKTOP: 'KDE' }, tray: false, asked: ['gdbus'] },
    { name: 'gdbus: (true,) without a newline', answers: { gdbus: '(true,)' }, env: {}, tray: true, asked: ['gdbus'] },
    { name: 'gdbus missing, dbus-send: boolean true', answers: { 'dbus-send': DBUS_SEND_REPLY(true) }, env: { XDG_CURRENT_DESKTOP: 'GNOME' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'gdbus missing, dbus-send: boolean false', answers: { 'dbus-send': DBUS_SEND_REPLY(false) }, env: { XDG_CURRENT_DESKTOP: 'KDE' }, tray: false, asked: ['gdbus', 'dbus-send'] },
    { name: 'gdbus fails (no session bus), dbus-send: boolean true', answers: { gdbus: noSessionBus(), 'dbus-send': DBUS_SEND_REPLY(true) }, env: {}, tray: true, asked: ['gdbus', 'dbus-send'] },
    // Neither can answer: only GNOME (no StatusNotifierWatcher without an extension) has none.
    { name: 'both missing, GNOME', answers: {}, env: { XDG_CURRENT_DESKTOP: 'GNOME' }, tray: false, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, ubuntu:GNOME', answers: {}, env: { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, tray: false, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, GNOME-Classic:GNOME', answers: {}, env: { XDG_CURRENT_DESKTOP: 'GNOME-Classic:GNOME' }, tray: false, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, gnome (lower case)', answers: {}, env: { XDG_CURRENT_DESKTOP: 'gnome' }, tray: false, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, KDE', answers: {}, env: { XDG_CURRENT_DESKTOP: 'KDE' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, X-Cinnamon', answers: {}, env: { XDG_CURRENT_DESKTOP: 'X-Cinnamon' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, XFCE', answers: {}, env: { XDG_CURRENT_DESKTOP: 'XFCE' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, GNOMEish (a name containing GNOME is not GNOME)', answers: {}, env: { XDG_CURRENT_DESKTOP: 'GNOMEish' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, empty', answers: {}, env: { XDG_CURRENT_DESKTOP: '' }, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both missing, unset', answers: {}, env: {}, tray: true, asked: ['gdbus', 'dbus-send'] },
    { name: 'both fail, GNOME', answers: { gdbus: noSessionBus(), 'dbus-send': new Error('Failed to open connection to "session" message bus') }, env: { XDG_CURRENT_DESKTOP: 'GNOME' }, tray: false, asked: ['gdbus', 'dbus-send'] },
  ])('linux, $name → $tray', async ({ answers, env, tray, asked }) => {
    const { run, calls } = runner(answers);
    expect(await trayAvailable('linux', env, run)).toBe(tray);
    expect(calls.map((c) => c.file)).toEqual(asked);
  });

  it('asks the session bus whether org.kde.StatusNotifierWatcher has an owner', async () => {
    const { run, calls } = runner({});
    await trayAvailable('linux', {}, run);
    expect(calls[0]).toEqual({
      file: 'gdbus',
      args: ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', 'org.kde.StatusNotifierWatcher'],
    });
    expect(calls[1]).toEqual({
      file: 'dbus-send',
      args: ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.kde.StatusNotifierWatcher'],
    });
  });

  it('the D-Bus answer wins over the desktop name (GNOME with the AppIndicator extension; KDE without a watcher)', async () => {
    expect(await trayAvailable('linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, runner({ gdbus: '(true,)' }).run)).toBe(true);
    expect(await trayAvailable('linux', { XDG_CURRENT_DESKTOP: 'KDE' }, runner({ 'dbus-send': DBUS_SEND_REPLY(false) }).run)).toBe(false);
  });

  it.each(['darwin', 'win32', 'freebsd'] as const)('%s: always true, nothing run', async (platform) => {
    const { run, calls } = runner({ gdbus: '(false,)' });
    expect(await trayAvailable(platform, { XDG_CURRENT_DESKTOP: 'GNOME' }, run)).toBe(true);
    expect(calls).toEqual([]);
  });
});
