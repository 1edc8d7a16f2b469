import { open, readFile, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { Adapter } from 'lowdb';
import type { z } from 'zod';

export class CorruptFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file} is not a valid checkpoint document (${detail}); move it away to start without checkpoints`);
    this.name = 'CorruptFileError';
  }
}

/**
 * A lowdb adapter that survives power loss (DESIGN §2): write a temporary file, fsync it, rename it
 * over the document, fsync the directory. A crash leaves the old or the new document, never a mix.
 * Reads are validated with the document's zod schema.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CorruptFileError(this.file, (error as Error).message);
    }
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new CorruptFileError(this.file, parsed.error.issues[0]?.message ?? 'invalid');
    return parsed.data;
  }

  async write(data: T): Promise<void> {
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.tmp`);
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(data));
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await rename(temp, this.file);
    await syncDirectory(dir);
  }
}

/** fsync of a directory makes a rename durable on Linux; Windows cannot open directories for it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}
