interface Counts {
  passing: number;
  warning: number;
  critical: number;
}

/** Check counts as a small stacked bar with the numbers beside it (the numbers carry the meaning). */
export function HealthBar({ passing, warning, critical }: Counts) {
  const total = passing + warning + critical;
  const width = 96;
  const parts = [
    { n: passing, cls: 'seg-passing' },
    { n: warning, cls: 'seg-warning' },
    { n: critical, cls: 'seg-critical' },
  ];
  let x = 0;
  const summary = total === 0 ? 'no checks' : parts.map((p, i) => `${p.n} ${['passing', 'warning', 'critical'][i]}`).filter((s) => !s.startsWith('0 ')).join(', ');
  return (
    <span class="health-bar">
      <svg width={width} height="10" viewBox={`0 0 ${width} 10`} aria-hidden="true" focusable="false">
        <rect class="seg-empty" x="0" y="0" width={width} height="10" rx="2" />
        {total > 0 &&
          parts.map((p) => {
            const w = (p.n / total) * width;
            const r = <rect class={p.cls} x={x} y="0" width={w} height="10" />;
            x += w;
            return p.n ? r : null;
          })}
      </svg>
      <span class="health-counts">{summary}</span>
    </span>
  );
}
