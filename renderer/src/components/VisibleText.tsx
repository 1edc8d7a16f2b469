import { visibleSegments, type Segment } from '../preview/visibleSegments.js';

/**
 * A control picture drawn from its letters, stepping down like the ␍ glyph, so it shows in any
 * font. The real character is in the accessible name and the tooltip.
 */
function ControlPicture({ segment }: { segment: Segment & { abbr: string } }) {
  return (
    <span class={`glyph glyph-control letters-${segment.abbr.length}`} title={segment.title} aria-label={segment.title} role="img" data-char={segment.text}>
      {[...segment.abbr].map((letter, i) => (
        <span key={i} aria-hidden="true">
          {letter}
        </span>
      ))}
    </span>
  );
}

/** Record text in monospace with invisible characters shown (CR ␍, tab ⇥, U+FFFD flagged). */
export function VisibleText({ text }: { text: string }) {
  return (
    <span class="visible-text">
      {visibleSegments(text).map((segment, i) => {
        if (segment.kind === 'text') return segment.text;
        if (segment.abbr !== undefined) return <ControlPicture key={i} segment={{ ...segment, abbr: segment.abbr }} />;
        return (
          <span key={i} class={`glyph glyph-${segment.kind}`} title={segment.title} aria-label={segment.title} role="img">
            {segment.text}
          </span>
        );
      })}
    </span>
  );
}
