/**
 * Every default in one place: what an agent runs with when no file or flag says
 * otherwise (Consul's values), and the layer `-dev` puts under the files.
 */
import os from 'node:os';
import type { Ports, RuntimeConfig } from './runtime.js';
import type { FileConfig } from './schema.js';

/**
 * Cap on non-KV, non-txn request bodies (catalog registrations, config entries, ACL
 * policies, …). Consul has no such setting; 4 MiB bounds memory per request while
 * staying far above any realistic definition. KV and txn bodies keep Consul's own
 * limits (`limits.kv_max_value_size`, `limits.txn_max_req_len`).
 */
export const REQUEST_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Defaults always fill the optional port fields. */
export type DefaultConfig = RuntimeConfig & { ports: Required<Ports> };

export function defaultConfig(hostname: string = os.hostname()): DefaultConfig {
  return {
    datacenter: 'dc1',
    primaryDatacenter: '', // filled with the datacenter when not set
    nodeName: hostname,
    nodeId: '',
    nodeMeta: {},
    dataDir: '',
    dev: false,
    server: false,
    bootstrap: false,
    bootstrapExpect: 0,
    bindAddr: '0.0.0.0',
    clientAddr: ['127.0.0.1'],
    advertiseAddr: '',
    ports: {
      http: 8500,
      https: -1,
      dns: 8600,
      grpc: -1,
      grpcTls: -1,
      server: 8300,
      serfLan: 8301,
      serfWan: 8302,
      sidecarMinPort: 21000,
      sidecarMaxPort: 21255,
      exposeMinPort: 21500,
      exposeMaxPort: 21755,
    },
    domain: 'consul',
    altDomain: '',
    recursors: [],
    dns: {
      allowStale: true,
      maxStale: '87600h',
      nodeTtl: '0s',
      serviceTtl: {},
      onlyPassing: false,
      udpAnswerLimit: 3,
      aRecordLimit: 0,
      enableTruncate: false,
      recursorTimeout: '2s',
      recursorStrategy: 'sequential',
      disableCompression: false,
      enableAdditionalNodeMetaTxt: true,
      soa: { refresh: 3600, retry: 600, expire: 86400, minTtl: 0 },
    },
    logLevel: 'info',
    logJson: false,
    pidFile: '',
    ui: false,
    retryJoin: [],
    retryInterval: '30s',
    retryMax: 0, // 0 = retry forever
    enableScriptChecks: false,
    enableLocalScriptChecks: false,
    defaultQueryTime: '300s',
    maxQueryTime: '600s',
    limits: {
      httpMaxConnsPerClient: 200,
      kvMaxValueSize: 512 * 1024,
      txnMaxReqLen: 512 * 1024,
      requestMaxBodyBytes: REQUEST_MAX_BODY_BYTES,
    },
    services: [],
    checks: [],
    connect: {},
    acl: {},
    tls: {},
    store: {
      backend: 'embedded',
      etcdEndpoints: [],
      etcdCaFile: '',
      etcdCertFile: '',
      etcdKeyFile: '',
      snapshotThreshold: 16384,
      snapshotInterval: '30s',
    },
    sources: [],
  };
}

/**
 * `-dev`: a single-node server that bootstraps itself, keeps its state in memory
 * (no data_dir), listens on loopback, and serves the UI, the mesh and gRPC (xDS).
 * Files and flags still override it. Consul's dev mode also switches to debug
 * logging; Weft keeps `info`.
 */
export const DEV_LAYER: FileConfig = {
  server: true,
  bootstrap: true,
  bind_addr: '127.0.0.1',
  client_addr: '127.0.0.1',
  ui_config: { enabled: true },
  connect: { enabled: true },
  ports: { grpc: 8502, grpc_tls: 8503 },
};
