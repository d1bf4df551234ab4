import { encodePath } from '../api.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { StatusBadge, summaryHealth } from '../components/status.js';
import { TopologyPicture, decisionLabel } from '../components/topology.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { ServiceSummary, ServiceTopology, TopologySummary } from '../wire.js';

const SOURCE: Record<string, string> = {
  'proxy-registration': 'declared by a proxy',
  'routing-config': 'reached through routing config',
};

/** Upstreams and downstreams with the intention decision on each edge, as a picture and as a table. */
export function TopologyTab({ dc, name }: { dc: string; name: string }) {
  const services = useLive<ServiceSummary[]>('/v1/internal/ui/services');
  const center: ServiceSummary = services.data?.find((s) => s.Name === name) ?? { Name: name, Datacenter: dc, Tags: null, Nodes: null, InstanceCount: 0, ChecksPassing: 0, ChecksWarning: 0, ChecksCritical: 0 };
  // Consul draws topology for typical services and ingress gateways; the kind comes from the listing.
  const kind = center.Kind ?? '';
  const drawable = kind === '' || kind === 'ingress-gateway';
  const topo = useLive<ServiceTopology>(services.data && drawable ? `/v1/internal/ui/service-topology/${encodePath(name)}` : null, { query: { kind } });
  const t = topo.data;
  const hrefOf = (n: string) => href({ page: 'service', dc, name: n, tab: 'topology' });
  const rows: { dir: string; s: TopologySummary; from: string; to: string }[] = t
    ? [...t.Downstreams.map((s) => ({ dir: 'Downstream', s, from: s.Name, to: name })), ...t.Upstreams.map((s) => ({ dir: 'Upstream', s, from: name, to: s.Name }))]
    : [];
  return (
    <div>
      <ErrorNote message={topo.error ?? services.error} stale={!!t} />
      {!drawable && (
        <p class="empty">
          {name} is a {kind}: topology is drawn for services and ingress gateways.
        </p>
      )}
      {drawable && !t && !topo.error && <Loading what="topology" />}
      {t && (
        <>
          <p class="muted">
            Protocol <strong>{t.Protocol}</strong>. Edges show whether intentions let the caller connect.{' '}
            <Link href={href({ page: 'intentions', dc })}>Manage intentions</Link>
          </p>
          {rows.length === 0 ? (
            <p class="empty">
              {name} has no upstreams or downstreams: none of its proxies declares an upstream, and no proxy names {name} as one.
            </p>
          ) : (
            <>
              <TopologyPicture center={center} upstreams={t.Upstreams} downstreams={t.Downstreams} hrefOf={hrefOf} />
              <table class="list" aria-label="Connections">
                <thead>
                  <tr>
                    <th scope="col">Direction</th>
                    <th scope="col">Connection</th>
                    <th scope="col">Health of the other side</th>
                    <th scope="col">Intention</th>
                    <th scope="col">Why listed</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.dir}-${r.s.Name}`} data-connection={`${r.from}->${r.to}`} data-decision={r.s.Intention.Allowed ? 'allow' : 'deny'}>
                      <td>{r.dir}</td>
                      <th scope="row">
                        {r.from} → {r.to}
                      </th>
                      <td>
                        <Link href={hrefOf(r.s.Name)}>{r.s.Name}</Link> <StatusBadge status={summaryHealth(r.s)} /> <span class="muted small">
                          {r.s.InstanceCount} instance{r.s.InstanceCount === 1 ? '' : 's'}
                        </span>
                      </td>
                      <td class={r.s.Intention.Allowed ? 'decision-allow' : 'decision-deny'}>
                        {decisionLabel(r.s)}
                        {!r.s.Intention.HasExact && <span class="muted small"> (no exact intention)</span>}
                      </td>
                      <td>{SOURCE[r.s.Source] ?? r.s.Source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </div>
  );
}
