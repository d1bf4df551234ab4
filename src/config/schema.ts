/**
 * The agent configuration file format: Consul's snake_case keys, every key optional,
 * unknown keys rejected. Files, directories and command-line flags all produce this
 * shape; `build.ts` turns the merged result into the camelCase `RuntimeConfig`.
 *
 * Keys Consul has but Weft does not act on are not here: `legacy.ts` strips them
 * (with a warning) before a file meets this schema.
 */
import { z } from 'zod';
import {
  addressList,
  datacenterName,
  definition,
  duration,
  logLevel,
  nodeId,
  nodeMeta,
  port,
  positiveInt,
  recursor,
  serviceDefinition,
  singleAddress,
  uint,
  uint32,
} from './values.js';

const str = z.string();
const bool = z.boolean();
const strList = z.array(z.string());

const ports = z
  .strictObject({
    http: port,
    https: port,
    dns: port,
    grpc: port,
    grpc_tls: port,
    server: port,
    serf_lan: port,
    serf_wan: port,
    sidecar_min_port: port,
    sidecar_max_port: port,
    expose_min_port: port,
    expose_max_port: port,
  })
  .partial();

const soa = z.strictObject({ refresh: uint32, retry: uint32, expire: uint32, min_ttl: uint32 }).partial();

const dnsConfig = z
  .strictObject({
    allow_stale: bool,
    max_stale: duration,
    node_ttl: duration,
    service_ttl: z.record(z.string(), duration),
    only_passing: bool,
    udp_answer_limit: uint,
    a_record_limit: uint,
    enable_truncate: bool,
    recursor_timeout: duration,
    recursor_strategy: z.enum(['sequential', 'random']),
    disable_compression: bool,
    enable_additional_node_meta_txt: bool,
    soa,
  })
  .partial();

const limits = z
  .strictObject({
    http_max_conns_per_client: uint,
    kv_max_value_size: positiveInt,
    txn_max_req_len: positiveInt,
  })
  .partial();

const connect = z
  .strictObject({
    enabled: bool,
    ca_provider: z.enum(['consul', 'vault', 'aws-pca']),
    ca_config: z.record(z.string(), z.unknown()),
    enable_mesh_gateway_wan_federation: bool,
    enable_serverless_plugin: bool,
  })
  .partial();

const aclTokens = z
  .strictObject({
    initial_management: str,
    agent_recovery: str,
    agent: str,
    default: str,
    replication: str,
    config_file_service_registration: str,
    dns: str,
    managed_service_provider: z.array(z.strictObject({ accessor_id: str, secret_id: str }).partial()),
  })
  .partial();

const acl = z
  .strictObject({
    enabled: bool,
    default_policy: z.enum(['allow', 'deny']),
    down_policy: z.enum(['allow', 'deny', 'extend-cache', 'async-cache']),
    policy_ttl: duration,
    role_ttl: duration,
    token_ttl: duration,
    enable_key_list_policy: bool,
    enable_token_replication: bool,
    enable_token_persistence: bool,
    tokens: aclTokens,
  })
  .partial();

const tlsCommon = {
  ca_file: str,
  ca_path: str,
  cert_file: str,
  key_file: str,
  tls_min_version: z.enum(['TLSv1_0', 'TLSv1_1', 'TLSv1_2', 'TLSv1_3']),
  tls_cipher_suites: str,
  verify_incoming: bool,
  verify_outgoing: bool,
};

const tls = z
  .strictObject({
    defaults: z.strictObject(tlsCommon).partial(),
    internal_rpc: z.strictObject({ ...tlsCommon, verify_server_hostname: bool }).partial(),
    https: z.strictObject(tlsCommon).partial(),
    grpc: z.strictObject({ ...tlsCommon, use_auto_cert: bool }).partial(),
  })
  .partial();

const store = z
  .strictObject({
    backend: z.enum(['embedded', 'etcd']),
    etcd_endpoints: strList,
    etcd_ca_file: str,
    etcd_cert_file: str,
    etcd_key_file: str,
    snapshot_threshold: positiveInt,
    snapshot_interval: duration,
  })
  .partial();

export const fileSchema = z
  .strictObject({
    datacenter: datacenterName,
    primary_datacenter: datacenterName,
    node_name: str,
    node_id: nodeId,
    node_meta: nodeMeta,
    data_dir: str,
    server: bool,
    bootstrap: bool,
    bootstrap_expect: uint,
    bind_addr: singleAddress,
    client_addr: addressList,
    advertise_addr: singleAddress,
    ports,
    domain: str,
    alt_domain: str,
    recursors: z.array(recursor),
    dns_config: dnsConfig,
    log_level: logLevel,
    log_json: bool,
    pid_file: str,
    ui: bool,
    ui_config: z.strictObject({ enabled: bool }).partial(),
    retry_join: strList,
    retry_interval: duration,
    retry_max: uint,
    enable_script_checks: bool,
    enable_local_script_checks: bool,
    default_intention_policy: z.enum(['allow', 'deny']),
    default_query_time: duration,
    max_query_time: duration,
    limits,
    // `service` / `check`: one definition, or several (repeated HCL blocks).
    service: z.union([serviceDefinition, z.array(serviceDefinition)]),
    services: z.array(serviceDefinition),
    check: z.union([definition, z.array(definition)]),
    checks: z.array(definition),
    connect,
    acl,
    tls,
    store,
  })
  .partial();

/** One configuration layer (a file, or the command-line flags) in Consul's file shape. */
export type FileConfig = z.infer<typeof fileSchema>;
