import { locateJsonError, lineColumn } from '../config/json-position.js';
import { WeftError } from '../lib/errors.js';
import { RuleLines } from './rule-lines.js';
import {
  ACCESS_LEVELS,
  GLOBAL_KINDS,
  SEGMENT_KINDS,
  emptyRules,
  type GlobalKind,
  type PolicyRules,
  type RuleAccess,
  type SegmentKind,
} from './rules.js';

/**
 * Parses a policy's rules, in HCL or (when the text starts with `{`) JSON, as Consul's
 * acl.NewPolicyFromSource does. Refusals are 400s that name the line and the reason.
 * Unlike Consul, which silently ignores keys it does not know, a misspelt rule type or
 * field is refused: a typo would otherwise grant (or deny) nothing without a word.
 */
export async function parseRules(text: string): Promise<PolicyRules> {
  if (text.trim() === '') return emptyRules();
  const json = text.trimStart().startsWith('{');
  const raw = json ? parseJsonText(text) : await parseHclText(text);
  return new Interpreter(new RuleLines(text)).rules(raw);
}

const refuse = (message: string): WeftError => new WeftError('BAD_REQUEST', message);
const at = (line: number | undefined): string => (line === undefined ? '' : ` at line ${line}`);

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const fault = locateJsonError(text);
    if (!fault) throw refuse(`Failed to parse ACL rules: ${(err as Error).message}`);
    const { line, column } = lineColumn(text, fault.offset);
    throw refuse(`Failed to parse ACL rules: line ${line}, column ${column}: ${fault.reason}`);
  }
}

/** The parser is loaded on first use: its WebAssembly runtime costs about 55 MB of RSS. */
async function parseHclText(text: string): Promise<unknown> {
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return await parse('rules.hcl', text);
  } catch (err) {
    throw refuse(`Failed to parse ACL rules: ${describeHclError(String((err as Error).message))}`);
  }
}

/** `parse config: [rules.hcl:2,11-3,1: Summary; Detail rules.hcl:…]` → the first diagnostic. */
function describeHclError(raw: string): string {
  const m = /rules\.hcl:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: (.*?)(?= rules\.hcl:\d|\]$|$)/s.exec(raw);
  return m ? `line ${m[1]}, column ${m[2]}: ${m[3].trim()}` : raw.replace(/^parse config: /, '');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const ENTERPRISE = new Set(['namespace', 'namespace_prefix', 'partition', 'partition_prefix']);
const LEVELS = `"read", "write" or "deny"`;

class Interpreter {
  private readonly out = emptyRules();

  constructor(private readonly lines: RuleLines) {}

  rules(raw: unknown): PolicyRules {
    if (!isObject(raw)) throw refuse('Failed to parse ACL rules: the rules must be an object of rule blocks');
    for (const [key, value] of Object.entries(raw)) {
      if ((GLOBAL_KINDS as readonly string[]).includes(key)) this.global(key as GlobalKind, value);
      else if (ENTERPRISE.has(key)) {
        throw refuse(`Invalid ${key} rule${at(this.lines.attribute(key))}: namespaces and partitions are Consul Enterprise features Weft does not have`);
      } else {
        const kind = key.endsWith('_prefix') ? key.slice(0, -'_prefix'.length) : key;
        if (!(SEGMENT_KINDS as readonly string[]).includes(kind)) {
          throw refuse(`Unknown ACL rule type "${key}"${at(this.lines.attribute(key))}`);
        }
        this.segments(key, kind as SegmentKind, key !== kind, value);
      }
    }
    return this.out;
  }

  private global(kind: GlobalKind, value: unknown): void {
    const line = this.lines.attribute(kind);
    if (typeof value !== 'string') throw refuse(`Invalid ${kind} policy${at(line)}: ${kind} takes a quoted string such as ${kind} = "read"`);
    const text = this.literal(value, line);
    if (text === '') return; // allowed, and means no rule
    if (!isAccess(text, false)) throw refuse(`Invalid ${kind} policy${at(line)}: "${text}" is not ${LEVELS}`);
    this.out.global[kind] = text;
  }

  private segments(key: string, kind: SegmentKind, prefix: boolean, value: unknown): void {
    if (value === null || typeof value !== 'object') {
      throw refuse(`Invalid ${key} rule${at(this.lines.attribute(key))}: ${key} takes named blocks such as ${key} "name" { policy = "read" }`);
    }
    const seen = new Map<string, number>();
    for (const [name, body] of blocks(value)) {
      const occurrence = seen.get(name) ?? 0;
      seen.set(name, occurrence + 1);
      const line = (field?: string) => this.lines.block(key, name, occurrence, field);
      if (!isObject(body)) throw refuse(`Invalid ${key} rule${at(line())}: ${key} "${name}" must be a block such as ${key} "${name}" { policy = "read" }`);
      for (const field of Object.keys(body)) {
        if (field !== 'policy' && !(field === 'intentions' && kind === 'service')) {
          throw refuse(`Invalid ${key} rule${at(line(field))}: unknown field "${field}" in ${key} "${name}"`);
        }
      }
      const policy = this.access(body.policy, kind === 'key', `${key} policy`, line('policy'), `${key} "${name}"`);
      const rule = { kind, name, prefix, policy: policy! };
      if (body.intentions !== undefined) {
        const intentions = this.access(body.intentions, false, `${key} intentions policy`, line('intentions'), `${key} "${name}"`, true);
        if (intentions) Object.assign(rule, { intentions });
      }
      this.out.segments.push(rule);
    }
  }

  private access(value: unknown, allowList: boolean, what: string, line: number | undefined, owner: string, optional = false): RuleAccess | undefined {
    const levels = allowList ? `"read", "list", "write" or "deny"` : LEVELS;
    if (value === undefined) throw refuse(`Invalid ${what}${at(line)}: ${owner} has no policy; give one of ${levels}`);
    if (typeof value !== 'string') throw refuse(`Invalid ${what}${at(line)}: ${owner} needs a quoted string, one of ${levels}`);
    const text = this.literal(value, line);
    if (optional && text === '') return undefined;
    if (!isAccess(text, allowList)) throw refuse(`Invalid ${what}${at(line)}: "${text}" in ${owner} is not ${levels}`);
    return text;
  }

  /** hcl2json turns a bare word or an expression into `${…}`; rules are literals only. */
  private literal(value: string, line: number | undefined): string {
    if (/(^|[^$])\$\{|(^|[^%])%\{/.test(value)) {
      const bare = /^\$\{(\w+)\}$/.exec(value);
      throw refuse(`Invalid ACL rules${at(line)}: ${bare ? `${bare[1]} must be quoted ("${bare[1]}")` : `expressions are not supported, got "${value}"`}`);
    }
    return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  }
}

function isAccess(text: string, allowList: boolean): text is RuleAccess {
  return (ACCESS_LEVELS as readonly string[]).includes(text) && (allowList || text !== 'list');
}

/**
 * The blocks under one rule type, in the shapes HCL and JSON produce:
 * `{ name: body }`, `{ name: [body, body] }` (repeated HCL blocks) and `[{ name: body }]`.
 */
function blocks(value: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObject(v)) {
      out.push(['', v]);
      return;
    }
    for (const [name, body] of Object.entries(v)) {
      if (Array.isArray(body) && body.every(isObject)) for (const b of body) out.push([name, b]);
      else out.push([name, body]);
    }
  };
  visit(value);
  return out;
}
