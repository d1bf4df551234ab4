import { describe, expect, it } from 'vitest';
import { answeredLocally } from './forward.js';
import { joinAddress } from './join-address.js';

describe('joinAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1:8301'],
    ['10.0.0.1:9301', '10.0.0.1:9301'],
    ['server.example', 'server.example:8301'],
    ['::1', '[::1]:8301'],
    ['[::1]:9301', '[::1]:9301'],
    [' 10.0.0.2 ', '10.0.0.2:8301'],
  ])('%s → %s', (input, expected) => {
    expect(joinAddress(input, 8301)).toBe(expected);
  });

  it('refuses what it cannot use', () => {
    expect(() => joinAddress('', 8301)).toThrow('empty join address');
    expect(() => joinAddress('provider=aws tag_key=x', 8301)).toThrow('cloud auto-join is not supported');
    expect(() => joinAddress('10.0.0.1:99999', 8301)).toThrow('invalid port');
  });
});

describe('answeredLocally', () => {
  it('keeps the agent’s own endpoints and forwards the rest', () => {
    for (const p of ['/v1/agent/self', '/v1/agent/services', '/v1/agent/service/web', '/v1/agent/check/pass/x', '/v1/agent/health/service/id/x', '/v1/agent/metrics', '/ui/']) {
      expect(answeredLocally(p)).toBe(true);
    }
    for (const p of ['/v1/catalog/services', '/v1/kv/a', '/v1/agent/connect/ca/roots', '/v1/agent/servicesx', '/v1/status/leader']) {
      expect(answeredLocally(p)).toBe(false);
    }
  });
});
