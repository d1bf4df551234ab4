/**
 * JSON for rows and ops that leave the process (etcd log entries, snapshot archives).
 * Plain JSON except for byte arrays (KV values, event payloads), which travel as
 * `{"$weft.bytes": "<base64>"}` so they come back as bytes, not as arrays of numbers.
 */
const BYTES = '$weft.bytes';

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON (a Buffer's toJSON would hide that it is bytes).
  const raw = this[key];
  if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const b = v[BYTES];
    if (typeof b === 'string' && Object.keys(v).length === 1) {
      const buf = Buffer.from(b, 'base64');
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
  }
  return value;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}
