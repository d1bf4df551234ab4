import type { ConfigView } from './kinds.js';

export const PROTOCOLS = ['tcp', 'http', 'http2', 'grpc'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const SERVICE_DEFAULTS = 'service-defaults';
export const PROXY_DEFAULTS = 'proxy-defaults';
export const PROXY_DEFAULTS_NAME = 'global';

/**
 * The protocol a service speaks: its service-defaults entry, else the `protocol` key of the
 * global proxy-defaults Config, else tcp (Consul's resolution order).
 */
export function serviceProtocol(view: ConfigView, service: string): string {
  const sd = view.get(SERVICE_DEFAULTS, service)?.Protocol;
  if (typeof sd === 'string' && sd) return sd;
  const config = view.get(PROXY_DEFAULTS, PROXY_DEFAULTS_NAME)?.Config as Record<string, unknown> | undefined;
  const pd = config?.protocol;
  return typeof pd === 'string' && pd ? pd.toLowerCase() : 'tcp';
}

export function isHttpLike(protocol: string): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}
