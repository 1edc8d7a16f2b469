import type { FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import type { TrackedFileView } from '../../../src/shared/control/controllerApi.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { formatBytes } from '../format/formatBytes.js';
import { useInterval, useLoad } from '../hooks/useLoad.js';
import { navigate } from '../route/useRoute.js';

const REFRESH_MILLIS = 5000;

const FILE_STATE: Record<TrackedFileView['state'], { symbol: string; word: string; tone: string }> = {
  reading: { symbol: '●', word: 'reading', tone: 'ok' },
  idle: { symbol: '○', word: 'idle (at its end)', tone: 'muted' },
  parked: { symbol: '❚❚', word: 'parked (closed under maxOpenFiles)', tone: 'warn' },
  draining: { symbol: '◐', word: 'draining (rotated or deleted)', tone: 'warn' },
};

function FileTable({ files }: { files: readonly TrackedFileView[] }) {
  if (files.length === 0) return <p class="empty">No files match this flow’s pattern yet.</p>;
  return (
    <table class="data-table files-table">
      <thead>
        <tr>
          <th scope="col">Path</th>
          <th scope="col">State</th>
          <th scope="col" class="num">Offset</th>
          <th scope="col" class="num">Size</th>
          <th scope="col" class="num">Lag</th>
          <th scope="col">Identity (dev:ino)</th>
          <th scope="col">Fingerprint</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => {
          const state = FILE_STATE[file.state];
          return (
            <tr key={file.key}>
              <td class="mono path">{file.path}</td>
              <td><span class={`badge tone-${state.tone}`}><span aria-hidden="true">{state.symbol}</span> {state.word}</span></td>
              <td class="num" title={`${file.offset} bytes`}>{formatBytes(file.offset)}</td>
              <td class="num" title={`${file.size} bytes`}>{formatBytes(file.size)}</td>
              <td class={`num${file.lagBytes > 0 ? ' tone-warn' : ''}`} title={`${file.lagBytes} bytes`}>{file.lagBytes === 0 ? 'up to date' : `${formatBytes(file.lagBytes)} behind`}</td>
              <td class="mono">{file.dev}:{file.ino}</td>
              <td class="mono fingerprint" title={file.fingerprint}>{file.fingerprint.length > 16 ? `${file.fingerprint.slice(0, 16)}…` : file.fingerprint}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The files a flow tracks, with offsets and lag; refreshed every few seconds. */
export function FilesView({ client, flows, id }: { client: ControllerClient; flows: readonly FlowStatus[]; id: string | undefined }) {
  const selected = id ?? flows[0]?.id;
  const files = useLoad(() => (selected === undefined ? Promise.resolve([]) : client.files(selected)), [client, selected]);
  useInterval(files.reload, REFRESH_MILLIS);
  return (
    <section class="view">
      <div class="view-head">
        <h1 tabIndex={-1}>Files</h1>
      </div>
      {flows.length === 0 ? (
        <p class="empty">No flows are running.</p>
      ) : (
        <div class="toolbar">
          <label for="files-flow">Flow</label>
          <select id="files-flow" value={selected} onChange={(e) => navigate({ view: 'files', id: e.currentTarget.value })}>
            {flows.map((f) => <option key={f.key} value={f.id}>{f.name === f.id ? f.id : `${f.name} (${f.id})`}</option>)}
          </select>
          <button type="button" class="button" onClick={files.reload}>Refresh</button>
        </div>
      )}
      {files.error !== undefined && <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>Cannot list the files: {errorMessage(files.error)}</p>}
      {files.data === undefined && files.error === undefined && selected !== undefined && <p class="empty">Loading…</p>}
      {files.data !== undefined && selected !== undefined && <FileTable files={files.data} />}
    </section>
  );
}
