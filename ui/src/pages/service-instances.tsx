import { ChecksTable } from '../components/checks-table.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { StatusBadge, worstOf } from '../components/status.js';
import { KeyValues, TagList } from '../components/tag-list.js';
import { encodePath } from '../api.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { HealthEntry } from '../wire.js';

/** Every instance of the service with its node, address, tags, meta and checks, following changes live. */
export function InstancesTab({ dc, name }: { dc: string; name: string }) {
  const live = useLive<HealthEntry[]>(`/v1/health/service/${encodePath(name)}`);
  const entries = live.data ?? [];
  return (
    <div>
      <ErrorNote message={live.error} stale={!!live.data} />
      {live.loading && !live.data && <Loading what="instances" />}
      {live.data && entries.length === 0 && <p class="empty">No instances of {name} are registered (it may have been deregistered).</p>}
      <ul class="cards" aria-label="Instances">
        {entries.map((e) => {
          const status = worstOf(e.Checks.map((c) => c.Status));
          const address = e.Service.Address || e.Node.Address;
          return (
            <li key={`${e.Node.Node}/${e.Service.ID}`} class={`card card-${status}`} data-instance={e.Service.ID}>
              <div class="card-head">
                <h2>{e.Service.ID}</h2>
                <StatusBadge status={status} />
              </div>
              <dl class="facts">
                <div>
                  <dt>Node</dt>
                  <dd>
                    <Link href={href({ page: 'node', dc, name: e.Node.Node })}>{e.Node.Node}</Link>
                  </dd>
                </div>
                <div>
                  <dt>Address</dt>
                  <dd>
                    <code>{e.Service.Port ? `${address}:${e.Service.Port}` : address}</code>
                  </dd>
                </div>
                <div>
                  <dt>Tags</dt>
                  <dd>
                    <TagList tags={e.Service.Tags} />
                  </dd>
                </div>
                <div>
                  <dt>Meta</dt>
                  <dd>
                    <KeyValues values={e.Service.Meta} label="Service meta" />
                  </dd>
                </div>
              </dl>
              <ChecksTable checks={e.Checks} caption={`Checks of ${e.Service.ID}`} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
