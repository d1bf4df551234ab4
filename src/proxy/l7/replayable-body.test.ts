import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ReplayableBody } from './replayable-body.js';

async function text(s: Readable): Promise<string> {
  let out = '';
  for await (const c of s) out += c;
  return out;
}

describe('ReplayableBody', () => {
  it('gives a retry everything the first attempt read, then the rest', async () => {
    const src = new PassThrough();
    const body = new ReplayableBody(src);
    const first = body.stream();
    src.write('hello ');
    await new Promise((r) => first.once('data', r));
    const second = body.stream();
    src.end('world');
    expect(await text(second)).toBe('hello world');
    expect(first.destroyed).toBe(true);
    expect(body.replayable).toBe(true);
  });

  it('replays a body that has already ended', async () => {
    const src = new PassThrough();
    const body = new ReplayableBody(src);
    src.end('all of it');
    expect(await text(body.stream())).toBe('all of it');
    expect(await text(body.stream())).toBe('all of it');
  });

  it('stops being replayable past its limit, yet streams the whole body through', async () => {
    const src = new PassThrough();
    const body = new ReplayableBody(src, 4);
    const s = body.stream();
    src.end('0123456789');
    expect(await text(s)).toBe('0123456789');
    expect(body.replayable).toBe(false);
  });

  it('does not read the source before an attempt asks for it', () => {
    const src = new PassThrough();
    new ReplayableBody(src);
    src.write('x');
    expect(src.isPaused()).toBe(true);
  });
});
