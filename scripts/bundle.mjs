#!/usr/bin/env node
// `npm run bundle [-- --outdir DIR]`: the daemon as one ESM file, dist-bundle/shardline.mjs, with every
// dependency inside, plus the web UI in dist-bundle/renderer/ (and sql.js's sql-wasm.wasm when it is
// used). Copy the directory to a server with Node >= 20.19 and run `node shardline.mjs run -c FILE`:
// no npm, no node_modules, no Electron. Built from src/ directly (esbuild strips the types); the web UI
// must have been built (npm ci does it, or npm run build:renderer).
import { build } from 'esbuild';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { copyFile, cp, mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_FILE = 'shardline.mjs';

// The AWS SDK and others are CommonJS: their require() calls need a require in an ESM file, and
// emscripten's sql.js looks for its .wasm in __dirname, which must then be the bundle's directory
// (see `define` below; import.meta.dirname exists from Node 20.11).
const BANNER = [
  "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  'const __shardline_dirname=import.meta.dirname,__shardline_filename=import.meta.filename;',
].join('');

/**
 * Never inside: kinesalite is the demo's dev dependency (the bundle's `demo` says it needs the npm
 * package), electron belongs to the tray app. A path into either fails the build.
 */
const EXTERNAL = ['kinesalite', 'electron'];
const FORBIDDEN_INPUT = /(^|\/)(src\/electron|node_modules\/electron)\//;

/**
 * Builds the bundle into `outdir` (emptied first). `entryPoint` is for tests of the build itself.
 * Returns what was written.
 */
export async function bundle({ outdir = join(ROOT, 'dist-bundle'), entryPoint = join(ROOT, 'src/cli/bundleEntry.ts') } = {}) {
  const rendererDist = join(ROOT, 'renderer', 'dist');
  if (!existsSync(join(rendererDist, 'index.html'))) throw new Error(`${rendererDist} is missing: build the web UI first (npm run build:renderer)`);
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const outfile = join(outdir, BUNDLE_FILE);
  const result = await build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    banner: { js: BANNER },
    define: {
      __dirname: '__shardline_dirname',
      __filename: '__shardline_filename',
      // src/node/version.ts: there is no package.json beside the bundle to read it from.
      SHARDLINE_BUNDLE_VERSION: JSON.stringify(version),
    },
    external: EXTERNAL,
    // jsonc-parser's `main` is a UMD wrapper whose require() calls esbuild cannot follow; its ESM
    // build (`module`) is the same code.
    alias: { 'jsonc-parser': join(ROOT, 'node_modules', 'jsonc-parser', 'lib', 'esm', 'main.js') },
    // Licence notices of the bundled packages stay with the code they belong to, in the one file.
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((input) => FORBIDDEN_INPUT.test(input));
  if (forbidden.length > 0) throw new Error(`the bundle must not contain the tray app or Electron: ${forbidden.join(', ')}`);
  await cp(rendererDist, join(outdir, 'renderer'), { recursive: true });
  const written = [outfile, join(outdir, 'renderer')];
  // sql.js (the Java checkpoint import) loads its WebAssembly from __dirname, i.e. beside the bundle.
  if (inputs.some((input) => input.includes('node_modules/sql.js/'))) {
    const wasm = join(outdir, 'sql-wasm.wasm');
    await copyFile(join(ROOT, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), wasm);
    written.push(wasm);
  }
  return { outfile, written, version };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  try {
    const { written, version } = await bundle(values.outdir === undefined ? {} : { outdir: values.outdir });
    process.stdout.write(`Shardline ${version}, single-file bundle:\n${written.map((path) => `  ${relative(process.cwd(), path) || path}`).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
