import { describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../../src/shared/stats/flowStatus.js';
import { ControllerError } from '../../../renderer/src/api/ControllerError.js';
import { HttpControllerClient } from '../../../renderer/src/api/HttpControllerClient.js';
import { readNdjson } from '../../../renderer/src/api/readNdjson.js';

const status: AgentStatus = { version: '0.1.0', pid: 7, startedAt: '2026-11-22T07:00:00.000Z', uptimeMillis: 1000, flows: [] };
const applied = { ok: true, problems: [], warnings: [], added: [], removed: [], restarted: ['x'], unchanged: [], saved: [] };

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(answer: (call: Call) => Response): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) as unknown };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readNdjson', () => {
  it('yields one value per line, across chunk boundaries and split UTF-8, skipping blank lines', async () => {
    const bytes = new TextEncoder().encode('{"a":"é"}\n\n{"b":2}\n{"c":3}');
    const chunks = [bytes.slice(0, 8), bytes.slice(8, 13), bytes.slice(13)];
    const stream = new ReadableStream<Uint8Array>({ start: (c) => { for (const chunk of chunks) c.enqueue(chunk); c.close(); } });
    const values: unknown[] = [];
    for await (const value of readNdjson(stream)) values.push(value);
    expect(values).toEqual([{ a: 'é' }, { b: 2 }, { c: 3 }]);
  });

  it('cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('{"a":1}\n{"a":2}\n')),
      cancel: () => { cancelled = true; },
    });
    for await (const value of readNdjson(stream)) {
      expect(value).toEqual({ a: 1 });
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('HttpControllerClient', () => {
  it('sends the bearer token, JSON bodies and URI-encoded flow ids to the contract routes', async () => {
    const { fetch, calls } = fakeFetch((call) => json(call.url.endsWith('/files') ? [] : call.url.includes('/flows') ? applied : status));
    const client = new HttpControllerClient('http://127.0.0.1:7387/', 'tok', fetch);
    const id = 'kinesis:web:/var/log/a b/*.log';
    await client.status();
    await client.updateFlow(id, { flow: { filePattern: '/x/*.log' } });
    await client.files(id);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://127.0.0.1:7387/api/v1/status',
      `PUT http://127.0.0.1:7387/api/v1/flows/${encodeURIComponent(id)}`,
      `GET http://127.0.0.1:7387/api/v1/flows/${encodeURIComponent(id)}/files`,
    ]);
    expect(calls.every((c) => c.headers['Authorization'] === 'Bearer tok')).toBe(true);
    expect(calls[1]!.headers['Content-Type']).toBe('application/json');
    expect(calls[1]!.body).toEqual({ flow: { filePattern: '/x/*.log' } });
  });

  it('puts log filters in the query', async () => {
    const { fetch, calls } = fakeFetch(() => json([]));
    const client = new HttpControllerClient('http://127.0.0.1:7387', 'tok', fetch);
    await client.logs({ level: 'warn', flow: 'kinesis:a:/x/*.log', limit: 50 });
    await client.logs({});
    expect(calls.map((c) => new URL(c.url).search)).toEqual([`?level=warn&flow=${encodeURIComponent('kinesis:a:/x/*.log')}&limit=50`, '']);
  });

  it('turns error replies into ControllerErrors, and a refused apply into its ApplyResult', async () => {
    const problems = [{ file: '/etc/shardline/agent.json', path: 'flows[0].maxBufferSizeRecords', message: 'must be 1..500, got 900' }];
    const { fetch } = fakeFetch((call) => {
      if (call.url.endsWith('/status')) return json({ error: { code: 'Unauthorized', message: 'a valid token is required' } }, 401);
      if (call.url.endsWith('/config')) return json({ error: { code: 'Internal', message: 'boom', problems } }, 500);
      return json({ ...applied, ok: false, problems }, 422);
    });
    const client = new HttpControllerClient('http://127.0.0.1:7387', 'bad', fetch);
    const refused = await client.status().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ControllerError);
    expect(refused).toMatchObject({ code: 'Unauthorized', status: 401, unauthorized: true });
    await expect(client.getConfig()).rejects.toMatchObject({ code: 'Internal', problems });
    expect(await client.addFlow({ flow: {} })).toMatchObject({ ok: false, problems });
  });

  it('says when the agent cannot be reached or answers in another shape', async () => {
    const down = new HttpControllerClient('http://127.0.0.1:7387', 't', (async () => { throw new TypeError('fetch failed'); }) as typeof fetch);
    await expect(down.status()).rejects.toMatchObject({ code: 'unreachable', status: 0 });
    const odd = new HttpControllerClient('http://127.0.0.1:7387', 't', fakeFetch(() => json({ nope: true })).fetch);
    await expect(odd.status()).rejects.toMatchObject({ code: 'bad_reply' });
  });

  it('streams status snapshots from the events route, checked against the schema', async () => {
    const second = { ...status, uptimeMillis: 2000 };
    const { fetch, calls } = fakeFetch(() => new Response(streamOf([`${JSON.stringify(status)}\n${JSON.stringify(second).slice(0, 20)}`, `${JSON.stringify(second).slice(20)}\n`]), { status: 200 }));
    const client = new HttpControllerClient('http://127.0.0.1:7387', 'tok', fetch);
    const seen: number[] = [];
    for await (const snapshot of client.events(new AbortController().signal)) seen.push(snapshot.uptimeMillis);
    expect(seen).toEqual([1000, 2000]);
    expect(calls[0]!.headers['Authorization']).toBe('Bearer tok');
    const refused = new HttpControllerClient('http://127.0.0.1:7387', 'x', fakeFetch(() => json({ error: { code: 'Unauthorized', message: 'no' } }, 401)).fetch);
    const iterator = refused.events(new AbortController().signal)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ unauthorized: true });
  });
});
