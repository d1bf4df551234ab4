/** The resolved configuration of a `weft template` run: files and flags merged, defaults applied. */
import type { RetryPolicy } from '../deps/retry.js';
import type { ExecSpec } from '../runner/exec-child.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface WaitConfig {
  minMs: number;
  maxMs: number;
}

export interface TemplateConfig {
  /** Path of the template file; absent when `contents` holds the text inline. */
  source?: string;
  contents?: string;
  /** Where the result is written; may be empty in `-dry` mode. */
  destination: string;
  /** Run after a render changed the file; `[]` for none. */
  command: string[];
  commandTimeoutMs: number;
  /** File mode; undefined keeps the existing file's mode, 0644 for a new file. */
  perms?: number;
  backup: boolean;
  createDestDirs: boolean;
  leftDelim?: string;
  rightDelim?: string;
  /** Overrides the top-level wait for this template. */
  wait?: WaitConfig;
  /** An execution error stops the run (default); false logs it and keeps watching. */
  errorFatal: boolean;
}

export interface ConsulConnection {
  address?: string;
  token?: string;
  tokenFile?: string;
  retry: RetryPolicy;
  tls?: { enabled?: boolean; verify?: boolean; caFile?: string; caPath?: string; certFile?: string; keyFile?: string; serverName?: string };
}

export interface RunnerConfig {
  templates: TemplateConfig[];
  wait?: WaitConfig;
  /** 0: consistent reads; otherwise stale reads while the server's last contact is within this. */
  maxStaleMs: number;
  blockQueryWaitMs: number;
  logLevel: LogLevel;
  consul: ConsulConnection;
  exec?: ExecSpec;
  once: boolean;
  dry: boolean;
  pidFile?: string;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
export const DEFAULT_BLOCK_QUERY_WAIT_MS = 60_000;
export const DEFAULT_KILL_TIMEOUT_MS = 30_000;
