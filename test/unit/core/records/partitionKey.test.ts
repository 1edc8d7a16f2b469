import { describe, expect, it } from 'vitest';
import { javaDoubleToString, randomPartitionKey } from '../../../../src/core/records/partitionKey.js';

describe('javaDoubleToString', () => {
  it.each([
    [483920.1234567891, '483920.1234567891'],
    [1, '1.0'],
    [0, '0.0'],
    [999999.9999999999, '999999.9999999999'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1.5e-5, '1.5E-5'],
    [12345678, '1.2345678E7'],
  ])('%d → %s', (value, expected) => {
    expect(javaDoubleToString(value)).toBe(expected);
  });

  it('RANDOM keys look like the Java agent\'s', () => {
    expect(randomPartitionKey(() => 0.5)).toBe('500000.0');
    expect(randomPartitionKey(() => 0.25000000000000006)).toBe('250000.00000000006');
    expect(randomPartitionKey(Math.random)).toMatch(/^\d{1,6}\.\d+$|E/);
  });
});
