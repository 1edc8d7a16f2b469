import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { cpus, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { formatProblem, type ConfigProblem } from '../../core/config/configFile.js';
import type { AgentConfig } from '../../shared/config/agentConfigSchema.js';
import type { FlowConfig } from '../../shared/config/flowSchema.js';
import type { AgentStatus } from '../../shared/stats/flowStatus.js';
import { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { CorruptFileError } from '../checkpoint/DurableJsonFile.js';
import { OpenFileBudget } from '../source/OpenFileBudget.js';
import { DeadLetterFile } from '../processing/DeadLetterFile.js';
import { Ec2MetadataProvider } from '../processing/Ec2MetadataProvider.js';
import { describeError } from '../util/describeError.js';
import { loadConfig } from '../config/loadConfig.js';
import { DataDirLock } from '../lock/DataDirLock.js';
import { createDestinationClient } from '../sink/destinationClient.js';
import { SdkRecordsTransport } from '../sink/SdkRecordsTransport.js';
import { defaultDataDir, isVolatilePath } from '../util/defaultPaths.js';
import { gzipSync } from 'node:zlib';
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

/** The running agent: config, data-dir lock, checkpoint store, flows and the progress line. */
export class Agent {
  private readonly startedAt = new Date();
  private constructor(
    readonly config: AgentConfig,
    readonly dataDir: string,
    private readonly flows: Flow[],
    private readonly store: CheckpointStore,
    private readonly lock: DataDirLock,
    private readonly progress: ProgressReporter,
    private readonly logger: Logger,
    private readonly metrics: CloudWatchPublisher | undefined,
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
      const ec2 = new Ec2MetadataProvider({
        endpoint: process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'],
        disabled: process.env['AWS_EC2_METADATA_DISABLED']?.toLowerCase() === 'true',
        now: Date.now,
        timezoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
        onError: (message) => logger.warn(message),
      });
      const maxSendingThreads = config.maxSendingThreads ?? Math.max(2, config.maxSendingThreadsPerCore * cpus().length);
      const shared: Shared = {
        openFiles: new OpenFileBudget(config.maxOpenFiles, config.flows.length), warnings: [], ec2, dataDir,
        maxSendingThreads, slots: new SendSlots(maxSendingThreads), limiters: new Map(), proxiesLogged: new Set(),
        metrics: config['cloudwatch.emitMetrics'] ? cloudWatchPublisher(config, logger, maxSendingThreads) : undefined,
        instanceTag: config['cloudwatch.emitMetrics'] && config['cloudwatch.tagInstance'] ? await instanceTag(ec2) : undefined,
      };
      const flows = config.flows.map((flow) => new Flow(flow, flowDeps(config, flow, store, logger, shared)));
      shared.metrics?.start();
      const progress = new ProgressReporter(flows, logger, config['log.statusReportingPeriodSeconds'] * 1000);
      const agent = new Agent(config, dataDir, flows, store, lock, progress, logger, shared.metrics);
      await Promise.all(flows.map((flow) => flow.prepare()));
      for (const flow of flows) flow.start();
      store.startPeriodicFlush(config.checkpointIntervalMillis, (error) => {
        const message = `cannot write checkpoints to ${store.file} (${describeError(error).message}); will retry`;
        if (shared.warnings[0] !== message) logger.error({ error: describeError(error) }, message);
        shared.warnings.splice(0, shared.warnings.length, message);
      }, () => {
        if (shared.warnings.length > 0) logger.info(`checkpoints written to ${store.file} again`);
        shared.warnings.length = 0;
      });
      progress.start();
      logger.info({ version: VERSION, config: configPath, dataDir, checkpointFile: store.file, flows: flows.length }, `Shardline ${VERSION} started with ${flows.length} flow(s)`);
      return agent;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Graceful stop: drain every flow within shutdownTimeoutMillis, write the final checkpoint. */
  async stop(): Promise<void> {
    const started = Date.now();
    this.progress.stop();
    await Promise.all(this.flows.map((flow) => flow.stop(this.config.shutdownTimeoutMillis)));
    await this.metrics?.stop(2000);
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
      flows: this.flows.map((flow) => flow.status()),
    };
  }
}

/**
 * Where checkpoints live. A `checkpointFile` that is the Java agent's SQLite database (by its path
 * or its "SQLite format 3" header) is never written: Shardline keeps its own file (DESIGN §2, §8).
 */
async function checkpointPath(config: AgentConfig, dataDir: string, logger: Logger): Promise<string> {
  const own = join(dataDir, 'checkpoints.json');
  const configured = config.checkpointFile;
  if (configured === undefined) return own;
  if (/aws-kinesis-agent\/checkpoints$/.test(configured) || (await isSqlite(configured))) {
    logger.warn({ checkpointFile: configured }, `checkpointFile names the Java agent's SQLite database; Shardline never writes it and keeps its own checkpoints in ${own}`);
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

async function isSqlite(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return false;
  try {
    const header = Buffer.alloc(16);
    await handle.read(header, 0, 16, 0);
    return header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    await handle.close();
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

function flowDeps(config: AgentConfig, flow: FlowConfig, store: CheckpointStore, logger: Logger, shared: Shared): FlowDeps {
  const kinesis = flow.type === 'kinesis';
  const region = flow.region ?? (kinesis ? config['kinesis.region'] : config['firehose.region']);
  const endpoint = flow.endpoint ?? (kinesis ? config['kinesis.endpoint'] : config['firehose.endpoint']);
  const role = roleFor(config, flow);
  const transport = new SdkRecordsTransport(() => createDestinationClient({
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
  }), flow.streamName);
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
    gzip: (data) => gzipSync(data),
    md5: (data) => createHash('md5').update(data).digest(),
    schedule: (millis, callback) => {
      const timer = setTimeout(callback, millis);
      return () => clearTimeout(timer);
    },
    now: Date.now,
    random: Math.random,
    md5Hex: (data: Uint8Array) => createHash('md5').update(data).digest('hex'),
  };
}
