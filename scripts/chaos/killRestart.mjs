// Scenario 1: kill -9 of the agent at random moments while a writer appends 2,000 lines/s and the
// file rotates (rename + create, and copytruncate), each time restarted at once or after a pause.
// Nothing may be lost; a duplicate is allowed only for a record accepted after the last checkpoint
// write before a kill (or whose answer was lost), which the endpoint checks one by one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { drain, killAgent, LogWriter, monitorRss, resultRow, SeqSource, sleep, spawnAgent, tempDir, writeAgentConfig } from './harness.mjs';

/**
 * @param {{ endpoint: any, random: () => number, log: (line: string) => void }} ctx
 * @param {{ kills: number, rate: number, minUpMillis: number, maxUpMillis: number, maxDownMillis: number, rotateEveryMillis: number }} params
 */
export async function killRestart(ctx, params) {
  const { endpoint, random, log } = ctx;
  const started = Date.now();
  const stream = 'chaos-kill';
  const dir = tempDir('kill');
  const agents = [];
  const monitors = [];
  let writer;
  let rotating = true;
  try {
    await endpoint.stream(stream);
    const logs = join(dir.path, 'logs');
    const dataDir = join(dir.path, 'data');
    mkdirSync(logs);
    const config = writeAgentConfig(dir.path, endpoint.url, [{ name: stream, filePattern: join(logs, 'app.log*'), kinesisStream: stream }]);
    const start = () => {
      const agent = spawnAgent({ config, dataDir });
      agents.push(agent);
      monitors.push(monitorRss(agent.pid));
      return agent;
    };
    const seqs = new SeqSource();
    writer = new LogWriter({ file: join(logs, 'app.log'), seqs, rate: params.rate });
    let agent = start();

    // Rotations at a steady pace, one in three a copytruncate, whether the agent is up or not.
    const rotations = (async () => {
      while (rotating) {
        await sleep(params.rotateEveryMillis * (0.5 + random()));
        if (!rotating) break;
        if (random() < 1 / 3) writer.copytruncate();
        else writer.rename();
      }
    })();

    const uptimes = [];
    for (let k = 0; k < params.kills; k += 1) {
      const up = Math.round(params.minUpMillis + random() * (params.maxUpMillis - params.minUpMillis));
      await sleep(up);
      uptimes.push(up);
      const exit = await killAgent(agent, endpoint, stream, dataDir);
      if (exit !== 'SIGKILL') throw new Error(`agent ${k + 1} had exited (${exit}) before its kill -9: ${agent.stderr.join('\n')} ${agent.lines.slice(-3).join('\n')}`);
      await sleep(Math.round(random() * params.maxDownMillis));
      agent = start();
    }
    await sleep(1500);
    rotating = false;
    await rotations;
    writer.stop();
    const tally = await drain(endpoint, stream, seqs.expected, { timeoutMillis: 45_000 });
    const exit = await agent.stop('SIGTERM');
    const failures = exit === 0 ? [] : [`the last agent exited ${exit} on SIGTERM`];
    const peakRssMB = Math.max(...monitors.map((m) => { m.stop(); return m.peakMB; }));
    log(`kill -9: uptimes before each kill ${uptimes.join(', ')} ms; rotations ${JSON.stringify(writer.rotations)}`);
    return [resultRow({
      scenario: `kill -9 ×${params.kills} while writing ${params.rate} lines/s and rotating`,
      tally,
      peakRssMB,
      failures,
      notes: [`rotations: ${writer.rotations.rename} rename + create, ${writer.rotations.copytruncate} copytruncate; agent up ${Math.min(...uptimes)}–${Math.max(...uptimes)} ms before each kill`],
      seconds: (Date.now() - started) / 1000,
    })];
  } finally {
    rotating = false;
    writer?.stop();
    for (const m of monitors) m.stop();
    for (const a of agents) if (a.exitValue === undefined) await a.stop('SIGKILL');
    await endpoint.drop(stream);
    dir.cleanup();
  }
}
