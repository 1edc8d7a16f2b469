import { describe, expect, it } from 'vitest';
import { parseAppArgs, type AppArgs } from '../../../src/electron/main/parseAppArgs.js';

const DEFAULTS: AppArgs = { headless: false, hidden: false, smokeTest: false, logLevel: 'info' };

describe('parseAppArgs', () => {
  it.each<{ argv: string[]; args: Partial<AppArgs> }>([
    { argv: [], args: {} },
    { argv: ['--headless'], args: { headless: true } },
    { argv: ['--hidden'], args: { hidden: true } },
    { argv: ['--headless', '--hidden'], args: { headless: true, hidden: true } },
    { argv: ['--smoke-test'], args: { smokeTest: true } },
    // The config file: -c, --config, --configuration (the Java agent's name), = or a separate value.
    { argv: ['-c', '/etc/shardline/agent.json'], args: { config: '/etc/shardline/agent.json' } },
    { argv: ['-c/etc/shardline/agent.json'], args: { config: '/etc/shardline/agent.json' } },
    { argv: ['--config', '/etc/aws-kinesis/agent.json'], args: { config: '/etc/aws-kinesis/agent.json' } },
    { argv: ['--config=/etc/aws-kinesis/agent.json'], args: { config: '/etc/aws-kinesis/agent.json' } },
    { argv: ['--configuration', '/etc/aws-kinesis/agent.json'], args: { config: '/etc/aws-kinesis/agent.json' } },
    { argv: ['--config', '/a.json', '--configuration', '/b.json'], args: { config: '/b.json' } },
    { argv: ['--config', '/my configs/agent.json'], args: { config: '/my configs/agent.json' } },
    { argv: ['--config', ''], args: {} },
    { argv: ['--config'], args: {} },
    { argv: ['--data-dir', '/var/lib/shardline'], args: { dataDir: '/var/lib/shardline' } },
    { argv: ['--data-dir=/tmp/data'], args: { dataDir: '/tmp/data' } },
    { argv: ['--data-dir='], args: {} },
    { argv: ['--log-level', 'debug'], args: { logLevel: 'debug' } },
    { argv: ['--log-level=trace'], args: { logLevel: 'trace' } },
    { argv: ['--log-level', 'silent'], args: { logLevel: 'silent' } },
    { argv: ['--log-level='], args: { logLevel: 'info' } },
    { argv: ['--control', '127.0.0.1:9876'], args: { control: '127.0.0.1:9876' } },
    { argv: ['--control=[::1]:9876'], args: { control: '[::1]:9876' } },
    { argv: ['--no-control'], args: { control: false } },
    { argv: ['--control', '127.0.0.1:9876', '--no-control'], args: { control: false } },
    { argv: ['--no-control', '--control', '127.0.0.1:9876'], args: { control: false } },
    // Chromium's and Electron's own switches are mixed in and ignored, with or without values.
    { argv: ['--no-sandbox', '--enable-logging', '--hidden'], args: { hidden: true } },
    { argv: ['--disable-gpu', '--ozone-platform-hint=auto', '-c', '/a.json', '--enable-features=WaylandWindowDecorations'], args: { config: '/a.json' } },
    { argv: ['--js-flags=--max-old-space-size=256', '--headless'], args: { headless: true } },
    { argv: ['--user-data-dir', '/tmp/profile', '--headless'], args: { headless: true } },
    { argv: ['--allow-file-access-from-files', '--original-process-start-time=13377777777777777', '--hidden'], args: { hidden: true } },
    // A second instance's argv or a file opened with the app: positionals are ignored.
    { argv: ['/home/ada/logs/app.log', '--hidden'], args: { hidden: true } },
    { argv: ['.', '--config', '/a.json'], args: { config: '/a.json' } },
    // After `--` nothing is an option.
    { argv: ['--', '--headless'], args: {} },
  ])('$argv', ({ argv, args }) => {
    expect(parseAppArgs(argv)).toEqual({ ...DEFAULTS, ...args });
  });

  it.each([
    { argv: ['--log-level', 'verbose'], message: '--log-level: one of trace, debug, info, warn, error, fatal, silent, got verbose' },
    { argv: ['--log-level=DEBUG'], message: '--log-level: one of trace, debug, info, warn, error, fatal, silent, got DEBUG' },
    { argv: ['--hidden', '--log-level', '5'], message: '--log-level: one of trace, debug, info, warn, error, fatal, silent, got 5' },
  ])('$argv: an error naming the levels', ({ argv, message }) => {
    expect(() => parseAppArgs(argv)).toThrow(message);
  });

  it('does not change the array it is given', () => {
    const argv = Object.freeze(['--headless', '-c', '/a.json']);
    expect(parseAppArgs(argv)).toEqual({ ...DEFAULTS, headless: true, config: '/a.json' });
    expect(argv).toEqual(['--headless', '-c', '/a.json']);
  });
});
