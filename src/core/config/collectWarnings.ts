import { agentFields } from '../../shared/config/agentFields.js';
import { metaOf } from '../../shared/config/fields.js';
import { flowFields, FLOW_KEYS } from '../../shared/config/flowFields.js';
import { optionFields, OPTION_NAMES, type OptionName } from '../../shared/config/processingOptionSchema.js';
import { AGENT_KEYS } from '../../shared/config/agentConfigSchema.js';
import type { z } from 'zod';
import { closestKey } from './closestKey.js';
import type { ConfigProblem, FlowOrigin } from './configFile.js';

type Fields = Record<string, z.ZodType>;

/**
 * Warnings for keys that are unknown (the Java agent ignores them silently; Shardline names them,
 * with the nearest known key) and for keys that are accepted but have no effect.
 */
export function collectWarnings(root: Record<string, unknown>, flows: unknown[], origins: FlowOrigin[], mainFile: string): ConfigProblem[] {
  const warnings = checkKeys(root, AGENT_KEYS, agentFields, mainFile, '');
  flows.forEach((flow, i) => {
    const origin = origins[i] ?? { file: mainFile, index: i };
    if (!isObject(flow)) return;
    const at = `flows[${origin.index}]`;
    warnings.push(...checkKeys(flow, FLOW_KEYS, flowFields, origin.file, at));
    if (typeof flow['deliveryStream'] === 'string' && typeof flow['kinesisStream'] === 'string') {
      warnings.push({ file: origin.file, path: at, message: 'has both deliveryStream and kinesisStream: it is a Firehose flow and kinesisStream is ignored (as in the Java agent)' });
    }
    if (typeof flow['deliveryStream'] !== 'string' && flow['aggregatedRecordSizeBytes'] !== undefined) {
      warnings.push({ file: origin.file, path: `${at}.aggregatedRecordSizeBytes`, message: 'applies to Firehose flows only; ignored' });
    }
    const options = flow['dataProcessingOptions'];
    if (!Array.isArray(options)) return;
    options.forEach((option, j) => {
      if (!isObject(option) || !(OPTION_NAMES as readonly unknown[]).includes(option['optionName'])) return;
      const fields: Fields = optionFields[option['optionName'] as OptionName];
      warnings.push(...checkKeys(option, new Set(['optionName', ...Object.keys(fields)]), fields, origin.file, `${at}.dataProcessingOptions[${j}]`));
    });
  });
  return warnings;
}

function checkKeys(object: Record<string, unknown>, known: ReadonlySet<string>, fields: Fields, file: string, at: string): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  for (const key of Object.keys(object)) {
    const path = at === '' ? key : `${at}.${key}`;
    if (!known.has(key)) {
      const near = closestKey(key, known);
      warnings.push({ file, path, message: `unknown key, ignored${near === undefined ? '' : ` (did you mean ${near}?)`}` });
      continue;
    }
    const schema = fields[key];
    const ignored = schema === undefined ? undefined : metaOf(schema)?.ignored;
    if (ignored !== undefined) warnings.push({ file, path, message: `accepted for compatibility but has no effect: ${ignored}` });
  }
  return warnings;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
