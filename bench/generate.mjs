// Inputs of the benchmark (issue 8): realistic Apache combined lines (about 200 B) and syslog lines,
// generated once per size into bench/.data/ (gitignored) and reused by later runs. Every line carries
// `/t/<epoch ms>/` in its request path so the sink can measure delivery latency.
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR = new URL('./.data/', import.meta.url).pathname;

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'GET', 'HEAD'];
const PATHS = ['/index.html', '/api/v1/orders', '/static/app.3f9a1c.js', '/images/logo.png', '/search', '/cart/checkout', '/account/settings'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'curl/8.5.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** One Apache combined line (with its newline) stamped `now`. */
export function apacheLine(i, now = Date.now()) {
  const d = new Date(now);
  const date = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const user = i % 7 === 0 ? `user${i % 1000}` : '-';
  return `${ip} - ${user} [${date}] "${METHODS[i % METHODS.length]} /t/${now}/${PATHS[i % PATHS.length].slice(1)}?id=${i % 100_000} HTTP/1.1" ${i % 23 === 0 ? 404 : 200} ${1000 + (i * 7919) % 50_000} "https://shop.example.com/" "${AGENTS[i % AGENTS.length]}"\n`;
}

/** One syslog line (with its newline) stamped `now`. */
export function syslogLine(i, now = Date.now()) {
  const d = new Date(now);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} web-${i % 16} sshd[${1000 + (i % 30_000)}]: Accepted publickey for deploy from 10.0.${i % 255}.${(i * 13) % 255} port ${20_000 + (i % 40_000)} ssh2 /t/${now}/ RSA SHA256:${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}\n`;
}

/** Writes `bytes` of lines from `make` to `file` (once; reused when present); returns { file, lines, bytes }. */
export async function generate(name, make, bytes) {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = join(DATA_DIR, `${name}-${bytes}.log`);
  const meta = `${file}.lines`;
  if (existsSync(file) && existsSync(meta)) {
    const { readFileSync } = await import('node:fs');
    return { file, lines: Number(readFileSync(meta, 'utf8')), bytes: statSync(file).size };
  }
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { highWaterMark: 1 << 20 });
  let written = 0;
  let lines = 0;
  const now = Date.now();
  while (written < bytes) {
    let chunk = '';
    for (let j = 0; j < 5000 && written + chunk.length < bytes; j++) {
      chunk += make(lines, now);
      lines += 1;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  renameSync(partial, file);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(meta, String(lines));
  return { file, lines, bytes: statSync(file).size };
}
