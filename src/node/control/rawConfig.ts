import type { RawObject } from '../../shared/control/controllerApi.js';

/** What a secret looks like to the UI; sent back unchanged, it means "keep the secret". */
export const SECRET_MASK = '********';

/** Keys whose values never leave the agent (global and per flow). */
const SECRET_KEYS = new Set(['awsAccessKeyId', 'awsSecretAccessKey', 'assumeRoleExternalId']);

/** A copy of a config object with every secret value replaced by the mask (flows included). */
export function maskSecrets(content: RawObject): RawObject {
  const masked: RawObject = {};
  for (const [key, value] of Object.entries(content)) {
    if (SECRET_KEYS.has(key) && typeof value === 'string' && value !== '') masked[key] = SECRET_MASK;
    else if (key === 'flows' && Array.isArray(value)) masked[key] = value.map((flow) => (isObject(flow) ? maskSecrets(flow) : flow));
    else masked[key] = value;
  }
  return masked;
}

/** The Java flow id of a raw flow object (`kinesis:<stream>:<pattern>` / `fh:<stream>:<pattern>`). */
export function rawFlowId(raw: RawObject): string {
  const firehose = typeof raw['deliveryStream'] === 'string' && raw['deliveryStream'] !== '';
  const stream = firehose ? raw['deliveryStream'] : raw['kinesisStream'];
  return `${firehose ? 'fh' : 'kinesis'}:${String(stream ?? '')}:${String(raw['filePattern'] ?? '')}`;
}

/**
 * The content to save when the UI sends `next` for a file holding `previous`: a masked secret
 * stands for the secret already there; a value equal to the written one (`"true"` and `true`,
 * `"1000"` and `1000`) keeps its written form; keys are kept in their written order. Flows are
 * matched by id, processing options by position.
 */
export function mergeEdits(previous: RawObject, next: RawObject): RawObject {
  const merged: RawObject = {};
  for (const [key, value] of Object.entries(next)) {
    const old = previous[key];
    if (key === 'flows' && Array.isArray(value) && Array.isArray(old)) {
      const oldById = new Map(old.filter(isObject).map((flow) => [rawFlowId(flow), flow]));
      merged[key] = value.map((flow) => (isObject(flow) ? mergeEdits(oldById.get(rawFlowId(flow)) ?? {}, flow) : flow));
    } else if (key === 'dataProcessingOptions' && Array.isArray(value) && Array.isArray(old)) {
      merged[key] = value.map((option, i) => (isObject(option) && isObject(old[i]) ? mergeEdits(old[i] as RawObject, option) : option));
    } else if (value === SECRET_MASK && SECRET_KEYS.has(key)) {
      if (old !== undefined) merged[key] = old;
    } else {
      merged[key] = old !== undefined && sameValue(old, value) ? old : value;
    }
  }
  return merged;
}

/** Equal as the config loader reads them (Java coercion: numbers and booleans may be strings). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|yes|t|y|1)$/i.test(v.trim()) ? true : typeof v === 'string' && /^(false|no|f|n|0)$/i.test(v.trim()) ? false : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined);
  if (typeof a === 'boolean' || typeof b === 'boolean') return bool(a) !== undefined && bool(a) === bool(b);
  if (typeof a === 'number' || typeof b === 'number') return num(a) !== undefined && num(a) === num(b);
  return false;
}

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
