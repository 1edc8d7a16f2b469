import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConfigFile } from '../../core/config/configFile.js';
import { validateConfig, type ValidatedConfig } from '../../core/config/validateConfig.js';

/** Editor and package-manager leftovers that are never configuration. */
const NOT_CONFIG = /(^\.)|(~$)|(\.(bak|swp|tmp|orig|rpmnew|rpmsave|dpkg-old|dpkg-new|dpkg-dist|ucf-old|ucf-new|ucf-dist)$)/;

/**
 * Reads agent.json and every regular file of the `agent.d/` directory beside it (in name order),
 * then validates them together. Unreadable files are problems naming the file and the reason.
 */
export async function loadConfig(configPath: string): Promise<ValidatedConfig & { dropInDir: string }> {
  const dropInDir = join(dirname(configPath), 'agent.d');
  let main: ConfigFile;
  try {
    main = { path: configPath, text: await readFile(configPath, 'utf8') };
  } catch (error) {
    return { ok: false, origins: [], warnings: [], dropInDir, problems: [{ file: configPath, path: '', message: `cannot read the config file: ${describe(error)}` }] };
  }
  const { files, problems, skipped } = await readDropIns(dropInDir);
  const result = validateConfig(main, files);
  result.problems.unshift(...problems);
  result.warnings.unshift(...skipped.map((file) => ({ file, path: '', message: 'not read: looks like a backup or hidden file' })));
  return { ...result, ok: result.ok && problems.length === 0, dropInDir };
}

/** The drop-ins of `dir` (name order), with read problems and the backup files skipped. */
export async function readDropIns(dir: string) {
  const files: ConfigFile[] = [];
  const problems: { file: string; path: string; message: string }[] = [];
  const skipped: string[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push({ file: dir, path: '', message: `cannot read the drop-in directory: ${describe(error)}` });
    return { files, problems, skipped };
  }
  for (const name of names) {
    const path = join(dir, name);
    if (NOT_CONFIG.test(name)) {
      skipped.push(path);
      continue;
    }
    try {
      if (!(await stat(path)).isFile()) continue;
      files.push({ path, text: await readFile(path, 'utf8') });
    } catch (error) {
      problems.push({ file: path, path: '', message: `cannot read the drop-in: ${describe(error)}` });
    }
  }
  return { files, problems, skipped };
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return message;
}
