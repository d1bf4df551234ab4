import { readFileSync } from 'node:fs';
import { WeftError } from '../lib/errors.js';
import { flag, parseBool, type FlagValues } from './flags.js';

/**
 * The HTTP client flags every client command shares (Consul's command/flags/http.go), and
 * their resolution against the environment. This is the only reader of these env vars;
 * each is looked up as WEFT_<name> first, then CONSUL_<name>, so Consul setups keep working.
 */

const group = 'HTTP API Options';

export const httpClientFlags = {
  'http-addr': flag.string(
    'The `address` and port of the Weft HTTP agent. The value can be an IP address or DNS ' +
      'address, but it must also include the port. This can also be specified via the ' +
      'WEFT_HTTP_ADDR or CONSUL_HTTP_ADDR environment variable. The default value is ' +
      'http://127.0.0.1:8500. The scheme can also be set to HTTPS by setting the environment ' +
      'variable CONSUL_HTTP_SSL=true.',
    '',
    { group },
  ),
  token: flag.string(
    'ACL token to use in the request. This can also be specified via the CONSUL_HTTP_TOKEN ' +
      'environment variable. If unspecified, the query will default to the token of the agent.',
    '',
    { group },
  ),
  'token-file': flag.string(
    'File containing the ACL token to use in the request instead of one specified via the ' +
      '-token argument or CONSUL_HTTP_TOKEN environment variable. This can also be specified ' +
      'via the CONSUL_HTTP_TOKEN_FILE environment variable.',
    '',
    { group },
  ),
  'ca-file': flag.string(
    'Path to a CA file to use for TLS when communicating with the agent. This can also be ' +
      'specified via the CONSUL_CACERT environment variable.',
    '',
    { group },
  ),
  'ca-path': flag.string(
    'Path to a directory of CA certificates to use for TLS when communicating with the agent. ' +
      'This can also be specified via the CONSUL_CAPATH environment variable.',
    '',
    { group },
  ),
  'client-cert': flag.string(
    'Path to a client cert file to use for TLS when verify_incoming is enabled. This can also ' +
      'be specified via the CONSUL_CLIENT_CERT environment variable.',
    '',
    { group },
  ),
  'client-key': flag.string(
    'Path to a client key file to use for TLS when verify_incoming is enabled. This can also ' +
      'be specified via the CONSUL_CLIENT_KEY environment variable.',
    '',
    { group },
  ),
  'tls-server-name': flag.string(
    'The server name to use as the SNI host when connecting via TLS. This can also be ' +
      'specified via the CONSUL_TLS_SERVER_NAME environment variable.',
    '',
    { group },
  ),
} as const;

/** Consul splits these out because commands that only talk to the local agent omit them. */
export const httpServerFlags = {
  datacenter: flag.string(
    'Name of the datacenter to query. If unspecified, this will default to the datacenter of ' +
      'the queried agent.',
    '',
    { group },
  ),
  stale: flag.bool(
    'Permit any Weft server (non-leader) to respond to this request. This allows for lower ' +
      'latency and higher throughput, but can result in stale data. This option has no effect ' +
      'on non-read operations. The default value is false.',
    false,
    { group },
  ),
} as const;

export const httpFlags = { ...httpClientFlags, ...httpServerFlags } as const;

export type HttpFlagValues = FlagValues<typeof httpClientFlags> & Partial<FlagValues<typeof httpServerFlags>>;

export interface HttpTlsOptions {
  caFile?: string;
  caPath?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  /** From WEFT_HTTP_SSL_VERIFY / CONSUL_HTTP_SSL_VERIFY=false. */
  insecureSkipVerify?: boolean;
}

export interface HttpOptions {
  /** `http://host:port`, `https://host:port` or `unix:///path`. */
  address: string;
  token?: string;
  datacenter?: string;
  stale: boolean;
  /** Present only when some TLS setting was given. */
  tls?: HttpTlsOptions;
}

