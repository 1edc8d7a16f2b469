import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { access, chmod, mkdir, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { starterAgentJson } from '../node/service/starterAgentJson.js';
import { isUserName, SERVICE_NAME, systemdUnit } from '../node/service/systemdUnit.js';
import { VERSION } from '../node/version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exitCodes.js';

export interface InstallServiceOptions {
  dryRun?: boolean | undefined;
  user: string;
  config: string;
  unitDir: string;
  /** Prefix of every path written (packaging, tests); no user is created and no owner changed. */
  root?: string | undefined;
}

/** Everything install-service does to the host, injected so tests neither create users nor need root. */
export interface InstallServiceHost {
  isRoot: boolean;
  /** The node binary and the script being run, absolute (they become ExecStart). */
  nodePath: string;
  entryPath: string;
  /** Runs a system command (getent, useradd, chown); resolves with its exit code and output. */
  run(command: string, args: readonly string[]): Promise<{ code: number; output: string }>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string, mode: number): Promise<void>;
  writeFile(path: string, text: string, mode: number): Promise<void>;
  out(line: string): void;
  err(line: string): void;
}

const JAVA_CONFIG = '/etc/aws-kinesis/agent.json';
const DEFAULT_CONFIG_DIR = '/etc/shardline';

/**
 * `shardline install-service [--dry-run]` (DESIGN §2): a system user in `adm`, the config directory
 * owned by it (the web UI saves there), a starter agent.json when there is none, and the systemd unit.
 * `--dry-run` prints the unit on stdout (so `> shardline.service` works) and the steps on stderr.
 */
export async function installServiceCommand(options: InstallServiceOptions, host: InstallServiceHost = systemHost()): Promise<number> {
  const problem = checkOptions(options);
  if (problem !== undefined) {
    host.err(`install-service: ${problem}`);
    return EXIT_USAGE;
  }
  const root = options.root === undefined ? undefined : posix.resolve(options.root);
  const dryRun = options.dryRun === true;
  if (!dryRun && root === undefined && !host.isRoot) {
    host.err('install-service must run as root (it creates a system user and writes /etc): try sudo, or --dry-run to see what it would do');
    return EXIT_FAILURE;
  }
  const inRoot = (path: string) => (root === undefined ? path : posix.join(root, path));
  const configDir = posix.dirname(options.config);
  const unitPath = posix.join(options.unitDir, `${SERVICE_NAME}.service`);
  const unit = systemdUnit({
    user: options.user, configPath: options.config, version: VERSION,
    nodePath: outsideRoot(host.nodePath, root), entryPath: outsideRoot(host.entryPath, root),
  });
  const userExists = root === undefined && (await host.run('getent', ['passwd', options.user])).code === 0;
  const configDirExists = await host.exists(inRoot(configDir));
  const configExists = await host.exists(inRoot(options.config));
  // A directory we create or our own /etc/shardline is handed to the service; someone else's is not.
  const ownConfigDir = !configDirExists || configDir === DEFAULT_CONFIG_DIR;
  const steps: Step[] = [];
  if (root === undefined && !userExists) {
    steps.push({ say: `create the system user ${options.user}: useradd ${userAddArgs(options.user).join(' ')}`, run: ['useradd', userAddArgs(options.user)] });
  }
  if (!configDirExists) steps.push({ say: `create ${inRoot(configDir)} (0750)`, mkdir: inRoot(configDir) });
  if (!configExists) {
    steps.push({ say: `write a starter ${inRoot(options.config)} (0640): one placeholder flow to edit`, write: [inRoot(options.config), starterAgentJson(options.config), 0o640] });
  }
  if (root === undefined && ownConfigDir) {
    // Recursively: the service must read agent.json and agent.d/, and the web UI saves to both.
    steps.push({ say: `give ${configDir} to ${options.user} (the web UI saves edits there): chown -R ${options.user}: ${configDir}`, run: ['chown', ['-R', `${options.user}:`, configDir]] });
  }
  steps.push({ say: `write ${inRoot(unitPath)} (0644)`, write: [inRoot(unitPath), unit, 0o644] });

  if (dryRun) {
    host.out(unit.trimEnd());
    host.err(`# dry run: nothing changed. It would:`);
    for (const step of steps) host.err(`#   ${step.say}`);
  } else {
    for (const step of steps) {
      const failure = await perform(step, host);
      if (failure !== undefined) {
        host.err(`install-service: could not ${step.say}: ${failure}`);
        return EXIT_FAILURE;
      }
      host.out(`done: ${step.say}`);
    }
  }
  const say = dryRun ? (line: string) => host.err(`# ${line}`) : host.out;
  for (const line of await notes(options, root, ownConfigDir, configExists, host)) say(line);
  return EXIT_OK;
}

interface Step {
  say: string;
  run?: [string, string[]];
  mkdir?: string;
  write?: [string, string, number];
}

