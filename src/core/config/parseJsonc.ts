import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Parses agent.json as the Java agent's Jackson parser does with ALLOW_COMMENTS: `//` and `/* *\/`
 * comments are allowed, trailing commas are not, and for a duplicate key the last one wins.
 */
export function parseJsonc(text: string): { value: unknown; problems: SyntaxProblem[] } {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: false, allowTrailingComma: false, allowEmptyContent: false });
  const problems = errors.map((error) => ({ ...positionOf(text, error.offset), message: describe(error) }));
  return { value, problems };
}

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `JSON syntax error: ${words}`;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
