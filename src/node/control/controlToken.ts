import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The control API's bearer token, `<dataDir>/control.token` (mode 0600): created once with 256
 * random bits, kept across restarts so a bookmarked UI address keeps working. Whoever can read the
 * data dir can use the API — the same people who could edit the config.
 */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const file = join(dataDir, 'control.token');
  const existing = await readFile(file, 'utf8').then((text) => text.trim(), () => '');
  if (/^[A-Za-z0-9_-]{32,}$/.test(existing)) {
    await chmod(file, 0o600);
    return existing;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

/** Where the running daemon's UI is, for `shardline ui` (`<dataDir>/control.json`). */
export interface ControlEndpoint {
  url: string;
  pid: number;
}

export async function writeControlEndpoint(dataDir: string, endpoint: ControlEndpoint): Promise<void> {
  await writeFile(join(dataDir, 'control.json'), `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
}

export async function readControlEndpoint(dataDir: string): Promise<ControlEndpoint | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, 'control.json'), 'utf8')) as ControlEndpoint;
  } catch {
    return undefined;
  }
}
