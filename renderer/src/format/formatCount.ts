/**
 * Counts and rates for people (DESIGN §10): `1.2k`, `34k`, `5.6M`. Three significant figures at
 * most, so a column of numbers can be read at a glance rather than digit by digit.
 */
const SUFFIXES = ['k', 'M', 'G', 'T'] as const;

/** One decimal below 10, none above: 1.2, 12, 123. Trailing `.0` is dropped. */
export function roundForPeople(value: number): string {
  if (value < 10) {
    const text = value.toFixed(1);
    return text.endsWith('.0') ? text.slice(0, -2) : text;
  }
  return String(Math.round(value));
}

/**
 * Divides by 1000 while the rounded text would need four digits, so 999,999 reads `1M`, never
 * `1000k`. Returns the scaled value and how many times it was divided.
 */
export function scaleBy1000(value: number, maxSteps: number): { value: number; steps: number } {
  let scaled = value;
  let steps = 0;
  while (steps < maxSteps && Number(roundForPeople(scaled)) >= 1000) {
    scaled /= 1000;
    steps++;
  }
  return { value: scaled, steps };
}

export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs < 0.1) return `${sign}<0.1`;
  const { value: scaled, steps } = scaleBy1000(abs, SUFFIXES.length);
  return `${sign}${roundForPeople(scaled)}${steps === 0 ? '' : SUFFIXES[steps - 1]!}`;
}

/** `1.2k lines/s`. */
export function formatRate(perSecond: number, unit: string): string {
  return `${formatCount(perSecond)} ${unit}/s`;
}
