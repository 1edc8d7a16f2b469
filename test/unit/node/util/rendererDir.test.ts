import { describe, expect, it } from 'vitest';
import { rendererDir } from '../../../../src/node/util/rendererDir.js';

describe('rendererDir', () => {
  it.each<[string, string, string[], string]>([
    ['the npm package: renderer/dist at the package root', 'file:///usr/lib/node_modules/shardline/dist/node/util/rendererDir.js', [], '/usr/lib/node_modules/shardline/renderer/dist/'],
    ['the single-file bundle: renderer/ beside it', 'file:///opt/shardline/shardline.mjs', ['/opt/shardline/renderer/index.html'], '/opt/shardline/renderer/'],
    ['a bundle copied without its renderer/ falls back (the UI is then missing, the agent runs)', 'file:///opt/shardline/shardline.mjs', [], '/renderer/dist/'],
  ])('%s', (_name, here, existing, expected) => {
    expect(rendererDir(here, (path) => existing.includes(path))).toBe(expected);
  });
});
