import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The config file when none is given: Shardline's own, else the Java agent's (DESIGN §2). */
export function defaultConfigPath(exists: (path: string) => boolean = existsSync): string {
  const own = '/etc/shardline/agent.json';
  const java = '/etc/aws-kinesis/agent.json';
  return !exists(own) && exists(java) ? java : own;
}

/** The data dir when neither `--data-dir` nor `dataDir` says (DESIGN §2): never tmpfs. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, isRoot = process.getuid?.() === 0, home = homedir()): string {
  if (platform === 'win32') return join(absolute(env['LOCALAPPDATA'], platform) ?? join(home, 'AppData', 'Local'), 'Shardline');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Shardline');
  if (isRoot) return '/var/lib/shardline';
  // XDG Base Directory spec: an empty or relative $XDG_STATE_HOME is ignored.
  return join(absolute(env['XDG_STATE_HOME'], platform) ?? join(home, '.local', 'state'), 'shardline');
}

function absolute(path: string | undefined, platform: NodeJS.Platform): string | undefined {
  if (path === undefined || path === '') return undefined;
  const isAbsolute = platform === 'win32' ? /^([a-z]:[\\/]|\\\\)/i.test(path) : path.startsWith('/');
  return isAbsolute ? path : undefined;
}

/** Paths on memory-backed filesystems, where checkpoints would vanish at reboot (Java agent #129). */
export function isVolatilePath(path: string): boolean {
  return /^\/(run|var\/run|dev\/shm)(\/|$)/.test(path);
}