async function perform(step: Step, host: InstallServiceHost): Promise<string | undefined> {
  try {
    if (step.mkdir !== undefined) await host.mkdir(step.mkdir, 0o750);
    if (step.write !== undefined) await host.writeFile(...step.write);
    if (step.run !== undefined) {
      const { code, output } = await host.run(...step.run);
      if (code !== 0) return `${step.run[0]} exited ${code}${output === '' ? '' : `: ${output.trim()}`}`;
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** useradd's arguments: a system account with no login shell and no home, in adm to read /var/log. */
export function userAddArgs(user: string): string[] {
  return ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--groups', 'adm', user];
}

function checkOptions(options: InstallServiceOptions): string | undefined {
  if (!isUserName(options.user)) return `--user ${options.user}: not a valid user name`;
  if (!posix.isAbsolute(options.config)) return `--config ${options.config}: give an absolute path (the service does not run in this directory)`;
  if (!posix.isAbsolute(options.unitDir)) return `--unit-dir ${options.unitDir}: give an absolute path`;
  return undefined;
}

/** A path as the installed system sees it: the part under --root is stripped (a package built in a staging tree). */
function outsideRoot(path: string, root: string | undefined): string {
  if (root === undefined || !path.startsWith(`${root}/`)) return path;
  return path.slice(root.length);
}

/** What the operator does next, and what install-service did not do. */
async function notes(options: InstallServiceOptions, root: string | undefined, ownConfigDir: boolean, configExists: boolean, host: InstallServiceHost): Promise<string[]> {
  const lines: string[] = [];
  if (root !== undefined) {
    lines.push(`--root: no user created and no owner changed; the package's post-install step must run:`);
    lines.push(`  getent passwd ${options.user} || useradd ${userAddArgs(options.user).join(' ')}`);
    lines.push(`  chown -R ${options.user}: ${posix.dirname(options.config)}`);
  } else if (!ownConfigDir) {
    lines.push(`${posix.dirname(options.config)} is not Shardline's: its owner is unchanged, so the web UI can save there only if ${options.user} may write it`);
  }
  for (const path of [host.nodePath, host.entryPath]) {
    if (/^\/(root|home)\//.test(outsideRoot(path, root))) {
      lines.push(`warning: ${outsideRoot(path, root)} is under a home directory, which ${options.user} may not be able to read: install node and Shardline system-wide (e.g. npm i -g shardline), then run install-service again`);
    }
  }
  if (!configExists && (await host.exists(root === undefined ? JAVA_CONFIG : posix.join(root, JAVA_CONFIG)))) {
    lines.push(`The Java agent's ${JAVA_CONFIG} exists and Shardline reads it unchanged: to use it, stop the Java agent (systemctl disable --now aws-kinesis-agent) and`);
    lines.push(`  cp ${JAVA_CONFIG} ${options.config}     (it stays editable from the web UI), or run install-service --config ${JAVA_CONFIG}`);
  }
  lines.push('Next:');
  if (!configExists) lines.push(`  edit ${options.config}, then: shardline validate -c ${options.config}`);
  lines.push('  systemctl daemon-reload', `  systemctl enable --now ${SERVICE_NAME}`, `  journalctl -u ${SERVICE_NAME} -f`, `  shardline ui${options.config === `${DEFAULT_CONFIG_DIR}/agent.json` ? '' : ` -c ${options.config}`}      # the web UI's address with its token`);
  return lines;
}

/** The real host: this process, the file system, and system commands. */
export function systemHost(): InstallServiceHost {
  return {
    isRoot: process.getuid?.() === 0,
    nodePath: process.execPath,
    entryPath: entryPath(),
    run: (command, args) => new Promise((resolve) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.on('error', (error) => resolve({ code: 127, output: error.message }));
      child.on('close', (code) => resolve({ code: code ?? 1, output }));
    }),
    exists: (path) => access(path).then(() => true, () => false),
    mkdir: async (path, mode) => {
      await mkdir(path, { recursive: true, mode });
      await chmod(path, mode); // mkdir's mode is filtered by the umask
    },
    writeFile: async (path, text, mode) => {
      await mkdir(posix.dirname(path), { recursive: true });
      await writeFile(path, text, { mode });
      await chmod(path, mode); // an existing file keeps its mode otherwise, and the umask filters a new one's
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/**
 * The script node is running: bin/shardline.js of the package, or the single-file bundle. The
 * command `shardline` is usually a symlink (npm's bin link), which the unit must not depend on.
 */
function entryPath(): string {
  const script = process.argv[1];
  try {
    if (script !== undefined) return realpathSync(script);
  } catch {
    // fall through: an unusual launcher; the package's own bin is the best guess
  }
  return fileURLToPath(new URL('../../bin/shardline.js', import.meta.url));
}
