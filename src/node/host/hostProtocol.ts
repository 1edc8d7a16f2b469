import { z } from 'zod';
import { agentStatusSchema } from '../../shared/control/controllerApi.js';
import { IPC_METHOD_NAMES, ipcErrorSchema, type IpcMethod } from '../../shared/control/ipcContract.js';

/**
 * Messages between the tray app's main process and its agent process (an Electron utilityProcess,
 * or a Node child process in tests). Both sides check what they receive: a version mismatch or a
 * bug shows as a clear error instead of undefined behaviour.
 */

export const hostStartSchema = z.object({
  type: z.literal('start'),
  config: z.string(),
  dataDir: z.string().optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  /** `HOST:PORT`, true for the config's `control`, false for no HTTP control API. */
  control: z.union([z.string(), z.boolean()]),
  /** Also append the log to this file (the tray app's log; the headless app logs to stdout only). */
  logFile: z.string().optional(),
});
export type HostStart = z.infer<typeof hostStartSchema>;

export const hostRequestSchema = z.discriminatedUnion('type', [
  hostStartSchema,
  z.object({ type: z.literal('call'), id: z.number().int(), method: z.enum(IPC_METHOD_NAMES as [IpcMethod, ...IpcMethod[]]), args: z.array(z.unknown()) }),
  z.object({ type: z.literal('reload') }),
  z.object({ type: z.literal('stop') }),
]);
export type HostRequest = z.infer<typeof hostRequestSchema>;

export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('started'), status: agentStatusSchema, configPath: z.string(), dataDir: z.string(), controlUrl: z.string().optional(), shutdownTimeoutMillis: z.number().int().nonnegative() }),
  /** The agent could not start; `exitCode` as the CLI's (2 bad config, 3 data dir locked, 1 other). */
  z.object({ type: z.literal('startFailed'), exitCode: z.number().int(), message: z.string(), problems: z.array(z.string()) }),
  z.object({ type: z.literal('reply'), id: z.number().int(), reply: z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ipcErrorSchema })]) }),
  z.object({ type: z.literal('status'), status: agentStatusSchema }),
  z.object({ type: z.literal('stopped'), exitCode: z.number().int() }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;
