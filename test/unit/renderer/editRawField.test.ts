import { describe, expect, it } from 'vitest';
import { editRawField, setRawValue, withoutKey } from '../../../renderer/src/edit/editRawField.js';
import { fieldText, parseFieldText } from '../../../renderer/src/edit/fieldText.js';

const original = { filePattern: '/var/log/*.log', maxBufferSizeRecords: '500', 'log.emitInternalMetrics': 'yes', teamTag: { owner: 'ops' }, endpoint: '' };

describe('fieldText and parseFieldText', () => {
  it('shows raw values as written', () => {
    expect(fieldText('500', 'integer')).toBe('500');
    expect(fieldText(500, 'integer')).toBe('500');
    expect(fieldText(true, 'boolean')).toBe('true');
    expect(fieldText(['a', 'b'], 'list')).toBe('a, b');
    expect(fieldText({ env: 'prod' }, 'json')).toBe('{\n  "env": "prod"\n}');
    expect(fieldText(undefined, 'string')).toBe('');
  });

  it('turns typed text into raw values, leaving what the schema must judge as typed', () => {
    expect(parseFieldText('400', 'integer')).toEqual({ ok: true, value: 400 });
    expect(parseFieldText(' 12 ', 'integer')).toEqual({ ok: true, value: 12 });
    expect(parseFieldText('12a', 'integer')).toEqual({ ok: true, value: '12a' });
    expect(parseFieldText('99999999999999999999', 'integer')).toEqual({ ok: true, value: '99999999999999999999' });
    expect(parseFieldText('a, b,,c ', 'list')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(parseFieldText('{"a":1}', 'json')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseFieldText('{a:1}', 'json')).toEqual({ ok: false, message: 'must be valid JSON' });
    expect(parseFieldText('COMPACT', 'enum')).toEqual({ ok: true, value: 'COMPACT' });
  });
});

describe('editRawField: only edited keys change, everything else keeps its form', () => {
  it('sets an edited key in its canonical form and keeps the other keys untouched', () => {
    const edit = editRawField(original, original, 'maxBufferSizeRecords', '400', 'integer');
    expect(edit).toEqual({ ok: true, draft: { ...original, maxBufferSizeRecords: 400 } });
    if (!edit.ok) return;
    expect(edit.draft['log.emitInternalMetrics']).toBe('yes');
    expect(edit.draft['teamTag']).toBe(original.teamTag);
    expect(Object.keys(edit.draft)).toEqual(Object.keys(original));
  });

  it('restores the original raw value when the text comes back to it', () => {
    const changed = editRawField(original, original, 'maxBufferSizeRecords', '400', 'integer');
    if (!changed.ok) throw new Error('edit failed');
    const back = editRawField(original, changed.draft, 'maxBufferSizeRecords', '500', 'integer');
    expect(back).toEqual({ ok: true, draft: original });
  });

  it('removes a cleared key so its default applies, and adds new keys at the end', () => {
    const cleared = editRawField(original, original, 'maxBufferSizeRecords', '', 'integer');
    expect(cleared.ok && Object.hasOwn(cleared.draft, 'maxBufferSizeRecords')).toBe(false);
    const added = editRawField(original, original, 'region', 'eu-west-1', 'string');
    expect(added.ok && Object.keys(added.draft).at(-1)).toBe('region');
  });

  it('keeps an empty string that was written (an unset endpoint) when untouched', () => {
    const edit = editRawField(original, original, 'endpoint', '', 'endpoint');
    expect(edit).toEqual({ ok: true, draft: original });
  });

  it('refuses JSON that does not parse without touching the draft', () => {
    expect(editRawField(original, original, 'teamTag', '{oops', 'json')).toEqual({ ok: false, message: 'must be valid JSON' });
  });

  it('setRawValue and withoutKey do not mutate', () => {
    const copy = structuredClone(original);
    expect(setRawValue(original, 'paused', true)).toEqual({ ...original, paused: true });
    expect(setRawValue(original, 'maxBufferSizeRecords', undefined)).not.toHaveProperty('maxBufferSizeRecords');
    expect(withoutKey(original, 'absent')).toBe(original);
    expect(original).toEqual(copy);
  });
});
