import { describe, expect, it } from 'vitest';
import { spawnShardline } from '../support/agentProcess.js';

describe('npm run demo', () => {
  it('shows records arriving in the stream within 10 seconds and stops cleanly', async () => {
    const demo = spawnShardline(['demo', '--duration', '12']);
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
