import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir.js';

const run = promisify(execFile);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// A fuse's state byte in the wire (@electron/fuses FuseState): ASCII "0" disabled, "1" enabled.
const DISABLE = 0x30;
const ENABLE = 0x31;

/**
 * electron-builder with this repository's electron-builder.yml, offline: Electron's binary cannot
 * be downloaded here, so a stub "electron" stands in (with a fuse wire, so the fuses step runs for
 * real). Checks that the unpacked app holds the main entry, preload, agent process, renderer, tray
 * assets and the CLI, and that the fuses were set (issue 7).
 */
describe('desktop packaging (electron-builder --dir, stub Electron)', () => {
  let out: string;
  let asar: string;
  beforeAll(async () => {
    const dir = await tempDir();
    const stub = join(dir.path, 'electron-dist');
    await mkdir(stub);
    // Eight fuses, all "0" (disabled) as a starting point; electron-builder must flip them as configured.
    const wire = '00000000';
    await writeFile(join(stub, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire, 'latin1'), Buffer.from('\n')]));
    await chmod(join(stub, 'electron'), 0o755);
    await run(process.execPath, ['scripts/bundle.mjs'], { maxBuffer: 16 << 20 });
    out = join(dir.path, 'release');
    await run('npx', ['--no-install', 'electron-builder', '--linux', '--dir', `-c.electronDist=${stub}`, `-c.directories.output=${out}`], { maxBuffer: 64 << 20, env: { ...process.env, CI: 'true' } });
    asar = join(out, 'linux-unpacked', 'resources', 'app.asar');
  }, 180_000);

  it('the app archive holds the main entry, preload, agent process, renderer, tray assets and the CLI; no sources or tests', () => {
    const files = new Set(listPackage(asar, { isPack: false }).map((p) => p.replace(/\\/g, '/')));
    for (const file of [
      '/package.json', '/dist-electron/main.mjs', '/dist-electron/preload.cjs', '/dist-electron/agentHost.mjs',
      '/renderer/dist/index.html', '/assets/icons/tray-ok.png', '/assets/icons/tray-warning.png', '/assets/icons/tray-error.png', '/assets/icons/icon.png',
      '/bin/shardline.js', '/dist/cli/main.js', '/dist/node/host/agentHostMain.js', '/node_modules/zod/package.json', '/node_modules/sql.js/package.json',
    ]) expect(files, file).toContain(file);
    const unwanted = [...files].filter((f) => /^\/(src|test|scripts)\//.test(f) || f.endsWith('.map') || f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/vitest/'));
    expect(unwanted).toEqual([]);
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string; productName: string };
    expect(manifest.main).toBe('dist-electron/main.mjs');
    expect(manifest.productName).toBe('Shardline');
    expect(manifest.name).toBe('shardline');
    // The preload is one sandbox-loadable file: only `electron` is required from outside.
    const preload = extractFile(asar, 'dist-electron/preload.cjs').toString('utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('the executable is named shardline and its fuses are set: no run-as-node, no NODE_OPTIONS, no --inspect, asar only', async () => {
    const executable = join(out, 'linux-unpacked', 'shardline');
    expect(existsSync(executable)).toBe(true);
    const wire = await getCurrentFuseWire(executable);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
  });

  it('the single-file CLI ships beside the app and runs with plain Node', async () => {
    const cli = join(out, 'linux-unpacked', 'resources', 'cli', 'shardline.mjs');
    const { stdout } = await run(process.execPath, [cli, '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(out, 'linux-unpacked', 'resources', 'cli', 'renderer', 'index.html'))).toBe(true);
  });
});
