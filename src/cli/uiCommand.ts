import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../node/config/loadConfig.js';
import { readControlEndpoint } from '../node/control/controlToken.js';
import { defaultDataDir } from '../node/util/defaultPaths.js';
import { EXIT_FAILURE, EXIT_OK } from './exitCodes.js';

/**
 * `shardline ui`: the running agent's web UI address with its token in the fragment (the fragment
 * never reaches a server or a proxy log; the page moves it to session storage). On a server, open it
 * through an SSH tunnel: `ssh -L 7387:127.0.0.1:7387 host`.
 */
export async function uiCommand(configPath: string, dataDirOption: string | undefined, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let dataDir = dataDirOption;
  if (dataDir === undefined) {
    const loaded = await loadConfig(resolve(configPath));
    dataDir = loaded.config?.dataDir ?? defaultDataDir();
  }
  const endpoint = await readControlEndpoint(dataDir);
  const token = await readFile(join(dataDir, 'control.token'), 'utf8').then((t) => t.trim(), () => undefined);
  if (endpoint === undefined || token === undefined) {
    err(`no running agent with a control API found in ${dataDir} (is it running, with this --data-dir? is the control API on?)`);
    return EXIT_FAILURE;
  }
  out(`${endpoint.url}#token=${token}`);
  return EXIT_OK;
}
