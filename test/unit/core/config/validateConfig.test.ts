import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STOCK_JAVA_AGENT_JSON_URL } from '../../../support/waitFor.js';
import { formatProblem } from '../../../../src/core/config/configFile.js';
import { validateConfig } from '../../../../src/core/config/validateConfig.js';

const MAIN = '/etc/aws-kinesis/agent.json';

function validate(text: string, dropIns: { path: string; text: string }[] = []) {
  const result = validateConfig({ path: MAIN, text }, dropIns);
  return { ...result, lines: result.problems.map((p) => formatProblem(p, MAIN)), warningLines: result.warnings.map((p) => formatProblem(p, MAIN)) };
}

const flow = (extra: string) => `{"flows":[{"filePattern":"/var/log/app/*.log","kinesisStream":"s"${extra}}]}`;

const STOCK_JAVA = readFileSync(STOCK_JAVA_AGENT_JSON_URL, 'utf8');

describe('validateConfig', () => {
  it('accepts the stock Java agent.json with Java defaults', () => {
    const result = validate(STOCK_JAVA);
    expect(result.lines).toEqual([]);
    const [kinesis, firehose] = result.config?.flows ?? [];
    expect(kinesis).toMatchObject({ type: 'kinesis', id: 'kinesis:yourkinesisstream:/tmp/app.log*', maxBufferSizeBytes: 5242880, maxBufferSizeRecords: 500, maxBufferAgeMillis: 60000, initialPosition: 'END_OF_FILE', partitionKeyOption: 'RANDOM', truncatedRecordTerminator: '\n', maxRecordSizeBytes: 1048576 });
    expect(firehose).toMatchObject({ type: 'firehose', id: 'fh:yourdeliverystream:/tmp/app.log*', maxBufferSizeBytes: 4194304, maxRecordSizeBytes: 1024000 });
    expect(result.config?.['kinesis.endpoint']).toBeUndefined();
    expect(result.config?.shutdownTimeoutMillis).toBe(10000);
    expect(result.config?.control).toEqual({ host: '127.0.0.1', port: 7387, publicMetrics: false });
  });

  it.each([
    ['numbers as strings', flow(',"maxBufferSizeRecords":"250"'), { maxBufferSizeRecords: 250 }],
    ['yes/no booleans', flow(',"paused":"YES"'), { paused: true }],
    ['t/f booleans', flow(',"preserveOrder":"f"'), { preserveOrder: false }],
    ['empty flow endpoint means unset', flow(',"endpoint":""'), { endpoint: undefined }],
    ['empty multiLineStartPattern means unset', flow(',"multiLineStartPattern":""'), { multiLineStartPattern: undefined }],
    ['FIELD partition key', flow(',"partitionKeyOption":"FIELD:user"'), { partitionKeyOption: 'FIELD:user' }],
    ['deliveryStream wins over kinesisStream', flow(',"deliveryStream":"d"'), { type: 'firehose', streamName: 'd' }],
    ['per-flow region joins the flow key', flow(',"region":"eu-west-1"'), { key: 'kinesis:s:/var/log/app/*.log|region=eu-west-1', id: 'kinesis:s:/var/log/app/*.log' }],
  ])('coerces %s', (_name, text, expected) => {
    const result = validate(text);
    expect(result.lines).toEqual([]);
    expect(result.config?.flows[0]).toMatchObject(expected);
  });

  it.each([
    ['range', flow(',"maxBufferSizeRecords":900'), 'flows[0].maxBufferSizeRecords: must be 1..500, got 900'],
    ['integer text', flow(',"maxBufferAgeMillis":"1.5"'), 'flows[0].maxBufferAgeMillis: must be an integer, got "1.5"'],
    ['fraction', flow(',"maxBufferAgeMillis":1500.5'), 'flows[0].maxBufferAgeMillis: must be an integer, got 1500.5'],
    ['case-sensitive enum', flow(',"initialPosition":"start_of_file"'), 'flows[0].initialPosition: must be one of START_OF_FILE, END_OF_FILE (case-sensitive), got "start_of_file"; did you mean START_OF_FILE?'],
    ['partition key', flow(',"partitionKeyOption":"random"'), 'flows[0].partitionKeyOption: must be one of RANDOM, DETERMINISTIC or FIELD:<jsonField> (case-sensitive), got "random"; did you mean RANDOM?'],
    ['boolean word', flow(',"paused":"maybe"'), 'flows[0].paused: must be true or false (or yes/no), got "maybe"'],
    ['flow type', '{"flows":[{"filePattern":"/a/b"}]}', 'flows[0]: could not recognize flow type: set kinesisStream (Kinesis Data Streams) or deliveryStream (Firehose)'],
    ['missing filePattern', '{"flows":[{"kinesisStream":"s"}]}', 'flows[0].filePattern: is required'],
    ['filePattern without directory', '{"flows":[{"kinesisStream":"s","filePattern":"app.log"}]}', 'flows[0].filePattern: must be a directory and a file-name glob such as /var/log/app/*.log, got "app.log"'],
    ['no flows', '{"cloudwatch.emitMetrics":false}', 'flows: is required: there are no flows configured (in the file or its agent.d/ drop-ins)'],
    ['empty flows', '{"flows":[]}', 'flows: must contain at least one flow'],
    ['firehose buffer limit', '{"flows":[{"filePattern":"/a/b","deliveryStream":"d","maxBufferSizeBytes":5242880}]}', 'flows[0].maxBufferSizeBytes: must be 1..4194304 for a Firehose flow, got 5242880'],
    ['kpl on firehose', '{"flows":[{"filePattern":"/a/b","deliveryStream":"d","aggregation":"kpl"}]}', 'flows[0].aggregation: kpl aggregation is for Kinesis Data Streams only: Firehose Direct PUT does not de-aggregate KPL records'],
    ['backoff order', flow(',"retryInitialBackoffMillis":500,"retryMaxBackoffMillis":100'), 'flows[0].retryMaxBackoffMillis: must be at least retryInitialBackoffMillis (500), got 100'],
    ['global range', `{"shutdownTimeoutMillis":-5,${flow('').slice(1)}`, 'shutdownTimeoutMillis: must be 0..600000, got -5'],
    ['endpoint', `{"kinesis.endpoint":"http://",${flow('').slice(1)}`, 'kinesis.endpoint: must be a URL or host name, got "http://"'],
    ['USINGPLUGGIN', flow(',"dataProcessingOptions":[{"optionName":"USINGPLUGGIN","className":"x.Y"}]'), 'flows[0].dataProcessingOptions[0].optionName: USINGPLUGGIN loads a Java class and cannot run in Shardline; remove it or use the built-in options'],
    ['option name', flow(',"dataProcessingOptions":[{"optionName":"singleline"}]'), 'flows[0].dataProcessingOptions[0].optionName: must be one of SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS, JSONPARSE, FILTER (case-sensitive), got "singleline"; did you mean SINGLELINE?'],
    ['option key', flow(',"dataProcessingOptions":[{"optionName":"LOGTOJSON","logFormat":"APACHE"}]'), 'flows[0].dataProcessingOptions[0].logFormat: must be one of COMMONAPACHELOG, COMBINEDAPACHELOG, APACHEERRORLOG, SYSLOG, RFC3339SYSLOG (case-sensitive), got "APACHE"'],
    ['option required key', flow(',"dataProcessingOptions":[{"optionName":"CSVTOJSON"}]'), 'flows[0].dataProcessingOptions[0].customFieldNames: is required by CSVTOJSON'],
    ['options not a list', flow(',"dataProcessingOptions":{"optionName":"SINGLELINE"}'), 'flows[0].dataProcessingOptions: must be a list of options ([{...}]), got an object'],
    ['untranslatable Java regex', flow(',"dataProcessingOptions":[{"optionName":"LOGTOJSON","logFormat":"SYSLOG","matchPattern":"(a*+)","customFieldNames":["x"]}]'), /^flows\[0\]\.dataProcessingOptions\[0\]\.matchPattern: .*possessive/],
    ['groups and field names that cannot fit', flow(',"dataProcessingOptions":[{"optionName":"LOGTOJSON","logFormat":"SYSLOG","matchPattern":"(a)(b)","customFieldNames":["x"]}]'), 'flows[0].dataProcessingOptions[0].customFieldNames: names 1 field(s) but matchPattern has 2 capturing group(s): every line would be skipped'],
    ['renamed built-in fields of the wrong count', flow(',"dataProcessingOptions":[{"optionName":"LOGTOJSON","logFormat":"SYSLOG","customFieldNames":["a"]}]'), 'flows[0].dataProcessingOptions[0].customFieldNames: must rename all 5 fields of SYSLOG (timestamp, hostname, program, processid, message), got 1'],
    ['multiLineStartPattern with an atomic group', flow(',"multiLineStartPattern":"(?>x)"'), /^flows\[0\]\.multiLineStartPattern: .*atomic/],
    ['CSV quotes with a regex delimiter', flow(',"dataProcessingOptions":[{"optionName":"CSVTOJSON","customFieldNames":["a"],"quotes":true,"delimiter":"[,;]"}]'), /^flows\[0\]\.dataProcessingOptions\[0\]\.delimiter: with quotes, the delimiter must be one character/],
    ['FILTER without patterns', flow(',"dataProcessingOptions":[{"optionName":"FILTER"}]'), 'flows[0].dataProcessingOptions[0]: FILTER needs include or exclude'],
    ['trailing comma', '{"flows":[],}', 'line 1, column 13: JSON syntax error: property name expected'],
    ['not an object', '[1]', '(root): must be a JSON object ({"flows": [...]})'],
  ])('reports %s', (_name, text, expected) => {
    const result = validate(text);
    expect(result.ok).toBe(false);
    if (typeof expected === 'string') expect(result.lines).toContain(expected);
    else expect(result.lines.some((line) => expected.test(line)), result.lines.join('\n')).toBe(true);
  });

  it('lists every problem at once', () => {
    const result = validate('{"flows":[{"filePattern":"/a/*.log","kinesisStream":"s","maxBufferSizeRecords":900},{"filePattern":"/b/*.log","initialPosition":"HEAD","kinesisStream":"t"}],"shutdownTimeoutMillis":"soon"}');
    expect(result.lines.sort()).toEqual([
      'flows[0].maxBufferSizeRecords: must be 1..500, got 900',
      'flows[1].initialPosition: must be one of START_OF_FILE, END_OF_FILE (case-sensitive), got "HEAD"',
      'shutdownTimeoutMillis: must be an integer, got "soon"',
    ]);
  });

  it('allows // and /* */ comments; the last duplicate key wins', () => {
    const result = validate('// agent\n{ /* c */ "flows": [{"filePattern":"/a/*","kinesisStream":"s","maxBufferSizeRecords":1,"maxBufferSizeRecords":2}] }');
    expect(result.lines).toEqual([]);
    expect(result.config?.flows[0]?.maxBufferSizeRecords).toBe(2);
  });

  it('detects duplicate flows, across drop-ins too', () => {
    const result = validate(flow(''), [{ path: '/etc/aws-kinesis/agent.d/10-app.json', text: flow('') }]);
    expect(result.lines).toEqual(['/etc/aws-kinesis/agent.d/10-app.json: flows[0]: duplicate flow kinesis:s:/var/log/app/*.log: same destination and filePattern as /etc/aws-kinesis/agent.json flows[0]']);
  });

  it('appends drop-in flows after the main file, names their problems by file, and warns on their other keys', () => {
    const dropIn = { path: '/etc/aws-kinesis/agent.d/20-x.json', text: '{"kinesis.region":"x","flows":[{"filePattern":"/x/*","kinesisStream":"x"},{"filePattern":"/y/*","kinesisStream":"y","maxBufferAgeMillis":5}]}' };
    const result = validate(flow(''), [dropIn]);
    expect(result.lines).toEqual(['/etc/aws-kinesis/agent.d/20-x.json: flows[1].maxBufferAgeMillis: must be 1000..900000, got 5']);
    expect(result.warningLines).toContain('/etc/aws-kinesis/agent.d/20-x.json: kinesis.region: ignored: only "flows" is read from a drop-in (as in the Java agent)');
    const ok = validate(flow(''), [{ ...dropIn, text: '{"flows":[{"filePattern":"/x/*","kinesisStream":"x"}]}' }]);
    expect(ok.config?.flows.map((f) => f.streamName)).toEqual(['s', 'x']);
    expect(ok.origins).toEqual([{ file: MAIN, index: 0 }, { file: dropIn.path, index: 0 }]);
  });

  it('takes flows from drop-ins alone', () => {
    const result = validate('{}', [{ path: '/d/a.json', text: flow('') }]);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['unknown key with a suggestion', flow(',"maxBufferSizeRecord":5'), 'flows[0].maxBufferSizeRecord: unknown key, ignored (did you mean maxBufferSizeRecords?)'],
    ['unknown top-level key', `{"colour":"blue",${flow('').slice(1)}`, 'colour: unknown key, ignored'],
    ['legacy log key', `{"log.level":"DEBUG",${flow('').slice(1)}`, 'log.level: accepted for compatibility but has no effect: legacy logging key (ignored by the Java agent since 2018); use --log-level'],
    ['unknown option key', flow(',"dataProcessingOptions":[{"optionName":"SINGLELINE","parseOption":["NO_TRIM"]}]'), 'flows[0].dataProcessingOptions[0].parseOption: unknown key, ignored (did you mean parseOptions?)'],
    ['firehose-only key on a Streams flow', flow(',"aggregatedRecordSizeBytes":100'), 'flows[0].aggregatedRecordSizeBytes: applies to Firehose flows only; ignored'],
  ])('warns about %s without failing', (_name, text, expected) => {
    const result = validate(text);
    expect(result.lines).toEqual([]);
    expect(result.warningLines).toContain(expected);
  });
});
