import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of DESIGN §1 is enforced by ESLint; these cases prove that it bites.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering rule', () => {
  it.each([
    ['src/core/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/core/bad.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    ['src/core/bad.ts', "import { KinesisClient } from '@aws-sdk/client-kinesis';\nexport const x = KinesisClient;\n"],
    ['src/core/bad.ts', "import { x } from '../node/x.js';\nexport const y = x;\n"],
    ['src/shared/bad.ts', "import { x } from '../core/x.js';\nexport const y = x;\n"],
    ['src/node/bad.ts', "import { x } from '../cli/x.js';\nexport const y = x;\n"],
    ['src/node/bad.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['renderer/bad.ts', "import { x } from '../src/node/x.js';\nexport const y = x;\n"],
    ['src/cli/bad.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['src/electron/main/TrayThing.ts', "import { Tray } from 'electron';\nexport const y = Tray;\n"],
    ['src/electron/preload/other.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n"],
    ['test/integration/bad.test.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    ['scripts/bad.mjs', "import electron from 'electron';\nexport const y = electron;\n"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await ruleIds(filePath, code)).toContain('no-restricted-imports');
  });

  it('src/core may not use process or Buffer', async () => {
    expect(await ruleIds('src/core/bad.ts', 'export const x = process.pid + Buffer.length;\n')).toEqual(['no-restricted-globals', 'no-restricted-globals']);
  });

  it.each([
    ['src/core/good.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['src/node/good.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/cli/good.ts', "import { x } from '../node/x.js';\nexport const y = x;\n"],
    ['src/electron/main/main.ts', "import * as electron from 'electron';\nexport const y = electron;\n"],
    ['src/electron/preload/preload.ts', "import { contextBridge } from 'electron';\nexport const y = contextBridge;\n"],
    ['src/electron/main/Good.ts', "import type { BrowserWindowConstructorOptions } from 'electron';\nexport type Y = BrowserWindowConstructorOptions;\n"],
    ['test/support/good.ts', "import type { BrowserWindowConstructorOptions } from 'electron';\nexport type Y = BrowserWindowConstructorOptions;\n"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await ruleIds(filePath, code)).toEqual([]);
  });
});
