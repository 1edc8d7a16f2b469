import type { RawObject } from '../../../src/shared/control/controllerApi.js';
import { withoutKey } from './editRawField.js';

/** The flow with its dataProcessingOptions replaced (kept in place) or left out when `undefined`. */
export function withChain(draft: RawObject, chain: unknown): RawObject {
  if (chain === undefined) return withoutKey(draft, 'dataProcessingOptions');
  if (draft['dataProcessingOptions'] === chain) return draft;
  return { ...draft, dataProcessingOptions: chain };
}
