/**
 * Evaluation of pipelines, commands, fields, variables and function calls,
 * following Go's exec.go: the value of each command is piped in as the last
 * argument of the next; `.Field` on a map reads a key, on a struct-like
 * object a property, and a function-valued field is a method, called with
 * the arguments. Evaluation is synchronous; a call returning a promise
 * throws Suspend, and the walker replays the pipeline once it settles.
 */
import type * as ast from './ast.js';
import { nodeString } from './ast.js';
import { builtinFuncs, callFunction } from './builtins/index.js';
import { signatureOf, withSignature } from './builtins/signature.js';
import { type ExecState, isThenable, MISSING, Rejected, Suspend } from './exec-state.js';
import { quote } from './strconv.js';
import type { TemplateFunc } from './types.js';
import { isNil, isPlainObject, lookupField, truth, typeName } from './values.js';

export function evalPipeline(s: ExecState, dot: unknown, pipe: ast.PipeNode | undefined): unknown {
  if (!pipe) return undefined;
  s.at(pipe);
  let value: unknown = MISSING;
  for (const cmd of pipe.cmds) value = evalCommand(s, dot, cmd, value);
  // Go unwraps interface{} here: a nil interface becomes "no value".
  if (value === null) value = undefined;
  for (const v of pipe.decl) {
    if (pipe.isAssign) s.setVar(v.ident[0], value);
    else s.push(v.ident[0], value);
  }
  return value;
}

function notAFunction(s: ExecState, args: ast.ArgNode[] | undefined, final: unknown): void {
  if ((args && args.length > 1) || final !== MISSING) {
    s.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
  }
}

