import { agentFields } from '../../shared/config/agentFields.js';
import { metaOf } from '../../shared/config/fields.js';
import type { FieldMeta } from '../../shared/config/fieldMeta.js';
import { flowFields } from '../../shared/config/flowFields.js';
import { optionFields } from '../../shared/config/processingOptionSchema.js';
import type { z } from 'zod';

/**
 * The README's configuration reference, generated from the zod schema's metadata so that the
 * documentation cannot drift from what `validate` enforces.
 */
export function configReference(): string {
  const sections = [
    '### Global keys\n',
    table(agentFields),
    '\n### Flow keys (each entry of `flows`)\n',
    table(flowFields),
    '\n### `dataProcessingOptions` keys, by `optionName`\n',
    ...Object.entries(optionFields).map(([name, fields]) => (Object.keys(fields).length === 0 ? `\`${name}\`: no keys.\n` : `\`${name}\`:\n\n${table(fields)}`)),
  ];
  return sections.join('\n');
}

function table(fields: Record<string, z.ZodType>): string {
  const rows = Object.entries(fields).map(([key, schema]) => {
    const meta = metaOf(schema);
    return meta === undefined ? `| \`${key}\` | | | |` : `| \`${key}\`${meta.origin === 'shardline' ? ' ★' : ''} | ${defaultOf(meta)} | ${rangeOf(meta)} | ${describe(meta)} |`;
  });
  return ['| key | default | values | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Markdown table cells: `|` would split the cell, `<x>` would be read as an HTML tag. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function defaultOf(meta: FieldMeta): string {
  if (meta.defaultText !== undefined) return cell(meta.defaultText);
  if (meta.default === undefined) return '—';
  return `\`${JSON.stringify(meta.default)}\``;
}

function rangeOf(meta: FieldMeta): string {
  if (meta.values !== undefined) return meta.values.map((v) => `\`${v}\``).join(', ');
  const unit = meta.unit === undefined ? '' : ` ${meta.unit}`;
  if (meta.min !== undefined && meta.max !== undefined) return `${meta.min}..${meta.max}${unit}`;
  if (meta.kind === 'boolean') return 'true/false, yes/no';
  return meta.kind;
}

function describe(meta: FieldMeta): string {
  const text = cell(meta.description);
  return meta.ignored === undefined ? text : `${text} *No effect in Shardline: ${meta.ignored}.*`;
}
