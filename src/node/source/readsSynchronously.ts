import { statfs } from 'node:fs/promises';

/**
 * `statfs` f_type of network and cluster file systems (linux/magic.h and the file systems' own
 * sources). A read there can wait on a server for seconds: it goes through Node's thread pool.
 */
const REMOTE_TYPES = new Set([
  0x6969, // NFS
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x73757245, // Coda
  0x5346414f, // AFS
  0x6b414653, // kAFS
  0x65735546, // FUSE (sshfs, s3fs, gcsfuse, …)
  0x00c36400, // Ceph
  0x01021997, // 9P
  0x01161970, // GFS2
  0x7461636f, // OCFS2
  0x0bd00bd0, // Lustre
  0x47504653, // GPFS
  0xaad7aaea, // PanFS
  0x19830326, // BeeGFS
]);

export function isRemoteFilesystemType(type: number): boolean {
  return REMOTE_TYPES.has(type);
}

/**
 * Whether a file's chunks are read synchronously (TailedFile#read): on Linux, from a local file
 * system. A regular file never blocks on data, and a page-cache read of a chunk takes tens of
 * microseconds, while a trip through libuv's thread pool for it (and for the check of the file's
 * start before it) left the agent's thread waiting most of the time it read a backlog (issue 8).
 * On a network file system, or when the type cannot be told (other platforms, statfs failing),
 * reads stay asynchronous, so a stalled server does not stall the agent.
 */
export async function readsSynchronously(path: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (platform !== 'linux') return false;
  try {
    return !isRemoteFilesystemType((await statfs(path)).type);
  } catch {
    return false;
  }
}
