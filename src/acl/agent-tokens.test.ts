import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentTokens, PERSISTED_TOKENS_FILE } from './agent-tokens.js';
import { aclSettings } from './config.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const settings = (persist: boolean) => aclSettings({ acl: { enabled: true, enable_token_persistence: persist, tokens: { default: 'from-config', agent: 'agent-config' } } });

describe('AgentTokens', () => {
  it('keeps tokens set at runtime across restarts when persistence is on, over the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-acl-'));
    dirs.push(dir);
    const first = new AgentTokens(settings(true), dir);
    expect(first.get('default')).toBe('from-config');
    first.set('default', 'from-api');
    const file = join(dir, PERSISTED_TOKENS_FILE);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ default: 'from-api' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = new AgentTokens(settings(true), dir);
    expect(second.get('default')).toBe('from-api');
    expect(second.get('agent')).toBe('agent-config');
  });

  it('forgets runtime tokens without persistence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-acl-'));
    dirs.push(dir);
    new AgentTokens(settings(false), dir).set('default', 'from-api');
    expect(new AgentTokens(settings(false), dir).get('default')).toBe('from-config');
  });
});
