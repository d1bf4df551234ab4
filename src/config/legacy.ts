/**
 * Consul keys that are not part of Weft's schema but must not fail a Consul config:
 * - deprecated spellings, moved to their current key with a warning;
 * - keys Weft does not model yet, dropped with a warning "… has no effect in weft".
 * Both tables are data; `applyLegacy` runs on each parsed layer before the schema.
 */
import type { ConfigProblem } from './runtime.js';

interface Alias {
  from: string;
  to: string;
  /** Lists are appended to the target instead of being overridden by it. */
  append?: boolean;
  convert?: (v: unknown) => unknown;
}

const LEGACY_TLS_VERSIONS: Record<string, string> = {
  tls10: 'TLSv1_0',
  tls11: 'TLSv1_1',
  tls12: 'TLSv1_2',
  tls13: 'TLSv1_3',
};

const ALIASES: readonly Alias[] = [
  { from: 'start_join', to: 'retry_join', append: true },
  { from: 'acl_datacenter', to: 'primary_datacenter' },
  { from: 'acl_default_policy', to: 'acl.default_policy' },
  { from: 'acl_down_policy', to: 'acl.down_policy' },
  { from: 'acl_ttl', to: 'acl.token_ttl' },
  { from: 'acl_master_token', to: 'acl.tokens.initial_management' },
  { from: 'acl_agent_master_token', to: 'acl.tokens.agent_recovery' },
  { from: 'acl_agent_token', to: 'acl.tokens.agent' },
  { from: 'acl_token', to: 'acl.tokens.default' },
  { from: 'acl_replication_token', to: 'acl.tokens.replication' },
  { from: 'acl.tokens.master', to: 'acl.tokens.initial_management' },
  { from: 'acl.tokens.agent_master', to: 'acl.tokens.agent_recovery' },
  { from: 'ca_file', to: 'tls.defaults.ca_file' },
  { from: 'ca_path', to: 'tls.defaults.ca_path' },
  { from: 'cert_file', to: 'tls.defaults.cert_file' },
  { from: 'key_file', to: 'tls.defaults.key_file' },
  { from: 'tls_cipher_suites', to: 'tls.defaults.tls_cipher_suites' },
  {
    from: 'tls_min_version',
    to: 'tls.defaults.tls_min_version',
    convert: (v) => (typeof v === 'string' ? (LEGACY_TLS_VERSIONS[v.toLowerCase()] ?? v) : v),
  },
  { from: 'verify_incoming', to: 'tls.defaults.verify_incoming' },
  { from: 'verify_outgoing', to: 'tls.defaults.verify_outgoing' },
  { from: 'verify_incoming_rpc', to: 'tls.internal_rpc.verify_incoming' },
  { from: 'verify_incoming_https', to: 'tls.https.verify_incoming' },
  { from: 'verify_server_hostname', to: 'tls.internal_rpc.verify_server_hostname' },
];

