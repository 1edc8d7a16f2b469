import { z } from 'zod';

/**
 * The checkpoint document (DESIGN §2), versioned so a later shape can migrate it. A file is keyed by
 * `<dev>:<ino>`; its fingerprint (a hash of its first bytes) tells a reused inode from the file that
 * was checkpointed.
 */
export const fileCheckpointSchema = z.object({
  path: z.string(),
  dev: z.string(),
  ino: z.string(),
  fingerprint: z.string(),
  offset: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  updatedAt: z.string(),
});

export const flowCheckpointsSchema = z.object({
  files: z.record(z.string(), fileCheckpointSchema),
});

export const checkpointDocumentSchema = z.object({
  version: z.literal(1),
  flows: z.record(z.string(), flowCheckpointsSchema),
});

export type FileCheckpoint = z.infer<typeof fileCheckpointSchema>;
export type FlowCheckpoints = z.infer<typeof flowCheckpointsSchema>;
export type CheckpointDocument = z.infer<typeof checkpointDocumentSchema>;

export const emptyCheckpointDocument = (): CheckpointDocument => ({ version: 1, flows: {} });
