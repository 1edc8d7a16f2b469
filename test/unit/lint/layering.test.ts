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
  ])('%s may: %s', async (filePath, code) => {
    expect(await ruleIds(filePath, code)).toEqual([]);
  });
});
