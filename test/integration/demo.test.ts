import { describe, expect, it } from 'vitest';
import { spawnShardline } from '../support/agentProcess.js';

describe('npm run demo', () => {
  it('shows records arriving in the stream within 10 seconds and stops cleanly', async () => {
    const demo = spawnShardline(['demo', '--duration', '12']);
    // The demo serves the web UI and prints its address with the token; the API answers with it.
    const ui = /web UI\s+(http:\/\/127\.0\.0\.1:\d+\/)#token=(\S+)/.exec(await demo.waitForLog(/web UI\s+http/));
    expect(ui).not.toBeNull();
    const status = await fetch(new URL('api/v1/status', ui?.[1]), { headers: { authorization: `Bearer ${ui?.[2] ?? ''}` } });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { flows: { name: string }[] }).flows.map((f) => f.name)).toEqual(['demo-access-log']);
    const code = await demo.exited;
    const output = demo.lines.join('\n');
    expect(code, output + demo.stderr.join('\n')).toBe(0);
    const early = demo.lines
      .map((l) => /^\[\s*(\d+)s\].*records read back from the stream\s+(\d+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .filter((m) => Number(m[1]) <= 10 && Number(m[2]) > 0);
    expect(early.length, output).toBeGreaterThan(0);
    expect(output).toMatch(/every line arrived/);
  });
});
