import { useState } from 'preact/hooks';
import { ErrorNote, Loading } from '../components/error-note.js';
import { HealthBar } from '../components/health-bar.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { HealthTabs, SearchField, type HealthFilter } from '../components/search-field.js';
import { StatusBadge, summaryHealth } from '../components/status.js';
import { TagList } from '../components/tag-list.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { ServiceSummary } from '../wire.js';

const KIND_LABEL: Record<string, string> = {
  'mesh-gateway': 'Mesh gateway',
  'ingress-gateway': 'Ingress gateway',
  'terminating-gateway': 'Terminating gateway',
  'api-gateway': 'API gateway',
};

/** Every service with its health at a glance; sidecar proxies are folded into the service they serve, as in Consul's UI. */
export function ServicesPage({ dc }: { dc: string }) {
  const live = useLive<ServiceSummary[]>('/v1/internal/ui/services');
  const [search, setSearch] = useState('');
  const [health, setHealth] = useState<HealthFilter>('all');
  const [tag, setTag] = useState('');

  const all = (live.data ?? []).filter((s) => s.Kind !== 'connect-proxy');
  const tags = [...new Set(all.flatMap((s) => s.Tags ?? []))].sort();
  const count = (h: HealthFilter) => all.filter((s) => h === 'all' || summaryHealth(s) === h).length;
  const needle = search.trim().toLowerCase();
  const shown = all.filter(
    (s) =>
      (health === 'all' || summaryHealth(s) === health) &&
      (!tag || (s.Tags ?? []).includes(tag)) &&
      (!needle || s.Name.toLowerCase().includes(needle) || (s.Tags ?? []).some((t) => t.toLowerCase().includes(needle))),
  );

  return (
    <section>
      <PageHeader title="Services" badge={live.data && <span class="count-badge">{all.length}</span>} />
      <ErrorNote message={live.error} stale={!!live.data} />
      <div class="toolbar">
        <SearchField id="service-search" label="Search services" placeholder="Name or tag" value={search} onInput={setSearch} />
        <HealthTabs value={health} onChange={setHealth} count={count} />
        <div class="field">
          <label for="service-tag">Filter by tag</label>
          <select id="service-tag" value={tag} onChange={(e) => setTag((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Any tag</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
      {live.loading && !live.data ? (
        <Loading what="services" />
      ) : all.length === 0 && !live.error ? (
        <p class="empty">
          No services are registered yet. Register one with <code>weft services register web.json</code> or <code>PUT /v1/agent/service/register</code>.
        </p>
      ) : (
        <table class="list" aria-label="Services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Health</th>
              <th scope="col">Checks</th>
              <th scope="col" class="num">Instances</th>
              <th scope="col">Tags</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.Name} data-service={s.Name}>
                <th scope="row">
                  <Link href={href({ page: 'service', dc, name: s.Name, tab: 'instances' })}>{s.Name}</Link>
                </th>
                <td>
                  <StatusBadge status={summaryHealth(s)} />
                </td>
                <td>
                  <HealthBar passing={s.ChecksPassing} warning={s.ChecksWarning} critical={s.ChecksCritical} />
                </td>
                <td class="num">{s.InstanceCount}</td>
                <td>
                  <TagList tags={s.Tags} />
                </td>
                <td>
                  {KIND_LABEL[s.Kind ?? ''] ?? 'Service'}
                  {s.ConnectedWithProxy && <span class="pill">in mesh</span>}
                  {s.ConnectNative && <span class="pill">native</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {all.length > 0 && shown.length === 0 && <p class="empty">No service matches these filters.</p>}
    </section>
  );
}
