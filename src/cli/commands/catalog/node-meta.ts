/** The CLI takes `-node-meta key=value`; the API takes `?node-meta=key:value` (repeated). */
export function nodeMetaQuery(meta: Record<string, string>): string[] | undefined {
  const pairs = Object.entries(meta).map(([k, v]) => `${k}:${v}`);
  return pairs.length ? pairs : undefined;
}

/** `key=value, key=value` sorted by key, as consul's catalog commands print maps. */
export function mapToKV(m: Record<string, string> | null | undefined, joiner: string): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(joiner);
}
