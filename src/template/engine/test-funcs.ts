/** Functions the execution tables call; the Go replay defines the same ones. */
import type { TemplateFunc } from './types.js';

export const testFuncs: Record<string, TemplateFunc> = {
  add: (...args) => (args as number[]).reduce((a, b) => a + b, 0),
  echo: (x) => x,
  die: () => {
    throw new Error('die');
  },
  failing: () => {
    throw new Error('my error');
  },
  makemap: (...args) => {
    const m: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) m[args[i] as string] = args[i + 1];
    return m;
  },
  oneArg: (a) => `oneArg=${a}`,
  upper: (s) => String(s).toUpperCase(),
  zeroArgs: () => 'zeroArgs',
};
