import { z } from 'zod';
import { coerceBoolean, coerceEnum, coerceInteger, coerceString, show, type Coerced } from './coerce.js';
import { configRegistry, type FieldMeta } from './fieldMeta.js';

/**
 * Builders for config keys. Each takes the raw JSON value as written, applies the Java agent's
 * coercion rules, reports a message naming what is wrong, and registers the key's metadata.
 * A key that is absent takes its default (or stays undefined when it has none).
 */
type Meta = Omit<FieldMeta, 'kind'>;

export function customField<T>(kind: FieldMeta['kind'], meta: Meta, coerce: (raw: unknown) => Coerced<T>): Optional<T> {
  const schema = z.unknown().optional().transform((raw, ctx): T | undefined => {
    if (raw === undefined) return meta.default as T | undefined;
    const result = coerce(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, input: raw });
    return z.NEVER;
  });
  schema.register(configRegistry, { kind, ...meta });
  return schema;
}

/** A key that always has a value (it has a default). */
export type Defaulted<T> = z.ZodType<T, unknown>;
/** A key that may be absent. */
export type Optional<T> = z.ZodType<T | undefined, unknown>;

export function integerField(meta: Meta & { default: number }): Defaulted<number>;
export function integerField(meta: Meta): Optional<number>;
export function integerField(meta: Meta): Optional<number> {
  return customField('integer', meta, (raw) => coerceInteger(raw, meta.min, meta.max));
}

export function booleanField(meta: Meta & { default: boolean }): Defaulted<boolean>;
export function booleanField(meta: Meta): Optional<boolean>;
export function booleanField(meta: Meta): Optional<boolean> {
  return customField('boolean', meta, coerceBoolean);
}

export function enumField<T extends string>(values: readonly T[], meta: Meta & { default: T }): Defaulted<T>;
export function enumField<T extends string>(values: readonly T[], meta: Meta): Optional<T>;
export function enumField<T extends string>(values: readonly T[], meta: Meta): Optional<T> {
  return customField('enum', { ...meta, values }, (raw) => coerceEnum(raw, values));
}

export function stringField(meta: Meta & { default: string }): Defaulted<string>;
export function stringField(meta: Meta & { nonEmpty?: boolean }): Optional<string>;
export function stringField(meta: Meta & { nonEmpty?: boolean }): Optional<string> {
  const { nonEmpty, ...rest } = meta;
  return customField('string', rest, (raw) => {
    const result = coerceString(raw);
    if (result.ok && nonEmpty === true && result.value.length === 0) return { ok: false, message: 'must not be empty' };
    return result;
  });
}

/** Secrets are strings that are never logged nor sent to the UI. */
export function secretField(meta: Meta): Optional<string> {
  return customField('secret', meta, coerceString);
}

/**
 * An endpoint URL, with or without scheme. An empty string means unset: the stock Java
 * agent.json ships `"kinesis.endpoint": ""`.
 */
export function endpointField(meta: Meta): Optional<string> {
  return customField('endpoint', meta, (raw): Coerced<string | undefined> => {
    const result = coerceString(raw);
    if (!result.ok) return result;
    const text = result.value.trim();
    if (text === '') return { ok: true, value: undefined };
    return isEndpoint(text) ? { ok: true, value: text } : { ok: false, message: `must be a URL or host name, got ${show(raw)}` };
  }) as Optional<string>;
}

function isEndpoint(text: string): boolean {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A Java regular expression. An empty string means unset, as in the Java agent
 * (`multiLineStartPattern: ""` gives the single-line splitter). Translation and checking of the
 * Java syntax happen where the pattern is compiled.
 */
export function regexField(meta: Meta): Optional<string> {
  return customField('regex', meta, (raw): Coerced<string | undefined> => {
    const result = coerceString(raw);
    if (!result.ok) return result;
    return { ok: true, value: result.value === '' ? undefined : result.value };
  }) as Optional<string>;
}

/** A list of non-empty strings (field names). */
export function stringListField(meta: Meta): Optional<string[]> {
  return customField('list', meta, (raw): Coerced<string[]> => {
    if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
      return { ok: false, message: `must be a list of strings, got ${show(raw)}` };
    }
    return { ok: true, value: raw as string[] };
  });
}

/** Any JSON value, kept as written (ADDMETADATA's `metadata`). */
export function jsonField(meta: Meta): Optional<unknown> {
  return customField('json', meta, (raw) => ({ ok: true, value: raw }));
}

/** A key the Java agent had but Shardline ignores on purpose; it warns instead of failing. */
export function ignoredField(meta: Meta & { ignored: string }): Optional<unknown> {
  return customField('json', meta, (raw) => ({ ok: true, value: raw }));
}

export function metaOf(schema: z.ZodType): FieldMeta | undefined {
  return configRegistry.get(schema);
}
