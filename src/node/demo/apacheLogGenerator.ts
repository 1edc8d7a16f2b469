/** Realistic Apache combined-format lines for the demo (what LOGTOJSON COMBINEDAPACHELOG parses). */
const PATHS = ['/', '/index.html', '/api/v1/orders', '/api/v1/orders/8812', '/static/app.js', '/static/style.css', '/login', '/search?q=kinesis', '/images/logo.png', '/healthz'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'curl/8.5.0',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT'];
const STATUSES = [200, 200, 200, 200, 304, 404, 500, 302];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function httpDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export function apacheLogLine(sequence: number, now: Date, random: () => number = Math.random): string {
  const ip = `${10 + Math.floor(random() * 200)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 254)}`;
  const status = pick(STATUSES, random);
  const bytes = status === 304 ? '-' : String(200 + Math.floor(random() * 40_000));
  const referer = random() < 0.5 ? '-' : `https://example.com${pick(PATHS, random)}`;
  return `${ip} - - [${httpDate(now)}] "${pick(METHODS, random)} ${pick(PATHS, random)} HTTP/1.1" ${status} ${bytes} "${referer}" "${pick(AGENTS, random)}" seq=${sequence}\n`;
}