export const DEFAULT_HTTP_ADDRESS = '127.0.0.1:8500';

const fail = (message: string): WeftError => new WeftError('FLAG_INVALID', message);

function fromEnv(env: NodeJS.ProcessEnv, suffix: string): string | undefined {
  return env[`WEFT_${suffix}`] || env[`CONSUL_${suffix}`] || undefined;
}

function boolFromEnv(env: NodeJS.ProcessEnv, suffix: string): boolean | undefined {
  const name = env[`WEFT_${suffix}`] ? `WEFT_${suffix}` : `CONSUL_${suffix}`;
  const raw = env[name];
  if (!raw) return undefined;
  const b = parseBool(raw);
  if (b === undefined) throw fail(`invalid value ${JSON.stringify(raw)} for ${name}: parse error`);
  return b;
}

/** Gives an address a scheme; `https` when none is given and SSL is requested. */
export function normalizeAddress(raw: string, ssl = false): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(raw.trim());
  if (!m) return `${ssl ? 'https' : 'http'}://${raw.trim().replace(/\/+$/, '')}`;
  const scheme = m[1].toLowerCase();
  if (scheme === 'unix') return `unix://${m[2]}`;
  if (scheme !== 'http' && scheme !== 'https') throw fail(`Unknown protocol scheme: ${m[1]}`);
  const host = m[2].replace(/\/+$/, '');
  if (!host) throw fail(`invalid HTTP address ${JSON.stringify(raw)}`);
  return `${scheme}://${host}`;
}

function readToken(file: string): string | undefined {
  let data: string;
  try {
    data = readFileSync(file, 'utf8');
  } catch (err) {
    throw fail(`Error loading token file: ${(err as Error).message}`);
  }
  return data.trim() || undefined;
}

/**
 * Precedence: flag > WEFT_* env > CONSUL_* env > default. At each level a token file beats a
 * token, as Consul documents for -token-file. Empty flag values count as not given.
 */
export function resolveHttpOptions(flags: HttpFlagValues, env: NodeJS.ProcessEnv): HttpOptions {
  const pick = (flagValue: string | undefined, suffix: string): string | undefined =>
    flagValue || fromEnv(env, suffix);

  const address = normalizeAddress(
    pick(flags['http-addr'], 'HTTP_ADDR') ?? DEFAULT_HTTP_ADDRESS,
    boolFromEnv(env, 'HTTP_SSL') ?? false,
  );

  const tokenLevels: Array<[file: string | undefined, token: string | undefined]> = [
    [flags['token-file'], flags.token],
    [env.WEFT_HTTP_TOKEN_FILE, env.WEFT_HTTP_TOKEN],
    [env.CONSUL_HTTP_TOKEN_FILE, env.CONSUL_HTTP_TOKEN],
  ];
  let token: string | undefined;
  for (const [file, value] of tokenLevels) {
    token = (file ? readToken(file) : undefined) || value || undefined;
    if (token) break;
  }

  const tls: HttpTlsOptions = {};
  const put = <K extends keyof HttpTlsOptions>(key: K, value: HttpTlsOptions[K] | undefined): void => {
    if (value !== undefined) tls[key] = value;
  };
  put('caFile', pick(flags['ca-file'], 'CACERT'));
  put('caPath', pick(flags['ca-path'], 'CAPATH'));
  put('certFile', pick(flags['client-cert'], 'CLIENT_CERT'));
  put('keyFile', pick(flags['client-key'], 'CLIENT_KEY'));
  put('serverName', pick(flags['tls-server-name'], 'TLS_SERVER_NAME'));
  if (boolFromEnv(env, 'HTTP_SSL_VERIFY') === false) tls.insecureSkipVerify = true;

  const options: HttpOptions = { address, stale: flags.stale ?? false };
  if (token) options.token = token;
  if (flags.datacenter) options.datacenter = flags.datacenter;
  if (Object.keys(tls).length > 0) options.tls = tls;
  return options;
}
