import { javaDoubleToString } from '../processing/jacksonJson.js';

export { javaDoubleToString };

/**
 * The Java agent's RANDOM partition key: `String.valueOf(ThreadLocalRandom.nextDouble(1000000))`, a
 * Java `Double.toString` such as "483920.1234567891" (reference §5.2).
 */
export function randomPartitionKey(random: () => number): string {
  return javaDoubleToString(random() * 1_000_000);
}
