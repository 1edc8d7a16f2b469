const encoder = new TextEncoder();

/** Slabs records are encoded into: one ArrayBuffer shared by many small records, like Node's Buffer pool. */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/**
 * UTF-8 bytes of a converted record. `TextEncoder#encode` gives every record its own ArrayBuffer: a
 * backing store allocated outside the JS heap and freed only by a GC, which at 100,000 records a
 * second made V8 run full collections for external memory (issue 8's LOGTOJSON profile). Small
 * records are written into a shared slab instead and returned as views of it; the slab is freed
 * when its last record is.
 */
export function encodeUtf8(text: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const worst = text.length * 3;
  if (worst > SLAB_BYTES / 4) return encoder.encode(text);
  if (used + worst > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const { written } = encoder.encodeInto(text, slab.subarray(used));
  const view = slab.subarray(used, used + written);
  used += written;
  return view;
}
