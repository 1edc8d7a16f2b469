import { pino, type Logger } from 'pino';
import type { LogRing } from './LogRing.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs to stdout (DESIGN §5), synchronous so the last lines before an exit are never
 * lost. Secrets are redacted wherever they might appear.
 */
export function createLogger(level: LogLevel, destination: number = 1, ring?: LogRing): Logger {
  const stdout = pino.destination({ dest: destination, sync: true });
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['awsAccessKeyId', 'awsSecretAccessKey', '*.awsSecretAccessKey', 'assumeRoleExternalId', '*.assumeRoleExternalId', 'token', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
  };
  if (ring === undefined) return pino(options, stdout);
  // The ring (the UI's Log view) keeps info and above; stdout gets everything at `level`.
  return pino(options, pino.multistream([{ level, stream: stdout }, { level: 'info', stream: ring }]));
}
