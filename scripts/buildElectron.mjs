#!/usr/bin/env node
// Builds the tray app's code into dist-electron/ with esbuild:
// - main.mjs: the main process (ESM; npm packages stay external and load from the app's node_modules);
// - agentHost.mjs: the agent process (Electron utilityProcess), the same core as `shardline run`;
// - preload.cjs: the window's preload. A sandboxed preload can require only `electron` and a few
//   built-ins, so it is one CommonJS file with zod and the shared schemas inside.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist-electron';
rmSync(outdir, { recursive: true, force: true });
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };
await Promise.all([
  build({ ...common, entryPoints: { main: 'src/electron/main/main.ts', agentHost: 'src/node/host/agentHostMain.ts' }, outdir, format: 'esm', platform: 'node', target: 'node22', packages: 'external', outExtension: { '.js': '.mjs' } }),
  build({ ...common, minify: true, entryPoints: { preload: 'src/electron/preload/preload.ts' }, outdir, format: 'cjs', platform: 'browser', target: 'chrome130', external: ['electron'], outExtension: { '.js': '.cjs' } }),
]);
process.stdout.write(`built ${outdir}/main.mjs, agentHost.mjs, preload.cjs\n`);
