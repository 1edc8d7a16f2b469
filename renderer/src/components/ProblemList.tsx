import type { ConfigProblemView } from '../../../src/shared/control/controllerApi.js';

/** Problems or warnings from the agent, each naming its file and JSON path. */
export function ProblemList({ problems, tone, title }: { problems: readonly ConfigProblemView[]; tone: 'error' | 'warn'; title: string }) {
  if (problems.length === 0) return null;
  return (
    <div class={`problems tone-${tone}`}>
      <h3>
        <span aria-hidden="true">{tone === 'error' ? '✗ ' : '⚠ '}</span>
        {title}
      </h3>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.file}:${p.path}:${i}`}>
            <code>{p.path === '' ? fileName(p.file) : p.path}</code>: {p.message}
            {p.path !== '' && <span class="file"> ({fileName(p.file)})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}
