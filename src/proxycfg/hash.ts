import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short hash of a snapshot's content: equal exactly when the snapshots are, whatever the key order. */
export function snapshotHash(snapshot: unknown): string {
  return createHash('sha256').update(canonical(snapshot)).digest('hex').slice(0, 16);
}
