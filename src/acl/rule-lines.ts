/**
 * Finds the line a rule came from. hcl2json and JSON.parse keep no positions, yet a refused
 * policy must say where the mistake is, so the source text is searched for the rule's
 * header: `key_prefix "foo/" {` in HCL, `"key_prefix": { "foo/": …` in JSON.
 */
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How a name is written inside double quotes in either syntax. */
const quoted = (name: string): string => JSON.stringify(name);

export class RuleLines {
  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    return this.text.slice(0, offset).split('\n').length;
  }

  /** Where a top-level key appears: `operator = "read"`, `"operator": "read"`, `keyring {`, `keys "x" {`. */
  attribute(name: string): number | undefined {
    const m = new RegExp(`(^|[\\s{,])"?${escapeRe(name)}"?\\s*[=:{"]`, 'm').exec(this.text);
    return m ? this.lineAt(m.index + m[1].length) : undefined;
  }

  /** Offset of the `occurrence`-th block for `kind "name"`, counting from 0. */
  blockOffset(kind: string, name: string, occurrence: number): number | undefined {
    const header = new RegExp(`^[ \\t]*"?${escapeRe(kind)}"?[ \\t]+${escapeRe(quoted(name))}`, 'gm');
    const headers = [...this.text.matchAll(header)].map((m) => m.index);
    if (headers.length > occurrence) return headers[occurrence];
    // The nested form: `kind = { "name" = {…} }` or JSON's `"kind": { "name": {…} }`.
    const kinds = [...this.text.matchAll(new RegExp(`(^|[\\s{,\\[])"?${escapeRe(kind)}"?(?=\\s*[=:{])`, 'g'))];
    const found = new Set<number>();
    for (const k of kinds) {
      const at = this.text.indexOf(quoted(name), k.index);
      if (at >= 0) found.add(at);
    }
    return [...found].sort((a, b) => a - b)[occurrence];
  }

  /** Line of the block, or of `field` inside it when the field can be found. */
  block(kind: string, name: string, occurrence: number, field?: string): number | undefined {
    const start = this.blockOffset(kind, name, occurrence);
    if (start === undefined) return undefined;
    if (field) {
      const m = new RegExp(`[\\s{,]"?${escapeRe(field)}"?\\s*[=:]`, 'g');
      m.lastIndex = start;
      const hit = m.exec(this.text);
      if (hit) return this.lineAt(hit.index + 1);
    }
    return this.lineAt(start);
  }
}
