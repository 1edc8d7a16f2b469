import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { prometheusText } from '../../core/metrics/prometheusText.js';
import {
  configDocumentSchema, flowEditSchema, logQuerySchema, previewRequestSchema, type AgentController, type ErrorReply,
} from '../../shared/control/controllerApi.js';
import { ControlError } from './NodeAgentController.js';

export interface ControlServerOptions {
  controller: AgentController;
  host: string;
  port: number;
  token: string;
  /** The built renderer (renderer/dist). */
  rendererDir: string;
  /** /metrics without the token (control.publicMetrics). */
  publicMetrics: boolean;
  logger: Logger;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};
/** The renderer's own policy (DESIGN §10): only this origin, no inline script, no framing. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The control API and web UI on loopback (DESIGN §2): every /api and /metrics request needs
 * `Authorization: Bearer <token>`; requests whose Host is not this server's address (DNS
 * rebinding) or that come from another origin (a web page in the operator's browser) are refused;
 * /healthz answers without the token and says nothing but the health; everything else is the
 * renderer, with a strict CSP.
 */
export class ControlServer {
  private server: Server | undefined;
  private address: { host: string; port: number } | undefined;

  constructor(private readonly options: ControlServerOptions) {}

  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.address = { host: this.options.host, port: bound.port };
    return this.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The UI's address, without the token (what the daemon logs). */
  get url(): string {
    const { host, port } = this.address ?? { host: this.options.host, port: this.options.port };
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  }

  private allowedHosts(): Set<string> {
    const port = this.address?.port ?? this.options.port;
    const hosts = [this.options.host, ...(isLoopback(this.options.host) ? ['127.0.0.1', 'localhost', '[::1]'] : [])];
    return new Set(hosts.map((host) => `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!this.allowedHosts().has(host)) return this.reply(res, 421, { error: { code: 'BadHost', message: 'this server answers only to its own address' } });
    const origin = req.headers.origin;
    const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
    if ((origin !== undefined && origin !== `http://${host}`) || crossSite) return this.reply(res, 403, { error: { code: 'CrossOrigin', message: 'cross-origin requests are refused' } });
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;
    if (path === '/healthz') return this.health(res);
    if (path === '/metrics') {
      if (!this.options.publicMetrics && !this.authorized(req)) return this.unauthorized(res);
      const text = prometheusText(await this.options.controller.status());
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    if (path.startsWith('/api/')) {
      if (!this.authorized(req)) return this.unauthorized(res);
      return this.api(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.reply(res, 405, { error: { code: 'MethodNotAllowed', message: `${req.method ?? ''} is not allowed here` } });
    return this.static(res, path);
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { controller } = this.options;
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    const flowRoute = /^\/api\/v1\/flows\/([^/]+)(?:\/(pause|resume|files))?$/.exec(url.pathname);
    const id = flowRoute?.[1] === undefined ? undefined : decodeURIComponent(flowRoute[1]);
    switch (true) {
      case route === 'GET /api/v1/status': return this.reply(res, 200, await controller.status());
      case route === 'GET /api/v1/config': return this.reply(res, 200, await controller.getConfig());
      case route === 'PUT /api/v1/config': return this.applied(res, await controller.applyConfig(configDocumentSchema.parse(await body(req))));
      case route === 'POST /api/v1/config/validate': return this.reply(res, 200, await controller.validateConfig(configDocumentSchema.parse(await body(req))));
      case route === 'POST /api/v1/flows': return this.applied(res, await controller.addFlow(flowEditSchema.parse(await body(req))));
      case route === 'POST /api/v1/preview': return this.reply(res, 200, await controller.preview(previewRequestSchema.parse(await body(req))));
      case route === 'GET /api/v1/logs': return this.reply(res, 200, await controller.logs(logQuerySchema.parse({
        level: url.searchParams.get('level') ?? undefined, flow: url.searchParams.get('flow') ?? undefined,
        limit: url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : undefined,
      })));
      case route === 'GET /api/v1/events': return this.events(req, res);
      case id !== undefined && flowRoute?.[2] === undefined && method === 'PUT': return this.applied(res, await controller.updateFlow(id, flowEditSchema.parse(await body(req))));
      case id !== undefined && flowRoute?.[2] === undefined && method === 'DELETE': return this.applied(res, await controller.removeFlow(id));
      case id !== undefined && flowRoute?.[2] === 'pause' && method === 'POST': return this.reply(res, 200, await controller.pauseFlow(id));
      case id !== undefined && flowRoute?.[2] === 'resume' && method === 'POST': return this.reply(res, 200, await controller.resumeFlow(id));
      case id !== undefined && flowRoute?.[2] === 'files' && method === 'GET': return this.reply(res, 200, await controller.files(id));
      default: return this.reply(res, 404, { error: { code: 'NotFound', message: `no route ${route}` } });
    }
  }

  /** An apply refused for validation problems is a 422 with the problems; otherwise 200. */
  private applied(res: ServerResponse, result: { ok: boolean; problems: unknown[] }): void {
    this.reply(res, result.ok ? 200 : 422, result);
  }

  /** A status snapshot each second, newline-delimited JSON, until the client goes away. */
  private async events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    req.on('close', () => abort.abort());
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    for await (const status of this.options.controller.events(abort.signal)) {
      if (res.destroyed) break;
      res.write(`${JSON.stringify(status)}\n`);
    }
    res.end();
  }

  private async health(res: ServerResponse): Promise<void> {
    const status = await this.options.controller.status();
    const ok = status.flows.every((flow) => flow.state !== 'error');
    this.reply(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded' });
  }

  private async static(res: ServerResponse, path: string): Promise<void> {
    const root = normalize(this.options.rendererDir).replace(/[\\/]+$/, '');
    const wanted = normalize(join(root, decodeURIComponent(path)));
    const file = wanted.startsWith(root + sep) && extname(wanted) !== '' ? wanted : join(root, 'index.html');
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined) {
      if (file !== join(root, 'index.html') && extname(wanted) !== '') return this.reply(res, 404, { error: { code: 'NotFound', message: 'no such file' } });
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The web UI is not built (npm run build). The control API works.\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
    });
    res.end(content);
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (match?.[1] === undefined) return false;
    const given = Buffer.from(match[1]);
    const expected = Buffer.from(this.options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private unauthorized(res: ServerResponse): void {
    res.setHeader('www-authenticate', 'Bearer realm="shardline"');
    this.reply(res, 401, { error: { code: 'Unauthorized', message: 'a valid Authorization: Bearer <token> is required (shardline ui prints the address with the token)' } });
  }

  private reply(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ControlError) {
      const reply: ErrorReply = { error: { code: error.code, message: error.message, ...(error.problems === undefined ? {} : { problems: error.problems }) } };
      this.reply(res, error.status, reply);
      return;
    }
    if (error instanceof z.ZodError) {
      this.reply(res, 400, { error: { code: 'BadRequest', message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    if (error instanceof BodyError) {
      this.reply(res, error.status, { error: { code: 'BadRequest', message: error.message } });
      return;
    }
    this.options.logger.error({ error: (error as Error).message }, `control API error: ${(error as Error).message}`);
    this.reply(res, 500, { error: { code: 'InternalError', message: (error as Error).message } });
  }
}

class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function body(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new BodyError(415, 'the body must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400, 'the body is not valid JSON');
  }
}
