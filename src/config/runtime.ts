/**
 * The typed, fully-defaulted configuration every subsystem receives (a slice of it)
 * through its constructor. Produced only by `loadConfig` from files + flags.
 * Field names are camelCase; the files use Consul's snake_case keys.
 */
export interface Ports {
  http: number; // -1 = off
  https: number; // -1 = off (default)
  dns: number; // -1 = off
  grpc: number; // -1 = off unless dev
  server: number; // server RPC (reported by /v1/status/leader)
  serfLan: number;
  serfWan: number;
  sidecarMinPort: number;
  sidecarMaxPort: number;
  /** Always set by `loadConfig`; optional only to keep the original contract source-compatible. */
  grpcTls?: number; // -1 = off (default; 8503 in dev)
  exposeMinPort?: number; // range for `expose` paths (Consul: 21500-21755)
  exposeMaxPort?: number;
}

export interface DnsSettings {
  allowStale: boolean;
  maxStale: string;
  nodeTtl: string;
  serviceTtl: Record<string, string>;
  onlyPassing: boolean;
  udpAnswerLimit: number;
  aRecordLimit: number;
  enableTruncate: boolean;
  recursorTimeout: string;
  recursorStrategy: 'sequential' | 'random';
  disableCompression: boolean;
  enableAdditionalNodeMetaTxt: boolean;
  soa: { refresh: number; retry: number; expire: number; minTtl: number };
}

export interface LimitsSettings {
  httpMaxConnsPerClient: number;
  kvMaxValueSize: number; // bytes
  txnMaxReqLen: number; // bytes
  requestMaxBodyBytes: number; // bytes, non-KV request bodies
}

export interface StoreSettings {
  backend: 'embedded' | 'etcd';
  etcdEndpoints: string[];
  /** PEM files for TLS to etcd ('' = not set). */
  etcdCaFile: string;
  etcdCertFile: string;
  etcdKeyFile: string;
  /** etcd: the leader snapshots the tables and truncates the log after this many entries. */
  snapshotThreshold: number;
  /** etcd: how often the leader checks the threshold (Go duration). */
  snapshotInterval: string;
}

export interface RuntimeConfig {
  datacenter: string;
  primaryDatacenter: string;
  nodeName: string;
  nodeId: string; // '' = generate (and persist in data dir when there is one)
  nodeMeta: Record<string, string>;
  dataDir: string; // '' only in dev mode
  dev: boolean;
  server: boolean;
  bootstrap: boolean;
  bootstrapExpect: number;
  bindAddr: string;
  clientAddr: string[]; // addresses HTTP and DNS listen on
  advertiseAddr: string; // '' = bindAddr (or 127.0.0.1 when bind is 0.0.0.0)
  ports: Ports;
  domain: string;
  altDomain: string;
  recursors: string[];
  dns: DnsSettings;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  logJson: boolean;
  pidFile: string;
  ui: boolean;
  retryJoin: string[];
  retryInterval: string;
  retryMax: number;
  enableScriptChecks: boolean;
  /** Decision when no intention matches; unset = follow the ACL default policy (allow with ACLs off). */
  defaultIntentionPolicy?: 'allow' | 'deny';
  enableLocalScriptChecks: boolean;
  defaultQueryTime: string; // '300s'
  maxQueryTime: string; // '600s'
  limits: LimitsSettings;
  /** Service and check definitions from config files, kept in Consul's file shape (snake_case) for the catalog issue. */
  services: Record<string, unknown>[];
  checks: Record<string, unknown>[];
  /** Sections later issues own; kept as parsed (validated only for shape) until they land. */
  connect: Record<string, unknown>;
  acl: Record<string, unknown>;
  tls: Record<string, unknown>;
  store: StoreSettings;
  /** Files that contributed, in load order (for `weft info` and reload). */
  sources: string[];
}

export interface ConfigProblem {
  /** File name (or 'flags') and dotted path, e.g. `agent.hcl: ports.http`. */
  where: string;
  message: string;
}

export interface LoadResult {
  config: RuntimeConfig;
  warnings: ConfigProblem[];
  errors: ConfigProblem[];
}
