/**
 * Every function a consul-template template can call besides Go's builtins: the data
 * functions (each a watched dependency) and the helpers. Functions consul-template has
 * that Weft does not (Vault's `secret`, Nomad's, `plugin`, `writeToFile`, sprig) are
 * absent, so a template using one fails to parse with the function's name.
 */
import { withSignature, type TemplateFunc } from '../engine/index.js';
import type { ExecutionScope } from './brain.js';
import { collectionFunctions } from './collections.js';
import { convertFunctions } from './convert.js';
import { dataFunctions } from './data.js';
import { timestampFunction } from './go-time.js';
import { jsonFunctions } from './json.js';
import { mathFunctions } from './math.js';
import { regexFunctions } from './regex.js';
import type { Scratch } from './scratch.js';
import { sockaddr } from './sockaddr.js';
import { stringFunctions } from './strings.js';
import { yamlFunctions } from './yaml.js';

export { Brain, DepSet, type ExecutionScope } from './brain.js';
export { Scratch } from './scratch.js';

export interface FunctionContext {
  /** The running execution: its brain, dependency sets and scratchpad. */
  current: () => ExecutionScope & { scratch: Scratch };
  /** `env` reads this first, then the process environment. */
  env: NodeJS.ProcessEnv;
  /** Renders a `{{define}}`d template of the same file (`executeTemplate`). */
  executeTemplate: (name: string, data: unknown) => Promise<string>;
  now?: () => Date;
}

function envFunctions(env: NodeJS.ProcessEnv): Record<string, TemplateFunc> {
  const lookup = (k: string): string | undefined => (Object.hasOwn(env, k) ? env[k] : process.env[k]);
  return {
    env: withSignature((k) => lookup(k as string) ?? '', { args: 1, stringArgs: [0] }),
    mustEnv: withSignature((k) => {
      const v = lookup(k as string);
      if (!v) throw new Error(`required environment variable ${k as string} is empty`);
      return v;
    }, { args: 1, stringArgs: [0] }),
    envOrDefault: withSignature((k, d) => lookup(k as string) ?? d, { args: 2, stringArgs: [0, 1] }),
  };
}

export function templateFunctions(ctx: FunctionContext): Record<string, TemplateFunc> {
  return {
    ...dataFunctions(ctx.current),
    ...envFunctions(ctx.env),
    ...stringFunctions,
    ...regexFunctions,
    ...collectionFunctions,
    ...convertFunctions,
    ...jsonFunctions,
    ...yamlFunctions,
    ...mathFunctions,
    timestamp: withSignature(timestampFunction(ctx.now), { args: 0, variadic: true }),
    sockaddr: withSignature(sockaddr, { args: 0, variadic: true }),
    scratch: withSignature(() => ctx.current().scratch, { args: 0 }),
    executeTemplate: withSignature((name: unknown, ...data: unknown[]) => {
      if (data.length > 1) throw new Error(`executeTemplate: wrong number of arguments, expected 1 or 2, but got ${data.length + 1}`);
      return ctx.executeTemplate(name as string, data[0]);
    }, { args: 1, variadic: true, stringArgs: [0] }),
  };
}
