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

/** A one-time import of another agent's checkpoints, recorded so it never happens twice. */
export const checkpointImportSchema = z.object({
  /** The file the checkpoints were read from (never written). */
  path: z.string(),
  importedAt: z.string(),
  /** Flows whose checkpoints were imported. */
  flows: z.number().int().nonnegative(),
});

export const checkpointDocumentSchema = z.object({
  version: z.literal(1),
  flows: z.record(z.string(), flowCheckpointsSchema),
  /** Optional, so documents written before it existed stay valid (the version stays 1). */
  imported: z.object({ javaSqlite: checkpointImportSchema.optional() }).optional(),
});

export type FileCheckpoint = z.infer<typeof fileCheckpointSchema>;
export type FlowCheckpoints = z.infer<typeof flowCheckpointsSchema>;
export type CheckpointDocument = z.infer<typeof checkpointDocumentSchema>;
export type CheckpointImport = z.infer<typeof checkpointImportSchema>;

export const emptyCheckpointDocument = (): CheckpointDocument => ({ version: 1, flows: {} });