function evalCommand(s: ExecState, dot: unknown, cmd: ast.CommandNode, final: unknown): unknown {
  const first = cmd.args[0];
  switch (first.kind) {
    case 'field':
      s.at(first);
      return evalFieldChain(s, dot, dot, first, first.ident, cmd.args, final, true);
    case 'chain': return evalChainNode(s, dot, first, cmd.args, final, true);
    case 'identifier': return evalFunction(s, dot, first, cmd, cmd.args, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable': return evalVariableNode(s, dot, first, cmd.args, final, true);
  }
  s.at(first);
  notAFunction(s, cmd.args, final);
  switch (first.kind) {
    case 'bool': return first.value;
    case 'dot': return dot;
    case 'nil': return s.errorf('nil is not a command');
    case 'number': return idealConstant(s, first);
    case 'string': return first.text;
  }
}

function idealConstant(s: ExecState, n: ast.NumberNode): number | bigint {
  s.at(n);
  if (n.overflowsInt) s.errorf(`${n.text} overflows int`);
  return n.value;
}

function evalChainNode(
  s: ExecState, dot: unknown, chain: ast.ChainNode, args: ast.ArgNode[] | undefined, final: unknown, invoke: boolean,
): unknown {
  s.at(chain);
  if (chain.node.kind === 'nil') s.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
  const receiver = evalArg(s, dot, chain.node, true);
  return evalFieldChain(s, dot, receiver, chain, chain.field, args, final, invoke);
}

function evalVariableNode(
  s: ExecState, dot: unknown, v: ast.VariableNode, args: ast.ArgNode[] | undefined, final: unknown, invoke: boolean,
): unknown {
  s.at(v);
  const value = s.varValue(v.ident[0]);
  if (v.ident.length === 1) {
    notAFunction(s, args, final);
    return value;
  }
  return evalFieldChain(s, dot, value, v, v.ident, args, final, invoke, 1);
}

/** .X.Y.Z: only the last field receives the arguments. */
function evalFieldChain(
  s: ExecState, dot: unknown, receiver: unknown, node: ast.ArgNode, ident: string[],
  args: ast.ArgNode[] | undefined, final: unknown, invoke: boolean, from = 0,
): unknown {
  const last = ident.length - 1;
  for (let i = from; i < last; i++) receiver = evalField(s, dot, ident[i], node, undefined, MISSING, receiver, true);
  return evalField(s, dot, ident[last], node, args, final, receiver, invoke);
}

function evalField(
  s: ExecState, dot: unknown, name: string, node: ast.ArgNode, args: ast.ArgNode[] | undefined,
  final: unknown, receiver: unknown, invoke: boolean,
): unknown {
  if (receiver === undefined) return undefined;
  if (receiver === null) return s.errorf(`nil pointer evaluating interface {}.${name}`);
  const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
  // Fast path for the common case: a key of a plain object.
  if (typeof receiver === 'object' && isPlainObject(receiver)) {
    const value = Object.hasOwn(receiver, name) ? (receiver as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'function') return method(s, dot, value as TemplateFunc, receiver, true, node, name, args, final, invoke);
    if (hasArgs) s.errorf(`${name} is not a method but has arguments`);
    return value;
  }
  const found = lookupField(receiver, name);
  if (found.found && typeof found.value === 'function') {
    return method(s, dot, found.value as TemplateFunc, receiver, found.isMap, node, name, args, final, invoke);
  }
  if (found.isMap) {
    if (hasArgs) s.errorf(`${name} is not a method but has arguments`);
    return found.found ? found.value : undefined;
  }
  if (!found.found) return s.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  if (hasArgs) s.errorf(`${name} has arguments but cannot be invoked as function`);
  return found.value;
}

function method(
  s: ExecState, dot: unknown, fn: TemplateFunc, receiver: unknown, inMap: boolean, node: ast.ArgNode, name: string,
  args: ast.ArgNode[] | undefined, final: unknown, invoke: boolean,
): unknown {
  if (invoke) return evalCall(s, dot, fn, receiver, node, name, args, final);
  // `call .Obj.Method`: hand the method over, bound to its object and keeping its signature.
  if (inMap) return fn;
  const bound: TemplateFunc = (...a) => fn.apply(receiver, a);
  const sig = signatureOf(fn);
  return sig ? withSignature(bound, sig) : bound;
}

function evalFunction(
  s: ExecState, dot: unknown, node: ast.IdentifierNode, cmd: ast.AnyNode, args: ast.ArgNode[] | undefined, final: unknown,
): unknown {
  s.at(node);
  const fn = s.set.funcs.get(node.name);
  if (!fn) return s.errorf(`${quote(node.name)} is not a defined function`);
  return evalCall(s, dot, fn, undefined, cmd, node.name, args, final);
}

function checkArgs(s: ExecState, fn: TemplateFunc, name: string, fixed: number, numIn: number): void {
  const sig = signatureOf(fn);
  if (!sig) return;
  if (sig.variadic && numIn < sig.args) s.errorf(`wrong number of args for ${name}: want at least ${sig.args} got ${fixed}`);
  if (!sig.variadic && numIn !== sig.args) s.errorf(`wrong number of args for ${name}: want ${sig.args} got ${numIn}`);
}

function checkStringArgs(s: ExecState, fn: TemplateFunc, argv: unknown[]): void {
  const positions = signatureOf(fn)?.stringArgs;
  if (!positions) return;
  for (const i of positions) {
    if (i >= argv.length) continue;
    const v = argv[i];
    if (isNil(v)) s.errorf('invalid value; expected string');
    if (typeof v !== 'string') s.errorf(`wrong type for value; expected string; got ${typeName(v)}`);
  }
}

/** Calls a function or method; `args[0]`, when present, is the function's own node. */
function evalCall(
  s: ExecState, dot: unknown, fn: TemplateFunc, thisArg: unknown, node: ast.AnyNode, name: string,
  args: ast.ArgNode[] | undefined, final: unknown,
): unknown {
  const nArgs = args ? args.length - 1 : 0;
  const numIn = nArgs + (final === MISSING ? 0 : 1);
  checkArgs(s, fn, name, nArgs, numIn);
  const builtin = thisArg === undefined && Object.hasOwn(builtinFuncs, name) && builtinFuncs[name] === fn;
  if (builtin && (name === 'and' || name === 'or')) {
    let v: unknown;
    for (let i = 1; i <= nArgs; i++) {
      v = evalArg(s, dot, args![i], true);
      if (truth(v) === (name === 'or')) return v;
    }
    return final === MISSING ? v : final;
  }
  const isCall = builtin && name === 'call';
  const argv: unknown[] = new Array(numIn);
  for (let i = 1; i <= nArgs; i++) argv[i - 1] = evalArg(s, dot, args![i], !(isCall && i === 1));
  if (final !== MISSING) argv[nArgs] = final;
  checkStringArgs(s, fn, argv);
  if (isCall) {
    const calleeName = nArgs > 0 ? nodeString(args![1]) : String(final);
    return invoke(s, node, name, () => callFunction(calleeName, argv[0], argv.slice(1)));
  }
  return invoke(s, node, name, () => fn.apply(thisArg, argv));
}

/** Runs a call once per evaluation: replays its recorded result, or records it (suspending on a promise). */
function invoke(s: ExecState, node: ast.AnyNode, name: string, call: () => unknown): unknown {
  if (s.tapePos < s.tape.length) {
    const recorded = s.tape[s.tapePos++];
    if (recorded instanceof Rejected) return callFailed(s, node, name, recorded.error);
    return recorded;
  }
  let result: unknown;
  try {
    result = call();
  } catch (err) {
    return callFailed(s, node, name, err);
  }
  if (isThenable(result)) throw new Suspend(result);
  s.tape.push(result);
  s.tapePos++;
  return result;
}

function callFailed(s: ExecState, node: ast.AnyNode, name: string, err: unknown): never {
  if (s.signal?.aborted) throw s.signal.reason;
  s.at(node);
  return s.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`, err);
}

function evalArg(s: ExecState, dot: unknown, n: ast.ArgNode, invoke: boolean): unknown {
  s.at(n);
  switch (n.kind) {
    case 'dot': return dot;
    case 'nil': return null;
    case 'field': return evalFieldChain(s, dot, dot, n, n.ident, undefined, MISSING, invoke);
    case 'variable': return evalVariableNode(s, dot, n, undefined, MISSING, invoke);
    case 'pipe': return evalPipeline(s, dot, n);
    case 'identifier': return evalFunction(s, dot, n, n, undefined, MISSING);
    case 'chain': return evalChainNode(s, dot, n, undefined, MISSING, invoke);
    case 'bool': return n.value;
    case 'number': return idealConstant(s, n);
    case 'string': return n.text;
  }
}
