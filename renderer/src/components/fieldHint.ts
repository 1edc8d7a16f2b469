import type { FieldMeta } from '../../../src/shared/config/fieldMeta.js';
import { formatIecBytes } from '../format/formatBytes.js';
import { formatDuration } from '../format/formatDuration.js';

const UNIT_WORDS: Record<NonNullable<FieldMeta['unit']>, string> = {
  ms: 'ms',
  s: 's',
  bytes: 'bytes',
  records: 'records',
  days: 'days',
  lines: 'lines',
  files: 'files',
  threads: 'threads',
};

/** A number of the field's unit, with a human reading when it helps: `60000 ms (1 min)`. */
export function withUnit(value: number, unit: FieldMeta['unit']): string {
  if (unit === undefined) return String(value);
  const plain = `${value} ${UNIT_WORDS[unit]}`;
  if (unit === 'ms' && value >= 1000) return `${plain} (${formatDuration(value)})`;
  if (unit === 's' && value >= 60) return `${plain} (${formatDuration(value * 1000)})`;
  if (unit === 'bytes' && value >= 1024) return `${plain} (${formatIecBytes(value)})`;
  return plain;
}

/** `Default: 500 records` / `Default: 5242880 (5 MiB) for Streams, …`; undefined without one. */
export function defaultText(meta: FieldMeta): string | undefined {
  if (meta.defaultText !== undefined) return meta.defaultText;
  if (meta.default === undefined) return undefined;
  if (typeof meta.default === 'number') return withUnit(meta.default, meta.unit);
  if (typeof meta.default === 'string') return meta.default === '\n' ? '"\\n" (a newline)' : JSON.stringify(meta.default);
  return JSON.stringify(meta.default);
}

/** `Range: 1 – 500 records`. */
export function rangeText(meta: FieldMeta): string | undefined {
  if (meta.min === undefined && meta.max === undefined) return undefined;
  const min = meta.min === undefined ? '' : withUnit(meta.min, undefined);
  const max = meta.max === undefined ? '' : withUnit(meta.max, meta.unit);
  if (meta.min !== undefined && meta.max !== undefined) return `${min} – ${max}`;
  return meta.min !== undefined ? `at least ${withUnit(meta.min, meta.unit)}` : `at most ${max}`;
}
