// The numbered lines every chaos scenario writes, and how the endpoint recognises them: a line is
// `#<seq, 10 digits>#<space><body>\n`, its body a deterministic function of seq, so the endpoint can
// tell which line a record is from its first 12 bytes (16 base64 characters) and check the rest.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/=';
const POOL = (() => {
  let state = 0x2545f491;
  let text = '';
  for (let i = 0; i < 4096; i += 1) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    text += ALPHABET[(state >>> 0) % ALPHABET.length];
  }
  return text;
})();

/** Bytes of the prefix that identifies a line: `#0000000042#`. */
export const TAG_BYTES = 12;
/** The same prefix in base64: 12 bytes are exactly 16 characters. */
export const TAG_BASE64_CHARS = 16;

/** Body length of line `seq` when the average is `meanBody` characters (20 … 2 × mean − 20). */
function bodyLength(seq, meanBody) {
  const spread = Math.max(1, 2 * (meanBody - 20));
  return 20 + ((seq * 2654435761) >>> 0) % spread;
}

/** Line `seq` as text, `\n` included. */
export function seqLine(seq, meanBody = 80) {
  const length = bodyLength(seq, meanBody);
  const start = (seq * 7919) % (POOL.length - length);
  return `#${String(seq).padStart(10, '0')}# ${POOL.slice(start, start + length)}\n`;
}

/** Lines `from` … `to − 1` as one string. */
export function seqLines(from, to, meanBody = 80) {
  let text = '';
  for (let seq = from; seq < to; seq += 1) text += seqLine(seq, meanBody);
  return text;
}

/** The seq of a record's first 12 bytes, or -1 when they are not a tag. */
export function parseTag(bytes) {
  if (bytes.length < TAG_BYTES || bytes[0] !== 0x23 || bytes[11] !== 0x23) return -1;
  let seq = 0;
  for (let i = 1; i <= 10; i += 1) {
    const digit = bytes[i] - 0x30;
    if (digit < 0 || digit > 9) return -1;
    seq = seq * 10 + digit;
  }
  return seq;
}
