import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipRecord } from '../../../../src/node/agent/gzipRecord.js';

const apache = (i: number) => `192.168.${i % 256}.${(i * 7) % 256} - - [04/Dec/2026:05:${String(i % 60).padStart(2, '0')}:00 +0000] "GET /item/${i} HTTP/1.1" 200 ${i * 13} "-" "Mozilla/5.0"\n`;

// Sized-to-the-record zlib settings must give the very bytes of zlib's defaults (and inflate back).
describe('gzipRecord', () => {
  const cases: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from('x')],
    ['an Apache line', Buffer.from(apache(1))],
    ['100 Apache lines (14 KB)', Buffer.from(Array.from({ length: 100 }, (_, i) => apache(i)).join(''))],
    ['repetitive 3 KB', Buffer.from('abc'.repeat(1000))],
    ['random 200 B (incompressible)', randomBytes(200)],
    ['random 20 KB (more than one chunk)', randomBytes(20_000)],
    ['600 KB of lines', Buffer.from(Array.from({ length: 4000 }, (_, i) => apache(i * 31)).join(''))],
  ];
  it.each(cases)('%s: same bytes as gzip with default settings, inflates to the record', (_name, data) => {
    const out = gzipRecord(data);
    expect(Buffer.from(out).equals(gzipSync(data))).toBe(true);
    expect(gunzipSync(out).equals(data)).toBe(true);
  });

  it('returns a buffer about the size of its output, not a view of a 16 KiB chunk', () => {
    const out = gzipRecord(Buffer.from(apache(7)));
    expect(out.buffer.byteLength).toBeLessThanOrEqual(8192); // Node's pool slab at most
    expect(out.length).toBeLessThan(200);
  });
});
