import type { ApplyResult } from '../../../src/shared/control/controllerApi.js';
import { ProblemList } from './ProblemList.js';

function IdList({ label, ids }: { label: string; ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <li>
      {label}: {ids.map((id, i) => <span key={id}>{i > 0 && ', '}<code>{id}</code></span>)}
    </li>
  );
}

/** What applying a change did: flows added, restarted, removed; files saved with their backups. */
export function ApplyResultView({ result }: { result: ApplyResult }) {
  return (
    <div class={`apply-result tone-${result.ok ? 'ok' : 'error'}`} role="status" data-testid="apply-result">
      <h3>
        <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
        {result.ok ? 'Applied' : 'Not applied: the agent refused the configuration'}
      </h3>
      <ul>
        <IdList label="Added" ids={result.added} />
        <IdList label="Restarted" ids={result.restarted} />
        <IdList label="Removed" ids={result.removed} />
        {result.unchanged.length > 0 && <li>Unchanged: {result.unchanged.length} other flow{result.unchanged.length === 1 ? '' : 's'}</li>}
        {result.saved.map((s) => (
          <li key={s.path}>
            Saved <code>{s.path}</code>
            {s.backup !== undefined && <> (previous version kept as <code>{s.backup}</code>)</>}
          </li>
        ))}
      </ul>
      <ProblemList problems={result.problems} tone="error" title="Problems" />
      <ProblemList problems={result.warnings} tone="warn" title="Warnings" />
    </div>
  );
}
