// The tray app's main-process entry, bundled to dist-electron/main.mjs (scripts/buildElectron.mjs).
// The only module that loads `electron` at run time; everything else takes the facade.
import * as electron from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElectronFacade } from './createElectronFacade.js';
import { ShardlineApp } from './ShardlineApp.js';

const here = dirname(fileURLToPath(import.meta.url));
const facade = createElectronFacade(electron);
// `electron .` passes the app path as the first argument; a packaged app does not.
const argv = process.argv.slice(electron.app.isPackaged ? 1 : 2);

ShardlineApp.start({
  electron: facade,
  argv,
  paths: {
    agentHost: join(here, 'agentHost.mjs'),
    preload: join(here, 'preload.cjs'),
    rendererDir: join(here, '..', 'renderer', 'dist'),
    iconsDir: join(here, '..', 'assets', 'icons'),
  },
  env: process.env,
  stderr: (line) => process.stderr.write(`${line}\n`),
  onSignal: (signal, handler) => { process.on(signal, handler); },
}).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`shardline: cannot start: ${message}\n`);
  if (!process.argv.includes('--headless')) facade.showErrorBox('Shardline cannot start', message);
  facade.exit(1);
});
