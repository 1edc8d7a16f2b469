/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"; the same formula as
 * the SDK's DefaultRetryBackoffStrategy): a uniform delay in [0, min(cap, base · 2^attempt)).
 * `attempt` counts from 0 for the first retry.
 */
export function fullJitterBackoff(attempt: number, baseMillis: number, capMillis: number, random: () => number): number {
  const ceiling = Math.min(capMillis, baseMillis * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceiling);
}
