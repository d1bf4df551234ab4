/**
 * The state of one execution: output, the variable stack, the node being
 * evaluated (for error context), the template being run, and the record of
 * calls that lets a pipeline pause on a promise. The walker is a generator
 * that yields only such promises, so synchronous templates never wait on
 * the event loop.
 */
import { type AnyNode, type ListNode, nodeString } from './ast.js';
import { locate, TemplateError } from './errors.js';
import { quote } from './strconv.js';
import type { TemplateFunc } from './types.js';

/** "No value was piped in" (distinct from a piped-in undefined). */
export const MISSING = Symbol('missing');

/** Yields promises to the driver, which resumes with their results. */
export type Gen<T> = Generator<unknown, T, unknown>;

/** Thrown by a pipeline evaluation that reached a function returning a promise. */
export class Suspend {
  constructor(readonly promise: PromiseLike<unknown>) {}
}

/** A recorded promise rejection, re-thrown at the call when the pipeline is replayed. */
export class Rejected {
  constructor(readonly error: unknown) {}
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** What a parse produced: every named tree, the source (for positions) and the functions in scope. */
export interface TemplateSet {
  readonly parseName: string;
  readonly text: string;
  readonly trees: ReadonlyMap<string, ListNode>;
  readonly funcs: ReadonlyMap<string, TemplateFunc>;
}

interface Variable {
  name: string;
  value: unknown;
}

export class ExecState {
  node: AnyNode | undefined;
  vars: Variable[];
  out = '';
  depth = 0;
  /**
   * Results of the function calls made so far by the pipeline being evaluated.
   * When a call suspends, the pipeline is evaluated again once the promise
   * settles, and calls up to that point get their recorded results: every
   * function runs once, and synchronous pipelines never allocate a generator.
   */
  readonly tape: unknown[] = [];
  tapePos = 0;

  constructor(
    readonly set: TemplateSet,
    public tmplName: string,
    dot: unknown,
    readonly signal: AbortSignal | undefined,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  at(node: AnyNode): void {
    this.node = node;
  }

  /** Go's execution error: `template: NAME:LINE:COL: executing "T" at <node>: message`. */
  errorf(message: string, cause?: unknown): never {
    const templateName = this.set.parseName;
    if (!this.node) {
      throw new TemplateError(`template: ${this.tmplName}: ${message}`, { templateName }, { cause });
    }
    const { line, col } = locate(this.set.text, this.node.pos);
    const full = `template: ${templateName}:${line}:${col}: executing ${quote(this.tmplName)} at <${nodeString(this.node)}>: ${message}`;
    throw new TemplateError(full, { templateName, line, col }, { cause });
  }

  checkAbort(): void {
    this.signal?.throwIfAborted();
  }

  push(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  mark(): number {
    return this.vars.length;
  }

  pop(mark: number): void {
    if (this.vars.length > mark) this.vars.length = mark;
  }

  /** `$x = v` changes the innermost declaration of $x. */
  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  /** Sets the n-th variable from the top (range's per-iteration variables). */
  setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n].value = value;
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i].value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }
}

/** Runs an execution generator, awaiting only the promises it yields. */
export async function drive<T>(gen: Gen<T>, signal: AbortSignal | undefined): Promise<T> {
  let step = gen.next();
  if (step.done) return step.value;
  // An abort must not wait for a slow function (a blocking query) to settle.
  let onAbort: (() => void) | undefined;
  const aborted = signal
    ? new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      })
    : undefined;
  aborted?.catch(() => undefined);
  try {
    while (!step.done) {
      let value: unknown;
      try {
        value = await (aborted ? Promise.race([step.value, aborted]) : step.value);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        step = gen.throw(err);
        continue;
      }
      step = gen.next(value);
    }
    return step.value;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
