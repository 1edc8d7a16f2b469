import { request as httpRequest, type Agent, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { SendFailure } from '../../core/send/SendFailure.js';
import type { HttpAnswer } from './parsePutRecordsResponse.js';

export interface HttpExchange {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  agent: Agent;
  /** A TCP connection not established within this fails the request with TimeoutError. */
  connectionTimeoutMillis: number;
  /** A socket idle this long while the request is under way fails it with TimeoutError. */
  socketTimeoutMillis: number;
  signal?: AbortSignal | undefined;
  /** Called once the body has been handed to the OS whole (Node's 'finish'): its buffer may then be reused. */
  onBodyWritten?: (() => void) | undefined;
}

/**
 * One HTTP/1.1 request through a keep-alive agent (and the proxy it may tunnel through), its
 * answer read whole. Failures behave as with the SDK's NodeHttpHandler, so they are classified the
 * same way: socket errors keep their Node code (ECONNRESET, ECONNREFUSED, EPIPE, ENOTFOUND…), a
 * connection not made in time and an idle socket are TimeoutError, an abort is AbortError
 * ("Request aborted").
 */
export function sendHttpRequest(exchange: HttpExchange): Promise<HttpAnswer> {
  const { signal } = exchange;
  if (signal?.aborted === true) return Promise.reject(aborted());
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let unwatch: (() => void) | undefined;
    const settle = (error: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      unwatch?.();
      if (error === undefined && answer !== undefined) resolve(answer);
      else reject(error);
    };
    const fail = (error: Error): void => {
      settle(error);
      req.destroy();
    };
    const send = exchange.protocol === 'https:' ? httpsRequest : httpRequest;
    // The SDK strips the brackets of an IPv6 literal the same way before handing it to Node.
    const hostname = exchange.hostname.startsWith('[') && exchange.hostname.endsWith(']') ? exchange.hostname.slice(1, -1) : exchange.hostname;
    const req: ClientRequest = send({ hostname, port: exchange.port, path: exchange.path, method: exchange.method, headers: exchange.headers, agent: exchange.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle(undefined, { status: res.statusCode ?? -1, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      res.on('error', (error) => fail(error));
    });
    req.on('error', (error) => settle(error));
    req.on('close', () => settle(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting || exchange.connectionTimeoutMillis <= 0) return;
      connectTimer = setTimeout(() => fail(new SendFailure('TimeoutError', `the request socket did not establish a connection with the server within the configured timeout of ${exchange.connectionTimeoutMillis} ms`)), exchange.connectionTimeoutMillis);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    if (exchange.socketTimeoutMillis > 0) {
      req.setTimeout(exchange.socketTimeoutMillis, () => fail(new SendFailure('TimeoutError', `the request socket timed out after ${exchange.socketTimeoutMillis} ms of inactivity`)));
    }
    if (signal !== undefined) unwatch = whenAborted(signal, () => fail(aborted()));
    if (exchange.onBodyWritten !== undefined) req.once('finish', exchange.onBodyWritten);
    req.end(exchange.body);
  });
}

function aborted(): SendFailure {
  return new SendFailure('AbortError', 'Request aborted');
}

/**
 * One 'abort' listener per signal, however many requests wait on it: a sender's signal is shared by
 * all its requests in flight, and a listener each would pass Node's limit of 10 and warn.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener('abort', () => {
      waiting.delete(signal);
      for (const callback of set) callback();
    }, { once: true });
  }
  callbacks.add(onAbort);
  const set = callbacks;
  return () => set.delete(onAbort);
}
