import type { z } from 'zod';
import type { FieldMeta } from '../../../src/shared/config/fieldMeta.js';
import { metaOf } from '../../../src/shared/config/fields.js';
import { flowFields } from '../../../src/shared/config/flowFields.js';
import type { DestinationType } from '../../../src/shared/config/flowSchema.js';
import { optionFields, type OptionName } from '../../../src/shared/config/processingOptionSchema.js';
import { STREAM_KEYS } from './destination.js';

/** One form field, generated from the shared schema's metadata (DESIGN §10). */
export interface FieldSpec {
  key: string;
  meta: FieldMeta;
}

function specsOf(fields: Record<string, z.ZodType>): FieldSpec[] {
  return Object.entries(fields).flatMap(([key, schema]) => {
    const meta = metaOf(schema);
    return meta === undefined ? [] : [{ key, meta }];
  });
}

const FLOW_SPECS = specsOf(flowFields);
/** Shown first, above the grouped keys: what the flow reads and where it sends. */
const HEAD_KEYS: readonly string[] = ['name', 'filePattern'];
const STREAM_KEY_SET: ReadonlySet<string> = new Set(Object.values(STREAM_KEYS));

export interface FlowFieldGroups {
  head: FieldSpec[];
  /** Keys of the Amazon Kinesis Agent (Java), same meaning. */
  java: FieldSpec[];
  /** Keys new in Shardline (★). */
  shardline: FieldSpec[];
  /** Accepted for compatibility, no effect. */
  ignored: FieldSpec[];
  /** Keys of the other destination type: hidden unless the flow sets them. */
  otherDestination: FieldSpec[];
}

export function flowFieldGroups(type: DestinationType): FlowFieldGroups {
  const groups: FlowFieldGroups = { head: [], java: [], shardline: [], ignored: [], otherDestination: [] };
  for (const spec of FLOW_SPECS) {
    if (STREAM_KEY_SET.has(spec.key)) continue;
    if (HEAD_KEYS.includes(spec.key)) groups.head.push(spec);
    else if (spec.meta.appliesTo !== undefined && spec.meta.appliesTo !== type) groups.otherDestination.push(spec);
    else if (spec.meta.ignored !== undefined) groups.ignored.push(spec);
    else groups[spec.meta.origin].push(spec);
  }
  return groups;
}

export function flowFieldSpec(key: string): FieldSpec | undefined {
  return FLOW_SPECS.find((spec) => spec.key === key);
}

/** Every key the form knows; anything else in a flow is kept as written and listed as such. */
export const KNOWN_FLOW_KEYS: ReadonlySet<string> = new Set([...FLOW_SPECS.map((s) => s.key), 'dataProcessingOptions']);

const OPTION_SPECS = Object.fromEntries(
  Object.entries(optionFields).map(([name, fields]) => [name, specsOf(fields as Record<string, z.ZodType>)]),
) as Record<OptionName, FieldSpec[]>;

export function optionParamSpecs(name: OptionName): FieldSpec[] {
  return OPTION_SPECS[name];
}
