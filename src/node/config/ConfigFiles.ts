import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createScanner } from 'jsonc-parser';
import { JSONFile } from 'lowdb/node';
import { Low } from 'lowdb';
import { parseJsonc } from '../../core/config/parseJsonc.js';
import type { ConfigFile } from '../../core/config/configFile.js';
import { readDropIns } from './loadConfig.js';

/** One file of the configuration as the UI edits it. */
export interface RawConfigFile {
  path: string;
  main: boolean;
  text: string;
  /** Parsed content, or undefined when the file does not parse. */
  content: Record<string, unknown> | undefined;
  hasComments: boolean;
  writable: boolean;
  readOnlyReason?: string;
}

/**
 * The configuration files on disk (agent.json and agent.d/ drop-ins) for the control plane: read
 * raw (unknown keys and the form of every value kept), and saved back through lowdb (atomic: temp
 * file and rename) with a copy of the previous version beside each file (`<file>.bak`, which the
 * loader skips). A file the agent may not write (a read-only file system under systemd's
 * ProtectSystem=strict, permissions) is reported with the reason, and the UI is read-only for it.
 */
export class ConfigFiles {
  readonly mainPath: string;
  readonly dropInDir: string;

  constructor(mainPath: string) {
    this.mainPath = resolve(mainPath);
    this.dropInDir = join(dirname(this.mainPath), 'agent.d');
  }

  async read(): Promise<RawConfigFile[]> {
    const main: ConfigFile = { path: this.mainPath, text: await readFile(this.mainPath, 'utf8') };
    const { files } = await readDropIns(this.dropInDir);
    return Promise.all([main, ...files].map(async (file) => ({ ...(await this.describe(file)), main: file.path === this.mainPath })));
  }

  /** Whether `path` may hold flows: the main file or a file directly in agent.d/. */
  isConfigPath(path: string): boolean {
    const full = resolve(path);
    return full === this.mainPath || dirname(full) === this.dropInDir;
  }

  /** Writes each file (backing up the previous version); returns what was written. */
  async save(files: readonly { path: string; content: Record<string, unknown> }[]): Promise<{ path: string; backup?: string }[]> {
    const saved: { path: string; backup?: string }[] = [];
    for (const file of files) {
      const path = resolve(file.path);
      if (!this.isConfigPath(path)) throw new Error(`${path} is not the configuration file or a drop-in of ${this.dropInDir}`);
      await mkdir(dirname(path), { recursive: true });
      const backup = `${path}.bak`;
      const hadPrevious = await copyFile(path, backup).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      });
      const db = new Low<Record<string, unknown>>(new JSONFile(path), {});
      db.data = file.content;
      await db.write();
      saved.push(hadPrevious ? { path, backup } : { path });
    }
    return saved;
  }

  private async describe(file: ConfigFile): Promise<Omit<RawConfigFile, 'main'>> {
    const parsed = parseJsonc(file.text);
    const content = parsed.problems.length === 0 && isObject(parsed.value) ? parsed.value : undefined;
    const writable = await writability(file.path);
    return { path: file.path, text: file.text, content, hasComments: hasComments(file.text), ...writable };
  }
}

/** Saving writes a temp file beside the config and renames it: both need write access. */
async function writability(path: string): Promise<{ writable: boolean; readOnlyReason?: string }> {
  for (const target of [path, dirname(path)]) {
    try {
      await access(target, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EROFS'
        ? 'on a read-only file system (for example systemd\'s ProtectSystem=strict without ReadWritePaths for it)'
        : code === 'EACCES' || code === 'EPERM' ? 'not writable by the agent\'s user' : (error as Error).message;
      return { writable: false, readOnlyReason: `${target} is ${why}` };
    }
  }
  return { writable: true };
}

/** jsonc-parser's SyntaxKind (a const enum, not importable with verbatimModuleSyntax). */
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const EOF = 17;

function hasComments(text: string): boolean {
  const scanner = createScanner(text, false);
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === LINE_COMMENT || token === BLOCK_COMMENT) return true;
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
