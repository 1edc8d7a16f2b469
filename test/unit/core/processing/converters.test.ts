import { describe, expect, it } from 'vitest';
import { compileChain, type ChainDeps } from '../../../../src/core/processing/compileChain.js';
import type { ProcessingOption } from '../../../../src/shared/config/processingOptionSchema.js';

const NOW = Date.parse('2024-05-01T12:00:00.123Z');
const deps: ChainDeps = {
  hostname: 'web-1',
  now: () => NOW,
  ec2Metadata: () => () => [['instanceId', 'i-0abc'], ['region', 'eu-west-1']],
  onEc2Unavailable: () => undefined,
};
const context = { path: '/var/log/app.log', fingerprint: '1024:ab12', offset: 4096 };
const enc = (s: string) => new TextEncoder().encode(s);

/** Runs a chain on one record: its output text, `skip:<reason>`, or `raw:<text>` when it fell back. */
function run(options: Record<string, unknown>[], input: string | Uint8Array): string {
  const chain = compileChain(options as ProcessingOption[], deps);
  const outcome = chain(typeof input === 'string' ? enc(input) : input, context);
  if (outcome.kind === 'skip') return `skip:${outcome.reason}`;
  const text = new TextDecoder().decode(outcome.data);
  return outcome.kind === 'fallback' ? `raw:${text}` : text;
}

const LOG = (logFormat: string, extra: Record<string, unknown> = {}) => [{ optionName: 'LOGTOJSON', logFormat, ...extra }];
const CSV = (customFieldNames: string[], extra: Record<string, unknown> = {}) => [{ optionName: 'CSVTOJSON', customFieldNames, ...extra }];
const COLUMNS = ['column1', 'column2', 'column3', 'column4'];

