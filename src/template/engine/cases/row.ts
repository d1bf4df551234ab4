/**
 * A row of the execution tables: a template, its data, and the output or
 * error Go's text/template gives for it. Rows marked `go` hold only JSON
 * data and the functions of ./test-funcs.ts, so they can be replayed
 * against Go itself; the others exercise JavaScript-only behaviour.
 */
export interface Row {
  name: string;
  tmpl: string;
  data?: unknown;
  /** Expected output. */
  want?: string;
  /** Expected error: a substring of the message, or the whole message when it starts with "template: ". */
  err?: string;
  /** 'js' rows cannot be replayed in Go (JS values, or a documented difference); versions mark newer Go features. */
  go?: 'js' | '1.22' | '1.23';
  delims?: [string, string];
}

/** The data most rows run against, modelled on Go's exec_test.go tVal (as JSON). */
export const tVal = {
  True: true,
  I: 17,
  X: 'x',
  S: 'xyz',
  FloatZero: 0,
  F: 1.5,
  U: { V: 'v' },
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  AI: [3, 4, 5],
  Strs: ['a', 'b'],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  SMSI: [
    { one: 1, two: 2 },
    { eleven: 11, twelve: 12 },
  ],
  Empty0: null,
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
  PS: 'a string',
};
