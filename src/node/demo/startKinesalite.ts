import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpHandler } from '../sink/httpHandler.js';

export interface LocalKinesis {
  endpoint: string;
  client: KinesisClient;
  createStream(name: string, shards: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * kinesalite (an in-memory Kinesis Data Streams implementation, a dev dependency) on 127.0.0.1 with
 * a random port: the demo's and the tests' endpoint, never beyond loopback (DESIGN §6).
 */
export async function startKinesalite(): Promise<LocalKinesis> {
  let kinesalite: (options: Record<string, unknown>) => Server;
  try {
    kinesalite = (await import('kinesalite')).default as typeof kinesalite;
  } catch {
    throw new Error('kinesalite is not installed: the demo needs the dev dependencies (npm ci)');
  }
  const server = kinesalite({ createStreamMs: 20, deleteStreamMs: 20, shardLimit: 50 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { handler } = createHttpHandler(endpoint, { connectionTimeoutMillis: 5000, socketTimeoutMillis: 30_000, maxConnections: 10, useTcpKeepAlive: false });
  const client = new KinesisClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: handler });
  return {
    endpoint,
    client,
    async createStream(name, shards) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    },
    async close() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
