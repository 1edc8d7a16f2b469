import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal HTTP forward proxy on 127.0.0.1, so tests can prove the agent's traffic honours the proxy
 * settings. It forwards absolute-URI requests (`GET http://127.0.0.1:1234/path`, as http-proxy-agent
 * sends them), streaming bodies both ways over kept-alive connections, and tunnels `CONNECT host:port`
 * (as https-proxy-agent sends it). Only loopback targets are served — anything else gets 403 — so a
 * misrouted test can never reach the network.
 */
export interface ProxiedRequest {
  /** The request method, or CONNECT for a tunnel. */
  method: string;
  /** `host:port` the proxy was asked to reach. */
  target: string;
  /** Path and query of a forwarded request; undefined for a tunnel. */
  path: string | undefined;
  /** The `Proxy-Authorization` header as received, to check proxy credentials reach the proxy. */
  proxyAuthorization: string | undefined;
  /** The target was not loopback (or not parseable), so the proxy answered 403 / 400. */
  refused: boolean;
  /** Serial number (from 0) of the client's TCP connection to the proxy: equal numbers show keep-alive reuse. */
  connection: number;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:port`, ready for HttpProxyAgent / HttpsProxyAgent / HTTPS_PROXY. */
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Per-connection headers a proxy must not forward (RFC 9110 §7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  // Tunnelled sockets leave the HTTP server's bookkeeping, so closeAllConnections() misses them: track every socket.
  const sockets = new Set<Socket | Duplex>();
  const track = (socket: Socket | Duplex): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const serials = new WeakMap<Socket, number>();
  let connections = 0;
  const upstreamAgent = new Agent({ keepAlive: true });
  const server = createServer(forward);
  server.on('connection', (socket: Socket) => {
    serials.set(socket, connections++);
    track(socket);
  });
  server.on('connect', tunnel);

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const proxyAuthorization = first(req.headers['proxy-authorization']);
    const connection = serials.get(req.socket) ?? -1;
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      // Origin-form (`GET /path`) means the client talked to us as a server, not through us as a proxy.
      requests.push({ method: req.method ?? '', target: '', path: req.url, proxyAuthorization, refused: true, connection });
      refuse(res, 400, 'forwardProxy expects absolute-form request targets');
      return;
    }
    const target = `${url.hostname}:${url.port || '80'}`;
    const refused = url.protocol !== 'http:' || !LOOPBACK.has(url.hostname);
    requests.push({ method: req.method ?? '', target, path: url.pathname + url.search, proxyAuthorization, refused, connection });
    if (refused) {
      refuse(res, 403, `forwardProxy only reaches http://loopback, not ${url.protocol}//${target}`);
      return;
    }
    const upstream = httpRequest({
      agent: upstreamAgent,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 80,
      method: req.method,
      path: url.pathname + url.search,
      headers: endToEnd(req.headers),
    });
    upstream.on('response', (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, endToEnd(upstreamRes.headers));
      upstreamRes.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) refuse(res, 502, 'forwardProxy could not reach the target');
      else res.destroy();
    });
    // A client abandoning its request must not leave the upstream half hanging.
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    req.pipe(upstream);
  }

  function tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    track(client);
    const target = req.url ?? '';
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
    const host = match?.[1]?.replace(/^\[|\]$/g, '');
    const refused = !match || !LOOPBACK.has(host ?? '');
    requests.push({ method: 'CONNECT', target, path: undefined, proxyAuthorization: first(req.headers['proxy-authorization']), refused, connection: serials.get(req.socket) ?? -1 });
    if (refused) {
      client.end(`HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const upstream = connect(Number(match![2]), host!);
    track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      // Bytes the client sent right behind the CONNECT head belong to the tunnel.
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => {
      if (!established) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else client.destroy();
    });
    client.once('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    // Before the tunnel is up, the 502 written above must get out first (client.end closes it).
    upstream.once('close', () => { if (established) client.destroy(); });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      upstreamAgent.destroy();
      server.close(() => resolve());
    }),
  };
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  // Headers named in `Connection:` are hop-by-hop too.
  const named = new Set(String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
