import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOKEN_KINDS, type AclSettings, type AgentTokenKind } from './config.js';

export const PERSISTED_TOKENS_FILE = 'acl-tokens.json';

/**
 * The agent's own tokens: `default` (used for requests that carry none), `agent` (the agent's
 * own writes), `agent_recovery`, `dns` and the rest. Set from config and, at runtime, by
 * `PUT /v1/agent/token/:kind`; with `enable_token_persistence` the API-set values are kept in
 * `<data_dir>/acl-tokens.json` (Consul's file and field names) and win over the config.
 */
export class AgentTokens {
  private readonly values: Partial<Record<AgentTokenKind, string>>;
  private readonly persisted: Partial<Record<AgentTokenKind, string>> = {};
  private readonly file: string | null;
  private readonly listeners: ((kind: AgentTokenKind) => void)[] = [];

  constructor(settings: AclSettings, dataDir: string | null) {
    this.values = { ...settings.tokens };
    this.file = settings.enableTokenPersistence && dataDir ? join(dataDir, PERSISTED_TOKENS_FILE) : null;
    if (this.file) this.load(this.file);
  }

  get(kind: AgentTokenKind): string {
    return this.values[kind] ?? '';
  }

  /** Called after a token is set (the agent syncs again when its `agent` or `default` token changes, as Consul does). */
  onChange(listener: (kind: AgentTokenKind) => void): void {
    this.listeners.push(listener);
  }

  set(kind: AgentTokenKind, token: string): void {
    const changed = (this.values[kind] ?? '') !== token;
    this.values[kind] = token;
    if (changed) for (const l of this.listeners) l(kind);
    if (!this.file) return;
    this.persisted[kind] = token;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.persisted), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private load(file: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return; // none persisted yet (a corrupt file is as good as none: the config still applies)
    }
    if (!raw || typeof raw !== 'object') return;
    for (const kind of AGENT_TOKEN_KINDS) {
      const v = (raw as Record<string, unknown>)[kind];
      if (typeof v === 'string' && v) {
        this.values[kind] = v;
        this.persisted[kind] = v;
      }
    }
  }
}
