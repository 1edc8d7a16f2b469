import { roundForPeople } from './formatCount.js';

const UNITS = [
  { millis: 86_400_000, suffix: 'd' },
  { millis: 3_600_000, suffix: 'h' },
  { millis: 60_000, suffix: 'min' },
  { millis: 1000, suffix: 's' },
] as const;

/** A length of time in its largest whole unit: `100 ms`, `1.5 s`, `15 min`, `1 h`. */
export function formatDuration(millis: number): string {
  if (!Number.isFinite(millis)) return '–';
  const abs = Math.abs(millis);
  for (const unit of UNITS) {
    if (abs >= unit.millis) return `${millis < 0 ? '-' : ''}${roundForPeople(abs / unit.millis)} ${unit.suffix}`;
  }
  return `${Math.round(millis)} ms`;
}

/** How long ago something happened, in whole units: `just now`, `3 s ago`, `5 min ago`. */
export function formatAgo(elapsedMillis: number): string {
  if (!Number.isFinite(elapsedMillis)) return '–';
  if (elapsedMillis < 1000) return 'just now';
  for (const unit of UNITS) {
    if (elapsedMillis >= unit.millis) return `${Math.floor(elapsedMillis / unit.millis)} ${unit.suffix} ago`;
  }
  return 'just now';
}
