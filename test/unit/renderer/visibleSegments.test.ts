import { describe, expect, it } from 'vitest';
import { visibleSegments } from '../../../renderer/src/preview/visibleSegments.js';

describe('visibleSegments', () => {
  it('keeps plain text in one run', () => {
    expect(visibleSegments('GET /index.html 200')).toEqual([{ text: 'GET /index.html 200', kind: 'text' }]);
    expect(visibleSegments('')).toEqual([]);
  });

  it('shows CR as ␍, tab as ⇥, LF as ↵ with its line break, and flags U+FFFD', () => {
    const segments = visibleSegments('a\tb\r\ncaf\ufffd');
    expect(segments.map((s) => [s.text, s.kind])).toEqual([
      ['a', 'text'],
      ['⇥', 'invisible'],
      ['b', 'text'],
      ['␍', 'invisible'],
      ['↵\n', 'newline'],
      ['caf', 'text'],
      ['\ufffd', 'invalid'],
    ]);
    expect(segments[3]).toMatchObject({ abbr: 'CR', title: 'carriage return (CR)' });
  });

  it('gives other controls their pictures and names, and shows C1 controls and zero-width characters', () => {
    const segments = visibleSegments('\u0000\u001b\u007f\u0085\u200b\u00a0\ufeff');
    expect(segments.map((s) => s.text)).toEqual(['␀', '␛', '␡', '⟨U+0085⟩', '⟨ZWSP⟩', '⍽', '⟨BOM⟩']);
    expect(segments.map((s) => s.abbr)).toEqual(['NUL', 'ESC', 'DEL', undefined, undefined, undefined, undefined]);
    expect(segments.every((s) => s.title !== undefined)).toBe(true);
  });

  it('treats astral characters as text', () => {
    expect(visibleSegments('ok 😀')).toEqual([{ text: 'ok 😀', kind: 'text' }]);
  });
});
