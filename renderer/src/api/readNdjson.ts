/**
 * Reads newline-delimited JSON from a byte stream (the `GET /api/v1/events` body), one value per
 * line as lines complete. Blank lines are skipped (a keep-alive). The stream is cancelled when the
 * consumer stops early, so the connection closes.
 */
export async function* readNdjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      buffered += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') yield JSON.parse(line) as unknown;
        newline = buffered.indexOf('\n');
      }
    }
    if (buffered.trim() !== '') yield JSON.parse(buffered) as unknown;
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
