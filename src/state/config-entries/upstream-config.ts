/**
 * service-defaults UpstreamConfig: defaults for every upstream of a service, and overrides for
 * named upstreams (connect timeout, limits for circuit breaking, passive health checks for
 * outlier ejection, mesh gateway mode).
 */
import { bad, checkDefaultTenancy, checkMeshGatewayMode, meshGatewaySchema } from './common-fields.js';
import type { UpstreamConfig } from './entry-types.js';
import { PROTOCOLS } from './protocol.js';
import { objectOf } from './schema.js';

export const upstreamConfigSchema = objectOf({
  Name: 'string',
  Namespace: 'string',
  Partition: 'string',
  Peer: 'string',
  EnvoyListenerJSON: 'string',
  EnvoyClusterJSON: 'string',
  Protocol: 'string',
  ConnectTimeoutMs: 'int',
  Limits: objectOf({ MaxConnections: 'int', MaxPendingRequests: 'int', MaxConcurrentRequests: 'int' }),
  PassiveHealthCheck: objectOf({
    Interval: 'durationNs',
    MaxFailures: 'int',
    EnforcingConsecutive5xx: 'int',
    MaxEjectionPercent: 'int',
    BaseEjectionTime: 'durationNs',
  }),
  MeshGateway: meshGatewaySchema,
  BalanceOutboundConnections: 'string',
});

export const upstreamConfigurationSchema = objectOf({ Defaults: upstreamConfigSchema, Overrides: { list: upstreamConfigSchema } });

export function isValidConnectionBalance(v: string | undefined): boolean {
  return v === undefined || v === '' || v === 'exact_balance';
}

type WithTenancy = UpstreamConfig & { Namespace?: string; Partition?: string; Peer?: string };

/**
 * Lower-cases the protocol and clamps a negative timeout to 0, as Consul's normalisation does;
 * a default namespace or partition is accepted and dropped, anything else refused.
 */
export function normalizeUpstreamConfig(cfg: WithTenancy, where: string): UpstreamConfig {
  checkDefaultTenancy(where, cfg);
  const out: WithTenancy = { ...cfg };
  if (out.Protocol !== undefined) out.Protocol = out.Protocol.toLowerCase();
  if (out.ConnectTimeoutMs !== undefined && out.ConnectTimeoutMs < 0) out.ConnectTimeoutMs = 0;
  delete out.Namespace;
  delete out.Partition;
  delete out.Peer;
  return out;
}

export function normalizeUpstreamConfiguration(uc: { Defaults?: UpstreamConfig; Overrides?: UpstreamConfig[] } | undefined): typeof uc {
  if (!uc) return uc;
  return {
    ...(uc.Defaults ? { Defaults: normalizeUpstreamConfig(uc.Defaults, 'UpstreamConfig.Defaults') } : {}),
    ...(uc.Overrides ? { Overrides: uc.Overrides.map((o, i) => normalizeUpstreamConfig(o, `UpstreamConfig.Overrides[${i}]`)) } : {}),
  };
}

function validateBody(cfg: UpstreamConfig): void {
  if (cfg.Protocol && !(PROTOCOLS as readonly string[]).includes(cfg.Protocol)) {
    throw new Error(`invalid value for Protocol: ${JSON.stringify(cfg.Protocol)}, must be one of ${PROTOCOLS.join(', ')}`);
  }
  const phc = cfg.PassiveHealthCheck;
  if (phc) {
    if ((phc.Interval ?? 0) < 0) throw new Error('passive health check interval cannot be negative');
    if ((phc.BaseEjectionTime ?? 0) < 0) throw new Error('passive health check base ejection time cannot be negative');
    for (const f of ['MaxFailures', 'EnforcingConsecutive5xx', 'MaxEjectionPercent'] as const) {
      if ((phc[f] ?? 0) < 0) throw new Error(`passive health check ${f} cannot be negative`);
    }
    for (const f of ['EnforcingConsecutive5xx', 'MaxEjectionPercent'] as const) {
      if ((phc[f] ?? 0) > 100) throw new Error(`passive health check ${f} is a percentage and cannot exceed 100`);
    }
  }
  const limits = cfg.Limits;
  if (limits) {
    if ((limits.MaxConnections ?? 0) < 0) throw new Error('max connections cannot be negative');
    if ((limits.MaxPendingRequests ?? 0) < 0) throw new Error('max pending requests cannot be negative');
    if ((limits.MaxConcurrentRequests ?? 0) < 0) throw new Error('max concurrent requests cannot be negative');
  }
  if (!isValidConnectionBalance(cfg.BalanceOutboundConnections)) throw new Error(`invalid value for balance_outbound_connections: ${cfg.BalanceOutboundConnections}`);
  checkMeshGatewayMode(cfg.MeshGateway?.Mode);
}

export function validateUpstreamConfiguration(uc: { Defaults?: UpstreamConfig; Overrides?: UpstreamConfig[] } | undefined): void {
  if (!uc) return;
  for (const raw of uc.Overrides ?? []) {
    const prefix = `error in upstream override for ${raw.Name ?? ''}: `;
    if (!raw.Name) throw bad(`${prefix}Name is required`);
    if (raw.Name === '*') throw bad(`${prefix}Wildcard name is not supported`);
    try {
      validateBody(raw);
    } catch (err) {
      throw bad(prefix + (err as Error).message);
    }
  }
  const defaults = uc.Defaults;
  if (defaults) {
    const prefix = 'error in upstream defaults: ';
    if (defaults.Name) throw bad(`${prefix}Name must be empty`);
    try {
      validateBody(defaults);
    } catch (err) {
      throw bad(prefix + (err as Error).message);
    }
  }
  const seen = new Set<string>();
  for (const o of uc.Overrides ?? []) {
    if (seen.has(o.Name!)) throw bad(`error in upstream override for ${o.Name}: Name is listed more than once`);
    seen.add(o.Name!);
  }
}
