import type { ConfigDocument, ConfigView, RawObject } from '../../../src/shared/control/controllerApi.js';

/**
 * The whole configuration with one flow replaced (an edit, found by id) or added (to `file`), for
 * `POST /api/v1/config/validate`: the daemon checks what the save would produce, across files
 * (duplicate flow ids, global keys).
 */
export function configDocumentWith(view: ConfigView, flow: RawObject, target: { id: string } | { file: string }): ConfigDocument {
  const ref = 'id' in target ? view.flows.find((f) => f.id === target.id) : undefined;
  const file = ref?.file ?? ('file' in target ? target.file : view.mainFile);
  return {
    files: view.files.map((f) => {
      if (f.path !== file) return { path: f.path, content: f.content };
      const flows = Array.isArray(f.content['flows']) ? [...(f.content['flows'] as unknown[])] : [];
      if (ref === undefined) flows.push(flow);
      else flows[ref.index] = flow;
      return { path: f.path, content: { ...f.content, flows } };
    }),
  };
}
