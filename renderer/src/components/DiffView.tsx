import type { DiffEntry } from '../edit/diffFlow.js';

const CHANGE_LOOK = { added: { symbol: '+', word: 'added' }, removed: { symbol: '−', word: 'removed' }, changed: { symbol: '~', word: 'changed' } } as const;

/** What saving will change in the flow, key by key, as it will be written to the file. */
export function DiffView({ entries }: { entries: readonly DiffEntry[] }) {
  if (entries.length === 0) return <p class="empty">No changes.</p>;
  return (
    <table class="diff" aria-label="Changes to the flow">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Change</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.key} class={`diff-${entry.change}`} data-key={entry.key}>
            <th scope="row">
              <code>{entry.key}</code>
            </th>
            <td class="change">
              <span aria-hidden="true">{CHANGE_LOOK[entry.change].symbol} </span>
              {CHANGE_LOOK[entry.change].word}
            </td>
            <td class="before">{entry.before === undefined ? <span class="none">not set</span> : <del><pre>{entry.before}</pre></del>}</td>
            <td class="after">{entry.after === undefined ? <span class="none">not set (default)</span> : <ins><pre>{entry.after}</pre></ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
