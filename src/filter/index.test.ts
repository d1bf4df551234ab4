import { describe, expect, it } from 'vitest';
import { isWeftError, WeftError } from '../lib/errors.js';
import { applyFilter, compileFilter } from './index.js';

const entries = [
  { Node: 'n1', ServiceName: 'web', ServiceTags: ['v1', 'prod'], ServiceMeta: { env: 'prod' }, ServicePort: 8080 },
  { Node: 'n2', ServiceName: 'web', ServiceTags: ['v2'], ServiceMeta: { env: 'staging' }, ServicePort: 8081 },
  { Node: 'n3', ServiceName: 'api', ServiceTags: [], ServiceMeta: {}, ServicePort: 9090 },
];

describe('applyFilter', () => {
  it('returns the same array when there is no filter', () => {
    expect(applyFilter(undefined, entries)).toBe(entries);
    expect(applyFilter('', entries)).toBe(entries);
  });

  it.each([
    ['ServiceName == web', ['n1', 'n2']],
    ['ServiceMeta.env == prod or ServicePort == 9090', ['n1', 'n3']],
    ['"v1" not in ServiceTags', ['n2', 'n3']],
    ['ServiceTags is empty', ['n3']],
    ['Node matches "^n[23]$" and not ServiceMeta is empty', ['n2']],
  ])('%s', (expression, nodes) => {
    expect(applyFilter(expression, entries).map((e) => e.Node)).toEqual(nodes);
  });

  it('rejects a bad filter before touching the items', () => {
    expect(() => applyFilter('ServiceName ==', entries)).toThrow(WeftError);
  });
});

describe('compileFilter', () => {
  it('keeps the source and can be reused', () => {
    const filter = compileFilter('ServicePort == 8080');
    expect(filter.source).toBe('ServicePort == 8080');
    expect(entries.map((e) => filter.matches(e))).toEqual([true, false, false]);
    expect(entries.map((e) => filter.matches(e))).toEqual([true, false, false]);
  });

  it('fails as a 400 with Consul’s wording', () => {
    let caught: unknown;
    try {
      compileFilter('ServiceName == "web');
    } catch (err) {
      caught = err;
    }
    expect(isWeftError(caught, 'FILTER_INVALID')).toBe(true);
    expect((caught as WeftError).status).toBe(400);
    expect((caught as WeftError).message).toBe(
      'Failed to create boolean expression evaluator: 1:16 (15): unterminated string literal',
    );
  });

  it('survives hostile sizes: long chains evaluate, deep nesting is refused quickly', () => {
    const chain = compileFilter(`${'ServicePort == 1 or '.repeat(20_000)}ServicePort == 8080`);
    expect(chain.matches(entries[0])).toBe(true);
    const started = Date.now();
    expect(() => compileFilter(`${'not '.repeat(20_000)}ServiceName == web`)).toThrow('nested more than');
    expect(() => compileFilter(`${'('.repeat(20_000)}ServiceName == web`)).toThrow('nested more than');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
