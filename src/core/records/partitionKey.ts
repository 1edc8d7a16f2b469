/**
 * The Java agent's RANDOM partition key: `String.valueOf(ThreadLocalRandom.nextDouble(1000000))`, a
 * Java `Double.toString` such as "483920.1234567891" (reference §5.2).
 */
export function randomPartitionKey(random: () => number): string {
  return javaDoubleToString(random() * 1_000_000);
}

/**
 * Java's `Double.toString` for finite non-negative values: the shortest decimal that round-trips
 * (as JS), always with a fraction part, and in computerized scientific notation below 10^-3 or from
 * 10^7 up (`1.0E-4`, `1.0E7`).
 */
export function javaDoubleToString(value: number): string {
  if (value !== 0 && (value < 1e-3 || value >= 1e7)) {
    const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
    const withFraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
    return `${withFraction}E${Number(exponent)}`;
  }
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}
