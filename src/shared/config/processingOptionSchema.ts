import { z } from 'zod';
import { coerceEnum, show } from './coerce.js';
import { booleanField, enumField, integerField, jsonField, regexField, stringField, stringListField, customField } from './fields.js';

/** `optionName` values of `dataProcessingOptions` (reference §2), case-sensitive. */
export const OPTION_NAMES = ['SINGLELINE', 'CSVTOJSON', 'LOGTOJSON', 'ADDMETADATA', 'ADDEC2METADATA', 'ADDBRACKETS', 'JSONPARSE', 'FILTER'] as const;
export type OptionName = (typeof OPTION_NAMES)[number];
export const LOG_FORMATS = ['COMMONAPACHELOG', 'COMBINEDAPACHELOG', 'APACHEERRORLOG', 'SYSLOG', 'RFC3339SYSLOG'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const JSON_FORMATS = ['COMPACT', 'PRETTYPRINT'] as const;
export const ON_INVALID_JSON = ['skip', 'wrap'] as const;
export const PARSE_OPTIONS = ['NO_TRIM', 'ESCAPE_NEW_LINE'] as const;

const jsonFormat = () => enumField(JSON_FORMATS, { origin: 'java', default: 'COMPACT', description: 'COMPACT, or PRETTYPRINT (Jackson\'s pretty printer).' });
const typedFields = () => booleanField({ origin: 'shardline', default: false, description: 'Write numbers and booleans as JSON numbers and booleans, and the time field as ISO-8601 (the Java agent writes strings).' });
const logFormat = () => enumField(LOG_FORMATS, { origin: 'java', description: 'Built-in log format; also selects the "-" to null rule of the Apache formats.' });

/** The keys of each converter, keyed by optionName. */
export const optionFields = {
  SINGLELINE: {
    parseOptions: customField('list', { origin: 'java', values: PARSE_OPTIONS, description: 'NO_TRIM keeps leading and trailing spaces; ESCAPE_NEW_LINE joins lines with a literal \\n.' }, (raw) => {
      if (!Array.isArray(raw)) return { ok: false, message: `must be a list of ${PARSE_OPTIONS.join(', ')}, got ${show(raw)}` };
      const bad = raw.find((v) => !(PARSE_OPTIONS as readonly unknown[]).includes(v));
      return bad === undefined ? { ok: true, value: raw as (typeof PARSE_OPTIONS)[number][] } : coerceEnum(bad, PARSE_OPTIONS) as { ok: false; message: string };
    }),
  },
  CSVTOJSON: {
    customFieldNames: stringListField({ origin: 'java', description: 'Names of the columns, in order (required).' }),
    delimiter: stringField({ origin: 'java', default: ',', description: 'Column separator, a Java regex.' }),
    quotes: booleanField({ origin: 'shardline', default: false, description: 'RFC 4180 quoting: "a,b" is one field and "" inside quotes is a quote (the delimiter must then be one character).' }),
    typedFields: typedFields(),
    jsonFormat: jsonFormat(),
  },
  LOGTOJSON: {
    logFormat: logFormat(),
    matchPattern: regexField({ origin: 'java', description: 'Java regex that must match the whole line; its groups are the fields (needs customFieldNames).' }),
    customFieldNames: stringListField({ origin: 'java', description: 'Field names for matchPattern\'s groups, or new names for the built-in fields.' }),
    typedFields: typedFields(),
    jsonFormat: jsonFormat(),
  },
  ADDMETADATA: {
    metadata: jsonField({ origin: 'java', description: 'JSON value added under "metadata".' }),
    timestamp: stringField({ origin: 'java', description: '"true" adds the conversion time as "ts" (a string, as in the Java agent).' }),
    hostname: booleanField({ origin: 'shardline', default: false, description: 'Add "hostname": the machine\'s host name.' }),
    filePath: booleanField({ origin: 'shardline', default: false, description: 'Add "file": the path of the file the record was read from.' }),
    recordId: booleanField({ origin: 'shardline', default: false, description: 'Add "recordId": <file fingerprint>:<byte offset>, the same each time the record is sent, to drop duplicates downstream.' }),
    jsonFormat: jsonFormat(),
  },
  ADDEC2METADATA: {
    logFormat: logFormat(),
    metadataTTL: integerField({ origin: 'java', default: 3600, min: 1, max: 31_536_000, unit: 's', description: 'Seconds before instance metadata is fetched again.' }),
    jsonFormat: jsonFormat(),
  },
  ADDBRACKETS: {},
  JSONPARSE: {
    onInvalid: enumField(ON_INVALID_JSON, { origin: 'shardline', default: 'skip', description: 'skip: drop lines that are not JSON (counted as invalidJson); wrap: send them as {"raw": "<line>"}.' }),
  },
  FILTER: {
    include: regexField({ origin: 'shardline', description: 'Java regex: keep only lines in which it is found.' }),
    exclude: regexField({ origin: 'shardline', description: 'Java regex: drop lines in which it is found.' }),
  },
} as const;

const optionObjects = Object.fromEntries(
  Object.entries(optionFields).map(([name, fields]) => [name, z.looseObject(fields)]),
) as unknown as Record<OptionName, z.ZodType>;

export type ProcessingOption = { optionName: OptionName } & Record<string, unknown>;

/** Keys required per option, with why (reference §2). */
const REQUIRED: Partial<Record<OptionName, string[]>> = {
  CSVTOJSON: ['customFieldNames'],
  LOGTOJSON: ['logFormat'],
  ADDEC2METADATA: ['logFormat'],
};

/**
 * One entry of `dataProcessingOptions`. `USINGPLUGGIN` loads a Java class, which a TypeScript agent
 * cannot run, so it is refused here rather than at run time.
 */
export const processingOptionSchema = z.unknown().transform((raw, ctx): ProcessingOption => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `must be an object with an optionName, got ${show(raw)}`, input: raw });
    return z.NEVER;
  }
  const optionName = (raw as Record<string, unknown>)['optionName'];
  if (optionName === 'USINGPLUGGIN') {
    ctx.addIssue({ code: 'custom', path: ['optionName'], message: 'USINGPLUGGIN loads a Java class and cannot run in Shardline; remove it or use the built-in options', input: optionName });
    return z.NEVER;
  }
  const name = coerceEnum(optionName, OPTION_NAMES);
  if (!name.ok) {
    ctx.addIssue({ code: 'custom', path: ['optionName'], message: name.message, input: optionName });
    return z.NEVER;
  }
  const parsed = optionObjects[name.value].safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', input: undefined });
    return z.NEVER;
  }
  const value = parsed.data as ProcessingOption;
  for (const key of REQUIRED[name.value] ?? []) {
    if (value[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required by ${name.value}`, input: undefined });
  }
  if (name.value === 'FILTER' && value['include'] === undefined && value['exclude'] === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: 'FILTER needs include or exclude', input: undefined });
  }
  if (name.value === 'LOGTOJSON' && value['matchPattern'] !== undefined && value['customFieldNames'] === undefined) {
    ctx.addIssue({ code: 'custom', path: ['customFieldNames'], message: 'is required when matchPattern is set', input: undefined });
  }
  return value;
});
