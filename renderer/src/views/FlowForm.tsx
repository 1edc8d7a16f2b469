import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConfigView, FlowRef, RawObject } from '../../../src/shared/control/controllerApi.js';
import type { ControllerClient } from '../api/ControllerClient.js';
import { errorMessage } from '../api/ControllerError.js';
import { ChainBuilder } from '../components/ChainBuilder.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DestinationField } from '../components/DestinationField.js';
import { FieldRow } from '../components/FieldRow.js';
import { PreviewPanel } from '../components/PreviewPanel.js';
import { ProblemList } from '../components/ProblemList.js';
import { ReviewPanel, type ServerCheck } from '../components/ReviewPanel.js';
import { SaveBar } from '../components/SaveBar.js';
import { configDocumentWith } from '../edit/configDocument.js';
import { destinationTypeOf, STREAM_KEYS, switchDestination } from '../edit/destination.js';
import { diffFlow } from '../edit/diffFlow.js';
import { flowFieldGroups, flowFieldSpec, KNOWN_FLOW_KEYS, type FieldSpec } from '../edit/fieldSpecs.js';
import { chainItems, chainToRaw, type ChainItem } from '../edit/processingChain.js';
import { validateFlowDraft } from '../edit/validateFlowDraft.js';
import { withChain } from '../edit/withChain.js';
import type { Notice } from '../notice.js';
import { navigate } from '../route/useRoute.js';
import { routeHref } from '../route/parseRoute.js';

interface FlowFormProps {
  client: ControllerClient;
  view: ConfigView;
  /** The flow being edited; undefined for a new flow. */
  flowRef: FlowRef | undefined;
  onSaved: () => void;
  onNotice: (notice: Notice) => void;
}

/** Files whose comments the user agreed to lose, for this page's life: the warning comes once. */
const commentLossAccepted = new Set<string>();

const SERVER_CHECK_DELAY_MILLIS = 400;

/**
 * The flow form: every key generated from the shared schema, the processing chain, validation as
 * you type (client-side with the shared schema, then the agent on the whole document), a diff of
 * what will change, save & apply, remove. The draft is the raw flow with only edited keys changed.
 */
