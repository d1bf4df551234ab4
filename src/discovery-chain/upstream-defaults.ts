/**
 * The centralized settings for one upstream of a service: its service-defaults
 * `UpstreamConfig.Defaults` with the override named after the upstream laid over it (Consul's
 * resolved service config). A proxy registration's own upstream `Config` wins over both.
 */
import { SERVICE_DEFAULTS, configEntryGet, type ServiceDefaultsEntry, type StateStore, type UpstreamConfig, type WatchSet } from '../state/index.js';

function merge(base: UpstreamConfig, over: UpstreamConfig): UpstreamConfig {
  const out: UpstreamConfig = { ...base };
  for (const [k, v] of Object.entries(over) as [keyof UpstreamConfig, unknown][]) {
    if (k === 'Name' || v === undefined) continue;
    const prev = out[k];
    // Nested groups (Limits, PassiveHealthCheck, MeshGateway) merge field by field.
    (out as Record<string, unknown>)[k] = prev && typeof prev === 'object' && v && typeof v === 'object' ? { ...prev, ...v } : v;
  }
  return out;
}

export function resolveUpstreamConfig(store: StateStore, ws: WatchSet | null, downstream: string, upstream: string): { index: number; config: UpstreamConfig } {
  const r = configEntryGet(store, ws, SERVICE_DEFAULTS, downstream);
  const uc = (r.entry as ServiceDefaultsEntry | undefined)?.UpstreamConfig;
  const override = uc?.Overrides?.find((o) => o.Name === upstream);
  return { index: r.index, config: merge(uc?.Defaults ?? {}, override ?? {}) };
}
