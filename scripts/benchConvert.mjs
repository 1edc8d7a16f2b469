#!/usr/bin/env node
// npm run bench:convert — lines/s and CPU µs per line of each converter chain on generated lines,
// compiled once as a flow does. Needs a build (dist/). Numbers are for comparing chains in one run.
import { compileChain } from '../dist/core/processing/compileChain.js';

const N = Number(process.argv[2] ?? 200_000);
const enc = new TextEncoder();
const deps = { hostname: 'bench', now: Date.now, ec2Metadata: () => () => [['instanceId', 'i-0']], onEc2Unavailable: () => {} };
const apache = (i) => `10.0.${i % 256}.${i % 200} - - [07/Mar/2004:16:10:02 -0800] "GET /item/${i} HTTP/1.1" 200 ${1000 + (i % 5000)} "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"\n`;
const syslog = (i) => `Mar 12 12:00:${String(i % 60).padStart(2, '0')} host${i % 9} sshd[${1 + (i % 9999)}]: Accepted publickey for user${i} from 10.0.0.${i % 255} port 22\n`;
const csv = (i) => `${i},user${i},${i % 2 === 0},${(i / 7).toFixed(3)},some text here\n`;
const cases = [
  ['raw (no options)', [], apache],
  ['LOGTOJSON COMBINEDAPACHELOG', [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }], apache],
  ['LOGTOJSON COMBINEDAPACHELOG + ADDMETADATA', [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }, { optionName: 'ADDMETADATA', metadata: { env: 'prod' }, timestamp: 'true' }], apache],
  ['LOGTOJSON SYSLOG typed', [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG', typedFields: true }], syslog],
  ['CSVTOJSON', [{ optionName: 'CSVTOJSON', customFieldNames: ['id', 'user', 'flag', 'ratio', 'text'] }], csv],
  ['CSVTOJSON quotes + typed', [{ optionName: 'CSVTOJSON', customFieldNames: ['id', 'user', 'flag', 'ratio', 'text'], quotes: true, typedFields: true }], csv],
  ['SINGLELINE', [{ optionName: 'SINGLELINE' }], syslog],
  ['CSVTOJSON + ADDEC2METADATA', [{ optionName: 'CSVTOJSON', customFieldNames: ['id', 'user', 'flag', 'ratio', 'text'] }, { optionName: 'ADDEC2METADATA', logFormat: 'SYSLOG' }], csv],
];
console.log(`${N} lines per chain\n`);
console.log('chain'.padEnd(46), 'lines/s'.padStart(12), 'µs/line'.padStart(9));
for (const [name, options, make] of cases) {
  const lines = Array.from({ length: 5000 }, (_, i) => enc.encode(make(i)));
  const chain = compileChain(options, deps);
  const context = { path: '/var/log/x.log', fingerprint: '0:x', offset: 0 };
  for (let i = 0; i < 20_000; i += 1) chain(lines[i % lines.length], context); // warm up
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) chain(lines[i % lines.length], context);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(name.padEnd(46), Math.round(N / seconds).toLocaleString('en-US').padStart(12), (((used.user + used.system) / N)).toFixed(2).padStart(9));
}
