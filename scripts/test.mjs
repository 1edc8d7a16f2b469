#!/usr/bin/env node
// `npm test`: lint, typecheck, build (the CLI tests run bin/shardline.js against dist/), then every
// vitest project. Ends with the plain summary line `N passed, N failed` that CI reads, taken from
// vitest's JSON reporter (vitest's own summary is not in that form).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', AWS_EC2_METADATA_DISABLED: 'true' };
const step = (name, command, args) => {
  process.stdout.write(`\n> ${name}: ${command} ${args.join(' ')}\n`);
  return spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' }).status ?? 1;
};

// The build is `npm run build`: the CLI (tsc) and the web UI (vite), both used by the tests.
for (const [name, command, args] of [['lint', 'npx', ['--no-install', 'eslint', '.']], ['typecheck', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.json', '--noEmit']], ['build', 'npm', ['run', 'build']]]) {
  if (step(name, command, args) !== 0) {
    process.stdout.write(`\n${name} failed\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

const report = '.vitest.json';
rmSync(report, { force: true });
const status = step('tests', 'npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
if (!existsSync(report)) {
  process.stdout.write('\nvitest wrote no report\n0 passed, 1 failed\n');
  process.exit(status === 0 ? 1 : status);
}
const results = JSON.parse(readFileSync(report, 'utf8'));
const skipped = results.numPendingTests + results.numTodoTests;
// A test file that fails to load has no failed test but is a failure all the same.
const failed = results.numFailedTests + (results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? results.numFailedTestSuites : 0);
if (skipped > 0) process.stdout.write(`\n${skipped} skipped\n`);
// The last line, exactly `N passed, N failed`: what CI reads.
process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
process.exit(status !== 0 || failed > 0 || results.numPassedTests === 0 ? 1 : 0);
