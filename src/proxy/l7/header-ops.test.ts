import { describe, expect, it } from 'vitest';
import { applyHeaderOps, compileHeaderOps } from './header-ops.js';
import type { HeaderBag } from './request-head.js';

const apply = (headers: HeaderBag, ...mods: Parameters<typeof compileHeaderOps>): HeaderBag => {
  const ops = compileHeaderOps(...mods);
  if (ops) applyHeaderOps(headers, ops);
  return headers;
};

describe('header operations', () => {
  it('is null when there is nothing to do', () => {
    expect(compileHeaderOps()).toBeNull();
    expect(compileHeaderOps(undefined, {})).toBeNull();
    expect(compileHeaderOps({ Add: {}, Set: {}, Remove: [] })).toBeNull();
  });

  it('lower-cases names', () => {
    expect(compileHeaderOps({ Add: { 'X-A': '1' }, Set: { 'X-B': '2' }, Remove: ['X-C'] })).toEqual({ add: [['x-a', '1']], set: [['x-b', '2']], remove: ['x-c'] });
  });

  it('Set replaces, Remove deletes, Add appends to an existing value as a repeated header', () => {
    const headers = apply({ 'x-a': 'old', 'x-b': 'gone', 'x-c': 'c1', 'x-d': ['d1', 'd2'] }, { Set: { 'x-a': 'new' }, Remove: ['x-b'], Add: { 'x-c': 'c2', 'x-d': 'd3', 'x-e': 'e1' } });
    expect(headers).toEqual({ 'x-a': 'new', 'x-c': ['c1', 'c2'], 'x-d': ['d1', 'd2', 'd3'], 'x-e': 'e1' });
  });

  it('does not share an incoming array when appending', () => {
    const values = ['d1'];
    apply({ 'x-d': values }, { Add: { 'x-d': 'd2' } });
    expect(values).toEqual(['d1']);
  });

  it('within one modifier, removal comes first and Set wins over Add for the same name', () => {
    expect(apply({ 'x-a': 'in' }, { Remove: ['x-a'], Add: { 'x-a': 'added' } })).toEqual({ 'x-a': 'added' });
    expect(apply({ 'x-a': 'in' }, { Remove: ['x-a'], Set: { 'x-a': 'set' } })).toEqual({ 'x-a': 'set' });
    expect(apply({ 'x-a': 'in' }, { Add: { 'x-a': 'added' }, Set: { 'x-a': 'set' } })).toEqual({ 'x-a': 'set' });
  });

  it('folds several modifiers as if applied in turn: later Set wins, later Remove wipes earlier changes', () => {
    expect(apply({}, { Set: { 'x-a': '1' } }, { Set: { 'x-a': '2' } })).toEqual({ 'x-a': '2' });
    expect(apply({}, { Add: { 'x-a': '1' } }, { Set: { 'x-a': '2' } })).toEqual({ 'x-a': '2' });
    expect(apply({}, { Set: { 'x-a': '1' } }, { Add: { 'x-a': '2' } })).toEqual({ 'x-a': ['1', '2'] });
    expect(apply({}, { Add: { 'x-a': '1' } }, { Add: { 'x-a': '2' } })).toEqual({ 'x-a': ['1', '2'] });
    expect(apply({ 'x-a': 'in' }, { Set: { 'x-a': '1' }, Add: { 'x-b': 'b' } }, { Remove: ['x-a', 'x-b'] })).toEqual({});
    expect(apply({ 'x-a': 'in' }, { Remove: ['x-a'] }, { Add: { 'x-a': 'back' } })).toEqual({ 'x-a': 'back' });
  });

  it('never touches pseudo-headers or Host', () => {
    const headers = apply({ ':path': '/p', ':authority': 'a', host: 'h' }, { Set: { ':path': '/x', Host: 'evil' }, Add: { ':authority': 'b' }, Remove: [':path', 'host'] });
    expect(headers).toEqual({ ':path': '/p', ':authority': 'a', host: 'h' });
    expect(compileHeaderOps({ Set: { ':path': '/x' } })).toBeNull();
  });
});
