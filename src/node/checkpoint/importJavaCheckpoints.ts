import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { javaFlowId } from '../../core/checkpoint/javaFlowId.js';
import { newestRows, planJavaImport, type CurrentFile, type ImportTarget, type JavaImportPlan } from '../../core/checkpoint/planJavaImport.js';
import type { FlowConfig } from '../../shared/config/flowSchema.js';
import { FileScanner } from '../source/FileScanner.js';
import { fingerprintOf } from '../source/fileIdentity.js';
import { describeError } from '../util/describeError.js';
import type { CheckpointStore } from './CheckpointStore.js';
import { hasSqliteHeader, JavaCheckpointReadError, readJavaCheckpoints } from './readJavaCheckpoints.js';

/** Where the Java agent keeps its checkpoints when agent.json has no `checkpointFile`. */
export const JAVA_DEFAULT_CHECKPOINT_FILE = '/var/run/aws-kinesis-agent/checkpoints';

/** Whether a `checkpointFile` names the Java agent's SQLite database (by its path or its header). */
export async function isJavaCheckpointFile(path: string): Promise<boolean> {
  return /aws-kinesis-agent\/checkpoints$/.test(path) || (await hasSqliteHeader(path));
}

/**
 * The Java agent's checkpoint database to import, if any: the config's `checkpointFile` when it is
 * that database, or, without the key, the Java agent's default file when it exists (the Java agent
 * used it with the same agent.json). A file at the default path that turns out unreadable or not
 * SQLite is still returned, so the import reports why instead of skipping it silently.
 */
export async function javaCheckpointSource(checkpointFile: string | undefined, javaDefault: string = JAVA_DEFAULT_CHECKPOINT_FILE): Promise<string | undefined> {
  if (checkpointFile !== undefined) return (await isJavaCheckpointFile(checkpointFile)) && (await exists(checkpointFile)) ? resolve(checkpointFile) : undefined;
  return (await exists(javaDefault)) ? javaDefault : undefined;
}

export interface JavaImportReport {
  source: string;
  hasTable: boolean;
  rows: number;
  /** Java flows with at least one row. */
  javaFlows: number;
  warnings: string[];
  plan: JavaImportPlan;
}

/**
 * Reads the Java database and plans the import for each flow against the files on disk now;
 * nothing is written. Throws JavaCheckpointReadError when the database cannot be read.
 */
export async function prepareJavaImport(source: string, flows: readonly FlowConfig[], store: CheckpointStore, now: Date): Promise<JavaImportReport> {
  const { hasTable, rows, warnings } = await readJavaCheckpoints(source);
  const newest = newestRows(rows);
  const targets = await Promise.all(flows.map(async (flow): Promise<ImportTarget> => {
    const javaIds = [...new Set([javaFlowId(flow.type, flow.streamName, flow.filePattern), flow.id])];
    const hasCheckpoints = store.flow(flow.key) !== undefined;
    // Only a flow that will import needs its files looked at (and fingerprinted).
    const files = !hasCheckpoints && javaIds.some((id) => newest.has(id)) ? await currentFiles(flow.filePattern) : [];
    return { key: flow.key, id: flow.id, javaIds, hasCheckpoints, files };
  }));
  return { source, hasTable, rows: rows.length, javaFlows: newest.size, warnings, plan: planJavaImport(rows, targets, now.toISOString()) };
}

/** Writes the planned checkpoints into the store and records the import; returns the flows imported. */
export function applyJavaImport(store: CheckpointStore, report: JavaImportReport, now: Date): number {
  let imported = 0;
  for (const flow of report.plan.flows) {
    if (flow.action !== 'import') continue;
    for (const [fileKey, entry] of Object.entries(flow.entries)) store.update(flow.key, fileKey, entry);
    imported += 1;
  }
  store.markJavaImport({ path: report.source, importedAt: now.toISOString(), flows: imported });
  return imported;
}

export interface ImportAtStartOptions {
  flows: readonly FlowConfig[];
  /** The config's `checkpointFile`. */
  checkpointFile: string | undefined;
  store: CheckpointStore;
  logger: Logger;
  javaDefault?: string;
  now?: () => Date;
}

