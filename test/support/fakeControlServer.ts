import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOW_KEYS } from '../../src/shared/config/flowFields.js';
import { flowSchema } from '../../src/shared/config/flowSchema.js';
import type {
  ApplyResult,
  ConfigFileView,
  ConfigProblemView,
  ConfigView,
  FlowRef,
  LogEvent,
  PreviewResult,
  RawObject,
  TrackedFileView,
  ValidationResult,
} from '../../src/shared/control/controllerApi.js';
import type { AgentStatus, FlowCounters, FlowGauges, FlowStatus } from '../../src/shared/stats/flowStatus.js';

/**
 * A stand-in for the daemon's control server, for renderer tests only (the real daemon has its
 * own end-to-end test). It speaks the HTTP routes of CONTROL_ROUTES over 127.0.0.1 with
 * in-memory state: two flows (one in error, defined in a read-only drop-in), counters that rise
 * every tick, logs, tracked files and a preview that skips a line. It checks the bearer token,
 * Host and Origin like the daemon, and serves the built renderer with the same headers.
 */
export interface FakeControlServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  token: string;
  /** Every request, for assertions (`GET /api/v1/status`, with whether it had the token). */
  requests: { method: string; path: string; authorized: boolean }[];
  /** The files as they would be on disk; tests read what the UI saved. */
  files: ConfigFileView[];
  close: () => Promise<void>;
}

export interface FakeControlOptions {
  token?: string;
  /** The built renderer; default `renderer/dist` of this repository. */
  rendererDir?: string;
  /** Counters rise and events are written every `tickMillis` (default 1000). */
  tickMillis?: number;
}

export const FAKE_MAIN_FILE = '/etc/shardline/agent.json';
export const FAKE_DROP_IN = '/etc/shardline/agent.d/50-app.json';
export const FAKE_ERROR_MESSAGE = 'ResourceNotFoundException: Firehose stream app-events not found in eu-west-1 (retrying every 15 s)';

/** The same policy the daemon sends (DESIGN §10); frame-ancestors only works as a header. */
export const RENDERER_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'none'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const LEVEL_ORDER = ['debug', 'info', 'warn', 'error'] as const;

/** Lines of the file the preview samples: Apache lines, one with a tab and CR, one not UTF-8, one that no format matches. */
const SAMPLE_LINES = [
  '203.0.113.7 - - [22/Nov/2025:07:01:02 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "curl/8.5.0"',
  '198.51.100.23 - alice [22/Nov/2025:07:01:03 +0000] "POST /api/orders HTTP/1.1" 201 312 "https://shop.example/" "Mozilla/5.0"',
  '### log rotated by logrotate ###',
  '192.0.2.4 - - [22/Nov/2025:07:01:04 +0000] "GET /caf\ufffd HTTP/1.1" 404 0 "-" "bot\tv2"\r',
];

