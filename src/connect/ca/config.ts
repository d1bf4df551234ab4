import { formatDuration, parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import type { KeySpec } from './keys.js';

const HOUR = 3600_000;

/** The built-in provider's configuration, durations in milliseconds. */
export interface CAConfigValues {
  LeafCertTTL: number;
  IntermediateCertTTL: number;
  RootCertTTL: number;
  RotationPeriod: number;
  PrivateKeyType: KeySpec['type'];
  PrivateKeyBits: number;
  /** A PEM key to use instead of generating one; never stored in the config itself. */
  PrivateKey?: string;
  RootCert?: string;
  CSRMaxPerSecond?: number;
  CSRMaxConcurrent?: number;
}

export const CA_DEFAULTS = {
  LeafCertTTL: 72 * HOUR,
  IntermediateCertTTL: 8760 * HOUR,
  RootCertTTL: 87600 * HOUR,
  RotationPeriod: 2160 * HOUR,
};

const DURATIONS = ['LeafCertTTL', 'IntermediateCertTTL', 'RootCertTTL', 'RotationPeriod'] as const;
const FIELDS = [...DURATIONS, 'PrivateKeyType', 'PrivateKeyBits', 'PrivateKey', 'RootCert', 'CSRMaxPerSecond', 'CSRMaxConcurrent'] as const;

const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', `error parsing CA config: ${message}`);

/** Consul decodes the map with mapstructure: names match case-insensitively; agent files use snake_case. */
function canonical(raw: Record<string, unknown>): Record<string, unknown> {
  const byKey = new Map(FIELDS.map((f) => [f.toLowerCase(), f]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const name = byKey.get(k.replace(/_/g, '').toLowerCase());
    if (name && v !== null && v !== undefined && v !== '') out[name] = v;
  }
  return out;
}

function duration(v: unknown, field: string): number {
  if (typeof v === 'number') return v / 1e6; // a bare number is Go nanoseconds
  if (typeof v !== 'string') throw bad(`'${field}' expected a duration`);
  try {
    return parseDuration(v);
  } catch (err) {
    throw bad(`'${field}' ${(err as Error).message}`);
  }
}

function integer(v: unknown, field: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(`'${field}' expected an integer`);
  return n;
}

/**
 * Parses and validates a provider config with Consul's rules and messages. Unlike Consul,
 * an RSA key without PrivateKeyBits gets 2048 bits rather than failing on the EC default.
 */
export function parseCAConfig(raw: Record<string, unknown>): CAConfigValues {
  const c = canonical(raw);
  const type = c.PrivateKeyType === undefined ? 'ec' : String(c.PrivateKeyType).toLowerCase();
  const out: CAConfigValues = {
    LeafCertTTL: c.LeafCertTTL === undefined ? CA_DEFAULTS.LeafCertTTL : duration(c.LeafCertTTL, 'LeafCertTTL'),
    IntermediateCertTTL: c.IntermediateCertTTL === undefined ? CA_DEFAULTS.IntermediateCertTTL : duration(c.IntermediateCertTTL, 'IntermediateCertTTL'),
    RootCertTTL: c.RootCertTTL === undefined ? CA_DEFAULTS.RootCertTTL : duration(c.RootCertTTL, 'RootCertTTL'),
    RotationPeriod: c.RotationPeriod === undefined ? CA_DEFAULTS.RotationPeriod : duration(c.RotationPeriod, 'RotationPeriod'),
    PrivateKeyType: type as KeySpec['type'],
    PrivateKeyBits: c.PrivateKeyBits === undefined ? (type === 'rsa' ? 2048 : 256) : integer(c.PrivateKeyBits, 'PrivateKeyBits'),
  };
  if (typeof c.PrivateKey === 'string') out.PrivateKey = c.PrivateKey;
  if (typeof c.RootCert === 'string') out.RootCert = c.RootCert;
  if (c.CSRMaxPerSecond !== undefined) out.CSRMaxPerSecond = Number(c.CSRMaxPerSecond);
  if (c.CSRMaxConcurrent !== undefined) out.CSRMaxConcurrent = integer(c.CSRMaxConcurrent, 'CSRMaxConcurrent');
  validate(out);
  return out;
}

function validate(c: CAConfigValues): void {
  if (!c.PrivateKey && c.RootCert) throw bad('must provide a private key when providing a root cert');
  if (c.LeafCertTTL < HOUR) throw bad(`leaf cert TTL must be greater or equal than ${formatDuration(HOUR)}`);
  if (c.LeafCertTTL > 8760 * HOUR) throw bad(`leaf cert TTL must be less than ${formatDuration(8760 * HOUR)}`);
  if (c.IntermediateCertTTL < 3 * HOUR) throw bad('Intermediate Cert TTL must be greater or equal than 3h');
  if (c.IntermediateCertTTL < 3 * c.LeafCertTTL) {
    throw bad(`Intermediate Cert TTL must be greater or equal than 3 * LeafCertTTL (>=${formatDuration(3 * c.LeafCertTTL)}).`);
  }
  if (c.RootCertTTL <= c.IntermediateCertTTL) {
    throw bad(
      `root cert TTL is set and is not greater than intermediate cert ttl. root cert ttl: ${formatDuration(c.RootCertTTL)}, intermediate cert ttl: ${formatDuration(c.IntermediateCertTTL)}`,
    );
  }
  if (c.PrivateKeyType === 'ec') {
    // WebCrypto has no P-224, so Weft offers the three NIST curves it can sign with.
    if (![256, 384, 521].includes(c.PrivateKeyBits)) throw bad('EC key length must be one of (256, 384, 521) bits');
  } else if (c.PrivateKeyType === 'rsa') {
    if (c.PrivateKeyBits !== 2048 && c.PrivateKeyBits !== 4096) throw bad('RSA key length must be 2048 or 4096 bits');
  } else {
    throw bad("private key type must be either 'ec' or 'rsa'");
  }
}

/** The config as the API shows and stores it: Go duration strings, and no private key. */
export function caConfigJson(c: CAConfigValues): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LeafCertTTL: formatDuration(c.LeafCertTTL),
    IntermediateCertTTL: formatDuration(c.IntermediateCertTTL),
    RootCertTTL: formatDuration(c.RootCertTTL),
    RotationPeriod: formatDuration(c.RotationPeriod),
    PrivateKeyType: c.PrivateKeyType,
    PrivateKeyBits: c.PrivateKeyBits,
  };
  if (c.RootCert) out.RootCert = c.RootCert;
  if (c.CSRMaxPerSecond !== undefined) out.CSRMaxPerSecond = c.CSRMaxPerSecond;
  if (c.CSRMaxConcurrent !== undefined) out.CSRMaxConcurrent = c.CSRMaxConcurrent;
  return out;
}
