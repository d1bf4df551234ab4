/** A labelled search box; the label stays visible so its purpose is never only a placeholder. */
export function SearchField({ id, label, value, onInput, placeholder }: { id: string; label: string; value: string; onInput: (v: string) => void; placeholder?: string }) {
  return (
    <div class="field field-search">
      <label for={id}>{label}</label>
      <input id={id} type="search" value={value} placeholder={placeholder} autocomplete="off" onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />
    </div>
  );
}

/** A row of toggle buttons (All / Allow / Deny…) where exactly one is pressed. */
export function FilterTabs<T extends string>({ label, options, value, onChange }: { label: string; options: { value: T; label: string; count?: number }[]; value: T; onChange: (v: T) => void }) {
  return (
    <div class="filter-tabs" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={o.value === value} onClick={() => onChange(o.value)}>
          {o.label}
          {o.count !== undefined && <span class="count"> ({o.count})</span>}
        </button>
      ))}
    </div>
  );
}

export type HealthFilter = 'all' | 'passing' | 'warning' | 'critical';

const HEALTH_TABS: { value: HealthFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'passing', label: 'Passing' },
  { value: 'warning', label: 'Warning' },
  { value: 'critical', label: 'Critical' },
];

/** The health tabs of the node and service lists, each with how many rows it would show. */
export function HealthTabs({ value, onChange, count }: { value: HealthFilter; onChange: (v: HealthFilter) => void; count: (h: HealthFilter) => number }) {
  return <FilterTabs label="Filter by health" value={value} onChange={onChange} options={HEALTH_TABS.map((t) => ({ ...t, count: count(t.value) }))} />;
}
