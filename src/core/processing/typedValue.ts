import type { JsonValue } from './jacksonJson.js';

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)\.\d+$/;

/**
 * Typed fields (a Shardline option; the Java agent writes every value as a string): integers and
 * decimals become JSON numbers, `true`/`false` booleans. Anything else stays a string, so nothing is
 * lost (a leading zero or `+` keeps a value textual: "007" is an id, not 7).
 */
export function typedValue(value: string | null): JsonValue {
  if (value === null) return null;
  if (INTEGER.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (DECIMAL.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };
const pad2 = (s: string) => s.padStart(2, '0');

/**
 * A log timestamp as ISO-8601, when its form is known: Apache `07/Mar/2004:16:10:02 -0800` →
 * `2004-03-07T16:10:02-08:00`; Apache error `Fri Sep 09 10:42:29.902022 2011` →
 * `2011-09-09T10:42:29.902022` (no zone in the log); syslog `Mar 12 12:00:08` (no year in the log)
 * takes `year`; RFC 3339 is already ISO. Anything else is returned unchanged.
 */
export function isoTimestamp(value: string, year: number): string {
  const apache = /^(\d{1,2})\/(\w{3})\w*\/(\d+):(\d{1,2}):(\d{2}):(\d{2}(?:[.,]\d+)?)\s([+-])(\d{2})(\d{2})$/.exec(value);
  if (apache !== null && MONTHS[apache[2] ?? ''] !== undefined) {
    const [, d = '', m = '', y = '', h = '', mi = '', s = '', sign = '', oh = '', om = ''] = apache;
    return `${y}-${MONTHS[m.slice(0, 3)]}-${pad2(d)}T${pad2(h)}:${mi}:${s.replace(',', '.')}${sign}${oh}:${om}`;
  }
  const error = /^\w{3}\w*\s+(\w{3})\w*\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2}(?:[.,:]\d+)?)\s+(\d+)$/.exec(value);
  if (error !== null && MONTHS[error[1] ?? ''] !== undefined) {
    const [, m = '', d = '', h = '', mi = '', s = '', y = ''] = error;
    return `${y}-${MONTHS[m]}-${pad2(d)}T${pad2(h)}:${mi}:${s.replace(/[,:]/, '.')}`;
  }
  const syslog = /^(\w{3})\w*\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2}(?:[.,]\d+)?)$/.exec(value);
  if (syslog !== null && MONTHS[syslog[1] ?? ''] !== undefined) {
    const [, m = '', d = '', h = '', mi = '', s = ''] = syslog;
    return `${year}-${MONTHS[m]}-${pad2(d)}T${pad2(h)}:${mi}:${s.replace(',', '.')}`;
  }
  return value;
}
