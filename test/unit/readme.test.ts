import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../src/core/config/configReference.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('documents every config key exactly as the schema defines it (npm run docs:config)', () => {
    const section = readme.split('<!-- config-reference:start -->\n')[1]?.split('<!-- config-reference:end -->')[0];
    expect(section).toBe(configReference());
  });

  it.each(['npm ci && npm run demo', 'npm ci && npm test', 'shardline run --config', 'shardline validate'])('shows `%s`', (command) => {
    expect(readme).toContain(command);
  });
});
