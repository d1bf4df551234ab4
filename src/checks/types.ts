import type { Logger } from 'pino';

export type CheckStatus = 'passing' | 'warning' | 'critical';

export const CHECK_STATUSES: readonly CheckStatus[] = ['passing', 'warning', 'critical'];

export type CheckType = 'http' | 'tcp' | 'udp' | 'grpc' | 'h2ping' | 'ttl' | 'script' | 'alias';

/** Check types that run on an interval (everything but TTL and alias). */
export type IntervalCheckType = Exclude<CheckType, 'ttl' | 'alias'>;

/**
 * A check as the runners see it: normalized, camelCase, durations in milliseconds, defaults applied.
 * `parseCheckDefinition` builds one from Consul's JSON/HCL shapes.
 */
export interface CheckDefinition {
  id: string;
  name: string;
  serviceId?: string;
  type: CheckType;
  notes: string;
  /** Milliseconds between the end of one run and the start of the next; 0 for TTL and alias checks. */
  intervalMs: number;
  /** Milliseconds one run may take; 0 for TTL and alias checks. */
  timeoutMs: number;

  http?: string;
  method?: string;
  header?: Record<string, string[]>;
  body?: string;
  tlsServerName?: string;
  tlsSkipVerify?: boolean;
  disableRedirects?: boolean;
  tcp?: string;
  tcpUseTls?: boolean;
  udp?: string;
  grpc?: string;
  grpcUseTls?: boolean;
  h2ping?: string;
  h2pingUseTls?: boolean;
  ttlMs?: number;
  args?: string[];
  aliasService?: string;
  aliasNode?: string;

  successBeforePassing: number;
  failuresBeforeWarning: number;
  failuresBeforeCritical: number;
  /** Bytes of output kept (Consul's `OutputMaxSize`, capped by the agent's `check_output_max_size`). */
  outputMaxSize: number;
  initialStatus: CheckStatus;
  deregisterCriticalServiceAfterMs?: number;
  /** ACL token the check was registered with (Consul's `Token`), if any. */
  token?: string;
  /** The definition in Consul's `HealthCheckDefinition` JSON shape, for the API's `Definition` field. */
  definition: Record<string, unknown>;
}

export interface CheckUpdate {
  id: string;
  status: CheckStatus;
  output: string;
}

/** One run's verdict, before thresholds (`success_before_passing`, ...) are applied. */
export interface ProbeResult {
  status: CheckStatus;
  output: string;
}

/**
 * Where alias checks read the aggregated health of their target. The agent implements it
 * (local state for its own services, a blocking query for other nodes); `aliasStatus()` computes
 * the aggregate from a list of checks the way Consul does.
 */
export interface AliasSource {
  subscribe(target: { node?: string; serviceId?: string }, onStatus: (status: CheckStatus, output: string) => void): () => void;
}

export interface CheckRunnerDeps {
  onUpdate(update: CheckUpdate): void;
  aliasSource?: AliasSource;
  log?: Logger;
  scriptChecksEnabled: boolean;
  /** Extra CA certificates (PEM) trusted by HTTPS, TCP+TLS, gRPC+TLS and H2PING+TLS checks, beside the system's. */
  tlsCa?: string | Buffer | Array<string | Buffer>;
  /** The state the agent already holds for this check (e.g. a restored TTL state); updates are reported relative to it. */
  initial?: { status: CheckStatus; output: string };
}
