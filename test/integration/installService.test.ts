import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/agentProcess.js';
import { tempDir } from '../support/tempDir.js';

const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

function shardline(args: string[], asNobody = false) {
  const [command, argv] = asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const result = spawnSync(command, argv, { encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `systemd-analyze verify`: exit 0 and no complaint (it only warns, exit 0, about unknown keys or bad values). */
function verify(unitFile: string) {
  const result = spawnSync(SYSTEMD_ANALYZE, ['verify', unitFile], { encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr.trim() };
}

async function mode(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe('shardline install-service (the real CLI)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => { dir = await tempDir(); });
  afterAll(async () => dir.cleanup());

  it('--dry-run prints a unit that systemd-analyze verify accepts, running this node and this bin/shardline.js', async (context) => {
    const { code, stdout, stderr } = shardline(['install-service', '--dry-run']);
    expect(code).toBe(0);
    expect(stderr).toContain('dry run: nothing changed');
    expect(stdout).toContain(`ExecStart=${process.execPath} ${realpathSync(BIN)} run --config /etc/shardline/agent.json --data-dir /var/lib/shardline\n`);
    // verify checks the file name against the unit's, and that ExecStart's binary exists (it does: this node).
    const unitDir = join(dir.path, 'dry-run');
    await mkdir(unitDir);
    await writeFile(join(unitDir, 'shardline.service'), stdout);
    if (!existsSync(SYSTEMD_ANALYZE)) {
      context.skip(`${SYSTEMD_ANALYZE} is not installed here: the unit's syntax is not verified (apt-get install systemd)`);
      return;
    }
    expect(verify(join(unitDir, 'shardline.service'))).toEqual({ code: 0, stderr: '' });
  });

  it('--root DIR writes the config dir (0750), a starter agent.json (0640) and the unit (0644) under DIR, and says what the package must do', async () => {
    const root = join(dir.path, 'pkgroot');
    const { code, stdout, stderr } = shardline(['install-service', '--root', root, '--unit-dir', '/usr/lib/systemd/system']);
    expect([code, stderr]).toEqual([0, '']);
    expect(await mode(join(root, 'etc/shardline'))).toBe('750');
    expect(await mode(join(root, 'etc/shardline/agent.json'))).toBe('640');
    const unitFile = join(root, 'usr/lib/systemd/system/shardline.service');
    expect(await mode(unitFile)).toBe('644');
    const unit = await readFile(unitFile, 'utf8');
    expect(unit).toContain('ReadWritePaths=/etc/shardline\n');
    expect(stdout).toMatch(/--root: no user created and no owner changed/);
    expect(stdout).toContain('useradd --system --no-create-home --shell /usr/sbin/nologin --groups adm shardline');
    // The starter config is valid as written.
    const validated = shardline(['validate', '-c', join(root, 'etc/shardline/agent.json')]);
    expect([validated.code, validated.stdout]).toMatchObject([0, expect.stringContaining('valid, 1 flow(s)')]);
    if (existsSync(SYSTEMD_ANALYZE)) expect(verify(unitFile)).toEqual({ code: 0, stderr: '' });

    // Run again: the edited agent.json is kept, the unit rewritten.
    await writeFile(join(root, 'etc/shardline/agent.json'), '{"flows":[]}');
    expect(shardline(['install-service', '--root', root, '--unit-dir', '/usr/lib/systemd/system']).code).toBe(0);
    expect(await readFile(join(root, 'etc/shardline/agent.json'), 'utf8')).toBe('{"flows":[]}');
  });

  it('without root (and without --dry-run or --root) exits 1 with the reason and writes nothing', async () => {
    const unitDir = join(dir.path, 'as-nobody');
    const { code, stderr } = shardline(['install-service', '--unit-dir', unitDir], true);
    expect(code).toBe(1);
    expect(stderr).toMatch(/must run as root/);
    expect(existsSync(unitDir)).toBe(false);
  });

  it('is in --help with every flag', () => {
    const { code, stdout } = shardline(['install-service', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--dry-run', '--user <name>', '--config <file>', '--unit-dir <dir>', '--root <dir>']) expect(stdout).toContain(flag);
    expect(shardline(['--help']).stdout).toContain('install-service');
  });
});
