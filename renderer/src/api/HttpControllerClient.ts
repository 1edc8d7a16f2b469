import type { z } from 'zod';
import {
  agentStatusSchema,
  applyResultSchema,
  configViewSchema,
  errorReplySchema,
  logEventSchema,
  previewResultSchema,
  trackedFileSchema,
  validationResultSchema,
  type AgentStatus,
  type ApplyResult,
  type ConfigDocument,
  type ConfigView,
  type FlowEdit,
  type LogEvent,
  type LogQuery,
  type PreviewRequest,
  type PreviewResult,
  type TrackedFileView,
  type ValidationResult,
} from '../../../src/shared/control/controllerApi.js';
import type { ControllerClient } from './ControllerClient.js';
import { ControllerError } from './ControllerError.js';
import { readNdjson } from './readNdjson.js';

type Fetch = typeof fetch;

const flowPath = (id: string, suffix = '') => `/api/v1/flows/${encodeURIComponent(id)}${suffix}`;

/**
 * The control API over loopback HTTP (DESIGN §2, CONTROL_ROUTES). Every call carries the bearer
 * token; every reply is checked against the shared schema, so a daemon/UI version mismatch shows
 * as a clear error instead of a broken view.
 */
export class HttpControllerClient implements ControllerClient {
  readonly transport = 'http';
  private readonly fetchImpl: Fetch;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    fetchImpl?: Fetch,
  ) {
    // Bound, because calling the global fetch as a method of another object throws "Illegal invocation".
    this.fetchImpl = fetchImpl ?? fetch.bind(globalThis);
  }

  status(): Promise<AgentStatus> {
    return this.call('GET', '/api/v1/status', agentStatusSchema);
  }

  getConfig(): Promise<ConfigView> {
    return this.call('GET', '/api/v1/config', configViewSchema);
  }

  validateConfig(document: ConfigDocument): Promise<ValidationResult> {
    return this.call('POST', '/api/v1/config/validate', validationResultSchema, document);
  }

  applyConfig(document: ConfigDocument): Promise<ApplyResult> {
    return this.call('PUT', '/api/v1/config', applyResultSchema, document, true);
  }

  addFlow(edit: FlowEdit): Promise<ApplyResult> {
    return this.call('POST', '/api/v1/flows', applyResultSchema, edit, true);
  }

  updateFlow(id: string, edit: FlowEdit): Promise<ApplyResult> {
    return this.call('PUT', flowPath(id), applyResultSchema, edit, true);
  }

  removeFlow(id: string): Promise<ApplyResult> {
    return this.call('DELETE', flowPath(id), applyResultSchema, undefined, true);
  }

  pauseFlow(id: string): Promise<AgentStatus> {
    return this.call('POST', flowPath(id, '/pause'), agentStatusSchema);
  }

  resumeFlow(id: string): Promise<AgentStatus> {
    return this.call('POST', flowPath(id, '/resume'), agentStatusSchema);
  }

  preview(request: PreviewRequest): Promise<PreviewResult> {
    return this.call('POST', '/api/v1/preview', previewResultSchema, request);
  }

  files(id: string): Promise<TrackedFileView[]> {
    return this.call('GET', flowPath(id, '/files'), trackedFileSchema.array());
  }

  logs(query: LogQuery): Promise<LogEvent[]> {
    const params = new URLSearchParams();
    if (query.level !== undefined) params.set('level', query.level);
    if (query.flow !== undefined) params.set('flow', query.flow);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString() === '' ? '' : `?${params.toString()}`;
    return this.call('GET', `/api/v1/logs${search}`, logEventSchema.array());
  }

  async *events(signal: AbortSignal): AsyncIterable<AgentStatus> {
    const response = await this.send('GET', '/api/v1/events', undefined, signal);
    if (!response.ok) throw toError(await response.json().catch(() => undefined), response.status);
    if (response.body === null) throw new ControllerError('The agent sent no event stream', 'no_body', response.status);
    for await (const value of readNdjson(response.body)) {
      yield agentStatusSchema.parse(value);
      if (signal.aborted) return;
    }
  }

  /**
   * `acceptsProblems`: apply calls answer a refused configuration with a 4xx whose body is still an
   * ApplyResult (ok: false, problems) or an error reply with problems; both reach the caller.
   */
  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, acceptsProblems = false): Promise<T> {
    const response = await this.send(method, path, body);
    const reply = await response.json().catch(() => undefined) as unknown;
    if (acceptsProblems || response.ok) {
      const parsed = schema.safeParse(reply);
      if (parsed.success) return parsed.data;
      if (response.ok) throw new ControllerError(`The agent's reply to ${method} ${path} does not match this UI's version`, 'bad_reply', response.status);
    }
    throw toError(reply, response.status);
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ControllerError('The agent cannot be reached: is it running?', 'unreachable', 0);
    }
    return response;
  }
}

function toError(reply: unknown, status: number): ControllerError {
  const parsed = errorReplySchema.safeParse(reply);
  if (parsed.success) return new ControllerError(parsed.data.error.message, parsed.data.error.code, status, parsed.data.error.problems);
  if (status === 401) return new ControllerError('The agent refused the access token', 'unauthorized', status);
  return new ControllerError(`The agent answered HTTP ${status}`, 'http_error', status);
}
