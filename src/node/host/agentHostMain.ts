// The tray app's agent process entry (Electron utilityProcess.fork; a Node child process in tests).
import { openSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../util/logger.js';
import { AgentHost, type HostPort } from './AgentHost.js';
import type { HostEvent } from './hostProtocol.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** Electron gives a utility process `process.parentPort`; a Node child process has `process.send`. */
function connect(): HostPort {
  const parentPort = (process as { parentPort?: { postMessage(message: unknown): void; on(event: 'message', listener: (event: { data: unknown }) => void): void } }).parentPort;
  if (parentPort !== undefined) {
    return { post: (event: HostEvent) => parentPort.postMessage(event), onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)) };
  }
  if (process.send === undefined) throw new Error('the agent process must be started by the Shardline app (no parent channel)');
  const send = process.send.bind(process);
  return { post: (event: HostEvent) => { send(event); }, onMessage: (listener) => { process.on('message', listener); } };
}

/** The tray app's log file: one previous generation kept (`.1`) once it passes 10 MiB, at each start. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
function openLog(file: string): number {
  try {
    if (statSync(file).size > LOG_ROTATE_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  return openSync(file, 'a', 0o600);
}

// The renderer is served by the control API too; the app passes where its copy is.
const rendererDir = process.env['SHARDLINE_RENDERER_DIR'] ?? fileURLToPath(new URL('../../../renderer/dist/', import.meta.url));
const port = connect();
const host = new AgentHost({
  port,
  rendererDir,
  createLogger: (level, logFile, ring) => createLogger(level, logFile === undefined ? 1 : openLog(logFile), ring),
  // Let the last message leave before the process ends.
  exit: (code) => setTimeout(() => process.exit(code), 50),
});
port.post({ type: 'ready' });
// A service manager stopping the whole group (systemd's KillMode=control-group) reaches this process
// too: stop cleanly, as the app would have asked. A parent that vanished cannot ask: stop as well.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void host.stop());
process.on('disconnect', () => void host.stop());
