/**
 * Parsing inside actions: pipelines with their declarations, commands,
 * operands (`.A.B`, `$x.A`, `(pipeline).A`) and terms, with Go's checks and
 * messages (unknown functions and undefined variables are parse errors).
 */
import type * as ast from './ast.js';
import { nodeString } from './ast.js';
import { parseNumber } from './number-literal.js';
import { quote, unquote } from './strconv.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

const MAX_PAREN_DEPTH = 1000;
const OPERAND_START = new Set([
  'bool', 'charConstant', 'complex', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen',
]);
const NOT_EXECUTABLE = new Set(['bool', 'dot', 'nil', 'number', 'string']);

export class ExprParser extends TokenStream {
  /** Variables in scope, innermost last. */
  protected vars = ['$'];
  private parenDepth = 0;

  constructor(tokens: Token[], name: string, private readonly hasFunction: (name: string) => boolean) {
    super(tokens, name);
  }

  protected unquoted(literal: string): string {
    try {
      return unquote(literal);
    } catch (err) {
      return this.errorf((err as Error).message);
    }
  }

  protected pipeline(context: string, end: 'rightDelim' | 'rightParen'): ast.PipeNode {
    const first = this.peekNonSpace();
    const pipe: ast.PipeNode = { kind: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) this.unexpected(t, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  /** `$x :=`, `$x =`, and in range `$i, $e :=`; anything else is pushed back. */
  private declarations(pipe: ast.PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') return;
      const mark = this.mark();
      this.next();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        this.declare(pipe, v);
        return;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        this.declare(pipe, v);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.reset(mark);
      return;
    }
  }

  private declare(pipe: ast.PipeNode, v: Token): void {
    pipe.decl.push({ kind: 'variable', pos: v.pos, ident: v.val.split('.') });
    this.vars.push(v.val);
  }

  private checkPipeline(pipe: ast.PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      if (NOT_EXECUTABLE.has(pipe.cmds[i].args[0].kind)) this.errorf(`non executable command in pipeline stage ${i + 1}`);
    }
  }

  private command(): ast.CommandNode {
    const cmd: ast.CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  /** A term followed by `.Field`s: `.A.B`, `$x.A`, `(pipeline).A`. */
  private operand(): ast.ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
      default:
        return { kind: 'chain', pos, node, field: fields };
    }
  }

  private term(): ast.ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${quote(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, name: t.val };
      case 'dot': return { kind: 'dot', pos: t.pos };
      case 'nil': return { kind: 'nil', pos: t.pos };
      case 'variable': return this.useVar(t);
      case 'field': return { kind: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case 'bool': return { kind: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        try {
          return { kind: 'number', pos: t.pos, text: t.val, ...parseNumber(t.val, t.type) };
        } catch (err) {
          return this.errorf((err as Error).message);
        }
      case 'leftParen':
        if (this.parenDepth >= MAX_PAREN_DEPTH) this.errorf('max expression depth exceeded');
        this.parenDepth++;
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.parenDepth--;
        }
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: t.pos, quoted: t.val, text: this.unquoted(t.val) };
    }
    this.backup();
    return undefined;
  }

  private useVar(t: Token): ast.VariableNode {
    const ident = t.val.split('.');
    if (!this.vars.includes(ident[0])) this.errorf(`undefined variable ${quote(ident[0])}`);
    return { kind: 'variable', pos: t.pos, ident };
  }
}
