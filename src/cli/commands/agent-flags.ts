import type { FileConfig } from '../../config/index.js';
import { flag, type FlagValues } from '../flags.js';

/** `weft agent` flags, named as consul's; each maps to one config-file key. */
export const agentFlags = {
  dev: flag.bool('Starts the agent in development mode: an in-memory server with the UI.'),
  server: flag.bool('Switches the agent to server mode.'),
  bootstrap: flag.bool('Sets server to bootstrap mode.'),
  'bootstrap-expect': flag.uint('Sets server to expect bootstrap mode.'),
  'data-dir': flag.string('Path to a data directory to store agent state.'),
  'pid-file': flag.string('Path to file to store agent PID.'),
  'config-file': flag.list('Path to a config file (JSON or HCL). May be given multiple times.'),
  'config-dir': flag.list('Path to a directory of config files, read in alphabetical order. May be given multiple times.'),
  'config-format': flag.string('Config files are in this format irrespective of their extension: "json" or "hcl".'),
  datacenter: flag.string('Datacenter of the agent.'),
  node: flag.string('Name of this node. Must be unique in the cluster.'),
  'node-id': flag.string('A unique ID for this node across space and time (a UUID).'),
  'node-meta': flag.keyValue('An arbitrary metadata key/value pair for this node, as key:value. May be given multiple times.'),
  bind: flag.string('Sets the bind address for cluster communication.'),
  client: flag.string('Sets the address to bind for client access: the HTTP API and DNS (space-separated list allowed).'),
  advertise: flag.string('Sets the advertise address to use.'),
  'http-port': flag.int('Sets the HTTP API port to listen on (-1 disables it).'),
  'https-port': flag.int('Sets the HTTPS API port to listen on (-1 disables it).'),
  'dns-port': flag.int('DNS port to use (-1 disables it).'),
  'grpc-port': flag.int('Sets the gRPC API port to listen on (-1 disables it).'),
  'server-port': flag.int('Sets the server RPC port to listen on.'),
  'serf-lan-port': flag.int('Sets the cluster (LAN) port to listen on.'),
  'serf-wan-port': flag.int('Sets the WAN port to listen on.'),
  'log-level': flag.string('Log level of the agent: trace, debug, info, warn or error.'),
  'log-json': flag.bool('Output logs in JSON format.'),
  ui: flag.bool('Enables the built-in web UI server.'),
  'retry-join': flag.list('Address of an agent to join at start time, retried until it succeeds. May be given multiple times.', {
    aliases: ['join'],
  }),
  'retry-interval': flag.string('Time to wait between join attempts.'),
  'retry-max': flag.uint('Maximum number of join attempts (0 = forever).'),
  domain: flag.string('Domain to use for DNS interface.'),
  'alt-domain': flag.string('Alternate domain to use for DNS interface.'),
  recursor: flag.list('Address of an upstream DNS server. May be given multiple times.'),
  'enable-script-checks': flag.bool('Enables health check scripts (runs commands: keep off unless you trust every registrant).'),
  'enable-local-script-checks': flag.bool('Enables health check scripts from configuration files only.'),
  'default-query-time': flag.string('Default time a blocking query waits when no ?wait is given.'),
  'max-query-time': flag.string('Longest time a blocking query may wait.'),
  store: flag.string('State backend for a server: "embedded" (default) or "etcd".'),
  'etcd-endpoints': flag.string('Comma-separated etcd client URLs, with -store=etcd.'),
  'etcd-ca-file': flag.string('PEM file of the CA that signed the etcd members\' certificates (TLS to etcd).'),
  'etcd-cert-file': flag.string('PEM client certificate for etcd (TLS client authentication).'),
  'etcd-key-file': flag.string('PEM private key of -etcd-cert-file.'),
} as const;

type AgentFlagValues = FlagValues<typeof agentFlags>;

/** The flags the user gave, as a config layer in the file shape (flags not given stay out, so files keep their say). */
export function flagsToConfig(f: AgentFlagValues, set: ReadonlySet<string>): FileConfig {
  const c: Record<string, unknown> = {};
  const ports: Record<string, number> = {};
  const put = (name: keyof AgentFlagValues & string, apply: () => void) => set.has(name) && apply();
  put('server', () => (c.server = f.server));
  put('bootstrap', () => (c.bootstrap = f.bootstrap));
  put('bootstrap-expect', () => (c.bootstrap_expect = f['bootstrap-expect']));
  put('data-dir', () => (c.data_dir = f['data-dir']));
  put('pid-file', () => (c.pid_file = f['pid-file']));
  put('datacenter', () => (c.datacenter = f.datacenter));
  put('node', () => (c.node_name = f.node));
  put('node-id', () => (c.node_id = f['node-id']));
  put('node-meta', () => (c.node_meta = f['node-meta']));
  put('bind', () => (c.bind_addr = f.bind));
  put('client', () => (c.client_addr = f.client));
  put('advertise', () => (c.advertise_addr = f.advertise));
  put('http-port', () => (ports.http = f['http-port']));
  put('https-port', () => (ports.https = f['https-port']));
  put('dns-port', () => (ports.dns = f['dns-port']));
  put('grpc-port', () => (ports.grpc = f['grpc-port']));
  put('server-port', () => (ports.server = f['server-port']));
  put('serf-lan-port', () => (ports.serf_lan = f['serf-lan-port']));
  put('serf-wan-port', () => (ports.serf_wan = f['serf-wan-port']));
  put('log-level', () => (c.log_level = f['log-level']));
  put('log-json', () => (c.log_json = f['log-json']));
  put('ui', () => (c.ui = f.ui));
  put('retry-join', () => (c.retry_join = f['retry-join']));
  put('retry-interval', () => (c.retry_interval = f['retry-interval']));
  put('retry-max', () => (c.retry_max = f['retry-max']));
  put('domain', () => (c.domain = f.domain));
  put('alt-domain', () => (c.alt_domain = f['alt-domain']));
  put('recursor', () => (c.recursors = f.recursor));
  put('enable-script-checks', () => (c.enable_script_checks = f['enable-script-checks']));
  put('enable-local-script-checks', () => (c.enable_local_script_checks = f['enable-local-script-checks']));
  put('default-query-time', () => (c.default_query_time = f['default-query-time']));
  put('max-query-time', () => (c.max_query_time = f['max-query-time']));
  const storeFlags = ['store', 'etcd-endpoints', 'etcd-ca-file', 'etcd-cert-file', 'etcd-key-file'] as const;
  if (storeFlags.some((n) => set.has(n))) {
    c.store = {
      ...(set.has('store') ? { backend: f.store } : {}),
      ...(set.has('etcd-endpoints') ? { etcd_endpoints: f['etcd-endpoints'].split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      ...(set.has('etcd-ca-file') ? { etcd_ca_file: f['etcd-ca-file'] } : {}),
      ...(set.has('etcd-cert-file') ? { etcd_cert_file: f['etcd-cert-file'] } : {}),
      ...(set.has('etcd-key-file') ? { etcd_key_file: f['etcd-key-file'] } : {}),
    };
  }
  if (Object.keys(ports).length) c.ports = ports;
  return c as FileConfig;
}
