import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../src/core/config/validateConfig.js';
import { starterAgentJson } from '../../../../src/node/service/starterAgentJson.js';
import { execWord, stopTimeoutSeconds, systemdUnit, type SystemdUnitOptions } from '../../../../src/node/service/systemdUnit.js';

const base: SystemdUnitOptions = { user: 'shardline', configPath: '/etc/shardline/agent.json', nodePath: '/usr/bin/node', entryPath: '/usr/lib/node_modules/shardline/bin/shardline.js' };

/** The unit's `Key=value` lines per section (comments and blank lines dropped). */
function directives(unit: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let section = '';
  for (const line of unit.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header !== null) {
      section = header[1]!;
      continue;
    }
    const at = line.indexOf('=');
    const key = `${section}.${line.slice(0, at)}`;
    map.set(key, [...(map.get(key) ?? []), line.slice(at + 1)]);
  }
  return map;
}

describe('systemdUnit', () => {
  it.each<[string, Partial<SystemdUnitOptions>, Record<string, string>]>([
    ['defaults', {}, {
      'Service.User': 'shardline',
      'Service.SupplementaryGroups': 'adm',
      'Service.ExecStart': '/usr/bin/node /usr/lib/node_modules/shardline/bin/shardline.js run --config /etc/shardline/agent.json --data-dir /var/lib/shardline',
      'Service.ExecReload': '/bin/kill -HUP $MAINPID',
      'Service.KillSignal': 'SIGTERM',
      'Service.TimeoutStopSec': '15',
      'Service.Restart': 'on-failure',
      'Service.RestartPreventExitStatus': '2',
      'Service.StateDirectory': 'shardline',
      'Service.ReadWritePaths': '/etc/shardline',
      'Service.LimitNOFILE': '65536',
      'Service.NoNewPrivileges': 'yes',
      'Service.CapabilityBoundingSet': '',
      'Service.ProtectSystem': 'strict',
      'Service.ProtectHome': 'read-only',
      'Service.PrivateTmp': 'yes',
      'Service.ProtectKernelTunables': 'yes',
      'Service.ProtectKernelModules': 'yes',
      'Service.ProtectKernelLogs': 'yes',
      'Service.ProtectControlGroups': 'yes',
      'Service.RestrictAddressFamilies': 'AF_INET AF_INET6 AF_UNIX',
      'Service.LockPersonality': 'yes',
      'Unit.After': 'network-online.target',
      'Unit.Wants': 'network-online.target',
      'Install.WantedBy': 'multi-user.target',
    }],
    ['another user', { user: 'logship' }, { 'Service.User': 'logship', 'Service.SupplementaryGroups': 'adm' }],
    ['the Java agent\'s config', { configPath: '/etc/aws-kinesis/agent.json' }, {
      'Service.ExecStart': '/usr/bin/node /usr/lib/node_modules/shardline/bin/shardline.js run --config /etc/aws-kinesis/agent.json --data-dir /var/lib/shardline',
      'Service.ReadWritePaths': '/etc/aws-kinesis',
    }],
    ['the single-file bundle under /opt', { nodePath: '/usr/local/bin/node', entryPath: '/opt/shardline/shardline.mjs' }, {
      'Service.ExecStart': '/usr/local/bin/node /opt/shardline/shardline.mjs run --config /etc/shardline/agent.json --data-dir /var/lib/shardline',
    }],
    ['paths with spaces, % and $', { entryPath: '/opt/my app/100%/$x.mjs', configPath: '/etc/my conf/agent.json' }, {
      'Service.ExecStart': '/usr/bin/node "/opt/my app/100%%/$$x.mjs" run --config "/etc/my conf/agent.json" --data-dir /var/lib/shardline',
      'Service.ReadWritePaths': '"/etc/my conf"',
    }],
  ])('%s', (_name, options, expected) => {
    const found = directives(systemdUnit({ ...base, ...options }));
    for (const [key, value] of Object.entries(expected)) expect([key, found.get(key)]).toEqual([key, [value]]);
  });

  it.each([
    // Settings that must never appear: V8's JIT needs W+X memory; production reads credentials from IMDS.
    'Service.MemoryDenyWriteExecute',
    'Service.Environment',
    'Service.DynamicUser',
  ])('does not set %s', (key) => {
    expect(directives(systemdUnit(base)).has(key)).toBe(false);
  });

  it('names the JIT as the reason MemoryDenyWriteExecute is absent', () => {
    expect(systemdUnit(base)).toMatch(/# No MemoryDenyWriteExecute=yes: V8's JIT/);
  });

  it('waits a bit longer than the default shutdownTimeoutMillis (10 s) before SIGKILL', () => {
    expect(stopTimeoutSeconds()).toBe(15);
    expect(stopTimeoutSeconds(60_000)).toBe(65);
    expect(stopTimeoutSeconds(1)).toBe(6);
  });

  it.each<[Partial<SystemdUnitOptions>, RegExp]>([
    [{ nodePath: 'node' }, /nodePath must be an absolute path/],
    [{ entryPath: 'bin/shardline.js' }, /entryPath must be an absolute path/],
    [{ configPath: 'agent.json' }, /configPath must be an absolute path/],
    [{ user: 'root; rm -rf /' }, /not a valid user name/],
    [{ user: 'Shardline' }, /not a valid user name/],
  ])('refuses %j', (options, message) => {
    expect(() => systemdUnit({ ...base, ...options })).toThrow(message);
  });

  it('puts the version in the header when given', () => {
    expect(systemdUnit({ ...base, version: '1.2.3' }).split('\n')[0]).toBe('# Generated by `shardline install-service` (Shardline 1.2.3).');
  });
});

describe('execWord', () => {
  it.each([
    ['/usr/bin/node', '/usr/bin/node'],
    ['--config', '--config'],
    ['/a b', '"/a b"'],
    ['/a"b', '"/a\\"b"'],
    ['/a\\b', '"/a\\\\b"'],
    ['50%', '"50%%"'],
    ['$HOME', '"$$HOME"'],
  ])('%s → %s', (word, expected) => {
    expect(execWord(word)).toBe(expected);
  });
});

describe('starterAgentJson', () => {
  it('is a valid configuration as written, with one placeholder flow', () => {
    const result = validateConfig({ path: '/etc/shardline/agent.json', text: starterAgentJson('/etc/shardline/agent.json') }, []);
    expect(result.problems).toEqual([]);
    expect(result.config?.flows).toHaveLength(1);
  });
});
