import { describe, expect, it } from 'vitest';
import type { DestinationClient } from '../../../../src/node/sink/SdkRecordsTransport.js';
import { SdkRecordsTransport } from '../../../../src/node/sink/SdkRecordsTransport.js';

/** A fake SDK client whose sends the test settles by hand. */
function fakeClient(name: string, log: string[]) {
  const inFlight: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const client = {
    send: () => new Promise((resolve, reject) => inFlight.push({ resolve, reject })),
    destroy: () => log.push(`destroy ${name}`),
  };
  return { destination: { kind: 'kinesis', client } as unknown as DestinationClient, inFlight };
}

const entry = { data: Uint8Array.of(1), partitionKey: 'k' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SdkRecordsTransport', () => {
  it('a late credentials error from a request on the old client leaves the new client alone; the old one is retired later, not killed with requests in flight', async () => {
    const log: string[] = [];
    const clients = [fakeClient('A', log), fakeClient('B', log)];
    let made = 0;
    const transport = new SdkRecordsTransport(async () => clients[made++]!.destination, 's');
    const expired = () => Object.assign(new Error('token expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });

    const r1 = transport.put([entry]);
    const r2 = transport.put([entry]);
    await tick();
    expect(clients[0]!.inFlight).toHaveLength(2);
    clients[0]!.inFlight[0]!.reject(expired());
    await expect(r1).rejects.toMatchObject({ code: 'ExpiredTokenException' });
    const r3 = transport.put([entry]); // builds client B
    await tick();
    expect(made).toBe(2);
    expect(clients[1]!.inFlight).toHaveLength(1);
    clients[0]!.inFlight[1]!.reject(expired()); // r2, sent on A, fails late
    await expect(r2).rejects.toMatchObject({ code: 'ExpiredTokenException' });
    expect(log).toEqual([]);
    clients[1]!.inFlight[0]!.resolve({ Records: [{}] });
    await expect(r3).resolves.toEqual([{ ok: true }]);
    expect(made).toBe(2);
  });
});
