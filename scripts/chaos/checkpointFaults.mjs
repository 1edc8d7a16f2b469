// Scenario 3: the checkpoints cannot be written, while a writer appends 1,000 lines/s and rotates.
// - read-only: the data dir is bind-mounted read-only over itself (as root, chmod would not bite),
//   then made writable again; once the agent says it writes checkpoints again, kill -9 and restart:
//   the checkpoint written after the fault must be right (nothing lost, duplicates only since it).
// - disk full: the data dir is a 1 MiB tmpfs, filled up; the agent is killed -9 while it is full,
//   the space is freed and the agent restarted: it must continue from the last checkpoint it managed
//   to write before the disk filled, so everything since is sent again (explained duplicates).
// Both need mount (root with CAP_SYS_ADMIN); without it the scenario is reported as skipped.
import { mkdirSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { drain, killAgent, LogWriter, monitorRss, mount, resultRow, SeqSource, sleep, spawnAgent, tempDir, unmount, writeAgentConfig } from './harness.mjs';

async function withAgent(ctx, stream, body) {
  const { endpoint } = ctx;
  const dir = tempDir(stream);
  const state = { agents: [], monitors: [], writer: undefined, rotating: true, mounted: undefined };
  try {
    await endpoint.stream(stream);
    const logs = join(dir.path, 'logs');
    const dataDir = join(dir.path, 'data');
    mkdirSync(logs);
    mkdirSync(dataDir);
    const config = writeAgentConfig(dir.path, endpoint.url, [{ name: stream, filePattern: join(logs, 'app.log*'), kinesisStream: stream }]);
    const start = () => {
      const agent = spawnAgent({ config, dataDir });
      state.agents.push(agent);
      state.monitors.push(monitorRss(agent.pid));
      return agent;
    };
    const seqs = new SeqSource();
    const startWriting = () => {
      state.writer = new LogWriter({ file: join(logs, 'app.log'), seqs, rate: 1000 });
      state.rotations = (async () => {
        while (state.rotating) {
          await sleep(1000);
          if (state.rotating) state.writer.rename();
        }
      })();
    };
    const finish = async (agent) => {
      await sleep(1000);
      state.rotating = false;
      await state.rotations;
      state.writer.stop();
      const tally = await drain(endpoint, stream, seqs.expected, { timeoutMillis: 45_000 });
      const exit = await agent.stop('SIGTERM');
      const peakRssMB = Math.max(...state.monitors.map((m) => { m.stop(); return m.peakMB; }));
      return { tally, exit, peakRssMB };
    };
    return await body({ dataDir, start, startWriting, finish, state, kill: (agent) => killAgent(agent, endpoint, stream, dataDir) });
  } finally {
    state.rotating = false;
    state.writer?.stop();
    for (const m of state.monitors) m.stop();
    for (const a of state.agents) if (a.exitValue === undefined) await a.stop('SIGKILL');
    if (state.mounted !== undefined) unmount(state.mounted, { lazy: true });
    await endpoint.drop(stream);
    dir.cleanup();
  }
}

/** @param {{ endpoint: any }} ctx @param {{ holdMillis: number }} params */
export async function readOnlyCheckpoints(ctx, params) {
  const started = Date.now();
  return withAgent(ctx, 'chaos-readonly', async ({ dataDir, start, startWriting, finish, state, kill }) => {
    const failures = [];
    let agent = start();
    startWriting();
    await agent.waitForLog(/started with 1 flow/);
    await sleep(1500);
    mount(['--bind', dataDir, dataDir]);
    state.mounted = dataDir;
    mount(['-o', 'remount,ro,bind', dataDir]);
    await agent.waitForLog(/cannot write checkpoints to .*read-only file system.*will retry/i, params.holdMillis + 5000);
    await sleep(params.holdMillis);
    const warned = agent.progress('chaos-readonly')?.warnings?.some((w) => /cannot write checkpoints/.test(w)) === true;
    if (!warned) failures.push('the read-only data dir was not in the flow\'s warnings');
    unmount(dataDir);
    state.mounted = undefined;
    await agent.waitForLog(/checkpoints written to .* again/, 10_000);
    await sleep(1500);
    const exit = await kill(agent);
    if (exit !== 'SIGKILL') failures.push(`the agent had exited (${exit}) before the kill -9`);
    agent = start();
    const result = await finish(agent);
    if (result.exit !== 0) failures.push(`the agent exited ${result.exit} on SIGTERM`);
    return [resultRow({
      scenario: `checkpoint dir read-only ${params.holdMillis / 1000} s, then writable; kill -9`,
      tally: result.tally,
      peakRssMB: result.peakRssMB,
      failures,
      notes: ['data dir bind-mounted read-only over itself (EROFS): logged, shown in warnings, shipping went on; "written again" after umount; kill -9 + restart from the new checkpoint'],
      seconds: (Date.now() - started) / 1000,
    })];
  });
}

/** @param {{ endpoint: any }} ctx @param {{ holdMillis: number }} params */
export async function diskFullCheckpoints(ctx, params) {
  const started = Date.now();
  return withAgent(ctx, 'chaos-diskfull', async ({ dataDir, start, startWriting, finish, state, kill }) => {
    const failures = [];
    mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dataDir]);
    state.mounted = dataDir;
    let agent = start();
    startWriting();
    await agent.waitForLog(/started with 1 flow/);
    await sleep(1500);
    const filler = join(dataDir, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      if (error.code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
    await agent.waitForLog(/cannot write checkpoints to .*no space left on device.*will retry/i, params.holdMillis + 5000);
    await sleep(params.holdMillis);
    const exit = await kill(agent);
    if (exit !== 'SIGKILL') failures.push(`the agent had exited (${exit}) before the kill -9`);
    rmSync(filler);
    agent = start();
    await agent.waitForLog(/started with 1 flow/);
    const result = await finish(agent);
    if (result.exit !== 0) failures.push(`the agent exited ${result.exit} on SIGTERM`);
    return [resultRow({
      scenario: `disk full under the checkpoints ${params.holdMillis / 1000} s; kill -9 while full`,
      tally: result.tally,
      peakRssMB: result.peakRssMB,
      failures,
      notes: ['data dir on a 1 MiB tmpfs filled to ENOSPC: logged, shipping went on; kill -9 while full, space freed, restart from the last checkpoint written before'],
      seconds: (Date.now() - started) / 1000,
    })];
  });
}

/** Both side by side (separate agents, data dirs and streams). */
export async function checkpointFaults(ctx, params) {
  return (await Promise.all([readOnlyCheckpoints(ctx, params), diskFullCheckpoints(ctx, params)])).flat();
}
