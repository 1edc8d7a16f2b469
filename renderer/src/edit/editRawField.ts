import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import { fieldText, parseFieldText, type FieldKind } from './fieldText.js';

export type RawEdit = { ok: true; draft: RawObject } | { ok: false; message: string };

/**
 * Applies text typed in a field to the draft of a raw object, preserving everything else as
 * written (DESIGN §10): other keys are untouched (unknown ones included), text equal to the
 * original's shows the original value back in its original form (`"true"` stays a string), and an
 * emptied field removes the key so the default applies.
 */
export function editRawField(original: RawObject, draft: RawObject, key: string, text: string, kind: FieldKind): RawEdit {
  if (Object.hasOwn(original, key) && text === fieldText(original[key], kind)) {
    return { ok: true, draft: { ...draft, [key]: original[key] } };
  }
  if (text.trim() === '' && kind !== 'string' && kind !== 'regex') return { ok: true, draft: withoutKey(draft, key) };
  if (text === '') return { ok: true, draft: withoutKey(draft, key) };
  const parsed = parseFieldText(text, kind);
  if (!parsed.ok) return parsed;
  return { ok: true, draft: { ...draft, [key]: parsed.value } };
}

/** Sets a value chosen from a list (a select); `undefined` removes the key so the default applies. */
export function setRawValue(draft: RawObject, key: string, value: unknown): RawObject {
  return value === undefined ? withoutKey(draft, key) : { ...draft, [key]: value };
}

export function withoutKey(object: RawObject, key: string): RawObject {
  if (!Object.hasOwn(object, key)) return object;
  const copy = { ...object };
  delete copy[key];
  return copy;
}
