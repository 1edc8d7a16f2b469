import { readFileSync } from 'node:fs';

/** Set by scripts/bundle.mjs (esbuild `define`): the single-file bundle has no package.json beside it. */
declare const SHARDLINE_BUNDLE_VERSION: string | undefined;

/** The package version: the bundle's own, else read once from package.json (dist/node/version.js → ../../package.json). */
export const VERSION: string = typeof SHARDLINE_BUNDLE_VERSION === 'string'
  ? SHARDLINE_BUNDLE_VERSION
  : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
