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

  it.each([
    [0.5, '500000.0'],
    [0.25000000000000006, '250000.0'],
    [0.123456789012345, '123456.789012345'],
    [0.000001000000001, '1.000000001'],
    [0.0000010000000001, '1.0'],
    [0.9999999999999999, '999999.999999999'],
    [0.00000000012, '1.2E-4'],
    [0, '0.0'],
  ])('RANDOM key for random() = %d is the Java Double.toString %s', (random, expected) => {
    expect(randomPartitionKey(() => random)).toBe(expected);
  });

  it('RANDOM keys are Java Double.toString of a multiple of 10^-9 below 10^6 (100,000 draws)', () => {
    for (let i = 0; i < 100_000; i++) {
      const random = Math.random();
      const key = randomPartitionKey(() => random);
      expect(key).toBe(javaDoubleToString(Math.floor(random * 1e15) / 1e9));
      expect(key).toMatch(/^\d{1,6}\.\d{1,9}$|E/);
    }
  });
});
