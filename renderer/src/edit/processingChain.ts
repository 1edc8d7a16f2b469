import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import type { OptionName } from '../../../src/shared/config/processingOptionSchema.js';

/**
 * One entry of the dataProcessingOptions chain being edited. `original` is the entry as loaded (so
 * edits to it keep its other keys and value forms, wherever it moves in the chain); `uid` keys it
 * in the list across reorders.
 */
export interface ChainItem {
  uid: number;
  original: RawObject | undefined;
  draft: RawObject;
}

let nextUid = 1;

/** The chain of a raw flow; entries that are not objects are kept as written (the schema reports them). */
export function chainItems(rawOptions: unknown): ChainItem[] {
  if (!Array.isArray(rawOptions)) return [];
  return rawOptions.map((entry: unknown) => {
    const object = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as RawObject) : { optionName: entry };
    return { uid: nextUid++, original: object, draft: object };
  });
}

export function addOption(items: readonly ChainItem[], optionName: OptionName): ChainItem[] {
  return [...items, { uid: nextUid++, original: undefined, draft: { optionName } }];
}

export function removeOption(items: readonly ChainItem[], index: number): ChainItem[] {
  return items.filter((_, i) => i !== index);
}

/** Moves an entry up (`-1`) or down (`+1`); out-of-range moves change nothing. */
export function moveOption(items: readonly ChainItem[], index: number, delta: -1 | 1): ChainItem[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const copy = [...items];
  [copy[index], copy[target]] = [copy[target]!, copy[index]!];
  return copy;
}

/** Replaces the draft of one entry (after a parameter edit in its form). */
export function replaceOptionDraft(items: readonly ChainItem[], uid: number, draft: RawObject): ChainItem[] {
  return items.map((it) => (it.uid === uid ? { ...it, draft } : it));
}

/**
 * The raw `dataProcessingOptions` for the chain: the original list itself when nothing changed
 * (so a list the UI cannot even read is saved as it was), `undefined` to leave the key out.
 */
export function chainToRaw(originalRaw: unknown, items: readonly ChainItem[]): unknown {
  const original = Array.isArray(originalRaw) ? (originalRaw as unknown[]) : undefined;
  const unchanged = original !== undefined && original.length === items.length && items.every((it, i) => it.draft === it.original && sameEntry(original[i], it.original));
  if (unchanged) return originalRaw;
  if (items.length === 0 && originalRaw === undefined) return undefined;
  return items.map((it) => it.draft);
}

function sameEntry(entry: unknown, original: RawObject | undefined): boolean {
  return entry === original || (typeof entry !== 'object' && original !== undefined && original['optionName'] === entry);
}