/** Accepted, warned about, ignored. A section name covers everything inside it. */
export const NO_EFFECT_KEYS: readonly string[] = [
  // top level
  'acl_enforce_version_8', 'addresses', 'advertise_addr_ipv4', 'advertise_addr_ipv6', 'advertise_addr_wan',
  'advertise_addr_wan_ipv4', 'advertise_addr_wan_ipv6', 'advertise_reconnect_timeout', 'audit', 'auto_config',
  'auto_encrypt', 'auto_reload_config', 'autopilot', 'cache', 'check_output_max_size', 'check_update_interval',
  'cloud', 'config_entries', 'disable_anonymous_signature', 'disable_coordinates', 'disable_host_node_id',
  'disable_http_unprintable_char_filter', 'disable_keyring_file', 'disable_remote_exec', 'disable_update_check',
  'discard_check_output', 'discovery_max_stale', 'enable_acl_replication', 'enable_agent_tls_for_checks',
  'enable_central_service_config', 'enable_debug', 'enable_syslog', 'encrypt', 'encrypt_verify_incoming',
  'encrypt_verify_outgoing', 'experiments', 'gossip_lan', 'gossip_wan', 'http_config', 'leave_on_terminate',
  'license_path', 'locality', 'log_file', 'log_rotate_bytes', 'log_rotate_duration', 'log_rotate_max_files',
  'non_voting_server', 'partition', 'peering', 'performance', 'primary_gateways', 'primary_gateways_interval',
  'protocol', 'raft_boltdb', 'raft_logstore', 'raft_protocol', 'raft_snapshot_interval', 'raft_snapshot_threshold',
  'raft_trailing_logs', 'read_replica', 'reconnect_timeout', 'reconnect_timeout_wan', 'rejoin_after_leave',
  'reporting', 'retry_interval_wan', 'retry_join_wan', 'retry_max_wan', 'rpc', 'segment', 'segments', 'serf_lan',
  'serf_lan_allowed_cidrs', 'serf_wan', 'serf_wan_allowed_cidrs', 'server_name', 'server_rejoin_age_max',
  'session_ttl_min', 'skip_leave_on_interrupt', 'snapshot_agent', 'start_join_wan', 'syslog_facility',
  'tagged_addresses', 'telemetry', 'translate_wan_addrs', 'ui_content_path', 'ui_dir', 'unix_sockets', 'watches',
  'xds',
  // inside sections Weft does model
  'acl.disabled_ttl', 'acl.msp_disable_bootstrap', 'dns_config.cache_max_age', 'dns_config.prefer_namespace',
  'dns_config.use_cache', 'limits.https_handshake_timeout', 'limits.request_limits', 'limits.rpc_client_timeout',
  'limits.rpc_handshake_timeout', 'limits.rpc_max_burst', 'limits.rpc_max_conns_per_client', 'limits.rpc_rate',
  'ui_config.content_path', 'ui_config.dashboard_url_templates', 'ui_config.dir', 'ui_config.hcp_enabled',
  'ui_config.metrics_provider', 'ui_config.metrics_provider_files', 'ui_config.metrics_provider_options_json',
  'ui_config.metrics_proxy',
];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function getParent(root: Obj, path: string, create: boolean): [Obj, string] | null {
  const parts = path.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    if (!isObj(node[part])) {
      if (!create || node[part] !== undefined) return null;
      node[part] = {};
    }
    node = node[part] as Obj;
  }
  return [node, parts[parts.length - 1]];
}

/** Moves deprecated keys and drops no-effect keys, in place. Returns warnings. */
export function applyLegacy(source: string, root: unknown): ConfigProblem[] {
  if (!isObj(root)) return [];
  const warnings: ConfigProblem[] = [];
  for (const alias of ALIASES) {
    const from = getParent(root, alias.from, false);
    if (!from || !(from[1] in from[0])) continue;
    const value = alias.convert ? alias.convert(from[0][from[1]]) : from[0][from[1]];
    delete from[0][from[1]];
    const to = getParent(root, alias.to, true);
    if (!to) continue; // the target's parent has the wrong type: the schema reports it
    const [node, key] = to;
    if (alias.append && Array.isArray(value)) {
      node[key] = [...(Array.isArray(node[key]) ? node[key] : []), ...value];
      warnings.push({ where: source, message: `"${alias.from}" is deprecated; its entries were added to "${alias.to}"` });
    } else if (key in node) {
      warnings.push({ where: source, message: `"${alias.from}" is deprecated and ignored because "${alias.to}" is also set` });
    } else {
      node[key] = value;
      warnings.push({ where: source, message: `"${alias.from}" is deprecated; use "${alias.to}"` });
    }
  }
  for (const path of NO_EFFECT_KEYS) {
    const parent = getParent(root, path, false);
    if (!parent || !(parent[1] in parent[0])) continue;
    delete parent[0][parent[1]];
    warnings.push({ where: source, message: `"${path}" is accepted but has no effect in weft` });
  }
  return warnings;
}
