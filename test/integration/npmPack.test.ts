import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What `npm i -g shardline` installs on a server: the daemon and the web UI, nothing of the tray app
 * or the tests, and no Electron among the dependencies. `--ignore-scripts`: `prepare` would rebuild
 * dist/ and the web UI, which the other tests use.
 */
describe('the npm package (npm pack --dry-run)', () => {
  let packed: { status: number | null; stderr: string };
  let files: string[] = [];
  beforeAll(() => {
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
    packed = result;
    if (result.status === 0) files = (JSON.parse(result.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  });

  it('holds the command, the built daemon and the built web UI', () => {
    expect(packed.status, packed.stderr).toBe(0);
    for (const file of ['package.json', 'README.md', 'bin/shardline.js', 'dist/cli/main.js', 'dist/cli/launch.js', 'dist/cli/agentWorker.js', 'renderer/dist/index.html']) {
      expect(files).toContain(file);
    }
  });

  it.each([
    ['tests', /^test\//],
    ['TypeScript sources', /^src\//],
    ['the tray app or Electron', /(^|\/)electron(\/|$)|^dist-electron\//],
    ['the web UI\'s sources', /^renderer\/(?!dist\/)/],
    ['scripts and tool configs', /^(scripts\/|[^/]*\.config\.|tsconfig|electron-builder)/],
    ['the single-file bundle', /^dist-bundle\//],
  ])('holds no %s', (_what, pattern) => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => pattern.test(f))).toEqual([]);
  });

  it('declares the command and Node >= 20.19, with Electron only among the dev dependencies', () => {
    const pkg = JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { bin: Record<string, string>; engines: { node: string }; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.bin).toEqual({ shardline: 'bin/shardline.js' });
    expect(pkg.engines.node).toBe('>=20.19');
    expect(Object.keys(pkg.dependencies).filter((name) => /electron|playwright|vite|preact|uplot|kinesalite/.test(name))).toEqual([]);
    expect(Object.keys(pkg.devDependencies)).toContain('electron');
  });
});
