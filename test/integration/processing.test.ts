import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { spawnShardline } from '../support/agentProcess.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/** A loopback IMDSv2 stub: a token, then the identity document; no instance tags (404). */
async function startImds(): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('token-1');
    if (req.headers['x-aws-ec2-metadata-token'] !== 'token-1') return void res.writeHead(401).end();
    if (req.url === '/latest/dynamic/instance-identity/document') {
      return void res.end(JSON.stringify({ privateIp: '10.1.2.3', availabilityZone: 'eu-west-1a', instanceId: 'i-0123456789abcdef0', instanceType: 'm7g.large', accountId: '123456789012', imageId: 'ami-0abc', region: 'eu-west-1' }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const FLOWS = {
  apache: { lines: ['123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.0" 200 10450 "-" "Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)"\n', 'not an access log line\n'],
    options: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }, { optionName: 'ADDMETADATA', metadata: { env: 'prod' } }],
    expected: ['{"metadata":{"env":"prod"},"data":"{\\"host\\":\\"123.45.67.89\\",\\"ident\\":null,\\"authuser\\":null,\\"datetime\\":\\"27/Oct/2000:09:27:09 -0400\\",\\"request\\":\\"GET /java/javaResources.html HTTP/1.0\\",\\"response\\":\\"200\\",\\"bytes\\":\\"10450\\",\\"referer\\":null,\\"agent\\":\\"Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)\\"}"}\n'] },
  syslog: { lines: ['Mar 12 12:01:02 server4 snort: Ports to decode telnet on: 21 23 25 119\n'], options: [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG' }],
    expected: ['{"timestamp":"Mar 12 12:01:02","hostname":"server4","program":"snort","processid":null,"message":"Ports to decode telnet on: 21 23 25 119"}\n'] },
  csv: { lines: ['value1, value2,value3\n', 'a,b\r\n'], options: [{ optionName: 'CSVTOJSON', customFieldNames: ['column1', 'column2', 'column3', 'column4'] }],
    expected: ['{"column1":"value1","column2":" value2","column3":"value3","column4":null}\n', '{"column1":"a","column2":"b\\r","column3":null,"column4":null}\n'] },
  ec2: { lines: ['x,y\n'], options: [{ optionName: 'CSVTOJSON', customFieldNames: ['a', 'b'] }, { optionName: 'ADDEC2METADATA', logFormat: 'SYSLOG' }],
    expected: ['{"a":"x","b":"y","privateIp":"10.1.2.3","availabilityZone":"eu-west-1a","instanceId":"i-0123456789abcdef0","instanceType":"m7g.large","accountId":"123456789012","amiId":"ami-0abc","region":"eu-west-1","metadataTimestamp":"<time>"}\n'] },
} as const;

describe('processing end to end: real CLI, real chains, kinesalite', () => {
  let kinesis: LocalKinesis;
  let imds: { endpoint: string; server: Server };
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    kinesis = await startKinesalite();
    imds = await startImds();
    dir = await tempDir();
  });
  afterAll(async () => {
    await kinesis.close();
    imds.server.close();
    await dir.cleanup();
  });

  it('sends exactly the records the Java agent would, multi-line records whole, skipped lines to the dead-letter file', async () => {
    const flows: Record<string, unknown>[] = [];
    for (const [name, flow] of Object.entries(FLOWS)) {
      await mkdir(join(dir.path, name));
      await kinesis.createStream(name, 1);
      flows.push({ name, filePattern: join(dir.path, name, '*.log'), kinesisStream: name, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, dataProcessingOptions: flow.options });
    }
    await mkdir(join(dir.path, 'multi'));
    await kinesis.createStream('multi', 1);
    flows.push({ name: 'multi', filePattern: join(dir.path, 'multi', '*.log'), kinesisStream: 'multi', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, multiLineStartPattern: '\\d{4}-\\d{2}-\\d{2} ', multiLineFlushMillis: 1500, dataProcessingOptions: [{ optionName: 'SINGLELINE' }] });
    const config = join(dir.path, 'agent.json');
    await writeFile(config, JSON.stringify({ 'kinesis.endpoint': kinesis.endpoint, 'kinesis.region': 'us-east-1', awsAccessKeyId: 'a', awsSecretAccessKey: 'b', 'cloudwatch.emitMetrics': false, keepSkippedRecords: true, 'log.statusReportingPeriodSeconds': 1, flows }));
    for (const [name, flow] of Object.entries(FLOWS)) await writeFile(join(dir.path, name, 'app.log'), flow.lines.join(''));
    await writeFile(join(dir.path, 'multi', 'app.log'), '2020-01-01 ERROR boom\n  at Foo.bar(Foo.java:1)\n');

    const data = join(dir.path, 'data');
    const agent = spawnShardline(['run', '-c', config, '--data-dir', data], { AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint });
    await agent.waitForLog(/started with 5 flow/);
    // The rest of the stack trace arrives in a second write, well within multiLineFlushMillis.
    await new Promise((r) => setTimeout(r, 400));
    await appendFile(join(dir.path, 'multi', 'app.log'), '  at Baz.qux(Baz.java:2)\n2020-01-01 INFO next\n');

    const read = async (stream: string, count: number) => {
      const reader = new StreamReader(kinesis.client, stream);
      const records: string[] = [];
      await waitFor(async () => {
        records.push(...(await reader.poll()).map((r) => new TextDecoder().decode(r)));
        return records.length >= count;
      }, 30_000, `${count} records in ${stream}`);
      return records;
    };
    for (const [name, flow] of Object.entries(FLOWS)) {
      const records = (await read(name, flow.expected.length)).map((r) => r.replace(/"metadataTimestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"/, '"metadataTimestamp":"<time>"'));
      expect(records, name).toEqual(flow.expected);
    }
    expect(await read('multi', 2)).toEqual(['2020-01-01 ERROR boomat Foo.bar(Foo.java:1)at Baz.qux(Baz.java:2)\n', '2020-01-01 INFO next\n']);
    await agent.waitForLog(/"skipped":\{"logFormatMismatch":1\}/);
    expect(await agent.stop()).toBe(0);
    const deadLetters = (await readFile(join(data, 'dead-letter', 'apache.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(deadLetters).toMatchObject([{ reason: 'logFormatMismatch', data: 'not an access log line\n', file: join(dir.path, 'apache', 'app.log'), offset: Buffer.byteLength(FLOWS.apache.lines[0]) }]);
  });
});
