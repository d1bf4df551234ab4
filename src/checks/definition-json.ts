import { formatDuration } from '../lib/duration.js';
import type { CheckDefinition } from './types.js';

/**
 * The check's `Definition` as Consul's API shows it (structs.HealthCheckDefinition): CamelCase,
 * empty fields left out, Interval/Timeout/DeregisterCriticalServiceAfter as Go duration strings and,
 * as in Consul, TTL as a number of nanoseconds. Interval, Timeout and OutputMaxSize are the values
 * as registered, before defaults and the 1s interval floor.
 */
export function consulDefinition(
  def: CheckDefinition,
  registered: { intervalMs: number; timeoutMs: number; outputMaxSize: number },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Interval: registered.intervalMs > 0 ? formatDuration(registered.intervalMs) : undefined,
    OutputMaxSize: registered.outputMaxSize > 0 ? registered.outputMaxSize : undefined,
    Timeout: registered.timeoutMs > 0 ? formatDuration(registered.timeoutMs) : undefined,
    DeregisterCriticalServiceAfter: def.deregisterCriticalServiceAfterMs ? formatDuration(def.deregisterCriticalServiceAfterMs) : undefined,
    HTTP: def.http,
    TLSServerName: def.tlsServerName,
    TLSSkipVerify: def.tlsSkipVerify || undefined,
    Header: def.header,
    Method: def.method,
    Body: def.body,
    DisableRedirects: def.disableRedirects || undefined,
    TCP: def.tcp,
    TCPUseTLS: def.tcpUseTls || undefined,
    UDP: def.udp,
    H2PING: def.h2ping,
    H2PingUseTLS: def.h2pingUseTls || undefined,
    ScriptArgs: def.args,
    GRPC: def.grpc,
    GRPCUseTLS: def.grpcUseTls || undefined,
    AliasNode: def.aliasNode,
    AliasService: def.aliasService,
    TTL: def.ttlMs ? Math.round(def.ttlMs * 1e6) : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
