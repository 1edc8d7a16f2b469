import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { formatProblem } from '../core/config/configFile.js';
import type { CurrentFile, FlowImportPlan } from '../core/checkpoint/planJavaImport.js';
import type { FlowConfig } from '../shared/config/flowSchema.js';
import { checkpointPath } from '../node/agent/Agent.js';
import { CheckpointStore } from '../node/checkpoint/CheckpointStore.js';
import { CorruptFileError } from '../node/checkpoint/DurableJsonFile.js';
import { applyJavaImport, javaCheckpointSource, JAVA_DEFAULT_CHECKPOINT_FILE, prepareJavaImport, type JavaImportReport } from '../node/checkpoint/importJavaCheckpoints.js';
import { JavaCheckpointReadError } from '../node/checkpoint/readJavaCheckpoints.js';
import { loadConfig } from '../node/config/loadConfig.js';
import { DataDirLock, DataDirLockedError } from '../node/lock/DataDirLock.js';
import { defaultDataDir } from '../node/util/defaultPaths.js';
import { EXIT_FAILURE, EXIT_LOCKED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';

export interface MigrateOptions {
  config: string;
  dataDir?: string | undefined;
  dryRun: boolean;
}

type Out = (line: string) => void;

/**
 * `shardline migrate [-c FILE] [--data-dir DIR] [--dry-run]`: the import of the Java agent's
 * checkpoints that `run` does at its first start, done (or, with --dry-run, shown) beforehand, so an
 * operator sees per flow where Shardline will continue before switching agents. Exit 0 when done or
 * nothing to do, 2 for a bad config, 3 when an agent holds the data dir, 1 when a file cannot be read.
 */
export async function migrateCommand(options: MigrateOptions, out: Out, err: Out): Promise<number> {
  const configPath = resolve(options.config);
  const loaded = await loadConfig(configPath);
  for (const warning of loaded.warnings) err(`warning: ${formatProblem(warning, configPath)}`);
  if (!loaded.ok || loaded.config === undefined) {
    for (const problem of loaded.problems) err(formatProblem(problem, configPath));
    return EXIT_USAGE;
  }
  const config = loaded.config;
  const source = await javaCheckpointSource(config.checkpointFile);
  if (source === undefined) {
    out(config.checkpointFile === undefined
      ? `nothing to import: agent.json has no checkpointFile and ${JAVA_DEFAULT_CHECKPOINT_FILE} does not exist`
      : `nothing to import: checkpointFile ${config.checkpointFile} is not an existing Java agent checkpoint database`);
    return EXIT_OK;
  }
  const dataDir = resolve(options.dataDir ?? config.dataDir ?? defaultDataDir());
  const ownFile = await checkpointPath(config, dataDir, pino({ level: 'silent' }));
  let lock: DataDirLock | undefined;
  if (!options.dryRun) {
    try {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      lock = await DataDirLock.acquire(dataDir, () => undefined);
    } catch (error) {
      err(error instanceof DataDirLockedError ? `${error.message}; stop it first: a running agent owns its checkpoints` : `cannot use the data dir ${dataDir}: ${(error as Error).message}`);
      return error instanceof DataDirLockedError ? EXIT_LOCKED : EXIT_FAILURE;
    }
  }
  try {
    return await migrate(config.flows, source, ownFile, options.dryRun, out, err);
  } finally {
    await lock?.release();
  }
}

async function migrate(flows: readonly FlowConfig[], source: string, ownFile: string, dryRun: boolean, out: Out, err: Out): Promise<number> {
  let store: CheckpointStore;
  try {
    store = await CheckpointStore.open(ownFile);
  } catch (error) {
    err(error instanceof CorruptFileError ? error.message : `cannot read ${ownFile}: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
  const done = store.javaImport;
  if (done !== undefined) {
    out(`already imported: the Java agent's checkpoints were imported from ${done.path} into ${ownFile} at ${done.importedAt} (${done.flows} flow(s)); nothing to do`);
    return EXIT_OK;
  }
  const now = new Date();
  let report: JavaImportReport;
  try {
    report = await prepareJavaImport(source, flows, store, now);
  } catch (error) {
    err(error instanceof JavaCheckpointReadError ? error.message : `cannot import from ${source}: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
  for (const warning of report.warnings) err(`warning: ${warning}`);
  for (const line of describeReport(report, flows, ownFile)) out(line);
  const count = report.plan.flows.filter((flow) => flow.action === 'import').length;
  if (dryRun) {
    out(`dry run: would import ${count} flow(s) into ${ownFile}; nothing written`);
    return EXIT_OK;
  }
  applyJavaImport(store, report, now);
  try {
    await store.flush();
  } catch (error) {
    err(`cannot write ${ownFile}: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
  out(`imported ${count} flow(s) into ${ownFile}; ${source} was only read. \`shardline run\` continues from here and will not import again.`);
  return EXIT_OK;
}

/** The report, one block per flow: the Java row, what matched on disk now, and what Shardline will do. */
export function describeReport(report: JavaImportReport, flows: readonly FlowConfig[], ownFile: string): string[] {
  const lines = [
    `Java agent checkpoints: ${report.source} (${report.hasTable ? `${report.rows} row(s) of ${report.javaFlows} flow(s)` : 'no FILE_CHECKPOINTS table: the Java agent never checkpointed'})`,
    `Shardline checkpoints: ${ownFile}`,
  ];
  for (const flow of report.plan.flows) lines.push(...describeFlow(flow, flows.find((f) => f.key === flow.key)));
  if (report.plan.otherFlows.length > 0) {
    lines.push('Java checkpoints of flows not in this configuration (not imported):');
    for (const row of report.plan.otherFlows) lines.push(`  ${row.flow}: ${row.path} at offset ${row.offset}`);
  }
  return lines;
}

function describeFlow(flow: FlowImportPlan, config: FlowConfig | undefined): string[] {
  const lines = [flow.key === flow.id ? flow.id : `${flow.id} (${flow.key})`];
  if (flow.row !== undefined) lines.push(`  Java checkpoint: ${flow.row.path} ${flow.row.fileId} at offset ${flow.row.offset}, updated ${flow.row.lastUpdated} UTC`);
  if (flow.action === 'skip') {
    const fallback = flow.unusable || flow.row === undefined ? `; it starts with initialPosition ${config?.initialPosition ?? ''}` : '';
    lines.push(`  not imported: ${flow.reason}${fallback}`);
    return lines;
  }
  const { file, offset } = flow.resume;
  lines.push(`  resume: ${file.path} at offset ${offset} of ${file.size} bytes (${file.size - offset} to send)`);
  lines.push(`  newer files, read from the start: ${list(flow.newer)}`);
  lines.push(`  older files, treated as sent: ${list(flow.older)}`);
  for (const f of flow.unreadable) lines.push(`  cannot read ${f.path}: it will be read from the start once it can be`);
  return lines;
}

function list(files: readonly CurrentFile[]): string {
  return files.length === 0 ? 'none' : files.map((f) => `${f.path} (${f.size} bytes)`).join(', ');
}
