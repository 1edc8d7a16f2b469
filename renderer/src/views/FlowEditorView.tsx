import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { useLoad } from '../hooks/useLoad.js';
import type { Notice } from '../notice.js';
import { routeHref } from '../route/parseRoute.js';
import { FlowForm } from './FlowForm.js';

interface FlowEditorViewProps {
  client: ControllerClient;
  /** The flow to edit; undefined for a new flow. */
  id: string | undefined;
  onNotice: (notice: Notice) => void;
}

/** Loads the configuration and opens the form on one flow (or a new one). */
export function FlowEditorView({ client, id, onNotice }: FlowEditorViewProps) {
  const config = useLoad(() => client.getConfig(), [client, id]);
  const title = id === undefined ? 'New flow' : 'Edit flow';
  if (config.data === undefined) {
    return (
      <section class="view">
        <h1 tabIndex={-1}>{title}</h1>
        {config.error === undefined ? (
          <p class="empty">Loading the configuration…</p>
        ) : (
          <p class="message tone-error" role="alert">
            <span aria-hidden="true">▲ </span>Cannot load the configuration: {errorMessage(config.error)}{' '}
            <button type="button" class="button" onClick={config.reload}>Try again</button>
          </p>
        )}
      </section>
    );
  }
  const ref = id === undefined ? undefined : config.data.flows.find((f) => f.id === id);
  if (id !== undefined && ref === undefined) {
    return (
      <section class="view">
        <h1 tabIndex={-1}>{title}</h1>
        <p class="message tone-warn">
          <span aria-hidden="true">⚠ </span>No flow <code>{id}</code> in the configuration: it may have been removed or renamed.{' '}
          <a href={routeHref({ view: 'overview' })}>Back to the overview</a>
        </p>
      </section>
    );
  }
  // Keyed by the flow as saved: after a save the form starts again from the new version.
  return <FlowForm key={`${id ?? 'new'}|${JSON.stringify(ref?.raw ?? null)}`} client={client} view={config.data} flowRef={ref} onSaved={config.reload} onNotice={onNotice} />;
}
