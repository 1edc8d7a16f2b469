import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_ENTRY, APP_ORIGIN, createAppProtocolHandler } from '../../../src/electron/main/appProtocol.js';

const ROOT = '/srv/shardline/renderer';

/** Files of the renderer bundle and, outside it, files a traversal would want. */
const FILES: Record<string, string> = {
  [`${ROOT}/index.html`]: '<!doctype html><div id="app"></div>',
  [`${ROOT}/assets/index-3f9a.js`]: 'console.log(1)',
  [`${ROOT}/assets/index-3f9a.css`]: 'body{}',
  [`${ROOT}/assets/logo.svg`]: '<svg/>',
  [`${ROOT}/assets/tray.png`]: 'PNG',
  [`${ROOT}/favicon.ico`]: 'ICO',
  [`${ROOT}/manifest.json`]: '{}',
  [`${ROOT}/assets/inter.woff2`]: 'wOF2',
  [`${ROOT}/assets/index-3f9a.js.map`]: '{"version":3}',
  [`${ROOT}/assets/UPPER.JS`]: 'upper()',
  [`${ROOT}/LICENSE`]: 'Apache-2.0',
  [`${ROOT}/my file.html`]: 'spaced',
  [`${ROOT}/é.html`]: 'accent',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash',
  '/srv/shardline/secret.json': '{"awsSecretAccessKey":"x"}',
  '/srv/shardline/renderer-evil/x.html': 'sibling directory with the same prefix',
};

function handler(root = ROOT, files: Record<string, string> = FILES) {
  const reads: string[] = [];
  const read = async (path: string): Promise<Buffer> => {
    reads.push(path);
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    // A slice of a larger buffer (as Buffer's pool hands out): the reply must carry only these bytes.
    const pool = Buffer.from(`<<before>>${text}<<after>>`);
    return pool.subarray(10, 10 + Buffer.byteLength(text));
  };
  return { serve: createAppProtocolHandler(root, read), reads };
}

function expectCommonHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
}

