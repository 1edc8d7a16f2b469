// Types of endpointClient.mjs, for test/integration/chaos.test.ts (the scripts are plain ESM).
export interface EndpointMode {
  kind: 'ok' | 'refuse' | 'reset' | 'error' | 'throttle' | 'lostAnswers' | 'latency';
  status?: number;
  errorType?: string;
  fraction?: number;
  millis?: number;
}

export interface OtherRecord {
  data?: Uint8Array;
  length: number;
  sha1: string;
  partitionKey?: string;
  at: number;
}

export interface ChaosEndpoint {
  url: string;
  port: number;
  pid: number;
  mode(mode: EndpointMode): Promise<unknown>;
  stream(name: string, options?: { light?: boolean; checkEvery?: number; meanBody?: number }): Promise<unknown>;
  kill(stream: string, checkpointMs: number): Promise<unknown>;
  stats(stream: string): Promise<Record<string, number>>;
  tally(stream: string, expected: [number, number][]): Promise<Record<string, unknown>>;
  others(stream: string): Promise<OtherRecord[]>;
  drop(stream: string): Promise<unknown>;
  close(): Promise<void>;
}

export function startEndpoint(): Promise<ChaosEndpoint>;
