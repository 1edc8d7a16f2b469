import type { z } from 'zod';
import { agentConfigSchema, type AgentConfig } from '../../shared/config/agentConfigSchema.js';
import { checkProcessing } from './checkProcessing.js';
import { collectWarnings, isObject } from './collectWarnings.js';
import type { ConfigFile, ConfigProblem, FlowOrigin } from './configFile.js';
import { parseJsonc } from './parseJsonc.js';

export interface ValidatedConfig {
  ok: boolean;
  config?: AgentConfig;
  /** Where each flow came from, parallel to `config.flows`. */
  origins: FlowOrigin[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

/**
 * Validates agent.json and its agent.d/ drop-ins (reference §1.1): the drop-ins' flows are appended
 * after the main file's, in the order given. Every problem is reported at once, each with its file
 * and JSON path.
 */
export function validateConfig(main: ConfigFile, dropIns: readonly ConfigFile[] = []): ValidatedConfig {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const root = parseFile(main, problems);
  const flows: unknown[] = [];
  const origins: FlowOrigin[] = [];
  if (isObject(root) && root['flows'] !== undefined) {
    if (Array.isArray(root['flows'])) {
      root['flows'].forEach((flow, index) => { flows.push(flow); origins.push({ file: main.path, index }); });
    }
  } else if (root !== undefined && !isObject(root)) {
    problems.push({ file: main.path, path: '', message: 'must be a JSON object ({"flows": [...]})' });
  }
  for (const dropIn of dropIns) {
    const value = parseFile(dropIn, problems);
    if (value === undefined) continue;
    if (!isObject(value) || !Array.isArray(value['flows'])) {
      problems.push({ file: dropIn.path, path: 'flows', message: 'a drop-in must be an object with a "flows" list' });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key !== 'flows') warnings.push({ file: dropIn.path, path: key, message: 'ignored: only "flows" is read from a drop-in (as in the Java agent)' });
    }
    value['flows'].forEach((flow, index) => { flows.push(flow); origins.push({ file: dropIn.path, index }); });
  }
  if (problems.length > 0 || !isObject(root)) return { ok: false, origins, problems, warnings };

  const merged = { ...root, flows: Array.isArray(root['flows']) || flows.length > 0 ? flows : root['flows'] };
  warnings.push(...collectWarnings(root, flows, origins, main.path));
  const result = agentConfigSchema.safeParse(merged);
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => toProblem(issue, origins, main.path)));
    return { ok: false, origins, problems, warnings };
  }
  problems.push(...findDuplicateFlows(result.data, origins, main.path));
  problems.push(...checkProcessing(result.data, origins, main.path));
  return { ok: problems.length === 0, config: result.data, origins, problems, warnings };
}

function parseFile(file: ConfigFile, problems: ConfigProblem[]): unknown {
  const { value, problems: syntax } = parseJsonc(file.text);
  if (syntax.length === 0) return value;
  for (const p of syntax) problems.push({ file: file.path, path: `line ${p.line}, column ${p.column}`, message: p.message });
  return undefined;
}

function toProblem(issue: z.core.$ZodIssue, origins: FlowOrigin[], mainFile: string): ConfigProblem {
  const [head, index, ...rest] = issue.path;
  if (head === 'flows' && typeof index === 'number') {
    const origin = origins[index] ?? { file: mainFile, index };
    return { file: origin.file, path: formatPath(['flows', origin.index, ...rest]), message: issue.message };
  }
  return { file: mainFile, path: formatPath(issue.path), message: issue.message };
}

/** `['flows', 1, 'x']` → `flows[1].x`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? String(part) : `${text}.${String(part)}`;
  }, '');
}

function findDuplicateFlows(config: AgentConfig, origins: FlowOrigin[], mainFile: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  config.flows.forEach((flow, i) => {
    const first = seen.get(flow.key);
    const origin = origins[i] ?? { file: mainFile, index: i };
    if (first === undefined) {
      seen.set(flow.key, i);
      return;
    }
    const other = origins[first] ?? { file: mainFile, index: first };
    const where = other.file === origin.file ? `flows[${other.index}]` : `${other.file} flows[${other.index}]`;
    problems.push({ file: origin.file, path: `flows[${origin.index}]`, message: `duplicate flow ${flow.id}: same destination and filePattern as ${where}` });
  });
  return problems;
}
