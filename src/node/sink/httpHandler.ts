import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { getProxyForUrl } from 'proxy-from-env';

export interface HttpOptions {
  connectionTimeoutMillis: number;
  socketTimeoutMillis: number;
  maxConnections: number;
  useTcpKeepAlive: boolean;
}

/**
 * The SDK's request handler for one endpoint: HTTP/1.1 with keep-alive rather than the SDK's
 * default HTTP/2 (proxies and local endpoints speak HTTP/1.1, and a pool of keep-alive connections
 * is what a steady stream of requests wants), through the proxy that HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY name for that endpoint (the Java agent needs JVM flags for this, #61, #105, #122).
 * `endpointUrl` is the configured endpoint, or the service's default one.
 */
export function createHttpHandler(endpointUrl: string, options: HttpOptions): { handler: NodeHttpHandler; proxy: string | undefined } {
  const agentOptions: AgentOptions = { keepAlive: true, maxSockets: options.maxConnections, keepAliveMsecs: options.useTcpKeepAlive ? 30_000 : 1000 };
  const host = new URL(endpointUrl).host;
  const httpProxy = getProxyForUrl(`http://${host}/`);
  const httpsProxy = getProxyForUrl(`https://${host}/`);
  const handler = new NodeHttpHandler({
    httpAgent: httpProxy === '' ? new HttpAgent(agentOptions) : new HttpProxyAgent(httpProxy, agentOptions),
    httpsAgent: httpsProxy === '' ? new HttpsAgent(agentOptions) : new HttpsProxyAgent(httpsProxy, agentOptions),
    connectionTimeout: options.connectionTimeoutMillis,
    requestTimeout: options.socketTimeoutMillis,
  });
  const proxy = endpointUrl.startsWith('http:') ? httpProxy : httpsProxy;
  return { handler, proxy: proxy === '' ? undefined : redactProxy(proxy) };
}

/** A proxy URL for the log, without its password. */
function redactProxy(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid proxy URL)';
  }
}
