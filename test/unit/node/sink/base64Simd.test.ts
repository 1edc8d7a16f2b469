import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Base64Encoder, defaultBase64Encoder, simdBase64Encoder, stringBase64Encoder } from '../../../../src/node/sink/base64Encoder.js';
import { BASE64_SIMD_WASM } from '../../../../src/node/sink/base64SimdModule.js';
// @ts-expect-error: a plain .mjs build script, without types
import { compileWasmModuleSource } from '../../../../scripts/wasmModuleSource.mjs';

const wat = fileURLToPath(new URL('../../../../src/node/sink/base64Simd.wat', import.meta.url));
const moduleFile = fileURLToPath(new URL('../../../../src/node/sink/base64SimdModule.ts', import.meta.url));

/** The base64 `encoder` writes for `source[from, to)`, into a target between two guard bytes that must stay. */
function encoded(encoder: Base64Encoder, source: Buffer, from: number, to: number): string {
  const length = ((to - from) / 3) * 4;
  const target = Buffer.alloc(length + 10, 0x7e);
  encoder.encode(source, from, to, target, 5);
  expect([...target.subarray(0, 5), ...target.subarray(5 + length)]).toEqual(Array(10).fill(0x7e));
  return target.toString('latin1', 5, 5 + length);
}

describe('base64Simd.wat', () => {
  it('is what base64SimdModule.ts carries (npm run build:wasm), and build:wasm --check says so', async () => {
    const source = (await compileWasmModuleSource(wat, 'BASE64_SIMD_WASM')) as string;
    expect(readFileSync(moduleFile, 'utf8')).toBe(source);
    expect(() => execFileSync(process.execPath, [fileURLToPath(new URL('../../../../scripts/buildWasm.mjs', import.meta.url)), '--check'], { stdio: 'pipe' })).not.toThrow();
    expect(WebAssembly.validate(Buffer.from(BASE64_SIMD_WASM, 'base64'))).toBe(true);
  });

  it('is the encoder request bodies use here (Node 20 on x64 and arm64 has WebAssembly SIMD)', () => {
    const simd = simdBase64Encoder();
    expect(simd).toBeDefined();
    const source = Buffer.from('the default encoder is the SIMD one');
    const target = Buffer.alloc(48);
    defaultBase64Encoder().encode(source, 0, 33, target, 0);
    expect(target.toString('latin1', 0, 44)).toBe(source.toString('base64', 0, 33));
    expect(defaultBase64Encoder()).toBe(defaultBase64Encoder());
    expect(defaultBase64Encoder().kind).toBe('simd');
  });
});

describe.each([
  ['SIMD', simdBase64Encoder()!],
  ['string', stringBase64Encoder()],
])('the %s base64 encoder', (_name, encoder) => {
  // Every length from 0 to 4 SIMD turns and past (48 bytes a turn, 12 a group, 3 in the tail), at
  // source offsets that are not aligned, and the largest call.
  const lengths = [...Array.from({ length: 80 }, (_, i) => 3 * i), 3 * 1000, encoder.maxSource];
  it.each(lengths.map((length) => [length]))('%i bytes: what Buffer#toString(base64) writes', (length) => {
    const source = Buffer.from(Array.from({ length: length + 7 }, (_, i) => (i * 167 + 13) & 0xff));
    for (const from of [0, 1, 2, 7]) {
      if (from + length > source.length) continue;
      expect(encoded(encoder, source, from, from + length)).toBe(source.toString('base64', from, from + length));
    }
  });

  it('every byte value in every place of a 12-byte group (each 6-bit index in each lane and range)', () => {
    for (let place = 0; place < 48; place++) {
      for (let value = 0; value < 256; value++) {
        const source = Buffer.alloc(60, 0x5a);
        source[place] = value;
        expect(encoded(encoder, source, 0, 60)).toBe(source.toString('base64'));
      }
    }
  });

  it('random bytes in random stretches', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const source = Buffer.from(Array.from({ length: 3 * encoder.maxSource }, () => Math.floor(random() * 256)));
    for (let round = 0; round < 200; round++) {
      const from = Math.floor(random() * encoder.maxSource);
      const to = from + 3 * Math.floor((random() * encoder.maxSource) / 3);
      expect(encoded(encoder, source, from, to)).toBe(source.toString('base64', from, to));
    }
  });
});
