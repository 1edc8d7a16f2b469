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

/** The connection pools for one endpoint, and the proxy (password hidden) its requests go through. */
export interface EndpointAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  proxy: string | undefined;
}

/**
 * The SDK's request handler for one endpoint: HTTP/1.1 with keep-alive rather than the SDK's
 * default HTTP/2 (proxies and local endpoints speak HTTP/1.1, and a pool of keep-alive connections
 * is what a steady stream of requests wants), through the proxy that HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY name for that endpoint (the Java agent needs JVM flags for this, #61, #105, #122).
 * `endpointUrl` is the configured endpoint, or the service's default one. socketTimeoutMillis is
 * the socket's inactivity timeout, as the Java SDK's socketTimeout: the handler's `requestTimeout`
 * only logs a warning since @smithy/node-http-handler 4 (it fails only with throwOnRequestTimeout).
 */
export function createHttpHandler(endpointUrl: string, options: HttpOptions): { handler: NodeHttpHandler; proxy: string | undefined } {
  const { httpAgent, httpsAgent, proxy } = createAgents(endpointUrl, options);
  const handler = new NodeHttpHandler({
    httpAgent,
    httpsAgent,
    connectionTimeout: options.connectionTimeoutMillis,
    socketTimeout: options.socketTimeoutMillis,
  });
  return { handler, proxy };
}

/**
 * Keep-alive agents for one endpoint, each through the proxy the environment names for it (or
 * none): used by the SDK's handler above and by LeanRecordsTransport, so both reach an endpoint
 * the same way.
 */
export function createAgents(endpointUrl: string, options: HttpOptions): EndpointAgents {
  const agentOptions: AgentOptions = { keepAlive: true, maxSockets: options.maxConnections, keepAliveMsecs: options.useTcpKeepAlive ? 30_000 : 1000 };
  const host = new URL(endpointUrl).host;
  const httpProxy = getProxyForUrl(`http://${host}/`);
  const httpsProxy = getProxyForUrl(`https://${host}/`);
  const proxy = endpointUrl.startsWith('http:') ? httpProxy : httpsProxy;
  return {
    httpAgent: httpProxy === '' ? new HttpAgent(agentOptions) : new HttpProxyAgent(httpProxy, agentOptions),
    httpsAgent: httpsProxy === '' ? new HttpsAgent(agentOptions) : new HttpsProxyAgent(httpsProxy, agentOptions),
    proxy: proxy === '' ? undefined : redactProxy(proxy),
  };
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
