/**
 * Checks that span keys (or files): run once on the merged layers, naming the file
 * that set the offending value. Per-value checks live in the schema (`values.ts`).
 */
import { WeftError } from '../lib/errors.js';
import { isUnspecified, resolveAddresses } from './address.js';
import { defaultConfig } from './defaults.js';
import { where } from './issues.js';
import { originOf, type Origins } from './merge.js';
import type { ConfigProblem, LoadResult } from './runtime.js';
import type { FileConfig } from './schema.js';

export interface MergedChecks {
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

export interface MergedCheckOptions {
  dev: boolean;
  /** False when a file could not be read or parsed (it may have set data_dir). */
  requireDataDir: boolean;
}

export function checkMerged(m: FileConfig, origins: Origins, opts: MergedCheckOptions): MergedChecks {
  const { dev } = opts;
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  // `from`: the key whose file to name when `path` itself was never set.
  const at = (path: string, from = path): string => where(originOf(origins, from) ?? '', path);
  const error = (path: string, message: string, from = path): void =>
    void errors.push({ where: at(path, from), message });
  const warn = (path: string, message: string): void => void warnings.push({ where: at(path), message });

  if (opts.requireDataDir && (m.data_dir ?? '') === '') error('data_dir', 'required for a non-dev agent');

  const server = m.server ?? false;
  const bootstrap = m.bootstrap ?? false;
  const expect = m.bootstrap_expect ?? 0;
  if (expect > 0 && dev) error('bootstrap_expect', 'not allowed in dev mode (a dev agent bootstraps itself)');
  else if (expect > 0 && bootstrap) error('bootstrap_expect', 'cannot be combined with "bootstrap = true"');
  else if (expect > 0 && !server) error('bootstrap_expect', 'requires "server = true"');
  else if (expect === 1) warn('bootstrap_expect', 'a value of 1 is the same as "bootstrap = true"');
  else if (expect === 2) warn('bootstrap_expect', 'a cluster of 2 servers has no failure tolerance; use 3');
  else if (expect > 2 && expect % 2 === 0) {
    warn('bootstrap_expect', `${expect} servers tolerate no more failures than ${expect - 1}; use an odd number`);
  }
  if (bootstrap && !server) error('bootstrap', 'requires "server = true"');
  else if (bootstrap && !dev) warn('bootstrap', 'bootstrap mode is enabled; do not enable it unless necessary');

  for (const key of ['datacenter', 'primary_datacenter'] as const) {
    const dc = m[key];
    if (dc !== undefined && dc !== dc.toLowerCase()) warn(key, `"${dc}" is converted to lower case`);
  }

  if (m.node_name !== undefined) {
    if (m.node_name === '') error('node_name', 'must not be empty');
    else if (!/^[a-z0-9-]{1,63}$/i.test(m.node_name)) {
      warn('node_name', `"${m.node_name}" is not a valid DNS label and will not be discoverable via DNS`);
    }
  }

  checkRange(m, 'sidecar', error);
  checkRange(m, 'expose', error);

  if (m.advertise_addr !== undefined) {
    const r = resolveAddresses(m.advertise_addr);
    if (r.ok && r.addresses.some(isUnspecified)) error('advertise_addr', 'must not be 0.0.0.0 or ::');
  }

  if (m.store?.backend === 'etcd' && (m.store.etcd_endpoints ?? []).length === 0) {
    error('store.etcd_endpoints', 'required when store.backend is "etcd"', 'store.backend');
  }
  if (Boolean(m.store?.etcd_cert_file) !== Boolean(m.store?.etcd_key_file)) {
    error(m.store?.etcd_cert_file ? 'store.etcd_key_file' : 'store.etcd_cert_file', 'etcd_cert_file and etcd_key_file go together');
  }

  if (m.enable_script_checks === true && m.acl?.enabled !== true) {
    warn('enable_script_checks', 'script checks are enabled without ACLs: anyone who can reach the HTTP API can run commands');
  }

  return { errors, warnings };
}

function checkRange(m: FileConfig, kind: 'sidecar' | 'expose', error: (path: string, message: string) => void): void {
  const defaults = defaultConfig('').ports;
  const setMin = m.ports?.[`${kind}_min_port`];
  const setMax = m.ports?.[`${kind}_max_port`];
  if (setMin === undefined && setMax === undefined) return;
  const min = setMin ?? (kind === 'sidecar' ? defaults.sidecarMinPort : defaults.exposeMinPort);
  const max = setMax ?? (kind === 'sidecar' ? defaults.sidecarMaxPort : defaults.exposeMaxPort);
  if (min !== -1 && max !== -1 && min > max) {
    const path = setMin !== undefined ? `ports.${kind}_min_port` : `ports.${kind}_max_port`;
    error(path, `ports.${kind}_min_port (${min}) is greater than ports.${kind}_max_port (${max})`);
  }
}

/** One line for a problem: `agent.hcl: ports.http: must be …`. */
export function formatProblem(problem: ConfigProblem): string {
  const line = problem.where === '' ? problem.message : `${problem.where}: ${problem.message}`;
  return line.replace(/\s*\n\s*/g, ' ');
}

/** Throws `CONFIG_INVALID` with the first error when the load produced any. */
export function validateConfig(result: LoadResult): void {
  const first = result.errors[0];
  if (first === undefined) return;
  throw new WeftError('CONFIG_INVALID', formatProblem(first));
}
