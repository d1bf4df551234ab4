import { describe, expect, it } from 'vitest';
import { basicRows } from './cases/basics.js';
import { compareRows } from './cases/compare.js';
import { controlRows } from './cases/control.js';
import { funcRows } from './cases/funcs.js';
import type { Row } from './cases/row.js';
import { templateRows } from './cases/templates.js';
import { Template, TemplateError } from './index.js';
import { testFuncs } from './test-funcs.js';

async function run(row: Row): Promise<string> {
  const [leftDelim, rightDelim] = row.delims ?? [];
  return Template.parse('t', row.tmpl, { funcs: testFuncs, leftDelim, rightDelim }).execute(row.data);
}

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
      if (row.err === undefined) {
        expect(await run(row)).toBe(row.want);
        return;
      }
      const err = await run(row).then(
        (out) => new Error(`expected an error, got output ${JSON.stringify(out)}`),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TemplateError);
      const message = (err as TemplateError).message;
      if (row.err.startsWith('template: ') && !row.err.endsWith(':')) expect(message).toBe(row.err);
      else expect(message).toContain(row.err);
    });
  });
}

table('values, fields, variables, literals', basicRows);
table('if, with, range, trimming, delimiters', controlRows);
table('functions and builtins', funcRows);
table('comparisons', compareRows);
table('define, template, block and error positions', templateRows);

it('has the breadth of Go exec_test.go', () => {
  const total = basicRows.length + controlRows.length + funcRows.length + compareRows.length + templateRows.length;
  expect(total).toBeGreaterThan(250);
});
