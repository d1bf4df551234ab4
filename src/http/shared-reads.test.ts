import { describe, expect, it } from 'vitest';
import { WatchSet } from '../state/index.js';
import { SharedReads, sharedReadsOf } from './shared-reads.js';

describe('shared reads', () => {
  it('read the state once per index and give every caller the read’s topics', () => {
    const state = { index: 7 };
    const shared = new SharedReads(state);
    let reads = 0;
    const read = (ws: WatchSet) => {
      ws.add('kv:p:app/');
      return { n: ++reads };
    };
    const a = new WatchSet();
    const b = new WatchSet();
    expect(shared.read(a, 'list app/', read)).toEqual({ n: 1 });
    expect(shared.read(b, 'list app/', read)).toEqual({ n: 1 });
    expect([...a.topics]).toEqual(['kv:p:app/']);
    expect([...b.topics]).toEqual(['kv:p:app/']);
    expect(shared.read(new WatchSet(), 'list other/', read)).toEqual({ n: 2 });
  });

  it('drop everything as soon as the index moves', () => {
    const state = { index: 1 };
    const shared = new SharedReads(state);
    let encodings = 0;
    const encode = () => Buffer.from(`body ${++encodings}`);
    expect(shared.encoded('k', encode).toString()).toBe('body 1');
    expect(shared.encoded('k', encode).toString()).toBe('body 1');
    state.index = 2;
    expect(shared.size).toBe(0);
    expect(shared.encoded('k', encode).toString()).toBe('body 2');
  });

  it('keep reads and bodies apart even under the same key', () => {
    const shared = new SharedReads({ index: 1 });
    shared.read(new WatchSet(), 'k', () => 'read');
    expect(shared.encoded('k', () => Buffer.from('body')).toString()).toBe('body');
    expect(shared.read(new WatchSet(), 'k', () => 'again')).toBe('read');
  });

  it('answer past their limits without keeping more', () => {
    const shared = new SharedReads({ index: 1 }, { entries: 2, bytes: 10 });
    let encodings = 0;
    const body = (size: number) => () => (encodings++, Buffer.alloc(size));
    shared.encoded('big', body(11));
    shared.encoded('big', body(11));
    expect(encodings).toBe(2); // over the byte budget: encoded for each caller
    shared.encoded('a', body(4));
    shared.encoded('b', body(4));
    expect(shared.size).toBe(2);
    expect(shared.encoded('c', body(1)).length).toBe(1);
    expect(shared.size).toBe(2);
    encodings = 0;
    shared.encoded('a', body(4));
    expect(encodings).toBe(0);
  });

  it('are one cache per store', () => {
    const one = { index: 1 };
    expect(sharedReadsOf(one)).toBe(sharedReadsOf(one));
    expect(sharedReadsOf(one)).not.toBe(sharedReadsOf({ index: 1 }));
  });
});
