export type Health = 'passing' | 'warning' | 'critical' | 'maintenance' | 'none';

const LABEL: Record<Health, string> = {
  passing: 'Passing',
  warning: 'Warning',
  critical: 'Critical',
  maintenance: 'Maintenance',
  none: 'No checks',
};

/** Consul's aggregation: maintenance, then critical, then warning, else passing. */
export function worstOf(statuses: readonly string[]): Health {
  if (statuses.length === 0) return 'none';
  if (statuses.includes('maintenance')) return 'maintenance';
  if (statuses.includes('critical')) return 'critical';
  if (statuses.includes('warning')) return 'warning';
  return 'passing';
}

/** A service summary's health from its check counts. */
export function summaryHealth(s: { ChecksPassing: number; ChecksWarning: number; ChecksCritical: number }): Health {
  if (s.ChecksCritical > 0) return 'critical';
  if (s.ChecksWarning > 0) return 'warning';
  if (s.ChecksPassing > 0) return 'passing';
  return 'none';
}

/** A status in words with a shape beside it: colour is never the only signal. */
export function StatusBadge({ status, label }: { status: Health; label?: string }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      <StatusIcon status={status} />
      {label ?? LABEL[status]}
    </span>
  );
}

export function StatusIcon({ status }: { status: Health }) {
  const paths: Record<Health, string> = {
    passing: 'M3.5 8.5l3 3 6-7',
    warning: 'M8 3.5v6M8 12.5v.5',
    critical: 'M4 4l8 8M12 4l-8 8',
    maintenance: 'M4 8h8',
    none: 'M4 8h8',
  };
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d={paths[status]} fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
