import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../lib/errors.js';
import { parseErrorRows } from './cases/parse-errors.js';
import { Template, TemplateError } from './index.js';

function parseError(text: string, funcs = {}): TemplateError {
  try {
    Template.parse('t', text, { funcs });
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe('parse errors are worded as Go words them', () => {
  it.each(parseErrorRows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    expect(parseError(row.tmpl).message).toBe(row.err);
  });
});

describe('TemplateError', () => {
  it('carries the template name and line, and maps to a 400', () => {
    const err = parseError('ok\n{{ nope }}');
    expect(err.templateName).toBe('t');
    expect(err.line).toBe(2);
    expect(err.col).toBeUndefined();
    expect(isWeftError(err, 'BAD_REQUEST')).toBe(true);
    expect(err.status).toBe(400);
  });

  it('carries line and byte column for execution errors', async () => {
    const t = Template.parse('web.ctmpl', 'upstream {\n  {{ index .Servers 3 }}\n}', { funcs: {} });
    const err = await t.execute({ Servers: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).message).toBe(
      'template: web.ctmpl:2:5: executing "web.ctmpl" at <index .Servers 3>: error calling index: index out of range: 3',
    );
    expect(err).toMatchObject({ templateName: 'web.ctmpl', line: 2, col: 5 });
  });
});

describe('functions given to parse', () => {
  it('reject names that are not identifiers', () => {
    expect(() => Template.parse('t', '', { funcs: { 'a-b': () => 1 } })).toThrow('function name "a-b" is not a valid identifier');
    expect(() => Template.parse('t', '', { funcs: { '2x': () => 1 } })).toThrow('is not a valid identifier');
  });

  it('reject values that are not functions', () => {
    expect(() => Template.parse('t', '', { funcs: { x: 'nope' as unknown as () => 1 } })).toThrow('value for x not a function');
  });

  it('accept unicode and underscore names', async () => {
    const t = Template.parse('t', '{{_f}}{{ünï}}', { funcs: { _f: () => 'a', ünï: () => 'b' } });
    expect(await t.execute(null)).toBe('ab');
  });

  it('never see Object.prototype members as functions', () => {
    expect(parseError('{{toString}}').message).toBe('template: t:1: function "toString" not defined');
    expect(parseError('{{constructor}}').message).toBe('template: t:1: function "constructor" not defined');
  });

  it('turn the break keyword into a function name when one is defined', async () => {
    const t = Template.parse('t', '{{break}}-{{continue}}', { funcs: { break: () => 'B', continue: () => 'C' } });
    expect(await t.execute(null)).toBe('B-C');
  });
});

describe('template sets', () => {
  it('lists the top level and every define and block', () => {
    const t = Template.parse('main', '{{define "a"}}{{end}}{{block "b" .}}{{end}}', { funcs: {} });
    expect(t.name).toBe('main');
    expect(t.templateNames.sort()).toEqual(['a', 'b', 'main']);
  });

  it('executes a named template', async () => {
    const t = Template.parse('main', 'M{{define "a"}}A{{.}}{{end}}', { funcs: {} });
    expect(await t.executeTemplate('a', 1)).toBe('A1');
    await expect(t.executeTemplate('zz', 1)).rejects.toThrow('template: no template "zz" associated with template "main"');
  });
});
