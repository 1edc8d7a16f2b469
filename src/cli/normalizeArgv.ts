/**
 * Adapts command lines written for the Java agent or the DESIGN aliases before parsing:
 * - `shardline --headless -c FILE` is `shardline run -c FILE`;
 * - the Java agent's removed `-l/--log-file FILE` and `-L/--log-level LEVEL` are dropped with a
 *   warning (Shardline's own `--log-level` is kept).
 */
export function normalizeArgv(args: readonly string[]): { args: string[]; warnings: string[] } {
  const out: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '-l' || arg === '--log-file' || arg === '-L') {
      const value = args[i + 1];
      const hasValue = value !== undefined && !value.startsWith('-');
      warnings.push(`ignoring the Java agent's ${arg}${hasValue ? ` ${value}` : ''}: logs go to stdout; use --log-level`);
      if (hasValue) i += 1;
    } else if (arg.startsWith('--log-file=')) {
      warnings.push(`ignoring the Java agent's ${arg}: logs go to stdout`);
    } else {
      out.push(arg);
    }
  }
  const headless = out.indexOf('--headless');
  if (headless >= 0) {
    out.splice(headless, 1);
    if (out[0] !== 'run') out.unshift('run');
  }
  return { args: out, warnings };
}
