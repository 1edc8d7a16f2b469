import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'shardline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The window's policy: only the app's own files; no network at all (the controller is reached over
 * IPC, so connect-src is 'none'), no eval, no inline code, no plugins, no framing.
 */
export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/**
 * Serves the renderer bundle on `app://shardline/` (a custom scheme, never file://: pages get no
 * file-system privileges and the origin is fixed). Only files inside the bundle; anything else, or
 * another host, is a 404.
 */
export function createAppProtocolHandler(rendererDir: string, read: (path: string) => Promise<Buffer> = readFile): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET') return notFound();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || path.includes('\0')) return notFound();
    const body = await read(file).catch(() => undefined);
    if (body === undefined) return notFound();
    return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': APP_CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  };
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' } });
}
