import { describe, expect, it } from 'vitest';
import { parseJavaFileId } from '../../../../src/core/checkpoint/parseJavaFileId.js';

describe('parseJavaFileId (Java UnixFileKey text → Shardline dev/ino)', () => {
  it.each([
    { fileId: '(dev=ca01,ino=409751)', expected: { dev: '51713', ino: '409751' } },
    { fileId: '(dev=803,ino=2)', expected: { dev: '2051', ino: '2' } },
    { fileId: '(dev=CA01,ino=409751)', expected: { dev: '51713', ino: '409751' } },
    { fileId: ' (dev=fe00,ino=12) ', expected: { dev: '65024', ino: '12' } },
    // Long.toHexString of a negative st_dev, and st_ino printed as a signed long: the unsigned values.
    { fileId: '(dev=ffffffffffffffff,ino=-1)', expected: { dev: '18446744073709551615', ino: '18446744073709551615' } },
    { fileId: '(dev=0,ino=9007199254740993)', expected: { dev: '0', ino: '9007199254740993' } },
  ])('$fileId', ({ fileId, expected }) => {
    expect(parseJavaFileId(fileId)).toEqual(expected);
  });

  it.each(['', 'null', '(dev=ca01)', '(ino=1,dev=ca01)', '(dev=xyz,ino=1)', '(dev=ca01,ino=1.5)', '(dev=1ffffffffffffffff,ino=1)', 'dev=ca01,ino=409751'])('rejects %j', (fileId) => {
    expect(parseJavaFileId(fileId)).toBeUndefined();
  });
});
