/**
 * The tree walker: writes text, prints action values, and runs if/with,
 * range (arrays, maps in key order, integers, iterables; break/continue) and
 * template invocations, with Go's variable scoping at run time. It is a
 * generator so that it can pause where a function returned a promise.
 */
import type * as ast from './ast.js';
import { nodeString } from './ast.js';
import { evalPipeline } from './eval.js';
import { type ExecState, type Gen, Rejected, Suspend } from './exec-state.js';
import { formatValue } from './fmt/index.js';
import { quote } from './strconv.js';
import { sortedEntries, truth, typeName } from './values.js';

/** Deep enough for real recursive templates; stops runaway recursion before the JS stack does. */
export const MAX_TEMPLATE_DEPTH = 1000;

type Flow = 'break' | 'continue' | undefined;

/** Evaluates a pipeline synchronously; a Suspend comes back (not thrown) when a function returned a promise. */
function startPipeline(s: ExecState, dot: unknown, pipe: ast.PipeNode | undefined): unknown {
  if (s.tape.length > 0) s.tape.length = 0;
  s.tapePos = 0;
  try {
    return evalPipeline(s, dot, pipe);
  } catch (err) {
    if (err instanceof Suspend) return err;
    throw err;
  }
}

/** Waits for the promise, then evaluates the pipeline again, replaying the calls already made. */
function* resumePipeline(s: ExecState, dot: unknown, pipe: ast.PipeNode | undefined, suspended: Suspend, mark: number): Gen<unknown> {
  for (;;) {
    s.pop(mark);
    try {
      s.tape.push(yield suspended.promise);
    } catch (err) {
      s.tape.push(new Rejected(err));
    }
    s.tapePos = 0;
    try {
      return evalPipeline(s, dot, pipe);
    } catch (err) {
      if (!(err instanceof Suspend)) throw err;
      suspended = err;
    }
  }
}

export function* walkList(s: ExecState, dot: unknown, list: ast.ListNode): Gen<Flow> {
  for (const node of list.nodes) {
    s.at(node);
    switch (node.kind) {
      case 'text':
        s.out += node.text;
        break;
      case 'action': {
        const mark = s.mark();
        let value = startPipeline(s, dot, node.pipe);
        if (value instanceof Suspend) value = yield* resumePipeline(s, dot, node.pipe, value, mark);
        if (node.pipe.decl.length === 0) printValue(s, node, value);
        break;
      }
      case 'if':
      case 'with': {
        const mark = s.mark();
        let value = startPipeline(s, dot, node.pipe);
        if (value instanceof Suspend) value = yield* resumePipeline(s, dot, node.pipe, value, mark);
        const taken = truth(value);
        const branch = taken ? node.list : node.elseList;
        const flow = branch ? yield* walkList(s, taken && node.kind === 'with' ? value : dot, branch) : undefined;
        s.pop(mark);
        if (flow) return flow;
        break;
      }
      case 'range':
        yield* walkRange(s, dot, node);
        break;
      case 'template':
        yield* walkTemplate(s, dot, node);
        break;
      case 'break':
      case 'continue':
        return node.kind;
      case 'list': {
        const flow = yield* walkList(s, dot, node);
        if (flow) return flow;
        break;
      }
    }
  }
  return undefined;
}

function printValue(s: ExecState, node: ast.ActionNode, value: unknown): void {
  s.at(node);
  if (typeof value === 'string') s.out += value;
  else if (value === undefined || value === null) s.out += '<no value>';
  else if (typeof value === 'function') s.errorf(`can't print ${nodeString(node)} of type ${typeName(value)}`);
  else s.out += formatValue(value);
}

/** Keys and elements range visits, or undefined when the value cannot be ranged over. */
function rangeEntries(value: unknown): { keys: unknown[] | undefined; elems: unknown[] } | undefined {
  if (Array.isArray(value)) return { keys: undefined, elems: value };
  if (value instanceof Set) return { keys: undefined, elems: [...value] };
  if (typeof value !== 'object' || value === null) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (value instanceof Map || proto === Object.prototype || proto === null) {
    const entries = sortedEntries(value);
    return { keys: entries.map((e) => e[0]), elems: entries.map((e) => e[1]) };
  }
  if (Symbol.iterator in value) return { keys: undefined, elems: [...(value as Iterable<unknown>)] };
  return undefined;
}

function* walkRange(s: ExecState, dot: unknown, r: ast.BranchNode): Gen<void> {
  const outer = s.mark();
  let value = startPipeline(s, dot, r.pipe);
  if (value instanceof Suspend) value = yield* resumePipeline(s, dot, r.pipe, value, outer);
  const mark = s.mark();
  const { decl, isAssign } = r.pipe;
  let keys: unknown[] | undefined;
  let elems: unknown[] | undefined;
  let count = 0;
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') {
    // Go 1.22: range over an integer n visits 0..n-1, as the element.
    if (decl.length > 1) s.errorf(`can't use ${value} to iterate over more than one variable`);
    count = Math.max(Number(value), 0);
  } else if (value !== undefined && value !== null) {
    const entries = rangeEntries(value) ?? s.errorf(`range can't iterate over ${formatValue(value)}`);
    ({ keys, elems } = entries);
    count = elems.length;
  }
  for (let i = 0; i < count; i++) {
    s.checkAbort();
    const elem = elems ? elems[i] : i;
    const index = elems ? (keys ? keys[i] : i) : undefined;
    if (decl.length > 0) {
      if (isAssign) s.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
      else s.setTopVar(1, elem);
    }
    if (decl.length > 1) {
      if (isAssign) s.setVar(decl[1].ident[0], elem);
      else s.setTopVar(2, index);
    }
    const flow = yield* walkList(s, elem, r.list);
    s.pop(mark);
    if (flow === 'break') break;
  }
  if (count === 0 && r.elseList) yield* walkList(s, dot, r.elseList);
  s.pop(outer);
}

function* walkTemplate(s: ExecState, dot: unknown, t: ast.TemplateNode): Gen<void> {
  const tree = s.set.trees.get(t.name);
  if (!tree) s.errorf(`template ${quote(t.name)} not defined`);
  if (s.depth >= MAX_TEMPLATE_DEPTH) s.errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
  const mark = s.mark();
  let newDot = startPipeline(s, dot, t.pipe);
  if (newDot instanceof Suspend) newDot = yield* resumePipeline(s, dot, t.pipe, newDot, mark);
  const saved = { vars: s.vars, tmplName: s.tmplName };
  // No dynamic scoping: the invoked template sees only $ (its dot).
  s.vars = [{ name: '$', value: newDot }];
  s.tmplName = t.name;
  s.depth++;
  yield* walkList(s, newDot, tree!);
  s.depth--;
  s.vars = saved.vars;
  s.tmplName = saved.tmplName;
}
