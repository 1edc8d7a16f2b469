import { collectItems } from '../../src/core/framing/LineFramer.js';
import type { FileCheckpoint, FlowCheckpoints } from '../../src/shared/checkpoint/checkpointDocument.js';
import { FileSource, type FileSourceOptions } from '../../src/node/source/FileSource.js';
import { OpenFileBudget } from '../../src/node/source/OpenFileBudget.js';
import type { TailedFile } from '../../src/node/source/TailedFile.js';

export interface HarnessOptions extends Partial<Omit<FileSourceOptions, 'onRead' | 'onFileOpened' | 'onFileRekeyed' | 'onFileReleased' | 'onUnmatchedCheckpoints' | 'onAbandoned' | 'log'>> {
  filePattern: string;
  maxOpenFiles?: number;
  /** Acknowledge records as they are read (default), or keep them unacknowledged. */
  ack?: boolean;
}

/**
 * A FileSource wired to a recorder: every line it produces (as text), every event it reports, and
 * the checkpoints a flow would write, acknowledging each record at once like a perfect destination.
 */
export function sourceHarness(options: HarnessOptions) {
  const lines: string[] = [];
  const events: string[] = [];
  const checkpoints: FlowCheckpoints = options.checkpoints ?? { files: {} };
  const openFiles = new OpenFileBudget(options.maxOpenFiles ?? 256);
  let maxOpen = 0;
  const record = (file: TailedFile) => {
    checkpoints.files[file.key] = { path: file.path, dev: file.identity.dev, ino: file.identity.ino, fingerprint: file.fingerprint, offset: file.acks.committed, size: file.size, mtimeMs: file.mtimeMs, updatedAt: new Date().toISOString() };
  };
  const source = new FileSource({
    maxLineBytes: 1024 * 1024,
    skipHeaderLines: 0,
    initialPosition: 'START_OF_FILE',
    firstStart: true,
    pollMillis: 20,
    rescanMillis: 200,
    maxHeldFileBytes: 1024 ** 3,
    now: Date.now,
    hasBudget: () => true,
    timing: { releaseGraceMillis: 300, copyGraceMillis: 1500, newFileSettleMillis: 100 },
    ...options,
    openFiles,
    checkpoints,
    onRead: (file: TailedFile, _bytes, frame) => {
      const items = collectItems(frame);
      maxOpen = Math.max(maxOpen, openFiles.open);
      for (const item of items) {
        if (item.kind === 'skip') {
          file.acks.skip(item.endOffset);
          events.push(`skip:${item.reason}`);
          continue;
        }
        lines.push(Buffer.from(item.data).toString('utf8'));
        const seq = file.acks.register(item.endOffset);
        if (options.ack !== false) file.acks.ack(seq);
      }
      record(file);
    },
    onFileOpened: (file, how) => {
      events.push(`opened ${file.path} ${how}`);
      record(file);
    },
    onFileRekeyed: (file, oldKey) => {
      events.push(`rekeyed ${oldKey} → ${file.key} ${file.path}`);
      delete checkpoints.files[oldKey];
      record(file);
    },
    onFileReleased: (file, reason) => events.push(`released ${file.path}: ${reason}`),
    onUnmatchedCheckpoints: (entries: [string, FileCheckpoint][]) => events.push(`unmatched ${entries.map(([, e]) => e.path).join(',')}`),
    onAbandoned: (file, bytes) => events.push(`abandoned ${file.path} ${bytes}`),
    log: { info: (m) => events.push(`info ${m}`), warn: (m) => events.push(`warn ${m}`), error: (m) => events.push(`error ${m}`) },
  });
  source.start();
  return {
    source,
    lines,
    events,
    checkpoints,
    get maxOpen() { return maxOpen; },
    /** Resolves once `predicate` holds, polling. */
    async until(predicate: () => boolean, timeoutMillis = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMillis;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out; lines=${lines.length}; events:\n${events.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(): Promise<void> {
      await source.stop();
      await source.close();
    },
  };
}

export const numbered = (prefix: string, from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}\n`).join('');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
