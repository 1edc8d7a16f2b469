import type { LogFormat } from '../../shared/config/processingOptionSchema.js';

/**
 * The Java agent's built-in LOGTOJSON patterns, assembled from its PatternConstants exactly as the
 * Java source does (reference §2.4), with their field names and the "-" → null rule of the Apache
 * parsers. They are Java regexes and go through the same translator as users' patterns.
 */
const INT = '(?:[+-]?(?:[0-9]+))';
const POSINT = '(?:[1-9][0-9]*)';
const NONNEGINT = '(?:[0-9]+)';
const ANYDATA = '.*';
const WORD = '\\w+';
const NOQUOTE = '[^"]+';
const IP = '(?:[\\d\\.]+)';
const HOSTNAME = '(?:[\\w\\-]+)(?:\\.(?:[\\w\\-]+))*(?:\\.?|\\b)';
const IPORHOST = `(?:${HOSTNAME}|${IP})`;
const URIHOST = `(?:${IPORHOST}(?::${POSINT})?)`;
const USER = '(?:[a-zA-Z0-9._-]+)';
const MONTHDAY = '(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])';
const DAY = '(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)';
const MONTH = '\\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b';
const YEAR = '(?:[1-9]\\d*)';
const HOUR = '(?:2[0123]|[01]?[0-9])';
const MINUTE = '(?:[0-5][0-9])';
const SECOND = '(?:(?:[0-5]?[0-9]|60)(?:[:\\.,][0-9]+)?)';
const TIME = `(?:${HOUR}:${MINUTE}:${SECOND})`;
const HTTPDATE = `(?:${MONTHDAY}/${MONTH}/${YEAR}:${TIME}\\s${INT})`;
const APACHEERRORLOGTIMESTAMP = `(?:${DAY}\\s+${MONTH}\\s+${MONTHDAY}\\s+${TIME}\\s+${YEAR})`;
const SYSLOGTIMESTAMP = `(?:${MONTH}\\s+${MONTHDAY}\\s+${TIME})`;
const RFC3339 = '(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?:Z|(?:[-+]\\d{2}:\\d{2}))';
// Note: the unescaped '.' matches any character, as in the Java source.
const SYSLOGFACILITY = `<${NONNEGINT}.${NONNEGINT}>`;
const PROG = '([\\w\\._/%-]+)';
const SYSLOGPROG = `${PROG}(?:\\[(${POSINT})\\])?`;
const COMMON_APACHE_LOG = `^(${IPORHOST}) (${USER}) (${USER}) \\[(${HTTPDATE})\\] "(${NOQUOTE})" (${INT}|\\-) (${INT}|\\-)`;
const COMBINED_APACHE_LOG = `${COMMON_APACHE_LOG} "(${NOQUOTE})" "(${NOQUOTE})"`;
const APACHE_ERROR_LOG = `^\\[(${APACHEERRORLOGTIMESTAMP})\\] \\[(?:(${WORD}):)?(${WORD})\\] \\[pid (${NONNEGINT})(?::tid (${NONNEGINT}))?\\] \\[client (${URIHOST})\\] (${ANYDATA})`;
const SYSLOG_BASE = `^(${SYSLOGTIMESTAMP}) (?:${SYSLOGFACILITY} )?(${USER}) ${SYSLOGPROG}: (${ANYDATA})`;
const RFC3339_SYSLOG_BASE = `^(${RFC3339}) (?:${SYSLOGFACILITY} )?(${USER}) ${SYSLOGPROG}: (${ANYDATA})`;

export interface LogFormatSpec {
  pattern: string;
  fields: readonly string[];
  /** Apache parsers turn a value of exactly "-" into null; the syslog parsers keep it. */
  dashIsNull: boolean;
  /** The field holding the time, for typed output. */
  timeField: string;
}

const SYSLOG_FIELDS = ['timestamp', 'hostname', 'program', 'processid', 'message'] as const;

export const LOG_FORMAT_SPECS: Record<LogFormat, LogFormatSpec> = {
  COMMONAPACHELOG: { pattern: `${COMMON_APACHE_LOG}.*`, fields: ['host', 'ident', 'authuser', 'datetime', 'request', 'response', 'bytes'], dashIsNull: true, timeField: 'datetime' },
  COMBINEDAPACHELOG: { pattern: `${COMBINED_APACHE_LOG}.*`, fields: ['host', 'ident', 'authuser', 'datetime', 'request', 'response', 'bytes', 'referer', 'agent'], dashIsNull: true, timeField: 'datetime' },
  APACHEERRORLOG: { pattern: APACHE_ERROR_LOG, fields: ['timestamp', 'module', 'severity', 'processid', 'threadid', 'client', 'message'], dashIsNull: true, timeField: 'timestamp' },
  SYSLOG: { pattern: SYSLOG_BASE, fields: SYSLOG_FIELDS, dashIsNull: false, timeField: 'timestamp' },
  RFC3339SYSLOG: { pattern: RFC3339_SYSLOG_BASE, fields: SYSLOG_FIELDS, dashIsNull: false, timeField: 'timestamp' },
};
