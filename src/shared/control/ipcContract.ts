import { z } from 'zod';
import {
  agentStatusSchema,
  applyResultSchema,
  configDocumentSchema,
  configProblemSchema,
  configViewSchema,
  flowEditSchema,
  logEventSchema,
  logQuerySchema,
  previewRequestSchema,
  previewResultSchema,
  trackedFileSchema,
  validationResultSchema,
  type AgentController,
} from './controllerApi.js';

/**
 * The AgentController over Electron IPC (DESIGN §2): one `ipcRenderer.invoke` channel per operation,
 * with the arguments as a zod tuple and the reply as a zod schema, checked in the preload before
 * sending and after receiving, and in the main process on arrival. The status stream is pushed on
 * one channel. Errors travel as values (`IpcReply`), because Electron flattens a thrown error to a
 * message string and the UI needs the code and the configuration problems.
 */

const flowId = z.string().min(1).max(4096);

export const IPC_METHODS = {
  status: { args: z.tuple([]), reply: agentStatusSchema },
  getConfig: { args: z.tuple([]), reply: configViewSchema },
  validateConfig: { args: z.tuple([configDocumentSchema]), reply: validationResultSchema },
  applyConfig: { args: z.tuple([configDocumentSchema]), reply: applyResultSchema },
  addFlow: { args: z.tuple([flowEditSchema]), reply: applyResultSchema },
  updateFlow: { args: z.tuple([flowId, flowEditSchema]), reply: applyResultSchema },
  removeFlow: { args: z.tuple([flowId]), reply: applyResultSchema },
  pauseFlow: { args: z.tuple([flowId]), reply: agentStatusSchema },
  resumeFlow: { args: z.tuple([flowId]), reply: agentStatusSchema },
  preview: { args: z.tuple([previewRequestSchema]), reply: previewResultSchema },
  files: { args: z.tuple([flowId]), reply: z.array(trackedFileSchema) },
  logs: { args: z.tuple([logQuerySchema]), reply: z.array(logEventSchema) },
} as const satisfies Record<Exclude<keyof AgentController, 'events'>, { args: z.ZodTuple; reply: z.ZodType }>;

export type IpcMethod = keyof typeof IPC_METHODS;
export const IPC_METHOD_NAMES = Object.keys(IPC_METHODS) as IpcMethod[];
export type IpcArgs<M extends IpcMethod> = z.input<(typeof IPC_METHODS)[M]['args']>;
export type IpcValue<M extends IpcMethod> = z.output<(typeof IPC_METHODS)[M]['reply']>;

/** The invoke channel of an operation. */
export const ipcChannel = (method: IpcMethod): string => `shardline:${method}`;
/** Pushed to every window once a second: an AgentStatus. */
export const IPC_STATUS_CHANNEL = 'shardline:status-event';

export const ipcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The status the HTTP API would answer (404 no such flow, 409 read-only file, …), for the same handling. */
  status: z.number().int().optional(),
  problems: z.array(configProblemSchema).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** What the preload exposes as `window.shardline`: the typed controller plus the status stream. */
export type ShardlineBridge = {
  readonly [M in IpcMethod]: (...args: IpcArgs<M>) => Promise<IpcReply<IpcValue<M>>>;
} & {
  /** Calls `listener` with each status pushed by the agent; returns the function that stops it. */
  readonly onStatus: (listener: (status: z.output<typeof agentStatusSchema>) => void) => () => void;
};

/** Checks an envelope as it arrives from the other side; a malformed one becomes an error reply. */
export function parseIpcReply<M extends IpcMethod>(method: M, reply: unknown): IpcReply<IpcValue<M>> {
  const envelope = z.union([
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: ipcErrorSchema }),
  ]).safeParse(reply);
  if (!envelope.success) return { ok: false, error: { code: 'bad_reply', message: `the agent's reply to ${method} is not a reply` } };
  if (!envelope.data.ok) return envelope.data;
  const value = IPC_METHODS[method].reply.safeParse(envelope.data.value);
  if (!value.success) return { ok: false, error: { code: 'bad_reply', message: `the agent's reply to ${method} does not match this version: ${z.prettifyError(value.error)}` } };
  return { ok: true, value: value.data as IpcValue<M> };
}

/** Checks the arguments of an operation; the error names what is wrong. */
export function parseIpcArgs<M extends IpcMethod>(method: M, args: unknown): { ok: true; args: z.output<(typeof IPC_METHODS)[M]['args']> } | { ok: false; error: IpcError } {
  const parsed = IPC_METHODS[method].args.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data as z.output<(typeof IPC_METHODS)[M]['args']> };
  return { ok: false, error: { code: 'invalid_argument', message: `invalid arguments for ${method}: ${z.prettifyError(parsed.error)}` } };
}
