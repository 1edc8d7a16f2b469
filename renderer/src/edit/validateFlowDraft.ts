import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import { flowSchema } from '../../../src/shared/config/flowSchema.js';

export interface DraftProblems {
  /** Messages about a top-level key, by key. */
  byKey: Map<string, string[]>;
  /** Messages about a processing option's key, by `index` then key (`''` for the option itself). */
  byOption: Map<number, Map<string, string[]>>;
  /** Messages about the flow as a whole (no destination, …). */
  general: string[];
  count: number;
}

/**
 * Validates a draft flow with the daemon's own schema, in the browser, as the user types. The
 * daemon validates the whole document again (`POST /api/v1/config/validate`) and has the last word.
 */
export function validateFlowDraft(flow: RawObject): DraftProblems {
  const problems: DraftProblems = { byKey: new Map(), byOption: new Map(), general: [], count: 0 };
  const result = flowSchema.safeParse(flow);
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    problems.count++;
    const [head, index, optionKey] = issue.path;
    if (head === 'dataProcessingOptions' && typeof index === 'number') {
      const option = problems.byOption.get(index) ?? new Map<string, string[]>();
      push(option, typeof optionKey === 'string' ? optionKey : '', issue.message);
      problems.byOption.set(index, option);
    } else if (typeof head === 'string') {
      push(problems.byKey, head, issue.message);
    } else {
      problems.general.push(issue.message);
    }
  }
  return problems;
}

function push(map: Map<string, string[]>, key: string, message: string): void {
  map.set(key, [...(map.get(key) ?? []), message]);
}
