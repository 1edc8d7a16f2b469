/** Slabs small converted records are written into: one ArrayBuffer shared by many records, like Node's Buffer pool. */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/**
 * Room for a record of at most `worst` bytes: a slab and the offset to write at, then `takeSlab`
 * with the bytes written. Every record of its own ArrayBuffer is a backing store outside the JS
 * heap, freed only by a GC: at 100,000 records a second V8 ran full collections for external
 * memory (issue 8's LOGTOJSON profile). A slab is freed when its last record is. Records above a
 * quarter slab get a buffer of their own (`undefined`).
 */
export function slabFor(worst: number): { slab: Uint8Array; at: number } | undefined {
  if (worst > SLAB_BYTES / 4) return undefined;
  if (used + worst > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  room.slab = slab;
  room.at = used;
  return room;
}

/** The `written` bytes at the offset slabFor gave, as a view; the slab moves past them. */
export function takeSlab(written: number): Uint8Array {
  const view = slab.subarray(used, used + written);
  used += written;
  return view;
}

// One object, reused: slabFor runs once per record.
const room = { slab, at: 0 };
