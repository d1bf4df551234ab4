import { WeftError } from '../../lib/errors.js';

/**
 * A parse or execution failure, worded exactly as Go's text/template words it
 * (`template: NAME:LINE: ...` when parsing, `template: NAME:LINE:COL: executing
 * "NAME" at <...>: ...` when executing) because people grep logs for those.
 */
export class TemplateError extends WeftError {
  /** Name given to `Template.parse` (Go's ParseName: the file the text came from). */
  readonly templateName: string;
  /** 1-based line, when the error has a place in the text. */
  readonly line: number | undefined;
  /** 0-based byte column within the line (as Go counts it); only execution errors have one. */
  readonly col: number | undefined;

  constructor(message: string, where: { templateName: string; line?: number; col?: number }, options?: { cause?: unknown }) {
    super('BAD_REQUEST', message, options);
    this.name = 'TemplateError';
    this.templateName = where.templateName;
    this.line = where.line;
    this.col = where.col;
  }
}

/** Line (1-based) and Go's byte column (0-based) of an offset into the source text. */
export function locate(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: Buffer.byteLength(text.slice(lineStart, offset), 'utf8') };
}
