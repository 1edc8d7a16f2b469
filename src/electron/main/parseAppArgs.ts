import { parseArgs } from 'node:util';

export interface AppArgs {
  headless: boolean;
  /** Started by the login item: stay in the tray. */
  hidden: boolean;
  /** `npm run electron:smoke`: start, open the window, wait for the agent, report, quit. */
  smokeTest: boolean;
  config?: string;
  dataDir?: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** `HOST:PORT`, or false for no HTTP control API. */
  control?: string | false;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * The app's command line: `--headless` runs the agent with no tray and no window (with `--config`),
 * the rest as `shardline run`. Chromium's own switches (`--no-sandbox`, `--enable-logging`, …) may
 * be mixed in, so unknown options are ignored here rather than refused.
 */
export function parseAppArgs(argv: readonly string[]): AppArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      headless: { type: 'boolean' },
      hidden: { type: 'boolean' },
      'smoke-test': { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      configuration: { type: 'string' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string' },
      control: { type: 'string' },
      'no-control': { type: 'boolean' },
    },
  });
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const level = text(values['log-level']);
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) throw new Error(`--log-level: one of ${LEVELS.join(', ')}, got ${level}`);
  const config = text(values['configuration']) ?? text(values['config']);
  const dataDir = text(values['data-dir']);
  const control = values['no-control'] === true ? false : text(values['control']);
  return {
    headless: values['headless'] === true,
    hidden: values['hidden'] === true,
    smokeTest: values['smoke-test'] === true,
    logLevel: (level ?? 'info') as AppArgs['logLevel'],
    ...(config === undefined ? {} : { config }),
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(control === undefined ? {} : { control }),
  };
}
