#!/usr/bin/env node
// `npm run build:wasm`: compiles src/node/sink/base64Simd.wat with wabt into base64SimdModule.ts (the
// module's bytes as base64, so that tsc, the single-file bundle and the Electron package carry it
// without an asset to find at run time). `--check`: exits 1 when the committed module differs from
// what the .wat compiles to (test/unit/node/sink/base64Simd.test.ts runs the same comparison).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileWasmModuleSource } from './wasmModuleSource.mjs';

const wat = fileURLToPath(new URL('../src/node/sink/base64Simd.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/node/sink/base64SimdModule.ts', import.meta.url));
const source = await compileWasmModuleSource(wat, 'BASE64_SIMD_WASM');
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== source) {
    process.stderr.write(`${out} is not what ${wat} compiles to: run npm run build:wasm\n`);
    process.exit(1);
  }
} else {
  writeFileSync(out, source);
}
