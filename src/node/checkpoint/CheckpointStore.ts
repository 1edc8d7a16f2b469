import { Low } from 'lowdb';
import {
  checkpointDocumentSchema,
  emptyCheckpointDocument,
  type CheckpointDocument,
  type CheckpointImport,
  type FileCheckpoint,
  type FlowCheckpoints,
} from '../../shared/checkpoint/checkpointDocument.js';
import { DurableJsonFile } from './DurableJsonFile.js';

const DAY_MILLIS = 86_400_000;

/**
 * Checkpoints of every flow, in a lowdb document with the durable adapter. Updates are kept in
 * memory and written at most every `checkpointIntervalMillis` when something changed, and at
 * shutdown (DESIGN §2). A failed write (full disk) is reported and retried at the next interval;
 * nothing is lost because the files themselves are the buffer.
 */
export class CheckpointStore {
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly db: Low<CheckpointDocument>) {}

  static async open(file: string): Promise<CheckpointStore> {
    const db = new Low(new DurableJsonFile(file, checkpointDocumentSchema), emptyCheckpointDocument());
    await db.read();
    return new CheckpointStore(db);
  }

  get file(): string {
    return (this.db.adapter as DurableJsonFile<CheckpointDocument>).file;
  }

  flow(flowKey: string): FlowCheckpoints | undefined {
    return this.db.data.flows[flowKey];
  }

  /** Records that a flow has started once (so `initialPosition` never applies to it again). */
  ensureFlow(flowKey: string): { created: boolean } {
    if (this.db.data.flows[flowKey] !== undefined) return { created: false };
    this.db.data.flows[flowKey] = { files: {} };
    this.dirty = true;
    return { created: true };
  }

  /** The Java agent's checkpoints, if they were imported into this document (only ever once). */
  get javaImport(): CheckpointImport | undefined {
    return this.db.data.imported?.javaSqlite;
  }

  markJavaImport(record: CheckpointImport): void {
    this.db.data.imported = { ...this.db.data.imported, javaSqlite: record };
    this.dirty = true;
  }

  update(flowKey: string, fileKey: string, checkpoint: FileCheckpoint): void {
    const flow = this.db.data.flows[flowKey] ?? { files: {} };
    flow.files[fileKey] = checkpoint;
    this.db.data.flows[flowKey] = flow;
    this.dirty = true;
  }

  remove(flowKey: string, fileKey: string): void {
    const flow = this.db.data.flows[flowKey];
    if (flow?.files[fileKey] === undefined) return;
    delete flow.files[fileKey];
    this.dirty = true;
  }

  /** Removes entries not updated for `ttlDays` (checkpointTimeToLiveDays); returns how many. */
  expire(ttlDays: number, now: number): number {
    let removed = 0;
    for (const flow of Object.values(this.db.data.flows)) {
      for (const [key, file] of Object.entries(flow.files)) {
        if (now - Date.parse(file.updatedAt) > ttlDays * DAY_MILLIS) {
          delete flow.files[key];
          removed += 1;
        }
      }
    }
    if (removed > 0) this.dirty = true;
    return removed;
  }

  /**
   * Writes the document if it changed; concurrent calls are serialised. A failed write rejects this
   * call only: the next one tries again (the chain must not stay rejected).
   */
  flush(): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.db.write();
      } catch (error) {
        this.dirty = true;
        throw error;
      }
    });
    return this.writing;
  }

  startPeriodicFlush(intervalMillis: number, onError: (error: unknown) => void, onOk: () => void = () => undefined): void {
    this.timer = setInterval(() => void this.flush().then(onOk, onError), intervalMillis);
    this.timer.unref();
  }

  stopPeriodicFlush(): void {
    clearInterval(this.timer);
  }
}
