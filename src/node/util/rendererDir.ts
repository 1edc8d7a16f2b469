import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built web UI the control server serves. In the npm package it is renderer/dist/ at the package
 * root (this file being dist/node/util/rendererDir.js). In the single-file bundle (scripts/bundle.mjs)
 * this code is inside dist-bundle/shardline.mjs and the UI is copied to renderer/ beside it, so that
 * is looked for first, relative to the running file.
 */
export function rendererDir(here: string = import.meta.url, exists: (path: string) => boolean = existsSync): string {
  const besideBundle = fileURLToPath(new URL('./renderer/', here));
  if (exists(join(besideBundle, 'index.html'))) return besideBundle;
  return fileURLToPath(new URL('../../../renderer/dist/', here));
}