describe('app:// protocol handler', () => {
  it('APP_ENTRY is the index on the app origin', () => {
    expect(APP_ORIGIN).toBe('app://shardline');
    expect(APP_ENTRY).toBe('app://shardline/index.html');
  });

  it.each([
    { url: 'app://shardline/', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/index.html', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/index.html#/flows/kinesis%3Aapp', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/?token=x', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/./index.html', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/assets/../index.html', file: 'index.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/assets/index-3f9a.js', file: 'assets/index-3f9a.js', type: 'text/javascript; charset=utf-8' },
    { url: 'app://shardline/assets/index-3f9a.js?v=2', file: 'assets/index-3f9a.js', type: 'text/javascript; charset=utf-8' },
    { url: 'app://shardline/assets/index-3f9a.css', file: 'assets/index-3f9a.css', type: 'text/css; charset=utf-8' },
    { url: 'app://shardline/assets/logo.svg', file: 'assets/logo.svg', type: 'image/svg+xml' },
    { url: 'app://shardline/assets/tray.png', file: 'assets/tray.png', type: 'image/png' },
    { url: 'app://shardline/favicon.ico', file: 'favicon.ico', type: 'image/x-icon' },
    { url: 'app://shardline/manifest.json', file: 'manifest.json', type: 'application/json' },
    { url: 'app://shardline/assets/inter.woff2', file: 'assets/inter.woff2', type: 'font/woff2' },
    { url: 'app://shardline/assets/index-3f9a.js.map', file: 'assets/index-3f9a.js.map', type: 'application/octet-stream' },
    { url: 'app://shardline/assets/UPPER.JS', file: 'assets/UPPER.JS', type: 'text/javascript; charset=utf-8' },
    { url: 'app://shardline/LICENSE', file: 'LICENSE', type: 'application/octet-stream' },
    { url: 'app://shardline/my%20file.html', file: 'my file.html', type: 'text/html; charset=utf-8' },
    { url: 'app://shardline/%C3%A9.html', file: 'é.html', type: 'text/html; charset=utf-8' },
  ])('$url → 200 $file ($type)', async ({ url, file, type }) => {
    const { serve, reads } = handler();
    const response = await serve(new Request(url));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(FILES[`${ROOT}/${file}`]);
    expect(response.headers.get('content-type')).toBe(type);
    expectCommonHeaders(response);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(reads).toEqual([`${ROOT}/${file}`]);
  });

  it.each([ROOT, `${ROOT}/`])('the renderer directory may end in a slash or not (%s)', async (root) => {
    const { serve } = handler(root);
    expect((await serve(new Request('app://shardline/assets/logo.svg'))).status).toBe(200);
    expect((await serve(new Request('app://shardline/..%2frenderer-evil%2fx.html'))).status).toBe(404);
  });

  it.each([
    // Dot segments: the URL parser resolves them (encoded or not) at the root, so they stay inside it.
    { url: 'app://shardline/../../../etc/passwd', why: 'dot segments' },
    { url: 'app://shardline/%2e%2e/%2e%2e/etc/passwd', why: 'encoded dot segments' },
    { url: 'app://shardline/%2E%2E/%2E%2E/etc/passwd', why: 'upper-case encoded dot segments' },
    { url: 'app://shardline/.%2e/.%2e/etc/passwd', why: 'half-encoded dot segments' },
    // Encoded slashes survive the URL parser and are decoded by the handler: caught after normalizing.
    { url: 'app://shardline/..%2f..%2f..%2fetc/passwd', why: 'encoded slashes' },
    { url: 'app://shardline/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', why: 'everything encoded' },
    { url: 'app://shardline/..%2Fsecret.json', why: 'encoded slash to the parent' },
    { url: 'app://shardline/assets/..%2f..%2fsecret.json', why: 'encoded slashes below a directory' },
    { url: 'app://shardline/..%2frenderer-evil%2fx.html', why: 'a sibling directory sharing the prefix' },
    { url: 'app://shardline/%2fetc%2fpasswd', why: 'an encoded absolute path' },
    { url: 'app://shardline//etc/passwd', why: 'a double slash' },
    // Backslashes are not separators on POSIX: a name with backslashes inside the root, which does not exist.
    { url: 'app://shardline/..\\..\\..\\etc\\passwd', why: 'backslashes' },
    { url: 'app://shardline/..%5c..%5c..%5cetc%5cpasswd', why: 'encoded backslashes' },
    // NUL and bad percent-encoding.
    { url: 'app://shardline/%00', why: 'NUL' },
    { url: 'app://shardline/index.html%00.png', why: 'NUL inside the name' },
    { url: 'app://shardline/%E0%A4%A', why: 'truncated UTF-8 percent-encoding' },
    { url: 'app://shardline/%', why: 'a lone percent sign' },
    { url: 'app://shardline/%zz', why: 'a percent sign not followed by hex' },
    { url: 'app://shardline/%C0%AE%C0%AE/etc/passwd', why: 'overlong UTF-8 dots' },
  ])('$url ($why) → 404, nothing outside the bundle read', async ({ url }) => {
    const { serve, reads } = handler();
    const response = await serve(new Request(url));
    expect(response.status).toBe(404);
    expectCommonHeaders(response);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('not found');
    for (const path of reads) expect(path.startsWith(`${ROOT}/`), path).toBe(true);
  });

  it.each([
    { name: 'another host', request: () => new Request('app://other/index.html') },
    { name: 'a host with the app host as prefix', request: () => new Request('app://shardline.evil/index.html') },
    { name: 'a port', request: () => new Request('app://shardline:8080/index.html') },
    { name: 'another scheme', request: () => new Request('https://shardline/index.html') },
    { name: 'POST', request: () => new Request('app://shardline/index.html', { method: 'POST', body: 'x' }) },
    { name: 'PUT', request: () => new Request('app://shardline/index.html', { method: 'PUT', body: 'x' }) },
    { name: 'DELETE', request: () => new Request('app://shardline/index.html', { method: 'DELETE' }) },
    { name: 'HEAD', request: () => new Request('app://shardline/index.html', { method: 'HEAD' }) },
    { name: 'OPTIONS', request: () => new Request('app://shardline/index.html', { method: 'OPTIONS' }) },
  ])('$name → 404 without reading', async ({ request }) => {
    const { serve, reads } = handler();
    const response = await serve(request());
    expect(response.status).toBe(404);
    expectCommonHeaders(response);
    expect(reads).toEqual([]);
  });

  it.each([
    { url: 'app://shardline/missing.js', read: `${ROOT}/missing.js` },
    { url: 'app://shardline/assets/', read: `${ROOT}/assets/` },
    { url: 'app://shardline/etc/passwd', read: `${ROOT}/etc/passwd` },
  ])('a missing file ($url) → 404', async ({ url, read }) => {
    const { serve, reads } = handler();
    const response = await serve(new Request(url));
    expect(response.status).toBe(404);
    expectCommonHeaders(response);
    expect(reads).toEqual([read]);
  });

  it('a read error other than ENOENT (EISDIR, EACCES) is a 404 too, never a rejection', async () => {
    const serve = createAppProtocolHandler(ROOT, async (path) => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    });
    const response = await serve(new Request('app://shardline/index.html'));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not found');
  });

  it('the CSP allows only the app itself: no network, no inline script, no eval, no framing', () => {
    const directives = new Map(APP_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(APP_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:|data:|blob:/);
  });
});
