import { describe, expect, it } from 'vitest';
import { normalizeArgv } from '../../../src/cli/normalizeArgv.js';

describe('normalizeArgv', () => {
  it.each<[string[], string[]]>([
    [['--headless', '-c', 'F'], ['run', '-c', 'F']],
    [['--headless', '--config', '/etc/aws-kinesis/agent.json'], ['run', '--config', '/etc/aws-kinesis/agent.json']],
    [['-c', 'F', '--headless'], ['run', '-c', 'F']],
    [['run', '--headless', '-c', 'F'], ['run', '-c', 'F']],
    [['run', '-c', 'F'], ['run', '-c', 'F']],
    [['validate', '-c', 'F'], ['validate', '-c', 'F']],
    [['run', '-c', 'F', '--log-level', 'debug'], ['run', '-c', 'F', '--log-level', 'debug']],
    [['--headless', '-c', 'F', '--log-level', 'debug'], ['run', '-c', 'F', '--log-level', 'debug']],
    [['--log-level=warn', 'run'], ['--log-level=warn', 'run']],
    [['--version'], ['--version']],
    [[], []],
  ])('%j becomes %j without warnings', (input, expected) => {
    const { args, warnings } = normalizeArgv(input);
    expect(args).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it.each<[string[], string[], string[]]>([
    // input, args, what each warning must mention (one warning per entry)
    [['run', '-c', 'F', '-l', '/var/log/aws-kinesis-agent/agent.log'], ['run', '-c', 'F'], ['-l /var/log/aws-kinesis-agent/agent.log']],
    [['run', '--log-file', '/tmp/agent.log', '-c', 'F'], ['run', '-c', 'F'], ['--log-file /tmp/agent.log']],
    [['run', '--log-file=x', '-c', 'F'], ['run', '-c', 'F'], ['--log-file=x']],
    [['run', '-c', 'F', '-L', 'DEBUG'], ['run', '-c', 'F'], ['-L DEBUG']],
    [['-L', 'INFO', '--headless', '-c', 'F'], ['run', '-c', 'F'], ['-L INFO']],
    [
      ['--headless', '-c', 'F', '-l', 'a.log', '-L', 'INFO', '--log-file=b.log', '--log-level', 'debug'],
      ['run', '-c', 'F', '--log-level', 'debug'],
      ['-l a.log', '-L INFO', '--log-file=b.log'],
    ],
  ])('%j drops the Java logging flags with a warning each', (input, expected, mentions) => {
    const { args, warnings } = normalizeArgv(input);
    expect(args).toEqual(expected);
    expect(warnings).toHaveLength(mentions.length);
    mentions.forEach((mention, i) => {
      expect(warnings[i]).toContain(mention);
      expect(warnings[i]).toContain('ignoring');
    });
  });

  it('does not modify its input', () => {
    const input = Object.freeze(['--headless', '-c', 'F', '-l', 'x']);
    normalizeArgv(input);
    expect(input).toEqual(['--headless', '-c', 'F', '-l', 'x']);
  });
});
