import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, subsystem } from './log.js';

function capture(json: boolean) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += c));
  const log = createLogger({ level: 'info', json, destination: out });
  return { log, text: () => text };
}

describe('createLogger', () => {
  it('prints readable lines with the subsystem and never a token', () => {
    const { log, text } = capture(false);
    subsystem(log, 'http').info({ token: 'secret-token', path: '/v1/kv/x' }, 'request');
    expect(text()).toMatch(/\[INFO\]  http: request/);
    expect(text()).toContain('path=/v1/kv/x');
    expect(text()).not.toContain('secret-token');
  });

  it('emits JSON with secrets redacted', () => {
    const { log, text } = capture(true);
    log.warn({ headers: { 'x-consul-token': 'abc-secret' } }, 'x');
    const rec = JSON.parse(text());
    expect(rec.headers['x-consul-token']).toBe('<hidden>');
  });
});
