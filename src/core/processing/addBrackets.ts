import type { Converter } from './converter.js';

/** ADDBRACKETS (reference §2.7): `{` + data + `}`, the data keeping its newline. */
export function addBrackets(): Converter {
  return (text) => `{${text}}`;
}
