import { useState } from 'preact/hooks';
import { ErrorNote, Loading } from '../components/error-note.js';
import { HealthBar } from '../components/health-bar.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { HealthTabs, SearchField, type HealthFilter } from '../components/search-field.js';
import { StatusBadge, worstOf, type Health } from '../components/status.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { NodeInfo } from '../wire.js';

/** A node's own health: its node-level checks (serfHealth and the like), not its services'. */
export function nodeHealth(n: NodeInfo): Health {
  return worstOf(n.Checks.filter((c) => !c.ServiceID).map((c) => c.Status));
}

function serviceCheckCounts(n: NodeInfo): { passing: number; warning: number; critical: number } {
  const checks = n.Checks.filter((c) => c.ServiceID);
  const count = (status: string) => checks.filter((c) => c.Status === status).length;
  return { passing: count('passing'), warning: count('warning'), critical: count('critical') };
}

export function NodesPage({ dc }: { dc: string }) {
  const live = useLive<NodeInfo[]>('/v1/internal/ui/nodes');
  const [search, setSearch] = useState('');
  const [health, setHealth] = useState<HealthFilter>('all');
  const all = live.data ?? [];
  const needle = search.trim().toLowerCase();
  const count = (h: HealthFilter) => all.filter((n) => h === 'all' || nodeHealth(n) === h).length;
  const shown = all.filter((n) => (health === 'all' || nodeHealth(n) === health) && (!needle || n.Node.toLowerCase().includes(needle) || n.Address.includes(needle)));
  return (
    <section>
      <PageHeader title="Nodes" badge={live.data && <span class="count-badge">{all.length}</span>} />
      <ErrorNote message={live.error} stale={!!live.data} />
      <div class="toolbar">
        <SearchField id="node-search" label="Search nodes" placeholder="Name or address" value={search} onInput={setSearch} />
        <HealthTabs value={health} onChange={setHealth} count={count} />
      </div>
      {live.loading && !live.data && <Loading what="nodes" />}
      {live.data && (
        <table class="list" aria-label="Nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Node health</th>
              <th scope="col">Service checks</th>
              <th scope="col">Address</th>
              <th scope="col">Services</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((n) => {
              const names = [...new Set(n.Services.filter((s) => s.Kind !== 'connect-proxy').map((s) => s.Service))].sort();
              return (
                <tr key={n.Node} data-node={n.Node}>
                  <th scope="row">
                    <Link href={href({ page: 'node', dc, name: n.Node })}>{n.Node}</Link>
                  </th>
                  <td>
                    <StatusBadge status={nodeHealth(n)} />
                  </td>
                  <td>
                    <HealthBar {...serviceCheckCounts(n)} />
                  </td>
                  <td>
                    <code>{n.Address}</code>
                  </td>
                  <td>
                    {names.length === 0 ? (
                      <span class="muted">none</span>
                    ) : (
                      <ul class="inline-list">
                        {names.map((s) => (
                          <li key={s}>
                            <Link href={href({ page: 'service', dc, name: s, tab: 'instances' })}>{s}</Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {all.length > 0 && shown.length === 0 && <p class="empty">No node matches these filters.</p>}
    </section>
  );
}
