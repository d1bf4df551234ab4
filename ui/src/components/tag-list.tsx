export function TagList({ tags }: { tags: readonly string[] | null | undefined }) {
  if (!tags || tags.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="tags" aria-label="Tags">
      {tags.map((t) => (
        <li key={t} class="tag">
          {t}
        </li>
      ))}
    </ul>
  );
}

/** Meta or tagged addresses as a compact definition list. */
export function KeyValues({ values, label }: { values: Record<string, string> | null | undefined; label: string }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <dl class="kv-pairs" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
