import type { LogEvent } from '../../shared/control/controllerApi.js';

const LEVELS: Record<number, LogEvent['level']> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The last `capacity` log events, for the control API's /logs and the UI's Log view. It is a pino
 * destination (a `write(line)` stream) next to stdout, so it sees exactly what is logged, after
 * redaction: secrets never reach it.
 */
export class LogRing {
  private readonly events: LogEvent[] = [];

  constructor(private readonly capacity = 1000) {}

  write(line: string): void {
    let parsed: { time?: unknown; level?: unknown; msg?: unknown; flow?: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return;
    }
    const level = typeof parsed.level === 'number' ? LEVELS[parsed.level] : undefined;
    if (level === undefined) return;
    const event: LogEvent = { time: typeof parsed.time === 'string' ? parsed.time : new Date().toISOString(), level, message: typeof parsed.msg === 'string' ? parsed.msg : '' };
    if (typeof parsed.flow === 'string') event.flow = parsed.flow;
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
  }

  /** Newest last; at least `level`, of one flow when given, at most `limit`. */
  query(options: { level?: LogEvent['level'] | undefined; flow?: string | undefined; limit: number }): LogEvent[] {
    const order = ['debug', 'info', 'warn', 'error'];
    const min = order.indexOf(options.level ?? 'debug');
    const matching = this.events.filter((event) => order.indexOf(event.level) >= min && (options.flow === undefined || event.flow === options.flow));
    return matching.slice(-options.limit);
  }
}
