import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';

// The agent's thread (see launch.ts). Signals reach only the main thread, which forwards them here
// as messages; they are re-emitted so runCommand's process.on('SIGTERM') handlers see them.
parentPort?.on('message', (message: { signal?: NodeJS.Signals }) => {
  if (message.signal !== undefined) process.emit(message.signal, message.signal);
});
const code = await main((workerData as { argv: string[] }).argv);
parentPort?.postMessage({ exitCode: code });
process.exit(code);
