import { Worker } from 'node:worker_threads';
import { EXIT_FAILURE } from './exitCodes.js';
import { normalizeArgv } from './normalizeArgv.js';

/**
 * Heap limits of the agent's thread. V8 sizes its heap for throughput, not footprint: on a 200 MB
 * backlog the default young generation (16 MB semi-spaces) and an old generation allowed to grow
 * toward the machine's memory peaked at 165 MB RSS; with these, 94 MB. They can only be set when a
 * heap is created, hence a worker thread (flags given to `node` would not reach `node bin/…`).
 * 512 MB of old generation is far above what the agent uses (its memory is bounded by
 * maxInFlightBytes) and turns a leak into a crash the service manager restarts, not a swapping host.
 */
export const AGENT_HEAP_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 512 };

/**
 * Runs a command line: `run` in a worker thread with bounded heap, everything else in place.
 * `agentWorker` is the module that thread runs: agentWorker.js beside this file, or, in the
 * single-file bundle, the bundle itself (bundleEntry.ts runs agentWorker when it is not the main thread).
 */
export async function launch(argv: readonly string[], agentWorker: URL = new URL('./agentWorker.js', import.meta.url)): Promise<number> {
  const { args } = normalizeArgv(argv);
  if (args[0] !== 'run' || args.includes('--help') || args.includes('-h')) {
    // Loaded only here: for `run` this thread just forwards signals, and the agent's modules (the AWS
    // SDK above all) loaded in it too would cost tens of MB of RSS for nothing.
    const { main } = await import('./main.js');
    return main(argv);
  }
  return runInWorker(argv, agentWorker);
}

function runInWorker(argv: readonly string[], agentWorker: URL): Promise<number> {
  const worker = new Worker(agentWorker, { workerData: { argv: [...argv] }, resourceLimits: AGENT_HEAP_LIMITS });
  const forward = (signal: NodeJS.Signals) => () => worker.postMessage({ signal });
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const handlers = signals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    worker.on('message', (message: { exitCode?: number }) => {
      if (message.exitCode !== undefined) exitCode = message.exitCode;
    });
    worker.on('error', (error) => {
      process.stderr.write(`shardline: the agent stopped: ${error.message}\n`);
      exitCode = EXIT_FAILURE;
    });
    worker.on('exit', (code) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(exitCode ?? (code === 0 ? 0 : EXIT_FAILURE));
    });
  });
}
