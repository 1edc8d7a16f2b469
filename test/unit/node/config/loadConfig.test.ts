import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/node/config/loadConfig.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const flows = (...streams: string[]) => JSON.stringify({ flows: streams.map((s) => ({ filePattern: `/var/log/${s}/*.log`, kinesisStream: s })) });
const SKIPPED = 'not read: looks like a backup or hidden file';

/** A config dir with agent.json (one flow, stream `main`) and the given agent.d entries. */
async function configDir(dropIns: Record<string, string> = {}): Promise<{ dir: string; config: string; dropInDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shardline-config-'));
  dirs.push(dir);
  const config = join(dir, 'agent.json');
  await writeFile(config, flows('main'));
  const dropInDir = join(dir, 'agent.d');
  if (Object.keys(dropIns).length > 0) await mkdir(dropInDir);
  for (const [name, text] of Object.entries(dropIns)) await writeFile(join(dropInDir, name), text);
  return { dir, config, dropInDir };
}

describe('loadConfig', () => {
  it('reads agent.json, then agent.d/*.json in file-name order', async () => {
    const { config, dropInDir } = await configDir({ '20-b.json': flows('b'), '10-a.json': flows('a', 'a2'), '3-c.json': flows('c'), 'zz-no-extension': flows('d') });
    const result = await loadConfig(config);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.dropInDir).toBe(dropInDir);
    expect(result.config?.flows.map((f) => f.streamName)).toEqual(['main', 'a', 'a2', 'b', 'c', 'd']);
    expect(result.origins).toEqual([
      { file: config, index: 0 },
      { file: join(dropInDir, '10-a.json'), index: 0 },
      { file: join(dropInDir, '10-a.json'), index: 1 },
      { file: join(dropInDir, '20-b.json'), index: 0 },
      { file: join(dropInDir, '3-c.json'), index: 0 },
      { file: join(dropInDir, 'zz-no-extension'), index: 0 },
    ]);
  });

  it('works without an agent.d directory, or with agent.d being a regular file', async () => {
    const { dir, config, dropInDir } = await configDir();
    expect(await loadConfig(config)).toMatchObject({ ok: true, problems: [], warnings: [], dropInDir });
    await writeFile(join(dir, 'agent.d'), flows('x'));
    const result = await loadConfig(config);
    expect(result).toMatchObject({ ok: true, problems: [], warnings: [] });
    expect(result.config?.flows.map((f) => f.streamName)).toEqual(['main']);
  });

  it.each([
    'x.json~',
    '.hidden.json',
    'x.rpmnew',
    'x.rpmsave',
    'x.json.bak',
    '.x.json.swp',
    'x.json.tmp',
    'x.json.orig',
    'x.json.dpkg-old',
    'x.json.dpkg-dist',
    'x.json.ucf-new',
  ])('skips %s with a warning and does not read it', async (name) => {
    const { config, dropInDir } = await configDir({ [name]: '{ this is not JSON', 'ok.json': flows('ok') });
    const result = await loadConfig(config);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([{ file: join(dropInDir, name), path: '', message: SKIPPED }]);
    expect(result.config?.flows.map((f) => f.streamName)).toEqual(['main', 'ok']);
  });

  it('warns once per skipped file, in name order', async () => {
    const { config, dropInDir } = await configDir({ 'x.rpmnew': '', '.hidden.json': '', 'x.json~': '' });
    const result = await loadConfig(config);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.file, w.message])).toEqual(['.hidden.json', 'x.json~', 'x.rpmnew'].map((name) => [join(dropInDir, name), SKIPPED]));
  });

  it.each<[string, (dir: string) => Promise<string>, string]>([
    ['a missing config file', (dir) => Promise.resolve(join(dir, 'missing', 'agent.json')), 'cannot read the config file: no such file'],
    ['a config path that is a directory', async (dir) => {
      await mkdir(join(dir, 'conf.json'));
      return join(dir, 'conf.json');
    }, 'cannot read the config file: is a directory'],
  ])('%s is a problem naming the file', async (_name, makePath, message) => {
    const { dir } = await configDir();
    const path = await makePath(dir);
    const result = await loadConfig(path);
    expect(result).toStrictEqual({ ok: false, origins: [], warnings: [], dropInDir: join(path, '..', 'agent.d'), problems: [{ file: path, path: '', message }] });
  });

  it('ignores a subdirectory inside agent.d, whatever its name', async () => {
    const { config, dropInDir } = await configDir({ 'a.json': flows('a') });
    await mkdir(join(dropInDir, 'sub.json'));
    await writeFile(join(dropInDir, 'sub.json', 'inner.json'), flows('inner'));
    const result = await loadConfig(config);
    expect(result).toMatchObject({ ok: true, problems: [], warnings: [] });
    expect(result.config?.flows.map((f) => f.streamName)).toEqual(['main', 'a']);
  });

  it('reads a drop-in that is a symlink to a file', async () => {
    const { dir, config, dropInDir } = await configDir({ 'a.json': flows('a') });
    await writeFile(join(dir, 'shared-flows.json'), flows('linked'));
    await symlink(join(dir, 'shared-flows.json'), join(dropInDir, 'b.json'));
    const result = await loadConfig(config);
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.config?.flows.map((f) => f.streamName)).toEqual(['main', 'a', 'linked']);
  });

  it('a drop-in that is a broken symlink is a problem naming that file', async () => {
    const { dir, config, dropInDir } = await configDir({ 'a.json': flows('a') });
    await symlink(join(dir, 'gone.json'), join(dropInDir, 'b.json'));
    const result = await loadConfig(config);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ file: join(dropInDir, 'b.json'), path: '', message: 'cannot read the drop-in: no such file' }]);
  });

  it('a drop-in that does not parse is a problem naming that file', async () => {
    const { config, dropInDir } = await configDir({ 'a.json': flows('a'), 'b.json': '{"flows": [' });
    const result = await loadConfig(config);
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((p) => p.file === join(dropInDir, 'b.json'))).toBe(true);
  });
});
