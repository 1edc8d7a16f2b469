import { javaDoubleToString } from '../processing/jacksonJson.js';

export { javaDoubleToString };

/** Decimals of a RANDOM key: the double is a multiple of 10^-9 below 10^6 (at most 15 significant digits). */
const FRACTION_SCALE = 1e9;

/**
 * The Java agent's RANDOM partition key: `String.valueOf(ThreadLocalRandom.nextDouble(1000000))`, a
 * Java `Double.toString` such as "483920.123456789" (reference §5.2). The double is drawn as a
 * multiple of 10^-9 (10^15 equally likely values, as uniform over the hash space as Java's), whose
 * shortest round-trip digits, which Java prints, are exactly its nine decimals without trailing
 * zeros: they are written from two integers, about five times cheaper than formatting a double,
 * which was 4% of the agent's CPU per line (issue 8).
 */
export function randomPartitionKey(random: () => number): string {
  const scaled = Math.floor(random() * 1e15);
  // Below 0.001 Java switches to computerized scientific notation (one draw in a billion).
  if (scaled < 1e6) return javaDoubleToString(scaled / FRACTION_SCALE);
  const whole = Math.floor(scaled / FRACTION_SCALE);
  let fraction = scaled - whole * FRACTION_SCALE;
  if (fraction === 0) return `${whole}.0`;
  let digits = 9;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits -= 1;
  }
  return `${whole}.${String(fraction).padStart(digits, '0')}`;
}
