import { dirname, join } from 'node:path';
import { watch } from 'chokidar';

/** Watches agent.json and agent.d/ (debounced: editors write in several steps). */
export function watchConfig(configPath: string, onChange: () => void): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch([configPath, join(dirname(configPath), 'agent.d')], { ignoreInitial: true, persistent: false, depth: 0 });
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 500);
  });
  watcher.on('error', () => undefined);
  return { close: async () => { clearTimeout(timer); await watcher.close(); } };
}
