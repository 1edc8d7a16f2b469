import { useState } from 'preact/hooks';
import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import { editRawField, setRawValue } from '../edit/editRawField.js';
import type { FieldSpec } from '../edit/fieldSpecs.js';
import { fieldText } from '../edit/fieldText.js';
import { defaultText, rangeText } from './fieldHint.js';

export interface FieldRowProps {
  spec: FieldSpec;
  /** The object as loaded (a flow, or one processing option): edits back to it restore its form. */
  original: RawObject;
  draft: RawObject;
  problems: readonly string[] | undefined;
  /** Makes element ids unique when the same key appears twice (two processing options). */
  idPrefix: string;
  onDraft: (draft: RawObject) => void;
  /** Text that has no raw form (JSON that does not parse) is held here, not in the draft. */
  onLocalError: (key: string, message: string | undefined) => void;
}

const DEFAULT_CHOICE = '__default';
const AS_WRITTEN_CHOICE = '__as_written';

/** A select holds the canonical values; any other raw form (`"yes"`, `"TRUE"`) is offered as written. */
function isCanonical(raw: unknown, spec: FieldSpec): boolean {
  if (raw === undefined) return true;
  if (spec.meta.kind === 'boolean') return typeof raw === 'boolean';
  return typeof raw === 'string' && (spec.meta.values ?? []).includes(raw);
}

function usesSelect(spec: FieldSpec): boolean {
  const { kind, values } = spec.meta;
  if (kind === 'boolean') return true;
  // partitionKeyOption's `FIELD:<jsonField>` is a pattern, not a choice: that one is typed.
  return kind === 'enum' && values !== undefined && !values.some((v) => v.includes('<'));
}

function SelectControl({ spec, original, draft, id, describedBy, invalid, onDraft }: FieldRowProps & { id: string; describedBy: string; invalid: boolean }) {
  const { key, meta } = spec;
  const raw = draft[key];
  const unusual = !isCanonical(raw, spec) ? raw : !isCanonical(original[key], spec) ? original[key] : undefined;
  const choices = meta.kind === 'boolean' ? ['true', 'false'] : [...(meta.values ?? [])];
  const selected = raw === undefined ? DEFAULT_CHOICE : isCanonical(raw, spec) ? String(raw) : AS_WRITTEN_CHOICE;
  const fallback = defaultText(meta);
  const choose = (value: string) => {
    if (value === DEFAULT_CHOICE) onDraft(setRawValue(draft, key, undefined));
    else if (value === AS_WRITTEN_CHOICE) onDraft(setRawValue(draft, key, unusual));
    else onDraft(setRawValue(draft, key, meta.kind === 'boolean' ? value === 'true' : value));
  };
  return (
    <select id={id} aria-describedby={describedBy} aria-invalid={invalid} value={selected} onChange={(e) => choose(e.currentTarget.value)}>
      <option value={DEFAULT_CHOICE}>{fallback === undefined ? '— not set —' : `default (${fallback})`}</option>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {choice}
        </option>
      ))}
      {unusual !== undefined && <option value={AS_WRITTEN_CHOICE}>{`${JSON.stringify(unusual)} (as written)`}</option>}
    </select>
  );
}

function TextControl({ spec, original, draft, id, describedBy, invalid, onDraft, onLocalError }: FieldRowProps & { id: string; describedBy: string; invalid: boolean }) {
  const { key, meta } = spec;
  // The text is the field's own state: " 12" must stay as typed even though the draft holds 12.
  const [text, setText] = useState(() => fieldText(draft[key], meta.kind));
  const onInput = (value: string) => {
    setText(value);
    const edit = editRawField(original, draft, key, value, meta.kind);
    if (edit.ok) {
      onLocalError(key, undefined);
      onDraft(edit.draft);
    } else {
      onLocalError(key, edit.message);
    }
  };
  const fallback = defaultText(meta);
  const placeholder = meta.default !== undefined && typeof meta.default !== 'object' && meta.default !== '\n' ? String(meta.default) : fallback === undefined ? '' : 'default';
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
    spellcheck: false,
    autocomplete: 'off',
    placeholder,
    value: text,
  };
  if (meta.kind === 'json' || meta.kind === 'object') {
    return <textarea {...common} rows={3} class="mono" onInput={(e) => onInput(e.currentTarget.value)} />;
  }
  if (meta.kind === 'secret') {
    // Masked by the agent as "********"; typing replaces the secret, leaving it keeps the stored one.
    return <input {...common} type="password" autocomplete="new-password" class="mono" onInput={(e) => onInput(e.currentTarget.value)} />;
  }
  if (meta.kind === 'enum') {
    const listId = `${id}-values`;
    return (
      <>
        <input {...common} type="text" class="mono" list={listId} onInput={(e) => onInput(e.currentTarget.value)} />
        <datalist id={listId}>
          {(meta.values ?? []).map((v) => (
            <option key={v} value={v.replace(/<[^>]*>$/, '')} />
          ))}
        </datalist>
      </>
    );
  }
  return (
    <input
      {...common}
      type="text"
      inputMode={meta.kind === 'integer' ? 'numeric' : undefined}
      class={meta.kind === 'integer' ? 'mono number' : 'mono'}
      onInput={(e) => onInput(e.currentTarget.value)}
    />
  );
}

/** Descriptions mark code with backticks (`/var/log/app/*.log`), as in the README. */
function InlineCode({ text }: { text: string }) {
  return <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

/** One config key as a form row, generated from its schema metadata (DESIGN §10). */
export function FieldRow(props: FieldRowProps) {
  const { spec, original, draft, problems, idPrefix } = props;
  const { key, meta } = spec;
  const id = `${idPrefix}${key}`.replace(/[^a-zA-Z0-9_-]/g, '_');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = problems !== undefined && problems.length > 0;
  const edited = JSON.stringify(original[key]) !== JSON.stringify(draft[key]);
  const fallback = defaultText(meta);
  const range = rangeText(meta);
  const controlProps = { ...props, id, describedBy: invalid ? `${errorId} ${hintId}` : hintId, invalid };
  return (
    <div class={`field${invalid ? ' invalid' : ''}${edited ? ' edited' : ''}`} data-field={key}>
      <label for={id}>
        <code>{key}</code>
        {edited && (
          <span class="edited-mark" title="Changed, not saved yet">
            {' '}• changed
          </span>
        )}
      </label>
      <div class="control">
        {usesSelect(spec) ? <SelectControl {...controlProps} /> : <TextControl {...controlProps} />}
        {meta.unit !== undefined && <span class="unit">{meta.unit}</span>}
      </div>
      <p class="hint" id={hintId}>
        <InlineCode text={meta.description} />
        {fallback !== undefined && <span class="facts"> Default: {fallback}.</span>}
        {range !== undefined && <span class="facts"> Range: {range}.</span>}
        {meta.ignored !== undefined && <span class="facts"> No effect in Shardline: {meta.ignored}.</span>}
      </p>
      {invalid && (
        <p class="field-error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {key} {problems.join('; ')}
        </p>
      )}
    </div>
  );
}