export function FlowForm({ client, view, flowRef, onSaved, onNotice }: FlowFormProps) {
  const isNew = flowRef === undefined;
  const original = useMemo<RawObject>(() => flowRef?.raw ?? {}, [flowRef]);
  const writableFiles = view.files.filter((f) => f.writable);
  const [targetFile, setTargetFile] = useState(() => flowRef?.file ?? (writableFiles.find((f) => f.main) ?? writableFiles[0])?.path ?? view.mainFile);
  const fileView = view.files.find((f) => f.path === targetFile);
  const readOnly = fileView !== undefined && !fileView.writable;

  const [draft, setDraft] = useState<RawObject>(original);
  const [chain, setChain] = useState<ChainItem[]>(() => chainItems(original['dataProcessingOptions']));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [generation, setGeneration] = useState(0);
  const [showAll, setShowAll] = useState(!isNew);
  const [reviewing, setReviewing] = useState(false);
  const [confirming, setConfirming] = useState<'comments' | 'remove' | undefined>();
  const [saving, setSaving] = useState(false);
  const [server, setServer] = useState<ServerCheck>({ state: 'idle' });
  const reviewRef = useRef<HTMLElement>(null);

  const flow = useMemo(() => withChain(draft, chainToRaw(original['dataProcessingOptions'], chain)), [draft, chain, original]);
  const flowJson = JSON.stringify(flow);
  const type = destinationTypeOf(flow);
  const groups = flowFieldGroups(type);
  const problems = useMemo(() => validateFlowDraft(flow), [flow]);
  const diff = useMemo(() => diffFlow(original, flow), [original, flow]);
  const changedKeys = new Set(diff.map((d) => d.key));
  const liveUids = new Set(chain.map((item) => String(item.uid)));
  // Parse errors of removed chain steps no longer count.
  const localErrorList = Object.keys(localErrors).filter((key) => !key.startsWith('dataProcessingOptions.') || liveUids.has(key.split('.')[1]!));
  const problemCount = problems.count + localErrorList.length;
  const serverProblems = server.state === 'done' ? server.result.problems : [];
  const canReview = !readOnly && diff.length > 0 && problemCount === 0;
  const canSave = canReview && !saving && server.state !== 'checking' && serverProblems.length === 0;

  // The agent checks the whole document once the draft is valid here, shortly after typing stops.
  useEffect(() => {
    if (diff.length === 0 || problemCount > 0) {
      setServer({ state: 'idle' });
      return undefined;
    }
    setServer({ state: 'checking' });
    let current = true;
    const timer = setTimeout(() => {
      const target = flowRef === undefined ? { file: targetFile } : { id: flowRef.id };
      client.validateConfig(configDocumentWith(view, flow, target)).then(
        (result) => current && setServer({ state: 'done', result }),
        (error: unknown) => current && setServer({ state: 'failed', message: errorMessage(error) }),
      );
    }, SERVER_CHECK_DELAY_MILLIS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // flowJson stands for `flow`: a new object with the same content needs no new check.
  }, [flowJson, problemCount, targetFile, client, view]);

  const onLocalError = (key: string, message: string | undefined) =>
    setLocalErrors((errors) => {
      if (message === undefined) {
        if (!(key in errors)) return errors;
        const { [key]: _dropped, ...rest } = errors;
        return rest;
      }
      return errors[key] === message ? errors : { ...errors, [key]: message };
    });

  // Schema problems of untouched keys wait until asked (a new, empty flow is not "wrong" yet);
  // text that cannot even be read (bad JSON) is always shown.
  const problemsFor = (key: string): string[] | undefined => {
    const schema = showAll || changedKeys.has(key) ? (problems.byKey.get(key) ?? []) : [];
    const messages = [...schema, ...(localErrors[key] === undefined ? [] : [localErrors[key]!])];
    return messages.length === 0 ? undefined : messages;
  };

  const row = (spec: FieldSpec) => (
    <FieldRow key={`${spec.key}:${generation}`} spec={spec} original={original} draft={draft} problems={problemsFor(spec.key)} idPrefix="flow-" onDraft={setDraft} onLocalError={onLocalError} />
  );

  const discard = () => {
    setDraft(original);
    setChain(chainItems(original['dataProcessingOptions']));
    setLocalErrors({});
    setReviewing(false);
    setGeneration((g) => g + 1);
  };

  const openReview = () => {
    setShowAll(true);
    if (!canReview) return;
    setReviewing(true);
    requestAnimationFrame(() => reviewRef.current?.focus());
  };

  const save = async (commentsAccepted = false) => {
    if (fileView?.hasComments === true && !commentsAccepted && !commentLossAccepted.has(fileView.path)) {
      setConfirming('comments');
      return;
    }
    setSaving(true);
    try {
      const result = flowRef === undefined
        ? await client.addFlow({ flow, file: targetFile === view.mainFile ? undefined : targetFile })
        : await client.updateFlow(flowRef.id, { flow });
      onNotice({ kind: 'apply', title: isNew ? 'New flow' : `Flow ${flowRef.id}`, result });
      if (!result.ok) return;
      const newId = result.added[0];
      if (newId !== undefined && newId !== flowRef?.id) navigate({ view: 'flow', id: newId });
      else onSaved();
    } catch (error) {
      onNotice({ kind: 'error', title: 'Saving failed', message: errorMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (flowRef === undefined) return;
    setConfirming(undefined);
    setSaving(true);
    try {
      const result = await client.removeFlow(flowRef.id);
      onNotice({ kind: 'apply', title: `Removed flow ${flowRef.id}`, result });
      if (result.ok) navigate({ view: 'overview' });
    } catch (error) {
      onNotice({ kind: 'error', title: 'Removing failed', message: errorMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  const streamSpec = flowFieldSpec(STREAM_KEYS[type]);
  const otherSet = groups.otherDestination.filter((spec) => flow[spec.key] !== undefined);
  const unknownKeys = Object.keys(flow).filter((key) => !KNOWN_FLOW_KEYS.has(key));
  const name = typeof original['name'] === 'string' && original['name'] !== '' ? original['name'] : flowRef?.id;

  return (
    <section class="view editor">
      <div class="view-head">
        <h1 tabIndex={-1}>
          {isNew ? 'New flow' : 'Edit flow'} {name !== undefined && <span class="subtle">{name}</span>}
        </h1>
        {!isNew && <a class="button" href={routeHref({ view: 'files', id: flowRef.id })}>Files</a>}
      </div>
      {readOnly && (
        <p class="message tone-warn" data-testid="read-only">
          <strong>Read-only.</strong> This flow is defined in <code>{fileView.path}</code>, which the agent cannot save: {fileView.readOnlyReason ?? 'the file is read-only'}. The form is read-only.
        </p>
      )}
      {!readOnly && fileView?.hasComments === true && (
        <p class="message tone-info">
          <strong>Note:</strong> <code>{fileView.path}</code> has comments. Saving rewrites the file without them (you will be asked first).
        </p>
      )}
      <ProblemList problems={view.problems} tone="error" title="The configuration on disk has problems" />
      {problems.general.length > 0 && showAll && (
        <p class="message tone-error"><span aria-hidden="true">▲ </span>{problems.general.join('; ')}</p>
      )}
      <form class="flow-form" onSubmit={(e) => { e.preventDefault(); openReview(); }} aria-label="Flow settings">
        <fieldset class="plain" disabled={readOnly}>
          <section class="card" aria-labelledby="sec-source">
            <h2 id="sec-source">Source and destination</h2>
            <div class="fields">
              {groups.head.map(row)}
              <DestinationField type={type} onChange={(t) => { setDraft(switchDestination(draft, t)); setGeneration((g) => g + 1); }} />
              {streamSpec !== undefined && row(streamSpec)}
              {isNew && writableFiles.length > 1 && (
                <div class="field">
                  <label for="flow-file">File</label>
                  <div class="control">
                    <select id="flow-file" value={targetFile} onChange={(e) => setTargetFile(e.currentTarget.value)}>
                      {writableFiles.map((f) => <option key={f.path} value={f.path}>{f.path}</option>)}
                    </select>
                  </div>
                  <p class="hint">The config file (agent.json or an agent.d/ drop-in) the flow is added to.</p>
                </div>
              )}
            </div>
          </section>
          <section class="card" aria-labelledby="sec-java">
            <h2 id="sec-java">Java agent keys</h2>
            <p class="section-hint">Same names, defaults and ranges as the Amazon Kinesis Agent.</p>
            <div class="fields">{groups.java.map(row)}</div>
          </section>
          <section class="card" aria-labelledby="sec-shardline">
            <h2 id="sec-shardline"><span aria-hidden="true">★ </span>Shardline keys</h2>
            <p class="section-hint">New in Shardline; the Java agent would ignore them.</p>
            <div class="fields">{groups.shardline.map(row)}</div>
          </section>
          <section class="card" aria-labelledby="sec-chain">
            <h2 id="sec-chain">Processing chain <code class="subtle">dataProcessingOptions</code></h2>
            <p class="section-hint">Steps run in order on each record.</p>
            <ChainBuilder key={generation} items={chain} problems={problems.byOption} showProblems={showAll || changedKeys.has('dataProcessingOptions')} localErrors={localErrors} onChange={setChain} onLocalError={onLocalError} />
          </section>
          {otherSet.length > 0 && (
            <section class="card" aria-labelledby="sec-other-destination">
              <h2 id="sec-other-destination">Keys for {type === 'kinesis' ? 'Firehose' : 'Kinesis Data Streams'} flows</h2>
              <p class="section-hint">This flow sets them but they do not apply to {type === 'kinesis' ? 'Kinesis Data Streams' : 'Firehose'} flows. Clear them to remove them.</p>
              <div class="fields">{otherSet.map(row)}</div>
            </section>
          )}
          <details class="card">
            <summary>Keys with no effect in Shardline ({groups.ignored.length})</summary>
            <p class="section-hint">Accepted so a Java agent.json works unchanged.</p>
            <div class="fields">{groups.ignored.map(row)}</div>
          </details>
          {unknownKeys.length > 0 && (
            <section class="card" aria-labelledby="sec-unknown">
              <h2 id="sec-unknown">Other keys</h2>
              <p class="section-hint">Not known to this version; kept exactly as written when you save.</p>
              <ul class="kv">
                {unknownKeys.map((key) => <li key={key}><code>{key}</code>: <code>{JSON.stringify(flow[key])}</code></li>)}
              </ul>
            </section>
          )}
        </fieldset>
      </form>
      <details class="card">
        <summary>Preview this {isNew || diff.length > 0 ? 'draft' : 'flow'}</summary>
        <PreviewPanel client={client} flow={flow} idPrefix="editor-preview-" />
      </details>
      {reviewing && (
        <ReviewPanel
          panelRef={reviewRef}
          where={isNew ? <>The flow will be added to <code>{targetFile}</code>.</> : <>In <code>{targetFile}</code>, flow {flowRef.index + 1}:</>}
          diff={diff}
          server={server}
          canSave={canSave}
          saving={saving}
          onSave={() => void save()}
          onClose={() => setReviewing(false)}
        />
      )}
      <SaveBar
        readOnly={readOnly}
        changes={diff.length}
        problems={problemCount}
        showingProblems={showAll}
        serverProblems={serverProblems.length}
        reviewing={reviewing}
        canReview={canReview}
        canSave={canSave}
        saving={saving}
        canRemove={!isNew && !readOnly}
        onShowProblems={() => setShowAll(true)}
        onRemove={() => setConfirming('remove')}
        onDiscard={discard}
        onReview={openReview}
        onSave={() => void save()}
      />
      {confirming === 'comments' && fileView !== undefined && (
        <ConfirmDialog
          title="Save without the file's comments?"
          confirmLabel="Save & apply"
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => { commentLossAccepted.add(fileView.path); setConfirming(undefined); void save(true); }}
        >
          <p><code>{fileView.path}</code> has comments. JSON with comments cannot be rewritten with them, so saving removes every comment in the file. The result of the save names the backup of the current version.</p>
        </ConfirmDialog>
      )}
      {confirming === 'remove' && flowRef !== undefined && (
        <ConfirmDialog title="Remove this flow?" confirmLabel="Remove flow" danger onCancel={() => setConfirming(undefined)} onConfirm={() => void remove()}>
          <p>The agent stops reading <code>{String(original['filePattern'] ?? '')}</code> for this flow and removes it from <code>{flowRef.file}</code>.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
