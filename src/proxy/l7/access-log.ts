import { createWriteStream, type WriteStream } from 'node:fs';
import type { AccessLogsConfig } from '../../state/config-entries/entry-types.js';

/** One finished request, as the access log records it. */
export interface AccessRecord {
  start: number;
  listener: string;
  method: string;
  path: string;
  protocol: string;
  status: number;
  grpcStatus?: string;
  route: string;
  /** The target (upstream listeners) or the local app (the public listener). */
  upstream: string;
  upstreamHost: string;
  durationMs: number;
  attempts: number;
  /** Envoy-style flags for answers the proxy made itself: NR no route, UH no healthy upstream, UO overflow, UT timeout, UF connect failure, UC reset, RBAC denied, DC downstream closed. */
  flags: string;
  source: string;
  downstream: string;
  requestId: string;
  traceId: string;
  userAgent: string;
  authority: string;
}

/**
 * proxy-defaults AccessLogs for the built-in proxy: one JSON line per request, to stdout
 * (the default), stderr or a file. When disabled nothing is built per request.
 */
export class AccessLog {
  private constructor(private readonly write: (line: string) => void, private readonly file: WriteStream | null) {}

  static open(config: AccessLogsConfig | null): AccessLog | null {
    if (!config?.Enabled) return null;
    if (config.Type === 'file' && config.Path) {
      const file = createWriteStream(config.Path, { flags: 'a' });
      file.on('error', () => undefined);
      return new AccessLog((l) => file.write(l), file);
    }
    const out = config.Type === 'stderr' ? process.stderr : process.stdout;
    return new AccessLog((l) => out.write(l), null);
  }

  record(r: AccessRecord): void {
    this.write(
      `${JSON.stringify({
        log_type: 'access',
        start_time: new Date(r.start).toISOString(),
        listener: r.listener,
        method: r.method,
        path: r.path,
        protocol: r.protocol,
        response_code: r.status,
        grpc_status: r.grpcStatus,
        response_flags: r.flags || undefined,
        route: r.route,
        upstream: r.upstream,
        upstream_host: r.upstreamHost || undefined,
        duration_ms: Math.round(r.durationMs * 1000) / 1000,
        attempts: r.attempts,
        source: r.source || undefined,
        downstream_remote_address: r.downstream,
        request_id: r.requestId || undefined,
        trace_id: r.traceId || undefined,
        user_agent: r.userAgent || undefined,
        authority: r.authority,
      })}\n`,
    );
  }

  close(): void {
    this.file?.end();
  }
}
