interface SaveBarProps {
  readOnly: boolean;
  changes: number;
  /** Problems found in the browser (schema, unparsable JSON). */
  problems: number;
  /** Whether field problems are on show; a new flow shows them once asked. */
  showingProblems: boolean;
  serverProblems: number;
  reviewing: boolean;
  canReview: boolean;
  canSave: boolean;
  saving: boolean;
  canRemove: boolean;
  onShowProblems: () => void;
  onRemove: () => void;
  onDiscard: () => void;
  onReview: () => void;
  onSave: () => void;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The editor's footer, always in view: what is pending, and the actions on it. */
export function SaveBar(props: SaveBarProps) {
  const { readOnly, changes, problems, showingProblems, serverProblems, reviewing, canReview, canSave, saving, canRemove } = props;
  return (
    <div class="savebar" role="region" aria-label="Save">
      <p class="savebar-status" aria-live="polite">
        {readOnly ? 'Read-only' : changes === 0 ? 'No changes' : plural(changes, 'change')}
        {problems > 0 && showingProblems && (
          <span class="tone-error">
            {' · '}
            <span aria-hidden="true">⚠ </span>
            {plural(problems, 'problem')} to fix
          </span>
        )}
        {problems > 0 && !showingProblems && changes > 0 && (
          <>
            {' · '}
            <button type="button" class="link tone-error" onClick={props.onShowProblems}>
              <span aria-hidden="true">⚠ </span>
              {plural(problems, 'problem')} to fix: show
            </button>
          </>
        )}
        {serverProblems > 0 && <span class="tone-error"> · the agent found {plural(serverProblems, 'problem')}</span>}
      </p>
      <div class="actions">
        {canRemove && (
          <button type="button" class="button danger" disabled={saving} onClick={props.onRemove}>
            Remove flow…
          </button>
        )}
        <button type="button" class="button" disabled={changes === 0 || saving} onClick={props.onDiscard}>
          Discard changes
        </button>
        {reviewing ? (
          <button type="button" class="button primary" disabled={!canSave} onClick={props.onSave}>
            {saving ? 'Saving…' : 'Save & apply'}
          </button>
        ) : (
          <button type="button" class="button primary" disabled={!canReview || saving} onClick={props.onReview}>
            Review &amp; save…
          </button>
        )}
      </div>
    </div>
  );
}
