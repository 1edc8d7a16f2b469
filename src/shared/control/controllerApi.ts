import { z } from 'zod';
import { agentStatusSchema, type AgentStatus } from '../stats/flowStatus.js';

/**
 * The AgentController contract (DESIGN §2, control plane): one set of operations and shapes, served
 * over HTTP on loopback by the daemon and over IPC by the tray app. Every argument and reply is a
 * zod schema here so both ends validate the same way; the renderer imports this file too.
 */

/** A problem in the configuration, named by file and JSON path. */
export const configProblemSchema = z.object({ file: z.string(), path: z.string(), message: z.string() });
export type ConfigProblemView = z.infer<typeof configProblemSchema>;

/** A raw JSON object as written in a config file (unknown keys and value forms kept). */
export const rawObjectSchema = z.record(z.string(), z.unknown());
export type RawObject = z.infer<typeof rawObjectSchema>;

/** One config file: the main agent.json or an agent.d/ drop-in. */
export const configFileViewSchema = z.object({
  path: z.string(),
  /** The main file holds the global keys; a drop-in only `flows`. */
  main: z.boolean(),
  /** Whether the daemon can save to it; when not, `readOnlyReason` says why (shown in the UI). */
  writable: z.boolean(),
  readOnlyReason: z.string().optional(),
  /** The file has comments, which a save cannot keep (the UI warns before the first save). */
  hasComments: z.boolean(),
  /** Parsed content; secrets (awsSecretAccessKey, …) are replaced by "********". */
  content: rawObjectSchema,
});
export type ConfigFileView = z.infer<typeof configFileViewSchema>;

export const flowRefSchema = z.object({
  /** The Java flow id (`kinesis:<stream>:<pattern>`, `fh:<stream>:<pattern>`). */
  id: z.string(),
  file: z.string(),
  /** Index in that file's `flows`. */
  index: z.number().int().nonnegative(),
  raw: rawObjectSchema,
});
export type FlowRef = z.infer<typeof flowRefSchema>;

export const configViewSchema = z.object({
  mainFile: z.string(),
  files: z.array(configFileViewSchema),
  flows: z.array(flowRefSchema),
  problems: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});
export type ConfigView = z.infer<typeof configViewSchema>;

/** A whole configuration to validate or apply: the content of each file, by path. */
export const configDocumentSchema = z.object({
  files: z.array(z.object({ path: z.string(), content: rawObjectSchema })),
});
export type ConfigDocument = z.infer<typeof configDocumentSchema>;

export const validationResultSchema = z.object({
  ok: z.boolean(),
  problems: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
});
export type ValidationResult = z.infer<typeof validationResultSchema>;

export const applyResultSchema = z.object({
  ok: z.boolean(),
  problems: z.array(configProblemSchema),
  warnings: z.array(configProblemSchema),
  /** Flow ids, by what applying did to them. */
  added: z.array(z.string()),
  removed: z.array(z.string()),
  restarted: z.array(z.string()),
  unchanged: z.array(z.string()),
  /** Files written, each with the backup of its previous version. */
  saved: z.array(z.object({ path: z.string(), backup: z.string().optional() })),
});
export type ApplyResult = z.infer<typeof applyResultSchema>;

export const flowEditSchema = z.object({
  /** The flow as raw JSON (all its keys, unknown ones included). */
  flow: rawObjectSchema,
  /** New flows only: the file to add it to (default: the main file). */
  file: z.string().optional(),
});
export type FlowEdit = z.infer<typeof flowEditSchema>;

export const previewRequestSchema = z.object({
  /** The flow as raw JSON (its dataProcessingOptions, multiLineStartPattern, partitionKeyOption, …). */
  flow: rawObjectSchema,
  /** Lines to run through the chain; when absent, the last `lines` lines of a file the flow matches. */
  sample: z.array(z.string()).max(1000).optional(),
  lines: z.number().int().min(1).max(1000).default(20),
});
export type PreviewRequest = z.input<typeof previewRequestSchema>;

