import type { ConfigProblem } from '../../core/config/configFile.js';
import { validateConfig } from '../../core/config/validateConfig.js';
import type {
  AgentController, AgentStatus, ApplyResult, ConfigDocument, ConfigView, FlowEdit, LogEvent, LogQuery, PreviewRequest, PreviewResult,
  RawObject, TrackedFileView, ValidationResult,
} from '../../shared/control/controllerApi.js';
import type { Agent } from '../agent/Agent.js';
import type { ConfigFiles, RawConfigFile } from '../config/ConfigFiles.js';
import type { LogRing } from '../util/LogRing.js';
import { maskSecrets, mergeEdits, rawFlowId } from './rawConfig.js';
import { previewFlow, type PreviewDeps } from './previewFlow.js';

/** An error the control API answers with a status code and a machine-readable code. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: ConfigProblem[],
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface ControllerDeps {
  agent: Agent;
  files: ConfigFiles;
  logs: LogRing;
  preview: PreviewDeps;
}

/**
 * The AgentController of the daemon (DESIGN §2): reads and writes the configuration files, applies
 * them to the running agent (only changed flows restart), and reports status, files and logs. The
 * HTTP server and the tray app's IPC both call this one object.
 */
export class NodeAgentController implements AgentController {
  /** Edits run one at a time: each reads the files, writes them and applies (no lost update). */
  private editing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ControllerDeps) {}

  private serially<T>(edit: () => Promise<T>): Promise<T> {
    const run = this.editing.then(edit);
    this.editing = run.catch(() => undefined);
    return run;
  }

  status(): Promise<AgentStatus> {
    return Promise.resolve(this.deps.agent.status());
  }

  async getConfig(): Promise<ConfigView> {
    const files = await this.deps.files.read();
    const result = validate(files);
    return {
      mainFile: this.deps.files.mainPath,
      files: files.map((file) => ({
        path: file.path, main: file.main, writable: file.writable, hasComments: file.hasComments,
        ...(file.readOnlyReason === undefined ? {} : { readOnlyReason: file.readOnlyReason }),
        content: maskSecrets(file.content ?? {}),
      })),
      flows: files.flatMap((file) => flowsOf(file.content).map((raw, index) => ({ id: rawFlowId(raw), file: file.path, index, raw: maskSecrets(raw) }))),
      problems: result.problems,
      warnings: result.warnings,
    };
  }

  async validateConfig(document: ConfigDocument): Promise<ValidationResult> {
    const { merged } = await this.merge(document);
    const { problems, warnings } = validate(merged);
    return { ok: problems.length === 0, problems, warnings };
  }

  applyConfig(document: ConfigDocument): Promise<ApplyResult> {
    return this.serially(() => this.applyDocument(document));
  }

  private async applyDocument(document: ConfigDocument): Promise<ApplyResult> {
    const { merged, changed } = await this.merge(document);
    return this.applyFiles(merged, changed);
  }

  addFlow(edit: FlowEdit): Promise<ApplyResult> {
    return this.serially(() => this.addFlowNow(edit));
  }

  updateFlow(id: string, edit: FlowEdit): Promise<ApplyResult> {
    return this.serially(() => this.updateFlowNow(id, edit));
  }

  removeFlow(id: string): Promise<ApplyResult> {
    return this.serially(() => this.removeFlowNow(id));
  }

  private async addFlowNow(edit: FlowEdit): Promise<ApplyResult> {
    const target = edit.file ?? this.deps.files.mainPath;
    if (!this.deps.files.isConfigPath(target)) throw new ControlError(400, 'BadFile', `${target} is not the configuration file or a drop-in beside it`);
    const files = await this.deps.files.read();
    const file = files.find((f) => f.path === target);
    const content = { ...(file?.content ?? {}) };
    content['flows'] = [...flowsOf(file?.content), edit.flow];
    return this.applyDocument({ files: [{ path: target, content }] });
  }

  private async updateFlowNow(id: string, edit: FlowEdit): Promise<ApplyResult> {
    const { file, index } = await this.locate(id);
    const content = { ...(file.content ?? {}) };
    const flows = [...flowsOf(file.content)];
    flows[index] = edit.flow;
    content['flows'] = flows;
    return this.applyDocument({ files: [{ path: file.path, content }] });
  }

  private async removeFlowNow(id: string): Promise<ApplyResult> {
    const { file, index } = await this.locate(id);
    const content = { ...(file.content ?? {}) };
    content['flows'] = flowsOf(file.content).filter((_flow, i) => i !== index);
    return this.applyDocument({ files: [{ path: file.path, content }] });
  }

  async pauseFlow(id: string): Promise<AgentStatus> {
    await this.flow(id).pause();
    return this.deps.agent.status();
  }

  resumeFlow(id: string): Promise<AgentStatus> {
    this.flow(id).resume();
    return Promise.resolve(this.deps.agent.status());
  }

  preview(request: PreviewRequest): Promise<PreviewResult> {
    return previewFlow(request, this.deps.preview);
  }

  files(id: string): Promise<TrackedFileView[]> {
    return Promise.resolve(this.flow(id).trackedFiles());
  }

  logs(query: LogQuery): Promise<LogEvent[]> {
    return Promise.resolve(this.deps.logs.query({ level: query.level, flow: query.flow, limit: query.limit ?? 200 }));
  }

  async *events(signal: AbortSignal): AsyncIterable<AgentStatus> {
    while (!signal.aborted) {
      yield this.deps.agent.status();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  }

  private flow(id: string) {
    const flow = this.deps.agent.flow(id);
    if (flow === undefined) throw new ControlError(404, 'NotFound', `no flow ${id}`);
    return flow;
  }

  private async locate(id: string): Promise<{ file: RawConfigFile; index: number }> {
    const files = await this.deps.files.read();
    for (const file of files) {
      const index = flowsOf(file.content).findIndex((raw) => rawFlowId(raw) === id);
      if (index >= 0) return { file, index };
    }
    throw new ControlError(404, 'NotFound', `no flow ${id} in the configuration files`);
  }

  /**
   * The files as they would be after `document`: secrets the UI saw masked are restored, values
   * equal to what the file holds keep their written form, unknown keys stay.
   */
  private async merge(document: ConfigDocument): Promise<{ merged: RawConfigFile[]; changed: RawConfigFile[] }> {
    const current = await this.deps.files.read();
    const merged = [...current];
    const changed: RawConfigFile[] = [];
    for (const incoming of document.files) {
      if (!this.deps.files.isConfigPath(incoming.path)) throw new ControlError(400, 'BadFile', `${incoming.path} is not the configuration file or a drop-in beside it`);
      const index = merged.findIndex((file) => file.path === incoming.path);
      const old = index >= 0 ? merged[index] : undefined;
      const content = mergeEdits(old?.content ?? {}, incoming.content);
      const text = `${JSON.stringify(content, null, 2)}\n`;
      if (old?.content !== undefined && JSON.stringify(old.content) === JSON.stringify(content)) continue;
      if (old !== undefined && !old.writable) throw new ControlError(409, 'ReadOnly', old.readOnlyReason ?? `${old.path} is not writable`);
      const next: RawConfigFile = { path: incoming.path, main: incoming.path === this.deps.files.mainPath, text, content, hasComments: false, writable: true };
      if (index >= 0) merged[index] = next;
      else merged.push(next);
      changed.push(next);
    }
    return { merged, changed };
  }

  private async applyFiles(merged: RawConfigFile[], changed: RawConfigFile[]): Promise<ApplyResult> {
    const result = validate(merged);
    const empty = { added: [], removed: [], restarted: [], unchanged: [], saved: [] };
    if (result.problems.length > 0 || result.config === undefined) return { ok: false, problems: result.problems, warnings: result.warnings, ...empty };
    const saved = await this.deps.files.save(changed.map((file) => ({ path: file.path, content: file.content ?? {} })));
    const outcome = await this.deps.agent.apply(result.config, result.origins);
    const warnings = [...result.warnings, ...outcome.needsRestart.map((key) => ({ file: this.deps.files.mainPath, path: key, message: 'saved; takes effect at the next start' }))];
    return { ok: true, problems: [], warnings, added: outcome.added, removed: outcome.removed, restarted: outcome.restarted, unchanged: outcome.unchanged, saved };
  }
}

function validate(files: readonly RawConfigFile[]) {
  const main = files.find((file) => file.main) ?? files[0];
  if (main === undefined) return { ok: false, problems: [{ file: '', path: '', message: 'no configuration file' }], warnings: [], origins: [] };
  const dropIns = files.filter((file) => file !== main).sort((a, b) => a.path.localeCompare(b.path));
  return validateConfig({ path: main.path, text: main.text }, dropIns.map((file) => ({ path: file.path, text: file.text })));
}

function flowsOf(content: RawObject | undefined): RawObject[] {
  const flows = content?.['flows'];
  return Array.isArray(flows) ? flows.filter((flow): flow is RawObject => typeof flow === 'object' && flow !== null && !Array.isArray(flow)) : [];
}
