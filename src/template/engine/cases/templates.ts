/** define, template and block, and where execution errors point. */
import type { Row } from './row.js';

/** Go's TestTree: recursion through a template, with ( ) delimiters and trimming. */
const treeTemplate = `
	(- define "tree" -)
	[
		(- .Val -)
		(- with .Left -)
			(template "tree" . -)
		(- end -)
		(- with .Right -)
			(- template "tree" . -)
		(- end -)
	]
	(- end -)
(- template "tree" . -)`;

const leaf = (Val: number) => ({ Val, Left: null, Right: null });
const tree = {
  Val: 1,
  Left: { Val: 2, Left: { Val: 3, Left: leaf(4), Right: null }, Right: { Val: 5, Left: leaf(6), Right: null } },
  Right: { Val: 7, Left: { Val: 8, Left: leaf(9), Right: null }, Right: { Val: 10, Left: leaf(11), Right: null } },
};

/** Go's TestExecError: an error deep in nested templates names the template and the place in the file. */
const execErrorText = `line 1
line 2
line 3
{{template "one" .}}
{{define "one"}}{{template "two" .}}{{end}}
{{define "two"}}{{template "three" .}}{{end}}
{{define "three"}}{{index "hi" $}}{{end}}`;

export const templateRows: Row[] = [
  { name: 'define and template', tmpl: '{{define "a"}}A{{.}}{{end}}{{template "a" 1}}', want: 'A1' },
  { name: 'template without pipeline', tmpl: '{{define "a"}}[{{.}}]{{end}}{{template "a"}}', data: 5, want: '[<no value>]' },
  { name: 'template with dot', tmpl: '{{define "a"}}[{{.}}]{{end}}{{template "a" .}}', data: 5, want: '[5]' },
  { name: 'template gets its own $', tmpl: '{{define "a"}}{{$}}{{end}}{{with 7}}{{template "a" .}}{{end}}', data: 1, want: '7' },
  { name: 'template defined after use', tmpl: '{{template "later" "x"}}{{define "later"}}<{{.}}>{{end}}', want: '<x>' },
  { name: 'template in range', tmpl: '{{define "item"}}({{.}}){{end}}{{range .}}{{template "item" .}}{{end}}', data: [1, 2], want: '(1)(2)' },
  { name: 'template pipeline declares', tmpl: '{{define "a"}}{{.}}{{end}}{{template "a" $x := 4}}{{$x}}', want: '44' },
  { name: 'template not defined', tmpl: '{{template "nope"}}', err: 'template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined' },
  { name: 'define only spaces outside', tmpl: '{{define "a"}}x{{end}}\n{{define "b"}}y{{end}}\n', want: '\n\n' },
  { name: 'define named like the top level', tmpl: '{{define "t"}}from define{{end}}', want: 'from define' },
  { name: 'empty define replaced', tmpl: '{{define "a"}}  {{end}}{{define "a"}}A{{end}}{{template "a"}}', want: 'A' },
  { name: 'block', tmpl: 'a({{block "inner" .}}bar({{.}})baz{{end}})b', data: 'hello', want: 'a(bar(hello)baz)b' },
  { name: 'block used twice', tmpl: '{{block "b" .}}<{{.}}>{{end}}{{template "b" 2}}', data: 1, want: '<1><2>' },
  { name: 'recursive tree', tmpl: treeTemplate, data: tree, want: '[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]', delims: ['(', ')'] },
  { name: 'runaway recursion', tmpl: '{{define "r"}}{{template "r" .}}{{end}}{{template "r"}}', err: 'exceeded maximum template depth' },
  { name: 'error in nested template', tmpl: execErrorText, data: 5, err: 'template: t:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5' },
  { name: 'error on a later line', tmpl: '{{.X}}\n  {{index .SI 9}}', data: { X: 1, SI: [] }, err: 'template: t:2:4: executing "t" at <index .SI 9>: error calling index: index out of range: 9' },
  { name: 'error column counts bytes', tmpl: 'é{{index 1 1}}', err: 'template: t:1:4: executing "t" at <index 1 1>:' },
  { name: 'error in pipeline stage', tmpl: '{{"x" | echo | failing}}', err: 'template: t:1:15: executing "t" at <failing>: error calling failing: my error' },
  { name: 'error in if condition', tmpl: '{{if .a.b}}x{{end}}', data: { a: null }, err: 'template: t:1:7: executing "t" at <.a.b>: nil pointer evaluating interface {}.b' },
];
