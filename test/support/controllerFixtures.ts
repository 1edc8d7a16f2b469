import {
  agentStatusSchema, flowStatusSchema, type AgentStatus, type FlowCounters, type FlowGauges, type FlowStatus,
} from '../../src/shared/stats/flowStatus.js';
import type {
  ApplyResult, ConfigDocument, ConfigView, FlowEdit, LogEvent, PreviewResult, TrackedFileView, ValidationResult,
} from '../../src/shared/control/controllerApi.js';
import type { IpcMethod } from '../../src/shared/control/ipcContract.js';

/**
 * Values of the control contract for unit tests of the tray app (tray model, agent process, IPC
 * handlers, preload bridge, renderer client). Statuses have every required field and are parsed with
 * the shared schema, so a fixture that no longer matches the contract fails loudly instead of
 * testing a shape the agent never sends.
 */

export function zeroCounters(overrides: Partial<FlowCounters> = {}): FlowCounters {
  return {
    linesRead: 0, bytesRead: 0, recordsSent: 0, bytesSent: 0, recordsSkipped: 0, skipped: {}, recordsTruncated: 0, recordsProcessed: 0,
    processingErrors: 0, partitionKeyFallbacks: 0, recordsFailed: 0, failed: {}, throttled: 0, retries: 0, requests: 0, requestErrors: 0,
    deadLettered: 0, recordsCompressed: 0, bytesBeforeCompression: 0, bytesAfterCompression: 0, filesOpened: 0, filesReleased: 0,
    rotationsFollowed: 0, truncations: 0, bytesAbandoned: 0, ...overrides,
  };
}

export function zeroGauges(overrides: Partial<FlowGauges> = {}): FlowGauges {
  return { lagBytes: 0, filesTracked: 0, filesOpen: 0, heldBytes: 0, inFlightBytes: 0, inFlightRecords: 0, concurrency: 1, ...overrides };
}

/** A Kinesis flow on `stream` reading `/var/log/<stream>/*.log`; `overrides` replace any field. */
export function flowStatus(stream: string, overrides: Partial<FlowStatus> = {}): FlowStatus {
  const filePattern = overrides.filePattern ?? `/var/log/${stream}/*.log`;
  const id = overrides.id ?? `kinesis:${stream}:${filePattern}`;
  return flowStatusSchema.parse({
    key: id,
    id,
    name: id,
    type: 'kinesis',
    streamName: stream,
    filePattern,
    state: 'running',
    warnings: [],
    counters: zeroCounters(),
    gauges: zeroGauges(),
    putLatency: { boundsMillis: [10, 50, 100, 500], counts: [0, 0, 0, 0, 0], sumMillis: 0, count: 0 },
    ...overrides,
  });
}

export function agentStatus(flows: FlowStatus[] = [], overrides: Partial<Omit<AgentStatus, 'flows'>> = {}): AgentStatus {
  return agentStatusSchema.parse({ version: '0.1.0', pid: 4242, startedAt: '2026-11-22T07:00:00.000Z', uptimeMillis: 61_000, flows, ...overrides });
}

/**
 * One valid call of each IPC method (its arguments as sent, the arguments after the shared schema's
 * defaults, and a reply matching its schema), for tests of the IPC layers (main handlers, preload
 * bridge, renderer client).
 */

export const FLOW_ID = 'kinesis:app:/var/log/app/*.log';
const FILE = '/etc/shardline/agent.json';

export const documentFixture: ConfigDocument = { files: [{ path: FILE, content: { flows: [{ filePattern: '/var/log/app/*.log', kinesisStream: 'app' }] } }] };
export const editFixture: FlowEdit = { flow: { filePattern: '/var/log/app/*.log', kinesisStream: 'app', maxBufferAgeMillis: 1000 } };

export const configViewFixture: ConfigView = {
  mainFile: FILE,
  files: [{ path: FILE, main: true, writable: true, hasComments: false, content: documentFixture.files[0]!.content }],
  flows: [{ id: FLOW_ID, file: FILE, index: 0, raw: { filePattern: '/var/log/app/*.log', kinesisStream: 'app' } }],
  problems: [],
  warnings: [],
};
export const validationFixture: ValidationResult = { ok: false, problems: [{ file: FILE, path: 'flows[0].kinesisStream', message: 'Required' }], warnings: [] };
export const applyFixture: ApplyResult = { ok: true, problems: [], warnings: [], added: [], removed: [], restarted: [FLOW_ID], unchanged: [], saved: [{ path: FILE, backup: `${FILE}.bak` }] };
export const previewFixture: PreviewResult = { ok: true, file: '/var/log/app/a.log', items: [{ input: 'a=1', output: '{"a":"1"}\n', partitionKey: 'k' }, { input: '#', skipped: 'FILTER' }], problems: [] };
export const filesFixture: TrackedFileView[] = [{ path: '/var/log/app/a.log', key: 'k1', dev: '64768', ino: '18446744073709551615', fingerprint: 'f1', offset: 10, size: 20, lagBytes: 10, state: 'reading' }];
export const logsFixture: LogEvent[] = [{ time: '2026-11-22T07:00:01.000Z', level: 'warn', message: 'throttled', flow: FLOW_ID }];
export const statusFixture = agentStatus([flowStatus('app', { id: FLOW_ID, name: FLOW_ID, filePattern: '/var/log/app/*.log' })]);

export interface MethodFixture {
  method: IpcMethod;
  /** As the caller passes them. */
  args: unknown[];
  /** After the schema (defaults filled in, unknown keys dropped). */
  parsed: unknown[];
  reply: unknown;
}

