/** Values, fields, variables, literals and printing: rows after Go's exec_test.go. */
import { type Row, tVal } from './row.js';

export const basicRows: Row[] = [
  { name: 'empty', tmpl: '', want: '' },
  { name: 'text', tmpl: 'some text', want: 'some text' },
  { name: 'nil action', tmpl: '{{nil}}', err: 'nil is not a command' },

  // Fields of objects and maps.
  { name: '.X', tmpl: '-{{.X}}-', data: tVal, want: '-x-' },
  { name: '.U.V', tmpl: '-{{.U.V}}-', data: tVal, want: '-v-' },
  { name: 'map .one', tmpl: '{{.MSI.one}}', data: tVal, want: '1' },
  { name: 'map .two', tmpl: '{{.MSI.two}}', data: tVal, want: '2' },
  { name: 'map .NO', tmpl: '{{.MSI.NO}}', data: tVal, want: '<no value>' },
  { name: 'map .WRONG args', tmpl: '{{.MSI.one 1}}', data: tVal, err: 'one is not a method but has arguments' },
  { name: 'field chain through missing keys', tmpl: '{{.a.b.c}}', data: {}, want: '<no value>' },
  { name: 'field on nil data', tmpl: '{{.foo}}', data: null, want: '<no value>' },
  { name: 'field on parenthesized nil data', tmpl: '{{(.).foo}}', data: null, want: '<no value>' },
  { name: 'field of a null value', tmpl: '{{.Empty0.x}}', data: tVal, err: 'template: t:1:9: executing "t" at <.Empty0.x>: nil pointer evaluating interface {}.x' },
  { name: 'field of an int', tmpl: '{{.I.Y}}', data: tVal, err: "can't evaluate field Y in type" },
  { name: 'field of top-level int', tmpl: 'hello, {{.X.Y}}', data: 0, err: "can't evaluate field X in type int" },
  { name: 'lower-case map key', tmpl: '{{.cause}}', data: { cause: 'neglect' }, want: 'neglect' },
  { name: 'unicode map key', tmpl: '{{.héllo}}', data: { héllo: 'wörld' }, want: 'wörld' },

  // Dot of every kind.
  { name: 'dot int', tmpl: '<{{.}}>', data: 13, want: '<13>' },
  { name: 'dot negative int', tmpl: '<{{.}}>', data: -7, want: '<-7>' },
  { name: 'dot float', tmpl: '<{{.}}>', data: 15.1, want: '<15.1>' },
  { name: 'dot small float', tmpl: '<{{.}}>', data: 0.00001, want: '<1e-05>' },
  { name: 'dot big float', tmpl: '<{{.}}>', data: 12345678.9, want: '<1.23456789e+07>' },
  { name: 'dot bool', tmpl: '<{{.}}>', data: true, want: '<true>' },
  { name: 'dot string', tmpl: '<{{.}}>', data: 'hello', want: '<hello>' },
  { name: 'dot slice', tmpl: '<{{.}}>', data: [-1, -2, -3], want: '<[-1 -2 -3]>' },
  { name: 'dot map', tmpl: '<{{.}}>', data: { two: 22 }, want: '<map[two:22]>' },
  { name: 'dot map sorted', tmpl: '{{.}}', data: { b: 2, a: 1, c: [1, 'x'] }, want: 'map[a:1 b:2 c:[1 x]]' },
  { name: 'dot nested', tmpl: '{{.}}', data: { a: [1, { b: 2 }, null] }, want: 'map[a:[1 map[b:2] <nil>]]' },
  { name: 'dot empty slice', tmpl: '{{.}}', data: [], want: '[]' },
  { name: 'dot empty map', tmpl: '{{.}}', data: {}, want: 'map[]' },

  // Variables.
  { name: '$ int', tmpl: '{{$}}', data: 123, want: '123' },
  { name: '$.I', tmpl: '{{$.I}}', data: tVal, want: '17' },
  { name: '$.U.V', tmpl: '{{$.U.V}}', data: tVal, want: 'v' },
  { name: 'declare in action', tmpl: '{{$x := $.U.V}}{{$x}}', data: tVal, want: 'v' },
  { name: 'simple assignment', tmpl: '{{$x := 2}}{{$x = 3}}{{$x}}', data: tVal, want: '3' },
  { name: 'nested assignment', tmpl: '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}', data: tVal, want: '3' },
  {
    name: 'nested assignment changes the last declaration',
    tmpl: '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}',
    data: tVal,
    want: '1',
  },
  { name: 'declaration prints nothing', tmpl: 'a{{$x := 5}}b{{$x}}', want: 'ab5' },
  { name: 'variable field chain', tmpl: '{{$u := .U}}{{$u.V}}', data: tVal, want: 'v' },
  { name: 'assignment to undeclared variable', tmpl: '{{$x = 3}}', data: tVal, err: 'undefined variable: $x' },
  { name: 'variable with argument', tmpl: '{{$x := 1}}{{$x 2}}', err: "can't give argument to non-function $x" },
  { name: 'variable as pipeline stage', tmpl: '{{$x := 1}}{{3 | $x}}', err: "can't give argument to non-function $x" },
  { name: 'chain on literal variable', tmpl: '{{$x := (1.5)}}{{$x.anything}}', err: "can't evaluate field anything in type" },

  // Non-functions given arguments.
  { name: 'unparenthesized non-function', tmpl: '{{1 2}}', err: "can't give argument to non-function 1" },
  { name: 'parenthesized non-function', tmpl: '{{(1) 2}}', err: "can't give argument to non-function 1" },
  { name: 'parenthesized non-function with no args', tmpl: '{{(1)}}', want: '1' },
  { name: 'chained nil', tmpl: '{{(nil).True}}', data: tVal, err: 'nil is not a command' },

  // Numbers.
  { name: 'decimal', tmpl: '{{print 1234}}', want: '1234' },
  { name: 'decimal _', tmpl: '{{print 12_34}}', want: '1234' },
  { name: 'binary', tmpl: '{{print 0b101}}', want: '5' },
  { name: 'binary _', tmpl: '{{print 0b_1_0_1}}', want: '5' },
  { name: 'octal0', tmpl: '{{print 0377}}', want: '255' },
  { name: 'octal', tmpl: '{{print 0o377}}', want: '255' },
  { name: 'OCTAL', tmpl: '{{print 0O377}}', want: '255' },
  { name: 'hex', tmpl: '{{print 0x123}}', want: '291' },
  { name: 'HEX', tmpl: '{{print 0X123ABC}}', want: '1194684' },
  { name: 'float', tmpl: '{{print 123.4}}', want: '123.4' },
  { name: 'float _', tmpl: '{{print 0_0_1_2_3.4}}', want: '123.4' },
  { name: 'hex float', tmpl: '{{print +0x1.ep+2}}', want: '7.5' },
  { name: 'hex float _', tmpl: '{{print +0x_1.e_0p+0_2}}', want: '7.5' },
  { name: 'print multi', tmpl: '{{print 1_2_3_4 7.5_00_00_00}}', want: '1234 7.5' },
  { name: 'signed', tmpl: '{{print -5 +3 -2.5}}', want: '-5 3 -2.5' },
  { name: 'exponent', tmpl: '{{print 1e21 2.5e-3 1e-7}}', want: '1e+21 0.0025 1e-07' },
  { name: 'char constants', tmpl: "{{print 'a' '\\n' '\\x41' '\\u00e9' '\\''}}", want: '97 10 65 233 39' },
  { name: 'hex is an int', tmpl: '{{printf `%T` 0xef}}', want: 'int' },
  { name: 'overflows int', tmpl: '{{print 0x8000000000000000}}', err: 'template: t:1:8: executing "t" at <0x8000000000000000>: 0x8000000000000000 overflows int' },
  { name: 'largest int', tmpl: '{{print 0x7fffffffffffffff}}', want: '9223372036854775807' },

  // Strings.
  { name: 'quoted string escapes', tmpl: '{{"a\\tb\\\\c\\"d\\x41\\u00e9\\101"}}', want: 'a\tb\\c"dAéA' },
  { name: 'raw string', tmpl: '{{`a\\tb "c"`}}', want: 'a\\tb "c"' },
  { name: 'raw string drops CR', tmpl: '{{`a\r\nb`}}', want: 'a\nb' },
  { name: 'string holding delimiters', tmpl: '{{"{{"}}{{"}}"}}', want: '{{}}' },

  // Comments, spacing and newlines inside actions.
  { name: 'comment', tmpl: 'a{{/* comment */}}b', want: 'ab' },
  { name: 'multi-line comment', tmpl: 'a{{/* one\ntwo */}}b', want: 'ab' },
  { name: 'newlines in action', tmpl: '{{if\n.True\n}}yes{{end}}', data: tVal, want: 'yes' },
  { name: 'spaces in action', tmpl: '{{   .X   }}', data: tVal, want: 'x' },
];
