import { describe, expect, it } from 'vitest';
import { splitGlobPattern } from '../../../../src/core/source/splitGlobPattern.js';

describe('splitGlobPattern', () => {
  it.each([
    ['/var/log/app/*.log', '/var/log/app', '*.log', false],
    ['/tmp/app.log*', '/tmp', 'app.log*', false],
    ['/var/log/app.log', '/var/log', 'app.log', false],
    ['/var/log/*/app*.log', '/var/log', '*/app*.log', false],
    ['/srv/**/access.log', '/srv', '**/access.log', true],
    ['/a/{b,c}/d/*.log', '/a', '{b,c}/d/*.log', false],
    ['/app.log', '/', 'app.log', false],
    ['logs/*.log', 'logs', '*.log', false],
  ])('%s → base %s, glob %s', (pattern, baseDir, relativeGlob, recursive) => {
    expect(splitGlobPattern(pattern)).toMatchObject({ baseDir, relativeGlob, recursive });
  });
});
