import type { Converter } from './converter.js';
import { javaTrim } from './javaString.js';

/**
 * SINGLELINE (reference §2.2): Java `data.split("\n")` (trailing empty strings dropped), each line
 * Java-trimmed unless NO_TRIM, joined with "" — or with the 3-character literal `\\n` under
 * ESCAPE_NEW_LINE — then "\n". Plain text, not JSON.
 */
export function singleLine(parseOptions: readonly string[] = []): Converter {
  const trim = !parseOptions.includes('NO_TRIM');
  const separator = parseOptions.includes('ESCAPE_NEW_LINE') ? '\\\\n' : '';
  return (text) => {
    const lines = text.split('\n');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return `${(trim ? lines.map(javaTrim) : lines).join(separator)}\n`;
  };
}
