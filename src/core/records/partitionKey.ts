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

const DOT = 0x2e;
const ZERO = 0x30;

/**
 * randomPartitionKey written as ASCII into `target` at `at` (a run of records keeps its keys as
 * bytes: one string per line, alive while in flight, was garbage the collector moved twice).
 * Returns the offset after it; `target` needs room for MAX_RANDOM_KEY_BYTES.
 */
export function writeRandomPartitionKey(random: () => number, target: Uint8Array, at: number): number {
  const scaled = Math.floor(random() * 1e15);
  if (scaled < 1e6) {
    const text = javaDoubleToString(scaled / FRACTION_SCALE);
    for (let i = 0; i < text.length; i++) target[at++] = text.charCodeAt(i);
    return at;
  }
  const whole = Math.floor(scaled / FRACTION_SCALE);
  let fraction = scaled - whole * FRACTION_SCALE;
  at = writeDigits(whole, target, at);
  target[at++] = DOT;
  if (fraction === 0) {
    target[at++] = ZERO;
    return at;
  }
  let digits = 9;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits -= 1;
  }
  // `digits` places, leading zeros included.
  for (let i = digits - 1; i >= 0; i--) {
    target[at + i] = ZERO + (fraction % 10);
    fraction = Math.floor(fraction / 10);
  }
  return at + digits;
}

/** The longest RANDOM key: "999999.999999999" (16); scientific notation below 0.001 is shorter ("9.99999999E-4"). */
export const MAX_RANDOM_KEY_BYTES = 16;

function writeDigits(value: number, target: Uint8Array, at: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length += 1;
  for (let i = length - 1; i >= 0; i--) {
    target[at + i] = ZERO + (value % 10);
    value = Math.floor(value / 10);
  }
  return at + length;
}