describe('dataProcessingOptions, byte for byte with the Java agent (reference §2)', () => {
  it.each([
    // SINGLELINE (§2.2)
    ['SINGLELINE joins without a separator, Java-trimmed', [{ optionName: 'SINGLELINE' }], '2020-01-01 ERROR boom\n  at Foo.bar(Foo.java:1)\n  at Baz.qux(Baz.java:2)\n', '2020-01-01 ERROR boomat Foo.bar(Foo.java:1)at Baz.qux(Baz.java:2)\n'],
    ['SINGLELINE NO_TRIM', [{ optionName: 'SINGLELINE', parseOptions: ['NO_TRIM'] }], 'a\n  b \n', 'a  b \n'],
    ['SINGLELINE of an empty line', [{ optionName: 'SINGLELINE' }], '\n', '\n'],
    ['SINGLELINE trims control characters and CR (Java trim), not NBSP', [{ optionName: 'SINGLELINE' }], '\u0001a\r\n\u00a0b\u00a0\n', 'a\u00a0b\u00a0\n'],
    ['SINGLELINE ESCAPE_NEW_LINE (DataConverterTest)', [{ optionName: 'SINGLELINE', parseOptions: ['ESCAPE_NEW_LINE'] }], '{\n   "a": {\n      "b": 1,\n      "c": null,\n      "d": true\n   },\n   "e": "f",\n   "g": 2\n}\n', '{\\\\n"a": {\\\\n"b": 1,\\\\n"c": null,\\\\n"d": true\\\\n},\\\\n"e": "f",\\\\n"g": 2\\\\n}\n'],
    // CSVTOJSON (§2.3)
    ['CSV keeps spaces and an embedded LF', CSV(COLUMNS), 'value1, value2,valu\ne3,    value4\n', '{"column1":"value1","column2":" value2","column3":"valu\\ne3","column4":"    value4"}\n'],
    ['CSV missing column is null', CSV(COLUMNS), 'value1, value2,value3\n', '{"column1":"value1","column2":" value2","column3":"value3","column4":null}\n'],
    ['CSV extra columns are ignored', CSV(COLUMNS), 'value1,value2,value3,value4,value5\n', '{"column1":"value1","column2":"value2","column3":"value3","column4":"value4"}\n'],
    ['TSV with the Java regex \\t', CSV(COLUMNS, { delimiter: '\\t' }), 'value1\t value2\tvalue3\t    value4\n', '{"column1":"value1","column2":" value2","column3":"value3","column4":"    value4"}\n'],
    ['CSV trailing empty column dropped (Java split)', CSV(['a', 'b', 'c', 'd']), 'a,,c,\n', '{"a":"a","b":"","c":"c","d":null}\n'],
    ['CSV of an empty line', CSV(['a', 'b']), '\n', '{"a":"","b":null}\n'],
    ['CSV keeps the CR of CRLF', CSV(['a', 'b']), 'a,b\r\n', '{"a":"a","b":"b\\r"}\n'],
    ['CSV without quote handling (Java #95)', CSV(['a', 'b', 'c', 'd']), '1,"3,4",5\n', '{"a":"1","b":"\\"3","c":"4\\"","d":"5"}\n'],
    ['CSV "|" is a regex that splits between characters', CSV(['a', 'b', 'c'], { delimiter: '|' }), 'x|y\n', '{"a":"x","b":"|","c":"y"}\n'],
    ['CSV field names that look like numbers keep their order', CSV(['2', '1']), 'b,a\n', '{"2":"b","1":"a"}\n'],
    // LOGTOJSON (§2.4)
    ['COMMONAPACHELOG', LOG('COMMONAPACHELOG'), '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291\n', '{"host":"64.242.88.10","ident":null,"authuser":null,"datetime":"07/Mar/2004:16:10:02 -0800","request":"GET /mailman/listinfo/hsdivision HTTP/1.1","response":"200","bytes":"6291"}\n'],
    ['COMMONAPACHELOG swallows extra fields', LOG('COMMONAPACHELOG'), '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291 "-" "Mozilla/4.6"\n', '{"host":"64.242.88.10","ident":null,"authuser":null,"datetime":"07/Mar/2004:16:10:02 -0800","request":"GET /mailman/listinfo/hsdivision HTTP/1.1","response":"200","bytes":"6291"}\n'],
    ['COMMONAPACHELOG host name', LOG('COMMONAPACHELOG'), 'lj1036.inktomisearch.com - - [07/Mar/2004:17:18:36 -0800] "GET /robots.txt HTTP/1.0" 200 68\n', '{"host":"lj1036.inktomisearch.com","ident":null,"authuser":null,"datetime":"07/Mar/2004:17:18:36 -0800","request":"GET /robots.txt HTTP/1.0","response":"200","bytes":"68"}\n'],
    ['COMMONAPACHELOG without bytes is skipped', LOG('COMMONAPACHELOG'), '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /robots.txt HTTP/1.0" 200\n', 'skip:logFormatMismatch'],
    ['COMMONAPACHELOG "-" bytes is null', LOG('COMMONAPACHELOG'), '10.0.0.1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 304 -\n', '{"host":"10.0.0.1","ident":null,"authuser":null,"datetime":"07/Mar/2004:16:10:02 -0800","request":"GET / HTTP/1.1","response":"304","bytes":null}\n'],
    ['COMMONAPACHELOG IPv6 host is skipped', LOG('COMMONAPACHELOG'), '::1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 200 1\n', 'skip:logFormatMismatch'],
    ['COMMONAPACHELOG CRLF line is skipped (Java . excludes \\r)', LOG('COMMONAPACHELOG'), '10.0.0.1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 200 1\r\n', 'skip:logFormatMismatch'],
    ['COMBINEDAPACHELOG', LOG('COMBINEDAPACHELOG'), '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.0" 200 10450 "-" "Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)" "ANY_RANDOM_DATA"\n', '{"host":"123.45.67.89","ident":null,"authuser":null,"datetime":"27/Oct/2000:09:27:09 -0400","request":"GET /java/javaResources.html HTTP/1.0","response":"200","bytes":"10450","referer":null,"agent":"Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)"}\n'],
    ['COMBINEDAPACHELOG empty quoted field is skipped', LOG('COMBINEDAPACHELOG'), '1.2.3.4 - - [27/Oct/2000:09:27:09 -0400] "GET / HTTP/1.0" 200 1 "" "curl/7.1"\n', 'skip:logFormatMismatch'],
    ['APACHEERRORLOG 2.4', LOG('APACHEERRORLOG'), '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico\n', '{"timestamp":"Fri Sep 09 10:42:29.902022 2011","module":"core","severity":"error","processid":"35708","threadid":"4328636416","client":"72.15.99.187","message":"File does not exist: /usr/local/apache2/htdocs/favicon.ico"}\n'],
    ['APACHEERRORLOG without tid', LOG('APACHEERRORLOG'), '[Fri Sep 09 10:42:29 2011] [core:error] [pid 35708] [client 72.15.99.187] File does not exist\n', '{"timestamp":"Fri Sep 09 10:42:29 2011","module":"core","severity":"error","processid":"35708","threadid":null,"client":"72.15.99.187","message":"File does not exist"}\n'],
    ['APACHEERRORLOG without module, client with port', LOG('APACHEERRORLOG'), '[Fri Sep 09 10:42:29 2011] [error] [pid 35708:tid 4328636416] [client 72.15.99.187:12345] oops\n', '{"timestamp":"Fri Sep 09 10:42:29 2011","module":null,"severity":"error","processid":"35708","threadid":"4328636416","client":"72.15.99.187:12345","message":"oops"}\n'],
    ['APACHEERRORLOG PHP [:error] is skipped (Java #74)', LOG('APACHEERRORLOG'), '[Fri Sep 09 10:42:29 2011] [:error] [pid 1] [client 1.2.3.4] x\n', 'skip:logFormatMismatch'],
    ['SYSLOG with pid; trailing space kept', LOG('SYSLOG'), "Mar 12 12:00:08 server2 rcd[308]: Loaded 12 packages in 'ximian-red-carpet|351' (0.01878 seconds) \n", '{"timestamp":"Mar 12 12:00:08","hostname":"server2","program":"rcd","processid":"308","message":"Loaded 12 packages in \'ximian-red-carpet|351\' (0.01878 seconds) "}\n'],
    ['SYSLOG without pid', LOG('SYSLOG'), 'Mar 12 12:01:02 server4 snort: Ports to decode telnet on: 21 23 25 119\n', '{"timestamp":"Mar 12 12:01:02","hostname":"server4","program":"snort","processid":null,"message":"Ports to decode telnet on: 21 23 25 119"}\n'],
    ['SYSLOG program with a path', LOG('SYSLOG'), 'Mar 12 12:10:00 server2 /USR/SBIN/CRON[6808]: (root) CMD ( /usr/lib/sa/sa1 )\n', '{"timestamp":"Mar 12 12:10:00","hostname":"server2","program":"/USR/SBIN/CRON","processid":"6808","message":"(root) CMD ( /usr/lib/sa/sa1 )"}\n'],
    ['SYSLOG facility matched, not captured; "-" kept', LOG('SYSLOG'), 'Mar  7 12:00:08 <3.6> server2 kernel: - link up\n', '{"timestamp":"Mar  7 12:00:08","hostname":"server2","program":"kernel","processid":null,"message":"- link up"}\n'],
    ['SYSLOG pid 0 is skipped', LOG('SYSLOG'), 'Mar 12 12:00:08 server2 kernel[0]: x\n', 'skip:logFormatMismatch'],
    ['RFC3339SYSLOG', LOG('RFC3339SYSLOG'), '2016-04-20T14:47:31.123456+00:00 ip-10-0-0-1 sshd[1234]: Accepted publickey for ec2-user from 10.0.0.2 port 22 ssh2\n', '{"timestamp":"2016-04-20T14:47:31.123456+00:00","hostname":"ip-10-0-0-1","program":"sshd","processid":"1234","message":"Accepted publickey for ec2-user from 10.0.0.2 port 22 ssh2"}\n'],
    ['RFC3339SYSLOG without pid', LOG('RFC3339SYSLOG'), '2016-04-20T14:47:31Z myhost systemd: Started Session 1 of user root.\n', '{"timestamp":"2016-04-20T14:47:31Z","hostname":"myhost","program":"systemd","processid":null,"message":"Started Session 1 of user root."}\n'],
    ['custom matchPattern under an Apache format ("-" → null)', LOG('COMMONAPACHELOG', { matchPattern: '^([\\d.]+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\] "(.+?)" (\\d{3})', customFieldNames: ['column1', 'column2', 'column3', 'column4', 'column5', 'column6'] }), '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.0" 200\n', '{"column1":"123.45.67.89","column2":null,"column3":null,"column4":"27/Oct/2000:09:27:09 -0400","column5":"GET /java/javaResources.html HTTP/1.0","column6":"200"}\n'],
    ['renamed built-in fields', LOG('COMMONAPACHELOG', { customFieldNames: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'] }), '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 200 6291\n', '{"c1":"64.242.88.10","c2":null,"c3":null,"c4":"07/Mar/2004:16:10:02 -0800","c5":"GET / HTTP/1.1","c6":"200","c7":"6291"}\n'],
    ['Jackson escapes control characters in uppercase hex', LOG('SYSLOG'), 'Mar 12 12:00:08 h p: \u001b[31mred\u001b[0m "q" \\ \t\n', '{"timestamp":"Mar 12 12:00:08","hostname":"h","program":"p","processid":null,"message":"\\u001B[31mred\\u001B[0m \\"q\\" \\\\ \\t"}\n'],
    ['PRETTYPRINT', LOG('SYSLOG', { jsonFormat: 'PRETTYPRINT' }), 'Mar 12 12:00:08 h p: m\n', '{\n  "timestamp" : "Mar 12 12:00:08",\n  "hostname" : "h",\n  "program" : "p",\n  "processid" : null,\n  "message" : "m"\n}\n'],
    // ADDMETADATA, ADDBRACKETS (§2.5, §2.7)
    ['ADDMETADATA', [{ optionName: 'ADDMETADATA', metadata: { foo: { bar: 'bas' }, key: 'value' } }], 'This is the data', '{"metadata":{"foo":{"bar":"bas"},"key":"value"},"data":"This is the data"}\n'],
    ['ADDMETADATA with timestamp "true"', [{ optionName: 'ADDMETADATA', metadata: 'm', timestamp: 'TRUE' }], 'x\n', '{"ts":"2024-05-01T12:00:00.123Z","metadata":"m","data":"x"}\n'],
    ['ADDMETADATA without metadata', [{ optionName: 'ADDMETADATA' }], 'x\n', '{"metadata":null,"data":"x"}\n'],
    ['ADDBRACKETS', [{ optionName: 'ADDBRACKETS' }], 'hello there!! :)', '{hello there!! :)}'],
    ['ADDBRACKETS keeps the newline', [{ optionName: 'ADDBRACKETS' }], 'line\n', '{line\n}'],
    // Chains (§2.1)
    ['LOGTOJSON then ADDMETADATA', [...LOG('SYSLOG'), { optionName: 'ADDMETADATA', metadata: { env: 'prod' } }], 'Mar 12 12:00:08 h p: m\n', '{"metadata":{"env":"prod"},"data":"{\\"timestamp\\":\\"Mar 12 12:00:08\\",\\"hostname\\":\\"h\\",\\"program\\":\\"p\\",\\"processid\\":null,\\"message\\":\\"m\\"}"}\n'],
    ['a skip stops the chain', [...LOG('SYSLOG'), { optionName: 'ADDBRACKETS' }], 'not syslog\n', 'skip:logFormatMismatch'],
    ['ADDEC2METADATA on a JSON object', [...CSV(['a', 'instanceId']), { optionName: 'ADDEC2METADATA', logFormat: 'SYSLOG' }], 'x,y\n', '{"a":"x","instanceId":"i-0abc","region":"eu-west-1"}\n'],
    ['an exception sends the raw line (ADDEC2METADATA on text)', [{ optionName: 'ADDBRACKETS' }, { optionName: 'ADDEC2METADATA', logFormat: 'SYSLOG' }], 'plain text\n', 'raw:plain text\n'],
    // Beyond the Java agent
    ['typed fields and ISO time (LOGTOJSON)', LOG('COMMONAPACHELOG', { typedFields: true }), '10.0.0.1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 200 6291\n', '{"host":"10.0.0.1","ident":null,"authuser":null,"datetime":"2004-03-07T16:10:02-08:00","request":"GET / HTTP/1.1","response":200,"bytes":6291}\n'],
    ['typed fields keep ids with leading zeros as text (CSV)', CSV(['id', 'n', 'ok', 'x'], { typedFields: true }), '007,-1.5,true,abc\n', '{"id":"007","n":-1.5,"ok":true,"x":"abc"}\n'],
    ['CSV with RFC 4180 quotes', CSV(['a', 'b', 'c'], { quotes: true }), '1,"3,4 ""x""",5\n', '{"a":"1","b":"3,4 \\"x\\"","c":"5"}\n'],
    ['JSONPARSE keeps JSON', [{ optionName: 'JSONPARSE' }], '{"a":1}\n', '{"a":1}\n'],
    ['JSONPARSE skips what is not JSON', [{ optionName: 'JSONPARSE' }], 'nope\n', 'skip:invalidJson'],
    ['JSONPARSE can wrap what is not JSON', [{ optionName: 'JSONPARSE', onInvalid: 'wrap' }], 'nope "x"\n', '{"raw":"nope \\"x\\""}\n'],
    ['FILTER include', [{ optionName: 'FILTER', include: 'ERROR|WARN' }], 'INFO fine\n', 'skip:filter'],
    ['FILTER exclude', [{ optionName: 'FILTER', exclude: '^DEBUG' }], 'DEBUG noise\n', 'skip:filter'],
    ['FILTER passes the rest unchanged', [{ optionName: 'FILTER', include: 'ERROR', exclude: 'healthz' }], 'ERROR boom\n', 'ERROR boom\n'],
    ['ADDMETADATA hostname, file and a stable record id', [{ optionName: 'ADDMETADATA', hostname: true, filePath: true, recordId: true }], 'x\n', '{"metadata":null,"data":"x","hostname":"web-1","file":"/var/log/app.log","recordId":"1024:ab12:4096"}\n'],
  ])('%s', (_name, options, input, expected) => {
    expect(run(options, input)).toBe(expected);
  });

  it('invalid UTF-8 becomes U+FFFD in converted records, as Java decodes it', () => {
    expect(run([{ optionName: 'ADDBRACKETS' }], Uint8Array.from([0x61, 0xff, 0x62, 0x0a]))).toBe('{a\ufffdb\n}');
  });

  it('without options the bytes pass untouched (no decoding)', () => {
    const bytes = Uint8Array.from([0xff, 0x00, 0x0d, 0x0a]);
    const outcome = compileChain([], deps)(bytes, context);
    expect(outcome).toEqual({ kind: 'record', data: bytes });
  });
});
