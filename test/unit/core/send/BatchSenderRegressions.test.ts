import { describe, expect, it } from 'vitest';
import { AimdLimiter } from '../../../../src/core/send/AimdLimiter.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { flush, harness, idOf, OK, PTEE, range, recs, sequence, sorted } from '../../../support/senderHarness.js';

describe('BatchSender regressions (found in review)', () => {
  it('per-entry fatal errors (KMS) degrade the sender and hold probes back (no probe storm)', async () => {
    // HTTP 200 with every entry failed with KMSDisabledException (a per-record fatal code of PutRecords).
    const h = harness({ answer: (entries, call) => (call < 200 ? entries.map(() => ({ ok: false, code: 'KMSDisabledException', message: 'key disabled' })) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(5), bytes: 5 });
    await h.clock.advance(1); // 1 ms of virtual time
    expect(h.events[0]).toBe('degraded KMSDisabledException fatal');
   
    expect(h.sent.length).toBeLessThanOrEqual(2);
  });

  it('preserveOrder: after a partial failure, an older failed record goes out before a newer one whatever their backoffs', async () => {
    // Record 0 gets a long backoff (0.9·100), record 2 a short one (0.1·100), the gate 0.
    const h = harness({ preserveOrder: true, random: sequence(0.9, 0.1, 0, 0, 0, 0), answer: (entries, call) => (call === 0 ? entries.map((_, i) => (i === 0 || i === 2 ? PTEE : OK)) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    await h.clock.advance(10_000);
    expect(sorted(h.delivered)).toEqual([0, 1, 2, 3]);
    const order = h.sent.slice(1).flat();
    expect(order.indexOf(0)).toBeLessThan(order.indexOf(2));
  });

  it('preserveOrder: a whole-request transient failure keeps the records of the request in order', async () => {
    const h = harness({ preserveOrder: true, random: sequence(0.9, 0.1, 0.9, 0.1, 0, 0, 0, 0), answer: (entries, call) => (call === 0 ? new SendFailure('ECONNRESET', 'reset') : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    await h.clock.advance(10_000);
    expect(h.sent.slice(1).flat()).toEqual([0, 1, 2, 3]);
  });

  it('preserveOrder: a bisected half waits for an older record waiting for its retry', async () => {
    // [0..3] is refused as invalid (record 3 is bad); half [0,1] has record 0 throttled; half [2,3] must not overtake 0.
    const h = harness({ preserveOrder: true, answer: (entries) => {
      const ids = entries.map(idOf);
      if (ids.includes(3)) return new SendFailure('ValidationException', 'bad record', 400);
      if (ids[0] === 0 && ids.length === 2) return [PTEE, OK];
      return entries.map(() => OK);
    } });
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    await h.clock.advance(10_000);
    const flat = h.sent.slice(2).flat();
    expect(flat.indexOf(0)).toBeLessThan(flat.indexOf(2));
  });

  it('a stale success (sent before the fatal error) does not end the degraded state', async () => {
    const limiter = new AimdLimiter(8, 8);
    let broken = false;
    const h = harness({ limiter, maxRecords: 1, answer: (entries, call) => {
      if (call === 0) { broken = true; return new SendFailure('AccessDeniedException', 'denied', 400); }
      if (call === 1) return entries.map(() => OK); // was in flight before the access was revoked
      return broken ? new SendFailure('AccessDeniedException', 'denied', 400) : entries.map(() => OK);
    } });
    h.sender.enqueue({ records: recs(8), bytes: 8 });
    await h.clock.advance(1);
    expect(h.events).not.toContain('recovered');
  });

  it('preserveOrder: probing a degraded destination keeps the retry queue in order', async () => {
    let calls = 0;
    const h = harness({ preserveOrder: true, answer: (entries) => (++calls <= 3 ? new SendFailure('ResourceNotFoundException', 'Stream x not found', 400) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(6), bytes: 6 });
    await h.clock.advance(120_000);
    expect(sorted(h.delivered)).toEqual(range(6));
   
    expect(h.delivered).toEqual(range(6));
  });

  it('a dead-letter file that cannot be created (ENOTDIR) neither throws nor stops the answer: accepted records are acknowledged, throttled ones retried', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { DeadLetterFile } = await import('../../../../src/node/processing/DeadLetterFile.js');
    const dir = mkdtempSync(join(tmpdir(), 'shardline-review-'));
    writeFileSync(join(dir, 'dead-letter'), 'a file where the directory should be');
    const deadLetter = DeadLetterFile.forFlow(dir, 'f', () => undefined);
    await expect(deadLetter.write({ flow: 'f', reason: 'r', file: 'x', offset: 0, data: Uint8Array.of(1) })).resolves.toBe(false);

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const h = harness({ answer: (entries, call) => (call === 0 ? [{ ok: false, code: 'ValidationException', message: 'bad' }, OK, PTEE] : entries.map(() => OK)) });
      // Flow.rejected calls deadLetter.write synchronously, as here.
      (h.sender as unknown as { options: { onRejected: () => void } }).options.onRejected = () => { void deadLetter.write({ flow: 'f', reason: 'r', file: 'x', offset: 0, data: Uint8Array.of(1) }); };
      h.sender.enqueue({ records: recs(3), bytes: 3 });
      await h.clock.advance(10_000);
      await flush();
      expect(unhandled).toEqual([]);
      expect(sorted(h.delivered)).toEqual([1, 2]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stop() during a request: an answer that still arrives acknowledges what it accepted', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const h = harness({ answer: (entries) => gate.then(() => entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(3), bytes: 3 });
    await flush();
    h.sender.stop();
    release();
    await h.clock.advance(10);
    await h.sender.idle();
    expect(sorted(h.delivered)).toEqual([0, 1, 2]);
  });
});
