import type { ComponentChildren, Ref } from 'preact';
import type { ValidationResult } from '../../../src/shared/control/controllerApi.js';
import type { DiffEntry } from '../edit/diffFlow.js';
import { DiffView } from './DiffView.js';
import { ProblemList } from './ProblemList.js';

/** The agent's check of the whole document with the draft in it (POST /api/v1/config/validate). */
export type ServerCheck = { state: 'idle' } | { state: 'checking' } | { state: 'done'; result: ValidationResult } | { state: 'failed'; message: string };

interface ReviewPanelProps {
  panelRef: Ref<HTMLElement>;
  /** Where the change goes: "The flow will be added to …" / "In …, flow 2:". */
  where: ComponentChildren;
  diff: readonly DiffEntry[];
  server: ServerCheck;
  canSave: boolean;
  saving: boolean;
  onSave: () => void;
  onClose: () => void;
}

/** What saving will change (the diff) and what the agent says about it, before the save. */
export function ReviewPanel({ panelRef, where, diff, server, canSave, saving, onSave, onClose }: ReviewPanelProps) {
  return (
    <section class="card review" aria-labelledby="sec-review" tabIndex={-1} ref={panelRef} data-testid="review">
      <h2 id="sec-review">Review changes</h2>
      <p class="section-hint">{where}</p>
      <DiffView entries={diff} />
      {server.state === 'checking' && <p class="hint">Checking with the agent…</p>}
      {server.state === 'failed' && (
        <p class="message tone-error">
          <span aria-hidden="true">▲ </span>The agent could not check the change: {server.message}
        </p>
      )}
      {server.state === 'done' && (
        <>
          <ProblemList problems={server.result.problems} tone="error" title="The agent refuses this configuration" />
          <ProblemList problems={server.result.warnings} tone="warn" title="Warnings" />
          {server.result.ok && (
            <p class="hint tone-ok">
              <span aria-hidden="true">✓ </span>The agent accepts this configuration.
            </p>
          )}
        </>
      )}
      <div class="actions">
        <button type="button" class="button primary" disabled={!canSave} onClick={onSave}>
          {saving ? 'Saving…' : 'Save & apply'}
        </button>
        <button type="button" class="button" onClick={onClose}>
          Keep editing
        </button>
      </div>
    </section>
  );
}
