import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Agent, type IncomingMessage, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultServer } from '../../support/faultServer.js';
import { startForwardProxy, type ForwardProxy } from '../../support/forwardProxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy(): Promise<ForwardProxy> {
  const started = await startForwardProxy();
  cleanups.push(() => started.close());
  return started;
}

/** Answers with the request line and the body's length and sha256, streaming the body back too when asked. */
async function echoServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => { hash.update(chunk); chunks.push(chunk); });
    req.on('end', () => {
      const body = req.url === '/echo' ? Buffer.concat(chunks) : Buffer.from(`${req.method} ${req.url} ${Buffer.concat(chunks).length} ${hash.digest('hex')}`);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-seen-host': req.headers.host ?? '', 'x-seen-proxy-connection': String(req.headers['proxy-connection'] ?? '') });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { port: (server.address() as AddressInfo).port, server };
}

function fetchVia(agent: Agent, options: RequestOptions, body?: Buffer): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...options, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function kinesisVia(endpoint: string, httpAgent: Agent): KinesisClient {
  const client = new KinesisClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent }),
  });
  cleanups.push(() => client.destroy());
  return client;
}

describe('startForwardProxy', () => {
  it('forwards the Kinesis SDK through http-proxy-agent, keeping the connection alive', async () => {
    const fwd = await proxy();
    const kinesis = await startFaultServer(() => ({ kind: 'ok' }));
    cleanups.push(() => kinesis.close());
    const agent = new HttpProxyAgent(fwd.url, { keepAlive: true });
    cleanups.push(() => agent.destroy());
    const client = kinesisVia(kinesis.endpoint, agent);
    const send = (data: string) => client.send(new PutRecordsCommand({ StreamName: 'orders', Records: [{ Data: Buffer.from(data), PartitionKey: 'k' }] }));
    const first = await send('one');
    const second = await send('two');
    expect(first.FailedRecordCount).toBe(0);
    expect(second.FailedRecordCount).toBe(0);
    expect(kinesis.accepted.map((r) => r.data.toString())).toEqual(['one', 'two']);
    const target = new URL(kinesis.endpoint).host;
    expect(fwd.requests).toEqual([
      // One client→proxy connection for both: keep-alive through the proxy works.
      { method: 'POST', target, path: '/', proxyAuthorization: undefined, refused: false, connection: 0 },
      { method: 'POST', target, path: '/', proxyAuthorization: undefined, refused: false, connection: 0 },
    ]);
  });

  it('streams large bodies both ways and passes proxy credentials, dropping hop-by-hop headers', async () => {
    const fwd = await proxy();
    const { port } = await echoServer();
    const agent = new HttpProxyAgent(`http://user:pa%3Ass@${new URL(fwd.url).host}`, { keepAlive: true });
    cleanups.push(() => agent.destroy());
    const payload = randomBytes(3 * 1024 * 1024);
    // No content-length: the upload goes chunked through the proxy.
    const { res, body } = await fetchVia(agent, { host: '127.0.0.1', port, method: 'PUT', path: '/echo' }, payload);
    expect(res.statusCode).toBe(200);
    expect(body.equals(payload)).toBe(true);
    expect(res.headers['x-seen-host']).toBe(`127.0.0.1:${port}`);
    expect(res.headers['x-seen-proxy-connection']).toBe('');
    expect(fwd.requests).toEqual([{ method: 'PUT', target: `127.0.0.1:${port}`, path: '/echo', proxyAuthorization: `Basic ${Buffer.from('user:pa:ss').toString('base64')}`, refused: false, connection: 0 }]);
  });

  it('tunnels CONNECT to a loopback server', async () => {
    const fwd = await proxy();
    const { port } = await echoServer();
    const proxyUrl = new URL(fwd.url);
    const { res, socket, head } = await new Promise<{ res: IncomingMessage; socket: Socket; head: Buffer }>((resolve, reject) => {
      const req = request({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'CONNECT', path: `127.0.0.1:${port}` });
      req.on('connect', (r: IncomingMessage, s: Socket, h: Buffer) => resolve({ res: r, socket: s, head: h }));
      req.on('error', reject);
      req.end();
    });
    cleanups.push(() => { socket.destroy(); });
    expect(res.statusCode).toBe(200);
    // Speak plain HTTP over the tunnel (TLS would go the same way: the tunnel only moves bytes).
    const reply = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [head];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.write(`POST /tunnelled HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toContain(`POST /tunnelled 5 ${createHash('sha256').update('hello').digest('hex')}`);
    expect(fwd.requests).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${port}`, path: undefined, proxyAuthorization: undefined, refused: false, connection: 0 }]);
  });

  it('carries the Kinesis SDK through an https-proxy-agent CONNECT tunnel', async () => {
    const fwd = await proxy();
    const kinesis = await startFaultServer(() => ({ kind: 'ok' }));
    cleanups.push(() => kinesis.close());
    // An http:// endpoint keeps TLS out of it; https-proxy-agent still opens the tunnel with CONNECT.
    const agent = new HttpsProxyAgent(fwd.url, { keepAlive: true });
    cleanups.push(() => agent.destroy());
    const client = kinesisVia(kinesis.endpoint, agent);
    await client.send(new PutRecordsCommand({ StreamName: 'orders', Records: [{ Data: Buffer.from('tunnelled'), PartitionKey: 'k' }] }));
    expect(kinesis.accepted.map((r) => r.data.toString())).toEqual(['tunnelled']);
    expect(fwd.requests).toEqual([{ method: 'CONNECT', target: new URL(kinesis.endpoint).host, path: undefined, proxyAuthorization: undefined, refused: false, connection: 0 }]);
  });

  it('refuses targets beyond loopback without contacting them', async () => {
    const fwd = await proxy();
    const agent = new HttpProxyAgent(fwd.url);
    cleanups.push(() => agent.destroy());
    const { res } = await fetchVia(agent, { host: 'example.invalid', port: 80, path: '/x' });
    expect(res.statusCode).toBe(403);

    const proxyUrl = new URL(fwd.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'CONNECT', path: 'example.invalid:443' });
      req.on('connect', (r: IncomingMessage, s: Socket) => { s.destroy(); resolve(r.statusCode); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(fwd.requests.map((r) => [r.method, r.target, r.refused])).toEqual([['GET', 'example.invalid:80', true], ['CONNECT', 'example.invalid:443', true]]);
  });

  it('answers 502 when a loopback target is not listening', async () => {
    const fwd = await proxy();
    const { port, server } = await echoServer();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const agent = new HttpProxyAgent(fwd.url);
    cleanups.push(() => agent.destroy());
    const { res } = await fetchVia(agent, { host: '127.0.0.1', port, path: '/' });
    expect(res.statusCode).toBe(502);
    const proxyUrl = new URL(fwd.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'CONNECT', path: `127.0.0.1:${port}` });
      req.on('connect', (r: IncomingMessage, s: Socket) => { s.destroy(); resolve(r.statusCode); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(502);
  });

  it('closes with tunnels and kept-alive connections still open', async () => {
    const fwd = await startForwardProxy();
    const { port } = await echoServer();
    const agent = new HttpProxyAgent(fwd.url, { keepAlive: true });
    cleanups.push(() => agent.destroy());
    await fetchVia(agent, { host: '127.0.0.1', port, path: '/' });
    const proxyUrl = new URL(fwd.url);
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'CONNECT', path: `127.0.0.1:${port}` });
      req.on('connect', (_r: IncomingMessage, s: Socket) => { cleanups.push(() => { s.destroy(); }); resolve(); });
      req.on('error', reject);
      req.end();
    });
    await fwd.close();
  });
});
