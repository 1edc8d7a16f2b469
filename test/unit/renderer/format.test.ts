import { describe, expect, it } from 'vitest';
import { formatBytes, formatIecBytes } from '../../../renderer/src/format/formatBytes.js';
import { formatCount, formatRate } from '../../../renderer/src/format/formatCount.js';
import { formatAgo, formatDuration } from '../../../renderer/src/format/formatDuration.js';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [0.04, '<0.1'],
    [0.35, '0.3'],
    [1, '1'],
    [9.96, '10'],
    [12.4, '12'],
    [999, '999'],
    [999.6, '1k'],
    [1000, '1k'],
    [1234, '1.2k'],
    [12_345, '12k'],
    [123_456, '123k'],
    [999_999, '1M'],
    [5_600_000, '5.6M'],
    [2_300_000_000, '2.3G'],
    [-1500, '-1.5k'],
    [Number.NaN, '–'],
  ])('%d → %s', (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it('formats rates with their unit', () => {
    expect(formatRate(1234, 'lines')).toBe('1.2k lines/s');
    expect(formatRate(0, 'records')).toBe('0 records/s');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [1234, '1.2 kB'],
    [281_000, '281 kB'],
    [999_999, '1 MB'],
    [34_000_000, '34 MB'],
    [34_567_890, '35 MB'],
    [1.5e9, '1.5 GB'],
    [-2048, '-2 kB'],
  ])('%d → %s', (value, text) => {
    expect(formatBytes(value)).toBe(text);
  });

  it.each([
    [500, '500 bytes'],
    [1024, '1 KiB'],
    [1_024_000, '1000 KiB'],
    [1_500_000, '1.43 MiB'],
    [5_242_880, '5 MiB'],
    [33_554_432, '32 MiB'],
    [10 * 1024 ** 3, '10 GiB'],
  ])('IEC %d → %s', (value, text) => {
    expect(formatIecBytes(value)).toBe(text);
  });
});

describe('formatDuration and formatAgo', () => {
  it.each([
    [100, '100 ms'],
    [1000, '1 s'],
    [1500, '1.5 s'],
    [60_000, '1 min'],
    [900_000, '15 min'],
    [3_600_000, '1 h'],
    [5_400_000, '1.5 h'],
    [86_400_000, '1 d'],
  ])('duration %d → %s', (millis, text) => {
    expect(formatDuration(millis)).toBe(text);
  });

  it.each([
    [0, 'just now'],
    [999, 'just now'],
    [3000, '3 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [125_000, '2 min ago'],
    [3 * 3_600_000 + 5, '3 h ago'],
    [2 * 86_400_000, '2 d ago'],
  ])('ago %d → %s', (millis, text) => {
    expect(formatAgo(millis)).toBe(text);
  });
});
