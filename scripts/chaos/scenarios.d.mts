// Types of scenarios.mjs, for test/integration/chaos.test.ts (the scripts are plain ESM).
import type { ChaosEndpoint } from './endpointClient.mjs';

export interface ChaosRow {
  scenario: string;
  written?: number;
  delivered?: number;
  lost?: number;
  duplicated?: number;
  peakRssMB?: number;
  verdict: 'PASS' | 'WARN' | 'FAIL' | 'SKIP';
  failures: string[];
  warnings?: string[];
  notes: string[];
  seconds?: number;
}

export interface ChaosScenario {
  id: string;
  title: string;
  requires?: { ok: boolean; why: string };
  long: Record<string, number>;
  quick: Record<string, number>;
  limitMillis: { long: number; quick: number };
  run(ctx: unknown, params: Record<string, number>): Promise<ChaosRow[]>;
}

export const SCENARIOS: ChaosScenario[];

export function runScenario(
  scenario: ChaosScenario,
  options: { quick: boolean; endpoint: ChaosEndpoint; seed: number; log?: (line: string) => void },
): Promise<ChaosRow[]>;
