import { slabFor, takeSlab } from './recordSlab.js';

const encoder = new TextEncoder();

/** UTF-8 bytes of a converted record, written into a shared slab when small (see slabFor). */
export function encodeUtf8(text: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const room = slabFor(text.length * 3);
  if (room === undefined) return encoder.encode(text);
  return takeSlab(encoder.encodeInto(text, room.slab.subarray(room.at)).written);
}
