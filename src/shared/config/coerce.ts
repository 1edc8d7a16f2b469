/**
 * Value coercion with the Java agent's rules (reference §1.1): numbers may be JSON numbers or
 * strings of digits (Guava `Ints.tryParse`, so "1.5" is rejected), booleans accept the words
 * true/yes/t/y/1 and false/no/f/n/0 in any case, enums are case-sensitive.
 */
export type Coerced<T> = { ok: true; value: T } | { ok: false; message: string };

const INTEGER_TEXT = /^-?\d+$/;
const TRUE_WORDS = new Set(['true', 'yes', 't', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n', '0']);

/** Renders a raw value the way an operator wrote it, for error messages. */
export function show(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'object') return 'an object';
  return String(raw);
}

export function coerceInteger(raw: unknown, min?: number, max?: number): Coerced<number> {
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string' && INTEGER_TEXT.test(raw)) {
    value = Number(raw);
  } else {
    return { ok: false, message: `must be an integer, got ${show(raw)}` };
  }
  if (!Number.isSafeInteger(value)) return { ok: false, message: `must be an integer, got ${show(raw)}` };
  const tooLow = min !== undefined && value < min;
  const tooHigh = max !== undefined && value > max;
  if (tooLow || tooHigh) return { ok: false, message: `${rangeText(min, max)}, got ${show(raw)}` };
  return { ok: true, value };
}

export function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `must be ${min}..${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  return `must be at most ${max ?? ''}`;
}

export function coerceBoolean(raw: unknown): Coerced<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (typeof raw === 'string') {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  return { ok: false, message: `must be true or false (or yes/no), got ${show(raw)}` };
}

export function coerceEnum<T extends string>(raw: unknown, values: readonly T[]): Coerced<T> {
  if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return { ok: true, value: raw as T };
  const hint = typeof raw === 'string' ? caseHint(raw, values) : '';
  return { ok: false, message: `must be one of ${values.join(', ')} (case-sensitive), got ${show(raw)}${hint}` };
}

function caseHint(raw: string, values: readonly string[]): string {
  const match = values.find((v) => v.toLowerCase() === raw.toLowerCase());
  return match === undefined ? '' : `; did you mean ${match}?`;
}

export function coerceString(raw: unknown): Coerced<string> {
  if (typeof raw === 'string') return { ok: true, value: raw };
  return { ok: false, message: `must be a string, got ${show(raw)}` };
}
