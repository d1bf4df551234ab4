/**
 * What a handler returns; the server turns it into bytes. Handlers never serialize.
 * `body` is JSON-encoded; `raw` is sent as is (KV ?raw, metrics text).
 */
export interface Reply {
  status?: number;
  body?: unknown;
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** Set for reads: becomes X-Consul-Index (never 0) and adds the consistency headers. */
  index?: number;
}

export const ok = (body: unknown): Reply => ({ body });
