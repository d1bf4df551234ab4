/**
 * consul-template's data functions. Each names a dependency; the first execution finds
 * no data (the function returns an empty value and records the dependency as missing),
 * the runner starts watching it, and once data arrives the next execution returns it.
 */
import { withSignature, type TemplateFunc } from '../engine/index.js';
import { CatalogNodeQuery, CatalogNodesQuery, CatalogServicesQuery } from '../deps/catalog.js';
import { ConnectCaRootsQuery, ConnectLeafQuery } from '../deps/connect-ca.js';
import { CatalogDatacentersQuery } from '../deps/datacenters.js';
import type { Dependency } from '../deps/dependency.js';
import { FileQuery } from '../deps/file.js';
import { HealthServiceQuery } from '../deps/health-service.js';
import { KvGetQuery, KvListQuery } from '../deps/kv.js';
import type { KeyPair } from '../deps/shapes/kv.js';
import type { ExecutionScope } from './brain.js';

/** Go's `...string` parameters: every argument must be a string. */
export function variadicStrings(name: string, args: unknown[]): string[] {
  for (const a of args) {
    if (typeof a !== 'string') throw new Error(`${name}: wrong type for value; expected string; got ${a === null || a === undefined ? 'nil' : typeof a}`);
  }
  return args as string[];
}

export function dataFunctions(current: () => ExecutionScope): Record<string, TemplateFunc> {
  /** Registers `dep` as used; its data when known, else `zero` (and `dep` is missing). */
  const read = <T>(dep: Dependency, zero: T): [T, boolean] => {
    const scope = current();
    scope.used.add(dep);
    const [value, ok] = scope.brain.recall(dep);
    if (ok) return [value as T, true];
    scope.missing.add(dep);
    return [zero, false];
  };

  /** `ls` and `tree` keep some pairs; the safe variants hold the template back while none remain. */
  const listing = (keep: (p: KeyPair) => boolean, safe: boolean) => (spec: string): KeyPair[] => {
    if (!spec) return [];
    const dep = new KvListQuery(spec);
    const [pairs, ok] = read<KeyPair[]>(dep, []);
    const kept = ok ? pairs.filter(keep) : [];
    if (ok && kept.length === 0 && safe) current().missing.add(dep);
    return kept;
  };
  const topLevel = (p: KeyPair) => p.Key !== '' && !p.Key.includes('/');
  const notFolder = (p: KeyPair) => !p.Key.endsWith('/') && p.Key !== '';

  const serviceFn = (connect: boolean) => (...args: unknown[]) => {
    const parts = variadicStrings(connect ? 'connect' : 'service', args);
    if (parts.length === 0 || parts[0] === '') return [];
    return read(new HealthServiceQuery(parts.join('|'), connect), [])[0];
  };

  return {
    key: withSignature((spec: unknown) => {
      if (!spec) return '';
      const [value] = read<string | null>(new KvGetQuery(spec as string, true), null);
      return value ?? '';
    }, { args: 1, stringArgs: [0] }),

    keyExists: withSignature((spec: unknown) => {
      if (!spec) return false;
      const [value, ok] = read<string | null>(new KvGetQuery(spec as string, false), null);
      return ok && value !== null;
    }, { args: 1, stringArgs: [0] }),

    keyOrDefault: withSignature((spec: unknown, dflt: unknown) => {
      if (!spec) return dflt;
      const [value] = read<string | null>(new KvGetQuery(spec as string, false), null);
      return value ? value : dflt;
    }, { args: 2, stringArgs: [0, 1] }),

    ls: withSignature(listing(topLevel, false) as TemplateFunc, { args: 1, stringArgs: [0] }),
    safeLs: withSignature(listing(topLevel, true) as TemplateFunc, { args: 1, stringArgs: [0] }),
    tree: withSignature(listing(notFolder, false) as TemplateFunc, { args: 1, stringArgs: [0] }),
    safeTree: withSignature(listing(notFolder, true) as TemplateFunc, { args: 1, stringArgs: [0] }),

    service: withSignature(serviceFn(false), { args: 0, variadic: true }),
    connect: withSignature(serviceFn(true), { args: 0, variadic: true }),

    services: withSignature((...args: unknown[]) => read(new CatalogServicesQuery(variadicStrings('services', args).join('')), [])[0], { args: 0, variadic: true }),
    nodes: withSignature((...args: unknown[]) => read(new CatalogNodesQuery(variadicStrings('nodes', args).join('')), [])[0], { args: 0, variadic: true }),
    node: withSignature((...args: unknown[]) => read(new CatalogNodeQuery(variadicStrings('node', args).join('')), null)[0], { args: 0, variadic: true }),

    datacenters: withSignature((...args: unknown[]) => {
      if (args.length > 1) throw new Error(`datacenters: wrong number of arguments, expected 0 or 1, but got ${args.length}`);
      if (args.length === 1 && typeof args[0] !== 'boolean') throw new Error('datacenters: wrong type for value; expected bool');
      return read(new CatalogDatacentersQuery(args[0] === true), [])[0];
    }, { args: 0, variadic: true }),

    caRoots: withSignature(() => read(new ConnectCaRootsQuery(), [])[0], { args: 0, variadic: true }),
    caLeaf: withSignature((...args: unknown[]) => {
      const [service] = variadicStrings('caLeaf', args);
      if (!service) return null;
      return read(new ConnectLeafQuery(service), null)[0];
    }, { args: 0, variadic: true }),

    file: withSignature((path: unknown) => {
      if (!path) return '';
      const [value] = read<string | null>(new FileQuery((path as string).trim()), '');
      return value ?? '';
    }, { args: 1, stringArgs: [0] }),
  };
}
