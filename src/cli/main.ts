import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../node/util/logger.js';
import { defaultConfigPath } from '../node/util/defaultPaths.js';
import { VERSION } from '../node/version.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exitCodes.js';
import { normalizeArgv } from './normalizeArgv.js';
import { runCommand } from './runCommand.js';
import { uiCommand } from './uiCommand.js';
import { validateCommand } from './validateCommand.js';

function parseControl(value: string): string {
  if (!/^[^\s:]+:\d{1,5}$/.test(value)) throw new InvalidArgumentError('expected HOST:PORT, e.g. 127.0.0.1:7387');
  return value;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('shardline')
    .description('Ships log files to Amazon Kinesis Data Streams and Firehose; reads the Amazon Kinesis Agent\'s agent.json.')
    .version(VERSION, '-v, --version')
    .option('--headless', 'alias of `run` (for the tray app\'s command line)')
    .showHelpAfterError()
    .exitOverride();
  const configOption = () => new Option('-c, --config <file>', 'agent.json to use').default(defaultConfigPath(), defaultConfigPath());

  program
    .command('run')
    .description('run the agent until SIGTERM/SIGINT')
    .addOption(configOption())
    .option('--configuration <file>', 'same as --config (the Java agent\'s spelling)')
    .option('--data-dir <dir>', 'checkpoints, lock and dead-letter files (default: dataDir, else /var/lib/shardline as root)')
    .option('--control <host:port>', 'control API and web UI address (loopback)', parseControl)
    .option('--no-control', 'no control API and web UI')
    .option('--allow-remote-control', 'allow a non-loopback --control address (the token is then its only protection)')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .action(async (opts: { config: string; configuration?: string; dataDir?: string; control?: string | boolean; allowRemoteControl?: boolean; logLevel: LogLevel }) => {
      setExit(await runCommand({ config: opts.configuration ?? opts.config, dataDir: opts.dataDir, logLevel: opts.logLevel, control: opts.control ?? true, allowRemoteControl: opts.allowRemoteControl === true }));
    });

  program
    .command('ui')
    .description('print the web UI address of the running agent, with its access token')
    .addOption(configOption())
    .option('--data-dir <dir>', 'the agent\'s data dir (default: dataDir of the config, else the default)')
    .action(async (opts: { config: string; dataDir?: string }) => {
      setExit(await uiCommand(opts.config, opts.dataDir, (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)));
    });

  program
    .command('validate')
    .description('check a config file: every problem with its JSON path (exit 2), or a summary (exit 0)')
    .addOption(configOption())
    .option('--configuration <file>', 'same as --config')
    .action(async (opts: { config: string; configuration?: string }) => {
      setExit(await validateCommand(opts.configuration ?? opts.config, (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)));
    });

  program
    .command('migrate')
    .description('import the Java agent\'s checkpoints (read-only) into Shardline\'s, as `run` does once at its first start')
    .addOption(configOption())
    .option('--configuration <file>', 'same as --config')
    .option('--data-dir <dir>', 'checkpoints and lock (default: dataDir, else /var/lib/shardline as root)')
    .option('--dry-run', 'show per flow what would be imported; write nothing')
    .action(async (opts: { config: string; configuration?: string; dataDir?: string; dryRun?: boolean }) => {
      const { migrateCommand } = await import('./migrateCommand.js');
      setExit(await migrateCommand({ config: opts.configuration ?? opts.config, dataDir: opts.dataDir, dryRun: opts.dryRun === true }, (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`)));
    });

  program
    .command('install-service')
    .description('install the systemd service (as root): a system user in adm, /etc/shardline owned by it, a starter agent.json if none, the unit')
    .option('--dry-run', 'print the unit (stdout) and the steps (stderr); change nothing')
    .option('--user <name>', 'account the service runs as; created if missing', 'shardline')
    .option('-c, --config <file>', 'agent.json the service runs with; its directory becomes writable by the service', '/etc/shardline/agent.json')
    .option('--unit-dir <dir>', 'where shardline.service is written', '/etc/systemd/system')
    .option('--root <dir>', 'prefix every path written with DIR (packaging); creates no user, changes no owner')
    .action(async (opts: { dryRun?: boolean; user: string; config: string; unitDir: string; root?: string }) => {
      const { installServiceCommand } = await import('./installServiceCommand.js');
      setExit(await installServiceCommand(opts));
    });

  program
    .command('demo')
    .description('run a local demo: an embedded Kinesis endpoint, a log generator and the agent, all on 127.0.0.1')
    .option('--duration <seconds>', 'stop by itself after this many seconds', (v) => Number(v))
    .option('--lines-per-second <n>', 'lines the generator writes per second', (v) => Number(v), 200)
    .action(async (opts: { duration?: number; linesPerSecond: number }) => {
      const { demoCommand } = await import('./demo/demoCommand.js');
      setExit(await demoCommand(opts));
    });

  return program;
}

/** Parses the command line and runs the command; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { args, warnings } = normalizeArgv(argv);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  let code = 0;
  const program = buildProgram((c) => { code = c; });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    process.stderr.write(`shardline: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
  return code;
}