export const METHOD_FIXTURES: MethodFixture[] = [
  { method: 'status', args: [], parsed: [], reply: statusFixture },
  { method: 'getConfig', args: [], parsed: [], reply: configViewFixture },
  { method: 'validateConfig', args: [documentFixture], parsed: [documentFixture], reply: validationFixture },
  { method: 'applyConfig', args: [{ ...documentFixture, unknownKey: 1 }], parsed: [documentFixture], reply: applyFixture },
  { method: 'addFlow', args: [{ ...editFixture, file: '/etc/shardline/agent.d/app.json' }], parsed: [{ ...editFixture, file: '/etc/shardline/agent.d/app.json' }], reply: applyFixture },
  { method: 'updateFlow', args: [FLOW_ID, editFixture], parsed: [FLOW_ID, editFixture], reply: applyFixture },
  { method: 'removeFlow', args: [FLOW_ID], parsed: [FLOW_ID], reply: applyFixture },
  { method: 'pauseFlow', args: [FLOW_ID], parsed: [FLOW_ID], reply: statusFixture },
  { method: 'resumeFlow', args: [FLOW_ID], parsed: [FLOW_ID], reply: statusFixture },
  { method: 'preview', args: [{ flow: editFixture.flow, sample: ['a=1', '#'] }], parsed: [{ flow: editFixture.flow, sample: ['a=1', '#'], lines: 20 }], reply: previewFixture },
  { method: 'files', args: [FLOW_ID], parsed: [FLOW_ID], reply: filesFixture },
  { method: 'logs', args: [{ level: 'warn' }], parsed: [{ level: 'warn', limit: 200 }], reply: logsFixture },
];

/** Arguments each method must refuse. */
export const INVALID_ARGS: { method: IpcMethod; args: unknown[]; why: string }[] = [
  { method: 'status', args: [1], why: 'an extra argument' },
  { method: 'getConfig', args: ['/etc/passwd'], why: 'an extra argument' },
  { method: 'validateConfig', args: [], why: 'no document' },
  { method: 'validateConfig', args: [{}], why: 'no files' },
  { method: 'validateConfig', args: [{ files: [{ path: 1, content: {} }] }], why: 'a numeric path' },
  { method: 'applyConfig', args: [null], why: 'null' },
  { method: 'applyConfig', args: [{ files: 'agent.json' }], why: 'files not an array' },
  { method: 'applyConfig', args: [{ files: [{ path: FILE, content: [] }] }], why: 'content not an object' },
  { method: 'addFlow', args: [{}], why: 'no flow' },
  { method: 'addFlow', args: [{ flow: 'x' }], why: 'flow not an object' },
  { method: 'addFlow', args: [{ flow: {}, file: 5 }], why: 'a numeric file' },
  { method: 'updateFlow', args: [FLOW_ID], why: 'no edit' },
  { method: 'updateFlow', args: ['', editFixture], why: 'an empty id' },
  { method: 'updateFlow', args: [editFixture, FLOW_ID], why: 'arguments swapped' },
  { method: 'removeFlow', args: [''], why: 'an empty id' },
  { method: 'removeFlow', args: ['x'.repeat(4097)], why: 'an id over 4096 characters' },
  { method: 'removeFlow', args: [42], why: 'a numeric id' },
  { method: 'pauseFlow', args: [42], why: 'a numeric id' },
  { method: 'pauseFlow', args: [], why: 'no id' },
  { method: 'pauseFlow', args: [{ id: FLOW_ID }], why: 'an object id' },
  { method: 'pauseFlow', args: [''], why: 'an empty id' },
  { method: 'pauseFlow', args: [FLOW_ID, 'extra'], why: 'an extra argument' },
  { method: 'resumeFlow', args: [null], why: 'null' },
  { method: 'preview', args: [{ flow: {}, lines: 5000 }], why: 'lines over 1000' },
  { method: 'preview', args: [{ flow: {}, lines: 0 }], why: 'lines 0' },
  { method: 'preview', args: [{ flow: {}, lines: 1.5 }], why: 'fractional lines' },
  { method: 'preview', args: [{ flow: {}, sample: Array.from({ length: 1001 }, () => 'x') }], why: 'a sample over 1000 lines' },
  { method: 'preview', args: [{ sample: ['x'] }], why: 'no flow' },
  { method: 'files', args: [undefined], why: 'undefined' },
  { method: 'logs', args: [], why: 'no query' },
  { method: 'logs', args: [{ limit: 0 }], why: 'limit 0' },
  { method: 'logs', args: [{ limit: 1001 }], why: 'limit over 1000' },
  { method: 'logs', args: [{ level: 'trace' }], why: 'an unknown level' },
];

/** Replies that are envelopes but whose value does not match the method's schema. */
export const WRONG_REPLIES: { method: IpcMethod; value: unknown }[] = [
  { method: 'status', value: { ...statusFixture, pid: 'x' } },
  { method: 'status', value: { flows: [] } },
  { method: 'getConfig', value: { mainFile: FILE } },
  { method: 'applyConfig', value: { ...applyFixture, saved: 'yes' } },
  { method: 'pauseFlow', value: { ...statusFixture, flows: [{ ...statusFixture.flows[0], state: 'sleeping' }] } },
  { method: 'files', value: { path: '/x' } },
  { method: 'logs', value: [{ time: 't', level: 'verbose', message: 'm' }] },
  { method: 'preview', value: null },
];
