import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5InThreadPool } from '../../../../src/node/util/md5InThreadPool.js';

// The KPL trailer's MD5 taken off the agent's thread (crypto.sign in libuv's pool, the digest read
// back out of the PKCS#1 v1.5 signature): it must be createHash('md5')'s, byte for byte, for any input.
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

describe('md5InThreadPool', () => {
  const digest = md5InThreadPool();

  it('is available with this Node and OpenSSL (else the agent hashes on its own thread)', () => {
    expect(digest).toBeTypeOf('function');
    // Made once per process: every KPL flow shares one key.
    expect(md5InThreadPool()).toBe(digest);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(0)],
    ['55 bytes (the MD5 padding boundary)', new Uint8Array(55).fill(0x61)],
    ['64 bytes (one block)', new Uint8Array(64).fill(0xff)],
    ['a view into a larger buffer', new Uint8Array(randomBytes(4096).buffer, 1000, 2000)],
    ['1 MiB of random bytes (a full aggregate)', new Uint8Array(randomBytes(1024 * 1024))],
    ['10 MiB (the largest Kinesis record)', new Uint8Array(10 * 1024 * 1024).fill(7)],
  ])('%s: the MD5 createHash gives', async (_name, data) => {
    expect(Buffer.from(await digest!(data)).toString('hex')).toBe(md5(data));
  });

  it('200 digests at once, each its own input\'s, in whatever order the pool finishes them', async () => {
    const inputs = Array.from({ length: 200 }, (_, i) => randomBytes(1 + i * 997));
    const digests = await Promise.all(inputs.map((input) => digest!(input)));
    expect(digests.map((d) => Buffer.from(d).toString('hex'))).toEqual(inputs.map(md5));
  });

  it('hashes the bytes as they were when called: the caller may reuse its buffer at once', async () => {
    const data = randomBytes(256 * 1024);
    const before = md5(data);
    const pending = digest!(data);
    data.fill(0);
    expect(Buffer.from(await pending).toString('hex')).toBe(before);
  });
});
