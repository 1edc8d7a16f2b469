import type { FieldMeta } from '../../../src/shared/config/fieldMeta.js';

export type FieldKind = FieldMeta['kind'];

/**
 * How a raw config value shows in a text field. Values keep the form they were written in
 * (`"500"` and `500` both show `500`; the raw form is only replaced when the user edits the text).
 */
export function fieldText(raw: unknown, kind: FieldKind): string {
  if (raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (kind === 'list' && Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw.join(', ');
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw, null, kind === 'json' ? 2 : undefined);
}

export type ParsedText = { ok: true; value: unknown } | { ok: false; message: string };

const INTEGER_TEXT = /^-?\d+$/;

/**
 * The raw value for text the user typed. Anything the schema could reject is kept as typed (a
 * non-numeric integer stays a string) so the shared schema reports it in its own words; only JSON
 * that does not parse is refused here, since it has no raw form at all.
 */
export function parseFieldText(text: string, kind: FieldKind): ParsedText {
  switch (kind) {
    case 'integer': {
      const trimmed = text.trim();
      return { ok: true, value: INTEGER_TEXT.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : text };
    }
    case 'boolean':
      return { ok: true, value: text === 'true' ? true : text === 'false' ? false : text };
    case 'list':
      return { ok: true, value: text.split(',').map((v) => v.trim()).filter((v) => v !== '') };
    case 'json':
    case 'object':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: 'must be valid JSON' };
      }
    default:
      return { ok: true, value: text };
  }
}
