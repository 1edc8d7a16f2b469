import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { PreviewPanel } from '../components/PreviewPanel.js';
import { useLoad } from '../hooks/useLoad.js';
import { routeHref } from '../route/parseRoute.js';
import { navigate } from '../route/useRoute.js';

/** Pick a configured flow and run its processing chain on sample lines. */
export function PreviewView({ client, id }: { client: ControllerClient; id: string | undefined }) {
  const config = useLoad(() => client.getConfig(), [client]);
  const flows = config.data?.flows ?? [];
  const selected = flows.find((f) => f.id === id) ?? (id === undefined ? flows[0] : undefined);
  return (
    <section class="view">
      <div class="view-head">
        <h1 tabIndex={-1}>Preview</h1>
      </div>
      <p class="section-hint">Runs a flow’s processing chain on sample lines and shows the record each line becomes. Nothing is sent. To preview unsaved changes, use the preview in the flow editor.</p>
      {config.error !== undefined && <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>Cannot load the configuration: {errorMessage(config.error)}</p>}
      {config.data !== undefined && flows.length === 0 && (
        <p class="empty">No flows configured. <a href={routeHref({ view: 'newFlow' })}>Add a flow</a> to preview its records.</p>
      )}
      {flows.length > 0 && (
        <div class="toolbar">
          <label for="preview-flow">Flow</label>
          <select id="preview-flow" value={selected?.id ?? ''} onChange={(e) => navigate({ view: 'preview', id: e.currentTarget.value })}>
            {selected === undefined && <option value="">— choose a flow —</option>}
            {flows.map((f) => (
              <option key={`${f.file}:${f.index}`} value={f.id}>
                {typeof f.raw['name'] === 'string' && f.raw['name'] !== '' ? `${f.raw['name']} (${f.id})` : f.id}
              </option>
            ))}
          </select>
        </div>
      )}
      {id !== undefined && selected === undefined && config.data !== undefined && (
        <p class="message tone-warn"><span aria-hidden="true">⚠ </span>No flow <code>{id}</code> in the configuration.</p>
      )}
      {selected !== undefined && (
        <div class="card">
          <PreviewPanel key={selected.id} client={client} flow={selected.raw} idPrefix="preview-" />
        </div>
      )}
    </section>
  );
}
