import { WeftError } from '../lib/errors.js';

const MAX_PAIRS = 64;
const KEY_MAX = 128;
const VALUE_MAX = 512;
const KEY_RE = /^[a-zA-Z0-9_-]+$/;
/** Keys Weft itself sets on gateways; users may not, as in Consul. */
const RESERVED_PREFIX = 'consul-';

/** Consul's `ValidateServiceMetadata`: the same limits and messages. */
export function assertValidMeta(meta: Record<string, string>): void {
  const pairs = Object.entries(meta);
  if (pairs.length > MAX_PAIRS) {
    throw bad(`Node metadata cannot contain more than ${MAX_PAIRS} key/value pairs`);
  }
  for (const [key, value] of pairs) {
    const reason =
      key === ''
        ? 'Key cannot be blank'
        : !KEY_RE.test(key)
          ? 'Key contains invalid characters'
          : key.length > KEY_MAX
            ? `Key is too long (limit: ${KEY_MAX} characters)`
            : key.startsWith(RESERVED_PREFIX)
              ? `Key prefix '${RESERVED_PREFIX}' is reserved for internal use`
              : value.length > VALUE_MAX
                ? `Value is too long (limit: ${VALUE_MAX} characters)`
                : null;
    if (reason) throw bad(`Couldn't load metadata pair ('${key}', '${value}'): ${reason}`);
  }
}

function bad(reason: string): WeftError {
  return new WeftError('BAD_REQUEST', `Invalid Service Meta: ${reason}`);
}
