import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * Samples a child process's resident memory and the descriptors it holds on files under a
 * directory, from /proc, until stopped; keeps the maxima.
 */
export function monitorProcess(pid: number, filesUnder: string, everyMillis = 100) {
  const peak = { rssBytes: 0, fdsUnder: 0, samples: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const status = await readFile(`/proc/${pid}/status`, 'utf8');
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
        peak.rssBytes = Math.max(peak.rssBytes, rss);
        let count = 0;
        for (const fd of await readdir(`/proc/${pid}/fd`)) {
          const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
          if (target.startsWith(filesUnder)) count += 1;
        }
        peak.fdsUnder = Math.max(peak.fdsUnder, count);
        peak.samples += 1;
      } catch {
        // the process is gone
      }
      await new Promise((r) => setTimeout(r, everyMillis));
    }
  })();
  return {
    peak,
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
