// Starts the chaos endpoint (endpoint.mjs) in its own process and talks to it over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENDPOINT = fileURLToPath(new URL('./endpoint.mjs', import.meta.url));

/**
 * @returns {Promise<{ url: string, port: number, pid: number, mode(mode: object): Promise<unknown>, stream(name: string, options?: object): Promise<unknown>,
 *   kill(stream: string, checkpointMs: number): Promise<unknown>, stats(stream: string): Promise<any>, tally(stream: string, expected: [number, number][]): Promise<any>,
 *   others(stream: string): Promise<{ data?: Uint8Array, length: number, sha1: string, partitionKey?: string, at: number }[]>, drop(stream: string): Promise<unknown>, close(): Promise<void> }>}
 */
export async function startEndpoint() {
  const child = fork(ENDPOINT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const pending = new Map();
  let nextId = 1;
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the chaos endpoint exited (${code}) before listening`)));
    child.once('message', (message) => resolve(message.port));
  });
  child.removeAllListeners('exit');
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`chaos endpoint: ${message.error}`));
    else waiter.resolve(message);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the chaos endpoint exited (${code ?? signal})`));
    pending.clear();
  });
  const ask = (message) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    child.send({ ...message, id });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    mode: (mode) => ask({ type: 'mode', mode }),
    stream: (name, options = {}) => ask({ type: 'stream', name, options }),
    kill: (stream, checkpointMs) => ask({ type: 'kill', stream, checkpointMs }),
    stats: (stream) => ask({ type: 'stats', stream }),
    tally: (stream, expected) => ask({ type: 'tally', stream, expected }),
    others: async (stream) => (await ask({ type: 'others', stream })).others,
    drop: (stream) => ask({ type: 'drop', stream }),
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }),
  };
}
