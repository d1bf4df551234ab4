import { encodePath } from '../api.js';
import { ChecksTable } from '../components/checks-table.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { StatusBadge, worstOf } from '../components/status.js';
import { KeyValues, TagList } from '../components/tag-list.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { NodeInfo } from '../wire.js';
import { nodeHealth } from './nodes.js';

export function NodePage({ dc, name }: { dc: string; name: string }) {
  const live = useLive<NodeInfo>(`/v1/internal/ui/node/${encodePath(name)}`, { allow404: true });
  const n = live.data;
  return (
    <section>
      <PageHeader title={name} crumbs={[{ label: 'Nodes', href: href({ page: 'nodes', dc }) }]} badge={n && <StatusBadge status={nodeHealth(n)} />} />
      <ErrorNote message={live.error} stale={!!n} />
      {live.loading && <Loading what="the node" />}
      {live.missing && <p class="empty">There is no node named {name} in the catalog (it may have left the cluster).</p>}
      {n && (
        <>
          <dl class="facts">
            <div>
              <dt>Address</dt>
              <dd>
                <code>{n.Address}</code>
              </dd>
            </div>
            <div>
              <dt>Node ID</dt>
              <dd>
                <code>{n.ID || '—'}</code>
              </dd>
            </div>
            <div>
              <dt>Tagged addresses</dt>
              <dd>
                <KeyValues values={n.TaggedAddresses} label="Tagged addresses" />
              </dd>
            </div>
            <div>
              <dt>Meta</dt>
              <dd>
                <KeyValues values={n.Meta} label="Node meta" />
              </dd>
            </div>
          </dl>
          <h2>Node checks</h2>
          <ChecksTable checks={n.Checks.filter((c) => !c.ServiceID)} caption="Node checks" />
          <h2>Services</h2>
          {n.Services.length === 0 ? (
            <p class="muted">No services on this node.</p>
          ) : (
            <table class="list" aria-label="Services on this node">
              <thead>
                <tr>
                  <th scope="col">Service ID</th>
                  <th scope="col">Service</th>
                  <th scope="col">Health</th>
                  <th scope="col">Address</th>
                  <th scope="col">Tags</th>
                </tr>
              </thead>
              <tbody>
                {n.Services.map((s) => (
                  <tr key={s.ID}>
                    <th scope="row">{s.ID}</th>
                    <td>
                      <Link href={href({ page: 'service', dc, name: s.Service, tab: 'instances' })}>{s.Service}</Link>
                      {s.Kind && <span class="pill">{s.Kind}</span>}
                    </td>
                    <td>
                      <StatusBadge status={worstOf(n.Checks.filter((c) => c.ServiceID === s.ID || !c.ServiceID).map((c) => c.Status))} />
                    </td>
                    <td>
                      <code>{s.Port ? `${s.Address || n.Address}:${s.Port}` : s.Address || n.Address}</code>
                    </td>
                    <td>
                      <TagList tags={s.Tags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Service checks</h2>
          <ChecksTable checks={n.Checks.filter((c) => c.ServiceID)} caption="Service checks" />
        </>
      )}
    </section>
  );
}