function initialFiles(): ConfigFileView[] {
  return [
    {
      path: FAKE_MAIN_FILE,
      main: true,
      writable: true,
      hasComments: true,
      content: {
        'cloudwatch.emitMetrics': false,
        'kinesis.region': 'eu-west-1',
        awsAccessKeyId: 'AKIDEXAMPLE',
        awsSecretAccessKey: '********',
        flows: [
          {
            name: 'web-access',
            filePattern: '/var/log/nginx/access.log*',
            kinesisStream: 'web-logs',
            initialPosition: 'START_OF_FILE',
            // Written as strings, as the Java agent allows: the UI must keep them so.
            maxBufferSizeRecords: '500',
            'log.emitInternalMetrics': 'yes',
            dataProcessingOptions: [
              { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' },
              { optionName: 'ADDMETADATA', metadata: { env: 'prod' }, timestamp: 'true' },
            ],
            teamTag: 'payments',
          },
        ],
      },
    },
    {
      path: FAKE_DROP_IN,
      main: false,
      writable: false,
      readOnlyReason: 'owned by root with mode 0444 (the agent runs as shardline)',
      hasComments: false,
      content: { flows: [{ name: 'app-events', filePattern: '/var/log/app/events-*.json', deliveryStream: 'app-events', dataProcessingOptions: [{ optionName: 'JSONPARSE' }] }] },
    },
  ];
}

function zeroCounters(): FlowCounters {
  return {
    linesRead: 0, bytesRead: 0, recordsSent: 0, bytesSent: 0, recordsSkipped: 0, skipped: {}, recordsTruncated: 0, recordsProcessed: 0,
    processingErrors: 0, partitionKeyFallbacks: 0, recordsFailed: 0, failed: {}, throttled: 0, retries: 0, requests: 0, requestErrors: 0,
    deadLettered: 0, recordsCompressed: 0, bytesBeforeCompression: 0, bytesAfterCompression: 0, filesOpened: 0, filesReleased: 0,
    rotationsFollowed: 0, truncations: 0, bytesAbandoned: 0,
  };
}

function zeroGauges(): FlowGauges {
  return { lagBytes: 0, filesTracked: 0, filesOpen: 0, heldBytes: 0, inFlightBytes: 0, inFlightRecords: 0, concurrency: 1 };
}

interface FlowEntry {
  ref: FlowRef;
  status: FlowStatus;
}

class FakeAgent {
  readonly startedAt = new Date(Date.now() - 3_725_000).toISOString();
  private readonly started = Date.parse(this.startedAt);
  private ticks = 0;
  /** Snapshots carry the time of the last tick: counters move in steps, and their time must match. */
  private lastTick = Date.now();
  flows: FlowEntry[] = [];
  readonly logs: LogEvent[] = [];

  constructor(readonly files: ConfigFileView[]) {
    this.rebuild();
    const now = Date.now();
    this.log(now - 95_000, 'info', 'agent started, 2 flows');
    this.log(now - 60_000, 'warn', 'throttled by Kinesis (ProvisionedThroughputExceededException), backing off 200 ms', 'kinesis:web-logs:/var/log/nginx/access.log*');
    this.log(now - 30_000, 'error', FAKE_ERROR_MESSAGE, 'fh:app-events:/var/log/app/events-*.json');
    this.log(now - 4_000, 'warn', 'unknown key "teamTag" in flows[0] of /etc/shardline/agent.json (kept, ignored)');
  }

  log(time: number, level: LogEvent['level'], message: string, flow?: string): void {
    this.logs.push({ time: new Date(time).toISOString(), level, message, ...(flow === undefined ? {} : { flow }) });
  }

  /** Flow refs and statuses from the files; counters of flows that keep their id carry over. */
  rebuild(): void {
    const previous = new Map(this.flows.map((f) => [f.status.key, f.status]));
    this.flows = [];
    for (const file of this.files) {
      const flows = Array.isArray(file.content['flows']) ? (file.content['flows'] as RawObject[]) : [];
      flows.forEach((raw, index) => {
        const parsed = flowSchema.safeParse(raw);
        if (!parsed.success) return;
        const config = parsed.data;
        const old = previous.get(config.key);
        const error = config.streamName === 'app-events';
        this.flows.push({
          ref: { id: config.id, file: file.path, index, raw },
          status: {
            key: config.key,
            id: config.id,
            name: config.name ?? config.id,
            type: config.type,
            streamName: config.streamName,
            filePattern: config.filePattern,
            state: old?.state ?? (error ? 'error' : config.paused ? 'paused' : 'running'),
            ...(error ? { message: FAKE_ERROR_MESSAGE } : {}),
            warnings: [],
            counters: old?.counters ?? zeroCounters(),
            gauges: old?.gauges ?? { ...zeroGauges(), filesTracked: 2, filesOpen: 2, lagBytes: error ? 34_000_000 : 0 },
            putLatency: { boundsMillis: [10, 50, 100, 500], counts: [0, 0, 0, 0, 0], sumMillis: 0, count: 0 },
          },
        });
      });
    }
  }

  /** One second of shipping: the running flow sends what it reads; the error flow falls behind. */
  tick(): void {
    this.ticks++;
    this.lastTick = Date.now();
    for (const { status } of this.flows) {
      const c = status.counters;
      const lines = status.state === 'paused' ? 0 : 1150 + ((this.ticks * 37) % 200);
      c.linesRead += lines;
      c.bytesRead += lines * 190;
      if (status.state === 'running') {
        c.recordsSent += lines;
        c.bytesSent += lines * 230;
        c.recordsProcessed += lines;
        c.requests += 3;
        if (this.ticks % 7 === 0) c.throttled += 4;
      } else if (status.state === 'error') {
        c.recordsFailed += 2;
        status.gauges.lagBytes += lines * 190;
      }
    }
  }

  status(): AgentStatus {
    return { version: '0.1.0', pid: 4242, startedAt: this.startedAt, uptimeMillis: this.lastTick - this.started, flows: this.flows.map((f) => structuredClone(f.status)) };
  }

  config(): ConfigView {
    const { problems, warnings } = this.validate(this.files);
    return { mainFile: FAKE_MAIN_FILE, files: structuredClone(this.files), flows: this.flows.map((f) => structuredClone(f.ref)), problems, warnings };
  }

  /** The shared flow schema on every flow of every file, with paths like the daemon's. */
  validate(files: readonly { path: string; content: RawObject }[]): ValidationResult {
    const problems: ConfigProblemView[] = [];
    const warnings: ConfigProblemView[] = [];
    const ids = new Map<string, string>();
    for (const file of files) {
      const flows = Array.isArray(file.content['flows']) ? (file.content['flows'] as unknown[]) : [];
      flows.forEach((raw, index) => {
        const parsed = flowSchema.safeParse(raw);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) problems.push({ file: file.path, path: [`flows[${index}]`, ...issue.path.map(String)].join('.'), message: issue.message });
          return;
        }
        const where = `${file.path} flows[${index}]`;
        const clash = ids.get(parsed.data.key);
        if (clash !== undefined) problems.push({ file: file.path, path: `flows[${index}]`, message: `duplicate flow ${parsed.data.id} (also ${clash})` });
        ids.set(parsed.data.key, where);
        for (const key of Object.keys(raw as RawObject)) {
          if (!FLOW_KEYS.has(key)) warnings.push({ file: file.path, path: `flows[${index}].${key}`, message: 'unknown key (kept, ignored)' });
        }
      });
    }
    return { ok: problems.length === 0, problems, warnings };
  }

  /** Applies new file contents: refused as a whole on any problem, as the daemon does. */
  apply(files: ConfigFileView[]): ApplyResult {
    const before = new Map(this.flows.map((f) => [f.ref.id, JSON.stringify(f.ref.raw)]));
    const { problems, warnings } = this.validate(files);
    const result: ApplyResult = { ok: problems.length === 0, problems, warnings, added: [], removed: [], restarted: [], unchanged: [], saved: [] };
    if (!result.ok) return result;
    const changed = files.filter((f, i) => JSON.stringify(f.content) !== JSON.stringify(this.files[i]?.content));
    this.files.splice(0, this.files.length, ...files);
    this.rebuild();
    const after = new Map(this.flows.map((f) => [f.ref.id, JSON.stringify(f.ref.raw)]));
    for (const [id, raw] of after) {
      if (!before.has(id)) result.added.push(id);
      else if (before.get(id) !== raw) result.restarted.push(id);
      else result.unchanged.push(id);
    }
    for (const id of before.keys()) if (!after.has(id)) result.removed.push(id);
    result.saved = changed.map((f) => ({ path: f.path, backup: `${f.path}.2025-11-22T07-00-00.bak` }));
    return result;
  }

  /** The files with one file's flows changed, or an error when that file cannot be written. */
  withFlows(path: string, change: (flows: unknown[]) => void): ConfigFileView[] | string {
    const files = structuredClone(this.files);
    const file = files.find((f) => f.path === path);
    if (file === undefined) return `no config file ${path}`;
    if (!file.writable) return `${path} cannot be saved: ${file.readOnlyReason ?? 'read-only'}`;
    const flows = Array.isArray(file.content['flows']) ? [...(file.content['flows'] as unknown[])] : [];
    change(flows);
    file.content = { ...file.content, flows };
    file.hasComments = false;
    return files;
  }

  trackedFiles(id: string): TrackedFileView[] | undefined {
    const flow = this.flows.find((f) => f.ref.id === id);
    if (flow === undefined) return undefined;
    const dir = flow.status.filePattern.slice(0, flow.status.filePattern.lastIndexOf('/'));
    const lag = flow.status.gauges.lagBytes;
    const size = 52_428_800 + flow.status.counters.bytesRead;
    return [
      { path: `${dir}/${flow.status.type === 'firehose' ? 'events-2025-11-22.json' : 'access.log'}`, key: '2049:1311234', dev: '2049', ino: '1311234', fingerprint: 'a3f1c9e07b2d4e65a3f1c9e07b2d4e65', offset: size - lag, size, lagBytes: lag, state: 'reading' },
      { path: `${dir}/${flow.status.type === 'firehose' ? 'events-2025-11-21.json' : 'access.log.1'}`, key: '2049:1311102', dev: '2049', ino: '1311102', fingerprint: '5be04d11c0a87f3e5be04d11c0a87f3e', offset: 104_857_600, size: 104_857_600, lagBytes: 0, state: 'idle' },
    ];
  }

  preview(flow: RawObject, sample: string[] | undefined, lines: number): PreviewResult {
    const parsed = flowSchema.safeParse(flow);
    if (!parsed.success) {
      return { ok: false, items: [], problems: parsed.error.issues.map((i) => ({ file: '', path: i.path.map(String).join('.'), message: i.message })) };
    }
    const options = parsed.data.dataProcessingOptions.map((o) => o.optionName);
    const input = sample ?? SAMPLE_LINES.slice(-lines);
    const items = input.map((line) => {
      if (options.includes('LOGTOJSON')) {
        const match = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+)/.exec(line);
        if (match === null) return { input: line, skipped: 'LOGTOJSON: the line does not match COMBINEDAPACHELOG' };
        const [, host, ident, authuser, datetime, request, response, bytes] = match;
        return { input: line, output: `${JSON.stringify({ host, ident: ident === '-' ? null : ident, authuser: authuser === '-' ? null : authuser, datetime, request, response, bytes })}\n`, partitionKey: '28133' };
      }
      if (options.includes('JSONPARSE')) {
        try {
          return { input: line, output: `${JSON.stringify(JSON.parse(line))}\n` };
        } catch {
          return { input: line, skipped: 'JSONPARSE: not JSON (onInvalid: skip)' };
        }
      }
      return { input: line, output: `${line}\n` };
    });
    return { ok: true, ...(sample === undefined ? { file: `${parsed.data.filePattern.slice(0, parsed.data.filePattern.lastIndexOf('/'))}/access.log` } : {}), items, problems: [] };
  }
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const errorReply = (code: string, message: string) => ({ error: { code, message } });

