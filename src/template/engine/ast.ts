/**
 * Parse-tree nodes, shaped like Go's text/template/parse nodes. `pos` is the
 * offset in the source text that Go reports for the node in execution errors;
 * `nodeString` renders a node the way Go's String() methods do, because
 * errors quote it (`executing "t" at <.Foo.Bar>`).
 */
import { quote } from './strconv.js';

export interface ListNode { kind: 'list'; pos: number; nodes: Node[] }
export interface TextNode { kind: 'text'; pos: number; text: string }
export interface ActionNode { kind: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode {
  kind: 'if' | 'range' | 'with';
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}
export interface TemplateNode { kind: 'template'; pos: number; line: number; name: string; pipe: PipeNode | undefined }
export interface LoopControlNode { kind: 'break' | 'continue'; pos: number; line: number }
/** Only seen while parsing: they end an item list. */
export interface DelimiterNode { kind: 'end' | 'else'; pos: number; line: number }

export const isDelimiter = (n: Node | DelimiterNode): n is DelimiterNode => n.kind === 'end' || n.kind === 'else';

export type Node = ListNode | TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;

export interface PipeNode {
  kind: 'pipe';
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode { kind: 'command'; pos: number; args: ArgNode[] }
export interface FieldNode { kind: 'field'; pos: number; ident: string[] }
export interface VariableNode { kind: 'variable'; pos: number; ident: string[] }
export interface ChainNode { kind: 'chain'; pos: number; node: ArgNode; field: string[] }
export interface IdentifierNode { kind: 'identifier'; pos: number; name: string }
export interface DotNode { kind: 'dot'; pos: number }
export interface NilNode { kind: 'nil'; pos: number }
export interface BoolNode { kind: 'bool'; pos: number; value: boolean }
export interface NumberNode {
  kind: 'number';
  pos: number;
  text: string;
  /** The value Go's idealConstant gives it (int or float64); bigint beyond 2^53. */
  value: number | bigint;
  /** Fits uint64 but not int: an error when used, as in Go. */
  overflowsInt: boolean;
}
export interface StringNode { kind: 'string'; pos: number; quoted: string; text: string }

export type ArgNode =
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | PipeNode;

export type AnyNode = Node | ArgNode | CommandNode | DelimiterNode;

function pipeString(p: PipeNode): string {
  let s = '';
  if (p.decl.length > 0) s = `${p.decl.map(nodeString).join(', ')}${p.isAssign ? ' = ' : ' := '}`;
  return s + p.cmds.map(nodeString).join(' | ');
}

function listString(l: ListNode | undefined): string {
  return l ? l.nodes.map(nodeString).join('') : '';
}

export function nodeString(n: AnyNode): string {
  switch (n.kind) {
    case 'list': return listString(n);
    case 'text': return n.text;
    case 'action': return `{{${pipeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const elsePart = n.elseList ? `{{else}}${listString(n.elseList)}` : '';
      return `{{${n.kind} ${pipeString(n.pipe)}}}${listString(n.list)}${elsePart}{{end}}`;
    }
    case 'template': return n.pipe ? `{{template ${quote(n.name)} ${pipeString(n.pipe)}}}` : `{{template ${quote(n.name)}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
    case 'pipe': return pipeString(n);
    case 'command': return n.args.map((a) => (a.kind === 'pipe' ? `(${pipeString(a)})` : nodeString(a))).join(' ');
    case 'field': return n.ident.map((id) => `.${id}`).join('');
    case 'variable': return n.ident.join('.');
    case 'chain': {
      const head = n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
  }
}

/** Go's IsEmptyTree: a definition that is only spaces may be replaced by another. */
export function isEmptyTree(n: Node): boolean {
  if (n.kind === 'list') return n.nodes.every(isEmptyTree);
  if (n.kind === 'text') return n.text.trim() === '';
  return false;
}
