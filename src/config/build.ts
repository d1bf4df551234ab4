/**
 * The merged file-shaped configuration → the typed, fully-defaulted `RuntimeConfig`.
 * Pure: values were validated per layer; anything absent takes its default.
 */
import { resolveAddresses } from './address.js';
import { defaultConfig } from './defaults.js';
import type { RuntimeConfig } from './runtime.js';
import type { FileConfig } from './schema.js';
import { normalizeLogLevel } from './values.js';

export interface BuildContext {
  dev: boolean;
  sources: string[];
  hostname?: string;
}

function addresses(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  const r = resolveAddresses(value);
  return r.ok && r.addresses.length > 0 ? r.addresses : fallback;
}

export function buildRuntime(m: FileConfig, ctx: BuildContext): RuntimeConfig {
  const d = defaultConfig(ctx.hostname);
  const p = m.ports ?? {};
  const dns = m.dns_config ?? {};
  const soa = dns.soa ?? {};
  const limits = m.limits ?? {};
  const datacenter = (m.datacenter ?? d.datacenter).toLowerCase();
  let bootstrap = m.bootstrap ?? d.bootstrap;
  let bootstrapExpect = m.bootstrap_expect ?? d.bootstrapExpect;
  if (bootstrapExpect === 1 && !bootstrap) {
    // Consul: expecting one server is bootstrap mode (validation warns about it).
    bootstrap = true;
    bootstrapExpect = 0;
  }
  return {
    datacenter,
    primaryDatacenter: (m.primary_datacenter ?? datacenter).toLowerCase(),
    nodeName: m.node_name ?? d.nodeName,
    nodeId: (m.node_id ?? d.nodeId).toLowerCase(),
    nodeMeta: { ...d.nodeMeta, ...m.node_meta },
    dataDir: m.data_dir ?? d.dataDir,
    dev: ctx.dev,
    server: m.server ?? d.server,
    bootstrap,
    bootstrapExpect,
    bindAddr: addresses(m.bind_addr, [d.bindAddr])[0],
    clientAddr: addresses(m.client_addr, d.clientAddr),
    advertiseAddr: m.advertise_addr === undefined ? d.advertiseAddr : addresses(m.advertise_addr, [''])[0],
    ports: {
      http: p.http ?? d.ports.http,
      https: p.https ?? d.ports.https,
      dns: p.dns ?? d.ports.dns,
      grpc: p.grpc ?? d.ports.grpc,
      grpcTls: p.grpc_tls ?? d.ports.grpcTls,
      server: p.server ?? d.ports.server,
      serfLan: p.serf_lan ?? d.ports.serfLan,
      serfWan: p.serf_wan ?? d.ports.serfWan,
      sidecarMinPort: p.sidecar_min_port ?? d.ports.sidecarMinPort,
      sidecarMaxPort: p.sidecar_max_port ?? d.ports.sidecarMaxPort,
      exposeMinPort: p.expose_min_port ?? d.ports.exposeMinPort,
      exposeMaxPort: p.expose_max_port ?? d.ports.exposeMaxPort,
    },
    domain: m.domain ?? d.domain,
    altDomain: m.alt_domain ?? d.altDomain,
    recursors: m.recursors ?? d.recursors,
    dns: {
      allowStale: dns.allow_stale ?? d.dns.allowStale,
      maxStale: dns.max_stale ?? d.dns.maxStale,
      nodeTtl: dns.node_ttl ?? d.dns.nodeTtl,
      serviceTtl: { ...d.dns.serviceTtl, ...dns.service_ttl },
      onlyPassing: dns.only_passing ?? d.dns.onlyPassing,
      udpAnswerLimit: dns.udp_answer_limit ?? d.dns.udpAnswerLimit,
      aRecordLimit: dns.a_record_limit ?? d.dns.aRecordLimit,
      enableTruncate: dns.enable_truncate ?? d.dns.enableTruncate,
      recursorTimeout: dns.recursor_timeout ?? d.dns.recursorTimeout,
      recursorStrategy: dns.recursor_strategy ?? d.dns.recursorStrategy,
      disableCompression: dns.disable_compression ?? d.dns.disableCompression,
      enableAdditionalNodeMetaTxt: dns.enable_additional_node_meta_txt ?? d.dns.enableAdditionalNodeMetaTxt,
      soa: {
        refresh: soa.refresh ?? d.dns.soa.refresh,
        retry: soa.retry ?? d.dns.soa.retry,
        expire: soa.expire ?? d.dns.soa.expire,
        minTtl: soa.min_ttl ?? d.dns.soa.minTtl,
      },
    },
    logLevel: (m.log_level !== undefined ? normalizeLogLevel(m.log_level) : null) ?? d.logLevel,
    logJson: m.log_json ?? d.logJson,
    pidFile: m.pid_file ?? d.pidFile,
    ui: m.ui_config?.enabled ?? m.ui ?? d.ui, // `ui` is folded into ui_config per layer
    retryJoin: m.retry_join ?? d.retryJoin,
    retryInterval: m.retry_interval ?? d.retryInterval,
    retryMax: m.retry_max ?? d.retryMax,
    enableScriptChecks: m.enable_script_checks ?? d.enableScriptChecks,
    ...(m.default_intention_policy ? { defaultIntentionPolicy: m.default_intention_policy } : {}),
    enableLocalScriptChecks: m.enable_local_script_checks ?? d.enableLocalScriptChecks,
    defaultQueryTime: m.default_query_time ?? d.defaultQueryTime,
    maxQueryTime: m.max_query_time ?? d.maxQueryTime,
    limits: {
      httpMaxConnsPerClient: limits.http_max_conns_per_client ?? d.limits.httpMaxConnsPerClient,
      kvMaxValueSize: limits.kv_max_value_size ?? d.limits.kvMaxValueSize,
      txnMaxReqLen: limits.txn_max_req_len ?? d.limits.txnMaxReqLen,
      requestMaxBodyBytes: d.limits.requestMaxBodyBytes,
    },
    services: m.services ?? d.services,
    checks: m.checks ?? d.checks,
    connect: m.connect ?? d.connect,
    acl: m.acl ?? d.acl,
    tls: m.tls ?? d.tls,
    store: {
      backend: m.store?.backend ?? d.store.backend,
      etcdEndpoints: m.store?.etcd_endpoints ?? d.store.etcdEndpoints,
      etcdCaFile: m.store?.etcd_ca_file ?? d.store.etcdCaFile,
      etcdCertFile: m.store?.etcd_cert_file ?? d.store.etcdCertFile,
      etcdKeyFile: m.store?.etcd_key_file ?? d.store.etcdKeyFile,
      snapshotThreshold: m.store?.snapshot_threshold ?? d.store.snapshotThreshold,
      snapshotInterval: m.store?.snapshot_interval ?? d.store.snapshotInterval,
    },
    sources: ctx.sources,
  };
}
