#!/usr/bin/env node
// `npm run chaos` (issue 8): the real CLI (bin/shardline.js, built in dist/) under kill -9, endpoint
// outages and throttling, checkpoint faults, file faults and a large backlog, all on 127.0.0.1. Each
// scenario prints lines written / delivered / lost / duplicated; a table ends the run; the exit code
// is 1 if any line was lost or any check failed (FAIL); a missed target alone (WARN) does not fail.
//   npm run chaos                      the long version (about 5 minutes)
//   npm run chaos -- --quick           every scenario, short (under 2 minutes)
//   npm run chaos -- --only kill,backlog --seed 42
import { startEndpoint } from './endpointClient.mjs';
import { emergencyCleanup } from './harness.mjs';
import { runScenario, SCENARIOS } from './scenarios.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const quick = args.includes('--quick');
const only = option('--only')?.split(',');
const seed = Number(option('--seed') ?? Math.floor(Math.random() * 2 ** 31));
const unknown = (only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
if (args.includes('--help') || unknown.length > 0) {
  process.stdout.write(`usage: npm run chaos [-- [--quick] [--only ${SCENARIOS.map((s) => s.id).join(',')}] [--seed N]]\n`);
  process.exit(unknown.length > 0 ? 2 : 0);
}

const say = (line) => process.stdout.write(`${line}\n`);
process.on('SIGINT', () => {
  emergencyCleanup();
  process.exit(130);
});

const started = Date.now();
say(`Shardline chaos (${quick ? 'quick' : 'long'}; seed ${seed}; Node ${process.version})`);
const endpoint = await startEndpoint();
const rows = [];
try {
  for (const scenario of SCENARIOS.filter((s) => only === undefined || only.includes(s.id))) {
    say(`\n▶ ${scenario.id}: ${scenario.title}`);
    const scenarioRows = await runScenario(scenario, { quick, endpoint, seed, log: (line) => say(`  ${line}`) });
    for (const row of scenarioRows) {
      say(row.verdict === 'SKIP'
        ? `  ${row.scenario}: SKIP (${row.notes.join('; ')})`
        : `  ${row.scenario}: lines written ${row.written ?? '?'} / delivered ${row.delivered ?? '?'} / lost ${row.lost ?? '?'} / duplicated ${row.duplicated ?? '?'} — ${row.verdict}${row.seconds === undefined ? '' : ` (${row.seconds.toFixed(1)} s)`}`);
      for (const note of row.verdict === 'SKIP' ? [] : row.notes) say(`    · ${note}`);
      for (const warning of row.warnings ?? []) say(`    ! ${warning}`);
      for (const failure of row.failures) say(`    ✗ ${failure}`);
    }
    rows.push(...scenarioRows);
  }
} finally {
  await endpoint.close();
}

const columns = [
  ['scenario', (r) => r.scenario],
  ['written', (r) => r.written],
  ['delivered', (r) => r.delivered],
  ['lost', (r) => r.lost],
  ['duplicated', (r) => r.duplicated],
  ['peak RSS MB', (r) => r.peakRssMB],
  ['verdict', (r) => r.verdict],
];
const table = [columns.map(([name]) => name), ...rows.map((r) => columns.map(([, get]) => (get(r) === undefined ? '' : String(get(r)))))];
const widths = columns.map((_, i) => Math.max(...table.map((r) => r[i].length)));
say(`\nShardline chaos (${quick ? 'quick' : 'long'}; seed ${seed}) — ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
for (const [i, r] of table.entries()) {
  say(r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  '));
  if (i === 0) say(widths.map((w) => '-'.repeat(w)).join('  '));
}
const failed = rows.filter((r) => r.verdict === 'FAIL');
for (const row of rows.filter((r) => r.verdict === 'WARN')) say(`\nWARN ${row.scenario}: ${row.warnings.join('; ')}`);
const lost = rows.reduce((sum, r) => sum + (r.lost ?? 0), 0);
say(`\n${failed.length === 0 ? 'no line lost, every check passed' : `${failed.length} scenario(s) failed${lost > 0 ? `, ${lost} lines lost` : ''}`}; duplicates are those of records accepted after the last checkpoint before a kill -9 or whose answer was lost`);
process.exit(failed.length === 0 ? 0 : 1);
