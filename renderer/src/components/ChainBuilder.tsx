import { useState } from 'preact/hooks';
import { OPTION_NAMES, type OptionName } from '../../../src/shared/config/processingOptionSchema.js';
import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import { optionParamSpecs } from '../edit/fieldSpecs.js';
import { addOption, moveOption, removeOption, replaceOptionDraft, type ChainItem } from '../edit/processingChain.js';
import { FieldRow } from './FieldRow.js';

const OPTION_SUMMARY: Record<OptionName, string> = {
  SINGLELINE: 'Join a multi-line record into one line',
  CSVTOJSON: 'Delimited columns to a JSON object',
  LOGTOJSON: 'A log line (Apache, syslog, or your regex) to JSON',
  ADDMETADATA: 'Add metadata, time, host or record id to JSON',
  ADDEC2METADATA: 'Add EC2 instance metadata to JSON',
  ADDBRACKETS: 'Wrap the record in [ ]',
  JSONPARSE: 'Keep JSON lines (skip or wrap the others)',
  FILTER: 'Keep or drop lines by regex',
};

interface ChainBuilderProps {
  items: readonly ChainItem[];
  /** Schema problems by entry index, then key (`''`: the entry as a whole). */
  problems: ReadonlyMap<number, ReadonlyMap<string, readonly string[]>>;
  showProblems: boolean;
  /** Text that could not be read (bad JSON), by `dataProcessingOptions.<uid>.<key>`. */
  localErrors: Readonly<Record<string, string>>;
  onChange: (items: ChainItem[]) => void;
  onLocalError: (key: string, message: string | undefined) => void;
}

function optionNameOf(item: ChainItem): string {
  const name = item.draft['optionName'];
  return typeof name === 'string' ? name : JSON.stringify(name);
}

/** Moving a step re-orders the DOM; focus follows the step so the keyboard user keeps their place. */
function refocus(uid: number, control: string): void {
  requestAnimationFrame(() => {
    const target = document.querySelector<HTMLElement>(`[data-chain-uid="${uid}"] [data-control="${control}"]`);
    if (target !== null && !(target as HTMLButtonElement).disabled) target.focus();
    else document.querySelector<HTMLElement>(`[data-chain-uid="${uid}"] h4`)?.focus();
  });
}

/** The dataProcessingOptions chain: add, remove, reorder steps and edit each step's keys. */
function paramProblems(schema: readonly string[] | undefined, local: string | undefined): string[] {
  return [...(schema ?? []), ...(local === undefined ? [] : [local])];
}

export function chainErrorKey(uid: number, key: string): string {
  return `dataProcessingOptions.${uid}.${key}`;
}

export function ChainBuilder({ items, problems, showProblems, localErrors, onChange, onLocalError }: ChainBuilderProps) {
  const [choice, setChoice] = useState<OptionName>('LOGTOJSON');
  return (
    <div class="chain">
      {items.length === 0 ? (
        <p class="empty">No processing: each line is sent as it was read, with its newline.</p>
      ) : (
        <ol class="chain-steps">
          {items.map((item, index) => {
            const name = optionNameOf(item);
            const specs = (OPTION_NAMES as readonly string[]).includes(name) ? optionParamSpecs(name as OptionName) : [];
            const stepProblems = problems.get(index);
            const whole = stepProblems?.get('') ?? [];
            const label = `${name} (step ${index + 1})`;
            return (
              <li class="chain-step" key={item.uid} data-chain-uid={item.uid} data-option={name}>
                <header class="step-head">
                  <span class="step-number" aria-hidden="true">{index + 1}</span>
                  <h4 tabIndex={-1}>
                    <code>{name}</code>
                    <span class="step-summary">{OPTION_SUMMARY[name as OptionName] ?? ''}</span>
                  </h4>
                  <div class="actions">
                    <button type="button" class="button icon" data-control="up" aria-label={`Move ${label} up`} title="Move up" disabled={index === 0} onClick={() => { onChange(moveOption(items, index, -1)); refocus(item.uid, 'up'); }}>
                      ↑
                    </button>
                    <button type="button" class="button icon" data-control="down" aria-label={`Move ${label} down`} title="Move down" disabled={index === items.length - 1} onClick={() => { onChange(moveOption(items, index, 1)); refocus(item.uid, 'down'); }}>
                      ↓
                    </button>
                    <button type="button" class="button icon danger" data-control="remove" aria-label={`Remove ${label}`} title="Remove step" onClick={() => onChange(removeOption(items, index))}>
                      ✕
                    </button>
                  </div>
                </header>
                {showProblems && whole.map((message) => <p class="field-error" key={message}><span aria-hidden="true">⚠ </span>{message}</p>)}
                {specs.length === 0 ? (
                  <p class="hint">No settings.</p>
                ) : (
                  <div class="fields">
                    {specs.map((spec) => (
                      <FieldRow
                        key={spec.key}
                        spec={spec}
                        original={item.original ?? {}}
                        draft={item.draft}
                        problems={paramProblems(showProblems ? stepProblems?.get(spec.key) : undefined, localErrors[chainErrorKey(item.uid, spec.key)])}
                        idPrefix={`chain-${item.uid}-`}
                        onDraft={(draft: RawObject) => onChange(replaceOptionDraft(items, item.uid, draft))}
                        onLocalError={(key, message) => onLocalError(chainErrorKey(item.uid, key), message)}
                      />
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div class="chain-add">
        <label for="chain-add-choice">Add a step</label>
        <select id="chain-add-choice" value={choice} onChange={(e) => setChoice(e.currentTarget.value as OptionName)}>
          {OPTION_NAMES.map((name) => (
            <option key={name} value={name}>
              {name} — {OPTION_SUMMARY[name]}
            </option>
          ))}
        </select>
        <button type="button" class="button" onClick={() => onChange(addOption(items, choice))}>
          + Add step
        </button>
      </div>
    </div>
  );
}
