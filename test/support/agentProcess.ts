import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/shardline.js', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  /** Every stdout line so far (pino JSON). */
  lines: string[];
  stderr: string[];
  exited: Promise<number | string>;
  waitForLog(pattern: RegExp, timeoutMillis?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs `node bin/shardline.js ...args` as a real child process, nothing beyond loopback. `asUser`
 * drops root's privileges first (setpriv), so permission errors are real ones (DESIGN §6).
 */
export function spawnShardline(args: string[], env: NodeJS.ProcessEnv = {}, asUser?: { uid: number; gid: number }): AgentProcess {
  const [command, argv] = asUser === undefined
    ? [process.execPath, [BIN, ...args]]
    : ['setpriv', [`--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, '--clear-groups', process.execPath, BIN, ...args]];
  const child = spawn(command, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLog(pattern, timeoutMillis = 20_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern} within ${timeoutMillis} ms; stderr: ${stderr.join('\n')}; stdout: ${lines.slice(-5).join('\n')}`)), timeoutMillis);
        waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      });
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
