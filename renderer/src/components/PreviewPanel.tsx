import { useState } from 'preact/hooks';
import type { PreviewResult, RawObject } from '../../../src/shared/control/controllerApi.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { ProblemList } from './ProblemList.js';
import { VisibleText } from './VisibleText.js';

interface PreviewPanelProps {
  client: ControllerClient;
  /** The flow as raw JSON: a saved flow, or the draft being edited. */
  flow: RawObject;
  idPrefix: string;
}

type Source = 'file' | 'paste';

/**
 * Runs the flow's processing chain on sample lines (`POST /api/v1/preview`) and shows each input
 * line beside the record it becomes, or why it was skipped.
 */
export function PreviewPanel({ client, flow, idPrefix }: PreviewPanelProps) {
  const [source, setSource] = useState<Source>('file');
  const [lines, setLines] = useState('20');
  const [pasted, setPasted] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<PreviewResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const count = Number(lines);
  const countValid = Number.isInteger(count) && count >= 1 && count <= 1000;
  const canRun = !running && (source === 'file' ? countValid : pasted !== '');

  const run = async () => {
    setRunning(true);
    setError(undefined);
    // The previous result goes while this one runs: a table that stays would pass for the new one.
    setResult(undefined);
    try {
      // Tabs survive pasting; a textarea turns CR LF into LF, so stray CRs show only in file samples.
      const request = source === 'file' ? { flow, lines: count } : { flow, sample: pasted.split('\n').slice(0, 1000) };
      setResult(await client.preview(request));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div class="preview">
      <form class="preview-source" onSubmit={(e) => { e.preventDefault(); if (canRun) void run(); }}>
        <fieldset>
          <legend>Sample</legend>
          <label class="choice">
            <input type="radio" name={`${idPrefix}source`} checked={source === 'file'} onChange={() => setSource('file')} />
            The last
            <input
              type="text"
              inputMode="numeric"
              class="mono number short"
              aria-label="Number of lines"
              value={lines}
              aria-invalid={!countValid}
              onInput={(e) => { setLines(e.currentTarget.value); setSource('file'); }}
            />
            lines of a file the flow matches
          </label>
          <label class="choice">
            <input type="radio" name={`${idPrefix}source`} checked={source === 'paste'} onChange={() => setSource('paste')} />
            Lines I paste
          </label>
          {source === 'paste' && (
            <textarea
              class="mono"
              rows={6}
              aria-label="Sample lines, one per line"
              placeholder="Paste log lines here, one per line"
              spellcheck={false}
              value={pasted}
              onInput={(e) => setPasted(e.currentTarget.value)}
            />
          )}
        </fieldset>
        <button type="submit" class="button primary" disabled={!canRun}>
          {running ? 'Running…' : 'Run preview'}
        </button>
      </form>
      {error !== undefined && <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>{error}</p>}
      {result !== undefined && <PreviewTable result={result} />}
    </div>
  );
}

function PreviewTable({ result }: { result: PreviewResult }) {
  const skipped = result.items.filter((item) => item.skipped !== undefined).length;
  return (
    <div class="preview-result" data-testid="preview-result">
      <p class="summary">
        {result.items.length} line{result.items.length === 1 ? '' : 's'}
        {result.file !== undefined && (
          <>
            {' '}from <code>{result.file}</code>
          </>
        )}
        {skipped > 0 && ` · ${skipped} skipped`}
        <span class="legend">
          {' · Shown: CR as '}
          <VisibleText text={'\r'} />, tab as <VisibleText text={'\t'} />, newline as ↵, bytes that are not UTF-8 as <VisibleText text={'\ufffd'} />
        </span>
      </p>
      <ProblemList problems={result.problems} tone="error" title="The flow cannot run" />
      {result.items.length === 0 ? (
        <p class="empty">No lines to preview{result.file === undefined ? ': no file matches the flow’s pattern yet. Paste some lines instead.' : '.'}</p>
      ) : (
        <table class="preview-table">
          <thead>
            <tr>
              <th scope="col" class="num">#</th>
              <th scope="col">Input line</th>
              <th scope="col">Record sent</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((item, i) => (
              <tr key={i} class={item.skipped !== undefined ? 'skipped' : undefined}>
                <td class="num">{i + 1}</td>
                <td class="mono">
                  <VisibleText text={item.input} />
                </td>
                <td class="mono">
                  {item.skipped !== undefined ? (
                    <span class="skip-reason">
                      <span aria-hidden="true">⊘ </span>Skipped: {item.skipped}
                    </span>
                  ) : (
                    <VisibleText text={item.output ?? ''} />
                  )}
                  {item.error !== undefined && <p class="note tone-warn"><span aria-hidden="true">⚠ </span>Converter failed, sent as read: {item.error}</p>}
                  {item.truncated === true && <p class="note tone-warn"><span aria-hidden="true">✂ </span>Cut to the record-size limit</p>}
                  {item.partitionKey !== undefined && <p class="note">Partition key: <code>{item.partitionKey}</code></p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
