import { describe, expect, it } from 'vitest';
import { LogRing } from '../../../../src/node/util/LogRing.js';

describe('LogRing', () => {
  const line = (level: number, msg: string, flow?: string) => `${JSON.stringify({ level, time: '2026-01-01T00:00:00.000Z', msg, ...(flow === undefined ? {} : { flow }) })}\n`;

  it('keeps the newest events up to its capacity and filters by level and flow', () => {
    const ring = new LogRing(3);
    ring.write(line(30, 'one'));
    ring.write(line(40, 'two', 'f'));
    ring.write('not json');
    ring.write(line(50, 'three', 'g'));
    ring.write(line(30, 'four', 'f'));
    expect(ring.query({ limit: 10 }).map((e) => e.message)).toEqual(['two', 'three', 'four']);
    expect(ring.query({ level: 'warn', limit: 10 }).map((e) => e.message)).toEqual(['two', 'three']);
    expect(ring.query({ flow: 'f', limit: 10 }).map((e) => e.message)).toEqual(['two', 'four']);
    expect(ring.query({ limit: 1 }).map((e) => e.message)).toEqual(['four']);
    expect(ring.query({ level: 'error', limit: 10 })[0]).toEqual({ time: '2026-01-01T00:00:00.000Z', level: 'error', message: 'three', flow: 'g' });
  });
});