export const previewItemSchema = z.object({
  input: z.string(),
  /** The record as sent (UTF-8 text; invalid bytes as U+FFFD), absent when skipped. */
  output: z.string().optional(),
  partitionKey: z.string().optional(),
  /** Why the line produced no record (LOGTOJSON no match, FILTER, footer, …). */
  skipped: z.string().optional(),
  /** A converter failed and the raw line is sent instead (as the Java agent). */
  error: z.string().optional(),
  truncated: z.boolean().optional(),
});
export const previewResultSchema = z.object({
  ok: z.boolean(),
  /** The file the sample came from, when read from one. */
  file: z.string().optional(),
  items: z.array(previewItemSchema),
  problems: z.array(configProblemSchema),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

export const trackedFileSchema = z.object({
  path: z.string(),
  key: z.string(),
  /** Device and inode numbers (decimal strings: they can exceed 2^53). */
  dev: z.string(),
  ino: z.string(),
  fingerprint: z.string(),
  offset: z.number().nonnegative(),
  size: z.number().nonnegative(),
  lagBytes: z.number().nonnegative(),
  /** reading: data read recently; idle: at its end; parked: closed under maxOpenFiles; draining: renamed or deleted, read to its end before release. */
  state: z.enum(['reading', 'idle', 'parked', 'draining']),
});
export type TrackedFileView = z.infer<typeof trackedFileSchema>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const logEventSchema = z.object({
  time: z.string(),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  flow: z.string().optional(),
});
export type LogEvent = z.infer<typeof logEventSchema>;
export const logQuerySchema = z.object({ level: z.enum(LOG_LEVELS).optional(), flow: z.string().optional(), limit: z.number().int().min(1).max(1000).default(200) });
export type LogQuery = z.input<typeof logQuerySchema>;

export { agentStatusSchema };
export type { AgentStatus };

/** The operations; HTTP and IPC bind each one to a route or channel (see CONTROL_ROUTES). */
export interface AgentController {
  status(): Promise<AgentStatus>;
  getConfig(): Promise<ConfigView>;
  validateConfig(document: ConfigDocument): Promise<ValidationResult>;
  applyConfig(document: ConfigDocument): Promise<ApplyResult>;
  addFlow(edit: FlowEdit): Promise<ApplyResult>;
  updateFlow(id: string, edit: FlowEdit): Promise<ApplyResult>;
  removeFlow(id: string): Promise<ApplyResult>;
  pauseFlow(id: string): Promise<AgentStatus>;
  resumeFlow(id: string): Promise<AgentStatus>;
  preview(request: PreviewRequest): Promise<PreviewResult>;
  files(id: string): Promise<TrackedFileView[]>;
  logs(query: LogQuery): Promise<LogEvent[]>;
  /** A status snapshot each second until the signal aborts (HTTP: newline-delimited JSON). */
  events(signal: AbortSignal): AsyncIterable<AgentStatus>;
}

/**
 * HTTP routes of the control API (DESIGN §2). `{id}` is the flow id, URI-encoded. Every /api and
 * /metrics request needs `Authorization: Bearer <token>`; /healthz does not.
 */
export const CONTROL_ROUTES = {
  status: 'GET /api/v1/status',
  getConfig: 'GET /api/v1/config',
  applyConfig: 'PUT /api/v1/config',
  validateConfig: 'POST /api/v1/config/validate',
  addFlow: 'POST /api/v1/flows',
  updateFlow: 'PUT /api/v1/flows/{id}',
  removeFlow: 'DELETE /api/v1/flows/{id}',
  pauseFlow: 'POST /api/v1/flows/{id}/pause',
  resumeFlow: 'POST /api/v1/flows/{id}/resume',
  preview: 'POST /api/v1/preview',
  files: 'GET /api/v1/flows/{id}/files',
  logs: 'GET /api/v1/logs',
  events: 'GET /api/v1/events',
} as const satisfies Record<keyof AgentController, string>;

/** An error reply: `{ error: { code, message, problems? } }` with a 4xx/5xx status. */
export const errorReplySchema = z.object({ error: z.object({ code: z.string(), message: z.string(), problems: z.array(configProblemSchema).optional() }) });
export type ErrorReply = z.infer<typeof errorReplySchema>;
