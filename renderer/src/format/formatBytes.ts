import { roundForPeople, scaleBy1000 } from './formatCount.js';

const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
const IEC_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Stats in decimal units, as people read them: `34 MB`, `1.2 kB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const abs = Math.abs(bytes);
  const sign = bytes < 0 ? '-' : '';
  if (Math.round(abs) < 1000) return `${sign}${Math.round(abs)} B`;
  const { value, steps } = scaleBy1000(abs, SI_UNITS.length - 1);
  return `${sign}${roundForPeople(value)} ${SI_UNITS[steps]!}`;
}

/**
 * Config sizes in the binary units the AWS limits are written in (`5 MiB`), for form hints beside
 * the exact byte count. Up to two decimals, so 1,024,000 reads `1000 KiB` and 1,500,000 `1.43 MiB`.
 */
export function formatIecBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (unit < IEC_UNITS.length - 1 && Math.abs(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  return `${text} ${IEC_UNITS[unit]!}`;
}
