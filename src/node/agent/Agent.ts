import { createHash } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { cpus, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { formatProblem, type ConfigProblem, type FlowOrigin } from '../../core/config/configFile.js';
import type { AgentConfig } from '../../shared/config/agentConfigSchema.js';
import type { FlowConfig } from '../../shared/config/flowSchema.js';
import type { AgentStatus } from '../../shared/stats/flowStatus.js';
import { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { CorruptFileError } from '../checkpoint/DurableJsonFile.js';
import { importJavaCheckpoints, isJavaCheckpointFile } from '../checkpoint/importJavaCheckpoints.js';
import { OpenFileBudget } from '../source/OpenFileBudget.js';
import { DeadLetterFile } from '../processing/DeadLetterFile.js';
import { Ec2MetadataProvider } from '../processing/Ec2MetadataProvider.js';
import { describeError } from '../util/describeError.js';
import { loadConfig } from '../config/loadConfig.js';
import { DataDirLock } from '../lock/DataDirLock.js';
import { createDestinationClient, type DestinationClientOptions } from '../sink/destinationClient.js';
import { createLeanDestination } from '../sink/createLeanDestination.js';
import { LeanRecordsTransport } from '../sink/LeanRecordsTransport.js';
import { SdkRecordsTransport } from '../sink/SdkRecordsTransport.js';
import { defaultDataDir, isVolatilePath } from '../util/defaultPaths.js';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { addSendMetrics, type Dimension, type SendMetrics } from '../../core/metrics/MetricAccumulator.js';
import { CloudWatchPublisher } from '../metrics/CloudWatchPublisher.js';
import { credentialsFor, roleFor } from '../sink/credentials.js';
import { createHttpHandler } from '../sink/httpHandler.js';
import { regionOfEndpoint, withScheme } from '../sink/destinationClient.js';
import { AimdLimiter } from '../../core/send/AimdLimiter.js';
import { SendSlots } from '../../core/send/SendSlots.js';
import { VERSION } from '../version.js';
import { Flow, type FlowDeps } from './Flow.js';
import { gzipRecord } from './gzipRecord.js';
import { md5InThreadPool } from '../util/md5InThreadPool.js';
import { ProgressReporter } from './ProgressReporter.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface AgentOptions {
  configPath: string;
  /** `--data-dir`, which wins over the config's `dataDir`. */
  dataDir?: string | undefined;
  logger: Logger;
}

/** What applying a configuration did, by flow id. */
export interface ApplyOutcome {
  added: string[];
  removed: string[];
  restarted: string[];
  unchanged: string[];
  /** Changes that only take effect at the next start (data dir, checkpoint file, control address). */
  needsRestart: string[];
}

/** Global keys a running agent cannot change: they take effect at the next start. */
const RESTART_ONLY_KEYS = ['dataDir', 'checkpointFile', 'control', 'checkpointIntervalMillis'] as const;

/**
 * The running agent: config, data-dir lock, checkpoint store, flows and the progress line. A new
 * configuration is applied in place: only flows that changed are restarted (a flow keeps its
 * checkpoints because they are keyed by its identity: type, stream, pattern, region, endpoint).
 */
export class Agent {
  private readonly startedAt = new Date();
  private readonly flows = new Map<string, Flow>();
  private applying: Promise<unknown> = Promise.resolve();

  private constructor(
    public config: AgentConfig,
    public origins: FlowOrigin[],
    readonly configPath: string,
    readonly dataDir: string,
    private readonly store: CheckpointStore,
    private readonly lock: DataDirLock,
    private readonly progress: ProgressReporter,
    private readonly logger: Logger,
    private shared: Shared,
  ) {}

  static async start(options: AgentOptions): Promise<Agent> {
    const { logger } = options;
    const configPath = resolve(options.configPath);
    const loaded = await loadConfig(configPath);
    for (const warning of loaded.warnings) logger.warn({ file: warning.file, path: warning.path }, `config: ${formatProblem(warning, configPath)}`);
    const problems: ConfigProblem[] = [...loaded.problems];
    if (problems.length > 0 || loaded.config === undefined) throw new ConfigError(problems.map((p) => formatProblem(p, configPath)));
    const config = loaded.config;

    const dataDir = resolve(options.dataDir ?? config.dataDir ?? defaultDataDir());
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const lock = await DataDirLock.acquire(dataDir, (stale) => logger.warn({ stalePid: stale.pid }, `taking over the data dir lock of a stopped agent (pid ${stale.pid})`));
    try {
      const store = await openCheckpoints(await checkpointPath(config, dataDir, logger), logger);
      // Before any flow starts: imported offsets are where the flows begin (DESIGN §8).
      await importJavaCheckpoints({ flows: config.flows, checkpointFile: config.checkpointFile, store, logger });
      const ec2 = new Ec2MetadataProvider({
        endpoint: process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'],
        disabled: process.env['AWS_EC2_METADATA_DISABLED']?.toLowerCase() === 'true',
        now: Date.now,
        timezoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
        onError: (message) => logger.warn(message),
      });
      const shared = await createShared(config, logger, ec2, dataDir, []);
      const flows: { list: () => Flow[] } = { list: () => [] };
      const progress = new ProgressReporter(() => flows.list(), logger, config['log.statusReportingPeriodSeconds'] * 1000);
      const agent = new Agent(config, loaded.origins, configPath, dataDir, store, lock, progress, logger, shared);
      flows.list = () => agent.flowList();
      await agent.startFlows(config.flows);
      store.startPeriodicFlush(config.checkpointIntervalMillis, (error) => {
        const message = `cannot write checkpoints to ${store.file} (${describeError(error).message}); will retry`;
        if (agent.shared.warnings[0] !== message) logger.error({ error: describeError(error) }, message);
        agent.shared.warnings.splice(0, agent.shared.warnings.length, message);
      }, () => {
        if (agent.shared.warnings.length > 0) logger.info(`checkpoints written to ${store.file} again`);
        agent.shared.warnings.length = 0;
      });
      progress.start();
      logger.info({ version: VERSION, config: configPath, dataDir, checkpointFile: store.file, flows: config.flows.length }, `Shardline ${VERSION} started with ${config.flows.length} flow(s)`);
      return agent;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The flows in configuration order. */
  flowList(): Flow[] {
    return [...this.flows.values()];
  }

  /** A flow by its id (`kinesis:<stream>:<pattern>`) or key. */
  flow(id: string): Flow | undefined {
    return this.flows.get(id) ?? this.flowList().find((flow) => flow.config.id === id);
  }

  private async startFlows(flows: readonly FlowConfig[]): Promise<void> {
    const created = flows.map((config) => new Flow(config, flowDeps(this.config, config, this.store, this.logger, this.shared)));
    await Promise.all(created.map((flow) => flow.prepare()));
    for (const flow of created) {
      this.flows.set(flow.config.key, flow);
      flow.start();
    }
  }

  /**
   * Applies a validated configuration (SIGHUP, the config file changing on disk, the control API):
   * flows whose settings are unchanged keep running; changed ones are stopped (what they read is
   * sent first) and started again from their checkpoints; new ones start; removed ones stop. A
   * change of the global settings restarts every flow. Applies run one at a time.
   */
  apply(config: AgentConfig, origins: FlowOrigin[]): Promise<ApplyOutcome> {
    const run = this.applying.then(() => this.applyNow(config, origins));
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async applyNow(config: AgentConfig, origins: FlowOrigin[]): Promise<ApplyOutcome> {
    const outcome: ApplyOutcome = { added: [], removed: [], restarted: [], unchanged: [], needsRestart: [] };
    for (const key of RESTART_ONLY_KEYS) {
      if (JSON.stringify(config[key]) !== JSON.stringify(this.config[key])) outcome.needsRestart.push(key);
    }
    const globalChanged = JSON.stringify(globalPart(config)) !== JSON.stringify(globalPart(this.config));
    const wanted = new Map(config.flows.map((flow) => [flow.key, flow]));
    const toStop: Flow[] = [];
    const toStart: FlowConfig[] = [];
    for (const [key, flow] of this.flows) {
      const next = wanted.get(key);
      if (next === undefined) {
        toStop.push(flow);
        outcome.removed.push(flow.config.id);
      } else if (globalChanged || JSON.stringify(next) !== JSON.stringify(flow.config)) {
        toStop.push(flow);
        toStart.push(next);
        outcome.restarted.push(next.id);
      } else {
        outcome.unchanged.push(next.id);
      }
    }
    for (const [key, flow] of wanted) {
      if (!this.flows.has(key)) {
        toStart.push(flow);
        outcome.added.push(flow.id);
      }
    }
    await Promise.all(toStop.map(async (flow) => {
      await flow.stop(this.config.shutdownTimeoutMillis);
      this.flows.delete(flow.config.key);
    }));
    if (globalChanged) {
      await this.shared.metrics?.stop(2000);
      this.shared = await createShared(config, this.logger, this.shared.ec2, this.dataDir, this.shared.warnings);
    } else {
      this.shared.openFiles.resize(config.maxOpenFiles, config.flows.length);
    }
    this.config = config;
    this.origins = origins;
    await this.startFlows(toStart);
    // Keep the configuration's order.
    const ordered = config.flows.map((flow) => this.flows.get(flow.key)).filter((flow): flow is Flow => flow !== undefined);
    this.flows.clear();
    for (const flow of ordered) this.flows.set(flow.config.key, flow);
    this.progress.setPeriod(config['log.statusReportingPeriodSeconds'] * 1000);
    const level = outcome.added.length + outcome.removed.length + outcome.restarted.length + outcome.needsRestart.length === 0 ? 'debug' : 'info';
    this.logger[level]({ ...outcome }, `configuration applied: ${outcome.added.length} added, ${outcome.removed.length} removed, ${outcome.restarted.length} restarted, ${outcome.unchanged.length} unchanged${outcome.needsRestart.length > 0 ? `; ${outcome.needsRestart.join(', ')} take effect at the next start` : ''}`);
    return outcome;
  }

  /** Graceful stop: drain every flow within shutdownTimeoutMillis, write the final checkpoint. */
  async stop(): Promise<void> {
    await this.applying;
    const started = Date.now();
    this.progress.stop();
    await Promise.all(this.flowList().map((flow) => flow.stop(this.config.shutdownTimeoutMillis)));
    await this.shared.metrics?.stop(2000);
    this.store.stopPeriodicFlush();
    try {
      await this.store.flush();
    } finally {
      await this.lock.release();
    }
    this.progress.report();
    this.logger.info({ millis: Date.now() - started }, `Shut down completed in ${Date.now() - started} ms`);
  }

  status(): AgentStatus {
    return {
      version: VERSION,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      uptimeMillis: Date.now() - this.startedAt.getTime(),
      flows: this.flowList().map((flow) => flow.status()),
    };
  }
}

/** The global settings (everything but the flows and what only a restart changes). */
function globalPart(config: AgentConfig): Record<string, unknown> {
  const { flows: _flows, dataDir: _dataDir, checkpointFile: _checkpointFile, control: _control, checkpointIntervalMillis: _interval, 'log.statusReportingPeriodSeconds': _period, ...rest } = config;
  return rest;
}

/**
 * Where checkpoints live. A `checkpointFile` that is the Java agent's SQLite database (by its path
 * or its "SQLite format 3" header) is never written: Shardline keeps its own file (DESIGN §2, §8).
 */
export async function checkpointPath(config: AgentConfig, dataDir: string, logger: Logger): Promise<string> {
  const own = join(dataDir, 'checkpoints.json');
  const configured = config.checkpointFile;
  if (configured === undefined) return own;
  if (await isJavaCheckpointFile(configured)) {
    logger.warn({ checkpointFile: configured }, `checkpointFile names the Java agent's SQLite database; Shardline never writes it (it imports its offsets once) and keeps its own checkpoints in ${own}`);
    return own;
  }
  if (isVolatilePath(configured)) logger.warn({ checkpointFile: configured }, 'checkpointFile is on a memory-backed filesystem: checkpoints will be lost at reboot');
  return resolve(configured);
}

/**
 * A checkpoint file that cannot be parsed (a disk error, a hand edit) is moved aside with an error
 * and the agent starts without checkpoints (flows fall back to initialPosition): it never keeps the
 * agent from running.
 */
async function openCheckpoints(file: string, logger: Logger): Promise<CheckpointStore> {
  try {
    return await CheckpointStore.open(file);
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside);
    logger.error({ checkpointFile: file, movedTo: aside }, `${error.message}; moved it to ${aside} and starting without checkpoints`);
    return CheckpointStore.open(file);
  }
}

interface Shared {
  openFiles: OpenFileBudget;
  warnings: string[];
  ec2: Ec2MetadataProvider;
  dataDir: string;
  maxSendingThreads: number;
  slots: SendSlots;
  /** One AIMD limiter per destination (type, stream, region, endpoint): flows to one stream share it. */
  limiters: Map<string, AimdLimiter>;
  proxiesLogged: Set<string>;
  metrics: CloudWatchPublisher | undefined;
  /** cloudwatch.tagInstance: the EC2 instance id, else the host name. */
  instanceTag: string | undefined;
}

/** What flows share, built from the global settings (again when they change). */
async function createShared(config: AgentConfig, logger: Logger, ec2: Ec2MetadataProvider, dataDir: string, warnings: string[]): Promise<Shared> {
  const maxSendingThreads = config.maxSendingThreads ?? Math.max(2, config.maxSendingThreadsPerCore * cpus().length);
  const metrics = config['cloudwatch.emitMetrics'] ? cloudWatchPublisher(config, logger, maxSendingThreads) : undefined;
  metrics?.start();
  return {
    openFiles: new OpenFileBudget(config.maxOpenFiles, config.flows.length), warnings, ec2, dataDir,
    maxSendingThreads, slots: new SendSlots(maxSendingThreads), limiters: new Map(), proxiesLogged: new Set(),
    metrics,
    instanceTag: config['cloudwatch.emitMetrics'] && config['cloudwatch.tagInstance'] ? await instanceTag(ec2) : undefined,
  };
}

/**
 * The CloudWatch publisher (cloudwatch.emitMetrics). As the Java agent, metrics go to us-east-1 unless
 * cloudwatch.endpoint names another region; Shardline adds cloudwatch.region. Credentials are the
 * agent-wide ones (static keys or the default chain, with the global assumeRoleARN).
 */
function cloudWatchPublisher(config: AgentConfig, logger: Logger, maxSendingThreads: number): CloudWatchPublisher {
  const endpoint = config['cloudwatch.endpoint'] === undefined ? undefined : withScheme(config['cloudwatch.endpoint']);
  const region = config['cloudwatch.region'] ?? regionOfEndpoint(endpoint) ?? 'us-east-1';
  const http = { connectionTimeoutMillis: config.connectionTimeoutMillis, socketTimeoutMillis: config.socketTimeoutMillis, maxConnections: Math.min(4, maxSendingThreads), useTcpKeepAlive: config.useTcpKeepAlive };
  const stsEndpoint = config['sts.endpoint'] === undefined ? undefined : withScheme(config['sts.endpoint']);
  const client = new CloudWatchClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    credentials: credentialsFor({
      accessKeyId: config.awsAccessKeyId, secretAccessKey: config.awsSecretAccessKey, assumeRoleARN: config.assumeRoleARN, assumeRoleExternalId: config.assumeRoleExternalId,
      stsEndpoint, stsRegion: regionOfEndpoint(stsEndpoint) ?? region, stsHandler: () => createHttpHandler(stsEndpoint ?? `https://sts.${region}.amazonaws.com`, http).handler,
    }),
    maxAttempts: 2,
    requestHandler: createHttpHandler(endpoint ?? `https://monitoring.${region}.amazonaws.com`, http).handler,
  });
  return new CloudWatchPublisher({ client, namespace: config['cloudwatch.namespace'], intervalMillis: config['cloudwatch.metricsBufferTimeMillis'], queueSize: config['cloudwatch.metricsQueueSize'], logger });
}

async function instanceTag(ec2: Ec2MetadataProvider): Promise<string> {
  await ec2.refresh();
  const id = ec2.reader(Number.MAX_SAFE_INTEGER)()?.find(([name]) => name === 'instanceId')?.[1];
  return typeof id === 'string' ? id : hostname();
}

/** KPL aggregates' MD5 off the agent's thread; where this OpenSSL cannot, said once (KPL is slower then). */
function kplMd5Async(logger: Logger): ((data: Uint8Array) => Promise<Uint8Array>) | undefined {
  const md5 = md5InThreadPool();
  if (md5 === undefined && !md5FallbackLogged) {
    md5FallbackLogged = true;
    logger.info('KPL aggregates\' MD5 is computed on the agent\'s thread: this OpenSSL does not sign MD5 with RSA (FIPS mode or a crypto policy)');
  }
  return md5;
}
let md5FallbackLogged = false;

function flowDeps(config: AgentConfig, flow: FlowConfig, store: CheckpointStore, logger: Logger, shared: Shared): FlowDeps {
  const kinesis = flow.type === 'kinesis';
  const region = flow.region ?? (kinesis ? config['kinesis.region'] : config['firehose.region']);
  const endpoint = flow.endpoint ?? (kinesis ? config['kinesis.endpoint'] : config['firehose.endpoint']);
  const role = roleFor(config, flow);
  const clientOptions: DestinationClientOptions = {
    kind: flow.type,
    region,
    endpoint,
    credentials: { accessKeyId: config.awsAccessKeyId, secretAccessKey: config.awsSecretAccessKey, ...role, stsEndpoint: config['sts.endpoint'] },
    connectionTimeoutMillis: config.connectionTimeoutMillis,
    socketTimeoutMillis: config.socketTimeoutMillis,
    maxConnections: config.maxConnections ?? Math.max(50, shared.maxSendingThreads),
    useTcpKeepAlive: config.useTcpKeepAlive,
    userAgent: config.userAgentOverride ?? config.userAgent,
    onProxy: (proxy, url) => {
      if (shared.proxiesLogged.has(url)) return;
      shared.proxiesLogged.add(url);
      logger.info({ proxy, endpoint: url }, `requests to ${url} go through the proxy ${proxy}`);
    },
  };
  // The lean PutRecords path (issue 8); SHARDLINE_SDK_TRANSPORT=1 sends through the SDK's own pipeline instead.
  const transport = process.env['SHARDLINE_SDK_TRANSPORT'] === '1'
    ? new SdkRecordsTransport(() => createDestinationClient(clientOptions), flow.streamName)
    : new LeanRecordsTransport(() => createLeanDestination(clientOptions), flow.streamName);
  const destination = [flow.type, flow.streamName, region ?? '', endpoint ?? ''].join('|');
  const dimensions: Dimension[] = [{ name: 'Destination', value: `${kinesis ? 'KinesisStream' : 'DeliveryStream'}:${flow.streamName}` }];
  if (shared.instanceTag !== undefined) dimensions.push({ name: 'Instance', value: shared.instanceTag });
  const metrics = shared.metrics;
  let limiter = shared.limiters.get(destination);
  if (limiter === undefined) {
    limiter = new AimdLimiter(shared.maxSendingThreads);
    shared.limiters.set(destination, limiter);
  }
  return {
    logger,
    store,
    openFiles: shared.openFiles,
    maxHeldFileBytes: config.maxHeldFileBytes,
    checkpointTtlDays: config.checkpointTimeToLiveDays,
    agentWarnings: () => shared.warnings,
    chainDeps: {
      hostname: hostname(),
      now: Date.now,
      ec2Metadata: (ttl: number) => shared.ec2.reader(ttl),
      onEc2Unavailable: () => undefined,
    },
    deadLetter: DeadLetterFile.forFlow(shared.dataDir, flow.name ?? flow.id, (message) => logger.error(message)),
    keepSkippedRecords: config.keepSkippedRecords,
    prepareChain: () => (flow.dataProcessingOptions.some((o) => o.optionName === 'ADDEC2METADATA') ? shared.ec2.refresh() : Promise.resolve()),
    transport,
    ...(metrics === undefined ? {} : { onSend: (send: SendMetrics) => { addSendMetrics(metrics.accumulator, dimensions, send); metrics.added(); } }),
    limiter,
    slots: shared.slots,
    fatalRetryMaxMillis: config.fatalRetryMaxMillis,
    gzip: gzipRecord,
    md5: (data) => createHash('md5').update(data).digest(),
    md5Async: flow.aggregation === 'kpl' ? kplMd5Async(logger) : undefined,
    schedule: (millis, callback) => {
      const timer = setTimeout(callback, millis);
      return () => clearTimeout(timer);
    },
    now: Date.now,
    random: Math.random,
    md5Hex: (data: Uint8Array) => createHash('md5').update(data).digest('hex'),
  };
}
