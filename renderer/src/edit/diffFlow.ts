import type { RawObject } from '../../../src/shared/control/controllerApi.js';

export interface DiffEntry {
  key: string;
  change: 'added' | 'removed' | 'changed';
  /** The values as JSON text, as they will be written to the file. */
  before?: string;
  after?: string;
}

/**
 * What saving will change, key by key: the old raw flow against the new one. Values are compared
 * as JSON text, so `"500"` → `500` shows as a change (the file will differ) while key order does
 * not. Keys come in the old flow's order, then the new keys in the order they were added.
 */
export function diffFlow(before: RawObject, after: RawObject): DiffEntry[] {
  const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.hasOwn(before, k))];
  const entries: DiffEntry[] = [];
  for (const key of keys) {
    const had = Object.hasOwn(before, key) && before[key] !== undefined;
    const has = Object.hasOwn(after, key) && after[key] !== undefined;
    const old = had ? show(before[key]) : undefined;
    const now = has ? show(after[key]) : undefined;
    if (old === now) continue;
    if (old === undefined) entries.push({ key, change: 'added', after: now! });
    else if (now === undefined) entries.push({ key, change: 'removed', before: old });
    else entries.push({ key, change: 'changed', before: old, after: now });
  }
  return entries;
}

function show(value: unknown): string {
  const compact = JSON.stringify(value);
  // Lists of processing options read better one entry per line.
  return compact.length > 60 && typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : compact;
}