export async function startFakeControlServer(options: FakeControlOptions = {}): Promise<FakeControlServer> {
  const token = options.token ?? 'fake-token-0123456789abcdefghijklmnopqrstuvwxyz';
  const rendererDir = normalize(options.rendererDir ?? fileURLToPath(new URL('../../renderer/dist', import.meta.url)));
  const agent = new FakeAgent(initialFiles());
  const streams = new Set<ServerResponse>();
  const requests: FakeControlServer['requests'] = [];
  let port = 0;

  const timer = setInterval(() => {
    agent.tick();
    const line = `${JSON.stringify(agent.status())}\n`;
    for (const res of streams) res.write(line);
  }, options.tickMillis ?? 1000);

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    const flowRoute = /^\/api\/v1\/flows\/([^/]+)(?:\/(pause|resume|files))?$/.exec(url.pathname);
    const id = flowRoute?.[1] === undefined ? undefined : decodeURIComponent(flowRoute[1]);
    const action = flowRoute?.[2];
    const entry = agent.flows.find((f) => f.ref.id === id);
    const applied = (files: ConfigFileView[] | string) => {
      if (typeof files === 'string') return reply(res, 409, errorReply('ReadOnly', files));
      const result = agent.apply(files);
      return reply(res, result.ok ? 200 : 422, result);
    };
    if (route === 'GET /api/v1/status') return reply(res, 200, agent.status());
    if (route === 'GET /api/v1/config') return reply(res, 200, agent.config());
    if (route === 'POST /api/v1/config/validate') return reply(res, 200, agent.validate((await body(req) as { files: ConfigFileView[] }).files));
    if (route === 'PUT /api/v1/config') return applied((await body(req) as { files: ConfigFileView[] }).files.map((f) => ({ ...agent.files.find((g) => g.path === f.path)!, content: f.content })));
    if (route === 'POST /api/v1/flows') {
      const edit = (await body(req)) as { flow: RawObject; file?: string };
      return applied(agent.withFlows(edit.file ?? FAKE_MAIN_FILE, (flows) => flows.push(edit.flow)));
    }
    if (route === 'POST /api/v1/preview') {
      const request = (await body(req)) as { flow: RawObject; sample?: string[]; lines?: number };
      return reply(res, 200, agent.preview(request.flow, request.sample, request.lines ?? 20));
    }
    if (route === 'GET /api/v1/logs') {
      const min = LEVEL_ORDER.indexOf((url.searchParams.get('level') ?? 'debug') as LogEvent['level']);
      const flow = url.searchParams.get('flow');
      const limit = Number(url.searchParams.get('limit') ?? 200);
      const events = agent.logs.filter((e) => LEVEL_ORDER.indexOf(e.level) >= min && (flow === null || e.flow === flow));
      return reply(res, 200, events.slice(-limit));
    }
    if (route === 'GET /api/v1/events') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      res.write(`${JSON.stringify(agent.status())}\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return undefined;
    }
    if (flowRoute === null) return reply(res, 404, errorReply('NotFound', `no route ${route}`));
    if (entry === undefined) return reply(res, 404, errorReply('NoSuchFlow', `no flow ${id ?? ''}`));
    if (action === 'files' && method === 'GET') return reply(res, 200, agent.trackedFiles(entry.ref.id));
    if ((action === 'pause' || action === 'resume') && method === 'POST') {
      if (entry.status.state !== 'error') entry.status.state = action === 'pause' ? 'paused' : 'running';
      return reply(res, 200, agent.status());
    }
    if (action === undefined && method === 'PUT') {
      const edit = (await body(req)) as { flow: RawObject };
      return applied(agent.withFlows(entry.ref.file, (flows) => { flows[entry.ref.index] = edit.flow; }));
    }
    if (action === undefined && method === 'DELETE') return applied(agent.withFlows(entry.ref.file, (flows) => flows.splice(entry.ref.index, 1)));
    return reply(res, 405, errorReply('MethodNotAllowed', `${route} is not allowed`));
  };

  const serveStatic = async (res: ServerResponse, path: string): Promise<void> => {
    const wanted = normalize(join(rendererDir, decodeURIComponent(path)));
    const file = wanted.startsWith(rendererDir + sep) && extname(wanted) !== '' ? wanted : join(rendererDir, 'index.html');
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined) return reply(res, 404, errorReply('NotFound', `no file ${path} (is the renderer built? npm run build:renderer)`));
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': RENDERER_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(content);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const header = req.headers.authorization ?? '';
    const authorized = header === `Bearer ${token}`;
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorized });
    const handle = async () => {
      // As the daemon: only its own Host (DNS rebinding) and no other origin.
      if (req.headers.host !== `127.0.0.1:${port}`) return reply(res, 421, errorReply('BadHost', 'this server answers only to its own address'));
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://127.0.0.1:${port}`) return reply(res, 403, errorReply('CrossOrigin', 'cross-origin requests are refused'));
      if (url.pathname === '/healthz') return reply(res, 200, { status: 'ok' });
      if (url.pathname.startsWith('/api/')) {
        if (!authorized) return reply(res, 401, errorReply('Unauthorized', 'a valid Authorization: Bearer <token> is required'));
        return api(req, res, url);
      }
      return serveStatic(res, url.pathname);
    };
    handle().catch((error: unknown) => reply(res, 500, errorReply('Internal', error instanceof Error ? error.message : String(error))));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    files: agent.files,
    close: async () => {
      clearInterval(timer);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
