/** A file identity in the form of Shardline's checkpoint keys (`<dev>:<ino>`, both decimal). */
export interface DevIno {
  dev: string;
  ino: string;
}

const TWO_TO_64 = 1n << 64n;

/**
 * The Java agent's FileId: the text of Java's `UnixFileKey`, `(dev=<hex st_dev>,ino=<st_ino>)` such
 * as `(dev=ca01,ino=409751)` (reference §3.2). Java prints st_dev with `Long.toHexString` (two's
 * complement for a negative long) and st_ino as a signed long, so both are taken back to the
 * unsigned values Node's `stat(..., { bigint: true })` reports. Anything else (a Windows agent has
 * no file key at all) is undefined.
 */
export function parseJavaFileId(fileId: string): DevIno | undefined {
  const match = /^\(dev=([0-9a-f]{1,16}),ino=(-?\d{1,20})\)$/i.exec(fileId.trim());
  if (match === null) return undefined;
  const dev = BigInt(`0x${match[1] ?? ''}`);
  let ino = BigInt(match[2] ?? '');
  if (ino < 0n) ino += TWO_TO_64;
  if (ino < 0n || ino >= TWO_TO_64) return undefined;
  return { dev: dev.toString(), ino: ino.toString() };
}
