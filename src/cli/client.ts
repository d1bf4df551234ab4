import { ApiClient } from '../api/index.js';
import type { CommandIO } from './command.js';
import { resolveHttpOptions, type HttpFlagValues } from './http-flags.js';

/** The API client a command talks through, from its HTTP flags and the environment. */
export function apiClient(flags: HttpFlagValues, io: CommandIO): ApiClient {
  const o = resolveHttpOptions(flags, io.env);
  return new ApiClient({ address: o.address, token: o.token, datacenter: o.datacenter, stale: o.stale, tls: o.tls });
}
