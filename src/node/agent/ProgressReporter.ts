import type { Logger } from 'pino';
import type { Flow } from './Flow.js';

/**
 * The periodic progress lines (log.statusReportingPeriodSeconds), worded like the Java agent's so
 * scripts that parse them keep working (reference §6.2), with the numbers as structured fields.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly flows: () => Flow[],
    private readonly logger: Logger,
    private periodMillis: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.report(), this.periodMillis);
    this.timer.unref();
  }

  /** log.statusReportingPeriodSeconds changed (configuration applied). */
  setPeriod(periodMillis: number): void {
    if (periodMillis === this.periodMillis || this.timer === undefined) return;
    this.periodMillis = periodMillis;
    clearInterval(this.timer);
    this.start();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  report(): void {
    let parsed = 0;
    let bytes = 0;
    let sent = 0;
    for (const flow of this.flows()) {
      const { counters, gauges, state, message, id, warnings } = flow.status();
      parsed += counters.linesRead;
      bytes += counters.bytesRead;
      sent += counters.recordsSent;
      this.logger.info(
        { flow: flow.config.name, state, message, warnings, counters, gauges },
        `FileTailer[${id}]: Tailer Progress: Tailer has parsed ${counters.linesRead} records (${counters.bytesRead} bytes), transformed ${counters.recordsProcessed} records, skipped ${counters.recordsSkipped} records, and has successfully sent ${counters.recordsSent} records to destination. State: ${state}${message === undefined ? '' : ` (${message})`}; ${gauges.lagBytes} bytes behind.${warnings.length === 0 ? '' : ` Warnings: ${warnings.join('; ')}`}`,
      );
    }
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const memory = { rss, heapUsed, heapTotal, external, arrayBuffers };
    this.logger.info({ parsed, bytes, sent, memory }, `Agent: Progress: ${parsed} records parsed (${bytes} bytes), and ${sent} records sent successfully to destinations. Uptime: ${Date.now() - this.started}ms`);
  }
}
