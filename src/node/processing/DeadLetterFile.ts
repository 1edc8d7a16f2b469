import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * `<dataDir>/dead-letter/<safe flow name>.jsonl` (DESIGN §3): records dropped on purpose when
 * `keepSkippedRecords` is on (lines LOGTOJSON could not match, footers, filtered or invalid JSON),
 * and records the destination rejects permanently. One JSON object a line, with why and where from.
 */
export class DeadLetterFile {
  private stream: WriteStream | undefined;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {}

  static forFlow(dataDir: string, flowName: string, onError: (message: string) => void): DeadLetterFile {
    return new DeadLetterFile(join(dataDir, 'dead-letter', `${flowName.replace(/[^A-Za-z0-9._-]+/g, '_')}.jsonl`), onError);
  }

  /** Appends one entry; resolves true once it is written, false when the file cannot be written (logged once). */
  write(entry: { flow: string; reason: string; file: string; offset: number; data: Uint8Array }): Promise<boolean> {
    if (this.failed) return Promise.resolve(false);
    try {
      this.stream ??= this.open();
    } catch (error) {
      this.failed = true;
      this.onError(`cannot write the dead-letter file ${this.path}: ${(error as Error).message}`);
      return Promise.resolve(false);
    }
    const { data, ...rest } = entry;
    const stream = this.stream;
    return new Promise((resolve) => {
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...rest, ...encode(data) })}\n`, (error) => resolve(error === undefined || error === null));
    });
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined) return;
    this.stream = undefined;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }

  private open(): WriteStream {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const stream = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
    stream.on('error', (error) => {
      this.failed = true;
      this.onError(`cannot write the dead-letter file ${this.path}: ${error.message}`);
    });
    return stream;
  }
}

/** The record as text when it is valid UTF-8, else as base64. */
function encode(data: Uint8Array): { data: string } | { dataBase64: string } {
  try {
    return { data: decoder.decode(data) };
  } catch {
    return { dataBase64: Buffer.from(data).toString('base64') };
  }
}
