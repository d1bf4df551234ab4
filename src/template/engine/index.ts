/**
 * A Go text/template engine: parse once, execute many times with different
 * data. Templates written for Go (consul-template's `.ctmpl` files) work
 * unchanged; docs/template-language.md lists the language and the few
 * places where JavaScript values make it differ.
 */
import { builtinFuncs } from './builtins/index.js';
import { TemplateError } from './errors.js';
import { walkList } from './exec.js';
import { drive, ExecState, type TemplateSet } from './exec-state.js';
import { parseTrees } from './parser.js';
import { quote } from './strconv.js';
import type { TemplateFunc } from './types.js';

export { builtinFuncs } from './builtins/index.js';
export { type FuncSignature, withSignature } from './builtins/signature.js';
export { TemplateError } from './errors.js';
export { formatValue, sprint, sprintf, sprintln } from './fmt/index.js';
export type { TemplateFunc } from './types.js';
export { truth } from './values.js';

export interface ParseOptions {
  /** Functions callable from the template, in addition to (and overriding) the builtins. */
  funcs: Record<string, TemplateFunc>;
  leftDelim?: string;
  rightDelim?: string;
}

export interface ExecuteOptions {
  /** Aborting rejects the execution with the signal's reason, without waiting for pending functions. */
  signal?: AbortSignal;
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

function functionTable(name: string, funcs: Record<string, TemplateFunc>): Map<string, TemplateFunc> {
  const table = new Map<string, TemplateFunc>(Object.entries(builtinFuncs));
  for (const [fname, fn] of Object.entries(funcs)) {
    if (!IDENTIFIER.test(fname)) {
      throw new TemplateError(`function name ${quote(fname)} is not a valid identifier`, { templateName: name });
    }
    if (typeof fn !== 'function') throw new TemplateError(`value for ${fname} not a function`, { templateName: name });
    table.set(fname, fn);
  }
  return table;
}

export class Template {
  private constructor(private readonly set: TemplateSet) {}

  /** Parses the text and its {{define}}/{{block}} templates; throws TemplateError (Go's wording) on bad syntax. */
  static parse(name: string, text: string, opts: ParseOptions): Template {
    const funcs = functionTable(name, opts.funcs);
    const trees = parseTrees(name, text, {
      leftDelim: opts.leftDelim || '{{',
      rightDelim: opts.rightDelim || '}}',
      hasFunction: (fname) => funcs.has(fname),
    });
    return new Template({ parseName: name, text, trees, funcs });
  }

  get name(): string {
    return this.set.parseName;
  }

  /** Names of every template in this set: the top level and each {{define}}/{{block}}. */
  get templateNames(): string[] {
    return [...this.set.trees.keys()];
  }

  /** Renders the top-level template. Rejects with TemplateError on execution errors. */
  execute(data: unknown, opts: ExecuteOptions = {}): Promise<string> {
    return this.executeTemplate(this.set.parseName, data, opts);
  }

  /** Renders one named template of the set (Go's ExecuteTemplate). */
  async executeTemplate(name: string, data: unknown, opts: ExecuteOptions = {}): Promise<string> {
    opts.signal?.throwIfAborted();
    const tree = this.set.trees.get(name);
    if (!tree) {
      throw new TemplateError(`template: no template ${quote(name)} associated with template ${quote(this.set.parseName)}`, {
        templateName: this.set.parseName,
      });
    }
    // A nil data value is Go's invalid value: fields of it print <no value>.
    const dot = data === null ? undefined : data;
    const state = new ExecState(this.set, name, dot, opts.signal);
    try {
      await drive(walkList(state, dot, tree), opts.signal);
    } catch (err) {
      // Deep recursion can exhaust the JS stack before the depth limit; report it as Go reports the limit.
      if (err instanceof RangeError && /call stack/i.test(err.message)) state.errorf('exceeded maximum template depth (stack exhausted)', err);
      throw err;
    }
    return state.out;
  }
}
