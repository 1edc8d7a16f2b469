import { BASE64_SIMD_WASM } from './base64SimdModule.js';

/**
 * Base64 of request data, for encodePutRecordsBody: whole 3-byte groups of a source, at most
 * `maxSource` bytes per call, written into the request body.
 *
 * `Buffer#toString('base64')` makes a string of every stretch, and strings live in the agent's young
 * generation: in issue 8's KPL scenario they were 70% of what it allocated (400 MB of base64 per
 * 300 MB of lines), 284 scavenges per 300 MB, each waking V8's helper threads on a machine whose two
 * cores were already busy. The SIMD encoder encodes in memory it owns and copies the result into the
 * body, so a request body costs no garbage but a view per call (a call per stretch of up to 48 KiB,
 * never per record): 32 scavenges instead of 284, although it encodes more slowly than V8's own
 * (0.21 against 0.17 ms per MiB here, plus its two copies).
 */
export interface Base64Encoder {
  readonly kind: 'simd' | 'string';
  /** The most bytes one call takes (a multiple of 3). */
  readonly maxSource: number;
  /** Base64 of `source[from, to)` at `target[at]`: `to - from` a multiple of 3 and at most `maxSource`. */
  encode(source: Buffer, from: number, to: number, target: Buffer, at: number): void;
}

/** base64Simd.wat's memory: the alphabet, then the input area, then the output area. */
const SIMD_IN = 64;
const SIMD_MAX_SOURCE = 3 * 16 * 1024;
const SIMD_OUT = SIMD_IN + SIMD_MAX_SOURCE;

/**
 * The WebAssembly SIMD encoder (base64Simd.wat), or undefined where WebAssembly or its 128-bit SIMD is
 * unavailable (`node --jitless`, a CPU without SSE4.1): encodePutRecordsBody then uses V8's.
 */
export function simdBase64Encoder(): Base64Encoder | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  const bytes = Buffer.from(BASE64_SIMD_WASM, 'base64');
  let instance: WebAssembly.Instance;
  try {
    if (!WebAssembly.validate(bytes)) return undefined;
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  } catch {
    return undefined;
  }
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  const encode = instance.exports['encode'] as (src: number, len: number, dst: number) => number;
  // The memory never grows (its maximum is its size), so this view stays valid.
  const memoryBytes = Buffer.from(memory.buffer);
  return {
    kind: 'simd',
    maxSource: SIMD_MAX_SOURCE,
    encode(source, from, to, target, at) {
      source.copy(memoryBytes, SIMD_IN, from, to);
      memoryBytes.copy(target, at, SIMD_OUT, encode(SIMD_IN, to - from, SIMD_OUT));
    },
  };
}

/** V8's encoder (a string per call): where WebAssembly SIMD is not. */
export function stringBase64Encoder(maxSource = SIMD_MAX_SOURCE): Base64Encoder {
  return {
    kind: 'string',
    maxSource,
    encode(source, from, to, target, at) {
      target.write(source.toString('base64', from, to), at, 'latin1');
    },
  };
}

let defaultEncoder: Base64Encoder | undefined;

/** The encoder request bodies use: SIMD where it is available (made once per thread, on first use). */
export function defaultBase64Encoder(): Base64Encoder {
  return (defaultEncoder ??= simdBase64Encoder() ?? stringBase64Encoder());
}
