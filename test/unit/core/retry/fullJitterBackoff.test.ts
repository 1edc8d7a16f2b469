import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../../../../src/core/retry/fullJitterBackoff.js';

describe('fullJitterBackoff', () => {
  it.each([
    [0, 1, 100],
    [1, 1, 200],
    [3, 1, 800],
    [7, 1, 10_000],
    [200, 1, 10_000],
    [3, 0.5, 400],
    [3, 0, 0],
  ])('attempt %i, random %d → %i ms (base 100, cap 10000)', (attempt, random, expected) => {
    expect(fullJitterBackoff(attempt, 100, 10_000, () => random)).toBe(expected);
  });
});
