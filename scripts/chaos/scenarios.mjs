// The chaos scenarios (issue 8), their long and quick parameters and time limits, shared by
// `npm run chaos` (run.mjs) and the vitest file test/integration/chaos.test.ts.
import { backlog } from './backlog.mjs';
import { checkpointFaults } from './checkpointFaults.mjs';
import { endpointFaults } from './endpointFaults.mjs';
import { bounded, canMount, emergencyCleanup, isRoot, seededRandom } from './harness.mjs';
import { killRestart } from './killRestart.mjs';
import { sourceFaults } from './sourceFaults.mjs';

const MIB = 1024 * 1024;
const MINUTE = 60_000;

export const SCENARIOS = [
  {
    id: 'kill',
    title: 'kill -9 at random moments while writing and rotating',
    run: killRestart,
    long: { kills: 20, rate: 2000, minUpMillis: 300, maxUpMillis: 4000, maxDownMillis: 1000, rotateEveryMillis: 700 },
    quick: { kills: 5, rate: 2000, minUpMillis: 300, maxUpMillis: 2000, maxDownMillis: 500, rotateEveryMillis: 700 },
    limitMillis: { long: 8 * MINUTE, quick: 90_000 },
  },
  {
    id: 'endpoint',
    title: 'endpoint down, then back; 90% of records throttled (Streams and Firehose)',
    run: endpointFaults,
    long: { downMillis: MINUTE, throttleMillis: MINUTE, rate: 1000 },
    quick: { downMillis: 5000, throttleMillis: 5000, rate: 1000 },
    limitMillis: { long: 6 * MINUTE, quick: 90_000 },
  },
  {
    id: 'checkpoints',
    title: 'checkpoint dir read-only, then writable; disk full for checkpoints',
    run: checkpointFaults,
    requires: { ok: canMount, why: 'mount is not permitted here (needs root with CAP_SYS_ADMIN)' },
    long: { holdMillis: 30_000 },
    quick: { holdMillis: 3000 },
    limitMillis: { long: 4 * MINUTE, quick: 90_000 },
  },
  {
    id: 'sources',
    title: 'file replaced by a directory; permissions; runaway line; binary garbage',
    run: sourceFaults,
    requires: { ok: isRoot, why: 'dropping privileges with setpriv needs root' },
    long: { hugeLineBytes: 50 * MIB, garbageBytes: 20 * MIB, holdMillis: 10_000 },
    quick: { hugeLineBytes: 10 * MIB, garbageBytes: 2 * MIB, holdMillis: 3000 },
    limitMillis: { long: 4 * MINUTE, quick: 90_000 },
  },
  {
    id: 'backlog',
    title: 'backlog read from the start, RSS sampled',
    run: backlog,
    long: { bytes: 2e9 },
    quick: { bytes: 100e6 },
    limitMillis: { long: 40 * MINUTE, quick: 90_000 },
  },
];

/**
 * Runs one scenario and returns its rows. An error or an overrun becomes a FAIL row (after the
 * scenario's agents are killed and its mounts undone); a missing privilege a SKIP row.
 * @param {typeof SCENARIOS[number]} scenario
 * @param {{ quick: boolean, endpoint: any, seed: number, log?: (line: string) => void }} options
 */
export async function runScenario(scenario, { quick, endpoint, seed, log = () => {} }) {
  const started = Date.now();
  if (scenario.requires !== undefined && !scenario.requires.ok) {
    return [{ scenario: scenario.title, verdict: 'SKIP', failures: [], notes: [`skipped: ${scenario.requires.why}`], seconds: 0 }];
  }
  const params = quick ? scenario.quick : scenario.long;
  const limit = quick ? scenario.limitMillis.quick : scenario.limitMillis.long;
  const ctx = { endpoint, random: seededRandom(seed), log, quick };
  let overran = false;
  try {
    return await bounded(limit, scenario.title, () => scenario.run(ctx, params), async () => {});
  } catch (error) {
    overran = /did not finish within/.test(String(error?.message));
    return [{ scenario: scenario.title, verdict: 'FAIL', failures: [String(error?.stack ?? error)], notes: [], seconds: (Date.now() - started) / 1000 }];
  } finally {
    if (overran) emergencyCleanup();
  }
}