/**
 * At agent start, before any flow starts: imports the Java agent's checkpoints once (DESIGN §8) so
 * switching agents neither resends nor skips data. It never keeps the agent from starting: a
 * database that cannot be read is logged by name and the flows start as they would without it.
 * The import is recorded only after the database was read, so a failed attempt is tried again at
 * the next start (where flows that have checkpoints by then keep them).
 */
export async function importJavaCheckpoints(options: ImportAtStartOptions): Promise<void> {
  const { store, logger } = options;
  const done = store.javaImport;
  if (done !== undefined) {
    logger.debug({ javaCheckpointFile: done.path, importedAt: done.importedAt }, `the Java agent's checkpoints were imported from ${done.path} at ${done.importedAt}; not again`);
    return;
  }
  const source = await javaCheckpointSource(options.checkpointFile, options.javaDefault);
  if (source === undefined) return;
  const now = (options.now ?? (() => new Date()))();
  let report: JavaImportReport;
  try {
    report = await prepareJavaImport(source, options.flows, store, now);
  } catch (error) {
    const message = error instanceof JavaCheckpointReadError ? error.message : `cannot import the Java agent's checkpoints from ${source}: ${describeError(error).message}`;
    logger.error({ javaCheckpointFile: source }, `${message}; nothing imported, flows start from Shardline's checkpoints or initialPosition`);
    return;
  }
  for (const warning of report.warnings) logger.warn({ javaCheckpointFile: source }, warning);
  const imported = applyJavaImport(store, report, now);
  logReport(report, options.flows, logger);
  logger.info({ javaCheckpointFile: source, rows: report.rows, javaFlows: report.javaFlows, importedFlows: imported },
    `imported the Java agent's checkpoints from ${source} (read-only): ${imported} flow(s) imported, ${report.rows} row(s) of ${report.javaFlows} Java flow(s) read`);
  // Written now, not at the first interval: a crash before it must not lose what was imported.
  await store.flush().catch((error: unknown) => logger.error({ error: describeError(error) }, `cannot write checkpoints to ${store.file} (${describeError(error).message}); will retry`));
}

function logReport(report: JavaImportReport, flows: readonly FlowConfig[], logger: Logger): void {
  for (const flow of report.plan.flows) {
    const config = flows.find((f) => f.key === flow.key);
    if (flow.action === 'import') {
      const { file, offset } = flow.resume;
      logger.info({ flow: flow.id, file: file.path, offset, newerFiles: flow.newer.map((f) => f.path), olderFiles: flow.older.map((f) => f.path) },
        `imported the Java agent's checkpoint of ${flow.id}: ${file.path} resumes at offset ${offset}; ${flow.newer.length} newer file(s) read from the start, ${flow.older.length} older file(s) treated as sent`);
      for (const f of flow.unreadable) logger.warn({ flow: flow.id, file: f.path }, `${f.path} cannot be read: no checkpoint imported for it, it will be read from the start once it can be`);
    } else if (flow.row !== undefined) {
      const level = flow.unusable ? 'warn' : 'info';
      const fallback = flow.unusable ? `; the flow starts with initialPosition ${config?.initialPosition ?? ''} (as the Java agent would)` : '';
      logger[level]({ flow: flow.id, file: flow.row.path, offset: flow.row.offset }, `Java agent checkpoint of ${flow.id} not imported: ${flow.reason}${fallback}`);
    }
  }
  if (report.plan.otherFlows.length > 0) {
    logger.info({ javaFlows: report.plan.otherFlows.map((row) => row.flow) }, `Java agent checkpoints of flows not in this configuration, not imported: ${report.plan.otherFlows.map((row) => row.flow).join(', ')}`);
  }
}

/** The files matching a pattern now, with their identity and fingerprint (computed as the file source does). */
async function currentFiles(filePattern: string): Promise<CurrentFile[]> {
  const scan = await new FileScanner(filePattern).scan();
  return Promise.all([...scan.matching.values()].map(async (file) => ({
    path: file.path, dev: file.dev, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs,
    fingerprint: await fingerprint(file.path, file.size),
  })));
}

async function fingerprint(path: string, size: number): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    return await fingerprintOf(handle, size);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR');
}
