/**
 * The template parser: Go's grammar and Go's error messages. It yields one
 * tree per template name (the top level, each {{define}} and {{block}}),
 * checks at parse time that functions and variables exist, and keeps Go's
 * variable scoping (a declaration lives until the {{end}} of its block).
 */
import * as ast from './ast.js';
import { lex } from './lexer.js';
import { ExprParser } from './parse-expr.js';
import { quote } from './strconv.js';
import type { Token } from './token.js';

export interface ParseOptions {
  leftDelim: string;
  rightDelim: string;
  hasFunction(name: string): boolean;
}

/** Parses `text` into its named trees; throws TemplateError. */
export function parseTrees(name: string, text: string, opts: ParseOptions): Map<string, ast.ListNode> {
  const tokens = lex(text, {
    leftDelim: opts.leftDelim,
    rightDelim: opts.rightDelim,
    breakOK: !opts.hasFunction('break'),
    continueOK: !opts.hasFunction('continue'),
  });
  const trees = new Map<string, ast.ListNode>();
  new Parser(tokens, name, opts.hasFunction, trees).parse();
  return trees;
}

type Control = Omit<ast.BranchNode, 'kind'>;

class Parser extends ExprParser {
  private rangeDepth = 0;

  constructor(
    tokens: Token[],
    name: string,
    hasFunction: (name: string) => boolean,
    private readonly trees: Map<string, ast.ListNode>,
  ) {
    super(tokens, name, hasFunction);
  }

  parse(): void {
    const root: ast.ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const mark = this.mark();
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.inNewScope(() => this.parseDefinition());
          continue;
        }
        this.reset(mark);
      }
      const n = this.textOrAction();
      if (ast.isDelimiter(n)) return this.errorf(`unexpected ${ast.nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add(this.parseName, root);
  }

  /** A {{define}} or {{block}} body is a separate tree: its own variables, not inside any range. */
  private inNewScope<T>(body: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth, actionLine: this.actionLine };
    this.vars = ['$'];
    this.rangeDepth = 0;
    this.actionLine = 0;
    try {
      return body();
    } finally {
      Object.assign(this, saved);
    }
  }

  private add(name: string, root: ast.ListNode): void {
    const existing = this.trees.get(name);
    if (!existing || ast.isEmptyTree(existing)) this.trees.set(name, root);
    else if (!ast.isEmptyTree(root)) this.errorf(`template: multiple definition of template ${quote(name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.templateName(this.expectOneOf('string', 'rawString', context), context);
    this.expect('rightDelim', context);
    const [root, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected ${ast.nodeString(end)} in ${context}`);
    this.add(name, root);
  }

  private itemList(): [ast.ListNode, ast.DelimiterNode] {
    const list: ast.ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (ast.isDelimiter(n)) return [list, n];
      list.nodes.push(n);
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): ast.Node | ast.DelimiterNode {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { kind: 'text', pos: t.pos, text: t.val };
    if (t.type !== 'leftDelim') this.unexpected(t, 'input');
    this.actionLine = t.line;
    try {
      return this.action();
    } finally {
      this.actionLine = 0;
    }
  }

  private action(): ast.Node | ast.DelimiterNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block': return this.blockControl();
      case 'break':
      case 'continue': return this.loopControl(t);
      case 'else': return this.elseControl();
      case 'end': return { kind: 'end', pos: this.expect('rightDelim', 'end').pos, line: t.line };
      case 'if': return { kind: 'if', ...this.parseControl('if') };
      case 'range': return { kind: 'range', ...this.parseControl('range') };
      case 'template': return this.templateControl();
      case 'with': return { kind: 'with', ...this.parseControl('with') };
    }
    this.backup();
    const first = this.peek();
    // Variables declared here stay in scope until the enclosing {{end}}.
    return { kind: 'action', pos: first.pos, line: first.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(t: Token): ast.LoopControlNode {
    const kind = t.type as 'break' | 'continue';
    const after = this.nextNonSpace();
    if (after.type !== 'rightDelim') this.unexpected(after, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { kind, pos: t.pos, line: t.line };
  }

  private elseControl(): ast.DelimiterNode {
    const peek = this.peekNonSpace();
    // "{{else if" and "{{else with" leave the keyword for parseControl to chain.
    if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: t.pos, line: t.line };
  }

  private parseControl(context: 'if' | 'range' | 'with'): Control {
    const varsMark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ast.ListNode | undefined;
      if (next.kind === 'else') {
        const chained = this.peek().type;
        if ((context === 'if' && chained === 'if') || (context === 'with' && chained === 'with')) {
          // {{else if x}}...{{end}} is {{else}}{{if x}}...{{end}}{{end}} sharing one {{end}}.
          this.next();
          elseList = { kind: 'list', pos: next.pos, nodes: [{ kind: context, ...this.parseControl(context) }] };
        } else {
          const [rest, end] = this.itemList();
          if (end.kind !== 'end') this.errorf(`expected end; found ${ast.nodeString(end)}`);
          elseList = rest;
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = varsMark;
    }
  }

  private blockControl(): ast.TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.inNewScope(() => {
      const [root, end] = this.itemList();
      if (end.kind !== 'end') this.errorf(`unexpected ${ast.nodeString(end)} in ${context}`);
      this.add(name, root);
    });
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateControl(): ast.TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: ast.PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquoted(t.val);
  }

}
