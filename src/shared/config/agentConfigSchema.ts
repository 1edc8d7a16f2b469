import { z } from 'zod';
import { show } from './coerce.js';
import { agentFields } from './agentFields.js';
import { flowSchema } from './flowSchema.js';

const flows = z.unknown().optional().transform((raw, ctx) => {
  if (raw === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is required: there are no flows configured (in the file or its agent.d/ drop-ins)', input: raw });
    return z.NEVER;
  }
  if (!Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `must be a list of flows, got ${show(raw)}`, input: raw });
    return z.NEVER;
  }
  if (raw.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must contain at least one flow', input: raw });
    return z.NEVER;
  }
  const result = z.array(flowSchema).safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom', input: undefined });
  return z.NEVER;
});

/**
 * agent.json: the Java agent's format (reference §1) plus Shardline's keys (DESIGN §2). This schema
 * is the single source of the config's types, defaults, ranges, descriptions and messages.
 */
export const agentConfigSchema = z.object({ ...agentFields, flows });

export type AgentConfig = z.output<typeof agentConfigSchema>;
export type { FlowConfig } from './flowSchema.js';
export const AGENT_KEYS: ReadonlySet<string> = new Set(Object.keys(agentConfigSchema.shape));
